"""Users: first administrator, sign-in, lockout, passwords, administration, role checks."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from app.audit import SYSTEM, Actor
from app.auth import Permission, allowed, require
from app.database import Database
from app.errors import PermissionDenied
from app.registry.dto import CompoundInput
from app.services import Services
from app.users.dto import LoginPolicy
from app.users.errors import (
    AccountDisabled,
    AccountLocked,
    LastAdministrator,
    LoginFailed,
    UserInputError,
    UsersExist,
)
from app.users.passwords import hash_password, verify_password
from app.users.service import UserService
from db.models import AuditEntry, User

PASSWORD = "s3cret-pass"


class Clock:
    def __init__(self) -> None:
        self.now = dt.datetime(2026, 11, 1, 9, 0)

    def __call__(self) -> dt.datetime:
        return self.now


def _service(db: Database, actor: Actor = SYSTEM, clock: Clock | None = None) -> UserService:
    return UserService(db.sessions, actor, LoginPolicy(3, 10), clock or Clock())


def test_password_hash_is_salted_scrypt_and_verifies() -> None:
    a, b = hash_password("密码abc123"), hash_password("密码abc123")
    assert a != b and a.startswith("scrypt$16384$8$1$")
    assert verify_password("密码abc123", a)
    assert not verify_password("密码abc124", a)
    assert not verify_password("x", "garbage")


def test_first_admin_once_then_login(db: Database) -> None:
    users = _service(db)
    assert not users.has_users()
    admin = users.create_first_admin("admin", PASSWORD, "张主任")
    assert admin.role == "admin" and admin.user_id is not None
    assert users.has_users()
    with pytest.raises(UsersExist):
        users.create_first_admin("other", PASSWORD)
    actor = users.login(" admin ", PASSWORD)
    assert actor == admin
    with db.sessions() as s:
        stored = s.scalars(select(User.password_hash)).one()
        actions = list(s.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
    assert PASSWORD not in stored
    assert actions == ["create", "login"]


@pytest.mark.parametrize(
    ("name", "password", "field"),
    [("a", PASSWORD, "username"), ("has space", PASSWORD, "username"), ("ok", "short", "password")],
)
def test_bad_names_and_passwords_are_refused(
    db: Database, name: str, password: str, field: str
) -> None:
    with pytest.raises(UserInputError) as info:
        _service(db).create_first_admin(name, password)
    assert info.value.field == field
    assert not _service(db).has_users()


def test_wrong_password_counts_down_then_locks_then_expires(db: Database) -> None:
    clock = Clock()
    users = _service(db, clock=clock)
    users.create_first_admin("admin", PASSWORD)
    with pytest.raises(LoginFailed) as first:
        users.login("admin", "wrong-one")
    assert first.value.attempts_left == 2 and "2 次" in first.value.message
    with pytest.raises(LoginFailed):
        users.login("admin", "wrong-two")
    with pytest.raises(AccountLocked) as locked:
        users.login("admin", "wrong-three")
    assert "10 分钟" in locked.value.message
    # The right password does not help while locked.
    clock.now += dt.timedelta(minutes=9)
    with pytest.raises(AccountLocked) as still:
        users.login("admin", PASSWORD)
    assert still.value.minutes == 1
    clock.now += dt.timedelta(minutes=2)
    assert users.login("admin", PASSWORD).username == "admin"


def test_unknown_user_says_the_same_as_a_wrong_password(db: Database) -> None:
    users = _service(db)
    users.create_first_admin("admin", PASSWORD)
    with pytest.raises(LoginFailed) as info:
        users.login("nobody", PASSWORD)
    assert info.value.message.startswith("用户名或密码错误")


def test_change_password(db: Database) -> None:
    admin = _service(db).create_first_admin("admin", PASSWORD)
    mine = _service(db, admin)
    with pytest.raises(UserInputError, match="原密码不正确"):
        mine.change_password("nope-nope", "new-password-1")
    mine.change_password(PASSWORD, "new-password-1")
    with pytest.raises(LoginFailed):
        mine.login("admin", PASSWORD)
    assert mine.login("admin", "new-password-1").username == "admin"


def test_admin_manages_users_and_keeps_one_admin(db: Database) -> None:
    admin = _service(db).create_first_admin("admin", PASSWORD)
    users = _service(db, admin)
    clerk_id = users.add_user("李工作", PASSWORD, "clerk", "李工作人员")
    with pytest.raises(UserInputError, match="已存在"):
        users.add_user("李工作", PASSWORD, "clerk")
    with pytest.raises(UserInputError):
        users.add_user("x2", PASSWORD, "boss")
    rows = {u.username: u for u in users.list_users()}
    assert rows["李工作"].role_label == "工作人员"
    users.update_user(clerk_id, role="viewer", active=True, display_name="只读的李")
    assert users.login("李工作", PASSWORD).role == "viewer"
    assert admin.user_id is not None
    with pytest.raises(LastAdministrator):
        users.update_user(admin.user_id, role="clerk", active=True, display_name="")
    users.update_user(clerk_id, role="viewer", active=False, display_name="")
    with pytest.raises(AccountDisabled):
        users.login("李工作", PASSWORD)


def test_reset_password_unlocks(db: Database) -> None:
    clock = Clock()
    admin = _service(db, clock=clock).create_first_admin("admin", PASSWORD)
    users = _service(db, admin, clock)
    uid = users.add_user("clerk1", PASSWORD, "clerk")
    for _ in range(3):
        with pytest.raises((LoginFailed, AccountLocked)):
            users.login("clerk1", "bad-password")
    assert users.list_users()[1].locked_at(clock.now)
    users.reset_password(uid, "fresh-pass-9")
    assert users.login("clerk1", "fresh-pass-9").role == "clerk"


def test_only_admins_manage_users(db: Database) -> None:
    admin = _service(db).create_first_admin("admin", PASSWORD)
    _service(db, admin).add_user("clerk1", PASSWORD, "clerk")
    clerk = _service(db).login("clerk1", PASSWORD)
    with pytest.raises(PermissionDenied, match="仅限管理员"):
        _service(db, clerk).list_users()
    with pytest.raises(PermissionDenied):
        _service(db, clerk).add_user("x3", PASSWORD, "admin")


def test_role_permissions() -> None:
    clerk, viewer, admin = Actor("c", "clerk"), Actor("v", "viewer"), Actor("a", "admin")
    assert all(allowed(admin, p) for p in Permission)
    assert allowed(clerk, Permission.EDIT_REGISTRY) and not allowed(clerk, Permission.RESTORE)
    assert not allowed(clerk, Permission.UNMASKED_OUTPUT)
    assert not any(allowed(viewer, p) for p in Permission)
    with pytest.raises(PermissionDenied, match="只读用户"):
        require(viewer, Permission.EDIT_REGISTRY)


def test_viewer_cannot_change_the_registry(demo: Services) -> None:
    viewer = Services.build(demo.db, Actor("v", "viewer"))
    community = viewer.compounds.communities()[0].id
    with pytest.raises(PermissionDenied, match="只读用户无权修改楼院台账"):
        viewer.compounds.create_compound(CompoundInput(name="新楼院", community_id=community))
    household = demo.households.household_ids()[0]
    with pytest.raises(PermissionDenied):
        viewer.households.delete_household(household)


def test_demo_has_one_account_per_role(demo: Services) -> None:
    from app.users.demo import DEMO_PASSWORD

    users = _service(demo.db)
    assert {users.login(n, DEMO_PASSWORD).role for n in ("admin", "clerk", "viewer")} == {
        "admin",
        "clerk",
        "viewer",
    }
