"""The `louyuan` entry point: subcommands go to app.cli before PySide6 is imported.

Nothing heavy is imported here: `--version` answers at once, a subcommand loads the command
line (no Qt), and only the window loads Qt.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence


def _subcommand(argv: Sequence[str]) -> str | None:
    skip = False
    for arg in argv:
        if skip:
            skip = False
            continue
        if arg == "--db":
            skip = True
            continue
        if arg.startswith("-"):
            continue
        return arg
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Run a subcommand, or open the window when there is none (or it is `gui`)."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args == ["--version"]:
        from app import __version__

        print(f"louyuan {__version__}")
        return 0
    command = _subcommand(args)
    wants_info = any(a in ("-h", "--help", "--version") for a in args)
    if (command is not None and command != "gui") or (command is None and wants_info):
        from app.cli import main as cli_main

        return cli_main(args)  # an unknown command is reported by argparse
    from ui.app import main as gui_main

    return gui_main([a for a in args if a != "gui"])


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
