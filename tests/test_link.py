"""Tests for ``conflictkb link``: incidents of the seed knowledge base matched to small GTD- and ACLED-shaped
files, the links stored with why, and what the file holds next to what the documents add."""

from __future__ import annotations

import csv
import json
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

import conflictkb
from conflictkb.export import acled, gtd
from conflictkb.export.incidents import Incident, incidents
from conflictkb.kb import KnowledgeBase
from conflictkb.link import match
from conflictkb.link_cli import link
from conflictkb.link_rows import Row, read_rows
from conflictkb.link_score import load_scoring, score
from conflictkb.vocab import VocabError

runner = CliRunner()
cli = typer.Typer()
cli.command()(link)


@cli.callback()
def _group() -> None:
    """The link command as the conflictkb command registers it."""


GTD_COLUMNS = ["eventid", "iyear", "imonth", "iday", "country", "country_txt", "provstate", "city", "latitude",
               "longitude", "attacktype1_txt", "targtype1_txt", "target1", "gname", "gname2", "nkill", "nwound",
               "nhostkid", "summary"]  # fmt: skip
# Rows as the GTD holds them: two of the Tashkent car bombs (no group named), the IMU's raid in Batken, the
# Karachi airport attack (a day the documents do not give), a post in Osh Province and an attack in Kabul.
GTD_ROWS = [
    ["199902160001", "1999", "2", "16", "183", "Uzbekistan", "Tashkent", "Tashkent", "41.311151", "69.279737",
     "Bombing/Explosion", "Government (General)", "Cabinet of Ministers", "Unknown", "", "16", "128", "",
     "A car bomb exploded near the government building."],
    ["199902160002", "1999", "2", "16", "183", "Uzbekistan", "Tashkent", "Tashkent", "41.311151", "69.279737",
     "Bombing/Explosion", "Business", "Bank", "Unknown", "", "0", "0", "", "A second car bomb exploded."],
    ["200008110001", "2000", "8", "11", "96", "Kyrgyzstan", "Batken", "Batken", "40.06", "70.82", "Armed Assault",
     "Military", "Army patrol", "Islamic Movement of Uzbekistan (IMU)", "", "22", "", "",
     "IMU militants ambushed an army patrol."],
    ["201406080001", "2014", "6", "8", "153", "Pakistan", "Sindh", "Karachi", "24.89", "67.03", "Armed Assault",
     "Airports & Aircraft", "Jinnah International Airport", "Tehrik-i-Taliban Pakistan (TTP)",
     "Islamic Movement of Uzbekistan (IMU)", "36", "18", "", "Assailants attacked the airport."],
    ["200905260001", "2009", "5", "26", "96", "Kyrgyzstan", "Osh", "Khanabad", "40.8", "72.9", "Armed Assault",
     "Police", "Police post", "Unknown", "", "1", "0", "", "A police post was attacked."],
    ["199803010001", "1998", "3", "1", "4", "Afghanistan", "Kabul", "Kabul", "34.5", "69.1", "Bombing/Explosion",
     "Business", "Shop", "Taliban", "", "2", "3", "", "Unrelated."],
]  # fmt: skip
ACLED_COLUMNS = ["EVENT_ID_CNTY", "EVENT_DATE", "YEAR", "TIME_PRECISION", "EVENT_TYPE", "SUB_EVENT_TYPE", "ACTOR1",
                 "ASSOC_ACTOR_1", "ACTOR2", "COUNTRY", "ADMIN1", "LOCATION", "LATITUDE", "LONGITUDE", "FATALITIES",
                 "NOTES"]  # fmt: skip
ACLED_ROWS = [
    ["UZB1", "16 February 1999", "1999", "1", "Explosions/Remote violence", "Remote explosive/landmine/IED",
     "IMU: Islamic Movement of Uzbekistan", "", "Civilians (Uzbekistan)", "Uzbekistan", "Tashkent", "Tashkent",
     "41.3111", "69.2797", "13", "Car bombs in Tashkent."],
    ["KGZ7", "11 August 2000", "2000", "1", "Battles", "Armed clash", "Islamic Movement of Uzbekistan",
     "", "Military Forces of Kyrgyzstan", "Kyrgyzstan", "Batken", "Batken", "40.06", "70.82", "25", "Raid."],
    ["KGZ8", "20 March 2001", "2001", "1", "Battles", "Armed clash", "Military Forces of Kyrgyzstan", "", "",
     "Kyrgyzstan", "Chuy", "Bishkek", "42.87", "74.59", "0", "Unrelated."],
]  # fmt: skip


def write_csv(path: Path, columns: list[str], rows: list[list[str]], encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as f:
        out = csv.writer(f)
        out.writerow(columns)
        out.writerows(rows)
    return path


@pytest.fixture
def db(seed_kb: Path, tmp_path: Path) -> Path:
    """A copy of the seed knowledge base: linking writes to it."""
    path = tmp_path / "kb.sqlite"
    with closing(sqlite3.connect(seed_kb)) as source, closing(sqlite3.connect(path)) as target:
        source.backup(target)
    return path


@pytest.fixture(scope="module")
def seed_incidents(seed_kb: Path) -> dict[tuple[str, str | None], Incident]:
    with closing(KnowledgeBase(seed_kb)) as kb:
        return {(i.type, i.date): i for i in incidents(kb)}


def stored_links(db: Path) -> list[dict[str, Any]]:
    with closing(sqlite3.connect(db)) as conn:
        conn.row_factory = sqlite3.Row
        rows = conn.execute("SELECT * FROM dataset_links ORDER BY dataset, row_id").fetchall()
        return [{**dict(r), "why": json.loads(r["why"])} for r in rows]


def run(*args: str) -> Any:
    return runner.invoke(cli, ["link", *args])


def test_gtd_rows_are_linked_stored_and_explained(
    db: Path, tmp_path: Path, seed_incidents: dict[Any, Incident]
) -> None:
    bombing = seed_incidents[("bombing", "1999-02-16")]
    raid = seed_incidents[("armed_assault", "2000-08-11")]
    gtd = write_csv(tmp_path / "gtd.csv", GTD_COLUMNS, GTD_ROWS)
    result = run("--gtd", str(gtd), "--db", str(db))
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("GTD file gtd.csv: 6 rows (1998-2014); 6 in the years and countries")
    assert "linked: 3 incidents to 4 GTD rows (stored in dataset_links)" in out
    assert result.stderr.strip() == "GTD: 4 links stored"
    links = {r["row_id"]: r for r in stored_links(db)}
    assert set(links) == {"199902160001", "199902160002", "200008110001", "201406080001"}
    assert {links["199902160001"]["incident_id"], links["199902160002"]["incident_id"]} == {bombing.id}
    assert links["200008110001"]["incident_id"] == raid.id and links["200008110001"]["score"] == 1.0
    why = links["199902160001"]["why"]
    assert why[:3] == [
        "same day (1999-02-16) +0.35",
        "same country (Uzbekistan) +0.15",
        "same place (Tashkent / Tashkent) +0.15",
    ]
    assert (
        "perpetrator Islamic Movement of Uzbekistan (Islamic Movement of Uzbekistan) +0.20"
        in links["200008110001"]["why"]
    )
    # What the documents add to the GTD, and what the GTD holds that the documents do not.
    assert "new in the documents: perpetrator Islamic Movement of Uzbekistan (GTD: unknown)" in out
    assert "killed: the documents say 13 (000_b1c16fbf6eef94d6.txt), GTD 16" in out
    assert "GTD already holds: the day, 2014-06-08; killed 36; wounded 18" in out
    assert "new in the documents, not in GTD:" in out and f"incident {raid.id}:" in out
    assert "in GTD only: 2 rows of those years and countries match no incident" in out
    # The exports and the notebook API carry the links.
    with conflictkb.open(db) as kb:
        assert set(kb.links()["row_id"]) == set(links)
        (row,) = [r for r in acled.rows(kb) if r["conflictkb_incident"] == bombing.id]
    assert row["conflictkb_links"] == "gtd:199902160001; gtd:199902160002"


def test_linking_again_replaces_the_links_of_the_files_rows(db: Path, tmp_path: Path) -> None:
    gtd = write_csv(tmp_path / "gtd.csv", GTD_COLUMNS, GTD_ROWS)
    assert run("--gtd", str(gtd), "--db", str(db)).exit_code == 0
    first = stored_links(db)
    assert run("--gtd", str(gtd), "--db", str(db)).exit_code == 0
    assert [(r["incident_id"], r["row_id"], r["score"]) for r in stored_links(db)] == [
        (r["incident_id"], r["row_id"], r["score"]) for r in first
    ]
    moved = [r[:] for r in GTD_ROWS[:2]]
    moved[1][2] = "5"  # the second row, corrected to May: no longer this incident
    result = run("--gtd", str(write_csv(tmp_path / "fix.csv", GTD_COLUMNS, moved)), "--db", str(db))
    assert result.exit_code == 0, result.output
    assert result.stderr.strip() == "GTD: 1 links stored, 1 earlier links to these rows removed"
    assert {r["row_id"] for r in stored_links(db)} == {"199902160001", "200008110001", "201406080001"}


def test_acled_rows_in_acleds_older_shape(db: Path, tmp_path: Path, seed_incidents: dict[Any, Incident]) -> None:
    path = write_csv(tmp_path / "acled.csv", ACLED_COLUMNS, ACLED_ROWS)
    result = run("--acled", str(path), "--db", str(db), "--threshold", "0.7")
    assert result.exit_code == 0, result.output
    links = {r["row_id"]: r for r in stored_links(db)}
    assert set(links) == {"UZB1", "KGZ7"}
    assert links["UZB1"]["incident_id"] == seed_incidents[("bombing", "1999-02-16")].id
    assert "killed 13 +0.10" in links["UZB1"]["why"]
    assert "type Explosions/Remote violence +0.05" in links["UZB1"]["why"]
    assert "perpetrator Islamic Movement of Uzbekistan (IMU) +0.20" in links["UZB1"]["why"]
    assert links["KGZ7"]["incident_id"] == seed_incidents[("armed_assault", "2000-08-11")].id
    assert "in ACLED only: 1 rows" in result.stdout


def _looks(inc: Incident) -> tuple[Any, ...]:
    """What the score sees of an incident: two incidents that look alike score alike."""
    place = inc.place.name if inc.place else None
    return inc.type, inc.date, inc.country, place, sorted(a.name for a in inc.perpetrators), inc.lowest("killed")


@pytest.mark.parametrize("dataset", ["acled", "gtd"])
def test_link_reads_back_what_export_writes(seed_kb: Path, tmp_path: Path, dataset: str) -> None:
    """Our own ACLED or GTD export, linked to the knowledge base it came from: every row that links links
    to its own incident (or to one that looks the same), and every incident dated to the day, placed and
    in a country is linked."""
    path = tmp_path / f"{dataset}.csv"
    writer = acled.write if dataset == "acled" else gtd.write
    with closing(KnowledgeBase(seed_kb)) as kb:
        with path.open("w", encoding="utf-8", newline="") as out:
            written = writer(kb, out)
        report = match(kb, path, dataset)
        found = {i.id: i for i in incidents(kb)}
    assert report.rows == written > 0
    own: dict[str, int] = {}
    for incident_id, ms in report.matches.items():
        for m in ms:
            own[m.row.id] = incident_id
            exported = found[int(m.row.id.removeprefix("CKB"))]
            assert incident_id == exported.id or _looks(found[incident_id]) == _looks(exported), m.row.id
            # The type the export wrote is the type the score expects (an assault on soldiers is ACLED's battle).
            assert any(w.startswith("type ") for w in m.why), (m.row.id, m.why)
            shares = [float(w.rsplit(" +", 1)[1]) for w in m.why]
            assert sum(shares) == pytest.approx(m.score, abs=0.01 * len(shares))  # the reasons add up to the score
    in_file = [i for i in found.values() if dataset == "acled" or gtd.recorded(i)]
    complete = [i for i in in_file if i.date_precision == "day" and i.place and i.country]
    assert complete and all(f"CKB{i.id}" in own for i in complete)


def test_a_gtd_file_in_cp1252_reads(tmp_path: Path) -> None:
    row = [*GTD_ROWS[0][:-1], "Explosion près du ministère."]
    path = write_csv(tmp_path / "gtd.csv", GTD_COLUMNS, [row], encoding="cp1252")
    (read,) = read_rows(path, "gtd")
    assert (read.id, read.date, read.precision, read.country, read.killed) == (
        "199902160001",
        "1999-02-16",
        "day",
        "UZ",
        16,
    )
    assert read.actors == ("Unknown",) and read.known_actors == []


def test_the_score_declares_its_weights_and_rules_out_what_cannot_be(seed_incidents: dict[Any, Incident]) -> None:
    weights = load_scoring().weights
    assert list(weights) == ["date", "country", "place", "perpetrator", "toll", "type"]
    assert sum(weights.values()) == pytest.approx(1.0)
    raid = seed_incidents[("armed_assault", "2000-08-11")]
    row = Row("gtd", "1", "2000-08-11", "day", "KG", "Kyrgyzstan", ("Batken",), None, None,
              ("Islamic Movement of Uzbekistan (IMU)", "Islamic Movement of Uzbekistan", "IMU"), 22, None, None,
              ("Armed Assault",))  # fmt: skip
    scored = score(raid, row, {})
    assert scored is not None
    total, why = scored
    assert total == pytest.approx(1.0 - weights["place"])  # all but the place: "Batken" is not "Batken Region"
    assert why[0] == "same day (2000-08-11) +0.35"
    assert score(raid, _replace(row, country="TJ"), {}) is None  # another country
    assert score(raid, _replace(row, date="2000-09-11"), {}) is None  # another month
    assert score(raid, _replace(row, date="2000-08-25"), {}) is None  # two weeks apart
    assert score(raid, _replace(row, date="2000-08-12"), {})[1][0] == "a day apart (2000-08-11 / 2000-08-12) +0.28"  # type: ignore[index]
    assert score(raid, _replace(row, date="2000", precision="year"), {})[1][0].startswith("same year (2000) +")  # type: ignore[index]


def _replace(row: Row, **changes: Any) -> Row:
    from dataclasses import replace

    return replace(row, **changes)


RAID_ROW = Row("gtd", "1", "2000-08-11", "day", "KG", "Kyrgyzstan", ("Batken",), None, None,
               ("Islamic Movement of Uzbekistan (IMU)",), 22, None, None, ("Armed Assault",))  # fmt: skip


def test_a_weight_changed_in_a_user_folder_changes_the_score(
    tmp_path: Path, seed_incidents: dict[Any, Incident]
) -> None:
    raid = seed_incidents[("armed_assault", "2000-08-11")]
    (tmp_path / "link.yaml").write_text(
        "threshold: 0.9\nfeatures:\n  date:\n    weight: 0.5\n    values: {one_day: 0.4}\n", encoding="utf-8"
    )
    mine = load_scoring((tmp_path,))
    assert mine.threshold == 0.9 and mine.weights["date"] == 0.5 and mine.weights["toll"] == 0.10  # the rest stays
    shipped, changed = score(raid, RAID_ROW, {}), score(raid, RAID_ROW, {}, mine)
    assert shipped is not None and changed is not None
    assert changed[0] == pytest.approx(shipped[0] + 0.5 - 0.35)
    assert changed[1][0] == "same day (2000-08-11) +0.50" and changed[1][1:] == shipped[1][1:]
    a_day_later = score(raid, _replace(RAID_ROW, date="2000-08-12"), {}, mine)
    assert a_day_later is not None and a_day_later[1][0] == "a day apart (2000-08-11 / 2000-08-12) +0.20"


def test_a_threshold_in_a_user_folder_decides_what_is_linked(seed_kb: Path, tmp_path: Path) -> None:
    gtd = write_csv(tmp_path / "gtd.csv", GTD_COLUMNS, GTD_ROWS)
    (tmp_path / "strict").mkdir()
    (tmp_path / "strict" / "link.yaml").write_text("threshold: 0.9\n", encoding="utf-8")
    with closing(KnowledgeBase(seed_kb)) as kb:
        shipped = match(kb, gtd, "gtd")
        strict = match(kb, gtd, "gtd", scoring=load_scoring((tmp_path / "strict",)))
        overridden = match(kb, gtd, "gtd", threshold=0.5, scoring=load_scoring((tmp_path / "strict",)))
    linked = [m.row.id for ms in strict.matches.values() for m in ms]
    assert linked == ["200008110001"]  # only the raid scores 0.9 or more
    assert sum(map(len, shipped.matches.values())) == 4 == sum(map(len, overridden.matches.values()))


def test_days_across_a_month_boundary_are_days_apart(seed_incidents: dict[Any, Incident]) -> None:
    from dataclasses import replace

    raid = replace(seed_incidents[("armed_assault", "2000-08-11")], date="2000-08-01")
    scored = score(raid, _replace(RAID_ROW, date="2000-07-31"), {})
    assert scored is not None and scored[1][0] == "a day apart (2000-08-01 / 2000-07-31) +0.28"
    assert score(raid, _replace(RAID_ROW, date="2000-07-20"), {}) is None  # 12 days apart


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("features:\n  weather: {weight: 0.1}\n", r"link\.yaml: unknown feature 'weather' \(the features are date,"),
        ("features:\n  toll: {weight: heavy}\n", r"link\.yaml: features\.toll\.weight must be a number from 0 to 1"),
        ("features:\n  place: {values: {near_km: -5}}\n", r"features\.place\.values\.near_km must be a number of 0 or"),
        ("threshold: 2\n", r"link\.yaml: threshold must be a number from 0 to 1, not 2"),
        ("features: [date]\n", r"link\.yaml: features must be a mapping"),
    ],
)
def test_a_bad_link_file_is_an_error_naming_the_key(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "link.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(VocabError, match=message):
        load_scoring((tmp_path,))


def test_the_documented_weights_are_the_declared_ones() -> None:
    exports = (Path(__file__).resolve().parent.parent / "docs" / "exports.md").read_text(encoding="utf-8")
    for feature in load_scoring().features:
        assert f"| {feature.name} | {feature.weight:.2f} |" in exports, feature.name


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "error: name a dataset file: --gtd FILE.csv or --acled FILE.csv"),
        (["--gtd", "missing.csv"], "error: no such file: missing.csv"),
    ],
)
def test_a_missing_file_is_one_line(db: Path, args: list[str], message: str) -> None:
    result = run(*args, "--db", str(db))
    assert result.exit_code == 2 and result.stderr == message + "\n"


def test_a_file_that_is_not_an_export_is_one_line(db: Path, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "other.csv", ["id", "date"], [["1", "1999-02-16"]])
    result = run("--gtd", str(path), "--db", str(db))
    assert result.exit_code == 2
    assert result.stderr == f"error: {path} is not a GTD CSV export: it has no column eventid, iyear\n"
    assert stored_links(db) == []


def test_no_links_without_a_knowledge_base(tmp_path: Path) -> None:
    gtd = write_csv(tmp_path / "gtd.csv", GTD_COLUMNS, GTD_ROWS)
    result = run("--gtd", str(gtd), "--db", str(tmp_path / "none.sqlite"))
    assert result.exit_code == 2 and result.stderr.startswith("error: no knowledge base at ")
    assert isinstance(result.exception, SystemExit) and len(result.stderr.splitlines()) == 1  # not a traceback
    assert not (tmp_path / "none.sqlite").exists()


def test_a_file_that_is_not_a_knowledge_base_is_one_line(tmp_path: Path) -> None:
    gtd = write_csv(tmp_path / "gtd.csv", GTD_COLUMNS, GTD_ROWS)
    db = tmp_path / "notes.sqlite"
    db.write_text("these are notes, not a database\n", encoding="utf-8")
    result = run("--gtd", str(gtd), "--db", str(db))
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit)
    assert result.stderr == f"error: {db} is not a conflictkb knowledge base: file is not a database\n"
