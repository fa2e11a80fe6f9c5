"""Scanned questionnaires: printed, filled in and degraded by the generator, read back.

The accuracy test scores the reader on thousands of marked boxes; the others follow a stack
through the service and the command line (answers saved once, a re-run changes nothing, the
cases that need a person's eye go to review)."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.cli import main
from app.services import Services
from app.surveys import layout as layouts
from app.surveys import paper, scan
from app.surveys.dto import SCAN_CHANNEL, QuestionInput, ScopeItem
from app.surveys.scan_sample import Degrade, SheetTruth, make_scans
from app.surveys.scanning import ANSWER, DUPLICATE, PAGE, ScanService
from db.models import AuditEntry
from db.models.surveys import SurveyAnswerImage, SurveyResponse

COPIER = Degrade()  # the generator's full treatment
CALM = Degrade(blank_every=0, max_angle=2, binarise=0, upside_down=0)


def _survey(services: Services, compounds: int = 1) -> int:
    scope = tuple(ScopeItem(c.id) for c in services.compounds.list_compounds()[:compounds])
    sid = services.surveys.create_survey(services.surveys.template("物业服务满意度调查", scope))
    services.surveys.open_survey(sid)
    return sid


def _stack(
    services: Services,
    sid: int,
    tmp: Path,
    homes: list[int],
    *,
    seed: int = 1,
    how: Degrade = COPIER,
) -> tuple[Path, list[SheetTruth]]:
    printed = tmp / f"printed-{seed}.pdf"
    paper.print_questionnaires(services, sid, printed, household_ids=homes)
    with services.survey_entry.sessions() as s:
        layout = layouts.load(s, sid, 1)
    assert layout is not None
    # Households in print order (the service prints in walking order).
    order = [h.id for h in services.survey_entry.households(sid) if h.id in set(homes)]
    out = tmp / f"scan-{seed}.pdf"
    return out, make_scans(printed, layout, order, out, seed=seed, how=how)


def _counts(services: Services) -> tuple[int, int, int]:
    with services.survey_entry.sessions() as s:
        return (
            s.scalar(select(func.count()).select_from(SurveyResponse)) or 0,
            s.scalar(select(func.count()).select_from(AuditEntry)) or 0,
            s.scalar(select(func.count()).select_from(SurveyAnswerImage)) or 0,
        )


@pytest.mark.slow
def test_reader_accuracy_on_thousands_of_marked_boxes(demo: Services, tmp_path: Path) -> None:
    """≥ 2,000 marked boxes over sheets ticked, crossed and filled with pens of varying width
    and darkness, stray marks, rotated ±10°, skewed, scaled, shifted, blurred, noisy,
    JPEG-compressed, binarised, upside down, with blank backs: ≥ 99.9 % of the boxes of
    accepted answers right, ≤ 2 % of answers to review, no page given to another household."""
    if demo.db.target.url.startswith("postgresql"):
        pytest.skip("the reader does not touch the database engine: measured once, on SQLite")
    sid = _survey(demo, compounds=20)
    homes = [h.id for h in demo.survey_entry.households(sid)][:250]
    assert len(homes) == 250
    layout_of_cache: dict[tuple[int, int], object] = {}
    boxes = marked = wrong = answers = review = pages = wrong_page = blank = unread = 0
    backs = 0
    for part, dpi in enumerate((150, 200)):
        chunk = homes[part * 125 : (part + 1) * 125]
        pdf, truths = _stack(demo, sid, tmp_path, chunk, seed=10 + part, how=Degrade(dpi=dpi))
        with demo.survey_entry.sessions() as s:
            layout = layouts.load(s, sid, 1)
        layout_of_cache[(sid, 1)] = layout
        for (_name, _n, grey), truth in zip(scan.iter_pages([pdf]), truths, strict=True):
            read = scan.read_page(grey, lambda s_, v: layout_of_cache.get((s_, v)))
            if truth.household_id == 0:
                backs += 1
                blank += read.status == "blank"
                continue
            pages += 1
            if read.located is None:
                unread += 1
                continue
            wrong_page += (read.located.household_id, read.located.page) != (
                truth.household_id,
                truth.page,
            )
            for q in read.questions:
                if q.kind in ("text", "number"):
                    continue
                meant = set(truth.marks[q.number])
                answers += 1
                marked += len(meant)
                if q.reason:
                    review += 1
                    continue
                boxes += len(q.fills)
                wrong += sum((i in meant) != (i in q.chosen) for i in range(len(q.fills)))
    assert marked >= 2000, marked
    assert wrong_page == 0
    assert blank == backs > 20  # every blank back seen as such
    accuracy = 1 - wrong / boxes
    to_review = (review + unread * 9) / answers
    print(
        f"\nboxes of accepted answers {boxes}, marked boxes {marked}, wrong {wrong} "
        f"({accuracy:.4%} right); answers {answers}, to review {review} + "
        f"{unread} unreadable pages ({to_review:.2%})"
    )
    assert accuracy >= 0.999
    assert to_review <= 0.02


def test_stack_saved_once_through_answer_entry(demo: Services, tmp_path: Path) -> None:
    sid = _survey(demo)
    homes = [h.id for h in demo.survey_entry.households(sid)][:8]
    pdf, truths = _stack(demo, sid, tmp_path, homes, how=Degrade(blank_every=4))
    scanner = ScanService(demo.survey_entry, demo.surveys)
    before = _counts(demo)
    dry = scanner.read(sid, [pdf])
    assert _counts(demo) == before  # reading saves nothing
    totals = dry.totals()
    assert totals["pages"] == len(truths) and totals["blank"] == 2
    result = scanner.commit(dry)
    sheets, audits, images = _counts(demo)
    clear = {p.household_id for p in dry.pages if p.status == "read"}
    assert result.saved == len(clear) and sheets == before[0] + len(clear)
    assert audits == before[1] + len(clear)  # who and when, one entry per sheet
    qs = {q.number: q for q in demo.surveys.get_survey(sid).questions}
    by_home = {t.household_id: t for t in truths if t.household_id}
    for home in clear:
        assert home is not None
        saved = demo.survey_entry.response(sid, home)
        assert saved is not None and saved.data.channel == SCAN_CHANNEL
        assert saved.entered_by == "tester"
        meant = by_home[home]
        for number, options in meant.marks.items():
            got = saved.data.answers.get(qs[number].id)
            assert (got.choices if got else ()) == options
        written = set(demo.survey_entry.images(sid, home))
        assert written == {qs[n].id for n in meant.written}
    assert images == sum(len(by_home[h].written) for h in clear if h is not None)
    # The same stack again: nothing changes.
    again = scanner.read(sid, [pdf])
    assert again.totals()["unchanged"] == len(clear)
    assert scanner.commit(again).saved == 0
    assert _counts(demo) == (sheets, audits, images)


def test_cli_json_dry_run_and_save(
    demo: Services,
    demo_db: object,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("LOUYUAN_USER", "clerk")  # the command line acts as a signed-in person
    monkeypatch.setenv("LOUYUAN_PASSWORD", "demo1234")
    sid = _survey(demo)
    homes = [h.id for h in demo.survey_entry.households(sid)][:3]
    pdf, truths = _stack(demo, sid, tmp_path, homes, how=Degrade(blank_every=0, max_angle=3))
    url = demo_db.target.url  # type: ignore[attr-defined]
    args = ["--db", url, "survey-scan", str(pdf), "--survey", str(sid), "--json"]
    before = _counts(demo)[0]
    assert main([*args, "--dry-run"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["totals"]["pages"] == 3 and _counts(demo)[0] == before
    page = out["pages"][0]
    assert page["file"] == pdf.name and page["page"] == 1 and page["survey_page"] == 1
    truth = truths[0]
    assert page["household_id"] == truth.household_id
    if not page["review"]:
        assert page["answers"] == {
            str(n): [o + 1 for o in v] for n, v in sorted(truth.marks.items())
        }
    assert main(args) == 0
    saved = json.loads(capsys.readouterr().out)["totals"]
    assert saved["saved"] == _counts(demo)[0] - before == 3 - out["totals"]["to_review"]
    assert main(["--db", url, "survey-scan", str(tmp_path / "无.pdf"), "--survey", str(sid)]) == 1
    assert "找不到文件" in capsys.readouterr().err


def test_review_cases(demo: Services, tmp_path: Path) -> None:
    """Two marks on a single choice, a second sheet, another survey's page, a page whose
    questions changed after printing, an unreadable code: none is guessed."""
    sid = _survey(demo)
    homes = [h.id for h in demo.survey_entry.households(sid)][:2]
    pdf, _truths = _stack(demo, sid, tmp_path, homes, how=CALM)
    scanner = ScanService(demo.survey_entry, demo.surveys)
    # The same stack twice in one run: the second copy of each page is a second sheet.
    run = scanner.read(sid, [pdf, pdf])
    dup = [r for p in run.pages[2:] for r in p.reviews if r.kind == DUPLICATE]
    assert len(dup) == 2 and "两次" in dup[0].reason
    # Two marks on a single-choice question go to review with the question's crop.
    from PIL import Image, ImageDraw

    page = run.pages[0]
    assert page.household_id is not None
    grey = next(scan.iter_pages([pdf]))[2]
    with demo.survey_entry.sessions() as s:
        layout = layouts.load(s, sid, 1)
    assert layout is not None
    located = scan.locate(grey, lambda s_, v: layout)
    assert not isinstance(located, str)
    image = Image.fromarray(grey)
    draw = ImageDraw.Draw(image)
    for _q, _o, x, y, size in [b for b in layout["pages"][0]["boxes"] if b[0] == 1]:
        pts = scan._apply(located.homography, [[x + 1, y + 1], [x + size - 1, y + size - 1]])
        draw.rectangle([tuple(pts.min(axis=0)), tuple(pts.max(axis=0))], fill=0)
    marked = tmp_path / "two.png"
    image.save(marked)
    run = scanner.read(sid, [marked])
    items = run.pages[0].reviews
    assert [(r.kind, r.question_number) for r in items] == [(ANSWER, 1)]
    assert items[0].reason == "单选题选了多项" and items[0].image.startswith(b"\x89PNG")
    assert scanner.commit(run).saved == 0  # undecided: left out
    result = scanner.commit(run, {items[0].key: (2,)})
    assert result.saved == 1
    saved = demo.survey_entry.response(sid, run.pages[0].household_id or 0)
    q1 = demo.surveys.get_survey(sid).questions[0]
    assert saved is not None and saved.data.answers[q1.id].choices == (2,)
    # A household that already has a different sheet: review, kept unless chosen.
    again = scanner.read(sid, [pdf])
    first = next(p for p in again.pages if p.household_id == run.pages[0].household_id)
    assert [r.kind for r in first.reviews] == [DUPLICATE] and "已有答卷" in first.reviews[0].reason


def test_refused_and_unreadable_pages(demo: Services, tmp_path: Path) -> None:
    """Another survey's page and a print whose questions changed since are refused; a code
    that cannot be read goes to review with the whole page."""
    sid = _survey(demo)
    homes = [h.id for h in demo.survey_entry.households(sid)][:1]
    pdf, _truths = _stack(demo, sid, tmp_path, homes, how=CALM)
    scanner = ScanService(demo.survey_entry, demo.surveys)
    grey = next(scan.iter_pages([pdf]))[2]
    from PIL import Image, ImageDraw

    other = _survey(demo)
    refused = scanner.read(other, [pdf])
    assert {p.status for p in refused.pages} == {"refused"}
    assert "另一项调查" in refused.pages[0].message
    data = demo.surveys.get_survey(sid).data
    edited = dataclasses.replace(
        data,
        questions=(QuestionInput("satisfaction5", "改过的题目"), *data.questions[1:]),
    )
    demo.surveys.close_survey(sid)
    try:
        demo.surveys.update_survey(sid, edited)
    except Exception:  # noqa: BLE001 - some states lock the questions; skip that part
        pytest.skip("questions locked")
    demo.surveys.open_survey(sid)
    changed = scanner.read(sid, [pdf])
    assert changed.pages[0].status == "refused" and "题目已修改" in changed.pages[0].message
    # A page whose code cannot be read: review, shown whole.
    Image.new("L", (1240, 1754), 255).save(tmp_path / "blank.png")
    smudged = Image.fromarray(grey)
    w, h = smudged.size
    ImageDraw.Draw(smudged).rectangle([w * 0.6, 0, w, h * 0.3], fill=0)  # coffee on the code
    smudged.save(tmp_path / "smudged.png")
    run = scanner.read(sid, [tmp_path / "blank.png", tmp_path / "smudged.png"])
    assert [p.status for p in run.pages] == ["blank", "review"]
    assert run.pages[1].reviews[0].kind == PAGE and "二维码" in run.pages[1].message


def test_paper_layout_is_versioned(demo: Services, tmp_path: Path) -> None:
    sid = _survey(demo)
    homes = [h.id for h in demo.survey_entry.households(sid)][:1]
    paper.print_questionnaires(demo, sid, tmp_path / "a.pdf", household_ids=homes)
    paper.print_questionnaires(demo, sid, tmp_path / "b.pdf", household_ids=homes)
    detail = demo.surveys.get_survey(sid)
    assert layouts.register(demo.survey_entry.sessions, detail) == 1  # same paper, same version
    data = dataclasses.replace(detail.data, intro=detail.data.intro + "多一行说明。" * 30)
    demo.surveys.close_survey(sid)
    demo.surveys.update_survey(sid, data)
    assert layouts.register(demo.survey_entry.sessions, demo.surveys.get_survey(sid)) == 2
    with demo.survey_entry.sessions() as s:
        first = layouts.load(s, sid, 1)
    assert first is not None and first["marks"] and first["pages"][0]["boxes"]
    # Each box is a square of 5 mm at least, apart from its neighbours.
    boxes = first["pages"][0]["boxes"]
    assert all(b[4] >= 14 for b in boxes)
