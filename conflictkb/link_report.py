"""What a GTD or ACLED file holds next to the documents, as the lines ``conflictkb link`` prints.

For each linked incident: the rows with their score and why (each feature that counted, with its
share), what the dataset already holds that the documents do not (the day, a toll, the town), and
what the documents add (a perpetrator the dataset has as unknown, a toll it lacks or states
otherwise, the documents and their quotes). Then the incidents the file could hold and does not,
how many could not be compared, and how many of the file's rows match no incident.
"""

from __future__ import annotations

from collections.abc import Iterator

from conflictkb.export.incidents import Incident, country_name
from conflictkb.link import Report
from conflictkb.link_rows import Row, label


def _perpetrators(inc: Incident, row: Row, name: str) -> tuple[list[str], list[str]]:
    if inc.perpetrators and not row.known_actors:
        return [f"perpetrator {', '.join(a.name for a in inc.perpetrators)} ({name}: unknown)"], []
    if row.known_actors and not inc.perpetrators:
        return [], [f"perpetrator {row.known_actors[0]}"]
    return [], []


def _day(inc: Incident, row: Row, name: str) -> tuple[list[str], list[str]]:
    if inc.date_precision == "day" and row.precision != "day":
        return [f"the day, {inc.date} ({name}: {row.date})"], []
    if row.precision == "day" and inc.date_precision != "day":
        return [], [f"the day, {row.date}"]
    return [], []


def _tolls(inc: Incident, row: Row, name: str) -> tuple[list[str], list[str]]:
    add: list[str] = []
    has: list[str] = []
    for toll, theirs in (("killed", row.killed), ("wounded", row.wounded), ("kidnapped", row.kidnapped)):
        figures = inc.figures[toll]
        stated = ", ".join(f"{f.value} ({f.doc})" for f in figures)
        if figures and theirs is None:
            add.append(f"{toll} {stated} ({name}: no figure)")
        elif figures and theirs not in {f.value for f in figures}:
            add.append(f"{toll}: the documents say {stated}, {name} {theirs}")
        elif theirs is not None and not figures:
            has.append(f"{toll} {theirs}")
    return add, has


def _place(inc: Incident, row: Row) -> tuple[list[str], list[str]]:
    if inc.place and row.places and inc.place.precision in ("country", None):
        return [], [f"the place, {row.places[0]}"]
    if inc.place and not row.places and inc.place.precision in ("point", "district"):
        return [f"the place, {inc.place.name}"], []
    return [], []


def comparison(inc: Incident, row: Row) -> tuple[list[str], list[str]]:
    """(what the documents add to the row, what the row adds to the documents)."""
    name = label(row.dataset)
    add: list[str] = []
    has: list[str] = []
    for more, held in (_perpetrators(inc, row, name), _day(inc, row, name), _tolls(inc, row, name), _place(inc, row)):
        add.extend(more)
        has.extend(held)
    add.append(f"{len(inc.doc_names)} document(s) with {len(inc.citations)} quote(s): {', '.join(inc.doc_names)}")
    return add, has


def describe(inc: Incident) -> str:
    """One line on an incident: id, type, date, place and perpetrators."""
    where = "no place"
    if inc.place:
        where = ("at " if inc.place.precision in ("point", "district") else "in ") + inc.place.name
        if inc.country and country_name(inc.country) != inc.place.name:
            where += f", {inc.country}"
    who = "; ".join(a.name for a in inc.perpetrators) or "no perpetrator named"
    return f"incident {inc.id}: {inc.type} {inc.date or 'undated'} {where}, by {who}"


def _linked(report: Report, name: str) -> Iterator[str]:
    for incident_id in sorted(report.matches):
        inc = report.incidents[incident_id]
        yield f"  {describe(inc)}"
        for m in report.matches[incident_id]:
            yield f"    = {name} {m.row.id} (score {m.score:.2f}: {'; '.join(m.why)})"
            add, has = comparison(inc, m.row)
            if has:
                yield f"      {name} already holds: {'; '.join(has)}"
            yield f"      new in the documents: {'; '.join(add)}"


def lines(report: Report) -> Iterator[str]:
    """The report as text: what matched and why, what the file holds, what is new in the documents."""
    name = label(report.dataset)
    span = f"{report.years[0]}-{report.years[1]}" if report.years else "no dated rows"
    yield (
        f"{name} file {report.path.name}: {report.rows} rows ({span}); "
        f"{report.rows_in_scope} in the years and countries of the knowledge base's incidents"
    )
    n_rows = sum(len(ms) for ms in report.matches.values())
    yield f"linked: {len(report.matches)} incidents to {n_rows} {name} rows (stored in dataset_links)"
    yield from _linked(report, name)
    yield f"new in the documents, not in {name}: {len(report.new)} incidents"
    for inc in report.new:
        tolls = inc.toll_lines()
        yield f"  {describe(inc)}" + (f"; {'; '.join(tolls)}" if tolls else "")
    yield (
        f"not compared: {len(report.outside)} incidents undated, outside the file's years or countries"
        + (", or of a kind the GTD does not record" if report.dataset == "gtd" else "")
    )
    yield f"in {name} only: {report.unmatched_rows} rows of those years and countries match no incident"
