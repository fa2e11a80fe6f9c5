"""Defaults that follow the clerk, and messages instead of empty paper."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.services import Services
from ui import dialogs
from ui.fees.fees_page import FeesPage
from ui.governance.meeting_dialog import MeetingDialog
from ui.main_window import MainWindow
from ui.settings import Settings
from ui.tasks import TaskRunner


@pytest.fixture
def infos(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    said: list[str] = []
    monkeypatch.setattr(dialogs, "info", lambda _parent, message, title="": said.append(message))
    return said


@pytest.fixture
def window(qtbot: QtBot, demo_services: Services, prefs: Settings) -> Iterator[MainWindow]:
    w = MainWindow(demo_services, prefs)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    yield w


def nav_to(window: MainWindow, title: str) -> None:
    row = next(r for r in range(window.nav.count()) if window.nav.item(r).text() == title)
    window.nav.setCurrentRow(row)


def test_fees_open_on_a_compound_that_charges(
    qtbot: QtBot, demo_services: Services, runner: TaskRunner
) -> None:
    page = FeesPage(demo_services, runner)
    qtbot.addWidget(page)
    states = {s.state for s in demo_services.fees.schemes.list_schemes(page.compound_id)}
    assert "active" in states
    qtbot.waitUntil(lambda: not page.busy())
    assert "收缴率" in page.summary_label.text()


def test_sections_follow_the_compound_the_clerk_chose(qtbot: QtBot, window: MainWindow) -> None:
    registry = window.registry_page
    registry._select_compound_row(3)  # the clerk picks a compound in 楼院台账
    chosen = registry.selected_compound_id()
    assert chosen is not None
    nav_to(window, "物业收费")
    assert window.fees_page.compound_id == chosen
    nav_to(window, "议事")
    meetings = window.governance.meetings
    meetings.table.clearSelection()
    assert meetings.new_meeting_compound() == chosen
    dialog = MeetingDialog(window._services, meetings.new_meeting_compound())
    qtbot.addWidget(dialog)
    assert dialog.compound_combo.currentData() == chosen


def test_resolutions_grid_does_not_scroll_sideways(qtbot: QtBot, demo_services: Services) -> None:
    dialog = MeetingDialog(demo_services, None)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    bar = dialog.table.horizontalScrollBar()
    assert bar.maximum() == 0
    header = dialog.table.horizontalHeader()
    assert header.length() <= dialog.table.viewport().width()


def test_notices_default_to_this_month_and_say_when_there_is_nothing(
    qtbot: QtBot, demo_services: Services, infos: list[str], runner: TaskRunner
) -> None:
    page = FeesPage(demo_services, runner)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: not page.busy())
    page.period_edit.clear()
    qtbot.mouseClick(page.notices_button, Qt.MouseButton.LeftButton)
    month = dt.date.today().strftime("%Y-%m")
    assert page.period_edit.text() == month
    if infos:  # nothing billed this month in the demo: a message, no PDF
        assert "没有需要打印的通知单" in infos[0]
        assert not hasattr(page, "last_preview")


def test_an_empty_arrears_run_gives_a_message_not_a_pdf(
    qtbot: QtBot, demo_services: Services, infos: list[str], runner: TaskRunner
) -> None:
    page = FeesPage(demo_services, runner)
    qtbot.addWidget(page)
    owing = {r.compound_id for r in demo_services.fees.ledger.compound_fees() if r.due_fen}
    free = next(
        n
        for n in range(page.compound_combo.count())
        if page.compound_combo.itemData(n) not in owing
    )
    page.compound_combo.setCurrentIndex(free)
    page.tabs.setCurrentWidget(page.arrears_tab)
    qtbot.waitUntil(lambda: not page.busy())
    qtbot.mouseClick(page.arrears_tab.reminder_button, Qt.MouseButton.LeftButton)
    assert infos and "不需要打印催缴通知单" in infos[0]
    assert not page.runner.busy()
