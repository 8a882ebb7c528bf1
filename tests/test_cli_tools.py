"""The gazetteer and actors commands, through the real CLI in a subprocess where it matters."""

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

from typer.testing import CliRunner

from conflictkb.cli import app
from conflictkb.gazetteer import Gazetteer, load_dump
from conflictkb.store.placedb import PlaceDB

DUMP_LINES = [
    "9999991\tBostanliq\tBostanliq\tBostanlyk,Bo'stonliq\t41.58\t70.01\tA\tADM2\tUZ\t\t13\t\t\t\t0\t\t\t\t2020-01-01",
    "9999992\tKhushad\tKhushad\tKhushod\t38.50\t72.10\tP\tPPL\tTJ\t\t01\t\t\t\t900\t\t\t\t2020-01-01",
    "9999993\tTajikistan\tTajikistan\t\t39.0\t71.0\tA\tPCLI\tTJ\t\t00\t\t\t\t9000000\t\t\t\t2020-01-01",
]


def write_dump(folder: Path, zipped: bool) -> Path:
    text = "\n".join(DUMP_LINES) + "\n"
    if not zipped:
        path = folder / "XX.txt"
        path.write_text(text, encoding="utf-8")
        return path
    path = folder / "XX.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "GeoNames readme")
        archive.writestr("XX.txt", text)
    return path


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "conflictkb.cli", *args], capture_output=True, text=True, timeout=120, env=env
    )


def test_load_a_zipped_dump_then_find_its_villages(tmp_path: Path) -> None:
    target = tmp_path / "gaz.sqlite"
    result = run_cli("gazetteer", "load", str(write_dump(tmp_path, zipped=True)), "--gazetteer", str(target))
    assert result.returncode == 0, result.stderr
    assert "loaded 2 places" in result.stdout  # the country line is left to the countries layer
    env = {**os.environ, "CONFLICTKB_GAZETTEER": str(target)}
    lookup = run_cli("gazetteer", "lookup", "Bostanlyk", env=env)
    assert lookup.returncode == 0 and "Bostanliq" in lookup.stdout and "user" in lookup.stdout


def test_loading_the_same_dump_again_replaces_its_places(tmp_path: Path) -> None:
    target = tmp_path / "gaz.sqlite"
    dump = write_dump(tmp_path, zipped=False)
    assert load_dump(dump, target) == 2
    assert load_dump(dump, target) == 2
    db = PlaceDB(target)
    assert db.count() == 2 and db.sources() == [("XX.txt", 2)]
    gaz = Gazetteer(indexes=[("user", db)])
    (khushad,) = gaz.candidates("Khushod")
    assert (khushad.place.country, khushad.place.precision, khushad.layer) == ("TJ", "point", "user")


def test_a_file_that_is_not_a_dump_is_one_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "notes.txt"
    bad.write_text("just some notes\nnot tab separated\n", encoding="utf-8")
    result = run_cli("gazetteer", "load", str(bad), "--gazetteer", str(tmp_path / "g.sqlite"))
    assert result.returncode == 2
    assert "not a GeoNames dump" in result.stderr and "Traceback" not in result.stderr
    missing = run_cli("gazetteer", "load", str(tmp_path / "nope.zip"), "--gazetteer", str(tmp_path / "g.sqlite"))
    assert missing.returncode == 2 and "no such file" in missing.stderr


def test_lookup_of_an_unknown_name_says_so() -> None:
    result = CliRunner().invoke(app, ["gazetteer", "lookup", "Qqqzzzville"])
    assert result.exit_code == 1 and "no place named" in result.output


def test_actors_added_to_a_store_are_found_by_later_ingests(tmp_path: Path) -> None:
    actors = tmp_path / "mine.csv"
    actors.write_text("name,kind,aliases,country\nValley Lions Front,armed_group,VLF;Vodiy Sherlari,TJ\n", "utf-8")
    db = tmp_path / "kb.sqlite"
    added = run_cli("actors", "add", str(actors), "--db", str(db))
    assert added.returncode == 0, added.stderr
    listed = CliRunner().invoke(app, ["actors", "list", "--db", str(db)])
    assert "Valley Lions Front" in listed.output and "VLF" in listed.output
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("In 2011 the VLF attacked a border post near Khorog, officials said.", "utf-8")
    ingested = run_cli("ingest", str(docs), "--db", str(db), "--quiet")
    assert ingested.returncode == 0, ingested.stderr
    exported = run_cli("export", "entities", "--db", str(db))
    names = {json.loads(line)["name"]: json.loads(line)["type"] for line in exported.stdout.splitlines()}
    assert names.get("Valley Lions Front") == "armed_group"


def test_extract_with_an_actors_file(tmp_path: Path) -> None:
    actors = tmp_path / "mine.yaml"
    actors.write_text("actors:\n  - {name: Valley Lions Front, kind: armed_group, aliases: [VLF]}\n", "utf-8")
    doc = tmp_path / "a.txt"
    doc.write_text("The VLF claimed the bombing in Khorog in 2012.", "utf-8")
    result = run_cli("extract", str(doc), "--actors", str(actors))
    assert result.returncode == 0, result.stderr
    entities = [json.loads(line) for line in result.stdout.splitlines() if '"entity"' in line]
    assert any(e["name"] == "Valley Lions Front" and e["aliases"] == ["VLF"] for e in entities)


def test_a_broken_actors_file_is_one_clear_error(tmp_path: Path) -> None:
    actors = tmp_path / "bad.yaml"
    actors.write_text("actors:\n  - {name: Nobody}\n", "utf-8")
    result = CliRunner().invoke(app, ["actors", "add", str(actors), "--db", str(tmp_path / "kb.sqlite")])
    assert result.exit_code == 2 and "kind" in result.output
