"""Adds the governance pages to the main window: 组织, 网格, 议事, 问题台账, 统计."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from app.services import Services
from ui.governance.problems_page import ProblemsPage

if TYPE_CHECKING:
    from ui.main_window import MainWindow


def _tr(text: str) -> str:
    return QCoreApplication.translate("governance", text)


@dataclass
class GovernancePages:
    problems: ProblemsPage


def add_governance_sections(window: MainWindow, services: Services) -> GovernancePages:
    """Create the pages and add one navigation entry for each."""
    problems = ProblemsPage(services, window)
    window.add_section(_tr("问题台账"), problems)
    return GovernancePages(problems)
