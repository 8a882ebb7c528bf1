"""Profiles as text: Markdown for reading (every line followed by its citations, contradictions as
tables of accounts) and JSON for tools."""

from __future__ import annotations

import json
import re

from conflictkb.profile_model import (
    PHRASES,
    QUOTE_CHARS,
    Citation,
    Claim,
    Contradiction,
    EventLine,
    Profile,
    published_of,
)

# --- Renderings ----------------------------------------------------------------------------------------------


def render_json(result: Profile) -> str:
    """The profile as one JSON document (``Profile.to_dict()``), quotes whole."""
    return json.dumps(result.to_dict(), ensure_ascii=False, indent=2)


KIND_NAMES = {
    "armed_group": "armed group",
    "organization": "organization",
    "state_actor": "state actor",
    "person": "person",
    "place": "place",
}


def _short(text: str | None, limit: int = QUOTE_CHARS) -> str:
    """A quote on one line, cut at a word before ``limit`` characters with "…"."""
    flat = " ".join((text or "").split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:") + "…"


def _cite(citation: Citation, indent: str) -> str:
    notes = []
    if citation.hedged:
        notes.append("hedged")
    if citation.asserted_by:
        notes.append(f"asserted by {citation.asserted_by}")
    note = f" ({'; '.join(notes)})" if notes else ""
    quote = f': "{_short(citation.quote)}"' if citation.quote else ""
    return f"{indent}— {citation.doc_name}{quote}{note}"


def _when(date: str | None, end_date: str | None) -> str:
    if date and end_date:
        return f"{date}–{end_date}"
    if end_date:
        return f"until {end_date}"
    return date or ""


def _claim_text(claim: Claim, as_of_publication: bool = False) -> str:
    """The claim as "<subject> <phrase> <object or value>", with the figure of a strength and the period."""
    target = claim.object.name if claim.object else (claim.value or "")
    if claim.relation == "founded" and claim.value:
        target = f"{claim.object.name} in {claim.value}" if claim.object else f"in {claim.value}"  # the place
    elif claim.object and claim.value:
        target += f" ({claim.value})"
    phrase = PHRASES.get(claim.relation, claim.relation.replace("_", " "))
    if claim.relation == "founded" and claim.object is None:
        phrase = "was founded"  # an account of the founding that names no founder
    text = f"{claim.subject.name} {phrase} {target}".rstrip()
    if claim.number is not None and str(claim.number) not in re.sub(r"(?<=\d)[,.\s](?=\d)", "", claim.value or ""):
        text += f" (figure: {claim.number:,})"
    when = _when(claim.date, claim.end_date)
    if not when and as_of_publication and (published := published_of(claim)):
        when = f"as of {published} (publication)"
    return f"**{when}**: {text}" if when else text


def _claim_lines(claims: list[Claim], indent: str = "", as_of_publication: bool = False) -> list[str]:
    lines = []
    for claim in claims:
        lines.append(f"{indent}- {_claim_text(claim, as_of_publication)}")
        lines.extend(_cite(c, indent + "  ") for c in claim.citations)
    return lines


def _none() -> list[str]:
    return ["_Nothing in the knowledge base._"]


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _contradiction_lines(item: Contradiction) -> list[str]:
    what = {"founded": "founding", "killed_in": "death"}.get(item.relation, item.relation)
    lines = [
        f"**{item.subject.name}: {what} {item.disputed}** — the sources disagree:",
        "",
        f"| {item.disputed} | according to |",
        "|---|---|",
    ]
    for account in item.accounts:
        sources = "<br>".join(_cell(_cite(c, "").removeprefix("— ")) for c in account.citations)
        lines.append(f"| {_cell(account.value)} | {sources} |")
    return [*lines, ""]


def _event_text(line: EventLine) -> str:
    where = line.place or ""
    if line.country:
        where = f"{where} ({line.country})" if where else line.country
    figures = [f"{n} {label}" for n, label in ((line.killed, "killed"), (line.wounded, "wounded"),
                                               (line.kidnapped, "kidnapped")) if n is not None]  # fmt: skip
    parts = [f"**{line.date or 'undated'}**: {line.type.replace('_', ' ')}"]
    if where:
        parts.append(f"in {where}")
    text = " ".join(parts)
    if figures:
        text += f" — {', '.join(figures)}"
    if line.attributions:
        text += f" (attribution: {'; '.join(line.attributions)})"
    if line.differ:
        text += " — reports differ on " + "; ".join(f"{k}: {' / '.join(v)}" for k, v in line.differ.items())
    return text


def _section_lines(result: Profile, section: str, max_events: int) -> tuple[str, list[str]]:
    """A section's heading and its lines."""
    claim_sections: dict[str, tuple[str, list[Claim]]] = {
        "founded": ("Groups it founded", result.founded),
        "aims": ("Aims", result.aims),
        "strength": ("Strength over time", result.strength),
        "bases": ("Bases and sanctuaries", result.bases),
        "hosted": ("Groups it hosted", result.hosted),
        "allies": ("Allies", result.allies),
        "rivals": ("Rivals", result.rivals),
        "sponsors": ("Sponsors and funding", result.sponsors),
        "funds": ("Whom it funds", result.funds),
        "part_of": ("Part of", result.part_of),
        "members": ("Members", result.members),
        "roles": ("Roles", result.roles),
        "death": ("Death", result.death),
        "other": ("Other claims", result.other),
    }
    if section in claim_sections:
        title, claims = claim_sections[section]
        return title, _claim_lines(claims, as_of_publication=section == "strength") or _none()
    if section == "names":
        lines = []
        for alias in result.aliases:
            seen = _when(alias.first_seen, alias.last_seen if alias.last_seen != alias.first_seen else None)
            docs = len(alias.citations)
            lines.append(
                f"- **{alias.alias}** — {alias.count} mention{'s' * (alias.count != 1)} in {docs} "
                f"document{'s' * (docs != 1)}{f' ({seen})' if seen else ''}"
            )
            lines.extend(_cite(c, "  ") for c in alias.citations)
        if result.renamings:
            lines += ["", "Renamings:", "", *_claim_lines(result.renamings)]
        return "Names and aliases", lines or _none()
    if section == "founding":
        lines = _claim_lines(result.founding)
        disputed = [c for c in result.contradictions if c.relation == "founded" and c.subject.id == result.entity.id]
        for item in disputed:
            values = " / ".join(a.value for a in item.accounts)
            lines.append(f"- **Sources disagree on the founding {item.disputed}**: {values} (see Contradictions)")
        return "Founding", lines or _none()
    if section == "leaders":
        lines = []
        for leader in result.leaders:
            lines.append(f"- **{leader.person.name}** {_when(leader.start, leader.end)}".rstrip())
            lines.extend(_claim_lines(leader.claims, "  "))
            lines.extend(_claim_lines(leader.deaths, "  "))
        return "Leaders", lines or _none()
    if section == "events":
        title = "Major events (largest tolls first)" if result.type == "group" else "Events (as perpetrator)"
        lines = []
        for line in result.events[:max_events]:
            lines.append(f"- {_event_text(line)}")
            lines.extend(_cite(c, "  ") for c in line.citations)
        if len(result.events) > max_events:
            lines.append(f"- … and {len(result.events) - max_events} more (all of them in --format json)")
        return title, lines or _none()
    if section == "yearly":
        if not result.yearly:
            return "Events per year", _none()
        lines = ["| year | type | country | events |", "|---|---|---|---|"]
        lines += [
            f"| {r.year or 'undated'} | {r.type.replace('_', ' ')} | {r.country or '?'} | {r.count} |"
            for r in result.yearly
        ]
        return "Events per year", lines
    if section == "contradictions":
        lines = [line for item in result.contradictions for line in _contradiction_lines(item)]
        return "Contradictions", lines or ["_None found: the sources agree or do not overlap._"]
    raise ValueError(f"unknown section {section!r}")


def render_markdown(result: Profile, max_events: int = 25) -> str:
    """The profile as Markdown: a heading per section, each line followed by its citations
    (``— document: "quote"``, with ``hedged`` and who asserts it when the text says)."""
    entity = result.entity
    lines = [
        f"# {entity.name}",
        "",
        f"{KIND_NAMES.get(entity.kind, entity.kind)} · entity {entity.id} · {entity.mentions or 0} mentions "
        f"in {result.documents} document{'s' * (result.documents != 1)}",
    ]
    if result.also_named:
        others = "; ".join(
            f"{e.name} ({KIND_NAMES.get(e.kind, e.kind)}, {e.mentions or 0} mentions: `entity:{e.id}`)"
            for e in result.also_named
        )
        lines += ["", f"Also named so: {others}"]
    for section in result.sections:
        title, body = _section_lines(result, section, max_events)
        lines += ["", f"## {title}", "", *body]
    return "\n".join(lines).rstrip() + "\n"
