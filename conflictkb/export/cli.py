"""`conflictkb export`: the knowledge base in other tools' formats."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from conflictkb.cli_common import DbOption, err, fail


def export(
    what: Annotated[str, typer.Argument(help="events, entities or relations.")],
    db: DbOption = Path("kb.sqlite"),
    fmt: Annotated[str, typer.Option("--format", "-f", help="jsonl or csv.")] = "jsonl",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of standard output.")
    ] = None,
) -> None:
    """Write the knowledge base's events, entities or relations as JSON Lines or CSV."""
    from conflictkb.export import tables
    from conflictkb.kb import KnowledgeBase
    from conflictkb.store import StoreError

    if what not in tables.KINDS:
        fail(f"cannot export {what!r}: choose one of {', '.join(tables.KINDS)}")
    if fmt not in tables.FORMATS:
        fail(f"unknown format {fmt!r}: choose one of {', '.join(tables.FORMATS)}")
    try:
        kb = KnowledgeBase(db)
    except StoreError as exc:
        fail(str(exc))
    if output is None:
        count = tables.write(kb, what, fmt, sys.stdout)
    else:
        try:
            out = output.open("w", encoding="utf-8", newline="")
        except OSError as exc:
            fail(f"cannot write {output}: {exc.strerror or exc}")
        with out:
            count = tables.write(kb, what, fmt, out)
    err.print(f"exported {count} {what}", highlight=False)
