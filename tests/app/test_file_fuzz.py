"""Property-based: every file the program reads, however broken or hostile, gives a result or
one message, never a crash, and reading it stays far under 300 MB.

Files: rosters (.xlsx, .xls, .csv, also through the command line), backups (what restore
reads first), settings.json and roster_mappings.json. Example counts are bounded so the suite
stays fast; memory is measured per example with tracemalloc (Python's heap) and for the whole
test with the process's peak RSS growth (which also sees the spreadsheet reader's own heap).
"""

from __future__ import annotations

import json
import resource
import sqlite3
import sys
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from hostile_files import SHEET_HEAD, SHEET_TAIL, write_xlsx  # noqa: E402

from app.backup import BackupError, inspect_backup  # noqa: E402
from app.errors import AppError  # noqa: E402
from app.program_settings import ProgramSettings, load_settings  # noqa: E402
from app.roster.columns import MappingStore  # noqa: E402
from app.roster.reader import read_file  # noqa: E402

LIMIT = 300 * 1024 * 1024
FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _rss() -> int:
    scale = 1 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, KB elsewhere
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale


@pytest.fixture
def memory() -> Iterator[Callable[[Callable[[], object]], object]]:
    """Run a call under tracemalloc and check its peak; at the end, the RSS growth."""
    before = _rss()

    def run(call: Callable[[], object]) -> object:
        tracemalloc.start()
        try:
            return call()
        finally:
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            assert peak < LIMIT, f"peak {peak / 2**20:.0f} MB"

    yield run
    assert _rss() - before < LIMIT


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner),
    max_leaves=20,
)
SETTING_KEYS = [
    "backup_keep", "backup_folder", "backup_on_exit", "backup_daily", "max_failed_logins",
    "lockout_minutes",
]  # fmt: skip
settings_files = st.one_of(
    st.binary(max_size=300),
    json_values.map(lambda v: json.dumps(v).encode()),
    st.dictionaries(st.sampled_from(SETTING_KEYS), json_values).map(
        lambda d: json.dumps(d).encode()
    ),
    st.integers(1, 5000).map(lambda n: b"[" * n + b"]" * n),  # deep nesting
    st.sampled_from(
        [
            b'{"lockout_minutes": 100000000000000000000}',
            b'{"backup_keep": -5, "max_failed_logins": 0}',
            b'{"backup_folder": "a\\u0000b"}',
            b"\xff\xfe{}",
        ]
    ),
)


@FUZZ
@given(data=settings_files)
def test_settings_json(tmp_path: Path, memory, data: bytes) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "settings.json"
    path.write_bytes(data)
    loaded = memory(lambda: load_settings(path))
    assert isinstance(loaded, ProgramSettings)
    policy = loaded.login_policy()  # what sign-in uses: must work with any file
    assert 1 <= policy.max_failures <= 100 and 1 <= policy.lockout_minutes <= 1440
    assert 1 <= loaded.backup_keep <= 1000
    loaded.backup_dir()


@FUZZ
@given(
    data=st.one_of(st.binary(max_size=300), json_values.map(lambda v: json.dumps(v).encode())),
    signature=st.text(max_size=10),
)
def test_remembered_mappings(tmp_path: Path, memory, data: bytes, signature: str) -> None:  # type: ignore[no-untyped-def]
    from app.roster.dto import Field

    path = tmp_path / "roster_mappings.json"
    path.write_bytes(data)
    store = MappingStore(path)
    found = memory(lambda: store.get(signature))
    assert found is None or isinstance(found, dict)
    store.put("楼号|房号", {"楼号": Field.BUILDING, "杂项": None})  # still writable after
    assert store.get("楼号|房号") == {"楼号": Field.BUILDING, "杂项": None}


refs = st.builds(
    lambda col, row: f"{col}{row}",
    st.sampled_from(["A", "B", "Z", "AA", "XFD", "ZZZ"]),
    st.integers(1, 1_048_576),
)
roster_files = st.one_of(
    st.tuples(st.sampled_from([".xlsx", ".xls", ".csv"]), st.binary(max_size=2000)),
    st.tuples(
        st.just(".csv"),
        st.lists(st.lists(st.text(max_size=8), max_size=6), max_size=20).map(
            lambda rows: "\n".join(",".join(r) for r in rows).encode("utf-8")
        ),
    ),
    st.tuples(
        st.just(".xlsx"),
        st.lists(st.tuples(refs, st.text("abc张三<&", max_size=5)), min_size=1, max_size=5),
    ),
)


@FUZZ
@given(file=roster_files)
def test_roster_files(tmp_path: Path, memory, file) -> None:  # type: ignore[no-untyped-def]
    suffix, content = file
    path = tmp_path / f"花名册{suffix}"
    if isinstance(content, list):
        cells = [(ref, "".join(c for c in v if c not in "<&")) for ref, v in content]
        body = "".join(
            f'<row r="{"".join(ch for ch in ref if ch.isdigit())}"><c r="{ref}" '
            f't="inlineStr"><is><t>{v}</t></is></c></row>'
            for ref, v in sorted(cells, key=lambda c: int("".join(x for x in c[0] if x.isdigit())))
        )
        write_xlsx(path, SHEET_HEAD + body + SHEET_TAIL)
    else:
        path.write_bytes(content)

    def read() -> object:
        try:
            return read_file(path)
        except AppError as exc:
            assert exc.message and "\n" not in exc.message.strip()
            return exc

    memory(read)


@FUZZ
@given(data=st.binary(max_size=400), suffix=st.sampled_from([".xlsx", ".csv"]))
def test_import_roster_on_the_command_line(
    tmp_path: Path, memory, capsys, *, data: bytes, suffix: str
) -> None:  # type: ignore[no-untyped-def]
    from app.cli import main

    db = tmp_path / "cli.sqlite3"
    path = tmp_path / f"f{suffix}"
    path.write_bytes(data)
    code = memory(lambda: main(["--db", str(db), "import-roster", str(path), "--dry-run"]))
    assert code in (0, 1)
    err = capsys.readouterr().err.strip()
    if code == 1:
        assert err and "Traceback" not in err


@pytest.fixture(scope="module")
def real_backup(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from app.config import DatabaseTarget, to_url
    from app.database import open_database

    path = tmp_path_factory.mktemp("fuzz") / "small.sqlite3"
    db = open_database(DatabaseTarget(to_url(path)))
    db.close()
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA journal_mode=DELETE")
    return path


@FUZZ
@given(
    cuts=st.lists(st.tuples(st.integers(0, 10**6), st.binary(min_size=1, max_size=8)), max_size=6),
    truncate=st.one_of(st.none(), st.integers(0, 10**6)),
    junk=st.binary(max_size=200),
)
def test_backup_files(
    tmp_path: Path, memory, real_backup: Path, *, cuts, truncate, junk: bytes
) -> None:  # type: ignore[no-untyped-def]
    data = bytearray(real_backup.read_bytes())
    for at, patch in cuts:
        at %= len(data)
        data[at : at + len(patch)] = patch
    if truncate is not None:
        data = data[: truncate % (len(data) + 1)]
    path = tmp_path / "backup.sqlite3"
    path.write_bytes(bytes(data) if cuts or truncate is not None else junk or bytes(data))

    def inspect() -> object:
        try:
            return inspect_backup(path)
        except BackupError as exc:
            assert exc.message and "\n" not in exc.message
            return exc

    memory(inspect)
