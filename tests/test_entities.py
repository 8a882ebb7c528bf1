import hashlib

from conflictkb.entities import clean_name, kind_of
from conflictkb.extract import Extractor
from conflictkb.model import Document
from conflictkb.vocab import load_vocab


def test_clean_name_strips_articles_and_possessives() -> None:
    assert clean_name("the Rasht Valley") == ("Rasht Valley", 4, 16)
    assert clean_name("Tajikistan's") == ("Tajikistan", 0, 10)
    assert clean_name("the Tajik Border Troops'")[0] == "Tajik Border Troops"


def test_kind_of_refines_organisations_by_their_name_words() -> None:
    vocab = load_vocab()
    assert kind_of("Islamic Movement of Uzbekistan", "ORG", vocab) == "armed_group"
    assert kind_of("Defense Ministry", "ORG", vocab) == "state_actor"
    assert kind_of("Radio Free Europe", "ORG", vocab) == "organization"
    assert kind_of("Tashkent", "GPE", vocab) == "place"
    assert kind_of("Uzbeks", "NORP", vocab) is None
    assert kind_of("1999", "DATE", vocab) is None


def test_mentions_group_by_name_and_keep_original_spans(extractor: Extractor) -> None:
    text = (
        "Juma Namangani led the fighters in Tavildara.\n\n"
        "Later, Juma   Namangani moved to Afghanistan, where Juma Namangani's men trained."
    )
    facts = extractor(Document(hashlib.sha256(text.encode()).hexdigest(), "n.txt", "txt", text))
    people = [e for e in facts.entities if e.kind == "person"]
    assert [p.name for p in people] == ["Juma Namangani"]
    person = people[0]
    assert sum(person.aliases.values()) == 3
    mentions = [m for m in facts.mentions if m.entity == person.id]
    assert len(mentions) == 3
    for mention in mentions:
        assert text[mention.start : mention.end] == mention.text
    places = {e.name for e in facts.entities if e.kind == "place"}
    assert "Afghanistan" in places


def test_a_lower_case_common_noun_is_no_name(extractor: Extractor) -> None:
    """The statistical model may take "mosques" for a facility; a name has a capital letter."""
    text = "Karimov's regime made a number of arrests and closed down 1,000 of the country's 5,000 mosques."
    facts = extractor(Document(hashlib.sha256(text.encode()).hexdigest(), "m.txt", "txt", text))
    assert "mosques" not in {e.name for e in facts.entities}
