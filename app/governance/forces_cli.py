"""The 治理力量 roster on the command line: `forces list`, `forces export`, `forces import`.

Everything heavy loads inside the command (start-up stays light: argparse and typing only).
Like `import-roster`, an import writes the rows it can and reports the others (on standard
error, and in an error file beside the input, or where --errors says); it exits 0 once the
file was read, whatever the rows' fates.
"""

from __future__ import annotations

import argparse
from typing import Any

SUBCOMMANDS = ("forces",)


def add_parsers(sub: Any) -> None:
    forces = sub.add_parser("forces", help="治理力量名册：列出、导出、导入")
    actions = forces.add_subparsers(dest="forces_action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="列出名册中的人员（电话已脱敏）")
    listing.add_argument("--kind", default="", metavar="K", help="只列出该身份，如 网格员")
    listing.add_argument("--subkind", default="", metavar="S", help="细类，如 专职、外卖骑手")
    listing.add_argument("--all", action="store_true", help="含已离任的人员")
    listing.add_argument("--json", action="store_true", help="输出一个 JSON 数组")
    export = actions.add_parser("export", help="导出名册 .xlsx（每个身份一行，默认脱敏）")
    export.add_argument("out", metavar="OUT.xlsx")
    export.add_argument("--kind", default="", metavar="K", help="只导出有该身份的人员")
    export.add_argument("--unmasked", action="store_true", help="不脱敏（仅管理员，记入审计日志）")
    imp = actions.add_parser("import", help="导入名册（.xlsx、.xls、.csv），同名同电话的人员合并")
    imp.add_argument("file", metavar="FILE")
    imp.add_argument("--dry-run", action="store_true", help="只预览，不写入数据库")
    imp.add_argument(
        "--errors", metavar="OUT.xlsx", help="被拒绝的行写入此文件（默认：输入文件旁）"
    )
    imp.add_argument("--json", action="store_true", help="输出一个 JSON 对象")


def _kind_filter(args: argparse.Namespace) -> tuple[str, str]:
    from app.governance.errors import GovernanceError
    from app.governance.forces_dto import FORCE_KINDS, FORCE_SUBKINDS

    kind, subkind = args.kind.strip(), getattr(args, "subkind", "").strip()
    if kind and kind not in FORCE_KINDS:
        raise GovernanceError(f"没有身份“{kind}”（可选：{'、'.join(FORCE_KINDS)}）")
    if subkind and subkind not in FORCE_SUBKINDS.get(kind, ()):
        raise GovernanceError(f"“{subkind}”不是{kind or '该身份'}的细类")
    return kind, subkind


def _forces(args: argparse.Namespace) -> tuple[Any, Any]:
    """(the open database, the roster service acting for the signed-in user)."""
    from app.cli_target import open_target
    from app.governance.forces import ForceService
    from app.signin import acting

    db = open_target(args, create=False)
    try:
        return db, ForceService(db.sessions, acting(args, db))
    except BaseException:
        db.close()
        raise


def cmd_list(args: argparse.Namespace) -> int:
    import datetime as dt
    import json

    from app.governance.forces_dto import PersonFilter

    kind, subkind = _kind_filter(args)
    db, forces = _forces(args)
    try:
        people = forces.list_people(PersonFilter(kind, subkind, include_ended=args.all))
    finally:
        db.close()
    today = dt.date.today()
    if args.json:
        out = [
            {
                "name": p.name,
                "phone": p.phone_masked,
                "home": p.home,
                "roles": [
                    {
                        "kind": r.kind,
                        "subkind": r.subkind,
                        "post": r.post,
                        "place": r.place,
                        "start_on": r.start_on.isoformat() if r.start_on else None,
                        "end_on": r.end_on.isoformat() if r.end_on else None,
                    }  # fmt: skip
                    for r in p.roles
                ],
            }
            for p in people
        ]
        print(json.dumps(out, ensure_ascii=False))
        return 0
    for p in people:
        print(
            f"{p.name}\t{p.phone_masked or '-'}\t{p.kinds_text(today) or '（已离任）'}\t"
            f"{p.places_text(today)}"
        )
    print(f"共 {len(people)} 人")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from app.governance.forces_dto import PersonFilter
    from app.outputs import check_output

    out = check_output(args.out, (".xlsx",))
    kind, _ = _kind_filter(args)
    db, forces = _forces(args)
    try:
        rows = forces.export_people(
            out, PersonFilter(kind, include_ended=True), unmasked=args.unmasked
        )
    finally:
        db.close()
    note = "未脱敏，已记入审计日志" if args.unmasked else "电话已脱敏"
    print(f"已导出治理力量名册 {rows} 行（每个身份一行）到 {out}（{note}）")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    import json
    import sys
    from pathlib import Path

    from app.outputs import check_output
    from app.roster.dto import Fate

    path = Path(args.file)
    if args.errors:
        check_output(args.errors, (".xlsx",))
    db, forces = _forces(args)
    try:
        plan = forces.plan_import(path)
        preview = plan.preview
        result = None if args.dry_run else forces.commit_import(plan)
        errors = None
        if preview.rejected():
            errors = Path(args.errors) if args.errors else forces.rejects_name(path)
            check_output(errors, (".xlsx",))
            forces.write_rejects(plan, errors)
    finally:
        db.close()
    written = result is not None
    if args.json:
        summary = {
            "written": written,
            "rows": {f.name.lower(): n for f, n in preview.counts.items()},
            "created_people": result.created_people if result else 0,
            "errors_file": str(errors) if errors else None,
            "rejected": [
                {"sheet": r.sheet, "row": r.row, "column": r.column, "reason": r.reason}
                for r in preview.rejected()
            ],
        }
        print(json.dumps(summary, ensure_ascii=False))
        return 0
    if result is not None:
        print("已导入：" + result.summary())
    else:
        print(f"预览（未写入）：{preview.summary()}")
    for r in preview.rejected():
        print(f"  {r.sheet} 第{r.row}行 [{r.column}]：{r.reason}", file=sys.stderr)
    if errors is not None:
        count = preview.counts[Fate.REJECTED]
        print(f"{count} 行未导入，已写入 {errors}（含行号和原因，改正后可再次导入）")
    return 0


def cmd_forces(args: argparse.Namespace) -> int:
    return {"list": cmd_list, "export": cmd_export, "import": cmd_import}[args.forces_action](args)
