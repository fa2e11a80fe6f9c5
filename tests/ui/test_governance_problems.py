"""The problem ledger in the main window: report, 受理, 办结 with a resolution, filters."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QWidget
from qt_typing import type_text

from app.services import Services
from ui.governance.problem_dialog import CloseDialog, ProblemDialog
from ui.governance.problems_page import ProblemsPage
from ui.main_window import MainWindow
from ui.settings import Settings


@pytest.fixture
def window(qtbot, demo_services: Services, prefs: Settings) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    w = MainWindow(demo_services, prefs)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    yield w


def _open_section(qtbot, window: MainWindow, title: str) -> QWidget:  # type: ignore[no-untyped-def]
    item = window.nav.findItems(title, Qt.MatchFlag.MatchExactly)[0]
    rect = window.nav.visualItemRect(item)
    qtbot.mouseClick(window.nav.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    page = window.stack.currentWidget()
    assert page.isVisible()
    if isinstance(page, ProblemsPage):  # its first reading runs in the background
        qtbot.waitUntil(lambda: not page.loading())
    return page


def _with_dialog(kind: type, act: Callable[[QWidget], None]) -> None:
    """Run `act` on the modal dialog as soon as it is open."""

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


def _row_of(page: ProblemsPage, description: str) -> int:
    for n, row in enumerate(page.model.rows()):
        if row.description == description:
            return n
    raise AssertionError(description)


def _select(qtbot, page: ProblemsPage, row: int) -> None:  # type: ignore[no-untyped-def]
    page.table.scrollTo(page.model.index(row, 0))
    rect = page.table.visualRect(page.model.index(row, 0))
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def _status_text(page: ProblemsPage, row: int) -> str:
    return str(page.model.index(row, 8).data())


def test_problem_flow_in_the_window(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    page = _open_section(qtbot, window, "问题台账")
    assert isinstance(page, ProblemsPage)
    before = page.model.rowCount()
    description = "楼道内飞线给电动车充电测试"

    def report(dialog: QWidget) -> None:
        assert isinstance(dialog, ProblemDialog)
        dialog.category_combo.setCurrentIndex(dialog.category_combo.findText("飞线充电"))
        dialog.description_edit.setFocus()
        type_text(qtbot, dialog.description_edit, description)
        type_text(qtbot, dialog.location_edit, "3号楼2单元")
        _ok(qtbot, dialog)

    _with_dialog(ProblemDialog, report)
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    assert page.model.rowCount() == before + 1
    row = _row_of(page, description)
    _select(qtbot, page, row)
    assert _status_text(page, row) == "待处理"
    assert page.start_button.isEnabled() and not page.close_button.isEnabled()

    qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)
    row = _row_of(page, description)
    assert _status_text(page, row) == "处理中"
    assert page.close_button.isEnabled() and not page.start_button.isEnabled()

    seen: list[str] = []

    def close(dialog: QWidget) -> None:
        assert isinstance(dialog, CloseDialog)
        _ok(qtbot, dialog)  # no resolution yet: the dialog stays, with the reason in red
        seen.append(dialog.error_label.text())
        type_text(qtbot, dialog.resolution_edit, "已拆除飞线，引导至充电桩充电")
        _ok(qtbot, dialog)

    _with_dialog(CloseDialog, close)
    qtbot.mouseClick(page.close_button, Qt.MouseButton.LeftButton)
    assert seen == ["请填写办理结果"]
    row = _row_of(page, description)
    assert _status_text(page, row) == "已办结"
    assert page.model.index(row, 9).data() == "已拆除飞线，引导至充电桩充电"
    assert page.reopen_button.isEnabled() and not page.close_button.isEnabled()
    assert "办结率" in page.figures_label.text()


def test_overdue_highlighted_and_filtered(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    page = _open_section(qtbot, window, "问题台账")
    assert isinstance(page, ProblemsPage)
    overdue = [n for n, r in enumerate(page.model.rows()) if r.overdue]
    assert overdue
    assert page.model.index(overdue[0], 0).data(Qt.ItemDataRole.BackgroundRole) is not None
    assert "逾期" in _status_text(page, overdue[0])
    qtbot.mouseClick(page.overdue_check, Qt.MouseButton.LeftButton)
    assert page.model.rowCount() == len(overdue)
    assert all(r.overdue for r in page.model.rows())
    page.category_combo.setCurrentIndex(page.category_combo.findText("飞线充电"))
    assert {r.category for r in page.model.rows()} <= {"飞线充电"}


def test_export_from_the_page_runs_as_a_job(
    qtbot, window: MainWindow, tmp_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    import openpyxl

    page = _open_section(qtbot, window, "问题台账")
    assert isinstance(page, ProblemsPage)
    out = tmp_path / "ledger.xlsx"
    monkeypatch.setattr("ui.dialogs.save_file", lambda *a, **k: str(out))
    told: list[str] = []
    monkeypatch.setattr("ui.dialogs.info", lambda _p, message, *a: told.append(message))
    qtbot.mouseClick(page.overdue_check, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(told), timeout=10_000)
    assert f"已导出 {page.model.rowCount()} 条问题" in told[0]
    ws = openpyxl.load_workbook(out)["问题台账"]
    assert ws.max_row == page.model.rowCount() + 2
