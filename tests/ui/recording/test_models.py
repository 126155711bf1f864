"""Every custom model of the recording screens passes pytest-qt's model tester."""

from __future__ import annotations

from sqlite_utils import Database

from iapt_desktop.domain.access import SYSTEM_USER
from iapt_desktop.storage.caseload_queries import CaseloadFilter
from iapt_desktop.ui.models.caseload_table_model import CaseloadTableModel
from iapt_desktop.ui.models.child_rows_model import ChildRowsModel
from iapt_desktop.ui.models.sessions_table_model import SessionsTableModel
from tests.storage.test_caseload_queries import fill


def test_caseload_model_with_pages_fetched_on_demand(qtmodeltester, db: Database) -> None:
    fill(db, 500)
    model = CaseloadTableModel(db, SYSTEM_USER, CaseloadFilter(mine_only=False), page_size=50)
    assert model.rowCount() == 50 and model.total == 500
    while model.canFetchMore():
        model.fetchMore()
    assert model.rowCount() == 500
    qtmodeltester.check(model)
    model.set_filter(CaseloadFilter(mine_only=False, search="jones"))
    assert model.total == 50
    qtmodeltester.check(model)


def test_child_rows_model(qtmodeltester) -> None:
    model = ChildRowsModel("IDS004EmpStatus", ["EmployStatus", "EmployStatusRecDate", "WeekHoursWorked"])
    model.set_rows([{"EmployStatus": "01", "EmployStatusRecDate": "2025-04-01"}, {"EmployStatus": "ZZ"}])
    assert model.data(model.index(0, 1)) == "01/04/2025"
    assert "Employed" in model.data(model.index(0, 0))
    qtmodeltester.check(model)


def test_sessions_model(qtmodeltester) -> None:
    model = SessionsTableModel()
    model.set_rows([{"CareContactId": "C1", "CareContDate": "2025-05-01", "CareContTime": "10:30:00",
                     "AppType": "01", "AttendOrDNACode": "5"}])
    assert model.care_contact_id(0) == "C1"
    assert model.data(model.index(0, 1)) == "10:30"
    qtmodeltester.check(model)
