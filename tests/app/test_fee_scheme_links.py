"""A fee scheme names its survey gate (survey, 满意率, 覆盖率) and its 议事决议: saved,
audited, shown on the scheme and on the posting, and the gate decides activation."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest
from fees_factory import small_compound
from pypdf import PdfReader
from sqlalchemy import select

from app.database import Database
from app.documents.fees_postings import write_scheme_posting
from app.fees.dto import SchemeInput
from app.fees.errors import FeeError, SchemeStateError
from app.governance.dto import MeetingInput, ResolutionInput
from app.services import Services
from app.surveys.dto import AnswerValue, QuestionInput, ResponseInput, ScopeItem, SurveyInput
from db.models.auth import AuditEntry


def _survey(services: Services, cid: int, title: str = "物业服务满意度调查") -> int:
    sid = services.surveys.create_survey(
        SurveyInput(
            title,
            scope=(ScopeItem(cid),),
            questions=(QuestionInput("satisfaction5", "总体评价"),),
        )
    )
    services.surveys.open_survey(sid)
    return sid


def _answer(services: Services, sid: int, homes: int, choice: int) -> None:
    """The first `homes` households of the survey answer `choice` (1 = 满意, 2 = 一般)."""
    qid = services.surveys.get_survey(sid).questions[0].id
    for home in services.survey_entry.households(sid)[:homes]:
        services.survey_entry.save(
            ResponseInput(sid, home.id, answers={qid: AnswerValue((choice,))})
        )


def _meeting(services: Services, cid: int) -> int:
    services.governance.meetings.create_meeting(
        MeetingInput(
            cid,
            dt.date(2026, 5, 12),
            "物业服务标准和收费方案",
            45,
            resolutions=(ResolutionInput("同意收费标准0.45元/平米·月", 40, 3, 2),),
        )
    )
    return services.governance.resolutions_for_compound(cid)[0].id


def test_gate_refuses_then_allows_after_answers(db: Database, services: Services) -> None:
    cid = small_compound(db)  # six households
    sid = _survey(services, cid)
    schemes = services.fees.schemes
    row = schemes.save_scheme(
        SchemeInput(
            compound_id=cid,
            price="0.45",
            start_month="2026-06",
            survey_id=sid,
            satisfaction_threshold=75,
            min_coverage=60,
        )
    )
    assert (row.survey_id, row.satisfaction_threshold, row.min_coverage) == (sid, 75, 60)
    assert row.gate_text == "满意度调查“物业服务满意度调查”满意率不低于 75%、覆盖率不低于 60%"
    schemes.change_state(row.id, "posted")
    schemes.change_state(row.id, "transition")
    status = schemes.gate_status(row.id)
    assert status is not None and not status.met
    assert (
        status.message
        == "“物业服务满意度调查”：尚无满意度答卷；覆盖率 0.0% 未达到 60.0%，暂不能开始收费"
    )
    with pytest.raises(SchemeStateError, match="尚无满意度答卷"):
        schemes.change_state(row.id, "active", "过渡期满")

    _answer(services, sid, 3, 1)  # three of six satisfied: 100% but coverage 50%
    with pytest.raises(SchemeStateError, match="覆盖率 50.0% 未达到 60.0%"):
        schemes.change_state(row.id, "active", "过渡期满")
    _answer(services, sid, 6, 2)  # everyone answered 一般 now: coverage met, 0% satisfied
    with pytest.raises(SchemeStateError, match="满意率 0.0% 未达到 75.0%"):
        schemes.change_state(row.id, "active", "过渡期满")
    _answer(services, sid, 5, 1)  # five of six satisfied (83.3%), everyone reached
    status = schemes.gate_status(row.id)
    assert status is not None and status.met
    assert status.message == (
        "“物业服务满意度调查”满意率 83.3%（要求 75.0%），"
        "覆盖率 100.0%（要求 60.0%）：已达到收费条件"
    )
    assert schemes.change_state(row.id, "active", "满意度达标").state == "active"


def test_default_levels_two_thirds_and_half(db: Database, services: Services) -> None:
    cid = small_compound(db)
    sid = _survey(services, cid)
    schemes = services.fees.schemes
    row = schemes.save_scheme(
        SchemeInput(compound_id=cid, price="0.45", start_month="2026-06", survey_id=sid)
    )
    assert row.satisfaction_threshold is None and row.min_coverage is None
    assert row.gate_text.endswith("满意率不低于 2/3、覆盖率不低于 50%")
    _answer(services, sid, 3, 1)  # half reached, all satisfied: the defaults are met
    _answer(services, sid, 1, 2)  # two of three satisfied meets 2/3 exactly
    status = schemes.gate_status(row.id)
    assert status is not None and status.met and status.threshold == Decimal("0.6667")
    # A scheme without a survey is not gated.
    plain = schemes.save_scheme(SchemeInput(compound_id=cid, price="0.45", start_month="2026-07"))
    assert schemes.gate_status(plain.id) is None and plain.gate_text == ""


def test_links_are_checked_and_audited(db: Database, services: Services) -> None:
    cid = small_compound(db)
    other = small_compound(db, "另一家属院")
    foreign_survey = _survey(services, other, "别院调查")
    foreign_resolution = _meeting(services, other)
    schemes = services.fees.schemes
    base = SchemeInput(compound_id=cid, price="0.45", start_month="2026-06")
    with pytest.raises(FeeError, match="不包括本楼院"):
        schemes.save_scheme(dataclasses.replace(base, survey_id=foreign_survey))
    with pytest.raises(FeeError, match="不是本楼院的决议"):
        schemes.save_scheme(dataclasses.replace(base, resolution_id=foreign_resolution))
    sid = _survey(services, cid)
    with pytest.raises(FeeError, match="满意率门槛"):
        schemes.save_scheme(dataclasses.replace(base, survey_id=sid, satisfaction_threshold=0))
    assert [s.id for s in services.surveys.list_surveys(cid)] == [sid]
    assert {s.id for s in services.surveys.list_surveys()} == {sid, foreign_survey}
    row = schemes.save_scheme(base)
    changed = schemes.save_scheme(
        dataclasses.replace(base, survey_id=sid, satisfaction_threshold=67),
        row.id,
    )
    assert changed.survey_title == "物业服务满意度调查"
    with db.sessions() as s:
        entry = s.scalars(
            select(AuditEntry)
            .where(AuditEntry.entity == "fee_scheme", AuditEntry.action == "update")
            .order_by(AuditEntry.id.desc())
        ).first()
        assert entry is not None
        before, after = json.loads(entry.before or "{}"), json.loads(entry.after or "{}")
    assert before["survey_id"] is None and after["survey_id"] == sid
    assert after["satisfaction_threshold"] == 67 and after["min_coverage"] is None


def test_resolution_on_scheme_and_posting(db: Database, services: Services, tmp_path: Path) -> None:
    cid = small_compound(db)
    rid = _meeting(services, cid)
    row = services.fees.schemes.save_scheme(
        SchemeInput(
            compound_id=cid,
            price="0.45",
            start_month="2026-06",
            resolution_id=rid,
            resolution_note="到会户数三分之二以上同意",
        )
    )
    assert row.resolution is not None and row.resolution.topic == "物业服务标准和收费方案"
    basis = (
        "依据：2026年5月12日居民议事会决议“同意收费标准0.45元/平米·月”"
        "（赞成40票，反对3票，弃权2票）"
    )
    assert row.basis_text == basis
    write_scheme_posting(tmp_path / "p.pdf", row)
    text = "".join(p.extract_text() for p in PdfReader(tmp_path / "p.pdf").pages)
    assert basis.replace("依据：", "") in text.replace("\n", "")
    # The meeting record is removed: the scheme falls back to its note.
    meeting = services.governance.meetings.list_meetings(cid)[0].id
    services.governance.meetings.delete_meeting(meeting)
    fallback = services.fees.schemes.get_scheme(row.id)
    assert fallback.resolution is None and fallback.resolution_id == rid
    assert fallback.basis_text == "依据：到会户数三分之二以上同意"
    write_scheme_posting(tmp_path / "q.pdf", fallback)
    text = "".join(p.extract_text() for p in PdfReader(tmp_path / "q.pdf").pages)
    assert "到会户数三分之二以上同意" in text.replace("\n", "")
