"""Fee benchmarks: a billing run over 200,000 households against a plain sqlite3 insert of
the same charges; 10,000 fee notices against raw reportlab canvas drawing the same text.

Run: PYTHONPATH=. .venv/bin/python bench/bench_fees.py [households] [notices] [billing,notices]
"""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from app.audit import Actor
from app.config import DatabaseTarget, to_url
from app.database import open_database
from app.documents.fees_notices import write_notices
from app.documents.pdf import FONT, PAGE_HEIGHT, PAGE_WIDTH, register_font
from app.fees.dto import SchemeInput
from app.fees.notices import NoticeItem
from app.money import format_yuan, in_words
from app.services import Services
from bench.common import BENCH_DIR, bench_database

PERIOD = "2030-01"
HISTORY = ("2029-11", "2029-12")


def _copy(households: int) -> Path:
    source = bench_database(households)
    source.close()
    target = Path(tempfile.mkdtemp(dir=BENCH_DIR)) / "fees.sqlite3"
    shutil.copyfile(BENCH_DIR / f"bench{households}.sqlite3", target)
    return target


CHARGE_COLUMNS = (
    "household_id, scheme_id, compound_id, period, months, area_centi, price_milli, "
    "gross_fen, discount_fen, discount_note, amount_fen, paid_fen, due_date, created_at"
)


def _delete_period(path: Path) -> list[tuple[object, ...]]:
    """The period's charges (as the run wrote them), then removed so it can be billed again."""
    conn = sqlite3.connect(path)
    rows = conn.execute(
        f"SELECT {CHARGE_COLUMNS} FROM fee_charge WHERE period = ? ORDER BY id", (PERIOD,)
    ).fetchall()
    conn.execute(
        "DELETE FROM fee_allocation WHERE charge_id IN "
        "(SELECT id FROM fee_charge WHERE period = ?)",
        (PERIOD,),
    )
    conn.execute("DELETE FROM fee_charge WHERE period = ?", (PERIOD,))
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return rows


def _plain_insert(path: Path, rows: list[tuple[object, ...]]) -> float:
    conn = sqlite3.connect(path)
    start = time.perf_counter()
    marks = ", ".join("?" * 14)
    with conn:
        conn.executemany(f"INSERT INTO fee_charge ({CHARGE_COLUMNS}) VALUES ({marks})", rows)
    took = time.perf_counter() - start
    conn.close()
    return took


def bench_billing(path: Path, rounds: int = 3) -> None:
    """Our runs and the plain insert take turns on the same file, `rounds` times each; the
    best of each is compared (this machine's timings wander by half from one minute to the
    next)."""
    db = open_database(DatabaseTarget(to_url(path)))
    services = Services.build(db, Actor("bench", "admin"))
    fees = services.fees
    compounds = fees.ledger.compounds()
    for cid, _name in compounds:
        if fees.schemes.running_scheme(cid) is None:
            fees.schemes.create_active(
                SchemeInput(compound_id=cid, price="0.45", start_month="2029-01"), "bench"
            )
    # Two months already billed, as in a compound that has been collecting for a while: the
    # run must find what is billed among them.
    for earlier in HISTORY:
        for cid, _name in compounds:
            fees.billing.run(cid, earlier)
    ours, plain, idempotent = [], [], []
    for _ in range(rounds):
        start = time.perf_counter()
        charges = total = 0
        for cid, _name in compounds:
            result = fees.billing.run(cid, PERIOD)
            charges += result.charges
            total += result.total_fen
        ours.append(time.perf_counter() - start)
        again = time.perf_counter()
        for cid, _name in compounds:
            fees.billing.run(cid, PERIOD)
        idempotent.append(time.perf_counter() - again)
        rows = _delete_period(path)
        plain.append(_plain_insert(path, rows))
        _delete_period(path)
    for cid, _name in compounds:  # billed again, for the notices
        fees.billing.run(cid, PERIOD)
    db.close()
    print(
        f"billing: {charges} charges over {len(compounds)} compounds, "
        f"total {format_yuan(total)} 元 ({len(HISTORY)} earlier months already billed; "
        f"best of {rounds} rounds each)"
    )
    print(f"  billing run (read households, rules, bulk insert): {min(ours):.2f} s")
    print(f"  plain sqlite3 executemany of the same {len(rows)} rows:  {min(plain):.2f} s")
    print(
        f"  ratio {min(ours) / min(plain):.2f}x (budget 2x); second run (idempotent, nothing "
        f"new): {min(idempotent):.2f} s"
    )
    print("  rounds: ours " + ", ".join(f"{t:.2f}" for t in ours))
    print("          plain " + ", ".join(f"{t:.2f}" for t in plain))


def _raw_notices(path: Path, items: list[NoticeItem]) -> None:
    """The same notice drawn by a hand-written canvas program (one page per notice, the same
    strings, left- or right-aligned as on our page, no measuring or line breaking), on
    reportlab's own Canvas (not ours, which writes pages as it goes)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    register_font()
    canvas = Canvas(str(path), pagesize=A4, pageCompression=1, initialFontName=FONT)
    today = dt.date.today()
    for it in items:
        y = PAGE_HEIGHT - 60
        canvas.setFont(FONT, 25.5)
        canvas.drawCentredString(PAGE_WIDTH / 2, y, "物业费缴费通知单")
        canvas.setFont(FONT, 15)
        earlier = "；".join(f"{label} ¥{format_yuan(fen)}" for label, fen in it.earlier)
        yuan = format_yuan
        rows: list[tuple[str, str]] = [
            (f"编号：{it.number}", f"开具日期：{today:%Y年%m月%d日}"),
            (f"楼院：{it.compound_name}", ""),
            (f"房号：{it.location}　户主：{it.householder_name}", f"计费期间：{it.period_text}"),
            (f"计算：建筑面积 {it.area_centi / 100:.2f} ㎡ × 单价 {it.price_text} 元/㎡·月 × "
             f"{it.months} 个月 = ¥{yuan(it.gross_fen)}", ""),
            (f"本期应缴：¥{yuan(it.amount_fen)}（大写：{in_words(it.amount_fen)}）", ""),
            (f"往期欠费：{earlier}，共 ¥{yuan(it.earlier_fen)}", ""),
            (f"合计应缴：¥{yuan(it.total_fen)}（大写：{in_words(it.total_fen)}）", ""),
            (f"请于 {it.due_date:%Y年%m月%d日} 前缴清。缴费方式：{it.pay_ways}", ""),
            (f"缴费地点：{it.office}", f"联系电话：{it.manager_contact}"),
            ("说明：本通知按公示的收费方案计算，如有疑问请到物业服务中心或社区居委会咨询。", ""),
            ("", it.manager_name),
            ("回执（缴费时交回，由收费处留存）", ""),
            (f"编号：{it.number}", f"计费期间：{it.period_text}"),
            (f"房号：{it.location}　户主：{it.householder_name}",
             f"合计应缴：¥{yuan(it.total_fen)}"),
            ("实缴金额：¥__________", "缴费日期：____年__月__日　收款人：______"),
        ]  # fmt: skip
        if it.discount_fen:
            rows.append((f"减免：{it.discount_note} −¥{yuan(it.discount_fen)}", ""))
        if it.paid_fen:
            rows.append((f"已缴：¥{yuan(it.paid_fen)}", ""))
        for left, right in rows:
            y -= 30
            if left:
                canvas.drawString(50, y, left)
            if right:
                canvas.drawRightString(PAGE_WIDTH - 50, y, right)
        canvas.line(50, PAGE_HEIGHT - 70, PAGE_WIDTH - 50, PAGE_HEIGHT - 70)
        canvas.line(30, 300, 560, 300)
        canvas.showPage()
    canvas.save()


def bench_notices(path: Path, count: int) -> None:
    db = open_database(DatabaseTarget(to_url(path)))
    docs = Services.build(db, Actor("bench", "admin")).fees.documents
    ids: list[int] = []
    for cid, _name in Services.build(db, Actor("bench", "admin")).fees.ledger.compounds():
        ids += docs.notice_ids(cid, PERIOD)
        if len(ids) >= count:
            break
    ids = ids[:count]
    start = time.perf_counter()
    items = [item for batch in docs.notices(ids) for item in batch]
    fetch = time.perf_counter() - start
    out = path.parent
    # Warm both sides up (lazy imports, font registration) so neither pays it in the timing.
    write_notices(out / "warm.pdf", [items[:20]], 20, per_page=1)
    _raw_notices(out / "warm_raw.pdf", items[:20])
    ours_runs, raw_runs = [], []
    for _ in range(2):  # taking turns; the best of each
        start = time.perf_counter()
        write_notices(out / "ours.pdf", [items], len(items), per_page=1)
        ours_runs.append(time.perf_counter() - start)
        start = time.perf_counter()
        _raw_notices(out / "raw.pdf", items)
        raw_runs.append(time.perf_counter() - start)
    ours, raw = min(ours_runs), min(raw_runs)
    start = time.perf_counter()
    write_notices(out / "ours_batched.pdf", docs.notices(ids), len(ids), per_page=1)
    end_to_end = time.perf_counter() - start
    print(f"notices: {len(items)} one-page notices")
    print(
        f"  ours (write_notices): {ours:.2f} s, {len(items) / ours:.0f} pages/s, "
        f"{(out / 'ours.pdf').stat().st_size / len(items) / 1024:.1f} KB/page"
    )
    print(f"  raw canvas, same text: {raw:.2f} s; ratio {ours / raw:.2f}x (budget 1.3x)")
    print(f"  fetch of the items: {fetch:.2f} s; end to end with batched fetch: {end_to_end:.2f} s")
    for n in (len(ids) // 5, len(ids)):
        tracemalloc.start()
        write_notices(out / "mem.pdf", docs.notices(ids[:n]), n, per_page=3)
        peak = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
        print(f"  peak Python memory for {n} notices (3 per page, batched): {peak:.1f} MB")
    db.close()


def main() -> None:
    households = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    notices = int(sys.argv[2]) if len(sys.argv) > 2 else 10_000
    parts = sys.argv[3].split(",") if len(sys.argv) > 3 else ["billing", "notices"]
    path = _copy(households)
    try:
        bench_billing(path, rounds=3 if "billing" in parts else 1)
        if "notices" in parts:
            bench_notices(path, notices)
    finally:
        shutil.rmtree(path.parent, ignore_errors=True)


if __name__ == "__main__":
    main()
