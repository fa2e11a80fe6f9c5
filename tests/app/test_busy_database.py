"""A database that another program holds for writing gives a Chinese message, not a bug."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError

import db.engine
from app.audit import Actor
from app.config import DatabaseTarget, to_url
from app.database import BUSY, friendly_error, open_database
from app.errors import DatabaseError
from app.registry.dto import CompoundInput
from app.services import Services
from db.models import Community, Street


def test_a_write_blocked_past_the_busy_timeout_is_reported_in_chinese(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(db.engine, "BUSY_TIMEOUT_MS", 100)
    path = tmp_path / "busy.sqlite3"
    database = open_database(DatabaseTarget(to_url(path)))
    try:
        with database.sessions.begin() as s:
            street = Street(name="街道")
            s.add(street)
            s.flush()
            s.add(Community(street_id=street.id, name="社区"))
        services = Services.build(database, Actor("tester"))
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # another office PC is saving
        try:
            with pytest.raises(OperationalError) as raised:
                services.compounds.create_compound(CompoundInput(name="光明院", community_id=1))
        finally:
            other.execute("ROLLBACK")
            other.close()
        friendly = friendly_error(raised.value)
        assert isinstance(friendly, DatabaseError) and friendly.message == BUSY
        # nothing was half-written, and the same save works once the other side is done
        assert services.compounds.list_compounds() == []
        services.compounds.create_compound(CompoundInput(name="光明院", community_id=1))
        assert [c.name for c in services.compounds.list_compounds()] == ["光明院"]
    finally:
        database.close()


def test_other_errors_stay_bugs() -> None:
    assert friendly_error(ValueError("x")) is None
    assert friendly_error(sqlite3.OperationalError("no such table: x")) is None
