"""Subcommands for administrators: backup, restore and users (wired into app.cli)."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from pathlib import Path

from app.audit import SYSTEM
from app.auth import role_label
from app.backup import restore_unopened
from app.cli_target import open_target
from app.config import resolve_target
from app.database import Database
from app.errors import AppError
from app.program_settings import load_settings
from app.services import Services
from app.users.service import UserService
from db.models.auth import ROLES

SUBCOMMANDS = ("backup", "restore", "users")


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    backup = sub.add_parser("backup", help="把 SQLite 数据库备份为一个文件（在线、一致）")
    backup.add_argument("out", metavar="OUT", help="备份文件路径，或一个文件夹（自动命名）")
    restore = sub.add_parser("restore", help="从备份文件恢复数据库（先检查；原库另存为备份）")
    restore.add_argument("file", metavar="FILE", help="备份文件")
    users = sub.add_parser("users", help="用户管理：add / list / passwd / unlock")
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


def _open(args: argparse.Namespace) -> Database:
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
        info = Services.build(db, SYSTEM).backups.backup_to(Path(args.out))
    finally:
        db.close()
    print(
        f"已备份到 {info.path}（{info.size / 1_048_576:.1f} MB，住户 {info.households} 户，"
        f"居民 {info.residents} 人）"
    )
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    # The database being replaced may be damaged, so it is not opened (checked) first.
    target = resolve_target(args.db, demo=args.demo)
    result = restore_unopened(target, Path(args.file), SYSTEM)
    print(
        f"已从 {result.restored.path} 恢复（住户 {result.restored.households} 户，"
        f"居民 {result.restored.residents} 人）。"
    )
    if result.safety_copy is not None:
        print(f"恢复前的数据库已另存为 {result.safety_copy}")
    return 0


def cmd_users(args: argparse.Namespace) -> int:
    db = _open(args)
    try:
        users = UserService(db.sessions, SYSTEM, load_settings().login_policy())
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
