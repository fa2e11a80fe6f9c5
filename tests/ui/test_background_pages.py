"""Pages that read in the background (issue 13: never freeze): 物业收费 and 网格 say 正在载入
while their reads run, show the data when it lands, and show the last compound or grid the
clerk picked even when an earlier read lands later."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from app.money import format_yuan
from app.services import Services
from ui.fees.fees_page import FeesPage
from ui.latest_read import LatestRead
from ui.main_window import MainWindow
from ui.settings import Settings
from ui.tasks import TaskRunner

LOADING = "正在载入……"


def _held(release: threading.Event, held_for: Callable[[Any], bool], read: Any) -> Any:
    """`read`, made to wait for `release` when `held_for(its first argument)`: an earlier read
    that lands after a later one."""

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if args and held_for(args[0]):
            release.wait(10)
        return read(*args, **kwargs)

    return wrapper


@pytest.fixture
def release() -> Iterator[threading.Event]:
    event = threading.Event()
    yield event
    event.set()  # never leave a worker waiting


def test_fee_page_says_loading_then_shows_the_compound(
    qtbot: QtBot, demo_services: Services, runner: TaskRunner
) -> None:
    page = FeesPage(demo_services, runner)
    qtbot.addWidget(page)
    assert page.summary_label.text() == LOADING
    assert page.charge_total_label.text() == LOADING
    assert not page.bill_button.isEnabled() and not page.new_scheme_button.isEnabled()
    qtbot.waitUntil(lambda: not page.busy())
    assert "收缴率" in page.summary_label.text()
    assert page.charge_total_label.text().startswith("共 ")
    assert page.bill_button.isEnabled() and page.new_scheme_button.isEnabled()
    assert page.charge_model.rowCount() > 0 and page.scheme_model.rowCount() > 0


def test_fee_tabs_read_when_first_shown(
    qtbot: QtBot, demo_services: Services, runner: TaskRunner
) -> None:
    page = FeesPage(demo_services, runner)
    qtbot.addWidget(page)
    page.compound_combo.setCurrentText("粮食局家属院")
    qtbot.waitUntil(lambda: not page.busy())
    arrears = page.arrears_tab
    assert arrears.stale and arrears.model.rowCount() == 0  # not shown yet: not read
    page.tabs.setCurrentWidget(arrears)
    assert arrears.total_label.text() == LOADING
    assert not arrears.reminder_button.isEnabled()
    qtbot.waitUntil(lambda: not page.busy())
    owed = demo_services.fees.ledger.arrears(page.compound_id)
    assert arrears.model.rowCount() == len(owed) > 0
    assert arrears.reminder_button.isEnabled()


def test_fee_page_ends_on_the_last_compound_picked(
    qtbot: QtBot,
    demo_services: Services,
    runner: TaskRunner,
    monkeypatch: pytest.MonkeyPatch,
    release: threading.Event,
) -> None:
    page = FeesPage(demo_services, runner)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: not page.busy())
    ledger = demo_services.fees.ledger
    charging = [r for r in ledger.compound_fees() if r.charged_fen]
    assert len(charging) >= 2, "the demo bills a few compounds"
    # The clerk picks another compound, then goes back to the one shown first.
    last = next(r for r in charging if r.compound_id == page.compound_id)
    first = next(r for r in charging if r.compound_id != page.compound_id)
    # The first compound's figures are slow: they land after the last compound's (one read
    # held back only: the pool may have two threads).
    monkeypatch.setattr(
        ledger,
        "compound_fees",
        _held(release, lambda c: c == first.compound_id, ledger.compound_fees),
    )
    page.compound_combo.setCurrentIndex(page.compound_combo.findData(first.compound_id))
    qtbot.wait(20)  # its reads start
    assert page.busy() and page.summary_label.text() == LOADING
    page.compound_combo.setCurrentIndex(page.compound_combo.findData(last.compound_id))
    qtbot.waitUntil(lambda: page.summary_label.text() != LOADING)
    release.set()  # now the first compound's reads land, late
    qtbot.waitUntil(lambda: not runner.busy())
    qtbot.wait(50)
    assert page.compound_id == last.compound_id
    assert format_yuan(last.charged_fen) in page.summary_label.text()
    names = {page.charge_model.row_at(r).compound_name for r in range(page.charge_model.rowCount())}
    assert names == {last.compound_name}
    buildings = [page.building_combo.itemData(i) for i in range(1, page.building_combo.count())]
    assert buildings == [b for b, _ in ledger.buildings(last.compound_id)]


def test_latest_read_drops_a_superseded_result(qtbot: QtBot, runner: TaskRunner) -> None:
    read = LatestRead(runner)
    landed: list[object] = []
    read.landed.connect(landed.append)
    gate = threading.Event()
    read.start(lambda: gate.wait(10) and "old")
    read.start(lambda: "new")
    qtbot.waitUntil(lambda: landed == ["new"])
    assert not read.busy()
    gate.set()
    qtbot.waitUntil(lambda: not runner.busy())
    qtbot.wait(20)
    assert landed == ["new"]


@pytest.fixture
def window(qtbot: QtBot, demo_services: Services, prefs: Settings) -> Iterator[MainWindow]:
    w = MainWindow(demo_services, prefs)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    yield w


def test_grids_page_shows_the_last_grid_selected(
    qtbot: QtBot,
    window: MainWindow,
    demo_services: Services,
    monkeypatch: pytest.MonkeyPatch,
    release: threading.Event,
) -> None:
    page = window.governance.grids
    window.show_page(page)
    assert page.status_label.text() == LOADING and page.busy()
    qtbot.waitUntil(lambda: not page.busy())
    assert not page.status_label.isVisible()
    root = page.tree_model.item(0, 0)
    first_child = root.child(0, 0)
    assert first_child is not None
    slow_grid = page.selected_grid()  # the root, selected by the page itself
    compounds = demo_services.compounds
    monkeypatch.setattr(
        compounds,
        "list_compounds",
        _held(release, lambda f: f.grid_id == slow_grid, compounds.list_compounds),
    )
    page.tree.setCurrentIndex(page.tree_model.index(0, 0))
    page._on_tree_selection_changed()  # the root again, its read held back
    qtbot.wait(20)
    assert "正在载入" in page.compounds_label.text()
    page.tree.setCurrentIndex(first_child.index())
    qtbot.waitUntil(lambda: "正在载入" not in page.compounds_label.text())
    release.set()
    qtbot.waitUntil(lambda: not window.runner.busy())
    qtbot.wait(50)
    assert page.compounds_label.text().startswith(f"{first_child.text()}：")
    shown = page.compound_model.rowCount()
    in_grid = int(root.child(0, 3).text())  # the grid's 楼院 column
    assert shown == in_grid < int(page.tree_model.item(0, 3).text())


def test_a_failed_read_says_so_and_reports_it(
    qtbot: QtBot,
    demo_services: Services,
    runner: TaskRunner,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from app.errors import AppError
    from ui import dialogs

    said: list[str] = []
    monkeypatch.setattr(dialogs, "error", lambda _parent, message, *_a: said.append(message))

    def busy_database(*_a: Any) -> Any:
        raise AppError("数据库正忙，请稍后再试")

    monkeypatch.setattr(demo_services.fees.ledger, "compound_fees", busy_database)
    page = FeesPage(demo_services, runner)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: not page.busy())
    assert said == ["数据库正忙，请稍后再试"]
    assert page.summary_label.text() == "载入失败"
    assert page.charge_total_label.text().startswith("共 ")  # the charges' read went on


def test_problem_ledger_says_loading_then_shows_the_ledger(
    qtbot: QtBot,
    demo_services: Services,
    runner: TaskRunner,
    release: threading.Event,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """问题台账's first reading (choices, ledger, closure figures) runs in the background: the
    page says 正在载入 with its buttons off, then shows the ledger and its figures."""
    from ui.governance.problems_page import ProblemsPage

    problems = demo_services.governance.problems
    monkeypatch.setattr(
        problems, "list_problems", _held(release, lambda _flt: True, problems.list_problems)
    )
    page = ProblemsPage(demo_services, runner)
    qtbot.addWidget(page)
    assert page.loading() and page.figures_label.text() == LOADING
    assert page.model.rowCount() == 0 and not page.add_button.isEnabled()
    release.set()
    qtbot.waitUntil(lambda: not page.loading())
    total = len(problems.list_problems())
    assert page.model.rowCount() == total > 0
    assert page.figures_label.text().startswith(f"共 {total} 件")
    assert page.closure_model.rowCount() > 0 and page.add_button.isEnabled()
    assert page.compound_combo.count() == len(demo_services.compounds.choices()) + 1


def test_problem_ledger_filtered_before_its_first_reading_lands_shows_the_filter(
    qtbot: QtBot,
    demo_services: Services,
    runner: TaskRunner,
    release: threading.Event,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The clerk ticks 逾期 while the first reading is still running: the page shows the
    overdue problems, and the late first reading (all problems) is dropped."""
    from ui.governance.problems_page import ProblemsPage

    problems = demo_services.governance.problems
    real = problems.list_problems
    monkeypatch.setattr(
        problems, "list_problems", _held(release, lambda flt: not flt.overdue, real)
    )
    page = ProblemsPage(demo_services, runner)
    qtbot.addWidget(page)
    page.overdue_check.setChecked(True)
    release.set()
    runner.wait()
    qtbot.wait(50)
    overdue = [r for r in real() if r.overdue]
    assert overdue
    assert not page.loading()
    assert [r.id for r in page.model.rows()] == [r.id for r in overdue]
