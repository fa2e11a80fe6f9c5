"""Registry services on a real database: create, edit, delete, list, search, audit."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.audit import Actor
from app.errors import NotFound, PermissionDenied
from app.registry.dto import (
    CompoundFilter,
    CompoundInput,
    HouseholdFilter,
    HouseholdInput,
    HouseholdSort,
    ResidentInput,
)
from app.registry.errors import (
    BuildingNotEmpty,
    CompoundNotEmpty,
    RecordsAttached,
    ValidationError,
)
from app.registry.validation import id_check_digit
from app.services import Services
from app.text import pinyin_of
from db.models import AuditEntry, Household, Resident, ResidentTag


def an_id(birth: str = "19800101", seq: int = 123) -> str:
    first17 = f"410102{birth}{seq:03d}"
    return first17 + id_check_digit(first17)


@pytest.fixture
def compound(services: Services) -> int:
    community = _community(services)
    return services.compounds.create_compound(
        CompoundInput(
            name="建设路12号院",
            community_id=community,
            address="建设路12号",
            management_mode="公办物业",
            head_name="张三",
            head_phone="13812345678",
        )
    )


def _community(services: Services) -> int:
    from db.models import Community, Street

    with services.db.sessions.begin() as s:
        street = Street(name="测试街道")
        s.add(street)
        s.flush()
        community = Community(street_id=street.id, name="测试社区")
        s.add(community)
        s.flush()
        return community.id


def household(compound: int, room: str = "101", **kw: str) -> HouseholdInput:
    values: dict[str, str] = {
        "building": "3号楼",
        "unit": "1单元",
        "area": "85.6㎡",
        "householder_name": "张三",
        "id_number": an_id(),
        "phone": "138 1234 5678",
    }
    values.update(kw)
    return HouseholdInput(compound_id=compound, room=room, **values)


def test_household_is_created_with_clean_values(services: Services, compound: int) -> None:
    hid = services.households.save_household(None, household(compound))
    detail = services.households.get_household(hid)
    assert detail.data.building == "3"
    assert detail.data.unit == "1"
    assert detail.data.area == Decimal("85.60")
    assert detail.data.phone == "13812345678"
    [row] = services.households.household_rows([hid])
    assert row.location == "3号楼1单元101"
    assert row.id_number_masked == "410102********" + an_id()[-4:]


def test_room_is_unique_in_its_building(services: Services, compound: int) -> None:
    services.households.save_household(None, household(compound))
    with pytest.raises(ValidationError) as err:
        services.households.save_household(None, household(compound, householder_name="李四"))
    assert "已有此房号" in err.value.errors["room"]
    # same room in another building is fine
    services.households.save_household(None, household(compound, building="4"))
    assert services.households.validate_household(household(compound)) == {
        "room": "该楼栋已有此房号（户主：张三）"
    }


def test_invalid_household_saves_nothing(services: Services, compound: int) -> None:
    bad = household(compound, id_number="410102198001011231", area="0")
    with pytest.raises(ValidationError) as err:
        services.households.save_household(None, bad)
    assert set(err.value.errors) == {"id_number", "area"}
    assert "身份证号" in err.value.message
    with services.db.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Household)) == 0


def test_residents_are_saved_with_tags_and_derived_fields(
    services: Services, compound: int
) -> None:
    residents = [
        ResidentInput(name="张三", id_number=an_id(), relation="本人", tags=("党员", "志愿者")),
        ResidentInput(name="王芳", id_number=an_id("19820202", 124), relation="配偶"),
    ]
    hid = services.households.save_household(None, household(compound), residents)
    rows = services.households.get_household(hid).residents
    assert [r.name for r in rows] == ["张三", "王芳"]
    assert rows[0].gender == "男" and rows[1].gender == "女"
    assert rows[1].birth_date == dt.date(1982, 2, 2)
    assert rows[0].tags == ("党员", "志愿者")
    # edit: drop one resident, change a tag
    keep = rows[0].as_input()
    keep = ResidentInput(id=keep.id, name=keep.name, id_number=keep.id_number, tags=("低保",))
    services.households.save_household(hid, household(compound), [keep])
    rows = services.households.get_household(hid).residents
    assert [(r.name, r.tags) for r in rows] == [("张三", ("低保",))]
    with services.db.sessions() as s:
        assert s.scalar(select(func.count()).select_from(ResidentTag)) == 1


def test_bad_resident_rolls_back_the_household_too(services: Services, compound: int) -> None:
    hid = services.households.save_household(None, household(compound))
    bad = [ResidentInput(name="", id_number="123")]
    with pytest.raises(ValidationError) as err:
        services.households.save_household(hid, household(compound, area="99"), bad)
    assert "第1位居民" in err.value.message
    assert services.households.get_household(hid).data.area == Decimal("85.60")


def test_personal_data_changes_are_audited(services: Services, compound: int) -> None:
    hid = services.households.save_household(None, household(compound))
    services.households.save_household(hid, household(compound, phone="13900001111"))
    services.households.save_household(hid, household(compound, phone="13900001111", area="90"))
    with services.db.sessions() as s:
        entries = s.scalars(
            select(AuditEntry).where(AuditEntry.entity == "household").order_by(AuditEntry.id)
        ).all()
    assert [e.action for e in entries] == ["create", "update"]
    assert "13900001111" in entries[1].after and "13812345678" in entries[1].before
    assert entries[1].username == "tester"


def test_compound_with_households_needs_confirmation(services: Services, compound: int) -> None:
    hid = services.households.save_household(
        None, household(compound), [ResidentInput(name="张三")]
    )
    with pytest.raises(CompoundNotEmpty) as err:
        services.compounds.delete_compound(compound)
    assert err.value.households == 1 and "1 户" in err.value.message
    assert services.households.get_household(hid)
    services.compounds.delete_compound(compound, with_households=True)
    with pytest.raises(NotFound):
        services.compounds.get_compound(compound)
    with services.db.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Resident)) == 0


def test_building_with_households_cannot_be_deleted(services: Services, compound: int) -> None:
    services.households.save_household(None, household(compound))
    [building] = services.compounds.list_buildings(compound)
    assert building.households == 1 and building.total_area == Decimal("85.60")
    with pytest.raises(BuildingNotEmpty):
        services.compounds.delete_building(building.id)
    empty = services.compounds.add_building(compound, "5栋")
    services.compounds.delete_building(empty)


def test_compound_validation_and_unique_name(services: Services, compound: int) -> None:
    detail = services.compounds.get_compound(compound)
    with pytest.raises(ValidationError) as err:
        services.compounds.create_compound(detail.data)
    assert err.value.errors["name"] == "本社区已有同名楼院"
    bad = CompoundInput(
        name="", community_id=detail.data.community_id, head_phone="12345", build_year=1800
    )
    assert set(services.compounds.validate_compound(bad)) == {"name", "head_phone", "build_year"}


def test_viewer_cannot_edit(services: Services, compound: int) -> None:
    viewer = Services.build(services.db, Actor("guest", "viewer"))
    with pytest.raises(PermissionDenied):
        viewer.households.save_household(None, household(compound))
    with pytest.raises(PermissionDenied):
        viewer.compounds.delete_compound(compound)


# -- lists and search on the demo data ------------------------------------------------------


def test_compound_filters(demo: Services) -> None:
    everything = demo.compounds.list_compounds()
    assert len(everything) == 15
    assert sum(c.households for c in everything) == 600
    modes = {c.management_mode for c in everything}
    assert modes == {"无主管", "公办物业", "市场化物业", "单位自管", "居民自治"}
    public = demo.compounds.list_compounds(CompoundFilter(management_mode="公办物业"))
    assert public and all(c.management_mode == "公办物业" for c in public)
    community = demo.compounds.communities()[0]
    mine = demo.compounds.list_compounds(CompoundFilter(community_id=community.id))
    assert mine and all(c.community_name == community.name for c in mine)


def test_compound_search_by_name_address_and_pinyin(demo: Services) -> None:
    def names(text: str) -> list[str]:
        return [c.name for c in demo.compounds.list_compounds(CompoundFilter(text=text))]

    assert names("纺织") == ["纺织厂家属院"]
    assert names("fzc") == ["纺织厂家属院"]
    assert "纺织厂家属院" in names("jsl")  # 建设路12号 by address initials
    assert names("fangzhi") == ["纺织厂家属院"]
    assert names("100%") == []


def test_grid_filter_includes_lower_levels(demo: Services) -> None:
    grids = demo.compounds.grids()
    assert {g.level for g in grids} == {1, 2, 3, 4}
    top = next(g for g in grids if g.level == 1)
    under = demo.compounds.list_compounds(CompoundFilter(grid_id=top.id))
    same_community = [c for c in demo.compounds.list_compounds() if c.community_name in top.path]
    assert under and len(under) == len(same_community)


def test_household_search_and_sort(demo: Services) -> None:
    hs = demo.households
    anyone = hs.household_rows(hs.household_ids()[:1])[0]
    _, initials = pinyin_of(anyone.householder_name)
    found = hs.household_rows(hs.household_ids(HouseholdFilter(text=initials)))
    assert anyone.id in [r.id for r in found]
    assert all(pinyin_of(r.householder_name)[1].startswith(initials) for r in found)
    by_phone = hs.household_ids(HouseholdFilter(text=anyone.phone[-6:])) if anyone.phone else []
    assert not anyone.phone or anyone.id in by_phone
    ids = hs.household_ids(HouseholdFilter(compound_id=anyone.compound_id), HouseholdSort.AREA)
    areas = [r.area for r in hs.household_rows(ids)]
    assert areas == sorted(areas)
    desc = hs.household_ids(
        HouseholdFilter(compound_id=anyone.compound_id), HouseholdSort.AREA, descending=True
    )
    assert [r.area for r in hs.household_rows(desc)] == sorted(areas, reverse=True)


def test_location_order_is_building_unit_floor_room(demo: Services) -> None:
    compound = demo.compounds.list_compounds()[0]
    rows = demo.households.household_rows(
        demo.households.household_ids(HouseholdFilter(compound_id=compound.id))
    )
    keys = [(int(r.building), r.unit, int(r.room)) for r in rows]
    assert keys == sorted(keys)
    assert len(rows) == compound.households


def test_compound_with_fee_records_is_not_deleted(demo: Services) -> None:
    """The demo bills the 公办物业 compounds: deleting one would lose its accounts."""
    from db.models.fees import FeeCharge as Charge

    with demo.db.sessions() as s:
        compound_id = s.scalar(
            select(Household.compound_id).join(Charge, Charge.household_id == Household.id).limit(1)
        )
    assert compound_id is not None
    before = demo.compounds.get_compound(compound_id).households
    with pytest.raises(RecordsAttached, match="不能删除"):
        demo.compounds.delete_compound(compound_id, with_households=True)
    hid = demo.households.household_ids(HouseholdFilter(compound_id=compound_id))[0]
    with pytest.raises(RecordsAttached):
        demo.households.delete_household(hid)
    assert demo.compounds.get_compound(compound_id).households == before


def test_resorting_a_list_by_its_ids_gives_the_full_query_order(demo: Services) -> None:
    """Re-sorting a search result by its ids equals searching again with the new order."""
    from app.registry.dto import HouseholdFilter, HouseholdSort

    households = demo.households
    for text in ("王", "10"):
        flt = HouseholdFilter(text=text)
        found = households.household_ids(flt)
        assert 1 < len(found) < demo.stats.summary()["households"]
        for sort in HouseholdSort:
            for descending in (False, True):
                again = households.household_ids(flt, sort, descending)
                assert households.household_ids(flt, sort, descending, within=found) == again
    assert households.household_ids(HouseholdFilter(text="王"), within=[]) == []


def test_compound_counts_are_kept_and_follow_every_change(
    services: Services, compound: int
) -> None:
    def counts() -> tuple[int, int, int]:
        [row] = [r for r in services.compounds.list_compounds() if r.id == compound]
        return row.buildings, row.households, row.residents

    assert counts() == (0, 0, 0)
    hid = services.households.save_household(
        None, household(compound), [ResidentInput(name="张三", relation="本人")]
    )
    assert counts() == (1, 1, 1)
    other = services.households.save_household(None, household(compound, "102"))
    assert counts() == (1, 2, 1)
    mark = services.compounds._figures
    assert counts() == (1, 2, 1) and services.compounds._figures is mark  # not recounted
    services.households.save_household(hid, household(compound), [])  # resident removed
    assert counts() == (1, 2, 0)
    services.households.delete_household(other)
    assert counts() == (1, 1, 0)
    services.households.delete_household(hid)
    assert counts() == (1, 0, 0)
    [building] = services.compounds.list_buildings(compound)
    services.compounds.delete_building(building.id)
    assert counts() == (0, 0, 0)


def test_a_cancelled_household_query_stops_and_the_next_one_runs(demo: Services) -> None:
    """A search the clerk has typed past is stopped (SQLite interrupts it while it runs);
    the connection it ran on serves the next query as before."""
    from app.errors import Cancelled

    households = demo.households
    looks: list[int] = []

    def cancelled() -> bool:
        looks.append(1)
        return True

    with pytest.raises(Cancelled):
        households.household_ids(HouseholdFilter(text="1"), HouseholdSort.NAME, cancelled=cancelled)
    assert looks
    found = households.household_ids(HouseholdFilter(text="1"), cancelled=lambda: False)
    assert found == households.household_ids(HouseholdFilter(text="1"))
    assert found


def test_room_clash_names_the_other_householder(demo: Services) -> None:
    households = demo.households
    ids = households.household_ids(HouseholdFilter())
    first, second = households.get_household(ids[0]), households.get_household(ids[1])
    taken = second.data
    assert households.room_clash(taken, second.id) == ""  # its own room
    mine = HouseholdInput(
        compound_id=taken.compound_id,
        building=taken.building,
        unit=taken.unit,
        room=taken.room,
        area="60",
        householder_name="张三",
    )
    assert households.room_clash(mine, first.id) == (
        f"该楼栋已有此房号（户主：{taken.householder_name}）"
    )
    assert households.room_clash(mine, None) != ""
    blank = HouseholdInput(compound_id=taken.compound_id, building="", room="", area="60")
    assert households.room_clash(blank) == ""  # the field rules speak first


def test_compounds_at_once_say_whether_their_figures_are_counted(demo: Services) -> None:
    """The list at once: zero figures and `False` while the kept figures are stale (a new
    household), the counted figures and `True` once `list_compounds` counted them; a single
    compound's detail is counted on its own, right, while the rest are stale."""
    service = demo.compounds
    compound = service.list_compounds()[0].id
    service = type(service)(demo.db.sessions, demo.actor)  # a fresh service: nothing counted yet
    rows, counted = service.list_compounds_at_once()
    if counted:  # counted earlier in this test's set-up: make the kept figures stale
        demo.households.save_household(None, household(compound, room="901"))
        rows, counted = service.list_compounds_at_once()
    assert not counted and {(r.households, r.residents) for r in rows} == {(0, 0)}
    full = {r.id: r for r in service.list_compounds()}
    rows, counted = service.list_compounds_at_once()
    assert counted and {r.id: r for r in rows} == full
    demo.households.save_household(None, household(compound, room="902"))
    detail = service.get_compound(compound)  # stale figures: this compound counted alone
    assert detail.households == full[compound].households + 1
    assert not service.list_compounds_at_once()[1]
    after = {r.id: r for r in service.list_compounds()}
    assert after[compound].households == detail.households
    assert all(after[i] == full[i] for i in full if i != compound)


def test_deletes_go_over_the_version_the_list_showed(demo: Services) -> None:
    """A household or compound saved by someone else since the list was read is not deleted
    from that list (StaleWrite, nothing changed); with the current version it is."""
    from app.errors import StaleWrite

    households, compounds = demo.households, demo.compounds
    hid = households.household_ids()[0]
    (listed,) = households.household_rows([hid])
    detail = households.get_household(hid)
    households.save_household(hid, detail.data, expected_version=detail.version)
    with pytest.raises(StaleWrite):
        households.delete_household(hid, expected_version=listed.version)
    assert households.get_household(hid).id == hid
    (fresh,) = households.household_rows([hid])
    assert fresh.version == listed.version + 1
    households.delete_household(hid, expected_version=fresh.version)
    assert hid not in households.household_ids()

    from dataclasses import replace

    template = compounds.get_compound(compounds.list_compounds()[0].id).data
    new_id = compounds.create_compound(replace(template, name="版本测试楼院"))
    row = next(r for r in compounds.choices() if r.id == new_id)
    c = compounds.get_compound(row.id)
    compounds.update_compound(row.id, replace(c.data, address="新地址"), expected_version=c.version)
    with pytest.raises(StaleWrite):
        compounds.delete_compound(row.id, with_households=True, expected_version=row.version)
    assert row.id in [r.id for r in compounds.list_compounds()]
    fresh_row = next(r for r in compounds.choices() if r.id == row.id)
    compounds.delete_compound(row.id, with_households=True, expected_version=fresh_row.version)
    assert row.id not in [r.id for r in compounds.list_compounds()]
