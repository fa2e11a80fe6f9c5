"""The command line: the same services as the window, for IT staff, scripts and tests.

Exit 0 on success; on an expected failure one Chinese line on stderr and exit 1; on bad
arguments exit 2 (argparse).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

from app import __version__, admin_cli
from app.config import data_dir, private_files, resolve_target
from app.database import Database, friendly_error, is_empty, open_database
from app.errors import AppError
from app.fees import cli as fees_cli
from app.governance import cli as governance_cli
from app.logging_setup import setup_logging
from app.roster import cli as roster_cli
from app.surveys import cli as surveys_cli

logger = logging.getLogger(__name__)

SUBCOMMANDS = (
    "gui",
    "init",
    "stats",
    *admin_cli.SUBCOMMANDS,
    *governance_cli.SUBCOMMANDS,
    *roster_cli.SUBCOMMANDS,
    *fees_cli.SUBCOMMANDS,
    *surveys_cli.SUBCOMMANDS,
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="louyuan", description="楼院通：楼院台账、物业收费与入户调查"
    )
    parser.add_argument("--version", action="version", version=f"louyuan {__version__}")
    parser.add_argument(
        "--db",
        metavar="URL",
        help="数据库文件路径或 SQLAlchemy URL（默认取 LOUYUAN_DB 或数据目录）",
    )
    parser.add_argument("--demo", action="store_true", help="使用演示数据库")
    parser.add_argument(
        "--user", metavar="NAME", help="以该用户登录（或设置 LOUYUAN_USER）；演示数据库自动登录"
    )
    parser.add_argument(
        "--password-stdin",
        dest="signin_password_stdin",
        action="store_true",
        help="登录密码取标准输入的第一行（或设置 LOUYUAN_PASSWORD；否则提示输入）",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    gui = sub.add_parser("gui", help="打开窗口（默认）")
    gui.add_argument(
        "--demo", action="store_true", default=argparse.SUPPRESS, help="使用演示数据库"
    )
    init = sub.add_parser("init", help="创建或升级数据库")
    init.add_argument(
        "--demo",
        action="store_true",
        default=argparse.SUPPRESS,
        help="初始化演示数据库（填入演示数据）",
    )
    stats = sub.add_parser("stats", help="统计楼院、楼栋、住户、居民数")
    stats.add_argument("--json", action="store_true", help="输出一个 JSON 对象")
    admin_cli.add_parsers(sub)
    governance_cli.add_parsers(sub)
    roster_cli.add_parsers(sub)
    fees_cli.add_parsers(sub)
    surveys_cli.add_parsers(sub)
    return parser


def open_target(args: argparse.Namespace, *, create: bool) -> Database:
    """Open the database named by the arguments; the demo is filled on first use."""
    target = resolve_target(args.db, demo=args.demo)
    db = open_database(target, create=create or args.demo)
    if args.demo and is_empty(db):
        from app.demo import generate

        generate(db)
    return db


def cmd_init(args: argparse.Namespace) -> int:
    db = open_target(args, create=True)
    try:
        print(f"数据库已就绪：{db.target.display}")
    finally:
        db.close()
    return 0


def db_stats(db: Database) -> dict[str, Any]:
    from app.stats import StatsService

    return StatsService(db.sessions).summary()


def cmd_stats(args: argparse.Namespace) -> int:
    db = open_target(args, create=False)
    try:
        figures = db_stats(db)
    finally:
        db.close()
    if args.json:
        print(json.dumps(figures, ensure_ascii=False))
    else:
        print(
            f"楼院 {figures['compounds']} 个，楼栋 {figures['buildings']} 栋，"
            f"住户 {figures['households']} 户，居民 {figures['residents']} 人"
        )
        for row in figures["by_community"]:
            print(
                f"  {row['community']}：楼院 {row['compounds']}，住户 {row['households']}，"
                f"居民 {row['residents']}"
            )
        for mode, row in figures["by_management_mode"].items():
            print(f"  {mode}：楼院 {row['compounds']}，住户 {row['households']}")
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "init": cmd_init,
    "stats": cmd_stats,
    **admin_cli.COMMANDS,
    **governance_cli.COMMANDS,
    **roster_cli.COMMANDS,
    **fees_cli.COMMANDS,
    **surveys_cli.COMMANDS,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run one subcommand; never shows a traceback for an expected failure."""
    args = build_parser().parse_args(argv)
    private_files()
    setup_logging(data_dir())
    handler = COMMANDS.get(args.command or "")
    if handler is None:
        print("请指定子命令；打开窗口请运行 louyuan 或 louyuan gui", file=sys.stderr)
        return 2
    try:
        code = handler(args)
        sys.stdout.flush()
        return code
    except BrokenPipeError:
        # `louyuan stats --json | head`: the reader went away; nothing more to say.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except AppError as exc:
        print(exc.message, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("已中断", file=sys.stderr)
        return 130
    except Exception as exc:
        friendly = friendly_error(exc)
        if friendly is None:
            raise
        print(friendly.message, file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
