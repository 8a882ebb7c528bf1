from pathlib import Path

import pytest

from conflictkb.vocab import DATA_DIR, VocabError, load_vocab, read_yaml


def test_every_trigger_type_is_a_known_event_type() -> None:
    vocab = load_vocab()
    assert {t.event_type for t in vocab.triggers} <= set(vocab.event_types)
    assert set(vocab.priority) == set(vocab.event_types)
    for spec in vocab.event_types.values():
        assert spec["acled"]["event_type"] and "description" in spec


def test_triggers_are_indexed_longest_first() -> None:
    vocab = load_vocab()
    car = vocab.triggers_by_first["car"]
    assert [len(t.lemmas) for t in car] == sorted((len(t.lemmas) for t in car), reverse=True)
    escape = next(t for t in vocab.triggers if t.lemmas == ("escape",))
    assert "prison" in escape.context


def test_user_folder_extends_the_lists(tmp_path: Path) -> None:
    (tmp_path / "triggers.yaml").write_text("types:\n  bombing:\n    nouns: [vbied]\n", encoding="utf-8")
    vocab = load_vocab((tmp_path,))
    assert any(t.lemmas == ("vbied",) for t in vocab.triggers)
    assert any(t.lemmas == ("car", "bomb") for t in vocab.triggers)


def test_unknown_event_type_in_user_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "triggers.yaml").write_text("types:\n  picnic:\n    verbs: [eat]\n", encoding="utf-8")
    with pytest.raises(VocabError, match="picnic"):
        load_vocab((tmp_path,))


def test_broken_yaml_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "cues.yaml").write_text("hypothetical: [unclosed\n", encoding="utf-8")
    with pytest.raises(VocabError, match=r"cues\.yaml"):
        load_vocab((tmp_path,))


def test_data_files_are_all_documented() -> None:
    schema = (Path(__file__).resolve().parent.parent / "docs" / "schema.md").read_text(encoding="utf-8")
    for path in DATA_DIR.glob("*.yaml"):
        assert f"`{path.name}`" in schema, f"{path.name} is not described in docs/schema.md"


def test_merges_with_must_name_known_types(tmp_path: Path) -> None:
    (tmp_path / "event_types.yaml").write_text("clash:\n  merges_with: [picnic]\n", encoding="utf-8")
    with pytest.raises(VocabError, match="picnic"):
        load_vocab((tmp_path,))


def test_data_files_read_on_and_no_as_words_and_only_true_false_as_booleans(tmp_path: Path) -> None:
    path = tmp_path / "cues.yaml"
    path.write_text("preps: [on, off, in]\nanswers: [yes, no]\nflag: true\nother: False\n", encoding="utf-8")
    assert read_yaml(path) == {"preps": ["on", "off", "in"], "answers": ["yes", "no"], "flag": True, "other": False}
    assert "on" in load_vocab().target_preps
