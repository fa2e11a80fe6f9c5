"""Backups: consistent copies, rotation, checked restore that keeps the current database."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from app.audit import Actor
from app.backup import BackupError, BackupService, BackupUnsupported, inspect_backup
from app.config import DatabaseTarget, to_url
from app.database import Database, open_database
from app.errors import DatabaseDamaged, PermissionDenied
from app.program_settings import ProgramSettings, load_settings, save_settings
from app.services import Services
from db.models import AuditEntry, Household

ADMIN = Actor("tester", "admin")
HH = 600


def _households(db: Database) -> int:
    with db.sessions() as s:
        return s.scalar(select(func.count()).select_from(Household)) or 0


@pytest.fixture
def sqlite_demo(tmp_path: Path) -> Database:
    from app.demo import generate

    db = open_database(DatabaseTarget(to_url(tmp_path / "office.sqlite3")))
    generate(db, households=600)
    return db


def _service(db: Database, tmp_path: Path, keep: int = 3, actor: Actor = ADMIN) -> BackupService:
    settings = ProgramSettings(backup_keep=keep, backup_folder=str(tmp_path / "usb"))
    return BackupService(db, actor, settings)


def test_manual_backup_is_a_checked_consistent_copy(sqlite_demo: Database, tmp_path: Path) -> None:
    backups = _service(sqlite_demo, tmp_path)
    info = backups.backup_to(tmp_path / "copy.sqlite3")
    assert info.households == HH and info.residents > HH
    assert info.revisions and (tmp_path / "copy.sqlite3").exists()
    assert not (tmp_path / "copy.sqlite3-wal").exists()
    # A folder gets a dated name.
    into = tmp_path / "folder"
    into.mkdir()
    assert backups.backup_to(into).path.name.startswith("office-")
    with sqlite_demo.sessions() as s:
        assert s.scalar(select(AuditEntry.action).where(AuditEntry.entity == "database")) == (
            "backup"
        )
    sqlite_demo.close()


def test_viewer_cannot_back_up_or_restore(sqlite_demo: Database, tmp_path: Path) -> None:
    viewer = _service(sqlite_demo, tmp_path, actor=Actor("v", "viewer"))
    with pytest.raises(PermissionDenied):
        viewer.backup_to(tmp_path / "x.sqlite3")
    clerk = _service(sqlite_demo, tmp_path, actor=Actor("c", "clerk"))
    clerk.backup_to(tmp_path / "x.sqlite3")
    with pytest.raises(PermissionDenied, match="仅限管理员"):
        clerk.restore(tmp_path / "x.sqlite3")
    sqlite_demo.close()


def test_automatic_backups_rotate(sqlite_demo: Database, tmp_path: Path) -> None:
    backups = _service(sqlite_demo, tmp_path, keep=3)
    assert backups.daily_due()
    start = dt.datetime(2026, 1, 1, 8, 0)
    for day in range(5):
        backups.automatic("daily" if day % 2 else "exit", start + dt.timedelta(days=day))
    files = backups.list_backups()
    assert [f.path.name[7:15] for f in files] == ["20260105", "20260104", "20260103"]
    assert {f.kind for f in files} == {"daily", "exit"}
    assert not backups.daily_due()  # the newest file was written just now
    assert backups.daily_due(dt.datetime.now() + dt.timedelta(days=1, minutes=1))
    # Foreign files in the folder are never touched by rotation.
    (tmp_path / "usb" / "notes.txt").write_text("keep me", encoding="utf-8")
    backups.automatic("exit")
    assert (tmp_path / "usb" / "notes.txt").exists()
    sqlite_demo.close()


def test_restore_checks_replaces_and_keeps_the_current(
    sqlite_demo: Database, tmp_path: Path
) -> None:
    services = Services.build(sqlite_demo, ADMIN)
    backups = _service(sqlite_demo, tmp_path)
    saved = backups.backup_to(tmp_path / "before.sqlite3")
    services.households.delete_household(services.households.household_ids()[0])
    assert _households(sqlite_demo) == HH - 1
    result = backups.restore(saved.path)
    assert _households(sqlite_demo) == HH  # the same Database object works afterwards
    assert result.safety_copy is not None
    assert inspect_backup(result.safety_copy).households == HH - 1
    assert [f.kind for f in backups.list_backups()] == ["before-restore"]
    with sqlite_demo.sessions() as s:
        last = s.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert last is not None and last.action == "restore"
    sqlite_demo.close()


@pytest.mark.parametrize("kind", ["text", "foreign", "damaged", "newer"])
def test_restore_refuses_bad_files_and_changes_nothing(
    sqlite_demo: Database, tmp_path: Path, kind: str
) -> None:
    bad = tmp_path / f"{kind}.sqlite3"
    if kind == "text":
        bad.write_text("not a database", encoding="utf-8")
    elif kind == "foreign":
        with sqlite3.connect(bad) as conn:
            conn.execute("CREATE TABLE t (x)")
        conn.close()
    else:
        _service(sqlite_demo, tmp_path).backup_to(bad)
        if kind == "newer":
            with sqlite3.connect(bad) as conn:
                conn.execute("INSERT INTO alembic_version VALUES ('ffff9999')")
            conn.close()
        else:
            _corrupt(bad)
    with pytest.raises(BackupError) as info:
        _service(sqlite_demo, tmp_path).restore(bad)
    assert {"text": "不是楼院通", "foreign": "不是楼院通", "damaged": "损坏", "newer": "更新版本"}[
        kind
    ] in info.value.message
    assert _households(sqlite_demo) == HH
    assert not (tmp_path / "usb").exists()  # nothing was even copied
    sqlite_demo.close()


def _corrupt(path: Path) -> None:
    """Overwrite pages in the middle of the file (the header stays valid)."""
    data = bytearray(path.read_bytes())
    page = 4096
    for n in range(2, len(data) // page - 1, 3):
        data[n * page + 100 : n * page + 400] = b"\xa5" * 300
    path.write_bytes(bytes(data))


def test_damaged_database_is_refused_at_open_with_the_way_out(tmp_path: Path) -> None:
    path = tmp_path / "broken.sqlite3"
    db = open_database(DatabaseTarget(to_url(path)))
    from app.demo import generate

    generate(db, households=200)
    db.close()
    _corrupt(path)
    with pytest.raises(DatabaseDamaged) as info:
        open_database(DatabaseTarget(to_url(path))).close()
    assert "从备份恢复" in info.value.message and "louyuan restore" in info.value.message


def test_garbage_file_is_refused_as_damaged(tmp_path: Path) -> None:
    path = tmp_path / "garbage.sqlite3"
    path.write_bytes(b"x" * 10000)
    with pytest.raises(DatabaseDamaged):
        open_database(DatabaseTarget(to_url(path))).close()


def test_restore_repairs_a_damaged_database(sqlite_demo: Database, tmp_path: Path) -> None:
    backups = _service(sqlite_demo, tmp_path)
    saved = backups.backup_to(tmp_path / "good.sqlite3")
    sqlite_demo.close()
    path = Path(sqlite_demo.target.url.removeprefix("sqlite:///"))
    _corrupt(path)
    result = backups.restore(saved.path)
    assert result.safety_copy is not None and result.safety_copy.exists()
    reopened = open_database(sqlite_demo.target)
    assert _households(reopened) == HH
    reopened.close()


def test_postgresql_points_to_pg_dump(db: Database, tmp_path: Path) -> None:
    backups = _service(db, tmp_path)
    if db.target.is_sqlite:
        assert backups.supported
        return
    assert not backups.supported and backups.automatic("exit") is None
    with pytest.raises(BackupUnsupported, match="pg_dump"):
        backups.backup_to(tmp_path / "x.sqlite3")
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT 1")).scalar() == 1


def test_settings_file_round_trip_and_bad_values(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    assert load_settings(path) == ProgramSettings()
    save_settings(ProgramSettings(backup_keep=4, backup_folder="E:/备份"), path)
    assert load_settings(path).backup_keep == 4
    assert load_settings(path).backup_dir() == Path("E:/备份")
    path.write_text('{"backup_keep": "many", "lockout_minutes": 30}', encoding="utf-8")
    loaded = load_settings(path)
    assert loaded.backup_keep == 10 and loaded.login_policy().lockout_minutes == 30
    path.write_text("{broken", encoding="utf-8")
    assert load_settings(path) == ProgramSettings()


def _backup_entries(db: Database) -> int:
    with db.sessions() as s:
        q = select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "backup")
        return s.scalar(q) or 0


def test_a_failed_backup_leaves_no_audit_entry_and_no_part_file(
    sqlite_demo: Database, tmp_path: Path
) -> None:
    backups = _service(sqlite_demo, tmp_path)
    before = _backup_entries(sqlite_demo)
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where a folder should be", encoding="utf-8")
    with pytest.raises(BackupError):
        backups.backup_to(blocked / "copy.sqlite3")
    assert _backup_entries(sqlite_demo) == before
    out = tmp_path / "ok.sqlite3"
    backups.backup_to(out)
    assert _backup_entries(sqlite_demo) == before + 1
    assert not list(tmp_path.glob("*.part"))
    sqlite_demo.close()


def test_two_backups_of_one_database_at_once_both_land(
    sqlite_demo: Database, tmp_path: Path
) -> None:
    """Two windows making the daily backup at the same moment: each copy writes its own part
    file (one shared part file made the second delete the first's under it)."""
    import threading

    from app.backup import _copy, database_file, inspect_backup

    src = database_file(sqlite_demo)
    out = tmp_path / "same-daily.sqlite3"
    start = threading.Barrier(4)
    errors: list[BaseException] = []

    def copy() -> None:
        start.wait()
        try:
            for _ in range(3):
                _copy(src, out)
        except BaseException as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)

    threads = [threading.Thread(target=copy) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert inspect_backup(out).households == _households(sqlite_demo)
    assert not list(tmp_path.glob("*.part"))
    sqlite_demo.close()


def test_a_killed_backups_part_file_is_cleaned(sqlite_demo: Database, tmp_path: Path) -> None:
    import os

    from app.backup import clean_parts

    backups = _service(sqlite_demo, tmp_path)
    backups.folder.mkdir(parents=True)
    old = backups.folder / "office-20260101-0800-daily.sqlite3.part"
    fresh = backups.folder / "office-20260101-0900-daily.sqlite3.part"
    old.write_bytes(b"half")
    fresh.write_bytes(b"half")
    os.utime(old, (1, 1))
    assert clean_parts(backups.folder) == [old]
    assert backups.automatic("daily") is not None
    assert not old.exists() and fresh.exists()  # another window's backup in progress stays
    sqlite_demo.close()


@pytest.mark.skipif(os.name != "posix", reason="file modes")
def test_database_backups_and_log_are_owner_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import logging

    from app.cli import main
    from app.config import data_dir, log_dir

    root = logging.getLogger()  # a log file of this test's own (restored afterwards)
    monkeypatch.setattr(
        root, "handlers", [h for h in root.handlers if not getattr(h, "_louyuan", False)]
    )

    assert main(["init"]) == 0
    db = data_dir() / "louyuan.sqlite3"
    assert main(["backup", str(data_dir() / "backups" / "copy.sqlite3")]) == 0
    for path in (db, *(data_dir() / "backups").iterdir(), log_dir() / "louyuan.log"):
        assert path.stat().st_mode & 0o077 == 0, path
    for folder in (data_dir(), data_dir() / "backups", log_dir()):
        assert folder.stat().st_mode & 0o777 == 0o700, folder
    for handler in root.handlers:
        if getattr(handler, "_louyuan", False):
            handler.close()


def test_a_crafted_file_with_stub_tables_is_refused_before_anything_is_replaced(
    sqlite_demo: Database, tmp_path: Path
) -> None:
    from app.backup import check_schema

    backups = _service(sqlite_demo, tmp_path)
    good = backups.backup_to(tmp_path / "good.sqlite3")
    check_schema(good.path, good.revisions)  # a real backup passes
    # the right revisions, every table name, but a stub table: the crafted file
    crafted = tmp_path / "crafted.sqlite3"
    crafted.write_bytes(good.path.read_bytes())
    with sqlite3.connect(crafted) as conn:
        conn.execute("DROP TABLE resident_tag")
        conn.execute("CREATE TABLE resident_tag (resident_id INTEGER, tag TEXT)")
    with sqlite3.connect(crafted) as conn:
        conn.execute("ALTER TABLE compound ADD COLUMN evil TEXT")
    households = _households(sqlite_demo)
    with pytest.raises(BackupError, match="结构与本程序创建的数据库不符") as refused:
        backups.restore(crafted)
    assert "数据库未作任何改动" in refused.value.message
    assert _households(sqlite_demo) == households
    assert not list((tmp_path / "usb").glob("*before-restore*"))
    sqlite_demo.close()


def test_an_extra_table_is_refused(sqlite_demo: Database, tmp_path: Path) -> None:
    backups = _service(sqlite_demo, tmp_path)
    copy = backups.backup_to(tmp_path / "copy.sqlite3").path
    with sqlite3.connect(copy) as conn:
        conn.execute("CREATE TABLE payload (x BLOB)")
    with pytest.raises(BackupError, match="多出表 payload"):
        inspect_backup(copy)
    sqlite_demo.close()
