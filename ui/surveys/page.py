"""The 入户调查 section: the survey list beside tabs for design, entry, coverage, results."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.errors import AppError
from app.jobs import IsCancelled, Progress, gc_paused
from app.services import Services
from app.surveys.dto import SurveyInput, SurveyRow, percent, share
from app.surveys.errors import SurveyHasResponses
from app.surveys.templates import template_names
from ui import dialogs
from ui.errors import expected_message, show_failure
from ui.governance.rows_model import Column, RowsModel
from ui.surveys.designer_tab import DesignerData, DesignerTab, load_designer
from ui.surveys.entry_form import EntryData, EntryForm, load_entry
from ui.surveys.files import run_file_job
from ui.tasks import TaskRunner, while_alive

if TYPE_CHECKING:
    from ui.surveys.coverage_tab import CoverageTab
    from ui.surveys.results_tab import ResultsTab

DESIGNER, ENTRY, COVERAGE, RESULTS = range(4)  # the tabs, in order
# Work split over passes of the event loop goes on a real timer, not a 0 ms one: Qt runs
# 0 ms calls with the posted events of the same pass, before the window's own timers, so the
# pieces would still block the window as one.
NEXT_PASS_MS = 1

SURVEY_COLUMNS: list[Column[SurveyRow]] = [
    Column("编号", lambda r: r.id, True),
    Column("问卷", lambda r: r.title),
    Column("状态", lambda r: r.status_label),
    Column("范围", lambda r: r.scope_text),
    Column("住户", lambda r: r.households, True),
    Column("已答卷", lambda r: r.answered, True),
    Column("覆盖率", lambda r: percent(share(r.reached, r.households)), True),
]


class SurveysPage(QWidget):
    def __init__(
        self, services: Services, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._services = services
        self.runner = runner
        self._generation = 0  # of the survey read last: a slower earlier read is dropped
        self._list_generation = 0  # of the list read last (a list read at once drops it)
        self._list_loading = False
        self.model: RowsModel[SurveyRow] = RowsModel(SURVEY_COLUMNS, parent=self)
        self.view = QTableView(self)
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        self.new_button = QToolButton(self)
        self.new_button.setText(self.tr("新建问卷"))
        self.new_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.new_button)
        for name in template_names():
            menu.addAction(self.tr("按模板：{0}").format(name), partial(self.new_survey, name))
        menu.addAction(self.tr("空白问卷"), partial(self.new_survey, ""))
        self.new_button.setMenu(menu)
        self.open_button = QPushButton(self.tr("开始调查"), self)
        self.close_button = QPushButton(self.tr("结束调查"), self)
        self.print_button = QPushButton(self.tr("打印逐户问卷"), self)
        self.delete_button = QPushButton(self.tr("删除"), self)
        self.open_button.clicked.connect(self._on_open_button_clicked)
        self.close_button.clicked.connect(self._on_close_button_clicked)
        self.print_button.clicked.connect(self._on_print_button_clicked)
        self.delete_button.clicked.connect(self._on_delete_button_clicked)
        # The tabs are made after the page is shown, one per pass of the event loop (or at
        # once when asked for): each is a placeholder saying 正在载入…… until then.
        self._designer: DesignerTab | None = None
        self._entry: EntryForm | None = None
        self._coverage: CoverageTab | None = None
        self._results: ResultsTab | None = None
        self._reading = False  # a survey is being read for the designer and the entry tab
        self._tab_generation = 0  # of the 走访情况 / 调查结果 read last
        self._tab_reading = False
        self.tabs = QTabWidget(self)
        for title in (
            self.tr("问卷设计"),
            self.tr("录入答卷"),
            self.tr("走访情况"),
            self.tr("调查结果"),
        ):
            self.tabs.addTab(_placeholder(self.tabs), title)
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)
        self.view.selectionModel().currentRowChanged.connect(self._on_current_changed)
        self._layout()
        self._read_list()
        QTimer.singleShot(NEXT_PASS_MS, self, self._make_next_tab)

    # -- tabs, made when first needed ------------------------------------------------------

    def _make_next_tab(self) -> None:
        """Make the first tab not made yet; again on the next pass until all are."""
        for made, make in (
            (self._designer, lambda: self.designer),
            (self._entry, lambda: self.entry),
            (self._coverage, lambda: self.coverage),
            (self._results, lambda: self.results),
        ):
            if made is None:
                make()
                QTimer.singleShot(NEXT_PASS_MS, self, self._make_next_tab)
                return

    def _place(self, index: int, tab: QWidget) -> None:
        """`tab` in its placeholder's place, the current tab staying current (quietly)."""
        current = self.tabs.currentIndex()
        old = self.tabs.widget(index)
        title = self.tabs.tabText(index)
        self.tabs.blockSignals(True)
        self.tabs.removeTab(index)
        self.tabs.insertTab(index, tab, title)
        self.tabs.setCurrentIndex(current)
        self.tabs.blockSignals(False)
        if old is not None:
            old.deleteLater()

    @property
    def designer(self) -> DesignerTab:
        if self._designer is None:
            self._designer = DesignerTab(self._services, self)
            self._designer.saved.connect(self._on_saved)
            self._place(DESIGNER, self._designer)
            if self._list_loading or self._reading:
                self._designer.show_busy(None)
        return self._designer

    @property
    def entry(self) -> EntryForm:
        if self._entry is None:
            self._entry = EntryForm(self._services, self)
            self._entry.saved.connect(self._on_entry_saved)
            self._place(ENTRY, self._entry)
            if self._list_loading or self._reading:
                self._entry.show_busy()
        return self._entry

    @property
    def coverage(self) -> CoverageTab:
        if self._coverage is None:
            from ui.surveys.coverage_tab import CoverageTab

            self._coverage = CoverageTab(self._services, self.runner, self)
            self._place(COVERAGE, self._coverage)
        return self._coverage

    @property
    def results(self) -> ResultsTab:
        if self._results is None:
            from ui.surveys.results_tab import ResultsTab  # Qt Charts: loaded when needed

            self._results = ResultsTab(self._services, self.runner, self)
            self._place(RESULTS, self._results)
        return self._results

    def _layout(self) -> None:
        buttons = QHBoxLayout()
        for b in (
            self.new_button,
            self.open_button,
            self.close_button,
            self.print_button,
            self.delete_button,
        ):
            buttons.addWidget(b)
        buttons.addStretch(1)
        left = QWidget(self)
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addLayout(buttons)
        ll.addWidget(self.view, 1)
        split = QSplitter(self)
        split.addWidget(left)
        split.addWidget(self.tabs)
        split.setSizes([420, 900])
        layout = QVBoxLayout(self)
        layout.addWidget(split)

    def current(self) -> SurveyRow | None:
        return self.model.row_at(self.view.currentIndex().row())

    def select_survey(self, survey_id: int) -> None:
        self._ensure_list()
        for n, r in enumerate(self.model.rows()):
            if r.id == survey_id:
                self.view.selectRow(n)
                return

    def show_survey(self, survey_id: int, tab: str = "results") -> None:
        """Select the survey in a fresh list and open its 走访情况 ("coverage") or 调查结果
        ("results") tab."""
        self._refresh_list(keep=True)
        before = self.current()
        self.select_survey(survey_id)  # a different survey reloads the tab shown
        target = self.coverage if tab == "coverage" else self.results
        if self.tabs.currentWidget() is not target:
            self.tabs.setCurrentWidget(target)  # loads it
        elif before is not None and before.id == survey_id:
            self._load_tab(self.tabs.currentIndex())  # fresh figures for the same survey

    def _read_list(self) -> None:
        """The first list, read in the background (its counts take a while on a district);
        the page says 正在载入…… and offers nothing to act on meanwhile."""
        self._list_generation += 1
        generation = self._list_generation
        self._list_loading = True
        self._update_buttons()  # nothing to act on; the tabs made meanwhile say 正在载入……
        surveys = self._services.surveys
        task = self.runner.run(lambda _p, _c: surveys.list_surveys())
        task.finished.connect(while_alive(self, partial(self._on_list_read, generation)))
        task.failed.connect(while_alive(self, partial(self._on_list_read_failed, generation)))

    def _ensure_list(self) -> None:
        """Asked for a survey before the first list is in: read it now."""
        if self._list_loading:
            self._refresh_list(keep=False)

    def _on_list_read(self, generation: int, rows: object) -> None:
        if generation != self._list_generation:
            return  # the list was read again meanwhile
        assert isinstance(rows, list)
        self._list_loading = False
        self.model.set_rows(rows)
        if self.model.rowCount():
            self.view.selectRow(0)
        else:
            self._on_current_changed()

    def _on_list_read_failed(self, generation: int, exc: object) -> None:
        if generation != self._list_generation:
            return
        self._list_loading = False
        failed = expected_message(exc) or self.tr("读取问卷失败")
        self.designer.show_failed(failed)
        self.entry.show_failed(failed)
        show_failure(self, exc)

    def _refresh_list(self, *, keep: bool) -> None:
        self._list_generation += 1  # a first list still being read is dropped
        self._list_loading = False
        current = self.current()
        self.model.set_rows(self._services.surveys.list_surveys())
        if keep and current is not None:
            self.view.blockSignals(True)
            self.select_survey(current.id)
            self.view.blockSignals(False)
            self._update_buttons()
        elif self.model.rowCount():
            self.view.selectRow(0)
        else:
            self._on_current_changed()

    def _update_buttons(self) -> None:
        r = self.current()
        self.open_button.setEnabled(r is not None and r.status != "open")
        self.open_button.setText(
            self.tr("重新开始") if r and r.status == "closed" else self.tr("开始调查")
        )
        self.close_button.setEnabled(r is not None and r.status == "open")
        self.print_button.setEnabled(r is not None and r.questions > 0 and r.households > 0)
        self.delete_button.setEnabled(r is not None)

    def _on_current_changed(self, *_args: object) -> None:
        self._update_buttons()
        r = self.current()
        self._read_survey(r.id if r else None)
        self._load_tab(self.tabs.currentIndex())

    def loading(self) -> bool:
        """True while the list, the selected survey (for the designer and the entry tab) or
        the figures of the tab in view are read."""
        return self._list_loading or self._reading or self._tab_reading

    def _read_survey(self, sid: int | None, *, designer: bool = True) -> None:
        """Read the survey for the designer (unless told not to) and the entry tab in the
        background; both show 正在载入…… meanwhile and can do nothing. A read that ends after
        another survey was chosen is dropped."""
        self._generation += 1
        generation = self._generation
        self._reading = sid is not None
        if sid is None:
            self.designer.show_loaded(None, None)
            self.entry.show_loaded(EntryData(None))
            return
        if designer:
            self.designer.show_busy(sid)
        self.entry.show_busy()
        # Started on the next pass of the event loop: the page is laid out and painted first
        # (the worker's Python would slow the GUI thread's), and of quick choices only the
        # last one is read.
        QTimer.singleShot(NEXT_PASS_MS, self, partial(self._start_read, generation, sid, designer))

    def _start_read(self, generation: int, sid: int, designer: bool) -> None:
        if generation != self._generation:
            return  # another survey was chosen meanwhile
        services = self._services

        def read(_p: Progress, _c: IsCancelled) -> tuple[DesignerData | None, EntryData]:
            with gc_paused():  # thousands of households, no cycles: no collector pauses
                designed = load_designer(services, sid) if designer else None
                return designed, load_entry(services, sid)

        task = self.runner.run(read)
        task.finished.connect(while_alive(self, partial(self._on_survey_read, generation, sid)))
        task.failed.connect(
            while_alive(self, partial(self._on_survey_read_failed, generation, designer))
        )

    def _on_survey_read(self, generation: int, sid: int, result: object) -> None:
        if generation != self._generation:
            return  # another survey was chosen meanwhile
        assert isinstance(result, tuple)
        designed, entered = result
        shows: list[Callable[[], None]] = [partial(self._show_entry, entered)]
        if designed is not None:
            shows.insert(0, partial(self.designer.show_loaded, sid, designed))
        if self.tabs.currentIndex() == ENTRY:
            shows.reverse()
        self._show_in_turn(generation, shows)

    def _show_in_turn(self, generation: int, shows: list[Callable[[], None]]) -> None:
        """The tab in view first, the other on the next pass of the event loop (each makes
        dozens of widgets); dropped when another survey was chosen meanwhile."""
        if generation != self._generation:
            return
        shows[0]()
        if len(shows) > 1:
            rest = partial(self._show_in_turn, generation, shows[1:])
            QTimer.singleShot(NEXT_PASS_MS, self, rest)
        else:
            self._reading = False

    def _show_entry(self, entered: EntryData) -> None:
        self.entry.show_loaded(entered)
        if self.tabs.currentIndex() == ENTRY:
            self.entry.scan_edit.setFocus()

    def _on_survey_read_failed(self, generation: int, designer: bool, exc: object) -> None:
        if generation != self._generation:
            return
        self._reading = False
        failed = expected_message(exc) or self.tr("读取问卷失败")
        if designer:
            self.designer.show_failed(failed)
        self.entry.show_failed(failed)
        show_failure(self, exc)

    def _on_tabs_current_changed(self, index: int) -> None:
        self._load_tab(index)

    def _load_tab(self, index: int) -> None:
        r = self.current()
        sid = r.id if r else None
        if index == COVERAGE:
            self._read_tab(self.coverage, sid)
        elif index == RESULTS:
            self._read_tab(self.results, sid)
        elif index == ENTRY:
            self.entry.scan_edit.setFocus()

    def _read_tab(self, tab: CoverageTab | ResultsTab, sid: int | None) -> None:
        """The 走访情况 or 调查结果 figures, read in the background (a district's survey has
        thousands of households); the tab says 正在载入…… meanwhile. Only the last read
        asked for is shown."""
        self._tab_generation += 1
        generation = self._tab_generation
        self._tab_reading = sid is not None
        if sid is None:
            tab.show_loaded(None, None)
            return
        tab.show_busy(sid)
        services = self._services
        load = tab.load

        def read(_p: Progress, _c: IsCancelled) -> object:
            with gc_paused():
                return load(services, sid)

        task = self.runner.run(read)
        task.finished.connect(while_alive(self, partial(self._on_tab_read, generation, tab, sid)))
        task.failed.connect(while_alive(self, partial(self._on_tab_read_failed, generation, tab)))

    def _on_tab_read(
        self, generation: int, tab: CoverageTab | ResultsTab, sid: int, data: object
    ) -> None:
        if generation != self._tab_generation:
            return  # another survey or tab was chosen meanwhile
        self._tab_reading = False
        tab.show_loaded(sid, data)  # type: ignore[arg-type]

    def _on_tab_read_failed(
        self, generation: int, tab: CoverageTab | ResultsTab, exc: object
    ) -> None:
        if generation != self._tab_generation:
            return
        self._tab_reading = False
        tab.show_failed(expected_message(exc) or self.tr("读取调查结果失败"))
        show_failure(self, exc)

    def _on_saved(self, survey_id: int) -> None:
        self._refresh_list(keep=True)
        self._read_survey(survey_id, designer=False)  # the designer shows what was saved

    def _on_entry_saved(self, _household_id: int) -> None:
        self._refresh_list(keep=True)

    def new_survey(self, template: str) -> None:
        data = (
            self._services.surveys.template(template)
            if template
            else SurveyInput(self.tr("新问卷"))
        )
        try:
            sid = self._services.surveys.create_survey(data)
        except AppError as exc:
            dialogs.error(self, exc.message)
            return
        self._refresh_list(keep=False)
        self.select_survey(sid)
        self.tabs.setCurrentWidget(self.designer)
        dialogs.info(self, self.tr("已新建问卷，请勾选调查范围、检查题目后保存，再点“开始调查”。"))

    def _act(self, action: str) -> None:
        r = self.current()
        if r is None:
            return
        try:
            if action == "open":
                self._services.surveys.open_survey(r.id)
            else:
                self._services.surveys.close_survey(r.id)
        except AppError as exc:
            dialogs.error(self, exc.message)
            return
        self._refresh_list(keep=True)
        self._on_current_changed()

    def _on_open_button_clicked(self) -> None:
        self._act("open")

    def _on_close_button_clicked(self) -> None:
        self._act("close")

    def _on_delete_button_clicked(self) -> None:
        r = self.current()
        if r is None or not dialogs.confirm(
            self, self.tr("删除问卷"), self.tr("删除问卷“{0}”？").format(r.title)
        ):
            return
        try:
            self._services.surveys.delete_survey(r.id)
        except SurveyHasResponses as exc:
            if not dialogs.confirm(self, self.tr("删除问卷"), exc.message + self.tr("确定删除？")):
                return
            self._services.surveys.delete_survey(r.id, with_responses=True)
        except AppError as exc:
            dialogs.error(self, exc.message)
            return
        self._refresh_list(keep=False)

    def import_scans(self, files: list[str] | None = None) -> None:
        """文件 → 导入扫描问卷…: read a scanned stack into the selected survey."""
        from app.surveys.scanning import ScanService
        from ui.surveys.scan_review import import_scans

        self._ensure_list()
        r = self.current()
        if r is None or r.status != "open":
            dialogs.error(self, self.tr("请先在“入户调查”中选中一项进行中的调查，再导入扫描问卷。"))
            return
        scanner = ScanService(self._services.survey_entry, self._services.surveys)
        import_scans(self, self.runner, scanner, r.id, files)

    def _on_print_button_clicked(self) -> None:
        r = self.current()
        if r is not None:
            run_file_job(
                self,
                self.runner,
                partial(_questionnaires, self._services, r.id),
                title=self.tr("逐户调查问卷"),
                suggested=f"{r.title}-问卷.pdf",
                pdf=True,
            )


def _placeholder(parent: QWidget) -> QWidget:
    label = QLabel(QCoreApplication.translate("SurveysPage", "正在载入……"), parent)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    return label


def _questionnaires(
    services: Services, sid: int, out: Path, progress: Progress, cancelled: IsCancelled
) -> int:
    from app.surveys import paper  # reportlab and openpyxl: loaded when a file is made

    return paper.print_questionnaires(services, sid, out, progress=progress, cancelled=cancelled)
