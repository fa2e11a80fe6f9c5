"""Governance subcommands (wired into app.cli): problems-export, brief, forces."""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable

from app.cli_target import open_target
from app.database import Database
from app.governance import forces_cli
from app.governance.dto import STATUSES, ProblemFilter
from app.governance.errors import GovernanceError
from app.outputs import check_output
from app.services import Services
from app.signin import acting

SUBCOMMANDS = ("problems-export", "brief", *forces_cli.SUBCOMMANDS)


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    export = sub.add_parser("problems-export", help="导出楼院问题台账（.xlsx 或 .pdf）")
    export.add_argument("out", metavar="OUT.xlsx|OUT.pdf", help="输出文件")
    export.add_argument("--status", choices=STATUSES, help="只导出该状态的问题")
    export.add_argument("--category", metavar="NAME", help="只导出该类别的问题")
    export.add_argument("--overdue", action="store_true", help="只导出逾期未办结的问题")
    brief = sub.add_parser("brief", help="生成工作简报（PDF）")
    brief.add_argument("out", metavar="OUT.pdf")
    brief.add_argument("--period", metavar="YYYY-MM", help="统计月份（默认本月）")
    brief.add_argument("--office", default="", metavar="NAME", help="落款单位")
    forces_cli.add_parsers(sub)


def _open(args: argparse.Namespace) -> Database:
    return open_target(args, create=False)


def cmd_problems_export(args: argparse.Namespace) -> int:
    out = check_output(args.out, (".xlsx", ".pdf"))
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
        if out.suffix.lower() == ".pdf":
            pages = gov.print_ledger(out, flt, args.category or "全部楼院")
            print(f"已生成问题台账（{pages} 页）：{out}")
            return 0
        count = gov.export_problems(out, flt)
    finally:
        db.close()
    print(f"已导出 {count} 条问题到 {out}")
    return 0


def cmd_brief(args: argparse.Namespace) -> int:
    """工作简报 of a month (default this month), drafted from the data."""
    from app.documents.governance_brief import write_brief

    out = check_output(args.out, (".pdf",))
    today = dt.date.today()
    try:
        start = dt.date.fromisoformat(f"{args.period}-01") if args.period else today.replace(day=1)
    except ValueError as exc:
        raise GovernanceError(f"月份应为 YYYY-MM，而不是“{args.period}”") from exc
    end = (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    db = _open(args)
    try:
        draft = Services.build(db, acting(args, db)).governance.brief.draft(
            start, end, None, args.office
        )
    finally:
        db.close()
    pages = write_brief(out, draft.title, draft.header, draft.body)
    print(f"已生成工作简报（{pages} 页）：{out}")
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "problems-export": cmd_problems_export,
    "brief": cmd_brief,
    "forces": forces_cli.cmd_forces,
}
