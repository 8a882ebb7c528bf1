"""Tests for ``conflictkb.eval_relations``: claims the real pipeline stored, matched to small hand-made gold.

Two invented documents are ingested once per module: one states a founding, a strength, a renaming and a
death; the other a base and an alliance. Each test scores one document's claims against a gold written here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from conflictkb.engines.local import ingest
from conflictkb.eval import relation_figures
from conflictkb.eval_relations import (
    Predicted,
    RelationCounts,
    _matches,
    _same_literal,
    distinct_claims,
    predicted_claims,
    score_relations,
)
from conflictkb.extract import Extractor
from conflictkb.kb import KnowledgeBase
from conflictkb.store import Store
from conflictkb.vocab import load_vocab

MOVEMENT = (
    "The rise of a militant movement\n\n"
    "In 1998, Tohir Yuldashev founded the Islamic Movement of Uzbekistan in Kabul. "
    "The group has some 5,000 fighters, officials said. "
    "In 2001, the IMU was renamed the IMT to widen its appeal. "
    "Juma Namangani was killed in an American air strike in November 2001.\n"
)
EXILE = (
    "Exiles in the north\n\n"
    "After 2002 the Islamic Movement of Uzbekistan moved its bases to South Waziristan in Pakistan. "
    "Its fighters fought alongside the Taliban against Afghan forces.\n"
)
DOCS = {"movement.txt": MOVEMENT, "exile.txt": EXILE}
IMU = "Islamic Movement of Uzbekistan"
IMU_ENTITY = {"name": IMU, "kind": "armed_group", "aliases": [IMU, "IMU", "IMT", "Islamic Movement of Turkestan"]}


@dataclass(frozen=True)
class Claims:
    db: Path
    doc_ids: dict[str, str]


@pytest.fixture(scope="module")
def claims(tmp_path_factory: pytest.TempPathFactory, extractor: Extractor) -> Claims:
    """The two documents ingested once by the real pipeline."""
    root = tmp_path_factory.mktemp("eval_relations")
    for name, text in DOCS.items():
        (root / name).write_text(text, encoding="utf-8")
    db = root / "kb.sqlite"
    with Store(db) as store:
        ingest([root / name for name in DOCS], store, extractor, show_progress=False)
    kb = KnowledgeBase(db)
    try:
        doc_ids = {row["name"]: row["id"] for row in kb.documents()}
    finally:
        kb.close()
    assert set(doc_ids) == set(DOCS)
    return Claims(db, doc_ids)


def relation(subject: str, name: str, obj: str, date: str | None = None) -> dict[str, Any]:
    return {"subject": subject, "relation": name, "object": obj, "date": date}


def score(
    claims: Claims, name: str, relations: list[dict[str, Any]], entities: list[dict[str, Any]] | None = None
) -> RelationCounts:
    """Score one document's stored claims against ``relations`` (and the gold's ``entities``)."""
    gold_doc = {"file": name, "events": [], "entities": entities or [], "relations": relations}
    kb = KnowledgeBase(claims.db)
    try:
        return score_relations(gold_doc, kb, claims.doc_ids[name], list(load_vocab().relation_types))
    finally:
        kb.close()


def stored_claims(claims: Claims, name: str) -> list[Predicted]:
    kb = KnowledgeBase(claims.db)
    try:
        return predicted_claims(kb, claims.doc_ids[name], list(load_vocab().relation_types))
    finally:
        kb.close()


# --- Literals ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ours", "gold", "expected"),
    [
        ("some 5,000 activists", "5,000 fighters", True),  # the same figure, other words
        ("5000 men", "some 5,000 fighters", True),  # with and without the thousands separator
        ("a few hundred fighters", "5,000 fighters", False),  # only "fighters" in common: a third of the gold words
        ("overthrowing the Uzbek state", "overthrow the Uzbek state", True),  # two of three gold words
        ("a caliphate in Asia", "install a caliphate in Central Asia", True),  # exactly half the gold words
        ("a caliphate", "install a caliphate in Central Asia", False),  # a quarter
        ("HEROIN SMUGGLING", "heroin smuggling", True),
        ("between 100 and 200 strong", "units between 100 and 200 strong", True),  # two figures: words decide
        ("of the", "of the", False),  # a gold with nothing but articles and prepositions states nothing
        ("the regional drugs trade", "", False),
    ],
)
def test_same_literal(ours: str, gold: str, expected: bool) -> None:
    assert _same_literal(ours, gold) is expected


def test_different_figures_are_different_literals() -> None:
    assert not _same_literal("4,000 fighters", "5,000 fighters")
    assert not _same_literal("around 1,000 men", "2,000 men")


def test_a_figure_in_words_is_the_same_figure() -> None:
    assert _same_literal("fifteen thousand fighters", "15,000 men")


def test_a_place_object_names_a_larger_gold_phrase() -> None:
    """ "Afghanistan" names the gold's "Northern Afghanistan"; a name of three letters or fewer does not count."""
    ours = Predicted("based_in", frozenset({"imu"}), frozenset({"afghanistan"}), None, None)
    gold_doc: dict[str, Any] = {"entities": []}
    assert _matches(gold_doc, relation("IMU", "based_in", "Northern Afghanistan"), ours)
    assert not _matches(gold_doc, relation("IMU", "based_in", "Pakistan's tribal areas"), ours)
    short = Predicted("rival_of", frozenset({"imu"}), frozenset({"us"}), None, None)
    assert not _matches(gold_doc, relation("IMU", "rival_of", "US forces"), short)
    assert _matches(gold_doc, relation("IMU", "rival_of", "US"), short)


# --- Claims stored by the pipeline ---------------------------------------------------------------------------


def test_predicted_claims_carry_every_name_of_subject_and_object(claims: Claims) -> None:
    founded = [c for c in stored_claims(claims, "movement.txt") if c.relation == "founded"]
    assert len(founded) == 1
    assert "tohir yuldashev" in founded[0].subject
    assert {"islamic movement of uzbekistan", "imu"} <= founded[0].obj
    assert founded[0].date == "1998"


def test_every_stated_claim_matches_its_gold(claims: Claims) -> None:
    gold = [
        relation("Tohir Yuldashev", "founded", IMU, "1998"),
        relation(IMU, "strength", "5,000 fighters"),
        relation(IMU, "renamed_to", "Islamic Movement of Turkestan", "2001"),
        relation("Juma Namangani", "killed_in", "namangani-air-strike-2001", "2001-11"),
    ]
    counts = score(claims, "movement.txt", gold, [IMU_ENTITY])
    assert (counts.gold, counts.matched) == (4, 4)
    assert counts.predicted == len(stored_claims(claims, "movement.txt"))
    assert (counts.dates_compared, counts.dates_right) == (3, 3)  # the strength has no gold date


def test_founding_counted_with_its_date(claims: Claims) -> None:
    right = score(claims, "movement.txt", [relation("Tohir Yuldashev", "founded", IMU, "1998")])
    assert (right.matched, right.dates_compared, right.dates_right) == (1, 1, 1)
    wrong_date = score(claims, "movement.txt", [relation("Tohir Yuldashev", "founded", IMU, "1998-09")])
    assert (wrong_date.matched, wrong_date.dates_compared, wrong_date.dates_right) == (1, 1, 0)
    p, r, _, dates = relation_figures(right)
    assert r == 1.0 and dates == 1.0
    assert p == pytest.approx(1 / right.predicted)


def test_subject_spelled_another_way_is_the_same_actor(claims: Claims) -> None:
    counts = score(claims, "movement.txt", [relation("Tahir Yoldashev", "founded", IMU)])
    assert counts.matched == 1


@pytest.mark.parametrize(
    "gold",
    [
        relation("Tohir Yuldashev", "leader_of", IMU),  # another relation
        relation("Tohir Yuldashev", "founded", "Taliban"),  # another object
        relation("Juma Namangani", "founded", IMU),  # another subject
    ],
    ids=["relation", "object", "subject"],
)
def test_a_claim_differing_from_the_gold_does_not_match(claims: Claims, gold: dict[str, Any]) -> None:
    counts = score(claims, "movement.txt", [gold])
    assert (counts.gold, counts.matched, counts.dates_compared) == (1, 0, 0)


def test_renaming_matches_when_both_names_are_the_subjects(claims: Claims) -> None:
    """The claim is "IMU renamed_to IMT"; the gold names the new name in full and lists both among its aliases."""
    gold = [relation(IMU, "renamed_to", "Islamic Movement of Turkestan", "2001")]
    assert score(claims, "movement.txt", gold, [IMU_ENTITY]).matched == 1
    # Without the aliases the gold gives no way to tell that "IMT" is the Islamic Movement of Turkestan.
    bare = [{"name": IMU, "kind": "armed_group", "aliases": [IMU, "IMU"]}]
    assert score(claims, "movement.txt", gold, bare).matched == 0


def test_a_death_matches_on_its_subject(claims: Claims) -> None:
    # The gold's object names the incident; whatever it says, the claim is that Namangani was killed.
    assert score(claims, "movement.txt", [relation("Juma Namangani", "killed_in", "some-incident-slug")]).matched == 1
    assert score(claims, "movement.txt", [relation("Tohir Yuldashev", "killed_in", "some-incident-slug")]).matched == 0


def test_strength_matches_on_the_figure(claims: Claims) -> None:
    assert score(claims, "movement.txt", [relation(IMU, "strength", "5,000 men")]).matched == 1
    assert score(claims, "movement.txt", [relation(IMU, "strength", "a few hundred militants")]).matched == 0


def test_matching_is_one_to_one_in_gold_order(claims: Claims) -> None:
    """Two gold relations, one claim: one match, taken by the first gold (with the wrong date)."""
    gold = [
        relation("Tohir Yuldashev", "founded", IMU, "1997"),
        relation("Tohir Yuldashev", "founded", IMU, "1998"),
    ]
    counts = score(claims, "movement.txt", gold)
    assert (counts.gold, counts.matched) == (2, 1)
    assert (counts.dates_compared, counts.dates_right) == (1, 0)


def test_objects_named_by_gold_aliases_or_within_a_longer_name(claims: Claims) -> None:
    gold = [
        relation(IMU, "based_in", "South Waziristan Agency"),  # "South Waziristan" within the gold's name
        relation(IMU, "allied_with", "Islamic Emirate of Afghanistan"),  # "Taliban" is a gold alias of it
        relation(IMU, "allied_with", "Al-Qaeda"),  # not in the document
    ]
    emirate = {"name": "Islamic Emirate of Afghanistan", "kind": "armed_group", "aliases": ["Taliban"]}
    counts = score(claims, "exile.txt", gold, [emirate])
    assert (counts.gold, counts.matched) == (3, 2)
    assert counts.predicted == len(stored_claims(claims, "exile.txt"))
    assert score(claims, "exile.txt", gold[1:2]).matched == 0  # without the alias, no way to know


def test_a_document_without_gold_relations(claims: Claims) -> None:
    counts = score(claims, "exile.txt", [])
    assert (counts.gold, counts.matched) == (0, 0)
    assert counts.predicted == len(stored_claims(claims, "exile.txt")) > 0
    p, r, f1, dates = relation_figures(counts)
    assert (p, r, f1, dates) == (0.0, None, None, None)


def test_a_symmetric_relation_matches_either_way_round(claims: Claims) -> None:
    """The document says the IMU fought alongside the Taliban; a gold stating the Taliban's alliance
    with the IMU is the same fact. A relation with a direction (hosted_by) is not turned round."""
    assert score(claims, "exile.txt", [relation("Taliban", "allied_with", IMU)]).matched == 1
    assert score(claims, "exile.txt", [relation(IMU, "allied_with", "Taliban")]).matched == 1
    assert score(claims, "exile.txt", [relation("South Waziristan", "based_in", IMU)]).matched == 0


def test_a_fact_stated_twice_is_one_claim() -> None:
    """Scored as document-level relation extraction is: distinct (relation, subject, object or text)."""
    imu, taliban = frozenset({"imu"}), frozenset({"taliban"})
    claims = [
        Predicted("allied_with", imu, taliban, None, "1996"),
        Predicted("allied_with", imu, taliban, None, "2000"),
        Predicted("strength", imu, frozenset(), "a few  hundred fighters", None),
        Predicted("strength", imu, frozenset(), "A few hundred fighters", "2001"),
        Predicted("strength", imu, frozenset(), "2,000 men", None),
    ]
    distinct = distinct_claims(claims)
    assert [(c.relation, c.value, c.date) for c in distinct] == [
        ("allied_with", None, "1996"),
        ("strength", "a few  hundred fighters", None),
        ("strength", "2,000 men", None),
    ]


def test_renamings_to_names_of_one_actor_are_one_claim() -> None:
    imu = frozenset({"imu", "imt", "islamic movement of turkestan"})
    claims = [
        Predicted("renamed_to", imu, frozenset(), "Islamic Movement of Turkestan", "2001"),
        Predicted("renamed_to", imu, frozenset(), "IMT", "2001"),
        Predicted("renamed_to", imu, frozenset(), "Some Other Name", None),
    ]
    assert [c.value for c in distinct_claims(claims)] == ["Islamic Movement of Turkestan", "Some Other Name"]
