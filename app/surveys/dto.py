"""What the survey services hand to callers: frozen dataclasses, never ORM objects."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

# The choice lists, for forms (the window never reaches into db/).
from db.models.surveys import (
    CHANNELS,
    OUTCOMES,
    PAPER_CHANNELS,
    QUESTION_KINDS,
    SCAN_CHANNEL,
    SURVEY_STATUSES,
)

__all__ = [
    "CHANNELS",
    "OUTCOMES",
    "PAPER_CHANNELS",
    "QUESTION_KINDS",
    "SCAN_CHANNEL",
    "SURVEY_STATUSES",
]

KIND_LABELS = {
    "single": "单选",
    "multiple": "多选",
    "satisfaction5": "满意度（五级）",
    "yesno": "是/否",
    "number": "数字",
    "text": "文字",
}
STATUS_LABELS = {"draft": "草稿", "open": "进行中", "closed": "已结束"}
OUTCOME_LABELS = {"answered": "已答卷", "refused": "拒答", "nobody_home": "无人在家"}
SATISFACTION_OPTIONS = ("非常满意", "满意", "一般", "不满意", "非常不满意")
SATISFIED = (0, 1)  # 非常满意, 满意
YESNO_OPTIONS = ("是", "否")
CHOICE_KINDS = ("single", "multiple", "satisfaction5", "yesno")
FIXED_OPTIONS = {"satisfaction5": SATISFACTION_OPTIONS, "yesno": YESNO_OPTIONS}


@dataclass(frozen=True)
class QuestionInput:
    kind: str
    text: str
    required: bool = True
    options: tuple[str, ...] = ()  # single / multiple only

    @property
    def choices(self) -> tuple[str, ...]:
        """The options a clerk picks from (fixed for satisfaction and yes/no)."""
        return FIXED_OPTIONS.get(self.kind, self.options)


@dataclass(frozen=True)
class ScopeItem:
    """A whole compound, or one building of it."""

    compound_id: int
    building_id: int | None = None


@dataclass(frozen=True)
class SurveyInput:
    title: str
    intro: str = ""
    scope: tuple[ScopeItem, ...] = ()
    questions: tuple[QuestionInput, ...] = ()


@dataclass(frozen=True)
class QuestionRow:
    id: int
    number: int  # 1-based, as printed
    data: QuestionInput

    @property
    def choices(self) -> tuple[str, ...]:
        return self.data.choices


@dataclass(frozen=True)
class SurveyRow:
    id: int
    title: str
    status: str
    scope_text: str
    questions: int
    households: int
    answered: int
    refused: int
    nobody_home: int
    created_at: dt.datetime

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def reached(self) -> int:
        return self.answered + self.refused


@dataclass(frozen=True)
class SurveyDetail:
    id: int
    data: SurveyInput
    status: str
    questions: tuple[QuestionRow, ...]
    scope_text: str
    answered: int  # responses with answers: the questions are locked when > 0
    responses: int

    @property
    def questions_locked(self) -> bool:
        return self.answered > 0


@dataclass(frozen=True)
class HouseholdRef:
    id: int
    compound_id: int
    compound_name: str
    building_id: int
    building: str
    unit: str
    room: str
    householder_name: str
    householder_pinyin: str = ""
    householder_initials: str = ""

    @property
    def location(self) -> str:
        unit = f"{self.unit}单元" if self.unit else ""
        return f"{self.building}号楼{unit}{self.room}"

    @property
    def label(self) -> str:
        return f"{self.compound_name} {self.location} {self.householder_name}".strip()

    @property
    def search_text(self) -> str:
        """What a typed filter is matched against: the label, the room written 3-1-101, and
        the householder's 全拼 and 首字母."""
        dashed = "-".join(p for p in (self.building, self.unit, self.room) if p)
        return f"{self.label} {dashed} {self.householder_pinyin} {self.householder_initials}"


@dataclass(frozen=True)
class AnswerValue:
    """One question's answer: ticked options (0-based), a number or a text."""

    choices: tuple[int, ...] = ()
    number: Decimal | None = None
    text: str = ""

    @property
    def empty(self) -> bool:
        return not self.choices and self.number is None and not self.text.strip()


@dataclass(frozen=True)
class ResponseInput:
    survey_id: int
    household_id: int
    outcome: str = "answered"
    channel: str = "入户"
    collected_by: str = ""
    collected_on: dt.date = field(default_factory=dt.date.today)
    answers: Mapping[int, AnswerValue] = field(default_factory=dict)  # question id → answer
    note: str = ""


@dataclass(frozen=True)
class ResponseDetail:
    id: int
    household: HouseholdRef
    data: ResponseInput
    entered_by: str
    entered_at: dt.datetime


@dataclass(frozen=True)
class SavedResponse:
    id: int
    created: bool  # False: an earlier entry of this household was edited


# The columns of CoverageRow.breakdown() and the rate, as every coverage table heads them.
COVERAGE_HEADS = ("住户", "已答卷", "拒答", "无人在家", "未走访", "覆盖率")


@dataclass(frozen=True)
class CoverageRow:
    """Households of one building (or compound, or the whole survey) and how many were reached."""

    compound_id: int | None
    compound_name: str
    building_id: int | None
    building: str
    households: int
    answered: int
    refused: int
    nobody_home: int

    @property
    def reached(self) -> int:
        """Households spoken to: answered or refused (nobody home is not reached)."""
        return self.answered + self.refused

    @property
    def not_reached(self) -> int:
        """Households not spoken to: nobody home, or not called on yet."""
        return self.households - self.reached

    @property
    def not_visited(self) -> int:
        """Households nobody has called on yet (未走访)."""
        return self.households - self.answered - self.refused - self.nobody_home

    def breakdown(self) -> tuple[int, int, int, int, int]:
        """The one coverage breakdown the report, the Excel sheet and the window show:
        住户 = 已答卷 + 拒答 + 无人在家 + 未走访 (each household in exactly one column)."""
        return self.households, self.answered, self.refused, self.nobody_home, self.not_visited

    @property
    def rate(self) -> Decimal:
        return share(self.reached, self.households)


@dataclass(frozen=True)
class Coverage:
    total: CoverageRow
    by_compound: tuple[CoverageRow, ...]
    by_building: tuple[CoverageRow, ...]


@dataclass(frozen=True)
class NotReachedRow:
    household_id: int
    compound_name: str
    building: str
    unit: str
    room: str
    householder_name: str
    phone: str
    state: str  # 未走访 / 无人在家
    last_visit: dt.date | None

    @property
    def location(self) -> str:
        unit = f"{self.unit}单元" if self.unit else ""
        return f"{self.building}号楼{unit}{self.room}"


@dataclass(frozen=True)
class OptionTally:
    label: str
    count: int
    share: Decimal  # of the question's valid answers (respondents for multiple choice)


@dataclass(frozen=True)
class QuestionTally:
    question: QuestionRow
    valid: int  # respondents who answered this question
    options: tuple[OptionTally, ...] = ()
    satisfaction_rate: Decimal | None = None  # satisfaction5 only
    number_sum: Decimal | None = None
    number_min: Decimal | None = None
    number_max: Decimal | None = None

    @property
    def number_mean(self) -> Decimal | None:
        if self.number_sum is None or not self.valid:
            return None
        return (self.number_sum / self.valid).quantize(Decimal("0.01"), ROUND_HALF_UP)


@dataclass(frozen=True)
class BuildingSatisfaction:
    compound_name: str
    building: str
    valid: int
    satisfied: int

    @property
    def rate(self) -> Decimal:
        return share(self.satisfied, self.valid)


@dataclass(frozen=True)
class Results:
    survey_id: int
    title: str
    status: str
    coverage: CoverageRow
    questions: tuple[QuestionTally, ...]
    satisfaction_valid: int  # satisfaction answers over all satisfaction questions
    satisfaction_satisfied: int
    by_building: tuple[BuildingSatisfaction, ...]

    @property
    def satisfaction_rate(self) -> Decimal | None:
        """满意+非常满意 over valid satisfaction answers; None when the survey has none."""
        if not self.satisfaction_valid:
            return None
        return share(self.satisfaction_satisfied, self.satisfaction_valid)


@dataclass(frozen=True)
class GateStatus:
    """Where a fee scheme's survey condition stands."""

    survey_id: int
    title: str
    satisfaction_rate: Decimal | None
    satisfaction_valid: int
    threshold: Decimal
    coverage: Decimal
    min_coverage: Decimal
    met: bool
    message: str


def share(part: int, whole: int) -> Decimal:
    """part / whole to four places (0.6667), half-up; 0 when there is no whole."""
    if not whole:
        return Decimal(0)
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"), ROUND_HALF_UP)


def percent(value: Decimal | None) -> str:
    """0.6667 → "66.7%"; None → "—"."""
    if value is None:
        return "—"
    return f"{(value * 100).quantize(Decimal('0.1'), ROUND_HALF_UP)}%"


@dataclass(frozen=True)
class RawSheet:
    """One entered sheet for the raw-answers export: place, visit and answers as text."""

    compound_name: str
    building: str
    unit: str
    room: str
    householder_name: str
    outcome: str
    channel: str
    collected_by: str
    collected_on: dt.date
    answers: Mapping[int, str]  # question id → "满意" / "保洁、安保" / "3" / free text
