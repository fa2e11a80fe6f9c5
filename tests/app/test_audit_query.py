"""The audit log viewer's queries: filters, pages, newest first, admins only."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import delete, func, select, update

from app.audit import Actor
from app.audit_query import AuditFilter, describe
from app.errors import PermissionDenied
from app.registry.dto import CompoundInput
from app.services import Services
from db.models import AuditEntry
from db.models.fees import FeePayment


def _fill(services: Services) -> None:
    """Six entries of our own in place of the demo's history."""
    with services.db.sessions.begin() as s:
        s.execute(delete(AuditEntry))
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


def test_the_demo_log_agrees_with_the_demo_data(demo: Services) -> None:
    """Every demo payment has its 收费 entry, every voided one its 作废 entry, and the log
    reads as sentences, not JSON."""
    log = demo.audit_log
    with demo.db.sessions() as s:
        payments = s.scalar(select(func.count()).select_from(FeePayment)) or 0
        voided = s.scalar(select(func.count()).where(FeePayment.voided)) or 0
        first = s.scalars(select(FeePayment).order_by(FeePayment.id).limit(1)).one()
    assert payments > 0
    assert log.page(AuditFilter(action="pay")).total == payments
    assert log.page(AuditFilter(action="void")).total == voided
    pay = log.page(AuditFilter(action="pay", entity_id=first.id)).rows[0]
    assert pay.at == first.paid_at and pay.action_label == "收费" and pay.entity_label == "缴费"
    assert f"收据号：{first.receipt_no}" in pay.after_text and "元" in pay.after_text
    assert log.page(AuditFilter(action="login")).total >= 20
    choices = log.choices()
    assert {"import", "export_unmasked", "backup", "update"} <= set(choices.actions)
    phone = log.page(AuditFilter(action="update", entity="household")).rows[0]
    assert phone.before_text.startswith("电话：") and "{" not in phone.before_text


def test_describe_reads_the_recorded_values() -> None:
    text = '{"householder_name": "张三", "phone": null, "area_centi": 8560, "total_fen": 123450}'
    assert describe(text) == "户主：张三；电话：（空）；建筑面积：85.60㎡；合计：1,234.50元"
    assert describe("") == ""
    assert describe("not json") == "not json"
    assert describe('["a"]') == '["a"]'
