"""The dashboard's fee and survey charts on the demo data, and where their bars lead."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from app.governance.dto import percent
from app.services import Services
from ui.main_window import MainWindow
from ui.settings import Settings


@pytest.fixture
def window(qtbot, demo_services: Services, prefs: Settings) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    w = MainWindow(demo_services, prefs)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    yield w


def _open_dashboard(window: MainWindow) -> None:
    window.nav.setCurrentRow(window.stack.indexOf(window.governance.dashboard))


def test_fee_chart_shows_compounds_with_charges_and_opens_their_arrears(
    qtbot,  # type: ignore[no-untyped-def]
    window: MainWindow,
    demo_services: Services,
) -> None:
    board = window.governance.dashboard
    _open_dashboard(window)
    fees = demo_services.dashboard.fees_by_compound()
    assert len(fees) >= 2, "the demo bills a few compounds"
    chart = board.fees_chart
    assert chart.bars is not None and chart.series is not None
    assert chart.bars.categories == [r.compound_name for r in fees]
    (rates,) = chart.series.barSets()
    assert [rates.at(i) for i in range(rates.count())] == [
        float(percent(r.paid_fen, r.charged_fen)) for r in fees
    ]
    assert "物业费收缴率" in board.headline.text()
    target = fees[-1]
    rates.clicked.emit(len(fees) - 1)
    page = window.fees_page
    assert window.stack.currentWidget() is page
    assert page.compound_combo.currentText() == target.compound_name
    assert page.tabs.currentWidget() is page.arrears_tab
    assert page.arrears_tab.model.rowCount() == target.households_in_arrears
    assert f"欠费 {target.households_in_arrears} 户" in page.arrears_tab.total_label.text()


def test_survey_chart_shows_coverage_and_satisfaction_and_opens_the_survey(
    qtbot,  # type: ignore[no-untyped-def]
    window: MainWindow,
    demo_services: Services,
) -> None:
    board = window.governance.dashboard
    _open_dashboard(window)
    surveys = demo_services.dashboard.surveys()
    assert len(surveys) >= 2
    chart = board.surveys_chart
    assert chart.series is not None and chart.bars is not None
    coverage, satisfaction = chart.series.barSets()
    assert (coverage.label(), satisfaction.label()) == ("覆盖率", "满意率")
    first = surveys[0]
    assert coverage.at(0) == float(percent(first.reached, first.households))
    assert satisfaction.at(0) == float(
        percent(first.satisfaction_satisfied, first.satisfaction_valid)
    )
    page = window.surveys_page
    # The satisfaction bar of the first survey opens its results ...
    satisfaction.clicked.emit(0)
    assert window.stack.currentWidget() is page
    current = page.current()
    assert current is not None and current.id == first.survey_id
    assert page.tabs.currentWidget() is page.results
    assert page.results.survey_id == first.survey_id
    rate = percent(first.satisfaction_satisfied, first.satisfaction_valid)
    assert f"综合满意率 {rate}%" in page.results.summary.text()
    # ... and the coverage bar of the last one its 走访情况.
    _open_dashboard(window)
    last = surveys[-1]
    coverage.clicked.emit(len(surveys) - 1)
    current = page.current()
    assert current is not None and current.id == last.survey_id
    assert page.tabs.currentWidget() is page.coverage
    assert page.coverage.survey_id == last.survey_id
