"""``conflictkb check``: is this knowledge base sound? SQLite's checks and the store's invariants.

Kept apart from ``cli.py`` so that each file stays short. Every rule is listed with ``ok`` or
``FAIL`` and, for a failure, how many rows break it and a few of them, so that the output is the
list of what to repair. The exit status is 1 when anything fails, 2 when the file cannot be checked
at all (missing, not SQLite), 0 otherwise: scripts and cron jobs can rely on it.
"""

from __future__ import annotations

import typer
from rich.markup import escape

from conflictkb.cli_common import DbOption, err, fail


def check(db: DbOption) -> None:
    """Check a knowledge base: SQLite's integrity and foreign-key checks, then the store's own rules
    (every event has evidence, every evidence and statement a document, spans within their document
    and equal to its text, JSON values valid, full-text indexes in step). Exit status 1 lists what fails."""
    from conflictkb.store.check import CheckError, check_store

    try:
        findings = check_store(db)
    except CheckError as exc:
        fail(str(exc))
    for finding in findings:
        if finding.ok:
            print(f"ok    {finding.rule}")
            continue
        print(f"FAIL  {finding.rule}: {finding.count} row{'s' if finding.count != 1 else ''}")
        for example in finding.examples:
            print(f"        {example}")
    failed = [f for f in findings if not f.ok]
    if failed:
        err.print(f"[bold red]{len(failed)} of {len(findings)} checks failed[/] on {escape(str(db))}", highlight=False)
        raise typer.Exit(1)
    err.print(f"all {len(findings)} checks passed on {escape(str(db))}", highlight=False)
