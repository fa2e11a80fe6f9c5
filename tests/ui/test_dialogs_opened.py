"""The dialogs and tabs no other test opened, each opened and driven a little like a clerk:
work brief, notice, problem categories, password, user, exemptions editor, and the survey
designer, coverage and results tabs on their own."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit
from pytestqt.qtbot import QtBot
from qt_typing import type_text

from app.fees.dto import ExemptionRule
from app.fees.errors import FeeError
from app.registry.dto import HOUSEHOLD_STATUSES
from app.services import Services
from app.surveys.dto import QuestionInput, ScopeItem, SurveyInput
from ui import dialogs
from ui.tasks import TaskRunner

PASSWORD = "Qiangmima-2026"


@pytest.fixture
def said(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(dialogs, "info", lambda _p, m, *_a: shown.append(m))
    monkeypatch.setattr(dialogs, "error", lambda _p, m, *_a: shown.append("ERROR " + m))
    return shown


@pytest.fixture
def pdfs(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Path, str]]:
    """PDFs the dialogs and tabs would preview."""
    shown: list[tuple[Path, str]] = []

    def record(path: Path, title: str, _parent: object = None) -> None:
        shown.append((path, title))

    monkeypatch.setattr("ui.governance.brief_dialog.show_pdf", record)
    monkeypatch.setattr("ui.governance.notice_dialog.show_pdf", record)
    monkeypatch.setattr("ui.surveys.files.open_pdf", lambda _p, path, title: record(path, title))
    return shown


def test_brief_dialog_drafts_from_the_data_and_prints(
    qtbot: QtBot, demo_services: Services, said: list[str], pdfs: list[tuple[Path, str]]
) -> None:
    from ui.governance.brief_dialog import BriefDialog

    dialog = BriefDialog(demo_services)
    qtbot.addWidget(dialog)
    body = dialog.body_edit.toPlainText()
    assert dialog.title_edit.text() and "楼院" in body  # drafted on opening
    type_text(qtbot, dialog.office_edit, "中心路街道办事处")
    qtbot.mouseClick(dialog.draft_button, Qt.MouseButton.LeftButton)
    assert "中心路街道办事处" in dialog.header_edit.text() + dialog.body_edit.toPlainText()
    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    ((path, title),) = pdfs
    assert title == "工作简报" and path.read_bytes().startswith(b"%PDF")
    dialog.body_edit.clear()
    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    assert said == ["ERROR 简报正文为空"] and len(pdfs) == 1


def test_notice_dialog_needs_a_title_then_prints_one_page_per_compound(
    qtbot: QtBot, demo_services: Services, pdfs: list[tuple[Path, str]], tmp_path: Path
) -> None:
    from ui.governance.notice_dialog import NoticeDialog

    dialog = NoticeDialog(demo_services)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    assert dialog.error_label.text() and pdfs == []  # nothing typed: a message, no paper
    type_text(qtbot, dialog.title_edit, "关于清理楼道杂物的通知")
    dialog.body_edit.setPlainText("请各住户于本周六前清理楼道内堆放的杂物。")
    for n in (0, 1):
        dialog.compound_list.item(n).setCheckState(Qt.CheckState.Checked)
    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    assert dialog.error_label.text() == "请填写落款单位" and pdfs == []
    type_text(qtbot, dialog.office_edit, "幸福里社区居民委员会")
    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    assert not dialog.error_label.text()
    ((path, title),) = pdfs
    assert title == "张贴通知" and path.read_bytes().startswith(b"%PDF")
    assert dialog.notice().compounds == tuple(dialog.compound_list.item(n).text() for n in (0, 1))
    assert dialog.write(tmp_path / "again.pdf") == 2  # one sheet per compound


def test_categories_dialog_adds_renames_and_refuses_a_used_one(
    qtbot: QtBot, demo_services: Services, said: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from ui.governance.categories_dialog import CategoriesDialog

    dialog = CategoriesDialog(demo_services)
    qtbot.addWidget(dialog)
    before = dialog.model.rowCount()
    assert before > 0
    monkeypatch.setattr(dialogs, "ask_text", lambda *_a: "高空抛物")
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    names = [r.name for r in dialog.model.rows()]
    assert dialog.model.rowCount() == before + 1 and "高空抛物" in names
    dialog.table.selectRow(names.index("高空抛物"))
    monkeypatch.setattr(dialogs, "ask_text", lambda *_a: "高空坠物")
    qtbot.mouseClick(dialog.rename_button, Qt.MouseButton.LeftButton)
    assert "高空坠物" in [r.name for r in dialog.model.rows()]
    used = next(n for n, r in enumerate(dialog.model.rows()) if r.problems > 0)
    dialog.table.selectRow(used)
    monkeypatch.setattr(dialogs, "confirm", lambda *_a: True)
    qtbot.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)
    assert said and said[-1].startswith("ERROR ")  # a category in use stays
    assert dialog.model.rowCount() == before + 1


def test_user_and_password_dialogs(qtbot: QtBot, demo_services: Services) -> None:
    from ui.password_dialog import PasswordDialog
    from ui.user_edit_dialog import UserEditDialog

    users = demo_services.users
    add = UserEditDialog(users, None)
    qtbot.addWidget(add)
    qtbot.keyClicks(add.username, "lisi")
    type_text(qtbot, add.display_name, "李四")
    add.role.setCurrentIndex(add.role.findData("viewer"))
    add.password.setText("1")  # too short: refused, dialog stays open
    add._on_buttons_accepted()  # noqa: SLF001 - the 保存 button's slot
    assert add.message.text() and add.result() == 0
    add.password.setText(PASSWORD)
    with qtbot.waitSignal(add.accepted):
        add._on_buttons_accepted()  # noqa: SLF001
    row = next(u for u in users.list_users() if u.username == "lisi")
    assert row.display_name == "李四" and row.role == "viewer"

    edit = UserEditDialog(users, row)
    qtbot.addWidget(edit)
    assert edit.username.isReadOnly() and edit.active.isChecked()
    edit.active.setChecked(False)
    with qtbot.waitSignal(edit.accepted):
        edit._on_buttons_accepted()  # noqa: SLF001
    assert not next(u for u in users.list_users() if u.username == "lisi").active

    saved: list[tuple[str, str]] = []
    password = PasswordDialog("修改密码", lambda old, new: saved.append((old, new)), ask_old=True)
    qtbot.addWidget(password)
    qtbot.keyClicks(password.old, "old-one")
    qtbot.keyClicks(password.new, PASSWORD)
    qtbot.keyClicks(password.again, PASSWORD + "x")
    password._on_buttons_accepted()  # noqa: SLF001
    assert password.message.text() == "两次输入的新密码不一致" and saved == []
    password.again.setText(PASSWORD)
    with qtbot.waitSignal(password.accepted):
        password._on_buttons_accepted()  # noqa: SLF001
    assert saved == [("old-one", PASSWORD)]


def test_exemptions_editor_rows_and_rules(qtbot: QtBot) -> None:
    from ui.fees.exemptions_editor import AMOUNT, MODE, SUBJECT, ExemptionsEditor

    first = ExemptionRule("status", HOUSEHOLD_STATUSES[0], "percent", 50)  # the first subject
    editor = ExemptionsEditor((first,))
    qtbot.addWidget(editor)
    assert editor.rules() == (first,)
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    assert editor.table.rowCount() == 2
    subject = editor.table.cellWidget(1, SUBJECT)
    mode = editor.table.cellWidget(1, MODE)
    amount = editor.table.cellWidget(1, AMOUNT)
    assert isinstance(subject, QComboBox) and isinstance(mode, QComboBox)
    assert isinstance(amount, QLineEdit)
    assert subject.currentData() != f"status:{first.match}"  # a subject not used yet
    subject.setCurrentIndex(subject.findData("tag:低保"))
    mode.setCurrentIndex(mode.findData("fixed"))
    amount.setText("10")
    assert editor.rules()[1] == ExemptionRule("tag", "低保", "fixed", 1000)
    amount.setText("十元")
    with pytest.raises(FeeError):
        editor.rules()
    editor.table.selectRow(1)
    qtbot.mouseClick(editor.remove_button, Qt.MouseButton.LeftButton)
    assert editor.table.rowCount() == 1


def test_survey_designer_tab_alone(qtbot: QtBot, demo_services: Services) -> None:
    from ui.surveys.designer_tab import DesignerTab

    surveys = demo_services.surveys
    compound = demo_services.compounds.list_compounds()[0]
    sid = surveys.create_survey(
        SurveyInput(
            "楼道照明意见",
            scope=(ScopeItem(compound.id, None),),
            questions=(
                QuestionInput("satisfaction5", "照明满意吗"),
                QuestionInput("text", "还有什么建议"),
            ),
        )
    )
    tab = DesignerTab(demo_services)
    qtbot.addWidget(tab)
    tab.set_survey(None)
    assert not tab.isEnabled()
    tab.set_survey(sid)
    assert tab.isEnabled() and not tab.locked and tab.question_list.count() == 2
    tab.question_list.setCurrentRow(1)
    qtbot.mouseClick(tab.up_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
    tab.text_edit.clear()
    type_text(qtbot, tab.text_edit, "夜间是否安全")
    with qtbot.waitSignal(tab.saved):
        qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    texts = [q.data.text for q in surveys.get_survey(sid).questions]
    assert texts == ["还有什么建议", "照明满意吗", "夜间是否安全"]
    tab.title_edit.clear()
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert tab.error_label.text()  # no title: refused, told on the tab
    assert surveys.get_survey(sid).data.title == "楼道照明意见"


def test_survey_coverage_and_results_tabs_alone(  # noqa: PLR0917
    qtbot: QtBot,
    demo_services: Services,
    runner: TaskRunner,
    said: list[str],
    pdfs: list[tuple[Path, str]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from openpyxl import load_workbook

    from ui.surveys.coverage_tab import CoverageTab
    from ui.surveys.results_tab import ResultsTab

    results = demo_services.survey_results
    coverage = CoverageTab(demo_services, runner)
    qtbot.addWidget(coverage)
    coverage.set_survey(1)
    missing = results.not_reached(1)
    assert coverage.missing_model.rowCount() == len(missing) > 0
    assert f"（{len(missing)} 户" in coverage.missing_label.text()
    qtbot.mouseClick(coverage.print_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(pdfs) == 1)
    assert pdfs[0][1] == "未走到住户名单" and pdfs[0][0].read_bytes().startswith(b"%PDF")
    out = tmp_path / "未走到.xlsx"
    monkeypatch.setattr(dialogs, "save_file", lambda *_a: str(out))
    qtbot.mouseClick(coverage.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(said))
    assert said == [f"已保存：{out}"] and load_workbook(out).worksheets

    tab = ResultsTab(demo_services, runner)
    qtbot.addWidget(tab)
    tab.set_survey(1)
    assert "综合满意率" in tab.summary.text() and tab.question_list.count() > 1
    tab.question_list.setCurrentRow(1)
    assert tab.detail.text()
    qtbot.mouseClick(tab.report_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(pdfs) == 2)
    assert pdfs[1][1] == "调查结果报告"
    runner.wait()
