"""Use cases of the survey designer: surveys, their scope and questions, open and close."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, sessionmaker

from app import audit
from app.audit import Actor
from app.auth import Permission, require
from app.errors import NotFound
from app.surveys.dto import (
    CHOICE_KINDS,
    KIND_LABELS,
    QuestionInput,
    ScopeItem,
    SurveyDetail,
    SurveyInput,
    SurveyRow,
)
from app.surveys.errors import (
    QuestionsLocked,
    ScopeConflict,
    SurveyHasResponses,
    SurveyInvalid,
)
from app.surveys.queries import in_scope, questions_of, scope_items, scope_text
from app.surveys.templates import TEMPLATES
from app.text import fold
from db.models import Building, Compound, Household
from db.models.surveys import (
    QUESTION_KINDS,
    Survey,
    SurveyQuestion,
    SurveyResponse,
    SurveyScope,
)

MAX_QUESTIONS = 40
MAX_OPTIONS = 9  # a digit key picks each option at entry


def survey_errors(data: SurveyInput) -> dict[str, str]:
    """Field → message for every designer rule that needs no database."""
    errors: dict[str, str] = {}
    title = fold(data.title)
    if not title:
        errors["title"] = "请填写问卷标题"
    elif len(title) > 64:
        errors["title"] = "问卷标题不能超过64个字"
    if len(data.questions) > MAX_QUESTIONS:
        errors["questions"] = f"一份问卷最多{MAX_QUESTIONS}题"
    for n, q in enumerate(data.questions, start=1):
        message = question_error(q)
        if message:
            errors[f"q{n}"] = f"第{n}题：{message}"
    return errors


def question_error(q: QuestionInput) -> str:
    """What is wrong with one question ("" when nothing)."""
    if q.kind not in QUESTION_KINDS:
        return "请选择题型"
    text = fold(q.text)
    if not text:
        return "请填写题目"
    if len(text) > 200:
        return "题目不能超过200个字"
    if q.kind in ("single", "multiple"):
        return _options_error(q)
    if q.options:
        return f"{KIND_LABELS[q.kind]}题不需要自定义选项"
    return ""


def _options_error(q: QuestionInput) -> str:
    options = [fold(o) for o in q.options]
    problems = (
        (len(options) < 2, f"{KIND_LABELS[q.kind]}题至少要有两个选项"),
        (len(options) > MAX_OPTIONS, f"选项最多{MAX_OPTIONS}个（录入时用数字键1-9选择）"),
        (any(not o for o in options), "选项不能为空"),
        (len(set(options)) != len(options), "选项不能重复"),
        (any("\n" in o or len(o) > 40 for o in options), "每个选项不超过40个字"),
    )
    return next((message for broken, message in problems if broken), "")


def _clean_question(q: QuestionInput) -> QuestionInput:
    options = tuple(fold(o) for o in q.options) if q.kind in ("single", "multiple") else ()
    return QuestionInput(q.kind, fold(q.text), q.required, options)


class SurveyService:
    """Surveys: design, scope, status."""

    def __init__(self, sessions: sessionmaker[Session], actor: Actor) -> None:
        self._sessions = sessions
        self._actor = actor

    # -- reading ---------------------------------------------------------------------------

    def list_surveys(self, compound_id: int | None = None) -> list[SurveyRow]:
        """Every survey (or those whose scope takes in the compound), newest first, with
        its coverage counts."""
        with self._sessions() as s:
            query = select(Survey).order_by(Survey.id.desc())
            if compound_id is not None:
                query = query.where(
                    Survey.id.in_(
                        select(SurveyScope.survey_id).where(SurveyScope.compound_id == compound_id)
                    )
                )
            surveys = s.scalars(query).all()
            counts: dict[tuple[int, str], int] = {
                (sid, outcome): n
                for sid, outcome, n in s.execute(
                    select(SurveyResponse.survey_id, SurveyResponse.outcome, func.count()).group_by(
                        SurveyResponse.survey_id, SurveyResponse.outcome
                    )
                ).all()
            }
            questions = dict(
                s.execute(
                    select(SurveyQuestion.survey_id, func.count()).group_by(
                        SurveyQuestion.survey_id
                    )
                ).all()
            )
            rows = []
            for sv in surveys:
                items = scope_items(s, sv.id)
                rows.append(
                    SurveyRow(
                        id=sv.id,
                        title=sv.title,
                        status=sv.status,
                        scope_text=scope_text(s, items),
                        questions=questions.get(sv.id, 0),
                        households=_households(s, items),
                        answered=counts.get((sv.id, "answered"), 0),
                        refused=counts.get((sv.id, "refused"), 0),
                        nobody_home=counts.get((sv.id, "nobody_home"), 0),
                        created_at=sv.created_at,
                    )
                )
        return rows

    def get_survey(self, survey_id: int) -> SurveyDetail:
        with self._sessions() as s:
            sv = _survey(s, survey_id)
            items = scope_items(s, survey_id)
            questions = questions_of(s, survey_id)
            answered, responses = _response_counts(s, survey_id)
            return SurveyDetail(
                id=sv.id,
                data=SurveyInput(sv.title, sv.intro, items, tuple(q.data for q in questions)),
                status=sv.status,
                questions=questions,
                scope_text=scope_text(s, items),
                answered=answered,
                responses=responses,
            )

    def template(self, name: str, scope: tuple[ScopeItem, ...] = ()) -> SurveyInput:
        """A template's questions, for the designer to edit before saving."""
        base = TEMPLATES[name]
        return SurveyInput(base.title, base.intro, scope, base.questions)

    # -- writing ---------------------------------------------------------------------------

    def _require_edit(self) -> None:
        require(self._actor, Permission.EDIT_SURVEYS)

    def create_survey(self, data: SurveyInput) -> int:
        self._require_edit()
        with self._sessions.begin() as s:
            _check(s, data)
            sv = Survey(
                title=fold(data.title),
                intro=data.intro.strip(),
                status="draft",
                created_at=dt.datetime.now(),
            )
            s.add(sv)
            s.flush()
            _set_scope(s, sv.id, data.scope)
            _set_questions(s, sv.id, data.questions)
            audit.record(s, self._actor, "create", "survey", sv.id, after={"title": sv.title})
            return sv.id

    def update_survey(self, survey_id: int, data: SurveyInput) -> None:
        """Save the designer's form.

        Raises:
            QuestionsLocked: answers exist and the questions differ from the saved ones.
            ScopeConflict: the new scope leaves out households that have responses.
        """
        self._require_edit()
        with self._sessions.begin() as s:
            sv = _survey(s, survey_id)
            _check(s, data)
            old = tuple(q.data for q in questions_of(s, survey_id))
            new = tuple(_clean_question(q) for q in data.questions)
            answered, _ = _response_counts(s, survey_id)
            if old != new:
                if answered:
                    raise QuestionsLocked(answered)
                _set_questions(s, survey_id, new)
            _check_scope(s, survey_id, data.scope)
            _set_scope(s, survey_id, data.scope)
            sv.title, sv.intro = fold(data.title), data.intro.strip()
            audit.record(s, self._actor, "update", "survey", survey_id, after={"title": sv.title})

    def open_survey(self, survey_id: int) -> None:
        """Start taking answers (also reopens a closed survey)."""
        self._require_edit()
        with self._sessions.begin() as s:
            sv = _survey(s, survey_id)
            errors: dict[str, str] = {}
            if not questions_of(s, survey_id):
                errors["questions"] = "问卷还没有题目，不能开始调查"
            if not _households(s, scope_items(s, survey_id)):
                errors["scope"] = "调查范围内没有住户，请先选择楼院或楼栋"
            if errors:
                raise SurveyInvalid(errors)
            sv.status = "open"
            sv.opened_on = sv.opened_on or dt.date.today()
            sv.closed_on = None
            audit.record(s, self._actor, "open", "survey", survey_id)

    def close_survey(self, survey_id: int) -> None:
        self._require_edit()
        with self._sessions.begin() as s:
            sv = _survey(s, survey_id)
            if sv.status != "open":
                raise SurveyInvalid({"status": "只有进行中的调查可以结束"})
            sv.status, sv.closed_on = "closed", dt.date.today()
            audit.record(s, self._actor, "close", "survey", survey_id)

    def delete_survey(self, survey_id: int, *, with_responses: bool = False) -> None:
        """Delete a survey; one with responses only when the caller confirmed it.

        Raises:
            SurveyHasResponses: responses exist and `with_responses` is false.
        """
        self._require_edit()
        with self._sessions.begin() as s:
            sv = _survey(s, survey_id)
            _, responses = _response_counts(s, survey_id)
            if responses and not with_responses:
                raise SurveyHasResponses(sv.title, responses)
            # Children first: SQLite's cascade needs foreign_keys=ON, which we have, but the
            # explicit deletes keep the statement count small on both engines.
            s.execute(delete(SurveyResponse).where(SurveyResponse.survey_id == survey_id))
            s.delete(sv)
            audit.record(
                s,
                self._actor,
                "delete",
                "survey",
                survey_id,
                before={"title": sv.title, "responses": responses},
            )


def _survey(s: Session, survey_id: int) -> Survey:
    sv = s.get(Survey, survey_id)
    if sv is None:
        raise NotFound("该问卷不存在或已被删除")
    return sv


def _response_counts(s: Session, survey_id: int) -> tuple[int, int]:
    """(answered responses, all responses)."""
    rows = dict(
        s.execute(
            select(SurveyResponse.outcome, func.count())
            .where(SurveyResponse.survey_id == survey_id)
            .group_by(SurveyResponse.outcome)
        ).all()
    )
    return rows.get("answered", 0), sum(rows.values())


def _households(s: Session, items: tuple[ScopeItem, ...]) -> int:
    if not items:
        return 0
    return int(s.scalar(select(func.count()).select_from(Household).where(in_scope(items))) or 0)


def _check(s: Session, data: SurveyInput) -> None:
    errors = survey_errors(data)
    for item in data.scope:
        if s.get(Compound, item.compound_id) is None:
            errors["scope"] = "调查范围中的楼院不存在"
        elif item.building_id is not None:
            b = s.get(Building, item.building_id)
            if b is None or b.compound_id != item.compound_id:
                errors["scope"] = "调查范围中的楼栋不存在"
    if errors:
        raise SurveyInvalid(errors)


def _check_scope(s: Session, survey_id: int, scope: tuple[ScopeItem, ...]) -> None:
    outside = s.scalar(
        select(func.count())
        .select_from(SurveyResponse)
        .join(Household, Household.id == SurveyResponse.household_id)
        .where(SurveyResponse.survey_id == survey_id, ~in_scope(_normalise(scope)))
    )
    if outside:
        raise ScopeConflict(int(outside))


def _normalise(scope: tuple[ScopeItem, ...]) -> tuple[ScopeItem, ...]:
    """One entry per compound or building; a whole compound swallows its buildings."""
    whole = {i.compound_id for i in scope if i.building_id is None}
    out = {ScopeItem(c) for c in whole}
    out |= {i for i in scope if i.building_id is not None and i.compound_id not in whole}
    return tuple(sorted(out, key=lambda i: (i.compound_id, i.building_id or 0)))


def _set_scope(s: Session, survey_id: int, scope: tuple[ScopeItem, ...]) -> None:
    s.execute(delete(SurveyScope).where(SurveyScope.survey_id == survey_id))
    for item in _normalise(scope):
        s.add(
            SurveyScope(
                survey_id=survey_id, compound_id=item.compound_id, building_id=item.building_id
            )
        )


def _set_questions(s: Session, survey_id: int, questions: tuple[QuestionInput, ...]) -> None:
    s.execute(delete(SurveyQuestion).where(SurveyQuestion.survey_id == survey_id))
    s.flush()
    for position, q in enumerate(questions, start=1):
        q = _clean_question(q)
        s.add(
            SurveyQuestion(
                survey_id=survey_id,
                position=position,
                kind=q.kind,
                text=q.text,
                required=q.required,
                options="\n".join(q.options) if q.kind in CHOICE_KINDS else "",
            )
        )
    s.flush()
