"""Where a click on a dashboard bar leads; kept apart so the sections can be wired without
loading the charts module before the dashboard is first shown."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class DashboardLinks:
    """Where a click on a bar leads (set by the sections installer)."""

    registry_by_mode: Callable[[str], None] = lambda _mode: None
    missing_organisations: Callable[[], None] = lambda: None
    problems_by_category: Callable[[int | None, bool], None] = lambda _c, _o: None
    brief: Callable[[], None] = lambda: None
    notice: Callable[[], None] = lambda: None
    compound_arrears: Callable[[int], None] = lambda _cid: None
    survey: Callable[[int, str], None] = lambda _sid, _tab: None  # tab: "coverage" | "results"
    forces_by_kind: Callable[[str], None] = lambda _kind: None
    # tag, residents (True) or households (False)
    registry_by_tag: Callable[[str, bool], None] = lambda _tag, _residents: None
