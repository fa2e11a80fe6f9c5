"""Survey paper and files: the QR code read back from the rendered page, fonts embedded,
reports and workbooks with the figures, the CLI."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from app.cli import main
from app.services import Services
from app.surveys import paper, payload
from app.surveys.dto import ResponseInput, ScopeItem

zxingcpp = pytest.importorskip("zxingcpp")
PIL_Image = pytest.importorskip("PIL.Image")


def _fonts_embedded(pdf: Path) -> None:
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True)
    rows = out.stdout.splitlines()[2:]
    assert rows and all(" yes yes " in row for row in rows), out.stdout


def _survey(services: Services) -> int:
    compound = services.compounds.list_compounds()[0].id
    sid = services.surveys.create_survey(
        services.surveys.template("物业服务满意度调查", (ScopeItem(compound),))
    )
    services.surveys.open_survey(sid)
    return sid


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs poppler's pdftoppm")
def test_questionnaire_qr_decodes_to_its_household(demo: Services, tmp_path: Path) -> None:
    sid = _survey(demo)
    homes = demo.survey_entry.households(sid)[:3]
    out = tmp_path / "q.pdf"
    pages = paper.print_questionnaires(demo, sid, out, household_ids=[h.id for h in homes])
    assert pages == 3 == len(PdfReader(out).pages)
    _fonts_embedded(out)
    text = PdfReader(out).pages[1].extract_text()
    assert homes[1].householder_name in text and homes[1].location in text
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(out), str(tmp_path / "p")], check=True)
    for n, home in enumerate(homes, start=1):
        image = PIL_Image.open(tmp_path / f"p-{n}.png")
        codes = [c.text for c in zxingcpp.read_barcodes(image)]
        assert codes == [payload.encode(sid, home.id)]
        # The scanned text opens that household's form.
        assert demo.survey_entry.locate(sid, codes[0]) == home


def test_report_workbook_and_lists(demo: Services, tmp_path: Path) -> None:
    sid = _survey(demo)
    homes = demo.survey_entry.households(sid)
    qs = demo.surveys.get_survey(sid).questions
    from app.surveys.dto import AnswerValue

    answers = {q.id: AnswerValue((1,)) for q in qs if q.data.kind in ("satisfaction5", "yesno")}
    answers[qs[-1].id] = AnswerValue(text="=HYPERLINK(1)")
    demo.survey_entry.save(ResponseInput(sid, homes[0].id, collected_by="李文", answers=answers))
    demo.survey_entry.save(ResponseInput(sid, homes[1].id, outcome="refused"))
    report = tmp_path / "r.pdf"
    assert paper.print_report(demo, sid, report) >= 1
    _fonts_embedded(report)
    text = "".join(p.extract_text() for p in PdfReader(report).pages)
    assert "综合满意率：100.0%" in text and "各楼栋走访情况" in text
    missing = tmp_path / "n.pdf"
    paper.print_not_reached(demo, sid, missing)
    _fonts_embedded(missing)
    text = "".join(p.extract_text() for p in PdfReader(missing).pages)
    assert f"共 {len(homes) - 2} 户" in text and homes[2].householder_name in text

    book = tmp_path / "r.xlsx"
    assert paper.export_results(demo, sid, book) == 2
    wb = openpyxl.load_workbook(book)
    assert wb.sheetnames == ["统计结果", "原始答卷", "走访情况", "未走到住户"]
    raw = list(wb["原始答卷"].iter_rows(values_only=True))
    assert raw[1][4] == homes[0].householder_name and raw[1][5] == "已答卷"
    assert raw[1][9] == "满意"
    formula = wb["原始答卷"].cell(row=2, column=len(raw[0]))
    assert formula.value == "=HYPERLINK(1)" and formula.data_type == "s"
    tallies = list(wb["统计结果"].iter_rows(values_only=True))
    assert (tallies[2][3], tallies[2][4], tallies[2][5]) == ("满意", 1, 1)
    not_reached = list(wb["未走到住户"].iter_rows(values_only=True))
    assert len(not_reached) == len(homes) - 2 + 1
    assert "****" in str(not_reached[1][6]) or not_reached[1][6] is None


def test_cli_report_export_and_stats(demo_db, tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    url = demo_db.target.url
    monkeypatch.setenv("LOUYUAN_USER", "clerk")
    monkeypatch.setenv("LOUYUAN_PASSWORD", "demo1234")
    assert main(["--db", url, "survey-report", str(tmp_path / "r.pdf"), "--survey", "1"]) == 0
    assert main(["--db", url, "survey-export", str(tmp_path / "r.xlsx"), "--survey", "1"]) == 0
    assert (tmp_path / "r.pdf").stat().st_size > 0
    assert openpyxl.load_workbook(tmp_path / "r.xlsx")["统计结果"].max_row > 10
    capsys.readouterr()
    assert main(["--db", url, "survey-report", str(tmp_path / "x.pdf"), "--survey", "99"]) == 1
    assert capsys.readouterr().err.strip() == "该问卷不存在或已被删除"
    assert main(["--db", url, "survey-export", str(tmp_path / "x.csv"), "--survey", "1"]) == 1
    assert main(["--db", url, "stats", "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)["surveys"]
    assert figures["count"] == 2 and figures["by_status"] == {"draft": 0, "open": 1, "closed": 1}
    first = figures["surveys"][0]
    assert first["id"] == 1 and first["title"] == "物业服务满意度调查"
    assert first["answered"] > first["refused"] > 0 and first["not_reached"] > 0
    assert first["satisfaction_rate"] > 2 / 3
