"""From files to records: every row parsed, skipped or rejected; duplicates found. No database."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from app.jobs import IsCancelled, Progress, check_cancelled
from app.roster.columns import MappingStore, sheet_layout
from app.roster.dto import (
    Fate,
    Field,
    ImportOptions,
    RowPreview,
    SheetLayout,
    SheetSource,
    Where,
)
from app.roster.fast import plain_records
from app.roster.reader import SheetData, read_file
from app.roster.rows import (
    COMPOUND,
    NAME,
    ROOM,
    Record,
    Rejected,
    RowContext,
    Skipped,
    check_skip,
    compound_from_title,
    parse_row,
    row_columns,
)
from app.roster.values import cell_text


@dataclass
class Parsed:
    """The rows of all files before the database is consulted."""

    records: list[tuple[Where, Record]] = field(default_factory=list)
    # the records' original cells, for the rows rejected as duplicates; dropped after that
    cells: list[list[object]] = field(default_factory=list, repr=False)
    others: list[RowPreview] = field(default_factory=list)  # skipped and rejected
    sources: list[SheetSource] = field(default_factory=list)
    skipped_sheets: list[str] = field(default_factory=list)


def parse_files(
    paths: Sequence[Path],
    options: ImportOptions,
    store: MappingStore,
    progress: Progress,
    cancelled: IsCancelled,
    *,
    reader: Callable[[Path], list[SheetData]] = read_file,
) -> Parsed:
    """Read every file and turn each row into a record, a skip or a rejection."""
    parsed = Parsed()
    for path in paths:
        for sheet in reader(path):
            check_cancelled(cancelled)
            layout = sheet_layout(sheet, options.mappings, store)
            if layout.header_row is None:
                parsed.skipped_sheets.append(f"{path.name} / {sheet.name}")
                continue
            _parse_sheet(parsed, path.name, sheet, layout, options, progress, cancelled)
    _reject_duplicates(parsed)
    parsed.cells = []
    return parsed


def _parse_sheet(  # noqa: PLR0913, PLR0917 - one sheet's parts, kept apart for the caller's loop
    parsed: Parsed,
    file: str,
    sheet: SheetData,
    layout: SheetLayout,
    options: ImportOptions,
    progress: Progress,
    cancelled: IsCancelled,
) -> None:
    assert layout.header_row is not None
    start = layout.header_row + 1
    headers = [_header_text(v) for v in sheet.rows[layout.header_row]]
    parsed.sources.append(SheetSource(file, sheet.name, tuple(headers)))
    mapping = {f: i for i, f in layout.mapping().items()}
    title = [cell_text(v) for row in sheet.rows[: layout.header_row] for v in row if v]
    ctx = RowContext.of(
        options.default_compound or compound_from_title(title), layout.building_from_name, mapping
    )
    total = len(sheet.rows)
    body = sheet.rows[start:]
    cell_columns, text_columns = row_columns(body, ctx)
    plain = plain_records(cell_columns, text_columns, ctx)
    records, originals, name = parsed.records, parsed.cells, sheet.name
    for index, values, record in zip(range(start, total), body, plain, strict=True):
        if index % 2000 == 0:
            check_cancelled(cancelled)
            progress(index, total)
        if record is not None:
            records.append(((file, name, index + 1), record))
            originals.append(values)
            continue
        at = index - start
        texts = [column[at] for column in text_columns]
        if not (texts[ROOM] and texts[NAME]) and not any(v is not None and v != "" for v in values):
            continue
        base = (file, name, index + 1)
        try:
            check_skip(values, texts, ctx)
            record = parse_row([column[at] for column in cell_columns], texts, ctx)
        except Skipped as exc:
            parsed.others.append(
                RowPreview(*base, Fate.SKIPPED, reason=exc.reason, raw=_raw(values))
            )
            continue
        except Rejected as exc:
            column = _column_label(exc.field, mapping, headers)
            parsed.others.append(
                RowPreview(
                    *base,
                    Fate.REJECTED,
                    column=column,
                    reason=exc.reason,
                    raw=_raw(values),
                    compound=texts[COMPOUND] or ctx.compound,
                    room=texts[ROOM],
                    name=texts[NAME],
                )
            )
            continue
        records.append((base, record))
        originals.append(values)


def _header_text(value: object) -> str:
    if isinstance(value, str):
        return "".join(value.split("\n")).strip()
    return cell_text(value)


def _raw(values: list[object]) -> tuple[str, ...]:
    return tuple(cell_text(v) for v in values)


def _column_label(field: Field | None, mapping: dict[Field, int], headers: list[str]) -> str:
    if field is None:
        return ""
    index = mapping.get(field)
    if index is not None and index < len(headers) and headers[index]:
        return headers[index]
    return field.label


def _reject_duplicates(parsed: Parsed) -> None:
    """Every row of a room that appears more than once is rejected: which one is right?"""
    keys = [record[:4] for _base, record in parsed.records]  # record.key, without the call
    if len(set(keys)) == len(keys):
        return
    by_key: dict[tuple[str, str, str, str], list[int]] = defaultdict(list)
    for i, key in enumerate(keys):
        by_key[key].append(i)
    duplicate = {i for rows in by_key.values() if len(rows) > 1 for i in rows}
    if not duplicate:
        return
    kept: list[tuple[Where, Record]] = []
    for i, (base, record) in enumerate(parsed.records):
        if i not in duplicate:
            kept.append((base, record))
            continue
        others = [parsed.records[j][0] for j in by_key[record.key] if j != i]
        where = "、".join(
            f"第{row}行" if (o_file, o_sheet) == base[:2] else f"{o_sheet}第{row}行"
            for o_file, o_sheet, row in others
        )
        parsed.others.append(
            RowPreview(
                *base,
                Fate.REJECTED,
                column="房号",
                reason=f"同一房屋在文件中出现多次（另见{where}），请删去重复的行",
                compound=record.compound,
                building=record.building,
                unit=record.unit,
                room=record.room,
                name=record.name,
                raw=_raw(parsed.cells[i]),
            )
        )
    parsed.records = kept
