"""Tests for conflictkb.store.profile_queries and the reader queries a profile makes: how many SQL
statements a profile issues (it must not grow with the documents, mentions, claims and events of
the entity: one query per document made the busiest group of 10,000 documents take minutes) and
the quotes the queries give (sliced in Python from each document's text read once, exactly as
SQL's substr gives them).

The store is the fixture corpus of ``test_profiles`` written with ``write_facts`` (no NLP), and the
same corpus with each document copied three times (a suffix makes each copy a new document).
"""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path
from typing import Any

import pytest
from test_profiles import corpus

from conflictkb.engines.local import write_facts
from conflictkb.kb import KnowledgeBase
from conflictkb.model import DocumentFacts
from conflictkb.profiles import Profile, profile
from conflictkb.store import Store, profile_queries, reader

COPIES = 3


def _copy(facts: DocumentFacts, n: int) -> DocumentFacts:
    """The document again under another name, its text with a suffix (so another id); the offsets
    of its facts are unchanged."""
    text = f"{facts.document.text} Copy {n}."
    document = dataclasses.replace(
        facts.document,
        id=hashlib.sha256(text.encode()).hexdigest(),
        path=f"/corpus/copy{n}-{facts.document.name}",
        text=text,
        n_bytes=len(text),
    )
    return dataclasses.replace(facts, document=document)


def _write(path: Path, copies: int) -> Path:
    with Store(path) as store:
        for facts in corpus():
            write_facts(store, facts.document.path, facts)
            for n in range(1, copies + 1):
                copy = _copy(facts, n)
                write_facts(store, copy.document.path, copy)
    return path


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _write(tmp_path_factory.mktemp("profile-queries") / "small.sqlite", 0)


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _write(tmp_path_factory.mktemp("profile-queries") / "big.sqlite", COPIES)


def _traced(path: Path, name: str) -> tuple[Profile, list[str]]:
    """The profile of ``name`` and every SQL statement building it issued."""
    kb = KnowledgeBase(path)
    issued: list[str] = []
    try:
        kb.store.conn.set_trace_callback(issued.append)
        return profile(kb, name), issued
    finally:
        kb.store.conn.set_trace_callback(None)
        kb.close()


def _citations(result: Profile) -> int:
    """How many citations the profile holds, in every section."""

    def count(node: Any) -> int:
        if isinstance(node, dict):
            return len(node.get("citations", [])) + sum(count(v) for v in node.values())
        if isinstance(node, list):
            return sum(count(v) for v in node)
        return 0

    return count(result.to_dict())


@pytest.mark.parametrize("name", ["NF", "Karim Aslanov"])
def test_a_profile_issues_as_many_statements_whatever_the_number_of_documents(
    small: Path, big: Path, name: str
) -> None:
    few, few_sql = _traced(small, name)
    many, many_sql = _traced(big, name)
    # The bigger store really gives the profile more of everything ...
    assert many.documents == few.documents * (COPIES + 1)
    assert _citations(many) == _citations(few) * (COPIES + 1)
    assert sum(len(e.citations) for e in many.events) == sum(len(e.citations) for e in few.events) * (COPIES + 1)
    # ... with the same statements: none is issued per document, mention, claim or event.
    assert len(many_sql) == len(few_sql) <= 20


def test_quotes_are_the_documents_text_as_sql_slices_it(big: Path) -> None:
    kb = KnowledgeBase(big)
    try:
        store = kb.store
        nf = profile(kb, "NF").entity.id
        leader = profile(kb, "Karim Aslanov").entity.id
        rows = [
            *reader.claims_about(store, nf, profile_queries.claim_properties(store, nf)),
            *reader.claims_about(store, leader, ["killed_in"]),
            *profile_queries.claims_to(store, nf),
            *profile_queries.alias_sources(store, nf),
        ]
        assert len(rows) > 50
        for row in rows:
            expected = store.conn.execute(
                "SELECT substr(text, ? + 1, ? - ?) FROM documents WHERE id = ?",
                (row["start"], row["end"], row["start"], row["doc_id"]),
            ).fetchone()[0]
            assert row["quote"] == expected
    finally:
        kb.close()


def test_a_span_sql_would_slice_backwards_is_quoted_as_sql_quotes_it(small: Path) -> None:
    """A malformed span (end before start) is left to SQLite, whose substr counts backwards."""
    with Store(small) as store:
        assert reader._substr(store, "abcdef", 3, 1) == "bc"
        assert reader._substr(store, "abcdef", 1, 3) == "bc"
        assert reader._substr(store, "abcdef", None, 3) is None
