"""Reading a GTD or ACLED export the user has into rows ``link`` can compare with incidents.

The files come as their publishers ship them, and as users re-save them: the GTD's CSV is
Windows-1252, ACLED's dates are written several ways, column names change case between ACLED's
older and newer exports. Each row is reduced to what the comparison needs (date and its precision,
country, place names, coordinates, actor names, tolls, types); what the codebooks say about reading
them (ACLED's date formats and time precision codes, how each says "unknown") is in
``data/codebooks.yaml``.
"""

from __future__ import annotations

import codecs
import csv
import math
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

from conflictkb.export.codebooks import load_codebooks

# The columns without which a file is not the dataset's export: its row id, and its date.
REQUIRED = {"gtd": ("eventid", "iyear"), "acled": ("event_id_cnty", "event_date")}


class DatasetError(ValueError):
    """A file that is not a GTD or ACLED export; the message says what is missing."""


@dataclass(frozen=True, slots=True)
class Row:
    """One row of an external dataset, in the terms the comparison needs."""

    dataset: str
    id: str
    date: str | None  # ISO, as precise as the row knows
    precision: str | None  # day | month | year
    country: str | None  # ISO 3166-1 alpha-2, when the country's name is known
    country_txt: str | None
    places: tuple[str, ...]
    lat: float | None
    lon: float | None
    actors: tuple[str, ...]
    killed: int | None
    wounded: int | None
    kidnapped: int | None
    types: tuple[str, ...]  # GTD attack type; ACLED event type and sub-event type

    @property
    def year(self) -> int | None:
        return int(self.date[:4]) if self.date else None

    @property
    def known_actors(self) -> list[str]:
        """The actors the row names, without the dataset's words for "not known" ("Unknown")."""
        book = load_codebooks().datasets[self.dataset]
        return [a for a in self.actors if not book.is_unknown(a)]


def label(dataset: str) -> str:
    """The dataset's name as people write it: "GTD", "ACLED"."""
    return load_codebooks().datasets[dataset].label


def _encoding(path: Path) -> str:
    """utf-8 when the whole file decodes as it, else cp1252 (the GTD's CSV is not UTF-8), else latin-1."""
    for encoding in ("utf-8-sig", "cp1252"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with path.open("rb") as f:
                while chunk := f.read(1 << 20):
                    decoder.decode(chunk)
                decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding
    return "latin-1"


def _int(value: str | None) -> int | None:
    """A count as the files write it ("16", "16.0"); None when empty, negative or not a number."""
    number = _float(value)
    return int(number) if number is not None and number >= 0 else None


def _float(value: str | None) -> float | None:
    """A number as the files write it; None when empty or not a number."""
    if value is None or not value.strip():
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return None if math.isnan(number) else number


def _names(*values: str | None) -> tuple[str, ...]:
    """Actor or place names; "Islamic Movement of Uzbekistan (IMU)" and "IMU: Islamic Movement of
    Uzbekistan" also yield "IMU" and the full name."""
    out: list[str] = []
    for value in values:
        for part in (value or "").split(";"):
            part = part.strip()
            if not part:
                continue
            out.append(part)
            if ": " in part:  # ACLED: "JNIM: Jamaah Nusrat al-Islam wal Muslimin"
                out.extend(x.strip() for x in part.split(": ", 1) if x.strip())
            if "(" in part and part.endswith(")"):
                head, _, inner = part[:-1].partition("(")
                out.extend(x for x in (head.strip(), inner.strip()) if x and not _qualifier(x))
    return tuple(dict.fromkeys(out))


def _qualifier(text: str) -> bool:
    """ACLED's "Unidentified Armed Group (Uzbekistan)", "Military Forces of X (1991-2016)": a country or a
    period in brackets qualifies the name; it is not another name of the actor."""
    return _country(text) is not None or any(ch.isdigit() for ch in text)


@lru_cache(maxsize=1)
def _country_codes() -> dict[str, str]:
    """Country names, lower case -> ISO code (data/countries.yaml)."""
    from conflictkb.actors import load_dictionary

    return load_dictionary().country_by_name()


def _country(name: str | None) -> str | None:
    return _country_codes().get(name.strip().casefold()) if name else None


def _gtd_row(r: dict[str, str]) -> Row:
    year, month, day = _int(r.get("iyear")), _int(r.get("imonth")) or 0, _int(r.get("iday")) or 0
    if year is None:
        when, precision = None, None
    elif month and day:
        when, precision = f"{year:04d}-{month:02d}-{day:02d}", "day"
    elif month:
        when, precision = f"{year:04d}-{month:02d}", "month"
    else:
        when, precision = f"{year:04d}", "year"
    return Row(
        dataset="gtd", id=r["eventid"].strip(), date=when, precision=precision,
        country=_country(r.get("country_txt")), country_txt=r.get("country_txt") or None,
        places=_names(r.get("city"), r.get("provstate"), r.get("location")),
        lat=_float(r.get("latitude")), lon=_float(r.get("longitude")),
        actors=_names(r.get("gname"), r.get("gname2"), r.get("gname3")),
        killed=_int(r.get("nkill")), wounded=_int(r.get("nwound")), kidnapped=_int(r.get("nhostkid")),
        types=tuple(t for t in (r.get("attacktype1_txt"), r.get("attacktype2_txt")) if t),
    )  # fmt: skip


def _acled_date(value: str) -> date | None:
    """A calendar date (no time zone) in any of the ways ACLED files write it (codebooks.yaml)."""
    for pattern in load_codebooks().acled.date_formats:
        try:
            return datetime.strptime(value.strip(), pattern).date()  # a calendar date: no time zone
        except ValueError:
            continue
    return None


def _acled_row(r: dict[str, str]) -> Row:
    day = _acled_date(r.get("event_date") or "")
    codes = load_codebooks().acled.time_precision_codes
    precision = codes.get(_int(r.get("time_precision")) or 1, "day")
    when = None if day is None else (day.isoformat() if precision == "day" else day.isoformat()[:7])
    return Row(
        dataset="acled", id=r["event_id_cnty"].strip(), date=when, precision=precision if when else None,
        country=_country(r.get("country")), country_txt=r.get("country") or None,
        places=_names(r.get("location"), r.get("admin3"), r.get("admin2"), r.get("admin1")),
        lat=_float(r.get("latitude")), lon=_float(r.get("longitude")),
        actors=_names(r.get("actor1"), r.get("assoc_actor_1"), r.get("actor2"), r.get("assoc_actor_2")),
        killed=_int(r.get("fatalities")), wounded=None, kidnapped=None,
        types=tuple(t for t in (r.get("event_type"), r.get("sub_event_type")) if t),
    )  # fmt: skip


def read_rows(path: Path, dataset: str) -> Iterator[Row]:
    """The rows of a GTD or ACLED CSV export (column names in any case)."""
    if dataset not in REQUIRED:
        raise DatasetError(f"unknown dataset {dataset!r}: choose one of {', '.join(REQUIRED)}")
    try:
        encoding = _encoding(path)
        f = path.open(encoding=encoding, newline="")
    except OSError as exc:
        raise DatasetError(f"cannot read {path}: {exc.strerror or exc}") from exc
    with f:
        reader = csv.DictReader(f)
        header = [h.strip().lower() for h in reader.fieldnames or []]
        missing = [c for c in REQUIRED[dataset] if c not in header]
        if missing:
            raise DatasetError(f"{path} is not a {label(dataset)} CSV export: it has no column {', '.join(missing)}")
        parse = _gtd_row if dataset == "gtd" else _acled_row
        for raw in reader:
            row = {k.strip().lower(): (v or "") for k, v in raw.items() if k is not None and isinstance(v, str)}
            if row.get(REQUIRED[dataset][0], "").strip():
                yield parse(row)
