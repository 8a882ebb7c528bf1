"""Tests for ``conflictkb.event_places``: where an event that names no place happened, on the real
pipeline."""

from test_events import events_of

from conflictkb.extract import Extractor


def test_a_closed_border_is_the_closing_states_act_at_home(extractor: Extractor) -> None:
    text = "BISHKEK, Sept. 21, 2010 (UPI) -- After the recent attack Kyrgyzstan has closed its border with Tajikistan."
    (event,) = events_of(extractor, text)
    assert (event.type, event.place.country if event.place else None) == ("other", "KG")
    assert [p.name for p in event.perpetrators] == ["Government of Kyrgyzstan"]


def test_an_event_with_no_place_in_a_story_of_many_countries_is_where_the_forces_it_names_are(
    extractor: Extractor,
) -> None:
    text = (
        "The IMU left Uzbekistan for Tajikistan, then Afghanistan, and later Kyrgyzstan.\n\n"
        "In early 2004, media reported that Qari Tahir was leading fighting against Pakistani troops."
    )
    (event,) = events_of(extractor, text)
    assert event.place is not None and (event.place.name, event.place.country) == ("Pakistan", "PK")
