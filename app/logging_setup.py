"""Logging to a rotating file in the log folder (never print outside the CLI)."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from app.config import log_dir, make_private_dir

_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def setup_logging(_data: Path | None = None, level: int = logging.INFO) -> None:
    """Attach one rotating file handler to the root logger (idempotent)."""
    root = logging.getLogger()
    if any(getattr(h, "_louyuan", False) for h in root.handlers):
        return
    try:
        folder = make_private_dir(log_dir())
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            folder / "louyuan.log", maxBytes=2_000_000, backupCount=5, encoding="utf-8"
        )
    except OSError:
        handler = logging.NullHandler()
    handler.setFormatter(logging.Formatter(_FORMAT))
    handler._louyuan = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)
