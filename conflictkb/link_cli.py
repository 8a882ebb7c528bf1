"""`conflictkb link`: match the knowledge base's incidents to a GTD or ACLED file the user has."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from conflictkb.cli_common import DbOption, err, fail, open_or_fail


def link(
    gtd: Annotated[
        Path | None, typer.Option("--gtd", help="A Global Terrorism Database export (CSV).", show_default=False)
    ] = None,
    acled: Annotated[Path | None, typer.Option("--acled", help="An ACLED export (CSV).", show_default=False)] = None,
    db: DbOption = Path("kb.sqlite"),
    threshold: Annotated[
        float | None,
        typer.Option(
            "--threshold",
            min=0.0,
            max=1.0,
            help="The score a row needs to be linked (0-1).",
            show_default="the threshold in data/link.yaml",
        ),
    ] = None,
) -> None:
    """Match incidents to the rows of a GTD or ACLED export by date, place, perpetrator, toll and
    type (a weighted score that says why; features and weights in data/link.yaml), store the links
    in the knowledge base, and print what the dataset already holds and what is new in the documents."""
    from conflictkb import link as linking
    from conflictkb.link_report import lines
    from conflictkb.link_rows import DatasetError, label
    from conflictkb.store import StoreError
    from conflictkb.vocab import VocabError

    files = [(name, path) for name, path in (("gtd", gtd), ("acled", acled)) if path is not None]
    if not files:
        fail("name a dataset file: --gtd FILE.csv or --acled FILE.csv")
    for _, path in files:
        if not path.is_file():
            fail(f"no such file: {path}")
    kb = open_or_fail(db)
    try:
        for dataset, path in files:
            try:
                report = linking.link(kb, db, path, dataset, threshold)
            except (DatasetError, StoreError, VocabError) as exc:
                fail(str(exc))
            for line in lines(report):
                print(line)
            err.print(
                f"{label(dataset)}: {report.written} links stored"
                + (f", {report.removed} earlier links to these rows removed" if report.removed else ""),
                highlight=False,
                soft_wrap=True,
            )
    finally:
        kb.close()
