"""The SQLite schema, versioned: each migration brings a store from one version to the next.

Facts are statements (subject, property, value, source document, span, extractor,
confidence); the other tables give them structure (which event belongs to which incident,
which mention names which entity) so that a citation is a lookup and two sources that
disagree are two rows side by side. docs/schema.md describes every table.
"""

from __future__ import annotations

SCHEMA_VERSION = 5

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

# Version 4: what the analyst's workbench (conflictkb/web, conflictkb/store/search.py) needs.
# Analysts' corrections, kept apart from what was extracted and keyed by what survives a re-ingest
# of the same bytes (event ids; entity name + alias), so no foreign key ties them to a document.
# Derived tables kept in step by triggers, as the full-text tables are, so that no writer has to
# remember them: a per-event index of the fields pages filter, sort and map by (its perpetrators
# beside it), the incidents whose reports disagree, and each entity's mention and document counts.
_V4 = """
CREATE TABLE corrections (
    id INTEGER PRIMARY KEY,
    subject TEXT NOT NULL,              -- "event:<event id>" | "alias:<entity name>"
    property TEXT NOT NULL,             -- event: event, type, date, place.name, place.country, perpetrator, killed, wounded, kidnapped; alias: the alias
    value TEXT,                         -- the analyst's value (action correct)
    action TEXT NOT NULL CHECK (action IN ('confirm', 'reject', 'correct')),
    note TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX corrections_subject ON corrections(subject, property);

CREATE TABLE event_index (
    event_id TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL,
    incident_id INTEGER NOT NULL,
    type TEXT,
    date TEXT,
    place TEXT,                         -- the place's name
    place_value TEXT,                   -- the place statement as stored (JSON), to compare reports
    country TEXT,
    lat REAL,
    lon REAL,
    killed INTEGER,
    wounded INTEGER,
    kidnapped INTEGER
) WITHOUT ROWID;
CREATE TABLE event_actors (
    event_id TEXT NOT NULL,
    entity_id INTEGER,                  -- the knowledge-base entity, when the perpetrator was linked
    name TEXT NOT NULL
);
CREATE TABLE incident_conflicts (incident_id INTEGER PRIMARY KEY);
CREATE TABLE entity_stats (
    entity_id INTEGER PRIMARY KEY,
    mentions INTEGER NOT NULL DEFAULT 0,
    documents INTEGER NOT NULL DEFAULT 0
);

INSERT INTO event_index(event_id, doc_id, incident_id) SELECT id, doc_id, incident_id FROM events;
UPDATE event_index SET type = (SELECT s.value FROM statements s WHERE s.subject = 'event:' || event_id AND s.property = 'type' ORDER BY s.id LIMIT 1), date = (SELECT s.value FROM statements s WHERE s.subject = 'event:' || event_id AND s.property = 'date' ORDER BY s.id LIMIT 1), place_value = (SELECT s.value FROM statements s WHERE s.subject = 'event:' || event_id AND s.property = 'place' ORDER BY s.id LIMIT 1), killed = (SELECT CAST(s.value AS INTEGER) FROM statements s WHERE s.subject = 'event:' || event_id AND s.property = 'killed' ORDER BY s.id LIMIT 1), wounded = (SELECT CAST(s.value AS INTEGER) FROM statements s WHERE s.subject = 'event:' || event_id AND s.property = 'wounded' ORDER BY s.id LIMIT 1), kidnapped = (SELECT CAST(s.value AS INTEGER) FROM statements s WHERE s.subject = 'event:' || event_id AND s.property = 'kidnapped' ORDER BY s.id LIMIT 1);
UPDATE event_index SET place = CASE WHEN json_valid(place_value) THEN json_extract(place_value, '$.name') END, country = CASE WHEN json_valid(place_value) THEN json_extract(place_value, '$.country') END, lat = CASE WHEN json_valid(place_value) THEN json_extract(place_value, '$.lat') END, lon = CASE WHEN json_valid(place_value) THEN json_extract(place_value, '$.lon') END WHERE place_value IS NOT NULL;
INSERT INTO event_actors(event_id, entity_id, name) SELECT e.id, CASE WHEN json_valid(s.value) THEN json_extract(s.value, '$.entity') END, coalesce(CASE WHEN json_valid(s.value) THEN json_extract(s.value, '$.name') END, '') FROM statements s JOIN events e ON s.subject = 'event:' || e.id WHERE s.property = 'perpetrator' ORDER BY s.id;
INSERT INTO incident_conflicts(incident_id) SELECT y.incident_id FROM event_index y GROUP BY y.incident_id HAVING count(*) > 1 AND (count(DISTINCT y.type) > 1 OR count(DISTINCT y.date) > 1 OR count(DISTINCT y.place_value) > 1 OR count(DISTINCT y.killed) > 1 OR count(DISTINCT y.wounded) > 1 OR count(DISTINCT y.kidnapped) > 1);
INSERT INTO entity_stats(entity_id, mentions, documents) SELECT entity_id, sum(count), count(DISTINCT doc_id) FROM aliases GROUP BY entity_id;

CREATE INDEX event_index_date ON event_index(date);
CREATE INDEX event_index_year ON event_index(substr(date, 1, 4));
CREATE INDEX event_index_type ON event_index(type, date);
CREATE INDEX event_index_country ON event_index(country, date);
CREATE INDEX event_index_place ON event_index(place, country);
CREATE INDEX event_index_killed ON event_index(killed);
CREATE INDEX event_index_wounded ON event_index(wounded);
CREATE INDEX event_index_incident ON event_index(incident_id);
CREATE INDEX event_index_doc ON event_index(doc_id);
CREATE INDEX event_actors_event ON event_actors(event_id);
CREATE INDEX event_actors_entity ON event_actors(entity_id, event_id);
CREATE INDEX event_actors_name ON event_actors(name COLLATE NOCASE);
CREATE INDEX entity_stats_mentions ON entity_stats(mentions);
CREATE INDEX aliases_entity_count ON aliases(entity_id, count DESC, alias, doc_id);
CREATE INDEX relations_edge ON relations(subject_id, relation, object_id, date);
CREATE INDEX relations_object_edge ON relations(object_id, relation, subject_id, date);
CREATE INDEX places_name ON places(name COLLATE NOCASE);
CREATE INDEX documents_recent ON documents(ingested_at DESC, name);

CREATE TRIGGER event_index_insert AFTER INSERT ON events BEGIN INSERT OR IGNORE INTO event_index(event_id, doc_id, incident_id) VALUES (new.id, new.doc_id, new.incident_id); END;
CREATE TRIGGER event_index_delete AFTER DELETE ON events BEGIN DELETE FROM event_index WHERE event_id = old.id; DELETE FROM event_actors WHERE event_id = old.id; DELETE FROM incident_conflicts WHERE incident_id = old.incident_id; INSERT OR IGNORE INTO incident_conflicts(incident_id) SELECT y.incident_id FROM event_index y WHERE y.incident_id = old.incident_id GROUP BY y.incident_id HAVING count(*) > 1 AND (count(DISTINCT y.type) > 1 OR count(DISTINCT y.date) > 1 OR count(DISTINCT y.place_value) > 1 OR count(DISTINCT y.killed) > 1 OR count(DISTINCT y.wounded) > 1 OR count(DISTINCT y.kidnapped) > 1); END;
CREATE TRIGGER event_index_move AFTER UPDATE OF incident_id ON events BEGIN UPDATE event_index SET incident_id = new.incident_id WHERE event_id = new.id; DELETE FROM incident_conflicts WHERE incident_id = old.incident_id; INSERT OR IGNORE INTO incident_conflicts(incident_id) SELECT y.incident_id FROM event_index y WHERE y.incident_id = old.incident_id GROUP BY y.incident_id HAVING count(*) > 1 AND (count(DISTINCT y.type) > 1 OR count(DISTINCT y.date) > 1 OR count(DISTINCT y.place_value) > 1 OR count(DISTINCT y.killed) > 1 OR count(DISTINCT y.wounded) > 1 OR count(DISTINCT y.kidnapped) > 1); DELETE FROM incident_conflicts WHERE incident_id = new.incident_id; INSERT OR IGNORE INTO incident_conflicts(incident_id) SELECT y.incident_id FROM event_index y WHERE y.incident_id = new.incident_id GROUP BY y.incident_id HAVING count(*) > 1 AND (count(DISTINCT y.type) > 1 OR count(DISTINCT y.date) > 1 OR count(DISTINCT y.place_value) > 1 OR count(DISTINCT y.killed) > 1 OR count(DISTINCT y.wounded) > 1 OR count(DISTINCT y.kidnapped) > 1); END;
CREATE TRIGGER event_index_type AFTER INSERT ON statements WHEN new.property = 'type' AND substr(new.subject, 1, 6) = 'event:' BEGIN UPDATE event_index SET type = new.value WHERE event_id = substr(new.subject, 7); END;
CREATE TRIGGER event_index_date AFTER INSERT ON statements WHEN new.property = 'date' AND substr(new.subject, 1, 6) = 'event:' BEGIN UPDATE event_index SET date = new.value WHERE event_id = substr(new.subject, 7); END;
CREATE TRIGGER event_index_place AFTER INSERT ON statements WHEN new.property = 'place' AND substr(new.subject, 1, 6) = 'event:' BEGIN UPDATE event_index SET place = CASE WHEN json_valid(new.value) THEN json_extract(new.value, '$.name') END, place_value = new.value, country = CASE WHEN json_valid(new.value) THEN json_extract(new.value, '$.country') END, lat = CASE WHEN json_valid(new.value) THEN json_extract(new.value, '$.lat') END, lon = CASE WHEN json_valid(new.value) THEN json_extract(new.value, '$.lon') END WHERE event_id = substr(new.subject, 7); END;
CREATE TRIGGER event_index_killed AFTER INSERT ON statements WHEN new.property = 'killed' AND substr(new.subject, 1, 6) = 'event:' BEGIN UPDATE event_index SET killed = CAST(new.value AS INTEGER) WHERE event_id = substr(new.subject, 7); END;
CREATE TRIGGER event_index_wounded AFTER INSERT ON statements WHEN new.property = 'wounded' AND substr(new.subject, 1, 6) = 'event:' BEGIN UPDATE event_index SET wounded = CAST(new.value AS INTEGER) WHERE event_id = substr(new.subject, 7); END;
CREATE TRIGGER event_index_kidnapped AFTER INSERT ON statements WHEN new.property = 'kidnapped' AND substr(new.subject, 1, 6) = 'event:' BEGIN UPDATE event_index SET kidnapped = CAST(new.value AS INTEGER) WHERE event_id = substr(new.subject, 7); END;
CREATE TRIGGER event_index_type_gone AFTER DELETE ON statements WHEN old.property = 'type' AND substr(old.subject, 1, 6) = 'event:' BEGIN UPDATE event_index SET type = NULL WHERE event_id = substr(old.subject, 7); END;
CREATE TRIGGER event_index_date_gone AFTER DELETE ON statements WHEN old.property = 'date' AND substr(old.subject, 1, 6) = 'event:' BEGIN UPDATE event_index SET date = NULL WHERE event_id = substr(old.subject, 7); END;
CREATE TRIGGER event_index_place_gone AFTER DELETE ON statements WHEN old.property = 'place' AND substr(old.subject, 1, 6) = 'event:' BEGIN UPDATE event_index SET place = NULL, place_value = NULL, country = NULL, lat = NULL, lon = NULL WHERE event_id = substr(old.subject, 7); END;
CREATE TRIGGER event_index_killed_gone AFTER DELETE ON statements WHEN old.property = 'killed' AND substr(old.subject, 1, 6) = 'event:' BEGIN UPDATE event_index SET killed = NULL WHERE event_id = substr(old.subject, 7); END;
CREATE TRIGGER event_index_wounded_gone AFTER DELETE ON statements WHEN old.property = 'wounded' AND substr(old.subject, 1, 6) = 'event:' BEGIN UPDATE event_index SET wounded = NULL WHERE event_id = substr(old.subject, 7); END;
CREATE TRIGGER event_index_kidnapped_gone AFTER DELETE ON statements WHEN old.property = 'kidnapped' AND substr(old.subject, 1, 6) = 'event:' BEGIN UPDATE event_index SET kidnapped = NULL WHERE event_id = substr(old.subject, 7); END;
CREATE TRIGGER event_actors_insert AFTER INSERT ON statements WHEN new.property = 'perpetrator' AND substr(new.subject, 1, 6) = 'event:' BEGIN INSERT INTO event_actors(event_id, entity_id, name) SELECT substr(new.subject, 7), CASE WHEN json_valid(new.value) THEN json_extract(new.value, '$.entity') END, coalesce(CASE WHEN json_valid(new.value) THEN json_extract(new.value, '$.name') END, '') WHERE EXISTS (SELECT 1 FROM event_index WHERE event_id = substr(new.subject, 7)); END;
CREATE TRIGGER event_actors_delete AFTER DELETE ON statements WHEN old.property = 'perpetrator' AND substr(old.subject, 1, 6) = 'event:' BEGIN DELETE FROM event_actors WHERE rowid = (SELECT rowid FROM event_actors WHERE event_id = substr(old.subject, 7) AND name = coalesce(CASE WHEN json_valid(old.value) THEN json_extract(old.value, '$.name') END, '') LIMIT 1); END;
CREATE TRIGGER incident_conflicts_facts AFTER UPDATE OF type, date, place_value, killed, wounded, kidnapped ON event_index BEGIN DELETE FROM incident_conflicts WHERE incident_id = new.incident_id; INSERT OR IGNORE INTO incident_conflicts(incident_id) SELECT y.incident_id FROM event_index y WHERE y.incident_id = new.incident_id GROUP BY y.incident_id HAVING count(*) > 1 AND (count(DISTINCT y.type) > 1 OR count(DISTINCT y.date) > 1 OR count(DISTINCT y.place_value) > 1 OR count(DISTINCT y.killed) > 1 OR count(DISTINCT y.wounded) > 1 OR count(DISTINCT y.kidnapped) > 1); END;
CREATE TRIGGER entity_stats_insert AFTER INSERT ON aliases BEGIN INSERT OR IGNORE INTO entity_stats(entity_id) VALUES (new.entity_id); UPDATE entity_stats SET mentions = mentions + new.count, documents = documents + (SELECT count(*) = 1 FROM aliases WHERE doc_id = new.doc_id AND entity_id = new.entity_id) WHERE entity_id = new.entity_id; END;
CREATE TRIGGER entity_stats_update AFTER UPDATE OF entity_id, count, doc_id ON aliases BEGIN UPDATE entity_stats SET mentions = mentions - old.count, documents = documents - ((old.entity_id != new.entity_id OR old.doc_id != new.doc_id) AND (SELECT count(*) = 0 FROM aliases WHERE doc_id = old.doc_id AND entity_id = old.entity_id)) WHERE entity_id = old.entity_id; INSERT OR IGNORE INTO entity_stats(entity_id) VALUES (new.entity_id); UPDATE entity_stats SET mentions = mentions + new.count, documents = documents + ((old.entity_id != new.entity_id OR old.doc_id != new.doc_id) AND (SELECT count(*) = 1 FROM aliases WHERE doc_id = new.doc_id AND entity_id = new.entity_id)) WHERE entity_id = new.entity_id; END;
CREATE TRIGGER entity_stats_delete AFTER DELETE ON aliases BEGIN UPDATE entity_stats SET mentions = mentions - old.count, documents = documents - (SELECT count(*) = 0 FROM aliases WHERE doc_id = old.doc_id AND entity_id = old.entity_id) WHERE entity_id = old.entity_id; END;
CREATE TRIGGER entity_stats_gone AFTER DELETE ON entities BEGIN DELETE FROM entity_stats WHERE entity_id = old.id; END;
"""

# Version 5: the triggers of version 4 that add a row only if it is missing no longer say
# "INSERT OR IGNORE": inside a trigger the outer statement's conflict policy wins, and an UPSERT
# that takes its DO UPDATE path (the writer's aliases) turned the IGNORE into an abort ("UNIQUE
# constraint failed: entity_stats.entity_id"), failing the document. They test for the row instead.
_V5 = """
DROP TRIGGER IF EXISTS entity_stats_insert;
DROP TRIGGER IF EXISTS entity_stats_update;
DROP TRIGGER IF EXISTS event_index_insert;
CREATE TRIGGER event_index_insert AFTER INSERT ON events BEGIN INSERT INTO event_index(event_id, doc_id, incident_id) SELECT new.id, new.doc_id, new.incident_id WHERE NOT EXISTS (SELECT 1 FROM event_index WHERE event_id = new.id); END;
CREATE TRIGGER entity_stats_insert AFTER INSERT ON aliases BEGIN INSERT INTO entity_stats(entity_id) SELECT new.entity_id WHERE NOT EXISTS (SELECT 1 FROM entity_stats WHERE entity_id = new.entity_id); UPDATE entity_stats SET mentions = mentions + new.count, documents = documents + (SELECT count(*) = 1 FROM aliases WHERE doc_id = new.doc_id AND entity_id = new.entity_id) WHERE entity_id = new.entity_id; END;
CREATE TRIGGER entity_stats_update AFTER UPDATE OF entity_id, count, doc_id ON aliases BEGIN UPDATE entity_stats SET mentions = mentions - old.count, documents = documents - ((old.entity_id != new.entity_id OR old.doc_id != new.doc_id) AND (SELECT count(*) = 0 FROM aliases WHERE doc_id = old.doc_id AND entity_id = old.entity_id)) WHERE entity_id = old.entity_id; INSERT INTO entity_stats(entity_id) SELECT new.entity_id WHERE NOT EXISTS (SELECT 1 FROM entity_stats WHERE entity_id = new.entity_id); UPDATE entity_stats SET mentions = mentions + new.count, documents = documents + ((old.entity_id != new.entity_id OR old.doc_id != new.doc_id) AND (SELECT count(*) = 1 FROM aliases WHERE doc_id = new.doc_id AND entity_id = new.entity_id)) WHERE entity_id = new.entity_id; END;
DELETE FROM entity_stats;
INSERT INTO entity_stats(entity_id, mentions, documents) SELECT entity_id, sum(count), count(DISTINCT doc_id) FROM aliases GROUP BY entity_id;
"""

# MIGRATIONS[n] brings a store at version n to version n + 1; version 0 is an empty file.
MIGRATIONS: dict[int, str] = {0: _V1, 1: _V2, 2: _V3, 3: _V4, 4: _V5}
