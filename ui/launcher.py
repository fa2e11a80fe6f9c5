"""The `louyuan` entry point: subcommands go to app.cli before PySide6 is imported."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from app.cli import SUBCOMMANDS
from ui.qt_modules import missing_message, missing_qt_modules


def _subcommand(argv: Sequence[str]) -> str | None:
    skip = False
    for arg in argv:
        if skip:
            skip = False
            continue
        if arg in ("--db", "--user"):
            skip = True
            continue
        if arg.startswith("-"):
            continue
        return arg
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Run a subcommand, or open the window when there is none (or it is `gui`)."""
    args = list(sys.argv[1:] if argv is None else argv)
    command = _subcommand(args)
    wants_info = any(a in ("-h", "--help", "--version") for a in args)
    if (command is not None and command != "gui") or (command is None and wants_info):
        from app.cli import main as cli_main

        if command is not None and command not in SUBCOMMANDS:
            return cli_main(args)  # argparse reports the unknown command
        return cli_main(args)
    missing = missing_qt_modules()
    if missing:
        _tell_missing_qt(missing_message(missing))
        return 1
    from ui.app import main as gui_main

    return gui_main([a for a in args if a != "gui"])


def _tell_missing_qt(message: str) -> None:
    """Say which Qt package is missing: on stderr, and in a message box when Qt can show one
    (the Windows bundle has no console)."""
    print(message, file=sys.stderr)
    if missing_qt_modules(["PySide6.QtWidgets"]):
        return
    from PySide6.QtWidgets import QApplication, QMessageBox

    app = QApplication.instance() or QApplication([])
    QMessageBox.critical(None, "楼院通", message)
    del app


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
