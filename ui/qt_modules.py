"""Which Qt modules the window needs, which pip package brings each, and a check before start.

PySide6 ships its modules in several wheels, and the split moves between releases: up to 6.11
Qt PDF is in PySide6-Addons, from 6.12 in its own PySide6-Pdf. pyproject.toml declares the
wheels for every PySide6 version its bounds allow; `missing_qt_modules()` tells the clerk in one
line what to install when an installation lacks one anyway, before any page needs it.

This module imports no Qt itself, so the launcher can call it before PySide6 is loaded.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterable

# Every PySide6 module that ui/ imports (tests/test_qt_modules.py keeps this list complete).
# The value names the wheel that has it in the PySide6 releases the Python in use can get.
ESSENTIALS = "PySide6-Essentials"
ADDONS = "PySide6-Addons"
PDF = "PySide6-Pdf"

REQUIRED_QT_MODULES: dict[str, str] = {
    "PySide6.QtCore": ESSENTIALS,
    "PySide6.QtGui": ESSENTIALS,
    "PySide6.QtWidgets": ESSENTIALS,
    "PySide6.QtPrintSupport": ESSENTIALS,
    "PySide6.QtCharts": ADDONS,
    "PySide6.QtPdf": PDF,
    "PySide6.QtPdfWidgets": PDF,
}

# Until 6.12, Qt PDF came in the Addons wheel.
PDF_OWN_WHEEL_SINCE = (6, 12)


def pyside_version() -> tuple[int, ...] | None:
    """The installed PySide6 version as numbers, or None when PySide6 is not installed."""
    from importlib.metadata import PackageNotFoundError, version

    for dist in (ESSENTIALS, "PySide6"):
        try:
            text = version(dist)
        except PackageNotFoundError:
            continue
        return tuple(int(part) for part in text.split(".")[:3] if part.isdigit())
    return None


def package_for(module: str, pyside: tuple[int, ...] | None) -> str:
    """The pip package that provides `module` for the installed PySide6 release."""
    package = REQUIRED_QT_MODULES.get(module, ESSENTIALS)
    if package == PDF and pyside is not None and pyside < PDF_OWN_WHEEL_SINCE:
        return ADDONS
    return package


def _importable(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def missing_qt_modules(modules: Iterable[str] = REQUIRED_QT_MODULES) -> list[str]:
    """The required Qt modules this installation cannot import, in declaration order."""
    return [name for name in modules if not _importable(name)]


def missing_message(missing: Iterable[str]) -> str:
    """One Chinese line naming the modules that are missing and the packages to install."""
    names = list(missing)
    pyside = pyside_version()
    packages = sorted({package_for(name, pyside) for name in names})
    if pyside is None:
        packages = [ESSENTIALS, ADDONS]
    modules = "、".join(name.removeprefix("PySide6.") for name in names)
    return (
        f"缺少 Qt 组件 {modules}，界面无法启动。请在命令行运行：pip install "
        + " ".join(packages)
        + "（或按 README 重新安装：pip install -e .）"
    )
