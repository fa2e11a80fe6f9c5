"""Files a survey produces, for the window's buttons and the CLI alike: questionnaires,
the results report, the not-reached list (PDF) and the results workbook (.xlsx)."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from app.auth import Permission, disclose, require
from app.documents.survey_questionnaire import write_questionnaires
from app.documents.survey_report import write_not_reached, write_results_report
from app.jobs import IsCancelled, Progress, never_cancelled, no_progress
from app.services import Services
from app.surveys.export import write_not_reached_workbook, write_results_workbook


def print_questionnaires(
    services: Services,
    survey_id: int,
    out: Path | str,
    *,
    household_ids: Collection[int] | None = None,
    progress: Progress = no_progress,
    cancelled: IsCancelled = never_cancelled,
) -> int:
    """One questionnaire per household of the scope (or of `household_ids`); pages."""
    survey = services.surveys.get_survey(survey_id)
    homes = services.survey_entry.households(survey_id)
    if household_ids is not None:
        wanted = set(household_ids)
        homes = [h for h in homes if h.id in wanted]
    return write_questionnaires(out, survey, homes, progress, cancelled)


def print_report(services: Services, survey_id: int, out: Path | str) -> int:
    """The results report with charts; pages."""
    survey = services.surveys.get_survey(survey_id)
    results = services.survey_results.results(survey_id)
    coverage = services.survey_results.coverage(survey_id)
    return write_results_report(out, results, coverage, survey.scope_text)


def print_not_reached(
    services: Services, survey_id: int, out: Path | str, *, unmasked: bool = False
) -> int:
    if unmasked:
        require(services.actor, Permission.UNMASKED_OUTPUT)
    survey = services.surveys.get_survey(survey_id)
    rows = services.survey_results.not_reached(survey_id)
    pages = write_not_reached(out, survey.data.title, rows, unmasked=unmasked)
    if unmasked:
        _disclosed(services, survey_id, out, len(rows), "未走访住户名单")
    return pages


def _disclosed(services: Services, survey_id: int, out: Path | str, rows: int, what: str) -> None:
    disclose(
        services.db.sessions, services.actor, entity="survey",
        after={"survey_id": survey_id, "households": rows},
        note=f"导出未打码的{what}：{Path(out).name}",
    )  # fmt: skip


def export_results(
    services: Services, survey_id: int, out: Path | str, *, unmasked: bool = False
) -> int:
    """The results workbook; returns the number of sheets entered."""
    if unmasked:
        require(services.actor, Permission.UNMASKED_OUTPUT)
    results = services.survey_results.results(survey_id)
    sheets = services.survey_results.sheets(survey_id)
    not_reached = services.survey_results.not_reached(survey_id)
    write_results_workbook(
        out,
        results,
        sheets,
        services.survey_results.coverage(survey_id),
        not_reached,
        unmasked=unmasked,
    )
    if unmasked:
        _disclosed(services, survey_id, out, len(not_reached), "调查结果（含未走访住户电话）")
    return len(sheets)


def export_not_reached(
    services: Services, survey_id: int, out: Path | str, *, unmasked: bool = False
) -> int:
    if unmasked:
        require(services.actor, Permission.UNMASKED_OUTPUT)
    rows = services.survey_results.not_reached(survey_id)
    write_not_reached_workbook(out, rows, unmasked=unmasked)
    if unmasked:
        _disclosed(services, survey_id, out, len(rows), "未走访住户名单")
    return len(rows)
