"""The one search box: compounds, households and residents by what a clerk types."""

from __future__ import annotations

import pytest

from app.errors import Cancelled
from app.registry.dto import CompoundInput, ResidentInput
from app.services import Services
from tests.app.test_registry import _community, an_id, household


@pytest.fixture
def filled(services: Services) -> Services:
    cid = services.compounds.create_compound(
        CompoundInput(name="纺织厂家属院", community_id=_community(services), address="建设路12号")
    )
    services.households.save_household(
        None,
        household(cid, "101", householder_name="张三", phone="13812345678"),
        [
            ResidentInput(name="张三", relation="本人", id_number=an_id()),
            ResidentInput(
                name="李秀英",
                relation="配偶",
                phone="13900001111",
                id_number=an_id("19820304", 246),
            ),
        ],
    )
    services.households.save_household(
        None, household(cid, "202", householder_name="王建国", phone="13700002222", id_number="")
    )
    return services


def kinds(hits: list) -> list[tuple[str, str]]:  # type: ignore[type-arg]
    return [(h.kind_label, h.title) for h in hits]


def test_initials_find_householders_and_residents(filled: Services) -> None:
    assert kinds(filled.search.search("zs")) == [("住户", "张三")]
    assert kinds(filled.search.search("lxy")) == [("居民", "李秀英")]
    assert ("楼院", "纺织厂家属院") in kinds(filled.search.search("fzc"))


def test_chinese_name_finds_every_kind(filled: Services) -> None:
    hits = filled.search.search("张")
    assert kinds(hits) == [("住户", "张三")]  # the householder is not listed twice
    assert kinds(filled.search.search("纺织")) == [("楼院", "纺织厂家属院")]
    hit = filled.search.search("李秀英")[0]
    assert hit.detail == "纺织厂家属院 3-1-101（配偶）"
    assert hit.household_id is not None


def test_room_phone_and_id_tail(filled: Services) -> None:
    [hit] = filled.search.search("3-1-202")
    assert (hit.kind, hit.title, hit.detail) == ("household", "王建国", "纺织厂家属院 3-1-202")
    assert kinds(filled.search.search("0000 1111")) == [("居民", "李秀英")]  # NFKC/space kept
    assert kinds(filled.search.search("2222")) == [("住户", "王建国")]
    tail = an_id("19820304", 246)[-6:]
    assert kinds(filled.search.search(tail)) == [("居民", "李秀英")]
    assert filled.search.search("  ") == []
    assert filled.search.search("nobody-here") == []


def test_a_cancelled_search_stops(filled: Services) -> None:
    with pytest.raises(Cancelled):
        filled.search.search("张", cancelled=lambda: True)
