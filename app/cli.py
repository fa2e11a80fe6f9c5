"""The command line: the same services as the window, for IT staff, scripts and tests.

Exit 0 on success; on an expected failure one Chinese line on stderr and exit 1; on bad
arguments exit 2 (argparse).
"""

from __future__ import annotations

import argparse
import importlib
import json
import logging
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from types import ModuleType
from typing import TYPE_CHECKING, Any

from app import __version__
from app.errors import AppError

if TYPE_CHECKING:
    from app.database import Database

logger = logging.getLogger(__name__)

# The area modules that add subcommands, and the subcommands each adds (checked against
# their SUBCOMMANDS by a test). A command names its module, so `stats` or `bill` imports
# only what it uses: SQLAlchemy's ORM, the models and the areas load when a command needs
# them, never for `import app.cli`, the window's argument parsing or `--version`.
AREAS: dict[str, tuple[str, ...]] = {
    "app.admin_cli": ("backup", "restore", "users"),
    "app.governance.cli": ("problems-export", "brief", "forces"),
    "app.roster.cli": ("import-roster", "export-roster"),
    "app.fees.cli": ("fee-scheme", "bill", "notices", "pay", "receipt", "posting"),
    "app.surveys.cli": (
        "survey-report",
        "survey-export",
        "survey-print",
        "survey-not-reached",
        "survey-scan",
    ),
}
OWN_SUBCOMMANDS = ("gui", "init", "stats")
SUBCOMMANDS = (*OWN_SUBCOMMANDS, *(name for names in AREAS.values() for name in names))


def area_modules(command: str | None = None) -> list[ModuleType]:
    """The area cli modules: the one that owns `command`, none for the commands of this
    module, or all of them (no command, or one this table does not know: argparse then
    lists every command in its message, or an area added a command)."""
    if command in OWN_SUBCOMMANDS:
        return []
    owners = [module for module, names in AREAS.items() if command in names]
    return [importlib.import_module(name) for name in owners or AREAS]


def command_of(argv: Iterable[str]) -> str | None:
    """The subcommand named in `argv` (the first word that is not an option or its value)."""
    skip = False
    for arg in argv:
        if skip:
            skip = False
            continue
        if arg in ("--db", "--user"):
            skip = True
            continue
        if arg.startswith("-"):
            continue
        return arg
    return None


def build_parser(areas: Sequence[ModuleType] | None = None) -> argparse.ArgumentParser:
    """The command line's parser; `areas` (default: all) add their subcommands."""
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
    init.add_argument(
        "--households",
        type=_positive_int,
        metavar="N",
        help="演示数据的住户数（按比例生成楼院、居民、收费、调查等，用于大规模试用和测试）",
    )
    stats = sub.add_parser("stats", help="统计楼院、楼栋、住户、居民数")
    stats.add_argument("--json", action="store_true", help="输出一个 JSON 对象")
    for area in area_modules() if areas is None else areas:
        area.add_parsers(sub)
    return parser


def _positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if not 12 <= number <= 2_000_000:
        raise argparse.ArgumentTypeError("住户数应为 12 到 2000000 之间的整数")
    return number


def cmd_init(args: argparse.Namespace) -> int:
    from app.cli_target import open_target

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
    from app.cli_target import open_target

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
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run one subcommand; never shows a traceback for an expected failure."""
    from app.config import data_dir, private_files
    from app.logging_setup import setup_logging

    argv = list(sys.argv[1:] if argv is None else argv)
    command = command_of(argv)
    wants_help = any(arg in ("-h", "--help") for arg in argv)
    areas = area_modules(command) if command is not None or wants_help else []
    args = build_parser(areas).parse_args(argv)
    private_files()
    setup_logging(data_dir())
    commands = dict(COMMANDS)
    for area in areas:
        commands.update(area.COMMANDS)
    handler = commands.get(args.command or "")
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
        from app.database import friendly_error

        friendly = friendly_error(exc)
        if friendly is None:
            raise
        print(friendly.message, file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
