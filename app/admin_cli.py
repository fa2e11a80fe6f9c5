"""Subcommands for administrators: backup, restore and users (wired into app.cli)."""

from __future__ import annotations

import argparse
import getpass
import logging
import sys
from collections.abc import Callable
from pathlib import Path

from app.audit import Actor
from app.auth import role_label
from app.backup import restore_unopened
from app.config import DatabaseTarget, resolve_target
from app.database import Database, open_database
from app.errors import AppError, DatabaseError
from app.program_settings import load_settings
from app.services import Services
from app.signin import acting, local_actor, os_user, require_file_owner
from app.users.service import UserService
from db.models.auth import ROLES

logger = logging.getLogger(__name__)

SUBCOMMANDS = ("backup", "restore", "users")


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    backup = sub.add_parser("backup", help="把 SQLite 数据库备份为一个文件（在线、一致）")
    backup.add_argument("out", metavar="OUT", help="备份文件路径，或一个文件夹（自动命名）")
    restore = sub.add_parser("restore", help="从备份文件恢复数据库（先检查；原库另存为备份）")
    restore.add_argument("file", metavar="FILE", help="备份文件")
    users = sub.add_parser("users", help="用户管理：add / list / passwd / unlock / recover")
    action = users.add_subparsers(dest="users_command", metavar="ACTION", required=True)
    add = action.add_parser("add", help="新增用户")
    add.add_argument("name", metavar="NAME")
    add.add_argument("--role", choices=ROLES, default="clerk", help="admin / clerk / viewer")
    add.add_argument("--display-name", default="", help="姓名")
    add.add_argument("--password-stdin", action="store_true", help="从标准输入读取密码")
    action.add_parser("list", help="列出用户")
    passwd = action.add_parser("passwd", help="重设用户密码（同时解锁）")
    passwd.add_argument("name", metavar="NAME")
    passwd.add_argument("--password-stdin", action="store_true", help="从标准输入读取密码")
    unlock = action.add_parser("unlock", help="解锁因密码错误被锁定的用户")
    unlock.add_argument("name", metavar="NAME")
    recover = action.add_parser(
        "recover",
        help="忘记管理员密码时恢复账户：须由数据库文件所有者在本机运行，记入审计日志",
    )
    recover.add_argument("--reset-admin", metavar="NAME", required=True, dest="reset_admin")
    recover.add_argument("--password-stdin", action="store_true", help="从标准输入读取新密码")


def _open(args: argparse.Namespace) -> Database:
    from app.cli import open_target

    return open_target(args, create=False)


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("新密码：")
    if getpass.getpass("再输入一次：") != first:
        raise AppError("两次输入的密码不一致")
    return first


def cmd_backup(args: argparse.Namespace) -> int:
    db = _open(args)
    try:
        info = Services.build(db, acting(args, db)).backups.backup_to(Path(args.out))
    finally:
        db.close()
    print(
        f"已备份到 {info.path}（{info.size / 1_048_576:.1f} MB，住户 {info.households} 户，"
        f"居民 {info.residents} 人）"
    )
    return 0


def _restoring_actor(args: argparse.Namespace, target: DatabaseTarget) -> Actor:
    """The signed-in administrator; when the database cannot be opened (damaged, the usual
    reason to restore), the OS account that owns its file, as for account recovery."""
    try:
        db = open_database(target, create=False)
    except DatabaseError:
        if not target.is_sqlite:
            raise
        path = target.path
        if path is not None and path.exists():
            require_file_owner(path)
        logger.warning("restoring an unopenable database as the file's owner %s", os_user())
        return local_actor()
    try:
        return acting(args, db)
    finally:
        db.close()


def cmd_restore(args: argparse.Namespace) -> int:
    # The database being replaced may be damaged, so it is not kept open while it is replaced.
    target = resolve_target(args.db, demo=args.demo)
    actor = _restoring_actor(args, target)
    result = restore_unopened(target, Path(args.file), actor)
    print(
        f"已从 {result.restored.path} 恢复（住户 {result.restored.households} 户，"
        f"居民 {result.restored.residents} 人）。"
    )
    if result.safety_copy is not None:
        print(f"恢复前的数据库已另存为 {result.safety_copy}")
    return 0


def cmd_recover(args: argparse.Namespace) -> int:
    """A forgotten administrator password: reset by the OS account that owns the database."""
    target = resolve_target(args.db, demo=args.demo)
    if target.is_sqlite:
        path = target.path
        if path is None or not path.exists():
            raise AppError(f"数据库文件不存在：{path}")
        require_file_owner(path)
    db = open_database(target, create=False)
    try:
        actor = local_actor()
        users = UserService(db.sessions, actor, load_settings().login_policy())
        users.recover_admin(args.reset_admin, _password(args), os_user())
    finally:
        db.close()
    logger.warning("account recovery: %s reset by OS user %s", args.reset_admin, os_user())
    print(
        f"已恢复管理员 {args.reset_admin}：密码已重设、账户已解锁并启用。"
        "此操作已记入审计日志（账户恢复）。",
    )
    print("警告：账户恢复绕过了登录，请确认是您本人所为。", file=sys.stderr)
    return 0


def cmd_users(args: argparse.Namespace) -> int:
    if args.users_command == "recover":
        return cmd_recover(args)
    db = _open(args)
    try:
        users = UserService(db.sessions, acting(args, db), load_settings().login_policy())
        if args.users_command == "list":
            for u in users.list_users():
                state = "启用" if u.active else "停用"
                if u.locked_until is not None:
                    state += f"，锁定至 {u.locked_until:%Y-%m-%d %H:%M}"
                print(f"{u.username}\t{u.display_name}\t{role_label(u.role)}\t{state}")
        elif args.users_command == "add":
            users.add_user(args.name, _password(args), args.role, args.display_name)
            print(f"已新增用户 {args.name}（{role_label(args.role)}）")
        elif args.users_command == "passwd":
            users.reset_password(users.user_id_of(args.name), _password(args))
            print(f"已重设 {args.name} 的密码")
        else:
            users.unlock(users.user_id_of(args.name))
            print(f"已解锁 {args.name}")
    finally:
        db.close()
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "backup": cmd_backup,
    "restore": cmd_restore,
    "users": cmd_users,
}
