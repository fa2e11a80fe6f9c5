"""居民议事: deliberation meetings and their resolutions with votes."""

from __future__ import annotations

from dataclasses import asdict

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app import audit
from app.errors import NotFound
from app.governance.dto import MeetingInput, MeetingRow, ResolutionInput, ResolutionRow
from app.governance.errors import need
from app.governance.organisations import GovernanceBase, compound_names
from app.text import fold
from db.models import MEETING_KINDS, Compound, Meeting, Resolution


def is_passed(votes_for: int, attendance: int) -> bool:
    """A resolution passes when more than half of those attending vote for it (过半数)."""
    return votes_for * 2 > attendance


def clean_meeting(data: MeetingInput) -> MeetingInput:
    """The input with text folded; raises GovernanceError on a broken rule."""
    topic = fold(data.topic)
    need(bool(topic), "请填写议题")
    need(len(topic) <= 128, "议题过长（最多128个字）")
    need(data.kind in MEETING_KINDS, "请选择会议类别（见面会、议事会或协商会）")
    need(data.attendance > 0, "参会人数应大于0")
    # a 见面会 mobilises and informs; it need not decide anything
    need(bool(data.resolutions) or data.kind == "见面会", "请至少填写一项决议")
    resolutions = []
    for n, r in enumerate(data.resolutions, start=1):
        text = r.text.strip()
        need(bool(text), f"第{n}项决议：请填写决议内容")
        votes = (r.votes_for, r.votes_against, r.votes_abstain)
        need(min(votes) >= 0, f"第{n}项决议：票数不能为负数")
        need(
            sum(votes) <= data.attendance,
            f"第{n}项决议：赞成、反对、弃权合计{sum(votes)}票，超过参会人数{data.attendance}人",
        )
        resolutions.append(ResolutionInput(text, *votes))
    return MeetingInput(
        data.compound_id,
        data.held_on,
        topic,
        data.attendance,
        data.notes.strip(),
        tuple(resolutions),
        data.kind,
    )


class MeetingService(GovernanceBase):
    """Meetings per compound; resolutions keep stable ids for the fee schemes."""

    def list_meetings(self, compound_id: int | None = None) -> list[MeetingRow]:
        """Meetings, newest first, each with its resolutions in order."""
        with self._sessions() as s:
            query = select(Meeting)
            if compound_id is not None:
                query = query.where(Meeting.compound_id == compound_id)
            meetings = list(s.scalars(query.order_by(Meeting.held_on.desc(), Meeting.id.desc())))
            return _meeting_rows(s, meetings)

    def get_meeting(self, meeting_id: int) -> MeetingRow:
        with self._sessions() as s:
            m = s.get(Meeting, meeting_id)
            if m is None:
                raise NotFound("该议事会记录不存在或已被删除")
            return _meeting_rows(s, [m])[0]

    def resolutions_for_compound(self, compound_id: int) -> list[ResolutionRow]:
        """Every resolution of the compound's meetings, newest meeting first."""
        return [r for m in self.list_meetings(compound_id) for r in m.resolutions]

    def get_resolution(self, resolution_id: int) -> ResolutionRow:
        with self._sessions() as s:
            r = s.get(Resolution, resolution_id)
            if r is None:
                raise NotFound("该决议不存在或已被删除")
            m = s.get_one(Meeting, r.meeting_id)
            rows = _meeting_rows(s, [m])[0].resolutions
        return next(x for x in rows if x.id == resolution_id)

    def create_meeting(self, data: MeetingInput) -> int:
        self._require_edit()
        clean = clean_meeting(data)
        with self._sessions.begin() as s:
            if s.get(Compound, clean.compound_id) is None:
                raise NotFound("该楼院不存在或已被删除")
            m = Meeting(
                compound_id=clean.compound_id,
                held_on=clean.held_on,
                topic=clean.topic,
                attendance=clean.attendance,
                notes=clean.notes,
                kind=clean.kind,
            )
            s.add(m)
            s.flush()
            _put_resolutions(s, m, clean)
            audit.record(s, self._actor, "create", "meeting", m.id, after=asdict(clean))
            return m.id

    def update_meeting(self, meeting_id: int, data: MeetingInput) -> None:
        """Change a meeting; resolutions keep their ids by position (first stays first),
        extra ones are added and dropped ones removed."""
        self._require_edit()
        clean = clean_meeting(data)
        with self._sessions.begin() as s:
            m = s.get(Meeting, meeting_id)
            if m is None:
                raise NotFound("该议事会记录不存在或已被删除")
            m.held_on, m.topic, m.kind = clean.held_on, clean.topic, clean.kind
            m.attendance, m.notes = clean.attendance, clean.notes
            _put_resolutions(s, m, clean)
            audit.record(s, self._actor, "update", "meeting", m.id, after=asdict(clean))

    def delete_meeting(self, meeting_id: int) -> None:
        self._require_edit()
        with self._sessions.begin() as s:
            m = s.get(Meeting, meeting_id)
            if m is None:
                raise NotFound("该议事会记录不存在或已被删除")
            s.execute(delete(Resolution).where(Resolution.meeting_id == meeting_id))
            s.delete(m)
            audit.record(s, self._actor, "delete", "meeting", meeting_id)


def _put_resolutions(s: Session, m: Meeting, data: MeetingInput) -> None:
    existing = list(
        s.scalars(select(Resolution).where(Resolution.meeting_id == m.id).order_by(Resolution.seq))
    )
    for n, r in enumerate(data.resolutions, start=1):
        row = existing[n - 1] if n <= len(existing) else Resolution(meeting_id=m.id)
        row.seq, row.text = n, r.text
        row.votes_for, row.votes_against, row.votes_abstain = (
            r.votes_for,
            r.votes_against,
            r.votes_abstain,
        )
        row.passed = is_passed(r.votes_for, data.attendance)
        s.add(row)
    for row in existing[len(data.resolutions) :]:
        s.delete(row)


def _meeting_rows(s: Session, meetings: list[Meeting]) -> list[MeetingRow]:
    names = compound_names(s)
    ids = [m.id for m in meetings]
    by_meeting: dict[int, list[Resolution]] = {}
    if ids:
        for r in s.scalars(
            select(Resolution)
            .where(Resolution.meeting_id.in_(ids))
            .order_by(Resolution.seq, Resolution.id)
        ):
            by_meeting.setdefault(r.meeting_id, []).append(r)
    out = []
    for m in meetings:
        name = names[m.compound_id][0]
        resolutions = tuple(
            ResolutionRow(
                r.id,
                m.id,
                m.compound_id,
                name,
                m.held_on,
                m.topic,
                r.seq,
                r.text,
                r.votes_for,
                r.votes_against,
                r.votes_abstain,
                r.passed,
            )
            for r in by_meeting.get(m.id, [])
        )
        out.append(
            MeetingRow(
                m.id,
                m.compound_id,
                name,
                m.held_on,
                m.topic,
                m.attendance,
                m.notes,
                resolutions,
                m.kind,
            )
        )
    return out
