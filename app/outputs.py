"""Output paths checked before anything is written or changed.

A command that writes a file after changing data (a payment and its receipt) checks the file's
place first, so a typo in the folder never leaves money taken with no receipt in hand.
"""

from __future__ import annotations

import os
from pathlib import Path

from app.errors import AppError


class OutputError(AppError):
    """The output file cannot be written where asked."""


def check_output(path: Path | str, suffixes: tuple[str, ...] = ()) -> Path:
    """The path, when a file can be written there; raises OutputError otherwise.

    Checks the suffix, that the folder exists and is writable, and that the path is not a
    folder; writes nothing.
    """
    out = Path(path)
    if suffixes and out.suffix.lower() not in suffixes:
        raise OutputError(f"输出文件应为 {' 或 '.join(suffixes)}：{out}")
    if out.is_dir():
        raise OutputError(f"输出位置是一个文件夹，请给出文件名：{out}")
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(f"文件夹不存在：{folder}（未作任何改动）")
    if not os.access(folder, os.W_OK | os.X_OK) or (out.exists() and not os.access(out, os.W_OK)):
        raise OutputError(f"没有写入权限：{out}（未作任何改动）")
    return out
