"""Where bundled resources (fonts, translations, icons) live: from source, installed or frozen."""

from __future__ import annotations

import sys
from pathlib import Path


def resources_dir() -> Path:
    """The `resources/` folder next to the packages, or inside a PyInstaller bundle."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root is not None:
        return Path(frozen_root) / "resources"
    import resources

    return Path(resources.__file__).resolve().parent


def resource_path(*parts: str) -> Path:
    """A file under `resources/`."""
    return resources_dir().joinpath(*parts)


def bundled_font_path() -> Path:
    """The bundled CJK font with TrueType outlines (WenQuanYi Micro Hei)."""
    return resource_path("fonts", "wqy-microhei.ttc")
