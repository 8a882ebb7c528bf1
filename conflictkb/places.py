"""Places: the document's place entities, resolved through the gazetteer.

An event's place is the most specific resolved place named in its sentences; a place the
gazetteer does not know keeps its name and no coordinates rather than a guessed location.
"""

from __future__ import annotations

from conflictkb.gazetteer import Gazetteer
from conflictkb.model import Entity, Place

# More specific places win when a sentence names several.
PRECISION_RANK = {"point": 0, "city": 1, "district": 2, "admin1": 3, "region": 4, "country": 5}


def resolve_places(entities: list[Entity], gazetteer: Gazetteer) -> dict[str, Place]:
    """Entity id -> Place for every place entity; unknown names keep only their name."""
    resolved: dict[str, Place] = {}
    for entity in entities:
        if entity.kind != "place":
            continue
        found = gazetteer.lookup(entity.name)
        if found is None:
            for alias in entity.aliases:
                found = gazetteer.lookup(alias)
                if found is not None:
                    break
        resolved[entity.id] = found if found is not None else Place(name=entity.name)
    return resolved


def specificity(place: Place) -> int:
    """Smaller is more specific; places with no precision (unknown names) rank last."""
    return PRECISION_RANK.get(place.precision or "", len(PRECISION_RANK))
