"""Who the command line acts as: a signed-in person, as in the window.

`louyuan --user NAME` signs in with the password from the first line of standard input
(`--password-stdin`), from LOUYUAN_PASSWORD, or from a prompt; LOUYUAN_USER stands in for
`--user`. The demo database signs in as its administrator, as the window does; a database
that has no user yet is run by the local account that owns it (named in the audit log as
本机用户 and the OS user name). A subcommand that changes data or writes personal data without
a signed-in user is refused.
"""

from __future__ import annotations

import argparse
import getpass
import logging
import os
import sys
from pathlib import Path

from app.audit import Actor
from app.database import Database
from app.errors import AppError, PermissionDenied
from app.program_settings import load_settings
from app.users.demo import DEMO_ADMIN, DEMO_PASSWORD
from app.users.service import UserService

logger = logging.getLogger(__name__)

USER_ENV = "LOUYUAN_USER"
PASSWORD_ENV = "LOUYUAN_PASSWORD"

# Subcommands that change data or write personal data (names, rooms, phones, IDs).
PERSONAL = frozenset(
    {
        "fee-scheme", "bill", "notices", "pay", "receipt", "import-roster", "export-roster",
        "survey-export", "survey-print", "survey-not-reached", "survey-scan",
        "problems-export", "backup", "restore", "users", "forces",
    }
)  # fmt: skip

NEED_USER = (
    "此命令会修改数据或写出个人信息，请先登录：louyuan --user 用户名 …"
    "（密码用 --password-stdin 从标准输入读取，或设置 LOUYUAN_USER / LOUYUAN_PASSWORD）"
)


def needs_person(args: argparse.Namespace) -> bool:
    """True for a subcommand that changes data or writes personal data."""
    command = args.command or ""
    if command in ("import-roster", "forces") and getattr(args, "dry_run", False):
        return False
    if command == "posting":
        return bool(getattr(args, "kind", "") == "arrears")
    return command in PERSONAL


def os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in the environment (rare): still say who
        return f"uid {os.getuid()}" if hasattr(os, "getuid") else "unknown"


def local_actor() -> Actor:
    """The person at this computer, when there is no account to sign in with."""
    return Actor(f"本机用户 {os_user()}", "admin")


def _read_password(args: argparse.Namespace) -> str:
    if getattr(args, "signin_password_stdin", False):
        line = sys.stdin.readline()
        return line.rstrip("\r\n")
    env = os.environ.get(PASSWORD_ENV)
    if env is not None:
        return env
    if not sys.stdin.isatty():
        raise AppError("没有密码：请用 --password-stdin 从标准输入提供，或设置 LOUYUAN_PASSWORD")
    return getpass.getpass("密码：")


def acting(args: argparse.Namespace, db: Database) -> Actor:
    """The actor for this run of the command line (signing in when a user is named).

    Raises:
        PermissionDenied: nobody signed in and the subcommand needs a person.
        LoginFailed, AccountLocked, AccountDisabled: the sign-in failed (lockout applies).
    """
    cached: Actor | None = getattr(args, "_actor", None)
    if cached is not None:
        return cached
    users = UserService(db.sessions, local_actor(), load_settings().login_policy())
    name = getattr(args, "user", None) or os.environ.get(USER_ENV)
    actor: Actor
    if name:
        actor = users.login(name, _read_password(args))
    elif db.target.demo:
        actor = users.login(DEMO_ADMIN, DEMO_PASSWORD)
    elif not users.has_users():
        actor = local_actor()
    elif needs_person(args):
        raise PermissionDenied(NEED_USER)
    else:
        actor = Actor("未登录", "viewer")
    args._actor = actor
    return actor


def require_file_owner(path: Path) -> None:
    """Only the OS account that owns the database file (or the machine's administrator) may
    recover an account through it: the same person who could read or replace the file."""
    if not hasattr(os, "getuid"):
        # Windows: whoever may write the file in the user's own data folder owns it.
        if not os.access(path, os.W_OK):
            raise PermissionDenied(f"没有写入数据库文件的权限：{path}")
        return
    uid = os.getuid()
    owner = path.stat().st_uid
    if uid not in (0, owner):
        raise PermissionDenied(f"只有数据库文件的所有者（操作系统账户）才能恢复账户：{path}")
