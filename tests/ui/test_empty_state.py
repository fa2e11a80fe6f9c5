"""A fresh database shows the way forward on every section."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QProcess, Qt

from app.audit import Actor
from app.config import DatabaseTarget, to_url
from app.database import open_database
from app.registry.dto import CompoundInput
from app.services import Services
from ui import empty_state
from ui.main_window import MainWindow
from ui.settings import Settings


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[Services]:
    db = open_database(DatabaseTarget(to_url(tmp_path / "new.sqlite3")), create=True)
    try:
        yield Services.build(db, Actor("admin", "admin"))
    finally:
        db.close()


def test_fresh_database_shows_the_next_steps_everywhere(
    qtbot, fresh: Services, prefs: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow(fresh, prefs)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    banner = window.empty_state
    for row in range(window.nav.count()):
        window.nav.setCurrentRow(row)
        assert banner.isVisible(), window.nav.item(row).text()
    assert "还没有楼院" in banner.label.text()
    started: list[tuple[str, list[str]]] = []
    monkeypatch.setattr(
        QProcess, "startDetached", lambda program, args: started.append((program, args)) or True
    )
    qtbot.mouseClick(banner.demo_button, Qt.MouseButton.LeftButton)
    assert started and started[0][1][-1] == "--demo"
    qtbot.mouseClick(banner.import_button, Qt.MouseButton.LeftButton)
    wizard = window.roster_actions.wizard
    assert wizard.isVisible()
    wizard.close()
    # Once there is a compound the banner goes.
    community = _community(fresh)
    fresh.compounds.create_compound(CompoundInput(name="新楼院", community_id=community))
    window.nav.setCurrentRow(0)
    window.registry_page.reload_compounds()
    assert not banner.isVisible()


def _community(services: Services) -> int:
    from tests.app.test_registry import _community as make

    return make(services)


def test_demo_command_runs_the_launcher() -> None:
    program, args = empty_state.demo_command()
    assert args == ["-m", "ui.launcher", "--demo"] and program
