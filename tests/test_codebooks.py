"""Tests for the ACLED and GTD codebooks (data/codebooks.yaml): they load, agree with our event and target
types, extend from a user folder, and a file that cannot be used is an error naming the file and the value."""

from __future__ import annotations

from pathlib import Path

import pytest

from conflictkb.export.codebooks import load_codebooks
from conflictkb.vocab import VocabError, load_vocab


def test_shipped_codebooks_code_every_type_our_vocabulary_maps_to() -> None:
    books = load_codebooks()
    vocab = load_vocab()
    for spec in vocab.event_types.values():
        assert books.acled.disorder(spec["acled"]["event_type"]) in {
            "Political violence",
            "Political violence; Demonstrations",
            "Demonstrations",
            "Strategic developments",
        }
        if spec.get("gtd"):
            assert spec["gtd"] in books.gtd.attack_types
    for spec in vocab.target_types.values():
        assert spec["gtd"] in books.gtd.target_types
    assert (books.gtd.attack_types["Bombing/Explosion"], books.gtd.target_types["Military"]) == (3, 4)
    assert books.acled.time_precision == {"day": 1, "month": 3, "year": 3}
    assert set(books.datasets) == {"gtd", "acled"} and books.datasets["gtd"].label == "GTD"


def test_attributions_and_unknown_actors_match_by_their_start() -> None:
    books = load_codebooks()
    assert books.is_firm("claimed") and books.is_firm("stated")
    assert not books.is_firm("blamed by Uzbek officials") and not books.is_firm("suspected")
    assert books.acled.is_unknown("Unidentified Armed Group (Uzbekistan)") and books.gtd.is_unknown("Unknown")
    assert not books.gtd.is_unknown("Islamic Movement of Uzbekistan (IMU)")


def test_a_user_folder_extends_the_codebooks_and_the_types_they_code(tmp_path: Path) -> None:
    (tmp_path / "event_types.yaml").write_text(
        "ramming:\n  description: A vehicle driven into people.\n"
        "  acled: {event_type: Violence against civilians, sub_event_type: Attack}\n  gtd: Vehicle Ramming\n",
        encoding="utf-8",
    )
    (tmp_path / "codebooks.yaml").write_text(
        "gtd:\n  attack_types: {Vehicle Ramming: 10}\n  unknown_actors: [anonymous]\n", encoding="utf-8"
    )
    books = load_codebooks((tmp_path,))
    assert books.gtd.attack_types["Vehicle Ramming"] == 10
    assert books.gtd.attack_types["Bombing/Explosion"] == 3  # the shipped codes stay
    assert books.gtd.unknown_actors == ("unknown", "unidentified", "anonymous")  # lists extend


def test_a_type_the_codebook_does_not_code_is_refused_by_name(tmp_path: Path) -> None:
    (tmp_path / "event_types.yaml").write_text(
        "ramming:\n  acled: {event_type: Vehicle attacks, sub_event_type: Attack}\n  gtd: Bombing/Explosion\n",
        encoding="utf-8",
    )
    with pytest.raises(
        VocabError, match=r"codebooks\.yaml: .*'Vehicle attacks', which is not in acled\.disorder_types"
    ):
        load_codebooks((tmp_path,))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("gtd:\n  attack_types: {Assassination: first}\n", r"gtd\.attack_types: 'first' is not a whole number"),
        ("acled:\n  geo_precision: []\n", r"acled\.geo_precision must be a mapping"),
        ("acled:\n  unknown_actors: unknown\n", r"acled\.unknown_actors must be a list of texts"),
        ("gtd:\n  target_types: [unclosed\n", r"codebooks\.yaml: cannot read"),
    ],
)
def test_a_bad_codebook_is_an_error_naming_the_file_and_the_key(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "codebooks.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(VocabError, match=message):
        load_codebooks((tmp_path,))
