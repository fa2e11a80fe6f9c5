"""Writing a survey's files from the window: ask where, run the job off the GUI thread,
then preview a PDF or report where the workbook went."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QWidget

from app.jobs import IsCancelled, Progress
from ui import dialogs
from ui.errors import show_failure
from ui.tasks import TaskRunner


def run_file_job(
    parent: QWidget,
    runner: TaskRunner,
    job: Callable[[Path, Progress, IsCancelled], object],
    *,
    title: str,
    suggested: str,
    pdf: bool,
) -> None:
    """A PDF goes to a temporary file and opens in the preview (print / save as there);
    a workbook is saved where the clerk says."""
    if pdf:
        out = Path(tempfile.mkdtemp(prefix="louyuan-")) / suggested
    else:
        chosen = dialogs.save_file(parent, title, suggested, parent.tr("Excel 工作簿 (*.xlsx)"))
        if not chosen:
            return
        out = Path(chosen)
    task = runner.run(
        lambda progress, cancelled: job(out, progress, cancelled),
        title=title,
        label=parent.tr("正在生成“{0}”……").format(title),
        parent_widget=parent,
    )

    def done(_result: object) -> None:
        if pdf:
            open_pdf(parent, out, title)
        else:
            dialogs.info(parent, parent.tr("已保存：{0}").format(out))

    task.finished.connect(done)
    task.failed.connect(lambda exc: show_failure(parent, exc))


def open_pdf(parent: QWidget, path: Path, title: str) -> None:
    from ui.pdf_preview import preview

    preview(path, title, parent)
