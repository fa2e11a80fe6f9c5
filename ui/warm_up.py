"""The other sections' modules, loaded in the background once the window is up.

The window starts with what its first page needs (the other pages are built on first visit).
Loading a page's modules (its services, data classes, dialogs) costs 30-70 ms each: paid on
the GUI thread at the first visit, that would freeze the window for as long. A few seconds
after start-up a background thread imports them instead; Python hands the GUI thread the
interpreter every few milliseconds meanwhile, so the window stays responsive. A module the
clerk asks for first is simply imported by the GUI thread (the import system makes the two
wait for each other, never load a module twice).
"""

from __future__ import annotations

import importlib
import logging
import sys
import threading

logger = logging.getLogger(__name__)

# The lazily built pages and the dialogs a clerk opens often, each with what it imports.
MODULES = (
    "ui.fees.fees_page",
    "ui.surveys.page",
    "ui.governance.dashboard_page",
    "ui.governance.problems_page",
    "ui.governance.organisations_page",
    "ui.governance.grids_page",
    "ui.governance.meetings_page",
    "ui.governance.forces_page",
    "ui.household_dialog",
    "ui.compound_dialog",
    "ui.pdf_preview",
)

# Seconds after the window is shown: start-up's own reads come first.
DELAY_MS = 2000

_started = threading.Event()


def missing() -> list[str]:
    """The modules not loaded yet."""
    return [name for name in MODULES if name not in sys.modules]


def _load(names: list[str]) -> None:
    for name in names:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - the page's own first visit reports it
            logger.warning("warm-up: cannot load %s", name, exc_info=True)


def start() -> threading.Thread | None:
    """Load the modules not loaded yet on a background thread (once per process)."""
    if _started.is_set():
        return None
    _started.set()
    names = missing()
    if not names:
        return None
    thread = threading.Thread(target=_load, args=(names,), name="warm-up", daemon=True)
    thread.start()
    return thread
