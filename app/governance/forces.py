"""治理力量: the roster of people who govern (persons with roles on grids, compounds, buildings
and property companies), organisation members, property companies and the compounds they
serve, cross-appointments, recognitions, and the figures the bulletins give about them."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, sessionmaker

from app import audit
from app.audit import Actor
from app.auth import Permission, disclose, require
from app.errors import NotFound
from app.fees.arithmetic import format_price
from app.governance.errors import GovernanceError, need
from app.governance.forces_dto import (
    COMMUNITY_POSTS,
    CompanyInput,
    CompanyRow,
    CrossAppointment,
    GridPartyCoverage,
    HandlerChoice,
    MemberRow,
    PersonFilter,
    PersonInput,
    PersonRow,
    RecognitionInput,
    RecognitionRow,
    RoleInput,
    RoleRow,
    ServedCompound,
    SolvedCount,
    kind_label,
)
from app.governance.organisations import GovernanceBase, pairs
from app.jobs import IsCancelled, Progress, never_cancelled, no_progress
from app.registry.compounds import grid_paths
from app.registry.validation import FieldError, clean_phone
from app.text import fold
from db.models import (
    COMPANY_KINDS,
    FORCE_KINDS,
    FORCE_SUBKINDS,
    RECOGNITION_KINDS,
    Building,
    Community,
    CompanyCompound,
    Compound,
    ForcePerson,
    ForceRole,
    Grid,
    Household,
    Organisation,
    OrganisationMember,
    Problem,
    PropertyCompany,
    Recognition,
    Resident,
    ResidentTag,
)
from db.models.fees import FeeScheme

if TYPE_CHECKING:
    from app.governance.forces_io import PeopleImportResult, PeoplePlan

CLOSED = "已办结"
PARTY = "党组织"
SELF_GOVERNANCE = "自治组织"
IN_FORCE = ("transition", "active")


def _phone(raw: str, what: str) -> str | None:
    value = fold(raw)
    if not value:
        return None
    try:
        return clean_phone(value)
    except FieldError as exc:
        raise GovernanceError(f"{what}：{exc}") from exc


class _Places:
    """Names of grids, compounds, buildings and companies, read once per call."""

    def __init__(self, s: Session) -> None:
        grids = list(s.scalars(select(Grid)))
        self.grid_path = grid_paths(grids)
        self.grid_parent = {g.id: g.parent_id for g in grids}
        self.compound = pairs(s.execute(select(Compound.id, Compound.name)))
        self.compound_grid = pairs(s.execute(select(Compound.id, Compound.grid_id)))
        self.building = {
            bid: (cid, name)
            for bid, cid, name in s.execute(
                select(Building.id, Building.compound_id, Building.name)
            )
        }
        self.company = pairs(s.execute(select(PropertyCompany.id, PropertyCompany.name)))

    def of(self, r: ForceRole) -> str:
        if r.building_id is not None and r.building_id in self.building:
            cid, name = self.building[r.building_id]
            return f"{self.compound.get(cid, '')}{name}号楼"
        parts = []
        if r.company_id is not None:
            parts.append(self.company.get(r.company_id, ""))
        if r.compound_id is not None:
            parts.append(self.compound.get(r.compound_id, ""))
        if r.grid_id is not None:
            parts.append(self.grid_path.get(r.grid_id, "").rsplit(" / ", 1)[-1])
        return "·".join(p for p in parts if p)

    def grids_of(self, r: ForceRole) -> set[int]:
        """The grid a role sits in: its own grid, or the grid of its compound or building."""
        compound = r.compound_id
        if r.building_id is not None and r.building_id in self.building:
            compound = self.building[r.building_id][0]
        out = set()
        if r.grid_id is not None:
            out.add(r.grid_id)
        if compound is not None and self.compound_grid.get(compound) is not None:
            out.add(self.compound_grid[compound])
        return out

    def under(self, grid_id: int) -> set[int]:
        """The grid and every grid below it."""
        out = set()
        for gid in self.grid_parent:
            node: int | None = gid
            while node is not None:
                if node == grid_id:
                    out.add(gid)
                    break
                node = self.grid_parent.get(node)
        return out


def _role_row(r: ForceRole, places: _Places) -> RoleRow:
    return RoleRow(
        r.id,
        r.kind,
        r.subkind,
        r.post,
        r.grid_id,
        r.compound_id,
        r.building_id,
        r.company_id,
        places.of(r),
        r.start_on,
        r.end_on,
    )


def _active(r: ForceRole, day: dt.date) -> bool:
    return (r.start_on is None or r.start_on <= day) and (r.end_on is None or r.end_on >= day)


class ForceService(GovernanceBase):
    """The roster and everything hung on it; `today` decides which roles are held now."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        actor: Actor,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        super().__init__(sessions, actor)
        self.today = today

    # -- roster ----------------------------------------------------------------------------

    def list_people(self, flt: PersonFilter | None = None) -> list[PersonRow]:
        """The roster (by name), filtered by role, grid, compound and name or phone."""
        flt = flt or PersonFilter()
        day = self.today()
        with self._sessions() as s:
            query = select(ForcePerson)
            text = fold(flt.text)
            if text:
                pattern = f"%{text}%"
                query = query.where(
                    ForcePerson.name.like(pattern) | ForcePerson.phone.like(pattern)
                )
            people = list(s.scalars(query.order_by(ForcePerson.name, ForcePerson.id)))
            return self._rows(s, people, flt, day)

    def get_person(self, person_id: int) -> PersonRow:
        with self._sessions() as s:
            p = s.get(ForcePerson, person_id)
            if p is None:
                raise NotFound("该人员不存在或已被删除")
            return self._rows(s, [p], PersonFilter(include_ended=True), self.today())[0]

    def _rows(
        self, s: Session, people: list[ForcePerson], flt: PersonFilter, day: dt.date
    ) -> list[PersonRow]:
        places = _Places(s)
        roles: dict[int, list[ForceRole]] = {}
        for r in s.scalars(select(ForceRole).order_by(ForceRole.id)):
            roles.setdefault(r.person_id, []).append(r)
        memberships: dict[int, list[str]] = {}
        for pid, org, role in s.execute(
            select(OrganisationMember.person_id, Organisation.name, OrganisationMember.role)
            .join(Organisation, Organisation.id == OrganisationMember.organisation_id)
            .order_by(Organisation.name, OrganisationMember.id)
        ):
            memberships.setdefault(pid, []).append(f"{org}·{role}")
        homes = _homes(s, [p.resident_id for p in people if p.resident_id is not None])
        wanted_grids = places.under(flt.grid_id) if flt.grid_id is not None else None
        out = []
        for p in people:
            mine = roles.get(p.id, [])
            shown = [r for r in mine if flt.include_ended or _active(r, day)]
            if not shown or not _matches(shown, flt, places, wanted_grids):
                continue
            out.append(
                PersonRow(
                    p.id,
                    p.name,
                    p.phone or "",
                    p.resident_id,
                    homes.get(p.resident_id, "") if p.resident_id is not None else "",
                    p.notes,
                    tuple(_role_row(r, places) for r in mine),
                    tuple(memberships.get(p.id, ())),
                )
            )
        return out

    def add_person(self, data: PersonInput) -> int:
        self._require_edit()
        with self._sessions.begin() as s:
            values, roles = self._clean_person(s, data)
            p = ForcePerson(**values)
            s.add(p)
            s.flush()
            s.add_all(ForceRole(person_id=p.id, **asdict(r)) for r in roles)
            audit.record(
                s, self._actor, "create", "force_person", p.id, after=_audit_values(values, roles)
            )
            return p.id

    def update_person(self, person_id: int, data: PersonInput) -> None:
        """Store the person and replace their roles with `data.roles`."""
        self._require_edit()
        with self._sessions.begin() as s:
            p = s.get(ForcePerson, person_id)
            if p is None:
                raise NotFound("该人员不存在或已被删除")
            values, roles = self._clean_person(s, data)
            before = {"name": p.name, "phone": p.phone or ""}
            for key, value in values.items():
                setattr(p, key, value)
            s.execute(delete(ForceRole).where(ForceRole.person_id == person_id))
            s.add_all(ForceRole(person_id=person_id, **asdict(r)) for r in roles)
            audit.record(
                s,
                self._actor,
                "update",
                "force_person",
                person_id,
                before=before,
                after=_audit_values(values, roles),
            )

    def delete_person(self, person_id: int) -> None:
        self._require_edit()
        with self._sessions.begin() as s:
            p = s.get(ForcePerson, person_id)
            if p is None:
                raise NotFound("该人员不存在或已被删除")
            s.delete(p)
            audit.record(s, self._actor, "delete", "force_person", person_id)

    def _clean_person(
        self, s: Session, data: PersonInput
    ) -> tuple[dict[str, Any], list[RoleInput]]:
        name = fold(data.name)
        need(bool(name), "请填写姓名")
        need(len(name) <= 32, "姓名过长（最多32个字）")
        phone = _phone(data.phone, "联系电话")
        need(
            data.resident_id is None or s.get(Resident, data.resident_id) is not None,
            "所选居民不存在或已被删除",
        )
        need(bool(data.roles), "请至少添加一个身份（如网格员、楼栋长、志愿者）")
        roles = [self._clean_role(s, r, n) for n, r in enumerate(data.roles, start=1)]
        values = {
            "name": name,
            "phone": phone,
            "resident_id": data.resident_id,
            "notes": data.notes.strip(),
        }
        return values, roles

    @staticmethod
    def _clean_role(s: Session, r: RoleInput, n: int) -> RoleInput:
        at = f"第{n}个身份："
        need(r.kind in FORCE_KINDS, at + "请选择身份类别")
        subkinds = FORCE_SUBKINDS.get(r.kind, ())
        if r.kind == "新就业群体":
            need(r.subkind in subkinds, at + "请选择新就业群体的类别（外卖骑手、快递员等）")
        else:
            need(r.subkind in (*subkinds, ""), at + f"“{r.subkind}”不是{r.kind}的类别")
        post = fold(r.post)
        need(len(post) <= 32, at + "职务过长（最多32个字）")
        compound_id = r.compound_id
        if r.building_id is not None:
            b = s.get(Building, r.building_id)
            need(b is not None, at + "所选楼栋不存在或已被删除")
            assert b is not None
            need(
                compound_id is None or compound_id == b.compound_id,
                at + "楼栋不属于所选楼院",
            )
            compound_id = b.compound_id
        need(
            any(x is not None for x in (r.grid_id, compound_id, r.building_id, r.company_id)),
            at + "请选择所在网格、楼院、楼栋或物业公司",
        )
        need(r.grid_id is None or s.get(Grid, r.grid_id) is not None, at + "所选网格不存在")
        need(
            compound_id is None or s.get(Compound, compound_id) is not None,
            at + "所选楼院不存在",
        )
        need(
            r.company_id is None or s.get(PropertyCompany, r.company_id) is not None,
            at + "所选物业公司不存在",
        )
        need(
            r.end_on is None or r.start_on is None or r.end_on >= r.start_on,
            at + "结束日期不能早于开始日期",
        )
        return RoleInput(
            r.kind,
            r.subkind,
            post,
            r.grid_id,
            compound_id,
            r.building_id,
            r.company_id,
            r.start_on,
            r.end_on,
        )

    # -- roster files ----------------------------------------------------------------------

    def export_people(
        self,
        out: Path | str,
        flt: PersonFilter | None = None,
        *,
        unmasked: bool = False,
        progress: Progress = no_progress,
        cancelled: IsCancelled = never_cancelled,
    ) -> int:
        """The people the filter lists (everyone, ended roles too, by default), one row per
        role, in the columns the import reads; phones masked unless asked and allowed (an
        unmasked export is recorded in the audit log). Returns the number of rows."""
        from app.governance.forces_export import write_people  # xlsxwriter: on first use

        if unmasked:
            require(self._actor, Permission.UNMASKED_OUTPUT)
        out = Path(out)
        people = self.list_people(flt or PersonFilter(include_ended=True))
        progress(0, len(people) or 1)
        with self._sessions() as s:
            count = write_people(
                s, out, people, masked=not unmasked, progress=progress, cancelled=cancelled
            )
        if unmasked:
            disclose(
                self._sessions, self._actor, entity="force_person", after={"rows": count},
                note=f"导出未脱敏治理力量名册：{out.name}",
            )  # fmt: skip
        progress(1, 1)
        return count

    def plan_import(
        self,
        path: Path | str,
        progress: Progress = no_progress,
        cancelled: IsCancelled = never_cancelled,
    ) -> PeoplePlan:
        """Read a roster file of people and decide every row's fate; writes nothing."""
        from app.governance import forces_io
        from app.roster.errors import NoRosterFound

        path = Path(path)
        progress(0, 2)
        rows, sources, skipped = forces_io.parse_file(path)
        progress(1, 2)
        with self._sessions() as s:
            shown, _decisions = forces_io.match(s, rows, cancelled)
        if not shown:
            raise NoRosterFound(f"文件“{path.name}”中没有人员数据，未导入任何内容。")
        progress(2, 2)
        return forces_io.PeoplePlan(
            path, tuple(rows), forces_io.preview_of(shown, sources, skipped)
        )

    def commit_import(
        self,
        plan: PeoplePlan,
        progress: Progress = no_progress,
        cancelled: IsCancelled = never_cancelled,
    ) -> PeopleImportResult:
        """Write the plan in one transaction (the rows are matched again inside it); rejected
        rows are left out; any failure or Cancel leaves the roster as it was."""
        from app.governance import forces_io

        self._require_edit()
        with self._sessions.begin() as s:
            return forces_io.write(s, self._actor, plan, progress, cancelled)

    def write_rejects(self, plan: PeoplePlan, out: Path | str) -> int:
        """The rejected rows (original cells, 行号, 原因, 列) as an .xlsx; returns how many."""
        from app.roster.rejects import write_rejects

        return write_rejects(plan.preview.as_roster_preview(), Path(out))

    @staticmethod
    def rejects_name(path: Path | str) -> Path:
        """Where the rejected rows go unless said otherwise: beside the file."""
        path = Path(path)
        return path.with_name(path.stem + "_未导入的行.xlsx")

    def resident_choices(self, text: str, limit: int = 30) -> list[tuple[int, str]]:
        """Residents whose name contains `text`: (id, "张三 · 幸福里 3-1-101")."""
        text = fold(text)
        if not text:
            return []
        with self._sessions() as s:
            ids = list(
                s.scalars(
                    select(Resident.id)
                    .where(Resident.name.like(f"%{text}%"))
                    .order_by(Resident.name, Resident.id)
                    .limit(limit)
                )
            )
            homes = _homes(s, ids)
            names = pairs(s.execute(select(Resident.id, Resident.name).where(Resident.id.in_(ids))))
        return [(rid, f"{names[rid]} · {homes.get(rid, '')}") for rid in ids]

    def resident_phone(self, resident_id: int) -> str:
        with self._sessions() as s:
            r = s.get(Resident, resident_id)
            return (r.phone or "") if r else ""

    def handler_choices(self, compound_id: int | None = None) -> list[HandlerChoice]:
        """Each person in each role held today; those working in the compound's grid (or on
        the compound itself) first."""
        day = self.today()
        with self._sessions() as s:
            places = _Places(s)
            grid = places.compound_grid.get(compound_id) if compound_id is not None else None
            near = places.under(grid) if grid is not None else set()
            rows = s.execute(
                select(ForceRole, ForcePerson.name)
                .join(ForcePerson, ForcePerson.id == ForceRole.person_id)
                .order_by(ForcePerson.name, ForceRole.id)
            ).all()
            choices: list[tuple[bool, HandlerChoice]] = []
            seen: set[tuple[int, str]] = set()
            for r, name in rows:
                if not _active(r, day) or (r.person_id, r.kind) in seen:
                    continue
                seen.add((r.person_id, r.kind))
                close = r.compound_id == compound_id or bool(places.grids_of(r) & near)
                label = f"{name} · {kind_label(r.kind, r.subkind)} · {places.of(r)}"
                choices.append((not close, HandlerChoice(r.person_id, r.kind, label)))
        choices.sort(key=lambda c: c[0])
        return [c for _far, c in choices]

    # -- organisation members --------------------------------------------------------------

    def list_members(self, organisation_id: int) -> list[MemberRow]:
        with self._sessions() as s:
            rows = s.execute(
                select(
                    OrganisationMember.id,
                    OrganisationMember.organisation_id,
                    OrganisationMember.person_id,
                    ForcePerson.name,
                    OrganisationMember.role,
                    ForcePerson.phone,
                )
                .join(ForcePerson, ForcePerson.id == OrganisationMember.person_id)
                .where(OrganisationMember.organisation_id == organisation_id)
                .order_by(OrganisationMember.id)
            ).all()
        order = {"书记": 0, "主任": 0, "会长": 0, "队长": 0, "副书记": 1, "副主任": 1}
        out = [MemberRow(i, o, p, n, role, phone or "") for i, o, p, n, role, phone in rows]
        out.sort(key=lambda m: (order.get(m.role, 2 if m.role != "成员" else 3), m.id))
        return out

    def add_member(self, organisation_id: int, person_id: int, role: str) -> int:
        self._require_edit()
        role = fold(role) or "成员"
        need(len(role) <= 16, "组织内职务过长（最多16个字）")
        with self._sessions.begin() as s:
            need(s.get(Organisation, organisation_id) is not None, "该组织不存在或已被删除")
            need(s.get(ForcePerson, person_id) is not None, "该人员不存在或已被删除")
            exists = s.scalar(
                select(OrganisationMember.id).where(
                    OrganisationMember.organisation_id == organisation_id,
                    OrganisationMember.person_id == person_id,
                )
            )
            need(exists is None, "此人已是该组织成员")
            m = OrganisationMember(organisation_id=organisation_id, person_id=person_id, role=role)
            s.add(m)
            s.flush()
            audit.record(
                s,
                self._actor,
                "create",
                "organisation_member",
                m.id,
                after={"organisation_id": organisation_id, "person_id": person_id, "role": role},
            )
            return m.id

    def remove_member(self, member_id: int) -> None:
        self._require_edit()
        with self._sessions.begin() as s:
            m = s.get(OrganisationMember, member_id)
            if m is None:
                raise NotFound("该成员不存在或已被移除")
            s.delete(m)
            audit.record(s, self._actor, "delete", "organisation_member", member_id)

    # -- property companies ----------------------------------------------------------------

    def list_companies(self) -> list[CompanyRow]:
        """Public companies first, then market ones, by name."""
        day = self.today()
        with self._sessions() as s:
            companies = list(
                s.scalars(
                    select(PropertyCompany).order_by(PropertyCompany.name, PropertyCompany.id)
                )
            )
            served = _served(s)
            staff: dict[int, list[str]] = {}
            for r, name in s.execute(
                select(ForceRole, ForcePerson.name)
                .join(ForcePerson, ForcePerson.id == ForceRole.person_id)
                .where(ForceRole.company_id.is_not(None))
                .order_by(ForceRole.id)
            ):
                if _active(r, day) and r.company_id is not None:
                    staff.setdefault(r.company_id, []).append(
                        f"{name}（{r.post}）" if r.post else name
                    )
        rows = [
            CompanyRow(
                c.id,
                c.name,
                c.kind,
                c.contact,
                c.phone or "",
                c.founded,
                c.notes,
                tuple(served.get(c.id, ())),
                tuple(staff.get(c.id, ())),
            )
            for c in companies
        ]
        rows.sort(key=lambda r: (COMPANY_KINDS.index(r.kind), r.name, r.id))
        return rows

    def _clean_company(self, data: CompanyInput) -> dict[str, Any]:
        name = fold(data.name)
        need(bool(name), "请填写公司名称")
        need(len(name) <= 64, "公司名称过长（最多64个字）")
        need(data.kind in COMPANY_KINDS, "请选择公办或市场化物业")
        return {
            "name": name,
            "kind": data.kind,
            "contact": fold(data.contact)[:32],
            "phone": _phone(data.phone, "联系电话"),
            "founded": data.founded,
            "notes": data.notes.strip(),
        }

    def add_company(self, data: CompanyInput) -> int:
        self._require_edit()
        values = self._clean_company(data)
        with self._sessions.begin() as s:
            need(
                s.scalar(select(PropertyCompany.id).where(PropertyCompany.name == values["name"]))
                is None,
                f"已有名为“{values['name']}”的物业公司",
            )
            c = PropertyCompany(**values)
            s.add(c)
            s.flush()
            audit.record(s, self._actor, "create", "property_company", c.id, after=values)
            return c.id

    def update_company(self, company_id: int, data: CompanyInput) -> None:
        self._require_edit()
        values = self._clean_company(data)
        with self._sessions.begin() as s:
            c = s.get(PropertyCompany, company_id)
            if c is None:
                raise NotFound("该物业公司不存在或已被删除")
            other = s.scalar(
                select(PropertyCompany.id).where(PropertyCompany.name == values["name"])
            )
            need(other in (None, company_id), f"已有名为“{values['name']}”的物业公司")
            for key, value in values.items():
                setattr(c, key, value)
            audit.record(s, self._actor, "update", "property_company", c.id, after=values)

    def delete_company(self, company_id: int) -> None:
        self._require_edit()
        with self._sessions.begin() as s:
            c = s.get(PropertyCompany, company_id)
            if c is None:
                raise NotFound("该物业公司不存在或已被删除")
            s.delete(c)
            audit.record(s, self._actor, "delete", "property_company", company_id)

    def serve(self, company_id: int, compound_id: int, since: dt.date) -> int:
        """The company takes the compound over from `since`: the compound's management mode
        becomes 公办物业 / 市场化物业 with the company as manager; a compound that was 无主管
        counts as an ownerless compound taken over."""
        self._require_edit()
        with self._sessions.begin() as s:
            c = s.get(PropertyCompany, company_id)
            if c is None:
                raise NotFound("该物业公司不存在或已被删除")
            compound = s.get(Compound, compound_id)
            if compound is None:
                raise NotFound("该楼院不存在或已被删除")
            current = s.scalar(
                select(PropertyCompany.name)
                .join(CompanyCompound, CompanyCompound.company_id == PropertyCompany.id)
                .where(
                    CompanyCompound.compound_id == compound_id, CompanyCompound.until_on.is_(None)
                )
            )
            need(current is None, f"“{compound.name}”现由“{current}”服务，请先结束其服务")
            link = CompanyCompound(
                company_id=company_id,
                compound_id=compound_id,
                since=since,
                until_on=None,
                was_ownerless=compound.management_mode == "无主管",
            )
            s.add(link)
            before = {"management_mode": compound.management_mode}
            compound.management_mode = "公办物业" if c.kind == "公办" else "市场化物业"
            compound.manager_name = c.name
            s.flush()
            audit.record(
                s,
                self._actor,
                "create",
                "company_compound",
                link.id,
                before=before,
                after={"company": c.name, "compound": compound.name, "since": since},
            )
            return link.id

    def end_service(self, link_id: int, until_on: dt.date) -> None:
        """The company leaves the compound on `until_on` (the compound's mode stays as it is
        until the clerk records who takes over)."""
        self._require_edit()
        with self._sessions.begin() as s:
            link = s.get(CompanyCompound, link_id)
            if link is None:
                raise NotFound("该服务记录不存在或已被删除")
            need(link.until_on is None, "该楼院的服务已经结束")
            need(until_on >= link.since, "结束日期不能早于入驻日期")
            link.until_on = until_on
            audit.record(
                s, self._actor, "update", "company_compound", link_id, after={"until_on": until_on}
            )

    # -- cross-appointments ----------------------------------------------------------------

    def cross_appointments(self) -> list[CrossAppointment]:
        """People who hold a community post (社区工作者, 网格员, 网格年轻历练干部) and a post in a
        property company or in a self-governance organisation (双向引入、交叉任职)."""
        with self._sessions() as s:
            return _cross(s, self.today())

    # -- recognitions ----------------------------------------------------------------------

    def list_recognitions(self) -> list[RecognitionRow]:
        """Newest year first, 服务之星 before 优秀服务项目."""
        with self._sessions() as s:
            names = pairs(s.execute(select(ForcePerson.id, ForcePerson.name)))
            out = [
                RecognitionRow(
                    r.id, r.year, r.kind, r.title, r.person_id, names.get(r.person_id, ""), r.notes
                )
                for r in s.scalars(select(Recognition))
            ]
        out.sort(key=lambda r: (-r.year, RECOGNITION_KINDS.index(r.kind), r.title, r.id))
        return out

    def _clean_recognition(self, s: Session, data: RecognitionInput) -> dict[str, Any]:
        need(data.kind in RECOGNITION_KINDS, "请选择服务之星或优秀服务项目")
        need(1949 <= data.year <= self.today().year + 1, "请填写正确的年度")
        title = fold(data.title)
        if not title and data.person_id is not None:
            person = s.get(ForcePerson, data.person_id)
            title = person.name if person else ""
        need(bool(title), "请填写名称（服务之星填姓名，优秀服务项目填项目名称）")
        need(len(title) <= 64, "名称过长（最多64个字）")
        need(
            data.person_id is None or s.get(ForcePerson, data.person_id) is not None,
            "所选人员不存在或已被删除",
        )
        return {
            "year": data.year,
            "kind": data.kind,
            "title": title,
            "person_id": data.person_id,
            "notes": data.notes.strip(),
        }

    def add_recognition(self, data: RecognitionInput) -> int:
        self._require_edit()
        with self._sessions.begin() as s:
            values = self._clean_recognition(s, data)
            r = Recognition(**values)
            s.add(r)
            s.flush()
            audit.record(s, self._actor, "create", "recognition", r.id, after=values)
            return r.id

    def update_recognition(self, recognition_id: int, data: RecognitionInput) -> None:
        self._require_edit()
        with self._sessions.begin() as s:
            r = s.get(Recognition, recognition_id)
            if r is None:
                raise NotFound("该评选记录不存在或已被删除")
            values = self._clean_recognition(s, data)
            for key, value in values.items():
                setattr(r, key, value)
            audit.record(s, self._actor, "update", "recognition", r.id, after=values)

    def delete_recognition(self, recognition_id: int) -> None:
        self._require_edit()
        with self._sessions.begin() as s:
            r = s.get(Recognition, recognition_id)
            if r is None:
                raise NotFound("该评选记录不存在或已被删除")
            s.delete(r)
            audit.record(s, self._actor, "delete", "recognition", recognition_id)

    # -- figures ---------------------------------------------------------------------------

    def grid_party_coverage(self) -> list[GridPartyCoverage]:
        """Every grid (by community and path) with the party organisations sitting on it."""
        with self._sessions() as s:
            return _grid_party(s)

    def party_members(self) -> tuple[int, int]:
        """(residents tagged 党员, those whose home compound lies in a grid that has a party
        organisation of its own)."""
        with self._sessions() as s:
            covered = {g.grid_id for g in _grid_party(s) if g.covered}
            return _party_members(s, covered)

    def solved_by_kind(self) -> list[SolvedCount]:
        """Problems handled by each kind of force (the capacity the handler acted in)."""
        with self._sessions() as s:
            counts = _handled(s, Problem.handler_kind)
        return [SolvedCount(k, *counts[k]) for k in FORCE_KINDS if k in counts]

    def solved_by_person(self) -> list[SolvedCount]:
        """Problems handled by each person of the roster, most closed first."""
        with self._sessions() as s:
            counts = _handled(s, Problem.handler_person_id)
            names = pairs(s.execute(select(ForcePerson.id, ForcePerson.name)))
        rows = [SolvedCount(names.get(pid, ""), *n) for pid, n in counts.items() if pid]
        rows.sort(key=lambda r: (-r.closed, r.key))
        return rows

    def solved_by_grid(self) -> list[SolvedCount]:
        """Problems closed per grid (the grid that took the problem), most closed first."""
        with self._sessions() as s:
            counts = _handled(s, Problem.grid_id)
            paths = grid_paths(list(s.scalars(select(Grid))))
        rows = [SolvedCount(paths.get(gid, ""), *n) for gid, n in counts.items() if gid]
        rows.sort(key=lambda r: (-r.closed, r.key))
        return rows

    def summary(self) -> dict[str, Any]:
        """The keys `stats --json` gains: forces, party_members, property_companies,
        cross_appointments, and the grid coverage (merged into `grids` by the caller)."""
        day = self.today()
        with self._sessions() as s:
            roles = list(s.scalars(select(ForceRole)))
            grids = _grid_party(s)
            covered = {g.grid_id for g in grids if g.covered}
            members_total, members_covered = _party_members(s, covered)
            companies = list(s.execute(select(PropertyCompany.id, PropertyCompany.kind)))
            served = _served(s)
            cross = _cross(s, day)
            solved = _handled(s, Problem.handler_kind)
        return {
            "forces": _forces_json(roles, day),
            "grid_party": {
                "with_party_organisation": len(covered),
                "without_party_organisation": len(grids) - len(covered),
                "without_party_organisation_list": [
                    f"{g.community_name} {g.path}" for g in grids if not g.covered
                ],
            },
            "party_members": {
                "total": members_total,
                "in_covered_grids": members_covered,
            },
            "property_companies": _companies_json(companies, served),
            "cross_appointments": {
                "total": len(cross),
                "in_company": sum(1 for c in cross if c.company_posts),
                "in_self_governance": sum(1 for c in cross if c.organisation_posts),
            },
            "solved_by_force_kind": {k: solved[k][0] for k in FORCE_KINDS if k in solved},
        }


def _matches(
    roles: list[ForceRole], flt: PersonFilter, places: _Places, grids: set[int] | None
) -> bool:
    """True when one role (held now, unless ended ones are asked for) meets every filter."""
    for r in roles:
        if flt.kind and r.kind != flt.kind:
            continue
        if flt.subkind and r.subkind != flt.subkind:
            continue
        if flt.compound_id is not None:
            compound = r.compound_id
            if r.building_id is not None and r.building_id in places.building:
                compound = places.building[r.building_id][0]
            if compound != flt.compound_id:
                continue
        if grids is not None and not (places.grids_of(r) & grids):
            continue
        return True
    return not (flt.kind or flt.subkind or flt.compound_id is not None or grids is not None)


def _homes(s: Session, resident_ids: list[int]) -> dict[int, str]:
    """resident id → "幸福里 3-1-101"."""
    if not resident_ids:
        return {}
    rows = s.execute(
        select(Resident.id, Compound.name, Building.name, Household.unit, Household.room)
        .join(Household, Household.id == Resident.household_id)
        .join(Building, Building.id == Household.building_id)
        .join(Compound, Compound.id == Household.compound_id)
        .where(Resident.id.in_(resident_ids))
    ).all()
    return {
        rid: home_text(compound, building, unit, room)
        for rid, *home in rows
        for compound, building, unit, room in [home]
    }


def home_text(compound: str, building: str, unit: str, room: str) -> str:
    """A resident's home as the roster shows it (and its import reads it): 幸福里 3-1-101."""
    return f"{compound} {'-'.join(x for x in (building, unit, room) if x)}"


def _audit_values(values: dict[str, Any], roles: Iterable[RoleInput]) -> dict[str, Any]:
    return {
        "name": values["name"],
        "phone": values["phone"] or "",
        "roles": "、".join(kind_label(r.kind, r.subkind) for r in roles),
    }


def _served(s: Session) -> dict[int, list[ServedCompound]]:
    """company id → the compounds it serves or served, current ones first, with the fee
    scheme in force (being charged: transition or active) and its price."""
    names = pairs(s.execute(select(Compound.id, Compound.name)))
    schemes: dict[int, tuple[str, int]] = {}
    for cid, name, price in s.execute(
        select(FeeScheme.compound_id, FeeScheme.name, FeeScheme.price_milli)
        .where(FeeScheme.state.in_(IN_FORCE))
        .order_by(FeeScheme.id)
    ):
        schemes[cid] = (name or "收费方案", price)  # the newest wins
    out: dict[int, list[ServedCompound]] = {}
    for link in s.scalars(select(CompanyCompound).order_by(CompanyCompound.id)):
        scheme = schemes.get(link.compound_id) if link.until_on is None else None
        out.setdefault(link.company_id, []).append(
            ServedCompound(
                link.id,
                link.company_id,
                link.compound_id,
                names.get(link.compound_id, ""),
                link.since,
                link.until_on,
                link.was_ownerless,
                scheme[0] if scheme else "",
                Decimal(scheme[1]) / 1000 if scheme else None,
            )
        )
    for rows in out.values():
        rows.sort(key=lambda c: (c.until_on is not None, c.compound_name, c.id))
    return out


def _companies_json(
    companies: list[Any], served: dict[int, list[ServedCompound]]
) -> dict[str, Any]:
    kinds = dict(companies)
    current = [c for rows in served.values() for c in rows if c.until_on is None]
    public = [c for c in current if kinds.get(c.company_id) == "公办"]
    prices = [c.price for c in public if c.price is not None]
    return {
        "public": sum(1 for k in kinds.values() if k == "公办"),
        "market": sum(1 for k in kinds.values() if k == "市场化"),
        "compounds_served": len({c.compound_id for c in current}),
        "public_compounds_served": len({c.compound_id for c in public}),
        "ownerless_compounds_served": len({c.compound_id for c in public if c.was_ownerless}),
        # 元/㎡·月, the highest price in force among the public companies' compounds
        "max_price": format_price(int(max(prices) * 1000)) if prices else None,
    }


def _forces_json(roles: list[ForceRole], day: dt.date) -> dict[str, Any]:
    held = [r for r in roles if _active(r, day)]
    by_kind: dict[str, set[int]] = {k: set() for k in FORCE_KINDS}
    by_sub: dict[str, Counter[str]] = {k: Counter() for k in FORCE_SUBKINDS}
    seen: set[tuple[int, str, str]] = set()
    for r in held:
        by_kind[r.kind].add(r.person_id)
        if r.kind in by_sub and (r.person_id, r.kind, r.subkind) not in seen:
            seen.add((r.person_id, r.kind, r.subkind))
            by_sub[r.kind][r.subkind or "未注明"] += 1
    return {
        "total": len({r.person_id for r in held}),
        "by_kind": {k: len(v) for k, v in by_kind.items()},
        "by_subkind": {k: dict(v) for k, v in by_sub.items()},
    }


def _grid_party(s: Session) -> list[GridPartyCoverage]:
    grids = list(s.scalars(select(Grid)))
    paths = grid_paths(grids)
    communities = pairs(s.execute(select(Community.id, Community.name)))
    orgs: dict[int, list[str]] = {}
    for gid, name in s.execute(
        select(Organisation.grid_id, Organisation.name)
        .where(Organisation.grid_id.is_not(None), Organisation.kind == PARTY)
        .order_by(Organisation.name, Organisation.id)
    ):
        if gid is not None:
            orgs.setdefault(gid, []).append(name)
    rows = [
        GridPartyCoverage(g.id, paths[g.id], communities[g.community_id], tuple(orgs.get(g.id, ())))
        for g in grids
    ]
    rows.sort(key=lambda r: (r.community_name, r.path, r.grid_id))
    return rows


def _party_members(
    s: Session, covered: set[int], community_id: int | None = None
) -> tuple[int, int]:
    query = (
        select(Compound.grid_id, func.count(func.distinct(Resident.id)))
        .select_from(ResidentTag)
        .join(Resident, Resident.id == ResidentTag.resident_id)
        .join(Household, Household.id == Resident.household_id)
        .join(Compound, Compound.id == Household.compound_id)
        .where(ResidentTag.tag == "党员")
        .group_by(Compound.grid_id)
    )
    if community_id is not None:
        query = query.where(Compound.community_id == community_id)
    rows = s.execute(query).all()
    total = sum(n for _g, n in rows)
    return total, sum(n for g, n in rows if g in covered)


def _handled(s: Session, key: Any) -> dict[Any, tuple[int, int]]:
    """key → (closed, total) over problems with a named handler."""
    rows = s.execute(
        select(key, Problem.status, func.count())
        .where(Problem.handler_person_id.is_not(None))
        .group_by(key, Problem.status)
    ).all()
    out: dict[Any, tuple[int, int]] = {}
    for k, status, n in rows:
        closed, total = out.get(k, (0, 0))
        out[k] = (closed + (n if status == CLOSED else 0), total + n)
    return out


def _cross(s: Session, day: dt.date) -> list[CrossAppointment]:
    community: dict[int, list[str]] = {}
    company: dict[int, list[str]] = {}
    organisation: dict[int, list[str]] = {}
    companies = pairs(s.execute(select(PropertyCompany.id, PropertyCompany.name)))
    for r in s.scalars(select(ForceRole).order_by(ForceRole.id)):
        if not _active(r, day):
            continue
        if r.kind in COMMUNITY_POSTS:
            community.setdefault(r.person_id, []).append(kind_label(r.kind, r.subkind))
        elif r.company_id is not None:
            post = f"（{r.post}）" if r.post else ""
            company.setdefault(r.person_id, []).append(f"{companies.get(r.company_id, '')}{post}")
    for pid, org, role in s.execute(
        select(OrganisationMember.person_id, Organisation.name, OrganisationMember.role)
        .join(Organisation, Organisation.id == OrganisationMember.organisation_id)
        .where(Organisation.kind == SELF_GOVERNANCE)
        .order_by(OrganisationMember.id)
    ):
        organisation.setdefault(pid, []).append(f"{org}（{role}）")
    names = pairs(s.execute(select(ForcePerson.id, ForcePerson.name)))
    rows = [
        CrossAppointment(
            pid,
            names.get(pid, ""),
            tuple(dict.fromkeys(posts)),
            tuple(company.get(pid, ())),
            tuple(organisation.get(pid, ())),
        )
        for pid, posts in community.items()
        if pid in company or pid in organisation
    ]
    rows.sort(key=lambda r: (r.name, r.person_id))
    return rows


@dataclass(frozen=True)
class ForceFigures:
    """The 治理力量 figures of the work brief and the dashboard, for one community or all."""

    total: int
    by_kind: dict[str, int]
    by_subkind: dict[str, dict[str, int]]
    grids_with_party: int
    grids_without_party: tuple[str, ...]
    party_members: int
    party_members_covered: int
    public_companies: int
    public_served: int
    ownerless_served: int
    max_price: Decimal | None
    cross_appointments: int
    recognitions: dict[str, int]  # kind → count in the newest year that has any
    recognition_year: int | None


def force_figures(s: Session, day: dt.date, community_id: int | None = None) -> ForceFigures:
    """Everything counted over one community (its grids, compounds and buildings) or all."""
    places = _Places(s)
    communities = pairs(s.execute(select(Compound.id, Compound.community_id)))
    grid_community = pairs(s.execute(select(Grid.id, Grid.community_id)))

    def here(r: ForceRole) -> bool:
        if community_id is None:
            return True
        compound = r.compound_id
        if r.building_id is not None and r.building_id in places.building:
            compound = places.building[r.building_id][0]
        return (compound is not None and communities.get(compound) == community_id) or (
            r.grid_id is not None and grid_community.get(r.grid_id) == community_id
        )

    roles = [r for r in s.scalars(select(ForceRole)) if _active(r, day) and here(r)]
    forces = _forces_json(roles, day)
    grids = [
        g
        for g in _grid_party(s)
        if community_id is None or grid_community.get(g.grid_id) == community_id
    ]
    covered = {g.grid_id for g in grids if g.covered}
    members, members_covered = _party_members(s, covered, community_id)
    kinds = pairs(s.execute(select(PropertyCompany.id, PropertyCompany.kind)))
    public = [
        c
        for rows in _served(s).values()
        for c in rows
        if c.until_on is None
        and kinds.get(c.company_id) == "公办"
        and (community_id is None or communities.get(c.compound_id) == community_id)
    ]
    prices = [c.price for c in public if c.price is not None]
    local = {r.person_id for r in roles if r.kind in COMMUNITY_POSTS}
    cross = [c for c in _cross(s, day) if c.person_id in local]
    recognitions = list(s.execute(select(Recognition.year, Recognition.kind)))
    year = max((y for y, _k in recognitions), default=None)
    return ForceFigures(
        total=forces["total"],
        by_kind=forces["by_kind"],
        by_subkind=forces["by_subkind"],
        grids_with_party=len(covered),
        grids_without_party=tuple(g.path for g in grids if not g.covered),
        party_members=members,
        party_members_covered=members_covered,
        public_companies=len({c.company_id for c in public}),
        public_served=len({c.compound_id for c in public}),
        ownerless_served=len({c.compound_id for c in public if c.was_ownerless}),
        max_price=max(prices) if prices else None,
        cross_appointments=len(cross),
        recognitions=dict(Counter(k for y, k in recognitions if y == year)),
        recognition_year=year,
    )
