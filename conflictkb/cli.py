"""The ``conflictkb`` command: thin wrappers that parse options and call the stages.

Every command explains itself with ``--help``; errors a user can fix are printed as one line
and exit with status 2, never as a traceback.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Literal

import typer
from rich.console import Console
from rich.table import Table

from conflictkb import __version__
from conflictkb.cli_common import (
    ActorsOption,
    DbOption,
    MaxBytesOption,
    ModelOption,
    PathsArgument,
    err,
    fail,
    open_or_fail,
)
from conflictkb.readers import DEFAULT_MAX_BYTES

app = typer.Typer(
    name="conflictkb",
    help="Turn a folder of reporting on armed groups into a cited knowledge base of actors, events and relations.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Help text in Markdown: the docstrings' wrapped lines flow as one paragraph in the terminal.
    rich_markup_mode="markdown",
)


def _version(value: bool) -> None:
    if value:
        print(f"conflictkb {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """conflictkb: a cited knowledge base from open-source reporting."""


def _extractor(model: str | None, actor_files: list[Path] | None = None, stored: tuple[object, ...] = ()):  # type: ignore[no-untyped-def]  # loads spaCy lazily, for a fast --help
    from conflictkb.actors import load_actor_files
    from conflictkb.extract import Extractor
    from conflictkb.nlp import ModelNotFound
    from conflictkb.vocab import VocabError

    try:
        actors = (*stored, *load_actor_files(actor_files or []))
        return Extractor.load(model, actors)  # type: ignore[arg-type]  # stored holds Actor objects
    except (ModelNotFound, VocabError) as exc:
        fail(str(exc))


def _print_summary(summary: object) -> None:
    from conflictkb.engines.local import Summary

    assert isinstance(summary, Summary)
    table = Table(title="conflictkb ingest", show_header=False)
    for status in ("ingested", "unchanged", "duplicate", "skipped", "failed"):
        table.add_row(f"documents {status}", str(summary.outcomes.get(status, 0)))
    for name in ("documents", "entities", "events", "incidents", "relations"):
        table.add_row(f"in the knowledge base: {name}", str(summary.totals.get(name, 0)))
    Console().print(table)
    for path, status, reason in summary.problems:
        err.print(f"{status}: {path}: {reason}", highlight=False, markup=False, soft_wrap=True)


@app.command()
def ingest(
    paths: PathsArgument,
    db: DbOption = Path("kb.sqlite"),
    model: ModelOption = None,
    actors: ActorsOption = None,
    max_bytes: MaxBytesOption = DEFAULT_MAX_BYTES,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            min=1,
            help="Processes (or Ray actors) reading and extracting documents in parallel; storing stays one "
            "writer, in input order, so the knowledge base is the same. Default: 1; with --engine ray, one per CPU.",
        ),
    ] = None,
    engine: Annotated[
        Literal["local", "ray"],
        typer.Option("--engine", help="Run the per-document stages here or on Ray (pip install 'conflictkb[ray]')."),
    ] = "local",
    address: Annotated[
        str | None,
        typer.Option("--address", help="With --engine ray: the Ray cluster to join (default: Ray on this machine)."),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Read files and folders into the knowledge base. Unchanged files are skipped; a changed
    file replaces its earlier version's facts; a bad file is reported and skipped. Actors added
    to the knowledge base (conflictkb actors add) are recognised, as are those of --actors files."""
    from conflictkb.actors import actors_from_rows, load_actor_files
    from conflictkb.engines.local import Recipe, runner_for
    from conflictkb.engines.local import ingest as run
    from conflictkb.engines.stages import EngineError
    from conflictkb.store import Store, StoreError, reader
    from conflictkb.vocab import VocabError

    if address is not None and engine != "ray":
        fail("--address names a Ray cluster: use it with --engine ray")
    try:
        store = Store(db)
    except StoreError as exc:
        fail(str(exc))
    with store:
        try:
            # Loaded where the per-document stage runs, when a file first needs it: re-ingesting an
            # unchanged corpus never loads spaCy.
            extract = Recipe(model, (*actors_from_rows(reader.user_actors(store)), *load_actor_files(actors or [])))
        except VocabError as exc:
            fail(str(exc))
        try:
            runner = runner_for(extract, workers, engine, address)
            summary = run(
                paths, store, extract, runner=runner, max_bytes=max_bytes, console=err, show_progress=not quiet
            )
        except EngineError as exc:
            fail(str(exc))
    _print_summary(summary)


@app.command()
def extract(
    paths: PathsArgument,
    model: ModelOption = None,
    actors: ActorsOption = None,
    max_bytes: MaxBytesOption = DEFAULT_MAX_BYTES,
) -> None:
    """Run the pipeline without a store and print JSON Lines (the extract contract, docs/schema.md)."""
    from conflictkb.contract import records
    from conflictkb.model import SkipFile
    from conflictkb.readers import iter_inputs, read

    extractor = _extractor(model, actors)
    for item in iter_inputs(paths):
        if isinstance(item, tuple):
            err.print(f"skipped: {item[0]}: {item[1]}", highlight=False, markup=False, soft_wrap=True)
            continue
        try:
            facts = extractor(read(item, max_bytes=max_bytes))
        except SkipFile as exc:
            err.print(f"skipped: {item}: {exc.reason}", highlight=False, markup=False, soft_wrap=True)
            continue
        except Exception as exc:  # noqa: BLE001  # as in ingest: one document's failure must never stop the run
            reason = f"extraction failed: {type(exc).__name__}: {exc}"[:300]
            err.print(f"failed: {item}: {reason}", highlight=False, markup=False, soft_wrap=True)
            continue
        for record in records(facts):
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        sys.stdout.flush()


@app.command(name="eval")
def evaluate(
    gold: Annotated[Path, typer.Argument(help="Gold annotations (YAML, the format of docs/evaluation.md).")],
    docs: Annotated[
        Path | None, typer.Option("--docs", help="Folder of the gold's documents (default: the gold's folder).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON instead of a table.")] = False,
) -> None:
    """Score extraction against hand-annotated gold: events (P/R/F1 and field accuracy), incident
    merging, alias recall and merge precision, place resolution, relations (P/R/F1 and dates).
    The rules are in docs/evaluation.md."""
    from conflictkb.eval import GoldError, report_table
    from conflictkb.eval import evaluate as run

    try:
        report = run(gold, docs or gold.parent)
    except GoldError as exc:
        fail(str(exc))
    for path in report.missing:
        err.print(f"missing document: {path}", highlight=False, markup=False, soft_wrap=True)
    header, rows = report_table(report)
    merge = {"merge P": report.merge[0], "merge R": report.merge[1], "merge F1": report.merge[2]}
    if as_json:
        payload = {"columns": header, "rows": rows, "incident_merging": merge, "missing": report.missing}
        print(json.dumps(payload, indent=2))
        return
    table = Table(*header, title="conflictkb eval")
    for row in rows:
        table.add_row(*row)
    Console(width=max(200, Console().width)).print(table)
    print("incident merging (pairwise across documents): " + ", ".join(f"{k} {v:.2f}" for k, v in merge.items()))


@app.command()
def status(db: DbOption = Path("kb.sqlite")) -> None:
    """What the knowledge base holds, and every file that was skipped or failed, with why."""
    kb = open_or_fail(db)
    for name, count in kb.counts().items():
        print(f"{name}: {count}")
    problems = [f for f in kb.files() if f["status"] in ("skipped", "failed")]
    for row in problems:
        print(f"{row['status']}: {row['path']}: {row['reason']}")


# Commands kept beside what they drive; registered here so that `conflictkb --help` lists them all.
from conflictkb.cli_check import check  # noqa: E402
from conflictkb.cli_profile import profile  # noqa: E402
from conflictkb.cli_tools import actors_app, gazetteer_app  # noqa: E402  # registered after app exists
from conflictkb.export.cli import export  # noqa: E402
from conflictkb.link_cli import link  # noqa: E402
from conflictkb.web.cli import serve  # noqa: E402

app.command()(export)
app.command()(serve)
app.command()(profile)
app.command()(link)
app.command()(check)
app.add_typer(gazetteer_app, name="gazetteer")
app.add_typer(actors_app, name="actors")

if __name__ == "__main__":  # pragma: no cover
    app()
