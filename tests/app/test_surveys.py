"""Surveys: designer rules, the one-sheet-per-household rule, coverage, tallies, the fee gate."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest

from app.services import Services
from app.surveys import payload
from app.surveys.dto import (
    AnswerValue,
    HouseholdRef,
    QuestionInput,
    ResponseInput,
    ScopeItem,
    SurveyInput,
)
from app.surveys.errors import (
    HouseholdNotInScope,
    QuestionsLocked,
    ResponseInvalid,
    ScopeConflict,
    SurveyHasResponses,
    SurveyInvalid,
    SurveyNotOpen,
)
from app.surveys.gate import gate_status

QUESTIONS = (
    QuestionInput("satisfaction5", "总体评价"),
    QuestionInput("single", "缴费周期", options=("按月", "按季度", "按年")),
    QuestionInput("multiple", "需要改进", required=False, options=("保洁", "安保", "绿化")),
    QuestionInput("yesno", "是否同意"),
    QuestionInput("number", "常住人口", required=False),
    QuestionInput("text", "意见", required=False),
)


def _compound(services: Services) -> int:
    """The first compound with at least two buildings."""
    for c in services.compounds.list_compounds():
        if c.buildings >= 2:
            return c.id
    raise AssertionError("no compound with two buildings")


def _open_survey(services: Services, scope: tuple[ScopeItem, ...] | None = None) -> int:
    scope = scope or (ScopeItem(_compound(services)),)
    sid = services.surveys.create_survey(SurveyInput("测试调查", "说明", scope, QUESTIONS))
    services.surveys.open_survey(sid)
    return sid


def _sheet(services: Services, sid: int, home: HouseholdRef, *picks: object) -> ResponseInput:
    """picks per question: int / tuple of ints / Decimal / str / None."""
    qs = services.surveys.get_survey(sid).questions
    answers = {}
    for q, pick in zip(qs, picks, strict=False):
        if pick is None:
            continue
        if isinstance(pick, int):
            answers[q.id] = AnswerValue((pick,))
        elif isinstance(pick, tuple):
            answers[q.id] = AnswerValue(pick)
        elif isinstance(pick, Decimal):
            answers[q.id] = AnswerValue(number=pick)
        else:
            answers[q.id] = AnswerValue(text=str(pick))
    return ResponseInput(sid, home.id, collected_by="李文", answers=answers)


def test_templates_become_surveys(demo: Services) -> None:
    scope = (ScopeItem(_compound(demo)),)
    for name in ("物业服务满意度调查", "收费标准意见征询", "楼院问题征集"):
        sid = demo.surveys.create_survey(demo.surveys.template(name, scope))
        detail = demo.surveys.get_survey(sid)
        assert detail.data.title == name
        assert detail.questions and detail.status == "draft"
    kinds = {q.data.kind for q in demo.surveys.get_survey(sid).questions}
    assert "multiple" in kinds


@pytest.mark.parametrize(
    ("question", "message"),
    [
        (QuestionInput("single", "只有一个选项", options=("是",)), "至少要有两个选项"),
        (QuestionInput("single", "重复", options=("是", "是")), "选项不能重复"),
        (QuestionInput("multiple", "太多", options=tuple("ABCDEFGHIJ")), "选项最多9个"),
        (QuestionInput("text", "  "), "请填写题目"),
        (QuestionInput("yesno", "固定选项", options=("对", "错")), "不需要自定义选项"),
        (QuestionInput("ranking", "未知题型"), "请选择题型"),
    ],
)
def test_designer_rejects_bad_questions(
    demo: Services, question: QuestionInput, message: str
) -> None:
    before = demo.surveys.list_surveys()
    with pytest.raises(SurveyInvalid) as caught:
        demo.surveys.create_survey(SurveyInput("问卷", questions=(QUESTIONS[0], question)))
    assert "q2" in caught.value.errors
    assert message in caught.value.errors["q2"]
    assert demo.surveys.list_surveys() == before


def test_title_is_required_and_opening_needs_questions_and_households(demo: Services) -> None:
    with pytest.raises(SurveyInvalid) as caught:
        demo.surveys.create_survey(SurveyInput("  "))
    assert caught.value.errors == {"title": "请填写问卷标题"}
    sid = demo.surveys.create_survey(SurveyInput("空问卷"))
    with pytest.raises(SurveyInvalid) as caught:
        demo.surveys.open_survey(sid)
    assert set(caught.value.errors) == {"questions", "scope"}


def test_reorder_and_edit_questions_until_the_first_answer(demo: Services) -> None:
    sid = _open_survey(demo)
    detail = demo.surveys.get_survey(sid)
    reordered = SurveyInput(
        detail.data.title, detail.data.intro, detail.data.scope, tuple(reversed(QUESTIONS))
    )
    demo.surveys.update_survey(sid, reordered)
    assert [q.data.text for q in demo.surveys.get_survey(sid).questions][0] == "意见"
    demo.surveys.update_survey(sid, SurveyInput("测试调查", "", detail.data.scope, QUESTIONS))
    home = demo.survey_entry.households(sid)[0]
    # A refusal carries no answers: the questions stay editable.
    demo.survey_entry.save(ResponseInput(sid, home.id, outcome="refused"))
    demo.surveys.update_survey(sid, reordered)
    demo.surveys.update_survey(sid, SurveyInput("测试调查", "", detail.data.scope, QUESTIONS))
    demo.survey_entry.save(_sheet(demo, sid, home, 1, 0, None, 0))
    with pytest.raises(QuestionsLocked, match="不能再修改"):
        demo.surveys.update_survey(sid, reordered)
    # Title, introduction and scope still change; the questions are kept as they were.
    demo.surveys.update_survey(sid, SurveyInput("新标题", "新说明", detail.data.scope, QUESTIONS))
    after = demo.surveys.get_survey(sid)
    assert after.data.title == "新标题" and after.questions_locked
    assert [q.id for q in after.questions] == [q.id for q in detail.questions] or all(
        q.data == d for q, d in zip(after.questions, QUESTIONS, strict=True)
    )


def test_scope_cannot_drop_households_that_have_sheets(demo: Services) -> None:
    cid = _compound(demo)
    sid = _open_survey(demo)
    homes = demo.survey_entry.households(sid)
    demo.survey_entry.save(ResponseInput(sid, homes[0].id, outcome="nobody_home"))
    other = next(h for h in homes if h.building_id != homes[0].building_id)
    with pytest.raises(ScopeConflict, match="1 户"):
        demo.surveys.update_survey(
            sid, SurveyInput("测试调查", "", (ScopeItem(cid, other.building_id),), QUESTIONS)
        )
    demo.surveys.update_survey(
        sid, SurveyInput("测试调查", "", (ScopeItem(cid, homes[0].building_id),), QUESTIONS)
    )
    assert all(h.building_id == homes[0].building_id for h in demo.survey_entry.households(sid))


def test_second_entry_edits_never_duplicates(demo: Services) -> None:
    sid = _open_survey(demo)
    home = demo.survey_entry.households(sid)[0]
    first = demo.survey_entry.save(_sheet(demo, sid, home, 0, 1, (0, 2), 0, Decimal(3), "好"))
    second = demo.survey_entry.save(_sheet(demo, sid, home, 3, 2, (1,), 1))
    assert first.created and not second.created and first.id == second.id
    coverage = demo.survey_results.coverage(sid).total
    assert coverage.answered == 1
    sheet = demo.survey_entry.response(sid, home.id)
    assert sheet is not None
    qs = demo.surveys.get_survey(sid).questions
    assert sheet.data.answers[qs[0].id].choices == (3,)
    assert sheet.data.answers[qs[2].id].choices == (1,)
    assert qs[4].id not in sheet.data.answers and qs[5].id not in sheet.data.answers
    # A later visit finds nobody home: the sheet becomes that, without answers.
    demo.survey_entry.save(ResponseInput(sid, home.id, outcome="nobody_home"))
    assert demo.survey_results.coverage(sid).total.nobody_home == 1
    assert demo.survey_results.results(sid).questions[0].valid == 0


def test_entry_rules(demo: Services) -> None:
    sid = demo.surveys.create_survey(
        SurveyInput("草稿", scope=(ScopeItem(_compound(demo)),), questions=QUESTIONS)
    )
    home = demo.survey_entry.households(sid)[0]
    with pytest.raises(SurveyNotOpen):
        demo.survey_entry.save(ResponseInput(sid, home.id, outcome="refused"))
    demo.surveys.open_survey(sid)
    with pytest.raises(ResponseInvalid) as caught:
        demo.survey_entry.save(_sheet(demo, sid, home, 0, None, (0, 0, 1), 5))
    qs = demo.surveys.get_survey(sid).questions
    assert caught.value.errors == {
        f"q{qs[1].id}": "第2题：此题必答",
        f"q{qs[2].id}": "第3题：选项重复",
        f"q{qs[3].id}": "第4题：选项不存在",
    }
    with pytest.raises(ResponseInvalid, match="调查日期"):
        demo.survey_entry.save(
            ResponseInput(
                sid, home.id, "refused", collected_on=dt.date.today() + dt.timedelta(days=1)
            )
        )
    outsider = next(
        h.id
        for h in demo.households.household_rows(demo.households.household_ids())
        if h.compound_id != home.compound_id
    )
    with pytest.raises(HouseholdNotInScope):
        demo.survey_entry.save(ResponseInput(sid, outsider, "refused"))
    assert demo.survey_results.coverage(sid).total.reached == 0


def test_locate_by_scanned_code_or_typed_location(demo: Services) -> None:
    sid = _open_survey(demo)
    homes = demo.survey_entry.households(sid)
    home = homes[5]
    assert demo.survey_entry.locate(sid, payload.encode(sid, home.id)) == home
    # A scanner on a Chinese layout may send full-width characters.
    wide = payload.encode(sid, home.id).translate({c: c + 0xFEE0 for c in range(0x21, 0x7F)})
    assert demo.survey_entry.locate(sid, wide) == home
    assert demo.survey_entry.locate(sid, f"{home.building}-{home.unit}-{home.room}") == home
    assert demo.survey_entry.locate(sid, f"{home.building}号楼{home.unit}单元{home.room}") == home
    with pytest.raises(HouseholdNotInScope, match="另一项调查"):
        demo.survey_entry.locate(sid, payload.encode(sid + 99, home.id))
    with pytest.raises(HouseholdNotInScope, match="找不到"):
        demo.survey_entry.locate(sid, "99-9-999")


def test_payload_round_trip() -> None:
    assert payload.encode(1, 42) == "LY1:S1:H42"
    assert payload.decode("LY1:S1:H42") == (1, 42)
    assert payload.decode(" ly1:s12:h7 \n") == (12, 7)
    assert payload.decode("3-1-101") is None


def test_tallies_on_known_answers(demo: Services) -> None:
    sid = _open_survey(demo)
    homes = demo.survey_entry.households(sid)
    in_b1 = [h for h in homes if h.building_id == homes[0].building_id]
    in_b2 = [h for h in homes if h.building_id != homes[0].building_id]
    sheets = [
        (in_b1[0], (0, 0, (0, 1), 0, Decimal(3), "楼道灯坏了")),
        (in_b1[1], (1, 1, (1,), 0, Decimal("2.5"))),
        (in_b1[2], (2, 2, None, 1)),
        (in_b2[0], (3, 0, (0, 1, 2), 1, Decimal(4))),
        (in_b2[1], (1, 0, None, 0, None, "无")),
    ]
    for home, picks in sheets:
        demo.survey_entry.save(_sheet(demo, sid, home, *picks))
    demo.survey_entry.save(ResponseInput(sid, in_b2[2].id, outcome="refused"))
    results = demo.survey_results.results(sid)
    sat, cycle, improve, agree, people, notes = results.questions
    assert sat.valid == 5
    assert [o.count for o in sat.options] == [1, 2, 1, 1, 0]
    assert sat.satisfaction_rate == Decimal("0.6000")
    assert [o.count for o in cycle.options] == [3, 1, 1]
    assert cycle.options[0].share == Decimal("0.6000")
    # Multiple choice: shares of the respondents who ticked anything (3), not of ticks (6).
    assert improve.valid == 3
    assert [o.count for o in improve.options] == [2, 3, 1]
    assert improve.options[1].share == Decimal("1.0000")
    assert [o.count for o in agree.options] == [3, 2]
    assert people.valid == 3 and people.number_sum == Decimal("9.50")
    assert people.number_min == Decimal("2.50") and people.number_max == Decimal("4.00")
    assert people.number_mean == Decimal("3.17")
    assert notes.valid == 2
    assert results.satisfaction_rate == Decimal("0.6000")
    by_building = {b.building: (b.valid, b.satisfied) for b in results.by_building}
    assert by_building == {in_b1[0].building: (3, 2), in_b2[0].building: (2, 1)}
    texts = demo.survey_results.text_answers(notes.question.id)
    assert sorted(t for _, t in texts) == ["无", "楼道灯坏了"]


def test_coverage_and_not_reached(demo: Services) -> None:
    sid = _open_survey(demo)
    homes = demo.survey_entry.households(sid)
    demo.survey_entry.save(_sheet(demo, sid, homes[0], 0, 0, None, 0))
    demo.survey_entry.save(ResponseInput(sid, homes[1].id, outcome="refused"))
    demo.survey_entry.save(ResponseInput(sid, homes[2].id, outcome="nobody_home"))
    cov = demo.survey_results.coverage(sid)
    assert cov.total.households == len(homes)
    assert (cov.total.answered, cov.total.refused, cov.total.nobody_home) == (1, 1, 1)
    assert cov.total.reached == 2 and cov.total.not_reached == len(homes) - 2
    assert sum(b.households for b in cov.by_building) == len(homes)
    assert len(cov.by_compound) == 1
    missing = demo.survey_results.not_reached(sid)
    assert len(missing) == len(homes) - 2
    assert missing[0].household_id == homes[2].id and missing[0].state == "无人在家"
    assert missing[1].state == "未走访"
    rows = demo.surveys.list_surveys()
    assert (rows[0].households, rows[0].reached) == (len(homes), 2)


def test_fee_gate_needs_satisfaction_and_coverage(demo: Services) -> None:
    homes_scope = (ScopeItem(_compound(demo)),)
    sid = _open_survey(demo, homes_scope)
    homes = demo.survey_entry.households(sid)
    # 2 of 3 satisfied is exactly 2/3: met; coverage is 3 of the compound.
    for home, pick in zip(homes, (0, 1, 3), strict=False):
        demo.survey_entry.save(_sheet(demo, sid, home, pick, 0, None, 0))
    with demo.db.sessions() as s:
        low = gate_status(s, sid)
        assert not low.met and "覆盖率" in low.message
        ok = gate_status(s, sid, min_coverage=Fraction(3, len(homes)))
        assert ok.met and ok.satisfaction_rate == Decimal("0.6667")
        assert "已达到收费条件" in ok.message
        strict = gate_status(s, sid, threshold=Decimal("0.7"), min_coverage=Decimal(0))
        assert not strict.met and "满意率 66.7% 未达到 70.0%" in strict.message


def test_delete_survey_with_sheets_needs_confirmation(demo: Services) -> None:
    sid = _open_survey(demo)
    home = demo.survey_entry.households(sid)[0]
    demo.survey_entry.save(ResponseInput(sid, home.id, outcome="refused"))
    with pytest.raises(SurveyHasResponses):
        demo.surveys.delete_survey(sid)
    demo.surveys.delete_survey(sid, with_responses=True)
    assert sid not in [r.id for r in demo.surveys.list_surveys()]
