"""One failure path: an AppError shows its message, a Cancel nothing, a bug the crash dialog
with the log path - never a bug's raw text on a page."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget, QWizard
from pytestqt.qtbot import QtBot

from app.errors import AppError, Cancelled
from app.services import Services
from ui import dialogs
from ui.errors import CrashHandler, show_failure
from ui.export_dialog import ExportDialog
from ui.fees.billing_dialog import BillingDialog
from ui.fees.fees_page import FeesPage
from ui.import_wizard import ImportWizard
from ui.tasks import TaskRunner

SECRET = "internal detail: list index out of range"


@pytest.fixture
def crashes(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[dict[str, str]]:
    """The program's crash handler as sys.excepthook; its dialog's texts are recorded."""
    shown: list[dict[str, str]] = []

    def record(box: QMessageBox) -> int:
        shown.append(
            {
                "text": box.text(),
                "info": box.informativeText(),
                "details": box.detailedText(),
            }
        )
        return 0

    monkeypatch.setattr(QMessageBox, "exec", record)
    monkeypatch.setattr(sys, "excepthook", CrashHandler(tmp_path / "logs" / "louyuan.log"))
    return shown


@pytest.fixture
def errors(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    said: list[str] = []
    monkeypatch.setattr(dialogs, "error", lambda _parent, message, *_a: said.append(message))
    monkeypatch.setattr(dialogs, "info", lambda *_a, **_k: None)
    return said


def test_app_error_shows_its_message(
    qtbot: QtBot, errors: list[str], crashes: list[dict[str, str]]
) -> None:
    show_failure(None, AppError("文件已被占用"))
    assert errors == ["文件已被占用"] and crashes == []


def test_cancel_shows_nothing(
    qtbot: QtBot, errors: list[str], crashes: list[dict[str, str]]
) -> None:
    show_failure(None, Cancelled())
    assert errors == [] and crashes == []


def test_bug_goes_to_the_crash_dialog_with_the_log_path(
    qtbot: QtBot, errors: list[str], crashes: list[dict[str, str]], tmp_path: Path
) -> None:
    try:
        raise IndexError(SECRET)
    except IndexError as exc:
        show_failure(None, exc)
    assert errors == []
    (crash,) = crashes
    assert str(tmp_path / "logs" / "louyuan.log") in crash["info"]
    assert SECRET in crash["details"] and SECRET not in crash["text"]


def _failing(exc: Exception) -> Any:
    def job(*_a: Any, **_k: Any) -> Any:
        raise exc

    return job


def test_fee_page_job_failure(  # noqa: PLR0917
    qtbot: QtBot,
    demo_services: Services,
    runner: TaskRunner,
    errors: list[str],
    crashes: list[dict[str, str]],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    """导出收费台账 failing: the AppError's message (was getattr(exc, "message", str(exc)))."""
    page = FeesPage(demo_services, runner)
    qtbot.addWidget(page)
    monkeypatch.setattr(dialogs, "save_file", lambda *_a: str(tmp_path / "x.xlsx"))
    monkeypatch.setattr("app.fees.export.export_charges", _failing(AppError("磁盘已满")))
    page._on_export_charges_button_clicked()  # noqa: SLF001 - the 导出 button's slot
    qtbot.waitUntil(lambda: bool(errors))
    assert errors == ["磁盘已满"] and crashes == []
    monkeypatch.setattr("app.fees.export.export_charges", _failing(Cancelled()))
    page._on_export_charges_button_clicked()  # noqa: SLF001
    runner.wait()
    qtbot.wait(50)
    assert errors == ["磁盘已满"] and crashes == []


def test_billing_bug_goes_to_the_crash_dialog(  # noqa: PLR0917
    qtbot: QtBot,
    demo_services: Services,
    runner: TaskRunner,
    errors: list[str],
    crashes: list[dict[str, str]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Was re-raised from the slot; now the crash dialog, and the dialog stays usable."""
    cid = dict((n, c) for c, n in demo_services.fees.ledger.compounds())["粮食局家属院"]
    dialog = BillingDialog(demo_services.fees.billing, runner, cid, "粮食局家属院")
    qtbot.addWidget(dialog)
    dialog.period_edit.setText("2026-12")
    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    monkeypatch.setattr(demo_services.fees.billing, "run", _failing(KeyError(SECRET)))
    qtbot.mouseClick(dialog.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(crashes))
    assert errors == [] and SECRET in crashes[0]["details"]
    assert dialog.run_button.isEnabled()


def test_export_dialog_bug_is_no_raw_text(  # noqa: PLR0917
    qtbot: QtBot,
    demo_services: Services,
    runner: TaskRunner,
    errors: list[str],
    crashes: list[dict[str, str]],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.setattr(dialogs, "save_file", lambda *_a: str(tmp_path / "x.xlsx"))
    monkeypatch.setattr(demo_services.rosters, "export", _failing(ValueError(SECRET)))
    dialog = ExportDialog(demo_services, runner)
    qtbot.addWidget(dialog)
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: bool(crashes))
    assert errors == [] and dialog.buttons.isEnabled()


def test_import_wizard_bug_is_no_raw_text_on_the_page(  # noqa: PLR0917
    qtbot: QtBot,
    demo_services: Services,
    runner: TaskRunner,
    errors: list[str],
    crashes: list[dict[str, str]],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    path = tmp_path / "roster.csv"
    path.write_text("楼院,楼号,单元,房号,户主,面积\n新院,1,1,101,甲,50\n", encoding="utf-8")
    wizard = ImportWizard(demo_services, runner, path)
    qtbot.addWidget(wizard)
    wizard.show()
    monkeypatch.setattr(demo_services.rosters, "plan", _failing(TypeError(SECRET)))
    for _step in range(3):
        button = wizard.button(QWizard.WizardButton.NextButton)
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not runner.busy())
    assert wizard.currentPage() is wizard.preview_page
    qtbot.waitUntil(lambda: bool(crashes))
    text = wizard.preview_page.counts.text()
    assert SECRET not in text and "意外错误" in text
    assert errors == []


def test_show_failure_takes_any_parent(qtbot: QtBot, errors: list[str]) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    show_failure(parent, AppError("无权限"), "标题")
    assert errors == ["无权限"]
