"""Dashboard figures on the 200,000-household database with one month billed everywhere (two
thirds paid) and a survey of 200,000 sheets: collection per compound and survey coverage and
satisfaction, against raw sqlite3 running the same GROUP BYs.

Run: PYTHONPATH=. .venv/bin/python bench/bench_dashboard.py
"""

from __future__ import annotations

import shutil
import sqlite3
import time
from pathlib import Path

from app.audit import Actor
from app.config import DatabaseTarget, to_url
from app.database import open_database
from app.services import Services
from bench.bench_surveys import survey_database
from bench.common import BENCH_DIR, timed

PERIOD = "2030-01"


def _database() -> Path:
    path = BENCH_DIR / "dashboard200000.sqlite3"
    if path.exists():
        return path
    survey_database(200_000)[0].close()
    shutil.copyfile(BENCH_DIR / "surveys200000.sqlite3", path)
    # Raw inserts: the same rows a billing run writes (0.45 元/㎡, no exemptions), made without
    # the fee services so the bench does not depend on the scheme form of the day.
    start = time.perf_counter()
    conn = sqlite3.connect(path)
    with conn:
        conn.execute(
            "INSERT INTO fee_scheme (compound_id, name, price_milli, cap_milli, over_cap_reason, "
            "start_month, cycle, transition_months, due_days, manager_name, manager_contact, "
            "office, pay_ways, service_basis, resolution_note, state, state_reason, created_at) "
            "SELECT id, '', 450, 500, '', '2029-01', '月', 0, 30, '', '', '', '现金', '', '', "
            "'active', 'bench', '2029-01-01' FROM compound"
        )
        conn.execute(
            "INSERT INTO fee_charge (household_id, scheme_id, compound_id, period, months, "
            "area_centi, price_milli, gross_fen, discount_fen, discount_note, amount_fen, "
            "paid_fen, due_date, created_at) "
            "SELECT h.id, s.id, h.compound_id, ?, 1, h.area_centi, 450, "
            "(h.area_centi * 45 + 50) / 100, 0, '', (h.area_centi * 45 + 50) / 100, 0, "
            "'2030-01-31', '2030-01-01' FROM household h JOIN fee_scheme s "
            "ON s.compound_id = h.compound_id ORDER BY h.id",
            (PERIOD,),
        )
        # two thirds paid (charges only: the figures read nothing else)
        conn.execute("UPDATE fee_charge SET paid_fen = amount_fen WHERE id % 3 != 0")
    conn.close()
    print(f"billed and paid in {time.perf_counter() - start:.1f} s -> {path}")
    return path


def main() -> None:
    path = _database()
    db = open_database(DatabaseTarget(to_url(path)))
    services = Services.build(db, Actor("bench", "admin"))
    board = services.dashboard
    raw = sqlite3.connect(str(path))
    charges = raw.execute("SELECT count(*) FROM fee_charge").fetchone()[0]
    sheets = raw.execute("SELECT count(*) FROM survey_response").fetchone()[0]
    print(f"{charges} charges, {sheets} survey sheets")
    fees = timed(board.fees_by_compound)[0]
    raw_fees = timed(
        lambda: raw.execute(
            "SELECT c.id, c.name, sum(f.amount_fen), sum(f.paid_fen), count(DISTINCT CASE WHEN "
            "f.amount_fen > f.paid_fen THEN f.household_id END) FROM compound c JOIN fee_charge f "
            "ON f.compound_id = c.id GROUP BY c.id, c.name ORDER BY c.name, c.id"
        ).fetchall()
    )[0]
    print(
        f"collection by compound ({len(board.fees_by_compound())} compounds): {fees:.1f} ms vs "
        f"raw sqlite3 {raw_fees:.1f} ms ({fees / raw_fees:.1f}x)"
    )
    surveys = timed(board.surveys)[0]

    def raw_surveys() -> None:
        raw.execute(
            "SELECT survey_id, outcome, count(*) FROM survey_response GROUP BY survey_id, outcome"
        ).fetchall()
        raw.execute(
            "SELECT q.survey_id, sum(CASE WHEN t.choice = -1 THEN t.n ELSE 0 END), "
            "sum(CASE WHEN t.choice IN (0, 1) THEN t.n ELSE 0 END) FROM survey_tally t "
            "JOIN survey_question q ON q.id = t.question_id WHERE q.kind = 'satisfaction5' "
            "GROUP BY q.survey_id"
        ).fetchall()
        for (sid,) in raw.execute("SELECT id FROM survey").fetchall():
            raw.execute(
                "SELECT count(*) FROM household WHERE compound_id IN "
                "(SELECT compound_id FROM survey_scope WHERE survey_id = ?)",
                (sid,),
            ).fetchone()

    raw_s = timed(raw_surveys)[0]
    print(
        f"survey coverage and satisfaction ({len(board.surveys())} surveys): {surveys:.1f} ms vs "
        f"raw sqlite3 {raw_s:.1f} ms ({surveys / raw_s:.1f}x)"
    )
    import datetime as dt

    brief = timed(
        lambda: services.governance.brief.draft(dt.date(2020, 1, 1), dt.date(2030, 12, 31)), 3
    )[0]
    print(f"whole work brief draft (with the fee and survey paragraph): {brief:.0f} ms")
    raw.close()
    db.close()


if __name__ == "__main__":
    main()
