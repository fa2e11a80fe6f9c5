"""Survey subcommands (wired into app.cli): survey-report, survey-export, survey-print,
survey-not-reached, survey-scan."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from app.cli_target import open_target
from app.outputs import check_output
from app.services import Services
from app.signin import acting

SUBCOMMANDS = (
    "survey-report",
    "survey-export",
    "survey-print",
    "survey-not-reached",
    "survey-scan",
)


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    report = sub.add_parser("survey-report", help="输出调查结果报告（PDF，含图表）")
    report.add_argument("out", metavar="OUT.pdf", help="输出文件")
    report.add_argument("--survey", type=int, required=True, metavar="ID", help="问卷编号")
    export = sub.add_parser("survey-export", help="导出调查结果与原始答卷（.xlsx）")
    export.add_argument("out", metavar="OUT.xlsx", help="输出文件")
    export.add_argument("--survey", type=int, required=True, metavar="ID", help="问卷编号")
    export.add_argument("--unmasked", action="store_true", help="电话号码不打码")
    batch = sub.add_parser("survey-print", help="打印逐户调查问卷（PDF，每户一份，带二维码）")
    batch.add_argument("out", metavar="OUT.pdf", help="输出文件")
    batch.add_argument("--survey", type=int, required=True, metavar="ID", help="问卷编号")
    missing = sub.add_parser("survey-not-reached", help="输出未走到住户名单（.pdf 或 .xlsx）")
    missing.add_argument("out", metavar="OUT", help="输出文件（.pdf 或 .xlsx）")
    missing.add_argument("--survey", type=int, required=True, metavar="ID", help="问卷编号")
    missing.add_argument("--unmasked", action="store_true", help="电话号码不打码")
    scan = sub.add_parser(
        "survey-scan",
        help="读取扫描的纸质问卷（PDF 或图片），清楚的答卷直接入库，其余列出待复核",
    )
    scan.add_argument("scans", nargs="+", metavar="SCANS", help="扫描文件（PDF/PNG/JPEG/TIFF）")
    scan.add_argument("--survey", type=int, required=True, metavar="ID", help="问卷编号")
    scan.add_argument("--dry-run", action="store_true", help="只读取并报告，不写入数据库")
    scan.add_argument("--json", action="store_true", help="输出一个 JSON 对象（逐页结果与合计）")


def _run(
    args: argparse.Namespace, suffixes: tuple[str, ...], work: Callable[[Services, Path], str]
) -> int:
    out = check_output(args.out, suffixes)
    db = open_target(args, create=False)
    try:
        message = work(Services.build(db, acting(args, db)), out)
    finally:
        db.close()
    print(message)
    return 0


def cmd_survey_report(args: argparse.Namespace) -> int:
    def work(services: Services, out: Path) -> str:
        from app.surveys import paper  # reportlab and openpyxl load on first use

        pages = paper.print_report(services, args.survey, out)
        return f"已输出调查结果报告 {out}（{pages} 页）"

    return _run(args, (".pdf",), work)


def cmd_survey_export(args: argparse.Namespace) -> int:
    def work(services: Services, out: Path) -> str:
        from app.surveys import paper  # reportlab and openpyxl load on first use

        n = paper.export_results(services, args.survey, out, unmasked=args.unmasked)
        return f"已导出 {n} 份答卷及统计结果到 {out}"

    return _run(args, (".xlsx",), work)


def cmd_survey_print(args: argparse.Namespace) -> int:
    def work(services: Services, out: Path) -> str:
        from app.surveys import paper  # reportlab and openpyxl load on first use

        pages = paper.print_questionnaires(services, args.survey, out)
        return f"已输出调查问卷 {out}（{pages} 页）"

    return _run(args, (".pdf",), work)


def cmd_survey_not_reached(args: argparse.Namespace) -> int:
    def work(services: Services, out: Path) -> str:
        from app.surveys import paper  # reportlab and openpyxl load on first use

        if out.suffix.lower() == ".pdf":
            paper.print_not_reached(services, args.survey, out, unmasked=args.unmasked)
            n = len(services.survey_results.not_reached(args.survey))
        else:
            n = paper.export_not_reached(services, args.survey, out, unmasked=args.unmasked)
        return f"未走到住户 {n} 户，已输出到 {out}"

    return _run(args, (".pdf", ".xlsx"), work)


def cmd_survey_scan(args: argparse.Namespace) -> int:
    import json

    from app.errors import AppError
    from app.surveys.scan import ScanError
    from app.surveys.scanning import ScanService

    db = open_target(args, create=False)
    try:
        services = Services.build(db, acting(args, db))
        scanner = ScanService(services.survey_entry, services.surveys)
        try:
            run = scanner.read(args.survey, args.scans)
        except ScanError as exc:
            raise AppError(str(exc)) from exc
        result = None if args.dry_run else scanner.commit(run)
    finally:
        db.close()
    totals = run.totals()
    if result is not None:
        totals |= {"saved": result.saved, "unchanged_households": result.unchanged}
    if args.json:
        pages = [
            {
                "file": p.file,
                "page": p.page,
                "status": p.status,
                "household_id": p.household_id,
                "survey_page": p.survey_page,
                "answers": {str(n): [c + 1 for c in v] for n, v in sorted(p.answers.items())},
                "handwriting": sorted(p.images),
                "review": [
                    {"question": r.question_number or None, "reason": r.reason} for r in p.reviews
                ],
                "message": p.message,
            }
            for p in run.pages
        ]
        print(json.dumps({"pages": pages, "totals": totals}, ensure_ascii=False))
        return 0
    for p in run.pages:
        if p.status in ("review", "refused"):
            where = f"{p.file} 第{p.page}页"
            who = f"（{p.household}）" if p.household else ""
            print(f"{where}{who}：{p.message}")
    saved = "未写入（--dry-run）" if result is None else f"已入库 {result.saved} 户"
    print(
        f"共 {totals['pages']} 页：读取 {totals['read']} 页（其中与已导入相同 "
        f"{totals['unchanged']} 页），待复核 {totals['to_review']} 页，"
        f"拒收 {totals['refused']} 页，空白 {totals['blank']} 页；{saved}。"
        + ("待复核的页请在窗口中“文件 → 导入扫描问卷…”处理。" if totals["to_review"] else "")
    )
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "survey-report": cmd_survey_report,
    "survey-export": cmd_survey_export,
    "survey-print": cmd_survey_print,
    "survey-not-reached": cmd_survey_not_reached,
    "survey-scan": cmd_survey_scan,
}
