import hashlib
from collections import Counter

from conflictkb.extract import Extractor
from conflictkb.gazetteer import Candidate, Gazetteer, default_gazetteer
from conflictkb.model import Document, Entity, Place
from conflictkb.places import Context, choose, resolve_places, score, specificity


def test_the_documents_country_decides_an_ambiguous_name() -> None:
    gaz = default_gazetteer()
    in_tajikistan = resolve_places([Entity("e1", "Rasht", "place", {"Rasht": 1})], gaz, Context(Counter({"TJ": 5})))
    assert in_tajikistan["e1"].country == "TJ"
    in_iran = resolve_places([Entity("e1", "Rasht", "place", {"Rasht": 1})], gaz, Context(Counter({"IR": 5})))
    assert in_iran["e1"].country == "IR"


def test_without_context_population_and_layer_decide() -> None:
    kabul = resolve_places([Entity("e1", "Kabul", "place", {"Kabul": 1})], default_gazetteer())["e1"]
    assert kabul.country == "AF"


def test_unknown_names_keep_their_name_and_no_coordinates() -> None:
    entities = [
        Entity("e1", "Khevasporzz", "place", {"Khevasporzz": 1}),
        Entity("e2", "IMU", "armed_group", {"IMU": 1}),
    ]
    places = resolve_places(entities, default_gazetteer())
    assert places == {"e1": Place("Khevasporzz")}
    assert specificity(places["e1"]) > specificity(Place("Tajikistan", "TJ", precision="country"))


def test_every_choice_explains_itself() -> None:
    near = Candidate(Place("A", "TJ", lat=38.5, lon=68.8, precision="point"), "geonames", "city", 1000)
    far = Candidate(Place("A", "IR", lat=37.3, lon=49.6, precision="point"), "geonames", "city", 500_000)
    context = Context(Counter({"TJ": 3}), anchors=[Place("Dushanbe", "TJ", lat=38.53, lon=68.77)])
    chosen = choose([far, near], context)
    assert chosen is not None and chosen[0] is near
    total, why = score(near, context)
    assert total > score(far, context)[0]
    assert any("country the document names" in w for w in why) and any("near a place" in w for w in why)


def test_a_gazetteer_without_candidates_chooses_nothing() -> None:
    assert choose([], Context()) is None
    assert Gazetteer().lookup("Kabul") is None


def test_a_small_town_abroad_is_not_taken_for_an_unknown_local_name() -> None:
    """The installed GeoNames data knows "Shaartuz" only as a village in Russia; in a document about
    Tajikistan the name stays unresolved rather than placed in the Caucasus. Large cities abroad and
    names with no document context still resolve."""
    gaz = default_gazetteer()
    assert any(c.place.country == "RU" for c in gaz.candidates("Shaartuz"))
    tajik = Context(Counter({"TJ": 15, "KG": 4, "RU": 1}))  # Russia named once in passing
    assert resolve_places([Entity("e1", "Shaartuz", "place", {"Shaartuz": 1})], gaz, tajik)["e1"].country is None
    assert resolve_places([Entity("e1", "Shaartuz", "place", {"Shaartuz": 1})], gaz)["e1"].country == "RU"
    new_york = resolve_places([Entity("e1", "New York", "place", {"New York": 1})], gaz, tajik)["e1"]
    assert new_york.country == "US"


def test_the_capital_alone_is_the_capital_of_the_one_country_the_sentence_names(extractor: Extractor) -> None:
    text = "In 2004 the Uzbek security forces sealed off the capital with roadblocks and vehicle searches."
    facts = extractor(Document(hashlib.sha256(text.encode()).hexdigest(), "c.txt", "txt", text))
    assert [(e.place.name, e.place.country) for e in facts.events if e.place] == [("Tashkent", "UZ")]
    two = "In 2004 Kyrgyz and Tajik troops fought near the capital."
    facts = extractor(Document(hashlib.sha256(two.encode()).hexdigest(), "d.txt", "txt", two))
    assert "Tashkent" not in {e.name for e in facts.entities} and "Bishkek" not in {e.name for e in facts.entities}


def test_a_datelines_city_in_capitals_is_a_place(extractor: Extractor) -> None:
    text = (
        "MOGADISHU, Oct 29, 2022 - At least 20 people were killed when two car bombs exploded in Mogadishu.\n\n"
        "Somali President Hassan Sheikh Mohamud condemned the bombing."
    )
    facts = extractor(Document(hashlib.sha256(text.encode()).hexdigest(), "m.txt", "txt", text))
    (city,) = [e for e in facts.entities if "MOGADISHU" in e.aliases]
    assert city.kind == "place" and city.aliases == {"MOGADISHU": 1, "Mogadishu": 1}  # one place, named twice


def test_a_transboundary_region_of_another_continent_is_a_place(extractor: Extractor) -> None:
    text = "JNIM, al Qaeda's affiliate in the Sahel, attacked a camp in Mali in 2017."
    facts = extractor(Document(hashlib.sha256(text.encode()).hexdigest(), "s.txt", "txt", text))
    assert {e.name: e.kind for e in facts.entities}.get("Sahel") == "place"


def test_a_place_by_its_own_name_wins_over_one_that_has_it_as_another_name() -> None:
    found = default_gazetteer().candidates("Islamabad")
    assert {c.place.country for c in found} >= {"PK", "BD"}  # Chittagong was once called Islamabad
    assert [c.other_name for c in found if c.place.country == "BD"] == [True]
    islamabad = resolve_places([Entity("e1", "Islamabad", "place", {"Islamabad": 1})], default_gazetteer())["e1"]
    assert islamabad.country == "PK"


def test_a_transboundary_feature_is_the_part_in_the_one_country_its_sentence_names(extractor: Extractor) -> None:
    text = (
        "Uzbekistan tightened its borders and Uzbek officials met in Tashkent. Kyrgyz authorities then "
        "launched a security operation in the country's section of the Ferghana Valley, killing nine militants."
    )
    facts = extractor(Document(hashlib.sha256(text.encode()).hexdigest(), "f.txt", "txt", text))
    event = next(e for e in facts.events if "Ferghana" in (e.place.name if e.place else ""))
    assert event.place is not None and event.place.country == "KG"
    assert set(event.place.countries) == {"UZ", "KG", "TJ"}


def test_a_name_no_gazetteer_knows_that_holds_a_role_or_speaks_is_a_person(extractor: Extractor) -> None:
    text = (
        "The head of the press center of the Tajik Border Troops' directorate, Khushnud Rahmatulloyev, "
        "said that the attackers crossed from Afghanistan."
    )
    facts = extractor(Document(hashlib.sha256(text.encode()).hexdigest(), "p.txt", "txt", text))
    kinds = {e.name: e.kind for e in facts.entities}
    assert kinds["Khushnud Rahmatulloyev"] == "person" and kinds["Afghanistan"] == "place"


def test_a_major_city_of_the_documents_country_is_a_place_whatever_the_parser_said(extractor: Extractor) -> None:
    text = "In Yemen, the Houthi rebels, who control Sanaa, fired missiles at Marib, killing 14 people."
    facts = extractor(Document(hashlib.sha256(text.encode()).hexdigest(), "y.txt", "txt", text))
    sanaa = next(e for e in facts.entities if e.name == "Sanaa")
    assert sanaa.kind == "place" and facts.places[sanaa.id].country == "YE"


def test_a_datelines_city_abroad_a_place_named_twice_and_an_unknown_region_are_places(extractor: Extractor) -> None:
    text = (
        "BEIRUT, Dec 31, 2023 (Reuters) - Islamic State militants ambushed a bus near Palmyra in Syria, killing 20 "
        "soldiers. The attack took place about 40 km east of Palmyra. Russian warplanes later struck hideouts "
        "in the Badia region."
    )
    facts = extractor(Document(hashlib.sha256(text.encode()).hexdigest(), "d.txt", "txt", text))
    places = {e.name: facts.places[e.id] for e in facts.entities if e.kind == "place"}
    assert places["BEIRUT"].country == "LB"
    assert [e.name for e in facts.entities].count("Palmyra") == 1
    assert places["Badia"].lat is None


def test_an_event_in_a_first_level_division_is_placed_there(extractor: Extractor) -> None:
    text = "In January 2021 Boko Haram fighters killed 10 farmers in Borno State, Nigeria."
    facts = extractor(Document(hashlib.sha256(text.encode()).hexdigest(), "n.txt", "txt", text))
    (event,) = facts.events
    assert event.place is not None and (event.place.name, event.place.country) == ("Borno", "NG")
    assert event.place.precision == "region" and event.place.lat is not None


def test_a_country_named_by_the_dictionary_is_the_country_not_a_town_of_its_name(extractor: Extractor) -> None:
    text = (
        "The FARC ambushed troops near San Vicente del Caguan in 1998. "
        "The ELN, Colombia's second largest rebel group, kidnapped 41 passengers in 1999."
    )
    facts = extractor(Document(hashlib.sha256(text.encode()).hexdigest(), "c.txt", "txt", text))
    colombia = next(e for e in facts.entities if e.name == "Colombia")
    assert facts.places[colombia.id].precision == "country"
