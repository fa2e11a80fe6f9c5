"""The audit log viewer's queries: filters, pages, newest first, admins only."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import update

from app.audit import Actor
from app.audit_query import AuditFilter
from app.errors import PermissionDenied
from app.registry.dto import CompoundInput
from app.services import Services
from db.models import AuditEntry


def _fill(services: Services) -> None:
    community = services.compounds.communities()
    if not community:
        return
    for n in range(5):
        services.compounds.create_compound(
            CompoundInput(name=f"审计楼院{n}", community_id=community[0].id)
        )
    other = Services.build(services.db, Actor("李四", "clerk"))
    cid = other.compounds.list_compounds()[0].id
    other.compounds.update_compound(
        cid, CompoundInput(name="改过的名字", community_id=community[0].id)
    )


def test_filters_and_pages(demo: Services) -> None:
    _fill(demo)
    log = demo.audit_log
    everything = log.page()
    assert everything.total == 6
    assert [r.at for r in everything.rows] == sorted((r.at for r in everything.rows), reverse=True)
    assert everything.rows[0].username == "李四" and everything.rows[0].action_label == "修改"
    assert everything.rows[0].entity_label == "楼院"
    assert "改过的名字" in everything.rows[0].after
    assert log.page(AuditFilter(username="tester")).total == 5
    assert log.page(AuditFilter(action="update")).total == 1
    assert log.page(AuditFilter(entity="household")).total == 0
    first, second = log.page(offset=0, limit=4), log.page(offset=4, limit=4)
    assert len(first.rows) == 4 and len(second.rows) == 2
    assert not {r.id for r in first.rows} & {r.id for r in second.rows}
    choices = log.choices()
    assert choices.usernames == sorted(["tester", "李四"])
    assert set(choices.actions) == {"create", "update"}


def test_date_range_is_inclusive(demo: Services) -> None:
    _fill(demo)
    with demo.db.sessions.begin() as s:
        s.execute(update(AuditEntry).values(at=dt.datetime(2026, 3, 15, 23, 59)))
    log = demo.audit_log
    day = dt.date(2026, 3, 15)
    assert log.page(AuditFilter(date_from=day, date_to=day)).total == 6
    assert log.page(AuditFilter(date_from=day + dt.timedelta(days=1))).total == 0
    assert log.page(AuditFilter(date_to=day - dt.timedelta(days=1))).total == 0


def test_only_admins_read_the_log(demo: Services) -> None:
    clerk = Services.build(demo.db, Actor("c", "clerk"))
    with pytest.raises(PermissionDenied, match="审计日志"):
        clerk.audit_log.page()
