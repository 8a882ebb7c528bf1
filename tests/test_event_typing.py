"""Tests for ``conflictkb.event_typing``: which type an act is beyond its trigger word, on the real
pipeline."""

from test_events import events_of

from conflictkb.extract import Extractor


def test_a_state_attacking_a_country_or_militants_is_a_clash(extractor: Extractor) -> None:
    (event,) = events_of(extractor, "In November 2001 the U.S. attack on Afghanistan decimated the militants.")
    assert event.type == "clash"


def test_a_states_armed_act_is_a_clash_unless_it_struck_civilians(extractor: Extractor) -> None:
    cases = {
        "In 2001 the IMU was driven from its bases in Afghanistan by the U.S.-led invasion.": "clash",
        "In 2014 Boko Haram fighters attacked ISWAP militants near Maiduguri.": "clash",
        "In 2014 Boko Haram fighters attacked a market in Maiduguri.": "armed_assault",
        "In 2019 soldiers shot dead three protesters in Khartoum.": "armed_assault",  # civilians
    }
    for text, kind in cases.items():
        assert [e.type for e in events_of(extractor, text)] == [kind], text


def test_people_destroyed_is_no_attack_on_property(extractor: Extractor) -> None:
    people = "In 2000, pinned to a position, they were vulnerable to heavy weapons and were destroyed."
    assert [e.type for e in events_of(extractor, people)] == ["armed_assault"]
    school = "In 2000 militants destroyed a school in Kunduz."
    assert [e.type for e in events_of(extractor, school)] == ["property_attack"]


def test_a_capture_of_things_is_no_arrest_and_killing_ones_own_is_no_attack(extractor: Extractor) -> None:
    assert events_of(extractor, "In 2000, among the IMU equipment that was captured was a video.") == []
    assert [e.type for e in events_of(extractor, "In 2000, 73 were arrested on the charge of subversion.")] == [
        "arrest"
    ]
    named = "Saeed was arrested in July 2019 and sentenced to 11 years in prison."  # the parser: a noun
    assert [e.type for e in events_of(extractor, named)] == ["trial"]
    own = events_of(extractor, "In 2000 the IMU killed its own wounded rather than letting them be captured.")
    assert [e.type for e in own] == ["other"]
