"""The main window on the demo database, driven like a clerk would."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from qt_typing import type_text

from app.registry.dto import CompoundFilter, HouseholdFilter, HouseholdSort
from app.services import Services
from app.text import pinyin_of
from ui import dialogs, settings
from ui.main_window import MainWindow
from ui.models.household_model import HouseholdColumn
from ui.registry_page import SCOPE_HOUSEHOLDS, RegistryPage
from ui.settings import Settings

HCOL = list(HouseholdColumn).index


@pytest.fixture
def window(qtbot, demo_services: Services, prefs: Settings) -> Iterator[MainWindow]:
    w = MainWindow(demo_services, prefs)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    yield w


@pytest.fixture
def page(qtbot, window: MainWindow) -> RegistryPage:  # type: ignore[no-untyped-def]
    listed(qtbot, window.registry_page)
    return window.registry_page


def listed(qtbot, page: RegistryPage) -> None:  # type: ignore[no-untyped-def]
    """Wait until the household list's query (run in the background) has landed."""
    qtbot.waitUntil(lambda: not page.household_model.loading)


def click_row(qtbot, view, row: int, *, double: bool = False) -> None:  # type: ignore[no-untyped-def]
    rect = view.visualRect(view.model().index(row, 0))
    action = qtbot.mouseDClick if double else qtbot.mouseClick
    if double:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    action(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def visible_names(page: RegistryPage) -> list[str]:
    model = page.compound_model
    return [model.compound_at(n).name for n in range(model.rowCount())]  # type: ignore[union-attr]


def test_window_opens_on_demo_data(qtbot, window: MainWindow, page: RegistryPage) -> None:
    assert page.compound_model.rowCount() == 15
    assert "演示数据库" in window.database_label.text()
    assert "t.sqlite3" in window.database_label.text()
    assert "楼院 15 个" in window.counts_label.text()
    assert window.nav.item(0).text() == "楼院台账"
    # The first compound is selected and its households are listed.
    assert page.selected_compound_id() is not None
    assert page.household_model.rowCount() > 0


def test_pinyin_search_finds_compound(qtbot, page: RegistryPage, demo_services: Services) -> None:
    name = "纺织厂家属院"
    query = pinyin_of(name)[1][:3]  # its initials, "fzc"
    expected = [r.name for r in demo_services.compounds.list_compounds(CompoundFilter(text=query))]
    assert name in expected and len(expected) < 15
    qtbot.keyClicks(page.search_edit, query)
    qtbot.waitUntil(lambda: visible_names(page) == expected)
    assert page.info.title.text() == expected[0]


def test_ctrl_f_focuses_the_one_search_box(qtbot, window: MainWindow, page: RegistryPage) -> None:
    page.compound_view.setFocus()
    window.activateWindow()
    qtbot.keyClick(page.compound_view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(window.search_box.hasFocus)
    window.nav.setCurrentRow(window.nav.count() - 1)  # another section: Ctrl+F works there too
    window.nav.setFocus()
    qtbot.keyClick(window.nav, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(window.search_box.hasFocus)


def test_select_compound_lists_its_households(qtbot, page: RegistryPage) -> None:
    click_row(qtbot, page.compound_view, 4)
    compound = page.compound_model.compound_at(4)
    assert compound is not None
    assert page.selected_compound_id() == compound.id
    listed(qtbot, page)
    assert page.household_model.rowCount() == compound.households
    assert page.info.title.text() == compound.name
    assert page.household_count_label.text() == f"共 {compound.households} 户"
    assert page.building_combo.count() == compound.buildings + 1  # 全部楼栋 + each building
    page.building_combo.setCurrentIndex(1)
    listed(qtbot, page)
    assert 0 < page.household_model.rowCount() < compound.households


def test_header_click_sorts_by_name_in_sql(
    qtbot, page: RegistryPage, demo_services: Services
) -> None:
    compound_id = page.selected_compound_id()
    header = page.household_view.horizontalHeader()
    section = HCOL(HouseholdColumn.HOUSEHOLDER)
    pos = QPoint(
        header.sectionViewportPosition(section) + header.sectionSize(section) // 2,
        header.height() // 2,
    )
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    listed(qtbot, page)
    assert page.household_model.current_sort[0] is HouseholdSort.NAME
    descending = page.household_model.current_sort[1]
    expected = demo_services.households.household_ids(
        HouseholdFilter(compound_id=compound_id), HouseholdSort.NAME, descending
    )
    model = page.household_model
    assert [model.household_id(n) for n in range(model.rowCount())] == expected


def test_global_household_search_by_initials(
    qtbot, page: RegistryPage, demo_services: Services
) -> None:
    some = demo_services.households.household_rows(
        demo_services.households.household_ids(HouseholdFilter())[100:101]
    )[0]
    initials = pinyin_of(some.householder_name)[1]
    expected = demo_services.households.household_ids(HouseholdFilter(text=initials))
    page.scope_combo.setCurrentIndex(SCOPE_HOUSEHOLDS)
    qtbot.keyClicks(page.search_edit, initials)
    qtbot.waitUntil(lambda: page.household_model.rowCount() == len(expected))
    assert page.selected_compound_id() is None
    assert page.compound_model.rowCount() == 15  # the text does not filter compounds here
    model = page.household_model
    assert some.id in [model.household_id(n) for n in range(model.rowCount())]
    assert not page.household_view.isColumnHidden(HCOL(HouseholdColumn.COMPOUND))
    assert f"找到 {len(expected)} 户" in page.household_count_label.text()
    # Clicking a compound narrows the search to it.
    click_row(qtbot, page.compound_view, 0)
    listed(qtbot, page)
    narrowed = page.household_model.current_filter
    assert narrowed is not None and narrowed.compound_id is not None
    assert narrowed.text == initials


def test_delete_compound_asks_with_household_count(
    qtbot, page: RegistryPage, demo_services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []
    answer = [False]

    def fake_confirm(_parent: QWidget | None, _title: str, text: str) -> bool:
        asked.append(text)
        return answer[0]

    monkeypatch.setattr(dialogs, "confirm", fake_confirm)
    compound = page.compound_model.compound_at(0)
    assert compound is not None and compound.households > 0
    qtbot.mouseClick(page.delete_compound_button, Qt.MouseButton.LeftButton)
    assert len(asked) == 1 and f"{compound.households} 户" in asked[0]
    assert page.compound_model.rowCount() == 15  # said no: nothing deleted

    answer[0] = True
    qtbot.mouseClick(page.delete_compound_button, Qt.MouseButton.LeftButton)
    assert page.compound_model.rowCount() == 14
    assert compound.id not in [r.id for r in demo_services.compounds.list_compounds()]
    assert page.selected_compound_id() is not None  # moved on to another compound


def test_delete_household_after_confirmation(
    qtbot, page: RegistryPage, demo_services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dialogs, "confirm", lambda *_a: True)
    before = page.household_model.rowCount()
    click_row(qtbot, page.household_view, 2)
    hid = page.selected_household_id()
    assert hid is not None and page.delete_household_button.isEnabled()
    qtbot.mouseClick(page.delete_household_button, Qt.MouseButton.LeftButton)
    assert page.household_model.rowCount() == before - 1
    assert page.household_model.row_of(hid) == -1

    def counted() -> int | None:  # the compound's figures are counted again off-thread
        row = page.compound_model.compound_at(page.compound_view.currentIndex().row())
        return row.households if row is not None else None

    qtbot.waitUntil(lambda: counted() == before - 1)
    qtbot.waitUntil(lambda: page.info.values["楼栋/住户"].text().endswith(f" {before - 1} 户"))


def test_a_household_changed_elsewhere_is_not_deleted_from_a_stale_list(
    qtbot, page: RegistryPage, demo_services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The list shows a household; another window saves it (a new phone); 删除住户 from this
    list is refused with the stale-write message, the household stays and shows the phone."""
    monkeypatch.setattr(dialogs, "confirm", lambda *_a: True)
    errors: list[str] = []
    monkeypatch.setattr(dialogs, "error", lambda _p, message, *a, **k: errors.append(message))
    click_row(qtbot, page.household_view, 2)
    hid = page.selected_household_id()
    assert hid is not None
    service = demo_services.households
    detail = service.get_household(hid)
    edited = replace(detail.data, phone="13900001111")
    service.save_household(hid, edited, expected_version=detail.version)
    qtbot.mouseClick(page.delete_household_button, Qt.MouseButton.LeftButton)
    assert len(errors) == 1 and "已被他人修改" in errors[0]
    assert service.get_household(hid).data.phone == "13900001111"
    row = page.household_model.row_of(hid)
    assert row >= 0
    qtbot.waitUntil(lambda: page.household_model.household_at(row).phone == "13900001111")  # type: ignore[union-attr]


def test_window_remembers_geometry_and_columns(
    qtbot, demo_services: Services, prefs: Settings
) -> None:
    w = MainWindow(demo_services, prefs)
    qtbot.addWidget(w)
    w.show()
    w.resize(1000, 700)
    w.registry_page.household_view.setColumnWidth(HCOL(HouseholdColumn.HOUSEHOLDER), 171)
    w.close()
    assert not prefs.get(settings.WINDOW_GEOMETRY).isEmpty()
    again = MainWindow(demo_services, prefs)
    qtbot.addWidget(again)
    assert again.registry_page.household_view.columnWidth(HCOL(HouseholdColumn.HOUSEHOLDER)) == 171
    # The offscreen screen is small and may clamp the size; the height is kept.
    assert abs(again.size().height() - w.size().height()) <= 10


def _edit_in_dialog(qtbot, area: str) -> list[str]:  # type: ignore[no-untyped-def]
    """When the household editor opens: type a new area by keyboard and save."""
    seen: list[str] = []

    def act() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QDialog) or not hasattr(dialog, "area_edit"):
            QTimer.singleShot(20, act)
            return
        seen.append(dialog.windowTitle())
        edit = dialog.area_edit
        edit.setFocus()
        qtbot.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        qtbot.keyClicks(edit, area)
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, act)
    return seen


@pytest.mark.parametrize("how", ["enter", "double_click"])
def test_edit_household_area_shows_in_list(qtbot, page: RegistryPage, how: str) -> None:
    pytest.importorskip("ui.household_dialog")
    view = page.household_view
    click_row(qtbot, view, 1)
    hid = page.selected_household_id()
    seen = _edit_in_dialog(qtbot, "88.8")
    if how == "enter":
        qtbot.keyClick(view, Qt.Key.Key_Return)
    else:
        click_row(qtbot, view, 1, double=True)
    assert seen, "the household editor did not open"
    row = page.household_model.row_of(hid)  # type: ignore[arg-type]
    cell = page.household_model.index(row, HCOL(HouseholdColumn.AREA))
    assert page.household_model.data(cell) == "88.80"


def test_community_grid_and_mode_filters(
    qtbot, page: RegistryPage, demo_services: Services
) -> None:
    bar = page.filter_bar
    community = demo_services.compounds.communities()[1]
    bar.community_combo.setCurrentIndex(bar.community_combo.findData(community.id))
    names = {
        page.compound_model.compound_at(n).community_name  # type: ignore[union-attr]
        for n in range(page.compound_model.rowCount())
    }
    assert names == {community.name}
    grids = demo_services.compounds.grids(community.id)
    assert bar.grid_combo.count() == len(grids) + 1  # 全部网格 + the community's grids
    bar.mode_combo.setCurrentIndex(bar.mode_combo.findData("无主管"))
    expected = demo_services.compounds.list_compounds(
        CompoundFilter(community_id=community.id, management_mode="无主管")
    )
    assert visible_names(page) == [r.name for r in expected]


def test_export_starts_from_what_the_registry_shows(
    qtbot, window: MainWindow, page: RegistryPage, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """导出花名册… with a community chosen offers the compounds listed (the highlighted one
    ticked under 选定的楼院); without a filter, everything; a filter that lists nothing
    cannot be chosen."""
    from ui.export_dialog import ExportDialog

    opened: list[ExportDialog] = []
    monkeypatch.setattr(ExportDialog, "exec", lambda self: opened.append(self) or 0)
    export = window.roster_actions.export_action
    combo = page.filter_bar.community_combo
    combo.setCurrentIndex(1)  # the first community
    listed = page.compound_model.compound_ids()
    assert 0 < len(listed) < len(window._services.compounds.list_compounds())
    click_row(qtbot, page.compound_view, 1)
    export.trigger()
    dialog = opened[-1]
    assert not dialog.listed_radio.isHidden() and dialog.listed_radio.isChecked()
    assert f"（{len(listed)} 个）" in dialog.listed_radio.text()
    assert dialog.chosen_ids() == listed
    dialog.some_radio.setChecked(True)
    assert dialog.list.isEnabled() and dialog.chosen_ids() == [listed[1]]
    combo.setCurrentIndex(0)  # 全部社区: no filter
    click_row(qtbot, page.compound_view, 2)
    chosen = page.selected_compound_id()
    export.trigger()
    dialog = opened[-1]
    assert dialog.listed_radio.isHidden() and dialog.all_radio.isChecked()
    assert dialog.chosen_ids() is None and not dialog.list.isEnabled()
    dialog.some_radio.setChecked(True)
    assert dialog.chosen_ids() == [chosen]
    type_text(qtbot, page.search_edit, "没有这个楼院")
    qtbot.waitUntil(lambda: page.compound_model.rowCount() == 0)
    export.trigger()
    dialog = opened[-1]
    assert not dialog.listed_radio.isHidden() and not dialog.listed_radio.isEnabled()
    assert "（0 个）" in dialog.listed_radio.text() and dialog.all_radio.isChecked()
