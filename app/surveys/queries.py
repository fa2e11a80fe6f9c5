"""Query helpers shared by the survey services (they take a session and never commit)."""

from __future__ import annotations

from sqlalchemy import ColumnElement, false, or_, select
from sqlalchemy.orm import Session

from app.surveys.dto import QuestionInput, QuestionRow, ScopeItem
from db.models import Building, Compound, Household
from db.models.surveys import SurveyQuestion, SurveyScope

# The walking order of households on a survey: compound (by pinyin), building, unit, floor,
# room. Queries end it with their own tie-breakers down to a primary key.
WALKING_ORDER = (
    Compound.name_pinyin,
    Compound.id,
    Building.sort_key,
    Building.name,
    Household.unit,
    Household.floor,
    Household.room,
)


def scope_items(s: Session, survey_id: int) -> tuple[ScopeItem, ...]:
    rows = s.execute(
        select(SurveyScope.compound_id, SurveyScope.building_id)
        .where(SurveyScope.survey_id == survey_id)
        .order_by(SurveyScope.compound_id, SurveyScope.building_id, SurveyScope.id)
    ).all()
    return tuple(ScopeItem(c, b) for c, b in rows)


def in_scope(items: tuple[ScopeItem, ...]) -> ColumnElement[bool]:
    """A condition on Household: the household belongs to the scope."""
    whole = [i.compound_id for i in items if i.building_id is None]
    buildings = [i.building_id for i in items if i.building_id is not None]
    conds: list[ColumnElement[bool]] = []
    if whole:
        conds.append(Household.compound_id.in_(whole))
    if buildings:
        conds.append(Household.building_id.in_(buildings))
    return or_(*conds) if conds else false()


def scope_text(s: Session, items: tuple[ScopeItem, ...]) -> str:
    """ "纺织厂家属院；工人新村 1、3号楼" style."""
    if not items:
        return ""
    ids = {i.compound_id for i in items}
    names = dict(s.execute(select(Compound.id, Compound.name).where(Compound.id.in_(ids))).all())
    bids = [i.building_id for i in items if i.building_id is not None]
    bnames = (
        dict(s.execute(select(Building.id, Building.name).where(Building.id.in_(bids))).all())
        if bids
        else {}
    )
    parts: list[str] = []
    for cid in sorted(ids, key=lambda c: names.get(c, "")):
        own = [i.building_id for i in items if i.compound_id == cid]
        if None in own:
            parts.append(names.get(cid, "?"))
        else:
            labels = sorted((bnames.get(b, "?") for b in own if b is not None), key=_natural)
            parts.append(f"{names.get(cid, '?')} {'、'.join(labels)}号楼")
    return "；".join(parts)


def _natural(label: str) -> tuple[int, str]:
    digits = "".join(ch for ch in label if "0" <= ch <= "9")
    return (int(digits) if digits else 0, label)


def questions_of(s: Session, survey_id: int) -> tuple[QuestionRow, ...]:
    rows = s.scalars(
        select(SurveyQuestion)
        .where(SurveyQuestion.survey_id == survey_id)
        .order_by(SurveyQuestion.position, SurveyQuestion.id)
    ).all()
    return tuple(
        QuestionRow(
            q.id,
            n,
            QuestionInput(q.kind, q.text, q.required, tuple(o for o in q.options.split("\n") if o)),
        )
        for n, q in enumerate(rows, start=1)
    )
