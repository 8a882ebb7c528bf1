import hashlib

from conflictkb.extract import Extractor
from conflictkb.model import Document, DocumentFacts


def facts_of(extractor: Extractor, text: str) -> DocumentFacts:
    return extractor(Document(hashlib.sha256(text.encode()).hexdigest(), "s.txt", "txt", text))


def test_a_country_that_acts_is_its_government(extractor: Extractor) -> None:
    text = "Tajikistan blamed the attack on the IMU.\n\nThe militants crossed into Tajikistan from Afghanistan."
    facts = facts_of(extractor, text)
    government = next(e for e in facts.entities if e.name == "Government of Tajikistan")
    assert government.aliases == {"Tajikistan": 1}
    place = next(e for e in facts.entities if e.name == "Tajikistan" and e.kind == "place")
    assert place.aliases == {"Tajikistan": 1}
    assert any("acting" in why for why in government.merges)


def test_a_country_described_as_land_stays_a_place(extractor: Extractor) -> None:
    facts = facts_of(extractor, "Tajikistan borders Afghanistan and lies north of it.")
    assert not any(e.name == "Government of Tajikistan" for e in facts.entities)


def test_a_leaders_regime_is_the_government(extractor: Extractor) -> None:
    facts = facts_of(extractor, "Critics said Karimov's regime arrested thousands in 1999.")
    government = next(e for e in facts.entities if e.name == "Government of Uzbekistan")
    assert "Karimov's regime" in government.aliases
    for mention in facts.mentions:
        assert facts.document.text[mention.start : mention.end] == mention.text


def test_a_leaders_name_before_regime_without_a_possessive(extractor: Extractor) -> None:
    facts = facts_of(extractor, "Opponents of the Karimov regime fled to Afghanistan in 1998.")
    government = next(e for e in facts.entities if e.name == "Government of Uzbekistan")
    assert "Karimov regime" in government.aliases


def test_a_country_named_before_an_attack_on_someone_made_it(extractor: Extractor) -> None:
    facts = facts_of(extractor, "The subsequent U.S. attack on Afghanistan in November 2001 decimated the IMU.")
    government = next(e for e in facts.entities if e.name == "Government of United States")
    assert government.aliases == {"U.S.": 1}
    kenya = facts_of(extractor, "The Kenya bombing killed 200 people.")
    assert [e.kind for e in kenya.entities if e.name == "Kenya"] == ["place"]


def test_two_countries_forces_together_are_one_actor_named_as_written(extractor: Extractor) -> None:
    text = (
        "Russian-Tajik border units did not want to engage the IMU. "
        "Opium was sometimes intercepted by Russian and Tajik border guards."
    )
    facts = facts_of(extractor, text)
    joint = next(e for e in facts.entities if e.name == "Russian-Tajik border units")
    assert joint.kind == "state_actor"
    assert joint.aliases == {"Russian-Tajik border units": 1, "Russian and Tajik border guards": 1}
    assert not any(e.name == "Tajik security forces" for e in facts.entities)


def test_a_government_headed_by_a_listed_leader_is_that_countrys(extractor: Extractor) -> None:
    facts = facts_of(
        extractor, "Since April, the interim government headed by Rosa Otunbayeva has struggled to contain unrest."
    )
    government = next(e for e in facts.entities if e.name == "Government of Kyrgyzstan")
    assert government.aliases == {"interim government": 1}
    names = {e.id: e.name for e in facts.entities}
    leads = {(names[r.subject], r.relation, names.get(r.object or "")) for r in facts.relations}
    assert ("Roza Otunbayeva", "leader_of", "Government of Kyrgyzstan") in leads
