"""Use cases for users: the first administrator, sign-in with lockout, passwords, admin."""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from app import audit
from app.audit import Actor
from app.auth import Permission, require
from app.errors import NotFound
from app.users.dto import LoginPolicy, UserRow
from app.users.errors import (
    MIN_PASSWORD_LENGTH,
    AccountDisabled,
    AccountLocked,
    LastAdministrator,
    LoginFailed,
    UserInputError,
    UsersExist,
)
from app.users.passwords import dummy_hash, hash_password, verify_password
from db.models import User
from db.models.auth import ROLES

logger = logging.getLogger(__name__)

USERNAME_RE = re.compile(r"^[A-Za-z0-9_.\-\u4e00-\u9fff]{2,32}$")
Clock = Callable[[], dt.datetime]


def check_username(username: str) -> str:
    name = username.strip()
    if not USERNAME_RE.match(name):
        raise UserInputError("username", "用户名为 2～32 个字母、数字、汉字或 _ . -")
    return name


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserInputError("password", f"密码至少 {MIN_PASSWORD_LENGTH} 个字符")
    if len(set(password)) < 3:
        raise UserInputError("password", "密码太简单：请至少用三个不同的字符")


def check_role(role: str) -> None:
    if role not in ROLES:
        raise UserInputError("role", "角色只能是 管理员、工作人员 或 只读")


def _row(u: User) -> UserRow:
    return UserRow(
        u.id,
        u.username,
        u.display_name,
        u.role,
        u.active,
        u.failed_logins,
        u.locked_until,
        u.created_at,
    )


def actor_of(u: User) -> Actor:
    return Actor(u.username, u.role, u.id)


class UserService:
    """Users of one database, for one acting user (the signed-in one, or SYSTEM)."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        actor: Actor,
        policy: LoginPolicy | None = None,
        clock: Clock = dt.datetime.now,
    ) -> None:
        self._sessions = sessions
        self._actor = actor
        self._policy = policy or LoginPolicy()
        self._now = clock

    # -- first start and sign-in -----------------------------------------------------------

    def has_users(self) -> bool:
        with self._sessions() as s:
            return bool(s.scalar(select(func.count()).select_from(User)))

    def create_first_admin(self, username: str, password: str, display_name: str = "") -> Actor:
        """The administrator of a database that has no user yet; returns them signed in.

        Raises:
            UsersExist: the database already has users.
            UserInputError: bad user name or password.
        """
        name = check_username(username)
        check_password(password)
        with self._sessions.begin() as s:
            if s.scalar(select(func.count()).select_from(User)):
                raise UsersExist()
            u = self._new_user(s, name, display_name, "admin", password)
            actor = actor_of(u)
            audit.record(s, actor, "create", "user", u.id, after=self._audit_view(u))
            return actor

    def login(self, username: str, password: str) -> Actor:
        """Check the password; repeated failures lock the account for a while.

        Raises:
            LoginFailed, AccountLocked, AccountDisabled.
        """
        now = self._now()
        with self._sessions.begin() as s:
            u = s.scalar(select(User).where(User.username == username.strip()))
            if u is None:
                verify_password(password, dummy_hash())
                raise LoginFailed()
            if u.locked_until is not None and u.locked_until > now:
                raise AccountLocked(self._minutes_left(u.locked_until, now))
            ok = verify_password(password, u.password_hash)
            if ok and u.active:
                u.failed_logins, u.locked_until = 0, None
                audit.record(s, actor_of(u), "login", "user", u.id)
                return actor_of(u)
            if ok:
                raise AccountDisabled()
            error = self._failed(s, u, now)
        raise error

    def _failed(self, s: Session, u: User, now: dt.datetime) -> LoginFailed | AccountLocked:
        """Count a wrong password (committed even though sign-in fails)."""
        u.failed_logins += 1
        actor = actor_of(u)
        if u.failed_logins >= self._policy.max_failures:
            u.locked_until = now + dt.timedelta(minutes=self._policy.lockout_minutes)
            u.failed_logins = 0
            audit.record(s, actor, "lock", "user", u.id, note="密码连续错误")
            logger.warning("user %s locked after repeated failures", u.username)
            return AccountLocked(self._policy.lockout_minutes)
        audit.record(s, actor, "login_failed", "user", u.id)
        return LoginFailed(self._policy.max_failures - u.failed_logins)

    @staticmethod
    def _minutes_left(until: dt.datetime, now: dt.datetime) -> int:
        return max(1, -(-int((until - now).total_seconds()) // 60))

    def change_password(self, old_password: str, new_password: str) -> None:
        """The signed-in user's own password."""
        check_password(new_password)
        with self._sessions.begin() as s:
            u = self._user(s, self._actor.user_id)
            if not verify_password(old_password, u.password_hash):
                raise UserInputError("old_password", "原密码不正确")
            u.password_hash = hash_password(new_password)
            audit.record(s, self._actor, "change_password", "user", u.id)

    # -- administration --------------------------------------------------------------------

    def list_users(self) -> list[UserRow]:
        require(self._actor, Permission.VIEW_USERS)
        with self._sessions() as s:
            return [_row(u) for u in s.scalars(select(User).order_by(User.username, User.id))]

    def add_user(self, username: str, password: str, role: str, display_name: str = "") -> int:
        require(self._actor, Permission.MANAGE_USERS)
        name = check_username(username)
        check_role(role)
        check_password(password)
        with self._sessions.begin() as s:
            if s.scalar(select(User.id).where(User.username == name)) is not None:
                raise UserInputError("username", f"用户名“{name}”已存在")
            u = self._new_user(s, name, display_name, role, password)
            audit.record(s, self._actor, "create", "user", u.id, after=self._audit_view(u))
            return u.id

    def update_user(self, user_id: int, *, role: str, active: bool, display_name: str) -> None:
        require(self._actor, Permission.MANAGE_USERS)
        check_role(role)
        with self._sessions.begin() as s:
            u = self._user(s, user_id)
            before = self._audit_view(u)
            u.role, u.active, u.display_name = role, active, display_name.strip()[:32]
            s.flush()
            self._keep_an_admin(s)
            old, new = audit.changed(before, self._audit_view(u))
            if new:
                audit.record(s, self._actor, "update", "user", u.id, before=old, after=new)

    def reset_password(self, user_id: int, new_password: str) -> None:
        """An administrator sets someone's password; this also unlocks the account."""
        require(self._actor, Permission.MANAGE_USERS)
        check_password(new_password)
        with self._sessions.begin() as s:
            u = self._user(s, user_id)
            u.password_hash = hash_password(new_password)
            u.failed_logins, u.locked_until = 0, None
            audit.record(s, self._actor, "reset_password", "user", u.id)

    def recover_admin(self, username: str, new_password: str, os_account: str) -> None:
        """Account recovery: make `username` an active, unlocked administrator with a new
        password. The caller has checked that the OS account owns the database (whoever can
        write the file can do this anyway); the audit entry says so loudly."""
        require(self._actor, Permission.MANAGE_USERS)
        check_password(new_password)
        with self._sessions.begin() as s:
            u = s.scalar(select(User).where(User.username == username.strip()))
            if u is None:
                raise NotFound(f"没有用户“{username}”")
            before = self._audit_view(u)
            u.password_hash = hash_password(new_password)
            u.failed_logins, u.locked_until = 0, None
            u.role, u.active = "admin", True
            s.flush()
            old, new = audit.changed(before, self._audit_view(u))
            audit.record(
                s, self._actor, "recover", "user", u.id, before=old, after=new,
                note=f"账户恢复（未经登录）：操作系统账户 {os_account} 以数据库文件所有者身份"
                f"重设了管理员 {u.username} 的密码",
            )  # fmt: skip
        logger.warning("account recovery of %s by OS account %s", username, os_account)

    def unlock(self, user_id: int) -> None:
        require(self._actor, Permission.MANAGE_USERS)
        with self._sessions.begin() as s:
            u = self._user(s, user_id)
            u.failed_logins, u.locked_until = 0, None
            audit.record(s, self._actor, "unlock", "user", u.id)

    def user_id_of(self, username: str) -> int:
        with self._sessions() as s:
            uid = s.scalar(select(User.id).where(User.username == username.strip()))
        if uid is None:
            raise NotFound(f"没有用户“{username}”")
        return uid

    # -- helpers ---------------------------------------------------------------------------

    def _new_user(self, s: Session, name: str, display_name: str, role: str, password: str) -> User:
        u = User(
            username=name,
            display_name=display_name.strip()[:32],
            role=role,
            password_hash=hash_password(password),
            failed_logins=0,
            active=True,
            created_at=self._now(),
        )
        s.add(u)
        s.flush()
        return u

    @staticmethod
    def _user(s: Session, user_id: int | None) -> User:
        u = s.get(User, user_id) if user_id is not None else None
        if u is None:
            raise NotFound("该用户不存在")
        return u

    @staticmethod
    def _keep_an_admin(s: Session) -> None:
        admins = s.scalar(
            select(func.count()).select_from(User).where(User.role == "admin", User.active)
        )
        if not admins:
            raise LastAdministrator()

    @staticmethod
    def _audit_view(u: User) -> dict[str, object]:
        return {
            "username": u.username,
            "display_name": u.display_name,
            "role": u.role,
            "active": u.active,
        }
