"""The tool commands: ``conflictkb gazetteer ...`` and ``conflictkb actors ...``.

Kept apart from ``cli.py`` so that each file stays short; they share its options and its way of
failing (one line, exit status 2).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from conflictkb.cli_common import DbOption, err, fail, open_or_fail

gazetteer_app = typer.Typer(
    help="The offline gazetteer: load GeoNames dumps, look names up.", no_args_is_help=True, rich_markup_mode="markdown"
)
actors_app = typer.Typer(
    help="Your own actors, kept in a knowledge base and used by every ingest into it.",
    no_args_is_help=True,
    rich_markup_mode="markdown",
)
GazetteerOption = Annotated[
    Path | None,
    typer.Option(
        "--gazetteer", help="The user gazetteer file (default: $CONFLICTKB_GAZETTEER or ~/.local/share/conflictkb)."
    ),
]


@gazetteer_app.command("load")
def gazetteer_load(
    dump: Annotated[Path, typer.Argument(help="A GeoNames dump you downloaded: allCountries.txt, XX.txt or its .zip.")],
    gazetteer: GazetteerOption = None,
) -> None:
    """Add a GeoNames dump to your gazetteer, so that villages, districts, valleys and passes are
    found offline. Loading the same dump again replaces its places."""
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn

    from conflictkb.gazetteer import load_dump, user_gazetteer_path
    from conflictkb.geonames import DumpError, dump_size

    if not dump.exists():
        fail(f"no such file: {dump}")
    target = gazetteer or user_gazetteer_path()
    try:
        with Progress(TextColumn("loading {task.description}"), BarColumn(), DownloadColumn(), console=err) as bar:
            task = bar.add_task(dump.name, total=dump_size(dump))
            count = load_dump(dump, target, lambda done: bar.update(task, completed=done))
    except DumpError as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"cannot load {dump} into {target}: {exc.strerror or exc}")
    print(f"loaded {count} places from {dump.name} into {target}")


@gazetteer_app.command("lookup")
def gazetteer_lookup(name: Annotated[str, typer.Argument(help="A place name, as written.")]) -> None:
    """Every place a name may be, from every gazetteer layer, best-known first."""
    from conflictkb.gazetteer import default_gazetteer, prior

    found = sorted(default_gazetteer().candidates(name), key=prior, reverse=True)
    if not found:
        print(f"no place named {name!r} in the gazetteer")
        raise typer.Exit(1)
    table = Table("name", "country", "admin1", "lat", "lon", "geonames_id", "kind", "precision", "population", "layer")
    for c in found[:50]:
        p = c.place
        where = (p.country or "", p.admin1 or "", str(p.lat or ""), str(p.lon or ""), str(p.geonames_id or ""))
        table.add_row(p.name, *where, c.feature, p.precision or "", str(c.population), c.layer)
    Console(width=max(160, Console().width)).print(table)


@actors_app.command("add")
def actors_add(
    file: Annotated[
        Path, typer.Argument(help="Actors: YAML like data/actors.yaml, or CSV (name,kind,aliases,country).")
    ],
    db: DbOption = Path("kb.sqlite"),
) -> None:
    """Add your actors to the knowledge base: every later ingest into it recognises them under all
    their names. Adding an actor of the same name again replaces it."""
    from conflictkb.actors import load_actor_file
    from conflictkb.store import Store, StoreError, writer
    from conflictkb.vocab import VocabError

    try:
        actors = load_actor_file(file)
        with Store(db) as store, store.transaction():
            for actor in actors:
                writer.add_user_actor(store, actor.name, actor.kind, list(actor.aliases), actor.country, file.name)
    except (VocabError, StoreError) as exc:
        fail(str(exc))
    print(f"added {len(actors)} actors to {db}; re-ingest documents to find them in text already ingested")


@actors_app.command("list")
def actors_list(db: DbOption = Path("kb.sqlite")) -> None:
    """The actors added to this knowledge base."""
    from conflictkb.store import reader

    kb = open_or_fail(db)
    table = Table("name", "kind", "aliases", "country", "from")
    for row in reader.user_actors(kb.store):
        table.add_row(
            row["name"], row["kind"], "; ".join(json.loads(row["aliases"])), row["country"] or "", row["source"] or ""
        )
    Console(width=max(120, Console().width)).print(table)
