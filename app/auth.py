"""Roles and what each may do: the one table every service asks before it acts.

`PERMISSIONS` is the whole rule book: for each permission, the roles that hold it, what it
is called in a refusal, and whether using it is written to the audit log. Services call
`require(actor, permission)` (never a hand-made role check) and the window asks `allowed`
to hide what the user may not do. `tests/app/test_permissions.py` is generated from this
table: every role against every service action.

Personal data on paper or in files (rosters, not-reached lists, arrears lists, postings)
follows one rule: ID numbers and phones are masked unless the user holds
`UNMASKED_OUTPUT` (administrators) and asks for them in full; every such output is recorded
in the audit log (`disclose`).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from app import audit
from app.audit import Actor
from app.errors import PermissionDenied
from db.models.auth import ROLES

ROLE_LABELS = {"admin": "管理员", "clerk": "工作人员", "viewer": "只读"}
_WHO = {"admin": "管理员", "clerk": "工作人员", "viewer": "只读用户"}


class Permission(enum.StrEnum):
    """Something a role may or may not do."""

    EDIT_REGISTRY = "edit_registry"  # compounds, buildings, households, residents
    IMPORT_ROSTER = "import_roster"
    EDIT_FEES = "edit_fees"  # fee schemes and their states, running costs
    BILL = "bill"
    TAKE_PAYMENT = "take_payment"
    VOID_PAYMENT = "void_payment"
    EDIT_SURVEYS = "edit_surveys"
    ENTER_RESPONSES = "enter_responses"
    EDIT_GOVERNANCE = "edit_governance"  # organisations, conventions, meetings, problems
    BACKUP = "backup"  # a manual backup copy
    UNMASKED_OUTPUT = "unmasked_output"  # ID numbers and phones in full, in files or on paper
    RESTORE = "restore"  # replace the database with a backup
    MANAGE_USERS = "manage_users"
    VIEW_USERS = "view_users"
    VIEW_AUDIT = "view_audit"


@dataclass(frozen=True)
class Rule:
    """One row of the table."""

    roles: frozenset[str]
    label: str  # what the permission does, as a refusal names it
    audited: bool  # a use of it writes an audit entry


_STAFF = frozenset({"admin", "clerk"})
_ADMIN = frozenset({"admin"})

PERMISSIONS: Mapping[Permission, Rule] = {
    Permission.EDIT_REGISTRY: Rule(_STAFF, "修改楼院台账（楼院、楼栋、住户、居民）", True),
    Permission.IMPORT_ROSTER: Rule(_STAFF, "导入花名册", True),
    Permission.EDIT_FEES: Rule(_STAFF, "修改收费方案和运行成本", True),
    Permission.BILL: Rule(_STAFF, "生成应收（计费）", True),
    Permission.TAKE_PAYMENT: Rule(_STAFF, "收费", True),
    Permission.VOID_PAYMENT: Rule(_STAFF, "作废缴费", True),
    Permission.EDIT_SURVEYS: Rule(_STAFF, "修改调查问卷", True),
    Permission.ENTER_RESPONSES: Rule(_STAFF, "录入或删除答卷", True),
    Permission.EDIT_GOVERNANCE: Rule(_STAFF, "修改组织、公约、议事和问题台账", True),
    Permission.BACKUP: Rule(_STAFF, "备份数据", True),
    Permission.UNMASKED_OUTPUT: Rule(_ADMIN, "导出或打印完整的身份证号和电话", True),
    Permission.RESTORE: Rule(_ADMIN, "从备份恢复数据库", True),
    Permission.MANAGE_USERS: Rule(_ADMIN, "管理用户", True),
    Permission.VIEW_USERS: Rule(_ADMIN, "查看用户列表", False),
    Permission.VIEW_AUDIT: Rule(_ADMIN, "查看审计日志", False),
}


def role_label(role: str) -> str:
    return ROLE_LABELS.get(role, role)


def allowed(actor: Actor, permission: Permission) -> bool:
    """True when the actor's role grants the permission."""
    return actor.role in PERMISSIONS[permission].roles


def denied_message(role: str, permission: Permission) -> str:
    """The one refusal text: who is refused what, and who may do it."""
    rule = PERMISSIONS[permission]
    holders = "、".join(_WHO[r] for r in ROLES if r in rule.roles)
    return f"{_WHO.get(role, role)}无权{rule.label}（仅限{holders}）"


def require(actor: Actor, permission: Permission) -> None:
    """Raise PermissionDenied (with a Chinese message) unless the role grants the permission."""
    if not allowed(actor, permission):
        raise PermissionDenied(denied_message(actor.role, permission))


def disclose(
    sessions: sessionmaker[Session],
    actor: Actor,
    *,
    entity: str,
    note: str,
    after: Mapping[str, Any] | None = None,
) -> None:
    """Record an output of personal data in full (the caller has `require`d UNMASKED_OUTPUT)."""
    require(actor, Permission.UNMASKED_OUTPUT)
    with sessions.begin() as s:
        audit.record(s, actor, "export_unmasked", entity, None, after=after, note=note)
