from pathlib import Path

import pytest

from conflictkb.actors import load_actor_file, load_dictionary, ruler_patterns, spellings, state_actors
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


def test_a_form_that_is_both_a_name_and_an_adjective_names_the_country() -> None:
    phrases, words = ruler_patterns(load_dictionary())
    labels = {p["label"] for p in [*phrases, *words] if p["pattern"] == "U.S." and p["id"] == "country:US"}
    assert labels == {"GPE"}  # "a U.S. bombing campaign": the country acting, not a people
    assert any(p["pattern"] == "American" and p["label"] == "NORP" for p in [*phrases, *words])
