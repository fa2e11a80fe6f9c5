"""Adds the governance pages to the main window: 组织, 网格, 议事, 问题台账, 统计."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from app.services import Services
from ui.governance.dashboard_links import DashboardLinks
from ui.widgets import select_data

if TYPE_CHECKING:
    from ui.governance.dashboard_page import DashboardPage
    from ui.governance.forces_page import ForcesPage
    from ui.governance.grids_page import GridsPage
    from ui.governance.meetings_page import MeetingsPage
    from ui.governance.organisations_page import OrganisationsPage
    from ui.governance.problems_page import ProblemsPage
    from ui.main_window import MainWindow


def _tr(text: str) -> str:
    return QCoreApplication.translate("governance", text)


class GovernancePages:
    """The governance pages, each built on first visit or first use."""

    def __init__(self, getters: dict[str, Callable[[], QWidget]]) -> None:
        self._get = getters

    @property
    def organisations(self) -> OrganisationsPage:
        return cast("OrganisationsPage", self._get["organisations"]())

    @property
    def grids(self) -> GridsPage:
        return cast("GridsPage", self._get["grids"]())

    @property
    def meetings(self) -> MeetingsPage:
        return cast("MeetingsPage", self._get["meetings"]())

    @property
    def problems(self) -> ProblemsPage:
        return cast("ProblemsPage", self._get["problems"]())

    @property
    def forces(self) -> ForcesPage:
        return cast("ForcesPage", self._get["forces"]())

    @property
    def dashboard(self) -> DashboardPage:
        return cast("DashboardPage", self._get["dashboard"]())


def _factories(
    window: MainWindow, services: Services, links: DashboardLinks
) -> list[tuple[str, str, Callable[[], QWidget]]]:
    """(key, title, factory) of each page; the page modules load on first visit."""

    def organisations() -> QWidget:
        from ui.governance.organisations_page import OrganisationsPage

        return OrganisationsPage(services, window)

    def grids() -> QWidget:
        from ui.governance.grids_page import GridsPage

        return GridsPage(services, window)

    def meetings() -> QWidget:
        from ui.governance.meetings_page import MeetingsPage

        return MeetingsPage(services, window)

    def problems() -> QWidget:
        from ui.governance.problems_page import ProblemsPage

        return ProblemsPage(services, window)

    def forces() -> QWidget:
        from ui.governance.forces_page import ForcesPage

        return ForcesPage(services, window)

    def dashboard() -> QWidget:
        from ui.governance.dashboard_page import DashboardPage

        return DashboardPage(services, links, window)

    return [
        ("organisations", _tr("组织"), organisations),
        ("grids", _tr("网格"), grids),
        ("forces", _tr("治理力量"), forces),
        ("meetings", _tr("议事"), meetings),
        ("problems", _tr("问题台账"), problems),
        ("dashboard", _tr("统计"), dashboard),
    ]


def add_governance_sections(window: MainWindow, services: Services) -> GovernancePages:
    """Add one navigation entry per page (built on first visit) and link the dashboard's bars."""
    links = DashboardLinks()
    getters = {
        key: window.add_lazy_section(title, factory)
        for key, title, factory in _factories(window, services, links)
    }
    pages = GovernancePages(getters)

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

    _link_people(window, pages, links)
    links.compound_arrears, links.survey = compound_arrears, survey
    links.registry_by_mode = registry_by_mode
    links.missing_organisations = missing_organisations
    links.problems_by_category = problems_by_category

    def brief() -> None:
        from ui.governance.brief_dialog import BriefDialog

        BriefDialog(services, window).exec()

    def notice() -> None:
        from ui.governance.notice_dialog import NoticeDialog

        NoticeDialog(services, window).exec()

    links.brief, links.notice = brief, notice
    refreshed = [
        getters["dashboard"],
        getters["grids"],
        getters["organisations"],
        getters["forces"],
    ]
    window.stack.currentChanged.connect(lambda _i: _refresh(window, refreshed))
    return pages


def _link_people(window: MainWindow, pages: GovernancePages, links: DashboardLinks) -> None:
    """The 治理力量 bars open the roster by kind; the residents-by-tag bars the registry."""

    def show(page: QWidget) -> None:
        window.nav.setCurrentRow(window.stack.indexOf(page))

    def forces_by_kind(kind: str) -> None:
        select_data(pages.forces.kind_combo, f"{kind}|")
        show(pages.forces)
        pages.forces.tabs.setCurrentIndex(0)

    def registry_by_tag(tag: str, _residents: bool) -> None:
        window.registry_page.show_people(tag=tag)
        show(window.registry_page)

    links.forces_by_kind = forces_by_kind
    links.registry_by_tag = registry_by_tag


def _refresh(window: MainWindow, getters: list[Callable[[], QWidget]]) -> None:
    """A page shows fresh figures when the clerk comes back to it (a page built just now
    for this visit has fresh figures already)."""
    page = window.stack.currentWidget()
    if page is window.just_built:
        window.just_built = None
        return
    for getter in getters:
        if window.page_built(getter) and getter() is page:
            page.reload()  # type: ignore[attr-defined]
