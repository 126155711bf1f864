"""Fixed ingredients of the synthetic demo provider, declared as data.

Everything here is fictional: names from built-in lists, a postcode area
("XD") and organisation codes (prefix "X") that no real place or body uses,
phone numbers from Ofcom's drama ranges, e-mail at example.org, NHS numbers
from the 999 test range.  Clinical codes are real code-list values.
"""

from __future__ import annotations

from dataclasses import dataclass

# --- organisations ---------------------------------------------------------

PROVIDER_ODS = "XDM01"  # provider and submitter (3-6; also OrgIDLocalPatientId, 3-5)
COMMISSIONER_ODS = "XDC01"  # OrgIDComm, 3-5
ONWARD_ORGANISATIONS = ("XSM01", "XSM02", "XEW01")  # secondary care, community team (OrgIDReceiving, 3-5)
GP_PRACTICES = ("X81001", "X81002", "X81003", "X81004", "X81005", "X81006", "X81007", "X81008")
TREATMENT_SITES = ("XDM0101", "XDM0102")  # SiteIDOfTreat, 5-9
PRIMARY_SYSTEM = "IAPT Desktop"

# --- people ----------------------------------------------------------------

FEMALE_NAMES = (
    "Olivia", "Amelia", "Isla", "Ava", "Mia", "Grace", "Freya", "Lily", "Ella", "Sophie", "Chloe", "Aisha",
    "Priya", "Fatima", "Zara", "Hannah", "Ruth", "Margaret", "Susan", "Helen", "Niamh", "Siobhan", "Megan",
    "Bethan", "Rhiannon", "Ngozi", "Amara", "Mei", "Ewa", "Agnieszka", "Maria", "Elena", "Yasmin", "Leah",
    "Joanne", "Claire", "Karen", "Deborah", "Patricia", "Jasmine",
)
MALE_NAMES = (
    "Oliver", "George", "Noah", "Arthur", "Leo", "Harry", "Jack", "Thomas", "James", "William", "Mohammed",
    "Omar", "Ali", "Arjun", "Rohan", "Daniel", "David", "Peter", "Michael", "Stephen", "Gareth", "Rhys",
    "Callum", "Liam", "Sean", "Kwame", "Chidi", "Wei", "Tomasz", "Piotr", "Luca", "Mateo", "Ibrahim",
    "Adam", "Paul", "Mark", "Richard", "Graham", "Kevin", "Samuel",
)
NEUTRAL_NAMES = ("Alex", "Sam", "Charlie", "Jordan", "Robin", "Jamie", "Morgan", "Riley", "Kai", "Ash")
FAMILY_NAMES = (
    "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel", "Robinson",
    "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Thomas", "Clarke",
    "Jackson", "Wood", "Harris", "Edwards", "Turner", "Martin", "Cooper", "Hill", "Ward", "Hughes",
    "Moore", "Clark", "King", "Harrison", "Lewis", "Baker", "Lee", "Allen", "Morris", "Khan",
    "Ahmed", "Ali", "Begum", "Hussain", "Singh", "Kaur", "Shah", "Okafor", "Mensah", "Adeyemi",
    "Chen", "Wong", "Nowak", "Kowalski", "Rossi", "Murphy", "O'Brien", "Kelly", "MacDonald", "Campbell",
    "Stewart", "Reid", "Fraser", "Lloyd", "Price", "Morgan", "Bennett", "Carter", "Mitchell", "Shaw",
)
STREETS = (
    "Larch Close", "Mill Lane", "Station Road", "Church Street", "Victoria Road", "Orchard Way",
    "Meadow View", "Kestrel Drive", "Chapel Row", "Harbour Street", "Willow Grove", "Beacon Hill",
    "Quarry Lane", "Foundry Court", "Canal Walk", "Rowan Crescent", "Elm Terrace", "Market Place",
)
TOWNS = ("Dunmere", "Hollinsford", "Kestleby", "Marrowgate", "Wexcombe", "Brackenholt")
POSTCODE_AREA = "XD"  # not a real UK postcode area
POSTCODE_INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # letters used in inward codes
MOBILE_PREFIX = "07700 900"  # Ofcom drama range 07700 900000-900999
LANDLINE_PREFIX = "0113 496 0"  # Ofcom drama range 0113 496 0000-0999
EMAIL_DOMAIN = "example.org"


@dataclass(frozen=True)
class StaffTemplate:
    display_name: str
    professional_role: str
    kind: str  # "low", "high" or "counselling": which therapies the person delivers
    qualifications: tuple[str, ...]  # QualAttainLevelIAPT codes (labels unconfirmed)


STAFF = (
    StaffTemplate("Hannah Fielding", "PWP", "low", ("10",)),
    StaffTemplate("Marcus Doyle", "High intensity therapist", "high", ("12", "30")),
    StaffTemplate("Priya Raman", "Counsellor", "counselling", ("14",)),
    StaffTemplate("Tom Ashworth", "PWP", "low", ("10", "11")),
    StaffTemplate("Grace Okoro", "High intensity therapist", "high", ("13",)),
    StaffTemplate("Eleanor Marsh", "Counsellor", "counselling", ("15",)),
    StaffTemplate("Daniel Kerr", "PWP", "low", ("11",)),
    StaffTemplate("Sofia Lindqvist", "High intensity therapist", "high", ("12",)),
)

# --- clinical --------------------------------------------------------------


@dataclass(frozen=True)
class Complaint:
    """A presenting complaint (ICD-10, FindSchemeInUse 01) and its anxiety-disorder specific measure."""

    code: str
    weight: int
    adsm: str | None  # SNOMED CT of the ADSM used for this complaint, None: GAD-7 only


COMPLAINTS = (
    Complaint("F32.1", 22, None),  # moderate depressive episode
    Complaint("F32.0", 6, None),  # mild depressive episode
    Complaint("F33.1", 6, None),  # recurrent depressive disorder, moderate
    Complaint("F41.1", 22, None),  # generalised anxiety disorder
    Complaint("F41.2", 16, None),  # mixed anxiety and depressive disorder
    Complaint("F41.0", 7, "450326007"),  # panic disorder -> PDSS
    Complaint("F40.1", 6, "445552006"),  # social phobia -> SPIN
    Complaint("F42.2", 4, "450324005"),  # OCD -> OCI
    Complaint("F43.1", 6, "491581000000104"),  # PTSD -> PCL-5
    Complaint("F45.2", 3, "446793008"),  # hypochondriacal disorder -> HAI
    Complaint("F40.2", 2, None),  # specific phobia
)

LONG_TERM_CONDITIONS = ("E11.9", "E10.9", "J45.9", "J44.9", "I25.9", "K58.9", "M79.7", "G43.9", "M54.5")
PREVIOUS_DIAGNOSES = ("F32.1", "F41.1", "F33.1", "F43.1", "F50.2")  # IDS601 (scheme 01, unconfirmed)

# Caseness thresholds and item structure of the measures the demo records.
# PHQ-9 and GAD-7 thresholds are the programme's; ADSM thresholds are the
# commonly quoted ones and are (unconfirmed) — used here only to shape
# plausible synthetic trajectories, never for metrics.


@dataclass(frozen=True)
class MeasureShape:
    code: str
    items: int
    item_maximum: int
    caseness: int  # at or above this score is "at caseness"


MEASURE_SHAPES = {
    "720433000": MeasureShape("720433000", 9, 3, 10),  # PHQ-9
    "445455005": MeasureShape("445455005", 7, 3, 8),  # GAD-7
    "450326007": MeasureShape("450326007", 7, 4, 8),  # PDSS (unconfirmed threshold)
    "445552006": MeasureShape("445552006", 17, 4, 19),  # SPIN (unconfirmed threshold)
    "450324005": MeasureShape("450324005", 42, 4, 40),  # OCI (unconfirmed threshold)
    "491581000000104": MeasureShape("491581000000104", 20, 4, 32),  # PCL-5 (unconfirmed threshold)
    "446793008": MeasureShape("446793008", 18, 3, 18),  # HAI short (unconfirmed threshold)
}

WSAS_ITEMS = ("932621000000100", "932581000000100", "932611000000106", "932591000000103", "932601000000109")
ASSESSMENT_PEQ_CHOICE = ("747861000000100", "747871000000107", "747881000000109", "904691000000103")
ASSESSMENT_PEQ_SATISFACTION = "747891000000106"
TREATMENT_PEQ = (
    "747901000000107", "747911000000109", "747921000000103",
    "747931000000101", "747941000000105", "747951000000108",
)

LOW_INTENSITY_THERAPIES = (
    ("748051000000105", 40), ("748041000000107", 25), ("748061000000108", 8), ("702545008", 5),
    ("1026111000000108", 12), ("748101000000105", 5), ("748091000000102", 5),
)
HIGH_INTENSITY_THERAPIES = (("304891004", 55), ("443730003", 8), ("449030000", 10), ("1127281000000100", 7),
                            ("314034001", 5), ("933221000000107", 5), ("842901000000108", 5),
                            ("1026131000000100", 5))
COUNSELLING_THERAPIES = (("286711000000107", 80), ("1129471000000105", 10), ("314034001", 10))
# Internet-enabled therapy programmes (IntEnabledTherProg, max 20, letters, digits and hyphens),
# by the SNOMED CT of the complaint's ADSM; anything else uses the first.
INTERNET_PROGRAMMES = {None: "SilverCloud", "450324005": "OCD-NET", "445552006": "iCT-SAD",
                       "491581000000104": "iCT-PTSD"}

# Accommodation type codes for IDS003 are not in the reference pack: these
# follow the NHS Data Dictionary ACCOMMODATION TYPE element as read by us
# and are (unconfirmed).
ACCOMMODATION_TYPES = (("01", 38), ("02", 17), ("03", 25), ("04", 16), ("05", 4))

# Religions (IDS011 SNOMED CT codes with public labels), weighted roughly as
# in an English town; sexual orientation codes as NHS England labels them.
RELIGIONS = (
    ("160549006", 33), ("271448006", 6), ("160540005", 8), ("160558004", 2), ("160557009", 1),  # Christian etc.
    ("160562005", 2), ("309884000", 7), ("64988008", 2), ("160545000", 2), ("366740002", 1.5),
    ("160543007", 1), ("309687009", 1), ("429171004", 0.5),
    ("160542002", 13), ("160567004", 6),  # atheist, agnostic
)
SEXUAL_ORIENTATIONS = (
    ("20430005", 82), ("42035005", 4), ("38628009", 1), ("699042003", 4), ("1064711000000108", 1),
    ("440583007", 1), ("765288000", 0.5),
)
