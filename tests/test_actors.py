import hashlib
from pathlib import Path

import pytest

from conflictkb.actors import country_of, load_actor_file, load_dictionary, ruler_patterns, spellings, state_actors
from conflictkb.extract import Extractor
from conflictkb.model import Document
from conflictkb.vocab import VocabError


def test_listed_actors_and_generated_state_actors() -> None:
    dictionary = load_dictionary()
    assert dictionary.actors["Taliban"].kind == "armed_group"
    government = dictionary.actors["Government of Tajikistan"]
    assert government.kind == "state_actor" and "Tajik government" in government.aliases
    forces = dictionary.actors["Tajik security forces"]
    assert "Tajik troops" in forces.aliases and forces.country == "TJ"
    assert dictionary.country_by_name()["tajikistan"] == "TJ"
    assert dictionary.demonyms()["uzbek"] == "UZ"


def test_templates_fill_possessives_and_adjectives() -> None:
    data = {
        "state_actor_templates": [{"id": "government", "name": "Government of {country}", "kind": "state_actor",
                                   "aliases": ["{country_possessive} government", "{demonym} authorities"]}],
        "countries": {"PH": {"names": ["Philippines"], "demonyms": ["Filipino"]}},
    }  # fmt: skip
    from conflictkb.actors import _countries

    (actor,) = state_actors(data, _countries(data))
    assert actor.name == "Government of Philippines"
    assert set(actor.aliases) == {"Philippines' government", "Filipino authorities"}


def test_spellings_cover_hyphen_variants() -> None:
    assert spellings("Lashkar-e-Taiba") == {"Lashkar-e-Taiba", "Lashkar e Taiba", "LashkareTaiba"}


def test_patterns_are_case_sensitive_for_single_words_only() -> None:
    phrases, words = ruler_patterns(load_dictionary())
    raw = [p["pattern"] for p in words if p["id"] == "actor:Research and Analysis Wing"]
    assert "RAW" in raw and "raw" not in raw
    assert any(p["pattern"] == "Taliban" for p in words) and any(p["pattern"] == "TALIBAN" for p in words)
    assert any(p["pattern"] == "Al-Qaeda" and p["id"] == "actor:Al-Qaeda" for p in phrases)


def test_a_user_actor_file_extends_the_dictionary(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text("actors:\n  - {name: Free Valley Front, kind: armed_group, aliases: [FVF]}\n", encoding="utf-8")
    dictionary = load_dictionary(tuple(load_actor_file(path)))
    assert dictionary.actors["Free Valley Front"].aliases == ("FVF",)
    assert "Taliban" in dictionary.actors


def test_a_broken_actor_file_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("actors:\n  - {name: Nameless, kind: gang}\n", encoding="utf-8")
    with pytest.raises(VocabError, match="kind"):
        load_actor_file(path)
    path.write_text("actors:\n  - {name: Nameless, kind: person, in_office: [2010]}\n", encoding="utf-8")
    with pytest.raises(VocabError, match="in_office"):
        load_actor_file(path)


def test_the_term_that_began_last_of_the_office_holders_named() -> None:
    dictionary = load_dictionary()
    assert dictionary.actors["Islam Karimov"].in_office == (1991, 2016)
    ids = ["actor:Islam Karimov", "actor:Roza Otunbayeva", "actor:Taliban", "country:KG", ""]
    assert dictionary.latest_term(ids) == (2010, 2011)
    assert dictionary.latest_term(["actor:Taliban"]) is None


def test_a_form_that_is_both_a_name_and_an_adjective_names_the_country() -> None:
    phrases, words = ruler_patterns(load_dictionary())
    labels = {p["label"] for p in [*phrases, *words] if p["pattern"] == "U.S." and p["id"] == "country:US"}
    assert labels == {"GPE"}  # "a U.S. bombing campaign": the country acting, not a people
    assert any(p["pattern"] == "American" and p["label"] == "NORP" for p in [*phrases, *words])


def test_groups_beyond_central_asia_resolve_on_the_real_pipeline(extractor: Extractor) -> None:
    """A Sahel/Somalia story: the Arabic name, its variant spelling and the acronym are one group,
    al-Shabaab is a group (not a person), and each keeps its canonical name and parent."""
    text = (
        "BAMAKO (Reuters) - Jama'at Nasr al-Islam wal Muslimin (JNIM) said it attacked an army camp "
        "near Boulkessi. JNIM also clashed with the Islamic State in the Greater Sahara. In Somalia, "
        "al-Shabaab fighters stormed a hotel in Mogadishu; Al Shabaab later claimed the attack."
    )
    facts = extractor(Document(hashlib.sha256(text.encode()).hexdigest(), "sahel.txt", "txt", text))
    groups = {e.name: e for e in facts.entities if e.kind == "armed_group"}
    jnim = groups["Jama'at Nusrat al-Islam wal-Muslimin"]
    assert {"JNIM", "Jama'at Nasr al-Islam wal Muslimin"} <= set(jnim.aliases)
    assert {"al-Shabaab", "Al Shabaab"} <= set(groups["Al-Shabaab"].aliases)
    assert "Islamic State Sahel Province" in groups
    assert not any("Shabaab" in e.name or "JNIM" in e.name for e in facts.entities if e.kind == "person")
    dictionary = load_dictionary()
    assert dictionary.actors["Jama'at Nusrat al-Islam wal-Muslimin"].parent == "Al-Qaeda"
    assert dictionary.actors["Islamic State Sahel Province"].former_names == (
        ("Islamic State in the Greater Sahara", 2022),
    )


def test_entity_ruler_ids_are_read_one_way() -> None:
    dictionary = load_dictionary()
    assert country_of("country:TJ") == "TJ" and country_of("actor:Taliban") is None and country_of(None) is None
    taliban = dictionary.actor_of("actor:Taliban")
    assert taliban is not None and taliban.kind == "armed_group"
    assert dictionary.actor_of("country:TJ") is None and dictionary.actor_of("place:Rasht Valley") is None
    assert dictionary.country_meant("country:UZ") == "UZ"
    assert dictionary.country_meant("actor:Islamic Movement of Uzbekistan") == "UZ"
