"""The store opens in Datasette (its Python API, in-process) with the metadata shipped in the package:
descriptions, labels, facets and canned queries answer."""

from __future__ import annotations

import asyncio
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
import yaml
from datasette.app import Datasette

from conflictkb.export import datasette as meta


@pytest.fixture(scope="module")
def kb_file(seed_kb: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the seed knowledge base named kb.sqlite, as the shipped metadata expects."""
    path = tmp_path_factory.mktemp("datasette") / "kb.sqlite"
    with closing(sqlite3.connect(seed_kb)) as source, closing(sqlite3.connect(path)) as target:
        source.backup(target)
    return path


def _count(path: Path, sql: str, *args: Any) -> int:
    with closing(sqlite3.connect(path)) as conn:
        return int(conn.execute(sql, args).fetchone()[0])


def _get_all(path: Path, metadata: dict[str, Any], urls: list[str]) -> list[dict[str, Any]]:
    async def run() -> list[dict[str, Any]]:
        ds = Datasette(files=[str(path)], metadata=metadata)
        await ds.invoke_startup()
        out = []
        for url in urls:
            response = await ds.client.get(url)
            assert response.status_code == 200, (url, response.text[:500])
            out.append(response.json())
        return out

    return asyncio.run(run())


def test_the_shipped_metadata_is_yaml_datasette_reads(kb_file: Path) -> None:
    shipped = yaml.safe_load(meta.METADATA_FILE.read_text(encoding="utf-8"))
    assert list(shipped["databases"]) == [meta.database_name(kb_file)] == ["kb"]
    with closing(sqlite3.connect(kb_file)) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    described = set(shipped["databases"]["kb"]["tables"])
    core = {"documents", "entities", "aliases", "mentions", "events", "statements", "relations", "dataset_links"}
    assert core <= described and core <= tables


def test_facets_labels_and_canned_queries_answer(kb_file: Path) -> None:
    with meta.METADATA_FILE.open(encoding="utf-8") as f:
        metadata = yaml.safe_load(f)
    statements, entities, bombings, about, labelled = _get_all(
        kb_file,
        metadata,
        [
            "/kb/statements.json?_size=1",
            "/kb/entities.json?_size=1",
            "/kb/event_rows.json?_shape=objects&type=bombing&country=",
            "/-/metadata.json",
            "/kb/statements.json?_shape=objects&_labels=on&_size=1&property=type",
        ],
    )
    # The configured facets answer without being asked for, with the counts SQL gives.
    facet = {r["value"]: r["count"] for r in statements["facet_results"]["property"]["results"]}
    assert facet["type"] == _count(kb_file, "SELECT count(*) FROM statements WHERE property = 'type'")
    kinds = {r["value"]: r["count"] for r in entities["facet_results"]["kind"]["results"]}
    assert kinds["armed_group"] == _count(kb_file, "SELECT count(*) FROM entities WHERE kind = 'armed_group'")
    # A canned query: one row per event, filtered.
    rows = bombings["rows"]
    assert rows and {r["type"] for r in rows} == {"bombing"}
    assert len(rows) == _count(kb_file, "SELECT count(*) FROM statements WHERE property = 'type' AND value = 'bombing'")
    assert about["title"] == "conflictkb knowledge base"
    # Foreign keys show the label column: a statement's document by its name.
    (row,) = labelled["rows"]
    assert row["doc_id"]["label"].endswith(".txt")


def test_metadata_for_another_file_name(tmp_path: Path) -> None:
    other = meta.metadata(tmp_path / "my-conflicts.sqlite")
    assert list(other["databases"]) == ["my-conflicts"]
    assert other["databases"]["my-conflicts"] == meta.metadata()["databases"]["kb"]
