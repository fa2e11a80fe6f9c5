"""Alembic, driven from code: create or upgrade a database, read its revision."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config() -> Config:
    """An Alembic config pointing at our migration scripts (no alembic.ini needed)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revisions() -> frozenset[str]:
    """The newest revision of each branch this program knows.

    Areas of the program (fees, surveys, governance, ...) may add their tables on branches
    of their own from a common base; a database is current when it has all heads.
    """
    return frozenset(ScriptDirectory.from_config(alembic_config()).get_heads())


def known_revisions() -> set[str]:
    """Every revision this program's migrations define."""
    script = ScriptDirectory.from_config(alembic_config())
    return {rev.revision for rev in script.walk_revisions()}


def current_revisions(engine: Engine) -> frozenset[str]:
    """The database's revisions (one per branch); empty for an empty or foreign database."""
    with engine.connect() as conn:
        return frozenset(MigrationContext.configure(conn).get_current_heads())


def is_current(engine: Engine) -> bool:
    """True when the database is at every head (nothing to upgrade)."""
    return current_revisions(engine) == head_revisions()


def upgrade(engine: Engine, revision: str = "heads") -> None:
    """Upgrade the database to `revision` (default: every head) in one transaction."""
    config = alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, revision)
