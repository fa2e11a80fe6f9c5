"""Shared PostgreSQL: two processes writing the registry (and its audit log) at once."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.database import Database
from db.models import AuditEntry, Compound

ROOT = Path(__file__).resolve().parents[2]
PER_PROCESS = 25


def test_two_processes_write_at_once(demo_db: Database) -> None:
    if demo_db.target.is_sqlite:
        pytest.skip("the shared-server case")
    with demo_db.sessions() as s:
        compounds = s.scalar(select(func.count()).select_from(Compound)) or 0
        audits = s.scalar(select(func.count()).select_from(AuditEntry)) or 0
    code = textwrap.dedent(
        f"""
        import sys
        from app.audit import Actor
        from app.config import DatabaseTarget
        from app.database import open_database
        from app.registry.dto import CompoundInput
        from app.services import Services
        who = sys.argv[1]
        db = open_database(DatabaseTarget({demo_db.target.url!r}), create=False)
        services = Services.build(db, Actor(who, "clerk"))
        community = services.compounds.communities()[0].id
        for n in range({PER_PROCESS}):
            cid = services.compounds.create_compound(
                CompoundInput(name=f"{{who}}楼院{{n}}", community_id=community)
            )
            services.households.household_ids()
            services.compounds.update_compound(
                cid, CompoundInput(name=f"{{who}}楼院{{n}}号", community_id=community)
            )
        db.close()
        print("ok")
        """
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    children = [
        subprocess.Popen(
            [sys.executable, "-c", code, who],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for who in ("甲", "乙")
    ]
    results = [child.communicate(timeout=120) for child in children]
    for child, (out, err) in zip(children, results, strict=True):
        assert child.returncode == 0, err
        assert out.strip() == "ok"
    with demo_db.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Compound)) == compounds + 2 * PER_PROCESS
        entries = s.execute(select(AuditEntry.username, AuditEntry.action)).all()
    assert len(entries) == audits + 4 * PER_PROCESS
    for who in ("甲", "乙"):
        assert sum(1 for e in entries if e.username == who) == 2 * PER_PROCESS
