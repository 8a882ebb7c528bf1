"""Tests for conflictkb.profiles and `conflictkb profile`: group and person profiles from a real store.

The fixture corpus is written straight into an SQLite file with ``write_facts`` (no NLP), so every
claim, quote and date is known: a group founded in 1996 in Kabul by one account and in 1998 in
Peshawar by another, a leader whose death two documents date differently, strengths in three
years, bases with periods, allies both ways, a sponsor, a renaming, events with tolls (one
incident reported twice with different tolls), and another entity also called "NF".
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from conflictkb.cli_profile import profile as profile_command
from conflictkb.engines.local import write_facts
from conflictkb.kb import KnowledgeBase
from conflictkb.model import (
    DatePrecision,
    Document,
    DocumentFacts,
    Entity,
    EntityKind,
    Event,
    Mention,
    Perpetrator,
    Place,
    Relation,
    Sentence,
    Span,
)
from conflictkb.profiles import (
    GROUP_SECTIONS,
    PERSON_SECTIONS,
    Claim,
    Profile,
    UnknownEntity,
    profile,
    render_json,
    render_markdown,
)
from conflictkb.store import Store, reader

KABUL = Place("Kabul", "AF", None, 34.53, 69.17, 1138958, "point")
KUNDUZ = Place("Kunduz", "AF", None, 36.73, 68.86, 1135689, "point")


class FactsBuilder:
    """One document's facts, written the way the pipeline would: entities with a mention at each
    occurrence of each alias, sentences, relations and events whose evidence is a sentence."""

    def __init__(self, name: str, published: str | None, sentences: list[str]) -> None:
        self.text = " ".join(sentences)
        self.document = Document(
            hashlib.sha256(self.text.encode()).hexdigest(),
            f"/corpus/{name}",
            "txt",
            self.text,
            published=published,
            n_bytes=len(self.text),
        )
        self.sentences: list[Sentence] = []
        start = 0
        for sentence in sentences:
            self.sentences.append(Sentence(start, start + len(sentence)))
            start += len(sentence) + 1
        self.entities: list[Entity] = []
        self.mentions: list[Mention] = []
        self.relations: list[Relation] = []
        self.events: list[Event] = []
        self.places: dict[str, Place] = {}

    def entity(self, name: str, kind: EntityKind, *aliases: str, place: Place | None = None) -> str:
        local = f"ent{len(self.entities) + 1}"
        counts: dict[str, int] = {}
        taken = [(m.start, m.end) for m in self.mentions]
        for alias in sorted(aliases or (name,), key=len, reverse=True):
            for found in re.finditer(rf"(?<!\w){re.escape(alias)}(?!\w)", self.text):
                if any(s < found.end() and found.start() < e for s, e in taken):
                    continue
                taken.append((found.start(), found.end()))
                self.mentions.append(Mention(local, found.start(), found.end(), alias, "ORG"))
                counts[alias] = counts.get(alias, 0) + 1
        assert counts, f"{name} is not in the text"
        self.entities.append(Entity(local, name, kind, counts))
        if place is not None:
            self.places[local] = place
        return local

    def sentence(self, fragment: str) -> Span:
        """The sentence holding ``fragment``."""
        at = self.text.index(fragment)
        for s in self.sentences:
            if s.start <= at < s.end:
                return Span(s.start, s.end, self.text[s.start : s.end])
        raise AssertionError(fragment)

    def relation(self, subject: str, relation: str, obj: str | None, fragment: str, **fields: Any) -> None:
        rel_id = f"rel{len(self.relations) + 1}"
        self.relations.append(Relation(rel_id, subject, relation, obj, [self.sentence(fragment)], **fields))

    def event(
        self,
        event_type: str,
        date: str,
        place: Place,
        perpetrator: tuple[str, str, str],
        fragment: str,
        killed: int | None = None,
    ) -> None:
        precision: dict[int, DatePrecision] = {4: "year", 7: "month", 10: "day"}
        local, name, attribution = perpetrator
        self.events.append(
            Event(
                f"ev{len(self.events) + 1}",
                event_type,
                [self.sentence(fragment)],
                date=date,
                date_precision=precision[len(date)],
                place=place,
                perpetrators=[Perpetrator(name, attribution, local)],
                killed=killed,
            )
        )

    def facts(self) -> DocumentFacts:
        return DocumentFacts(
            self.document, self.sentences, self.entities, self.mentions, self.events, self.relations, self.places
        )


LONG_AIM = (
    "The NF seeks to overthrow the government in Kabul and to replace it with a council of clerics drawn from "
    "every northern province, a council that would rule by decree, raise its own army, collect its own taxes and "
    "answer to no parliament."
)


def corpus() -> list[DocumentFacts]:
    a = FactsBuilder(
        "a.txt",
        "2005-01-10",
        [
            "The Northern Front (NF) was founded in 1996 by Karim Aslanov in Kabul.",
            "Karim Aslanov led the NF from 1996 until 2009.",
            "The NF was based in Kunduz from 1996 to 2003.",
            "The NF had about 500 fighters in 2001.",
            "The NF has been allied with the Eastern Brigade since 2000.",
            "The NF was funded by the Gulf Charity.",
            LONG_AIM,
            "Karim Aslanov shot a governor in Kunduz in 1999.",
        ],
    )
    nf = a.entity("Northern Front", "armed_group", "Northern Front", "NF")
    aslanov = a.entity("Karim Aslanov", "person", "Karim Aslanov")
    kunduz = a.entity("Kunduz", "place", "Kunduz", place=KUNDUZ)
    brigade = a.entity("Eastern Brigade", "armed_group", "Eastern Brigade")
    charity = a.entity("Gulf Charity", "organization", "Gulf Charity")
    a.relation(aslanov, "founded", nf, "founded in 1996", date="1996", value="Kabul")
    a.relation(aslanov, "leader_of", nf, "led the NF", date="1996", end_date="2009")
    a.relation(nf, "based_in", kunduz, "based in Kunduz", date="1996", end_date="2003")
    a.relation(nf, "strength", None, "about 500", date="2001", value="about 500 fighters", number=500)
    a.relation(nf, "allied_with", brigade, "allied with", date="2000")
    a.relation(nf, "funded_by", charity, "funded by")
    a.relation(nf, "aim", None, "seeks to", value="overthrow the government in Kabul")
    a.event("assassination", "1999", KUNDUZ, (aslanov, "Karim Aslanov", "stated"), "shot a governor")

    b = FactsBuilder(
        "b.txt",
        "2010-03-01",
        [
            "The Northern Front was established in 1998 in Peshawar, according to Western officials.",
            "Karim Aslanov was killed in a drone strike in 2009.",
            "The NF reportedly numbered 2,000 men in 2008.",
            "In 2003 the NF moved to Waziristan, where it stayed until 2007.",
            "The Northern Front fights the Southern Army.",
            "The Eastern Brigade allied itself with the NF in 2005.",
            "The NF bombed a market in Kabul on May 1, 2004, killing 30.",
        ],
    )
    nf = b.entity("Northern Front", "armed_group", "Northern Front", "NF")
    aslanov = b.entity("Karim Aslanov", "person", "Karim Aslanov")
    waziristan = b.entity("Waziristan", "place", "Waziristan")
    southern = b.entity("Southern Army", "armed_group", "Southern Army")
    brigade = b.entity("Eastern Brigade", "armed_group", "Eastern Brigade")
    b.relation(
        nf, "founded", None, "established in 1998", date="1998", value="Peshawar", asserted_by="Western officials"
    )
    b.relation(aslanov, "killed_in", None, "drone strike", date="2009", value="a drone strike")
    b.relation(nf, "strength", None, "2,000 men", date="2008", value="2,000 men", number=2000, hedged=True)
    b.relation(nf, "based_in", waziristan, "moved to Waziristan", date="2003", end_date="2007")
    b.relation(nf, "rival_of", southern, "fights the Southern Army")
    b.relation(brigade, "allied_with", nf, "allied itself", date="2005")
    b.event("bombing", "2004-05-01", KABUL, (nf, "Northern Front", "stated"), "bombed a market", killed=30)

    c = FactsBuilder(
        "c.txt",
        "2015",
        [
            "In 2012 the Northern Front numbered a few hundred fighters.",
            "Karim Aslanov died in 2010, officials said.",
            "The Northern Front, known since 2011 as the Northern Movement, trains the Splinter Cell.",
            "In 2003 the Mountain Tribe gave the NF sanctuary.",
            "The Splinter Cell is funded by the NF.",
            "The Northern Movement claimed an attack on a police post in Kunduz in 2012 that killed 5.",
        ],
    )
    nf = c.entity("Northern Front", "armed_group", "Northern Front", "NF", "Northern Movement")
    aslanov = c.entity("Karim Aslanov", "person", "Karim Aslanov")
    tribe = c.entity("Mountain Tribe", "armed_group", "Mountain Tribe")
    cell = c.entity("Splinter Cell", "armed_group", "Splinter Cell")
    c.relation(nf, "strength", None, "a few hundred", date="2012", value="a few hundred fighters")
    c.relation(aslanov, "killed_in", None, "died in 2010", date="2010", value="died", asserted_by="officials")
    c.relation(nf, "renamed_to", None, "known since 2011", date="2011", value="Northern Movement")
    c.relation(nf, "trains", cell, "trains the Splinter Cell")  # a relation type no section knows
    c.relation(nf, "hosted_by", tribe, "gave the NF sanctuary", date="2003")
    c.relation(cell, "funded_by", nf, "is funded by the NF")
    c.event("armed_assault", "2012", KUNDUZ, (nf, "Northern Movement", "claimed"), "police post", killed=5)

    d = FactsBuilder("d.txt", "2004-06-02", ["The Northern Front bombed Kabul's main market in May 2004, killing 25."])
    nf = d.entity("Northern Front", "armed_group", "Northern Front")
    d.event("bombing", "2004-05", KABUL, (nf, "Northern Front", "stated"), "main market", killed=25)

    e = FactsBuilder("e.txt", "2011", ["The National Front (NF) held a rally."])
    e.entity("National Front", "organization", "National Front", "NF")
    return [f.facts() for f in (a, b, c, d, e)]


@pytest.fixture(scope="module")
def kb_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("profiles") / "kb.sqlite"
    with Store(path) as store:
        for facts in corpus():
            write_facts(store, facts.document.path, facts)
    return path


@pytest.fixture
def kb(kb_path: Path) -> Iterator[KnowledgeBase]:
    opened = KnowledgeBase(kb_path)
    yield opened
    opened.close()


@pytest.fixture
def group(kb: KnowledgeBase) -> Profile:
    return profile(kb, "NF")


@pytest.fixture
def person(kb: KnowledgeBase) -> Profile:
    return profile(kb, "Karim Aslanov")


def docs(claim: Claim) -> list[str]:
    return [c.doc_name for c in claim.citations]


def target(claim: Claim) -> str | None:
    """The claim's other side: the entity that is not the profiled one, or the literal value."""
    other = claim.object if claim.direction == "out" else claim.subject
    return other.name if other else claim.value


# --- Finding the entity ----------------------------------------------------------------------------------------


def test_an_alias_names_the_most_mentioned_entity_and_lists_the_others(group: Profile) -> None:
    assert (group.type, group.entity.name, group.entity.kind) == ("group", "Northern Front", "armed_group")
    assert group.documents == 4
    assert [(e.name, e.kind, e.mentions) for e in group.also_named] == [("National Front", "organization", 2)]


def test_any_alias_case_folded_or_an_entity_id_finds_the_entity(kb: KnowledgeBase, group: Profile) -> None:
    assert profile(kb, "northern movement").entity.id == group.entity.id
    assert profile(kb, "nf").entity.id == group.entity.id
    other = group.also_named[0]
    assert profile(kb, f"entity:{other.id}").entity.name == "National Front"


def test_an_unknown_name_raises_with_close_names(kb: KnowledgeBase) -> None:
    with pytest.raises(UnknownEntity) as caught:
        profile(kb, "Northern Frnt")
    assert caught.value.suggestions[0] == "Northern Front"
    assert "did you mean: Northern Front" in str(caught.value)
    with pytest.raises(UnknownEntity) as nothing:
        profile(kb, "%_")  # LIKE wildcards are taken literally
    assert nothing.value.suggestions == []


# --- Group sections --------------------------------------------------------------------------------------------


def test_aliases_over_time_with_their_documents_and_first_sentences(kb: KnowledgeBase, group: Profile) -> None:
    lines = {a.alias: a for a in group.aliases}
    assert [a.alias for a in group.aliases] == ["Northern Front", "NF", "Northern Movement"]
    front = lines["Northern Front"]
    assert [c.doc_name for c in front.citations] == ["d.txt", "a.txt", "b.txt", "c.txt"]  # by publication
    assert (front.first_seen, front.last_seen, front.count) == ("2004-06-02", "2015", 6)
    first = {c.doc_name: c.quote for c in front.citations}
    assert first["a.txt"] == "The Northern Front (NF) was founded in 1996 by Karim Aslanov in Kabul."
    assert first["d.txt"] == "The Northern Front bombed Kabul's main market in May 2004, killing 25."
    movement = lines["Northern Movement"]
    assert (movement.first_seen, movement.count, docs_of(movement)) == ("2015", 2, ["c.txt"])
    assert movement.citations[0].quote == (
        "The Northern Front, known since 2011 as the Northern Movement, trains the Splinter Cell."
    )
    assert "e.txt" not in docs_of(lines["NF"])  # the National Front's "NF" is another entity's


def docs_of(line: Any) -> list[str]:
    return [c.doc_name for c in line.citations]


def test_renamings_with_their_dates(group: Profile) -> None:
    (renaming,) = group.renamings
    assert (renaming.value, renaming.date, docs(renaming)) == ("Northern Movement", "2011", ["c.txt"])


def test_founding_accounts_from_both_directions_in_date_order(group: Profile) -> None:
    assert [(c.direction, c.subject.name, c.date, c.value, docs(c)) for c in group.founding] == [
        ("in", "Karim Aslanov", "1996", "Kabul", ["a.txt"]),
        ("out", "Northern Front", "1998", "Peshawar", ["b.txt"]),
    ]
    assert group.founding[1].citations[0].asserted_by == "Western officials"
    assert group.founded == []  # it founded no other group


def test_two_founding_dates_and_places_are_a_contradiction_side_by_side(group: Profile) -> None:
    founding = {c.disputed: c for c in group.contradictions if c.relation == "founded"}
    assert set(founding) == {"date", "place"}
    assert [(a.value, [c.doc_name for c in a.citations]) for a in founding["date"].accounts] == [
        ("1996", ["a.txt"]),
        ("1998", ["b.txt"]),
    ]
    assert [(a.value, [c.doc_name for c in a.citations]) for a in founding["place"].accounts] == [
        ("Kabul", ["a.txt"]),
        ("Peshawar", ["b.txt"]),
    ]
    assert founding["date"].subject.name == "Northern Front"
    assert founding["date"].accounts[1].citations[0].quote == (
        "The Northern Front was established in 1998 in Peshawar, according to Western officials."
    )


def test_leaders_with_their_period_and_their_deaths(group: Profile) -> None:
    (leader,) = group.leaders
    assert (leader.person.name, leader.start, leader.end) == ("Karim Aslanov", "1996", "2009")
    assert docs(leader.claims[0]) == ["a.txt"]
    assert leader.claims[0].citations[0].quote == "Karim Aslanov led the NF from 1996 until 2009."
    assert [(d.date, d.value, docs(d)) for d in leader.deaths] == [
        ("2009", "a drone strike", ["b.txt"]),
        ("2010", "died", ["c.txt"]),
    ]
    assert leader.deaths[1].citations[0].asserted_by == "officials"


def test_two_death_dates_of_a_leader_are_a_contradiction(group: Profile) -> None:
    (death,) = [c for c in group.contradictions if c.relation == "killed_in"]
    assert (death.subject.name, death.disputed) == ("Karim Aslanov", "date")
    assert [(a.value, a.citations[0].doc_name) for a in death.accounts] == [("2009", "b.txt"), ("2010", "c.txt")]


def test_strength_over_time_with_figures_sources_and_hedges(group: Profile) -> None:
    assert [(c.date, c.value, c.number, docs(c), c.hedged) for c in group.strength] == [
        ("2001", "about 500 fighters", 500, ["a.txt"], False),
        ("2008", "2,000 men", 2000, ["b.txt"], True),
        ("2012", "a few hundred fighters", None, ["c.txt"], False),
    ]
    assert group.strength[1].citations[0].quote == "The NF reportedly numbered 2,000 men in 2008."


def test_aims_bases_and_sanctuaries_with_periods(group: Profile) -> None:
    assert [(target(c), docs(c)) for c in group.aims] == [("overthrow the government in Kabul", ["a.txt"])]
    assert [(c.relation, target(c), c.date, c.end_date, docs(c)) for c in group.bases] == [
        ("based_in", "Kunduz", "1996", "2003", ["a.txt"]),
        ("based_in", "Waziristan", "2003", "2007", ["b.txt"]),
        ("hosted_by", "Mountain Tribe", "2003", None, ["c.txt"]),
    ]
    assert group.hosted == []


def test_allies_rivals_and_funding_in_both_directions(group: Profile) -> None:
    assert [(c.direction, target(c), c.date, docs(c)) for c in group.allies] == [
        ("out", "Eastern Brigade", "2000", ["a.txt"]),
        ("in", "Eastern Brigade", "2005", ["b.txt"]),
    ]
    assert [(target(c), docs(c)) for c in group.rivals] == [("Southern Army", ["b.txt"])]
    assert [(target(c), c.object.kind if c.object else None) for c in group.sponsors] == [
        ("Gulf Charity", "organization")
    ]
    assert [(c.subject.name, c.direction) for c in group.funds] == [("Splinter Cell", "in")]


def test_a_claim_of_a_relation_type_no_section_shows_is_kept_under_other(group: Profile) -> None:
    assert [(c.relation, target(c), docs(c)) for c in group.other] == [("trains", "Splinter Cell", ["c.txt"])]


def test_major_events_one_per_incident_largest_toll_first(group: Profile) -> None:
    assert [(e.type, e.date, e.place, e.country, e.killed) for e in group.events] == [
        ("bombing", "2004-05-01", "Kabul", "AF", 30),
        ("armed_assault", "2012", "Kunduz", "AF", 5),
    ]
    bombing, assault = group.events
    assert sorted(c.doc_name for c in bombing.citations) == ["b.txt", "d.txt"]  # two reports, one incident
    assert bombing.differ == {"killed": ["25", "30"]}  # the dates agree: May 2004 holds May 1, 2004
    assert assault.attributions == ["claimed"]
    assert assault.citations[0].quote == (
        "The Northern Movement claimed an attack on a police post in Kunduz in 2012 that killed 5."
    )
    # The leader's own act is his, not the group's.
    assert all(e.type != "assassination" for e in group.events)


def test_yearly_count_of_events_by_type_and_country(group: Profile) -> None:
    assert [(y.year, y.type, y.country, y.count) for y in group.yearly] == [
        ("2004", "bombing", "AF", 1),
        ("2012", "armed_assault", "AF", 1),
    ]


def test_every_quote_is_the_documents_text_at_its_offsets(kb: KnowledgeBase, group: Profile, person: Profile) -> None:
    texts: dict[str, str] = {}

    def walk(node: Any) -> Iterator[dict[str, Any]]:
        if isinstance(node, dict):
            if "doc_id" in node and "quote" in node:
                yield node
            for value in node.values():
                yield from walk(value)
        elif isinstance(node, list):
            for value in node:
                yield from walk(value)

    citations = [*walk(group.to_dict()), *walk(person.to_dict())]
    assert len(citations) > 30
    for citation in citations:
        if citation["doc_id"] not in texts:
            document = kb.document(citation["doc_id"])
            assert document is not None
            texts[citation["doc_id"]] = document["text"]
        assert texts[citation["doc_id"]][citation["start"] : citation["end"]] == citation["quote"]


# --- Person profile --------------------------------------------------------------------------------------------


def test_person_profile_roles_death_events_and_contradiction(person: Profile) -> None:
    assert (person.type, person.entity.name, person.documents) == ("person", "Karim Aslanov", 3)
    assert [a.alias for a in person.aliases] == ["Karim Aslanov"]
    assert [(c.relation, target(c), c.date, c.end_date) for c in person.roles] == [
        ("leader_of", "Northern Front", "1996", "2009"),
        ("founded", "Northern Front", "1996", None),
    ]
    assert [(c.date, docs(c)) for c in person.death] == [("2009", ["b.txt"]), ("2010", ["c.txt"])]
    (contradiction,) = person.contradictions
    assert (contradiction.relation, contradiction.disputed) == ("killed_in", "date")
    assert [(e.type, e.date, e.place) for e in person.events] == [("assassination", "1999", "Kunduz")]
    assert person.leaders == [] and person.strength == [] and person.yearly == []


# --- Renderings ------------------------------------------------------------------------------------------------


def test_json_has_the_sections_of_each_profile_type_in_order(group: Profile, person: Profile) -> None:
    data = json.loads(render_json(group))
    expected = ["type", "entity", "documents", "also_named", "aliases", "renamings", *GROUP_SECTIONS[1:]]
    assert list(data) == expected
    assert data["entity"] == {"id": group.entity.id, "name": "Northern Front", "kind": "armed_group", "mentions": 21}
    assert [a["value"] for a in data["contradictions"][0]["accounts"]] == ["1996", "1998"]
    assert data["strength"][1]["hedged"] is True
    assert data["strength"][1]["citations"][0]["hedged"] is True
    assert data["leaders"][0]["deaths"][1]["citations"][0]["asserted_by"] == "officials"
    assert data["aims"][0]["citations"][0]["quote"] == LONG_AIM  # whole, never cut
    person_data = json.loads(render_json(person))
    assert list(person_data) == ["type", "entity", "documents", "also_named", "aliases", *PERSON_SECTIONS[1:]]


def test_markdown_sections_in_order_each_line_followed_by_its_citations(group: Profile) -> None:
    text = render_markdown(group)
    headings = re.findall(r"^## (.+)$", text, re.M)
    assert headings == [
        "Names and aliases",
        "Founding",
        "Groups it founded",
        "Leaders",
        "Aims",
        "Strength over time",
        "Bases and sanctuaries",
        "Groups it hosted",
        "Allies",
        "Rivals",
        "Sponsors and funding",
        "Whom it funds",
        "Part of",
        "Members",
        "Major events (largest tolls first)",
        "Events per year",
        "Contradictions",
        "Other claims",
    ]
    assert text.startswith("# Northern Front\n")
    assert "Also named so: National Front (organization, 2 mentions: `entity:" in text
    lines = text.splitlines()
    strength = lines[lines.index("## Strength over time") + 2 :][:6]
    assert strength == [
        "- **2001**: Northern Front strength: about 500 fighters",
        '  — a.txt: "The NF had about 500 fighters in 2001."',
        "- **2008**: Northern Front strength: 2,000 men",
        '  — b.txt: "The NF reportedly numbered 2,000 men in 2008." (hedged)',
        "- **2012**: Northern Front strength: a few hundred fighters",
        '  — c.txt: "In 2012 the Northern Front numbered a few hundred fighters."',
    ]
    assert (
        '  — b.txt: "The Northern Front was established in 1998 in Peshawar, according to Western officials." '
        "(asserted by Western officials)"
    ) in lines
    assert "- **Sources disagree on the founding date**: 1996 / 1998 (see Contradictions)" in lines
    assert "- **Karim Aslanov** 1996–2009" in lines
    assert "- **1996–2003**: Northern Front based in Kunduz" in lines
    assert "| 2004 | bombing | AF | 1 |" in lines
    assert any(line.startswith("- **2004-05-01**: bombing in Kabul (AF) — 30 killed") for line in lines)
    # Every bullet of a claim or event is followed by at least one citation.
    for i, line in enumerate(lines):
        if re.match(r"- \*\*\d{4}", line):
            assert lines[i + 1].lstrip().startswith("— "), line


def test_markdown_contradictions_are_tables_of_accounts(group: Profile) -> None:
    text = render_markdown(group)
    section = text.split("## Contradictions", 1)[1].split("## Other claims", 1)[0]
    assert "**Northern Front: founding date** — the sources disagree:" in section
    assert '| 1996 | a.txt: "The Northern Front (NF) was founded in 1996 by Karim Aslanov in Kabul." |' in section
    assert "| Peshawar | b.txt: " in section
    assert "**Karim Aslanov: death date** — the sources disagree:" in section
    assert '| 2010 | c.txt: "Karim Aslanov died in 2010, officials said." (asserted by officials) |' in section


def test_markdown_cuts_long_quotes_and_shows_empty_sections(group: Profile, person: Profile) -> None:
    text = render_markdown(group)
    (aim_citation,) = [line for line in text.splitlines() if line.startswith('  — a.txt: "The NF seeks')]
    quote = aim_citation.split(': "', 1)[1].rsplit('"', 1)[0]
    assert quote.endswith("…") and len(quote) <= 200 and LONG_AIM.startswith(quote[:-1])
    assert "## Members\n\n_Nothing in the knowledge base._" in text
    person_text = render_markdown(person)
    assert re.findall(r"^## (.+)$", person_text, re.M) == [
        "Names and aliases",
        "Roles",
        "Death",
        "Events (as perpetrator)",
        "Contradictions",
        "Other claims",
    ]


def test_markdown_lists_at_most_max_events(group: Profile) -> None:
    text = render_markdown(group, max_events=1)
    assert "30 killed" in text and "5 killed" not in text
    assert "- … and 1 more (all of them in --format json)" in text


# --- The command -----------------------------------------------------------------------------------------------


def app() -> typer.Typer:
    built = typer.Typer(add_completion=False)
    built.command()(profile_command)

    @built.callback()
    def main() -> None:
        """conflictkb, as far as profiles go."""

    return built


runner = CliRunner()


def test_cli_prints_markdown_and_json(kb_path: Path) -> None:
    md = runner.invoke(app(), ["profile", "NF", "--db", str(kb_path)])
    assert md.exit_code == 0, md.output
    assert md.stdout.startswith("# Northern Front\n") and "## Contradictions" in md.stdout
    as_json = runner.invoke(app(), ["profile", "Karim Aslanov", "--db", str(kb_path), "--format", "json"])
    assert as_json.exit_code == 0, as_json.output
    data = json.loads(as_json.stdout)
    assert data["type"] == "person" and data["entity"]["name"] == "Karim Aslanov"


def test_cli_unknown_name_is_a_one_line_error_with_suggestions(kb_path: Path) -> None:
    result = runner.invoke(app(), ["profile", "Northern Frnt", "--db", str(kb_path)])
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("error: no entity named 'Northern Frnt' in ")
    assert "did you mean: Northern Front" in lines[0]


def test_cli_bad_format_and_missing_store_are_one_line_errors(kb_path: Path, tmp_path: Path) -> None:
    bad = runner.invoke(app(), ["profile", "NF", "--db", str(kb_path), "--format", "xml"])
    assert bad.exit_code == 2 and bad.stderr.startswith("error: unknown format 'xml'")
    missing = runner.invoke(app(), ["profile", "NF", "--db", str(tmp_path / "none.sqlite")])
    assert missing.exit_code == 2 and len(missing.stderr.splitlines()) == 1
    assert "no knowledge base at" in missing.stderr


# --- The sample corpus -----------------------------------------------------------------------------------------


def test_imu_profile_from_the_seed_corpus(seed_kb: Path) -> None:
    kb = KnowledgeBase(seed_kb)
    try:
        result = profile(kb, "IMU")
        entity_id = result.entity.id
        stored_aliases = reader.entity_aliases(kb.store, entity_id)
        reports = reader.events_by_perpetrator(kb.store, entity_id)
    finally:
        kb.close()
    assert (result.type, result.entity.name) == ("group", "Islamic Movement of Uzbekistan")
    names = {a.alias: a for a in result.aliases}
    assert {"IMU", "Islamic Movement of Uzbekistan"} <= set(names)
    for alias in stored_aliases:  # every name, with every document that uses it
        assert alias["doc_name"] in docs_of(names[alias["alias"]])
    assert len(names["IMU"].citations) == len({a["doc_id"] for a in stored_aliases if a["alias"] == "IMU"}) >= 3
    assert all("IMU" in (c.quote or "") for c in names["IMU"].citations)
    # Events: one line per incident, largest tolls first, each with its reports.
    assert reports and len(result.events) == len({r.incident_id for r in reports})
    killed = [e.killed or 0 for e in result.events]
    assert killed == sorted(killed, reverse=True)
    assert sum(len(e.citations) for e in result.events) == len(reports)
    assert sum(y.count for y in result.yearly) == len(result.events)
    years = [y.year for y in result.yearly]
    assert years == sorted(years, key=lambda y: (y is None, y or ""))
    assert "## Major events (largest tolls first)" in render_markdown(result)


def test_markdown_founding_accounts_say_where(group: Profile) -> None:
    lines = render_markdown(group).splitlines()
    founding = lines[lines.index("## Founding") + 2 : lines.index("## Groups it founded")]
    assert "- **1998**: Northern Front was founded in Peshawar" in founding
    assert any(line.startswith("- **Sources disagree on the founding place**: Kabul / Peshawar") for line in founding)
