"""Use cases for fee schemes: create, edit while a draft, post, transition, activate, end."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app import audit
from app.audit import Actor
from app.auth import Permission, require
from app.errors import AppError, NotFound
from app.fees.arithmetic import format_price, parse_period, parse_price
from app.fees.dto import (
    DEFAULT_CAP_MILLI,
    STATE_LABELS,
    ExemptionRule,
    SchemeInput,
    SchemeResolution,
    SchemeRow,
)
from app.fees.errors import FeeError, OverCapError, SchemeStateError
from app.money import MoneyError, parse_yuan, to_fen
from app.surveys.dto import GateStatus
from app.text import fold, is_digits
from app.versions import claim
from db.models import HOUSEHOLD_STATUSES, RESIDENT_TAGS, Compound, Meeting, Resolution
from db.models.fees import BILLING_CYCLES, FeeExemption, FeeScheme
from db.models.surveys import Survey, SurveyScope

# state → the states it may move to
NEXT_STATES = {
    "draft": ("posted", "ended"),
    "posted": ("transition", "ended"),
    "transition": ("active", "ended"),
    "active": ("ended",),
    "ended": (),
}

# The surveys area plugs its satisfaction gate in here: (session, scheme) → where the
# scheme's survey stands, or None when the scheme names no survey.
ActivationGate = Callable[[Session, FeeScheme], GateStatus | None]


def _no_gate(_s: Session, _scheme: FeeScheme) -> GateStatus | None:
    return None


def check_exemption(rule: ExemptionRule) -> None:
    """Raises FeeError for a rule that cannot be applied."""
    if rule.kind == "status" and rule.match not in HOUSEHOLD_STATUSES:
        raise FeeError(f"房屋状态“{rule.match}”不存在")
    if rule.kind == "tag" and rule.match not in RESIDENT_TAGS:
        raise FeeError(f"居民标签“{rule.match}”不存在")
    if rule.kind not in ("status", "tag") or rule.mode not in ("percent", "fixed"):
        raise FeeError("减免规则有误")
    if rule.value < 0 or (rule.mode == "percent" and rule.value > 100):
        raise FeeError("减免比例应在 0～100% 之间")


def exemption_rule(kind: str, match: str, mode: str, amount: str) -> ExemptionRule:
    """A rule from the scheme editor's row: `amount` is the percentage ("50") for mode
    "percent", or the yuan taken off each month ("10.00") for mode "fixed".

    Raises:
        FeeError: (with the row's subject) an amount that is not a whole percentage from 1 to
            100, or not an amount of money above zero.
    """
    subject = match if kind == "status" else f"{match}户"
    text = fold(amount).removesuffix("%").strip()
    if mode == "percent":
        if not is_digits(text) or not 1 <= int(text) <= 100:
            raise FeeError(f"“{subject}”的减免比例应为 1～100 的整数")
        rule = ExemptionRule(kind, match, mode, int(text))
    else:
        try:
            fen = to_fen(parse_yuan(text))
        except MoneyError as exc:
            raise FeeError(f"“{subject}”的每月减免金额有误：{exc.message}") from exc
        if fen <= 0:
            raise FeeError(f"“{subject}”的每月减免金额应大于 0")
        rule = ExemptionRule(kind, match, mode, fen)
    check_exemption(rule)
    return rule


def exemption_from_text(text: str) -> ExemptionRule:
    """A rule as typed on the command line: "空置=50%", "低保=100%" or "低保=10元" (yuan off
    each month); the subject is a house status or a resident tag.

    Raises:
        FeeError: not of that form, or a subject or amount the rules refuse.
    """
    subject, sep, amount = fold(text).partition("=")
    subject, amount = subject.strip().removesuffix("户"), amount.strip()
    if not sep or not subject or not amount:
        raise FeeError(f"减免“{text}”应写成 对象=数值，如 空置=50% 或 低保=10元")
    if subject in HOUSEHOLD_STATUSES:
        kind = "status"
    elif subject in RESIDENT_TAGS:
        kind = "tag"
    else:
        raise FeeError(f"减免对象“{subject}”既不是房屋状态也不是居民标签")
    mode = "percent" if amount.endswith("%") else "fixed"
    return exemption_rule(kind, subject, mode, amount.removesuffix("元"))


def _resolution(s: Session, resolution_id: int | None) -> SchemeResolution | None:
    if resolution_id is None:
        return None
    row = s.execute(
        select(
            Resolution.id,
            Meeting.held_on,
            Meeting.topic,
            Resolution.seq,
            Resolution.text,
            Resolution.votes_for,
            Resolution.votes_against,
            Resolution.votes_abstain,
            Resolution.passed,
        )
        .join(Meeting, Meeting.id == Resolution.meeting_id)
        .where(Resolution.id == resolution_id)
    ).one_or_none()
    return None if row is None else SchemeResolution(*row)


def scheme_row(
    scheme: FeeScheme,
    compound_name: str,
    rules: list[FeeExemption],
    survey_title: str = "",
    resolution: SchemeResolution | None = None,
) -> SchemeRow:
    return SchemeRow(
        id=scheme.id,
        compound_id=scheme.compound_id,
        compound_name=compound_name,
        name=scheme.name,
        price_milli=scheme.price_milli,
        cap_milli=scheme.cap_milli,
        over_cap_reason=scheme.over_cap_reason,
        start_month=scheme.start_month,
        cycle=scheme.cycle,
        transition_months=scheme.transition_months,
        due_days=scheme.due_days,
        manager_name=scheme.manager_name,
        manager_contact=scheme.manager_contact,
        office=scheme.office,
        pay_ways=scheme.pay_ways,
        service_basis=scheme.service_basis,
        resolution_note=scheme.resolution_note,
        resolution_id=scheme.resolution_id,
        state=scheme.state,
        state_reason=scheme.state_reason,
        exemptions=tuple(ExemptionRule(r.kind, r.match, r.mode, r.value) for r in rules),
        survey_id=scheme.survey_id,
        survey_title=survey_title,
        satisfaction_threshold=scheme.satisfaction_threshold,
        min_coverage=scheme.min_coverage,
        resolution=resolution,
        version=scheme.version,
    )


def load_scheme(s: Session, scheme_id: int) -> SchemeRow:
    scheme = s.get(FeeScheme, scheme_id)
    if scheme is None:
        raise NotFound("该收费方案不存在")
    compound = s.get(Compound, scheme.compound_id)
    rules = list(
        s.scalars(
            select(FeeExemption)
            .where(FeeExemption.scheme_id == scheme_id)
            .order_by(FeeExemption.id)
        )
    )
    title = ""
    if scheme.survey_id is not None:
        title = s.scalar(select(Survey.title).where(Survey.id == scheme.survey_id)) or ""
    return scheme_row(
        scheme,
        compound.name if compound else "",
        rules,
        title,
        _resolution(s, scheme.resolution_id),
    )


def check_links(s: Session, values: dict[str, Any]) -> None:
    """The survey and the resolution a scheme names must be of its compound."""
    cid = values["compound_id"]
    if values["survey_id"] is not None:
        if s.get(Survey, values["survey_id"]) is None:
            raise FeeError("所选满意度调查不存在")
        covers = s.scalar(
            select(SurveyScope.id).where(
                SurveyScope.survey_id == values["survey_id"], SurveyScope.compound_id == cid
            )
        )
        if covers is None:
            raise FeeError("所选满意度调查不包括本楼院，不能作为收费门槛")
    if values["resolution_id"] is not None:
        meeting_compound = s.scalar(
            select(Meeting.compound_id)
            .join(Resolution, Resolution.meeting_id == Meeting.id)
            .where(Resolution.id == values["resolution_id"])
        )
        if meeting_compound is None:
            raise FeeError("所选议事决议不存在")
        if meeting_compound != cid:
            raise FeeError("所选议事决议不是本楼院的决议")


class FeeSchemeService:
    """Fee schemes of the compounds, with a configurable price cap."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        actor: Actor,
        cap_milli: int = DEFAULT_CAP_MILLI,
        activation_gate: ActivationGate = _no_gate,
    ) -> None:
        self._sessions = sessions
        self._actor = actor
        self.cap_milli = cap_milli
        self._gate = activation_gate

    def _need_edit(self) -> None:
        require(self._actor, Permission.EDIT_FEES)

    def _clean(self, data: SchemeInput) -> dict[str, Any]:
        price = parse_price(data.price)
        start = parse_period(data.start_month)
        if data.cycle not in BILLING_CYCLES:
            raise FeeError("请选择计费周期（月/季/半年/年）")
        if not 0 <= data.transition_months <= 12:
            raise FeeError("过渡期应为 0～12 个月")
        if not 1 <= data.due_days <= 180:
            raise FeeError("缴费期限应为 1～180 天")
        for rule in data.exemptions:
            check_exemption(rule)
        keys = {(r.kind, r.match) for r in data.exemptions}
        if len(keys) != len(data.exemptions):
            raise FeeError("同一状态或标签只能设一条减免规则")
        if price > self.cap_milli and not data.over_cap_reason.strip():
            raise OverCapError(format_price(price), format_price(self.cap_milli))
        gated = data.survey_id is not None
        threshold = data.satisfaction_threshold if gated else None
        coverage = data.min_coverage if gated else None
        if threshold is not None and not 1 <= threshold <= 100:
            raise FeeError("满意率门槛应为 1%～100%")
        if coverage is not None and not 1 <= coverage <= 100:
            raise FeeError("最低覆盖率应为 1%～100%")
        return {
            "compound_id": data.compound_id,
            "name": data.name.strip(),
            "price_milli": price,
            "cap_milli": self.cap_milli,
            "over_cap_reason": data.over_cap_reason.strip() if price > self.cap_milli else "",
            "start_month": start,
            "cycle": data.cycle,
            "transition_months": data.transition_months,
            "due_days": data.due_days,
            "manager_name": data.manager_name.strip(),
            "manager_contact": data.manager_contact.strip(),
            "office": data.office.strip(),
            "pay_ways": data.pay_ways.strip(),
            "service_basis": data.service_basis.strip(),
            "resolution_note": data.resolution_note.strip(),
            "resolution_id": data.resolution_id,
            "survey_id": data.survey_id,
            "satisfaction_threshold": threshold,
            "min_coverage": coverage,
        }

    def save_scheme(
        self,
        data: SchemeInput,
        scheme_id: int | None = None,
        *,
        expected_version: int | None = None,
    ) -> SchemeRow:
        """Create a draft scheme, or change one that is still a draft.

        Raises:
            OverCapError: the price is above the cap and no reason was given.
            SchemeStateError: the scheme was already posted.
            StaleWrite: someone saved the scheme since the form showed `expected_version`.
        """
        self._need_edit()
        values = self._clean(data)
        with self._sessions.begin() as s:
            compound = s.get(Compound, data.compound_id)
            if compound is None:
                raise NotFound("该楼院不存在")
            check_links(s, values)
            if scheme_id is None:
                scheme = FeeScheme(state="draft", created_at=dt.datetime.now(), **values)
                s.add(scheme)
                s.flush()
                before: dict[str, Any] = {}
            else:
                claim(
                    s, FeeScheme, scheme_id, expected_version,
                    what="该收费方案", missing="该收费方案不存在",
                )  # fmt: skip
                found = s.get(FeeScheme, scheme_id)
                if found is None:
                    raise NotFound("该收费方案不存在")
                scheme = found
                if scheme.state != "draft":
                    raise SchemeStateError("方案已公示，不能再修改；如需调整请结束后另建方案")
                before = {k: getattr(scheme, k) for k in values}
                for key, value in values.items():
                    setattr(scheme, key, value)
                for old in s.scalars(
                    select(FeeExemption).where(FeeExemption.scheme_id == scheme.id)
                ):
                    s.delete(old)
                s.flush()
            for rule in data.exemptions:
                s.add(
                    FeeExemption(
                        scheme_id=scheme.id,
                        kind=rule.kind,
                        match=rule.match,
                        mode=rule.mode,
                        value=rule.value,
                    )
                )
            after = dict(values, exemptions=[r.label for r in data.exemptions])
            audit.record(
                s,
                self._actor,
                "create" if scheme_id is None else "update",
                "fee_scheme",
                scheme.id,
                before=before,
                after=after,
                note=f"超出上限：{values['over_cap_reason']}" if values["over_cap_reason"] else "",
            )
            s.flush()
            return load_scheme(s, scheme.id)

    def get_scheme(self, scheme_id: int) -> SchemeRow:
        with self._sessions() as s:
            return load_scheme(s, scheme_id)

    def list_schemes(self, compound_id: int | None = None) -> list[SchemeRow]:
        """Schemes, newest first within each compound."""
        with self._sessions() as s:
            query = (
                select(FeeScheme.id)
                .join(Compound, Compound.id == FeeScheme.compound_id)
                .order_by(Compound.name, FeeScheme.start_month.desc(), FeeScheme.id.desc())
            )
            if compound_id is not None:
                query = query.where(FeeScheme.compound_id == compound_id)
            return [load_scheme(s, sid) for sid in s.scalars(query)]

    def gate_status(self, scheme_id: int) -> GateStatus | None:
        """Where the scheme's survey gate stands (None: the scheme names no survey)."""
        with self._sessions() as s:
            scheme = s.get(FeeScheme, scheme_id)
            if scheme is None:
                raise NotFound("该收费方案不存在")
            return self._gate(s, scheme)

    def running_scheme(self, compound_id: int) -> SchemeRow | None:
        """The compound's active scheme, if any."""
        with self._sessions() as s:
            sid = s.scalar(
                select(FeeScheme.id)
                .where(FeeScheme.compound_id == compound_id, FeeScheme.state == "active")
                .order_by(FeeScheme.id.desc())
                .limit(1)
            )
            return None if sid is None else load_scheme(s, sid)

    def change_state(
        self,
        scheme_id: int,
        state: str,
        reason: str = "",
        *,
        expected_version: int | None = None,
    ) -> SchemeRow:
        """Move a scheme on: post (公示), start the transition, activate, end.

        Activation needs a reason and, when the scheme names a survey, its gate met
        (满意率 and 覆盖率); it ends the compound's previously active scheme.

        Raises:
            SchemeStateError: the step is not allowed from the scheme's state.
        """
        self._need_edit()
        with self._sessions.begin() as s:
            claim(
                s, FeeScheme, scheme_id, expected_version,
                what="该收费方案", missing="该收费方案不存在",
            )  # fmt: skip
            scheme = s.get(FeeScheme, scheme_id, with_for_update=True)
            if scheme is None:
                raise NotFound("该收费方案不存在")
            if state not in NEXT_STATES[scheme.state]:
                raise SchemeStateError(
                    f"方案当前为“{STATE_LABELS[scheme.state]}”，不能改为“{STATE_LABELS[state]}”"
                )
            if state in ("active", "ended") and not reason.strip():
                raise FeeError("请填写理由（将记入操作日志）")
            if state == "active":
                gate = self._gate(s, scheme)
                if gate is not None and not gate.met:
                    raise SchemeStateError(gate.message)
                self._end_others(s, scheme)
            now = dt.datetime.now()
            before = scheme.state
            scheme.state = state
            scheme.state_reason = reason.strip()
            if state == "posted":
                scheme.posted_at = now
            elif state == "active":
                scheme.activated_at = now
            elif state == "ended":
                scheme.ended_at = now
            audit.record(
                s,
                self._actor,
                "state",
                "fee_scheme",
                scheme.id,
                before={"state": before},
                after={"state": state},
                note=reason.strip(),
            )
            s.flush()
            return load_scheme(s, scheme.id)

    def _end_others(self, s: Session, scheme: FeeScheme) -> None:
        for other in s.scalars(
            select(FeeScheme).where(
                FeeScheme.compound_id == scheme.compound_id,
                FeeScheme.state == "active",
                FeeScheme.id != scheme.id,
            )
        ):
            other.state = "ended"
            other.ended_at = dt.datetime.now()
            other.state_reason = f"由新方案（{format_price(scheme.price_milli)} 元/㎡·月）接替"
            audit.record(
                s,
                self._actor,
                "state",
                "fee_scheme",
                other.id,
                before={"state": "active"},
                after={"state": "ended"},
                note=other.state_reason,
            )

    def create_active(self, data: SchemeInput, reason: str) -> SchemeRow:
        """Create a scheme and take it straight to active (scripted set-ups)."""
        return self.create_until(data, "active", reason)

    def create_until(self, data: SchemeInput, state: str, reason: str) -> SchemeRow:
        """Create a scheme and take it through the states up to `state` (the CLI).

        Raises:
            SchemeStateError: a step refused (e.g. the survey gate not met at activation);
                the message says where the saved scheme stands.
        """
        path = ("draft", "posted", "transition", "active")
        if state not in path:
            raise SchemeStateError(f"无法直接创建为“{STATE_LABELS.get(state, state)}”的方案")
        row = self.save_scheme(data)
        for step in path[1 : path.index(state) + 1]:
            try:
                row = self.change_state(row.id, step, reason)
            except AppError as exc:
                raise SchemeStateError(
                    f"{exc.message.rstrip('。')}。方案已保存，当前为“{STATE_LABELS[row.state]}”。"
                ) from exc
        return row
