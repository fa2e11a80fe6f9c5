"""Importing scanned questionnaires: pick the files, read them off the GUI thread (progress,
Cancel), then review what the reader was not sure of — each item's image crop beside its
question, one keypress to decide — and save the stack in one go."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.surveys.scanning import ANSWER, DUPLICATE, Decision, ReviewItem, ScanRun, ScanService
from ui import dialogs
from ui.errors import show_failure
from ui.tasks import TaskRunner

FILES = "扫描文件 (*.pdf *.png *.jpg *.jpeg *.tif *.tiff);;所有文件 (*)"


def import_scans(
    parent: QWidget,
    runner: TaskRunner,
    scanner: ScanService,
    survey_id: int,
    files: Sequence[str] | None = None,
) -> None:
    """Ask for the files (unless given), read them in the background, then review."""
    if files is None:
        files = dialogs.open_files(parent, parent.tr("导入扫描问卷"), "", parent.tr(FILES))
    if not files:
        return
    paths = [Path(f) for f in files]
    task = runner.run(
        lambda progress, cancelled: scanner.read(survey_id, paths, progress, cancelled),
        title=parent.tr("导入扫描问卷"),
        label=parent.tr("正在读取扫描问卷……"),
        parent_widget=parent,
    )

    def done(run: object) -> None:
        assert isinstance(run, ScanRun)
        dialog = ScanReviewDialog(run, scanner, runner, parent)
        parent.scan_review = dialog  # type: ignore[attr-defined]  # for tests
        dialog.open()

    task.finished.connect(done)
    task.failed.connect(lambda exc: show_failure(parent, exc))


class ScanReviewDialog(QDialog):
    """The run's totals, then its review items one at a time.

    Keys: 1-9 choose that option (a multiple-choice question toggles it), 0 no answer,
    Enter accept and go on; on a second sheet 1 uses this sheet and 0 keeps the old one.
    """

    saved = Signal(object)  # the CommitResult

    def __init__(
        self, run: ScanRun, scanner: ScanService, runner: TaskRunner, parent: QWidget | None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("扫描问卷复核"))
        self.run = run
        self._scanner = scanner
        self._runner = runner
        self.items: list[ReviewItem] = run.reviews
        self.decisions: dict[str, Decision] = {}
        self._pending: dict[str, Decision] = {}
        self.index = 0
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.position = QLabel(self)
        self.reason = QLabel(self)
        self.reason.setStyleSheet("color: #b03000;")
        self.reason.setWordWrap(True)
        self.image = QLabel(self)
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.image.setMinimumSize(480, 160)
        scroll = QScrollArea(self)
        scroll.setWidget(self.image)
        scroll.setWidgetResizable(True)
        self.question = QLabel(self)
        self.question.setWordWrap(True)
        self.question.setTextFormat(Qt.TextFormat.RichText)
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        self.prev_button = QPushButton(self.tr("上一项"), self)
        self.next_button = QPushButton(self.tr("确认并下一项 (Enter)"), self)
        self.save_button = QPushButton(self.tr("保存入库"), self)
        self.cancel_button = QPushButton(self.tr("取消"), self)
        for b in (self.prev_button, self.next_button, self.save_button, self.cancel_button):
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            b.setAutoDefault(False)
        self.prev_button.clicked.connect(lambda: self._go(self.index - 1))
        self.next_button.clicked.connect(self.accept_item)
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.cancel_button.clicked.connect(self.reject)
        self._layout(scroll)
        self.resize(1000, 520)
        self._show()

    def _layout(self, scroll: QScrollArea) -> None:
        side = QVBoxLayout()
        side.addWidget(self.position)
        side.addWidget(self.reason)
        side.addWidget(self.question, 1)
        side.addWidget(self.hint)
        body = QHBoxLayout()
        body.addWidget(scroll, 3)
        body.addLayout(side, 2)
        buttons = QHBoxLayout()
        buttons.addWidget(self.prev_button)
        buttons.addWidget(self.next_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(body, 1)
        layout.addLayout(buttons)

    # ------------------------------------------------------------ what the clerk sees

    def _totals_text(self) -> str:
        t = self.run.totals()
        text = self.tr(
            "共 {0} 页：读取 {1} 页（与已导入相同 {2} 页），"
            "待复核 {3} 页，拒收 {4} 页，空白 {5} 页。"
        ).format(t["pages"], t["read"], t["unchanged"], t["to_review"], t["refused"], t["blank"])
        refused = [p for p in self.run.pages if p.status == "refused"]
        for p in refused[:5]:
            text += "\n" + self.tr("拒收：{0} 第{1}页：{2}").format(p.file, p.page, p.message)
        open_items = len(self.items) - len(self.decisions)
        text += "\n" + self.tr("复核项 {0} 个，未决定 {1} 个。").format(len(self.items), open_items)
        return text

    def _current(self) -> ReviewItem | None:
        return self.items[self.index] if 0 <= self.index < len(self.items) else None

    def _show(self) -> None:
        self.summary.setText(self._totals_text())
        item = self._current()
        self.prev_button.setEnabled(self.index > 0)
        self.next_button.setEnabled(item is not None)
        if item is None:
            self.position.setText(self.tr("没有需要复核的项目。"))
            self.reason.clear()
            self.question.clear()
            self.hint.setText(self.tr("点“保存入库”保存读取清楚的答卷。"))
            self.image.clear()
            return
        page = self.run.pages[item.page_index]
        where = self.tr("第 {0}/{1} 项　{2} 第{3}页　{4}").format(
            self.index + 1, len(self.items), page.file, page.page, page.household or ""
        )
        self.position.setText(where)
        self.reason.setText(item.reason)
        pixmap = QPixmap()
        if item.image and pixmap.loadFromData(item.image, "PNG"):
            width = min(pixmap.width(), 580)
            mode = Qt.TransformationMode.SmoothTransformation
            self.image.setPixmap(pixmap.scaledToWidth(width, mode))
        else:
            self.image.setText(self.tr("（无图像）"))
        self.question.setText(self._question_html(item))
        self.hint.setText(self._hint(item))

    def _chosen(self, item: ReviewItem) -> Decision | None:
        if item.key in self._pending:
            return self._pending[item.key]
        return self.decisions.get(item.key)

    def _question_html(self, item: ReviewItem) -> str:
        if item.kind == DUPLICATE:
            choice = self._chosen(item)
            state = (
                "未决定" if choice is None else ("用这份替换" if choice is True else "保留原答卷")
            )
            return self.tr("同一住户已有答卷。当前决定：<b>{0}</b>").format(self.tr(state))
        if item.kind != ANSWER:
            return self.tr("这一页不能自动读取，请按纸质问卷手工录入。")
        chosen = self._chosen(item)
        picked = chosen if isinstance(chosen, tuple) else item.read
        lines = [f"<b>{item.question_number}. {item.question_text}</b>"]
        for n, label in enumerate(item.options):
            mark = "☑" if n in picked else "☐"
            lines.append(f"{mark} {n + 1} {label}")
        if chosen is None:
            lines.append(self.tr("（读到的选项已预选，按 Enter 确认）"))
        return "<br>".join(lines)

    def _hint(self, item: ReviewItem) -> str:
        if item.kind == DUPLICATE:
            return self.tr("按 1 用这份替换，按 0 保留原答卷，Enter 确认")
        if item.kind != ANSWER:
            return self.tr("按 Enter 跳过（这一页不入库）")
        if item.multiple:
            return self.tr("按数字键勾选/取消选项，0 为未作答，Enter 确认")
        return self.tr("按选项数字键选择，0 为未作答，Enter 确认")

    # ------------------------------------------------------------ deciding

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.accept_item()
        elif Qt.Key.Key_0 <= key <= Qt.Key.Key_9:
            self.press_digit(key - Qt.Key.Key_0)
        elif key == Qt.Key.Key_Left:
            self._go(self.index - 1)
        else:
            super().keyPressEvent(event)

    def press_digit(self, digit: int) -> None:
        item = self._current()
        if item is None:
            return
        if item.kind == DUPLICATE:
            if digit in (0, 1):
                self._pending[item.key] = digit == 1
                self.accept_item()
            return
        if item.kind != ANSWER or digit > len(item.options):
            return
        if digit == 0:
            self._pending[item.key] = ()
        elif item.multiple:
            now = self._chosen(item)
            current = set(now if isinstance(now, tuple) else item.read)
            current ^= {digit - 1}
            self._pending[item.key] = tuple(sorted(current))
            self._show()
            return
        else:
            self._pending[item.key] = (digit - 1,)
        self.accept_item()

    def accept_item(self) -> None:
        """Keep the current item's decision (what was read, unless changed) and go on."""
        item = self._current()
        if item is None:
            return
        if item.kind == ANSWER:
            chosen = self._chosen(item)
            self.decisions[item.key] = chosen if chosen is not None else item.read
        elif item.kind == DUPLICATE:
            chosen = self._chosen(item)
            if chosen is None:
                return  # 1 or 0 first
            self.decisions[item.key] = chosen
        self._pending.pop(item.key, None)
        self._go(self.index + 1)

    def _go(self, index: int) -> None:
        self.index = max(0, min(index, len(self.items)))
        self._show()

    # ------------------------------------------------------------ saving

    def _on_save_button_clicked(self) -> None:
        undecided = [
            i for i in self.items if i.kind in (ANSWER, DUPLICATE) and i.key not in self.decisions
        ]
        if undecided and not dialogs.confirm(
            self,
            self.tr("保存入库"),
            self.tr("还有 {0} 项未复核，这些页将不入库（可稍后重新导入）。继续保存？").format(
                len(undecided)
            ),
        ):
            return
        decisions = dict(self.decisions)
        task = self._runner.run(
            lambda _p, _c: self._scanner.commit(self.run, decisions),
            writes=True,
            title=self.tr("保存扫描问卷"),
            label=self.tr("正在保存答卷……"),
            parent_widget=self,
        )

        def done(result: object) -> None:
            self.saved.emit(result)
            saved = getattr(result, "saved", 0)
            same = getattr(result, "unchanged", 0)
            skipped = getattr(result, "skipped_pages", 0)
            dialogs.info(
                self,
                self.tr("已保存 {0} 户答卷；{1} 户与已导入的相同；{2} 页未入库。").format(
                    saved, same, skipped
                ),
            )
            self.accept()

        task.finished.connect(done)
        task.failed.connect(lambda exc: show_failure(self, exc))


class ImagesDialog(QDialog):
    """Handwritten answers of a question, as scanned."""

    def __init__(self, title: str, images: list[tuple[str, bytes]], parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        inner = QWidget(self)
        layout = QVBoxLayout(inner)
        for label, png in images:
            layout.addWidget(QLabel(label, inner))
            picture = QLabel(inner)
            pixmap = QPixmap()
            pixmap.loadFromData(png, "PNG")
            picture.setPixmap(pixmap)
            layout.addWidget(picture)
        scroll = QScrollArea(self)
        scroll.setWidget(inner)
        outer = QVBoxLayout(self)
        outer.addWidget(scroll)
        self.resize(1000, 600)
