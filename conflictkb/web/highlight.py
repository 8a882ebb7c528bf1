"""Cutting a document's text into plain and highlighted parts, for templates to escape and show:
``segments`` for one highlighted passage, ``layers`` for the reader (passage, evidence, mentions)."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from typing import Any


@dataclass(frozen=True, slots=True)
class Part:
    text: str
    marked: bool
    start: int


def segments(text: str, marks: list[tuple[int, int]]) -> list[Part]:
    """``text`` as consecutive parts; the ``marks`` spans (clipped to the text, merged where they
    overlap or touch) are marked. Plain and marked parts alternate, so no two highlights abut."""
    spans = sorted((max(0, s), min(len(text), e)) for s, e in marks if s < e)
    parts: list[Part] = []
    pos = 0
    for start, end in spans:
        if start >= end:
            continue
        if parts and parts[-1].marked and start <= pos:  # overlaps or touches the last highlight
            if end <= pos:
                continue
            start = parts.pop().start
        if start > pos:
            parts.append(Part(text[pos:start], False, pos))
        parts.append(Part(text[start:end], True, start))
        pos = end
    if pos < len(text) or not parts:
        parts.append(Part(text[pos:], False, pos))
    return parts


@dataclass(frozen=True, slots=True)
class Piece:
    """Innermost layer of the reader: text inside or outside one mention (``mention`` is its data)."""

    text: str
    start: int
    mention: dict[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class Band:
    """Middle layer: a run of text covered by the same events' evidence (none: ``events`` empty)."""

    start: int
    events: tuple[str, ...]
    pieces: list[Piece]


@dataclass(frozen=True, slots=True)
class Block:
    """Outer layer: a part of ``segments`` (marked: the passage a link asked to highlight)."""

    start: int
    marked: bool
    bands: list[Band]


def _bands(text: str, base: int, evidence: list[tuple[int, int, str]]) -> list[tuple[int, int, tuple[str, ...]]]:
    """``text`` (starting at offset ``base``) cut where the set of evidence spans covering it changes."""
    end = base + len(text)
    cuts = {base, end}
    for s, e, _ in evidence:
        if s < end and e > base:
            cuts.update((max(s, base), min(e, end)))
    points = sorted(cuts)
    out: list[tuple[int, int, tuple[str, ...]]] = []
    for lo, hi in pairwise(points):
        covering = tuple(sorted({ev for s, e, ev in evidence if s <= lo and e >= hi}))
        if out and out[-1][2] == covering:
            out[-1] = (out[-1][0], hi, covering)
        else:
            out.append((lo, hi, covering))
    return out or [(base, end, ())]


def _pieces(text: str, base: int, mentions: list[tuple[int, int, dict[str, Any]]]) -> list[Piece]:
    """``text`` (at offset ``base``) cut into plain pieces and mentions; overlapping mentions after
    the first are left plain, and a mention crossing the text's edge keeps the part inside."""
    end = base + len(text)
    out: list[Piece] = []
    pos = base
    for s, e, info in mentions:
        s, e = max(s, base), min(e, end)
        if s >= e or s < pos:
            continue
        if s > pos:
            out.append(Piece(text[pos - base : s - base], pos))
        out.append(Piece(text[s - base : e - base], s, info))
        pos = e
    if pos < end or not out:
        out.append(Piece(text[pos - base :], pos))
    return out


def layers(
    text: str,
    marks: list[tuple[int, int]],
    evidence: list[tuple[int, int, str]],
    mentions: list[tuple[int, int, dict[str, Any]]],
) -> list[Block]:
    """A document's text in three nested layers for the reader: the highlighted passage
    (``segments`` of ``marks``), runs covered by events' evidence ``(start, end, event id)``, and
    ``mentions`` ``(start, end, data)``. Every layer's texts add up to ``text``; each layer is cut
    where an outer one is, so the HTML nests."""
    clipped = sorted((max(0, s), min(len(text), e), ev) for s, e, ev in evidence if s < e)
    ordered = sorted(((s, e, m) for s, e, m in mentions if s < e), key=lambda t: (t[0], -t[1]))
    out: list[Block] = []
    for part in segments(text, marks):
        bands = []
        for lo, hi, events in _bands(part.text, part.start, clipped):
            piece_text = text[lo:hi]
            inside = [m for m in ordered if m[0] < hi and m[1] > lo]
            bands.append(Band(lo, events, _pieces(piece_text, lo, inside)))
        out.append(Block(part.start, part.marked, bands))
    return out
