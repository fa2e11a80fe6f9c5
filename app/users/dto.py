"""What the users service hands out: frozen rows, never ORM objects or hashes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.auth import role_label


@dataclass(frozen=True)
class UserRow:
    id: int
    username: str
    display_name: str
    role: str
    active: bool
    failed_logins: int
    locked_until: dt.datetime | None
    created_at: dt.datetime

    @property
    def role_label(self) -> str:
        return role_label(self.role)

    def locked_at(self, now: dt.datetime) -> bool:
        return self.locked_until is not None and self.locked_until > now


@dataclass(frozen=True)
class LoginPolicy:
    """How many wrong passwords in a row lock an account, and for how long."""

    max_failures: int = 5
    lockout_minutes: int = 15
