"""The 入户调查 page reads in the background (issue 13): it says 正在载入…… and offers nothing
to act on until the survey is in, a survey chosen after another ends up shown even when the
first read ends last, and the scope tree still picks compounds and buildings."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import threading  # noqa: E402

import pytest  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from pytestqt.qtbot import QtBot  # noqa: E402

from app.errors import AppError  # noqa: E402
from app.services import Services  # noqa: E402
from app.surveys.dto import ScopeItem  # noqa: E402
from ui import dialogs  # noqa: E402
from ui.surveys import page as page_module  # noqa: E402
from ui.surveys.designer_tab import ID_ROLE  # noqa: E402
from ui.surveys.page import SurveysPage  # noqa: E402
from ui.tasks import TaskRunner  # noqa: E402


@pytest.fixture(autouse=True)
def said(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    messages: list[str] = []
    monkeypatch.setattr(dialogs, "info", lambda _p, m, _t="": messages.append(m))
    monkeypatch.setattr(dialogs, "error", lambda _p, m, _t="": messages.append(m))
    monkeypatch.setattr(dialogs, "confirm", lambda _p, _t, m: messages.append(m) or True)
    return messages


def _page(qtbot: QtBot, services: Services, runner: TaskRunner) -> SurveysPage:
    page = SurveysPage(services, runner)
    qtbot.addWidget(page)
    page.resize(1300, 800)
    page.show()
    return page


def _tops(page: SurveysPage) -> dict[int, object]:
    tree = page.designer.scope_tree
    items = (tree.topLevelItem(i) for i in range(tree.topLevelItemCount()))
    return {int(t.data(0, ID_ROLE)): t for t in items if t is not None}


def test_page_says_it_is_loading_then_shows_the_survey(
    qtbot: QtBot, demo_services: Services, runner: TaskRunner
) -> None:
    page = _page(qtbot, demo_services, runner)
    # Nothing read yet (the reads end on a later pass of the event loop): busy, not actionable.
    assert page.loading()
    assert page.designer.lock_label.text() == "正在载入……"
    assert not page.designer.isEnabled() and not page.designer.save_button.isEnabled()
    assert page.designer.scope_tree.topLevelItemCount() == 0
    assert page.entry.banner.text() == "正在载入……"
    assert not page.entry.scan_edit.isEnabled() and not page.entry.home_combo.isEnabled()
    assert not page.delete_button.isEnabled() and not page.open_button.isEnabled()
    qtbot.waitUntil(lambda: not page.loading())
    first = page.current()
    assert first is not None and page.model.rowCount() == len(demo_services.surveys.list_surveys())
    detail = demo_services.surveys.get_survey(first.id)
    assert page.designer.isEnabled() and page.delete_button.isEnabled()
    assert page.designer.title_edit.text() == detail.data.title
    assert page.designer.question_list.count() == len(detail.questions)
    compounds = demo_services.compounds.list_compounds()
    assert set(_tops(page)) == {c.id for c in compounds}
    assert set(page.designer.scope()) == set(detail.data.scope)
    assert page.entry.survey is not None and page.entry.survey.id == first.id
    homes = demo_services.survey_entry.households(first.id)
    assert page.entry.home_combo.count() == len(homes)
    assert page.entry.home_combo.itemText(0) == homes[0].label
    assert page.entry.home_combo.findData(homes[-1].id) == len(homes) - 1
    assert page.entry.banner.text() != "正在载入……"


def test_the_survey_chosen_last_is_shown_though_an_earlier_read_ends_later(
    qtbot: QtBot, demo_services: Services, runner: TaskRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = _page(qtbot, demo_services, runner)
    qtbot.waitUntil(lambda: not page.loading())
    rows = page.model.rows()
    assert len(rows) >= 2
    slow, chosen = rows[0].id, rows[1].id
    page.select_survey(chosen)
    qtbot.waitUntil(lambda: not page.loading())
    # The read of `slow` is held back until `chosen` is shown.
    release = threading.Event()
    real = page_module.load_designer

    def held(services: Services, sid: int):  # type: ignore[no-untyped-def]
        if sid == slow:
            release.wait(30)
        return real(services, sid)

    monkeypatch.setattr(page_module, "load_designer", held)
    page.select_survey(slow)
    qtbot.waitUntil(runner.busy)  # the read of `slow` has started and waits
    page.select_survey(chosen)
    qtbot.waitUntil(lambda: not page.loading())
    assert page.designer.survey_id == chosen
    assert page.entry.survey is not None and page.entry.survey.id == chosen
    release.set()
    qtbot.waitUntil(lambda: not runner.busy())
    title = demo_services.surveys.get_survey(chosen).data.title
    assert page.current() is not None and page.current().id == chosen  # type: ignore[union-attr]
    assert page.designer.title_edit.text() == title
    assert page.designer.survey_id == chosen and not page.loading()
    assert page.entry.survey is not None and page.entry.survey.id == chosen


def test_quick_choices_read_only_the_last(
    qtbot: QtBot, demo_services: Services, runner: TaskRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = _page(qtbot, demo_services, runner)
    qtbot.waitUntil(lambda: not page.loading())
    read: list[int] = []
    real = page_module.load_entry

    def counted(services: Services, sid: int | None):  # type: ignore[no-untyped-def]
        read.append(sid or 0)
        return real(services, sid)

    monkeypatch.setattr(page_module, "load_entry", counted)
    ids = [r.id for r in page.model.rows()]
    for sid in (*ids, *ids):  # clicked through faster than a read takes
        page.select_survey(sid)
    qtbot.waitUntil(lambda: not page.loading())
    assert read == [ids[-1]]
    assert page.entry.survey is not None and page.entry.survey.id == ids[-1]


def test_scope_tree_checks_and_unchecks_on_the_loaded_page(
    qtbot: QtBot, demo_services: Services, runner: TaskRunner
) -> None:
    compounds = demo_services.compounds.list_compounds()
    first = compounds[0]
    sid = demo_services.surveys.create_survey(
        demo_services.surveys.template("物业服务满意度调查", (ScopeItem(first.id),))
    )
    page = _page(qtbot, demo_services, runner)
    page.select_survey(sid)
    qtbot.waitUntil(lambda: not page.loading())
    top = _tops(page)[first.id]
    assert top.checkState(0) == Qt.CheckState.Checked  # type: ignore[attr-defined]
    assert top.childCount() == 0  # type: ignore[attr-defined]  # buildings come when opened
    top.setExpanded(True)  # type: ignore[attr-defined]
    assert top.childCount() == first.buildings  # type: ignore[attr-defined]
    child = top.child(0)  # type: ignore[attr-defined]
    assert child.checkState(0) == Qt.CheckState.Checked
    child.setCheckState(0, Qt.CheckState.Unchecked)
    assert top.checkState(0) == Qt.CheckState.PartiallyChecked  # type: ignore[attr-defined]
    kept = {s for s in page.designer.scope() if s.compound_id == first.id}
    assert len(kept) == first.buildings - 1 and ScopeItem(first.id) not in kept
    qtbot.mouseClick(page.designer.save_button, Qt.MouseButton.LeftButton)
    assert set(demo_services.surveys.get_survey(sid).data.scope) == kept
    # Read again (another survey, then this one): the compound opens with its buildings.
    other = next(r.id for r in page.model.rows() if r.id != sid)
    page.select_survey(other)
    page.select_survey(sid)
    qtbot.waitUntil(lambda: not page.loading())
    top = _tops(page)[first.id]
    assert top.isExpanded() and top.childCount() == first.buildings  # type: ignore[attr-defined]
    assert top.checkState(0) == Qt.CheckState.PartiallyChecked  # type: ignore[attr-defined]
    assert set(page.designer.scope()) == kept
    # Everything ticked again: the whole compound.
    top.setCheckState(0, Qt.CheckState.Checked)  # type: ignore[attr-defined]
    assert page.designer.scope() == (ScopeItem(first.id),)


def test_a_failed_read_says_why_and_leaves_nothing_to_save(
    qtbot: QtBot,
    demo_services: Services,
    runner: TaskRunner,
    monkeypatch: pytest.MonkeyPatch,
    said: list[str],
) -> None:
    page = _page(qtbot, demo_services, runner)
    qtbot.waitUntil(lambda: not page.loading())
    rows = page.model.rows()

    def broken(_services: Services, _sid: int | None):  # type: ignore[no-untyped-def]
        raise AppError("数据库正忙")

    monkeypatch.setattr(page_module, "load_entry", broken)
    page.select_survey(rows[-1].id if page.current() != rows[-1] else rows[0].id)
    qtbot.waitUntil(lambda: not page.loading())
    assert said == ["数据库正忙"]
    assert page.designer.lock_label.text() == "数据库正忙"
    assert not page.designer.isEnabled()
    assert page.entry.banner.text() == "数据库正忙" and page.entry.survey is None


def test_coverage_tab_reads_off_thread_and_shows_the_survey_chosen_last(
    qtbot: QtBot, demo_services: Services, runner: TaskRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ui.surveys import coverage_tab

    page = _page(qtbot, demo_services, runner)
    qtbot.waitUntil(lambda: not page.loading())
    rows = page.model.rows()
    slow, chosen = rows[0].id, rows[1].id
    page.select_survey(slow)
    qtbot.waitUntil(lambda: not page.loading())
    release = threading.Event()
    real = coverage_tab.load_coverage

    def held(services: Services, sid: int | None):  # type: ignore[no-untyped-def]
        if sid == slow:
            release.wait(30)
        return real(services, sid)

    monkeypatch.setattr(coverage_tab.CoverageTab, "load", staticmethod(held))
    page.tabs.setCurrentWidget(page.coverage)
    assert page.coverage.summary.text() == "正在载入……"
    assert not page.coverage.print_button.isEnabled()
    qtbot.waitUntil(runner.busy)
    page.select_survey(chosen)
    qtbot.waitUntil(lambda: not page.loading())
    release.set()
    qtbot.waitUntil(lambda: not runner.busy())
    total = demo_services.survey_results.coverage(chosen).total
    assert page.coverage.survey_id == chosen
    assert f"应调查 {total.households} 户" in page.coverage.summary.text()
    missing = demo_services.survey_results.not_reached(chosen)
    assert page.coverage.missing_model.rowCount() == len(missing)


def test_no_survey_at_all_is_no_endless_loading(
    qtbot: QtBot, demo_services: Services, runner: TaskRunner
) -> None:
    for row in demo_services.surveys.list_surveys():
        demo_services.surveys.delete_survey(row.id, with_responses=True)
    page = _page(qtbot, demo_services, runner)
    page.tabs.setCurrentWidget(page.coverage)
    qtbot.waitUntil(lambda: not page.loading())
    assert page.model.rowCount() == 0 and page.current() is None
    assert not page.designer.isEnabled() and page.designer.lock_label.text() == ""
    assert page.entry.banner.text() == "请在左侧选择一项调查。"
    assert page.coverage.summary.text() == "" and not page.coverage.print_button.isEnabled()
