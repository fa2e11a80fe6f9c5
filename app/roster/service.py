"""Roster use cases: inspect a file, plan an import (the preview), commit it, export."""

from __future__ import annotations

import hashlib
import logging
import threading
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.orm import Session, sessionmaker

from app import audit
from app.audit import Actor
from app.auth import Permission, disclose, require
from app.bulk import checks_done_by_caller, indexes_deferred, insert_rows
from app.errors import NotFound
from app.jobs import (
    IsCancelled,
    Progress,
    check_cancelled,
    gc_paused,
    never_cancelled,
    no_progress,
)
from app.registry.validation import floor_of_room, sort_key_of
from app.roster.columns import MappingStore, normalize_header, sheet_layout
from app.roster.dto import (
    Fate,
    Field,
    FileLayout,
    ImportOptions,
    ImportPreview,
    ImportResult,
    RowPreview,
)
from app.roster.errors import NoCommunity, NoRosterFound
from app.roster.matching import (
    Matched,
    community_id,
    match,
    record_names,
    reuse,
    snapshot,
)
from app.roster.plan import Parsed, parse_files
from app.roster.reader import SheetData, read_file
from app.roster.rejects import write_rejects
from app.roster.rows import Record
from app.roster.template import write_template
from app.text import fold, natural_key, pinyin_of
from db.models import Building, Community, Compound, Household, Street
from db.models.registry import HOUSEHOLD_STATUSES

if TYPE_CHECKING:
    from app.roster.export import ExportResult

logger = logging.getLogger(__name__)
BATCH = 2000
KEEP_INSPECTED = 8  # files whose sheets `inspect` keeps for `plan` (one wizard's batch)


@dataclass(frozen=True)
class ImportPlan:
    """A preview and what it was made from; `commit` matches it again inside its transaction."""

    paths: tuple[Path, ...]
    options: ImportOptions
    parsed: Parsed
    preview: ImportPreview
    matched: Matched | None = None  # the fates behind the preview, reused when nothing changed


class RosterService:
    """Importing and exporting household rosters."""

    def __init__(self, sessions: sessionmaker[Session], actor: Actor, store: MappingStore) -> None:
        self._sessions = sessions
        self._actor = actor
        self._store = store
        # sheets read by `inspect`, kept for the `plan` that follows (the wizard inspects the
        # file, then plans it): path → (the file's content digest when read, sheets). Inspect
        # and plan run on worker threads, `forget_files` on the GUI thread: one lock; a
        # forget that comes while a file is being read keeps that file from being kept.
        self._inspected: dict[Path, tuple[bytes, list[SheetData]]] = {}
        self._inspected_lock = threading.Lock()
        self._forgotten = 0  # how many times `forget_files` ran

    # -- import ----------------------------------------------------------------------------

    def inspect(self, path: Path, options: ImportOptions | None = None) -> FileLayout:
        """Sheets of a file with their header rows and column meanings (for the wizard)."""
        options = options or ImportOptions()
        forgotten = self._forgotten
        digest = _digest(path)
        sheets = read_file(path)
        with self._inspected_lock:
            if digest is not None and forgotten == self._forgotten:
                while len(self._inspected) >= KEEP_INSPECTED:
                    del self._inspected[next(iter(self._inspected))]
                self._inspected[path] = (digest, sheets)
        return FileLayout(
            path, tuple(sheet_layout(sh, options.mappings, self._store) for sh in sheets)
        )

    def forget_files(self) -> None:
        """Drop the sheets kept from `inspect` (the wizard closed without planning)."""
        with self._inspected_lock:
            self._forgotten += 1
            self._inspected.clear()

    def _read(self, path: Path) -> list[SheetData]:
        """The file's sheets: those `inspect` read when the file has not changed since."""
        with self._inspected_lock:
            kept = self._inspected.pop(path, None)
        if kept is not None and kept[0] == _digest(path):
            return kept[1]
        return read_file(path)

    def remember(self, signature: str, mapping: dict[str, Field | None]) -> None:
        """Keep a hand-made mapping for the next file with the same headers."""
        self._store.put(signature, {normalize_header(k): v for k, v in mapping.items()})

    def plan(
        self,
        paths: Sequence[Path],
        options: ImportOptions | None = None,
        progress: Progress = no_progress,
        cancelled: IsCancelled = never_cancelled,
    ) -> ImportPlan:
        """Read the files and decide every row's fate; writes nothing."""
        options = options or ImportOptions()
        with gc_paused():
            parsed = parse_files(
                paths, options, self._store, progress, cancelled, reader=self._read
            )
            with self._sessions() as s:
                preferred = community_id(s, options.community)
                matched = match(s, parsed.records, preferred)
                if matched.new_compounds and preferred is None and not options.community:
                    raise NoCommunity()
            preview = _preview(parsed, matched)
            if not any(preview.counts.values()):
                names = "、".join(Path(p).name for p in paths)
                raise NoRosterFound(
                    f"文件中没有住户数据：{names}（空文件，或没有可识别的表头和数据行），未导入任何内容。"
                )
            return ImportPlan(tuple(paths), options, parsed, preview, matched)

    def commit(
        self,
        plan: ImportPlan,
        progress: Progress = no_progress,
        cancelled: IsCancelled = never_cancelled,
    ) -> ImportResult:
        """Write the plan in one transaction; Cancel or any failure leaves everything as it was.

        The rows are matched again inside the transaction, so changes made since the preview
        are respected (a room added meanwhile becomes an update, not a duplicate).
        """
        require(self._actor, Permission.IMPORT_ROSTER)
        with gc_paused(), self._sessions.begin() as s:
            preferred = _community_for(s, plan.options.community, self._actor)
            matched = _rematch(s, plan, preferred)
            if matched.new_compounds and preferred is None:
                raise NoCommunity()
            total = len(matched.creates) + len(matched.updates) or 1
            progress(0, total)
            check_cancelled(cancelled)
            _create_compounds(s, matched, preferred)
            _create_buildings(s, matched)
            with indexes_deferred(s.connection(), HOUSEHOLD, len(matched.creates)):
                created, updated = self._write_households(s, matched, progress, cancelled, total)
            result = ImportResult(
                created_compounds=len(matched.new_compounds),
                created_buildings=len(matched.new_buildings),
                created=created,
                updated=updated,
                unchanged=matched.unchanged,
                skipped=sum(1 for r in plan.parsed.others if r.fate is Fate.SKIPPED),
                rejected=sum(1 for r in plan.parsed.others if r.fate is Fate.REJECTED),
            )
            audit.record(
                s,
                self._actor,
                "import",
                "household",
                None,
                after={"created": created, "updated": updated},
                note="导入花名册：" + "、".join(p.name for p in plan.paths),
            )
            check_cancelled(cancelled)
        progress(total, total)
        return result

    def _write_households(
        self,
        s: Session,
        matched: Matched,
        progress: Progress,
        cancelled: IsCancelled,
        total: int,
    ) -> tuple[int, int]:
        table = HOUSEHOLD
        done = 0
        names = NamePinyin()
        creates = matched.creates
        for start in range(0, len(creates), BATCH):
            rows = _new_households(creates[start : start + BATCH], matched, names)
            check_households(rows)
            with checks_done_by_caller(s.connection()):
                insert_rows(s.connection(), table, INSERT_COLUMNS, rows)
            done += len(rows)
            check_cancelled(cancelled)
            progress(done, total)
        updates = matched.updates
        for start in range(0, len(updates), BATCH):
            batch = []
            names.learn(record.name for record, _id, _values in updates[start : start + BATCH])
            for record, household_id, values in updates[start : start + BATCH]:
                row = dict(values, hid=household_id)
                row["householder_pinyin"], row["householder_initials"] = names(record.name)
                batch.append(row)
                self._audit_update(s, matched, household_id, values)
            stmt = update(table).where(table.c.id == bindparam("hid"))
            # an import is a save too: an open household form no longer saves over it
            s.execute(stmt.values(version=table.c.version + 1), batch)
            done += len(batch)
            check_cancelled(cancelled)
            progress(done, total)
        return len(creates), len(updates)

    def _audit_update(
        self, s: Session, matched: Matched, household_id: int, values: dict[str, Any]
    ) -> None:
        old = matched.before[household_id]
        before = {"householder_name": old.name, "id_number": old.id_number, "phone": old.phone}
        after = {k: values[k] for k in before}
        old_changed, new_changed = audit.changed(before, after)
        if new_changed:
            audit.record(
                s, self._actor, "import", "household", household_id,
                before=old_changed, after=new_changed,
            )  # fmt: skip

    # -- files -----------------------------------------------------------------------------

    def write_rejects(self, preview: ImportPreview, out: Path) -> int:
        """The rejected rows as an .xlsx (original columns plus 行号 and 原因)."""
        return write_rejects(preview, out)

    def write_template(self, out: Path) -> None:
        write_template(out)

    # -- export ----------------------------------------------------------------------------

    def compound_ids(self, name: str) -> list[int]:
        """Ids of the compounds with this name (one per community at most)."""
        with self._sessions() as s:
            ids = list(s.scalars(select(Compound.id).where(Compound.name == fold(name))))
        if not ids:
            raise NotFound(f"没有名为“{name}”的楼院")
        return ids

    def export(
        self,
        out: Path,
        compound_ids: Sequence[int] | None = None,
        *,
        unmasked: bool = False,
        progress: Progress = no_progress,
        cancelled: IsCancelled = never_cancelled,
    ) -> ExportResult:
        # xlsxwriter loads on first export, not at start-up
        from app.roster.export import (
            ExportResult,
            count_households,
            export_query,
            write_roster,
        )

        """The roster of the compounds (all when None), masked unless asked and allowed.

        An unmasked export is recorded in the audit log.
        """
        if unmasked:
            require(self._actor, Permission.UNMASKED_OUTPUT)
        with self._sessions() as s:
            total = count_households(s, compound_ids)
            progress(0, total)
            rows = s.execute(export_query(compound_ids).execution_options(yield_per=5000))
            compounds, households = write_roster(
                out, rows, masked=not unmasked, total=total, progress=progress,
                cancelled=cancelled,
            )  # fmt: skip
        if unmasked:
            disclose(
                self._sessions, self._actor, entity="household",
                after={"households": households, "compounds": compounds},
                note=f"导出未脱敏花名册：{out.name}",
            )  # fmt: skip
        progress(total, total)
        return ExportResult(out, compounds, households, not unmasked)


class NamePinyin:
    """Pinyin of names, a character at a time: thousands of names, a few hundred characters.

    Per character, as names are read (no phrase context), matching `pinyin_of` for names.
    Each character is looked up once per import; a name's pinyin and initials are then two
    `str.translate` calls over tables of the characters seen so far.
    """

    def __init__(self) -> None:
        self._full: dict[int, str] = {}
        self._initials: dict[int, str] = {}

    def learn(self, names: Iterable[str]) -> None:
        """Look up the characters of `names` not seen yet (before calling for them)."""
        for ch in set("".join(names)):
            if ord(ch) not in self._full:
                self._full[ord(ch)], self._initials[ord(ch)] = pinyin_of(ch)

    def __call__(self, name: str) -> tuple[str, str]:
        """Full pinyin and initials of a name whose characters were learnt."""
        return name.translate(self._full), name.translate(self._initials)


def _new_households(
    records: Sequence[Record], matched: Matched, names: NamePinyin
) -> list[tuple[Any, ...]]:
    """INSERT rows (INSERT_COLUMNS order) of new households; a room's floor once per room."""
    compound_ids, building_ids = matched.compound_ids, matched.building_ids
    floors: dict[str, int | None] = {}
    names.learn(r.name for r in records)
    rows = []
    for r in records:
        floor = floors.get(r.room, -1)
        if floor == -1:
            floor = floors[r.room] = floor_of_room(r.room)
        rows.append(
            (
                compound_ids[r.compound], building_ids[(r.compound, r.building)], r.unit, r.room,
                floor, r.area_centi, r.name, r.id_number, r.phone,
                "自住" if r.status is None else r.status, "" if r.notes is None else r.notes,
                *names(r.name),
            )
        )  # fmt: skip
    return rows


HOUSEHOLD = cast(Table, Household.__table__)
# The household table's CHECK constraints, as `check_households` checks them.
HOUSEHOLD_CHECKS = ("status IN ('自住', '出租', '空置', '商铺')", "area_centi > 0")

# The order of the tuples `_new_households` makes.
INSERT_COLUMNS = (
    "compound_id", "building_id", "unit", "room", "floor", "area_centi", "householder_name",
    "id_number", "phone", "status", "notes", "householder_pinyin", "householder_initials",
)  # fmt: skip


def check_households(rows: list[tuple[Any, ...]]) -> None:
    """The household table's CHECK constraints on rows in INSERT_COLUMNS order, once per
    distinct status: what SQLite would check row by row (see `checks_done_by_caller`).

    Raises:
        ValueError: a row the database would refuse (the import's validation lets none through).
    """
    statuses = {row[_STATUS_AT] for row in rows}
    if not statuses <= set(HOUSEHOLD_STATUSES) or min(row[_AREA_AT] for row in rows) <= 0:
        raise ValueError(f"household rows break a CHECK constraint: {HOUSEHOLD_CHECKS}")


_STATUS_AT, _AREA_AT = INSERT_COLUMNS.index("status"), INSERT_COLUMNS.index("area_centi")


def _digest(path: Path) -> bytes | None:
    """A digest of the file's bytes (a file copied over another may keep size and time;
    hashing 10 MB takes about 20 ms, reading it as a roster seconds)."""
    try:
        return hashlib.blake2b(path.read_bytes(), digest_size=16).digest()
    except OSError:
        return None


def _rematch(s: Session, plan: ImportPlan, preferred: int | None) -> Matched:
    """The plan's fates when the database still holds what they were decided on, else anew."""
    records = plan.parsed.records
    state = snapshot(s, record_names(records), preferred)
    before = plan.matched
    if before is not None and before.snapshot == state:
        return reuse(before)
    return match(s, records, preferred, previews=False, state=state)


def _community_for(s: Session, name: str, actor: Actor) -> int | None:
    """The named community, created (under the first street) when the database lacks it."""
    found = community_id(s, name)
    if found is not None or not name:
        return found
    street = s.scalars(select(Street.id).order_by(Street.id).limit(1)).first()
    if street is None:
        street_row = Street(name="未指定街道")
        s.add(street_row)
        s.flush()
        street = street_row.id
    community = Community(street_id=street, name=name)
    s.add(community)
    s.flush()
    audit.record(s, actor, "create", "community", community.id, after={"name": name})
    return community.id


def _create_compounds(s: Session, matched: Matched, community: int | None) -> None:
    if not matched.new_compounds:
        return
    assert community is not None
    rows = []
    for name in matched.new_compounds:
        full, initials = pinyin_of(name)
        rows.append(
            {
                "community_id": community,
                "name": name,
                "name_pinyin": full,
                "name_initials": initials,
            }
        )
    s.execute(insert(Compound), rows)
    found = s.execute(
        select(Compound.name, Compound.id).where(
            Compound.community_id == community, Compound.name.in_(matched.new_compounds)
        )
    )
    matched.compound_ids.update((name, cid) for name, cid in found)


def _create_buildings(s: Session, matched: Matched) -> None:
    if not matched.new_buildings:
        return
    rows = [
        {"compound_id": matched.compound_ids[c], "name": b, "sort_key": sort_key_of(b)}
        for c, b in matched.new_buildings
    ]
    s.execute(insert(Building), rows)
    ids = {cid: name for name, cid in matched.compound_ids.items()}
    found = s.execute(
        select(Building.compound_id, Building.name, Building.id).where(
            Building.compound_id.in_(sorted({r["compound_id"] for r in rows}))
        )
    )
    for cid, bname, bid in found:
        matched.building_ids[(ids[cid], bname)] = bid


def _preview(parsed: Parsed, matched: Matched) -> ImportPreview:
    rows = sorted([*matched.rows, *parsed.others], key=lambda r: (r.file, r.sheet, r.row))
    counts = Counter(r.fate for r in rows)
    return ImportPreview(
        rows=tuple(rows),
        counts={fate: counts.get(fate, 0) for fate in Fate},
        warnings=sum(1 for r in matched.rows if r.warnings),
        new_compounds=tuple(sorted(matched.new_compounds, key=natural_key)),
        existing_compounds=tuple(
            sorted(matched.compound_ids.keys() - set(matched.new_compounds), key=natural_key)
        ),
        new_buildings=tuple(
            f"{c} {b}号楼"
            for c, b in sorted(matched.new_buildings, key=lambda cb: natural_key(" ".join(cb)))
        ),
        sources=tuple(parsed.sources),
        skipped_sheets=tuple(parsed.skipped_sheets),
    )


def preview_rows_of(preview: ImportPreview, fate: Fate) -> list[RowPreview]:
    return [r for r in preview.rows if r.fate is fate]


def build_roster_service(sessions: sessionmaker[Session], actor: Actor) -> RosterService:
    """The service with header mappings remembered in the user data folder."""
    from app.config import data_dir

    return RosterService(sessions, actor, MappingStore(data_dir() / "roster_mappings.json"))
