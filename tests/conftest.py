"""Shared fixtures: a migrated temporary database (SQLite always, PostgreSQL when configured).

Set LOUYUAN_TEST_PG_URL (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/louyuan_test) to run
every test that uses `db` against PostgreSQL as well; `.ci/run` starts such a server.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from app.audit import Actor
from app.config import DatabaseTarget, to_url
from app.database import Database, open_database
from app.services import Services

PG_URL = os.environ.get("LOUYUAN_TEST_PG_URL", "")


@pytest.fixture(autouse=True)
def _isolated_data_dir(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Never touch the real user data folder or LOUYUAN_DB from a test."""
    monkeypatch.setenv("LOUYUAN_DATA_DIR", str(tmp_path_factory.mktemp("data")))
    monkeypatch.delenv("LOUYUAN_DB", raising=False)


def _pg_database() -> Iterator[str]:
    """A fresh PostgreSQL database on the test server, dropped afterwards."""
    name = f"ly_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    base, _, _ = PG_URL.rpartition("/")
    try:
        yield f"{base}/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(params=ENGINES)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database URL on each engine under test."""
    if request.param == "sqlite":
        yield to_url(tmp_path / "test.sqlite3")
        return
    if not PG_URL:
        pytest.skip("LOUYUAN_TEST_PG_URL not set")
    yield from _pg_database()


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    """A database migrated to head."""
    database = open_database(DatabaseTarget(db_url))
    try:
        yield database
    finally:
        database.close()


@pytest.fixture
def services(db: Database) -> Services:
    return Services.build(db, Actor("tester", "admin", None))


@pytest.fixture
def demo_db(db: Database) -> Database:
    """A small demo database (600 households)."""
    from app.demo import generate

    generate(db, households=600)
    return db


@pytest.fixture
def demo(demo_db: Database) -> Services:
    return Services.build(demo_db, Actor("tester", "admin", None))
