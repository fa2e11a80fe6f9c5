"""The registry page (楼院台账): filters, the compound list and the selected compound's detail."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.errors import AppError, StaleWrite
from app.governance.forces_dto import FORCE_KINDS
from app.registry.dto import (
    MANAGEMENT_MODES,
    RESIDENT_TAGS,
    CompoundDetail,
    CompoundFilter,
    HouseholdFilter,
)
from app.registry.errors import CompoundNotEmpty
from app.services import Services
from ui import dialogs, settings
from ui.compound_info import CompoundInfo
from ui.errors import show_failure
from ui.models.compound_model import CompoundColumn, CompoundTableModel
from ui.registry_filters import SCOPE_COMPOUNDS, SCOPE_HOUSEHOLDS, RegistryFilterBar
from ui.registry_households import HouseholdPanel
from ui.settings import Settings
from ui.table_views import EnterFilter, make_table
from ui.tasks import TaskRunner, while_alive
from ui.widgets import select_data

logger = logging.getLogger(__name__)
T = TypeVar("T")

COMPOUND_WIDTHS = {
    CompoundColumn.NAME: 170,
    CompoundColumn.COMMUNITY: 100,
    CompoundColumn.GRID: 120,
    CompoundColumn.MODE: 90,
    CompoundColumn.MANAGER: 190,
    CompoundColumn.HEAD: 70,
    CompoundColumn.BUILDINGS: 50,
    CompoundColumn.HOUSEHOLDS: 60,
    CompoundColumn.RESIDENTS: 60,
}


class RegistryPage(QWidget):
    """Compounds filtered by community, grid, mode and text; households of the selected one."""

    summary_changed = Signal(str)

    def __init__(
        self,
        services: Services,
        prefs: Settings,
        parent: QWidget | None = None,
        runner: TaskRunner | None = None,
        *,
        load: bool = True,
    ) -> None:
        """`runner`: the program's task runner (by default the parent window's), on which the
        household list is queried; without one the queries run at once. With `load` false
        the compound list is left empty until `reload_compounds` (the window's start-up
        runs it in a turn of its own)."""
        super().__init__(parent)
        self._services = services
        self._prefs = prefs
        found = runner if runner is not None else getattr(parent, "runner", None)
        self._runner = found if isinstance(found, TaskRunner) else None
        self._detail: CompoundDetail | None = None
        self._quiet = False  # True while the selection changes without a new query
        self._pending_household: int | None = None  # to select once the list is loaded
        self._figures_generation = 0
        self.compound_model = CompoundTableModel(self)
        self._build()
        self._connect()
        self._fill_filters()
        self._restore_state()
        if load:
            self.reload_compounds()

    # -- layout ---------------------------------------------------------------------------

    def _build(self) -> None:
        self.info = CompoundInfo(self)
        self.filter_bar = RegistryFilterBar(self)
        self.search_edit = self.filter_bar.search_edit
        self.scope_combo = self.filter_bar.scope_combo
        self.detail_splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.detail_splitter.addWidget(self.info)
        self.households = HouseholdPanel(self._services, self, self._runner)
        # the panel's parts, as the page's own (tests and the main window use them)
        self.household_model = self.households.model
        self.household_view = self.households.view
        self.building_combo = self.households.building_combo
        self.household_count_label = self.households.count_label
        self.new_household_button = self.households.new_button
        self.edit_household_button = self.households.edit_button
        self.delete_household_button = self.households.delete_button
        self.detail_splitter.addWidget(self.households)
        self.detail_splitter.setStretchFactor(1, 1)
        self.detail_splitter.setSizes([300, 1000])
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.addWidget(self._build_compound_panel())
        self.splitter.addWidget(self.detail_splitter)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([330, 470])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 10, 10, 6)
        layout.setSpacing(8)
        layout.addWidget(self.filter_bar)
        layout.addWidget(self.splitter, 1)

    def _build_compound_panel(self) -> QWidget:
        self.compound_view = make_table(self)
        self.compound_view.setModel(self.compound_model)
        self.new_compound_button = QPushButton(self.tr("新建楼院"), self)
        self.edit_compound_button = QPushButton(self.tr("编辑楼院"), self)
        self.delete_compound_button = QPushButton(self.tr("删除楼院"), self)
        self.all_compounds_button = QPushButton(self.tr("全部楼院"), self)
        self.all_compounds_button.setToolTip(self.tr("取消选择，在全部楼院的住户中查找"))
        self.compound_count_label = QLabel(self)
        compound_bar = QHBoxLayout()
        compound_bar.addWidget(self.compound_count_label)
        compound_bar.addStretch(1)
        for button in (
            self.all_compounds_button,
            self.new_compound_button,
            self.edit_compound_button,
            self.delete_compound_button,
        ):
            compound_bar.addWidget(button)
        compound_panel = QWidget(self)
        compound_box = QVBoxLayout(compound_panel)
        compound_box.setContentsMargins(0, 0, 0, 0)
        compound_box.addLayout(compound_bar)
        compound_box.addWidget(self.compound_view)
        return compound_panel

    def _connect(self) -> None:
        bar = self.filter_bar
        bar.community_changed.connect(self._on_filter_bar_community_changed)
        bar.filters_changed.connect(self.reload_compounds)
        bar.scope_changed.connect(self._on_filter_bar_scope_changed)
        bar.search_due.connect(self._on_filter_bar_search_due)
        bar.search_submitted.connect(self._on_filter_bar_search_submitted)
        self.compound_view.selectionModel().currentRowChanged.connect(
            self._on_compound_view_current_changed
        )
        self.compound_model.modelReset.connect(self._on_compound_model_reset)
        self.households.selection_changed.connect(self._update_buttons)
        self.households.created.connect(self._after_household_change)
        self.households.changed.connect(self._refresh_figures)
        self.compound_view.doubleClicked.connect(self._edit_compound)
        self.building_combo.currentIndexChanged.connect(self._on_building_combo_changed)
        self.new_compound_button.clicked.connect(self._new_compound)
        self.edit_compound_button.clicked.connect(self._edit_compound)
        self.delete_compound_button.clicked.connect(self._delete_compound)
        self.all_compounds_button.clicked.connect(self._on_all_compounds_button_clicked)
        self.new_household_button.clicked.connect(self._new_household)
        EnterFilter(self.compound_view, self._on_compound_view_enter)

    def _fill_filters(self) -> None:
        self.filter_bar.fill(self._services.compounds.communities(), MANAGEMENT_MODES)
        self.filter_bar.fill_people(RESIDENT_TAGS, FORCE_KINDS)
        self._fill_grids()

    def _fill_grids(self) -> None:
        self.filter_bar.fill_grids(self._services.compounds.grids(self.filter_bar.community_id()))

    # -- state ----------------------------------------------------------------------------

    def _restore_state(self) -> None:
        for column, width in COMPOUND_WIDTHS.items():
            self.compound_view.setColumnWidth(list(CompoundColumn).index(column), width)
        for view, key in (
            (self.compound_view, settings.COMPOUND_HEADER),
            (self.household_view, settings.HOUSEHOLD_HEADER),
        ):
            state = self._prefs.get(key)
            if not state.isEmpty():
                view.horizontalHeader().restoreState(state)
        # The manager's name takes the spare width (also over an older saved state).
        header = self.compound_view.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(
            list(CompoundColumn).index(CompoundColumn.MANAGER), QHeaderView.ResizeMode.Stretch
        )
        state = self._prefs.get(settings.REGISTRY_SPLITTER)
        if not state.isEmpty():
            self.splitter.restoreState(state)

    def save_state(self) -> None:
        """Remember column widths and the splitter (called when the window closes)."""
        self._prefs.set(settings.COMPOUND_HEADER, self.compound_view.horizontalHeader().saveState())
        self._prefs.set(
            settings.HOUSEHOLD_HEADER, self.household_view.horizontalHeader().saveState()
        )
        self._prefs.set(settings.REGISTRY_SPLITTER, self.splitter.saveState())

    @property
    def scope(self) -> int:
        return self.filter_bar.scope

    def selected_compound_id(self) -> int | None:
        # The current row is the selected one (single selection); during a click the current
        # index changes before the selection does.
        index = self.compound_view.selectionModel().currentIndex()
        compound = self.compound_model.compound_at(index.row()) if index.isValid() else None
        return compound.id if compound else None

    def filtered_compound_ids(self) -> list[int] | None:
        """The compounds the list shows when a filter narrows it (None: no filter, all)."""
        if self.compound_filter() == CompoundFilter():
            return None
        return self.compound_model.compound_ids()

    def selected_household_id(self) -> int | None:
        return self.households.selected_household_id()

    # -- queries --------------------------------------------------------------------------

    def compound_filter(self) -> CompoundFilter:
        bar = self.filter_bar
        text = bar.text() if self.scope == SCOPE_COMPOUNDS else ""
        return CompoundFilter(
            community_id=bar.community_id(),
            grid_id=bar.grid_id(),
            management_mode=bar.management_mode(),
            text=text,
        )

    def household_filter(self) -> HouseholdFilter | None:
        """The households to list; None when there is nothing to show."""
        compound_id = self.selected_compound_id()
        text = self.filter_bar.text() if self.scope == SCOPE_HOUSEHOLDS else ""
        tag, role = self.filter_bar.people()
        if compound_id is None and not text and not (tag or role):
            return None
        return HouseholdFilter(
            compound_id=compound_id,
            building_id=self.households.building_id(),
            community_id=None if compound_id else self.filter_bar.community_id(),
            text=text,
            tag=tag,
            role=role,
        )

    def show_people(self, tag: str = "", role: str = "") -> None:
        """List the households, in every compound, with a resident carrying `tag` or
        holding `role` (the 统计 page's residents-by-tag bars open this)."""
        bar = self.filter_bar
        bar.search_edit.clear()
        bar.scope_combo.setCurrentIndex(SCOPE_HOUSEHOLDS)
        select_data(bar.people_combo, f"tag:{tag}" if tag else f"role:{role}")
        self._clear_compound_selection()
        self._show_compound(None)

    def reload_compounds(self, select_id: int | None = None) -> None:
        """Run the compound query again, keeping (or moving to) a selection."""
        keep = select_id if select_id is not None else self.selected_compound_id()
        compounds = self._services.compounds
        flt = self.compound_filter()
        if self._runner is None:
            found = self._guard(lambda: (compounds.list_compounds(flt), True))
        else:  # the list at once; its figures, when they must be counted, in the background
            found = self._guard(lambda: compounds.list_compounds_at_once(flt))
        if found is None:
            return
        rows, counted = found
        self.compound_model.set_rows(rows, counted)
        row = self.compound_model.row_of(keep) if keep is not None else -1
        if row < 0 and self.scope == SCOPE_COMPOUNDS and rows:
            row = 0
        if row >= 0:
            self._select_compound_row(row)
        else:
            self._clear_compound_selection()
            self._show_compound(None)
        self.emit_summary()
        if not counted:
            self._refresh_figures()
        if not rows and self.compound_filter().text:
            self.compound_count_label.setText(
                self.tr("没有楼院匹配“{0}”。查找住户或居民请用右上角的查找框（Ctrl+F）").format(
                    self.compound_filter().text
                )
            )

    def _select_compound_row(self, row: int) -> None:
        index = self.compound_model.index(row, 0)
        before = self.selected_compound_id()
        self.compound_view.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.compound_view.scrollTo(index)
        if before == self.selected_compound_id():
            self._show_compound(before)  # same compound: refresh its figures

    def _show_compound(self, compound_id: int | None) -> None:
        self._detail = None
        if compound_id is not None:
            self._detail = self._guard(lambda: self._services.compounds.get_compound(compound_id))
        self.info.show_detail(self._detail)
        self._fill_buildings()
        self._reload_households()

    def _fill_buildings(self) -> None:
        self.households.show_buildings(self._detail.id if self._detail is not None else None)

    def show_found(self, compound_id: int, household_id: int | None = None) -> None:
        """Select a compound (and one of its households) that the search box found; a
        filter that hides it is cleared first."""
        if self.compound_model.row_of(compound_id) < 0 or self.scope != SCOPE_COMPOUNDS:
            self.filter_bar.reset()
            self._fill_grids()
        self._pending_household = household_id
        try:
            self.reload_compounds(compound_id)
        finally:
            self._pending_household = None
        if household_id is not None:
            self.household_view.setFocus()

    def _reload_households(self, select_id: int | None = None) -> None:
        if select_id is None:
            select_id = self._pending_household
        hint = (
            self.tr("输入户主姓名、拼音首字母、电话或房号，在全部楼院中查找住户")
            if self.scope == SCOPE_HOUSEHOLDS
            else self.tr("请选择楼院")
        )
        self.households.load(self.household_filter(), hint, select_id)

    def _update_buttons(self) -> None:
        has_compound = self.selected_compound_id() is not None
        self.edit_compound_button.setEnabled(has_compound)
        self.delete_compound_button.setEnabled(has_compound)
        self.households.update_buttons(has_compound)
        self.all_compounds_button.setVisible(self.scope == SCOPE_HOUSEHOLDS)
        self.all_compounds_button.setEnabled(has_compound)

    def emit_summary(self) -> None:
        compounds, households, residents = self.compound_model.totals()
        if households is None:
            text = self.tr("楼院 {0} 个，正在统计住户和居民……").format(compounds)
        else:
            text = self.tr("楼院 {0} 个，住户 {1} 户，居民 {2} 人").format(
                compounds, households, residents
            )
        self.compound_count_label.setText(text)
        self.summary_changed.emit(text)

    def _guard(self, call: Callable[[], T]) -> T | None:
        """Run a service call; an expected failure is shown, not raised."""
        try:
            return call()
        except AppError as exc:
            dialogs.error(self, exc.message)
            return None

    # -- slots ----------------------------------------------------------------------------

    def focus_search(self) -> None:
        self.filter_bar.focus_search()

    def _on_filter_bar_community_changed(self) -> None:
        self._fill_grids()
        self.reload_compounds()

    def _clear_compound_selection(self) -> None:
        """Deselect without the selection signal (the caller runs the new query once)."""
        self._quiet = True
        try:
            self.compound_view.selectionModel().clear()
        finally:
            self._quiet = False

    def _on_filter_bar_scope_changed(self) -> None:
        if self.scope == SCOPE_HOUSEHOLDS:
            self._clear_compound_selection()
        self.reload_compounds()

    def _on_filter_bar_search_due(self) -> None:
        if self.scope == SCOPE_HOUSEHOLDS:
            # A new household search looks in every compound; a click narrows it again.
            # The compound list does not depend on household text, so it is not queried.
            self._clear_compound_selection()
            self._show_compound(None)
            return
        self.reload_compounds()

    def _on_filter_bar_search_submitted(self) -> None:
        if self.scope == SCOPE_HOUSEHOLDS and self.household_model.loading:
            # Enter before the search has landed: go to the first household when it does.
            self._when_households_loaded(self._on_filter_bar_search_submitted)
            return
        target = self.household_view if self.scope == SCOPE_HOUSEHOLDS else self.compound_view
        if target.model().rowCount() > 0:
            target.setFocus()
            if not target.selectionModel().hasSelection():
                target.selectRow(0)

    def _on_all_compounds_button_clicked(self) -> None:
        self.compound_view.selectionModel().clear()
        self._show_compound(None)

    def _on_compound_view_current_changed(self) -> None:
        if self._quiet:
            return
        self._show_compound(self.selected_compound_id())

    def _on_compound_model_reset(self) -> None:
        self._update_buttons()

    def _when_households_loaded(self, then: Callable[[], None]) -> None:
        """Call `then` once, when the household list's query has landed."""

        def once() -> None:
            self.households.loaded.disconnect(once)
            then()

        self.households.loaded.connect(once)

    def _on_compound_view_enter(self) -> None:
        if self.household_model.loading:
            self._when_households_loaded(self._on_compound_view_enter)
            return
        if self.household_model.rowCount() > 0:
            self.household_view.setFocus()
            if not self.household_view.selectionModel().hasSelection():
                self.household_view.selectRow(0)

    def _on_building_combo_changed(self) -> None:
        self._reload_households()

    # -- edits ----------------------------------------------------------------------------

    def _new_compound(self) -> None:
        from ui.compound_dialog import CompoundDialog

        dialog = CompoundDialog(self._services, None, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.reload_compounds(select_id=getattr(dialog, "compound_id", None))

    def _edit_compound(self) -> None:
        compound_id = self.selected_compound_id()
        if compound_id is None:
            return
        from ui.compound_dialog import CompoundDialog

        dialog = CompoundDialog(self._services, compound_id, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.reload_compounds(select_id=compound_id)

    def _delete_compound(self) -> None:
        row = self.compound_model.compound_at(self.compound_view.currentIndex().row())
        if row is None or self.selected_compound_id() is None:
            return
        title = self.tr("删除楼院")
        compounds = self._services.compounds
        try:
            if row.households == 0 and not dialogs.confirm(
                self, title, self.tr("确定删除楼院“{0}”吗？").format(row.name)
            ):
                return
            compounds.delete_compound(row.id, expected_version=row.version)
        except CompoundNotEmpty as exc:
            question = exc.message + "\n\n" + self.tr("确定删除吗？此操作不能撤销。")
            if not dialogs.confirm(self, title, question):
                return
            if (
                self._guard(
                    lambda: compounds.delete_compound(
                        row.id, with_households=True, expected_version=row.version
                    )
                )
                is None
                and self.compound_model.row_of(row.id) < 0
            ):
                return
        except StaleWrite as exc:  # changed since the list showed it: show it as saved now
            dialogs.error(self, exc.message)
            self.reload_compounds(select_id=row.id)
            return
        except AppError as exc:
            dialogs.error(self, exc.message)
            return
        logger.info("compound %s deleted", row.id)
        self.reload_compounds()

    def _new_household(self) -> None:
        compound_id = self.selected_compound_id()
        if compound_id is not None:
            self.households.new_household(compound_id)

    def edit_household(self) -> None:
        """Open the selected household in the editor (Enter, double-click, 编辑住户)."""
        self.households.edit_household()

    def _after_household_change(self, household_id: int | None) -> None:
        self._refresh_figures()
        self._reload_households(select_id=household_id)

    def _refresh_figures(self) -> None:
        """Update counts in the compound list and detail without a new household query.

        An edit changes the registry, so the compounds' figures are counted again (a third
        of a second over 200,000 households): with the runner this happens in the
        background, and the figures land in the list when counted."""
        flt = self.compound_filter()
        detail_id = self._detail.id if self._detail is not None else None
        compounds = self._services.compounds

        def job(_progress: object, _cancelled: object) -> tuple[Any, ...]:
            rows = compounds.list_compounds(flt)
            return rows, compounds.get_compound(detail_id) if detail_id is not None else None

        self._figures_generation += 1
        generation = self._figures_generation
        if self._runner is None:
            result = self._guard(lambda: job(None, None))
            if result is not None:
                self._show_figures(generation, flt, detail_id, result)
            return
        task = self._runner.run(job)
        task.finished.connect(
            while_alive(self, lambda result: self._show_figures(generation, flt, detail_id, result))
        )
        task.failed.connect(while_alive(self, lambda exc: show_failure(self, exc)))

    def _show_figures(
        self,
        generation: int,
        flt: CompoundFilter,
        detail_id: int | None,
        result: tuple[Any, ...],
    ) -> None:
        if generation != self._figures_generation or flt != self.compound_filter():
            return  # counted again since, or the list now shows other compounds
        rows, detail = result
        self.compound_model.set_rows(rows)
        self.emit_summary()
        if detail is not None and self._detail is not None and self._detail.id == detail_id:
            self._detail = detail
            self.info.show_detail(self._detail)
            self._fill_buildings()
        self._update_buttons()
