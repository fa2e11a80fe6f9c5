"""The fee section driven like a clerk: keyboard payments, a billing run, the ledger."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.services import Services
from ui.fees.billing_dialog import BillingDialog
from ui.fees.fees_page import FeesPage
from ui.fees.payment_dialog import PaymentDialog
from ui.fees.tabs import ArrearsTab, ExpensesTab, PaymentsTab
from ui.pdf_preview import PdfPreviewDialog
from ui.tasks import TaskRunner


@pytest.fixture
def page(qtbot: QtBot, demo_services: Services, runner: TaskRunner) -> FeesPage:
    widget = FeesPage(demo_services, runner)
    qtbot.addWidget(widget)
    widget.compound_combo.setCurrentText("粮食局家属院")
    qtbot.waitUntil(lambda: not widget.busy())  # read in the background
    return widget


def test_payment_dialog_by_keyboard_alone(qtbot: QtBot, page: FeesPage) -> None:
    dialog = PaymentDialog(page.fees.payments, page.compound_id or 0, page.compound_name)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    qtbot.keyClicks(dialog.room_edit, "9-9-909")
    qtbot.keyClick(dialog.room_edit, Qt.Key.Key_Return)
    assert "找不到" in dialog.info_label.text()
    dialog.room_edit.clear()
    qtbot.keyClicks(dialog.room_edit, "1-1-101")
    qtbot.keyClick(dialog.room_edit, Qt.Key.Key_Return)
    assert "1号楼1单元101" in dialog.info_label.text()
    assert dialog.amount_edit.hasFocus()
    qtbot.keyClicks(dialog.amount_edit, "53.91")  # replaces the selected suggestion
    qtbot.keyClick(dialog.amount_edit, Qt.Key.Key_Return)
    assert dialog.method_combo.hasFocus(), (dialog.amount_edit.text(), dialog.status_label.text())
    qtbot.keyClick(dialog.method_combo, Qt.Key.Key_Down)  # 微信
    with qtbot.waitSignal(dialog.paid) as paid:
        qtbot.keyClick(dialog.method_combo, Qt.Key.Key_Return)
    receipt = paid.args[0]
    assert receipt.amount_fen == 5391 and receipt.method == "微信"
    assert receipt.receipt_no in dialog.status_label.text()
    assert dialog.room_edit.hasFocus() and dialog.room_edit.text() == ""
    assert dialog.isVisible()  # ready for the next room


def test_payment_from_the_page_previews_the_receipt(qtbot: QtBot, page: FeesPage) -> None:
    page.tabs.setCurrentWidget(page.payments_tab)
    page.payments_tab.open_payment_dialog()
    dialog = page.payments_tab.dialog
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    qtbot.keyClicks(dialog.room_edit, "1-1-102")
    qtbot.keyClick(dialog.room_edit, Qt.Key.Key_Return)
    qtbot.keyClick(dialog.amount_edit, Qt.Key.Key_Return)  # the suggested amount: all owed
    qtbot.keyClick(dialog.method_combo, Qt.Key.Key_Return)
    preview = page.last_preview
    assert isinstance(preview, PdfPreviewDialog)
    qtbot.addWidget(preview)
    assert preview.document.pageCount() == 1
    assert "收据" in preview.windowTitle()
    dialog.reject()
    qtbot.waitUntil(lambda: not page.busy())  # read in the background
    assert page.payments_tab.model.rowCount() > 0


def test_billing_dialog_preview_then_run(qtbot: QtBot, page: FeesPage, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("ui.dialogs.info", lambda *a, **k: None)
    dialog = BillingDialog(
        page.fees.billing, page.runner, page.compound_id or 0, page.compound_name
    )
    qtbot.addWidget(dialog)
    dialog.period_edit.setText("2026-12")
    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    assert dialog.run_button.isEnabled()
    billable = dialog.model.rowCount()
    assert billable > 0 and "户计费" in dialog.summary_label.text()
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        qtbot.mouseClick(dialog.run_button, Qt.MouseButton.LeftButton)
    assert dialog.outcome is not None and dialog.outcome.charges > 0
    dialog.period_edit.setText("2026-12")
    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    assert not dialog.run_button.isEnabled()  # already billed: nothing to do
    page.runner.wait()


def test_ledger_filters_and_models(
    qtbot: QtBot, qtmodeltester, page: FeesPage, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    total = page.charge_model.rowCount()
    assert total > 0 and "收缴率" in page.summary_label.text()
    page.unpaid_check.setChecked(True)
    qtbot.waitUntil(lambda: not page.busy())  # read in the background
    assert 0 < page.charge_model.rowCount() < total
    page.tabs.setCurrentWidget(page.arrears_tab)  # a tab's rows are read when it is shown
    qtbot.waitUntil(lambda: not page.busy())  # read in the background
    qtmodeltester.check(page.charge_model)
    qtmodeltester.check(page.arrears_tab.model)
    qtmodeltester.check(page.payments_tab.model)
    from app.fees.export import export_arrears

    out = tmp_path / "a.xlsx"
    export_arrears(out, page.arrears_tab.model.rows)
    from openpyxl import load_workbook

    sheet = load_workbook(out).active
    assert sheet is not None
    assert sheet["A1"].value == "楼院" and sheet.freeze_panes == "A2"
    assert sheet.cell(2, 4).data_type == "s"  # phone as text
    assert str(sheet.cell(sheet.max_row, 1).value).startswith("合计")


def test_expense_added_then_deleted_with_a_reason(
    qtbot: QtBot, page: FeesPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    tab = page.expenses_tab
    page.show()
    page.tabs.setCurrentWidget(tab)
    qtbot.waitExposed(page)
    tab.reload()
    qtbot.waitUntil(lambda: not tab.busy())
    before = tab.model.rowCount()
    assert not tab.delete_button.isEnabled()  # nothing selected
    tab.month_edit.clear()
    qtbot.keyClicks(tab.month_edit, "2026-10")
    tab.category_combo.setCurrentText("绿化")
    qtbot.keyClicks(tab.amount_edit, "321.50")
    qtbot.keyClick(tab.amount_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: tab.model.rowCount() == before + 1)
    row = next(
        i for i, r in enumerate(tab.model.rows) if r.amount_fen == 32150 and r.category == "绿化"
    )
    tab.table.selectRow(row)
    assert tab.delete_button.isEnabled()
    asked: list[object] = []
    monkeypatch.setattr("ui.dialogs.ask_text", lambda *a: asked.append(a))  # cancelled
    qtbot.mouseClick(tab.delete_button, Qt.MouseButton.LeftButton)
    assert len(asked) == 1
    assert tab.model.rowCount() == before + 1
    monkeypatch.setattr("ui.dialogs.ask_text", lambda *a: "  ")  # no reason given
    qtbot.mouseClick(tab.delete_button, Qt.MouseButton.LeftButton)
    assert tab.error_label.text() == "删除支出记录必须填写原因"
    monkeypatch.setattr("ui.dialogs.ask_text", lambda *a: "金额录错")
    qtbot.mouseClick(tab.delete_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.model.rowCount() == before)
    assert tab.error_label.text() == "已删除：2026-10 绿化 321.50 元"
    assert all(r.amount_fen != 32150 for r in tab.model.rows)
    entries = page.services.audit_log.page().rows
    assert any(e.entity == "fee_expense" and e.note == "金额录错" for e in entries)


def test_exports_and_reminders_run_in_the_background(
    qtbot: QtBot, page: FeesPage, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from openpyxl import load_workbook

    page.show()
    qtbot.waitExposed(page)
    infos: list[str] = []
    monkeypatch.setattr("ui.dialogs.info", lambda _p, message, *a, **k: infos.append(message))
    target = tmp_path / "台账.xlsx"
    monkeypatch.setattr("ui.dialogs.save_file", lambda *a: str(target))
    qtbot.mouseClick(page.export_charges_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(infos))
    assert infos == [f"已导出：{target}"]
    sheet = load_workbook(target).active
    assert sheet is not None and sheet.max_row == page.charge_model.rowCount() + 2
    arrears = page.arrears_tab
    page.tabs.setCurrentWidget(arrears)
    assert not arrears.export_button.isEnabled()  # until the rows to export are in
    qtbot.waitUntil(arrears.export_button.isEnabled)
    target = tmp_path / "欠费.xlsx"
    qtbot.mouseClick(arrears.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(infos) == 2)
    assert load_workbook(target).active["A1"].value == "楼院"  # type: ignore[index]
    shown: list[tuple[Path, str]] = []
    monkeypatch.setattr(
        "ui.pdf_preview.preview", lambda path, title, _p: shown.append((path, title))
    )
    qtbot.mouseClick(arrears.reminder_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(shown))  # the tab's pdf_ready reached the page's preview
    path, title = shown[0]
    assert title == "催缴通知单" and path.read_bytes().startswith(b"%PDF")
    page.runner.wait()


def test_fee_tabs_stand_alone_and_talk_by_signals(
    qtbot: QtBot, demo_services: Services, runner: TaskRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A tab needs no page: its service, the runner and set_compound(); it asks for a preview
    and tells of moved money by signals."""
    fees = demo_services.fees
    cid, name = next((c, n) for c, n in fees.ledger.compounds() if n == "粮食局家属院")
    expenses = ExpensesTab(fees, runner)
    qtbot.addWidget(expenses)
    assert expenses.model.rowCount() == 0  # no compound yet
    expenses.set_compound(cid, name)
    qtbot.waitUntil(lambda: not expenses.busy())
    assert expenses.model.rowCount() == len(fees.expenses.list_expenses(cid)) > 0
    with qtbot.waitSignal(expenses.pdf_ready) as pdf:
        qtbot.mouseClick(expenses.accounts_button, Qt.MouseButton.LeftButton)
    path, title = pdf.args
    assert title == "收支公示" and path.read_bytes().startswith(b"%PDF")

    payments = PaymentsTab(fees, runner)
    qtbot.addWidget(payments)
    payments.set_compound(cid, name)
    assert payments.total_label.text() == "正在载入……"
    qtbot.waitUntil(lambda: not payments.busy())
    assert payments.model.rowCount() > 0
    payments.table.selectRow(0)
    monkeypatch.setattr("ui.dialogs.ask_text", lambda *a: "收错了户")
    with qtbot.waitSignal(payments.data_changed):
        qtbot.mouseClick(payments.void_button, Qt.MouseButton.LeftButton)

    arrears = ArrearsTab(fees, runner)
    qtbot.addWidget(arrears)
    arrears.set_compound(cid, name)
    qtbot.waitUntil(lambda: not arrears.busy())
    owed = fees.ledger.arrears(cid)
    assert arrears.model.rowCount() == len(owed) > 0
    assert f"欠费 {len(owed)} 户" in arrears.total_label.text()


@pytest.mark.parametrize(("paper", "width_mm"), [("A4", (210, 297)), ("A3", (297, 420))])
def test_accounts_posting_on_a4_or_a3(
    qtbot: QtBot,
    page: FeesPage,
    monkeypatch: pytest.MonkeyPatch,
    paper: str,
    width_mm: tuple[int, int],
) -> None:
    """The clerk picks the paper of the 收支公示; it is signed (落款) by the scheme's manager."""
    from pypdf import PdfReader

    page.show()
    qtbot.waitExposed(page)
    tab = page.expenses_tab
    page.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: not page.busy())
    tab.paper_combo.setCurrentIndex(tab.paper_combo.findData(paper))
    with qtbot.waitSignal(tab.pdf_ready) as pdf:
        qtbot.mouseClick(tab.accounts_button, Qt.MouseButton.LeftButton)
    path, title = pdf.args
    box = PdfReader(path).pages[0].mediabox
    sides = sorted(round(float(v) / 72 * 25.4) for v in (box.width, box.height))
    assert tuple(sides) == width_mm and title == "收支公示"
    text = PdfReader(path).pages[-1].extract_text()
    assert page.fees.documents.issuer_for(page.compound_id or 0) in text and "年" in text


@pytest.mark.parametrize("unpaid_only", [False, True])
def test_notices_paid_households_marked_or_left_out(
    qtbot: QtBot, page: FeesPage, monkeypatch: pytest.MonkeyPatch, unpaid_only: bool
) -> None:
    """Paid households are printed 已缴清 by default; 只看未缴清 leaves them out."""
    from pypdf import PdfReader

    page.show()
    qtbot.waitExposed(page)
    shown: list[object] = []
    monkeypatch.setattr(page, "show_pdf", lambda path, title: shown.append(path))
    page.period_edit.setText("2026-10")
    page.period_edit.editingFinished.emit()
    page.unpaid_check.setChecked(unpaid_only)
    page.per_page_combo.setCurrentIndex(page.per_page_combo.findData(1))
    assert not page.notices_button.isEnabled()  # until the charges filtered are in
    qtbot.waitUntil(lambda: not page.busy())  # read in the background
    qtbot.mouseClick(page.notices_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(shown), timeout=30000)
    page.runner.wait()
    reader = PdfReader(shown[0])  # type: ignore[arg-type]
    texts = [p.extract_text() for p in reader.pages]
    assert len(texts) == page.charge_model.rowCount()  # one A4 per notice
    settled = [t for t in texts if "已缴清，感谢您的支持" in t]
    assert (not settled) == unpaid_only
    assert all("计算：建筑面积" in t and "回执" in t for t in texts)


def test_arrears_export_masks_phones_unless_an_admin_asks(
    qtbot: QtBot, demo_services: Services, runner: TaskRunner, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    """欠费清单 exports masked phones; an admin may tick 导出完整电话 (audited), a clerk
    does not see the box."""
    from openpyxl import load_workbook

    from app.audit import Actor
    from app.fees.service import FeeServices

    fees = demo_services.fees
    cid = next(c for c, _name in fees.ledger.compounds() if fees.ledger.arrears(c))
    tab = ArrearsTab(fees, runner)
    qtbot.addWidget(tab)
    tab.set_compound(cid, "楼院")
    qtbot.waitUntil(tab.export_button.isEnabled)
    infos: list[str] = []
    monkeypatch.setattr("ui.dialogs.info", lambda _p, message, *a, **k: infos.append(message))

    def export(name: str) -> set[str]:
        target = tmp_path / name
        monkeypatch.setattr("ui.dialogs.save_file", lambda *a: str(target))
        qtbot.mouseClick(tab.export_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: any(name in i for i in infos))
        sheet = load_workbook(target).active
        assert sheet is not None
        return {str(c.value) for row in sheet.iter_rows() for c in row if c.value}

    phones = {r.phone for r in tab.model.rows if r.phone}
    assert phones and tab.unmasked_check.isVisibleTo(tab)
    assert not phones & export("masked.xlsx")
    tab.unmasked_check.setChecked(True)
    assert phones <= export("full.xlsx")
    clerk = FeeServices.build(demo_services.db.sessions, Actor("clerk", "clerk"))
    other = ArrearsTab(clerk, runner)
    qtbot.addWidget(other)
    assert not other.unmasked_check.isVisibleTo(other)
    runner.wait()
