"""Where an event whose sentences name no place happened, and who the state implied by an arrest is.

Reporting often leaves the place to context: the paragraph's place, the country the document is
about, the state whose act it is ("Kyrgyzstan has closed its border"), or the country whose forces
it names ("fighting against Pakistani troops"). Arrests and trials with no agent are the state's.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from conflictkb.model import Event, Perpetrator, Place

if TYPE_CHECKING:
    from conflictkb.events import Inputs


def _acting_state_country(event: Event, inputs: Inputs) -> Place | None:
    """An arrest, a trial or a closed border by a named state ("Tajikistan's Supreme Court sentenced
    ...", "Kyrgyzstan has closed its border") happens in that state's country."""
    if event.type not in inputs.vocab.home_acts:
        return None
    for perpetrator in event.perpetrators:
        entity = inputs.found.get(perpetrator.entity or "")
        actor = inputs.dictionary.actor_of(entity.ref) if entity is not None else None
        found = _country_place(actor.country if actor is not None else None, inputs)
        if found is not None:
            return found
    return None


def _country_place(code: str | None, inputs: Inputs) -> Place | None:
    """The document's place for a country, else one made from the dictionary's name for it."""
    country = inputs.dictionary.countries.get(code or "")
    if not code or country is None or not country.names:
        return None
    known = next((p for p in inputs.places.values() if p.country == code and p.precision == "country"), None)
    return known or Place(name=country.names[0], country=code, precision="country")


def _forces_country(event: Event, inputs: Inputs) -> Place | None:
    """ "was leading fighting against Pakistani troops", in a story of several countries: an event
    with no place at all is in the country whose forces it names as target or perpetrator."""
    spans = [s for s in (event.spans.get("targets"), event.spans.get("perpetrators")) if s is not None]
    for mention in inputs.found.mentions:
        if not any(s.start <= mention.start < s.end for s in spans):
            continue
        entity = inputs.found.get(mention.entity)
        actor = inputs.dictionary.actor_of(entity.ref) if entity is not None else None
        if actor is not None and actor.kind == "state_actor":
            return _country_place(actor.country, inputs)
    return None


def settle_place_and_state(event: Event, narrative: Place | None, inputs: Inputs) -> None:
    """An event with no place is, when it is a named state's act at home, in that state's country;
    else at the narrative's place, else in the document's country, else in the country of the
    state's forces it names. An unknown place takes the country the story is in; an arrest or
    trial with no agent is the state's."""
    around = narrative or document_country(inputs)
    if event.place is None:
        event.place = _acting_state_country(event, inputs) or around or _forces_country(event, inputs)
    elif event.place.country is None and around is not None and around.country:
        # A name the gazetteer does not know keeps its name, in the country the story is in.
        event.place = replace(event.place, country=around.country)
    if not event.perpetrators:
        _implied_state(event, inputs)


def _implied_state(event: Event, inputs: Inputs) -> None:
    """Arrests and trials with no stated agent are the state's where they happen (ACLED and GTD code
    them so); the perpetrator says it is implied, not stated."""
    if event.type not in inputs.vocab.state_acts or event.place is None or not event.place.country:
        return
    country = inputs.dictionary.countries.get(event.place.country)
    if country is None or not country.names:
        return
    name = f"Government of {country.names[0]}"
    if name in inputs.dictionary.actors:
        state = next((e for e in inputs.found.entities if e.ref == f"actor:{name}"), None)
        event.perpetrators.append(
            Perpetrator(name, f"implied: the state acts in {country.names[0]}", state.id if state else None)
        )


def document_country(inputs: Inputs) -> Place | None:
    """The country a document is mostly about, when one is (half its country mentions or more)."""
    if not inputs.context.countries:
        return None
    code, count = inputs.context.countries.most_common(1)[0]
    if count * 2 < sum(inputs.context.countries.values()):
        return None
    return next((p for p in inputs.places.values() if p.country == code and p.precision == "country"), None)
