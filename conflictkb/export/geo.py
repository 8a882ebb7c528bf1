"""Incidents as GeoJSON (RFC 7946): a FeatureCollection with one Point per incident that has
coordinates, for QGIS, geojson.io, kepler.gl and any web map.

Incidents whose place has no coordinates (a country alone, an unknown name) are left out: a map
point there would be a guess. Each feature's properties hold the incident's type, date, place,
perpetrators, tolls (the lowest figure, and every figure with its document) and sources (each
document with its evidence quotes); lists are JSON arrays, which QGIS reads as lists.

Analysts' reviews count (``incidents``: a rejected report left out, a corrected field the analyst's
value) and show: ``reviews`` lists every review of the incident's reports, rejected ones included,
each with the extracted value beside the analyst's (``tables.incident_reviews``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, TextIO

from conflictkb.export.incidents import TOLLS, Incident, Source, country_name, incidents, summary
from conflictkb.export.tables import incident_reviews


def feature(inc: Incident, reviews: list[dict[str, Any]] | None = None) -> dict[str, Any] | None:
    """The GeoJSON Feature of one incident (with the reviews of its reports), or None when its
    place has no coordinates."""
    place = inc.place
    if place is None or place.lat is None or place.lon is None:
        return None
    sources: dict[str, dict[str, Any]] = {}
    for c in inc.citations:
        entry = sources.setdefault(c.doc, {"doc": c.doc, "title": c.title, "published": c.published, "quotes": []})
        entry["quotes"].append(c.quote)
    properties: dict[str, Any] = {
        "incident": inc.id,
        "type": inc.type,
        "date": inc.date,
        "date_precision": inc.date_precision,
        "place": place.name,
        "place_precision": place.precision,
        "admin1": place.admin1,
        "country": place.country,
        "country_name": country_name(place.country),
        "geonames_id": place.geonames_id,
        "perpetrators": [a.name for a in inc.perpetrators],
        "attributions": [a.attribution for a in inc.perpetrators],
        **{toll: inc.lowest(toll) for toll in TOLLS},
        "tolls": {t: [{"value": f.value, "doc": f.doc, "quote": f.quote} for f in inc.figures[t]] for t in TOLLS},
        "summary": summary(inc),
        "n_sources": len(sources),
        "sources": list(sources.values()),
        "reviews": reviews or [],
    }
    return {
        "type": "Feature",
        "id": inc.id,
        # RFC 7946: longitude first, WGS 84 decimal degrees.
        "geometry": {"type": "Point", "coordinates": [round(float(place.lon), 6), round(float(place.lat), 6)]},
        "properties": properties,
    }


def features(source: Source) -> Iterator[dict[str, Any]]:
    reviews = incident_reviews(source)
    for inc in incidents(source):
        if (f := feature(inc, reviews.get(inc.id))) is not None:
            yield f


def write(source: Source, out: TextIO) -> int:
    """Write the FeatureCollection; return how many features (incidents with coordinates)."""
    found = list(features(source))
    collection = {"type": "FeatureCollection", "features": found}
    json.dump(collection, out, ensure_ascii=False, indent=1)
    out.write("\n")
    return len(found)
