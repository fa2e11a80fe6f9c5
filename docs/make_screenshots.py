"""Screenshots of every section and the main dialogs at 1366x768 (a clerk's laptop).

    QT_QPA_PLATFORM=offscreen PYTHONPATH=. .venv/bin/python docs/make_screenshots.py [OUT]

Works offscreen or on Xvfb (`xvfb-run -s "-screen 0 1366x768x24" ...`). The demo database
(3,000 households) is generated in a temporary folder; the window is 1366x728 (the screen
less a 40 px taskbar), each dialog at the size the program gives it on that screen.
With `--readme` the three pictures the README shows are written to docs/screenshots/ at
1000 px wide.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# The pictures the README shows: (screenshot, name in docs/screenshots/).
README_SHOTS = (
    ("01-registry", "01-registry"),
    ("07-dashboard", "06-dashboard"),
    ("dialog-search", "dialog-search"),
)


def main() -> int:  # noqa: C901, PLR0915
    parser = argparse.ArgumentParser()
    parser.add_argument("out", nargs="?", default="/tmp/louyuan-screenshots")
    parser.add_argument("--readme", action="store_true")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("LOUYUAN_DATA_DIR", tempfile.mkdtemp(prefix="louyuan-shots-"))

    from PySide6.QtCore import QEventLoop, QRect, QSettings, Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QDialog, QWidget

    from app.audit import Actor
    from app.config import DatabaseTarget, to_url
    from app.database import open_database
    from app.demo import generate
    from app.registry.dto import HouseholdFilter
    from app.services import Services
    from ui import screen_fit
    from ui.app import make_application
    from ui.fonts import ui_font
    from ui.main_window import MainWindow
    from ui.settings import Settings

    laptop = QRect(0, 0, 1366, 728)
    screen_fit.available_geometry = lambda _widget=None: laptop  # type: ignore[assignment]
    app = make_application([])
    app.setFont(ui_font("", 10))
    folder = Path(tempfile.mkdtemp(prefix="louyuan-shots-db-"))
    db = open_database(DatabaseTarget(to_url(folder / "demo.sqlite3"), demo=True))
    generate(db)
    services = Services.build(db, Actor("admin", "admin"))
    prefs = Settings(QSettings(str(folder / "prefs.ini"), QSettings.Format.IniFormat))
    window = MainWindow(services, prefs)
    window.setWindowState(Qt.WindowState.WindowNoState)
    window.setGeometry(0, 0, 1366, 728)
    window.show()
    QTest.qWait(300)
    saved: list[Path] = []

    def save(widget: QWidget, name: str) -> None:
        QTest.qWait(250)
        path = out / f"{name}.png"
        widget.grab().save(str(path))
        saved.append(path)

    def wait(ms: int) -> None:
        # An event loop of its own: QTest.qWait keeps Python's lock while it sleeps, so the
        # pages' background reads would hardly progress.
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def settle(page: QWidget) -> None:
        """Until the program's runner has been idle for a while (pages start their reads on
        the next pass of the event loop, one tab after another)."""
        idle = 0
        for _ in range(400):
            wait(25)
            idle = 0 if window.runner.busy() else idle + 1
            if idle >= 8:
                break

    for row in range(window.nav.count()):
        window.nav.setCurrentRow(row)
        settle(window.stack.currentWidget())
        title = window.nav.item(row).text()
        save(window, f"{row + 1:02d}-{_slug(title)}")

    # The search box with its hits.
    window.nav.setCurrentRow(0)
    box = window.search_box
    box.setFocus()
    QTest.keyClicks(box, "wjg")
    for _ in range(300):
        if box.model.hits:
            break
        QTest.qWait(20)
    save(window, "dialog-search")
    box.hide_hits()

    cid = window.registry_page.selected_compound_id() or 1
    hid = services.households.household_ids(HouseholdFilter(compound_id=cid))[0]
    dialogs: list[tuple[str, Callable[[], QDialog]]] = []

    def compound() -> QDialog:
        from ui.compound_dialog import CompoundDialog

        return CompoundDialog(services, cid, window)

    def household() -> QDialog:
        from ui.household_dialog import HouseholdDialog

        return HouseholdDialog(services, cid, hid, window)

    def scheme() -> QDialog:
        from ui.fees.scheme_dialog import SchemeDialog

        fees = window.fees_page
        return SchemeDialog(
            services.fees.schemes,
            fees.compound_id or cid,
            fees.compound_name,
            None,
            window,
            surveys=services.surveys.list_surveys(fees.compound_id),
            resolutions=services.governance.resolutions_for_compound(fees.compound_id or cid),
        )

    def meeting() -> QDialog:
        from ui.governance.meeting_dialog import MeetingDialog

        return MeetingDialog(services, cid, None, window)

    def wizard() -> QDialog:
        from ui.import_wizard import ImportWizard

        return ImportWizard(services, window.runner, None, window)

    def preview() -> QDialog:
        from app.documents.fees_notices import write_notices
        from ui.pdf_preview import PdfPreviewDialog

        fees = services.fees
        target = fees.ledger.compound_fees()[0]
        ids = fees.documents.notice_ids(target.compound_id, "2026-10", unpaid_only=False)[:6]
        path = folder / "notices.pdf"
        write_notices(path, fees.documents.notices(ids, True), len(ids), per_page=3)
        return PdfPreviewDialog(path, "缴费通知单", window)

    dialogs += [
        ("dialog-compound", compound),
        ("dialog-household", household),
        ("dialog-scheme", scheme),
        ("dialog-meeting", meeting),
        ("dialog-import", wizard),
        ("dialog-print-preview", preview),
    ]
    for name, make in dialogs:
        dialog = make()
        dialog.show()
        save(dialog, name)
        dialog.done(0)
        dialog.deleteLater()
    for path in saved:
        print(path)
    if args.readme:
        from PySide6.QtGui import QImage

        target = ROOT / "docs" / "screenshots"
        target.mkdir(parents=True, exist_ok=True)
        for name, readme_name in README_SHOTS:
            image = QImage(str(out / f"{name}.png"))
            assert not image.isNull(), f"no screenshot {name}"
            small = image.scaledToWidth(1000, Qt.TransformationMode.SmoothTransformation)
            # 256 colours: a third of the size, and a UI has few colours anyway.
            indexed = small.convertToFormat(QImage.Format.Format_Indexed8)
            indexed.save(str(target / f"{readme_name}.png"))
            print("README:", target / f"{readme_name}.png")
    db.close()
    return 0


def _slug(title: str) -> str:
    return {
        "楼院台账": "registry",
        "组织": "organisations",
        "网格": "grids",
        "治理力量": "forces",
        "议事": "meetings",
        "问题台账": "problems",
        "统计": "dashboard",
        "物业收费": "fees",
        "入户调查": "surveys",
    }.get(title, "page")


if __name__ == "__main__":
    sys.exit(main())
