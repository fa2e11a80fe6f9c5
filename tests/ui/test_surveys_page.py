"""The 入户调查 section: entry driven by keys (scan, digits, Enter), the designer's lock,
coverage and results as the clerk sees them."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from app.services import Services  # noqa: E402
from app.surveys import payload  # noqa: E402
from app.surveys.dto import ScopeItem  # noqa: E402
from ui import dialogs  # noqa: E402
from ui.surveys.entry_form import EntryForm  # noqa: E402
from ui.surveys.page import SurveysPage  # noqa: E402
from ui.tasks import TaskRunner

SHOTS = Path(os.environ.get("LOUYUAN_SHOTS", "")) if os.environ.get("LOUYUAN_SHOTS") else None


@pytest.fixture(autouse=True)
def quiet_dialogs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    said: list[str] = []
    monkeypatch.setattr(dialogs, "info", lambda _p, m, _t="": said.append(m))
    monkeypatch.setattr(dialogs, "error", lambda _p, m, _t="": said.append(m))
    monkeypatch.setattr(dialogs, "confirm", lambda _p, _t, m: said.append(m) or True)
    return said


def _shot(widget, name: str) -> None:  # type: ignore[no-untyped-def]
    if SHOTS is not None:
        QApplication.processEvents()  # let the chart lay out its axes before the grab
        SHOTS.mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(SHOTS / f"{name}.png"))


def _open_survey(services: Services) -> int:
    compound = services.compounds.list_compounds()[0].id
    sid = services.surveys.create_survey(
        services.surveys.template("物业服务满意度调查", (ScopeItem(compound),))
    )
    services.surveys.open_survey(sid)
    return sid


def _entry_form(qtbot, services: Services, sid: int) -> EntryForm:  # type: ignore[no-untyped-def]
    """The entry tab of an open survey, shown and active, as the clerk has it."""
    form = EntryForm(services)
    qtbot.addWidget(form)
    form.resize(1000, 760)
    form.show()
    form.set_survey(sid)
    form.activateWindow()
    qtbot.waitActive(form)
    return form


def test_entry_by_scanner_and_keys(qtbot, demo_services: Services) -> None:  # type: ignore[no-untyped-def]
    sid = _open_survey(demo_services)
    home = demo_services.survey_entry.households(sid)[3]
    form = _entry_form(qtbot, demo_services, sid)
    form.scan_edit.setFocus()
    # A USB scanner types the code and presses Enter.
    qtbot.keyClicks(form.scan_edit, payload.encode(sid, home.id))
    qtbot.keyClick(form.scan_edit, Qt.Key.Key_Return)
    assert form.household == home
    assert home.householder_name in form.household_label.text()
    assert form.state_label.text() == "新答卷"
    assert form.focusWidget() is form.questions[0]
    qtbot.keyClicks(form.collector_edit, "lw")
    form.questions[0].setFocus()
    # Six satisfaction questions: digits pick, Enter moves on.
    for digit in "212345":
        focused = form.focusWidget()
        qtbot.keyClick(focused, digit)
        qtbot.keyClick(focused, Qt.Key.Key_Return)
    assert form.focusWidget() is form.questions[6]
    qtbot.keyClick(form.questions[6], "1")  # 是
    qtbot.keyClick(form.questions[6], Qt.Key.Key_Return)
    qtbot.keyClicks(form.questions[7], "13")  # 保洁 + 绿化
    qtbot.keyClick(form.questions[7], "3")  # untick 绿化 again
    qtbot.keyClick(form.questions[7], Qt.Key.Key_Return)
    _shot(form, "survey_entry")
    edit = form.questions[8].focusProxy()
    assert edit is not None and form.focusWidget() is edit
    qtbot.keyClicks(edit, "ok")
    qtbot.keyClick(edit, Qt.Key.Key_Return)  # Enter after the last question saves
    assert form.state_label.text().startswith("已保存")
    assert form.focusWidget() is form.scan_edit
    sheet = demo_services.survey_entry.response(sid, home.id)
    assert sheet is not None and sheet.data.collected_by == "lw"
    qs = demo_services.surveys.get_survey(sid).questions
    got = [sheet.data.answers[q.id].choices for q in qs[:8]]
    assert got == [(1,), (0,), (1,), (2,), (3,), (4,), (0,), (0,)]
    assert sheet.data.answers[qs[8].id].text == "ok"

    # The same questionnaire scanned again opens the entered sheet; saving edits it.
    qtbot.keyClicks(form.scan_edit, f"{home.building}-{home.unit}-{home.room}")
    qtbot.keyClick(form.scan_edit, Qt.Key.Key_Return)
    assert "再次保存将修改原答卷" in form.state_label.text()
    assert form.questions[0].value().choices == (1,)  # type: ignore[union-attr]
    qtbot.keyClick(form.questions[0], "5")
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert form.state_label.text().startswith("已修改原答卷")
    assert demo_services.survey_results.coverage(sid).total.answered == 1
    assert demo_services.survey_results.results(sid).questions[0].options[4].count == 1


# the completer's popup: the offscreen platform cannot raise it or grab the keyboard for it
@pytest.mark.qt_log_ignore("This plugin does not support (raise|grabbing the keyboard)")
def test_household_chooser_filters_by_typed_name_pinyin_or_room(  # type: ignore[no-untyped-def]
    qtbot, demo_services: Services
) -> None:
    """No scanner at hand: the clerk types part of a name, its pinyin initials or 3-1-101 into
    the chooser, picks from the short list with the arrow keys and Enter."""
    sid = _open_survey(demo_services)
    homes = demo_services.survey_entry.households(sid)
    home = homes[7]
    form = _entry_form(qtbot, demo_services, sid)
    combo = form.home_combo
    completer = combo.completer()
    assert completer is not None
    line = combo.lineEdit()
    for typed in (home.householder_initials, f"{home.building}-{home.unit}-{home.room}"):
        combo.setFocus()
        line.clear()
        qtbot.keyClicks(line, typed)
        popup = completer.popup()
        qtbot.waitUntil(popup.isVisible)
        shown = [
            completer.completionModel().index(r, 0).data()
            for r in range(completer.completionModel().rowCount())
        ]
        assert home.label in shown
        assert len(shown) < len(homes)  # a short list, not all of them
        row = shown.index(home.label)
        for _ in range(row + 1):
            qtbot.keyClick(popup, Qt.Key.Key_Down)
        qtbot.keyClick(popup, Qt.Key.Key_Return)
        assert form.household == home
        assert home.householder_name in form.household_label.text()
        assert form.state_label.text() == "新答卷"
    _shot(form, "survey_entry_chooser")


def test_required_answers_are_marked(qtbot, demo_services: Services) -> None:  # type: ignore[no-untyped-def]
    sid = _open_survey(demo_services)
    home = demo_services.survey_entry.households(sid)[0]
    form = EntryForm(demo_services)
    qtbot.addWidget(form)
    form.show()
    form.activateWindow()
    qtbot.waitActive(form)
    form.set_survey(sid)
    form.open_household(home)
    qtbot.keyClick(form.questions[0], "2")
    form.save()
    assert form.questions[1].error.text() == "此题必答"
    assert form.focusWidget() is form.questions[1]
    assert demo_services.survey_entry.response(sid, home.id) is None
    # A refusal needs no answers.
    form.outcome_combo.setCurrentIndex(1)
    assert not form.questions[0].isEnabled()
    form.save()
    assert form.state_label.text().startswith("已保存")


def test_unknown_code_says_why(qtbot, demo_services: Services) -> None:  # type: ignore[no-untyped-def]
    sid = _open_survey(demo_services)
    form = EntryForm(demo_services)
    qtbot.addWidget(form)
    form.show()
    form.set_survey(sid)
    qtbot.keyClicks(form.scan_edit, payload.encode(sid + 7, 1))
    qtbot.keyClick(form.scan_edit, Qt.Key.Key_Return)
    assert "另一项调查" in form.error_label.text()
    assert form.household is None


def test_page_designer_coverage_results(
    qtbot, demo_services: Services, runner: TaskRunner, quiet_dialogs
) -> None:  # type: ignore[no-untyped-def]
    page = SurveysPage(demo_services, runner)
    qtbot.addWidget(page)
    page.resize(1400, 800)
    page.show()
    qtbot.waitExposed(page)
    qtbot.waitUntil(lambda: not page.loading())  # the list and its first survey, read off-thread
    titles = [r.title for r in page.model.rows()]
    assert "物业服务满意度调查" in titles and "收费标准意见征询" in titles
    first = next(n for n, r in enumerate(page.model.rows()) if r.id == 1)
    page.view.selectRow(first)
    qtbot.waitUntil(lambda: not page.loading())
    # Survey 1 has answers: its questions are locked in the designer.
    assert page.designer.locked and not page.designer.add_button.isEnabled()
    assert "题目已锁定" in page.designer.lock_label.text()
    _shot(page, "survey_designer")
    page.tabs.setCurrentWidget(page.coverage)
    assert page.coverage.summary.text() == "正在载入……"  # read off-thread
    qtbot.waitUntil(lambda: not page.loading())
    cov = demo_services.survey_results.coverage(1).total
    assert f"应调查 {cov.households} 户" in page.coverage.summary.text()
    # the one breakdown: the window's columns add up, as in the report and the Excel sheet
    model = page.coverage.coverage_model
    heads = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert heads[2:7] == ["住户", "已答卷", "拒答", "无人在家", "未走访"]
    for row in range(model.rowCount()):
        cells = [model.index(row, c).data() for c in range(2, 7)]
        assert int(cells[0]) == sum(int(x) for x in cells[1:]), cells
    assert f"未走访 {cov.not_visited}" in page.coverage.summary.text()
    assert page.coverage.missing_model.rowCount() == len(
        demo_services.survey_results.not_reached(1)
    )
    _shot(page, "survey_coverage")
    page.tabs.setCurrentWidget(page.results)
    qtbot.waitUntil(lambda: not page.loading())
    assert "综合满意率" in page.results.summary.text()
    assert page.results.option_model.rowCount() == 5
    assert len(page.results.chart.series()) == 1
    _shot(page, "survey_results")

    # A new survey from a template: scope a compound, add a question, save, open.
    page.new_survey("楼院问题征集")
    assert page.current() is not None and page.current().title == "楼院问题征集"  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: not page.loading())
    top = page.designer.scope_tree.topLevelItem(0)
    assert top is not None
    top.setCheckState(0, Qt.CheckState.Checked)
    qtbot.mouseClick(page.designer.add_button, Qt.MouseButton.LeftButton)
    page.designer.text_edit.clear()
    qtbot.keyClicks(page.designer.text_edit, "abc")
    qtbot.mouseClick(page.designer.save_button, Qt.MouseButton.LeftButton)
    sid = page.current().id  # type: ignore[union-attr]
    detail = demo_services.surveys.get_survey(sid)
    assert detail.questions[-1].data.text == "abc" and detail.data.scope
    qtbot.mouseClick(page.open_button, Qt.MouseButton.LeftButton)
    assert demo_services.surveys.get_survey(sid).status == "open"
    assert page.current().status_label == "进行中"  # type: ignore[union-attr]


def test_building_satisfaction_says_why_it_is_empty(qtbot, demo_services: Services) -> None:  # type: ignore[no-untyped-def]
    from ui.surveys.results_tab import ResultsTab
    from ui.tasks import TaskRunner

    surveys = demo_services.surveys.list_surveys()
    tab = None
    for row in surveys:
        results = demo_services.survey_results.results(row.id)
        if results.by_building:
            continue
        tab = ResultsTab(demo_services, TaskRunner())
        qtbot.addWidget(tab)
        tab.show()
        tab.set_survey(row.id)
        assert not tab.building_view.isVisible()
        assert tab.building_note.isVisible()
        assert "满意度" in tab.building_note.text()
    assert tab is not None, "the demo has a survey without building satisfaction"


def test_scope_tree_adds_buildings_when_a_compound_is_opened(
    qtbot, demo_services: Services
) -> None:  # type: ignore[no-untyped-def]
    from ui.surveys.designer_tab import DesignerTab

    tab = DesignerTab(demo_services)
    qtbot.addWidget(tab)
    compounds = demo_services.compounds.list_compounds()
    first, second = compounds[0], compounds[1]
    building = demo_services.compounds.list_buildings(second.id)[0]
    tab._fill_scope((ScopeItem(first.id), ScopeItem(second.id, building.id)))
    tree = tab.scope_tree
    tops = {int(tree.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole + 1)): tree.topLevelItem(i)
            for i in range(tree.topLevelItemCount())}  # fmt: skip
    assert tops[first.id].childCount() == 0  # not filled until opened
    assert tops[second.id].childCount() == second.buildings  # partly chosen: shown at once
    assert tops[second.id].checkState(0) == Qt.CheckState.PartiallyChecked
    assert set(tab.scope()) == {ScopeItem(first.id), ScopeItem(second.id, building.id)}
    tops[first.id].setExpanded(True)
    assert tops[first.id].childCount() == first.buildings
    child = tops[first.id].child(0)
    assert child.checkState(0) == Qt.CheckState.Checked
    child.setCheckState(0, Qt.CheckState.Unchecked)
    assert tops[first.id].checkState(0) == Qt.CheckState.PartiallyChecked
    assert ScopeItem(first.id) not in tab.scope()
    assert len([s for s in tab.scope() if s.compound_id == first.id]) == first.buildings - 1
