"""Exports with personal data in full (phones, ID numbers): allowed to some roles only, and
every one recorded in the audit log (the permission table is app.auth's)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.orm import Session, sessionmaker

from app.audit import Actor
from app.auth import Permission, disclose, require

T = TypeVar("T")


def export_unmasked(
    sessions: sessionmaker[Session], actor: Actor, entity: str, note: str, run: Callable[[], T]
) -> T:
    """Check the actor may output unmasked data, run the export, then audit it."""
    require(actor, Permission.UNMASKED_OUTPUT)
    result = run()
    disclose(sessions, actor, entity=entity, note=note)
    return result
