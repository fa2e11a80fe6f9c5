"""Showing a PDF we wrote: the shared preview (print/save) when present, else the system viewer."""

from __future__ import annotations

import importlib
import logging
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QWidget

logger = logging.getLogger(__name__)


def show_pdf(path: Path, title: str, parent: QWidget | None = None) -> None:
    """Open the PDF in ui.pdf_preview (QtPdf view, QPrintDialog); without it, in the system's
    PDF viewer."""
    try:
        module = importlib.import_module("ui.pdf_preview")
    except ImportError:  # pragma: no cover - the shared preview ships with the fees area
        logger.info("ui.pdf_preview missing; opening %s with the system viewer", path)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
        return
    module.preview(path, title, parent)
