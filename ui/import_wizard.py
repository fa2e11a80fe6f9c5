"""The roster import wizard: file → sheets → columns → preview → import → summary.

The import's state is an `app.roster.flow.ImportFlow` (Qt-free, tested headless); each page
receives it and drives one step of it."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget, QWizard

from app.roster.flow import ImportFlow, paths_text
from app.services import Services
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


class ImportWizard(QWizard):
    """Walks the clerk through the files; nothing is written before the import page."""

    imported = Signal(object)  # ImportResult

    def __init__(
        self,
        services: Services,
        runner: TaskRunner,
        path: Path | Sequence[Path] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.flow = ImportFlow(services.rosters)
        self.setWindowTitle(self.tr("导入花名册"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.setButtonText(QWizard.WizardButton.NextButton, self.tr("下一步 >"))
        self.setButtonText(QWizard.WizardButton.BackButton, self.tr("< 上一步"))
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("完成"))
        self.setButtonText(QWizard.WizardButton.CancelButton, self.tr("取消"))
        self.resize(960, 640)
        communities = [c.name for c in services.compounds.communities()]
        self.file_page = FilePage(self.flow, runner, communities, self)
        self.sheet_page = SheetPage(self.flow, self)
        self.mapping_page = MappingPage(self.flow, self)
        self.preview_page = PreviewPage(self.flow, runner, self)
        self.import_page = ImportPage(self.flow, runner, self)
        self.summary_page = SummaryPage(self.flow, self)
        for page in (
            self.file_page,
            self.sheet_page,
            self.mapping_page,
            self.preview_page,
            self.import_page,
            self.summary_page,
        ):
            self.addPage(page)
        self.import_page.imported.connect(self.imported)
        self.finished.connect(lambda _result: self.flow.close())
        if path is not None:
            paths = [path] if isinstance(path, Path) else list(path)
            self.file_page.path_edit.setText(paths_text(paths))

    @property
    def paths(self) -> list[Path]:
        """The files typed, picked or dropped."""
        return self.flow.paths
