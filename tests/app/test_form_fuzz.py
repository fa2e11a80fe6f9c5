"""Property-based: the registry forms take any input without a crash or a partial write.

Random and broken values for every field of CompoundInput, HouseholdInput and ResidentInput:
the service either saves everything or raises an AppError (a clear Chinese message) and
changes nothing."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.errors import AppError
from app.registry.dto import CompoundInput, HouseholdInput, ResidentInput
from app.services import Services
from db.models import AuditEntry, Building, Compound, Household, Resident, ResidentTag

FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

nasty = st.sampled_from(
    [
        "",
        " ",
        "=1+2",
        "@SUM(A1)",
        "３号楼",
        "85.6㎡",
        "4.10102E+17",
        "110101199003077777",
        "11010519491231002X",
        "x" * 500,
        "\t\n",
        "'; DROP TABLE household; --",
        "张三\u200b",
        "-1",
        "0",
        "1e309",
        "NaN",
    ]
)
text = st.one_of(nasty, st.text(max_size=40), st.text(alphabet="0123456789Xx- .", max_size=20))
area = st.one_of(
    text,
    st.decimals(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**12), max_value=10**12),
)
statuses = st.one_of(st.sampled_from(["自住", "出租", "空置", "商铺"]), text)
tags = st.lists(st.one_of(st.sampled_from(["党员", "低保", "独居", "志愿者"]), text), max_size=4)


def _counts(services: Services) -> tuple[int, ...]:
    with services.db.sessions() as s:
        return tuple(
            s.scalar(select(func.count()).select_from(t)) or 0
            for t in (Compound, Building, Household, Resident, ResidentTag, AuditEntry)
        )


@st.composite
def residents(draw: st.DrawFn) -> ResidentInput:
    return ResidentInput(
        name=draw(text),
        id_number=draw(text),
        gender=draw(st.one_of(st.sampled_from(["", "男", "女"]), text)),
        phone=draw(text),
        relation=draw(st.one_of(st.sampled_from(["户主", "配偶", "子女"]), text)),
        tags=tuple(draw(tags)),
    )


def test_household_form_fuzz(demo: Services) -> None:
    compound_ids = [c.id for c in demo.compounds.list_compounds()][:2] + [0, -5, 10**9]

    @FUZZ
    @given(
        compound=st.sampled_from(compound_ids),
        building=text,
        room=text,
        area_value=area,
        unit=text,
        status=statuses,
        name=text,
        id_number=text,
        phone=text,
        people=st.lists(residents(), max_size=4),
    )
    def check(  # noqa: PLR0913, PLR0917
        compound: int,
        building: str,
        room: str,
        area_value: str | Decimal | int,
        unit: str,
        status: str,
        name: str,
        id_number: str,
        phone: str,
        people: list[ResidentInput],
    ) -> None:
        data = HouseholdInput(
            compound, building, room, area_value, unit, status, name, id_number, phone
        )
        before = _counts(demo)
        try:
            demo.households.save_household(None, data, people)
        except AppError as exc:
            assert exc.message.strip()
            assert _counts(demo) == before  # nothing written
            return
        after = _counts(demo)
        assert after[2] == before[2] + 1 and after[3] == before[3] + len(people)

    check()


def test_compound_form_fuzz(demo: Services) -> None:
    community = demo.compounds.communities()[0].id

    @FUZZ
    @given(
        name=text,
        community_id=st.sampled_from([community, 0, 10**9]),
        address=text,
        mode=st.one_of(st.sampled_from(["无主管", "公办物业"]), text),
        build_year=st.one_of(st.none(), st.integers(min_value=-(10**6), max_value=10**6)),
        head_phone=text,
        manager=text,
    )
    def check(  # noqa: PLR0913, PLR0917
        name: str,
        community_id: int,
        address: str,
        mode: str,
        build_year: int | None,
        head_phone: str,
        manager: str,
    ) -> None:
        data = CompoundInput(
            name=name,
            community_id=community_id,
            address=address,
            management_mode=mode,
            build_year=build_year,
            head_phone=head_phone,
            manager_name=manager,
        )
        before = _counts(demo)
        try:
            demo.compounds.create_compound(data)
        except AppError as exc:
            assert exc.message.strip()
            assert _counts(demo) == before
            return
        assert _counts(demo)[0] == before[0] + 1

    check()
