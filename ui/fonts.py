"""The UI font: a good installed CJK font when there is one, else the bundled WenQuanYi."""

from __future__ import annotations

import logging

from PySide6.QtGui import QFont, QFontDatabase

from app.resources import bundled_font_path

logger = logging.getLogger(__name__)

# Best first. The bundled font is the fallback that is always present.
PREFERRED_FAMILIES = (
    "Microsoft YaHei UI",
    "Microsoft YaHei",
    "微软雅黑",
    "PingFang SC",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "SimSun",
    "宋体",
    "WenQuanYi Micro Hei",
)


def register_bundled_font() -> list[str]:
    """Register the bundled font with Qt; returns its families (empty when it failed)."""
    path = bundled_font_path()
    font_id = QFontDatabase.addApplicationFont(str(path))
    if font_id < 0:
        logger.warning("cannot load bundled font %s", path)
        return []
    return list(QFontDatabase.applicationFontFamilies(font_id))


def choose_family(configured: str = "") -> str:
    """The configured family if installed, else the first preferred one that is installed."""
    bundled = register_bundled_font()
    installed = set(QFontDatabase.families())
    candidates = ([configured] if configured else []) + list(PREFERRED_FAMILIES) + bundled
    for family in candidates:
        if family in installed:
            return family
    return bundled[0] if bundled else QFont().family()


def ui_font(configured: str = "", point_size: int = 10) -> QFont:
    """The application font; call after QApplication exists."""
    family = choose_family(configured)
    logger.info("UI font: %s %dpt", family, point_size)
    font = QFont(family, point_size)
    font.setStyleHint(QFont.StyleHint.SansSerif)
    return font
