"""Bulk inserts straight on the DBAPI cursor, for the jobs that write 100,000s of rows.

SQLAlchemy's Core executemany builds and processes a parameter dict per row; at 200,000
charges that costs more than the insert itself. Here rows are plain tuples in column order,
values are converted once per column type (dates and times to SQLite's text format, the
format SQLAlchemy itself stores), and the statement is the driver's own executemany.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, Date, DateTime, Table


def _sqlite_converter(column_type: Any) -> Callable[[Any], Any] | None:
    if isinstance(column_type, DateTime):
        return _memo(lambda v: v.strftime("%Y-%m-%d %H:%M:%S.%f"))
    if isinstance(column_type, Date):
        return _memo(lambda v: v.isoformat())
    return None


def _memo(convert: Callable[[Any], str]) -> Callable[[Any], Any]:
    """Convert each distinct value once: a billing run has one due date for 10,000 rows."""
    seen: dict[Any, Any] = {None: None}

    def converted(value: Any) -> Any:
        try:
            return seen[value]
        except KeyError:
            seen[value] = out = convert(value)
            return out

    return converted


def insert_rows(
    conn: Connection, table: Table, columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    """INSERT rows (tuples in `columns` order) into `table` with one driver executemany.

    Runs in the caller's transaction; nothing is committed here.
    """
    sqlite = conn.dialect.name == "sqlite"
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    names = ", ".join(conn.dialect.identifier_preparer.quote(c) for c in columns)
    sql = (
        f"INSERT INTO {conn.dialect.identifier_preparer.format_table(table)} ({names}) "
        f"VALUES ({', '.join(mark for _ in columns)})"
    )
    data: Iterable[Sequence[Any]] = rows
    if sqlite:
        converters = [_sqlite_converter(table.c[c].type) for c in columns]
        if any(converters):
            pairs = list(enumerate(converters))
            data = (tuple(conv(row[i]) if conv else row[i] for i, conv in pairs) for row in rows)
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.executemany(sql, list(data))
    finally:
        cursor.close()
