"""Tests for ``conflictkb.link_rows``: rows of GTD and ACLED files read into what the comparison needs."""

from __future__ import annotations

import csv
from pathlib import Path

from conflictkb.link_rows import read_rows

COLUMNS = ["event_id_cnty", "event_date", "year", "time_precision", "event_type", "actor1", "actor2", "country"]


def _acled(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(COLUMNS)
        out.writerows(rows)
    return path


def test_a_country_or_a_period_in_brackets_is_no_name_of_the_actor(tmp_path: Path) -> None:
    """ "Unidentified Armed Group (Uzbekistan)" is no one known: its "(Uzbekistan)" must not make it the
    Government of Uzbekistan; "(IMU)" is a name, "(1991-2016)" a period."""
    path = _acled(
        tmp_path / "acled.csv",
        [
            ["UZB1", "1999-04-02", "1999", "1", "Battles", "Unidentified Armed Group (Uzbekistan)", "", "Uzbekistan"],
            [
                "UZB2",
                "1999-02-16",
                "1999",
                "1",
                "Battles",
                "Islamic Movement of Uzbekistan (IMU)",
                "Military Forces of Uzbekistan (1991-2016)",
                "Uzbekistan",
            ],
        ],
    )
    unknown, known = list(read_rows(path, "acled"))
    assert unknown.known_actors == []
    assert set(known.known_actors) == {
        "Islamic Movement of Uzbekistan (IMU)",
        "Islamic Movement of Uzbekistan",
        "IMU",
        "Military Forces of Uzbekistan (1991-2016)",
        "Military Forces of Uzbekistan",
    }
