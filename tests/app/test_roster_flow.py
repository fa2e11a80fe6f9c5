"""The import flow the wizard walks, driven headless: file, columns, preview, import, rejects."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from app.jobs import never_cancelled, no_progress
from app.roster.dto import Fate, Field
from app.roster.errors import DuplicateMapping
from app.roster.flow import ImportFlow, parse_paths, paths_text
from app.services import Services

ROSTER = (
    "楼院名称,楼号,房号,户主姓名,建筑面积,住户备注\n"
    "新院,1,101,甲,50,\n新院,1,102,乙,60,\n新院,1,,丙,abc,\n"
)


def _run(job: object) -> object:
    assert callable(job)
    return job(no_progress, never_cancelled)


def test_paths_text_round_trip(services: Services, tmp_path: Path) -> None:
    a, b = tmp_path / "一.csv", tmp_path / "二.csv"
    assert parse_paths(paths_text([a, b])) == [a, b]
    assert parse_paths(f" {a}；{b} ; ") == [a, b]  # full-width separator, blanks
    flow = ImportFlow(services.rosters, paths=[a])
    assert not flow.files_exist()  # not there yet
    a.write_text("x", encoding="utf-8")
    assert flow.files_exist() and flow.path == a


def test_flow_from_file_to_rejects(services: Services, tmp_path: Path) -> None:
    path = tmp_path / "花名册.csv"
    path.write_text(ROSTER, encoding="utf-8")
    flow = ImportFlow(services.rosters, paths=[path], community="幸福社区")
    assert flow.read_done(_run(flow.read_job()))  # type: ignore[arg-type]
    assert flow.sheets and flow.first_roster_sheet() == 0
    (sheet,) = flow.header_rows()
    columns = [(c.header, c.field) for c in sheet.columns]
    assert (("楼号", Field.BUILDING) in columns) and ("住户备注", None) in columns

    twice = [(h, Field.ROOM if h in {"房号", "楼号"} else f) for h, f in columns]
    with pytest.raises(DuplicateMapping):
        flow.choose_columns({sheet.signature: twice}, remember=False)
    assert flow.mappings == {}  # nothing kept from a refused choice

    flow.choose_columns({sheet.signature: columns}, remember=False)
    assert flow.mappings[sheet.signature]["楼号"] is Field.BUILDING
    before = services.stats.summary()["households"]
    flow.plan_done(_run(flow.plan_job()))  # type: ignore[arg-type]
    assert flow.plan is not None and flow.writable() == 2
    assert flow.plan.preview.counts[Fate.REJECTED] == 1
    assert services.stats.summary()["households"] == before  # the preview writes nothing

    flow.commit_done(_run(flow.commit_job()))  # type: ignore[arg-type]
    assert flow.result is not None and flow.result.created == 2 and flow.result.rejected == 1
    assert services.stats.summary()["households"] == before + 2
    out = flow.rejects_name()
    assert out == tmp_path / "花名册_未导入的行.xlsx"
    assert flow.write_rejects(out) == 1
    assert openpyxl.load_workbook(out).worksheets[0]["A1"].value == "行号"


def test_reading_again_drops_the_later_steps(services: Services, tmp_path: Path) -> None:
    good, notes = tmp_path / "a.csv", tmp_path / "notes.csv"
    good.write_text(ROSTER, encoding="utf-8")
    notes.write_text("会议记录\n今天讨论了绿化\n", encoding="utf-8")
    flow = ImportFlow(services.rosters, paths=[good], community="幸福社区")
    assert flow.read_done(_run(flow.read_job()))  # type: ignore[arg-type]
    flow.plan_done(_run(flow.plan_job()))  # type: ignore[arg-type]
    assert flow.plan is not None
    flow.paths = [notes]
    assert not flow.read_done(_run(flow.read_job()))  # type: ignore[arg-type]
    assert flow.file_layout is None and flow.plan is None and flow.writable() == 0
    with pytest.raises(ValueError, match="before the preview"):
        flow.commit_job()
