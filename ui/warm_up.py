"""The other sections' modules, loaded in the background once the clerk pauses.

The window starts with what its first page needs (the other pages are built on first visit).
Loading a page's modules (its services, data classes, dialogs) costs 30-70 ms each: paid on
the GUI thread at the first visit, that would freeze the window for as long. At the clerk's
first pause after start-up a background thread imports them instead; Python hands the GUI
thread the interpreter every few milliseconds meanwhile, so the window stays responsive. A
module the clerk asks for first is simply imported by the GUI thread (the import system
makes the two wait for each other, never load a module twice).
"""

from __future__ import annotations

import importlib
import logging
import sys
import threading

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer

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

# The warm-up starts once the clerk has left keyboard and mouse alone this long (an import
# chain holds Python's module locks; a page the clerk opens meanwhile would wait for it).
IDLE_MS = 1500

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


class WhenIdle(QObject):
    """Starts the warm-up once no key or mouse input has come for IDLE_MS (watching the
    application's events only until then)."""

    INPUT = frozenset(
        {
            QEvent.Type.KeyPress,
            QEvent.Type.MouseButtonPress,
            QEvent.Type.MouseMove,
            QEvent.Type.Wheel,
            QEvent.Type.InputMethod,
        }
    )

    def __init__(self, app: QCoreApplication) -> None:
        super().__init__(app)
        self._app = app
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(IDLE_MS)
        self._timer.timeout.connect(self._idle)
        app.installEventFilter(self)
        self._timer.start()

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() in self.INPUT:
            self._timer.start()  # the clerk is busy: wait for the next pause
        return False

    def _idle(self) -> None:
        self._app.removeEventFilter(self)
        start()
        self.deleteLater()


def start_when_idle(app: QCoreApplication) -> WhenIdle | None:
    """Warm up at the clerk's first pause (nothing when it ran already)."""
    return None if _started.is_set() else WhenIdle(app)
