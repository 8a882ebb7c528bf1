"""A document's timeline: every date it gives, the narrative's current date, its publication date.

Reporting dates events in many ways: absolutely ("Feb. 16, 1999"), partially ("in July"),
relative to the publication ("Sunday", "last week") or to the story so far ("the following
year", "10 years after"). Reading the document in order, this module resolves each date phrase
against what came before (``data/dates.yaml``), infers the publication date when the file does
not say it — from the dateline, or the latest date the text reports, and says which — and tells
each sentence the narrative's current date, which a sentence without a date of its own inherits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from conflictkb.dates import (
    ParsedDate,
    dateline,
    end_of,
    is_date_phrase,
    month_named,
    needs_a_day,
    parse_date,
    weekdays_named,
)
from conflictkb.tolls import words_to_number
from conflictkb.vocab import DATA_DIR, read_yaml


@dataclass(frozen=True, slots=True)
class Rule:
    pattern: re.Pattern[str]
    anchor: str  # narrative | published
    unit: str  # year | month
    offset: int = 0
    sign: int = 0


# How a date was read when it is the date of a statement about the act, which happened then or before.
REPORTED = "the date of a report about it"


@dataclass(frozen=True, slots=True)
class Dated:
    """A date the text gives, where (character offsets in the parsed text), and how it was read."""

    date: ParsedDate
    start: int
    end: int
    how: str  # stated | relative to publication | relative to narrative | inherited


@dataclass
class Timeline:
    """Dates by sentence, and the publication date used to resolve relative ones."""

    published: ParsedDate | None = None
    by_sentence: dict[int, list[Dated]] = field(default_factory=dict)
    current: dict[int, ParsedDate] = field(default_factory=dict)  # the paragraph's date at each sentence
    # The last date stated before each sentence (not one counted from the story, like "the following year").
    story: dict[int, ParsedDate] = field(default_factory=dict)
    latest: ParsedDate | None = None
    # Whether the publication date is the file's or its dateline's (a news story, where undated
    # paragraphs tell the news) rather than inferred from the dates the text reports.
    published_is_stated: bool = False
    # (sentence, start) of the dates that date a statement ("officials said on Saturday").
    statements: set[tuple[int, int]] = field(default_factory=set)
    # The paragraph's date before each sentence's own dates.
    before: dict[int, ParsedDate] = field(default_factory=dict)

    def inherited(self, index: int) -> ParsedDate | None:
        """The date sentence ``index`` would have without dates of its own: the paragraph's so far,
        else (a news story) the month of publication."""
        if index in self.before:
            return self.before[index]
        if self.published_is_stated and self.published is not None:
            return shift(self.published, "month", 0, -1, -1) or self.published
        return None

    def date_for(self, index: int, at: int) -> Dated | None:
        """The date of sentence ``index`` nearest character ``at``; else the paragraph's date; else, in
        a dated news story, the month of publication; else the year the story has reached."""
        found = self.by_sentence.get(index) or []
        told = [d for d in found if (index, d.start) not in self.statements]
        if told:
            return min(told, key=lambda d: abs(d.start - at))
        if found and index in self.current and self.current[index] != found[0].date:
            # "The ministry claimed on August 5 that 11 militants had been killed in the operation":
            # the operation is the paragraph's, dated before; August 5 dates the claim.
            return Dated(self.current[index], -1, -1, "inherited from the paragraph, not the report's date")
        if found:  # only a report's date ("claimed on August 5 that 11 had been killed"): on or before it
            said = min(found, key=lambda d: abs(d.start - at))
            return Dated(said.date, said.start, said.end, REPORTED)
        if index in self.current:
            return Dated(self.current[index], -1, -1, "inherited from the paragraph")
        if self.published_is_stated and self.published is not None:
            month = shift(self.published, "month", 0, -1, -1) or self.published
            return Dated(month, -1, -1, "inherited from the publication")
        if index in self.story:
            year = shift(self.story[index], "year", 0, -1, -1)
            return Dated(year, -1, -1, "inherited from the story") if year else None
        return None


@lru_cache(maxsize=1)
def rules() -> tuple[Rule, ...]:
    data: dict[str, Any] = read_yaml(DATA_DIR / "dates.yaml")
    return tuple(
        Rule(re.compile(str(r["pattern"]), re.IGNORECASE), str(r["anchor"]), str(r["unit"]), int(r.get("offset", 0)),
             int(r.get("sign", 0)))
        for r in data.get("relative") or []
    )  # fmt: skip


@lru_cache(maxsize=1)
def span_openers() -> frozenset[str]:
    """Words before a date that make it the start of a span reaching the present ("since 1991")."""
    data: dict[str, Any] = read_yaml(DATA_DIR / "dates.yaml")
    return frozenset(str(w).lower() for w in data.get("span_openers") or [])


def opens_a_span(ent: SpacySpan) -> bool:
    """Does the date phrase open a span to the present? "who have fought with the Taliban since 1991"
    says nothing of when the paragraph's next "in April" was."""
    first = ent.doc[ent.start - 1] if ent.start > 0 else None
    return ent[0].lower_ in span_openers() or (first is not None and first.lower_ in span_openers())


def _parts(parsed: ParsedDate) -> tuple[int, int, int]:
    pieces = [int(p) for p in parsed.iso.split("-")]
    return pieces[0], pieces[1] if len(pieces) > 1 else 0, pieces[2] if len(pieces) > 2 else 0


def shift(anchor: ParsedDate, unit: str, amount: int, start: int, end: int) -> ParsedDate | None:
    """``anchor`` moved by ``amount`` years, months or days, at most at the unit's precision."""
    year, month, day = _parts(anchor)
    if unit == "day":
        if not day:
            return None
        moved = date(year, month, day) + timedelta(days=amount)
        return ParsedDate(moved.isoformat(), "day", start, end)
    if unit == "year":
        return ParsedDate(f"{year + amount:04d}", "year", start, end)
    if not month:
        return None
    total = year * 12 + (month - 1) + amount
    return ParsedDate(f"{total // 12:04d}-{total % 12 + 1:02d}", "month", start, end)


def _relative(text: str, anchors: dict[str, ParsedDate | None], start: int, end: int) -> tuple[ParsedDate, str] | None:
    for rule in rules():
        match = rule.pattern.search(text)
        anchor = anchors.get(rule.anchor)
        if match is None or anchor is None:
            continue
        amount = rule.offset
        if rule.sign:
            number = words_to_number(match.group("n")) if "n" in match.groupdict() else None
            if number is None:
                continue
            amount = rule.sign * number
        moved = shift(anchor, rule.unit, amount, start, end)
        if moved is not None:
            return moved, f"relative to {rule.anchor}"
    return None


def read_date(ent: SpacySpan, anchors: dict[str, ParsedDate | None]) -> Dated | None:
    """One DATE phrase: stated outright; a day or month without a year ("On 2 April", "in July") in
    the year the paragraph is telling of, or else the latest such day or month before publication;
    a day name only against a publication day; or relative to the story so far ("the following
    year", "10 years after")."""
    start, end = ent.start_char, ent.end_char
    absolute = parse_date(ent.text)
    if absolute is not None:
        return Dated(ParsedDate(absolute.iso, absolute.precision, start, end), start, end, "stated")
    paragraph = anchors.get("paragraph")
    if paragraph is not None and not needs_a_day(ent.text):
        in_year = parse_date(ent.text, date(int(paragraph.iso[:4]), 12, 31))
        if in_year is not None and in_year.precision != "year":
            return Dated(ParsedDate(in_year.iso, in_year.precision, start, end), start, end, "in the paragraph's year")
    published = anchors.get("published")
    if published is not None and (published.precision == "day" or not needs_a_day(ent.text)):
        resolved = parse_date(ent.text, end_of(published.iso))
        if resolved is not None:
            return Dated(
                ParsedDate(resolved.iso, resolved.precision, start, end), start, end, "relative to publication"
            )
    window = ent.doc[ent.start : min(ent.end + 2, len(ent.doc))].text
    relative = _relative(window, anchors, start, end)
    if relative is None:
        return None
    month = month_named(ent.text) if relative[0].precision == "year" else None
    if month is not None:  # "in May of the same year": that year's May
        return Dated(ParsedDate(f"{relative[0].iso}-{month:02d}", "month", start, end), start, end, relative[1])
    return Dated(relative[0], start, end, relative[1])


def relative_phrases(sent: SpacySpan, anchors: dict[str, ParsedDate | None]) -> list[Dated]:
    """Relative date phrases the parser did not mark as dates ("later that day", "the following
    year"), found in the sentence's words."""
    found = []
    for rule in rules():
        for match in rule.pattern.finditer(sent.text):
            start, end = sent.start_char + match.start(), sent.start_char + match.end()
            resolved = _relative(match.group(), anchors, start, end)
            if resolved is not None:
                found.append(Dated(resolved[0], start, end, resolved[1]))
    return found[:1]


def _later(a: ParsedDate | None, b: ParsedDate) -> bool:
    return a is None or _parts(b) > _parts(a)


def build(
    doc: Doc,
    published: ParsedDate | None,
    published_is_stated: bool = False,
    speech_verbs: frozenset[str] = frozenset(),
) -> Timeline:
    """Read every date of the document in order; the narrative date carries within a paragraph. A
    date of a statement ("health officials said on Saturday") dates what is said in its sentence
    if nothing else does, but the story's time does not move to it: "two days later" counts from
    the attack, not from the day it was reported."""
    timeline = Timeline(published=published, published_is_stated=published_is_stated)
    narrative: ParsedDate | None = None  # the paragraph's current date, which undated sentences inherit
    story: ParsedDate | None = None  # the last date given anywhere so far, which "10 years after" counts from
    # The last date stated outright (or against the publication), which undated paragraphs inherit: a
    # paragraph's aside "the following year, 73 were arrested" does not move the next paragraph on.
    carried: ParsedDate | None = None
    for index, sent in enumerate(doc.sents):
        if starts_paragraph(sent):
            narrative = None
        if narrative is not None:
            timeline.before[index] = narrative
        found = []
        anchors = {"published": published, "narrative": story, "paragraph": narrative}
        dated_here, spans = [], []
        for ent in (e for e in sent.ents if is_date_phrase(e.label_, e.text)):
            reading = read_date(ent, anchors)
            if reading is not None and opens_a_span(ent):
                spans.append(reading)
            elif reading is not None:  # "In 1999 ..., and the following year ...": counted from the last
                dated_here.append(reading)
                anchors = {**anchors, "narrative": reading.date, "paragraph": reading.date}
        dated_here += [
            r for r in relative_phrases(sent, anchors) if not any(d.start <= r.start < d.end for d in dated_here)
        ]
        for dated in dated_here:
            found.append(dated)
            if _dates_a_statement(doc, dated, speech_verbs):
                timeline.statements.add((index, dated.start))
                if len(dated_here) > 1 or narrative is not None:
                    continue  # the story stays where it was: the report's day is not the story's
            narrative = story = dated.date
            if dated.how != "relative to narrative" and not _in_an_aside(doc, dated):
                carried = dated.date
            if _later(timeline.latest, dated.date):
                timeline.latest = dated.date
        timeline.by_sentence[index] = sorted([*found, *spans], key=lambda d: d.start)
        if narrative is not None:
            timeline.current[index] = narrative
        if carried is not None:
            timeline.story[index] = carried
    return timeline


def _in_an_aside(doc: Doc, dated: Dated) -> bool:
    """Does the date belong to a clause that describes a noun ("similar allegations to ones made in
    1999 and 2000", "the IMU, which was founded in 1998") rather than to the sentence's own act?"""
    span = doc.char_span(dated.start, dated.end, alignment_mode="expand")
    if span is None:
        return False
    head = span.root
    while head.dep_ in ("pobj", "prep", "conj", "cc", "npadvmod", "nummod") and head.head.i != head.i:
        head = head.head
    return head.dep_ in ("relcl", "acl")


def _dates_a_statement(doc: Doc, dated: Dated, speech_verbs: frozenset[str]) -> bool:
    """Is the date that of a verb of saying ("said on Saturday", "told reporters Monday")?"""
    span = doc.char_span(dated.start, dated.end, alignment_mode="expand")
    if span is None or not speech_verbs:
        return False
    head = span.root.head
    if head.dep_ == "prep" and head.i != span.root.i:
        head = head.head
    return head.pos_ == "VERB" and head.lemma_.lower() in speech_verbs


def starts_paragraph(sent: SpacySpan) -> bool:
    return sent.start == 0 or "\n\n" in sent.doc[sent.start - 1].text_with_ws or "\n\n" in sent.doc[sent.start - 1].text


def infer_published(
    doc: Doc, text: str, term: tuple[int, int | None] | None = None
) -> tuple[ParsedDate | None, str | None]:
    """The publication date when the file's metadata had none: a full dateline, else a dateline's
    month and day in the year of the latest date reported (when that fits) or in the term of an
    office-holder the story names (``term``, the one that began last), else the latest date the
    text reports. Returns the date and its basis."""
    full = dateline(text)
    if full is not None:
        return full, "dateline"
    latest = build(doc, None).latest
    month_day = _dateline_month_day(text)
    if month_day is not None:
        return _dateline_year(month_day, latest, term, weekdays_named(text))
    if latest is None:
        return None, None
    return ParsedDate(latest.iso, latest.precision, 0, 0), "latest date reported"


def _dateline_year(
    month_day: tuple[int, int], latest: ParsedDate | None, term: tuple[int, int | None] | None, weekdays: set[int]
) -> tuple[ParsedDate | None, str | None]:
    """A dateline's month and day ("Sept. 21") in a year. When the story names an office-holder whose
    term began after the latest date it reports: the one year of that term (to its end, or six years
    on) on which the day falls on a day of the week the text names ("reported Tuesday"), or the
    term's only year; several would be a guess. Else the year of the latest date reported, when the
    dateline is not before it. Else the year is unknown: a guessed year would date every "Sunday"."""
    month, day = month_day
    floor = int(latest.iso[:4]) if latest is not None else None
    if term is not None and (floor is None or term[0] > floor):
        first, last = term[0], term[1] if term[1] is not None else term[0] + 6
        days = [d for d in (_day_in(y, month, day) for y in range(first, last + 1)) if d is not None]
        named = [d for d in days if d.weekday() in weekdays]
        if len(named) == 1:
            basis = "dateline (day and month) in the term of an office-holder named, on a weekday named"
            return ParsedDate(named[0].isoformat(), "day", 0, 0), basis
        if len(days) == 1 and not weekdays:
            basis = "dateline (day and month) in the one year of the term of an office-holder named"
            return ParsedDate(days[0].isoformat(), "day", 0, 0), basis
        return None, None
    if latest is not None and floor is not None:
        candidate = _day_in(floor, month, day)
        if candidate is not None and candidate.isoformat() >= latest.iso:
            basis = "dateline (day and month) in the year of the latest date reported"
            return ParsedDate(candidate.isoformat(), "day", 0, 0), basis
    return None, None


def _day_in(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _dateline_month_day(text: str) -> tuple[int, int] | None:
    """A dateline's month and day without a year ("DUSHANBE, Tajikistan, Sept. 21 (UPI)")."""
    head = text[:400]
    match = re.search(r"\b[A-Z]{3,}[A-Za-z ,.]*?,\s*(?P<date>[A-Z][a-z]{2,8}\.? \d{1,2})\b", head)
    if match is None:
        return None
    parsed = parse_date(match.group("date"), date(2000, 12, 31))
    if parsed is None or parsed.precision != "day":
        return None
    _, month, day = _parts(parsed)
    return month, day
