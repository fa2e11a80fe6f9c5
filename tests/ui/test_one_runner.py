"""One runner for the whole window: writing jobs from different pages never overlap."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard
from pytestqt.qtbot import QtBot

from app.services import Services
from ui import dialogs
from ui.fees.billing_dialog import BillingDialog
from ui.main_window import MainWindow
from ui.settings import Settings


def _next(qtbot: QtBot, wizard: QWizard) -> None:
    button = wizard.button(QWizard.WizardButton.NextButton)
    assert button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_pages_share_the_window_runner(
    qtbot: QtBot, demo_services: Services, prefs: Settings
) -> None:
    window = MainWindow(demo_services, prefs)
    qtbot.addWidget(window)
    runner = window.runner
    assert window.fees_page.runner is runner
    assert window.surveys_page.runner is runner
    assert window.governance.problems.runner is runner
    assert window.governance.forces.runner is runner
    assert window.roster_actions.runner is runner


def _record_writes(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> tuple[dict[str, list[float]], threading.Event]:
    """Wrap billing's run and the roster commit: each records when it wrote; the billing run
    holds until the returned event is set."""
    spans: dict[str, list[float]] = {}
    release = threading.Event()
    billing, rosters = services.fees.billing, services.rosters
    real_run, real_commit = billing.run, rosters.commit

    def slow_run(*args: Any, **kwargs: Any) -> Any:
        spans["bill"] = [time.monotonic()]
        release.wait(10)  # holds the write until the import has been asked for
        try:
            return real_run(*args, **kwargs)
        finally:
            spans["bill"].append(time.monotonic())

    def recorded_commit(*args: Any, **kwargs: Any) -> Any:
        spans["import"] = [time.monotonic()]
        try:
            return real_commit(*args, **kwargs)
        finally:
            spans["import"].append(time.monotonic())

    monkeypatch.setattr(billing, "run", slow_run)
    monkeypatch.setattr(rosters, "commit", recorded_commit)
    return spans, release


def test_billing_and_roster_import_from_two_pages_never_overlap(
    qtbot: QtBot,
    demo_services: Services,
    prefs: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    spans, release = _record_writes(demo_services, monkeypatch)
    monkeypatch.setattr(dialogs, "confirm", lambda *_a: True)
    monkeypatch.setattr(dialogs, "info", lambda *_a, **_k: None)
    window = MainWindow(demo_services, prefs)
    qtbot.addWidget(window)

    # 物业收费: 生成账单 for a month, run
    fees = window.fees_page
    fees.compound_combo.setCurrentText("粮食局家属院")
    fees._on_bill_button_clicked()  # noqa: SLF001 - the 生成账单 button's slot
    bill_dialog = fees.billing_dialog
    assert isinstance(bill_dialog, BillingDialog)
    bill_dialog.period_edit.setText("2026-12")
    qtbot.mouseClick(bill_dialog.preview_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(bill_dialog.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "bill" in spans)

    # 文件 → 导入花名册: a small roster, up to 导入 while the billing still writes
    path = tmp_path / "roster.csv"
    path.write_text("楼院,楼号,单元,房号,户主,面积\n新院,1,1,101,甲,50\n", encoding="utf-8")
    wizard = window.roster_actions.open_wizard(path)
    qtbot.addWidget(wizard)
    _next(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.currentPage() is not wizard.file_page)
    _next(qtbot, wizard)
    _next(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.flow.plan is not None)
    _next(qtbot, wizard)
    assert wizard.currentPage() is wizard.import_page
    task = wizard.import_page.task
    assert task.waiting
    assert "等待另一项保存数据的操作完成" in wizard.import_page.status.text()
    qtbot.wait(300)
    assert "import" not in spans  # queued, not writing beside the billing run

    release.set()
    with qtbot.waitSignal(bill_dialog.accepted, timeout=20_000):
        pass
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.summary_page, timeout=20_000)
    assert "新增 1 户" in wizard.summary_page.text.text()
    assert bill_dialog.outcome is not None and bill_dialog.outcome.charges > 0
    assert spans["bill"][1] <= spans["import"][0]
    window.runner.wait()
