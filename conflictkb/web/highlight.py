"""Cutting a document's text into plain and highlighted parts, for templates to escape and show."""

from __future__ import annotations

from dataclasses import dataclass


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
