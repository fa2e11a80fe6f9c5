"""A survey tab whose widgets are made when it is first shown (or first given a survey)."""

from __future__ import annotations

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget

from app.services import Services
from ui.tasks import TaskRunner


class LazyTab(QWidget):
    """Subclasses make their widgets in `_make_widgets`; `_build()` makes them once."""

    def __init__(
        self, services: Services, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._runner = runner
        self.survey_id: int | None = None
        self._built = False
        QVBoxLayout(self)  # filled by _make_widgets: on first show or first survey

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        self._build()
        super().showEvent(event)

    def _build(self) -> None:
        """The tab's widgets, made when it is first shown (or given a survey): a clerk who
        never opens it does not wait for them when the page opens."""
        if self._built:
            return
        self._built = True
        self._make_widgets()

    def _make_widgets(self) -> None:
        raise NotImplementedError
