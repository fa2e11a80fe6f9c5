"""Program settings shared by the window and the CLI: a typed dataclass in settings.json.

The file lives in the data folder beside the database. A missing or broken file gives the
defaults (and a warning in the log), never a failure to start.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.config import data_dir
from app.users.dto import LoginPolicy

logger = logging.getLogger(__name__)

FILE_NAME = "settings.json"
MAX_BYTES = 1024 * 1024  # a settings file is a few hundred bytes; anything else is not one
# Sane ranges for the numbers (a value outside is brought to the nearest end).
BOUNDS = {"backup_keep": (1, 1000), "max_failed_logins": (1, 100), "lockout_minutes": (1, 1440)}


@dataclass(frozen=True)
class ProgramSettings:
    """What an administrator may tune; every field has a safe default."""

    backup_keep: int = 10  # automatic backups kept per database (the oldest go first)
    backup_folder: str = ""  # empty: <data folder>/backups; or e.g. a USB stick
    backup_on_exit: bool = True
    backup_daily: bool = True
    max_failed_logins: int = 5
    lockout_minutes: int = 15

    def backup_dir(self) -> Path:
        return Path(self.backup_folder) if self.backup_folder else data_dir() / "backups"

    def login_policy(self) -> LoginPolicy:
        return LoginPolicy(max(1, self.max_failed_logins), max(1, self.lockout_minutes))


def settings_path() -> Path:
    return data_dir() / FILE_NAME


def _coerce(raw: dict[str, Any]) -> ProgramSettings:
    defaults = ProgramSettings()
    values: dict[str, Any] = {}
    for f in dataclasses.fields(ProgramSettings):
        value = raw.get(f.name, getattr(defaults, f.name))
        default = getattr(defaults, f.name)
        if type(value) is not type(default):
            logger.warning("settings.json: %s=%r ignored", f.name, value)
            value = default
        values[f.name] = value
    for name, (low, high) in BOUNDS.items():
        values[name] = min(max(low, values[name]), high)
    folder = values["backup_folder"]
    if "\x00" in folder or len(folder) > 1000:
        logger.warning("settings.json: backup_folder ignored")
        values["backup_folder"] = ""
    return ProgramSettings(**values)


def load_settings(path: Path | None = None) -> ProgramSettings:
    path = path or settings_path()
    try:
        if path.stat().st_size > MAX_BYTES:
            raise ValueError("too large")
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return ProgramSettings()
    except (OSError, ValueError, RecursionError) as exc:
        logger.warning("cannot read %s (%s); using defaults", path, exc)
        return ProgramSettings()
    if not isinstance(raw, dict):
        return ProgramSettings()
    return _coerce(raw)


def save_settings(settings: ProgramSettings, path: Path | None = None) -> None:
    path = path or settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(
        json.dumps(dataclasses.asdict(settings), ensure_ascii=False, indent=2), encoding="utf-8"
    )
    os.replace(tmp, path)
