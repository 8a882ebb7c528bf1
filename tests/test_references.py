"""References back to an actor named before, on the real pipeline's parse and entities."""

import hashlib

from test_relations import claims_of, triples_of

from conflictkb.extract import Extractor
from conflictkb.model import Document


def events_of(extractor: Extractor, text: str) -> list[tuple[str, list[tuple[str, str]]]]:
    facts = extractor(Document(hashlib.sha256(text.encode()).hexdigest(), "r.txt", "txt", text))
    return [(e.type, [(p.name, p.attribution) for p in e.perpetrators]) for e in facts.events]


def test_they_is_the_group_that_was_the_subject_before(extractor: Extractor) -> None:
    found = events_of(
        extractor,
        "On 11 August 1999, one IMU team ambushed a Kyrgyz army patrol in Batken, Kyrgyzstan, and killed 22 men. "
        "The following day they kidnapped members of a climbing expedition.",
    )
    assert ("kidnapping", [("Islamic Movement of Uzbekistan", "stated, by reference ('they')")]) in found


def test_a_plain_noun_subject_in_between_stops_the_reference(extractor: Extractor) -> None:
    facts = extractor(
        Document(
            "c" * 64,
            "t.txt",
            "txt",
            "The IMU attacked Osh, Kyrgyzstan, in 1999. Troops entered the village in 2000. "
            "They killed five militants.",
        )
    )
    [later] = [e for e in facts.events if e.evidence[0].text.startswith("They killed")]
    assert later.perpetrators == []  # "they" are the troops, not the IMU named before


def test_the_militants_are_the_fighters_last_named_even_if_not_the_subject(extractor: Extractor) -> None:
    facts = extractor(
        Document(
            "a" * 64,
            "m.txt",
            "txt",
            "The Taliban hosted many groups. Karimov accused Tajikistan of harbouring the IMU; it is true that "
            "the terrorists were operating from a base in Kunduz.",
        )
    )
    names = {e.id: e.name for e in facts.entities}
    based = [(names[r.subject], names.get(r.object or "")) for r in facts.relations if r.relation == "based_in"]
    assert based == [("Islamic Movement of Uzbekistan", "Kunduz")]


def test_he_is_the_person_last_named_and_the_group_does_not_cross_a_paragraph_for_events(
    extractor: Extractor,
) -> None:
    facts = extractor(
        Document(
            "b" * 64,
            "p.txt",
            "txt",
            "Juma Namangani fought in Tajikistan in 1993. He gathered some 5,000 activists.\n\n"
            "The IMU was active in 1999.\n\nIn 2000 they ambushed a patrol in Batken, Kyrgyzstan.",
        )
    )
    names = {e.id: e.name for e in facts.entities}
    strengths = [(names[r.subject], r.value) for r in facts.relations if r.relation == "strength"]
    assert strengths == [("Juma Namangani", "some 5,000 activists")]
    ambush = [e for e in facts.events if e.date == "2000"]
    assert ambush and ambush[0].perpetrators == []  # "they" opens a paragraph: no one to refer to within it


def test_a_state_subject_in_between_stops_a_group_pronoun(extractor: Extractor) -> None:
    """ "The Turks, angered by reports that they had attacked ...": "they" is Turkey, not the Taliban
    named before; with no state in between the pronoun reaches the group."""
    stopped = events_of(
        extractor,
        "The Taliban hosted the IMU in 1999. The Turks, angered by reports that they had attacked a convoy in "
        "Kabul in 2000, protested.",
    )
    assert [p for _, perpetrators in stopped for p in perpetrators if p[0] == "Taliban"] == []
    reached = events_of(extractor, "The Taliban hosted the IMU in 1999. In 2000 they attacked a convoy in Kabul.")
    assert ("armed_assault", [("Taliban", "stated, by reference ('they')")]) in reached


def test_its_in_a_clause_before_the_main_one_refers_ahead(extractor: Extractor) -> None:
    found = claims_of(
        extractor,
        "The Taliban met in Kabul. Although Tahir Yuldash is still considered its main leader, "
        "the IMU has been split into factions.",
    )
    assert ("Tahir Yuldashev", "leader_of", "Islamic Movement of Uzbekistan") in {(s, r, o) for s, r, o, *_ in found}
    assert not [c for c in found if c[2] == "Taliban"]


def test_a_group_named_in_an_apposition_to_the_subject_is_not_what_its_refers_to(extractor: Extractor) -> None:
    text = (
        "The Group for the Support of Islam and Muslims (JNIM), al Qaeda's affiliate in the Sahel, claimed the "
        "attack. Its leader, Iyad Ag Ghaly, has been sanctioned."
    )
    found = triples_of(extractor, text)
    assert ("Iyad Ag Ghaly", "leader_of", "Jama'at Nusrat al-Islam wal-Muslimin") in found
    assert not [c for c in found if c[0] == "Iyad Ag Ghaly" and c[2] == "Al-Qaeda"]


def test_its_inside_a_phrase_an_actor_heads_is_that_actor(extractor: Extractor) -> None:
    text = (
        "Boko Haram fighters attacked Gajiram. The attack was blamed on the Islamic State West Africa Province "
        "(ISWAP), including its commander Abu Musab al-Barnawi."
    )
    found = triples_of(extractor, text)
    assert ("Abu Musab al-Barnawi", "leader_of", "Islamic State West Africa Province") in found
    assert not [c for c in found if c[2] == "Boko Haram"]


def test_the_militants_are_never_an_organisation_that_is_no_armed_group(extractor: Extractor) -> None:
    text = (
        "Militants attacked Mpeketoni, the Kenya Red Cross said. "
        "Ali Dhere, a spokesman for the militants, said the attack avenged the killing of clerics."
    )
    assert not [c for c in claims_of(extractor, text) if c[0] == "Ali Dhere"]


def test_a_subordinate_clauses_subject_gives_way_to_the_sentences_main_subject(extractor: Extractor) -> None:
    text = (
        "The Tehrik-i-Taliban Pakistan (TTP) has stepped up attacks since the Afghan Taliban took power in Kabul. "
        "The group's chief, Noor Wali Mehsud, is believed to be based in Kunar province."
    )
    found = triples_of(extractor, text)
    assert ("Noor Wali Mehsud", "leader_of", "Tehrik-i-Taliban Pakistan") in found
    assert not [c for c in found if c[2] == "Taliban"]


def test_an_act_named_as_a_subject_does_not_stop_a_reference_to_the_group(extractor: Extractor) -> None:
    text = (
        "Islamic State militants ambushed a bus near Palmyra in 2023. The attack took place east of Palmyra. "
        "The group has been weakened since its defeat in 2019. Its former leader, Abu Bakr al-Baghdadi, was "
        "killed in 2019."
    )
    found = triples_of(extractor, text)
    assert ("Abu Bakr al-Baghdadi", "leader_of", "Islamic State") in found
