"""One window per SQLite file: a second one is told so at start.

The first window holds an OS lock (flock on POSIX, msvcrt on Windows) on `<database>.lock`
and writes its process id, computer and start time into it. The lock belongs to the open
file, so a window that crashed or was killed releases it with its process: a stale lock file
never blocks anyone. A second window finds the lock taken and reads who holds it.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import sys
from pathlib import Path

if sys.platform == "win32":  # pragma: no cover - exercised on Windows
    import msvcrt
else:
    import fcntl


class WindowLock:
    """The lock of one database file; `held` False when another window has it."""

    def __init__(self, database: Path) -> None:
        self.path = database.with_name(database.name + ".lock")
        self.held = False
        self.holder = ""
        self._fd: int | None = None
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError:
            return  # a read-only folder: nothing to coordinate with
        if _try_lock(fd):
            os.ftruncate(fd, 0)
            now = f"{dt.datetime.now():%Y-%m-%d %H:%M}"
            os.write(fd, f"{os.getpid()} {socket.gethostname()} {now}".encode())
            self._fd, self.held = fd, True
            return
        try:
            self.holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip()
        except (OSError, AttributeError):
            self.holder = ""
        os.close(fd)

    def warning(self) -> str:
        """The Chinese warning for the second window ("" when this one holds the lock)."""
        if self.held:
            return ""
        pid, _, rest = self.holder.partition(" ")
        who = f"（进程 {pid}，{rest}）" if pid.isdigit() else ""
        return (
            f"另一个楼院通窗口已经打开了同一个数据库{who}。两个窗口可以同时使用，"
            "但同一条记录在两边修改时，后保存的一方会被告知“已被他人修改”，需要重新载入。"
            "如不需要，请关闭其中一个窗口。"
        )

    def release(self) -> None:
        if self._fd is not None:
            _unlock(self._fd)
            os.close(self._fd)
            self._fd, self.held = None, False


def _try_lock(fd: int) -> bool:
    try:
        if sys.platform == "win32":  # pragma: no cover
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        else:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _unlock(fd: int) -> None:
    try:
        if sys.platform == "win32":  # pragma: no cover
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        else:
            fcntl.flock(fd, fcntl.LOCK_UN)
    except OSError:
        pass
