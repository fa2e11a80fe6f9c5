"""The main window: section navigation, the sections' pages, menus and the status bar."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QSize, Qt, QUrl, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app import __version__
from app.auth import role_label
from app.config import data_dir
from app.search import SearchHit
from app.services import Services
from ui import screen_fit, settings
from ui.empty_state import EmptyState
from ui.global_search import GlobalSearch
from ui.governance.sections import add_governance_sections
from ui.registry_page import RegistryPage
from ui.roster_actions import RosterActions
from ui.settings import Settings
from ui.system_menu import SystemMenu
from ui.tasks import TaskRunner
from ui.widgets import select_data

if TYPE_CHECKING:
    from ui.fees.fees_page import FeesPage
    from ui.surveys.page import SurveysPage

logger = logging.getLogger(__name__)

NAV_WIDTH = 132


class MainWindow(QMainWindow):
    """The one main window; each section of the program is a page in the stack."""

    # The database was restored from a backup: sign in again into a fresh window.
    restart_requested = Signal()

    def __init__(
        self,
        services: Services,
        prefs: Settings,
        parent: QWidget | None = None,
        *,
        runner: TaskRunner | None = None,
    ) -> None:
        """`runner` is the program's one task runner (ui/app.py makes it); a window built
        alone (tests) makes its own, shared by all its pages."""
        super().__init__(parent)
        self._services = services
        self._prefs = prefs
        self.runner = runner if runner is not None else TaskRunner(parent=self)
        # The compound the clerk picks (not the one the list starts on) is followed by the
        # other sections when they are shown next.
        self.clerk_compound: int | None = None
        self.setWindowTitle(self._title())
        self.setMinimumSize(QSize(960, 600))
        self.nav = QListWidget(self)
        self.nav.setFixedWidth(NAV_WIDTH)
        self.nav.setObjectName("nav")
        self.nav.setStyleSheet(
            "#nav { border: none; background: palette(window); padding-top: 8px; }"
            "#nav::item { padding: 10px 14px; }"
            "#nav::item:selected { background: palette(highlight);"
            " color: palette(highlighted-text); }"
        )
        self.stack = QStackedWidget(self)
        # Pages other than the registry are built on first visit (or first use), so the
        # window opens after one section's queries, not eight.
        self._builders: dict[QWidget, Callable[[], QWidget]] = {}
        self.just_built: QWidget | None = None
        self.registry_page = RegistryPage(services, prefs, self)
        self.add_section(self.tr("楼院台账"), self.registry_page)
        self.governance = add_governance_sections(self, services)
        self._fees_page = self.add_lazy_section(self.tr("物业收费"), self._make_fees_page)
        self._surveys_page = self.add_lazy_section(self.tr("入户调查"), self._make_surveys_page)
        self.nav.currentRowChanged.connect(self._on_nav_current_row_changed)
        self.nav.setCurrentRow(0)

        central = QWidget(self)
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.nav)
        right = QVBoxLayout()
        right.setContentsMargins(0, 0, 0, 0)
        right.setSpacing(0)
        self.empty_state = EmptyState(self)
        right.addWidget(self.empty_state)
        right.addWidget(self.stack, 1)
        layout.addLayout(right, 1)
        self.setCentralWidget(central)
        self._build_menus()
        self.empty_state.import_requested.connect(lambda: self.roster_actions.open_wizard())
        self.empty_state.new_compound_requested.connect(self._on_new_compound_requested)
        self._build_search()
        self._build_status_bar()
        self.registry_page.summary_changed.connect(self.counts_label.setText)
        self.registry_page.summary_changed.connect(self._update_empty_state)
        self.registry_page.emit_summary()
        self.registry_page.compound_view.selectionModel().currentRowChanged.connect(
            self._on_registry_compound_changed
        )
        self._restore_geometry()

    def add_section(self, title: str, page: QWidget) -> None:
        """A navigation entry and its page."""
        self.stack.addWidget(page)
        item = QListWidgetItem(title, self.nav)
        item.setSizeHint(QSize(NAV_WIDTH, 40))

    def add_lazy_section(self, title: str, factory: Callable[[], QWidget]) -> Callable[[], QWidget]:
        """A navigation entry whose page `factory` builds on first visit; returns a getter
        that builds it on first use too (the page then takes its placeholder's place)."""
        placeholder = QWidget(self.stack)
        self.add_section(title, placeholder)
        built: list[QWidget] = []

        def page() -> QWidget:
            if not built:
                real = factory()
                index = self.stack.indexOf(placeholder)
                current = self.stack.currentIndex() == index
                self.stack.insertWidget(index, real)
                self.stack.removeWidget(placeholder)
                self._builders.pop(placeholder, None)
                placeholder.deleteLater()
                if current:
                    self.stack.setCurrentIndex(index)
                built.append(real)
                self.just_built = real
            return built[0]

        self._builders[placeholder] = page
        return page

    def page_built(self, getter: Callable[[], QWidget]) -> bool:
        """True when a lazy section's page exists already (without building it)."""
        return all(builder is not getter for builder in self._builders.values())

    @property
    def fees_page(self) -> FeesPage:
        return cast("FeesPage", self._fees_page())

    @property
    def surveys_page(self) -> SurveysPage:
        return cast("SurveysPage", self._surveys_page())

    def _make_fees_page(self) -> QWidget:
        from ui.fees.fees_page import FeesPage

        return FeesPage(self._services, self.runner, self)

    def _make_surveys_page(self) -> QWidget:
        from ui.surveys.page import SurveysPage

        return SurveysPage(self._services, self.runner, self)

    def show_page(self, page: QWidget) -> None:
        """Go to a section's page (as if its navigation entry were clicked)."""
        self.nav.setCurrentRow(self.stack.indexOf(page))

    def show_registry_by_mode(self, mode: str) -> None:
        """The registry listing the compounds under one management mode."""
        select_data(self.registry_page.filter_bar.mode_combo, mode)
        self.show_page(self.registry_page)

    def show_compound_arrears(self, compound_id: int) -> None:
        self.fees_page.show_compound_arrears(compound_id)
        self.show_page(self.fees_page)

    def show_survey(self, survey_id: int, tab: str) -> None:
        self.surveys_page.show_survey(survey_id, tab)
        self.show_page(self.surveys_page)

    def show_registry_people(self, tag: str = "", role: str = "") -> None:
        """The registry listing the households with a resident of that tag or role."""
        self.registry_page.show_people(tag=tag, role=role)
        self.show_page(self.registry_page)

    def _on_nav_current_row_changed(self, row: int) -> None:
        widget = self.stack.widget(row)
        build = self._builders.get(widget) if widget is not None else None
        if build is not None:
            build()
        self.stack.setCurrentIndex(row)
        follow = getattr(self.stack.currentWidget(), "follow_compound", None)
        if self.clerk_compound is not None and callable(follow):
            follow(self.clerk_compound)

    def _on_registry_compound_changed(self) -> None:
        chosen = self.registry_page.selected_compound_id()
        if chosen is not None:
            self.clerk_compound = chosen

    def _title(self) -> str:
        # Qt adds the application's display name (楼院通) after the title by itself.
        return self.tr("演示数据") if self._services.db.target.demo else ""

    def _on_import_scans_triggered(self) -> None:
        self.nav.setCurrentRow(self.stack.indexOf(self.surveys_page))
        self.surveys_page.import_scans()

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("文件(&F)"))
        self.roster_actions = RosterActions(self, self._services, self.runner)
        self.roster_actions.add_file_actions(file_menu)
        scans = QAction(self.tr("导入扫描问卷…"), self)
        scans.triggered.connect(self._on_import_scans_triggered)
        file_menu.addAction(scans)
        open_folder = QAction(self.tr("打开数据文件夹"), self)
        open_folder.triggered.connect(self._on_open_folder_triggered)
        file_menu.addAction(open_folder)
        self.system_menu = SystemMenu(self, self._services, self.runner)
        self.system_menu.restored.connect(self.restart_requested)
        self.system_menu.add_file_actions(file_menu)
        file_menu.addSeparator()
        quit_action = QAction(self.tr("退出(&X)"), self)
        quit_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Quit))
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        self.system_menu.add_system_menu(self.menuBar())
        help_menu = self.menuBar().addMenu(self.tr("帮助(&H)"))
        about = QAction(self.tr("关于楼院通"), self)
        about.triggered.connect(self._on_about_triggered)
        help_menu.addAction(about)

    def _update_empty_state(self, *_args: object) -> None:
        """The next steps show while the database has no compound at all."""
        bar = self.registry_page.filter_bar
        filtered = bool(bar.text()) or any(
            combo.currentIndex() > 0 for combo in (bar.community_combo, bar.mode_combo)
        )
        empty = self.registry_page.compound_model.rowCount() == 0 and not filtered
        self.empty_state.setVisible(empty)

    def _on_new_compound_requested(self) -> None:
        self.nav.setCurrentRow(0)
        self.registry_page.new_compound_button.click()

    def _build_search(self) -> None:
        """The one search box, at the menu bar's right end; Ctrl+F from anywhere."""
        self.search_box = GlobalSearch(self._services.search, self.runner, self)
        holder = QWidget(self)
        row = QHBoxLayout(holder)
        row.setContentsMargins(0, 2, 6, 2)
        row.addWidget(self.search_box)
        self.menuBar().setCornerWidget(holder, Qt.Corner.TopRightCorner)
        find = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self)
        find.setContext(Qt.ShortcutContext.WindowShortcut)
        find.activated.connect(self.search_box.focus)
        self.search_box.chosen.connect(self.show_hit)

    def show_hit(self, hit: SearchHit) -> None:
        """Open what the search found: its compound in 楼院台账, the household selected."""
        self.nav.setCurrentRow(0)
        self.registry_page.show_found(hit.compound_id, hit.household_id)

    def _build_status_bar(self) -> None:
        target = self._services.db.target
        text = self.tr("数据库：{0}").format(target.display)
        if target.demo:
            text = self.tr("演示数据库") + " · " + text
        self.database_label = QLabel(text, self)
        self.database_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.counts_label = QLabel(self)
        actor = self._services.actor
        self.user_label = QLabel(
            self.tr("用户：{0}（{1}）").format(actor.username, self.tr(role_label(actor.role))),
            self,
        )
        bar = self.statusBar()
        bar.addWidget(self.database_label, 1)
        bar.addPermanentWidget(self.counts_label)
        bar.addPermanentWidget(self.user_label)

    def _restore_geometry(self) -> None:
        geometry = self._prefs.get(settings.WINDOW_GEOMETRY)
        if geometry.isEmpty() or not self.restoreGeometry(geometry):
            # First start: 1280x800 where there is room, centred; a small screen (a
            # 1366x768 laptop) gets the window maximised.
            area = screen_fit.available_geometry(self)
            self.resize(screen_fit.fit_size(self, QSize(1280, 800)))
            frame = self.frameGeometry()
            frame.moveCenter(area.center())
            self.move(max(area.left(), frame.left()), max(area.top(), frame.top()))
            if area.width() < screen_fit.ROOMY.width() or area.height() < screen_fit.ROOMY.height():
                self.setWindowState(self.windowState() | Qt.WindowState.WindowMaximized)
        else:
            screen_fit.fit_onto_screen(self)
        state = self._prefs.get(settings.WINDOW_STATE)
        if not state.isEmpty():
            self.restoreState(state)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self._prefs.set(settings.WINDOW_GEOMETRY, self.saveGeometry())
        self._prefs.set(settings.WINDOW_STATE, self.saveState())
        self.registry_page.save_state()
        self._prefs.sync()
        super().closeEvent(event)

    def _on_open_folder_triggered(self) -> None:
        folder = data_dir()
        folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    def _on_about_triggered(self) -> None:
        target = self._services.db.target
        QMessageBox.about(
            self,
            self.tr("关于楼院通"),
            self.tr(
                "<h3>楼院通 {0}</h3><p>楼院台账、物业收费与入户调查。</p>"
                "<p>数据库：{1}{2}</p><p>数据文件夹：{3}</p>"
            ).format(
                __version__,
                target.display,
                self.tr("（演示数据）") if target.demo else "",
                data_dir(),
            ),
        )
