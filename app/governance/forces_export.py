"""The 治理力量 roster as an .xlsx: one row per role, in the columns the import reads back
(phones masked unless asked and allowed), with the roster export's print setup."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.governance.forces_dto import PersonRow, RoleRow
from app.governance.forces_io import Col
from app.jobs import IsCancelled, Progress, check_cancelled
from app.registry.compounds import grid_paths
from app.roster.errors import RosterFileError
from app.roster.xlsx import write_text
from app.sheet_print import setup_xlsxwriter
from app.text import mask_phone
from db.models import Building, Community, Compound, Grid, PropertyCompany

COLUMNS = tuple(Col)
WIDTHS = {
    Col.NAME: 10, Col.PHONE: 14, Col.KIND: 14, Col.SUBKIND: 9, Col.POST: 12, Col.COMMUNITY: 12,
    Col.GRID: 24, Col.COMPOUND: 14, Col.BUILDING: 6, Col.COMPANY: 22, Col.START: 11,
    Col.END: 11, Col.HOME: 18, Col.NOTES: 20,
}  # fmt: skip
SHEET = "治理力量名册"


class _Names:
    """Names of the places roles are held at, read once."""

    def __init__(self, s: Session) -> None:
        communities = dict(s.execute(select(Community.id, Community.name)).all())
        grids = list(s.scalars(select(Grid)))
        paths = grid_paths(grids)
        self.grid = {g.id: (communities.get(g.community_id, ""), paths[g.id]) for g in grids}
        self.compound = {
            cid: (communities.get(community, ""), name)
            for cid, community, name in s.execute(
                select(Compound.id, Compound.community_id, Compound.name)
            )
        }
        self.building = dict(s.execute(select(Building.id, Building.name)).all())
        company = select(PropertyCompany.id, PropertyCompany.name)
        self.company = dict(s.execute(company).all())

    def cells(self, r: RoleRow) -> tuple[str, str, str, str, str]:
        """(社区, 网格, 楼院, 楼栋, 物业公司) of a role."""
        community = grid = compound = ""
        if r.grid_id is not None:
            community, grid = self.grid.get(r.grid_id, ("", ""))
        if r.compound_id is not None:
            community, compound = self.compound.get(r.compound_id, (community, ""))
        building = self.building.get(r.building_id, "") if r.building_id is not None else ""
        company = self.company.get(r.company_id, "") if r.company_id is not None else ""
        return community, grid, compound, building, company


def write_people(
    s: Session,
    path: Path,
    people: Sequence[PersonRow],
    *,
    masked: bool,
    progress: Progress,
    cancelled: IsCancelled,
) -> int:
    """Write one row per role of each person; returns the number of rows."""
    import xlsxwriter  # type: ignore[import-untyped]

    names = _Names(s)
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    add = book.add_format
    title = add({"bold": True, "font_size": 14, "align": "center", "valign": "vcenter"})
    head = add({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
    formats = (add({"num_format": "@"}), add({"num_format": "@", "quote_prefix": True}))
    date = add({"num_format": "yyyy-mm-dd"})
    ws = book.add_worksheet(SHEET)
    for col, c in enumerate(COLUMNS):
        ws.set_column(col, col, WIDTHS[c])
    note = "电话已脱敏" if masked else "含完整电话，请妥善保管"
    ws.set_row(0, 26)
    ws.merge_range(
        0, 0, 0, len(COLUMNS) - 1, f"治理力量名册（{dt.date.today().isoformat()} 导出，{note}）",
        title,
    )  # fmt: skip
    for col, c in enumerate(COLUMNS):
        ws.write_string(1, col, c.value, head)
    ws.freeze_panes(2, 0)
    setup_xlsxwriter(ws, columns=len(COLUMNS), header_rows=2)
    row = 2
    total = len(people) or 1
    for n, p in enumerate(people, start=1):
        phone = mask_phone(p.phone) if masked else p.phone
        for r in p.roles:
            community, grid, compound, building, company = names.cells(r)
            texts: dict[Col, Any] = {
                Col.NAME: p.name, Col.PHONE: phone, Col.KIND: r.kind, Col.SUBKIND: r.subkind,
                Col.POST: r.post, Col.COMMUNITY: community, Col.GRID: grid,
                Col.COMPOUND: compound, Col.BUILDING: building, Col.COMPANY: company,
                Col.HOME: p.home, Col.NOTES: p.notes,
            }  # fmt: skip
            for col, c in enumerate(COLUMNS):
                if c in (Col.START, Col.END):
                    day = r.start_on if c is Col.START else r.end_on
                    if day is None:
                        ws.write_blank(row, col, None, date)
                    else:
                        ws.write_datetime(row, col, dt.datetime.combine(day, dt.time()), date)
                else:
                    write_text(ws, row, col, texts[c] or "", formats)
            row += 1
        if n % 500 == 0:
            check_cancelled(cancelled)
            progress(n, total)
    ws.autofilter(1, 0, max(row - 1, 1), len(COLUMNS) - 1)
    try:
        book.close()
    except OSError as exc:
        raise RosterFileError(f"无法写入文件：{path}（{exc}）") from exc
    return row - 2
