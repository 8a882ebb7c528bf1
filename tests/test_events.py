import hashlib
from pathlib import Path

from conflictkb.extract import Extractor
from conflictkb.model import Document, Event
from conflictkb.readers import read


def events_of(extractor: Extractor, text: str, published: str | None = None) -> list[Event]:
    doc = Document(hashlib.sha256(text.encode()).hexdigest(), "t.txt", "txt", text, published=published)
    facts = extractor(doc)
    for event in facts.events:
        for span in event.evidence:
            assert text[span.start : span.end] == span.text
    return facts.events


def test_a_reported_attack_with_all_its_arguments(extractor: Extractor) -> None:
    (event,) = events_of(
        extractor, "On March 3, 2009, Taliban fighters attacked a police post in Kunduz, killing four officers."
    )
    assert event.type == "armed_assault"
    assert (event.date, event.date_precision) == ("2009-03-03", "day")
    assert event.place is not None and (event.place.name, event.place.country) == ("Kunduz", "AF")
    assert event.place.lat is not None and event.place.geonames_id is not None
    assert event.killed == 4
    assert [t.type for t in event.targets] == ["police"]
    assert [p.name for p in event.perpetrators] == ["Taliban"]


def test_sentences_about_one_incident_become_one_event(extractor: Extractor) -> None:
    text = (
        "Gunmen stormed a police station in Kunduz on Aug. 22, 2010.\n\n"
        "The attack killed six guards and wounded nine.\n\n"
        "In 1999, militants bombed government buildings in Tashkent."
    )
    events = events_of(extractor, text)
    assert [e.type for e in events] == ["armed_assault", "bombing"]
    first = events[0]
    assert len(first.evidence) == 2
    assert (first.killed, first.wounded) == (6, 9)
    assert first.date == "2010-08-22"


def test_prison_escape_needs_a_prison(extractor: Extractor) -> None:
    (event,) = events_of(extractor, "Twenty-five prisoners escaped from a prison in Dushanbe on August 22, 2010.")
    assert event.type == "prison_break"
    elsewhere = events_of(extractor, "The two leaders escaped to Afghanistan in 1998.")
    assert all(e.type != "prison_break" for e in elsewhere)


def test_relative_day_resolves_against_publication_date(extractor: Extractor) -> None:
    (event,) = events_of(
        extractor, "Militants ambushed a convoy in the Rasht Valley on Sunday.", published="2010-09-21"
    )
    assert (event.date, event.date_precision, event.date_text) == ("2010-09-19", "day", "Sunday")


def test_every_field_span_points_into_the_original(extractor: Extractor) -> None:
    text = (
        "On March 3, 2009, Taliban   fighters attacked a police\n"
        "post in the northern city of Kunduz, killing\nfour officers."
    )
    (event,) = events_of(extractor, text)
    for name, span in event.spans.items():
        assert text[span.start : span.end] == span.text, name
    assert event.casualty_text == "killing four"
    assert event.spans["casualty_text"].text == "killing\nfour"


def test_an_event_without_a_place_takes_the_paragraphs_place(extractor: Extractor) -> None:
    text = "Fighting spread across Kunduz in May 2009. Gunmen killed four police officers on May 3, 2009."
    events = events_of(extractor, text)
    assert events and all(e.place is not None and e.place.country == "AF" for e in events)


def test_a_plot_uncovered_is_a_foiled_plot(extractor: Extractor) -> None:
    (event,) = events_of(extractor, "In May 1999 a plot to bomb the Osh bazaar was uncovered by Kyrgyz police.")
    assert event.type == "foiled_plot"


def test_a_date_of_another_event_gives_only_its_year(extractor: Extractor) -> None:
    events = events_of(
        extractor, "Militants stormed a police post in Osh in the weeks after the election of 5 March 2000."
    )
    assert [(e.type, e.date, e.date_precision) for e in events] == [("armed_assault", "2000", "year")]


def test_a_sentence_counting_the_dead_joins_the_incident_before(extractor: Extractor) -> None:
    text = "In February 1999 car bombs exploded across Tashkent. Thirteen were killed and 128 injured."
    (event,) = events_of(extractor, text)
    assert (event.type, event.killed, event.wounded, len(event.evidence)) == ("bombing", 13, 128, 2)


def test_arrests_with_no_stated_agent_are_the_states_implied(extractor: Extractor) -> None:
    (event,) = events_of(extractor, "In March 2004 hundreds of suspects were arrested in Tashkent.")
    (perp,) = event.perpetrators
    assert perp.name == "Government of Uzbekistan" and perp.attribution.startswith("implied")


NEWS = (
    "Suicide bomber kills 12 at police station in northwest Pakistan\n\n"
    "PESHAWAR, Pakistan, March 14, 2011 (Reuters) -- A suicide bomber blew himself up at a police station in the "
    "northwestern city of Peshawar on Monday, killing 12 people and wounding at least 30, police said.\n\n"
    "The Pakistani Taliban claimed responsibility for the attack, saying it was revenge for military operations "
    "in the tribal areas.\n\n"
    "In a separate incident on Sunday, gunmen ambushed a convoy of paramilitary troops near Bannu, killing four "
    "soldiers. No group claimed that attack.\n\n"
    "Security forces arrested five suspects in Kohat later that day.\n\n"
    "Militants could strike again in the coming weeks, officials warned."
)


def test_a_news_story_headline_lead_claim_and_a_separate_incident(extractor: Extractor) -> None:
    doc = Document(hashlib.sha256(NEWS.encode()).hexdigest(), "n.txt", "txt", NEWS)
    facts = extractor(doc)
    assert facts.document.published == "2011-03-14"
    got = [(e.type, e.date, e.place.name if e.place else None, e.killed) for e in facts.events]
    assert got == [
        ("bombing", "2011-03-14", "Peshawar", 12),
        ("armed_assault", "2011-03-13", "Bannu", 4),
        ("arrest", "2011-03-13", "Kohat", None),
    ]
    bombing, ambush, _ = facts.events
    assert len(bombing.evidence) == 3  # headline, lead and the claim
    assert [(p.name, p.attribution) for p in bombing.perpetrators] == [("Tehrik-i-Taliban Pakistan", "claimed")]
    assert ambush.perpetrators == []  # "gunmen" are not the group named before
    assert bombing.casualty_text == "killing 12 people and wounding at least 30" and bombing.wounded == 30


ARTICLE = """<html><head><title>Militants kidnap aid workers in Kunar</title>
<meta property="article:published_time" content="2012-05-20T08:00:00Z"></head>
<body><nav>Home | World</nav><article><h1>Militants kidnap aid workers in Kunar</h1>
<p>ASADABAD, Afghanistan -- Taliban fighters abducted three aid workers on the road to Asadabad on Saturday,
provincial officials said.</p>
<p>The kidnappers demanded a ransom. Last week, Afghan army troops clashed with insurgents in the Pech valley,
leaving eight militants dead and two soldiers wounded.</p>
<p>In 2009, the Haqqani network was blamed for a similar abduction in Khost.</p>
<p>Kidnapping for ransom remains a favoured tactic of armed groups in the region.</p></article></body></html>"""


def test_an_html_article_dated_by_its_metadata(extractor: Extractor, tmp_path: Path) -> None:
    path = tmp_path / "kunar.html"
    path.write_text(ARTICLE, encoding="utf-8")
    facts = extractor(read(path))
    assert facts.document.published_basis == "html metadata"
    got = [
        (e.type, e.date, [(p.name, p.attribution) for p in e.perpetrators], e.kidnapped, e.killed) for e in facts.events
    ]
    assert got == [
        ("kidnapping", "2012-05-19", [("Taliban", "stated")], 3, None),
        ("clash", "2012-05", [("Afghan security forces", "stated")], None, 8),
        ("kidnapping", "2009", [("Haqqani Network", "blamed")], None, None),
    ]
    assert facts.events[0].targets[0].type == "ngo"
    for event in facts.events:
        for span in event.evidence:
            assert facts.document.text[span.start : span.end] == span.text


def test_a_country_modifying_the_act_is_its_actor_not_its_place(extractor: Extractor) -> None:
    [event] = events_of(
        extractor,
        "An intense U.S. bombing campaign in northeastern Afghanistan in late 2001 killed IMU commander Namangani.",
    )
    assert [(p.name, p.attribution) for p in event.perpetrators] == [("United States", "stated")]
    assert event.place is not None and event.place.country == "AF"


def test_a_death_in_a_named_incident_takes_the_incidents_type(extractor: Extractor) -> None:
    """The verb gives the toll, the incident it happened in gives the type."""
    bombing = events_of(extractor, "Thirteen were killed and 128 injured in the Tashkent bombings on 16 February 1999.")
    assert [(e.type, e.killed, e.wounded) for e in bombing] == [("bombing", 13, 128)]
    strike = events_of(
        extractor, "In 2001 Juma Namangani was killed in one of the American air strikes in Afghanistan."
    )
    assert [e.type for e in strike] == ["air_strike"]
    plain = events_of(extractor, "In 2003 militants killed six guards in Osh.")
    assert [(e.type, e.killed) for e in plain] == [("armed_assault", 6)]


def test_a_hyphenated_trigger_and_a_toll_left_dead(extractor: Extractor) -> None:
    found = events_of(
        extractor, "On 2 April 1999, a shoot-out with a gang outside Tashkent left eight of the militants dead."
    )
    assert [(e.type, e.date, e.killed) for e in found] == [("clash", "1999-04-02", 8)]


def test_a_reference_back_far_from_its_incident_is_no_new_incident(extractor: Extractor) -> None:
    text = (
        "Militants stormed a police post in Osh on 8 May 2003. Officials blamed the IMU. The weather was cold. "
        "Police patrolled the town. Schools closed. Shops reopened. Karimov was furious about the attacks."
    )
    assert [(e.type, e.date) for e in events_of(extractor, text)] == [("armed_assault", "2003-05-08")]
    # Told first, "the attack" is the incident itself.
    first = events_of(extractor, "The attack on the embassy killed 12 people in Kabul on 3 May 2005.")
    assert [(e.date, e.killed) for e in first] == [("2005-05-03", 12)]


def test_strafing_runs_by_a_countrys_aircraft(extractor: Extractor) -> None:
    found = events_of(extractor, "In 1999 Uzbek aircraft made strafing runs into Tajikistan, resulting in casualties.")
    assert [(e.type, [p.name for p in e.perpetrators]) for e in found] == [("air_strike", ["Uzbek security forces"])]


def test_forces_with_no_nationality_are_the_countrys_where_it_happens(extractor: Extractor) -> None:
    found = events_of(
        extractor,
        "In July 2009, government security forces and the army clashed with armed fighters in the Rasht Valley "
        "of Tajikistan.",
    )
    assert [(p.name, p.attribution.split(":")[0]) for e in found for p in e.perpetrators] == [
        ("Tajik security forces", "implied")
    ]
    # Not rebels, not foreign troops, and not where a nationality is named.
    for text in (
        "In 2000 the rebel forces attacked a village in Kyrgyzstan.",
        "In 2001 foreign troops attacked a village in Afghanistan.",
    ):
        assert [p for e in events_of(extractor, text) for p in e.perpetrators] == []
    kyrgyz = events_of(extractor, "In 2000 Kyrgyz troops attacked the militants in Batken.")
    assert [(p.name, p.attribution) for e in kyrgyz for p in e.perpetrators] == [("Kyrgyz security forces", "stated")]


def test_displacement_and_seizures_of_power_are_other_events_but_goals_are_not(extractor: Extractor) -> None:
    deported = events_of(
        extractor, "Tajik nationals suspected of terrorist sympathies were deported from Uzbekistan in 2000."
    )
    assert [(e.type, e.date) for e in deported] == [("other", "2000")]
    power = events_of(extractor, "The Taliban had taken power in Afghanistan in 1996.")
    assert [(e.type, [p.name for p in e.perpetrators]) for e in power] == [("other", ["Taliban"])]
    goal = events_of(extractor, "In 2000 the IMU was no nearer its goal of a revolution in Uzbekistan.")
    assert goal == []


def test_an_encounter_and_an_exchange_of_fire_are_clashes(extractor: Extractor) -> None:
    encounter = events_of(
        extractor,
        "In June 2009 an encounter with IMU members in Jalal-Abad Province resulted in the death of a soldier.",
    )
    assert [e.type for e in encounter] == ["clash"]
    fire = events_of(extractor, "On 3 May 2005 troops exchanged fire with militants near Osh.")
    assert [(e.type, e.date) for e in fire] == [("clash", "2005-05-03")]


def test_a_sentence_telling_two_incidents_dated_apart_gives_two_events(extractor: Extractor) -> None:
    text = (
        "In 2003 militants attacked a bank in Osh, killing three guards, and in 2004 they bombed a market in "
        "Bishkek, killing five people."
    )
    found = events_of(extractor, text)
    assert [(e.type, e.date, e.place.name if e.place else None, e.killed) for e in found] == [
        ("armed_assault", "2003", "Osh", 3),
        ("bombing", "2004", "Bishkek", 5),
    ]
    relative = events_of(
        extractor,
        "In 1999, the IMU invaded the Batken region of Kyrgyzstan, and the following year, IMU fighters invaded "
        "the Surkhandarya region of Uzbekistan.",
    )
    assert [(e.date, e.place.country if e.place else None) for e in relative] == [("1999", "KG"), ("2000", "UZ")]
    # One act told with one date stays one event.
    one = events_of(extractor, "Militants attacked a police post and killed three officers in Osh in 2003.")
    assert len(one) == 1


def test_a_states_trial_happens_in_its_country_and_a_diplomatic_offensive_is_no_event(extractor: Extractor) -> None:
    trial = events_of(
        extractor,
        "Uzbekistan closed its border in 2009. Tajikistan's Supreme Court sentenced six IMU members at the end "
        "of July 2009 to jail terms.",
    )
    assert [(e.type, e.place.country if e.place else None) for e in trial if e.type == "trial"] == [("trial", "TJ")]
    assert events_of(extractor, "In 1999 Karimov's first response was a diplomatic offensive.") == []


def test_a_when_clause_names_the_incident_and_a_condemner_is_no_perpetrator(extractor: Extractor) -> None:
    bombing = events_of(
        extractor,
        "On 29 October 2022 at least 20 people were killed when two car bombs exploded near the ministry in "
        "Mogadishu, police said.",
    )
    assert [(e.type, e.killed) for e in bombing] == [("bombing", 20)]
    condemned = events_of(
        extractor, "In 2022 Somali President Hassan Sheikh Mohamud condemned the bombing in Mogadishu."
    )
    assert [p.name for e in condemned for p in e.perpetrators] == []
    launched = events_of(extractor, "In 2009 Kyrgyz authorities launched a security operation in the Ferghana Valley.")
    assert [p.name for e in launched for p in e.perpetrators] == ["Government of Kyrgyzstan"]


def test_a_running_total_is_no_incident_and_the_killers_of_a_named_battle_are_its_actors(extractor: Extractor) -> None:
    tally = "The insurgency has killed more than 35,000 people in northeast Nigeria since 2009."
    assert events_of(extractor, tally) == []
    battle = events_of(
        extractor, "In January 2023 troops killed 12 of the attackers in a gun battle near Kukawa in Nigeria."
    )
    assert [(e.type, e.killed, [p.name for p in e.perpetrators]) for e in battle] == [
        ("clash", 12, ["Nigerian security forces"])
    ]


def test_an_act_with_no_agent_is_the_one_armed_group_its_sentence_names_marked_implied(extractor: Extractor) -> None:
    text = (
        "The new training facilities afforded to the IMU were soon apparent: a wave of car bombings "
        "struck the Uzbek capital in February 1999."
    )
    (event,) = events_of(extractor, text)
    assert [(p.name, p.attribution) for p in event.perpetrators] == [
        ("Islamic Movement of Uzbekistan", "implied: the one armed group its sentence names")
    ]
    two = events_of(extractor, "A car bomb exploded in Tashkent in 1999, as the IMU and the Taliban met in Kabul.")
    assert all(not e.perpetrators for e in two)
    victim = events_of(extractor, "In 2001 a bomb killed five IMU militants near Kunduz.")
    assert all(not e.perpetrators for e in victim)
    passive = events_of(
        extractor, "At least nine people designated as IMU fighters were killed in Kyrgyzstan in July 2009."
    )
    assert passive and all(not e.perpetrators for e in passive)
    text = (
        "The IMU was badly hurt in 2001. "
        "The movement remained hors de combat until December 2002, when bombs were detonated in a market of Bishkek."
    )
    referred = [e for e in events_of(extractor, text) if e.type == "bombing"]
    assert [(p.name, p.attribution) for e in referred for p in e.perpetrators] == [
        ("Islamic Movement of Uzbekistan", "implied: the armed group its sentence's subject refers to")
    ]


def test_a_place_in_words_that_describe_the_actor_is_not_the_events(extractor: Extractor) -> None:
    text = (
        "OUAGADOUGOU, March 3, 2023 - Suspected jihadists killed 12 soldiers in an ambush near the town of "
        "Djibo in northern Burkina Faso. "
        "JNIM, al Qaeda's affiliate in the Sahel, claimed the attack."
    )
    (event,) = events_of(extractor, text)
    assert event.place is not None and (event.place.name, event.place.country) == ("Djibo", "BF")
    assert [p.attribution for p in event.perpetrators] == ["claimed"]


def test_the_agency_in_a_dateline_is_not_the_perpetrator(extractor: Extractor) -> None:
    text = "NAIROBI, June 15, 2014 (AP) - Al-Shabaab militants attacked the town of Mpeketoni, killing 48 people."
    (event,) = events_of(extractor, text)
    assert [p.name for p in event.perpetrators] == ["Al-Shabaab"] and event.killed == 48


def test_a_strike_is_an_air_strike_only_when_aircraft_strike(extractor: Extractor) -> None:
    air = events_of(extractor, "In December 2023 Russian warplanes struck militant hideouts in Syria's Deir ez-Zor.")
    assert [e.type for e in air] == ["air_strike"]
    bomb = events_of(extractor, "In October 2019 a suicide bomber struck a mosque in Kabul, killing 29 worshippers.")
    assert [e.type for e in bomb] == ["bombing"]


def test_the_next_sentence_may_say_who_did_it(extractor: Extractor) -> None:
    text = (
        "KANO, Nigeria, April 16, 2014 (Reuters) - Gunmen abducted more than 200 schoolgirls from a school in "
        "Chibok on Monday night, police said. Boko Haram is suspected.\n\n"
        "A car bomb exploded outside a market in Maiduguri on Tuesday, killing 12 people. No group claimed "
        "responsibility, but officials blamed Boko Haram."
    )
    events = events_of(extractor, text)
    assert [(e.type, e.date, [(p.name, p.attribution) for p in e.perpetrators]) for e in events] == [
        ("kidnapping", "2014-04-14", [("Boko Haram", "suspected")]),
        ("bombing", "2014-04-15", [("Boko Haram", "blamed")]),
    ]
    assert all(len(e.evidence) == 2 for e in events), "the attributing sentence is part of the evidence"


def test_an_attack_by_suicide_bombers_is_a_bombing(extractor: Extractor) -> None:
    bombing = events_of(extractor, "In July 2004 the embassies in Tashkent were attacked by suicide bombers.")
    assert [e.type for e in bombing] == ["bombing"]
    assault = events_of(extractor, "In 2010 gunmen attacked a bus in Karachi.")
    assert [e.type for e in assault] == ["armed_assault"]


def test_a_statements_date_does_not_move_the_story_and_a_siege_refers_back(extractor: Extractor) -> None:
    text = (
        "MOGADISHU, Somalia, Aug. 20, 2022 (AP) - Al-Shabaab fighters stormed the Hayat Hotel in Mogadishu late "
        "Friday, killing at least 21 people, health officials said on Saturday. The siege lasted 30 hours.\n\n"
        "Two days later, a roadside bomb killed four soldiers near Balcad. In a separate attack, militants "
        "abducted two aid workers near Beledweyne."
    )
    events = events_of(extractor, text, published="2022-08-20")
    assert [(e.type, e.date) for e in events] == [
        ("armed_assault", "2022-08-19"),  # the siege is the same attack
        ("bombing", "2022-08-21"),  # two days after the attack, not after the day it was reported
        ("kidnapping", "2022-08-21"),  # abducted "in a separate attack" stays a kidnapping
    ]


def test_a_blame_of_something_else_names_no_perpetrator_and_a_trend_since_is_no_incident(extractor: Extractor) -> None:
    text = (
        "In late May 2009 a small armed group crossed from Kyrgyzstan and attacked a border post. The Uzbek "
        "government accused Kyrgyzstan of laxity in its internal security efforts."
    )
    (event,) = events_of(extractor, text)
    assert event.perpetrators == []
    trend = "The TTP has stepped up attacks since the Afghan Taliban took power in Kabul in August 2021."
    assert [e.type for e in events_of(extractor, trend)] == ["other"]  # the Taliban taking power, not "attacks"


def test_a_toll_reported_later_in_the_paragraph_joins_the_incident_not_the_reports_day(extractor: Extractor) -> None:
    text = (
        "In July 2009, government security forces clashed with armed fighters in the Tavil-Dara region of "
        "Tajikistan. The Interior Ministry claimed on August 5 that 11 militants had been killed and 20 captured "
        "in the operation."
    )
    (event,) = events_of(extractor, text)
    assert (event.type, event.date, event.killed) == ("clash", "2009-07", 11)


def test_whom_a_death_verb_killed_is_the_target_of_the_incident_it_names(extractor: Extractor) -> None:
    text = "In March 2023 suspected jihadists killed 12 soldiers in an ambush near Djibo in Burkina Faso."
    (event,) = events_of(extractor, text)
    assert [(t.text, t.type) for t in event.targets] == [("12 soldiers", "military")]


def test_firing_rockets_at_a_place_is_an_attack_with_explosives_on_it(extractor: Extractor) -> None:
    text = (
        "Hezbollah, the Iran-backed movement led by Hassan Nasrallah, fired rockets at northern Israel in October 2023."
    )
    (event,) = events_of(extractor, text)
    assert (event.type, [t.text for t in event.targets]) == ("bombing", ["northern Israel"])
    shooting = events_of(extractor, "In 2024 police fired on protesters in Dhaka.")
    assert all(e.type != "bombing" for e in shooting), "firing without explosives is no bombing"


def test_an_incident_after_after_with_its_own_date_and_place_is_an_event_of_its_own(extractor: Extractor) -> None:
    text = (
        "The subsequent U.S. attack on Afghanistan in November 2001 after the Sept. 11 terrorist attacks "
        "in the United States decimated the IMU."
    )
    found = events_of(extractor, text)
    assert [(e.date, e.place.country if e.place else None) for e in found] == [("2001-11", "AF"), ("2001-09-11", "US")]
    plain = events_of(extractor, "Militants attacked a post in Kunduz in May 2009 after the arrests.")
    assert len(plain) == 1  # "the arrests" has no date or place of its own


def test_an_act_dated_beside_another_event_takes_the_storys_date_when_it_can(extractor: Extractor) -> None:
    news = (
        "BISHKEK, Sept. 21, 2010 (UPI) -- Gunmen struck.\n\n"
        "In light of the recent attack Kyrgyzstan has closed its border."
    )
    assert [e.date for e in events_of(extractor, news)] == ["2010-09"]
    history = "After the attacks of 11 September 2001, American troops invaded Afghanistan."
    assert sorted(e.date or "" for e in events_of(extractor, history)) == ["2001", "2001-09-11"]


def test_an_act_named_only_to_date_another_is_not_the_sentences_act(extractor: Extractor) -> None:
    text = (
        "On June 15, 2014, the Pakistani military launched a ground assault in North Waziristan. "
        "But the military’s statements on its operations this week emphasized that among the more than 100 "
        "militants killed in air strikes preceding the ground assault, “most of those killed are Uzbeks.”"
    )
    found = events_of(extractor, text)
    assert [(e.type, e.killed) for e in found] == [("clash", None), ("air_strike", 100)]


def test_the_dead_of_an_act_told_beside_take_its_type(extractor: Extractor) -> None:
    text = "In 2000, intercepted by 130 troops, the IMU detachment tried to fight it out: six of them were killed."
    assert [(e.type, e.killed) for e in events_of(extractor, text)] == [("clash", 6)]


def test_the_main_clauses_act_not_the_participle_leading_into_it(extractor: Extractor) -> None:
    text = "In 2000, destroying their flocks, the authorities forcibly moved the locals into camps."
    assert [e.type for e in events_of(extractor, text)] == ["other"]


def test_a_coordinated_clause_with_a_named_subject_of_its_own_is_another_act(extractor: Extractor) -> None:
    text = (
        "In the summer of 2001, the Taliban went on the offensive against Masoud "
        "and the IMU resumed their attacks on Kyrgyzstan."
    )
    found = events_of(extractor, text)
    assert sorted(e.type for e in found) == ["armed_assault", "clash"]
    attack = next(e for e in found if e.type == "armed_assault")
    offensive = next(e for e in found if e.type == "clash")
    assert attack.place is not None and attack.place.country == "KG"
    assert offensive.place is None or offensive.place.country != "KG"  # Kyrgyzstan is the other clause's
    one_doer = events_of(extractor, "In 2003 militants attacked a post in Kunduz and killed four soldiers.")
    assert len(one_doer) == 1
