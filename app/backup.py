"""Backups of the SQLite database: consistent copies with SQLite's online backup API,
automatic ones (daily and on exit) rotated, manual ones anywhere, and a checked restore.

A PostgreSQL database is backed up by its server's tools (pg_dump); these functions say so.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import logging
import os
import re
import shutil
import sqlite3
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from app import audit
from app.audit import Actor
from app.auth import Permission, require
from app.config import DatabaseTarget, to_url
from app.database import Database
from app.errors import AppError
from app.program_settings import ProgramSettings, load_settings
from db import migrate
from db.engine import BUSY_TIMEOUT_MS, make_engine, make_sessionmaker

logger = logging.getLogger(__name__)

SQLITE_HEADER = b"SQLite format 3\x00"
OUR_TABLES = ("alembic_version", "compound", "household", "resident", "app_user", "audit_log")
AUTO_KINDS = ("daily", "exit", "before-restore")
STAMP = "%Y%m%d-%H%M%S"


class BackupError(AppError):
    """A backup or restore that cannot be done; nothing was changed."""


class BackupUnsupported(BackupError):
    def __init__(self) -> None:
        super().__init__(
            "备份与恢复只适用于 SQLite 数据库文件。PostgreSQL 数据库请由管理员在服务器上用 "
            "pg_dump 备份、用 pg_restore 恢复。"
        )


@dataclass(frozen=True)
class BackupInfo:
    """A checked backup file and what it holds."""

    path: Path
    size: int
    modified: dt.datetime
    revisions: tuple[str, ...]
    households: int
    residents: int
    users: int


@dataclass(frozen=True)
class BackupFile:
    """A file in the backup folder (not opened: listing stays fast)."""

    path: Path
    size: int
    modified: dt.datetime
    kind: str


@dataclass(frozen=True)
class RestoreResult:
    restored: BackupInfo
    safety_copy: Path | None  # the database as it was before, kept as a backup


def database_file(db: Database) -> Path:
    if not db.target.is_sqlite:
        raise BackupUnsupported()
    return Path(db.target.url.removeprefix("sqlite:///"))


@contextlib.contextmanager
def _connect(path: Path, *, read_only: bool = False) -> Iterator[sqlite3.Connection]:
    uri = path.resolve().as_uri() + ("?mode=ro" if read_only else "")
    conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        yield conn
    finally:
        conn.close()


def _copy(src: Path, out: Path) -> None:
    """A consistent copy of a live database (other connections may keep writing).

    The copy is written to a `.part` file of its own (two windows making the daily backup
    of one database at the same moment each write their own, and the last rename wins with a
    whole copy), then renamed over `out`."""
    token = f"{os.getpid()}-{threading.get_ident()}-{time.monotonic_ns()}"
    part = out.with_name(f"{out.stem}.{token}{out.suffix}.part")
    try:
        out.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        with _connect(src) as source, _connect(part) as dest:
            source.backup(dest)
            dest.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        os.replace(part, out)
    except sqlite3.Error as exc:
        raise BackupError(_sqlite_message(exc, src)) from exc
    except OSError as exc:
        raise BackupError(f"无法写入备份文件 {out}：{exc.strerror or exc}") from exc
    finally:
        with contextlib.suppress(OSError):
            part.unlink(missing_ok=True)


STALE_PART_SECONDS = 3600


def clean_parts(folder: Path, now: float | None = None) -> list[Path]:
    """Delete `.part` files a killed backup left in the folder (older than an hour, so a
    backup running in another window right now keeps its own)."""
    gone = []
    limit = (now if now is not None else time.time()) - STALE_PART_SECONDS
    with contextlib.suppress(OSError):
        for path in folder.glob("*.sqlite3.part"):
            with contextlib.suppress(OSError):
                if path.stat().st_mtime < limit:
                    path.unlink()
                    gone.append(path)
    return gone


def _sqlite_message(exc: sqlite3.Error, path: Path) -> str:
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return f"数据库 {path} 正被其他程序使用，请关闭其他楼院通窗口后重试。"
    if "malformed" in text or "not a database" in text:
        return f"数据库 {path} 已损坏，无法复制。"
    return f"数据库 {path} 无法读写：{exc}"


def inspect_backup(path: Path) -> BackupInfo:
    """Check that a file is an intact 楼院通 database this program can open.

    Raises:
        BackupError: missing, not SQLite, damaged, not ours, or made by a newer program.
    """
    try:
        with path.open("rb") as f:
            header = f.read(len(SQLITE_HEADER))
        stat = path.stat()
    except OSError as exc:
        raise BackupError(f"无法读取文件 {path}：{exc.strerror or exc}") from exc
    if header != SQLITE_HEADER:
        raise BackupError(f"{path.name} 不是楼院通的数据库备份文件。")
    try:
        with _connect(path, read_only=True) as conn:
            check = conn.execute("PRAGMA integrity_check").fetchall()
            if check != [("ok",)]:
                raise BackupError(
                    f"备份文件 {path.name} 已损坏（完整性检查未通过），不能用于恢复。"
                )
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
            if not set(OUR_TABLES) <= tables:
                raise BackupError(f"{path.name} 不是楼院通的数据库备份文件。")
            revisions = tuple(sorted(r[0] for r in conn.execute("SELECT * FROM alembic_version")))
            counts = [
                int(conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0])
                for t in ("household", "resident", "app_user")
            ]
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"备份文件 {path.name} 已损坏或无法打开：{exc}") from exc
    unknown = set(revisions) - migrate.known_revisions()
    if unknown or not revisions:
        raise BackupError(
            f"备份文件 {path.name} 由更新版本的楼院通创建（版本 {', '.join(sorted(unknown))}），"
            "请先升级本程序。"
            if unknown
            else f"{path.name} 不是楼院通的数据库备份文件。"
        )
    check_schema(path, revisions)
    modified = dt.datetime.fromtimestamp(stat.st_mtime)
    return BackupInfo(path, stat.st_size, modified, revisions, *counts)


Schema = dict[str, tuple[tuple[str, str, int, int], ...]]


def _schema(conn: sqlite3.Connection) -> Schema:
    """Every table's columns as (name, declared type, not null, primary key position)."""
    tables = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    return {
        t: tuple(
            (str(c[1]), str(c[2]).upper().replace(" ", ""), int(c[3]), int(c[5]))
            for c in conn.execute(f'PRAGMA table_info("{t}")')
        )
        for t in tables
    }


@functools.lru_cache(maxsize=4)
def expected_schema(revisions: tuple[str, ...]) -> Schema:
    """The schema this program creates at `revisions` (an empty database migrated there)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "expected.sqlite3"
        engine = make_engine(to_url(path))
        try:
            for revision in revisions:
                migrate.upgrade(engine, revision)
        finally:
            engine.dispose()
        with contextlib.closing(sqlite3.connect(path)) as conn:
            return _schema(conn)


def check_schema(path: Path, revisions: tuple[str, ...]) -> None:
    """Refuse a file whose tables or columns differ from what this program creates at its
    revisions: a crafted file (right revision, stub tables) must not replace the database.

    Raises:
        BackupError: naming the first difference.
    """
    expected = expected_schema(revisions)
    try:
        with _connect(path, read_only=True) as conn:
            found = _schema(conn)
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"备份文件 {path.name} 已损坏或无法打开：{exc}") from exc
    problem = ""
    missing = sorted(expected.keys() - found.keys())
    extra = sorted(found.keys() - expected.keys())
    if missing:
        problem = f"缺少表 {missing[0]}"
    elif extra:
        problem = f"多出表 {extra[0]}"
    else:
        for table in sorted(expected):
            want, have = expected[table], found[table]
            if want != have:
                names_want = [c[0] for c in want]
                names_have = [c[0] for c in have]
                gone = [n for n in names_want if n not in names_have]
                added = [n for n in names_have if n not in names_want]
                if gone:
                    problem = f"表 {table} 缺少列 {gone[0]}"
                elif added:
                    problem = f"表 {table} 多出列 {added[0]}"
                else:
                    diff = next(w for w, h in zip(want, have, strict=False) if w != h)
                    problem = f"表 {table} 的列 {diff[0]} 定义不同"
                break
    if problem:
        raise BackupError(
            f"备份文件 {path.name} 的结构与本程序创建的数据库不符（{problem}），不能用于恢复；"
            "数据库未作任何改动。"
        )


def _kind_of(name: str, stem: str) -> str | None:
    match = re.fullmatch(re.escape(stem) + r"-\d{8}-\d{6}-([a-z\-]+)\.sqlite3", name)
    return match.group(1) if match and match.group(1) in AUTO_KINDS else None


class BackupService:
    """Backups of one open SQLite database, for one acting user."""

    def __init__(self, db: Database, actor: Actor, settings: ProgramSettings) -> None:
        self._db = db
        self._actor = actor
        self._settings = settings

    @property
    def supported(self) -> bool:
        return self._db.target.is_sqlite

    @property
    def folder(self) -> Path:
        return self._settings.backup_dir()

    def default_name(self, kind: str = "manual", now: dt.datetime | None = None) -> str:
        stem = database_file(self._db).stem
        return f"{stem}-{(now or dt.datetime.now()).strftime(STAMP)}-{kind}.sqlite3"

    def backup_to(self, out: Path) -> BackupInfo:
        """A manual backup to a file (or into a folder, under a dated name)."""
        require(self._actor, Permission.BACKUP)
        src = database_file(self._db)
        if out.is_dir():
            out = out / self.default_name()
        if out.resolve() == src.resolve():
            raise BackupError("备份文件不能是正在使用的数据库本身。")
        _copy(src, out)
        info = inspect_backup(out)
        # The audit entry is written once the copy has landed: a killed or failed backup
        # leaves neither a file nor an entry that claims one.
        with self._db.sessions.begin() as s:
            audit.record(s, self._actor, "backup", "database", None, note=str(out))
        logger.info("backup written to %s", out)
        return info

    def automatic(self, kind: str, now: dt.datetime | None = None) -> Path | None:
        """A rotated backup into the backup folder ("daily", "exit"); None for PostgreSQL."""
        if not self.supported:
            return None
        out = self.folder / self.default_name(kind, now)
        clean_parts(self.folder)
        _copy(database_file(self._db), out)
        self.rotate()
        logger.info("%s backup written to %s", kind, out)
        return out

    def daily_due(self, now: dt.datetime | None = None) -> bool:
        """True when the newest automatic backup is a day old or there is none."""
        if not self.supported or not self._settings.backup_daily:
            return False
        files = self.list_backups()
        if not files:
            return True
        return (now or dt.datetime.now()) - files[0].modified >= dt.timedelta(days=1)

    def list_backups(self) -> list[BackupFile]:
        """This database's automatic backups in the backup folder, newest first."""
        stem = database_file(self._db).stem
        found = []
        with contextlib.suppress(OSError):
            for path in self.folder.iterdir():
                kind = _kind_of(path.name, stem)
                if kind is not None:
                    stat = path.stat()
                    modified = dt.datetime.fromtimestamp(stat.st_mtime)
                    found.append(BackupFile(path, stat.st_size, modified, kind))
        return sorted(found, key=lambda f: f.path.name, reverse=True)

    def rotate(self) -> list[Path]:
        """Delete all but the newest `backup_keep` automatic backups; returns the deleted."""
        old = [f.path for f in self.list_backups()[self._settings.backup_keep :]]
        for path in old:
            with contextlib.suppress(OSError):
                path.unlink()
        return old

    def restore(self, backup: Path) -> RestoreResult:
        """Replace the database with a checked backup; the current one is kept as a backup.

        The database's connections are closed first; the same Database object works
        afterwards (upgraded to this program's schema when the backup is older).
        """
        require(self._actor, Permission.RESTORE)
        target = database_file(self._db)
        if backup.resolve() == target.resolve():
            raise BackupError("不能用正在使用的数据库恢复它自己。")
        info = inspect_backup(backup)
        self._db.engine.dispose()
        safety = self._keep_current(target)
        self._replace(backup, target)
        if not migrate.is_current(self._db.engine):
            migrate.upgrade(self._db.engine)
        with self._db.sessions.begin() as s:
            audit.record(
                s, self._actor, "restore", "database", None, note=f"{backup} → 原库备份 {safety}"
            )
        logger.info("restored %s from %s (safety copy %s)", target, backup, safety)
        return RestoreResult(info, safety)

    def _keep_current(self, target: Path) -> Path | None:
        """Copy the database about to be replaced into the backup folder (if it has data)."""
        if not target.exists() or target.stat().st_size == 0:
            return None
        safety = self.folder / self.default_name("before-restore")
        try:
            _copy(target, safety)
        except BackupError:
            # The current file may be damaged (that is often why one restores): keep its bytes.
            logger.warning("current database could not be copied; keeping its raw file")
            safety.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(target, safety)
        return safety

    @staticmethod
    def _replace(backup: Path, target: Path) -> None:
        try:
            with _connect(backup, read_only=True) as source, _connect(target) as dest:
                source.backup(dest)
            return
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc).lower() or "busy" in str(exc).lower():
                raise BackupError(_sqlite_message(exc, target)) from exc
            logger.warning("restore through the backup API failed (%s); replacing the file", exc)
        except sqlite3.DatabaseError as exc:
            logger.warning("restore through the backup API failed (%s); replacing the file", exc)
        part = target.with_name(target.name + ".restore")
        shutil.copyfile(backup, part)
        for suffix in ("-wal", "-shm"):
            target.with_name(target.name + suffix).unlink(missing_ok=True)
        os.replace(part, target)


def restore_unopened(target: DatabaseTarget, backup: Path, actor: Actor) -> RestoreResult:
    """Restore a database that is not (cannot be) opened: it may be damaged or missing."""
    engine = make_engine(target.url)
    db = Database(target, engine, make_sessionmaker(engine))
    try:
        return BackupService(db, actor, load_settings()).restore(backup)
    finally:
        db.close()
