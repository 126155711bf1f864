"""The IAPT data set v2.1 as data: its tables, columns, types, keys and parent links.

Everything is read once from ``resources/dataset/columns.csv`` (derived from the
national reference) and shared by storage, validation, import/export and the UI.
"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from enum import Enum

from iapt_desktop.paths import resource

DATASET_VERSION = "2.1"
APP_COLUMN_PREFIX = "app_"
ROW_ID = "app_row_id"  # surrogate key of tables that have no key of their own


class ColumnType(Enum):
    TEXT = "str"
    DATE = "date"  # YYYY-MM-DD
    TIME = "time"  # HH:MM:SS (Access stores it on 1899-12-30)
    DATETIME = "datetime"  # YYYY-MM-DD HH:MM:SS
    INTEGER = "int"


@dataclass(frozen=True)
class Column:
    table: str
    ordinal: int
    name: str
    type: ColumnType
    min_length: int | None
    max_length: int | None
    format: str
    obligation: str  # M, R, O, P as in the data set ("(inferred)" kept where it is inferred)
    data_dictionary_name: str
    uid: str

    @property
    def mandatory(self) -> bool:
        return self.obligation.startswith("M")

    @property
    def unconfirmed(self) -> bool:
        return "unconfirmed" in (self.format + self.obligation).lower()


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]  # the data set's own key; () when it has none
    parent: str | None  # parent table
    parent_column: str | None  # column in this table that points at the parent's key
    unique_together: tuple[str, ...] = ()  # key that is unique with a second column

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(f"{self.name} has no column {name}")

    @property
    def has_own_key(self) -> bool:
        return len(self.primary_key) == 1

    @property
    def storage_key(self) -> str:
        """The column that identifies a stored row: the data set key, or the app row id."""
        return self.primary_key[0] if self.has_own_key else ROW_ID


# Keys and parent links of the 21 tables (data set reference, section 4).
_KEYS: dict[str, tuple[tuple[str, ...], str | None, str | None, tuple[str, ...]]] = {
    "IDS000Header": ((), None, None, ()),
    "IDS001MPI": (("LocalPatientId",), None, None, ()),
    "IDS002GP": ((), "IDS001MPI", "LocalPatientId", ()),
    "IDS003AccommStatus": ((), "IDS001MPI", "LocalPatientId", ()),
    "IDS004EmpStatus": ((), "IDS001MPI", "LocalPatientId", ()),
    "IDS007DisabilityType": ((), "IDS001MPI", "LocalPatientId", ()),
    "IDS011SocPerCircumstances": ((), "IDS001MPI", "LocalPatientId", ()),
    "IDS012OverseasVisitorChargCat": ((), "IDS001MPI", "LocalPatientId", ()),
    "IDS101Referral": (("ServiceRequestId",), "IDS001MPI", "LocalPatientId", ()),
    "IDS105OnwardReferral": ((), "IDS101Referral", "ServiceRequestId", ()),
    "IDS108WaitingTimePauses": ((), "IDS101Referral", "ServiceRequestId", ("ServiceRequestId", "PauseID")),
    "IDS201CareContact": (("CareContactId",), "IDS101Referral", "ServiceRequestId", ()),
    "IDS202CareActivity": (("CareActId",), "IDS201CareContact", "CareContactId", ()),
    "IDS205InternetTherLog": ((), "IDS101Referral", "ServiceRequestId", ()),
    "IDS601MedHistPrevDiag": ((), "IDS001MPI", "LocalPatientId", ()),
    "IDS602LongTermCondition": ((), "IDS101Referral", "ServiceRequestId", ()),
    "IDS603PresentingComplaints": ((), "IDS101Referral", "ServiceRequestId", ()),
    "IDS606CodedScoreAssessmentRefer": ((), "IDS101Referral", "ServiceRequestId", ()),
    "IDS607CodedScoreAssessmentAct": ((), "IDS202CareActivity", "CareActId", ()),
    "IDS803CareCluster": ((), "IDS001MPI", "LocalPatientId", ()),
    "IDS902CarePersQual": ((), None, None, ("CarePersLocalId", "QualAttainLevelIAPT")),
}


def _int_or_none(text: str) -> int | None:
    return int(text) if text.strip() else None


@functools.cache
def tables() -> dict[str, Table]:
    """All 21 tables, in submission order, keyed by technical name."""
    by_table: dict[str, list[Column]] = {}
    with open(resource("dataset", "columns.csv"), newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            by_table.setdefault(row["table"], []).append(
                Column(
                    table=row["table"],
                    ordinal=int(row["ordinal"]),
                    name=row["column"],
                    type=ColumnType(row["type"]),
                    min_length=_int_or_none(row["min_length"]),
                    max_length=_int_or_none(row["max_length"]),
                    format=row["format"],
                    obligation=row["obligation"],
                    data_dictionary_name=row["data_dictionary_name"],
                    uid=row["uid"],
                )
            )
    result: dict[str, Table] = {}
    for name, columns in by_table.items():
        key, parent, parent_column, unique = _KEYS[name]
        result[name] = Table(
            name=name,
            columns=tuple(sorted(columns, key=lambda c: c.ordinal)),
            primary_key=key,
            parent=parent,
            parent_column=parent_column,
            unique_together=unique,
        )
    return result


def table(name: str) -> Table:
    try:
        return tables()[name]
    except KeyError:
        raise KeyError(f"{name!r} is not a table of the IAPT data set v{DATASET_VERSION}") from None


def table_names() -> tuple[str, ...]:
    return tuple(tables())


def children(name: str) -> tuple[Table, ...]:
    """Tables whose parent is ``name``."""
    return tuple(t for t in tables().values() if t.parent == name)


def parent_first_order() -> tuple[str, ...]:
    """Table names ordered so that every parent comes before its children."""
    ordered: list[str] = []
    pending = list(tables().values())
    while pending:
        for item in list(pending):
            if item.parent is None or item.parent in ordered:
                ordered.append(item.name)
                pending.remove(item)
    return tuple(ordered)
