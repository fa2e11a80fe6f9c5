"""Roles and what each may do: the one place services ask before they act."""

from __future__ import annotations

import enum

from app.audit import Actor
from app.errors import PermissionDenied

ROLE_LABELS = {"admin": "管理员", "clerk": "工作人员", "viewer": "只读"}


class Permission(enum.StrEnum):
    """Something a role may or may not do."""

    EDIT = "edit"  # registry, fees, surveys, problems
    BACKUP = "backup"  # a manual backup copy
    UNMASKED_EXPORT = "unmasked_export"  # ID numbers and phones in full
    RESTORE = "restore"  # replace the database with a backup
    MANAGE_USERS = "manage_users"
    VIEW_AUDIT = "view_audit"


ROLE_PERMISSIONS: dict[str, frozenset[Permission]] = {
    "admin": frozenset(Permission),
    "clerk": frozenset({Permission.EDIT, Permission.BACKUP}),
    "viewer": frozenset(),
}

DENIED_MESSAGES = {
    Permission.EDIT: "只读用户不能修改数据",
    Permission.BACKUP: "只读用户不能备份数据",
    Permission.UNMASKED_EXPORT: "只有管理员可以导出完整的身份证号和电话",
    Permission.RESTORE: "只有管理员可以从备份恢复数据库",
    Permission.MANAGE_USERS: "只有管理员可以管理用户",
    Permission.VIEW_AUDIT: "只有管理员可以查看审计日志",
}


def allowed(actor: Actor, permission: Permission) -> bool:
    """True when the actor's role grants the permission."""
    return permission in ROLE_PERMISSIONS.get(actor.role, frozenset())


def require(actor: Actor, permission: Permission) -> None:
    """Raise PermissionDenied (with a Chinese message) unless the role grants the permission."""
    if not allowed(actor, permission):
        raise PermissionDenied(DENIED_MESSAGES[permission])


def role_label(role: str) -> str:
    return ROLE_LABELS.get(role, role)
