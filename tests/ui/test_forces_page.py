"""The 治理力量 page driven like a clerk: filters, adding a person with two roles through the
dialogs, masked phones; the problem dialog's handler chooser; dashboard bars that open lists."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QWidget
from qt_typing import type_text

from app.governance.forces_dto import PersonFilter
from app.services import Services
from ui.governance.forces_page import ForcesPage
from ui.governance.person_dialog import PersonDialog, RoleDialog
from ui.governance.problem_dialog import ProblemDialog
from ui.main_window import MainWindow
from ui.settings import Settings
from ui.widgets import select_data


@pytest.fixture
def window(qtbot, demo_services: Services, prefs: Settings) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    w = MainWindow(demo_services, prefs)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    yield w


def _open_forces(window: MainWindow) -> ForcesPage:
    page = window.governance.forces
    window.nav.setCurrentRow(window.stack.indexOf(page))
    return page


def _when_open(kind: type, act) -> None:  # type: ignore[no-untyped-def]
    def run() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, kind):
            QTimer.singleShot(10, run)
            return
        act(dialog)

    QTimer.singleShot(0, run)


def _ok(qtbot, dialog: QWidget) -> None:  # type: ignore[no-untyped-def]
    box = dialog.findChild(QDialogButtonBox)
    qtbot.mouseClick(box.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)


def _shown(page: ForcesPage, column: int = 0) -> list[str]:
    m = page.person_model
    return [m.data(m.index(r, column)) for r in range(m.rowCount())]


def test_roster_filters_by_role_grid_and_text(
    qtbot, window: MainWindow, demo_services: Services
) -> None:  # type: ignore[no-untyped-def]
    page = _open_forces(window)
    forces = demo_services.governance.forces
    everyone = len(forces.list_people())
    assert page.count_label.text() == f"共 {everyone} 人" and everyone > 100
    # pick 新就业群体·外卖骑手 with the keyboard in the role filter
    page.kind_combo.setFocus()
    target = page.kind_combo.findData("新就业群体|外卖骑手")
    while page.kind_combo.currentIndex() < target:
        qtbot.keyClick(page.kind_combo, Qt.Key.Key_Down)
    riders = forces.list_people(PersonFilter(kind="新就业群体", subkind="外卖骑手"))
    assert riders and _shown(page) == [p.name for p in riders]
    assert all("外卖骑手" in t for t in _shown(page, 1))
    # every rider volunteers too (the demo's riders and couriers as volunteers)
    assert all("志愿者" in t for t in _shown(page, 1))
    select_data(page.kind_combo, "|")
    grid = next(g for g in demo_services.compounds.grids() if g.level == 4)
    select_data(page.grid_combo, grid.id)
    expected = [p.name for p in forces.list_people(PersonFilter(grid_id=grid.id))]
    assert _shown(page) == expected and expected
    select_data(page.grid_combo, None)
    type_text(qtbot, page.search_edit, riders[0].name)
    assert riders[0].name in _shown(page)
    assert len(_shown(page)) < everyone
    # phones are masked in the list
    phones = [p for p in _shown(page, 3) if p]
    assert phones and all("****" in p for p in phones)


def test_adding_a_person_with_two_roles(qtbot, window: MainWindow, demo_services: Services) -> None:  # type: ignore[no-untyped-def]
    page = _open_forces(window)
    compound = demo_services.compounds.list_compounds()[0]

    def add_role(kind: str, subkind: str, place: str) -> None:
        def fill(dialog: QWidget) -> None:
            assert isinstance(dialog, RoleDialog)
            select_data(dialog.kind_combo, kind)
            select_data(dialog.subkind_combo, subkind)
            if place == "compound":
                select_data(dialog.compound_combo, compound.id)
            else:
                dialog.grid_combo.setCurrentIndex(1)
            _ok(qtbot, dialog)

        _when_open(RoleDialog, fill)

    def fill_person(dialog: QWidget) -> None:
        assert isinstance(dialog, PersonDialog)
        type_text(qtbot, dialog.name_edit, "测试骑手")
        type_text(qtbot, dialog.phone_edit, "13900001111")
        _ok(qtbot, dialog)  # no role yet: the dialog says so and stays open
        assert "至少添加一个身份" in dialog.error_label.text()
        add_role("新就业群体", "快递员", "grid")
        qtbot.mouseClick(dialog.add_role_button, Qt.MouseButton.LeftButton)
        add_role("志愿者", "", "compound")
        qtbot.mouseClick(dialog.add_role_button, Qt.MouseButton.LeftButton)
        assert dialog.role_list.count() == 2
        assert dialog.role_list.item(0).text().startswith("新就业群体（快递员）")
        _ok(qtbot, dialog)

    _when_open(PersonDialog, fill_person)
    qtbot.mouseClick(page.add_person_button, Qt.MouseButton.LeftButton)
    type_text(qtbot, page.search_edit, "测试骑手")
    assert _shown(page) == ["测试骑手"]
    assert _shown(page, 1) == ["新就业群体（快递员）、志愿者"]
    assert _shown(page, 3) == ["139****1111"]
    person = demo_services.governance.forces.list_people(PersonFilter(text="测试骑手"))[0]
    assert person.phone == "13900001111"
    assert compound.name in person.places_text(demo_services.governance.problems.today())


def test_problem_dialog_names_a_handler(qtbot, window: MainWindow, demo_services: Services) -> None:  # type: ignore[no-untyped-def]
    dialog = ProblemDialog(demo_services, None, window)
    qtbot.addWidget(dialog)
    compound = demo_services.compounds.list_compounds()[0]
    select_data(dialog.compound_combo, compound.id)
    assert dialog.handler_combo.count() > 1
    dialog.handler_combo.setCurrentIndex(1)
    type_text(qtbot, dialog.description_edit, "楼道堆放杂物")
    _ok(qtbot, dialog)
    row = next(
        r for r in demo_services.governance.problems.list_problems() if r.id == dialog.saved_id
    )
    label = dialog.handler_combo.itemText(1)
    assert row.handler == label.split(" · ")[0] and row.handler_kind in label


def test_dashboard_bars_open_the_lists_behind_them(
    qtbot, window: MainWindow, demo_services: Services
) -> None:  # type: ignore[no-untyped-def]
    dash = window.governance.dashboard
    window.nav.setCurrentRow(window.stack.indexOf(dash))
    qtbot.waitUntil(lambda: "个网格中" in dash.headline.text(), timeout=60000)  # counted off-thread
    assert "公办物业入驻" in dash.headline.text()
    k = dash.force_kinds.index("楼栋长")
    dash._on_force_clicked(k, 0)
    page = window.governance.forces
    assert window.stack.currentWidget() is page
    assert set(_shown(page)) and all("楼栋长" in t for t in _shown(page, 1))
    # 党员 bar of residents-by-tag opens the registry's households with a party member
    tags = dash.tags_chart.bars
    assert tags is not None
    dash._on_tag_clicked(tags.categories.index("党员"), 0)
    registry = window.registry_page
    assert window.stack.currentWidget() is registry
    qtbot.waitUntil(lambda: not registry.households.model.loading)  # queried off-thread
    shown = registry.households.model.rowCount()
    assert shown == demo_services.governance.figures.households_by_tag()["党员"] > 0


def test_members_of_an_organisation(qtbot, window: MainWindow, demo_services: Services) -> None:  # type: ignore[no-untyped-def]
    from ui.governance.members_dialog import MembersDialog

    org = next(
        o
        for o in demo_services.governance.organisations.list_organisations()
        if o.kind == "自治组织"
    )
    dialog = MembersDialog(demo_services, org.id, org.name, window)
    qtbot.addWidget(dialog)
    before = dialog.model.rowCount()
    person = demo_services.governance.forces.list_people(PersonFilter(kind="五老"))[0]
    dialog.person_combo.setCurrentIndex(dialog.person_combo.findData(person.id))
    dialog.role_combo.setCurrentText("副主任")
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert dialog.model.rowCount() == before + 1
    names = [dialog.model.data(dialog.model.index(r, 0)) for r in range(dialog.model.rowCount())]
    assert person.name in names
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)  # twice: refused, in red
    assert "已是该组织成员" in dialog.error_label.text()
    members = demo_services.governance.forces.list_members(org.id)
    assert any(m.person_id == person.id and m.role == "副主任" for m in members)


def test_grid_without_party_branch_gets_one(
    qtbot, window: MainWindow, demo_services: Services
) -> None:  # type: ignore[no-untyped-def]
    page = _open_forces(window)
    page.tabs.setCurrentIndex(3)
    rows = page.party_model.rows()
    gap = next(n for n, r in enumerate(rows) if not r.covered)
    assert "1 个未建立" in page.party_label.text()
    page.party_table.selectRow(gap)

    def accept() -> None:
        box = QApplication.activeModalWidget()
        if box is None:
            QTimer.singleShot(10, accept)
            return
        qtbot.keyClick(box, Qt.Key.Key_Return)

    QTimer.singleShot(0, accept)
    qtbot.mouseClick(page.add_branch_button, Qt.MouseButton.LeftButton)
    assert all(r.covered for r in page.party_model.rows())
    assert "0 个未建立" in page.party_label.text()
    assert demo_services.stats.summary()["grids"]["without_party_organisation"] == 0


def test_a_meet_and_greet_needs_no_resolution(
    qtbot, window: MainWindow, demo_services: Services
) -> None:  # type: ignore[no-untyped-def]
    from ui.governance.meeting_dialog import MeetingDialog

    compound = demo_services.compounds.list_compounds()[0]
    dialog = MeetingDialog(demo_services, compound.id, None, window)
    qtbot.addWidget(dialog)
    type_text(qtbot, dialog.topic_edit, "公办物业入驻见面会")
    dialog.attendance_spin.setValue(30)
    _ok(qtbot, dialog)  # an 议事会 without a resolution is refused
    assert "决议" in dialog.error_label.text() and dialog.result() == 0
    select_data(dialog.kind_combo, "见面会")
    _ok(qtbot, dialog)
    saved = [
        m
        for m in demo_services.governance.meetings.list_meetings(compound.id)
        if m.topic == "公办物业入驻见面会"
    ]
    assert [(m.kind, m.resolutions) for m in saved] == [("见面会", ())]


def _grab_info(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    said: list[str] = []
    monkeypatch.setattr("ui.dialogs.info", lambda _parent, message, *a: said.append(message))
    return said


def _add_two_rows(path: Path) -> None:
    """The clerk adds a new person and a row with a mistake to the exported file."""
    import openpyxl

    book = openpyxl.load_workbook(path)
    ws = book.active
    header = [c.value for c in ws[2]]
    new = [""] * len(header)
    new[0:3] = ["导入新人", "13977776666", "志愿者"]
    new[header.index("物业公司")] = "中心路公办物业服务有限公司"
    bad = list(new)
    bad[0], bad[2] = "填错身份", "队员"
    ws.append(new)
    ws.append(bad)
    book.save(path)


def test_export_then_import_with_preview_and_error_file(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, demo_services: Services, tmp_path, monkeypatch
) -> None:
    import openpyxl

    page = _open_forces(window)
    said = _grab_info(monkeypatch)
    exported = tmp_path / "名册"  # the clerk left out .xlsx
    monkeypatch.setattr("ui.dialogs.save_file", lambda *a, **k: str(exported))
    assert not page.unmasked_check.isHidden()  # an administrator may ask for full phones
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(said), timeout=30000)
    out = tmp_path / "名册.xlsx"
    assert said[-1].startswith("已导出 ") and str(out) in said[-1]
    ws = openpyxl.load_workbook(out).active
    header = [c.value for c in ws[2]]
    assert header[:3] == ["姓名", "联系电话", "身份"]
    phones = [r[1] for r in ws.iter_rows(min_row=3, values_only=True) if r[1]]
    assert phones and all("****" in p for p in phones)
    _add_two_rows(out)  # a new person and a row with a mistake
    before = len(demo_services.governance.forces.list_people())
    monkeypatch.setattr("ui.dialogs.open_file", lambda *a, **k: str(out))
    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.import_dialog is not None, timeout=30000)
    dialog = page.import_dialog
    assert dialog is not None
    text = dialog.summary_label.text()
    assert "新增 1 行" in text and "拒绝 1 行" in text and "更新 0 行" in text
    m = dialog.rows_model
    shown = [[m.data(m.index(r, c)) for c in range(m.columnCount())] for r in range(m.rowCount())]
    assert [r[1:4] for r in shown] == [["新增", "导入新人", "志愿者"], ["拒绝", "填错身份", "队员"]]
    assert shown[0][4]  # where the new role is held
    assert shown[1][5] == "身份" and "不是可选的身份" in shown[1][6]
    assert dialog.import_button.text() == "导入 1 行" and dialog.import_button.isEnabled()
    # the error file, saved where the clerk says
    rejects = tmp_path / "错误.xlsx"
    monkeypatch.setattr("ui.dialogs.save_file", lambda *a, **k: str(rejects))
    qtbot.mouseClick(dialog.save_rejects_button, Qt.MouseButton.LeftButton)
    assert said[-1] == f"已保存 1 行到 {rejects}"
    row = list(openpyxl.load_workbook(rejects).active.iter_rows(values_only=True))[1]
    assert row[1] == "填错身份" and "不是可选的身份" in row[len(header) + 1]
    assert len(demo_services.governance.forces.list_people()) == before  # not yet
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result_ is not None, timeout=30000)
    assert dialog.summary_label.text().startswith("已导入：新增人员 1 人、身份 1 个")
    assert dialog.close_button.text() == "关闭" and not dialog.import_button.isEnabled()
    assert page.count_label.text() == f"共 {before + 1} 人"
    type_text(qtbot, page.search_edit, "导入新人")
    assert _shown(page) == ["导入新人"] and _shown(page, 3) == ["139****6666"]
    dialog.close()


def test_viewer_cannot_import_nor_unmask(qtbot, demo_services: Services, runner) -> None:  # type: ignore[no-untyped-def]
    from app.audit import Actor

    viewer = Services.build(demo_services.db, Actor("v", "viewer"))
    page = ForcesPage(viewer, runner)
    qtbot.addWidget(page)
    assert not page.import_button.isEnabled()
    assert page.export_button.isEnabled()
    assert page.unmasked_check.isHidden()
