"""The main window: section navigation, the sections' pages, menus and the status bar."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QSize, Qt, QUrl, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from app import __version__
from app.auth import role_label
from app.config import data_dir
from app.services import Services
from ui import settings
from ui.governance.sections import add_governance_sections
from ui.registry_page import RegistryPage
from ui.roster_actions import RosterActions
from ui.settings import Settings
from ui.system_menu import SystemMenu

if TYPE_CHECKING:
    from ui.fees.fees_page import FeesPage
    from ui.surveys.page import SurveysPage

logger = logging.getLogger(__name__)

NAV_WIDTH = 132


class MainWindow(QMainWindow):
    """The one main window; each section of the program is a page in the stack."""

    # The database was restored from a backup: sign in again into a fresh window.
    restart_requested = Signal()

    def __init__(self, services: Services, prefs: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._prefs = prefs
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
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self._build_menus()
        self._build_status_bar()
        self.registry_page.summary_changed.connect(self.counts_label.setText)
        self.registry_page.emit_summary()
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

        return FeesPage(self._services, self)

    def _make_surveys_page(self) -> QWidget:
        from ui.surveys.page import SurveysPage

        return SurveysPage(self._services, self)

    def _on_nav_current_row_changed(self, row: int) -> None:
        widget = self.stack.widget(row)
        build = self._builders.get(widget) if widget is not None else None
        if build is not None:
            build()
        self.stack.setCurrentIndex(row)

    def _title(self) -> str:
        title = self.tr("楼院通")
        if self._services.db.target.demo:
            title += self.tr(" — 演示数据")
        return title

    def _on_import_scans_triggered(self) -> None:
        self.nav.setCurrentRow(self.stack.indexOf(self.surveys_page))
        self.surveys_page.import_scans()

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("文件(&F)"))
        self.roster_actions = RosterActions(self, self._services)
        self.roster_actions.add_file_actions(file_menu)
        scans = QAction(self.tr("导入扫描问卷…"), self)
        scans.triggered.connect(self._on_import_scans_triggered)
        file_menu.addAction(scans)
        open_folder = QAction(self.tr("打开数据文件夹"), self)
        open_folder.triggered.connect(self._on_open_folder_triggered)
        file_menu.addAction(open_folder)
        self.system_menu = SystemMenu(self, self._services)
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
            self.resize(1280, 800)
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
