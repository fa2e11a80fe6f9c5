"""A reusable PDF preview: QtPdf view, print through QPrintDialog, save as."""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtCore import QPointF, QSize, Qt
from PySide6.QtGui import QKeySequence, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui import dialogs, screen_fit


class PdfPreviewDialog(QDialog):
    """Shows one PDF file; the clerk prints it or saves a copy."""

    def __init__(self, path: Path, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path = path
        self.setWindowTitle(title)
        self.resize(screen_fit.fit_size(self, QSize(820, 900)))  # A4 pages, fit to width
        self.document = QPdfDocument(self)
        self.document.load(str(path))
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.pages_label = QLabel(self.tr("共 {0} 页").format(self.document.pageCount()), self)
        buttons = QDialogButtonBox(self)
        self.print_button = QPushButton(self.tr("打印(&P)…"), self)
        self.print_button.setShortcut(QKeySequence(QKeySequence.StandardKey.Print))
        self.save_button = QPushButton(self.tr("另存为(&S)…"), self)
        buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.print_button.clicked.connect(self._on_print_button_clicked)
        self.save_button.clicked.connect(self._on_save_button_clicked)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.pages_label)
        layout.addWidget(buttons)

    def _on_print_button_clicked(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.windowTitle())
        dialog = QPrintDialog(printer, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.print_to(printer)

    def print_to(self, printer: QPrinter) -> None:
        """Render every page at the printer's resolution (100% scale, A4)."""
        painter = QPainter()
        if not painter.begin(printer):
            dialogs.error(self, self.tr("无法连接打印机"))
            return
        try:
            dpi = printer.resolution()
            for page in range(self.document.pageCount()):
                if page:
                    printer.newPage()
                size = self.document.pagePointSize(page)
                image = self.document.render(page, (size * dpi / 72).toSize())
                painter.drawImage(QPointF(0, 0), image)
        finally:
            painter.end()

    def _on_save_button_clicked(self) -> None:
        target = dialogs.save_file(
            self, self.tr("另存为"), self.path.name, self.tr("PDF 文件 (*.pdf)")
        )
        if target:
            shutil.copyfile(self.path, target)
            dialogs.info(self, self.tr("已保存：{0}").format(target))


def preview(path: Path, title: str, parent: QWidget | None = None) -> PdfPreviewDialog:
    """Open a preview window (non-modal) and return it."""
    dialog = PdfPreviewDialog(path, title, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog
