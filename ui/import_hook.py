"""PySide6's import hook, spared reading the source of modules that never use Qt.

Once PySide6 is imported, each module imported after it passes through its `__feature__` hook,
which finds out whether the module uses PySide6 by reading the module's whole source file
(`shibokensupport.feature._mod_uses_pyside`, about 0.15 ms a module). The window imports some
400 modules after Qt: the database layer while its frame shows, then each page's modules on
first visit (on the GUI thread). For the packages below the answer is known without reading:
they never import Qt (`app` and `db` are kept Qt-free by an import-linter contract), so the
hook is given that answer and reads the sources of the other modules as before. The result is
the one the hook would reach itself; only the reading is saved (~50 ms at start-up).
"""

from __future__ import annotations

import sys
from types import ModuleType

# Top-level packages that never import PySide6 (besides Python's own standard library).
NO_QT_PACKAGES = frozenset(
    {
        "app",
        "db",
        "sqlalchemy",
        "alembic",
        "mako",
        "greenlet",
        "typing_extensions",
        "platformdirs",
        "pypinyin",
        "cn2an",
        "proces",
        "reportlab",
        "rl_accel",
        "python_calamine",
        "xlsxwriter",
        "openpyxl",
        "et_xmlfile",
        "pypdfium2",
        "pypdfium2_raw",
        "numpy",
        "zxingcpp",
        "PIL",
        "psycopg",
        "psycopg_binary",
    }
)


def known_without_qt(name: str) -> bool:
    """True for a module of a package that never imports Qt."""
    top = name.partition(".")[0]
    return top in NO_QT_PACKAGES or top in sys.stdlib_module_names


def spare_source_reading() -> bool:
    """Give PySide6's hook the known answer for the packages above; False (nothing changed)
    when this PySide6 has no such hook."""
    feature = sys.modules.get("shibokensupport.feature")
    reads = getattr(feature, "_mod_uses_pyside", None)
    if feature is None or reads is None or getattr(reads, "spared", False):
        return False

    def uses_pyside(module: ModuleType) -> bool:
        if known_without_qt(getattr(module, "__name__", "")):
            return False
        return bool(reads(module))

    uses_pyside.spared = True  # type: ignore[attr-defined]
    uses_pyside.original = reads  # type: ignore[attr-defined]
    feature._mod_uses_pyside = uses_pyside  # type: ignore[attr-defined]
    return True
