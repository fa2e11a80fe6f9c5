"""Demo accounts: one per role, all with the password DEMO_PASSWORD (see the README)."""

from __future__ import annotations

import datetime as dt
import functools
import random

from sqlalchemy import insert
from sqlalchemy.orm import Session

from app.users.passwords import hash_password
from db.models import User

DEMO_PASSWORD = "demo1234"
DEMO_USERS = (
    ("admin", "演示管理员", "admin"),
    ("clerk", "演示工作人员", "clerk"),
    ("viewer", "演示只读用户", "viewer"),
)
DEMO_ADMIN = DEMO_USERS[0][0]


@functools.cache
def _demo_hash() -> str:
    return hash_password(DEMO_PASSWORD)


def demo_users(s: Session, _rng: random.Random) -> None:
    """The demo step of the users area: an administrator, a clerk and a read-only user."""
    created = dt.datetime(2026, 11, 1, 8, 0)
    s.execute(
        insert(User),
        [
            {
                "username": name,
                "display_name": display,
                "role": role,
                "password_hash": _demo_hash(),
                "failed_logins": 0,
                "active": True,
                "created_at": created,
            }
            for name, display, role in DEMO_USERS
        ],
    )
