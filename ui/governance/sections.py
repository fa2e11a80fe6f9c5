"""Adds the governance pages to the main window: 组织, 网格, 议事, 问题台账, 统计."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from app.services import Services
from ui.governance.brief_dialog import BriefDialog
from ui.governance.dashboard_page import DashboardLinks, DashboardPage
from ui.governance.grids_page import GridsPage
from ui.governance.meetings_page import MeetingsPage
from ui.governance.notice_dialog import NoticeDialog
from ui.governance.organisations_page import OrganisationsPage
from ui.governance.problems_page import ProblemsPage
from ui.widgets import select_data

if TYPE_CHECKING:
    from ui.main_window import MainWindow


def _tr(text: str) -> str:
    return QCoreApplication.translate("governance", text)


@dataclass
class GovernancePages:
    organisations: OrganisationsPage
    grids: GridsPage
    meetings: MeetingsPage
    problems: ProblemsPage
    dashboard: DashboardPage


def add_governance_sections(window: MainWindow, services: Services) -> GovernancePages:
    """Create the pages, add one navigation entry each, and link the dashboard's bars."""
    links = DashboardLinks()
    pages = GovernancePages(
        OrganisationsPage(services, window),
        GridsPage(services, window),
        MeetingsPage(services, window),
        ProblemsPage(services, window),
        DashboardPage(services, links, window),
    )
    for title, page in (
        (_tr("组织"), pages.organisations),
        (_tr("网格"), pages.grids),
        (_tr("议事"), pages.meetings),
        (_tr("问题台账"), pages.problems),
        (_tr("统计"), pages.dashboard),
    ):
        window.add_section(title, page)

    def show(page: QWidget) -> None:
        window.nav.setCurrentRow(window.stack.indexOf(page))

    def registry_by_mode(mode: str) -> None:
        select_data(window.registry_page.filter_bar.mode_combo, mode)
        show(window.registry_page)

    def missing_organisations() -> None:
        pages.organisations.missing_check.setChecked(True)
        show(pages.organisations)

    def problems_by_category(category_id: int | None, overdue: bool) -> None:
        pages.problems.show_filtered(category_id=category_id, overdue=overdue)
        show(pages.problems)

    def compound_arrears(compound_id: int) -> None:
        window.fees_page.show_compound_arrears(compound_id)
        show(window.fees_page)

    def survey(survey_id: int, tab: str) -> None:
        window.surveys_page.show_survey(survey_id, tab)
        show(window.surveys_page)

    links.compound_arrears, links.survey = compound_arrears, survey
    links.registry_by_mode = registry_by_mode
    links.missing_organisations = missing_organisations
    links.problems_by_category = problems_by_category

    def brief() -> None:
        BriefDialog(services, window).exec()

    def notice() -> None:
        NoticeDialog(services, window).exec()

    links.brief, links.notice = brief, notice
    window.stack.currentChanged.connect(lambda _i: _refresh(window.stack.currentWidget(), pages))
    return pages


def _refresh(page: QWidget | None, pages: GovernancePages) -> None:
    """A page shows fresh figures when the clerk comes back to it."""
    if page is pages.dashboard:
        pages.dashboard.reload()
    elif page is pages.grids:
        pages.grids.reload()
    elif page is pages.organisations:
        pages.organisations.reload()
