"""Survey subcommands (wired into app.cli): survey-report, survey-export, survey-print,
survey-not-reached."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from app.outputs import check_output
from app.services import Services
from app.signin import acting

SUBCOMMANDS = ("survey-report", "survey-export", "survey-print", "survey-not-reached")


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


def _run(
    args: argparse.Namespace, suffixes: tuple[str, ...], work: Callable[[Services, Path], str]
) -> int:
    from app.cli import open_target

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


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "survey-report": cmd_survey_report,
    "survey-export": cmd_survey_export,
    "survey-print": cmd_survey_print,
    "survey-not-reached": cmd_survey_not_reached,
}
