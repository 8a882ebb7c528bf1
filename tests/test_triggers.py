"""Tests for ``conflictkb.triggers``: which words name an act, and whether the act is reported as
having happened, on the real pipeline."""

import pytest
from test_events import events_of

from conflictkb.extract import Extractor
from conflictkb.triggers import find_triggers
from conflictkb.vocab import load_vocab


def test_one_trigger_per_word_the_longest(extractor: Extractor) -> None:
    doc = extractor.nlp("Diplomacy did not prevent a terrorist offensive against Kyrgyzstan.")
    hits = find_triggers(next(iter(doc.sents)), load_vocab())
    assert [(h.token.text, h.trigger.event_type) for h in hits] == [("offensive", "armed_assault")]


@pytest.mark.parametrize(
    "text",
    [
        "The militants did not attack the convoy in Kunduz in 2009.",
        "Officials fear that militants could attack the capital Dushanbe.",
        "The group plans to bomb government buildings in Tashkent.",
        "Kidnapping for ransom is still a favoured tactic of the group.",
        "Security forces moved to prevent further bomb attacks against the capital.",
        "Periodic military forays and attacks by drones pushed the militants into the mountains.",
    ],
)
def test_negated_hypothetical_and_generic_violence_is_not_an_event(extractor: Extractor, text: str) -> None:
    assert events_of(extractor, text) == []


def test_what_a_denied_prevention_governs_happened(extractor: Extractor) -> None:
    offensive = events_of(
        extractor, "Diplomacy did not prevent a terrorist offensive against Kyrgyzstan in August 1999."
    )
    assert [(e.type, e.date) for e in offensive] == [("armed_assault", "1999-08")]  # "terrorist offensive", one word
    trial = events_of(extractor, "This did not deter the Uzbek courts from convicting 22 men of terrorism in 1999.")
    assert [e.type for e in trial] == ["trial"]
    assert events_of(extractor, "Police prevented an attack on the market in Osh in 2003.") == []
    assert events_of(extractor, "Troops did not attack the village in 1999.") == []


def test_a_past_attempt_is_an_act_and_a_plan_is_not(extractor: Extractor) -> None:
    attempt = events_of(extractor, "In 2000 militants attempted to storm the base in Kunduz but were repelled.")
    assert [(e.type, e.place.name if e.place else None) for e in attempt] == [("armed_assault", "Kunduz")]
    assert events_of(extractor, "In 2000 militants plan to attack Kunduz.") == []
    assert events_of(extractor, "Militants will try to attack Kunduz in 2001.") == []


def test_a_demanded_extradition_is_no_event(extractor: Extractor) -> None:
    text = "In November 2000 reports of his return prompted Uzbek demands for his extradition."
    assert events_of(extractor, text) == []


def test_a_verb_phrase_is_headed_by_its_verb(extractor: Extractor) -> None:
    doc = extractor.nlp("In 2000 the authorities forcibly moved the locals into camps.")
    hits = find_triggers(next(iter(doc.sents)), load_vocab())
    assert [(h.token.text, h.trigger.event_type) for h in hits] == [("moved", "other")]


def test_recapturing_a_town_is_a_clash(extractor: Extractor) -> None:
    found = events_of(extractor, "Somali troops recaptured the town of Mahas in March 2023.")
    assert [e.type for e in found] == ["clash"]


def test_fought_counts_with_an_object_in_the_simple_past_only(extractor: Extractor) -> None:
    fought = "In February 2007, Waziri tribesmen in South Waziristan fought Uzbeks under Yuldash's command."
    assert [e.type for e in events_of(extractor, fought)] == ["clash"]
    for text in (
        "In 1993 IRP leaders who had fought with Namangani during the civil war were sent to persuade him.",
        "In 2007 the IMU said it was fighting against oppression.",
    ):
        assert events_of(extractor, text) == [], text
