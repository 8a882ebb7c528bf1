"""Dates as reporting writes them, turned into ISO dates with their precision.

Handles absolute dates ("Feb. 16, 1999", "16 February 1999", "2010-09-21"), partial ones
("February 1999", "in 1998", "late 2001", "the summer of 2001") and, given the document's
publication date, day names and month-day dates without a year ("Sunday", "Aug. 22").
Anything else gives ``None``: a date that is not understood is never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from conflictkb.model import DatePrecision

# The calendar's own words (not domain knowledge), with the abbreviations newsrooms use.
_MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
    "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9,
    "sept": 9, "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12,
    "december": 12,
}  # fmt: skip
_WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_YEAR = r"(?P<year>1[89]\d\d|20\d\d)"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"

_PRECISE: tuple[tuple[str, DatePrecision], ...] = (
    (rf"\b{_YEAR}-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b", "day"),
    (rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", "day"),
    (rf"\b{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b", "day"),
    (rf"\b{_MONTH},?\s+(?:of\s+)?{_YEAR}\b", "month"),
    (rf"\b{_MONTH}\s+{_DAY}\b(?!\s*,?\s*\d)", "day"),
    (rf"\b{_DAY}\s+{_MONTH}(?!\s*,?\s*\d)", "day"),
    (rf"\b{_YEAR}\b(?!s)", "year"),
)
_PATTERNS = tuple((re.compile(p, re.IGNORECASE), prec) for p, prec in _PRECISE)
_MONTH_ONLY = re.compile(
    rf"^(?:(?:in|by|since|until|during|last|this|early|late|mid|the\s+(?:start|end|beginning|middle)\s+of)[\s-]+)*{_MONTH}$",
    re.IGNORECASE,
)
_WEEKDAY = re.compile(r"\b(?:last\s+|on\s+)?(?P<weekday>" + "|".join(_WEEKDAYS) + r")\b", re.IGNORECASE)
_RELATIVE_DAYS = {"today": 0, "yesterday": 1}


@dataclass(frozen=True, slots=True)
class ParsedDate:
    iso: str
    precision: DatePrecision
    # Where in the parsed text the date was read (character offsets into that text).
    start: int
    end: int


def _iso(year: int, month: int | None = None, day: int | None = None) -> str | None:
    if month is None:
        return f"{year:04d}"
    if day is None:
        return f"{year:04d}-{month:02d}" if 1 <= month <= 12 else None
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _year_for(month: int, day: int, reference: date) -> int:
    """The year of a month-day date written without one: the latest not after the reference."""
    year = reference.year
    try:
        return year - 1 if date(year, month, day) > reference else year
    except ValueError:
        return year


def _from_match(match: re.Match[str], precision: DatePrecision, reference: date | None) -> str | None:
    groups = match.groupdict()
    month = _MONTHS.get((groups.get("month") or "").lower().rstrip("."))
    if groups.get("m"):
        month = int(groups["m"])
    raw_day = groups.get("day") or groups.get("d")
    day = int(raw_day) if raw_day else None
    if groups.get("year"):
        year = int(groups["year"])
    elif reference is not None and month is not None and day is not None:
        year = _year_for(month, day, reference)
    else:
        return None
    if precision == "year":
        return _iso(year)
    if precision == "month":
        return _iso(year, month)
    return _iso(year, month, day)


def parse_date(text: str, reference: date | None = None) -> ParsedDate | None:
    """The first date in ``text`` that can be read, most precise pattern first."""
    for pattern, precision in _PATTERNS:
        for match in pattern.finditer(text):
            iso = _from_match(match, precision, reference)
            if iso is not None:
                return ParsedDate(iso, precision, match.start(), match.end())
    if reference is not None:
        return _relative(text, reference)
    return None


def _relative(text: str, reference: date) -> ParsedDate | None:
    """Day names, "yesterday" and lone month names, resolved against the reference date."""
    lowered = text.lower().strip()
    for word, back in _RELATIVE_DAYS.items():
        if re.search(rf"\b{word}\b", lowered):
            return ParsedDate((reference - timedelta(days=back)).isoformat(), "day", 0, len(text))
    weekday = _WEEKDAY.search(text)
    if weekday:
        back = (reference.weekday() - _WEEKDAYS[weekday.group("weekday").lower()]) % 7
        return ParsedDate((reference - timedelta(days=back)).isoformat(), "day", weekday.start(), weekday.end())
    month_only = _MONTH_ONLY.match(" ".join(lowered.split()))
    if month_only:
        month = _MONTHS[month_only.group("month").rstrip(".")]
        year = reference.year if month <= reference.month else reference.year - 1
        return ParsedDate(f"{year:04d}-{month:02d}", "month", 0, len(text))
    return None


def month_named(text: str) -> int | None:
    """The month a phrase names ("May of the same year" -> 5), if it names one."""
    match = re.search(rf"\b{_MONTH}(?![a-z])", text, re.IGNORECASE)
    return _MONTHS.get(match.group("month").lower()) if match else None


def weekdays_named(text: str) -> set[int]:
    """The days of the week a text names (Monday = 0), which a publication day often is."""
    return {_WEEKDAYS[m.group("weekday").lower()] for m in _WEEKDAY.finditer(text)}


def needs_a_day(text: str) -> bool:
    """Does this phrase name a day only relative to another ("Sunday", "yesterday")? It can then be
    resolved only against a reference known to the day."""
    lowered = text.lower()
    return bool(_WEEKDAY.search(text)) or any(re.search(rf"\b{w}\b", lowered) for w in _RELATIVE_DAYS)


def end_of(iso: str) -> date:
    """The last day of a year, month or day: the latest date a partial date allows."""
    parts = [int(p) for p in iso.split("-")]
    if len(parts) == 3:
        return date(*parts)
    if len(parts) == 2:
        year, month = parts
        return date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    return date(parts[0], 12, 31)


def to_date(iso: str | None) -> date | None:
    """A day-precision ISO date as a ``date``; other precisions give ``None``."""
    if not iso or len(iso) != 10:
        return None
    try:
        return date.fromisoformat(iso)
    except ValueError:
        return None


# How far into a document a dateline may stand ("Tuesday, June 17, 2014" under a headline).
DATELINE_CHARS = 400


# A dateline's head: the place in capitals that opens a news story ("DUSHANBE, Tajikistan, ...").
_DATELINE_HEAD = re.compile(r"^[A-Z][A-Z .'-]{2,}\b,")
# A line this short that holds a full date is a date line ("Tuesday, June 17, 2014").
_DATE_LINE_CHARS = 80


def dateline(text: str) -> ParsedDate | None:
    """The document's own full date near its top: a short line holding it ("Tuesday, June 17,
    2014"), or the opening of a dateline ("KABUL, Nov. 20, 2009 (AP) --"). A date inside the story's
    first sentences is the date of an event, not of the document."""
    offset = 0
    for line in text[:DATELINE_CHARS].split("\n"):
        region = line
        if _DATELINE_HEAD.match(line.strip()):
            region = re.split(r"--|—|–|\s-\s|\(|:", line, maxsplit=1)[0]  # the dateline stops at its dash
        if len(region.strip()) <= _DATE_LINE_CHARS:
            for pattern, precision in _PATTERNS[:3]:
                match = pattern.search(region)
                iso = _from_match(match, precision, None) if match else None
                if match and iso is not None:
                    return ParsedDate(iso, precision, offset + match.start(), offset + match.end())
        offset += len(line) + 1
    return None


def is_date_phrase(label: str, text: str) -> bool:
    """A named entity that dates something: a DATE, or a TIME that names its day ("Monday night",
    "yesterday morning")."""
    return label == "DATE" or (label == "TIME" and needs_a_day(text))
