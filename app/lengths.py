"""Text too long for its column: one Chinese message on SQLite and PostgreSQL alike.

PostgreSQL refuses a 200-character name in a 64-character column with a DataError, SQLite
stores it; both now get the same message before anything is written. The check runs on every
ORM flush of the program's sessions (`install`), so every form and every command is covered;
the roster import's bulk path checks its rows itself (app.roster).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import String, event, inspect
from sqlalchemy.orm import Session, sessionmaker

from app.errors import AppError

LABELS = {
    "name": "名称",
    "title": "标题",
    "manager_name": "管理方/负责人",
    "manager_contact": "联系方式",
    "office": "办公地点",
    "address": "地址",
    "head_name": "楼院长",
    "head_phone": "楼院长电话",
    "householder_name": "户主姓名",
    "phone": "电话",
    "contact": "联系电话",
    "leader": "负责人",
    "relation": "与户主关系",
    "room": "房号",
    "unit": "单元",
    "location": "位置",
    "reporter": "反映人",
    "handler": "经办人",
    "topic": "议题",
    "collected_by": "走访人",
    "display_name": "姓名",
    "username": "用户名",
    "cycle": "计费周期",
}


class TooLong(AppError):
    """A text value longer than its column allows."""


def check_object(obj: Any) -> None:
    """Raise TooLong for the first text attribute of `obj` longer than its column."""
    mapper = inspect(obj).mapper
    for column in mapper.columns:
        if not isinstance(column.type, String) or not column.type.length:
            continue
        value = getattr(obj, column.key, None)
        if isinstance(value, str) and len(value) > column.type.length:
            label = LABELS.get(column.key, column.key)
            raise TooLong(
                f"“{label}”过长：最多 {column.type.length} 个字，收到 {len(value)} 个字。"
                "未作任何改动。"
            )


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    for obj in [*session.new, *session.dirty]:
        check_object(obj)


def install(sessions: sessionmaker[Session]) -> None:
    """Check text lengths on every flush of sessions made by `sessions`."""
    if not event.contains(sessions, "before_flush", _before_flush):
        event.listen(sessions, "before_flush", _before_flush)
