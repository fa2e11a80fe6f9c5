"""Use cases of answer entry: find the household (scanned code or location), save its sheet."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import Row, Select, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from app import audit
from app.audit import Actor
from app.auth import Permission, require
from app.errors import NotFound
from app.surveys import payload
from app.surveys.dto import (
    AnswerValue,
    HouseholdRef,
    QuestionRow,
    ResponseDetail,
    ResponseInput,
    SavedResponse,
)
from app.surveys.errors import HouseholdNotInScope, ResponseInvalid, SurveyNotOpen
from app.surveys.queries import in_scope, questions_of, scope_items
from app.surveys.tally import recount
from app.text import fold
from db.models import Building, Compound, Household
from db.models.surveys import CHANNELS, OUTCOMES, Survey, SurveyAnswer, SurveyResponse

# "3-1-101", "3-101", "3号楼1单元101", "3 1 101"
_LOCATION = re.compile(
    r"^\s*(\w+?)(?:号楼|栋|[-\s])+(?:(\w+?)(?:单元|[-\s])+)?(\w+?)(?:室|号)?\s*$"
)
MAX_NUMBER = Decimal("999999999999.99")


def parse_number(text: str) -> Decimal:
    """A number as a clerk types it (full-width digits allowed), to two places."""
    folded = fold(text).replace(",", "")
    try:
        value = Decimal(folded)
    except InvalidOperation:
        raise ValueError("请填写数字") from None
    if not value.is_finite() or abs(value) > MAX_NUMBER:
        raise ValueError("数字超出范围")
    if value != value.quantize(Decimal("0.01")):
        raise ValueError("最多两位小数")
    return value


def answer_error(q: QuestionRow, value: AnswerValue | None) -> str:
    """What is wrong with one answer ("" when nothing); an empty answer to a required
    question is wrong."""
    if value is None or value.empty:
        return "此题必答" if q.data.required else ""
    kind = q.data.kind
    if kind == "number":
        return "" if value.number is not None and not value.choices else "请填写数字"
    if kind == "text":
        return "" if len(value.text) <= 2000 else "不超过2000字"
    n = len(q.choices)
    problems = (
        (any(not 0 <= c < n for c in value.choices) or value.number is not None, "选项不存在"),
        (kind != "multiple" and len(value.choices) != 1, "只能选一项"),
        (len(set(value.choices)) != len(value.choices), "选项重复"),
    )
    return next((message for broken, message in problems if broken), "")


class EntryService:
    """Answer sheets: one per household and survey; a second entry edits the first."""

    def __init__(self, sessions: sessionmaker[Session], actor: Actor) -> None:
        self._sessions = sessions
        self._actor = actor

    def locate(self, survey_id: int, text: str) -> HouseholdRef:
        """The household of a scanned code ("LY1:S1:H42") or a typed location ("3-1-101").

        Raises:
            HouseholdNotInScope: the code is another survey's, or no such household in scope.
        """
        decoded = payload.decode(text)
        with self._sessions() as s:
            sv = _survey(s, survey_id)
            items = scope_items(s, survey_id)
            query = _ref_query().where(in_scope(items))
            if decoded is not None:
                other, household_id = decoded
                if other != survey_id:
                    other_sv = s.get(Survey, other)
                    name = f"“{other_sv.title}”" if other_sv else f"编号 {other}"
                    raise HouseholdNotInScope(
                        f"这张问卷属于另一项调查（{name}），不是“{sv.title}”。"
                    )
                rows = s.execute(query.where(Household.id == household_id)).all()
            else:
                rows = _by_location(s, query, text)
            if not rows:
                raise HouseholdNotInScope(
                    f"调查范围内找不到住户“{text.strip()}”。请扫描问卷上的二维码，"
                    "或输入“楼号-单元-房号”，如 3-1-101。"
                )
            if len(rows) > 1:
                places = "、".join(_ref(r).label for r in rows[:4])
                raise HouseholdNotInScope(f"“{text.strip()}”对应多户：{places}。请扫码或选择住户。")
            return _ref(rows[0])

    def households(self, survey_id: int) -> list[HouseholdRef]:
        """The survey's households in walking order (compound, building, unit, floor, room)."""
        with self._sessions() as s:
            items = scope_items(s, survey_id)
            rows = s.execute(
                _ref_query()
                .where(in_scope(items))
                .order_by(
                    Compound.name_pinyin,
                    Compound.id,
                    Building.sort_key,
                    Building.name,
                    Household.unit,
                    Household.floor,
                    Household.room,
                    Household.id,
                )
            ).all()
        return [_ref(r) for r in rows]

    def response(self, survey_id: int, household_id: int) -> ResponseDetail | None:
        """The household's entered sheet, or None when it has none yet."""
        with self._sessions() as s:
            r = s.scalar(
                select(SurveyResponse).where(
                    SurveyResponse.survey_id == survey_id,
                    SurveyResponse.household_id == household_id,
                )
            )
            if r is None:
                return None
            answers: dict[int, AnswerValue] = {}
            for a in s.scalars(
                select(SurveyAnswer)
                .where(SurveyAnswer.response_id == r.id)
                .order_by(SurveyAnswer.question_id, SurveyAnswer.choice, SurveyAnswer.id)
            ):
                old = answers.get(a.question_id, AnswerValue())
                choices = (*old.choices, a.choice) if a.choice is not None else old.choices
                answers[a.question_id] = AnswerValue(
                    choices, a.number if a.number is not None else old.number, a.text or old.text
                )
            ref = _ref(s.execute(_ref_query().where(Household.id == household_id)).one())
            data = ResponseInput(
                survey_id,
                household_id,
                r.outcome,
                r.channel,
                r.collected_by,
                r.collected_on,
                answers,
                r.note,
            )
            return ResponseDetail(r.id, ref, data, r.entered_by, r.entered_at)

    def validate(self, data: ResponseInput) -> dict[str, str]:
        """ "q<question id>" or field → message, for the form's inline errors."""
        with self._sessions() as s:
            return _errors(data, questions_of(s, data.survey_id))

    def save(self, data: ResponseInput) -> SavedResponse:
        """Save a household's sheet; an existing one is replaced in place, never doubled.

        Raises:
            SurveyNotOpen, HouseholdNotInScope, ResponseInvalid.
        """
        require(self._actor, Permission.ENTER_RESPONSES)
        try:
            with self._sessions.begin() as s:
                return self._save(s, data)
        except IntegrityError as exc:
            # Two clerks saved the same household at the same moment: the unique rule held.
            raise ResponseInvalid(
                {"household": "该户的答卷刚被他人录入，请重新打开后再保存"}
            ) from exc

    def _save(self, s: Session, data: ResponseInput) -> SavedResponse:
        # Row lock: saves of one survey take turns, so each compound's recount sees them all.
        sv = s.get(Survey, data.survey_id, with_for_update=True)
        if sv is None:
            raise NotFound("该问卷不存在或已被删除")
        if sv.status != "open":
            raise SurveyNotOpen(f"调查“{sv.title}”不在进行中，不能录入答卷")
        home = s.scalar(
            select(Household).where(
                Household.id == data.household_id, in_scope(scope_items(s, sv.id))
            )
        )
        if home is None:
            raise HouseholdNotInScope("该住户不在本次调查范围内")
        errors = _errors(data, questions_of(s, sv.id))
        if errors:
            raise ResponseInvalid(errors)
        r = s.scalar(
            select(SurveyResponse).where(
                SurveyResponse.survey_id == sv.id, SurveyResponse.household_id == home.id
            )
        )
        created = r is None
        old_compound = r.compound_id if r is not None else None
        if r is None:
            r = SurveyResponse(survey_id=sv.id, household_id=home.id)
            s.add(r)
        else:
            s.execute(delete(SurveyAnswer).where(SurveyAnswer.response_id == r.id))
        r.compound_id, r.building_id = home.compound_id, home.building_id
        r.outcome, r.channel = data.outcome, data.channel
        r.collected_by, r.collected_on = fold(data.collected_by), data.collected_on
        r.note = data.note.strip()
        r.entered_by, r.entered_at = self._actor.username, dt.datetime.now()
        s.flush()
        if data.outcome == "answered":
            s.add_all(_answer_rows(r.id, data.answers))
        s.flush()
        recount(s, sv.id, home.compound_id)
        if old_compound is not None and old_compound != home.compound_id:
            recount(s, sv.id, old_compound)
        audit.record(
            s,
            self._actor,
            "create" if created else "update",
            "survey_response",
            r.id,
            after={"survey": sv.id, "household": home.id, "outcome": data.outcome},
        )
        return SavedResponse(r.id, created)

    def delete(self, survey_id: int, household_id: int) -> None:
        """Remove a household's sheet (entered for the wrong household)."""
        require(self._actor, Permission.ENTER_RESPONSES)
        with self._sessions.begin() as s:
            r = s.scalar(
                select(SurveyResponse).where(
                    SurveyResponse.survey_id == survey_id,
                    SurveyResponse.household_id == household_id,
                )
            )
            if r is None:
                raise NotFound("该户还没有答卷")
            s.delete(r)
            s.flush()
            recount(s, survey_id, r.compound_id)
            audit.record(s, self._actor, "delete", "survey_response", r.id)


def _survey(s: Session, survey_id: int) -> Survey:
    sv = s.get(Survey, survey_id)
    if sv is None:
        raise NotFound("该问卷不存在或已被删除")
    return sv


def _errors(data: ResponseInput, questions: tuple[QuestionRow, ...]) -> dict[str, str]:
    errors: dict[str, str] = {}
    if data.outcome not in OUTCOMES:
        errors["outcome"] = "请选择走访结果"
    if data.channel not in CHANNELS:
        errors["channel"] = "请选择调查方式"
    if len(fold(data.collected_by)) > 32:
        errors["collected_by"] = "调查人不超过32个字"
    if data.collected_on > dt.date.today():
        errors["collected_on"] = "调查日期不能晚于今天"
    if data.outcome != "answered":
        return errors
    known = {q.id for q in questions}
    if set(data.answers) - known:
        errors["answers"] = "答卷含有本问卷没有的题目，请重新打开问卷"
    for q in questions:
        message = answer_error(q, data.answers.get(q.id))
        if message:
            errors[f"q{q.id}"] = f"第{q.number}题：{message}"
    return errors


def _answer_rows(response_id: int, answers: Mapping[int, AnswerValue]) -> list[SurveyAnswer]:
    rows: list[SurveyAnswer] = []
    for qid, value in answers.items():
        if value.empty:
            continue
        for c in sorted(value.choices):
            rows.append(SurveyAnswer(response_id=response_id, question_id=qid, choice=c))
        if value.number is not None:
            rows.append(SurveyAnswer(response_id=response_id, question_id=qid, number=value.number))
        if value.text.strip():
            rows.append(
                SurveyAnswer(response_id=response_id, question_id=qid, text=value.text.strip())
            )
    return rows


RefSelect = Select[*tuple[Any, ...]]  # the columns of HouseholdRef, in its order


def _ref_query() -> RefSelect:
    return (
        select(
            Household.id,
            Household.compound_id,
            Compound.name,
            Household.building_id,
            Building.name,
            Household.unit,
            Household.room,
            Household.householder_name,
            Household.householder_pinyin,
            Household.householder_initials,
        )
        .join(Compound, Compound.id == Household.compound_id)
        .join(Building, Building.id == Household.building_id)
    )


def _ref(row: Row[*tuple[Any, ...]]) -> HouseholdRef:
    return HouseholdRef(*row)


def _by_location(s: Session, query: RefSelect, text: str) -> Sequence[Row[*tuple[Any, ...]]]:
    match = _LOCATION.match(fold(text))
    if match is None:
        return ()
    building, unit, room = match.group(1), match.group(2), match.group(3)
    query = query.where(Building.name == building, Household.room == room)
    if unit:
        query = query.where(Household.unit == unit)
    return s.execute(query.limit(5)).all()
