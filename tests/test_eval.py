"""Tests for ``conflictkb.eval``: scoring the real pipeline against small hand-made gold files.

The documents are invented news items about one attack (reported twice) and a group's founding, so every
expected figure can be worked out by reading them; the knowledge base is built once per module with the
real pipeline and ``evaluate`` is pointed at it (its files are unchanged, so nothing is extracted again).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from conflictkb.cli import app
from conflictkb.engines.local import ingest
from conflictkb.eval import (
    FIELDS,
    RATIOS,
    GoldError,
    Report,
    Score,
    compatible,
    evaluate,
    load_gold,
    match_events,
    relation_figures,
    report_table,
)
from conflictkb.eval_relations import RelationCounts
from conflictkb.extract import Extractor
from conflictkb.kb import KnowledgeBase
from conflictkb.model import Event, Place, Span
from conflictkb.store import Store

runner = CliRunner()

OSH = (
    "Militants attack police in southern Kyrgyzstan\n\n"
    "On 12 March 2010, militants of the Islamic Movement of Uzbekistan attacked a police post in Osh, "
    "killing three officers. The IMU later claimed the raid.\n"
)
OSH_LATER = (
    "Police post stormed in Osh\n\n"
    "Gunmen from the Islamic Movement of Uzbekistan stormed a police post in Osh, Kyrgyzstan, on 12 March 2010, "
    "killing three police officers and wounding two others.\n"
)
FOUNDING = (
    "A new group emerges\n\n"
    "In 1998, Tohir Yuldashev founded the Islamic Movement of Uzbekistan in Kabul. "
    "The group has some 5,000 fighters, officials said.\n"
)
DOCS = {"osh.txt": OSH, "osh_later.txt": OSH_LATER, "founding.txt": FOUNDING}
IMU = "Islamic Movement of Uzbekistan"


@dataclass(frozen=True)
class Corpus:
    docs: Path
    db: Path


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory, extractor: Extractor) -> Corpus:
    """The three documents, ingested once by the real pipeline into a knowledge base."""
    root = tmp_path_factory.mktemp("eval")
    docs = root / "docs"
    docs.mkdir()
    for name, text in DOCS.items():
        (docs / name).write_text(text, encoding="utf-8")
    db = root / "kb.sqlite"
    with Store(db) as store:
        ingest([docs / name for name in DOCS], store, extractor, show_progress=False)
    return Corpus(docs, db)


def osh_event(**changes: Any) -> dict[str, Any]:
    """The gold for the attack in ``osh.txt``, as a coder would write it, with ``changes`` applied."""
    event: dict[str, Any] = {
        "id": "e1",
        "type": "armed_assault",
        "date": "2010-03-12",
        "date_text": "12 March 2010",
        "place": "Osh",
        "country": "KG",
        "perpetrator": IMU,
        "target": "police post",
        "killed": 3,
        "wounded": None,
        "kidnapped": None,
        "casualty_text": "killing three officers",
        "evidence": f"militants of the {IMU} attacked a police post in Osh",
        "also_evidence": ["The IMU later claimed the raid."],
        "incident": "osh-police-post-2010-03",
    }
    event.update(changes)
    return event


def osh_doc(*events: dict[str, Any], entities: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"file": "osh.txt", "events": list(events), "entities": entities or [], "relations": []}


def run(corpus: Corpus, tmp_path: Path, *documents: dict[str, Any]) -> Report:
    """Write ``documents`` as a gold file and score the module's knowledge base against it."""
    gold = tmp_path / "gold.yaml"
    gold.write_text(yaml.safe_dump({"documents": list(documents)}, sort_keys=False), encoding="utf-8")
    return evaluate(gold, corpus.docs, ingest_into=corpus.db)


def predicted(date: str | None, country: str | None = "KG", evidence: list[Span] | None = None) -> Event:
    place = Place("Osh", country) if country else None
    return Event(id="p", type="armed_assault", evidence=evidence or [], date=date, place=place)


# --- Reading the gold ----------------------------------------------------------------------------------------


def test_load_gold_returns_the_documents(tmp_path: Path) -> None:
    gold = tmp_path / "gold.yaml"
    gold.write_text("documents:\n  - file: a.txt\n    events: []\n  - file: b.txt\n", encoding="utf-8")
    assert [d["file"] for d in load_gold(gold)] == ["a.txt", "b.txt"]


def test_load_gold_of_a_missing_file_names_it(tmp_path: Path) -> None:
    gold = tmp_path / "absent.yaml"
    with pytest.raises(GoldError, match="cannot read gold") as caught:
        load_gold(gold)
    assert str(gold) in str(caught.value)


def test_load_gold_of_broken_yaml_names_the_file(tmp_path: Path) -> None:
    gold = tmp_path / "broken.yaml"
    gold.write_text("documents:\n  - file: a.txt\n    events: [unclosed\n", encoding="utf-8")
    with pytest.raises(GoldError, match="cannot read gold") as caught:
        load_gold(gold)
    assert str(caught.value).startswith(str(gold))


@pytest.mark.parametrize("text", ["", "- file: a.txt\n", "documents:\n  file: a.txt\n", "documents: null\n"])
def test_load_gold_without_a_documents_list(tmp_path: Path, text: str) -> None:
    gold = tmp_path / "shape.yaml"
    gold.write_text(text, encoding="utf-8")
    with pytest.raises(GoldError, match="'documents' list") as caught:
        load_gold(gold)
    assert str(gold) in str(caught.value)


def test_load_gold_of_a_file_that_is_not_utf8(tmp_path: Path) -> None:
    gold = tmp_path / "latin1.yaml"
    gold.write_bytes("documents:\n  - file: caf\u00e9.txt\n".encode("latin-1"))
    with pytest.raises(GoldError) as caught:
        load_gold(gold)
    assert str(gold) in str(caught.value)


def test_gold_document_without_a_file_is_a_gold_error(tmp_path: Path) -> None:
    gold = tmp_path / "nofile.yaml"
    gold.write_text("documents:\n  - events: []\n", encoding="utf-8")
    with pytest.raises(GoldError) as caught:
        evaluate(gold, tmp_path)
    assert str(gold) in str(caught.value)


# --- Compatibility and matching ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("gold_date", "event_date", "expected"),
    [
        ("2010-03-12", "2010-03-12", True),
        ("2010-03-12", "2010-03-13", True),  # a day apart
        ("2010-03-12", "2010-03-11", True),
        ("2010-03-12", "2010-03-14", False),  # two days apart
        ("2010-03-31", "2010-04-01", False),  # a day apart, but the months differ
        ("2010-03", "2010-03-28", True),  # gold states no day
        ("2010-03-12", "2010-03", True),  # the prediction states no day
        ("2010-03", "2010-04-02", False),
        ("2010", "2010-11-05", True),  # gold states only the year
        ("2010-03-12", "2010", True),
        ("2010-03-12", "2011-03-12", False),
        ("2010", "2009", False),
        ("2010-03-12", None, False),  # an undated prediction is never compatible
        (None, "2010-03-12", False),
    ],
)
def test_compatible_dates(gold_date: str | None, event_date: str | None, expected: bool) -> None:
    assert compatible({"date": gold_date, "country": "KG"}, predicted(event_date)) is expected


def test_compatible_needs_the_same_country() -> None:
    gold = {"date": "2010-03-12", "country": "KG"}
    assert compatible(gold, predicted("2010-03-12", "KG"))
    assert not compatible(gold, predicted("2010-03-12", "UZ"))
    assert not compatible(gold, predicted("2010-03-12", None))  # no place at all
    assert not compatible({"date": "2010-03-12"}, predicted("2010-03-12", "KG"))  # gold without a country


def test_compatible_reads_dates_yaml_parsed_as_dates(tmp_path: Path) -> None:
    """An unquoted ``date: 2010-03-12`` or ``date: 2010`` in YAML is a date or an int, not a string."""
    gold = tmp_path / "gold.yaml"
    gold.write_text(
        "documents:\n  - file: a.txt\n    events:\n"
        "      - {date: 2010-03-12, country: KG}\n      - {date: 2010, country: KG}\n",
        encoding="utf-8",
    )
    day, year = load_gold(gold)[0]["events"]
    assert not isinstance(day["date"], str) and not isinstance(year["date"], str)
    assert compatible(day, predicted("2010-03-13"))
    assert compatible(year, predicted("2010-07"))
    assert not compatible(day, predicted("2010-03-15"))


MARKET = "a bomb exploded at a market in Kandahar"
CHECKPOINT = "gunmen attacked a checkpoint in Kandahar"
TWO_ATTACKS = f"In May 2011 {MARKET}. Days later {CHECKPOINT}."


def span(quote: str) -> Span:
    start = TWO_ATTACKS.index(quote)
    return Span(start, start + len(quote), quote)


def kandahar(date: str, quote: str) -> Event:
    return Event(id=quote, type="armed_assault", evidence=[span(quote)], date=date, place=Place("Kandahar", "AF"))


def test_overlapping_evidence_beats_a_more_precise_date() -> None:
    golds = [
        {"date": "2011-05", "country": "AF", "evidence": MARKET},
        {"date": "2011-05", "country": "AF", "evidence": CHECKPOINT},
    ]
    # The first prediction has the more precise date but speaks of the checkpoint, not the market.
    events = [kandahar("2011-05-03", CHECKPOINT), kandahar("2011", MARKET)]
    assert sorted(match_events(TWO_ATTACKS, golds, events)) == [(0, 1), (1, 0)]


def test_also_evidence_counts_as_overlap() -> None:
    golds = [{"date": "2011-05", "country": "AF", "evidence": "not in the text", "also_evidence": [MARKET]}]
    events = [kandahar("2011-05-03", CHECKPOINT), kandahar("2011", MARKET)]
    assert match_events(TWO_ATTACKS, golds, events) == [(0, 1)]


def test_without_overlap_the_more_precise_date_wins() -> None:
    golds = [{"date": "2011-05", "country": "AF", "evidence": "a quote the text does not hold"}]
    events = [kandahar("2011", MARKET), kandahar("2011-05", MARKET), kandahar("2011-05-04", CHECKPOINT)]
    assert match_events(TWO_ATTACKS, golds, events) == [(0, 2)]


def test_each_gold_and_each_prediction_is_used_once() -> None:
    gold = {"date": "2011-05", "country": "AF", "evidence": MARKET}
    one_prediction = [kandahar("2011-05-03", MARKET)]
    assert match_events(TWO_ATTACKS, [gold, dict(gold)], one_prediction) == [(0, 0)]
    two_predictions = [kandahar("2011-05-03", MARKET), kandahar("2011-05-03", MARKET)]
    assert match_events(TWO_ATTACKS, [gold], two_predictions) == [(0, 0)]


def test_incompatible_pairs_never_match_even_on_the_same_evidence() -> None:
    golds = [{"date": "2011-05", "country": "PK", "evidence": MARKET}, {"date": "2012", "country": "AF"}]
    assert match_events(TWO_ATTACKS, golds, [kandahar("2011-05-03", MARKET)]) == []


# --- Scoring the pipeline ------------------------------------------------------------------------------------


def test_a_faithful_gold_event_scores_perfectly(corpus: Corpus, tmp_path: Path) -> None:
    """Written as a coder writes YAML (unquoted dates), for the one attack ``osh.txt`` reports."""
    gold = tmp_path / "gold.yaml"
    gold.write_text(
        f"""documents:
  - file: osh.txt
    events:
      - id: e1
        type: armed_assault
        date: 2010-03-12
        place: Osh
        country: KG
        perpetrator: {IMU}
        killed: 3
        wounded: null
        kidnapped: null
        evidence: "On 12 March 2010, militants of the {IMU} attacked a police post in Osh"
    entities:
      - {{name: {IMU}, kind: armed_group, aliases: [{IMU}, IMU]}}
""",
        encoding="utf-8",
    )
    report = evaluate(gold, corpus.docs, ingest_into=corpus.db)
    assert list(report.documents) == ["osh.txt"] and report.missing == []
    score = report.documents["osh.txt"]
    assert (score.gold, score.predicted, score.matched) == (1, 1, 1)
    assert (score.precision, score.recall, score.f1) == (1.0, 1.0, 1.0)
    for name in ("type", "date", "place", "perpetrator", "killed"):
        assert score.fields[name] == [1, 1], name
    # Tolls the gold does not state are not compared.
    assert score.accuracy("wounded") is None and score.accuracy("kidnapped") is None
    assert score.fields["alias recall"] == [2, 2]
    assert score.fields["merge precision"] == [1, 1]
    assert score.accuracy("place country") == 1.0
    assert score.accuracy("place within 50 km") == 1.0


def test_wrong_fields_of_a_matched_event_are_counted_wrong(corpus: Corpus, tmp_path: Path) -> None:
    # A day off still matches (within one day); every field the gold states differs from the document.
    gold = osh_event(date="2010-03-13", type="bombing", place="Bishkek", perpetrator="Taliban", killed=4, wounded=2)
    score = run(corpus, tmp_path, osh_doc(gold)).documents["osh.txt"]
    assert (score.gold, score.predicted, score.matched) == (1, 1, 1)
    for name in ("type", "date", "place", "perpetrator", "killed", "wounded"):
        assert score.fields[name] == [0, 1], name
    assert score.accuracy("kidnapped") is None


@pytest.mark.parametrize(
    "change",
    [{"date": "2011-03-12"}, {"date": "2010-04-12"}, {"date": "2010-03-14"}, {"country": "UZ"}],
    ids=["other-year", "other-month", "two-days-off", "other-country"],
)
def test_an_incompatible_gold_event_is_a_miss_and_a_false_positive(
    corpus: Corpus, tmp_path: Path, change: dict[str, Any]
) -> None:
    score = run(corpus, tmp_path, osh_doc(osh_event(**change))).documents["osh.txt"]
    assert (score.gold, score.predicted, score.matched) == (1, 1, 0)
    assert (score.precision, score.recall, score.f1) == (0.0, 0.0, 0.0)
    assert all(score.accuracy(name) is None for name in FIELDS)  # nothing matched, nothing compared


def test_a_coarser_gold_date_matches_but_the_date_is_wrong(corpus: Corpus, tmp_path: Path) -> None:
    score = run(corpus, tmp_path, osh_doc(osh_event(date="2010-03"))).documents["osh.txt"]
    assert score.matched == 1
    assert score.fields["date"] == [0, 1]  # "2010-03" is not "2010-03-12"
    assert score.fields["type"] == [1, 1]


def test_place_within_50_km_and_perpetrator_under_a_gold_alias(corpus: Corpus, tmp_path: Path) -> None:
    """Aravan lies some 25 km from Osh; the gold calls the group by a name whose alias the document uses."""
    entities = [{"name": "Uzbek Islamic Movement", "kind": "armed_group", "aliases": [IMU]}]
    gold = osh_event(place="Aravan", perpetrator="Uzbek Islamic Movement")
    score = run(corpus, tmp_path, osh_doc(gold, entities=entities)).documents["osh.txt"]
    assert score.matched == 1
    assert score.fields["place"] == [1, 1]
    assert score.fields["perpetrator"] == [1, 1]
    # But no mention in the document names Aravan: the place-resolution measures count it as missed.
    assert score.fields["place country"] == [0, 1]
    assert score.fields["place within 50 km"] == [0, 1]


def test_a_perpetrator_alias_of_another_gold_actor_is_wrong(corpus: Corpus, tmp_path: Path) -> None:
    entities = [{"name": "Taliban", "kind": "armed_group", "aliases": ["Taliban", "Afghan Taliban"]}]
    score = run(corpus, tmp_path, osh_doc(osh_event(perpetrator="Taliban"), entities=entities)).documents["osh.txt"]
    assert score.fields["perpetrator"] == [0, 1]


def test_alias_recall_counts_gold_aliases_on_the_main_entity(corpus: Corpus, tmp_path: Path) -> None:
    entities = [
        {"name": IMU, "kind": "armed_group", "aliases": [IMU, "IMU", "Harakat al-Islamiyya"]},
        {"name": "Osh", "kind": "place", "aliases": ["Osh"]},
    ]
    score = run(corpus, tmp_path, osh_doc(entities=entities)).documents["osh.txt"]
    # The document never writes "Harakat al-Islamiyya": 3 of 4 gold aliases are found on their entity.
    assert score.fields["alias recall"] == [3, 4]
    # The two names the document does use for the group share one entity, rightly.
    assert score.fields["merge precision"] == [1, 1]


def test_merge_precision_counts_gold_actors_merged_into_one(corpus: Corpus, tmp_path: Path) -> None:
    # A gold that holds "IMU" to be another group than the Islamic Movement of Uzbekistan.
    entities = [
        {"name": IMU, "kind": "armed_group", "aliases": [IMU]},
        {"name": "IMU splinter", "kind": "armed_group", "aliases": ["IMU"]},
    ]
    score = run(corpus, tmp_path, osh_doc(entities=entities)).documents["osh.txt"]
    assert score.fields["alias recall"] == [2, 2]  # each found, each on its main entity...
    assert score.fields["merge precision"] == [0, 1]  # ...but that entity is the same one


def test_one_incident_reported_twice_merges(corpus: Corpus, tmp_path: Path) -> None:
    later = osh_event(
        date="2010-03-12",
        wounded=2,
        evidence=f"Gunmen from the {IMU} stormed a police post in Osh",
        also_evidence=[],
    )
    report = run(corpus, tmp_path, osh_doc(osh_event()), {"file": "osh_later.txt", "events": [later]})
    assert report.documents["osh_later.txt"].fields["wounded"] == [1, 1]
    assert report.merge == (1.0, 1.0, 1.0)


def test_different_gold_incidents_merged_by_the_system_lower_merge_precision(corpus: Corpus, tmp_path: Path) -> None:
    later = osh_event(evidence="stormed a police post in Osh", incident="some-other-raid")
    report = run(corpus, tmp_path, osh_doc(osh_event()), {"file": "osh_later.txt", "events": [later]})
    assert report.documents["osh_later.txt"].matched == 1
    assert report.merge == (0.0, 0.0, 0.0)  # one cross-document pair, merged against the gold: a false positive


def test_overall_adds_the_documents_and_relations(corpus: Corpus, tmp_path: Path) -> None:
    founding = {
        "file": "founding.txt",
        "events": [],
        "entities": [{"name": "Tohir Yuldashev", "kind": "person", "aliases": ["Tohir Yuldashev"]}],
        "relations": [
            {"subject": "Tohir Yuldashev", "relation": "founded", "object": IMU, "date": "1998"},
            {"subject": IMU, "relation": "strength", "object": "5,000 fighters", "date": None},
            # Not stated in the document: a gold relation the system must miss.
            {"subject": IMU, "relation": "based_in", "object": "Tajikistan", "date": None},
        ],
    }
    later = osh_event(evidence="stormed a police post in Osh")
    report = run(corpus, tmp_path, osh_doc(osh_event()), {"file": "osh_later.txt", "events": [later]}, founding)
    relations = report.documents["founding.txt"].relations
    assert (relations.gold, relations.matched, relations.dates_compared, relations.dates_right) == (3, 2, 1, 1)
    assert relations.predicted >= relations.matched
    assert relation_figures(relations)[1] == pytest.approx(2 / 3)

    kb = KnowledgeBase(corpus.db)
    try:
        stored = [e for e in kb.events(limit=1000) if e.doc_name in DOCS]
    finally:
        kb.close()
    overall = report.overall
    assert (overall.gold, overall.matched, overall.predicted) == (2, 2, len(stored))
    assert overall.precision == pytest.approx(2 / len(stored))
    assert overall.recall == 1.0
    assert overall.relations == relations  # only founding.txt states relations
    for name in (*FIELDS, *RATIOS):
        assert overall.fields[name] == [sum(s.fields[name][i] for s in report.documents.values()) for i in (0, 1)]


def test_a_gold_document_missing_from_the_folder_found_nothing(corpus: Corpus, tmp_path: Path) -> None:
    report = run(corpus, tmp_path, osh_doc(osh_event()), {"file": "absent.txt", "events": [osh_event()]})
    assert report.missing == [str(corpus.docs / "absent.txt")]
    absent = report.documents["absent.txt"]
    assert (absent.gold, absent.predicted, absent.matched) == (1, 0, 0)
    assert (report.overall.gold, report.overall.matched) == (2, 1)
    assert report.overall.recall == 0.5


# --- Figures and the table -----------------------------------------------------------------------------------


def test_relation_figures_are_none_where_nothing_was_counted() -> None:
    assert relation_figures(RelationCounts()) == (None, None, None, None)
    # Nothing predicted: precision undefined, recall and F1 zero (as for events).
    assert relation_figures(RelationCounts(gold=2)) == (None, 0.0, 0.0, None)
    # Predictions and gold, none matched: every figure is zero, dates not compared.
    assert relation_figures(RelationCounts(gold=2, predicted=3)) == (0.0, 0.0, 0.0, None)


def test_relation_figures_from_counts() -> None:
    p, r, f1, dates = relation_figures(RelationCounts(gold=4, predicted=2, matched=2, dates_right=1, dates_compared=2))
    assert (p, r, dates) == (1.0, 0.5, 0.5)
    assert f1 == pytest.approx(2 / 3)


def test_score_figures_with_nothing_to_count() -> None:
    empty = Score()
    assert (empty.precision, empty.recall, empty.f1) == (0.0, 0.0, 0.0)
    assert all(empty.accuracy(name) is None for name in (*FIELDS, *RATIOS))


def test_report_table_has_a_row_per_document_then_overall() -> None:
    doc = Score(gold=2, predicted=4, matched=1)
    doc.count("type", True)
    doc.count("date", False)
    doc.relations = RelationCounts(gold=1, predicted=2, matched=1, dates_right=1, dates_compared=1)
    overall = Score()
    overall.add(doc)
    header, rows = report_table(Report({"a.txt": doc}, overall, (0.0, 0.0, 0.0), []))
    assert header[:7] == ["document", "gold", "pred", "match", "P", "R", "F1"]
    assert header[-4:] == ["rel P", "rel R", "rel F1", "rel date"]
    assert all(name in header for name in (*FIELDS, *RATIOS))
    assert [row[0] for row in rows] == ["a.txt", "overall"]
    assert all(len(row) == len(header) for row in rows)
    cells = dict(zip(header, rows[-1], strict=True))
    assert (cells["gold"], cells["pred"], cells["match"]) == ("2", "4", "1")
    assert (cells["P"], cells["R"], cells["F1"]) == ("0.25", "0.50", "0.33")
    assert (cells["type"], cells["date"], cells["killed"]) == ("1.00", "0.00", "-")
    assert (cells["rel P"], cells["rel R"], cells["rel F1"], cells["rel date"]) == ("0.50", "1.00", "0.67", "1.00")
    assert rows[0][1:] == rows[1][1:]  # one document: overall is that document


# --- The command ---------------------------------------------------------------------------------------------


def test_eval_command_prints_json(corpus: Corpus, tmp_path: Path) -> None:
    later = osh_event(evidence="stormed a police post in Osh")
    documents = [osh_doc(osh_event()), {"file": "osh_later.txt", "events": [later]}]
    gold = tmp_path / "gold.yaml"
    gold.write_text(yaml.safe_dump({"documents": documents}), encoding="utf-8")
    result = runner.invoke(app, ["eval", str(gold), "--docs", str(corpus.docs), "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["columns"][:4] == ["document", "gold", "pred", "match"]
    assert [row[0] for row in out["rows"]] == ["osh.txt", "osh_later.txt", "overall"]
    overall = dict(zip(out["columns"], out["rows"][-1], strict=True))
    assert (overall["gold"], overall["pred"], overall["match"], overall["F1"]) == ("2", "2", "2", "1.00")
    assert out["incident_merging"] == {"merge P": 1.0, "merge R": 1.0, "merge F1": 1.0}
    assert out["missing"] == []


def test_eval_command_without_the_gold_file(tmp_path: Path) -> None:
    gold = tmp_path / "nowhere" / "gold.yaml"
    result = runner.invoke(app, ["eval", str(gold), "--json"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("error: ")
    assert str(gold) in result.stderr and "cannot read gold" in result.stderr
    assert "Traceback" not in result.stderr


def test_eval_command_lists_missing_documents(tmp_path: Path) -> None:
    """Documents default to the gold's folder; one not there is listed in the JSON and on stderr."""
    gold = tmp_path / "gold.yaml"
    gold.write_text(yaml.safe_dump({"documents": [{"file": "absent.txt", "events": [osh_event()]}]}), encoding="utf-8")
    result = runner.invoke(app, ["eval", str(gold), "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["missing"] == [str(tmp_path / "absent.txt")]
    assert f"missing document: {tmp_path / 'absent.txt'}" in result.stderr
    overall = dict(zip(out["columns"], out["rows"][-1], strict=True))
    assert (overall["document"], overall["gold"], overall["pred"], overall["R"]) == ("overall", "1", "0", "0.00")


def test_a_perpetrator_named_by_another_of_its_entitys_aliases_is_right(corpus: Corpus, tmp_path: Path) -> None:
    """The event names the group in full; the gold calls it "IMU", which is not one of the gold's
    aliases but is an alias of the store's entity (the document says "The IMU later claimed ...")."""
    entities = [{"name": "IMU", "kind": "armed_group", "aliases": ["IMU"]}]
    score = run(corpus, tmp_path, osh_doc(osh_event(perpetrator="IMU"), entities=entities)).documents["osh.txt"]
    assert score.fields["perpetrator"] == [1, 1]
