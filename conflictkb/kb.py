"""The read API over a knowledge base: what the web pages, the exporters and notebooks use.

    import conflictkb
    kb = conflictkb.open("kb.sqlite")
    kb.events()

Nothing here writes, and nothing here runs NLP: it is the store's reader, named for readers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from conflictkb.store import Store, reader
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

    def close(self) -> None:
        self.store.close()


def open_kb(path: str | Path) -> KnowledgeBase:
    return KnowledgeBase(path)
