"""Every window fits a 1366x768 laptop (and 1536x864, i.e. 1920x1080 at 125 %) with its
buttons visible: the screen's available area is replaced by the laptop's (taskbar 40 px)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, QSize
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QScrollArea,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app.governance.forces_io import PeoplePlan
from app.registry.dto import HouseholdFilter
from app.services import Services
from ui import screen_fit
from ui.main_window import MainWindow
from ui.settings import Settings
from ui.tasks import TaskRunner

SCREENS = {"1366x768": QRect(0, 0, 1366, 728), "1536x864": QRect(0, 0, 1536, 824)}


@pytest.fixture(params=sorted(SCREENS))
def screen(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[QRect]:
    area = SCREENS[request.param]
    monkeypatch.setattr(screen_fit, "available_geometry", lambda _widget=None: area)
    app = QApplication.instance()
    assert app is not None
    fitter = screen_fit.install(app)
    yield area
    app.removeEventFilter(fitter)


def _a_pdf(tmp_path: Path) -> Path:
    from reportlab.pdfgen.canvas import Canvas

    path = tmp_path / "p.pdf"
    canvas = Canvas(str(path))
    canvas.drawString(100, 700, "x")
    canvas.showPage()
    canvas.save()
    return path


def _a_people_plan(s: Services, tmp_path: Path) -> PeoplePlan:
    """The preview of re-importing the roster of people (every row 不变)."""
    path = tmp_path / "people.xlsx"
    s.governance.forces.export_people(path)
    return s.governance.forces.plan_import(path)


def _dialogs(s: Services, tmp_path: Path) -> dict[str, Callable[[], QDialog]]:
    from ui.backup_dialog import BackupDialog
    from ui.compound_dialog import CompoundDialog
    from ui.export_dialog import ExportDialog
    from ui.fees.billing_dialog import BillingDialog
    from ui.fees.payment_dialog import PaymentDialog
    from ui.fees.scheme_dialog import SchemeDialog
    from ui.governance.brief_dialog import BriefDialog
    from ui.governance.categories_dialog import CategoriesDialog
    from ui.governance.forces_import_dialog import ForcesImportDialog
    from ui.governance.meeting_dialog import MeetingDialog
    from ui.governance.notice_dialog import NoticeDialog
    from ui.governance.organisation_dialog import OrganisationDialog
    from ui.governance.problem_dialog import CloseDialog, ProblemDialog
    from ui.household_dialog import HouseholdDialog
    from ui.import_wizard import ImportWizard
    from ui.login_dialog import LoginDialog
    from ui.password_dialog import PasswordDialog
    from ui.pdf_preview import PdfPreviewDialog
    from ui.resident_dialog import ResidentDialog
    from ui.user_edit_dialog import UserEditDialog
    from ui.users_dialog import UsersDialog

    compounds = s.compounds.list_compounds()
    cid = max(compounds, key=lambda c: c.households).id
    household = s.households.household_ids(HouseholdFilter(compound_id=cid))[0]
    problem = s.governance.problems.list_problems()[0]
    meeting = s.governance.meetings.list_meetings()[0]
    runner = TaskRunner()
    return {
        "compound_new": lambda: CompoundDialog(s, None),
        "compound_edit": lambda: CompoundDialog(s, cid),
        "household_new": lambda: HouseholdDialog(s, cid),
        "household_edit": lambda: HouseholdDialog(s, cid, household),
        "resident": lambda: ResidentDialog(),
        "login": lambda: LoginDialog(s.users, first_start=True, database="office.sqlite3"),
        "password": lambda: PasswordDialog("改密码", lambda _o, _n: None, ask_old=True),
        "users": lambda: UsersDialog(s.users),
        "user_edit": lambda: UserEditDialog(s.users, None),
        "backup": lambda: BackupDialog(s, runner),
        "export": lambda: ExportDialog(s, runner),
        "import": lambda: ImportWizard(s, runner),
        "pdf_preview": lambda: PdfPreviewDialog(_a_pdf(tmp_path), "预览"),
        "scheme": lambda: SchemeDialog(
            s.fees.schemes,
            cid,
            "楼院",
            None,
            surveys=s.surveys.list_surveys(cid),
            resolutions=s.governance.resolutions_for_compound(cid),
        ),
        "billing": lambda: BillingDialog(s.fees.billing, runner, cid, "楼院"),
        "payment": lambda: PaymentDialog(s.fees.payments, cid, "楼院"),
        "brief": lambda: BriefDialog(s),
        "categories": lambda: CategoriesDialog(s),
        "meeting_new": lambda: MeetingDialog(s, cid),
        "meeting_edit": lambda: MeetingDialog(s, meeting.compound_id, meeting),
        "notice": lambda: NoticeDialog(s),
        "organisation": lambda: OrganisationDialog(s, cid),
        "problem": lambda: ProblemDialog(s, problem),
        "problem_close": lambda: CloseDialog(s, problem),
        "forces_import": lambda: ForcesImportDialog(
            s.governance.forces, runner, _a_people_plan(s, tmp_path), None
        ),
    }


DIALOGS = sorted(
    "compound_new compound_edit household_new household_edit resident login password users "
    "user_edit backup export import pdf_preview scheme billing payment brief categories "
    "meeting_new meeting_edit notice organisation problem problem_close forces_import".split()
)


def assert_fits(window: QWidget, area: QRect) -> None:
    extra_w, extra_h = 2 * screen_fit.BORDER, screen_fit.TITLE_BAR + screen_fit.BORDER
    frame = QRect(window.x(), window.y(), window.width() + extra_w, window.height() + extra_h)
    name = type(window).__name__
    assert area.contains(frame), f"{name} {frame} leaves the screen {area}"
    # Not squeezed below what its layout needs (that would overlap or cut widgets).
    need = window.minimumSizeHint()
    assert window.width() >= need.width() and window.height() >= need.height(), (
        f"{name} {window.size()} is smaller than its layout needs {need}"
    )
    for box in window.findChildren(QDialogButtonBox):
        for button in box.findChildren(QAbstractButton):
            if not button.isVisibleTo(window):
                continue
            top_left = button.mapTo(window, button.rect().topLeft())
            rect = QRect(top_left, button.size())
            assert window.rect().contains(rect), f"{name}: {button.text()} at {rect} is cut off"


@pytest.mark.parametrize("which", DIALOGS)
def test_every_dialog_fits_the_laptop_screen(
    qtbot: QtBot, demo_services: Services, tmp_path: Path, screen: QRect, which: str
) -> None:
    dialog = _dialogs(demo_services, tmp_path)[which]()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    QApplication.processEvents()
    assert_fits(dialog, screen)


def test_long_scheme_dialog_scrolls_on_a_laptop(
    qtbot: QtBot, demo_services: Services, tmp_path: Path, screen: QRect
) -> None:
    dialog = _dialogs(demo_services, tmp_path)["scheme"]()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.height() + screen_fit.TITLE_BAR + screen_fit.BORDER <= screen.height()
    # Its form is inside a scroll area, which scrolls where the screen is short.
    area = dialog.findChild(QScrollArea)
    assert area is not None and area.isAncestorOf(dialog.price_edit)
    content = area.widget()
    assert content.height() >= content.minimumSizeHint().height()
    if content.minimumSizeHint().height() > area.viewport().height():
        assert area.verticalScrollBar().maximum() > 0


@pytest.mark.parametrize("size", ["1366x728", "1536x824", "1920x1040"])
def test_main_window_opens_within_the_screen_and_remembers_it(
    qtbot: QtBot,
    demo_services: Services,
    prefs: Settings,
    monkeypatch: pytest.MonkeyPatch,
    size: str,
) -> None:
    width, height = (int(n) for n in size.split("x"))
    area = QRect(0, 0, width, height)
    monkeypatch.setattr(screen_fit, "available_geometry", lambda _widget=None: area)
    window = MainWindow(demo_services, prefs)
    qtbot.addWidget(window)
    # First start: maximised on a laptop; 1280x800 centred where it fits whole.
    small = width < 1400 or height < 900
    assert window.isMaximized() == small
    normal = window.normalGeometry() if small else window.geometry()
    assert normal.width() + 8 <= width and normal.height() + 36 <= height
    if not small:
        assert window.size() == QSize(1280, 800)
        assert abs(window.frameGeometry().center().x() - area.center().x()) <= 4
    assert window.minimumSizeHint().width() <= 1366 - 8
    assert window.minimumSizeHint().height() <= 728 - 36
    assert window.windowTitle() == "演示数据"  # Qt adds " — 楼院通" itself
    window.show()
    qtbot.waitExposed(window)
    window.showNormal()
    window.resize(QSize(960, 660))
    window.move(20, 30)
    window.close()
    again = MainWindow(demo_services, prefs)
    qtbot.addWidget(again)
    assert not again.isMaximized()
    assert again.size() == QSize(960, 660)  # (the offscreen screen is 800 px wide)
