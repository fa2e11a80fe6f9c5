"""Generated from app.auth.PERMISSIONS: every role against every service action.

For each (role, action) the action is refused with the table's message and changes nothing
when the table denies the role, and it succeeds when the table grants it; where the table says
the permission is audited, a successful use leaves an audit entry under the actor's name.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.audit import Actor
from app.auth import PERMISSIONS, Permission, allowed, denied_message
from app.config import DatabaseTarget, to_url
from app.database import open_database
from app.errors import PermissionDenied
from app.fees.dto import ExpenseInput, PaymentInput
from app.governance.dto import MeetingInput, OrganisationInput, ResolutionInput
from app.registry.dto import CompoundInput
from app.services import Services
from app.surveys import paper
from app.surveys.dto import ResponseInput, SurveyInput
from db.models import AuditEntry
from db.models.auth import ROLES

SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "samples" / "样例花名册.xlsx"

Action = Callable[[Services, Path], object]


def _compound(s: Services) -> int:
    return s.compounds.list_compounds()[0].id


def _household(s: Services) -> int:
    return s.households.household_ids()[0]


def _survey(s: Services) -> int:
    return s.surveys.list_surveys()[0].id


def _edit_household(s: Services, _: Path) -> object:
    hid = _household(s)
    data = s.households.get_household(hid).data
    return s.households.save_household(hid, replace(data, phone="13912345678"))


def _pay(s: Services, _: Path) -> object:
    return s.fees.payments.pay(PaymentInput(_household(s), Decimal("12.34")))


def _response(s: Services, _: Path) -> object:
    sid = _survey(s)
    home = s.survey_entry.households(sid)[0]
    return s.survey_entry.save(ResponseInput(sid, home.id, outcome="nobody_home"))


def _import_people(s: Services, tmp: Path) -> object:
    forces = s.governance.forces
    forces.export_people(tmp / "people.xlsx")
    return forces.commit_import(forces.plan_import(tmp / "people.xlsx"))


# action name -> (permission, call). Every permission of the table has at least one action.
ACTIONS: dict[str, tuple[Permission, Action]] = {
    "compounds.create_compound": (
        Permission.EDIT_REGISTRY,
        lambda s, _: s.compounds.create_compound(
            CompoundInput("权限测试楼院", s.compounds.communities()[0].id)
        ),
    ),
    "compounds.add_building": (
        Permission.EDIT_REGISTRY,
        lambda s, _: s.compounds.add_building(_compound(s), "99"),
    ),
    "households.save_household": (Permission.EDIT_REGISTRY, _edit_household),
    "rosters.commit": (
        Permission.IMPORT_ROSTER,
        lambda s, _: s.rosters.commit(s.rosters.plan([SAMPLE])),
    ),
    "rosters.export(unmasked)": (
        Permission.UNMASKED_OUTPUT,
        lambda s, tmp: s.rosters.export(tmp / "r.xlsx", [_compound(s)], unmasked=True),
    ),
    "surveys.not_reached(unmasked)": (
        Permission.UNMASKED_OUTPUT,
        lambda s, tmp: paper.export_not_reached(s, _survey(s), tmp / "n.xlsx", unmasked=True),
    ),
    "fees.schemes.change_state": (
        Permission.EDIT_FEES,
        lambda s, _: s.fees.schemes.change_state(
            next(r.id for r in s.fees.schemes.list_schemes() if r.state != "ended"),
            "ended",
            "权限测试",
        ),
    ),
    "fees.expenses.add": (
        Permission.EDIT_FEES,
        lambda s, _: s.fees.expenses.add(
            ExpenseInput(_compound(s), "2026-01", "保洁", Decimal("100"))
        ),
    ),
    "fees.billing.run": (
        Permission.BILL,
        lambda s, _: s.fees.billing.run(s.fees.schemes.list_schemes()[0].compound_id, "2030-01"),
    ),
    "fees.payments.pay": (Permission.TAKE_PAYMENT, _pay),
    "fees.payments.void": (
        Permission.VOID_PAYMENT,
        lambda s, _: s.fees.payments.void(
            s.fees.payments.payment_ids(_payment_filter())[0], "权限测试"
        ),
    ),
    "surveys.create_survey": (
        Permission.EDIT_SURVEYS,
        lambda s, _: s.surveys.create_survey(SurveyInput("权限测试问卷")),
    ),
    "survey_entry.save": (Permission.ENTER_RESPONSES, _response),
    "governance.organisations.add": (
        Permission.EDIT_GOVERNANCE,
        lambda s, _: s.governance.organisations.add_organisation(
            _compound(s), OrganisationInput("志愿服务组织", "权限测试志愿队")
        ),
    ),
    "governance.meetings.create": (
        Permission.EDIT_GOVERNANCE,
        lambda s, _: s.governance.meetings.create_meeting(
            MeetingInput(
                _compound(s),
                dt.date(2026, 1, 5),
                "权限测试议题",
                12,
                resolutions=(ResolutionInput("同意", 10, 1, 1),),
            )  # fmt: skip
        ),
    ),
    "governance.problems.add_category": (
        Permission.EDIT_GOVERNANCE,
        lambda s, _: s.governance.problems.add_category("权限测试类别"),
    ),
    "governance.forces.commit_import": (Permission.EDIT_GOVERNANCE, _import_people),
    "governance.forces.export_people(unmasked)": (
        Permission.UNMASKED_OUTPUT,
        lambda s, tmp: s.governance.forces.export_people(tmp / "p.xlsx", unmasked=True),
    ),
    "backups.backup_to": (Permission.BACKUP, lambda s, tmp: s.backups.backup_to(tmp / "b")),
    "backups.restore": (
        Permission.RESTORE,
        lambda s, tmp: (
            s.backups.restore(s.backups.backup_to(tmp / "b2.sqlite3").path)
            if s.actor.role == "admin"
            else s.backups.restore(tmp / "none.sqlite3")
        ),
    ),
    "users.add_user": (
        Permission.MANAGE_USERS,
        lambda s, _: s.users.add_user("permtest", "permtest-pass-1", "viewer"),
    ),
    "users.list_users": (Permission.VIEW_USERS, lambda s, _: s.users.list_users()),
    "audit_log.entry_ids": (Permission.VIEW_AUDIT, lambda s, _: s.audit_log.page()),
}


def _payment_filter() -> object:
    from app.fees.dto import PaymentFilter

    return PaymentFilter()


def _audit_count(s: Services, username: str | None = None) -> int:
    with s.db.sessions() as session:
        q = select(func.count()).select_from(AuditEntry)
        if username is not None:
            q = q.where(AuditEntry.username == username)
        return int(session.scalar(q) or 0)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from app.demo import generate

    path = tmp_path_factory.mktemp("perm") / "template.sqlite3"
    db = open_database(DatabaseTarget(to_url(path)))
    try:
        generate(db, households=120)
    finally:
        db.close()
    return path


def test_every_permission_has_an_action() -> None:
    assert {p for p, _ in ACTIONS.values()} == set(PERMISSIONS)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(ACTIONS))
def test_role_against_action(template: Path, tmp_path: Path, role: str, name: str) -> None:
    path = tmp_path / "db.sqlite3"
    shutil.copyfile(template, path)
    db = open_database(DatabaseTarget(to_url(path)), check=False)
    try:
        permission, call = ACTIONS[name]
        actor = Actor(f"perm-{role}", role, None)
        services = Services.build(db, actor)
        before = _audit_count(services)
        if not allowed(actor, permission):
            with pytest.raises(PermissionDenied) as refused:
                call(services, tmp_path)
            assert refused.value.message == denied_message(role, permission)
            assert _audit_count(services) == before
            return
        call(services, tmp_path)
        if permission is Permission.RESTORE:
            return  # the database was replaced, with its own (older) log
        mine = _audit_count(services, actor.username)
        if PERMISSIONS[permission].audited:
            assert mine >= 1, f"{name} by {role} left no audit entry"
        else:
            assert mine == 0
    finally:
        db.close()
