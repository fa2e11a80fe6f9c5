"""A second window on one SQLite file is told so; a crashed window's lock never blocks."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.instance_lock import WindowLock


def test_the_second_window_is_warned_and_the_first_release_frees_the_file(
    tmp_path: Path,
) -> None:
    db = tmp_path / "office.sqlite3"
    first = WindowLock(db)
    assert first.held and first.warning() == ""
    second = WindowLock(db)
    assert not second.held
    assert "另一个楼院通窗口已经打开了同一个数据库" in second.warning()
    assert f"进程 {os.getpid()}" in second.warning()
    first.release()
    third = WindowLock(db)
    assert third.held
    third.release()


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL")
def test_a_killed_windows_lock_does_not_block(tmp_path: Path) -> None:
    db = tmp_path / "office.sqlite3"
    code = (
        "import sys, time; from pathlib import Path; from app.instance_lock import WindowLock;"
        f"lock = WindowLock(Path({str(db)!r})); print(lock.held, flush=True); time.sleep(60)"
    )
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2]))
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, env=env)
    assert child.stdout is not None
    assert child.stdout.readline().strip() == b"True"
    assert not WindowLock(db).held  # the running window holds it
    child.send_signal(signal.SIGKILL)
    child.wait()
    child.stdout.close()
    time.sleep(0.05)
    assert (db.with_name("office.sqlite3.lock")).exists()  # the stale file is still there
    again = WindowLock(db)
    assert again.held  # ... and does not block
    again.release()
