"""The household editor: inline messages from the app rules, one save, residents with tags."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import datetime as dt  # noqa: E402
from decimal import Decimal  # noqa: E402

import pytest  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QDialog  # noqa: E402
from qt_typing import retype, type_text

from app.registry.dto import HouseholdFilter, HouseholdInput  # noqa: E402
from app.registry.validation import id_check_digit  # noqa: E402
from app.services import Services  # noqa: E402
from ui import dialogs  # noqa: E402
from ui.household_dialog import HouseholdDialog  # noqa: E402
from ui.models.resident_model import ResidentModel  # noqa: E402
from ui.resident_dialog import ResidentDialog  # noqa: E402

BAD_CHECK_DIGIT = "身份证号校验位不正确，请核对是否录错"


@pytest.fixture(autouse=True)
def confirmations(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record discard questions instead of blocking on a modal box; answer "discard"."""
    asked: list[str] = []

    def confirm(_parent: object, title: str, text: str) -> bool:
        asked.append(text)
        return True

    monkeypatch.setattr(dialogs, "confirm", confirm)
    return asked


def _with_neighbour(services: Services) -> tuple[int, int]:
    """A household with an ID number and 2+ residents, and another in the same building/unit."""
    for hid in services.households.household_ids():
        detail = services.households.get_household(hid)
        if not (detail.data.id_number and len(detail.residents) >= 2):
            continue
        for row in services.households.household_rows(
            services.households.household_ids(HouseholdFilter(compound_id=detail.data.compound_id))
        ):
            if (
                row.id != hid
                and row.building == detail.data.building
                and row.unit == detail.data.unit
            ):
                return hid, row.id
    raise AssertionError("demo data has no suitable household")


def _open(
    qtbot, services: Services, household_id: int | None, compound_id: int | None = None
) -> HouseholdDialog:
    if compound_id is None:
        assert household_id is not None
        compound_id = services.households.get_household(household_id).data.compound_id
    dialog = HouseholdDialog(services, compound_id, household_id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


_retype = retype


def _wrong_check_digit(id_number: str) -> str:
    right = id_check_digit(id_number[:17])
    return id_number[:17] + ("1" if right == "0" else "0")


def test_wrong_check_digit_shows_message_and_saves_nothing(qtbot, demo_services: Services):
    hid, _ = _with_neighbour(demo_services)
    before = demo_services.households.get_household(hid)
    dialog = _open(qtbot, demo_services, hid)
    assert dialog.save_button.isEnabled()
    assert not dialog.error_label("id_number").isVisible()

    _retype(qtbot, dialog.id_edit, _wrong_check_digit(before.data.id_number))

    label = dialog.error_label("id_number")
    assert label.isVisible()
    assert label.text() == BAD_CHECK_DIGIT
    assert not dialog.save_button.isEnabled()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.keyClick(dialog.notes_edit, Qt.Key.Key_Return)  # Enter in the last field: no save
    assert dialog.isVisible()
    assert demo_services.households.get_household(hid) == before

    qtbot.keyClick(dialog.id_edit, Qt.Key.Key_Backspace)
    qtbot.keyClicks(dialog.id_edit, before.data.id_number[17])
    assert not label.isVisible()
    assert dialog.save_button.isEnabled()


def test_area_typed_and_saved(qtbot, demo_services: Services):
    hid, _ = _with_neighbour(demo_services)
    residents = demo_services.households.get_household(hid).residents
    dialog = _open(qtbot, demo_services, hid)

    _retype(qtbot, dialog.area_edit, "12.345")
    assert dialog.error_label("area").text() == "建筑面积最多保留两位小数"
    assert not dialog.save_button.isEnabled()
    qtbot.keyClick(dialog.area_edit, Qt.Key.Key_Backspace)
    assert not dialog.error_label("area").isVisible()

    with qtbot.waitSignal(dialog.saved) as saved:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert saved.args == [hid]
    assert dialog.result() == QDialog.DialogCode.Accepted
    after = demo_services.households.get_household(hid)
    assert after.data.area == Decimal("12.34")
    assert after.residents == residents


def test_enter_in_last_field_saves(qtbot, demo_services: Services):
    hid, _ = _with_neighbour(demo_services)
    dialog = _open(qtbot, demo_services, hid)
    _retype(qtbot, dialog.notes_edit, "门口有台阶")
    with qtbot.waitSignal(dialog.saved):
        qtbot.keyClick(dialog.notes_edit, Qt.Key.Key_Return)
    assert demo_services.households.get_household(hid).data.notes == "门口有台阶"


def test_enter_in_a_middle_field_moves_on_without_saving(qtbot, demo_services: Services):
    hid, _ = _with_neighbour(demo_services)
    dialog = _open(qtbot, demo_services, hid)
    with qtbot.assertNotEmitted(dialog.saved):
        qtbot.keyClick(dialog.room_edit, Qt.Key.Key_Return)
    assert dialog.isVisible()


def test_duplicate_room_in_same_building(qtbot, demo_services: Services):
    hid, other = _with_neighbour(demo_services)
    before = demo_services.households.get_household(hid)
    neighbour = demo_services.households.get_household(other).data
    dialog = _open(qtbot, demo_services, hid)

    _retype(qtbot, dialog.room_edit, neighbour.room)

    # The database is asked once typing pauses.
    qtbot.waitUntil(
        lambda: (
            dialog.error_label("room").text()
            == f"该楼栋已有此房号（户主：{neighbour.householder_name}）"
        )
    )
    assert not dialog.save_button.isEnabled()
    _retype(qtbot, dialog.room_edit, before.data.room)
    qtbot.waitUntil(lambda: not dialog.error_label("room").isVisible())
    assert dialog.save_button.isEnabled()


def test_typing_asks_the_database_about_the_room_only_when_it_changes(
    qtbot, demo_services: Services, monkeypatch: pytest.MonkeyPatch
):
    hid, other = _with_neighbour(demo_services)
    neighbour = demo_services.households.get_household(other).data
    asked: list[str] = []
    real = demo_services.households.room_clash

    def counting(data: HouseholdInput, household_id: int | None = None) -> str:
        asked.append(data.room)
        return real(data, household_id)

    monkeypatch.setattr(demo_services.households, "room_clash", counting)
    dialog = _open(qtbot, demo_services, hid)
    qtbot.waitUntil(lambda: len(asked) == 1)  # the saved room, once the dialog is open
    asked.clear()

    _retype(qtbot, dialog.name_edit, "张三丰")
    _retype(qtbot, dialog.phone_edit, "13912345678")
    qtbot.wait(400)  # longer than the pause after which a changed room is checked
    assert asked == []

    _retype(qtbot, dialog.room_edit, neighbour.room)
    qtbot.waitUntil(lambda: dialog.error_label("room").isVisible())
    assert asked == [neighbour.room]  # once, for the whole room typed
    assert not dialog.save_button.isEnabled()


def _resident_dialog(qtbot, dialog: HouseholdDialog) -> ResidentDialog:
    qtbot.waitUntil(lambda: any(d.isVisible() for d in dialog.findChildren(ResidentDialog)))
    return next(d for d in dialog.findChildren(ResidentDialog) if d.isVisible())


def test_add_resident_with_tags(qtbot, demo_services: Services):
    hid, _ = _with_neighbour(demo_services)
    count = len(demo_services.households.get_household(hid).residents)
    dialog = _open(qtbot, demo_services, hid)
    first17 = "41010219900507123"
    id_number = first17 + id_check_digit(first17)

    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    resident = _resident_dialog(qtbot, dialog)
    assert not resident.ok_button.isEnabled()  # the name is required
    type_text(qtbot, resident.name_edit, "吕志强")
    qtbot.keyClicks(resident.id_edit, _wrong_check_digit(id_number))
    assert resident.error_label("id_number").text() == BAD_CHECK_DIGIT
    assert not resident.ok_button.isEnabled()
    _retype(qtbot, resident.id_edit, id_number)
    assert not resident.error_label("id_number").isVisible()
    assert resident.birth_label.text() == "1990-05-07"
    assert resident.gender_combo.currentText() == "男"
    assert not resident.gender_combo.isEnabled()
    qtbot.keyClicks(resident.phone_edit, "13903711234")
    type_text(qtbot, resident.relation_combo.lineEdit(), "租户")
    qtbot.keyClick(resident.tag_boxes["党员"], Qt.Key.Key_Space)
    qtbot.keyClick(resident.tag_boxes["志愿者"], Qt.Key.Key_Space)
    qtbot.mouseClick(resident.ok_button, Qt.MouseButton.LeftButton)

    assert dialog.model.rowCount() == count + 1
    assert dialog.model.index(count, 3).data() == "1990-05-07"
    assert demo_services.households.get_household(hid).residents.__len__() == count  # not yet
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    saved = demo_services.households.get_household(hid).residents
    assert len(saved) == count + 1
    added = next(r for r in saved if r.name == "吕志强")
    assert added.tags == ("党员", "志愿者")
    assert (added.gender, added.birth_date) == ("男", dt.date(1990, 5, 7))
    assert (added.phone, added.relation, added.id_number) == ("13903711234", "租户", id_number)


def test_edit_and_delete_residents(qtbot, demo_services: Services):
    hid, _ = _with_neighbour(demo_services)
    residents = demo_services.households.get_household(hid).residents
    dialog = _open(qtbot, demo_services, hid)
    assert not dialog.edit_button.isEnabled()

    dialog.table.selectRow(0)
    qtbot.mouseClick(dialog.edit_button, Qt.MouseButton.LeftButton)
    resident = _resident_dialog(qtbot, dialog)
    assert resident.name_edit.text() == residents[0].name
    qtbot.keyClick(resident.tag_boxes["低保"], Qt.Key.Key_Space)
    qtbot.mouseClick(resident.ok_button, Qt.MouseButton.LeftButton)
    dialog.table.selectRow(dialog.model.rowCount() - 1)
    qtbot.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    after = demo_services.households.get_household(hid).residents
    assert [r.id for r in after] == [r.id for r in residents[:-1]]
    assert ("低保" in after[0].tags) != ("低保" in residents[0].tags)


def test_new_household(qtbot, demo_services: Services):
    hid, _ = _with_neighbour(demo_services)
    compound_id = demo_services.households.get_household(hid).data.compound_id
    dialog = _open(qtbot, demo_services, None, compound_id)
    assert dialog.title_label.text() == "新增住户"
    assert not dialog.save_button.isEnabled()
    assert not dialog.error_label("room").isVisible()  # no messages before the clerk types

    type_text(qtbot, dialog.building_combo.lineEdit(), "88号楼")
    qtbot.keyClicks(dialog.unit_edit, "2")
    qtbot.keyClicks(dialog.room_edit, "1203")
    qtbot.keyClicks(dialog.area_edit, "0")
    assert dialog.error_label("area").text() == "建筑面积应大于0"
    _retype(qtbot, dialog.area_edit, "76.5㎡")
    qtbot.keyClick(dialog.status_combo, Qt.Key.Key_Down)
    type_text(qtbot, dialog.name_edit, "孔令辉")
    assert dialog.save_button.isEnabled()
    with qtbot.waitSignal(dialog.saved) as saved:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    detail = demo_services.households.get_household(saved.args[0])
    assert detail.data == HouseholdInput(
        compound_id=compound_id,
        building="88",
        unit="2",
        room="1203",
        area=Decimal("76.50"),
        status="出租",
        householder_name="孔令辉",
    )


def test_service_rejection_shows_beside_field(qtbot, demo_services: Services):
    """A room taken by someone else after the last inline check: the service says so."""
    hid, _ = _with_neighbour(demo_services)
    compound_id = demo_services.households.get_household(hid).data.compound_id
    dialog = _open(qtbot, demo_services, None, compound_id)
    for edit, text in (
        (dialog.building_combo.lineEdit(), "99"),
        (dialog.room_edit, "101"),
        (dialog.area_edit, "50"),
        (dialog.name_edit, "张三"),
    ):
        type_text(qtbot, edit, text)
    demo_services.households.save_household(
        None,
        HouseholdInput(
            compound_id=compound_id, building="99", room="101", area="60", householder_name="李四"
        ),
    )
    ids = demo_services.households.household_ids(HouseholdFilter(compound_id=compound_id))

    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert dialog.isVisible()
    assert dialog.error_label("room").text() == "该楼栋已有此房号（户主：李四）"
    assert not dialog.save_button.isEnabled()
    assert demo_services.households.household_ids(HouseholdFilter(compound_id=compound_id)) == ids


def test_escape_asks_only_when_changed(qtbot, demo_services: Services, confirmations: list[str]):
    hid, _ = _with_neighbour(demo_services)
    dialog = _open(qtbot, demo_services, hid)
    qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert confirmations == []

    dialog = _open(qtbot, demo_services, hid)
    qtbot.keyClicks(dialog.phone_edit, "9")
    qtbot.keyClick(dialog.phone_edit, Qt.Key.Key_Escape)
    assert confirmations == ["所做的修改尚未保存，确定放弃吗？"]
    assert dialog.result() == QDialog.DialogCode.Rejected


def test_resident_model_passes_modeltester(qtmodeltester, demo_services: Services):
    hid, _ = _with_neighbour(demo_services)
    residents = [r.as_input() for r in demo_services.households.get_household(hid).residents]
    model = ResidentModel(residents)
    qtmodeltester.check(model)
    assert model.headerData(1, Qt.Orientation.Horizontal) == "性别"
    assert model.index(0, 0).data() == residents[0].name


def test_keyboard_on_residents_table(qtbot, demo_services: Services):
    hid, _ = _with_neighbour(demo_services)
    residents = demo_services.households.get_household(hid).residents
    dialog = _open(qtbot, demo_services, hid)
    dialog.table.setFocus()
    dialog.table.selectRow(0)
    with qtbot.assertNotEmitted(dialog.saved):
        qtbot.keyClick(dialog.table, Qt.Key.Key_Return)
        resident = _resident_dialog(qtbot, dialog)
    assert resident.name_edit.text() == residents[0].name
    qtbot.keyClick(resident.name_edit, Qt.Key.Key_Escape)  # unchanged: closes without asking
    qtbot.waitUntil(lambda: not resident.isVisible())
    dialog.table.setFocus()
    qtbot.keyClick(dialog.table, Qt.Key.Key_Delete)
    assert dialog.model.rowCount() == len(residents) - 1
    assert dialog.isVisible()


def test_name_field_refuses_an_id_number(qtbot, demo_services: Services):
    hid, _ = _with_neighbour(demo_services)
    before = demo_services.households.get_household(hid)
    dialog = _open(qtbot, demo_services, hid)
    height = dialog.height()
    _retype(qtbot, dialog.name_edit, "41010219900101123")
    label = dialog.error_label("householder_name")
    assert label.isVisible()
    assert label.text() == "户主姓名不能是身份证号或电话号码，请填写户主姓名"
    assert not dialog.save_button.isEnabled()
    assert demo_services.households.get_household(hid) == before
    assert dialog.height() == height  # the dialog keeps its size as the message appears


def test_a_stale_form_offers_reload_and_keeps_the_newer_phone(
    qtbot, demo_services: Services, monkeypatch: pytest.MonkeyPatch
):
    from dataclasses import replace

    hid = demo_services.households.household_ids()[0]
    dialog = _open(qtbot, demo_services, hid)  # the clerk opens the form ...
    admin = demo_services.households.get_household(hid)  # ... the admin saves a new phone
    demo_services.households.save_household(
        hid, replace(admin.data, phone="13911112222"), expected_version=admin.version
    )
    offered: list[str] = []
    monkeypatch.setattr(dialogs, "offer_reload", lambda _p, m: offered.append(m) or True)
    _retype(qtbot, dialog.notes_edit, "旧表单的备注")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert offered and "已被他人修改" in offered[0]
    assert dialog.result() != QDialog.DialogCode.Accepted
    saved = demo_services.households.get_household(hid)
    assert saved.data.phone == "13911112222" and saved.data.notes != "旧表单的备注"
    # reloaded: the form shows the admin's phone, and saving now goes through
    assert dialog.phone_edit.text() == "13911112222"
    _retype(qtbot, dialog.notes_edit, "重新载入后的备注")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert demo_services.households.get_household(hid).data.phone == "13911112222"


def test_a_viewer_is_told_in_chinese_and_nothing_is_saved(
    qtbot, demo_services: Services, monkeypatch: pytest.MonkeyPatch
):
    from app.audit import Actor

    viewer = Services.build(demo_services.db, Actor("viewer", "viewer"))
    hid = demo_services.households.household_ids()[0]
    before = demo_services.households.get_household(hid).data
    shown: list[str] = []
    monkeypatch.setattr(dialogs, "error", lambda _p, m, _t="": shown.append(m))
    dialog = _open(qtbot, viewer, hid)
    _retype(qtbot, dialog.notes_edit, "只读用户的备注")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert shown == ["只读用户无权修改楼院台账（楼院、楼栋、住户、居民）（仅限管理员、工作人员）"]
    assert demo_services.households.get_household(hid).data == before
