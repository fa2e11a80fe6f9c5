"""Text folding: the fast path for clean text gives exactly what the full fold gives."""

from __future__ import annotations

import gc
import threading
import unicodedata
from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.jobs import gc_paused
from app.roster.values import cell_text
from app.text import fold, is_digits, natural_key, plain


def slow_fold(text: str) -> str:
    return plain(unicodedata.normalize("NFKC", text)).strip()


TEXT = st.text(
    alphabet=st.one_of(
        st.characters(),
        st.sampled_from("　０１２３ＡＢ，。\u00a0\t\n\x00\x1f 王李楼号單元ｶ①㎡"),
    )
)


@given(TEXT)
def test_fold_equals_the_full_fold(text: str) -> None:
    assert fold(text) == slow_fold(text)


@given(TEXT)
def test_cell_text_of_strings_is_the_fold(text: str) -> None:
    expected = plain(text).strip() if text.isascii() else slow_fold(text)
    assert cell_text(text) == expected


def test_fold_examples() -> None:
    assert fold("　３号楼　") == "3号楼"
    assert fold("王\x00伟") == "王伟"
    assert fold("  101 ") == "101"
    assert cell_text("a\x07b ") == "ab"


@pytest.fixture
def python_collects() -> Iterator[None]:
    """Python's own collector on (the window's tests turn it off for theirs)."""
    was_enabled = gc.isenabled()
    gc.enable()
    yield
    if not was_enabled:
        gc.disable()


@pytest.mark.usefixtures("python_collects")
def test_gc_paused_nests_and_restores() -> None:
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


@pytest.mark.usefixtures("python_collects")
def test_gc_paused_leaves_a_disabled_collector_disabled() -> None:
    gc.disable()
    try:
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


@pytest.mark.usefixtures("python_collects")
def test_gc_paused_across_threads() -> None:
    """Two jobs overlapping on two threads: the collector returns when the later one ends."""
    inside, release = threading.Event(), threading.Event()

    def job() -> None:
        with gc_paused():
            inside.set()
            release.wait(5)

    worker = threading.Thread(target=job)
    worker.start()
    inside.wait(5)
    with gc_paused():
        pass
    assert not gc.isenabled()  # the worker's job still runs
    release.set()
    worker.join(5)
    assert gc.isenabled()


def test_natural_key_reads_numbers_as_numbers() -> None:
    names = ["第10楼院", "光明院", "第2楼院", "第1楼院", "3号楼", "10号楼", "第1楼院2"]
    assert sorted(names, key=natural_key) == [
        "3号楼", "10号楼", "光明院", "第1楼院", "第1楼院2", "第2楼院", "第10楼院",
    ]  # fmt: skip


@given(st.lists(st.text(alphabet="第院楼0123456789a", max_size=6)))
def test_natural_key_orders_any_names(names: list[str]) -> None:
    ordered = sorted(names, key=natural_key)  # no TypeError: numbers meet numbers
    assert sorted(ordered) == sorted(names)


def test_is_digits_takes_only_what_int_takes() -> None:
    assert is_digits("0123456789")
    for text in ("", "❶", "12²", "١٢", "1 2", "-1", "1.0"):
        assert not is_digits(text)
    assert all(int(t) >= 0 for t in ("0", "42") if is_digits(t))


def test_exemption_percent_in_odd_digits_is_a_message() -> None:
    from app.fees.errors import FeeError
    from app.fees.schemes import exemption_from_text

    for text in ("空置=❶%", "空置=❺0%"):
        with pytest.raises(FeeError, match="1～100"):
            exemption_from_text(text)
