"""Governance subcommands (wired into app.cli): problems-export."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from app.database import Database
from app.governance.dto import STATUSES, ProblemFilter
from app.governance.errors import GovernanceError
from app.outputs import check_output
from app.services import Services
from app.signin import acting

SUBCOMMANDS = ("problems-export",)


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    export = sub.add_parser("problems-export", help="导出楼院问题台账（.xlsx）")
    export.add_argument("out", metavar="OUT.xlsx", help="输出文件")
    export.add_argument("--status", choices=STATUSES, help="只导出该状态的问题")
    export.add_argument("--category", metavar="NAME", help="只导出该类别的问题")
    export.add_argument("--overdue", action="store_true", help="只导出逾期未办结的问题")


def _open(args: argparse.Namespace) -> Database:
    from app.cli import open_target

    return open_target(args, create=False)


def cmd_problems_export(args: argparse.Namespace) -> int:
    out = check_output(args.out, (".xlsx",))
    db = _open(args)
    try:
        gov = Services.build(db, acting(args, db)).governance
        category_id = None
        if args.category:
            names = {c.name: c.id for c in gov.problems.categories()}
            if args.category not in names:
                raise GovernanceError(f"没有问题类别“{args.category}”")
            category_id = names[args.category]
        flt = ProblemFilter(status=args.status or "", category_id=category_id, overdue=args.overdue)
        count = gov.export_problems(out, flt)
    finally:
        db.close()
    print(f"已导出 {count} 条问题到 {out}")
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "problems-export": cmd_problems_export,
}
