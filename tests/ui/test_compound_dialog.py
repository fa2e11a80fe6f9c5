"""The compound editor: create and update, grids filtered by community, inline messages."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


import pytest  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QDialog  # noqa: E402
from qt_typing import retype, type_text

from app.registry.dto import CompoundFilter  # noqa: E402
from app.services import Services  # noqa: E402
from ui import dialogs  # noqa: E402
from ui.compound_dialog import CompoundDialog  # noqa: E402


@pytest.fixture(autouse=True)
def confirmations(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record discard questions instead of blocking on a modal box; answer "discard"."""
    asked: list[str] = []

    def confirm(_parent: object, title: str, text: str) -> bool:
        asked.append(text)
        return True

    monkeypatch.setattr(dialogs, "confirm", confirm)
    return asked


_retype = retype


def _open(qtbot, services: Services, compound_id: int | None = None) -> CompoundDialog:
    dialog = CompoundDialog(services, compound_id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def _items(combo) -> list[str]:
    return [combo.itemText(i) for i in range(combo.count())]


def test_create_with_bad_phone_then_fixed(qtbot, demo_services: Services):
    communities = demo_services.compounds.communities()
    dialog = _open(qtbot, demo_services)
    assert dialog.windowTitle() == "新建楼院"
    assert not dialog.save_button.isEnabled()  # the name is required
    assert not dialog.error_label("name").isVisible()  # but not shouted before typing

    type_text(qtbot, dialog.name_edit, "光明巷5号院")
    qtbot.keyClick(dialog.community_combo, Qt.Key.Key_Down)
    second = communities[1]
    assert dialog.community_combo.currentText() == second.name
    grids = demo_services.compounds.grids(second.id)
    assert _items(dialog.grid_combo) == ["未划分", *[g.path for g in grids]]
    qtbot.keyClick(dialog.grid_combo, Qt.Key.Key_End)
    type_text(qtbot, dialog.address_edit, "光明巷5号")
    qtbot.keyClick(dialog.mode_combo, Qt.Key.Key_Down)
    type_text(qtbot, dialog.head_name_edit, "何秀英")
    qtbot.keyClicks(dialog.head_phone_edit, "12345")

    label = dialog.error_label("head_phone")
    assert label.isVisible()
    assert label.text() == "手机号应为11位，以13-19开头"
    assert not dialog.save_button.isEnabled()
    _retype(qtbot, dialog.head_phone_edit, "13837112345")
    assert not label.isVisible()

    qtbot.keyClicks(dialog.build_year_edit, "1850")
    assert dialog.error_label("build_year").text() == "建成年份应在1900至2100之间"
    _retype(qtbot, dialog.build_year_edit, "1996")
    assert dialog.save_button.isEnabled()
    with qtbot.waitSignal(dialog.saved) as saved:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    detail = demo_services.compounds.get_compound(saved.args[0])
    assert detail.data.name == "光明巷5号院"
    assert detail.data.community_id == second.id
    assert detail.data.grid_id == grids[-1].id
    assert detail.data.management_mode == "公办物业"
    assert (detail.data.head_name, detail.data.head_phone) == ("何秀英", "13837112345")
    assert detail.data.build_year == 1996


def test_update_address_and_grid_unassigned(qtbot, demo_services: Services):
    row = demo_services.compounds.list_compounds()[0]
    before = demo_services.compounds.get_compound(row.id).data
    dialog = _open(qtbot, demo_services, row.id)
    assert dialog.windowTitle() == f"楼院信息 — {before.name}"
    assert dialog.save_button.isEnabled()

    _retype(qtbot, dialog.address_edit, "和平路8号")
    qtbot.keyClick(dialog.grid_combo, Qt.Key.Key_Home)
    assert dialog.grid_combo.currentText() == "未划分"
    with qtbot.waitSignal(dialog.saved):
        qtbot.keyClick(dialog.notes_edit, Qt.Key.Key_Return)  # Enter in the last field saves

    after = demo_services.compounds.get_compound(row.id).data
    assert (after.address, after.grid_id) == ("和平路8号", None)
    assert after.name == before.name


def test_duplicate_name_comes_back_from_the_service(qtbot, demo_services: Services):
    existing = demo_services.compounds.list_compounds()[0]
    community = demo_services.compounds.get_compound(existing.id).data.community_id
    count = len(demo_services.compounds.list_compounds())
    dialog = _open(qtbot, demo_services)
    type_text(qtbot, dialog.name_edit, existing.name)
    while dialog.community_combo.currentData() != community:
        qtbot.keyClick(dialog.community_combo, Qt.Key.Key_Down)

    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert dialog.isVisible()
    assert dialog.error_label("name").text() == "本社区已有同名楼院"
    assert not dialog.save_button.isEnabled()
    assert len(demo_services.compounds.list_compounds(CompoundFilter())) == count


def test_escape_discards_after_asking(qtbot, demo_services: Services, confirmations: list[str]):
    row = demo_services.compounds.list_compounds()[0]
    before = demo_services.compounds.get_compound(row.id)
    dialog = _open(qtbot, demo_services, row.id)
    _retype(qtbot, dialog.manager_contact_edit, "1")
    assert dialog.error_label("manager_contact").isVisible()
    qtbot.keyClick(dialog.manager_contact_edit, Qt.Key.Key_Escape)
    assert confirmations == ["所做的修改尚未保存，确定放弃吗？"]
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert demo_services.compounds.get_compound(row.id) == before


def test_a_stale_compound_form_offers_reload(
    qtbot, demo_services: Services, monkeypatch: pytest.MonkeyPatch
):
    from dataclasses import replace

    cid = demo_services.compounds.list_compounds()[0].id
    dialog = _open(qtbot, demo_services, cid)
    other = demo_services.compounds.get_compound(cid)
    demo_services.compounds.update_compound(
        cid, replace(other.data, head_name="李楼长"), expected_version=other.version
    )
    offered: list[str] = []
    monkeypatch.setattr(dialogs, "offer_reload", lambda _p, m: offered.append(m) or True)
    type_text(qtbot, dialog.address_edit, "旧表单")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert offered and offered[0].startswith("该楼院已被他人修改")
    assert demo_services.compounds.get_compound(cid).data.head_name == "李楼长"
    assert dialog.head_name_edit.text() == "李楼长"  # reloaded
    assert dialog.result() != QDialog.DialogCode.Accepted
