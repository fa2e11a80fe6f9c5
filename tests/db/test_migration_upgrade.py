"""A database made at the first revision, with data, upgraded to every head keeps its data."""

from __future__ import annotations

import shutil
from pathlib import Path

from sqlalchemy import Engine, MetaData, func, insert, inspect, select, text

from app.audit import Actor
from app.config import DatabaseTarget, to_url
from app.database import open_database
from app.registry.dto import CompoundInput
from app.services import Services
from app.users.demo import DEMO_PASSWORD
from db import migrate
from db.engine import make_engine

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "rev0001.sqlite3"
TABLES = (
    "app_user",
    "street",
    "community",
    "grid",
    "compound",
    "building",
    "household",
    "resident",
    "resident_tag",
    "audit_log",
)


# Revision 0016 moved each grid's worker to a person with a 网格员 role on the grid: read
# the worker back from there.
_WORKER = (
    "(SELECT {} FROM force_role r JOIN force_person p ON p.id = r.person_id "
    "WHERE r.grid_id = grid.id AND r.kind = '网格员')"
)
MOVED = {
    "worker_name": "COALESCE(" + _WORKER.format("p.name") + ", '')",
    "worker_phone": "COALESCE(" + _WORKER.format("p.phone") + ", '')",
}


def _snapshot(engine: Engine) -> dict[str, list[tuple[object, ...]]]:
    """Every row of the 0001 tables (0001's columns only), in a stable order."""
    old = MetaData()
    fixture = make_engine(to_url(FIXTURE))
    old.reflect(fixture)
    fixture.dispose()
    out = {}
    with engine.connect() as conn:
        moved = "worker_name" not in {c["name"] for c in inspect(conn).get_columns("grid")}
        for name in TABLES:
            columns = [
                text(MOVED[c.name])
                if moved and name == "grid" and c.name in MOVED
                else text(f'"{c.name}"')
                for c in old.tables[name].columns
            ]
            rows = conn.execute(select(*columns).select_from(text(name))).all()
            out[name] = sorted(tuple(r) for r in rows)
    return out


def test_sqlite_file_at_0001_is_upgraded_on_open(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    shutil.copyfile(FIXTURE, path)
    engine = make_engine(to_url(path))
    assert migrate.current_revisions(engine) == {"0001"}
    before = _snapshot(engine)
    engine.dispose()
    db = open_database(DatabaseTarget(to_url(path)), create=False)
    try:
        assert migrate.is_current(db.engine)
        assert _snapshot(db.engine) == before
        assert sum(len(v) for v in before.values()) > 500
        workers = [r for r in before["grid"] if r[5]]
        assert len(workers) > 10
        with db.engine.connect() as conn:
            roles = conn.execute(text("SELECT count(*) FROM force_role WHERE kind = '网格员'"))
            assert roles.scalar_one() == len(workers)
        services = Services.build(db, Actor("admin", "admin", 1))
        assert services.users.login("admin", DEMO_PASSWORD).role == "admin"
        assert services.stats.summary()["households"] == len(before["household"])
        community = services.compounds.communities()[0].id
        services.compounds.create_compound(CompoundInput(name="升级后新建", community_id=community))
    finally:
        db.close()


def test_upgrade_from_0001_keeps_data_on_each_engine(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        migrate.upgrade(engine, "0001")
        fixture = make_engine(to_url(FIXTURE))
        meta = MetaData()
        meta.reflect(engine)
        with fixture.connect() as src, engine.begin() as dst:
            for name in TABLES:
                rows = [dict(r._mapping) for r in src.execute(select(meta.tables[name]))]
                if rows:
                    dst.execute(insert(meta.tables[name]), rows)
            if engine.dialect.name == "postgresql":
                for name in TABLES:
                    if "id" in meta.tables[name].c:
                        dst.execute(
                            text(
                                f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                                f"(SELECT COALESCE(MAX(id), 1) FROM {name}))"
                            )
                        )
        fixture.dispose()
        before = _snapshot(engine)
        migrate.upgrade(engine)
        assert migrate.is_current(engine)
        assert _snapshot(engine) == before
    finally:
        engine.dispose()
    db = open_database(DatabaseTarget(db_url), create=False)
    try:
        services = Services.build(db, Actor("admin", "admin", 1))
        community = services.compounds.communities()[0].id
        new_id = services.compounds.create_compound(
            CompoundInput(name="升级后新建", community_id=community)
        )
        with db.sessions() as s:
            assert s.scalar(select(func.max(text("id"))).select_from(text("compound"))) == new_id
    finally:
        db.close()
