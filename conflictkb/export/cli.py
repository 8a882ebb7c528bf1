"""`conflictkb export`: the knowledge base in other tools' formats."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TextIO

import typer

from conflictkb.cli_common import DbOption, err, fail, open_or_fail

if TYPE_CHECKING:
    from conflictkb.kb import KnowledgeBase


@dataclass(frozen=True)
class Format:
    """One export: what it writes, how it counts, and the package it needs beyond conflictkb's own."""

    write: Callable[[KnowledgeBase, TextIO], int]
    noun: str
    needs: str | None = None
    # Incidents a format leaves out are reported: (what they lack).
    leaves_out: str | None = None


def _formats() -> dict[str, Format]:
    from conflictkb.export import acled, dump, ftm, geo, graph, gtd

    return {
        "jsonl": Format(dump.write, "records"),
        "acled": Format(acled.write, "incidents (ACLED-style CSV)"),
        "gtd": Format(
            gtd.write, "incidents (GTD-style CSV)", leaves_out="of a type or perpetrator the GTD does not record"
        ),
        "geojson": Format(geo.write, "incidents (GeoJSON points)", leaves_out="without coordinates"),
        "gexf": Format(lambda kb, out: graph.write(kb, out, "gexf"), "nodes (GEXF)", needs="networkx"),
        "graphml": Format(lambda kb, out: graph.write(kb, out, "graphml"), "nodes (GraphML)", needs="networkx"),
        "ftm": Format(ftm.write, "FollowTheMoney entities", needs="followthemoney"),
    }  # fmt: skip


TABLES = ("events", "entities", "relations")
KINDS = (*TABLES, "jsonl", "acled", "gtd", "geojson", "gexf", "graphml", "ftm", "datasette")


def _write(output: Path | None, writer: Callable[[TextIO], int]) -> int:
    """Run ``writer`` on standard output or on a new file ``output``; return its count."""
    if output is None:
        return writer(sys.stdout)
    try:
        out = output.open("w", encoding="utf-8", newline="")
    except OSError as exc:
        fail(f"cannot write {output}: {exc.strerror or exc}")
    with out:
        return writer(out)


def export(
    what: Annotated[
        str,
        typer.Argument(
            help="events, entities or relations (--format jsonl or csv); jsonl (everything); acled or gtd "
            "(CSV in their columns, one row per incident); geojson (a map); gexf or graphml (the actor "
            "network); ftm (FollowTheMoney entities); datasette (metadata for Datasette).",
            show_default=False,
        ),
    ],
    db: DbOption = Path("kb.sqlite"),
    fmt: Annotated[
        str | None, typer.Option("--format", "-f", help="jsonl or csv, for events, entities and relations.")
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of standard output.")
    ] = None,
) -> None:
    """Write the knowledge base for other tools: tables (JSON Lines or CSV), everything as JSON Lines,
    ACLED- and GTD-style CSV, GeoJSON, the actor network as GEXF or GraphML, FollowTheMoney entities,
    or Datasette metadata. docs/exports.md says what each holds."""
    import importlib.util

    from conflictkb.export import tables
    from conflictkb.store import datasets

    if what not in KINDS:
        fail(f"cannot export {what!r}: choose one of {', '.join(KINDS)}")
    if what in TABLES:
        fmt = fmt or "jsonl"
        if fmt not in tables.FORMATS:
            fail(f"unknown format {fmt!r}: choose one of {', '.join(tables.FORMATS)}")
    elif fmt is not None:
        fail(f"--format is for events, entities and relations; {what} has its own format")
    if what == "datasette":
        from conflictkb.export import datasette

        open_or_fail(db).close()  # a knowledge base Datasette can open, or the one error every command gives
        count = _write(output, lambda out: datasette.write(db, out))
        err.print(
            f"wrote Datasette metadata for {datasette.database_name(db)!r} ({count} tables)",
            highlight=False,
            soft_wrap=True,
        )
        return
    form = None if what in TABLES else _formats()[what]
    if form is not None and form.needs and importlib.util.find_spec(form.needs) is None:
        fail(f"exporting {what} needs the {form.needs} package: pip install 'conflictkb[exports]'")
    kb = open_or_fail(db)
    try:
        if form is None:
            count = _write(output, lambda out: tables.write(kb, what, fmt or "jsonl", out))
            message = f"exported {count} {what}"
        else:
            count = _write(output, lambda out: form.write(kb, out))
            message = f"exported {count} {form.noun}"
            if form.leaves_out:
                left = datasets.incident_count(kb.store) - count
                message += f"; {left} incidents {form.leaves_out} left out"
    finally:
        kb.close()
    err.print(message, highlight=False, soft_wrap=True)
