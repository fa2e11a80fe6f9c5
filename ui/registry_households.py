"""The household half of the registry page: the list, its building filter and count, and
new / edit / delete. The page decides which households to list (compound, search text).

With the program's runner the list's queries run in the background (see HouseholdTableModel);
the count says 正在查找 meanwhile, and the household to select is selected when they land."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.errors import AppError, NotFound, StaleWrite
from app.registry.dto import HouseholdFilter, HouseholdRow
from app.services import Services
from ui import dialogs
from ui.errors import show_failure
from ui.models.household_model import HouseholdColumn, HouseholdTableModel
from ui.table_views import EnterFilter, make_table
from ui.tasks import TaskRunner

HOUSEHOLD_WIDTHS = {
    HouseholdColumn.LOCATION: 130,
    HouseholdColumn.COMPOUND: 140,
    HouseholdColumn.HOUSEHOLDER: 80,
    HouseholdColumn.AREA: 95,
    HouseholdColumn.STATUS: 70,
    HouseholdColumn.RESIDENTS: 50,
    HouseholdColumn.PHONE: 110,
}


class HouseholdPanel(QWidget):
    """Households listed by the page's filter; edits tell the page to refresh its figures."""

    created = Signal(object)  # the new household's id (or None): list again and select it
    changed = Signal()  # a household edited or deleted: the counts elsewhere are stale
    selection_changed = Signal()

    loaded = Signal()  # the households of the latest filter or sort are listed

    def __init__(
        self, services: Services, parent: QWidget | None = None, runner: TaskRunner | None = None
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._empty_hint = ""
        self._select_id: int | None = None  # to select once the list has loaded
        self.model = HouseholdTableModel(services.households, self, runner)
        self.view = make_table(self)
        self.view.setModel(self.model)
        self.view.setSortingEnabled(True)
        self.view.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        for column, width in HOUSEHOLD_WIDTHS.items():
            self.view.setColumnWidth(list(HouseholdColumn).index(column), width)
        self.building_combo = QComboBox(self)
        self.building_combo.setMinimumContentsLength(12)
        self.count_label = QLabel(self)
        self.new_button = QPushButton(self.tr("新增住户"), self)
        self.edit_button = QPushButton(self.tr("编辑住户"), self)
        self.delete_button = QPushButton(self.tr("删除住户"), self)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("楼栋"), self))
        bar.addWidget(self.building_combo)
        bar.addSpacing(8)
        bar.addWidget(self.count_label)
        bar.addStretch(1)
        for button in (self.new_button, self.edit_button, self.delete_button):
            bar.addWidget(button)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addLayout(bar)
        box.addWidget(self.view)
        self.view.doubleClicked.connect(self._on_view_double_clicked)
        self.view.selectionModel().selectionChanged.connect(self.selection_changed)
        self.model.loaded.connect(self._on_model_loaded)
        self.model.failed.connect(self._on_model_failed)
        self.model.rowsRemoved.connect(self._update_count)
        self.view.horizontalHeader().sortIndicatorChanged.connect(self._on_sort_requested)
        self.edit_button.clicked.connect(self.edit_household)
        self.delete_button.clicked.connect(self.delete_household)
        EnterFilter(self.view, self.edit_household)

    # -- what is listed ---------------------------------------------------------------------

    def building_id(self) -> int | None:
        data = self.building_combo.currentData()
        return int(data) if data is not None else None

    def show_buildings(self, compound_id: int | None) -> None:
        """The compound's buildings in the filter (the choice kept when still there)."""
        keep = self.building_combo.currentData()
        self.building_combo.blockSignals(True)
        self.building_combo.clear()
        self.building_combo.addItem(self.tr("全部楼栋"), None)
        if compound_id is not None:
            for b in self._services.compounds.list_buildings(compound_id):
                self.building_combo.addItem(
                    self.tr("{0}号楼（{1}户）").format(b.name, b.households), b.id
                )
            found = self.building_combo.findData(keep) if keep is not None else -1
            self.building_combo.setCurrentIndex(max(found, 0))
        self.building_combo.setEnabled(compound_id is not None)
        self.building_combo.blockSignals(False)

    def load(
        self, flt: HouseholdFilter | None, empty_hint: str, select_id: int | None = None
    ) -> None:
        """List the filter's households (`empty_hint` when there is no filter); `select_id`
        is selected when they are listed."""
        self._empty_hint = empty_hint
        self._select_id = select_id
        self.model.set_filter(flt)
        if self.model.loading:
            self.count_label.setText(self.tr("正在查找……"))

    def _on_sort_requested(self) -> None:
        # The same households in another order: the selected one stays selected.
        if self.model.loading and self._select_id is None:
            self._select_id = self.selected_household_id()
            self.count_label.setText(self.tr("正在排序……"))

    def _on_model_loaded(self) -> None:
        flt = self.model.current_filter
        in_compound = flt is not None and flt.compound_id is not None
        self.view.setColumnHidden(
            list(HouseholdColumn).index(HouseholdColumn.COMPOUND), in_compound
        )
        select_id, self._select_id = self._select_id, None
        if select_id is not None and (row := self.model.row_of(select_id)) >= 0:
            self.view.selectRow(row)
            self.view.scrollTo(self.model.index(row, 0))
        self._update_count()
        self.loaded.emit()

    def _on_model_failed(self, exc: object) -> None:
        self._select_id = None
        self._update_count()
        show_failure(self, exc)

    def selected_household_id(self) -> int | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.household_id(rows[0].row()) if rows else None

    def _selected_row(self) -> HouseholdRow | None:
        household_id = self.selected_household_id()
        return self.model.household_at(self.model.row_of(household_id)) if household_id else None

    def _update_count(self) -> None:
        flt = self.model.current_filter
        n = self.model.rowCount()
        if flt is None:
            self.count_label.setText(self._empty_hint)
        elif flt.compound_id is None:
            self.count_label.setText(self.tr("全部楼院中找到 {0} 户").format(n))
        else:
            self.count_label.setText(self.tr("共 {0} 户").format(n))
        self.selection_changed.emit()

    def update_buttons(self, has_compound: bool) -> None:
        has_household = self.selected_household_id() is not None
        self.new_button.setEnabled(has_compound)
        self.edit_button.setEnabled(has_household)
        self.delete_button.setEnabled(has_household)

    # -- edits ------------------------------------------------------------------------------

    def new_household(self, compound_id: int) -> None:
        from ui.household_dialog import HouseholdDialog

        dialog = HouseholdDialog(self._services, compound_id, None, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.created.emit(getattr(dialog, "household_id", None))

    def edit_household(self) -> None:
        """Open the selected household in the editor (Enter, double-click, 编辑住户)."""
        row = self._selected_row()
        if row is None:
            return
        from ui.household_dialog import HouseholdDialog

        dialog = HouseholdDialog(self._services, row.compound_id, row.id, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.model.refresh_rows([row.id])
            self.changed.emit()

    def delete_household(self) -> None:
        row = self._selected_row()
        if row is None:
            return
        question = self.tr("确定删除住户 {0}（户主：{1}）及其居民信息吗？").format(
            row.location, row.householder_name
        )
        if not dialogs.confirm(self, self.tr("删除住户"), question):
            return
        try:
            self._services.households.delete_household(row.id, expected_version=row.version)
        except StaleWrite as exc:  # changed since the list showed it: show it as saved now
            dialogs.error(self, exc.message)
            self.model.refresh_rows([row.id])
            return
        except NotFound as exc:  # deleted elsewhere already: the list drops it too
            dialogs.error(self, exc.message)
        except AppError as exc:
            dialogs.error(self, exc.message)
            return
        self.model.remove_ids([row.id])
        self.changed.emit()

    def _on_view_double_clicked(self) -> None:
        self.edit_household()
