"""Every Qt module the window imports is declared, installed, and missing ones are named.

On Python 3.13 pip resolves PySide6 6.12, where Qt PDF left the Addons wheel for PySide6-Pdf;
an install that lacked it crashed on the fees page and the test suite stopped at collection.
These tests fail on such an install, and on a ui/ module that starts using a Qt module that
ui/qt_modules.py does not list (and so pyproject.toml may not declare).
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import textwrap
import tomllib
from importlib.metadata import PackageNotFoundError, distribution
from importlib.util import find_spec
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from ui.qt_modules import (
    ADDONS,
    PDF,
    REQUIRED_QT_MODULES,
    missing_message,
    package_for,
    pyside_version,
)

ROOT = Path(__file__).resolve().parents[2]


def _qt_imports_in_ui() -> set[str]:
    found: set[str] = set()
    for path in (ROOT / "ui").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            found.update(n for n in names if n.startswith("PySide6.") and n.count(".") == 1)
    return found


def _declared_distributions() -> set[str]:
    """The distributions pyproject.toml requires on this Python (markers evaluated)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names: set[str] = set()
    for text in project["dependencies"]:
        requirement = Requirement(text)
        if requirement.marker is None or requirement.marker.evaluate():
            names.add(canonicalize_name(requirement.name))
    return names


def _owning_distribution(module: str) -> str:
    """The installed distribution whose files hold `module`'s extension file."""
    spec = find_spec(module)
    assert spec is not None and spec.origin, f"{module} is not installed"
    origin = Path(spec.origin).resolve()
    for candidate in ("PySide6-Essentials", "PySide6-Addons", "PySide6-Pdf", "PySide6"):
        try:
            dist = distribution(candidate)
        except PackageNotFoundError:
            continue
        for file in dist.files or []:
            if Path(str(dist.locate_file(file))).resolve() == origin:
                return canonicalize_name(candidate)
    raise AssertionError(f"no installed PySide6 wheel lists {origin}")


def test_the_list_names_every_qt_module_ui_imports() -> None:
    used = _qt_imports_in_ui()
    assert used, "the scan found no Qt imports at all"
    unlisted = sorted(used - set(REQUIRED_QT_MODULES))
    assert not unlisted, f"add to ui/qt_modules.py (and declare its wheel): {unlisted}"


@pytest.mark.parametrize("module", sorted(REQUIRED_QT_MODULES))
def test_each_module_comes_from_a_declared_wheel(module: str) -> None:
    owner = _owning_distribution(module)
    assert owner in _declared_distributions(), (
        f"{module} comes from {owner}, which pyproject.toml does not require on "
        f"Python {sys.version_info[0]}.{sys.version_info[1]}"
    )
    assert canonicalize_name(package_for(module, pyside_version())) == owner


def test_every_ui_module_imports_in_a_fresh_interpreter() -> None:
    probe = textwrap.dedent(
        """
        import importlib, pkgutil, ui
        failed = []
        for info in pkgutil.walk_packages(ui.__path__, "ui."):
            try:
                importlib.import_module(info.name)
            except Exception as exc:
                failed.append(f"{info.name}: {type(exc).__name__}: {exc}")
        print("\\n".join(failed))
        raise SystemExit(1 if failed else 0)
        """
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr[-2000:]


def test_the_message_names_the_package_for_the_installed_release() -> None:
    message = missing_message(["PySide6.QtPdf"])
    assert message.startswith("缺少 Qt 组件 QtPdf")
    expected = ADDONS if (pyside_version() or (0,)) < (6, 12) else PDF
    assert f"pip install {expected}" in message
    assert "\n" not in message
    assert package_for("PySide6.QtPdf", (6, 11, 3)) == ADDONS
    assert package_for("PySide6.QtPdf", (6, 12, 0)) == PDF
    assert package_for("PySide6.QtCharts", (6, 12, 0)) == ADDONS


# A fresh interpreter where Qt PDF cannot be imported, as on the broken 3.13 install; the
# message box is replaced by a print so the test cannot hang on a modal dialog.
_WITHOUT_QTPDF = textwrap.dedent(
    """
    import importlib.abc, sys

    class _NoPdf(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.startswith("PySide6.QtPdf"):
                raise ModuleNotFoundError(f"No module named {name!r}", name=name)
            return None

    sys.meta_path.insert(0, _NoPdf())
    from PySide6.QtWidgets import QMessageBox
    QMessageBox.critical = staticmethod(lambda parent, title, text: print("BOX", text))
    from ui.launcher import main
    raise SystemExit(main(["--db", sys.argv[1]]))
    """
)


def test_a_missing_qt_module_is_named_before_the_window_starts(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", _WITHOUT_QTPDF, str(tmp_path / "x.sqlite3")],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1, done.stderr[-2000:]
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("缺少 Qt 组件 QtPdf、QtPdfWidgets"), lines
    assert "Traceback" not in done.stderr
    assert "BOX 缺少 Qt 组件" in done.stdout
    assert not (tmp_path / "x.sqlite3").exists(), "nothing is created when Qt is incomplete"
