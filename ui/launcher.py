"""The `louyuan` entry point: subcommands go to app.cli before PySide6 is imported.

Nothing heavy is imported here: `--version` answers at once, a subcommand loads the command
line (no Qt), and only the window loads Qt (and paints its frame before the database layer
loads, see ui/app.py).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from ui.qt_modules import missing_message, missing_qt_modules


def main(argv: Sequence[str] | None = None) -> int:
    """Run a subcommand, or open the window when there is none (or it is `gui`)."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args == ["--version"]:
        from app import __version__

        print(f"louyuan {__version__}")
        return 0
    from app.cli import command_of  # argparse only: the areas load with their subcommands

    command = command_of(args)
    wants_info = any(a in ("-h", "--help", "--version") for a in args)
    if (command is not None and command != "gui") or (command is None and wants_info):
        from app.cli import main as cli_main

        return cli_main(args)  # an unknown command is reported by argparse
    missing = missing_qt_modules()  # this imports the PySide6 package, and its import hook
    if missing:
        _tell_missing_qt(missing_message(missing))
        return 1
    from ui.import_hook import spare_source_reading

    spare_source_reading()  # before the window's modules pass through that hook
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
