"""Roster entries of the main window: File menu actions and dropping a file on the window."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QMainWindow, QMenu

from app.auth import Permission, allowed
from app.errors import AppError
from app.roster.reader import SUFFIXES
from app.services import Services
from ui import dialogs
from ui.tasks import TaskRunner

if TYPE_CHECKING:
    # The dialogs load when first opened, not with the main window.
    from ui.import_wizard import ImportWizard


def roster_files(event: QDragEnterEvent | QDropEvent) -> list[Path]:
    """The roster files a drag carries: all of them, or none when one is something else."""
    urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
    paths = [Path(url.toLocalFile()) for url in urls if url.isLocalFile()]
    if not paths or len(paths) != len(urls):
        return []
    return paths if all(p.suffix.lower() in SUFFIXES for p in paths) else []


class RosterActions(QObject):
    """导入花名册…, 导出花名册…, 下载导入模板…, and the window as a drop target."""

    def __init__(self, window: QMainWindow, services: Services, runner: TaskRunner) -> None:
        super().__init__(window)
        self._window = window
        self._services = services
        self.runner = runner
        self.wizard: ImportWizard | None = None
        self.import_action = QAction(self.tr("导入花名册…"), self)
        self.export_action = QAction(self.tr("导出花名册…"), self)
        self.template_action = QAction(self.tr("下载导入模板…"), self)
        self.import_action.setEnabled(allowed(services.actor, Permission.IMPORT_ROSTER))
        self.import_action.triggered.connect(lambda: self.open_wizard())
        self.export_action.triggered.connect(self._on_export_triggered)
        self.template_action.triggered.connect(self._on_template_triggered)
        window.setAcceptDrops(True)
        window.installEventFilter(self)

    def add_file_actions(self, menu: QMenu) -> None:
        menu.addAction(self.import_action)
        menu.addAction(self.export_action)
        menu.addAction(self.template_action)
        menu.addSeparator()

    def open_wizard(self, path: Path | list[Path] | None = None) -> ImportWizard:
        from ui.import_wizard import ImportWizard

        self.wizard = ImportWizard(self._services, self.runner, path, self._window)
        self.wizard.imported.connect(self._on_imported)
        self.wizard.show()
        return self.wizard

    def _on_imported(self, _result: object) -> None:
        page = getattr(self._window, "registry_page", None)
        if page is not None:
            page.reload_compounds()
            page.emit_summary()

    def _on_export_triggered(self) -> None:
        """The export starts from what the registry shows: its selected compound, or the
        compounds its filters list."""
        page = getattr(self._window, "registry_page", None)
        selected = page.selected_compound_id() if page is not None else None
        listed = page.filtered_compound_ids() if page is not None else None
        from ui.export_dialog import ExportDialog

        ExportDialog(self._services, self.runner, selected, self._window, listed=listed).exec()

    def _on_template_triggered(self) -> None:
        out = dialogs.save_file(
            self._window, self.tr("下载导入模板"), self.tr("花名册导入模板.xlsx"), "Excel (*.xlsx)"
        )
        if not out:
            return
        try:
            self._services.rosters.write_template(Path(out))
        except AppError as exc:
            dialogs.error(self._window, exc.message)
            return
        dialogs.info(self._window, self.tr("模板已保存到 {0}").format(out))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._window and self.import_action.isEnabled():
            if event.type() == QEvent.Type.DragEnter:
                assert isinstance(event, QDragEnterEvent)
                if roster_files(event):
                    event.acceptProposedAction()
                    return True
            elif event.type() == QEvent.Type.Drop:
                assert isinstance(event, QDropEvent)
                paths = roster_files(event)
                if paths:
                    event.acceptProposedAction()
                    self.open_wizard(paths)
                    return True
        return super().eventFilter(watched, event)
