"""The actor network as a graph (networkx), written as GEXF (Gephi) or GraphML (Gephi, yEd,
Cytoscape, igraph).

Nodes are the knowledge base's entities (``kind``: person, armed_group, organization,
state_actor, place; with mentions, documents and aliases) and its incidents (``kind`` incident,
with type, date, place and the lowest killed figure). Edges have a ``kind``:

- ``relation``: a relation a document states (``relation`` type, ``date``, ``docs``, ``evidence``);
- ``perpetrated``: an actor to an incident it is held responsible for (``attribution``, ``docs``);
- ``co_perpetrated``: two actors named as perpetrators of the same incidents (``weight`` = how
  many, ``incidents`` = which).

Attribute values are text or numbers only, as both formats need; a missing value is left out.

Analysts' reviews count: incidents are combined with them (``incidents``), an incident node's
``reviews`` says in words what analysts confirmed, rejected or corrected in its reports, and an
entity's ``aliases`` leave out the aliases an analyst rejected (in ``rejected_aliases``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from itertools import combinations
from typing import TYPE_CHECKING, Any, TextIO

from conflictkb.export.incidents import Incident, Source, incidents, knowledge_base
from conflictkb.export.tables import entity_rows, incident_reviews, review_line

if TYPE_CHECKING:
    import networkx as nx

FORMATS = ("gexf", "graphml")


def _clean(attrs: dict[str, Any]) -> dict[str, Any]:
    """Attributes both formats can hold: None left out, everything else text or a number."""
    out: dict[str, Any] = {}
    for k, v in attrs.items():
        if v is None:
            continue
        out[k] = v if isinstance(v, bool | int | float | str) else str(v)
    return out


def _incident_label(inc: Incident) -> str:
    where = f" {inc.place.name}" if inc.place else ""
    return f"{inc.type} {inc.date or 'undated'}{where}".strip()


def build(source: Source) -> nx.MultiDiGraph[str]:
    """The actor network of the knowledge base as a networkx MultiDiGraph."""
    import networkx as nx

    kb = knowledge_base(source)
    graph: nx.MultiDiGraph[str] = nx.MultiDiGraph(name="conflictkb actor network")
    for e in entity_rows(kb):
        rejected = [r["alias"] for r in e.get("alias_reviews", []) if r["action"] == "reject"]
        graph.add_node(
            f"entity:{e['id']}",
            **_clean({"label": e["name"], "kind": e["type"], "entity_id": int(e["id"]),
                      "mentions": int(e["mentions"]), "documents": int(e["documents"]),
                      "aliases": "; ".join(e["aliases"]), "rejected_aliases": "; ".join(rejected) or None}),
        )  # fmt: skip
    for r in kb.relations(limit=10**9):
        u, v = f"entity:{r['subject_id']}", f"entity:{r['object_id']}"
        if u not in graph or v not in graph:
            continue
        graph.add_edge(
            u, v, key=str(r["id"]),
            **_clean({"kind": "relation", "relation": r["relation"], "label": r["relation"], "date": r["date"],
                      "docs": r["doc_name"], "evidence": r["text"], "confidence": float(r["confidence"])}),
        )  # fmt: skip
    together: dict[tuple[str, str], list[int]] = defaultdict(list)
    reviews = incident_reviews(kb)
    for inc in incidents(kb):
        actors = [a for a in inc.perpetrators if a.entity_id is not None and f"entity:{a.entity_id}" in graph]
        if not actors:
            continue
        node = f"incident:{inc.id}"
        graph.add_node(
            node,
            **_clean({"label": _incident_label(inc), "kind": "incident", "incident_id": inc.id, "type": inc.type,
                      "date": inc.date, "place": inc.place.name if inc.place else None, "country": inc.country,
                      "killed": inc.lowest("killed"), "docs": "; ".join(inc.doc_names),
                      "reviews": "\n".join(map(review_line, reviews.get(inc.id, []))) or None}),
        )  # fmt: skip
        for a in actors:
            graph.add_edge(
                f"entity:{a.entity_id}", node, key=f"perpetrated:{a.entity_id}:{inc.id}",
                **_clean({"kind": "perpetrated", "label": "perpetrated", "attribution": a.attribution,
                          "date": inc.date, "docs": "; ".join(a.docs)}),
            )  # fmt: skip
        ids = sorted({f"entity:{a.entity_id}" for a in actors})
        for pair in combinations(ids, 2):
            together[pair].append(inc.id)
    for (u, v), shared in together.items():
        graph.add_edge(
            u, v, key=f"co_perpetrated:{u}:{v}",
            kind="co_perpetrated", label="co_perpetrated", weight=len(shared), incidents="; ".join(map(str, shared)),
        )  # fmt: skip
    return graph


def lines(graph: nx.MultiDiGraph[str], fmt: str) -> Iterator[str]:
    import networkx as nx

    if fmt == "gexf":
        return iter(nx.generate_gexf(graph))
    if fmt == "graphml":
        return iter(nx.generate_graphml(graph))
    raise ValueError(f"unknown graph format {fmt!r}; choose one of {', '.join(FORMATS)}")


def write(source: Source, out: TextIO, fmt: str) -> int:
    """Write the network in ``fmt`` (gexf or graphml); return how many nodes."""
    graph = build(source)
    for line in lines(graph, fmt):
        out.write(line + "\n")
    return int(graph.number_of_nodes())
