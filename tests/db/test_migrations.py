"""Migrations: empty → head gives exactly the models' schema; revisions are checked."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from app.config import DatabaseTarget
from app.database import open_database
from app.errors import DatabaseError
from db import migrate
from db.base import Base
from db.engine import make_engine


def test_empty_to_head_matches_the_models(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        assert migrate.current_revisions(engine) == frozenset()
        migrate.upgrade(engine)
        assert migrate.is_current(engine)
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
        assert diff == []
        tables = set(inspect(engine).get_table_names())
        assert {
            "street",
            "community",
            "grid",
            "compound",
            "building",
            "household",
            "resident",
            "resident_tag",
            "app_user",
            "audit_log",
        } <= tables
    finally:
        engine.dispose()


def test_sqlite_runs_in_wal_with_foreign_keys(tmp_path) -> None:  # type: ignore[no-untyped-def]
    db = open_database(DatabaseTarget(f"sqlite:///{tmp_path / 'w.sqlite3'}"))
    try:
        with db.engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    finally:
        db.close()


def test_database_from_a_newer_program_is_refused(tmp_path) -> None:  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'new.sqlite3'}"
    open_database(DatabaseTarget(url)).close()
    engine = make_engine(url)
    with engine.begin() as conn:
        # a newer program added a branch this one does not know
        conn.execute(text("INSERT INTO alembic_version (version_num) VALUES ('ffff9999')"))
    engine.dispose()
    with pytest.raises(DatabaseError, match="更新版本"):
        open_database(DatabaseTarget(url))


def test_garbage_file_gives_a_clear_message(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "junk.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(DatabaseError) as err:
        open_database(DatabaseTarget(f"sqlite:///{path}"))
    assert "junk.sqlite3" in err.value.message


def test_uninitialised_database_is_not_created_silently(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DatabaseError, match="louyuan init"):
        open_database(DatabaseTarget(f"sqlite:///{tmp_path / 'none.sqlite3'}"), create=False)


def test_light_header_reading_agrees_with_alembic() -> None:
    """Start-up reads revisions without Alembic; it must see what Alembic sees."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(migrate.alembic_config())
    assert migrate.head_revisions() == frozenset(script.get_heads())
    assert migrate.known_revisions() == {r.revision for r in script.walk_revisions()}
