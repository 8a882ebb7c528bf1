"""`conflictkb profile`: a group's or person's profile, every line with its sources."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from conflictkb.cli_common import DbOption, fail, open_or_fail

FORMATS = ("md", "json")


def profile(
    name: Annotated[str, typer.Argument(help="A group's or person's name, any of its aliases, or entity:<id>.")],
    db: DbOption = Path("kb.sqlite"),
    fmt: Annotated[str, typer.Option("--format", "-f", help="md (Markdown) or json.")] = "md",
) -> None:
    """Print the profile of a group (names, founding, leaders, aims, strength, bases, allies,
    rivals, sponsors, major events, events per year) or of a person (names, roles, events, death),
    each line with the documents and quotes it comes from; disagreeing sources side by side."""
    from conflictkb.profiles import UnknownEntity, render_json, render_markdown
    from conflictkb.profiles import profile as build

    if fmt not in FORMATS:
        fail(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")
    kb = open_or_fail(db)
    try:
        result = build(kb, name)
    except UnknownEntity as exc:
        fail(exc.message(exc.name, exc.suggestions, str(db)))
    finally:
        kb.close()
    text = render_json(result) + "\n" if fmt == "json" else render_markdown(result)
    sys.stdout.write(text)
