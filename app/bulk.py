"""Bulk inserts straight on the DBAPI cursor, for the jobs that write 100,000s of rows.

On PostgreSQL (psycopg) the rows go in by COPY, elsewhere by the driver's executemany.

SQLAlchemy's Core executemany builds and processes a parameter dict per row; at 200,000
charges that costs more than the insert itself. Here rows are plain tuples in column order,
values are converted once per column type (dates and times to SQLite's text format, the
format SQLAlchemy itself stores), and the statement is the driver's own executemany.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Date, DateTime, Select, Table, func, select

# Below this many new rows, keeping the indexes up row by row is cheap enough.
DEFER_INDEXES_FROM = 2000


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
    conn: Connection,
    table: Table,
    columns: Sequence[str],
    rows: Iterable[tuple[Any, ...]],
    constant: Mapping[str, Any] | None = None,
) -> None:
    """INSERT rows (tuples in `columns` order) into `table` with one driver executemany.

    `constant` holds columns with the same value in every row (a run's scheme, period, due
    date): they are converted once and put before each row's own values.
    Runs in the caller's transaction; nothing is committed here.
    """
    sqlite = conn.dialect.name == "sqlite"

    def converter(column: str) -> Callable[[Any], Any] | None:
        return _sqlite_converter(table.c[column].type) if sqlite else None

    head = tuple(
        conv(value) if (conv := converter(column)) else value
        for column, value in (constant or {}).items()
    )
    per_row = [(i, conv) for i, column in enumerate(columns) if (conv := converter(column))]

    def build(row: tuple[Any, ...]) -> tuple[Any, ...]:
        values = list(row)
        for i, conv in per_row:
            values[i] = conv(values[i])
        return head + tuple(values)

    names = [*(constant or {}), *columns]
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    quote = conn.dialect.identifier_preparer.quote
    sql = (
        f"INSERT INTO {conn.dialect.identifier_preparer.format_table(table)} "
        f"({', '.join(quote(c) for c in names)}) VALUES ({', '.join(mark for _ in names)})"
    )
    if per_row:
        data = [build(row) for row in rows]
    elif head:
        data = [head + row for row in rows]
    else:
        data = rows if isinstance(rows, list) else list(rows)
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        if conn.dialect.driver == "psycopg":
            target = conn.dialect.identifier_preparer.format_table(table)
            _copy(cursor, f"{target} ({', '.join(quote(c) for c in names)})", data)
        else:
            cursor.executemany(sql, data)
    finally:
        cursor.close()


def insert_dicts(conn: Connection, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """`insert_rows` for rows given as dicts that all have the same keys."""
    if not rows:
        return
    columns = list(rows[0])
    insert_rows(conn, table, columns, [tuple(row[c] for c in columns) for row in rows])


def _copy(cursor: Any, target: str, rows: Iterable[Sequence[Any]]) -> None:
    """PostgreSQL's COPY FROM STDIN: one stream instead of a statement per row (30,000
    households: 0.6 s instead of 3 s). Constraints, defaults and triggers apply as with INSERT;
    a bad row fails the COPY and with it the caller's transaction."""
    with cursor.copy(f"COPY {target} FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def fetch_rows(conn: Connection, query: Select[*tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """All rows of a query of plain columns (ints, strings), straight from the driver.

    For the bulk jobs that read 100,000s of rows: SQLAlchemy's Row objects would cost about as
    much as the read itself. SQLAlchemy still compiles the statement (from its cache) and runs
    it; only the rows come from the driver's cursor. Only for columns that need no type
    processing (no dates).
    """
    result = conn.execute(query)
    try:
        return list(result.cursor.fetchall())
    finally:
        result.close()


@contextmanager
def indexes_deferred(conn: Connection, table: Table, adding: int) -> Iterator[None]:
    """A large insert into a small table without its secondary indexes, built again after.

    On SQLite, inserting 30,000 households into an empty registry costs twice as much with the
    eight list and search indexes kept up row by row as without them and a rebuild at the end.
    Only when the rows added are at least as many as the rows already there (rebuilding an
    index over a big table costs more than adding a few rows to it), and only on SQLite: the
    DDL runs inside the caller's transaction, so a failure or Cancel brings the indexes back
    with everything else. On PostgreSQL dropping an index would lock out the other clerks.
    """
    indexes = sorted(table.indexes, key=lambda i: str(i.name))
    if conn.dialect.name != "sqlite" or adding < DEFER_INDEXES_FROM or not indexes:
        yield
        return
    existing = conn.execute(select(func.count()).select_from(table)).scalar_one()
    if adding < existing:
        yield
        return
    # pysqlite opens its transaction at the first INSERT, not at DDL: open it now so that the
    # DROP INDEX is part of it.
    if not conn.connection.dbapi_connection.in_transaction:  # type: ignore[union-attr]
        conn.exec_driver_sql("BEGIN")
    for index in indexes:
        index.drop(conn)
    yield
    for index in indexes:
        index.create(conn)


@contextmanager
def checks_done_by_caller(conn: Connection) -> Iterator[None]:
    """SQLite leaves out the CHECK constraints while the caller inserts rows it has checked.

    SQLite sets up the list of `status IN ('自住', '出租', …)` anew for every row of an
    executemany: 30,000 households spend almost half their insert time there. The caller
    checks the same conditions once per distinct value before writing (see
    `app.roster.service.check_households`). Changing the flag expires every compiled statement,
    so no statement compiled here runs later without its checks. Only on SQLite; PostgreSQL
    checks as always.
    """
    if conn.dialect.name != "sqlite":
        yield
        return
    conn.exec_driver_sql("PRAGMA ignore_check_constraints = ON")
    try:
        yield
    finally:
        conn.exec_driver_sql("PRAGMA ignore_check_constraints = OFF")
