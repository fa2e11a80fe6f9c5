"""Survey failures and their Chinese messages."""

from __future__ import annotations

from collections.abc import Mapping

from app.errors import AppError


class SurveyInvalid(AppError):
    """The survey or a question breaks a designer rule; `errors` maps a field to its message.

    Keys are "title", "scope", "questions" or "q<N>" (question N, 1-based).
    """

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__("；".join(self.errors.values()) or "问卷设置有误")


class QuestionsLocked(AppError):
    """Answers have been entered: the questions can no longer change."""

    def __init__(self, answered: int) -> None:
        super().__init__(
            f"本问卷已录入 {answered} 份答卷，题目不能再修改（可以修改标题、说明和范围）。"
            "如需不同的题目，请另建一份问卷。"
        )
        self.answered = answered


class ScopeConflict(AppError):
    """A scope change would leave entered responses outside the scope."""

    def __init__(self, households: int) -> None:
        super().__init__(f"有 {households} 户已录入答卷但不在新的调查范围内，不能这样缩小范围。")


class SurveyNotOpen(AppError):
    """Answers are entered only while the survey is open."""


class SurveyHasResponses(AppError):
    """Deleting a survey with responses needs the caller's confirmation."""

    def __init__(self, title: str, responses: int) -> None:
        super().__init__(f"问卷“{title}”已录入 {responses} 份答卷，删除问卷将同时删除这些答卷。")
        self.responses = responses


class ResponseInvalid(AppError):
    """An answer sheet breaks a rule; `errors` maps "q<question id>" or a field to a message."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__("；".join(self.errors.values()) or "答卷有误")


class HouseholdNotInScope(AppError):
    """The household looked up is not one of the survey's households."""
