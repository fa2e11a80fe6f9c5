"""The import wizard driven like a clerk: file, sheets, columns, preview, import, summary."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QMainWindow, QWizard
from qt_typing import type_text
from roster_corpus import messy_xlsx

from app.roster.dto import Fate, Field
from app.services import Services
from ui import dialogs
from ui.export_dialog import ExportDialog
from ui.import_wizard import ImportWizard
from ui.models.roster_preview_model import RosterPreviewModel
from ui.roster_actions import RosterActions
from ui.tasks import TaskRunner


def _next(qtbot, wizard: QWizard) -> None:  # type: ignore[no-untyped-def]
    button = wizard.button(QWizard.WizardButton.NextButton)
    assert button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _next_from_file(qtbot, wizard: ImportWizard) -> None:  # type: ignore[no-untyped-def]
    """Next on the file page: the file is read in the background, then the wizard moves on."""
    _next(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.currentPage() is not wizard.file_page)


def test_wizard_imports_a_messy_file(
    qtbot, demo_services: Services, runner: TaskRunner, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    path = messy_xlsx(tmp_path / "roster.xlsx")
    before = demo_services.stats.summary()["households"]
    wizard = ImportWizard(demo_services, runner)
    qtbot.addWidget(wizard)
    wizard.show()
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    qtbot.keyClicks(wizard.file_page.path_edit, str(path))
    _next(qtbot, wizard)
    # Reading happens off the GUI thread: the page waits, Next disabled, until it is done.
    assert wizard.currentPage() is wizard.file_page
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.sheet_page)
    assert wizard.sheet_page.sheet_combo.currentText() == "3号楼"
    assert "第 3 行是表头" in wizard.sheet_page.status.text()
    assert wizard.sheet_page.sheet_combo.itemText(0) == "填表说明（跳过）"
    _next(qtbot, wizard)
    assert "所有列都已识别" in wizard.mapping_page.subTitle()
    _next(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.flow.plan is not None)
    counts = wizard.preview_page.counts.text()
    assert "新增 6 户" in counts and "拒绝 8 行" in counts and "新建楼院：和平里小区" in counts
    table = wizard.preview_page.table
    assert table.model().rowCount() == 17
    combo = wizard.preview_page.filter
    combo.setCurrentIndex(combo.findData(Fate.REJECTED))
    assert table.model().rowCount() == 8
    note = table.model().index(0, table.model().columnCount() - 1).data()
    assert "身份证号" in note
    monkeypatch.setattr(dialogs, "confirm", lambda *a: True)
    saved = tmp_path / "rejects.xlsx"
    monkeypatch.setattr(dialogs, "save_file", lambda *a: str(saved))
    _next(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.summary_page)
    assert "新增 6 户" in wizard.summary_page.text.text()
    assert "8 行未导入" in wizard.summary_page.text.text()
    qtbot.mouseClick(wizard.summary_page.save_rejects, Qt.MouseButton.LeftButton)
    assert openpyxl.load_workbook(saved)["3号楼"]["A1"].value == "行号"
    assert "已保存 8 行" in wizard.summary_page.text.text()
    assert demo_services.stats.summary()["households"] == before + 6
    wizard.grab().save(str(Path("shots") / "import_wizard_summary.png"))


def test_mapping_step_places_unknown_headers(
    qtbot, demo_services: Services, runner: TaskRunner, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "odd.csv"
    path.write_text("楼院名称,楼号,房号,姓名,住房建面\n新院,1,101,甲,50\n", encoding="utf-8")
    wizard = ImportWizard(demo_services, runner, path)
    qtbot.addWidget(wizard)
    wizard.show()
    type_text(qtbot, wizard.file_page.compound_edit, "")
    _next_from_file(qtbot, wizard)
    _next(qtbot, wizard)
    page = wizard.mapping_page
    assert "有 1 列未能识别" in page.subTitle()
    header, combo = page.combos[next(iter(page.combos))][-1]
    assert header == "住房建面"
    combo.setCurrentIndex(combo.findData(Field.AREA))
    _next(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.flow.plan is not None)
    assert "新增 1 户" in wizard.preview_page.counts.text()
    # remembered for the next file with the same headers
    layout = demo_services.rosters.inspect(path).sheets[0]
    assert layout.mapping()[4] is Field.AREA


def test_a_file_without_a_roster_stays_on_the_first_page(
    qtbot, demo_services: Services, runner: TaskRunner, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    shown: list[str] = []
    monkeypatch.setattr(dialogs, "error", lambda _parent, message, *a: shown.append(message))
    path = tmp_path / "notes.csv"
    path.write_text("会议记录\n今天讨论了绿化\n", encoding="utf-8")
    wizard = ImportWizard(demo_services, runner, path)
    qtbot.addWidget(wizard)
    wizard.show()
    _next(qtbot, wizard)
    qtbot.waitUntil(lambda: bool(shown))
    assert "没有找到花名册表头" in shown[0]
    assert wizard.currentPage() is wizard.file_page
    assert wizard.button(QWizard.WizardButton.NextButton).isEnabled()  # may pick another file
    bad = tmp_path / "broken.xlsx"
    bad.write_bytes(b"not a zip")
    wizard.file_page.path_edit.setText(str(bad))
    _next(qtbot, wizard)
    qtbot.waitUntil(lambda: len(shown) == 2)
    assert "无法读取文件" in shown[1] and wizard.currentPage() is wizard.file_page


def test_preview_model(qtmodeltester, demo_services: Services, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    plan = demo_services.rosters.plan([messy_xlsx(tmp_path / "m.xlsx")])
    model = RosterPreviewModel()
    model.set_rows(list(plan.preview.rows) * 100)
    assert model.rowCount() == 500 and model.canFetchMore(model.index(-1, -1))
    model.fetchMore(model.index(-1, -1))
    assert model.rowCount() == 1000
    qtmodeltester.check(model)


def test_drop_a_file_opens_the_wizard(
    qtbot, demo_services: Services, runner: TaskRunner, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    window = QMainWindow()
    qtbot.addWidget(window)
    actions = RosterActions(window, demo_services, runner)
    path = messy_xlsx(tmp_path / "m.xlsx")
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(path))])
    drop = QDropEvent(
        QPointF(QPoint(5, 5)), Qt.DropAction.CopyAction, data,
        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
    )  # fmt: skip
    assert actions.eventFilter(window, drop)
    assert actions.wizard is not None
    assert actions.wizard.file_page.path_edit.text() == str(path)
    actions.wizard.close()
    actions.runner.wait()


def test_export_dialog_masked_by_default(
    qtbot, demo_services: Services, runner: TaskRunner, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "export.xlsx"
    monkeypatch.setattr(dialogs, "save_file", lambda *a: str(out))
    monkeypatch.setattr(dialogs, "info", lambda *a: None)
    dialog = ExportDialog(demo_services, runner)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.unmasked.isChecked() and dialog.all_radio.isChecked()
    radio = dialog.some_radio
    qtbot.mouseClick(radio, Qt.MouseButton.LeftButton, pos=QPoint(8, radio.height() // 2))
    assert radio.isChecked() and dialog.list.isEnabled()
    first = dialog.model.item(0)
    first.setCheckState(Qt.CheckState.Checked)
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: dialog.result_ is not None)
    ws = openpyxl.load_workbook(out).worksheets[0]
    assert len(openpyxl.load_workbook(out).worksheets) == 1
    assert "****" in str(ws["G3"].value)


def test_several_files_in_one_import(
    qtbot, demo_services: Services, runner: TaskRunner, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    first = messy_xlsx(tmp_path / "roster.xlsx")
    second = tmp_path / "second.csv"
    second.write_text("楼院名称,楼号,房号,户主姓名,建筑面积\n新院,1,101,甲,50\n", encoding="utf-8")
    picked = [str(first), str(second)]
    monkeypatch.setattr(dialogs, "open_files", lambda *a: picked)
    before = demo_services.stats.summary()["households"]
    wizard = ImportWizard(demo_services, runner)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.mouseClick(wizard.file_page.browse, Qt.MouseButton.LeftButton)
    assert wizard.paths == [first, second]
    _next_from_file(qtbot, wizard)
    sheets = [
        wizard.sheet_page.sheet_combo.itemText(i)
        for i in range(wizard.sheet_page.sheet_combo.count())
    ]
    assert "roster.xlsx / 3号楼" in sheets and "second.csv / second" in sheets
    _next(qtbot, wizard)
    _next(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.flow.plan is not None)
    assert "新增 7 户" in wizard.preview_page.counts.text()  # 6 from the workbook, 1 from the CSV
    monkeypatch.setattr(dialogs, "confirm", lambda *a: True)
    _next(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.summary_page)
    assert demo_services.stats.summary()["households"] == before + 7


def test_dropping_several_files(
    qtbot, demo_services: Services, runner: TaskRunner, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    window = QMainWindow()
    qtbot.addWidget(window)
    actions = RosterActions(window, demo_services, runner)
    paths = [messy_xlsx(tmp_path / "a.xlsx"), messy_xlsx(tmp_path / "b.xlsx")]

    def drop(files: list[Path]) -> bool:
        data = QMimeData()
        data.setUrls([QUrl.fromLocalFile(str(p)) for p in files])
        event = QDropEvent(
            QPointF(QPoint(5, 5)), Qt.DropAction.CopyAction, data,
            Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
        )  # fmt: skip
        return actions.eventFilter(window, event)

    note = tmp_path / "note.txt"
    note.write_text("x", encoding="utf-8")
    assert not drop([paths[0], note])  # one of them is no roster: the drop is refused
    assert actions.wizard is None
    assert drop(paths)
    assert actions.wizard is not None and actions.wizard.paths == paths
    actions.wizard.close()
    actions.runner.wait()


def test_many_new_compounds_are_counted_in_order(
    qtbot, demo_services: Services, runner: TaskRunner, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """A street-wide roster: the first few new compounds by name (第2 before 第10), the rest
    counted, and the line wraps instead of running under the filter."""
    path = tmp_path / "street.csv"
    lines = ["楼院名称,楼号,房号,户主姓名,建筑面积"]
    lines += [f"第{n}楼院,1,101,甲,50" for n in (10, 2, 1, 9, 8, 7, 6, 5, 4, 3, 11, 12)]
    path.write_text("\n".join(lines), encoding="utf-8")
    wizard = ImportWizard(demo_services, runner, path)
    qtbot.addWidget(wizard)
    wizard.show()
    _next_from_file(qtbot, wizard)
    _next(qtbot, wizard)
    _next(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.flow.plan is not None)
    counts = wizard.preview_page.counts
    shown = "、".join(f"第{n}楼院" for n in range(1, 7))
    assert f"新建楼院 12 个：{shown} 等" in counts.text()
    assert counts.wordWrap()


def test_closing_the_wizard_drops_the_sheets_it_read(
    qtbot, demo_services: Services, runner: TaskRunner, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    forgotten: list[bool] = []
    monkeypatch.setattr(demo_services.rosters, "forget_files", lambda: forgotten.append(True))
    wizard = ImportWizard(demo_services, runner, messy_xlsx(tmp_path / "roster.xlsx"))
    qtbot.addWidget(wizard)
    wizard.show()
    _next_from_file(qtbot, wizard)
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.CancelButton), Qt.MouseButton.LeftButton)
    assert forgotten == [True]
