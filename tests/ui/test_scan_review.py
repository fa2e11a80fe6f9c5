"""文件 → 导入扫描问卷…: a scanned stack read in the background, its uncertain marks decided
with one key each beside their image crops, the sheets saved and seen in the results."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from PIL import Image, ImageDraw  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402

from app.services import Services  # noqa: E402
from app.surveys import layout as layouts  # noqa: E402
from app.surveys import paper, scan  # noqa: E402
from app.surveys.dto import SCAN_CHANNEL, ScopeItem  # noqa: E402
from app.surveys.scan_sample import Degrade, make_scans  # noqa: E402
from ui import dialogs  # noqa: E402
from ui.surveys.page import SurveysPage  # noqa: E402
from ui.surveys.scan_review import ScanReviewDialog  # noqa: E402
from ui.tasks import TaskRunner  # noqa: E402

SHOTS = Path(os.environ.get("LOUYUAN_SHOTS", "")) if os.environ.get("LOUYUAN_SHOTS") else None


@pytest.fixture(autouse=True)
def quiet_dialogs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    said: list[str] = []
    monkeypatch.setattr(dialogs, "info", lambda _p, m, _t="": said.append(m))
    monkeypatch.setattr(dialogs, "error", lambda _p, m, _t="": said.append(m))
    monkeypatch.setattr(dialogs, "confirm", lambda _p, _t, m: said.append(m) or True)
    return said


def _stack(services: Services, tmp: Path) -> tuple[int, list[Path]]:
    """Two households' sheets, calmly scanned; on the first, question 1 has two boxes
    ticked (a review item), and the second sheet comes twice (a second sheet)."""
    compound = services.compounds.list_compounds()[0].id
    sid = services.surveys.create_survey(
        services.surveys.template("物业服务满意度调查", (ScopeItem(compound),))
    )
    services.surveys.open_survey(sid)
    homes = [h.id for h in services.survey_entry.households(sid)][:2]
    printed = tmp / "printed.pdf"
    paper.print_questionnaires(services, sid, printed, household_ids=homes)
    with services.survey_entry.sessions() as s:
        layout = layouts.load(s, sid, 1)
    assert layout is not None
    calm = Degrade(blank_every=0, max_angle=1, binarise=0, upside_down=0)
    pdf = tmp / "scan.pdf"
    make_scans(printed, layout, homes, pdf, seed=4, how=calm, shuffle=False)
    grey = next(scan.iter_pages([pdf]))[2]
    located = scan.locate(grey, lambda _s, _v: layout)
    assert isinstance(located, scan.Located)
    image = Image.fromarray(grey)
    draw = ImageDraw.Draw(image)
    for _q, _o, x, y, size in [b for b in layout["pages"][0]["boxes"] if b[0] == 1][:2]:
        corners = [[x + 1, y + 1], [x + size - 1, y + size - 1]]
        pts = scan._apply(located.homography, corners)  # type: ignore[arg-type]
        draw.rectangle([tuple(pts.min(axis=0)), tuple(pts.max(axis=0))], fill=0)
    first = tmp / "first.png"
    image.save(first)
    return sid, [first, pdf]


def test_import_review_by_keys_and_save(
    qtbot, demo_services: Services, tmp_path: Path, quiet_dialogs: list[str], runner: TaskRunner
) -> None:  # type: ignore[no-untyped-def]
    sid, files = _stack(demo_services, tmp_path)
    page = SurveysPage(demo_services, runner)
    qtbot.addWidget(page)
    page.resize(1300, 800)
    page.show()
    page.select_survey(sid)
    page.import_scans([str(f) for f in files])
    qtbot.waitUntil(lambda: hasattr(page, "scan_review"), timeout=60000)
    dialog: ScanReviewDialog = page.scan_review
    qtbot.addWidget(dialog)
    assert "共 3 页" in dialog.summary.text()
    kinds = [i.kind for i in dialog.items]
    assert kinds == ["answer", "duplicate"], kinds
    # The first item: question 1's crop beside the question, both ticked boxes shown.
    assert dialog.image.pixmap() is not None and not dialog.image.pixmap().isNull()
    assert "1. 您对物业服务的总体评价" in dialog.question.text()
    assert "单选题选了多项" in dialog.reason.text()
    if SHOTS is not None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        dialog.grab().save(str(SHOTS / "scan_review.png"))
    qtbot.keyClick(dialog, Qt.Key.Key_2)  # the resident meant option 2: one key
    assert dialog.decisions[dialog.items[0].key] == (1,)
    assert dialog.index == 1 and "两次" in dialog.reason.text()
    qtbot.keyClick(dialog, Qt.Key.Key_0)  # keep the first copy of the repeated sheet
    assert dialog.decisions[dialog.items[1].key] is False
    assert "没有需要复核的项目" in dialog.position.text()
    with qtbot.waitSignal(dialog.saved, timeout=60000) as saved:
        dialog.save_button.click()
    assert saved.args[0].saved == 2
    assert any("已保存 2 户答卷" in m for m in quiet_dialogs)
    home = dialog.run.pages[0].household_id
    sheet = demo_services.survey_entry.response(sid, home)
    q1 = demo_services.surveys.get_survey(sid).questions[0]
    assert sheet is not None and sheet.data.channel == SCAN_CHANNEL
    assert sheet.data.answers[q1.id].choices == (1,)
    page.runner.wait(10000)


def test_import_needs_an_open_survey(
    qtbot, demo_services: Services, quiet_dialogs: list[str], runner: TaskRunner
) -> None:  # type: ignore[no-untyped-def]
    compound = demo_services.compounds.list_compounds()[0].id
    draft = demo_services.surveys.create_survey(
        demo_services.surveys.template("物业服务满意度调查", (ScopeItem(compound),))
    )
    page = SurveysPage(demo_services, runner)
    qtbot.addWidget(page)
    page.select_survey(draft)  # not yet opened
    page.import_scans(["x.pdf"])
    assert any("进行中的调查" in m for m in quiet_dialogs)
    assert not hasattr(page, "scan_review")
