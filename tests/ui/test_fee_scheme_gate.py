"""The scheme editor picks the 议事决议 and the satisfaction survey; the scheme tab shows where
the survey gate stands, and 启用收费 says why not while it is unmet."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from app.services import Services
from ui.fees.fees_page import FeesPage
from ui.fees.scheme_dialog import SchemeDialog
from ui.tasks import TaskRunner


@pytest.fixture
def page(qtbot: QtBot, demo_services: Services, runner: TaskRunner) -> FeesPage:
    widget = FeesPage(demo_services, runner)
    qtbot.addWidget(widget)
    widget.compound_combo.setCurrentText("粮食局家属院")  # the demo's scheme gated on survey 1
    widget.show()
    qtbot.waitExposed(widget)
    qtbot.waitUntil(lambda: not widget.busy())  # read in the background
    return widget


def _select_row(page: FeesPage, scheme_id: int) -> None:
    for row in range(page.scheme_model.rowCount()):
        if page.scheme_model.row_at(row).id == scheme_id:
            page.scheme_table.selectRow(row)
            return
    raise AssertionError(f"scheme {scheme_id} not listed")


def test_dialog_fields_save_the_gate_and_resolution(
    qtbot: QtBot, page: FeesPage, monkeypatch: Any
) -> None:
    monkeypatch.setattr("ui.dialogs.info", lambda *a, **k: None)
    qtbot.mouseClick(page.new_scheme_button, Qt.MouseButton.LeftButton)
    dialog = page.last_scheme_dialog
    assert isinstance(dialog, SchemeDialog)
    surveys = [dialog.survey_combo.itemText(i) for i in range(dialog.survey_combo.count())]
    assert surveys[0] == "不设调查门槛"
    assert any(t.startswith("物业服务满意度调查（") for t in surveys[1:])
    assert not dialog.threshold_spin.isEnabled() and not dialog.coverage_spin.isEnabled()
    assert dialog.threshold_spin.text() == "2/3（默认）"
    assert dialog.coverage_spin.text() == "50%（默认）"
    resolutions = page.services.governance.resolutions_for_compound(page.compound_id or 0)
    assert dialog.resolution_combo.itemText(0) == "无"
    assert dialog.resolution_combo.count() == len(resolutions) + 1 >= 2

    dialog.start_edit.clear()
    qtbot.keyClicks(dialog.start_edit, "2027-03")
    dialog.survey_combo.setCurrentIndex(next(i for i, t in enumerate(surveys) if "满意度" in t))
    assert dialog.threshold_spin.isEnabled() and dialog.coverage_spin.isEnabled()
    dialog.threshold_spin.selectAll()
    qtbot.keyClicks(dialog.threshold_spin, "95")
    dialog.coverage_spin.selectAll()
    qtbot.keyClicks(dialog.coverage_spin, "60")
    dialog.resolution_combo.setCurrentIndex(1)
    box = dialog.findChild(QDialogButtonBox)
    assert box is not None
    qtbot.mouseClick(box.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)
    assert dialog.error_label.text() == ""
    qtbot.waitUntil(lambda: not page.busy())  # the page reloads its schemes
    saved = dialog.saved
    assert saved is not None
    assert (saved.survey_title, saved.satisfaction_threshold, saved.min_coverage) == (
        "物业服务满意度调查",
        95,
        60,
    )
    assert saved.resolution is not None and saved.resolution.id == resolutions[0].id

    # The new draft is listed first; the panel says where it stands.
    _select_row(page, saved.id)
    gate = page.fees.schemes.gate_status(saved.id)
    assert gate is not None and not gate.met
    status = page.scheme_status
    assert status.gate_label.text() == (
        "满意度调查“物业服务满意度调查”满意率不低于 95%、覆盖率不低于 60%"
    )
    assert "要求 95.0%" in status.figures_label.text()
    assert status.figures_label.text().endswith("未达到")
    assert status.message_label.text() == gate.message
    assert status.basis_label.text().startswith("依据：") and "居民议事会决议" in (
        status.basis_label.text()
    )
    assert page.edit_scheme_button.isEnabled()


def test_status_of_the_demo_scheme_and_the_activate_button(
    qtbot: QtBot, page: FeesPage, monkeypatch: Any
) -> None:
    schemes = page.fees.schemes
    active = next(r for r in schemes.list_schemes(page.compound_id) if r.state == "active")
    _select_row(page, active.id)
    status = page.scheme_status
    assert status.gate_label.text().endswith("满意率不低于 67%、覆盖率不低于 50%")
    assert "（要求 67.0%，有效答卷" in status.figures_label.text()
    assert status.figures_label.text().endswith("已达到")
    assert status.message_label.text().endswith("已达到收费条件")
    assert status.basis_label.text().startswith("依据：2026年")
    assert not page.edit_scheme_button.isEnabled()

    # A new scheme asking for 99% cannot be activated; the button says why.
    from app.fees.dto import SchemeInput

    draft = schemes.save_scheme(
        SchemeInput(
            compound_id=active.compound_id,
            price="0.45",
            start_month="2027-06",
            survey_id=active.survey_id,
            satisfaction_threshold=99,
        )
    )
    schemes.change_state(draft.id, "posted")
    schemes.change_state(draft.id, "transition")
    page.refresh()
    qtbot.waitUntil(lambda: not page.busy())
    _select_row(page, draft.id)
    message = page.scheme_status.message_label.text()
    assert "未达到 99.0%" in message and message.endswith("暂不能开始收费")
    activate = page.state_buttons["active"]
    assert activate.toolTip() == message
    errors: list[str] = []
    asked: list[str] = []
    monkeypatch.setattr("ui.dialogs.error", lambda _p, m, *a, **k: errors.append(m))
    monkeypatch.setattr("ui.dialogs.ask_text", lambda *a: asked.append("x") or "理由")
    qtbot.mouseClick(activate, Qt.MouseButton.LeftButton)
    assert errors == [message] and asked == []
    assert schemes.get_scheme(draft.id).state == "transition"


def test_exemptions_table_edits_percentages_and_fixed_amounts(
    qtbot: QtBot, demo: Services, monkeypatch: Any
) -> None:
    """The demo's fixed-amount 低保 rule is shown, changed, a row added and one removed."""
    from PySide6.QtWidgets import QComboBox, QLineEdit

    from ui.fees.exemptions_editor import AMOUNT, MODE, SUBJECT

    monkeypatch.setattr("ui.dialogs.info", lambda *a, **k: None)
    schemes = demo.fees.schemes
    scheme = next(
        s
        for s in schemes.list_schemes()
        if s.state == "draft" and any(r.mode == "fixed" for r in s.exemptions)
    )
    dialog = SchemeDialog(schemes, scheme.compound_id, "楼院", scheme)
    qtbot.addWidget(dialog)
    table = dialog.exemptions.table
    assert table.rowCount() == len(scheme.exemptions)

    def cell(row: int, column: int) -> Any:
        return table.cellWidget(row, column)

    fixed_row = next(r for r in range(table.rowCount()) if cell(r, MODE).currentData() == "fixed")
    fixed = next(r for r in scheme.exemptions if r.mode == "fixed")
    assert cell(fixed_row, SUBJECT).currentData() == f"{fixed.kind}:{fixed.match}"
    amount: QLineEdit = cell(fixed_row, AMOUNT)
    assert amount.text() == f"{fixed.value / 100:.2f}"
    amount.selectAll()
    qtbot.keyClicks(amount, "12.50")
    # A new row: 独居 households pay 30% less.
    qtbot.mouseClick(dialog.exemptions.add_button, Qt.MouseButton.LeftButton)
    new_row = table.rowCount() - 1
    subject: QComboBox = cell(new_row, SUBJECT)
    subject.setCurrentIndex(subject.findData("tag:独居"))
    typed: QLineEdit = cell(new_row, AMOUNT)
    typed.selectAll()
    qtbot.keyClicks(typed, "30")
    rules = {(r.kind, r.match): r for r in dialog.input().exemptions}
    assert rules[(fixed.kind, fixed.match)].value == 1250
    assert rules[(fixed.kind, fixed.match)].mode == "fixed"
    assert rules[("tag", "独居")].mode == "percent" and rules[("tag", "独居")].value == 30
    # A bad amount is refused with the row's subject, and nothing is saved.
    typed.selectAll()
    qtbot.keyClicks(typed, "150")
    box = dialog.findChild(QDialogButtonBox)
    assert box is not None
    save = box.button(QDialogButtonBox.StandardButton.Save)
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    assert dialog.error_label.text() == "“独居户”的减免比例应为 1～100 的整数"
    assert dialog.saved is None
    # The row removed; the changed fixed amount is what the scheme keeps.
    table.selectRow(new_row)
    qtbot.mouseClick(dialog.exemptions.remove_button, Qt.MouseButton.LeftButton)
    assert table.rowCount() == len(scheme.exemptions)
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    assert dialog.saved is not None
    kept = {(r.kind, r.match): r for r in schemes.get_scheme(scheme.id).exemptions}
    assert kept[(fixed.kind, fixed.match)].value == 1250


def test_a_scheme_changed_elsewhere_is_not_moved_on_from_a_stale_list(
    qtbot: QtBot, page: FeesPage, monkeypatch: Any
) -> None:
    """The list shows a draft; another window changes its price; 公示 from this list is refused
    with the stale-write message, the state stays, and the list shows the new price."""
    from app.fees.dto import SchemeInput

    schemes = page.services.fees.schemes
    cid = page.compound_id
    assert cid is not None
    draft = schemes.save_scheme(SchemeInput(compound_id=cid, price="0.45", start_month="2027-06"))
    page.refresh()
    qtbot.waitUntil(lambda: not page.busy())
    _select_row(page, draft.id)
    shown = page.selected_scheme()
    assert shown is not None and shown.id == draft.id
    fresh = schemes.get_scheme(draft.id)
    again = SchemeInput(compound_id=cid, price="0.48", start_month="2027-06")
    schemes.save_scheme(again, fresh.id, expected_version=fresh.version)
    errors: list[str] = []
    monkeypatch.setattr("ui.dialogs.error", lambda _p, m, *a, **k: errors.append(m))
    qtbot.mouseClick(page.state_buttons["posted"], Qt.MouseButton.LeftButton)
    assert len(errors) == 1 and "已被他人修改" in errors[0]
    assert schemes.get_scheme(draft.id).state == "draft"
    qtbot.waitUntil(lambda: not page.busy())
    rows = [page.scheme_model.row_at(r) for r in range(page.scheme_model.rowCount())]
    assert next(r for r in rows if r.id == draft.id).price_milli == 480
