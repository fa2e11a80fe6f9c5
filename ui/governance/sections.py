"""Adds the governance pages to the main window: 组织, 网格, 议事, 问题台账, 统计."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol, cast

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QStackedWidget, QWidget

from ui.governance.dashboard_links import DashboardLinks
from ui.tasks import TaskRunner
from ui.widgets import select_data

if TYPE_CHECKING:
    from app.services import Services
    from ui.governance.dashboard_page import DashboardPage
    from ui.governance.forces_page import ForcesPage
    from ui.governance.grids_page import GridsPage
    from ui.governance.meetings_page import MeetingsPage
    from ui.governance.organisations_page import OrganisationsPage
    from ui.governance.problems_page import ProblemsPage


def _tr(text: str) -> str:
    return QCoreApplication.translate("governance", text)


class SectionHost(Protocol):
    """What the governance sections need of the window that holds them (the main window)."""

    stack: QStackedWidget
    just_built: QWidget | None  # the lazy page built for the visit under way

    @property
    def runner(self) -> TaskRunner: ...

    def window(self) -> QWidget: ...

    def add_lazy_section(
        self, title: str, factory: Callable[[], QWidget]
    ) -> Callable[[], QWidget]: ...

    def page_built(self, getter: Callable[[], QWidget]) -> bool: ...

    def show_page(self, page: QWidget) -> None: ...

    def show_registry_by_mode(self, mode: str) -> None: ...

    def show_compound_arrears(self, compound_id: int) -> None: ...

    def show_survey(self, survey_id: int, tab: str) -> None: ...

    def show_registry_people(self, tag: str = "", role: str = "") -> None: ...


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
    host: SectionHost, services: Services, links: DashboardLinks
) -> dict[str, Callable[[], QWidget]]:
    """Each page's factory by key; the page modules load on first visit."""
    window = host.window()

    def organisations() -> QWidget:
        from ui.governance.organisations_page import OrganisationsPage

        return OrganisationsPage(services, window)

    def grids() -> QWidget:
        from ui.governance.grids_page import GridsPage

        return GridsPage(services, host.runner, window)

    def meetings() -> QWidget:
        from ui.governance.meetings_page import MeetingsPage

        return MeetingsPage(services, window)

    def problems() -> QWidget:
        from ui.governance.problems_page import ProblemsPage

        return ProblemsPage(services, host.runner, window)

    def forces() -> QWidget:
        from ui.governance.forces_page import ForcesPage

        return ForcesPage(services, host.runner, window)

    def dashboard() -> QWidget:
        from ui.governance.dashboard_page import DashboardPage

        return DashboardPage(services, links, host.runner, window)

    return {
        "organisations": organisations,
        "grids": grids,
        "forces": forces,
        "meetings": meetings,
        "problems": problems,
        "dashboard": dashboard,
    }


def section_titles() -> dict[str, str]:
    """Each page's navigation title, in order (the window's frame shows them before the
    database is open)."""
    return {
        "organisations": _tr("组织"),
        "grids": _tr("网格"),
        "forces": _tr("治理力量"),
        "meetings": _tr("议事"),
        "problems": _tr("问题台账"),
        "dashboard": _tr("统计"),
    }


def add_governance_sections(host: SectionHost, services: Services) -> GovernancePages:
    """Add one navigation entry per page (built on first visit) and link the dashboard's bars."""
    links = DashboardLinks()
    factories = _factories(host, services, links)
    getters = {
        key: host.add_lazy_section(title, factories[key]) for key, title in section_titles().items()
    }
    pages = GovernancePages(getters)
    show = host.show_page

    def missing_organisations() -> None:
        pages.organisations.missing_check.setChecked(True)
        show(pages.organisations)

    def problems_by_category(category_id: int | None, overdue: bool) -> None:
        pages.problems.show_filtered(category_id=category_id, overdue=overdue)
        show(pages.problems)

    _link_people(host, pages, links)
    links.compound_arrears, links.survey = host.show_compound_arrears, host.show_survey
    links.registry_by_mode = host.show_registry_by_mode
    links.missing_organisations = missing_organisations
    links.problems_by_category = problems_by_category

    def brief() -> None:
        from ui.governance.brief_dialog import BriefDialog

        BriefDialog(services, host.window()).exec()

    def notice() -> None:
        from ui.governance.notice_dialog import NoticeDialog

        NoticeDialog(services, host.window()).exec()

    links.brief, links.notice = brief, notice
    refreshed = [
        getters["dashboard"],
        getters["grids"],
        getters["organisations"],
        getters["forces"],
    ]
    host.stack.currentChanged.connect(lambda _i: _refresh(host, refreshed))
    return pages


def _link_people(host: SectionHost, pages: GovernancePages, links: DashboardLinks) -> None:
    """The 治理力量 bars open the roster by kind; the residents-by-tag bars the registry."""

    def forces_by_kind(kind: str) -> None:
        select_data(pages.forces.kind_combo, f"{kind}|")
        host.show_page(pages.forces)
        pages.forces.tabs.setCurrentIndex(0)

    def registry_by_tag(tag: str, _residents: bool) -> None:
        host.show_registry_people(tag=tag)

    links.forces_by_kind = forces_by_kind
    links.registry_by_tag = registry_by_tag


def _refresh(host: SectionHost, getters: list[Callable[[], QWidget]]) -> None:
    """A page shows fresh figures when the clerk comes back to it (a page built just now
    for this visit has fresh figures already)."""
    page = host.stack.currentWidget()
    if page is host.just_built:
        host.just_built = None
        return
    for getter in getters:
        if host.page_built(getter) and getter() is page:
            page.reload()  # type: ignore[attr-defined]
