"""Dashboard figures: fee collection per compound and survey coverage/satisfaction, on known
data, and the brief's headline paragraph."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from fees_factory import small_compound
from test_surveys import QUESTIONS, _compound, _sheet

from app.dashboard import fee_totals
from app.fees.dto import ExemptionRule, PaymentInput, SchemeInput
from app.governance.dto import percent
from app.services import Services
from app.surveys.dto import ResponseInput, ScopeItem, SurveyInput

RULES = (
    ExemptionRule("status", "空置", "percent", 50),
    ExemptionRule("tag", "低保", "fixed", 1000),
)


def _billed(db, services: Services) -> int:  # type: ignore[no-untyped-def]
    cid = small_compound(db)
    small_compound(db, "未收费家属院")  # no charges: not on the chart
    data = SchemeInput(compound_id=cid, price="0.45", start_month="2026-01", exemptions=RULES)
    services.fees.schemes.create_active(data, "居民满意，开始收费")
    services.fees.billing.run(cid, "2026-02")
    services.fees.billing.run(cid, "2026-03")
    return cid


def test_fee_figures_on_known_charges(db, services: Services) -> None:  # type: ignore[no-untyped-def]
    cid = _billed(db, services)
    hid = services.fees.payments.find_room(cid, "3-1-101").household_id
    services.fees.payments.pay(PaymentInput(hid, Decimal("72.00")))
    (row,) = services.dashboard.fees_by_compound()
    # 0.45 元/㎡ on 80..85 ㎡: 36.00, 18.23 (102 空置 half), 26.90 (201 低保 -10), 37.35,
    # 37.80, 38.25 a month; two months billed.
    assert (row.compound_id, row.compound_name) == (cid, "测试家属院")
    assert row.charged_fen == 2 * (3600 + 1823 + 2690 + 3735 + 3780 + 3825) == 38906
    assert row.paid_fen == 7200 and row.due_fen == 31706
    assert row.households_in_arrears == 5
    assert row.collection_rate == Decimal("0.1851")
    totals = fee_totals([row])
    assert (totals.compounds, totals.collection_rate) == (1, Decimal("0.1851"))
    assert fee_totals([]).collection_rate is None
    community = services.compounds.get_compound(cid).data.community_id
    assert services.dashboard.fees_by_compound(community) == [row]
    assert services.dashboard.fees_by_compound(community + 1000) == []


def test_survey_figures_on_known_sheets(demo: Services) -> None:
    scope = (ScopeItem(_compound(demo)),)
    sid = demo.surveys.create_survey(SurveyInput("看板调查", "", scope, QUESTIONS))
    draft = demo.surveys.create_survey(SurveyInput("草稿调查", "", scope, QUESTIONS))
    demo.surveys.open_survey(sid)
    homes = demo.survey_entry.households(sid)
    for home, pick in zip(homes, (0, 1, 3), strict=False):
        demo.survey_entry.save(_sheet(demo, sid, home, pick, 0, None, 0))
    demo.survey_entry.save(ResponseInput(sid, homes[3].id, outcome="refused"))
    demo.survey_entry.save(ResponseInput(sid, homes[4].id, outcome="nobody_home"))
    figures = {f.survey_id: f for f in demo.dashboard.surveys()}
    assert draft not in figures
    mine = figures[sid]
    assert (mine.title, mine.status, mine.households) == ("看板调查", "open", len(homes))
    assert mine.reached == 4
    assert mine.coverage == (Decimal(4) / len(homes)).quantize(Decimal("0.0001"))
    assert (mine.satisfaction_valid, mine.satisfaction_satisfied) == (3, 2)
    assert mine.satisfaction_rate == Decimal("0.6667")
    # Every survey agrees with the results page (the demo's own surveys too).
    for f in figures.values():
        results = demo.survey_results.results(f.survey_id)
        assert f.satisfaction_rate == results.satisfaction_rate
        assert f.reached == results.coverage.reached
        assert f.households == results.coverage.households
    ids = [f.survey_id for f in demo.dashboard.surveys()]
    assert ids == sorted(ids)


def test_brief_has_fee_and_survey_headline(demo: Services) -> None:
    figures = demo.dashboard
    fees = fee_totals(figures.fees_by_compound())
    surveys = figures.surveys()
    assert fees.charged_fen > 0 and surveys, "the demo bills fees and runs surveys"
    draft = demo.governance.brief.draft(dt.date(2020, 1, 1), dt.date(2030, 12, 31))
    rate = percent(fees.paid_fen, fees.charged_fen)
    assert f"物业费收缴率{rate}%" in draft.body
    assert f"欠费{fees.households_in_arrears}户" in draft.body
    last = surveys[-1]
    assert f"“{last.title}”入户调查覆盖{last.reached}户" in draft.body
