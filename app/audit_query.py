"""Reading the audit log: filtered, newest first, in pages (the log itself is append-only)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, sessionmaker

from app.audit import Actor
from app.auth import Permission, require
from db.models import AuditEntry

ACTION_LABELS = {
    "create": "新增",
    "update": "修改",
    "delete": "删除",
    "login": "登录",
    "login_failed": "登录失败",
    "lock": "锁定账户",
    "unlock": "解锁账户",
    "change_password": "修改密码",
    "reset_password": "重置密码",
    "backup": "备份",
    "restore": "恢复",
    "export": "导出",
    "export_unmasked": "导出（不打码）",
    "void": "作废",
}
ENTITY_LABELS = {
    "compound": "楼院",
    "building": "楼栋",
    "household": "住户",
    "resident": "居民",
    "user": "用户",
    "database": "数据库",
}


@dataclass(frozen=True)
class AuditFilter:
    username: str = ""
    entity: str = ""
    action: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None  # inclusive
    entity_id: int | None = None


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: dt.datetime
    username: str
    action: str
    entity: str
    entity_id: int | None
    before: str
    after: str
    note: str

    @property
    def action_label(self) -> str:
        return ACTION_LABELS.get(self.action, self.action)

    @property
    def entity_label(self) -> str:
        return ENTITY_LABELS.get(self.entity, self.entity)


@dataclass(frozen=True)
class AuditPage:
    rows: list[AuditRow]
    total: int
    offset: int


@dataclass(frozen=True)
class AuditChoices:
    """The values present in the log, for the viewer's filter lists."""

    usernames: list[str]
    entities: list[str]
    actions: list[str]


def _filtered(query: Select[Any], flt: AuditFilter) -> Select[Any]:
    if flt.username:
        query = query.where(AuditEntry.username == flt.username)
    if flt.entity:
        query = query.where(AuditEntry.entity == flt.entity)
    if flt.action:
        query = query.where(AuditEntry.action == flt.action)
    if flt.entity_id is not None:
        query = query.where(AuditEntry.entity_id == flt.entity_id)
    if flt.date_from is not None:
        start = dt.datetime.combine(flt.date_from, dt.time())
        query = query.where(AuditEntry.at >= start)
    if flt.date_to is not None:
        end = dt.datetime.combine(flt.date_to + dt.timedelta(days=1), dt.time())
        query = query.where(AuditEntry.at < end)
    return query


class AuditQueryService:
    """The audit log viewer's queries (administrators only)."""

    def __init__(self, sessions: sessionmaker[Session], actor: Actor) -> None:
        self._sessions = sessions
        self._actor = actor

    def page(self, flt: AuditFilter | None = None, offset: int = 0, limit: int = 200) -> AuditPage:
        """One page of entries matching the filter, newest first, and how many match."""
        require(self._actor, Permission.VIEW_AUDIT)
        flt = flt or AuditFilter()
        with self._sessions() as s:
            total = s.scalar(_filtered(select(func.count()).select_from(AuditEntry), flt)) or 0
            entries = s.scalars(
                _filtered(select(AuditEntry), flt)
                .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
                .offset(max(0, offset))
                .limit(max(1, limit))
            ).all()
            rows = [
                AuditRow(
                    e.id,
                    e.at,
                    e.username,
                    e.action,
                    e.entity,
                    e.entity_id,
                    e.before,
                    e.after,
                    e.note,
                )
                for e in entries
            ]
        return AuditPage(rows, total, offset)

    def choices(self) -> AuditChoices:
        require(self._actor, Permission.VIEW_AUDIT)
        with self._sessions() as s:

            def distinct(column: Any) -> list[str]:
                return list(s.scalars(select(column).distinct().order_by(column)))

            return AuditChoices(
                distinct(AuditEntry.username),
                distinct(AuditEntry.entity),
                distinct(AuditEntry.action),
            )
