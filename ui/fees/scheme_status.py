"""Where the selected fee scheme stands: its 议事决议 and its satisfaction-survey gate."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QLabel, QWidget

from app.fees.dto import SchemeRow
from app.surveys.dto import GateStatus, percent

MET_STYLE = "color: #1b5e20"
UNMET_STYLE = "color: #b00020"


class SchemeStatus(QWidget):
    """A small panel under the scheme list: basis, gate levels, figures and verdict."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.scheme_label = QLabel(self)
        self.basis_label = QLabel(self)
        self.gate_label = QLabel(self)
        self.figures_label = QLabel(self)
        self.message_label = QLabel(self)
        for label in (
            self.scheme_label,
            self.basis_label,
            self.gate_label,
            self.figures_label,
            self.message_label,
        ):
            label.setWordWrap(True)
        form = QFormLayout(self)
        form.setContentsMargins(0, 4, 0, 0)
        form.addRow(self.tr("方案"), self.scheme_label)
        form.addRow(self.tr("议定依据"), self.basis_label)
        form.addRow(self.tr("收费门槛"), self.gate_label)
        form.addRow(self.tr("调查进展"), self.figures_label)
        form.addRow("", self.message_label)
        self.show_scheme(None, None)

    def show_scheme(self, scheme: SchemeRow | None, gate: GateStatus | None) -> None:
        if scheme is None:
            for label in (self.basis_label, self.gate_label, self.figures_label):
                label.clear()
            self.scheme_label.setText(self.tr("（未选择方案）"))
            self.message_label.clear()
            return
        self.scheme_label.setText(
            self.tr("{0} {1} 元/㎡·月，{2}").format(
                scheme.name or scheme.compound_name, scheme.price_text, scheme.state_label
            )
        )
        self.basis_label.setText(scheme.basis_text or self.tr("未关联议事决议"))
        if scheme.survey_id is None or gate is None:
            self.gate_label.setText(self.tr("不设调查门槛（过渡期满后由经办人填写理由启用）"))
            self.figures_label.clear()
            self.message_label.clear()
            return
        self.gate_label.setText(scheme.gate_text)
        self.figures_label.setText(
            self.tr("满意率 {0}（要求 {1}，有效答卷 {2} 份）；覆盖率 {3}（要求 {4}）；{5}").format(
                percent(gate.satisfaction_rate),
                percent(gate.threshold),
                gate.satisfaction_valid,
                percent(gate.coverage),
                percent(gate.min_coverage),
                self.tr("已达到") if gate.met else self.tr("未达到"),
            )
        )
        self.message_label.setText(gate.message)
        self.message_label.setStyleSheet(MET_STYLE if gate.met else UNMET_STYLE)
