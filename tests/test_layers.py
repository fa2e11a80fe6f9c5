"""The layer contract: ui → app → db, and no Qt below ui (STYLE.md, "Layers").

Each check runs in a fresh interpreter so that whatever this test session has already imported
(pytest-qt loads PySide6) cannot hide a violation.
"""

from __future__ import annotations

import ast
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


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _ui_module_of(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _absolute(importer: str, is_package: bool, module: str | None, level: int) -> str:
    if not level:
        return module or ""
    base = importer.split(".")
    base = base if is_package else base[:-1]
    base = base[: len(base) - (level - 1)]
    return ".".join([*base, module] if module else base)


def _ui_imports(
    tree: ast.Module, importer: str, is_package: bool, root: Path
) -> tuple[list[str], set[str]]:
    """Private names imported from other ui modules, and the local names bound to ui modules."""
    found: list[str] = []
    modules: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules |= {
                a.asname for a in node.names if a.asname and a.name.partition(".")[0] == "ui"
            }
            continue
        if not isinstance(node, ast.ImportFrom):
            continue
        source = _absolute(importer, is_package, node.module, node.level)
        if source.partition(".")[0] != "ui" or source == importer:
            continue
        for alias in node.names:
            if _private(alias.name):
                found.append(f"{importer}: from {source} import {alias.name}")
            place = root / Path(*f"{source}.{alias.name}".split("."))
            if place.with_suffix(".py").exists() or place.is_dir():
                modules.add(alias.asname or alias.name)
    return found, modules


def private_name_imports(files: list[Path], root: Path = ROOT) -> list[str]:
    """Where a ui/ module uses another ui/ module's private (underscore) name: `from ui.x import
    _y`, or `x._y` on a ui module it imported. (import-linter checks modules, not names: its
    private_modules contract covers ui/_x.py files, this covers names.)"""
    found = []
    for path in files:
        importer = _ui_module_of(path, root)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported, modules = _ui_imports(tree, importer, path.name == "__init__.py", root)
        found += imported
        found += [
            f"{importer}:{node.lineno}: {node.value.id}.{node.attr}"
            for node in ast.walk(tree)
            if isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in modules
            and _private(node.attr)
        ]
    return found


def test_ui_modules_use_no_private_names_of_each_other(tmp_path: Path) -> None:
    files = sorted((ROOT / "ui").rglob("*.py"))
    assert len(files) > 50
    assert private_name_imports(files) == []
    # the check itself catches both forms (on a little ui/ tree of its own)
    fees = tmp_path / "ui" / "fees"
    fees.mkdir(parents=True)
    for name in ("ui/__init__.py", "ui/dialogs.py", "ui/fees/__init__.py", "ui/fees/common.py"):
        (tmp_path / name).write_text("", encoding="utf-8")
    probe = fees / "probe.py"
    probe.write_text(
        "from ui.dialogs import _tr, error\nfrom ui import dialogs\nfrom . import common\n"
        "dialogs._tr('x')\ncommon._helper()\ncommon.table()\nprint(__name__)\n",
        encoding="utf-8",
    )
    assert private_name_imports([probe], tmp_path) == [
        "ui.fees.probe: from ui.dialogs import _tr",
        "ui.fees.probe:4: dialogs._tr",
        "ui.fees.probe:5: common._helper",
    ]
