"""Survey figures for `louyuan stats --json` (key "surveys")."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from app.audit import SYSTEM
from app.surveys.designer import SurveyService
from app.surveys.results import ResultsService


def survey_figures(sessions: sessionmaker[Session]) -> dict[str, Any]:
    """Counts by status and, per survey, coverage and satisfaction (ratios to 4 places)."""
    rows = SurveyService(sessions, SYSTEM).list_surveys()
    results = ResultsService(sessions)
    by_status = {"draft": 0, "open": 0, "closed": 0}
    out = []
    for r in reversed(rows):
        by_status[r.status] += 1
        rate = results.results(r.id).satisfaction_rate
        out.append(
            {
                "id": r.id,
                "title": r.title,
                "status": r.status,
                "households": r.households,
                "answered": r.answered,
                "refused": r.refused,
                "nobody_home": r.nobody_home,
                "not_reached": r.households - r.reached,
                "coverage": round(r.reached / r.households, 4) if r.households else 0.0,
                "satisfaction_rate": float(rate) if rate is not None else None,
            }
        )
    return {
        "count": len(rows),
        "by_status": by_status,
        "responses": sum(r.answered + r.refused + r.nobody_home for r in rows),
        "surveys": out,
    }
