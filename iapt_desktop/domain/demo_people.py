"""Synthetic patients (IDS001-IDS012, IDS601, app_patient) and staff (IDS902, app_care_personnel).

Pure generation: fills :class:`DemoRows` from a seeded ``random.Random``.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
from dataclasses import dataclass
from typing import Any

from iapt_desktop.domain import demo_catalogue as catalogue
from iapt_desktop.domain.codes import code_list, social_circumstances_in
from iapt_desktop.domain.demo_rows import DemoRows, DemoWindow, Weighted, days_between, iso, staff_id
from iapt_desktop.domain.field_checks import nhs_number_check_digit

TEST_RANGE_PREFIX = "999"


def declined(column: str) -> str | None:
    """The column's "person asked but declined" code, where its code list has one."""
    codes = code_list(column)
    return codes.declined_code if codes else None


class WithDeclined:
    """A weighted choice of the pairs plus the column's declined code (when it has one) at ``share`` weight.

    The code list is read on first use, not at import.
    """

    def __init__(self, column: str, *pairs: tuple[object, float], share: float = 2) -> None:
        self.column, self.pairs, self.share = column, pairs, share

    @functools.cached_property
    def _weighted(self) -> Weighted:
        code = declined(self.column)
        return Weighted(*self.pairs, *(((code, self.share),) if code else ()))

    def pick(self, rng: random.Random) -> Any:
        return self._weighted.pick(rng)


def nhs_numbers(rng: random.Random, count: int) -> list[str]:
    """``count`` distinct valid NHS numbers from the 999 test range, in a seeded order.

    Each passes the modulus-11 check and is not one whose first five digits
    are its last five reversed (the national pipeline rejects those).
    """
    if count > 800_000:
        raise ValueError("The 999 test range holds fewer than 800,000 usable NHS numbers.")
    found: list[str] = []
    for body in rng.sample(range(1_000_000), min(1_000_000, count * 2 + 50)):
        first_nine = f"{TEST_RANGE_PREFIX}{body:06d}"
        check = nhs_number_check_digit(first_nine)
        if check is None:
            continue
        number = f"{first_nine}{check}"
        if number[:5] == number[5:][::-1]:
            continue
        found.append(number)
        if len(found) == count:
            return found
    raise ValueError("Could not draw enough NHS numbers.")  # pragma: no cover - the sample is large enough


@dataclass(frozen=True)
class PatientFacts:
    """What the pathway generator needs to know about a patient."""

    local_id: str
    birth_date: dt.date
    gender: str
    language: str | None
    employed: bool
    previous_diagnosis: bool


_AGE_BANDS = Weighted(((18, 24), 15), ((25, 34), 24), ((35, 44), 20), ((45, 54), 18), ((55, 64), 13),
                      ((65, 74), 7), ((75, 90), 3))
_GENDER = Weighted(("2", 62), ("1", 36), ("X", 1.5), ("9", 0.5))
_ETHNICITY = Weighted(("A", 70), ("B", 1.5), ("C", 5), ("D", 1), ("E", 0.7), ("F", 0.8), ("G", 0.8), ("H", 3),
                      ("J", 2.5), ("K", 1), ("L", 1.5), ("M", 1.5), ("N", 2.5), ("P", 0.5), ("R", 0.7), ("S", 1.5),
                      ("Z", 3.5), ("99", 1))
_EX_FORCES = WithDeclined("ExBAFIndicator", ("03", 82), ("02", 3), ("05", 5), ("UU", 2), (None, 6))
_LANGUAGE = Weighted(("en", 92), ("pl", 2), ("ur", 1.5), ("pa", 1), ("ro", 1), ("ar", 1), (None, 1.5))
_EDUCATION = WithDeclined("EduEstabTypeIAPT", ("8", 76), ("2", 3), ("3", 4), ("4", 1), ("X", 5), (None, 9))
_SAME_AT_BIRTH = WithDeclined("GenderIdentitySameAtBirth", ("Y", 66), ("N", 1), ("X", 1), (None, 30))
_EMPLOYMENT = WithDeclined("EmployStatus", ("01", 52), ("02", 10), ("03", 6), ("04", 9), ("05", 5), ("06", 4),
                            ("07", 1), ("08", 10), share=3)
_HOURS = WithDeclined("WeekHoursWorked", ("01", 60), ("02", 25), ("03", 10), ("04", 3))
_DISABILITY = Weighted(("01", 30), ("02", 8), ("03", 5), ("04", 6), ("05", 20), ("06", 2), ("07", 3), ("08", 15),
                       ("09", 6), ("10", 2), ("XX", 3))
_ORIENTATION = Weighted(*catalogue.SEXUAL_ORIENTATIONS)
_RELIGION = Weighted(*catalogue.RELIGIONS)
_ACCOMMODATION = Weighted(*catalogue.ACCOMMODATION_TYPES)


def add_staff(rows: DemoRows, count: int, window: DemoWindow, rng: random.Random) -> list[tuple[str, str]]:
    """Care personnel with their qualifications; returns (CarePersLocalId, kind) pairs."""
    staff = []
    latest_award = window.start - dt.timedelta(days=30)
    for index, template in enumerate(catalogue.STAFF[:count]):
        local_id = staff_id(index)
        rows.add("app_care_personnel", CarePersLocalId=local_id, display_name=template.display_name,
                 professional_role=template.professional_role, active=1)
        awarded = days_between(rng, dt.date(2008, 1, 1), latest_award - dt.timedelta(days=900))
        for qualification in template.qualifications:
            rows.add("IDS902CarePersQual", CarePersLocalId=local_id, QualAttainLevelIAPT=qualification,
                     QualAwardedDate=iso(awarded))
            awarded = days_between(rng, awarded + dt.timedelta(days=180), latest_award)
        staff.append((local_id, template.kind))
    return staff


def add_patient(rows: DemoRows, rng: random.Random, local_id: str, nhs_number: str, referred: dt.date) -> PatientFacts:
    """One patient: demographics, contact details, GP, circumstances; ``referred`` is their first referral."""
    low, high = _AGE_BANDS.pick(rng)
    age = rng.randint(low, high)
    birth_date = referred - dt.timedelta(days=age * 365 + rng.randint(10, 355))
    gender = _GENDER.pick(rng)
    language = _LANGUAGE.pick(rng)
    has_number = rng.random() > 0.01
    rows.add(
        "IDS001MPI",
        LocalPatientId=local_id,
        OrgIDLocalPatientId=catalogue.PROVIDER_ODS,
        NHSNumber=nhs_number if has_number else None,
        NHSNumberStatus="01" if has_number else "03",
        PersonBirthDate=birth_date.isoformat(),
        Postcode=_postcode(rng) if rng.random() > 0.02 else None,
        Gender=gender,
        GenderIdentity=_gender_identity(rng, gender),
        GenderIdentitySameAtBirth=_SAME_AT_BIRTH.pick(rng),
        EthnicCategory=_ETHNICITY.pick(rng),
        EthnicCategory2021=None,  # code list unconfirmed: left empty
        ExBAFIndicator=_EX_FORCES.pick(rng),
        LanguageCodePreferred=language,
        EduEstabTypeIAPT=("3" if age < 23 and rng.random() < 0.4 else _EDUCATION.pick(rng)),
    )
    _add_contact_details(rows, rng, local_id, gender)
    earliest = max(birth_date, referred - dt.timedelta(days=7300))
    registered = days_between(rng, earliest, referred - dt.timedelta(days=30))
    rows.add("IDS002GP", LocalPatientId=local_id, GMPCodeReg=rng.choice(catalogue.GP_PRACTICES),
             StartDateGMPRegistration=iso(registered) if rng.random() > 0.05 else None)
    if rng.random() < 0.6:
        code, settled = _ACCOMMODATION.pick(rng), "Y" if rng.random() < 0.93 else "N"
        rows.add("IDS003AccommStatus", LocalPatientId=local_id, AccommodationType=code,
                 SettledAccommodationInd=settled, AccommodationTypeDate=iso(referred))
    employed = _add_employment(rows, rng, local_id, referred, age)
    _add_disabilities(rows, rng, local_id)
    _add_circumstances(rows, rng, local_id, referred, gender, age)
    if rng.random() < 0.01:
        overseas = code_list("OvsVisChCat")
        assert overseas is not None
        rows.add("IDS012OverseasVisitorChargCat", LocalPatientId=local_id,
                 OvsVisChCat=rng.choice(sorted(overseas.values())), OvsVisChCatAppDate=iso(referred))
    previous = rng.random() < 0.08
    if previous:
        diagnosed = days_between(rng, max(birth_date + dt.timedelta(days=16 * 365), referred - dt.timedelta(days=3650)),
                                 referred - dt.timedelta(days=90))
        rows.add("IDS601MedHistPrevDiag", LocalPatientId=local_id, DiagSchemeInUse="01",
                 PrevDiag=rng.choice(catalogue.PREVIOUS_DIAGNOSES), DiagDate=iso(diagnosed))
    return PatientFacts(local_id, birth_date, gender, language, employed, previous)


def _postcode(rng: random.Random) -> str:
    letters = catalogue.POSTCODE_INWARD_LETTERS
    inward = f"{rng.randint(1, 9)}{rng.choice(letters)}{rng.choice(letters)}"
    return f"{catalogue.POSTCODE_AREA}{rng.randint(1, 12)} {inward}"


def _gender_identity(rng: random.Random, gender: str) -> str | None:
    roll = rng.random()
    if roll < 0.25:
        return None
    if roll < 0.27:
        return "Z"
    if roll < 0.28:
        return "3"
    if roll < 0.283:
        return "4"
    return {"1": "1", "2": "2"}.get(gender, "X")


def _add_contact_details(rows: DemoRows, rng: random.Random, local_id: str, gender: str) -> None:
    names = {"1": catalogue.MALE_NAMES, "2": catalogue.FEMALE_NAMES}.get(gender, catalogue.NEUTRAL_NAMES)
    given = rng.choice(names)
    family = rng.choice(catalogue.FAMILY_NAMES)
    address = f"{rng.randint(1, 180)} {rng.choice(catalogue.STREETS)}, {rng.choice(catalogue.TOWNS)}"
    if rng.random() < 0.85:
        phone = f"{catalogue.MOBILE_PREFIX}{rng.randint(0, 999):03d}"
    else:
        phone = f"{catalogue.LANDLINE_PREFIX}{rng.randint(0, 999):03d}"
    email = ""
    if rng.random() < 0.7:
        handle = f"{given}.{family}".lower().replace("'", "")
        email = f"{handle}{rng.randint(1, 99)}@{catalogue.EMAIL_DOMAIN}"
    preferred = given[:3] if rng.random() < 0.05 and len(given) > 4 else ""
    rows.add("app_patient", LocalPatientId=local_id, given_name=given, family_name=family, preferred_name=preferred,
             address=address, phone=phone, email=email)


def _add_employment(rows: DemoRows, rng: random.Random, local_id: str, recorded: dt.date, age: int) -> bool:
    if rng.random() < 0.1:
        return False
    status = _EMPLOYMENT.pick(rng)
    if status == "08" and age < 55:
        status = "01"
    employed = status == "01"
    sick = employed and rng.random() < 0.15
    benefits = status in {"02", "04"} or (employed and rng.random() < 0.1)
    support = None
    support_referral = None
    if status in {"01", "02"}:
        support = "Y" if rng.random() < 0.1 else "N"
        if support == "Y":
            support_referral = iso(recorded)
    rows.add(
        "IDS004EmpStatus",
        LocalPatientId=local_id,
        EmployStatus=status,
        EmployStatusRecDate=iso(recorded),
        WeekHoursWorked=_HOURS.pick(rng) if employed else "98",
        SelfEmployInd=("Y" if rng.random() < 0.12 else "N") if employed else "8",
        SickAbsenceInd=("Y" if sick else "N") if employed else "8",
        SSPInd="Y" if sick and rng.random() < 0.6 else "N",
        BenefitRecInd="Y" if benefits else ("U" if rng.random() < 0.03 else "N"),
        ESAInd="Y" if status == "04" and rng.random() < 0.6 else "N",
        UCInd="Y" if (status == "02" and rng.random() < 0.8) or (employed and benefits) else "N",
        PIPInd="Y" if status == "04" and rng.random() < 0.4 else "N",
        EmpSupportInd=support,
        EmpSupportReferral=support_referral,
    )
    return employed


def _add_disabilities(rows: DemoRows, rng: random.Random, local_id: str) -> None:
    roll = rng.random()
    if roll < 0.15:
        return
    if roll < 0.68:
        codes = ["NN"]
    elif roll < 0.72:
        codes = ["ZZ"]
    else:
        codes = sorted({_DISABILITY.pick(rng) for _ in range(rng.choice((1, 1, 1, 2, 2, 3)))})
    for code in codes:
        rows.add("IDS007DisabilityType", LocalPatientId=local_id, DisabCode=code)


def _add_circumstances(rows: DemoRows, rng: random.Random, local_id: str, recorded: dt.date, gender: str,
                       age: int) -> None:
    if rng.random() < 0.8:
        religion = _RELIGION.pick(rng)
        rows.add("IDS011SocPerCircumstances", LocalPatientId=local_id, SocPerCircumstance=religion,
                 SocPerCircumstanceRecDate=iso(recorded))
    if rng.random() < 0.8:
        orientation = _ORIENTATION.pick(rng)
        if orientation == "38628009":
            orientation = {"1": "76102007", "2": "89217008"}.get(gender, orientation)
        rows.add("IDS011SocPerCircumstances", LocalPatientId=local_id, SocPerCircumstance=orientation,
                 SocPerCircumstanceRecDate=iso(recorded))
    if gender == "2" and age < 45 and rng.random() < 0.06:
        perinatal = [c.code for c in social_circumstances_in("Perinatal") if not c.suspect_precision_loss]
        if perinatal:
            rows.add("IDS011SocPerCircumstances", LocalPatientId=local_id, SocPerCircumstance=rng.choice(perinatal),
                     SocPerCircumstanceRecDate=iso(recorded))

