import hashlib

from conflictkb.aliases import canonical_name, is_acronym
from conflictkb.extract import Extractor
from conflictkb.model import Document, DocumentFacts, Entity


def facts_of(extractor: Extractor, text: str) -> DocumentFacts:
    return extractor(Document(hashlib.sha256(text.encode()).hexdigest(), "a.txt", "txt", text))


def entity_with(facts: DocumentFacts, alias: str) -> Entity:
    found = [e for e in facts.entities if alias in e.aliases]
    assert len(found) == 1, f"{alias!r} is on {len(found)} entities"
    return found[0]


def test_acronym_defined_in_brackets_joins_the_full_name(extractor: Extractor) -> None:
    text = (
        "The Mujahideen Liberation Army of the East (MLAE) attacked a base in 2009.\n\n"
        "Later the MLAE attacked again, and MLAE fighters fled."
    )
    facts = facts_of(extractor, text)
    group = entity_with(facts, "MLAE")
    assert "Mujahideen Liberation Army of the East" in group.aliases
    assert group.name == "Mujahideen Liberation Army of the East"
    assert any("bracket" in why for why in group.merges)
    for mention in facts.mentions:
        assert text[mention.start : mention.end] == mention.text


def test_acronym_of_initials_without_brackets(extractor: Extractor) -> None:
    facts = facts_of(
        extractor,
        "The Islamic Jihad Union claimed the bombing in Tashkent in 2004.\n\nThe IJU later moved to Waziristan.",
    )
    group = entity_with(facts, "IJU")
    assert "Islamic Jihad Union" in group.aliases


def test_surname_after_full_name_is_the_same_person(extractor: Extractor) -> None:
    facts = facts_of(
        extractor,
        "President Islam Karimov spoke in Tashkent.\n\nKarimov said the militants would be punished, and Karimov left.",
    )
    person = entity_with(facts, "Karimov")
    assert person.name == "Islam Karimov"


def test_stated_real_name_merges_two_names(extractor: Extractor) -> None:
    facts = facts_of(
        extractor,
        "In 1998 Juma Namangani (whose real name was Jumaboi Khojaev) went to Kabul with Tohir Yuldashev.",
    )
    person = entity_with(facts, "Juma Namangani")
    assert "Jumaboi Khojaev" in person.aliases
    assert "Tohir Yuldashev" not in person.aliases


def test_transliteration_variants_merge_within_a_document(extractor: Extractor) -> None:
    facts = facts_of(
        extractor,
        "Tohir Yuldashev led the group in 2001.\n\nReports in 2002 said Tohir Yuldeshev had survived the bombing.",
    )
    person = entity_with(facts, "Tohir Yuldashev")
    assert "Tohir Yuldeshev" in person.aliases


def test_two_people_sharing_a_surname_stay_apart(extractor: Extractor) -> None:
    facts = facts_of(
        extractor,
        "Baitullah Mehsud led the TTP until 2009, when Hakimullah Mehsud replaced him.\n\nMehsud then spoke.",
    )
    assert entity_with(facts, "Baitullah Mehsud") is not entity_with(facts, "Hakimullah Mehsud")


def test_canonical_name_and_acronyms() -> None:
    entity = Entity("e", "IMU", "armed_group", {"IMU": 9, "Islamic Movement of Uzbekistan": 2})
    assert canonical_name(entity) == "Islamic Movement of Uzbekistan"
    assert is_acronym("IMU") and is_acronym("U.S.") and not is_acronym("Taliban") and not is_acronym("I")


def test_a_listed_group_in_an_unlisted_spelling_is_the_listed_actor(extractor: Extractor) -> None:
    facts = facts_of(extractor, "Funds came from the Jamaat-i-Ulema Islami, the party that ran the madrassas, in 1999.")
    group = next(e for e in facts.entities if e.ref == "actor:Jamiat Ulema-e-Islam")
    assert any("Ulema" in alias for alias in group.aliases)
    assert any("spelling" in why for why in group.merges)


def test_a_surname_the_parser_took_for_a_people_joins_the_person(extractor: Extractor) -> None:
    text = (
        "Baitullah Mehsud sheltered the fighters in South Waziristan.\n\n"
        "Later that year, Mehsud emerged as the leader of an alliance of Pakistani militants."
    )
    facts = facts_of(extractor, text)
    person = next(e for e in facts.entities if e.ref == "actor:Baitullah Mehsud")
    assert sum(person.aliases.values()) >= 2


def test_another_name_in_brackets_after_or(extractor: Extractor) -> None:
    text = "They fought the Zeravshan Patriotic Front (or Zeravshan Liberation Army, as it was called) in 1990."
    facts = facts_of(extractor, text)
    front = entity_with(facts, "Zeravshan Patriotic Front")
    assert "Zeravshan Liberation Army" in front.aliases


def test_two_listed_actors_are_never_merged_by_a_cue(extractor: Extractor) -> None:
    text = "The al-Qaeda-linked group, formally known as Harakat al-Shabaab al-Mujahideen, attacked a hotel in 2022."
    facts = facts_of(extractor, text)
    names = {e.name for e in facts.entities}
    assert {"Al-Qaeda", "Al-Shabaab"} <= names


def test_a_listed_spelling_is_found_after_a_demonym_and_beside_another_name(extractor: Extractor) -> None:
    text = "Patronage of the Pakistani Jamaat-e-Ulema-e-Islam, the sponsor of the Taliban, is also present."
    jui = entity_with(facts_of(extractor, text), "Jamaat-e-Ulema-e-Islam")
    assert jui.name == "Jamiat Ulema-e-Islam"


def test_a_stated_alias_the_parser_took_for_a_place_is_the_persons(extractor: Extractor) -> None:
    facts = facts_of(extractor, "The ELN is led by Nicolas Rodriguez Bautista, alias Gabino, since 1998.")
    person = entity_with(facts, "Gabino")
    assert person.kind == "person" and "Nicolas Rodriguez Bautista" in person.aliases
