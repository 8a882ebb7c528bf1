"""Scoring against hand-annotated gold (the format of ../shared/gold/seeds.yaml).

The system is scored as a user gets it: the documents are ingested into a fresh store by the
real pipeline and the events read back from it. Events match within a document when they are
compatible (same year; same month and a day within one where both state them; same country),
overlapping evidence first; matched pairs are then compared field by field. Incident merging is
scored pairwise across documents; aliases by where each gold alias ends up.
"""

from __future__ import annotations

import tempfile
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from itertools import combinations
from pathlib import Path
from typing import Any

import yaml
from rapidfuzz import fuzz

from conflictkb.eval_relations import RelationCounts, score_relations
from conflictkb.gazetteer import Gazetteer, compact_key, default_gazetteer, km_between, place_key
from conflictkb.kb import KnowledgeBase
from conflictkb.model import Event, Perpetrator
from conflictkb.names import entity_key
from conflictkb.store import reader
from conflictkb.store.reader import StoredEvent
from conflictkb.translit import variants
from conflictkb.vocab import load_vocab

FIELDS = ("type", "date", "place", "perpetrator", "killed", "wounded", "kidnapped")
# Measures that are a share of right answers, beside event matching (issue: actors and places).
RATIOS = ("alias recall", "merge precision", "place country", "place within 50 km")
PLACE_KM = 50.0
# How close (0-100) a mention's spelling must be to a gold place name to name it.
SPELLING_SIMILARITY = 90


class GoldError(ValueError):
    """A gold file that cannot be read; the message says where."""


@dataclass
class Score:
    """Counts for one document or the whole set; ``fields`` holds (right, compared) per field."""

    gold: int = 0
    predicted: int = 0
    matched: int = 0
    fields: dict[str, list[int]] = field(default_factory=lambda: {f: [0, 0] for f in (*FIELDS, *RATIOS)})
    relations: RelationCounts = field(default_factory=RelationCounts)

    def add(self, other: Score) -> None:
        self.gold += other.gold
        self.predicted += other.predicted
        self.matched += other.matched
        for name in ("gold", "predicted", "matched", "dates_right", "dates_compared"):
            setattr(self.relations, name, getattr(self.relations, name) + getattr(other.relations, name))
        for name, (right, total) in other.fields.items():
            self.fields[name][0] += right
            self.fields[name][1] += total

    def count(self, name: str, right: bool) -> None:
        self.fields[name][0] += int(right)
        self.fields[name][1] += 1

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def accuracy(self, name: str) -> float | None:
        right, total = self.fields[name]
        return right / total if total else None


@dataclass
class Report:
    documents: dict[str, Score]
    overall: Score
    merge: tuple[float, float, float]  # pairwise precision, recall, F1 of incident merging
    missing: list[str]


def load_gold(path: Path) -> list[dict[str, Any]]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise GoldError(f"{path}: cannot read gold: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("documents"), list):
        raise GoldError(f"{path}: expected a mapping with a 'documents' list")
    for i, doc in enumerate(data["documents"], 1):
        if not isinstance(doc, dict) or not doc.get("file"):
            raise GoldError(f"{path}: document {i} has no 'file'")
    return list(data["documents"])


def _parts(iso: str | None) -> tuple[int, ...]:
    if not iso:
        return ()
    return tuple(int(p) for p in str(iso).split("-"))


def compatible(gold: dict[str, Any], event: Event) -> bool:
    """Same year; same month and a day within one where both state them; same country."""
    g, p = _parts(gold.get("date")), _parts(event.date)
    if not g or not p or g[0] != p[0]:
        return False
    if len(g) >= 2 and len(p) >= 2 and g[1] != p[1]:
        return False
    if len(g) == 3 and len(p) == 3 and abs((date(*g) - date(*p)).days) > 1:
        return False
    country = event.place.country if event.place else None
    return bool(country) and country == gold.get("country")


def _gold_spans(text: str, gold: dict[str, Any]) -> list[tuple[int, int]]:
    spans = []
    for quote in [gold.get("evidence"), *(gold.get("also_evidence") or [])]:
        if quote:
            start = text.find(str(quote))
            if start >= 0:
                spans.append((start, start + len(str(quote))))
    return spans


def _overlaps(spans: list[tuple[int, int]], event: Event) -> bool:
    return any(s.start < end and start < s.end for s in event.evidence for start, end in spans)


def match_events(text: str, golds: list[dict[str, Any]], events: list[Event]) -> list[tuple[int, int]]:
    """Pairs (gold index, predicted index): compatible, overlapping evidence first, each used once."""
    ranked = []
    for gi, gold in enumerate(golds):
        spans = _gold_spans(text, gold)
        for pi, event in enumerate(events):
            if compatible(gold, event):
                ranked.append((not _overlaps(spans, event), -len(event.date or ""), gi, pi))
    pairs, used_g, used_p = [], set(), set()
    for _, _, gi, pi in sorted(ranked):
        if gi not in used_g and pi not in used_p:
            pairs.append((gi, pi))
            used_g.add(gi)
            used_p.add(pi)
    return pairs


def _same_place(gold_name: str, event: Event, gaz: Gazetteer) -> bool:
    if event.place is None:
        return False
    if place_key(gold_name) == place_key(event.place.name):
        return True
    where = gaz.lookup(gold_name)
    if where is None or where.lat is None or where.lon is None or event.place.lat is None or event.place.lon is None:
        return False
    return km_between((where.lat, where.lon), (event.place.lat, event.place.lon)) <= PLACE_KM


def _actor_names(gold_doc: dict[str, Any], name: str) -> set[str]:
    """A gold actor's name and every alias the gold gives it, as compared keys."""
    keys = {entity_key(name)}
    for entity in gold_doc.get("entities") or []:
        if entity_key(str(entity.get("name", ""))) == entity_key(name):
            keys |= {entity_key(str(a)) for a in entity.get("aliases") or []}
    return keys


def _same_actor(name: str, gold_names: set[str]) -> bool:
    """The same actor: one of the gold's names for it, or a spelling of one ("Tahir Yuldashev")."""
    key = entity_key(name)
    return key in gold_names or any(len(g.split()) > 1 and variants(key, g, person=True) for g in gold_names)


def _compare(
    gold_doc: dict[str, Any],
    gold: dict[str, Any],
    event: Event,
    score: Score,
    gaz: Gazetteer,
    names_of: Callable[[Perpetrator], list[str]] = lambda p: [p.name],
) -> None:
    checks: dict[str, bool | None] = {
        "type": gold.get("type") == event.type,
        "date": str(gold.get("date")) == (event.date or ""),
        "place": _same_place(str(gold["place"]), event, gaz) if gold.get("place") else None,
        "perpetrator": (
            any(
                _same_actor(name, _actor_names(gold_doc, str(gold["perpetrator"])))
                for p in event.perpetrators
                for name in names_of(p)
            )
            if gold.get("perpetrator")
            else None
        ),
    }
    for toll in ("killed", "wounded", "kidnapped"):
        checks[toll] = gold.get(toll) == getattr(event, toll) if gold.get(toll) is not None else None
    for name, right in checks.items():
        if right is not None:
            score.fields[name][0] += int(right)
            score.fields[name][1] += 1


def _perpetrator_names(kb: KnowledgeBase, perpetrator: Perpetrator) -> list[str]:
    """The perpetrator's name and every alias of its entity: "Pakistani security forces" is also
    the "Pakistani military" the same documents call it."""
    names = [perpetrator.name]
    if perpetrator.entity is not None and perpetrator.entity.isdigit():
        names += [str(a["alias"]) for a in reader.entity_aliases(kb.store, int(perpetrator.entity))]
    return names


def _alias_score(gold_doc: dict[str, Any], kb: KnowledgeBase, doc_id: str, score: Score) -> None:
    """Alias recall (gold aliases on their entity's main KB entity) and merge precision."""
    holders: dict[str, set[int]] = defaultdict(set)
    for row in kb.store.conn.execute("SELECT entity_id, key FROM aliases WHERE doc_id = ?", (doc_id,)):
        holders[row["key"]].add(int(row["entity_id"]))
    owner: dict[str, int] = {}
    for index, entity in enumerate(gold_doc.get("entities") or []):
        keys = [entity_key(str(a)) for a in entity.get("aliases") or []] or [entity_key(str(entity["name"]))]
        counts: dict[int, int] = defaultdict(int)
        for key in keys:
            for holder in holders.get(key, ()):
                counts[holder] += 1
        main = max(counts, key=lambda h: counts[h]) if counts else None
        for key in keys:
            score.count("alias recall", main is not None and main in holders.get(key, ()))
        for key in keys:
            owner.setdefault(key, index)
    for a, b in combinations(sorted(owner), 2):
        if holders.get(a, set()) & holders.get(b, set()):
            score.count("merge precision", owner[a] == owner[b])


def _names_place(mention: str, gold: str) -> bool:
    """Does a mention name the gold place: "Kyrgyzstan" in "southern Kyrgyzstan", "city of Osh",
    "Tavil-Dara" for Tavildara, "Andijon" for Andijan, "Sukhandarya" (a typo) for Surkhandarya?"""
    a, b = f" {place_key(mention)} ", f" {place_key(gold)} "
    if a in b or b in a or compact_key(mention) == compact_key(gold) or variants(mention, gold):
        return True
    return fuzz.ratio(a, b) >= SPELLING_SIMILARITY


def _place_score(gold_doc: dict[str, Any], kb: KnowledgeBase, doc_id: str, score: Score, gaz: Gazetteer) -> None:
    """For each gold event place: does a mention of it resolve to the right country, and near the place?

    The true location is the gold name looked up in the gazetteer within the gold country; places
    the gazetteer cannot locate (or countries) count for the country measure only.
    """
    mentions = kb.place_mentions(doc_id)
    for gold in gold_doc.get("events") or []:
        if not gold.get("place"):
            continue
        rows = [r for r in mentions if _names_place(str(r["text"]), str(gold["place"]))]
        score.count("place country", any(r["country"] == gold.get("country") for r in rows))
        truth = next(
            (c.place for c in gaz.candidates(str(gold["place"])) if c.place.country == gold.get("country")), None
        )
        if truth is None or truth.lat is None or truth.lon is None or truth.precision == "country":
            continue
        near = any(
            r["lat"] is not None and km_between((truth.lat, truth.lon), (r["lat"], r["lon"])) <= PLACE_KM for r in rows
        )
        score.count("place within 50 km", near)


def _merge_scores(pairs: list[tuple[str, str, int]]) -> tuple[float, float, float]:
    """Pairwise precision, recall and F1 of (doc, gold slug, predicted incident) over cross-document pairs."""
    tp = fp = fn = 0
    for (doc_a, slug_a, inc_a), (doc_b, slug_b, inc_b) in combinations(pairs, 2):
        if doc_a == doc_b:
            continue
        same_gold, same_pred = slug_a == slug_b, inc_a == inc_b
        tp += same_gold and same_pred
        fp += same_pred and not same_gold
        fn += same_gold and not same_pred
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def evaluate(gold_path: Path, docs_dir: Path, ingest_into: Path | None = None) -> Report:
    """Ingest the gold's documents with the real pipeline, then score what the store holds."""
    from conflictkb.engines.local import ingest
    from conflictkb.extract import Extractor
    from conflictkb.store import Store

    gold_docs = load_gold(gold_path)
    files = [docs_dir / str(d["file"]) for d in gold_docs]
    with tempfile.TemporaryDirectory() as tmp:
        db = ingest_into or Path(tmp) / "eval.sqlite"
        with Store(db) as store:
            ingest([f for f in files if f.exists()], store, Extractor.load(), show_progress=False)
        kb = KnowledgeBase(db)
        try:
            return _score(gold_docs, kb, files)
        finally:
            kb.close()


def _score(gold_docs: list[dict[str, Any]], kb: KnowledgeBase, files: list[Path]) -> Report:
    gaz = default_gazetteer()
    relation_types = list(load_vocab().relation_types)
    by_name: dict[str, list[StoredEvent]] = defaultdict(list)
    for event in kb.events(limit=10**9):
        by_name[event.doc_name].append(event)
    doc_ids = {row["name"]: row["id"] for row in kb.documents(limit=10**9)}
    report = Report({}, Score(), (0.0, 0.0, 0.0), [str(f) for f in files if not f.exists()])
    merge_pairs: list[tuple[str, str, int]] = []
    for gold_doc in gold_docs:
        name = str(gold_doc["file"])
        golds = list(gold_doc.get("events") or [])
        stored = by_name.get(name, [])
        doc = kb.document(doc_ids[name]) if name in doc_ids else None
        text = str(doc["text"]) if doc else ""
        score = Score(gold=len(golds), predicted=len(stored))
        pairs = match_events(text, golds, [s.event for s in stored])
        score.matched = len(pairs)
        for gi, pi in pairs:
            _compare(gold_doc, golds[gi], stored[pi].event, score, gaz, lambda p: _perpetrator_names(kb, p))
            if golds[gi].get("incident"):
                merge_pairs.append((name, str(golds[gi]["incident"]), stored[pi].incident_id))
        if doc is not None:
            _alias_score(gold_doc, kb, doc["id"], score)
            _place_score(gold_doc, kb, doc["id"], score, gaz)
            score.relations = score_relations(gold_doc, kb, doc["id"], relation_types)
        report.documents[name] = score
        report.overall.add(score)
    report.merge = _merge_scores(merge_pairs)
    return report


def relation_figures(counts: RelationCounts) -> tuple[float | None, float | None, float | None, float | None]:
    """Precision, recall, F1 of relations and their date accuracy (None where nothing to count)."""
    p = counts.matched / counts.predicted if counts.predicted else None
    r = counts.matched / counts.gold if counts.gold else None
    f1 = 2 * p * r / (p + r) if p and r else (0.0 if r is not None else None)
    dates = counts.dates_right / counts.dates_compared if counts.dates_compared else None
    return p, r, f1, dates


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def report_table(report: Report) -> tuple[list[str], list[list[str]]]:
    """The report as a header and rows (one per document, then "overall"), for printing."""
    header = [
        "document",
        "gold",
        "pred",
        "match",
        "P",
        "R",
        "F1",
        *FIELDS,
        *RATIOS,
        "rel P",
        "rel R",
        "rel F1",
        "rel date",
    ]
    rows = []
    for name, score in [*report.documents.items(), ("overall", report.overall)]:
        rows.append(
            [
                name,
                str(score.gold),
                str(score.predicted),
                str(score.matched),
                _pct(score.precision),
                _pct(score.recall),
                _pct(score.f1),
                *(_pct(score.accuracy(f)) for f in (*FIELDS, *RATIOS)),
                *(_pct(v) for v in relation_figures(score.relations)),
            ]
        )
    return header, rows
