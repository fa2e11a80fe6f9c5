"""The roster subcommands: import-roster and export-roster."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.outputs import check_output
from app.roster.dto import Fate, ImportOptions, ImportPreview
from app.roster.service import RosterService, build_roster_service
from app.signin import acting

FATE_KEYS = {
    Fate.NEW: "new",
    Fate.UPDATE: "update",
    Fate.UNCHANGED: "unchanged",
    Fate.SKIPPED: "skipped",
    Fate.REJECTED: "rejected",
}


def add_parsers(sub: Any) -> None:
    """Add both subcommands to the program's subparsers."""
    imp = sub.add_parser("import-roster", help="导入花名册（.xlsx、.xls、.csv）")
    imp.add_argument("files", nargs="+", metavar="FILE", type=Path)
    imp.add_argument("--dry-run", action="store_true", help="只预览，不写入数据库")
    imp.add_argument("--errors", metavar="OUT.xlsx", type=Path, help="被拒绝的行写入此文件")
    imp.add_argument("--json", action="store_true", help="输出一个 JSON 对象")
    imp.add_argument(
        "--community", default="", metavar="NAME",
        help="新楼院所属社区（默认唯一或第一个社区；不存在时新建）",
    )  # fmt: skip
    imp.add_argument("--compound", default="", metavar="NAME", help="文件中没有楼院名称时使用")
    exp = sub.add_parser("export-roster", help="导出花名册 .xlsx（默认脱敏）")
    exp.add_argument("out", metavar="OUT.xlsx", type=Path)
    exp.add_argument("--compound", default="", metavar="NAME", help="只导出此楼院")
    exp.add_argument("--unmasked", action="store_true", help="不脱敏（记入审计日志）")


def summary_json(preview: ImportPreview, *, written: bool) -> dict[str, Any]:
    return {
        "written": written,
        "compounds": {
            "new": list(preview.new_compounds),
            "existing": list(preview.existing_compounds),
        },
        "buildings": {"new": list(preview.new_buildings)},
        "households": {FATE_KEYS[f]: n for f, n in preview.counts.items()},
        "warnings": preview.warnings,
        "skipped_sheets": list(preview.skipped_sheets),
        "rejected": [
            {"file": r.file, "sheet": r.sheet, "row": r.row, "column": r.column, "reason": r.reason}
            for r in preview.rejected()
        ],
    }


def import_roster(args: argparse.Namespace, service: RosterService) -> int:
    options = ImportOptions(community=args.community, default_compound=args.compound)
    if args.errors is not None:
        check_output(args.errors, (".xlsx",))
    plan = service.plan(args.files, options)
    preview = plan.preview
    written = False
    if not args.dry_run and preview.writable:
        service.commit(plan)
        written = True
    if args.errors is not None:
        service.write_rejects(preview, args.errors)
    if args.json:
        print(json.dumps(summary_json(preview, written=written), ensure_ascii=False))
        return 0
    c = preview.counts
    verb = "已导入" if written else "预览（未写入）"
    print(
        f"{verb}：新增 {c[Fate.NEW]} 户，更新 {c[Fate.UPDATE]} 户，不变 {c[Fate.UNCHANGED]} 户，"
        f"跳过 {c[Fate.SKIPPED]} 行，拒绝 {c[Fate.REJECTED]} 行，提醒 {preview.warnings} 行"
    )
    if preview.new_compounds:
        print("新建楼院：" + "、".join(preview.new_compounds))
    for r in preview.rejected():
        print(f"  {r.file} / {r.sheet} 第{r.row}行 [{r.column}]：{r.reason}", file=sys.stderr)
    return 0


def export_roster(args: argparse.Namespace, service: RosterService) -> int:
    check_output(args.out, (".xlsx",))
    ids = service.compound_ids(args.compound) if args.compound else None
    result = service.export(args.out, ids, unmasked=args.unmasked)
    note = "未脱敏，已记入审计日志" if args.unmasked else "身份证号和电话已脱敏"
    print(f"已导出 {result.compounds} 个楼院、{result.households} 户到 {args.out}（{note}）")
    return 0


def _run(
    args: argparse.Namespace, command: Callable[[argparse.Namespace, RosterService], int]
) -> int:
    from app.cli import open_target

    db = open_target(args, create=False)
    try:
        return command(args, build_roster_service(db.sessions, acting(args, db)))
    finally:
        db.close()


SUBCOMMANDS = ("import-roster", "export-roster")
COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "import-roster": lambda args: _run(args, import_roster),
    "export-roster": lambda args: _run(args, export_roster),
}
