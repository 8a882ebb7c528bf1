"""The read API over a knowledge base: what the web pages, the exporters and notebooks use.

    import conflictkb
    kb = conflictkb.open_kb("kb.sqlite")
    kb.events()

Nothing here writes, and nothing here runs NLP: it is the store's reader, named for readers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from conflictkb.store import Store, actor_queries, corrections, event_queries, reader, search
from conflictkb.store.event_queries import EventFilter
from conflictkb.store.reader import StoredEvent


class KnowledgeBase:
    """A read-only view of one store file."""

    def __init__(self, path: str | Path) -> None:
        self.store = Store(path, readonly=True)

    def counts(self) -> dict[str, int]:
        return reader.counts(self.store)

    def files(self) -> list[dict[str, Any]]:
        return reader.file_outcomes(self.store)

    def documents(self, limit: int = 100, offset: int = 0) -> list[dict[str, Any]]:
        return reader.documents(self.store, limit, offset)

    def document(self, doc_id: str) -> dict[str, Any] | None:
        return reader.document(self.store, doc_id)

    def mentions(self, doc_id: str) -> list[dict[str, Any]]:
        return reader.document_mentions(self.store, doc_id)

    def place_mentions(self, doc_id: str) -> list[dict[str, Any]]:
        """Every place mention of a document with the place chosen for it."""
        return reader.place_mentions(self.store, doc_id)

    def entities(self, limit: int = 100, offset: int = 0, kind: str | None = None) -> list[dict[str, Any]]:
        return reader.entities(self.store, limit, offset, kind)

    def entity(self, entity_id: int) -> dict[str, Any] | None:
        return reader.entity(self.store, entity_id)

    def aliases(self, entity_id: int) -> list[dict[str, Any]]:
        return reader.entity_aliases(self.store, entity_id)

    def events(self, limit: int = 1000, offset: int = 0, doc_id: str | None = None) -> list[StoredEvent]:
        return reader.events(self.store, limit, offset, doc_id)

    def event(self, event_id: str) -> StoredEvent | None:
        return reader.event(self.store, event_id)

    def incident(self, incident_id: int) -> list[StoredEvent]:
        return reader.incident_events(self.store, incident_id)

    def relations(self, limit: int = 1000, offset: int = 0) -> list[dict[str, Any]]:
        return reader.relations(self.store, limit, offset)

    def citations(self, subject: str) -> list[dict[str, Any]]:
        """Every statement about ``subject`` ("event:<id>", "entity:<id>") with its quote."""
        return reader.statements(self.store, subject)

    def contradictions(self, incident_id: int) -> dict[str, list[dict[str, Any]]]:
        return reader.contradictions(self.store, incident_id)

    # --- the workbench: search, events, maps, networks, charts (store/search, event_queries, actor_queries) ---

    def search_names(self, query: str, limit: int = 20) -> list[dict[str, Any]]:
        """Entities any of whose names match ``query`` (each word as a prefix), best first."""
        return search.search_names(self.store, query, limit)

    def search_documents(self, query: str, limit: int = 20, offset: int = 0) -> tuple[list[dict[str, Any]], int]:
        """Documents with every word of ``query``, each with a snippet cut into (text, is_hit) parts; and how many."""
        return search.search_documents(self.store, query, limit, offset)

    def search_evidence(self, query: str, limit: int = 20, offset: int = 0) -> tuple[list[dict[str, Any]], int]:
        """Evidence sentences with every word of ``query``, with their event; and how many."""
        return search.search_evidence(self.store, query, limit, offset)

    def event_page(
        self, where: EventFilter, sort: str = "date", descending: bool = False, limit: int = 50, offset: int = 0
    ) -> tuple[list[dict[str, Any]], int]:
        """A page of events matching ``where`` (rows of their indexed fields, perpetrators, first
        evidence, disagreement flag and review); and how many match."""
        return event_queries.event_page(self.store, where, sort, descending, limit, offset)

    def event_facets(self) -> dict[str, list[tuple[str, int]]]:
        return event_queries.event_facets(self.store)

    def top_actors(self, kind: str | None = None, limit: int = 10) -> list[dict[str, Any]]:
        return event_queries.top_actors(self.store, kind, limit)

    def yearly_counts(self, entity_id: int | None = None) -> list[tuple[int, int]]:
        return event_queries.yearly_counts(self.store, entity_id)

    def map_points(self, where: EventFilter, limit: int = 5000) -> tuple[list[dict[str, Any]], int, int]:
        """Events with coordinates as one point per place (with how many events it has); at most
        ``limit`` points, the busiest first; and how many points and events there are in all."""
        return event_queries.map_points(self.store, where, limit)

    def overview_counts(self) -> dict[str, int]:
        return event_queries.overview_counts(self.store)

    def file_problems(self, limit: int = 20) -> tuple[list[dict[str, Any]], int]:
        return event_queries.file_problems(self.store, limit)

    def actor_names(self, limit: int = 200) -> list[str]:
        return event_queries.actor_names(self.store, limit)

    def events_unmapped(self, where: EventFilter, limit: int = 200) -> tuple[list[dict[str, Any]], int]:
        return event_queries.events_unmapped(self.store, where, limit)

    def conflicted_incidents(self, incident_ids: list[int]) -> set[int]:
        return event_queries.conflicted_incidents(self.store, incident_ids)

    def alias_summary(self, entity_id: int) -> list[dict[str, Any]]:
        return actor_queries.alias_summary(self.store, entity_id)

    def alias_uses(self, entity_id: int, limit: int = 200) -> tuple[list[dict[str, Any]], int]:
        return actor_queries.alias_uses(self.store, entity_id, limit)

    def merge_reasons(self, entity_id: int, limit: int = 50) -> list[dict[str, Any]]:
        return actor_queries.merge_reasons(self.store, entity_id, limit)

    def entity_events(self, entity_id: int, limit: int = 200) -> tuple[list[dict[str, Any]], int]:
        return event_queries.entity_events(self.store, entity_id, limit)

    def entity_relations(self, entity_id: int, limit: int = 200) -> list[dict[str, Any]]:
        return actor_queries.entity_relations(self.store, entity_id, limit)

    def entity_claims_in_words(self, entity_id: int, limit: int = 200) -> list[dict[str, Any]]:
        return actor_queries.entity_claims_in_words(self.store, entity_id, limit)

    def entity_list(
        self, kind: str | None = None, limit: int = 100, offset: int = 0
    ) -> tuple[list[dict[str, Any]], int]:
        return actor_queries.entity_list(self.store, kind, limit, offset)

    def entity_kinds(self) -> list[tuple[str, int]]:
        return actor_queries.entity_kinds(self.store)

    def document_list(self, limit: int = 50, offset: int = 0) -> tuple[list[dict[str, Any]], int]:
        return event_queries.document_list(self.store, limit, offset)

    def document_evidence(self, doc_id: str) -> list[dict[str, Any]]:
        return event_queries.document_evidence(self.store, doc_id)

    def network(
        self, date_from: str | None = None, date_to: str | None = None, undated: bool = True
    ) -> dict[str, list[dict[str, Any]]]:
        return actor_queries.network(self.store, date_from, date_to, undated)

    # --- analysts' corrections (store/corrections.py, docs/web.md) ---

    def corrections(self, subject: str) -> list[dict[str, Any]]:
        """Every analyst review of ``subject`` ("event:<event id>" or "alias:<entity name>"), oldest
        first: ``property``, ``action`` (confirm, reject, correct), ``value``, ``note``, ``created_at``."""
        return corrections.corrections(self.store, subject)

    def review(self, subject: str) -> dict[str, dict[str, Any]]:
        """The latest review of each property of ``subject``: the one that counts."""
        return corrections.latest(corrections.corrections(self.store, subject))

    def corrected_event(self, stored: StoredEvent) -> StoredEvent:
        """``stored`` with the values after analysts' corrections: a corrected field takes the
        analyst's value (and loses its span), a rejected field is emptied, a confirmed one is kept.
        Whether the event as a whole was rejected is ``rejected_events()``."""
        reviews = self.review(f"event:{stored.id}")
        event = corrections.corrected(self.store, stored.event, reviews)
        return (
            stored
            if event is stored.event
            else StoredEvent(stored.id, stored.doc_id, stored.doc_name, stored.incident_id, event)
        )

    def reviewed_events(
        self, reports: list[StoredEvent]
    ) -> tuple[list[StoredEvent], dict[str, dict[str, dict[str, Any]]]]:
        """``reports`` as analysts left them, for exports: events rejected as a whole are left out,
        the others carry their corrected values (``corrected_event``); and the latest review of
        each field of each reviewed event (event id -> property -> review). Read in batches."""
        reviews = corrections.latest_corrections(self.store, [f"event:{r.id}" for r in reports])
        by_event = {subject.removeprefix("event:"): review for subject, review in reviews.items()}
        out = []
        for stored in reports:
            review = by_event.get(stored.id)
            if not review:
                out.append(stored)
            elif review.get("event", {}).get("action") != "reject":
                event = corrections.corrected(self.store, stored.event, review)
                out.append(StoredEvent(stored.id, stored.doc_id, stored.doc_name, stored.incident_id, event))
        return out, by_event

    def rejected_events(self) -> set[str]:
        """Ids of the events an analyst rejected as a whole (latest review of property "event")."""
        return corrections.rejected_events(self.store)

    def close(self) -> None:
        self.store.close()


def open_kb(path: str | Path) -> KnowledgeBase:
    return KnowledgeBase(path)
