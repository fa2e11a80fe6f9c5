"""Program configuration: where data lives and which database to open."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_data_path, user_log_path

APP_NAME = "louyuan"
DB_ENV = "LOUYUAN_DB"
DATA_ENV = "LOUYUAN_DATA_DIR"


PRIVATE_UMASK = 0o077


def private_files() -> None:
    """Files and folders this process creates are readable by their owner only (0600/0700
    where the platform has modes): the database, its backups, the log, settings, exports."""
    if os.name == "posix":
        os.umask(PRIVATE_UMASK)


def make_private_dir(path: Path) -> Path:
    """Create a folder of the program's own (data, backups, log) owner-only, and tighten one
    that an older version created open (only when this account owns it)."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    tighten(path, 0o700)
    return path


def tighten(path: Path, mode: int) -> None:
    """chmod `path` to `mode` when it is ours and looser; silently nothing elsewhere."""
    if os.name != "posix":
        return
    try:
        st = path.stat()
        if st.st_uid == os.getuid() and st.st_mode & 0o077:
            path.chmod(mode)
    except OSError:
        pass


def data_dir() -> Path:
    """The user data folder (overridable with LOUYUAN_DATA_DIR, e.g. for a USB stick)."""
    override = os.environ.get(DATA_ENV)
    path = Path(override) if override else user_data_path(APP_NAME, appauthor=False)
    return path


def log_dir() -> Path:
    """The folder of the rotating log file."""
    override = os.environ.get(DATA_ENV)
    return Path(override) / "logs" if override else user_log_path(APP_NAME, appauthor=False)


def default_db_path() -> Path:
    """The office's database file."""
    return data_dir() / "louyuan.sqlite3"


def demo_db_path() -> Path:
    """The demo database, kept apart from real data."""
    return data_dir() / "demo.sqlite3"


def to_url(target: str | os.PathLike[str]) -> str:
    """A SQLAlchemy URL from a URL or a file path."""
    text = os.fspath(target)
    if "://" in text:
        return text
    return "sqlite:///" + str(Path(text).expanduser().resolve())


@dataclass(frozen=True)
class DatabaseTarget:
    """Which database to open and whether it is the demo."""

    url: str
    demo: bool = False

    @property
    def is_sqlite(self) -> bool:
        return self.url.startswith("sqlite")

    @property
    def path(self) -> Path | None:
        """The SQLite file, None for a server database."""
        return Path(self.url.removeprefix("sqlite:///")) if self.is_sqlite else None

    @property
    def display(self) -> str:
        """The URL without a password, for the status bar and messages."""
        if self.is_sqlite:
            return self.url.removeprefix("sqlite:///")
        head, sep, tail = self.url.partition("@")
        if not sep:
            return self.url
        scheme, _, userinfo = head.partition("://")
        user = userinfo.split(":", 1)[0]
        return f"{scheme}://{user}@{tail}"


def resolve_target(db: str | None, *, demo: bool = False) -> DatabaseTarget:
    """`--db` beats LOUYUAN_DB beats the default file; `--demo` picks the demo file."""
    if db:
        return DatabaseTarget(to_url(db), demo)
    env = os.environ.get(DB_ENV)
    if env:
        return DatabaseTarget(to_url(env), demo)
    path = demo_db_path() if demo else default_db_path()
    return DatabaseTarget(to_url(path), demo)
