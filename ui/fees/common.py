"""Small helpers of the fee pages: a table view, temporary PDF paths."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from PySide6.QtWidgets import QAbstractItemView, QTableView, QWidget

from app.config import data_dir

RESIZE_PRECISION = 50


def table(parent: QWidget) -> QTableView:
    view = QTableView(parent)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setAlternatingRowColors(True)
    view.verticalHeader().hide()
    view.horizontalHeader().setStretchLastSection(True)
    # resizeColumnsToContents measures the rows shown and a few more, not thousands.
    view.horizontalHeader().setResizeContentsPrecision(RESIZE_PRECISION)
    view.verticalHeader().setResizeContentsPrecision(RESIZE_PRECISION)
    return view


def pdf_path(stem: str) -> Path:
    """A fresh file for a generated PDF, under the data folder's documents directory."""
    folder = data_dir() / "documents"
    folder.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f"{stem}_", suffix=".pdf", dir=folder)
    os.close(fd)
    return Path(name)
