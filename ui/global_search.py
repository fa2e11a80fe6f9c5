"""The one search box (Ctrl+F from anywhere): compounds, households and residents together.

Typing waits ~250 ms, then the search runs on the task runner; a newer search cancels the
older one and its late result is dropped. The hits drop down under the box with their kind
(楼院 / 住户 / 居民); ↑/↓ and Enter or a click open one.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractListModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QLineEdit, QListView, QWidget

from app.errors import AppError, Cancelled
from app.search import SearchHit, SearchService
from ui.tasks import Task, TaskRunner, while_alive

SEARCH_DELAY_MS = 250
HIT_ROLE = Qt.ItemDataRole.UserRole + 1
_Index = QModelIndex | QPersistentModelIndex


class SearchHitsModel(QAbstractListModel):
    """The hits of the last search, or one line saying why there are none."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.hits: list[SearchHit] = []
        self.note = ""

    def show(self, hits: list[SearchHit], note: str = "") -> None:
        self.beginResetModel()
        self.hits, self.note = hits, note
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        if parent.isValid():
            return 0
        return len(self.hits) or (1 if self.note else 0)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not self.hits:
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        if not self.hits:
            return {
                Qt.ItemDataRole.DisplayRole: self.note,
                Qt.ItemDataRole.ForegroundRole: QBrush(QColor("#666666")),
            }.get(Qt.ItemDataRole(role))
        hit = self.hits[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            kind = self.tr(hit.kind_label)
            return f"［{kind}］ {hit.title}　{hit.detail}"
        if role == HIT_ROLE:
            return hit
        return None


class GlobalSearch(QLineEdit):
    """The search box; emits `chosen(SearchHit)` when the clerk opens a hit."""

    chosen = Signal(object)

    def __init__(
        self, search: SearchService, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._search = search
        self._runner = runner
        self._task: Task | None = None
        self._generation = 0
        self.setObjectName("globalSearch")
        self.setClearButtonEnabled(True)
        self.setPlaceholderText(
            self.tr("查找楼院、住户、居民：姓名、拼音首字母、3-1-101、电话、身份证尾号（Ctrl+F）")
        )
        self.setMinimumWidth(300)
        self.timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self.timer.timeout.connect(self.run_search)
        self.model = SearchHitsModel(self)
        top = parent.window() if parent is not None else None
        self.popup = QListView(top)
        self.popup.setObjectName("globalSearchHits")
        self.popup.setModel(self.model)
        self.popup.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # typing stays in the box
        self.popup.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.popup.setUniformItemSizes(True)
        self.popup.setStyleSheet(
            "#globalSearchHits { border: 1px solid palette(mid); background: palette(base); }"
        )
        self.popup.hide()
        self.popup.clicked.connect(self._open)
        self.textEdited.connect(self._on_text_edited)
        self.returnPressed.connect(self._on_return_pressed)

    # -- searching ------------------------------------------------------------------------

    def _on_text_edited(self, _text: str) -> None:
        self._cancel_running()
        if not self.text().strip():
            self.timer.stop()
            self.hide_hits()
            return
        self.timer.start()

    def _cancel_running(self) -> None:
        self._generation += 1
        if self._task is not None and not self._task.done:
            self._task.cancel()
        self._task = None

    def run_search(self) -> None:
        """Search now for the box's text (in the background)."""
        self.timer.stop()
        self._cancel_running()
        text = self.text().strip()
        if not text:
            return
        generation = self._generation
        search = self._search
        self.model.show([], self.tr("正在查找……"))
        self._show_hits()
        task = self._runner.run(lambda _p, cancelled: search.search(text, cancelled=cancelled))
        task.finished.connect(
            while_alive(self, lambda hits: self._on_found(generation, text, hits))
        )
        task.failed.connect(while_alive(self, lambda exc: self._on_failed(generation, exc)))
        self._task = task

    def _on_found(self, generation: int, text: str, hits: object) -> None:
        if generation != self._generation:
            return  # a newer search is on its way
        assert isinstance(hits, list)
        note = (
            ""
            if hits
            else self.tr(
                "没有找到“{0}”。可以输入姓名、拼音首字母（如 zs）、房号（如 3-1-101）、"
                "电话或身份证后几位"
            ).format(text)
        )
        self.model.show(hits, note)
        self._show_hits()
        if hits:
            self.popup.setCurrentIndex(self.model.index(0, 0))

    def _on_failed(self, generation: int, exc: object) -> None:
        if generation != self._generation or isinstance(exc, Cancelled):
            return
        message = exc.message if isinstance(exc, AppError) else self.tr("查找失败")
        self.model.show([], message)
        self._show_hits()

    # -- the drop-down --------------------------------------------------------------------

    def _show_hits(self) -> None:
        top = self.popup.parentWidget()
        if top is None or not self.isVisible():
            return
        rows = max(1, min(self.model.rowCount(), 12))
        height = rows * max(self.popup.sizeHintForRow(0), self.fontMetrics().height() + 6) + 4
        width = max(self.width(), 520)
        corner = self.mapTo(top, QPoint(self.width() - width, self.height()))
        corner.setX(max(0, corner.x()))
        self.popup.setGeometry(corner.x(), corner.y(), min(width, top.width()), height)
        self.popup.show()
        self.popup.raise_()

    def hide_hits(self) -> None:
        self.popup.hide()

    def hits_shown(self) -> bool:
        return self.popup.isVisible()

    def _open(self, index: QModelIndex) -> None:
        hit = self.model.data(index, HIT_ROLE)
        if isinstance(hit, SearchHit):
            self.hide_hits()
            self.chosen.emit(hit)

    def _on_return_pressed(self) -> None:
        if self.timer.isActive() or not self.hits_shown():
            self.run_search()
            return
        index = self.popup.currentIndex()
        if index.isValid():
            self._open(index)

    def focus(self) -> None:
        self.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.selectAll()
        if self.text().strip() and self.model.rowCount():
            self._show_hits()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        key = event.key()
        if self.hits_shown() and key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
            rows = self.model.rowCount()
            if self.model.hits and rows:
                row = self.popup.currentIndex().row()
                row = (row + (1 if key == Qt.Key.Key_Down else -1)) % rows
                self.popup.setCurrentIndex(self.model.index(row, 0))
            return
        if key == Qt.Key.Key_Escape and self.hits_shown():
            self.hide_hits()
            return
        super().keyPressEvent(event)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusOut:
            # Clicking a hit does not take the focus (the list has none); anything else
            # that does closes the drop-down.
            QTimer.singleShot(0, self._hide_unless_focused)
        return super().event(event)

    def _hide_unless_focused(self) -> None:
        if not self.hasFocus():
            self.hide_hits()
