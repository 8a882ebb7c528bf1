"""Tests for the ``conflictkb`` command: help, version, and ingest / status / export run as a user runs them."""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import conflictkb
from conflictkb import cli as cli_module
from conflictkb.cli import app
from conflictkb.extract import Extractor
from conflictkb.model import Document, DocumentFacts

ROOT = Path(__file__).resolve().parent.parent
SMALL = ROOT / "examples" / "seeds" / "004_23f3cafbd793537b.txt"
runner = CliRunner()

# Each command, and options its help must mention.
COMMANDS = {
    "ingest": ["--db", "--model", "--max-bytes", "--quiet"],
    "extract": ["--model", "--max-bytes"],
    "export": ["--db", "--format", "--output"],
    "status": ["--db"],
    "serve": ["--db", "--host", "--port"],
}


def cli(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """``python -m conflictkb.cli ARGS`` in a subprocess, as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "conflictkb.cli", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
        check=False,
        env={**os.environ, "COLUMNS": "80"},
    )


def assert_one_line_error(result: subprocess.CompletedProcess[str], *words: str) -> None:
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("error: ")
    for word in words:
        assert word in lines[0]


# --- Help and version ----------------------------------------------------------------------------------------


def test_app_help_lists_every_command() -> None:
    result = cli("--help")
    assert result.returncode == 0
    assert "Usage" in result.stdout
    for command in COMMANDS:
        assert command in result.stdout
    assert "--version" in result.stdout


def test_no_arguments_shows_help() -> None:
    result = runner.invoke(app, [])
    assert "Usage" in result.output
    assert "ingest" in result.output


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_explains_itself(command: str) -> None:
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0, result.output
    assert f"Usage: conflictkb {command}" in result.output
    for option in COMMANDS[command]:
        assert option in result.output, option


def test_version() -> None:
    result = cli("--version")
    assert result.returncode == 0
    assert result.stdout == f"conflictkb {conflictkb.__version__}\n"


def test_help_does_not_load_spacy() -> None:
    """``--help`` stays fast: the pipeline is imported only by the commands that run it."""
    code = "import sys, conflictkb.cli; print('spacy' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


# --- ingest, status, export: the happy path, with bad files among the good ----------------------------------


def test_ingest_status_export_through_the_command(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copyfile(SMALL, corpus / "good.txt")
    (corpus / "e.txt").write_bytes(b"")
    (corpus / "x.pdf").write_bytes(os.urandom(2000))
    db = tmp_path / "kb.sqlite"

    ingested = cli("ingest", str(corpus), "--db", str(db), "--quiet")
    assert ingested.returncode == 0, ingested.stderr
    assert "Traceback" not in ingested.stderr
    summary = dict(re.findall(r"(documents \w+|in the knowledge base: \w+)\s*\S\s*(\d+)", ingested.stdout))
    assert summary["documents ingested"] == "1"
    assert summary["documents skipped"] == "2"
    assert summary["documents failed"] == "0"
    assert summary["in the knowledge base: documents"] == "1"
    assert int(summary["in the knowledge base: events"]) > 0
    assert f"skipped: {corpus / 'e.txt'}: empty file" in ingested.stderr
    assert f"skipped: {corpus / 'x.pdf'}: " in ingested.stderr

    status = cli("status", "--db", str(db))
    assert status.returncode == 0, status.stderr
    counts = dict(re.findall(r"^(\w+): (\d+)$", status.stdout, flags=re.M))
    assert counts["documents"] == "1"
    assert int(counts["events"]) == int(summary["in the knowledge base: events"])
    problems = [line for line in status.stdout.splitlines() if line.startswith(("skipped", "failed"))]
    assert len(problems) == 2
    assert f"skipped: {(corpus / 'e.txt').resolve()}: empty file" in problems
    assert any(p.startswith(f"skipped: {(corpus / 'x.pdf').resolve()}: ") and "PDF" in p.upper() for p in problems)

    out = tmp_path / "events.csv"
    exported = cli("export", "events", "--db", str(db), "--format", "csv", "--output", str(out))
    assert exported.returncode == 0, exported.stderr
    with out.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == int(counts["events"])
    assert exported.stderr.strip() == f"exported {len(rows)} events"
    assert {r["doc"] for r in rows} == {"good.txt"}


def test_status_and_export_in_process(seed_kb: Path) -> None:
    status = runner.invoke(app, ["status", "--db", str(seed_kb)])
    assert status.exit_code == 0
    assert "documents: 5" in status.stdout
    assert "skipped" not in status.stdout and "failed" not in status.stdout


# --- Errors a user can fix: one line, exit 2, no traceback ---------------------------------------------------


def test_export_of_a_missing_knowledge_base(tmp_path: Path) -> None:
    db = tmp_path / "missing.sqlite"
    result = cli("export", "events", "--db", str(db))
    assert_one_line_error(result, "no knowledge base at", str(db), "conflictkb ingest")
    assert result.stdout == ""
    assert not db.exists()


def test_status_of_a_missing_knowledge_base(tmp_path: Path) -> None:
    result = runner.invoke(app, ["status", "--db", str(tmp_path / "missing.sqlite")])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: no knowledge base at")


def test_ingest_into_a_file_that_is_not_a_knowledge_base(tmp_path: Path) -> None:
    db = tmp_path / "photo.sqlite"
    data = os.urandom(4096)
    db.write_bytes(data)
    result = cli("ingest", str(SMALL), "--db", str(db))
    assert_one_line_error(result, "is not a conflictkb knowledge base", str(db))
    assert db.read_bytes() == data


def test_error_message_is_printed_literally(tmp_path: Path) -> None:
    """A path with rich-markup brackets is shown as it is, not eaten as markup."""
    db = tmp_path / "[bold]kb[/bold].sqlite"
    result = runner.invoke(app, ["export", "events", "--db", str(db)])
    assert result.exit_code == 2
    assert str(db) in result.stderr


def test_extract_reports_a_failing_document_and_goes_on(
    extractor: Extractor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Deliberate crash injection: the pipeline raises on one file; the others are still printed."""
    shutil.copyfile(SMALL, tmp_path / "a.txt")
    shutil.copyfile(SMALL, tmp_path / "b.txt")
    (tmp_path / "c.txt").write_bytes(b"")

    def flaky(document: Document) -> DocumentFacts:
        if document.name == "a.txt":
            raise RuntimeError("model exploded")
        return extractor(document)

    monkeypatch.setattr(cli_module, "_extractor", lambda model, *actors: flaky)
    result = runner.invoke(app, ["extract", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        f"failed: {tmp_path / 'a.txt'}: extraction failed: RuntimeError: model exploded",
        f"skipped: {tmp_path / 'c.txt'}: empty file",
    ]
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert records
    assert {r["doc"] for r in records} == {"b.txt"}


def test_serve_on_a_taken_port_is_one_clear_line(seed_kb: Path) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "conflictkb.cli", "serve", "--db", str(seed_kb), "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 2
    assert "cannot listen on 127.0.0.1" in result.stderr
    assert "Traceback" not in result.stderr
