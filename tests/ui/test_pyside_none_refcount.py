"""Regression test for the PySide6 binding that loses a reference to None on void calls.

PySide6 6.12.0 on CPython 3.11 returns None from void methods without a reference; the process
aborts ("Fatal Python error: none_dealloc") after a few thousand calls. pyproject pins a good
release for Python < 3.12; this test fails if a bad one is installed anyway. The probe runs in
a subprocess so that a bad binding cannot crash the test session.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

PROBE = textwrap.dedent("""
    import os, sys
    from PySide6.QtGui import QColor, QImage, QPainter, QPen
    from PySide6.QtWidgets import QApplication, QLabel, QWidget

    app = QApplication([])
    headroom = [None] * 1_000_000  # keeps the probe itself from reaching zero
    image = QImage(50, 50, QImage.Format.Format_RGB32)
    painter = QPainter(image)
    pen = QPen(QColor("black"))
    label, widget = QLabel(), QWidget()
    calls = {
        "QLabel.setText": lambda: label.setText("字"),
        "QPainter.setPen": lambda: painter.setPen(pen),
        "QWidget.resize": lambda: widget.resize(100, 100),
    }
    for name, call in calls.items():
        before = sys.getrefcount(None)
        for _ in range(1000):
            call()
        print(name, sys.getrefcount(None) - before, flush=True)
    painter.end()
    os._exit(0)  # skip teardown: with the bug it would abort there
""")


def test_void_calls_keep_none_references() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    deltas = {}
    for line in done.stdout.splitlines():
        name, _, delta = line.rpartition(" ")
        deltas[name] = int(delta)
    assert set(deltas) == {"QLabel.setText", "QPainter.setPen", "QWidget.resize"}
    # A healthy binding moves the count by a few at most; the bad one by -1000.
    leaking = {name: d for name, d in deltas.items() if d <= -500}
    assert not leaking, (
        f"this PySide6 drops a reference to None on every void call: {leaking}; "
        "install a release without the bug (see the pin in pyproject.toml)"
    )
