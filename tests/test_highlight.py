"""``segments``: a document's text cut into plain and highlighted parts that always add up to the text."""

from __future__ import annotations

from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from conflictkb.web.highlight import Part, segments

TEXT = "On March 3, 2009, militants attacked a police post in Kunduz."


def test_no_marks_is_the_whole_text_unmarked() -> None:
    assert segments(TEXT, []) == [Part(TEXT, False, 0)]


def test_empty_text_is_one_empty_part() -> None:
    assert segments("", []) == [Part("", False, 0)]
    assert segments("", [(0, 5)]) == [Part("", False, 0)]


def test_one_mark_in_the_middle() -> None:
    start = TEXT.index("militants")
    end = start + len("militants attacked")
    assert segments(TEXT, [(start, end)]) == [
        Part(TEXT[:start], False, 0),
        Part("militants attacked", True, start),
        Part(TEXT[end:], False, end),
    ]


def test_marks_at_the_edges_leave_no_empty_parts() -> None:
    assert segments(TEXT, [(0, 2)]) == [Part("On", True, 0), Part(TEXT[2:], False, 2)]
    n = len(TEXT)
    assert segments(TEXT, [(n - 7, n)]) == [Part(TEXT[: n - 7], False, 0), Part("Kunduz.", True, n - 7)]
    assert segments(TEXT, [(0, n)]) == [Part(TEXT, True, 0)]


def test_marks_are_clipped_to_the_text() -> None:
    n = len(TEXT)
    assert segments(TEXT, [(-10, 2)]) == [Part("On", True, 0), Part(TEXT[2:], False, 2)]
    assert segments(TEXT, [(n - 7, n + 100)]) == [Part(TEXT[: n - 7], False, 0), Part("Kunduz.", True, n - 7)]
    assert segments(TEXT, [(-5, n + 5)]) == [Part(TEXT, True, 0)]


def test_out_of_range_empty_and_reversed_marks_are_ignored() -> None:
    n = len(TEXT)
    for marks in ([(n, n + 10)], [(n + 5, n + 10)], [(-10, -1)], [(-10, 0)], [(5, 5)], [(8, 3)]):
        assert segments(TEXT, marks) == [Part(TEXT, False, 0)], marks


def test_overlapping_and_touching_marks_merge_into_one_highlight() -> None:
    assert segments("abcdefghij", [(5, 8), (0, 6)]) == [Part("abcdefgh", True, 0), Part("ij", False, 8)]
    assert segments("abcdefghij", [(0, 5), (5, 8)]) == [Part("abcdefgh", True, 0), Part("ij", False, 8)]
    assert segments("abcdefghij", [(1, 9), (3, 4)]) == [
        Part("a", False, 0),
        Part("bcdefghi", True, 1),
        Part("j", False, 9),
    ]


def test_separate_marks_stay_separate() -> None:
    assert segments("abcdefghij", [(6, 8), (1, 3)]) == [
        Part("a", False, 0),
        Part("bc", True, 1),
        Part("def", False, 3),
        Part("gh", True, 6),
        Part("ij", False, 8),
    ]


@st.composite
def text_and_marks(draw: st.DrawFn) -> tuple[str, list[tuple[int, int]]]:
    text = draw(st.text(max_size=40))
    bound = st.integers(min_value=-5, max_value=len(text) + 5)
    marks = draw(st.lists(st.tuples(bound, bound), max_size=6))
    return text, marks


@given(text_and_marks())
def test_parts_always_add_up_to_the_text(case: tuple[str, list[tuple[int, int]]]) -> None:
    text, marks = case
    parts = segments(text, marks)
    assert "".join(p.text for p in parts) == text
    offset = 0
    for part in parts:
        assert part.start == offset
        assert text[part.start : part.start + len(part.text)] == part.text
        offset += len(part.text)
    assert parts, "there is always at least one part"
    if text:
        assert all(p.text for p in parts), "no empty parts in a non-empty text"
    assert all(a.marked != b.marked for a, b in pairwise(parts)), "plain and marked alternate"


@given(text_and_marks())
def test_exactly_the_marked_characters_are_highlighted(case: tuple[str, list[tuple[int, int]]]) -> None:
    text, marks = case
    wanted = {i for s, e in marks for i in range(max(0, s), min(len(text), e))}
    highlighted = {i for p in segments(text, marks) if p.marked for i in range(p.start, p.start + len(p.text))}
    assert highlighted == wanted
