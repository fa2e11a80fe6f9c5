"""Stale writes: a form saves only over the version it showed, on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import select

from app.errors import StaleWrite
from app.fees.dto import SchemeInput
from app.services import Services
from db.models import Household


def test_a_stale_household_form_does_not_undo_a_newer_phone(demo: Services) -> None:
    hid = demo.households.household_ids()[0]
    admin_form = demo.households.get_household(hid)
    clerk_form = demo.households.get_household(hid)  # opened at the same time
    demo.households.save_household(
        hid, replace(admin_form.data, phone="13911112222"), expected_version=admin_form.version
    )
    with pytest.raises(StaleWrite, match="已被他人修改"):
        demo.households.save_household(
            hid, replace(clerk_form.data, notes="保存旧表单"), expected_version=clerk_form.version
        )
    fresh = demo.households.get_household(hid)
    assert fresh.data.phone == "13911112222" and fresh.data.notes == admin_form.data.notes
    assert fresh.version == admin_form.version + 1
    # reloaded, the clerk's change goes through
    demo.households.save_household(
        hid, replace(fresh.data, notes="重新载入后保存"), expected_version=fresh.version
    )
    assert demo.households.get_household(hid).data.notes == "重新载入后保存"


def test_a_residents_change_also_moves_the_household_on(demo: Services) -> None:
    hid = next(
        h for h in demo.households.household_ids() if demo.households.get_household(h).residents
    )
    first = demo.households.get_household(hid)
    residents = [r.as_input() for r in first.residents]
    residents[0] = replace(residents[0], relation="其他")
    demo.households.save_household(hid, first.data, residents, expected_version=first.version)
    with pytest.raises(StaleWrite):
        demo.households.save_household(hid, first.data, [], expected_version=first.version)
    assert demo.households.get_household(hid).residents  # the stale form removed no one


def test_a_stale_compound_form_is_refused(demo: Services) -> None:
    cid = demo.compounds.list_compounds()[0].id
    one, two = demo.compounds.get_compound(cid), demo.compounds.get_compound(cid)
    demo.compounds.update_compound(
        cid, replace(one.data, head_name="李楼长"), expected_version=one.version
    )
    with pytest.raises(StaleWrite, match="该楼院已被他人修改"):
        demo.compounds.update_compound(
            cid, replace(two.data, address="旧地址"), expected_version=two.version
        )
    assert demo.compounds.get_compound(cid).data.head_name == "李楼长"


def test_a_stale_fee_scheme_form_is_refused(demo: Services) -> None:
    cid = demo.compounds.list_compounds()[-1].id
    schemes = demo.fees.schemes
    draft = schemes.save_scheme(SchemeInput(cid, "0.40", "2031-01", name="草案"))
    schemes.save_scheme(
        SchemeInput(cid, "0.42", "2031-01", name="草案"), draft.id, expected_version=draft.version
    )
    with pytest.raises(StaleWrite, match="该收费方案已被他人修改"):
        schemes.save_scheme(
            SchemeInput(cid, "0.30", "2031-01", name="草案"),
            draft.id,
            expected_version=draft.version,
        )
    with pytest.raises(StaleWrite):
        schemes.change_state(draft.id, "posted", expected_version=draft.version)
    assert schemes.get_scheme(draft.id).price_milli == 420


def test_a_bulk_update_moving_the_version_refuses_the_form(demo: Services) -> None:
    hid = demo.households.household_ids()[0]
    form = demo.households.get_household(hid)
    with demo.db.sessions.begin() as s:  # as the roster import's bulk UPDATE does
        from sqlalchemy import update

        s.execute(
            update(Household).where(Household.id == hid).values(version=Household.version + 1)
        )
    with pytest.raises(StaleWrite):
        demo.households.save_household(hid, form.data, expected_version=form.version)
    with demo.db.sessions() as s:
        assert s.scalar(select(Household.version).where(Household.id == hid)) == form.version + 1
