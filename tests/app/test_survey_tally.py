"""Tallies kept by increment and decrement agree with a full recount after any mix of saves,
edits, moves between outcomes and deletions."""

from __future__ import annotations

import random
from decimal import Decimal

from app.services import Services
from app.surveys import tally
from app.surveys.dto import AnswerValue, ResponseInput, ScopeItem, SurveyInput
from tests.app.test_surveys import QUESTIONS


def test_kept_tallies_match_a_recount(demo: Services) -> None:
    compounds = demo.compounds.list_compounds()[:3]
    sid = demo.surveys.create_survey(
        SurveyInput("增量统计", "", tuple(ScopeItem(c.id) for c in compounds), QUESTIONS)
    )
    demo.surveys.open_survey(sid)
    qs = demo.surveys.get_survey(sid).questions
    homes = demo.survey_entry.households(sid)
    rng = random.Random(3)

    def answers() -> dict[int, AnswerValue]:
        out: dict[int, AnswerValue] = {}
        for q in qs:
            kind = q.data.kind
            if kind == "multiple":
                out[q.id] = AnswerValue(tuple(sorted(rng.sample(range(len(q.choices)), 2))))
            elif kind == "number":
                if rng.random() < 0.7:
                    out[q.id] = AnswerValue(number=Decimal(rng.randint(0, 9)))
            elif kind == "text":
                if rng.random() < 0.5:
                    out[q.id] = AnswerValue(text="意见")
            else:
                out[q.id] = AnswerValue((rng.randrange(len(q.choices)),))
        return out

    saved: set[int] = set()
    for _ in range(120):
        home = rng.choice(homes[:40])
        roll = rng.random()
        if roll < 0.15 and home.id in saved:
            demo.survey_entry.delete(sid, home.id)
            saved.discard(home.id)
            continue
        outcome = "answered" if roll < 0.85 else rng.choice(("refused", "nobody_home"))
        data = answers() if outcome == "answered" else {}
        demo.survey_entry.save(ResponseInput(sid, home.id, outcome=outcome, answers=data))
        saved.add(home.id)
    with demo.survey_entry.sessions() as s:
        assert tally.check(s, sid) == []
        # The check does see a wrong count.
        from db.models.surveys import SurveyTally

        row = s.get(SurveyTally, (qs[0].id, homes[0].compound_id, -1))
        assert row is not None
        row.n += 1
        assert len(tally.check(s, sid)) == 2
        s.rollback()
    results = demo.survey_results.results(sid)
    assert results.questions  # the results page reads the kept tallies
