"""The roster import wizard: file → sheets → columns → preview → import → summary."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget, QWizard

from app.roster.dto import Field, FileLayout, ImportOptions, ImportResult
from app.roster.service import ImportPlan
from app.services import Services
from ui import dialogs
from ui.errors import show_failure
from ui.import_wizard_pages import (
    FilePage,
    ImportPage,
    MappingPage,
    PreviewPage,
    SheetPage,
    SummaryPage,
)
from ui.tasks import TaskRunner

logger = logging.getLogger(__name__)
SEPARATOR = "; "  # between files in the path field


def _together(layouts: list[FileLayout]) -> FileLayout:
    """The sheets of several files as one list, each sheet named with its file."""
    if len(layouts) == 1:
        return layouts[0]
    sheets = tuple(
        replace(sheet, name=f"{layout.path.name} / {sheet.name}")
        for layout in layouts
        for sheet in layout.sheets
    )
    return FileLayout(layouts[0].path, sheets)


class ImportWizard(QWizard):
    """Walks the clerk through one file; nothing is written before the import page."""

    imported = Signal(object)  # ImportResult

    def __init__(
        self,
        services: Services,
        runner: TaskRunner,
        path: Path | Sequence[Path] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.runner = runner
        self.file_layout: FileLayout | None = None
        self.mappings: dict[str, dict[str, Field | None]] = {}
        self.plan: ImportPlan | None = None
        self.import_result: ImportResult | None = None
        self.setWindowTitle(self.tr("导入花名册"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.setButtonText(QWizard.WizardButton.NextButton, self.tr("下一步 >"))
        self.setButtonText(QWizard.WizardButton.BackButton, self.tr("< 上一步"))
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("完成"))
        self.setButtonText(QWizard.WizardButton.CancelButton, self.tr("取消"))
        self.resize(960, 640)
        self.file_page = FilePage(self)
        self.sheet_page = SheetPage(self)
        self.mapping_page = MappingPage(self)
        self.preview_page = PreviewPage(self)
        self.import_page = ImportPage(self)
        self.summary_page = SummaryPage(self)
        for page in (
            self.file_page,
            self.sheet_page,
            self.mapping_page,
            self.preview_page,
            self.import_page,
            self.summary_page,
        ):
            self.addPage(page)
        # the sheets read for the first step are kept for the preview, not beyond the wizard
        self.finished.connect(lambda _result: services.rosters.forget_files())
        if path is not None:
            paths = [path] if isinstance(path, Path) else list(path)
            self.file_page.path_edit.setText(SEPARATOR.join(str(p) for p in paths))

    @property
    def paths(self) -> list[Path]:
        """The files typed, picked or dropped (several are separated by semicolons)."""
        text = self.file_page.path_edit.text().replace("；", ";")
        return [Path(part.strip()) for part in text.split(";") if part.strip()]

    @property
    def path(self) -> Path:
        """The first file (it names the file of rejected rows)."""
        paths = self.paths
        return paths[0] if paths else Path()

    def import_options(self) -> ImportOptions:
        return ImportOptions(
            community=self.file_page.community_combo.currentText().strip(),
            default_compound=self.file_page.compound_edit.text().strip(),
            mappings=dict(self.mappings),
        )

    def load_file(self, done: Callable[[bool], None]) -> None:
        """Read the file's sheets and headers off the GUI thread (a 30,000-row roster takes a
        second); `done(True)` once they are here, `done(False)` after a message or a Cancel."""
        paths, options, rosters = self.paths, self.import_options(), self.services.rosters
        task = self.runner.run(
            lambda _progress, _cancelled: [rosters.inspect(p, options) for p in paths],
            label=self.tr("正在读取文件…"),
            parent_widget=self,
        )

        def finished(layouts: list[FileLayout]) -> None:
            done(False if task.is_cancelled() else self._loaded(layouts))

        def failed(exc: object) -> None:
            show_failure(self, exc, self.tr("无法读取文件"))
            done(False)

        task.finished.connect(finished)
        task.failed.connect(failed)

    def _loaded(self, layouts: list[FileLayout]) -> bool:
        layout = _together(layouts)
        self.mappings = {}
        self.plan = None
        if not any(s.is_roster for s in layout.sheets):
            self.file_layout = None
            dialogs.error(
                self,
                self.tr("文件中没有找到花名册表头（需包含房号或姓名等列）。"),
                self.tr("无法导入"),
            )
            return False
        self.file_layout = layout
        return True
