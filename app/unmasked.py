"""Exports with personal data in full (phones, ID numbers): allowed to some roles only, and
every one recorded in the audit log. (Issue 14 unifies the permission table.)"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.orm import Session, sessionmaker

from app import audit
from app.audit import Actor
from app.auth import Permission, require

T = TypeVar("T")


def export_unmasked(
    sessions: sessionmaker[Session], actor: Actor, entity: str, note: str, run: Callable[[], T]
) -> T:
    """Check the actor may export unmasked data, run the export, then audit it."""
    require(actor, Permission.UNMASKED_EXPORT)
    result = run()
    with sessions.begin() as s:
        audit.record(s, actor, "export_unmasked", entity, None, note=note)
    return result
