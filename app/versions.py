"""Stale-write checks: a save goes over the version the form showed, or not at all.

`claim` bumps a row's version inside the caller's transaction with
`UPDATE … SET version = version + 1 WHERE id = :id AND version = :expected`; the WHERE clause
makes the check and the claim one statement on SQLite and PostgreSQL alike, so two saves that
both started from version 3 cannot both succeed.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.errors import NotFound, StaleWrite


def claim(
    s: Session, model: Any, row_id: int, expected: int | None, *, what: str, missing: str
) -> int:
    """Bump the row's version; the new version. `expected` None skips the check (a caller
    that did not show the row first, e.g. a script), but still bumps.

    Raises:
        StaleWrite: the row's version is not `expected`.
        NotFound: the row is gone.
    """
    stmt = update(model).where(model.id == row_id)
    if expected is not None:
        stmt = stmt.where(model.version == expected)
    result = s.execute(
        stmt.values(version=model.version + 1).execution_options(synchronize_session=False)
    )
    if result.rowcount == 0:  # type: ignore[attr-defined]
        if s.scalar(select(model.id).where(model.id == row_id)) is None:
            raise NotFound(missing)
        raise StaleWrite(what)
    version = s.scalar(select(model.version).where(model.id == row_id))
    return int(version or 0)
