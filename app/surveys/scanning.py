"""Use cases of scanned questionnaires: read a stack of scanned pages into answers per
household, list what needs a person's eye, and save the sheets through the answer-entry
service (channel 纸质扫描, one transaction for the whole run).

A run is read first (`read`), reviewed (the window's review screen, or nobody on the command
line), then saved (`commit`). Saving the same stack twice changes nothing: a sheet equal to
the household's scanned answers is left alone.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from app.audit import Actor
from app.jobs import IsCancelled, Progress, check_cancelled, never_cancelled, no_progress
from app.surveys import layout as layouts
from app.surveys import scan
from app.surveys.dto import (
    SCAN_CHANNEL,
    AnswerValue,
    HouseholdRef,
    QuestionRow,
    ResponseInput,
    SurveyDetail,
)
from app.surveys.entry import EntryService

# What a review item asks: an answer's options, or whether a second sheet replaces the first;
# "page" items (a code that does not decode, a household outside the scope) only inform.
ANSWER, DUPLICATE, PAGE = "answer", "duplicate", "page"


@dataclass(frozen=True)
class ReviewItem:
    key: str  # unique in the run: "<page index>:<question number>" or "<page index>:page"
    page_index: int
    kind: str  # ANSWER, DUPLICATE or PAGE
    reason: str
    image: bytes  # PNG: the question's area, or the page
    question_number: int = 0
    question_text: str = ""
    options: tuple[str, ...] = ()
    multiple: bool = False
    read: tuple[int, ...] = ()  # options read as clearly marked


@dataclass
class ScannedPage:
    """One page of the stack; `status`: read, unchanged, review, blank or refused."""

    file: str
    page: int
    status: str
    household_id: int | None = None
    household: str = ""
    survey_page: int | None = None
    questions: tuple[int, ...] = ()  # numbers of the questions printed on this page
    answers: dict[int, tuple[int, ...]] = field(default_factory=dict)  # by question number
    images: dict[int, bytes] = field(default_factory=dict)  # by question number
    reviews: list[ReviewItem] = field(default_factory=list)
    message: str = ""


@dataclass
class ScanRun:
    survey_id: int
    pages: list[ScannedPage]

    @property
    def reviews(self) -> list[ReviewItem]:
        return [item for p in self.pages for item in p.reviews]

    def totals(self) -> dict[str, int]:
        count = {s: 0 for s in ("read", "unchanged", "review", "blank", "refused")}
        for p in self.pages:
            count[p.status] += 1
        return {
            "pages": len(self.pages),
            "read": count["read"] + count["unchanged"],
            "unchanged": count["unchanged"],
            "to_review": count["review"],
            "blank": count["blank"],
            "refused": count["refused"],
        }


@dataclass(frozen=True)
class CommitResult:
    saved: int  # households whose sheet was written
    unchanged: int  # households whose sheet already said this
    skipped_pages: int  # pages left out (undecided reviews, refused, second sheets kept)


# A review decision: the options for an ANSWER item, True (use this sheet) for DUPLICATE.
Decision = tuple[int, ...] | bool


class ScanService:
    def __init__(self, entry: EntryService, survey: Any) -> None:
        self._entry = entry
        self._surveys = survey  # SurveyService (get_survey)

    @property
    def _sessions(self) -> sessionmaker[Session]:
        return self._entry.sessions

    @property
    def actor(self) -> Actor:
        return self._entry.actor

    def read(
        self,
        survey_id: int,
        paths: Sequence[Path | str],
        progress: Progress = no_progress,
        cancelled: IsCancelled = never_cancelled,
    ) -> ScanRun:
        """Read every page of the files (PDF or images); nothing is saved.

        Raises:
            NotFound: no such survey. scan.ScanError: a file that cannot be read.
        """
        survey = self._surveys.get_survey(survey_id)
        if not paths:
            raise scan.ScanError("请选择扫描文件（PDF 或图片）")
        total = scan.count_pages(paths)
        ctx = _Context(self, survey)
        pages: list[ScannedPage] = []
        for done, (name, number, grey) in enumerate(scan.iter_pages(paths), start=1):
            check_cancelled(cancelled)
            pages.append(ctx.page(len(pages), name, number, grey))
            progress(done, total)
        return ScanRun(survey_id, pages)

    def commit(self, run: ScanRun, decisions: Mapping[str, Decision] | None = None) -> CommitResult:
        """Save the run's sheets in one transaction. Pages with a review item not decided
        in `decisions` are left out, as are refused pages and second sheets not chosen.

        Raises:
            SurveyNotOpen, HouseholdNotInScope, ResponseInvalid (nothing saved).
        """
        decisions = decisions or {}
        survey = self._surveys.get_survey(run.survey_id)
        by_number = {q.number: q for q in survey.questions}
        per_home: dict[int, list[ScannedPage]] = {}
        skipped = 0
        for p in run.pages:
            if p.status in ("blank", "unchanged"):
                continue
            answers = _decided(p, decisions)
            if p.household_id is None or answers is None:
                skipped += 1
                continue
            per_home.setdefault(p.household_id, []).append(p)
        items: list[tuple[ResponseInput, Mapping[int, bytes]]] = []
        for home, home_pages in per_home.items():
            item = self._sheet(run.survey_id, home, home_pages, decisions, by_number)
            if item is not None:
                items.append(item)
        unchanged = len(per_home) - len(items)
        if items:
            self._entry.save_many(items)
        return CommitResult(len(items), unchanged, skipped)

    def _sheet(
        self,
        survey_id: int,
        home: int,
        pages: list[ScannedPage],
        decisions: Mapping[str, Decision],
        by_number: Mapping[int, QuestionRow],
    ) -> tuple[ResponseInput, Mapping[int, bytes]] | None:
        """The household's sheet with these pages merged in; None when it says that already."""
        old = self._entry.response(survey_id, home)
        old_images = self._entry.images(survey_id, home) if old else {}
        keep = old is not None and old.data.outcome == "answered"
        answers: dict[int, AnswerValue] = dict(old.data.answers) if old and keep else {}
        images = dict(old_images)
        for p in pages:
            chosen = _decided(p, decisions) or {}
            for number in (n for n in p.questions if n in by_number):
                q = by_number[number]
                answers.pop(q.id, None)
                images.pop(q.id, None)
                if chosen.get(number):
                    answers[q.id] = AnswerValue(tuple(sorted(chosen[number])))
                if number in p.images:
                    images[q.id] = p.images[number]
        if (
            old is not None
            and old.data.channel == SCAN_CHANNEL
            and keep
            and _same(old.data.answers, answers)
            and _digests(old_images) == _digests(images)
        ):
            return None
        data = ResponseInput(
            survey_id,
            home,
            outcome="answered",
            channel=SCAN_CHANNEL,
            collected_by=old.data.collected_by if old else "",
            collected_on=old.data.collected_on if old else dt.date.today(),
            answers=answers,
            note=old.data.note if old else "",
        )
        return data, images


def _decided(
    p: ScannedPage, decisions: Mapping[str, Decision]
) -> dict[int, tuple[int, ...]] | None:
    """The page's answers with its review items decided; None while one is open, or when
    the page is not to be saved (refused, second sheet kept, page-level problem)."""
    if p.status == "refused":
        return None
    answers = dict(p.answers)
    for item in p.reviews:
        decision = decisions.get(item.key)
        if item.kind == PAGE or decision is None:
            return None
        if item.kind == DUPLICATE:
            if decision is not True:
                return None
        elif isinstance(decision, tuple):
            answers[item.question_number] = decision
        else:
            return None
    return answers


def _same(a: Mapping[int, AnswerValue], b: Mapping[int, AnswerValue]) -> bool:
    def norm(m: Mapping[int, AnswerValue]) -> dict[int, tuple[Any, ...]]:
        return {
            k: (tuple(sorted(v.choices)), v.number, v.text.strip())
            for k, v in m.items()
            if not v.empty
        }

    return norm(a) == norm(b)


def _digests(images: Mapping[int, bytes]) -> dict[int, str]:
    return {k: hashlib.sha256(v).hexdigest() for k, v in images.items()}


class _Context:
    """What reading one run needs to know: layouts, the scope, the households' sheets."""

    def __init__(self, service: ScanService, survey: SurveyDetail) -> None:
        self.service = service
        self.survey = survey
        self.by_number = {q.number: q for q in survey.questions}
        self.homes: dict[int, HouseholdRef] = {
            h.id: h for h in service._entry.households(survey.id)
        }
        self._layouts: dict[tuple[int, int], dict[str, Any] | None] = {}
        self.seen: set[tuple[int, int]] = set()

    def layout_of(self, survey_id: int, version: int) -> dict[str, Any] | None:
        key = (survey_id, version)
        if key not in self._layouts:
            with self.service._sessions() as s:
                self._layouts[key] = layouts.load(s, survey_id, version)
        return self._layouts[key]

    def page(self, index: int, name: str, number: int, grey: scan.Grey) -> ScannedPage:
        read = scan.read_page(grey, self.layout_of)
        p = ScannedPage(name, number, "read")
        if read.status == "blank":
            p.status = "blank"
            p.message = "空白页"
            return p
        if read.located is None or read.status != "read":
            if read.located is not None and read.located.survey_id != self.survey.id:
                return self._refuse(p, read.located.survey_id)
            p.status = "review"
            p.message = read.reason
            p.reviews.append(ReviewItem(f"{index}:page", index, PAGE, read.reason, read.thumbnail))
            return p
        return self._located(index, p, read, grey)

    def _located(
        self, index: int, p: ScannedPage, read: scan.PageRead, grey: scan.Grey
    ) -> ScannedPage:
        loc = read.located
        assert loc is not None
        p.household_id, p.survey_page = loc.household_id, loc.page
        if loc.survey_id != self.survey.id:
            return self._refuse(p, loc.survey_id)
        layout = self.layout_of(loc.survey_id, loc.layout)
        assert layout is not None
        spec = layout["pages"][loc.page - 1]
        p.questions = tuple(int(a[0]) for a in spec["areas"])
        changed = layouts.changed_questions(layout, self.survey)
        if changed:
            p.status = "refused"
            p.message = (
                "这页问卷打印后题目已修改（第"
                + "、".join(str(n) for n in changed)
                + "题），不能自动读取，请手工录入"
            )
            return p
        home = self.homes.get(loc.household_id)
        if home is None:
            p.status = "review"
            p.message = "该住户不在本次调查范围内"
            p.reviews.append(
                ReviewItem(f"{index}:page", index, PAGE, p.message, scan.thumbnail(grey))
            )
            return p
        p.household = home.label
        for q in read.questions:
            if q.kind in ("text", "number"):
                if q.image:
                    p.images[q.number] = q.image
                continue
            if not q.reason:
                p.answers[q.number] = q.chosen
                continue
            row = self.by_number[q.number]
            p.reviews.append(
                ReviewItem(
                    f"{index}:{q.number}",
                    index,
                    ANSWER,
                    q.reason,
                    q.image,
                    q.number,
                    row.data.text,
                    row.choices,
                    row.data.kind == "multiple",
                    q.chosen,
                )
            )
        self._second_sheet(index, p, grey)
        if p.reviews:
            p.status = "review"
            p.message = "；".join(dict.fromkeys(r.reason for r in p.reviews))
        return p

    def _refuse(self, p: ScannedPage, other: int) -> ScannedPage:
        p.status = "refused"
        p.household_id = None
        p.message = f"这页属于另一项调查（编号 {other}），不是“{self.survey.data.title}”"
        return p

    def _second_sheet(self, index: int, p: ScannedPage, grey: scan.Grey) -> None:
        """A second sheet of the same page in this run, or a household whose existing
        sheet says something else on this page's questions, goes to review; the same
        scanned answers again are "unchanged"."""
        assert p.household_id is not None and p.survey_page is not None
        key = (p.household_id, p.survey_page)
        if key in self.seen:
            reason = "同一住户的这页问卷在本批中出现了两次"
            p.reviews.append(ReviewItem(f"{index}:dup", index, DUPLICATE, reason, b""))
            return
        self.seen.add(key)
        old = self.service._entry.response(self.survey.id, p.household_id)
        if old is None:
            return
        mine = set(p.questions)
        old_vals = {
            q.number: tuple(sorted(old.data.answers[q.id].choices))
            for q in self.survey.questions
            if q.number in mine and q.id in old.data.answers and not old.data.answers[q.id].empty
        }
        old_images = _digests(self.service._entry.images(self.survey.id, p.household_id))
        old_imgs = {
            q.number: old_images[q.id]
            for q in self.survey.questions
            if q.number in mine and q.id in old_images
        }
        new_vals = {n: c for n, c in p.answers.items() if c}
        if (
            old.data.channel == SCAN_CHANNEL
            and old.data.outcome == "answered"
            and not p.reviews
            and old_vals == new_vals
            and old_imgs == _digests(p.images)
        ):
            p.status = "unchanged"
            p.message = "与已导入的答卷相同"
            return
        if old.data.outcome == "answered" and not old_vals and not old_imgs:
            return  # another page of the same sheet was scanned earlier: merge
        who = f"{old.entered_by} {old.entered_at:%Y-%m-%d}"
        reason = f"该户已有答卷（{old.data.channel}，{who}录入）"
        p.reviews.append(ReviewItem(f"{index}:dup", index, DUPLICATE, reason, b""))
