"""居民议事会: a meeting with its resolutions and votes."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QWidget,
)

from app.governance.dto import MeetingInput, MeetingRow, ResolutionInput
from app.governance.errors import GovernanceError
from app.services import Services
from ui.governance.forms import ServiceDialog, date_edit, date_of, qdate
from ui.widgets import line_edit, make_form, select_data

HEADERS = ("决议内容", "赞成", "反对", "弃权")


class MeetingDialog(ServiceDialog):
    def __init__(
        self,
        services: Services,
        compound_id: int | None,
        row: MeetingRow | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(self.tr("修改议事会") if row else self.tr("新增议事会"), parent)
        self._meetings = services.governance.meetings
        self._row = row
        self.compound_combo = QComboBox(self)
        for c in services.compounds.choices():
            self.compound_combo.addItem(c.name, c.id)
        select_data(self.compound_combo, row.compound_id if row else compound_id)
        self.date_edit = date_edit(services.governance.problems.today(), self)
        self.kind_combo = QComboBox(self)
        for kind in ("议事会", "协商会", "见面会"):
            self.kind_combo.addItem(kind, kind)
        self.kind_combo.setToolTip(self.tr("见面会用于宣传动员，可以没有决议"))
        self.topic_edit = line_edit(
            placeholder=self.tr("如 物业服务标准和收费方案"), max_length=128
        )
        self.attendance_spin = QSpinBox(self)
        self.attendance_spin.setRange(0, 10_000)
        self.notes_edit = QPlainTextEdit(self)
        self.notes_edit.setFixedHeight(50)
        self.resolutions = QStandardItemModel(0, len(HEADERS), self)
        self.resolutions.setHorizontalHeaderLabels([self.tr(h) for h in HEADERS])
        self.table = self._resolutions_table()
        self.add_row_button = QPushButton(self.tr("增加决议"), self)
        self.remove_row_button = QPushButton(self.tr("删除决议"), self)
        self.add_row_button.clicked.connect(lambda: self.add_resolution())
        self.remove_row_button.clicked.connect(self._on_remove_row_button_clicked)
        rows = QHBoxLayout()
        rows.addWidget(self.add_row_button)
        rows.addWidget(self.remove_row_button)
        rows.addStretch(1)
        form = make_form()
        form.addRow(self.tr("楼院"), self.compound_combo)
        form.addRow(self.tr("日期"), self.date_edit)
        form.addRow(self.tr("会议类别"), self.kind_combo)
        form.addRow(self.tr("议题"), self.topic_edit)
        form.addRow(self.tr("参会人数"), self.attendance_spin)
        form.addRow(self.tr("备注"), self.notes_edit)
        self.body.addLayout(form)
        self.body.addLayout(rows)
        self.body.addWidget(self.table)
        if row is not None:
            self.date_edit.setDate(qdate(row.held_on))
            self.topic_edit.setText(row.topic)
            select_data(self.kind_combo, row.kind)
            self.attendance_spin.setValue(row.attendance)
            self.notes_edit.setPlainText(row.notes)
            for r in row.resolutions:
                self.add_resolution(
                    ResolutionInput(r.text, r.votes_for, r.votes_against, r.votes_abstain)
                )
        else:
            self.add_resolution()
        self.finish_layout(self._save)
        self.resize(620, 560)

    def _resolutions_table(self) -> QTableView:
        table = QTableView(self)
        table.setModel(self.resolutions)
        # The text takes what the votes leave: the grid never scrolls sideways.
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in range(1, len(HEADERS)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        return table

    def add_resolution(self, r: ResolutionInput | None = None) -> None:
        r = r or ResolutionInput("")
        values = (r.text, r.votes_for, r.votes_against, r.votes_abstain)
        self.resolutions.appendRow([QStandardItem(str(v)) for v in values])

    def _on_remove_row_button_clicked(self) -> None:
        index = self.table.currentIndex()
        if index.isValid():
            self.resolutions.removeRow(index.row())

    def _votes(self, row: int, col: int) -> int:
        text = (self.resolutions.item(row, col).text() or "0").strip()
        if not text.isdigit():
            raise GovernanceError(f"第{row + 1}项决议：票数应为整数")
        return int(text)

    def value(self) -> MeetingInput:
        resolutions = tuple(
            ResolutionInput(
                self.resolutions.item(n, 0).text(),
                self._votes(n, 1),
                self._votes(n, 2),
                self._votes(n, 3),
            )
            for n in range(self.resolutions.rowCount())
        )
        if self.kind_combo.currentData() == "见面会":  # an empty line is no resolution here
            resolutions = tuple(r for r in resolutions if r.text.strip())
        return MeetingInput(
            self.compound_combo.currentData(),
            date_of(self.date_edit),
            self.topic_edit.text(),
            self.attendance_spin.value(),
            self.notes_edit.toPlainText(),
            resolutions,
            self.kind_combo.currentData(),
        )

    def _save(self) -> None:
        if self._row is None:
            self.saved_id = self._meetings.create_meeting(self.value())
        else:
            self._meetings.update_meeting(self._row.id, self.value())
            self.saved_id = self._row.id
