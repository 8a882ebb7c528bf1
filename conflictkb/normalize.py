"""Text clean-up for the NLP stages, with a map from every clean character back to the original.

Readers keep the original text untouched, because citations must slice it exactly. The parser,
though, does better on text without hard line wraps, soft hyphens or words split across lines.
``normalize`` makes that clean copy and records, for each of its characters, the index of the
original character it came from; ``NormalizedText.to_original`` turns any clean span back into
an original one.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from conflictkb.model import Span

# Characters that carry no text: soft hyphen, zero-width space/joiners, BOM, word joiner.
_INVISIBLE = "\u00ad\u200b\u200c\u200d\ufeff\u2060"
# A word split by a hyphen at a line end: "move-\nment" -> "movement" (lower-case continuation
# only, so that "Gorno-\nBadakhshan" keeps its hyphen).
_HYPHEN_BREAK = re.compile(r"(?<=[^\W\d_])-[ \t\r]*\n[ \t\r]*(?=[a-z])")
# A compound split at its hyphen ("Gorno-\nBadakhshan") keeps the hyphen, loses the break.
_HYPHEN_COMPOUND = re.compile(r"(?<=[^\W\d_]-)[ \t\r]*\n[ \t\r]*(?=[A-Z])")
_BLANK_LINES = re.compile(r"[ \t\r]*\n(?:[ \t\r]*\n)+[ \t\r]*")
_LINE_BREAK = re.compile(r"[ \t\r]*(?<!\n)\n(?!\n)[ \t\r]*")
# A line shorter than this that ends in a single line break is a heading, caption or list item
# rather than a hard-wrapped line of prose: its break is kept.
_SHORT_LINE = 40
_SPACES = re.compile(r"[ \t\r\u00a0\u2000-\u200a\u202f\u205f\u3000]+")


@dataclass(frozen=True, slots=True)
class NormalizedText:
    """A clean text and, for each of its characters, the original index it came from."""

    text: str
    original: str
    offsets: tuple[int, ...]

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a clean ``[start, end)`` span to the original text (end exclusive)."""
        if end <= start:
            pos = self.offsets[start] if start < len(self.offsets) else len(self.original)
            return pos, pos
        return self.offsets[start], self.offsets[end - 1] + 1

    def edited(self, edits: list[tuple[int, int, str]]) -> NormalizedText:
        """This text with ``[start, end)`` ranges replaced (OCR fixes), the map still pointing home.

        The i-th character of a replacement maps to the i-th original character it replaces (the
        last one when it is longer), and its last character to the last one replaced (when it is
        shorter: "N amangani" -> "Namangani"), so a span over the whole replacement maps to the
        whole original.
        """
        out: list[str] = []
        offsets: list[int] = []
        pos = 0
        for start, end, new in sorted(edits):
            if start < pos or end <= start:
                continue
            out.append(self.text[pos:start])
            offsets.extend(self.offsets[pos:start])
            source = self.offsets[start:end]
            out.append(new)
            last = len(new) - 1
            offsets.extend(source[-1 if i == last else min(i, len(source) - 1)] for i in range(len(new)))
            pos = end
        out.append(self.text[pos:])
        offsets.extend(self.offsets[pos:])
        return NormalizedText("".join(out), self.original, tuple(offsets))

    def span(self, start: int, end: int) -> Span:
        """The original-text Span of a clean span: its text is the original slice, exactly."""
        o_start, o_end = self.to_original(start, end)
        return Span(o_start, o_end, self.original[o_start:o_end])


Replacement = str | Callable[[re.Match[str]], str]


def _apply(text: str, offsets: list[int], pattern: re.Pattern[str], replacement: Replacement) -> tuple[str, list[int]]:
    """Replace every match of ``pattern`` by ``repl``, carrying the offset map along.

    Replacement characters take the original index of the first character they replace, so
    a span that starts or ends on them still maps into the original text.
    """
    out: list[str] = []
    out_offsets: list[int] = []
    last = 0
    for match in pattern.finditer(text):
        out.append(text[last : match.start()])
        out_offsets.extend(offsets[last : match.start()])
        repl = replacement if isinstance(replacement, str) else replacement(match)
        if repl:
            anchor = offsets[match.start()] if match.end() > match.start() else offsets[last]
            out.append(repl)
            out_offsets.extend([anchor] * len(repl))
        last = match.end()
    out.append(text[last:])
    out_offsets.extend(offsets[last:])
    return "".join(out), out_offsets


# Scare quotes around one word of a hyphenated name ("'Afghan'-Arabs"): the name is "Afghan-Arabs".
_QUOTED_IN_COMPOUND = re.compile(r"(?<![\w'‘’])['‘’]([A-Z][\w]+)['’](?=[-–]\w)")


def _unwrap(match: re.Match[str]) -> str:
    """A single line break joins wrapped prose with a space, but ends a short line."""
    text = match.string
    line_start = text.rfind("\n", 0, match.start()) + 1
    return " " if match.start() - line_start >= _SHORT_LINE else "\n"


def normalize(original: str) -> NormalizedText:
    """Make the parser's copy: no invisible characters, unwrapped lines, single spaces.

    Paragraph breaks (blank lines) survive as ``"\\n\\n"`` so that sentence splitting and the
    dateline heuristics still see paragraphs; single line breaks become spaces.
    """
    text = original
    offsets = list(range(len(original)))
    text, offsets = _apply(text, offsets, re.compile(f"[{_INVISIBLE}]"), "")
    text, offsets = _apply(text, offsets, _HYPHEN_BREAK, "")
    text, offsets = _apply(text, offsets, _HYPHEN_COMPOUND, "")
    text, offsets = _apply(text, offsets, _BLANK_LINES, "\n\n")
    text, offsets = _apply(text, offsets, _LINE_BREAK, _unwrap)
    text, offsets = _apply(text, offsets, _SPACES, " ")
    text, offsets = _apply(text, offsets, _QUOTED_IN_COMPOUND, lambda m: m.group(1))
    return NormalizedText(text=text, original=original, offsets=tuple(offsets))
