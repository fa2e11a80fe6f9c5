"""The registry's household list queries in the background: the window stays responsive,
a newer search wins over an older one still running, a sort keeps the selection."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from qt_typing import type_text

from app.registry.dto import HouseholdFilter, HouseholdSort
from app.services import Services
from ui.main_window import MainWindow
from ui.models.household_model import HouseholdColumn
from ui.registry_filters import SCOPE_HOUSEHOLDS
from ui.registry_page import RegistryPage
from ui.settings import Settings

HCOL = list(HouseholdColumn).index


@pytest.fixture
def window(qtbot, demo_services: Services, prefs: Settings) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    w = MainWindow(demo_services, prefs)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    qtbot.waitUntil(lambda: not w.registry_page.household_model.loading)
    yield w
    w.runner.wait()


def listed_ids(page: RegistryPage) -> list[int]:
    model = page.household_model
    return [model.household_id(n) for n in range(model.rowCount())]  # type: ignore[misc]


def search(qtbot, page: RegistryPage, text: str) -> None:  # type: ignore[no-untyped-def]
    page.search_edit.clear()
    type_text(qtbot, page.search_edit, text)
    qtbot.keyClick(page.search_edit, Qt.Key.Key_Return)  # no wait for the pause


def test_the_last_search_typed_is_the_one_shown(
    qtbot, window: MainWindow, demo_services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """The first search is still running when the second is typed: its late result is
    dropped, and the list shows the second one's households."""
    page = window.registry_page
    service = demo_services.households
    real = service.household_ids
    started, release = threading.Event(), threading.Event()

    def slow(flt: HouseholdFilter, *args: Any, **kwargs: Any) -> list[int]:
        if flt.text == "1":
            started.set()
            release.wait(10)
        return real(flt, *args, **kwargs)

    monkeypatch.setattr(service, "household_ids", slow)
    page.scope_combo.setCurrentIndex(SCOPE_HOUSEHOLDS)
    search(qtbot, page, "1")
    qtbot.waitUntil(started.is_set)
    assert page.household_count_label.text() == "正在查找……"
    search(qtbot, page, "王")
    expected = real(HouseholdFilter(text="王"))
    assert 0 < len(expected) < demo_services.stats.summary()["households"]
    qtbot.waitUntil(lambda: listed_ids(page) == expected)
    release.set()  # the first search ends now, late
    qtbot.waitUntil(lambda: not window.runner.busy())
    qtbot.wait(50)  # its result (had it been kept) would have landed by now
    assert listed_ids(page) == expected
    assert page.household_model.current_filter == HouseholdFilter(text="王")
    assert page.household_count_label.text() == f"全部楼院中找到 {len(expected)} 户"


def test_sorting_a_search_result_keeps_the_selected_household(
    qtbot, window: MainWindow, demo_services: Services
) -> None:  # type: ignore[no-untyped-def]
    page = window.registry_page
    page.scope_combo.setCurrentIndex(SCOPE_HOUSEHOLDS)
    search(qtbot, page, "王")
    flt = HouseholdFilter(text="王")
    qtbot.waitUntil(lambda: page.household_model.current_filter == flt)
    qtbot.waitUntil(lambda: not page.household_model.loading)
    page.household_view.selectRow(2)
    chosen = page.selected_household_id()
    assert chosen is not None

    page.household_view.sortByColumn(
        HCOL(HouseholdColumn.HOUSEHOLDER), Qt.SortOrder.DescendingOrder
    )

    expected = demo_services.households.household_ids(flt, HouseholdSort.NAME, descending=True)
    qtbot.waitUntil(lambda: listed_ids(page) == expected)
    names = [
        page.household_model.household_at(n).householder_name  # type: ignore[union-attr]
        for n in range(page.household_model.rowCount())
    ]
    assert names[0] != names[-1] or len(set(names)) == 1
    assert page.selected_household_id() == chosen
    assert page.household_model.current_sort == (HouseholdSort.NAME, True)


def test_enter_before_a_search_lands_goes_to_its_first_household(
    qtbot, window: MainWindow, demo_services: Services
) -> None:  # type: ignore[no-untyped-def]
    page = window.registry_page
    page.scope_combo.setCurrentIndex(SCOPE_HOUSEHOLDS)
    search(qtbot, page, "王")  # Enter at once, before the result is there
    expected = demo_services.households.household_ids(HouseholdFilter(text="王"))
    qtbot.waitUntil(lambda: page.selected_household_id() == expected[0])
    assert page.household_view.hasFocus()


def test_compound_figures_are_counted_after_the_list_shows(
    qtbot, demo_services: Services, prefs: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """On start the compound list shows at once; its households and residents read "…" and
    the summary says they are being counted, until the background count lands."""
    from ui.models.compound_model import CompoundColumn
    from ui.tasks import TaskRunner

    service = demo_services.compounds
    real = service.list_compounds
    release = threading.Event()

    def slow(*args: Any, **kwargs: Any) -> Any:
        release.wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr(service, "list_compounds", slow)
    runner = TaskRunner()
    page = RegistryPage(demo_services, prefs, runner=runner)
    qtbot.addWidget(page)
    model = page.compound_model
    households = list(CompoundColumn).index(CompoundColumn.HOUSEHOLDS)
    assert model.rowCount() == 15 and not model.counted()
    assert model.index(0, households).data() == "…"
    assert "正在统计" in page.compound_count_label.text()
    release.set()
    qtbot.waitUntil(model.counted)
    counts = {r.id: r.households for r in real()}
    shown = {model.compound_at(n).id: model.index(n, households).data() for n in range(15)}  # type: ignore[union-attr]
    assert shown == {i: str(n) for i, n in counts.items()}
    assert f"住户 {sum(counts.values())} 户" in page.compound_count_label.text()
    runner.wait()
