"""Alembic, driven from code: create or upgrade a database, read its revision.

Opening a database only needs to know which revisions exist and which the database has:
that is read from the revision files' headers and the alembic_version table, without
importing Alembic (a fifth of the window's start-up). Alembic is loaded to upgrade.
"""

from __future__ import annotations

import ast
import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_HEADER = re.compile(r"^(revision|down_revision)\s*(?::[^=]+)?=\s*(.+?)\s*$", re.MULTILINE)


def alembic_config() -> Config:
    """An Alembic config pointing at our migration scripts (no alembic.ini needed)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


@lru_cache(maxsize=1)
def _graph() -> dict[str, tuple[str, ...]]:
    """revision → the revisions it follows, from each script's two header lines."""
    graph: dict[str, tuple[str, ...]] = {}
    for path in sorted((MIGRATIONS_DIR / "versions").glob("*.py")):
        fields = dict(_HEADER.findall(path.read_text(encoding="utf-8")))
        if "revision" not in fields:
            continue
        down = ast.literal_eval(fields.get("down_revision", "None"))
        parents = () if down is None else (down,) if isinstance(down, str) else tuple(down)
        graph[ast.literal_eval(fields["revision"])] = parents
    return graph


def head_revisions() -> frozenset[str]:
    """The newest revision of each branch this program knows.

    Areas of the program (fees, surveys, governance, ...) may add their tables on branches
    of their own from a common base; a database is current when it has all heads.
    """
    graph = _graph()
    followed = {parent for parents in graph.values() for parent in parents}
    return frozenset(graph.keys() - followed)


def known_revisions() -> set[str]:
    """Every revision this program's migrations define."""
    return set(_graph())


def current_revisions(engine: Engine) -> frozenset[str]:
    """The database's revisions (one per branch); empty for an empty or foreign database."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return frozenset()
        return frozenset(conn.execute(text("SELECT version_num FROM alembic_version")).scalars())


def is_current(engine: Engine) -> bool:
    """True when the database is at every head (nothing to upgrade)."""
    return current_revisions(engine) == head_revisions()


def upgrade(engine: Engine, revision: str = "heads") -> None:
    """Upgrade the database to `revision` (default: every head) in one transaction."""
    from alembic import command

    config = alembic_config()
    if engine.dialect.name != "sqlite":
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, revision)
        return
    # SQLite rebuilds a table to alter it (batch mode): with foreign keys on, dropping the
    # old table would fire ON DELETE actions on every row that refers to it. So foreign keys
    # are off for the migration (the pragma works only outside a transaction) and every
    # reference is checked before it commits.
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
        conn.commit()
        try:
            with conn.begin():
                config.attributes["connection"] = conn
                command.upgrade(config, revision)
                broken = conn.exec_driver_sql("PRAGMA foreign_key_check").all()
                if broken:
                    raise RuntimeError(f"migration left broken references: {broken[:5]}")
        finally:
            conn.exec_driver_sql("PRAGMA foreign_keys=ON")
            conn.commit()
