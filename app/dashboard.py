"""Dashboard figures from the other areas: fee collection per compound and survey coverage and
satisfaction per survey (the 统计 page's charts and the work brief's headline)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session, sessionmaker

from app.audit import SYSTEM
from app.fees.ledger import FeeLedgerService
from app.surveys.designer import SurveyService
from app.surveys.dto import SATISFIED, share
from db.models import Compound
from db.models.surveys import SurveyQuestion, SurveyScope, SurveyTally

SHOWN_STATUSES = ("open", "closed")  # drafts have no sheets yet


@dataclass(frozen=True)
class CompoundFeeFigure:
    """One compound with charges: charged and paid (fen), households owing."""

    compound_id: int
    compound_name: str
    charged_fen: int
    paid_fen: int
    households_in_arrears: int

    @property
    def due_fen(self) -> int:
        return self.charged_fen - self.paid_fen

    @property
    def collection_rate(self) -> Decimal:
        """Paid over charged to four places (0.8125), half-up."""
        return share(self.paid_fen, self.charged_fen)


@dataclass(frozen=True)
class SurveyFigure:
    """One open or closed survey: households in scope, reached, satisfaction answers."""

    survey_id: int
    title: str
    status: str
    households: int
    reached: int  # answered or refused
    satisfaction_valid: int  # answers to its satisfaction questions
    satisfaction_satisfied: int  # 非常满意 + 满意

    @property
    def coverage(self) -> Decimal:
        return share(self.reached, self.households)

    @property
    def satisfaction_rate(self) -> Decimal | None:
        """None when the survey has no satisfaction answers."""
        if not self.satisfaction_valid:
            return None
        return share(self.satisfaction_satisfied, self.satisfaction_valid)


@dataclass(frozen=True)
class FeeTotals:
    compounds: int
    charged_fen: int
    paid_fen: int
    households_in_arrears: int

    @property
    def collection_rate(self) -> Decimal | None:
        return share(self.paid_fen, self.charged_fen) if self.charged_fen else None


def fee_totals(rows: Collection[CompoundFeeFigure]) -> FeeTotals:
    return FeeTotals(
        len(rows),
        sum(r.charged_fen for r in rows),
        sum(r.paid_fen for r in rows),
        sum(r.households_in_arrears for r in rows),
    )


class DashboardFigures:
    """Read-only figures over fees and surveys, one grouped query each."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions
        self._ledger = FeeLedgerService(sessions)
        self._surveys = SurveyService(sessions, SYSTEM)

    def fees_by_compound(self, community_id: int | None = None) -> list[CompoundFeeFigure]:
        """Compounds with charges, by name: the ledger's per-compound sums."""
        rows = self._ledger.compound_fees()
        if community_id is not None:
            with self._sessions() as s:
                keep = set(
                    s.scalars(select(Compound.id).where(Compound.community_id == community_id))
                )
            rows = [r for r in rows if r.compound_id in keep]
        return [
            CompoundFeeFigure(
                r.compound_id, r.compound_name, r.charged_fen, r.paid_fen, r.households_in_arrears
            )
            for r in rows
        ]

    def surveys(self, community_id: int | None = None) -> list[SurveyFigure]:
        """Open and closed surveys, oldest first (a community: those whose scope touches it)."""
        rows = [r for r in reversed(self._surveys.list_surveys()) if r.status in SHOWN_STATUSES]
        with self._sessions() as s:
            satisfaction = _satisfaction(s, [r.id for r in rows])
            if community_id is not None:
                touching = set(
                    s.scalars(
                        select(SurveyScope.survey_id)
                        .join(Compound, Compound.id == SurveyScope.compound_id)
                        .where(Compound.community_id == community_id)
                    )
                )
                rows = [r for r in rows if r.id in touching]
        return [
            SurveyFigure(
                r.id, r.title, r.status, r.households, r.reached, *satisfaction.get(r.id, (0, 0))
            )
            for r in rows
        ]


def _satisfaction(s: Session, survey_ids: list[int]) -> dict[int, tuple[int, int]]:
    """survey id → (valid, satisfied) over its satisfaction questions, from the tallies."""
    if not survey_ids:
        return {}
    t = SurveyTally
    rows = s.execute(
        select(
            SurveyQuestion.survey_id,
            func.sum(case((t.choice == -1, t.n), else_=0)),
            func.sum(case((t.choice.in_(SATISFIED), t.n), else_=0)),
        )
        .join(SurveyQuestion, SurveyQuestion.id == t.question_id)
        .where(SurveyQuestion.survey_id.in_(survey_ids), SurveyQuestion.kind == "satisfaction5")
        .group_by(SurveyQuestion.survey_id)
    ).all()
    return {sid: (int(valid or 0), int(sat or 0)) for sid, valid, sat in rows}
