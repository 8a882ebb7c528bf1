"""Tests for ``conflictkb.event_merging``: which sentence-events of one document are one incident."""

from __future__ import annotations

from test_events import events_of

from conflictkb.event_merging import JOINS, MAY_JOIN, NEW, REFERS, compatible, how_it_links, merge_sentence_events
from conflictkb.extract import Extractor
from conflictkb.model import Event, Perpetrator, Place, Span
from conflictkb.timeline import REPORTED
from conflictkb.vocab import load_vocab

OSH = Place("Osh", "KG", precision="point")
BISHKEK = Place("Bishkek", "KG", precision="point")


def event(
    n: int, type_: str = "armed_assault", date: str | None = "2003-05", place: Place | None = OSH, **kw: object
) -> Event:
    made = Event(f"s{n}", type_, [Span(n * 10, n * 10 + 5, f"s{n:03d}")], date=date, place=place, **kw)  # type: ignore[arg-type]
    if place is not None:
        made.spans["place"] = Span(n * 10, n * 10 + 3, place.name[:3])
    return made


def test_reports_that_agree_join_and_two_towns_do_not() -> None:
    first, again, elsewhere = event(1), event(2, date="2003-05-08"), event(3, place=BISHKEK)
    again.spans["date"] = Span(20, 25, "8 May")  # stated in its sentence; the first only inherited a month
    merged = merge_sentence_events([(0, first, MAY_JOIN, 0), (1, again, MAY_JOIN, 0), (2, elsewhere, MAY_JOIN, 0)])
    assert [len(e.evidence) for e in merged] == [2, 1]
    assert merged[0].date == "2003-05-08"  # a date the text states beats an inherited one
    assert not compatible(first, elsewhere)


def test_a_toll_joins_the_event_before_whatever_its_type_and_a_separate_attack_never_joins() -> None:
    attack, toll = event(1), event(2, type_="other", killed=3)
    separate = event(3)
    merged = merge_sentence_events([(0, attack, MAY_JOIN, 0), (1, toll, JOINS, 0), (2, separate, NEW, 0)])
    assert [(e.type, e.killed, len(e.evidence)) for e in merged] == [
        ("armed_assault", 3, 2),
        ("armed_assault", None, 1),
    ]


def test_a_reference_back_with_nothing_near_is_no_incident() -> None:
    attack, far_reference = event(1), event(2, date=None, place=None)
    merged = merge_sentence_events([(0, attack, MAY_JOIN, 0), (9, far_reference, REFERS, 0)])
    assert [e.id for e in merged] == ["s1"]
    alone = merge_sentence_events([(0, event(5, date=None, place=None), REFERS, 0)])
    assert len(alone) == 1  # told first, "the attack" is the incident itself


def test_an_implied_perpetrator_without_words_joins_without_failing() -> None:
    """The state implied for an arrest has no span in the text; joining it must not fail."""
    arrest, again = event(1, type_="arrest"), event(2, type_="arrest")
    again.perpetrators.append(Perpetrator("Government of Kyrgyzstan", "implied: the state acts in Kyrgyzstan"))
    merged = merge_sentence_events([(0, arrest, MAY_JOIN, 0), (1, again, MAY_JOIN, 0)])
    assert [[p.name for p in e.perpetrators] for e in merged] == [["Government of Kyrgyzstan"]]
    assert "perpetrators" not in merged[0].spans


def test_a_later_paragraph_that_dates_its_act_more_precisely_tells_another_incident() -> None:
    operation = event(1, "clash", date="2009", place=None)  # "a security operation", its year inherited
    encounter = event(2, "clash", date="2009-06", place=None)  # "In late June, ... an encounter"
    encounter.spans["date"] = Span(20, 29, "late June")
    assert len(merge_sentence_events([(0, operation, MAY_JOIN, 1), (1, encounter, MAY_JOIN, 2)])) == 2
    same_paragraph = merge_sentence_events(
        [(0, event(1, "clash", "2009", None), MAY_JOIN, 1), (1, encounter, MAY_JOIN, 1)]
    )
    assert len(same_paragraph) == 1


def test_a_sentence_dated_anew_with_another_death_toll_is_another_incident() -> None:
    attacks = event(1, date="2000", place=None, killed=25)  # "inept IMU attacks ... left 25 insurgents dead"
    ambush = event(2, date="2000-08-11", place=None, killed=22)  # "On 11 August, one IMU team ... killed 22 men"
    ambush.spans["date"] = Span(20, 29, "11 August")
    assert len(merge_sentence_events([(0, attacks, MAY_JOIN, 1), (1, ambush, MAY_JOIN, 1)])) == 2
    same_toll = event(3, date="2000-08-11", place=None, killed=25)
    same_toll.spans["date"] = Span(30, 39, "11 August")
    assert (
        len(
            merge_sentence_events(
                [(0, event(1, date="2000", place=None, killed=25), MAY_JOIN, 1), (1, same_toll, MAY_JOIN, 1)]
            )
        )
        == 1
    )


def test_a_report_dated_after_the_act_joins_it() -> None:
    """ "In July, forces clashed with fighters in Tavil-Dara." ... "The ministry claimed on August 5
    that 11 militants had been killed in the operation": August 5 is the report's date."""
    clash = event(1, "clash", date="2009-07", place=None)
    claim = event(2, "clash", date="2009-08-05", place=None, killed=11)
    assert not compatible(clash, claim)
    claim.date_how = REPORTED
    assert compatible(clash, claim)
    (merged,) = merge_sentence_events([(0, clash, MAY_JOIN, 1), (1, claim, JOINS, 2)])
    assert (merged.date, merged.killed) == ("2009-07", 11)
    earlier = event(3, "clash", date="2009-09", place=None)
    assert not compatible(earlier, claim)  # a report cannot tell of an act after it


def test_a_toll_verb_with_an_act_of_its_own_is_no_mere_toll(extractor: Extractor) -> None:
    """ "Thirteen were killed" joins the incident before; "They executed an ambush ..., killing ten
    men" is an act that may join or not, like any other."""
    vocab = load_vocab()
    for text, expected in {
        "Thirteen were killed in 1999.": JOINS,
        "In 1999 they executed an ambush against a unit, killing ten men.": MAY_JOIN,
    }.items():
        doc = extractor.nlp(text)
        sent = next(iter(doc.sents))
        (found,) = events_of(extractor, text)
        assert how_it_links(found, sent, vocab) == expected, text


def test_a_claim_joins_the_incident_of_its_own_type_told_before(extractor: Extractor) -> None:
    text = (
        "KARACHI, June 20, 2014 (AP) -- Two terrorist attacks rocked the airport in Karachi last week, killing "
        "dozens. On Sunday the Pakistani military launched a ground assault in North Waziristan. Officials spoke "
        "of many dead. The IMU claimed the Karachi airport attack."
    )
    found = events_of(extractor, text)
    attack = next(e for e in found if e.type == "armed_assault")
    assert [p.name for p in attack.perpetrators] == ["Islamic Movement of Uzbekistan"]
    assert any("claimed" in s.text for s in attack.evidence)


def test_the_doers_named_by_an_act_tell_more_of_that_incident(extractor: Extractor) -> None:
    text = (
        "On 11 August 2000 an IMU team ambushed a Kyrgyz army patrol and killed 22 men. "
        "The following day they kidnapped members of a climbing expedition. "
        "While being pursued by Kyrgyz forces, the kidnappers murdered the soldier but released their captives."
    )
    found = events_of(extractor, text)
    assert [(e.type, e.killed, len(e.evidence)) for e in found] == [("armed_assault", 22, 1), ("kidnapping", 1, 2)]


def test_a_toll_joins_an_incident_whose_own_toll_it_does_not_contradict() -> None:
    operation = event(1, "clash", date="2009", place=None)  # "Kyrgyz authorities launched a security operation"
    encounter = event(2, "clash", date="2009-06", place=None, killed=1)  # "... the death of one serviceman"
    encounter.spans["date"] = Span(20, 29, "late June")
    nine = event(3, "armed_assault", date="2009", place=None, killed=9)  # "nine ... had been killed"
    merged = merge_sentence_events([(0, operation, MAY_JOIN, 1), (1, encounter, MAY_JOIN, 2), (2, nine, JOINS, 2)])
    assert [(e.type, e.killed) for e in merged] == [("clash", 9), ("clash", 1)]


def test_two_sentences_naming_different_doers_are_two_incidents() -> None:
    fight = event(1, "clash", place=None, perpetrators=[Perpetrator("IMU", "stated", "ent1")])
    shot = event(2, "clash", place=None, perpetrators=[Perpetrator("Tajik border guards", "stated", "ent2")])
    assert not compatible(fight, shot)
    implied = event(3, "clash", place=None, perpetrators=[Perpetrator("Tajik forces", "implied: unnamed forces", "e3")])
    assert compatible(fight, implied)


def test_from_another_paragraph_a_report_joins_only_the_incident_told_last() -> None:
    moved = event(1, "other", date="2000", place=None)  # "they forcibly moved the locals into camps"
    attack = event(2, "armed_assault", date="2000", place=None)  # "fifteen insurgents attacked"
    evacuated = event(3, "other", date="2000", place=None)  # "4,000 civilians were evacuated"
    merged = merge_sentence_events([(0, moved, MAY_JOIN, 1), (1, attack, MAY_JOIN, 2), (2, evacuated, MAY_JOIN, 2)])
    assert len(merged) == 3
    same_paragraph = merge_sentence_events(
        [(0, event(1, "other", "2000", None), MAY_JOIN, 1), (1, event(2, date="2000", place=None), MAY_JOIN, 1),
         (2, event(3, "other", "2000", None), MAY_JOIN, 1)]
    )  # fmt: skip
    assert len(same_paragraph) == 2


def test_two_catch_all_acts_join_only_when_named_alike() -> None:
    moved, killed, deportation = (event(n, "other", date="2000", place=None) for n in (1, 2, 3))
    moved.spans["type"], killed.spans["type"] = Span(0, 5, "moved"), Span(10, 16, "killed")
    deportation.spans["type"] = Span(20, 31, "deportation")
    deported = event(4, "other", date="2000", place=None)
    deported.spans["type"] = Span(40, 48, "deported")
    assert not compatible(moved, killed)
    assert compatible(deportation, deported)


def test_this_crackdown_and_the_atrocities_refer_back(extractor: Extractor) -> None:
    text = (
        "In February 1999 car bombs exploded in Tashkent, killing 13. "
        "Karimov believed that his foreign rivals had supported the atrocities."
    )
    found = events_of(extractor, text)
    assert [(e.type, len(e.evidence)) for e in found] == [("bombing", 2)]
