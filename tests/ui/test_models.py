"""The table models: paged household rows, SQL sorting, in-place refresh; qtmodeltester."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt

from app.registry.dto import CompoundFilter, HouseholdFilter, HouseholdSort
from app.services import Services
from ui.models import ID_ROLE, ROW_ROLE
from ui.models.compound_model import CompoundColumn, CompoundTableModel
from ui.models.household_model import PAGE_SIZE, HouseholdColumn, HouseholdTableModel

COL = list(HouseholdColumn).index


def test_compound_model_passes_modeltester(qtmodeltester, demo_services: Services) -> None:
    model = CompoundTableModel()
    model.set_rows(demo_services.compounds.list_compounds())
    qtmodeltester.check(model)
    assert model.rowCount() == 15
    assert model.headerData(0, Qt.Orientation.Horizontal) == "楼院名称"
    first = model.compound_at(0)
    assert first is not None
    assert model.data(model.index(0, 0)) == first.name
    assert model.data(model.index(0, 0), ID_ROLE) == first.id
    col = list(CompoundColumn).index(CompoundColumn.HOUSEHOLDS)
    assert model.data(model.index(0, col)) == str(first.households)


def test_compound_model_same_rows_update_in_place(qtbot, demo_services: Services) -> None:
    model = CompoundTableModel()
    rows = demo_services.compounds.list_compounds()
    model.set_rows(rows)
    with qtbot.assertNotEmitted(model.modelReset), qtbot.waitSignal(model.dataChanged):
        model.set_rows(rows)
    with qtbot.waitSignal(model.modelReset):
        model.set_rows(rows[:3])
    assert model.rowCount() == 3


def test_household_model_passes_modeltester(qtmodeltester, demo_services: Services) -> None:
    model = HouseholdTableModel(demo_services.households)
    model.set_filter(HouseholdFilter())
    assert model.rowCount() == 600
    qtmodeltester.check(model)


def test_household_model_loads_pages_on_demand(demo_services: Services) -> None:
    calls: list[int] = []
    service = demo_services.households
    real = service.household_rows

    def counting(ids):  # type: ignore[no-untyped-def]
        calls.append(len(ids))
        return real(ids)

    service.household_rows = counting  # type: ignore[method-assign]
    model = HouseholdTableModel(service)
    model.set_filter(HouseholdFilter())
    assert calls == []
    model.data(model.index(0, 0))
    model.data(model.index(5, 2))
    assert calls == [PAGE_SIZE]
    model.data(model.index(PAGE_SIZE + 1, 0))
    assert calls == [PAGE_SIZE, PAGE_SIZE]


def test_household_model_formats_cells(demo_services: Services) -> None:
    model = HouseholdTableModel(demo_services.households)
    model.set_filter(HouseholdFilter())
    row = model.data(model.index(0, 0), ROW_ROLE)
    assert model.data(model.index(0, COL(HouseholdColumn.LOCATION))) == row.location
    assert "号楼" in row.location
    area = model.data(model.index(0, COL(HouseholdColumn.AREA)))
    assert area == f"{row.area:.2f}" and len(area.split(".")[1]) == 2
    masked = model.data(model.index(0, COL(HouseholdColumn.ID_NUMBER)))
    assert masked == row.id_number_masked
    assert masked == "" or "*" in masked


def test_household_model_sort_goes_to_sql(demo_services: Services) -> None:
    compound = demo_services.compounds.list_compounds(CompoundFilter())[0]
    flt = HouseholdFilter(compound_id=compound.id)
    model = HouseholdTableModel(demo_services.households)
    model.set_filter(flt)
    model.sort(COL(HouseholdColumn.AREA), Qt.SortOrder.DescendingOrder)
    expected = demo_services.households.household_ids(flt, HouseholdSort.AREA, True)
    got = [model.household_id(n) for n in range(model.rowCount())]
    assert got == expected
    areas = [model.household_at(n).area for n in range(model.rowCount())]  # type: ignore[union-attr]
    assert areas == sorted(areas, reverse=True)
    model.sort(COL(HouseholdColumn.PHONE))  # no SQL order for it: unchanged
    assert [model.household_id(n) for n in range(model.rowCount())] == expected


def test_household_model_refresh_rows_after_edit(qtbot, demo_services: Services) -> None:
    model = HouseholdTableModel(demo_services.households)
    model.set_filter(HouseholdFilter())
    hid = model.household_id(3)
    assert hid is not None
    assert model.household_at(3) is not None
    detail = demo_services.households.get_household(hid)
    from dataclasses import replace

    demo_services.households.save_household(hid, replace(detail.data, area="99.5"))
    with qtbot.assertNotEmitted(model.modelReset), qtbot.waitSignal(model.dataChanged):
        model.refresh_rows([hid])
    assert model.data(model.index(3, COL(HouseholdColumn.AREA))) == "99.50"
    assert model.household_at(3).area == Decimal("99.50")  # type: ignore[union-attr]

    demo_services.households.delete_household(hid)
    with qtbot.waitSignal(model.rowsRemoved):
        model.refresh_rows([hid])
    assert model.rowCount() == 599
    assert model.row_of(hid) == -1


def test_household_view_sort_asks_sql_once_and_resorts_a_search_by_ids(
    qtbot, demo_services: Services
) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QTableView

    service = demo_services.households
    calls: list[object] = []
    real = service.household_ids

    def counting(flt, sort=HouseholdSort.LOCATION, descending=False, within=None):  # type: ignore[no-untyped-def]
        calls.append(within)
        return real(flt, sort, descending, within=within)

    service.household_ids = counting  # type: ignore[method-assign]
    model = HouseholdTableModel(service)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.setSortingEnabled(True)
    model.set_filter(HouseholdFilter(text="10"))
    found = [model.household_id(n) for n in range(model.rowCount())]
    calls.clear()
    view.sortByColumn(COL(HouseholdColumn.HOUSEHOLDER), Qt.SortOrder.DescendingOrder)
    assert calls == [found]  # one query, over the ids on screen
    expected = real(HouseholdFilter(text="10"), HouseholdSort.NAME, True)
    assert [model.household_id(n) for n in range(model.rowCount())] == expected


def test_user_model_passes_modeltester(qtmodeltester, demo_services: Services) -> None:
    from ui.models.user_model import UserColumn, UserTableModel

    model = UserTableModel()
    users = demo_services.users.list_users()
    model.set_rows(users)
    qtmodeltester.check(model)
    assert model.rowCount() == len(users) > 0
    assert model.headerData(0, Qt.Orientation.Horizontal) == "用户名"
    state = list(UserColumn).index(UserColumn.STATE)
    assert model.data(model.index(0, 0)) == users[0].username
    assert model.data(model.index(0, state)) in {"正常", "已停用"} or "锁定至" in str(
        model.data(model.index(0, state))
    )
    assert model.data(model.index(0, 0), ROW_ROLE) == users[0]


def test_governance_rows_model_passes_modeltester(qtmodeltester, demo_services: Services) -> None:
    from ui.governance.problems_page import PROBLEM_COLUMNS
    from ui.governance.rows_model import SORT_ROLE, WARN_BRUSH, RowsModel

    problems = demo_services.governance.problems.list_problems()
    model = RowsModel(PROBLEM_COLUMNS, lambda r: r.overdue)
    model.set_rows(problems)
    qtmodeltester.check(model)
    assert model.rowCount() == len(problems) > 0
    overdue = next(n for n, r in enumerate(problems) if r.overdue)
    background = model.data(model.index(overdue, 0), Qt.ItemDataRole.BackgroundRole)
    assert background == WARN_BRUSH
    reported = next(n for n, c in enumerate(PROBLEM_COLUMNS) if c.title == "上报日期")
    assert model.data(model.index(0, reported)) == f"{problems[0].reported_on:%Y-%m-%d}"
    assert model.data(model.index(0, reported), SORT_ROLE) == str(problems[0].reported_on)


def test_scheme_and_expense_models_pass_modeltester(qtmodeltester, demo_services: Services) -> None:
    from ui.models.fee_models import expense_model, scheme_model

    fees = demo_services.fees
    schemes = scheme_model()
    rows = fees.schemes.list_schemes()
    schemes.set_rows(rows)
    qtmodeltester.check(schemes)
    assert schemes.rowCount() == len(rows) > 0
    assert schemes.data(schemes.index(0, 0), ROW_ROLE) == rows[0]
    assert schemes.data(schemes.index(0, 0), ID_ROLE) == rows[0].id
    expenses = expense_model()
    cid = rows[0].compound_id
    spent = fees.expenses.list_expenses(cid)
    expenses.set_rows(spent)
    qtmodeltester.check(expenses)
    assert expenses.rowCount() == len(spent) > 0
    assert expenses.data(expenses.index(0, 0), ROW_ROLE) == spent[0]
