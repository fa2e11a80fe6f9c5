"""Windows that fit the clerk's screen (a 1366x768 office laptop with a taskbar).

`ScreenFitter` watches every top-level window as it is shown: a dialog larger than the
screen's available area is made smaller and moved onto it (its title bar included), so its
buttons stay visible. Dialogs whose content is taller than that scroll (see `scrolling`).
The main window opens at most at the available area, maximised on a small screen.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QFrame, QScrollArea, QWidget

# Window decorations the window manager adds around a window before it is first shown
# (a title bar and thin borders); used while Qt does not know the real frame yet.
TITLE_BAR = 32
BORDER = 4
# On a screen smaller than this the main window opens maximised on first start.
ROOMY = QSize(1400, 900)


def available_geometry(widget: QWidget | None = None) -> QRect:
    """The screen area a window may use (without the taskbar) for `widget`."""
    screen = widget.screen() if widget is not None else QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def frame_margins(widget: QWidget) -> tuple[int, int]:
    """Extra width and height of the window's frame: as measured, but at least a title bar
    and borders (the window manager adds them only once the window is shown)."""
    frame, inner = widget.frameGeometry(), widget.geometry()
    extra_w = frame.width() - inner.width()
    extra_h = frame.height() - inner.height()
    return max(extra_w, 2 * BORDER), max(extra_h, TITLE_BAR + BORDER)


def usable_size(widget: QWidget) -> QSize:
    """The largest client size at which `widget` with its frame fits the available area."""
    area = available_geometry(widget)
    extra_w, extra_h = frame_margins(widget)
    return QSize(area.width() - extra_w, area.height() - extra_h)


def fit_size(widget: QWidget, preferred: QSize) -> QSize:
    """`preferred`, made no larger than the usable area."""
    return preferred.boundedTo(usable_size(widget))


def fit_onto_screen(widget: QWidget) -> None:
    """Shrink `widget` to the usable area if needed and move it (frame included) onto it."""
    usable = usable_size(widget)
    size = widget.size()
    if size.width() > usable.width() or size.height() > usable.height():
        widget.resize(size.boundedTo(usable))
    area = available_geometry(widget)
    extra_w, extra_h = frame_margins(widget)
    width, height = widget.width() + extra_w, widget.height() + extra_h
    frame = widget.frameGeometry()
    x = min(max(frame.x(), area.left()), area.left() + max(0, area.width() - width))
    y = min(max(frame.y(), area.top()), area.top() + max(0, area.height() - height))
    if (x, y) != (frame.x(), frame.y()):
        widget.move(x, y)  # move() places the frame's top-left corner


def scrolling(content: QWidget, parent: QWidget) -> QScrollArea:
    """`content` in a frameless vertical scroll area: a long form scrolls on a small
    screen, and shows whole (no scroll bar) where there is room."""
    area = QScrollArea(parent)
    area.setWidget(content)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setSizeAdjustPolicy(QScrollArea.SizeAdjustPolicy.AdjustToContents)
    hint = content.sizeHint()
    bar = area.verticalScrollBar().sizeHint().width()
    area.setMinimumWidth(content.minimumSizeHint().width() + bar)
    area.setMinimumHeight(min(hint.height(), 240))
    return area


class ScreenFitter(QObject):
    """Application-wide: every dialog that is shown fits the screen it is shown on."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Show and isinstance(watched, QDialog) and watched.isWindow():
            fit_onto_screen(watched)
        return False


def install(app: QObject) -> ScreenFitter:
    """Watch `app`'s windows; keep the returned object alive as long as the app."""
    fitter = ScreenFitter(app)
    app.installEventFilter(fitter)
    return fitter
