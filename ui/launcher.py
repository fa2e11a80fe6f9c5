"""The `louyuan` entry point: subcommands go to app.cli before PySide6 is imported.

Nothing heavy is imported here: `--version` answers at once, a subcommand loads the command
line (no Qt), and only the window loads Qt.
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
    load_data_layer()  # before the check below imports the PySide6 package
    missing = missing_qt_modules()
    if missing:
        _tell_missing_qt(missing_message(missing))
        return 1
    from ui.app import main as gui_main

    return gui_main([a for a in args if a != "gui"])


# What the window opens with (the database, sign-in, the registry page's services), loaded
# before Qt: once PySide6 is imported, its import hook reads the source file of every module
# imported after it (about 0.2 ms each, ~70 ms for these ~300 modules).
DATA_LAYER = (
    "sqlalchemy.orm",
    "sqlalchemy.dialects.sqlite.pysqlite",
    "db.models",
    "db.engine",
    "db.migrate",
    "app.database",
    "app.services",
    "app.signin",
    "app.users.service",
    "app.registry.compounds",
    "app.registry.households",
    "app.search",
    "app.backup",
)


def load_data_layer() -> None:
    """Import the window's data layer (see DATA_LAYER) before anything imports Qt."""
    import importlib

    for name in DATA_LAYER:
        importlib.import_module(name)


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
