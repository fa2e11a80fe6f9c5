"""The one search box: Ctrl+F, type initials, a room or a phone, open what it found."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from qt_typing import type_text

from app.registry.dto import HouseholdFilter
from app.services import Services
from app.text import pinyin_of
from ui.main_window import MainWindow
from ui.settings import Settings


@pytest.fixture
def window(qtbot, demo_services: Services, prefs: Settings) -> Iterator[MainWindow]:
    w = MainWindow(demo_services, prefs)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.runner.wait()


def shown(window: MainWindow) -> list[str]:
    model = window.search_box.model
    return [model.data(model.index(r, 0)) for r in range(model.rowCount())]


def a_household_elsewhere(services: Services, window: MainWindow):  # type: ignore[no-untyped-def]
    """A household of another compound than the one the registry shows."""
    current = window.registry_page.selected_compound_id()
    ids = services.households.household_ids(HouseholdFilter())
    rows = services.households.household_rows(ids[-50:])
    return next(r for r in rows if r.compound_id != current and r.householder_name)


def test_initials_find_a_householder_and_open_it(
    qtbot, window: MainWindow, demo_services: Services
) -> None:
    row = a_household_elsewhere(demo_services, window)
    initials = pinyin_of(row.householder_name)[1]
    qtbot.keyClick(window.registry_page, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(window.search_box.hasFocus)
    qtbot.keyClicks(window.search_box, initials)
    box = window.search_box
    qtbot.waitUntil(lambda: bool(box.model.hits), timeout=5000)
    assert box.popup.isVisible()
    texts = shown(window)
    assert all(t.startswith(("［楼院］", "［住户］", "［居民］")) for t in texts)
    found = [n for n, h in enumerate(box.model.hits) if h.kind == "household" and h.id == row.id]
    target = found[0] if found else None
    if target is None:  # more namesakes than the list shows: narrow by room
        box.clear()
        type_text(qtbot, box, f"{row.building}-{row.unit}-{row.room}")
        qtbot.waitUntil(lambda: any(h.id == row.id for h in box.model.hits), timeout=5000)
        target = next(n for n, h in enumerate(box.model.hits) if h.id == row.id)
    for _ in range(target):
        qtbot.keyClick(box, Qt.Key.Key_Down)
    qtbot.keyClick(box, Qt.Key.Key_Return)
    page = window.registry_page
    assert not box.popup.isVisible()
    assert window.nav.currentRow() == 0
    assert page.selected_compound_id() == row.compound_id
    qtbot.waitUntil(lambda: page.selected_household_id() == row.id)


def test_room_search_shows_the_kind_and_a_hint_when_nothing_matches(
    qtbot, window: MainWindow, demo_services: Services
) -> None:
    row = a_household_elsewhere(demo_services, window)
    box = window.search_box
    box.setFocus()
    qtbot.keyClicks(box, f"{row.building}-{row.unit}-{row.room}")
    qtbot.waitUntil(lambda: any(h.id == row.id for h in box.model.hits), timeout=5000)
    assert any(t.startswith("［住户］ " + row.householder_name) for t in shown(window))
    box.clear()
    qtbot.keyClicks(box, "qqqqxx")
    qtbot.waitUntil(lambda: "没有找到" in " ".join(shown(window)), timeout=5000)
    assert "拼音首字母" in shown(window)[0]
    qtbot.keyClick(box, Qt.Key.Key_Escape)
    assert not box.popup.isVisible()


def test_typing_is_debounced_and_a_newer_search_wins(
    qtbot, window: MainWindow, demo_services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    search = demo_services.search.search

    def counting(text: str, *args: object, **kw: object):  # type: ignore[no-untyped-def]
        calls.append(text)
        return search(text, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(demo_services.search, "search", counting)
    box = window.search_box
    box.setFocus()
    qtbot.keyClicks(box, "wang")
    qtbot.waitUntil(lambda: bool(box.model.hits), timeout=5000)
    assert calls == ["wang"]  # one query for four keystrokes
