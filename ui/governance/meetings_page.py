"""议事: deliberation meetings per compound and their resolutions with votes."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.errors import AppError
from app.governance.dto import MeetingRow, ResolutionRow
from app.services import Services
from ui import dialogs
from ui.governance.meeting_dialog import MeetingDialog
from ui.governance.rows_model import Column, RowsModel
from ui.table_views import make_table

MEETING_COLUMNS: list[Column[MeetingRow]] = [
    Column("日期", lambda r: r.held_on),
    Column("楼院", lambda r: r.compound_name),
    Column("类别", lambda r: r.kind),
    Column("议题", lambda r: r.topic),
    Column("参会人数", lambda r: r.attendance, True),
    Column("决议", lambda r: len(r.resolutions), True),
    Column("通过", lambda r: r.passed_count, True),
]
RESOLUTION_COLUMNS: list[Column[ResolutionRow]] = [
    Column("编号", lambda r: f"决议{r.seq}"),
    Column("决议内容", lambda r: r.text),
    Column("赞成", lambda r: r.votes_for, True),
    Column("反对", lambda r: r.votes_against, True),
    Column("弃权", lambda r: r.votes_abstain, True),
    Column("结果", lambda r: "通过" if r.passed else "未通过"),
]


class MeetingsPage(QWidget):
    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._meetings = services.governance.meetings
        self.compound_combo = QComboBox(self)
        self.compound_combo.currentIndexChanged.connect(self.reload)
        self.add_button = QPushButton(self.tr("新增议事会"), self)
        self.edit_button = QPushButton(self.tr("修改"), self)
        self.delete_button = QPushButton(self.tr("删除"), self)
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.edit_button.clicked.connect(self._on_edit_button_clicked)
        self.delete_button.clicked.connect(self._on_delete_button_clicked)
        self.model: RowsModel[MeetingRow] = RowsModel(MEETING_COLUMNS, parent=self)
        self.table = make_table(self)
        self.table.setModel(self.model)
        self.table.setColumnWidth(1, 150)
        self.table.setColumnWidth(2, 260)
        self.table.selectionModel().selectionChanged.connect(self._on_meeting_changed)
        self.table.doubleClicked.connect(self._on_edit_button_clicked)
        self.resolution_model: RowsModel[ResolutionRow] = RowsModel(
            RESOLUTION_COLUMNS, lambda r: not r.passed, self
        )
        self.resolution_table = make_table(self)
        self.resolution_table.setModel(self.resolution_model)
        header = self.resolution_table.horizontalHeader()
        header.setStretchLastSection(False)
        for col in range(len(RESOLUTION_COLUMNS)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)  # 决议内容 takes the rest
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("楼院"), self))
        top.addWidget(self.compound_combo)
        for b in (self.add_button, self.edit_button, self.delete_button):
            top.addWidget(b)
        top.addStretch(1)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.table)
        split.addWidget(self.resolution_table)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        layout.addWidget(
            QLabel(
                self.tr("决议须经参会人数过半数赞成方可通过；收费方案可关联通过它的决议。"), self
            )
        )
        self.reload_choices()
        self.reload()

    def reload_choices(self) -> None:
        keep = self.compound_combo.currentData()
        self.compound_combo.blockSignals(True)
        self.compound_combo.clear()
        self.compound_combo.addItem(self.tr("全部楼院"), None)
        for c in self._services.compounds.choices():
            self.compound_combo.addItem(c.name, c.id)
        index = self.compound_combo.findData(keep)
        self.compound_combo.setCurrentIndex(max(index, 0))
        self.compound_combo.blockSignals(False)

    def reload(self, select_id: int | None = None) -> None:
        keep = select_id if isinstance(select_id, int) else None
        rows = self._meetings.list_meetings(self.compound_combo.currentData())
        self.model.set_rows(rows)
        target = next((n for n, r in enumerate(rows) if r.id == keep), 0)
        if rows:
            self.table.selectRow(target)
        self._on_meeting_changed()

    def selected(self) -> MeetingRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _on_meeting_changed(self) -> None:
        row = self.selected()
        self.resolution_model.set_rows(row.resolutions if row else [])
        self.edit_button.setEnabled(row is not None)
        self.delete_button.setEnabled(row is not None)

    def follow_compound(self, compound_id: int) -> None:
        """The compound the clerk chose elsewhere (楼院台账, the search box)."""
        self._followed = compound_id

    def new_meeting_compound(self) -> int | None:
        """新增议事会 opens on the compound in view: the one filtered on, the selected
        meeting's, or the one the clerk chose elsewhere."""
        row = self.selected()
        chosen = self.compound_combo.currentData()
        if isinstance(chosen, int):
            return chosen
        return row.compound_id if row is not None else getattr(self, "_followed", None)

    def _on_add_button_clicked(self) -> None:
        dialog = MeetingDialog(self._services, self.new_meeting_compound(), None, self)
        if dialog.exec():
            self.reload(dialog.saved_id)

    def _on_edit_button_clicked(self) -> None:
        row = self.selected()
        if row is None:
            return
        if MeetingDialog(self._services, row.compound_id, row, self).exec():
            self.reload(row.id)

    def _on_delete_button_clicked(self) -> None:
        row = self.selected()
        question = self.tr("删除 {0} 的议事会“{1}”及其决议？")
        if row is None or not dialogs.confirm(
            self, self.tr("删除议事会"), question.format(f"{row.held_on:%Y-%m-%d}", row.topic)
        ):
            return
        try:
            self._meetings.delete_meeting(row.id)
        except AppError as exc:
            dialogs.error(self, exc.message)
        self.reload()
