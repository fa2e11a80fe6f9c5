"""Registry figures for `louyuan stats` and the dashboard; later areas add theirs."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from app.audit import SYSTEM
from app.fees.ledger import FeeLedgerService
from app.governance.figures import GovernanceFigures
from app.surveys.figures import survey_figures
from db.models import (
    MANAGEMENT_MODES,
    RESIDENT_TAGS,
    Building,
    Community,
    Compound,
    Household,
    Resident,
    ResidentTag,
)


class StatsService:
    """Counts over the whole database."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def summary(self) -> dict[str, Any]:
        """Totals, and the same counts by community and by management mode.

        Keys: compounds, buildings, households, residents, by_community (list of dicts with
        the community's name), by_management_mode (mode → counts), residents_by_tag.
        """
        with self._sessions() as s:
            by_compound = _per_compound(s)
            communities = s.execute(
                select(Community.id, Community.name).order_by(Community.name, Community.id)
            ).all()
            compounds = s.execute(
                select(Compound.id, Compound.community_id, Compound.management_mode)
            ).all()
            tags: dict[str, int] = {
                tag: n
                for tag, n in s.execute(
                    select(ResidentTag.tag, func.count()).group_by(ResidentTag.tag)
                )
            }
        zero = {"compounds": 0, "buildings": 0, "households": 0, "residents": 0}
        names = {cid: name for cid, name in communities}
        by_community = {cid: dict(zero) for cid in names}
        by_mode = {mode: dict(zero) for mode in MANAGEMENT_MODES}
        totals = dict(zero)
        for cid, community_id, mode in compounds:
            figures = {"compounds": 1, **by_compound.get(cid, {})}
            for target in (by_community[community_id], by_mode[mode], totals):
                for key, value in figures.items():
                    target[key] += value
        return {
            **totals,
            "by_community": [{"community": names[cid], **row} for cid, row in by_community.items()],
            "by_management_mode": by_mode,
            "residents_by_tag": {tag: tags.get(tag, 0) for tag in RESIDENT_TAGS},
            # charged, paid, arrears (fen), collection_rate, schemes_by_state
            "fees": FeeLedgerService(self._sessions).figures(),
            "surveys": survey_figures(self._sessions),  # app.surveys.figures
            # organisations, grids, problems (app.governance.figures)
            **GovernanceFigures(self._sessions, SYSTEM).summary(),
        }


def _per_compound(s: Session) -> dict[int, dict[str, int]]:
    out: dict[int, dict[str, int]] = {}

    def put(key: str, rows: Any) -> None:
        for cid, n in rows:
            out.setdefault(cid, {"buildings": 0, "households": 0, "residents": 0})[key] = n

    put(
        "buildings",
        s.execute(select(Building.compound_id, func.count()).group_by(Building.compound_id)),
    )
    put(
        "households",
        s.execute(select(Household.compound_id, func.count()).group_by(Household.compound_id)),
    )
    put(
        "residents",
        s.execute(
            select(Household.compound_id, func.count(Resident.id))
            .join(Resident, Resident.household_id == Household.id)
            .group_by(Household.compound_id)
        ),
    )
    return out
