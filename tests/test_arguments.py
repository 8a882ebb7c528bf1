"""Tests for ``conflictkb.arguments``: an event's perpetrator (and how it is attributed) and place,
read from the real pipeline's parse."""

from test_events import events_of

from conflictkb.extract import Extractor


def test_claimed_and_blamed_in_the_passive_and_blamed_for(extractor: Extractor) -> None:
    cases = {
        "The assault on the camp in Dioura, Mali, on 12 March 2017 was claimed by the Taliban.": ("Taliban", "claimed"),
        "The attack in Kabul on 3 May 2005 was blamed on the Taliban by officials.": ("Taliban", "blamed"),
        "Tajikistan blamed the IMU for the attack in Dushanbe on 3 May 2005.": (
            "Islamic Movement of Uzbekistan",
            "blamed by Government of Tajikistan",
        ),
    }
    for text, expected in cases.items():
        found = events_of(extractor, text)
        assert [(p.name, p.attribution) for e in found for p in e.perpetrators] == [expected], text


def test_the_actor_joined_to_led_leads_the_act(extractor: Extractor) -> None:
    found = events_of(
        extractor, "The IMU was driven from its bases in Northern Afghanistan by the U.S.-led invasion in 2001."
    )
    assert [(e.type, [p.name for p in e.perpetrators]) for e in found] == [("clash", ["United States"])]


def test_passive_voice_agent_is_the_perpetrator(extractor: Extractor) -> None:
    (event,) = events_of(extractor, "A military convoy was ambushed by the Taliban in Kunar on 5 May 2011.")
    assert event.type == "armed_assault"
    assert [p.name for p in event.perpetrators] == ["Taliban"]
    assert event.targets and event.targets[0].type == "military"
    assert event.date == "2011-05-05"


def test_blame_gives_the_blamed_actor_and_who_blames(extractor: Extractor) -> None:
    events = events_of(
        extractor,
        "In September 2010, the Government of Tajikistan blamed the attacks on the Islamic Movement of Uzbekistan.",
    )
    assert len(events) == 1
    (perp,) = events[0].perpetrators
    assert perp.name == "Islamic Movement of Uzbekistan"
    assert perp.attribution.startswith("blamed")


def test_a_place_on_the_way_is_not_the_events_place(extractor: Extractor) -> None:
    text = (
        'When a small band of armed "refugees" crossed the Pamir Mountains from Tajikistan and seized a small '
        "village in Kyrgyzstan in August 1999, they did not appear to pose much of a threat."
    )
    found = events_of(extractor, text)
    assert [(e.date, e.place.country if e.place else None) for e in found] == [("1999-08", "KG")]
    # With no other place named, the way in is all there is.
    alone = events_of(extractor, "In 2000 militants attacked a convoy from Tajikistan.")
    assert [e.place.country if e.place else None for e in alone] == ["TJ"]


def test_where_the_act_sent_someone_is_not_the_events_place(extractor: Extractor) -> None:
    text = (
        "In 1999 Kyrgyz troops engaged the IMU in Batken. "
        "A major offensive got under way to sweep them southwards back into Tajikistan."
    )
    found = events_of(extractor, text)
    assert [e.place.name if e.place else None for e in found] == ["Batken Region"]  # where the paragraph is
    went = events_of(extractor, "In 1999 militants crossed into Kyrgyzstan and attacked a border post.")
    assert [e.place.country if e.place else None for e in went] == ["KG"]  # where the doers went, they acted


def test_the_doer_of_what_happened_in_the_event_and_of_a_series_of_acts(extractor: Extractor) -> None:
    escape = events_of(
        extractor,
        "The attack followed an Aug. 22, 2010 prison break, in which 25 IMU militants escaped from a Dushanbe prison.",
    )
    assert [[p.name for p in e.perpetrators] for e in escape] == [["Islamic Movement of Uzbekistan"]]
    series = events_of(
        extractor,
        "In July 2000, the IMU returned to the Tavildara Valley. "
        "By August, they had initiated a series of surprise attacks in southern Kyrgyzstan.",
    )
    assert [(p.name, p.attribution) for e in series for p in e.perpetrators] == [
        ("Islamic Movement of Uzbekistan", "stated, by reference ('they')")
    ]


def test_a_place_owning_a_person_is_no_location(extractor: Extractor) -> None:
    text = (
        "In 2001 the United Front, including Uzbekistan's favored warlord, Dostum, took control of Afghanistan. "
        "Namangani was killed in one of the American air strikes."
    )
    strike = [e for e in events_of(extractor, text) if e.type == "air_strike"]
    assert [e.place.country if e.place else None for e in strike] == ["AF"]
