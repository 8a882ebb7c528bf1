"""conflictkb.store.search: full-text queries that cannot be malformed, and search over documents,
evidence and actors' names."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conflictkb.kb import KnowledgeBase
from conflictkb.store import search
from conflictkb.store.search import fts_query, hit_parts


@pytest.fixture(scope="module")
def kb(seed_kb: Path) -> Iterator[KnowledgeBase]:
    opened = KnowledgeBase(seed_kb)
    yield opened
    opened.close()


# --- full-text queries ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "query"),
    [
        ("Tashkent", '"Tashkent"'),
        ("car bombs", '"car" "bombs"'),
        ('"car bombs" Tashkent', '"car bombs" "Tashkent"'),
        ("Uzbek*", '"Uzbek"*'),
        ('IMU" OR 1=1 --', '"IMU" "OR" "1=1"'),
        ("NEAR(a b) AND title:x", '"NEAR(a" "b)" "AND" "title:x"'),
        ("", None),
        ("   ", None),
        ('"" * - ^ :', None),
    ],
)
def test_fts_query_quotes_every_word(text: str, query: str | None) -> None:
    assert fts_query(text) == query


def test_fts_query_prefix_and_limits() -> None:
    assert fts_query("islamic movem", prefix=True) == '"islamic"* "movem"*'
    assert fts_query(" ".join(f"w{i}" for i in range(50))).count('"') == 2 * search.MAX_TERMS


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_no_text_makes_a_malformed_fts_query(text: str) -> None:
    with closing(sqlite3.connect(":memory:")) as conn:
        conn.execute("CREATE VIRTUAL TABLE t USING fts5(a, tokenize = 'unicode61 remove_diacritics 2')")
        conn.execute("INSERT INTO t VALUES ('the Islamic Movement of Uzbekistan struck Tashkent')")
        for prefix in (False, True):
            query = fts_query(text, prefix=prefix)
            if query is not None:
                conn.execute("SELECT * FROM t WHERE t MATCH ?", (query,)).fetchall()


def test_hit_parts_split_snippets_at_the_markers() -> None:
    snippet = f"a {search.HIT_START}bomb{search.HIT_END} in {search.HIT_START}Tashkent{search.HIT_END}"
    assert hit_parts(snippet) == [("a ", False), ("bomb", True), (" in ", False), ("Tashkent", True)]
    assert hit_parts("") == []
    assert "".join(t for t, _ in hit_parts(f"x{search.HIT_END}y")) == "xy"


def test_search_finds_names_documents_and_evidence(kb: KnowledgeBase) -> None:
    names = kb.search_names("IMU")
    assert names[0]["name"] == "Islamic Movement of Uzbekistan" and "IMU" in names[0]["matched"]
    assert any(n["name"] == "Islamic Movement of Uzbekistan" for n in kb.search_names("islamic movem"))
    documents, total = kb.search_documents("Tashkent")
    assert total == len(documents) > 0
    assert all(any(hit and text.lower() == "tashkent" for text, hit in d["parts"]) for d in documents)
    evidence, n = kb.search_evidence("car bombs")
    assert n >= 1 and evidence[0]["type"] == "bombing"
    quoted = kb.event(evidence[0]["event_id"])
    assert quoted is not None and any("car bombs" in e.text for e in quoted.event.evidence)
    for malformed in ['"', "*", "NEAR(", "AND", "'; DROP TABLE documents; --", "\u202e\u200b", "x" * 10_000]:
        kb.search_names(malformed)
        kb.search_documents(malformed)
        kb.search_evidence(malformed)
    assert kb.counts()["documents"] == 5


# --- the event index -----------------------------------------------------------------------------
