"""The SQLite schema, versioned: each migration brings a store from one version to the next.

Facts are statements (subject, property, value, source document, span, extractor,
confidence); the other tables give them structure (which event belongs to which incident,
which mention names which entity) so that a citation is a lookup and two sources that
disagree are two rows side by side. docs/schema.md describes every table.
"""

from __future__ import annotations

SCHEMA_VERSION = 3

_V1 = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

CREATE TABLE documents (
    id TEXT PRIMARY KEY,                -- SHA-256 of the file's bytes
    name TEXT NOT NULL,                 -- file name as first given
    format TEXT NOT NULL,
    title TEXT,
    published TEXT,                     -- ISO date, or NULL when not known
    published_basis TEXT,               -- where the date comes from: metadata, dateline, ...
    encoding TEXT,
    n_bytes INTEGER NOT NULL,
    text TEXT NOT NULL,                 -- the original text every offset points into
    ingested_at TEXT NOT NULL
);

-- Which path holds which document now: a changed file moves its path to a new document.
CREATE TABLE sources (
    path TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE
);
CREATE INDEX sources_doc ON sources(doc_id);

-- The last outcome of every path ever given to ingest, for `status` and the summary.
CREATE TABLE files (
    path TEXT PRIMARY KEY,
    status TEXT NOT NULL,               -- ingested | unchanged | duplicate | skipped | failed
    reason TEXT,
    doc_id TEXT,
    at TEXT NOT NULL
);

CREATE TABLE sentences (
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    PRIMARY KEY (doc_id, idx)
);

-- Entities across the whole knowledge base (resolved); kind: person | armed_group | ...
CREATE TABLE entities (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL
);

CREATE TABLE aliases (
    entity_id INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    alias TEXT NOT NULL,
    key TEXT NOT NULL,                  -- the alias as names are compared
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    count INTEGER NOT NULL,
    PRIMARY KEY (entity_id, alias, doc_id)
);
CREATE INDEX aliases_key ON aliases(key);
CREATE INDEX aliases_doc ON aliases(doc_id);

CREATE TABLE mentions (
    id INTEGER PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    entity_id INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    text TEXT NOT NULL,
    label TEXT NOT NULL
);
CREATE INDEX mentions_doc ON mentions(doc_id);
CREATE INDEX mentions_entity ON mentions(entity_id);

-- One real-world incident, reported by one or more documents' events.
CREATE TABLE incidents (id INTEGER PRIMARY KEY);

CREATE TABLE events (
    id TEXT PRIMARY KEY,                -- <doc id prefix>-ev<n>
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    incident_id INTEGER NOT NULL REFERENCES incidents(id),
    ord INTEGER NOT NULL
);
CREATE INDEX events_doc ON events(doc_id);
CREATE INDEX events_incident ON events(incident_id);

CREATE TABLE event_evidence (
    event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    ord INTEGER NOT NULL,
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (event_id, ord)
);

CREATE TABLE relations (
    id TEXT PRIMARY KEY,                -- <doc id prefix>-rel<n>
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    subject_id INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    relation TEXT NOT NULL,
    object_id INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    date TEXT,
    confidence REAL NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    text TEXT NOT NULL
);
CREATE INDEX relations_doc ON relations(doc_id);
CREATE INDEX relations_subject ON relations(subject_id);

-- Every fact, FollowTheMoney-style. subject: "event:<id>", "entity:<id>", "relation:<id>",
-- "document:<id>"; value: text (JSON for structured values such as places and perpetrators).
CREATE TABLE statements (
    id INTEGER PRIMARY KEY,
    subject TEXT NOT NULL,
    property TEXT NOT NULL,
    value TEXT NOT NULL,
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    start INTEGER,
    end INTEGER,
    extractor TEXT NOT NULL,
    confidence REAL NOT NULL
);
CREATE INDEX statements_subject ON statements(subject, property);
CREATE INDEX statements_doc ON statements(doc_id);
"""

# Version 2: entities keep the dictionary entry they were recognised by; aliases keep their
# transliteration skeleton (cross-document spelling variants); each document's places keep the
# gazetteer candidate chosen for them; users can add actors to a store.
_V2 = """
ALTER TABLE entities ADD COLUMN ref TEXT;
CREATE INDEX entities_ref ON entities(ref);
ALTER TABLE aliases ADD COLUMN skeleton TEXT;
UPDATE aliases SET skeleton = name_skeleton(alias);
CREATE INDEX aliases_skeleton ON aliases(skeleton);

CREATE TABLE places (
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    entity_id INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    name TEXT NOT NULL,                 -- the gazetteer's name of the place chosen
    country TEXT,
    admin1 TEXT,
    lat REAL,
    lon REAL,
    geonames_id INTEGER,
    precision TEXT,                     -- point | district | region | country; NULL when unresolved
    source TEXT,                        -- gazetteer layer: countries, curated, geonames, user
    PRIMARY KEY (doc_id, entity_id)
);

-- Every place mention with the place chosen for it.
CREATE VIEW place_mentions AS
SELECT m.doc_id, m.start, m.end, m.text, m.entity_id, p.name, p.country, p.admin1, p.lat, p.lon,
       p.geonames_id, p.precision, p.source
FROM mentions m JOIN places p ON p.doc_id = m.doc_id AND p.entity_id = m.entity_id;

-- Actors a user added to this knowledge base (conflictkb actors add): used by every ingest into it.
CREATE TABLE user_actors (
    name TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    aliases TEXT NOT NULL,              -- JSON list
    country TEXT,
    source TEXT,
    added_at TEXT NOT NULL
);
"""

# Version 3: full-text search over documents, evidence and entity names (FTS5, kept in step by
# triggers, so that no writer has to remember them), and matches of incidents to rows of external
# datasets (GTD, ACLED) that a user links.
_V3 = """
CREATE VIRTUAL TABLE documents_fts USING fts5(doc_id UNINDEXED, title, text, tokenize = 'unicode61 remove_diacritics 2');
CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN INSERT INTO documents_fts(doc_id, title, text) VALUES (new.id, coalesce(new.title, ''), new.text); END;
CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents BEGIN DELETE FROM documents_fts WHERE doc_id = old.id; END;
INSERT INTO documents_fts(doc_id, title, text) SELECT id, coalesce(title, ''), text FROM documents;

CREATE VIRTUAL TABLE evidence_fts USING fts5(event_id UNINDEXED, doc_id UNINDEXED, text, tokenize = 'unicode61 remove_diacritics 2');
CREATE TRIGGER evidence_fts_insert AFTER INSERT ON event_evidence BEGIN INSERT INTO evidence_fts(event_id, doc_id, text) VALUES (new.event_id, new.doc_id, new.text); END;
CREATE TRIGGER evidence_fts_delete AFTER DELETE ON event_evidence BEGIN DELETE FROM evidence_fts WHERE event_id = old.event_id; END;
INSERT INTO evidence_fts(event_id, doc_id, text) SELECT event_id, doc_id, text FROM event_evidence;

CREATE VIRTUAL TABLE names_fts USING fts5(entity_id UNINDEXED, alias, tokenize = 'unicode61 remove_diacritics 2');
CREATE TRIGGER names_fts_insert AFTER INSERT ON aliases BEGIN INSERT INTO names_fts(entity_id, alias) SELECT new.entity_id, new.alias WHERE NOT EXISTS (SELECT 1 FROM names_fts WHERE entity_id = new.entity_id AND alias = new.alias); END;
CREATE TRIGGER names_fts_delete AFTER DELETE ON aliases BEGIN DELETE FROM names_fts WHERE entity_id = old.entity_id AND alias = old.alias AND NOT EXISTS (SELECT 1 FROM aliases WHERE entity_id = old.entity_id AND alias = old.alias); END;
INSERT INTO names_fts(entity_id, alias) SELECT DISTINCT entity_id, alias FROM aliases;

-- An incident matched to a row of an external dataset (conflictkb link --gtd / --acled).
CREATE TABLE dataset_links (
    incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    dataset TEXT NOT NULL,              -- gtd | acled
    row_id TEXT NOT NULL,               -- the dataset's own id (eventid, event_id_cnty)
    score REAL NOT NULL,
    why TEXT NOT NULL,                  -- which fields agreed
    linked_at TEXT NOT NULL,
    PRIMARY KEY (incident_id, dataset, row_id)
);
"""

# MIGRATIONS[n] brings a store at version n to version n + 1; version 0 is an empty file.
MIGRATIONS: dict[int, str] = {0: _V1, 1: _V2, 2: _V3}
