"""The roster import as the window walks it, without Qt: file → sheets → columns → preview →
import → rejects. The wizard's pages each drive one step of one `ImportFlow` (and nothing
else); tests drive it headless.

The slow steps (reading the files, the preview, the import) come as jobs
`job(progress, cancelled)` for the task runner; each job captures what it needs when it is
made, so the state is only read and written on the caller's thread, in the `*_done` methods.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from app.jobs import IsCancelled, Progress
from app.roster.columns import normalize_header
from app.roster.dto import Field, FileLayout, ImportOptions, ImportResult, SheetLayout
from app.roster.errors import DuplicateMapping
from app.roster.service import ImportPlan, RosterService

SEPARATOR = "; "  # between files in a path text

Job = Callable[[Progress, IsCancelled], object]


def parse_paths(text: str) -> list[Path]:
    """The files of a path text: several are separated by semicolons (also full-width)."""
    text = text.replace("；", ";")
    return [Path(part.strip()) for part in text.split(";") if part.strip()]


def paths_text(paths: Iterable[Path]) -> str:
    return SEPARATOR.join(str(p) for p in paths)


def together(layouts: Sequence[FileLayout]) -> FileLayout:
    """The sheets of several files as one list, each sheet named with its file."""
    if len(layouts) == 1:
        return layouts[0]
    sheets = tuple(
        replace(sheet, name=f"{layout.path.name} / {sheet.name}")
        for layout in layouts
        for sheet in layout.sheets
    )
    return FileLayout(layouts[0].path, sheets)


@dataclass
class ImportFlow:
    """One import under way. A step done again drops what the later steps made of it."""

    rosters: RosterService
    paths: list[Path] = field(default_factory=list)
    community: str = ""  # of compounds new to the database
    default_compound: str = ""  # when the file has no compound column
    file_layout: FileLayout | None = None
    mappings: dict[str, dict[str, Field | None]] = field(default_factory=dict)
    plan: ImportPlan | None = None
    result: ImportResult | None = None

    # -- the file -------------------------------------------------------------------------

    @property
    def path(self) -> Path:
        """The first file (it names the file of rejected rows)."""
        return self.paths[0] if self.paths else Path()

    def files_exist(self) -> bool:
        return bool(self.paths) and all(p.is_file() for p in self.paths)

    def file_key(self) -> tuple[tuple[str, int], ...] | None:
        """The files as they are now: another file, or one saved again, is read anew."""
        try:
            return tuple((str(p.resolve()), p.stat().st_mtime_ns) for p in self.paths)
        except OSError:
            return None

    def options(self) -> ImportOptions:
        return ImportOptions(
            community=self.community.strip(),
            default_compound=self.default_compound.strip(),
            mappings=dict(self.mappings),
        )

    def read_job(self) -> Job:
        """Read the files' sheets and headers (a 30,000-row roster takes a second)."""
        paths, options, rosters = list(self.paths), self.options(), self.rosters
        return lambda _progress, _cancelled: [rosters.inspect(p, options) for p in paths]

    def read_done(self, layouts: Sequence[FileLayout]) -> bool:
        """Keep what was read; False (and nothing kept) when no sheet holds a roster."""
        layout = together(layouts)
        self.mappings = {}
        self.plan = None
        self.result = None
        if not any(s.is_roster for s in layout.sheets):
            self.file_layout = None
            return False
        self.file_layout = layout
        return True

    # -- sheets and columns -----------------------------------------------------------------

    @property
    def sheets(self) -> tuple[SheetLayout, ...]:
        return self.file_layout.sheets if self.file_layout is not None else ()

    def first_roster_sheet(self) -> int:
        return next(i for i, s in enumerate(self.sheets) if s.is_roster)

    def header_rows(self) -> list[SheetLayout]:
        """One sheet per distinct header row (the columns the clerk places)."""
        seen: dict[str, SheetLayout] = {}
        for sheet in self.sheets:
            if sheet.is_roster and sheet.signature not in seen:
                seen[sheet.signature] = sheet
        return list(seen.values())

    def choose_columns(
        self, chosen: dict[str, list[tuple[str, Field | None]]], *, remember: bool
    ) -> None:
        """The field of each column (header text) of each header row (signature).

        Raises:
            DuplicateMapping: two columns of one header row on the same field (nothing kept).
        """
        mappings: dict[str, dict[str, Field | None]] = {}
        for signature, columns in chosen.items():
            mapping = {normalize_header(header): f for header, f in columns}
            fields = [f for f in mapping.values() if f is not None]
            if len(fields) != len(set(fields)):
                raise DuplicateMapping()
            mappings[signature] = mapping
        if remember:
            for signature, mapping in mappings.items():
                self.rosters.remember(signature, mapping)
        self.mappings = mappings

    # -- preview and import -----------------------------------------------------------------

    def plan_job(self) -> Job:
        """The preview: each row's fate, nothing written."""
        self.plan = None
        self.result = None
        paths, options, rosters = list(self.paths), self.options(), self.rosters
        return lambda progress, cancelled: rosters.plan(paths, options, progress, cancelled)

    def plan_done(self, plan: ImportPlan) -> None:
        self.plan = plan

    def writable(self) -> int:
        return self.plan.preview.writable if self.plan is not None else 0

    def commit_job(self) -> Job:
        """The import: all or nothing."""
        if self.plan is None:
            raise ValueError("commit_job before the preview")
        self.result = None
        plan, rosters = self.plan, self.rosters
        return lambda progress, cancelled: rosters.commit(plan, progress, cancelled)

    def commit_done(self, result: ImportResult) -> None:
        self.result = result

    def rejects_name(self) -> Path:
        """Where the rejected rows go unless the clerk says otherwise: beside the file."""
        return self.path.with_name(self.path.stem + "_未导入的行.xlsx")

    def write_rejects(self, out: Path) -> int:
        """The rejected rows with their row number and reason; returns how many."""
        if self.plan is None:
            raise ValueError("write_rejects before the preview")
        return self.rosters.write_rejects(self.plan.preview, out)

    def close(self) -> None:
        """The sheets read for the first step are kept for the preview, not beyond."""
        self.rosters.forget_files()
