"""The registry's filter bar: community, grid, management mode, and a debounced search box."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QWidget

from app.registry.dto import CommunityRef, GridRef

SEARCH_DELAY_MS = 200
SCOPE_COMPOUNDS, SCOPE_HOUSEHOLDS = 0, 1


class RegistryFilterBar(QWidget):
    """Emits `filters_changed` at once for a combo, `search_due` ~200 ms after typing stops."""

    filters_changed = Signal()
    community_changed = Signal()
    scope_changed = Signal()
    search_due = Signal()
    search_submitted = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self.community_combo = QComboBox(self)
        self.grid_combo = QComboBox(self)
        self.grid_combo.setMinimumContentsLength(14)
        self.mode_combo = QComboBox(self)
        self.people_combo = QComboBox(self)
        self.people_combo.setToolTip(self.tr("只列出有此标签或此治理身份的居民的住户"))
        self.scope_combo = QComboBox(self)
        self.scope_combo.addItems([self.tr("查楼院"), self.tr("查住户")])
        self.scope_combo.setToolTip(
            self.tr(
                "查楼院：按名称、地址、楼院长筛选楼院；"
                "查住户：在全部楼院中按户主、电话、房号查找住户"
            )
        )
        self.search_edit = QLineEdit(self)
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMinimumWidth(260)
        self._update_placeholder()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        for label, widget in (
            (self.tr("社区"), self.community_combo),
            (self.tr("网格"), self.grid_combo),
            (self.tr("管理模式"), self.mode_combo),
            (self.tr("居民"), self.people_combo),
        ):
            layout.addWidget(QLabel(label, self))
            layout.addWidget(widget)
            layout.addSpacing(6)
        layout.addStretch(1)
        layout.addWidget(self.scope_combo)
        layout.addWidget(self.search_edit, 2)
        self.community_combo.currentIndexChanged.connect(self.community_changed)
        self.grid_combo.currentIndexChanged.connect(self._on_combo_changed)
        self.mode_combo.currentIndexChanged.connect(self._on_combo_changed)
        self.people_combo.currentIndexChanged.connect(self._on_combo_changed)
        self.scope_combo.currentIndexChanged.connect(self._on_scope_combo_changed)
        self.search_edit.textChanged.connect(self._timer.start)
        self.search_edit.returnPressed.connect(self._on_search_edit_return_pressed)
        self._timer.timeout.connect(self.search_due)

    def fill(self, communities: list[CommunityRef], modes: tuple[str, ...]) -> None:
        """The choices of the community and mode combos (no signal while filling)."""
        for combo in (self.community_combo, self.mode_combo):
            combo.blockSignals(True)
            combo.clear()
        self.community_combo.addItem(self.tr("全部社区"), None)
        for c in communities:
            self.community_combo.addItem(c.name, c.id)
        self.mode_combo.addItem(self.tr("全部"), None)
        for mode in modes:
            self.mode_combo.addItem(mode, mode)
        for combo in (self.community_combo, self.mode_combo):
            combo.blockSignals(False)

    def fill_people(self, tags: tuple[str, ...], roles: tuple[str, ...]) -> None:
        """Residents by tag (党员, 低保, …) or by 治理力量 role (楼栋长, 志愿者, …)."""
        self.people_combo.blockSignals(True)
        self.people_combo.clear()
        self.people_combo.addItem(self.tr("全部"), "")
        for tag in tags:
            self.people_combo.addItem(tag, f"tag:{tag}")
        for role in roles:
            self.people_combo.addItem(self.tr("身份：{0}").format(role), f"role:{role}")
        self.people_combo.blockSignals(False)

    def people(self) -> tuple[str, str]:
        """(tag, role) chosen in the 居民 combo; "" for none."""
        value = self.people_combo.currentData() or ""
        kind, _, name = str(value).partition(":")
        return (name if kind == "tag" else "", name if kind == "role" else "")

    def fill_grids(self, grids: list[GridRef]) -> None:
        """The grid tree of the chosen community, indented by level."""
        self.grid_combo.blockSignals(True)
        self.grid_combo.clear()
        self.grid_combo.addItem(self.tr("全部网格"), None)
        for g in grids:
            self.grid_combo.addItem("\u3000" * (g.level - 1) + g.name, g.id)
            self.grid_combo.setItemData(
                self.grid_combo.count() - 1, g.path, Qt.ItemDataRole.ToolTipRole
            )
        self.grid_combo.blockSignals(False)

    # -- values ---------------------------------------------------------------------------

    @property
    def scope(self) -> int:
        return self.scope_combo.currentIndex()

    def community_id(self) -> int | None:
        value = self.community_combo.currentData()
        return value if isinstance(value, int) else None

    def grid_id(self) -> int | None:
        value = self.grid_combo.currentData()
        return value if isinstance(value, int) else None

    def management_mode(self) -> str | None:
        value = self.mode_combo.currentData()
        return value if isinstance(value, str) else None

    def text(self) -> str:
        return self.search_edit.text().strip()

    def reset(self) -> None:
        """Every filter back to 全部 and no text, without signals (the caller reloads)."""
        for combo in (self.community_combo, self.grid_combo, self.mode_combo, self.scope_combo):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self.search_edit.blockSignals(True)
        self.search_edit.clear()
        self.search_edit.blockSignals(False)
        self._timer.stop()
        self._update_placeholder()

    def focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    # -- slots ----------------------------------------------------------------------------

    def _update_placeholder(self) -> None:
        self.search_edit.setPlaceholderText(
            self.tr("筛选楼院：名称、地址、楼院长或拼音首字母")
            if self.scope == SCOPE_COMPOUNDS
            else self.tr("筛选住户：户主姓名、拼音首字母、电话或房号")
        )

    def _on_combo_changed(self) -> None:
        self._timer.stop()
        self.filters_changed.emit()

    def _on_scope_combo_changed(self) -> None:
        self._timer.stop()
        self._update_placeholder()
        self.scope_changed.emit()

    def _on_search_edit_return_pressed(self) -> None:
        if self._timer.isActive():
            self._timer.stop()
            self.search_due.emit()
        self.search_submitted.emit()
