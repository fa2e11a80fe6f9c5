"""Hostile roster files are refused with a message before the reader allocates for them."""

from __future__ import annotations

import sys
import tracemalloc
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from hostile_files import far_cell, zip_bomb  # noqa: E402

from app.roster.errors import RosterFileError  # noqa: E402
from app.roster.limits import MAX_CELLS  # noqa: E402
from app.roster.reader import read_file  # noqa: E402


def test_a_far_cell_is_refused_not_a_crash(tmp_path: Path) -> None:
    path = far_cell(tmp_path / "远处单元格.xlsx")
    assert path.stat().st_size < 2000
    with pytest.raises(RosterFileError) as refused:
        read_file(path)
    assert "1,048,576 行 × 16,384 列" in refused.value.message
    assert f"{MAX_CELLS:,} 个单元格" in refused.value.message


def test_a_zip_bomb_is_refused_within_bounded_memory(tmp_path: Path) -> None:
    path = zip_bomb(tmp_path / "bomb.xlsx", megabytes=120)
    assert path.stat().st_size < 1_000_000
    tracemalloc.start()
    try:
        with pytest.raises(RosterFileError, match="解压后"):
            read_file(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20 * 1024 * 1024


def test_a_csv_with_too_many_cells_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "宽.csv"
    path.write_text(",".join(["x"] * 1000) + "\n" + ("," * 999 + "\n") * 3001, encoding="utf-8")
    with pytest.raises(RosterFileError, match="过大"):
        read_file(path)


def test_the_window_gets_the_same_message(tmp_path: Path) -> None:
    """The wizard reads through RosterService.inspect, the same reader."""
    from app.audit import Actor
    from app.config import DatabaseTarget, to_url
    from app.database import open_database
    from app.roster.service import build_roster_service

    db = open_database(DatabaseTarget(to_url(tmp_path / "t.sqlite3")))
    try:
        service = build_roster_service(db.sessions, Actor("c", "clerk"))
        with pytest.raises(RosterFileError, match="过大"):
            service.inspect(far_cell(tmp_path / "far.xlsx"))
    finally:
        db.close()
