"""The other governance pages in the window: organisations, meetings, grids, dashboard links."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QWidget
from qt_typing import type_text

from app.services import Services
from ui.governance.meeting_dialog import MeetingDialog
from ui.governance.organisation_dialog import OrganisationDialog
from ui.main_window import MainWindow
from ui.settings import Settings


@pytest.fixture
def window(qtbot, demo_services: Services, prefs: Settings) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    w = MainWindow(demo_services, prefs)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    yield w


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


def test_adding_the_missing_organisation_completes_coverage(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    page = window.governance.organisations
    window.nav.setCurrentRow(window.stack.indexOf(page))
    box = page.missing_check
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    missing = page.compound_model.rows()
    assert page.missing_check.isChecked()
    assert missing and all(r.missing != () for r in missing)
    first = missing[0]
    total_before = page.coverage_model.rows()[-1].complete

    def fill(dialog: QWidget) -> None:
        assert isinstance(dialog, OrganisationDialog)
        assert dialog.kind_combo.currentText() == first.missing[0]  # the missing kind is offered
        type_text(qtbot, dialog.name_edit, "新成立组织")
        _ok(qtbot, dialog)

    for _ in first.missing:
        page.compound_table.selectRow(
            next(
                n
                for n, r in enumerate(page.compound_model.rows())
                if r.compound_id == first.compound_id
            )
        )
        _when_open(OrganisationDialog, fill)
        first = next(r for r in page.compound_model.rows() if r.compound_id == first.compound_id)
        qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    assert first.compound_id not in {r.compound_id for r in page.compound_model.rows()}
    assert page.coverage_model.rows()[-1].complete == total_before + 1


def test_meeting_with_resolution_votes(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    page = window.governance.meetings
    window.nav.setCurrentRow(window.stack.indexOf(page))
    before = page.model.rowCount()

    def fill(dialog: QWidget) -> None:
        assert isinstance(dialog, MeetingDialog)
        type_text(qtbot, dialog.topic_edit, "充电桩建设")
        dialog.attendance_spin.setValue(20)
        dialog.resolutions.item(0, 0).setText("同意建设充电桩")
        dialog.resolutions.item(0, 1).setText("25")
        _ok(qtbot, dialog)  # 25 votes > 20 present: refused in the dialog
        assert "超过参会人数" in dialog.error_label.text()
        dialog.resolutions.item(0, 1).setText("11")
        _ok(qtbot, dialog)

    _when_open(MeetingDialog, fill)
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    assert page.model.rowCount() == before + 1
    assert page.selected() is not None and page.selected().topic == "充电桩建设"  # type: ignore[union-attr]
    assert page.resolution_model.index(0, 5).data() == "通过"


def test_dashboard_bars_open_the_lists_behind_them(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    g = window.governance
    window.nav.setCurrentRow(window.stack.indexOf(g.dashboard))
    qtbot.waitUntil(lambda: "办结率" in g.dashboard.headline.text())
    series = g.dashboard.problems_chart.series
    assert series is not None and series.count() == 3
    series.barSets()[0].clicked.emit(0)  # the 飞线充电 bar
    assert window.stack.currentWidget() is g.problems
    assert g.problems.category_combo.currentText() == "飞线充电"
    assert {r.category for r in g.problems.model.rows()} == {"飞线充电"}
    window.nav.setCurrentRow(window.stack.indexOf(g.dashboard))
    modes = g.dashboard.modes_chart
    assert modes.series is not None and modes.bars is not None
    modes.series.barSets()[0].clicked.emit(1)
    assert window.stack.currentWidget() is window.registry_page
    assert window.registry_page.filter_bar.mode_combo.currentText() == modes.bars.categories[1]


def test_grid_tree_rolls_up(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    page = window.governance.grids
    window.nav.setCurrentRow(window.stack.indexOf(page))
    assert page.status_label.text() == "正在载入……"
    qtbot.waitUntil(lambda: not page.busy())  # read in the background
    root = page.tree_model.item(0, 0)
    assert root.hasChildren()
    top_compounds = int(page.tree_model.item(0, 3).text())
    child_sum = sum(int(root.child(n, 3).text()) for n in range(root.rowCount()))
    assert top_compounds == child_sum == page.compound_model.rowCount()
