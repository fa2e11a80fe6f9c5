"""Survey benchmarks.

    .venv/bin/python bench/bench_surveys.py [--responses N] [--batch N]

1. Tallies over 200,000 answered sheets (the 物业服务满意度调查 template, 9 questions, about
   1.8 million answer rows) on a copy of the 200,000-household benchmark database: the
   service's per-question tallies with satisfaction rates (budget ≤ 0.5 s) and the whole
   results page (tallies, satisfaction by building, coverage by building), against raw
   sqlite3 running the per-question GROUP BY over the answer rows.
2. The questionnaire batch for 3,000 households: the service writer (question blocks drawn
   once as PDF forms) against raw reportlab drawing every element on every page; time,
   pages per second and file size.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import sqlite3
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, select  # noqa: E402

from app.audit import SYSTEM  # noqa: E402
from app.config import DatabaseTarget, to_url  # noqa: E402
from app.database import Database, open_database  # noqa: E402
from app.documents.survey_questionnaire import (  # noqa: E402
    write_questionnaires,
    write_questionnaires_raw,
)
from app.services import Services  # noqa: E402
from app.surveys.dto import ScopeItem  # noqa: E402
from app.surveys.gate import gate_status  # noqa: E402
from app.surveys.tally import recount  # noqa: E402
from bench.common import BENCH_DIR, bench_database, rss_mb, timed  # noqa: E402
from db.models import Household  # noqa: E402
from db.models.surveys import SurveyAnswer, SurveyResponse  # noqa: E402

TITLE = "BENCH 物业服务满意度调查"
BUDGET_MS = 500.0


def survey_database(responses: int) -> tuple[Database, int]:
    """A copy of the benchmark database with one survey of `responses` answered sheets."""
    path = BENCH_DIR / f"surveys{responses}.sqlite3"
    if not path.exists():
        base = bench_database(200_000)
        source = Path(base.target.url.removeprefix("sqlite:///"))
        base.close()
        shutil.copyfile(source, path)
    db = open_database(DatabaseTarget(to_url(path)))
    services = Services.build(db, SYSTEM)
    existing = [r for r in services.surveys.list_surveys() if r.title == TITLE]
    if existing:
        return db, existing[0].id
    start = time.perf_counter()
    scope = tuple(ScopeItem(c.id) for c in services.compounds.list_compounds())
    data = services.surveys.template("物业服务满意度调查", scope)
    sid = services.surveys.create_survey(replace(data, title=TITLE))
    services.surveys.open_survey(sid)
    _fill(db, sid, responses, services)
    print(f"made {responses} sheets in {time.perf_counter() - start:.1f} s -> {path}")
    return db, sid


def _fill(db: Database, sid: int, responses: int, services: Services) -> None:
    rng = random.Random(5)
    questions = services.surveys.get_survey(sid).questions
    with db.sessions.begin() as s:
        homes = s.execute(
            select(Household.id, Household.compound_id, Household.building_id)
            .order_by(Household.id)
            .limit(responses)
        ).all()
        now = dt.datetime(2026, 11, 1, 9)
        s.execute(
            insert(SurveyResponse),
            [
                {
                    "survey_id": sid,
                    "household_id": hid,
                    "compound_id": cid,
                    "building_id": bid,
                    "outcome": "answered",
                    "channel": "入户",
                    "collected_by": "李文",
                    "collected_on": now.date(),
                    "note": "",
                    "entered_by": "bench",
                    "entered_at": now,
                }
                for hid, cid, bid in homes
            ],
        )
        ids = s.scalars(select(SurveyResponse.id).where(SurveyResponse.survey_id == sid)).all()
        rows = []
        for rid in ids:
            for q in questions:
                kind = q.data.kind
                if kind == "satisfaction5":
                    rows.append((rid, q.id, rng.choices(range(5), (30, 44, 15, 8, 3))[0], None))
                elif kind == "yesno":
                    rows.append((rid, q.id, rng.randrange(2), None))
                elif kind == "multiple":
                    for c in rng.sample(range(len(q.choices)), rng.randint(0, 2)):
                        rows.append((rid, q.id, c, None))
                elif rng.random() < 0.2:
                    rows.append((rid, q.id, None, "楼道灯经常不亮"))
            if len(rows) > 200_000:
                _answers(s, rows)
                rows = []
        _answers(s, rows)
        recount(s, sid)


def _answers(s, rows) -> None:  # type: ignore[no-untyped-def]
    if rows:
        s.execute(
            insert(SurveyAnswer),
            [{"response_id": r, "question_id": q, "choice": c, "text": t} for r, q, c, t in rows],
        )


def bench_tallies(responses: int) -> None:
    db, sid = survey_database(responses)
    services = Services.build(db, SYSTEM)
    raw = sqlite3.connect(db.target.url.removeprefix("sqlite:///"))
    qids = [q.id for q in services.surveys.get_survey(sid).questions]
    marks = ",".join("?" * len(qids))
    answers = raw.execute(
        f"SELECT COUNT(*) FROM survey_answer WHERE question_id IN ({marks})", qids
    ).fetchone()[0]
    results = services.survey_results.results(sid)
    print(
        f"survey {sid}: {results.coverage.answered} sheets, {answers} answer rows, "
        f"satisfaction {results.satisfaction_rate}"
    )

    def raw_group_by() -> None:
        raw.execute(
            "SELECT question_id, choice, COUNT(*) FROM survey_answer "
            f"WHERE question_id IN ({marks}) AND choice IS NOT NULL GROUP BY question_id, choice",
            qids,
        ).fetchall()

    def gate() -> None:
        with db.sessions() as s:
            gate_status(s, sid)

    figures = {
        "tallies (per question, satisfaction rates)": timed(
            lambda: services.survey_results.tallies(sid), repeat=5
        ),
        "results page (tallies + by building + coverage)": timed(
            lambda: services.survey_results.results(sid), repeat=5
        ),
        "coverage by building": timed(lambda: services.survey_results.coverage(sid), repeat=5),
        "fee gate check": timed(gate, repeat=5),
        "raw sqlite3 GROUP BY (tallies only)": timed(raw_group_by, repeat=5),
    }
    floor = figures["raw sqlite3 GROUP BY (tallies only)"][0]
    for name, (median, low, high) in figures.items():
        verdict = ""
        if name.startswith("tallies"):
            verdict = "  OK" if median <= BUDGET_MS else f"  OVER BUDGET ({BUDGET_MS:.0f} ms)"
        print(
            f"  {name:44s} median {median:7.1f} ms (min {low:.1f}, max {high:.1f})"
            f"  x{median / floor:.2f} raw{verdict}"
        )
    raw.close()
    db.close()


def bench_batch(db: Database, sid: int, households: int) -> None:
    """The same survey's questionnaires for its first `households` households."""
    services = Services.build(db, SYSTEM)
    survey = services.surveys.get_survey(sid)
    homes = services.survey_entry.households(sid)[:households]
    out = Path(tempfile.mkdtemp(prefix="louyuan-bench-"))
    results = {}
    writers = (
        ("forms (service)", write_questionnaires),
        ("raw reportlab", write_questionnaires_raw),
    )
    for name, write in writers:
        target = out / f"{name.split()[0]}.pdf"
        start = time.perf_counter()
        pages = write(target, survey, homes)
        seconds = time.perf_counter() - start
        results[name] = (seconds, pages, target.stat().st_size)
    base = results["raw reportlab"][0]
    print(f"questionnaire batch, {len(homes)} households:")
    for name, (seconds, pages, size) in results.items():
        print(
            f"  {name:18s} {seconds:6.2f} s  {pages / seconds:7.0f} pages/s  "
            f"{size / 1e6:6.1f} MB  x{seconds / base:.2f} of raw time"
        )
    shutil.rmtree(out)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--responses", type=int, default=200_000)
    parser.add_argument("--batch", type=int, default=3000)
    args = parser.parse_args()
    bench_tallies(args.responses)
    if args.batch:
        db, sid = survey_database(args.responses)
        try:
            bench_batch(db, sid, args.batch)
        finally:
            db.close()
    print(f"peak RSS {rss_mb():.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
