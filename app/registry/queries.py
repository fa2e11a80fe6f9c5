"""Query helpers shared by the registry services (they take a session and never commit)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select
from sqlalchemy.orm import Session


def like_escape(text: str) -> str:
    """Escape LIKE wildcards in user text (used with escape='\\')."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def fetch_ids(s: Session, query: Select[Any]) -> list[int]:
    """Run a one-column integer query straight on the DBAPI cursor, keeping its order.

    A list of 200,000 ids is the backbone of the big tables; SQLAlchemy's result processing
    would more than double the time it takes to fetch them, and plain integers need none.
    On SQLite the ids come back as one comma-separated string (group_concat over the ordered
    query, which SQLite aggregates in scan order): a third faster than 200,000 row tuples.
    """
    conn = s.connection()
    sqlite = conn.dialect.name == "sqlite"
    compiled = query.compile(dialect=conn.dialect, compile_kwargs={"render_postcompile": True})
    sql = str(compiled)
    if sqlite:
        sql = f"SELECT group_concat(ids.id) FROM ({sql}) AS ids"
    values = compiled.params  # a property that builds the dict anew on every access
    if compiled.positional:
        params: Any = tuple(values[name] for name in compiled.positiontup or ())
    else:
        params = values
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(sql, params)
        if sqlite:
            row = cursor.fetchone()
            joined = row[0] if row else None
            return list(map(int, joined.split(","))) if joined else []
        return [row[0] for row in cursor.fetchall()]
    finally:
        cursor.close()
