"""Demo surveys: survey 1 is a 物业服务满意度调查 over the largest 公办物业 compounds, mostly
answered, with refusals and households not reached; a 收费标准意见征询 is in progress."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from app.surveys.dto import QuestionInput
from app.surveys.tally import recount
from app.surveys.templates import TEMPLATES
from db.models import Compound, Household
from db.models.surveys import Survey, SurveyAnswer, SurveyQuestion, SurveyResponse, SurveyScope

START = dt.date(2026, 10, 8)
COLLECTORS = ("李文", "王静", "赵建华", "刘敏", "孙丽华")
# 非常满意 … 非常不满意: about three in four satisfied, so the fee gate is met.
SATISFACTION_WEIGHTS = (30, 44, 15, 8, 3)
NOTES = (
    "楼道灯经常不亮",
    "希望增加停车位",
    "保洁比以前好多了",
    "门岗晚上要有人",
    "下水道要定期疏通",
    "物业人员态度很好",
    "收费要公开透明",
)


def surveys_demo(s: Session, rng: random.Random) -> None:
    """Insert the two demo surveys (ids follow the table's own sequence: the first is 1)."""
    by_size = s.execute(
        select(Compound.id, func.count(Household.id))
        .join(Household, Household.compound_id == Compound.id)
        .where(Compound.management_mode == "公办物业")
        .group_by(Compound.id)
        .order_by(func.count(Household.id).desc(), Compound.id)
    ).all()
    if not by_size:
        return
    ids = [cid for cid, _ in by_size]
    # The two largest 公办物业 compounds make several hundred sheets even in the small demo.
    _survey(s, rng, "物业服务满意度调查", ids[:2], status="closed", reach=0.9)
    _survey(s, rng, "收费标准意见征询", ids[2:3] or ids[:1], status="open", reach=0.4)


def _survey(
    s: Session, rng: random.Random, name: str, compounds: list[int], *, status: str, reach: float
) -> None:
    template = TEMPLATES[name]
    sv = Survey(
        title=template.title,
        intro=template.intro,
        status=status,
        created_at=dt.datetime.combine(START - dt.timedelta(days=7), dt.time(9)),
        opened_on=START,
        closed_on=START + dt.timedelta(days=24) if status == "closed" else None,
    )
    s.add(sv)
    s.flush()
    for compound_id in compounds:
        s.add(SurveyScope(survey_id=sv.id, compound_id=compound_id, building_id=None))
    questions = []
    for position, q in enumerate(template.questions, start=1):
        row = SurveyQuestion(
            survey_id=sv.id,
            position=position,
            kind=q.kind,
            text=q.text,
            required=q.required,
            options="\n".join(q.options),
        )
        s.add(row)
        questions.append((row, q))
    s.flush()
    homes = s.execute(
        select(Household.id, Household.compound_id, Household.building_id)
        .where(Household.compound_id.in_(compounds))
        .order_by(Household.id)
    ).all()
    responses: list[tuple[SurveyResponse, bool]] = []
    for hid, compound_id, bid in homes:
        if rng.random() > reach:
            continue  # not visited yet
        outcome = rng.choices(("answered", "refused", "nobody_home"), (88, 6, 6))[0]
        r = SurveyResponse(
            survey_id=sv.id,
            household_id=hid,
            compound_id=compound_id,
            building_id=bid,
            outcome=outcome,
            channel=rng.choices(("入户", "见面会", "电话", "其他"), (80, 12, 6, 2))[0],
            collected_by=rng.choice(COLLECTORS),
            collected_on=START + dt.timedelta(days=rng.randrange(20)),
            note="",
            entered_by="clerk",
            entered_at=dt.datetime.combine(START + dt.timedelta(days=21), dt.time(15)),
        )
        s.add(r)
        responses.append((r, outcome == "answered"))
    s.flush()
    answers: list[dict[str, Any]] = []
    for r, answered in responses:
        if answered:
            for row, q in questions:
                answers.extend(_answers(rng, r.id, row.id, q))
    for start in range(0, len(answers), 5000):
        s.execute(insert(SurveyAnswer), answers[start : start + 5000])
    recount(s, sv.id)


def _answers(rng: random.Random, rid: int, qid: int, q: QuestionInput) -> list[dict[str, Any]]:
    choices: list[int] = []
    number: int | None = None
    text: str | None = None
    n = len(q.choices)
    if q.kind == "satisfaction5":
        choices = [rng.choices(range(5), SATISFACTION_WEIGHTS)[0]]
    elif q.kind == "yesno":
        choices = [0 if rng.random() < 0.78 else 1]
    elif q.kind == "single":
        choices = [rng.choices(range(n), [max(1, 10 - 3 * i) for i in range(n)])[0]]
    elif q.kind == "multiple" and rng.random() < 0.65:
        choices = sorted(rng.sample(range(n), rng.randint(1, 3)))
    elif q.kind == "number" and rng.random() < 0.8:
        number = rng.choice((1, 2, 2, 3, 3, 3, 4, 5))
    elif q.kind == "text" and rng.random() < 0.2:
        text = rng.choice(NOTES)
    rows: list[dict[str, Any]] = [
        {"response_id": rid, "question_id": qid, "choice": c} for c in choices
    ]
    if number is not None or text is not None:
        rows.append({"response_id": rid, "question_id": qid, "number": number, "text": text})
    return [{"choice": None, "number": None, "text": None, **r} for r in rows]
