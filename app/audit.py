"""Who is acting, and the audit log every change to money and personal data writes to."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from db.models import AuditEntry


@dataclass(frozen=True)
class Actor:
    """The signed-in user on whose behalf a service acts."""

    username: str
    role: str = "admin"
    user_id: int | None = None


SYSTEM = Actor("system", "admin")


def dump(values: Mapping[str, Any] | None) -> str:
    """Values as the log keeps them: JSON, keys sorted, "" for none."""
    if not values:
        return ""
    return json.dumps(values, ensure_ascii=False, sort_keys=True, default=str)


def record(
    s: Session,
    actor: Actor,
    action: str,
    entity: str,
    entity_id: int | None,
    *,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    note: str = "",
) -> None:
    """Add an audit entry to the caller's unit of work (it commits or rolls back with it)."""
    s.add(
        AuditEntry(
            at=dt.datetime.now(),
            user_id=actor.user_id,
            username=actor.username,
            action=action,
            entity=entity,
            entity_id=entity_id,
            before=dump(before),
            after=dump(after),
            note=note,
        )
    )


def changed(
    before: Mapping[str, Any], after: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The fields that differ, as (before, after) dicts."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}
