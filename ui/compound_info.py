"""The selected compound's fields, shown beside its households."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QFrame, QLabel, QVBoxLayout, QWidget

from app.registry.dto import CompoundDetail


class CompoundInfo(QFrame):
    """A read-only card: name, community, grid, management, head and figures."""

    FIELDS = (
        "社区",
        "网格",
        "地址",
        "管理模式",
        "管理方",
        "联系方式",
        "楼院长",
        "楼院长电话",
        "建成年份",
        "楼栋/住户",
        "居民",
        "建筑面积",
        "备注",
    )

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setMinimumWidth(240)
        self.title = QLabel(self)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.title.setFont(font)
        self.title.setWordWrap(True)
        self.hint = QLabel(
            self.tr("未选择楼院：下方列出全部楼院中与搜索相符的住户。点击上方的楼院可只看该楼院。"),
            self,
        )
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: palette(mid);")
        self.values: dict[str, QLabel] = {}
        self.form_widget = QWidget(self)
        form = QFormLayout(self.form_widget)
        form.setContentsMargins(0, 0, 0, 0)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.setHorizontalSpacing(10)
        form.setVerticalSpacing(6)
        for name in self.FIELDS:
            value = QLabel(self.form_widget)
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.values[name] = value
            caption = QLabel(self.tr(name) + self.tr("："), self.form_widget)
            caption.setStyleSheet("color: palette(mid);")
            form.addRow(caption, value)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(10)
        layout.addWidget(self.title)
        layout.addWidget(self.hint)
        layout.addWidget(self.form_widget)
        layout.addStretch(1)
        self.show_detail(None)

    def show_detail(self, detail: CompoundDetail | None) -> None:
        if detail is None:
            self.title.setText(self.tr("全部楼院"))
            self.form_widget.hide()
            self.hint.show()
            return
        self.hint.hide()
        self.form_widget.show()
        d = detail.data
        self.title.setText(d.name)
        texts = {
            "社区": detail.community_name,
            "网格": detail.grid_path,
            "地址": d.address,
            "管理模式": d.management_mode,
            "管理方": d.manager_name,
            "联系方式": d.manager_contact,
            "楼院长": d.head_name,
            "楼院长电话": d.head_phone,
            "建成年份": str(d.build_year) if d.build_year else "",
            "楼栋/住户": self.tr("{0} 栋 / {1} 户").format(detail.buildings, detail.households),
            "居民": self.tr("{0} 人").format(detail.residents),
            "建筑面积": self.tr("{0:,.2f} ㎡").format(detail.total_area),
            "备注": d.notes,
        }
        for name, label in self.values.items():
            label.setText(texts[name] or "—")
