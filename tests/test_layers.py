"""The layer contract: ui → app → db, and no Qt below ui (STYLE.md, "Layers").

Each check runs in a fresh interpreter so that whatever this test session has already imported
(pytest-qt loads PySide6) cannot hide a violation.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Installed first on sys.meta_path: any attempt to import Qt, even lazily, raises ImportError.
_BLOCK_QT = textwrap.dedent(
    """
    import importlib.abc
    import sys

    class _NoQt(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.partition(".")[0] in {"PySide6", "shiboken6"}:
                raise ImportError(f"{name} is not importable below ui/")
            return None

    sys.meta_path.insert(0, _NoQt())
    """
)


def _python(code: str, *, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env.pop("PYTHONSTARTUP", None)
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
        check=False,
    )


def _explain(result: subprocess.CompletedProcess[str]) -> str:
    return f"exit {result.returncode}\n--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}"


def test_import_linter_contracts_are_kept() -> None:
    """import-linter's contracts in pyproject.toml: layers ui > app > db, no Qt in app/db."""
    code = "import sys; from importlinter.cli import lint_imports_command; lint_imports_command()"
    result = subprocess.run(
        [sys.executable, "-c", code, "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    assert result.returncode == 0, _explain(result)
    assert "0 broken" in result.stdout, _explain(result)


def test_every_app_and_db_module_imports_without_qt() -> None:
    """Import every module under app/ and db/ with PySide6 and shiboken6 made unimportable."""
    code = _BLOCK_QT + textwrap.dedent(
        """
        import importlib
        import json
        import pkgutil

        import app
        import db

        def fail(name):
            raise ImportError(f"cannot import package {name}")

        names = []
        for package in (app, db):
            names.append(package.__name__)
            for info in pkgutil.walk_packages(package.__path__, package.__name__ + ".",
                                              onerror=fail):
                importlib.import_module(info.name)
                names.append(info.name)
        assert not any(m.partition(".")[0] in {"PySide6", "shiboken6"} for m in sys.modules)
        print(json.dumps(names))
        """
    )
    result = _python(code)
    assert result.returncode == 0, _explain(result)
    names = json.loads(result.stdout.strip().splitlines()[-1])
    # The walk really covered both layers, not just their __init__ modules.
    assert "app.cli" in names
    assert "db.engine" in names
    assert len(names) > 10


def test_subcommands_run_without_qt(tmp_path: Path) -> None:
    """`louyuan init` / `stats --json` go through ui.launcher without ever importing PySide6."""
    target = str(tmp_path / "layers.sqlite3")
    code = _BLOCK_QT + textwrap.dedent(
        f"""
        import ui.launcher as launcher

        assert launcher.main(["--db", {target!r}, "init"]) == 0
        assert launcher.main(["--db", {target!r}, "stats", "--json"]) == 0
        assert "PySide6" not in sys.modules
        assert "shiboken6" not in sys.modules
        """
    )
    result = _python(code)
    assert result.returncode == 0, _explain(result)
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert figures["compounds"] == 0


def test_version_and_help_run_without_qt() -> None:
    """`louyuan --version` and `louyuan stats --help` never start Qt."""
    code = _BLOCK_QT + textwrap.dedent(
        """
        import ui.launcher as launcher

        for argv in (["--version"], ["stats", "--help"]):
            try:
                launcher.main(argv)
            except SystemExit as exc:
                assert exc.code in (0, None), (argv, exc.code)
        assert "PySide6" not in sys.modules
        """
    )
    result = _python(code)
    assert result.returncode == 0, _explain(result)
    assert "louyuan" in result.stdout
