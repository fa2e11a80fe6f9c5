"""Open, create and upgrade the program's database."""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass

from sqlalchemy import Engine, text
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from app import lengths
from app.config import DatabaseTarget, data_dir, make_private_dir, tighten
from app.errors import AppError, DatabaseDamaged, DatabaseError
from db import migrate
from db.engine import make_engine, make_sessionmaker

logger = logging.getLogger(__name__)


@dataclass
class Database:
    """An open database: its engine and its session factory."""

    target: DatabaseTarget
    engine: Engine
    sessions: sessionmaker[Session]

    def close(self) -> None:
        self.engine.dispose()


def _connect(target: DatabaseTarget) -> Engine:
    path = target.path
    if path is not None:
        if path.parent == data_dir():
            make_private_dir(path.parent)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
    try:
        engine = make_engine(target.url)
    except ImportError as exc:  # the PostgreSQL driver is an optional extra
        raise DatabaseError(
            f"连接 {target.display} 需要 PostgreSQL 驱动 psycopg，尚未安装。"
            "请运行：pip install 'louyuan[postgres]'"
        ) from exc
    except ArgumentError as exc:
        raise DatabaseError(f"数据库地址无法识别：{target.display}") from exc
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except (OperationalError, DBAPIError) as exc:
        engine.dispose()
        logger.warning("cannot open %s: %s", target.display, exc)
        if any(m in str(exc) for m in ("not a database", "malformed")):
            raise DatabaseDamaged(target.display) from exc
        raise DatabaseError(
            f"无法打开数据库：{target.display}。请检查文件是否损坏、是否被其他程序占用，"
            "或网络数据库是否可以连接。"
        ) from exc
    if path is not None:
        for suffix in ("", "-wal", "-shm"):
            tighten(path.with_name(path.name + suffix), 0o600)
    return engine


def _check_integrity(engine: Engine, target: DatabaseTarget) -> None:
    """SQLite's quick_check at open: a damaged file is refused with the way out."""
    if not target.is_sqlite:
        return
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("PRAGMA quick_check")).scalars().all()
    except (OperationalError, DBAPIError) as exc:
        if "locked" in str(exc).lower():
            raise DatabaseError(
                f"数据库 {target.display} 正被其他程序使用，请稍后再试或关闭其他楼院通窗口。"
            ) from exc
        rows = [str(exc.orig)]
    if rows != ["ok"]:
        logger.error("integrity check of %s failed: %s", target.display, rows[:5])
        raise DatabaseDamaged(target.display)


def _check_revision(engine: Engine, target: DatabaseTarget) -> frozenset[str]:
    try:
        revisions = migrate.current_revisions(engine)
    except (OperationalError, DBAPIError) as exc:
        raise DatabaseError(f"数据库文件已损坏或不是楼院通的数据库：{target.display}") from exc
    unknown = revisions - migrate.known_revisions()
    if unknown:
        revision = ", ".join(sorted(unknown))
        raise DatabaseError(
            f"数据库 {target.display} 由更新版本的楼院通创建（版本 {revision}），"
            "请升级本程序，或从备份恢复。"
        )
    return revisions


BUSY = "数据库正被另一个窗口或另一台电脑占用（正在保存数据），请稍等片刻再试；本次操作没有保存。"
READ_ONLY = (
    "数据库是只读的（文件或文件夹没有写入权限，或在只读的U盘、光盘上），本次操作没有保存。"
    "请检查文件权限后再试。"
)
LOST = "与数据库的连接中断，本次操作没有保存。请检查网络或数据库服务器后再试。"


def friendly_error(exc: BaseException) -> AppError | None:
    """An expected database failure behind an unexpected exception, as a Chinese message.

    A write that waits past the busy timeout (another program holds the SQLite file) or a
    shared server that went away is the environment's fault, not a bug: the window and the
    command line say so instead of showing a traceback. None for anything else.
    """
    if isinstance(exc, AppError):
        return exc
    text = str(exc).lower()
    if isinstance(exc, OperationalError | sqlite3.OperationalError) and (
        "locked" in text or "busy" in text
    ):
        return DatabaseError(BUSY)
    if isinstance(exc, DBAPIError | sqlite3.Error) and (
        "readonly database" in text or "read-only transaction" in text
    ):
        return DatabaseError(READ_ONLY)
    if isinstance(exc, DBAPIError) and "value too long" in text:
        return DatabaseError("内容过长，超出了数据库字段的长度，本次操作没有保存。")
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return DatabaseError(LOST)
    return None


def check_integrity(db: Database) -> None:
    """SQLite's quick_check on an open database (about 1 s per 200,000 households).

    Raises:
        DatabaseDamaged: the file fails the check.
    """
    _check_integrity(db.engine, db.target)


def open_database(target: DatabaseTarget, *, create: bool = True, check: bool = True) -> Database:
    """Open the database, upgrading an older schema; an empty one is created if `create`.

    With `check` false the integrity check is left to the caller (the window runs it in
    the background after the first paint, see `check_integrity`).

    Raises:
        DatabaseError: unreachable, damaged, foreign or made by a newer program; or empty
            and `create` is false.
    """
    engine = _connect(target)
    try:
        if check:
            _check_integrity(engine, target)
        revisions = _check_revision(engine, target)
        if revisions != migrate.head_revisions():
            if not revisions and not create:
                raise DatabaseError(f"数据库 {target.display} 尚未初始化，请先运行 louyuan init。")
            logger.info("upgrading %s from %s", target.display, sorted(revisions))
            migrate.upgrade(engine)
    except BaseException:
        engine.dispose()
        raise
    sessions = make_sessionmaker(engine)
    lengths.install(sessions)
    return Database(target, engine, sessions)


def is_empty(db: Database) -> bool:
    """True when the database holds no compound yet."""
    with db.engine.connect() as conn:
        count: int = conn.execute(text("SELECT COUNT(*) FROM compound")).scalar_one()
    return count == 0
