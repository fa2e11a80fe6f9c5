"""Versioned paper layouts: each print of a survey's questionnaires stores (or reuses) the
geometry of its pages, so scanned sheets are read with the layout they were printed with."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from app.surveys.dto import SurveyDetail
from db.models.surveys import SurveyLayout

Layout = dict[str, Any]


def register(sessions: sessionmaker[Session], survey: SurveyDetail) -> int:
    """The version number of this survey's current paper; a new version when it changed."""
    from app.documents.survey_questionnaire import paper_layout

    layout = paper_layout(survey)
    text = json.dumps(layout, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    digest = hashlib.sha256(text.encode()).hexdigest()
    with sessions.begin() as s:
        found = s.scalar(
            select(SurveyLayout.version).where(
                SurveyLayout.survey_id == survey.id, SurveyLayout.digest == digest
            )
        )
        if found is not None:
            return found
        last = s.scalar(
            select(func.max(SurveyLayout.version)).where(SurveyLayout.survey_id == survey.id)
        )
        version = (last or 0) + 1
        s.add(
            SurveyLayout(
                survey_id=survey.id,
                version=version,
                digest=digest,
                layout=text,
                created_at=dt.datetime.now(),
            )
        )
        return version


def load(s: Session, survey_id: int, version: int) -> Layout | None:
    text = s.scalar(
        select(SurveyLayout.layout).where(
            SurveyLayout.survey_id == survey_id, SurveyLayout.version == version
        )
    )
    return None if text is None else dict(json.loads(text))


def changed_questions(layout: Layout, survey: SurveyDetail) -> list[int]:
    """Numbers (as printed) of the layout's questions whose wording, kind or options differ
    from the survey's today, or that are gone."""
    now = {q.id: q for q in survey.questions}
    changed: list[int] = []
    for printed in layout["questions"]:
        q = now.get(printed["id"])
        if (
            q is None
            or q.data.kind != printed["kind"]
            or q.data.text != printed["text"]
            or list(q.choices) != printed["choices"]
        ):
            changed.append(int(printed["number"]))
    return changed
