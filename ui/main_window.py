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
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app import __version__
from app.config import DatabaseTarget, data_dir
from ui import screen_fit, settings
from ui.empty_state import EmptyState
from ui.governance.sections import section_titles
from ui.settings import Settings
from ui.tasks import TaskRunner
from ui.widgets import select_data

if TYPE_CHECKING:
    from app.search import SearchHit
    from app.services import Services
    from ui.fees.fees_page import FeesPage
    from ui.governance.sections import GovernancePages
    from ui.registry_page import RegistryPage
    from ui.roster_actions import RosterActions
    from ui.surveys.page import SurveysPage
    from ui.system_menu import SystemMenu

# What the window shows before its pages exist (the frame paints at once; the database layer
# loads, the clerk signs in, then `MainWindow.attach` fills it). Loaded with the data layer,
# in the background, for `attach`.
ATTACH_MODULES = (
    "app.auth",
    "app.services",
    "app.search",
    "ui.registry_page",
    "ui.global_search",
    "ui.roster_actions",
    "ui.system_menu",
)

logger = logging.getLogger(__name__)

NAV_WIDTH = 132


class MainWindow(QMainWindow):
    """The one main window; each section of the program is a page in the stack."""

    # The database was restored from a backup: sign in again into a fresh window.
    restart_requested = Signal()

    def __init__(
        self,
        services: Services | None,
        prefs: Settings,
        parent: QWidget | None = None,
        *,
        runner: TaskRunner | None = None,
        target: DatabaseTarget | None = None,
    ) -> None:
        """`runner` is the program's one task runner (ui/app.py makes it); a window built
        alone (tests) makes its own, shared by all its pages.

        Without `services` the window is its frame (title, sections, menus, status bar, the
        database `target` named) saying the database is being opened, until `attach`."""
        super().__init__(parent)
        self._prefs = prefs
        self.runner = runner if runner is not None else TaskRunner(parent=self)
        self.attached = False
        # The compound the clerk picks (not the one the list starts on) is followed by the
        # other sections when they are shown next.
        self.clerk_compound: int | None = None
        if services is not None:
            target = services.db.target
        self._target = target
        self.setWindowTitle(self.tr("演示数据") if target is not None and target.demo else "")
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
        # What the frame shows where the pages go, until the first page is loaded.
        self.opening = QLabel(self.tr("正在打开数据库……"), self)
        self.opening.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.opening.setEnabled(False)
        self.stack.hide()
        for title in self.section_titles():
            QListWidgetItem(title, self.nav).setSizeHint(QSize(NAV_WIDTH, 40))
        self.nav.setCurrentRow(0)
        self.nav.setEnabled(False)

        central = QWidget(self)
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.nav)
        self._right = QVBoxLayout()
        self._right.setContentsMargins(0, 0, 0, 0)
        self._right.setSpacing(0)
        self._right.addWidget(self.opening, 1)
        self._right.addWidget(self.stack, 1)
        layout.addLayout(self._right, 1)
        self.setCentralWidget(central)
        for title in self.menu_titles():
            self.menuBar().addMenu(title).setEnabled(False)
        self._search_placeholder = self._frame_search()
        self._build_status_bar()
        self._restore_geometry()
        if services is not None:
            self.attach(services)

    def section_titles(self) -> list[str]:
        """The navigation titles, in order (the frame shows them; `attach` adds the pages)."""
        return [
            self.tr("楼院台账"),
            *section_titles().values(),
            self.tr("物业收费"),
            self.tr("入户调查"),
        ]

    def menu_titles(self) -> list[str]:
        return [self.tr("文件(&F)"), self.tr("系统(&S)"), self.tr("帮助(&H)")]

    def attach(self, services: Services, *, load: bool = True) -> None:
        """Fill the frame for the signed-in clerk: the pages, menus, search and status.

        With `load` false the registry's first query waits for `load_first_page` (start-up
        runs the two in turns of their own, so that neither stalls the window for long)."""
        from ui.governance.sections import add_governance_sections
        from ui.registry_page import RegistryPage

        self._services = services
        self._target = services.db.target
        self.nav.clear()
        self.registry_page: RegistryPage = RegistryPage(services, self._prefs, self, load=False)
        self.add_section(self.tr("楼院台账"), self.registry_page)
        self.governance: GovernancePages = add_governance_sections(self, services)
        self._fees_page = self.add_lazy_section(self.tr("物业收费"), self._make_fees_page)
        self._surveys_page = self.add_lazy_section(self.tr("入户调查"), self._make_surveys_page)
        self.nav.currentRowChanged.connect(self._on_nav_current_row_changed)
        self.nav.setCurrentRow(0)
        self.empty_state = EmptyState(self)
        self.empty_state.hide()
        self._right.insertWidget(0, self.empty_state)
        self.menuBar().clear()
        self._build_menus()
        self.empty_state.import_requested.connect(lambda: self.roster_actions.open_wizard())
        self.empty_state.new_compound_requested.connect(self._on_new_compound_requested)
        self._build_search()
        actor = services.actor
        from app.auth import role_label

        self.user_label.setText(
            self.tr("用户：{0}（{1}）").format(actor.username, self.tr(role_label(actor.role)))
        )
        self.registry_page.summary_changed.connect(self.counts_label.setText)
        self.registry_page.summary_changed.connect(self._update_empty_state)
        if load:
            self.load_first_page()

    def load_first_page(self) -> None:
        """The registry's first query; then the pages show instead of the frame's notice."""
        self.registry_page.reload_compounds()
        # Followed from now on: the compound the clerk picks, not the one the list starts on.
        self.registry_page.compound_view.selectionModel().currentRowChanged.connect(
            self._on_registry_compound_changed
        )
        self.opening.hide()
        self.opening.deleteLater()
        self.stack.show()
        self.nav.setEnabled(True)
        self.attached = True

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

    def _on_import_scans_triggered(self) -> None:
        self.nav.setCurrentRow(self.stack.indexOf(self.surveys_page))
        self.surveys_page.import_scans()

    def _build_menus(self) -> None:
        from ui.roster_actions import RosterActions
        from ui.system_menu import SystemMenu

        file_title, _system_title, help_title = self.menu_titles()
        file_menu = self.menuBar().addMenu(file_title)
        self.roster_actions: RosterActions = RosterActions(self, self._services, self.runner)
        self.roster_actions.add_file_actions(file_menu)
        scans = QAction(self.tr("导入扫描问卷…"), self)
        scans.triggered.connect(self._on_import_scans_triggered)
        file_menu.addAction(scans)
        open_folder = QAction(self.tr("打开数据文件夹"), self)
        open_folder.triggered.connect(self._on_open_folder_triggered)
        file_menu.addAction(open_folder)
        self.system_menu: SystemMenu = SystemMenu(self, self._services, self.runner)
        self.system_menu.restored.connect(self.restart_requested)
        self.system_menu.add_file_actions(file_menu)
        file_menu.addSeparator()
        quit_action = QAction(self.tr("退出(&X)"), self)
        quit_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Quit))
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        self.system_menu.add_system_menu(self.menuBar())
        help_menu = self.menuBar().addMenu(help_title)
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

    def _frame_search(self) -> QWidget:
        """Where the search box goes, shown (disabled) while the database opens."""
        holder = QWidget(self)
        row = QHBoxLayout(holder)
        row.setContentsMargins(0, 2, 6, 2)
        placeholder = QLineEdit(holder)
        placeholder.setPlaceholderText(
            self.tr("查找楼院、住户、居民：姓名、拼音首字母、3-1-101、电话、身份证尾号（Ctrl+F）")
        )
        placeholder.setMinimumWidth(300)
        placeholder.setEnabled(False)
        row.addWidget(placeholder)
        self.menuBar().setCornerWidget(holder, Qt.Corner.TopRightCorner)
        return holder

    def _build_search(self) -> None:
        """The one search box, at the menu bar's right end; Ctrl+F from anywhere."""
        from ui.global_search import GlobalSearch

        self.search_box = GlobalSearch(self._services.search, self.runner, self)
        holder = QWidget(self)
        row = QHBoxLayout(holder)
        row.setContentsMargins(0, 2, 6, 2)
        row.addWidget(self.search_box)
        self.menuBar().setCornerWidget(holder, Qt.Corner.TopRightCorner)
        self._search_placeholder.deleteLater()
        find = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self)
        find.setContext(Qt.ShortcutContext.WindowShortcut)
        find.activated.connect(self.search_box.focus)
        self.search_box.chosen.connect(self.show_hit)

    def show_hit(self, hit: SearchHit) -> None:
        """Open what the search found: its compound in 楼院台账, the household selected."""
        self.nav.setCurrentRow(0)
        self.registry_page.show_found(hit.compound_id, hit.household_id)

    def _build_status_bar(self) -> None:
        target = self._target
        text = self.tr("数据库：{0}").format(target.display) if target is not None else ""
        if target is not None and target.demo:
            text = self.tr("演示数据库") + " · " + text
        self.database_label = QLabel(text, self)
        self.database_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.counts_label = QLabel(self)
        self.user_label = QLabel(self)
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
        if self.attached:
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
