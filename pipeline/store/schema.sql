-- newsfacts store schema: the one SQL file for SQLite and PostgreSQL.
--
-- Most of it is plain SQL both engines accept. A line that is exactly
--     "-- @dialect sqlite"    starts lines only SQLite runs (FTS5 tables),
--     "-- @dialect postgres"  starts lines only PostgreSQL runs (GIN indexes),
--     "-- @dialect all"       goes back to lines both run.
-- `pipeline.store.records.schema_sql(dialect)` keeps the lines for one engine
-- (see docs/store.md, "One schema, two engines").
--
-- Shape: one `articles` row per input record (and one `article_details` row
-- with its text and provenance). Each fact type has a fact table (one row per
-- distinct normalized value in that article, as in the record, with the
-- sentence of its first mention) and a mention table (one row per place the
-- value is written, with its sentence). Every row carries `doc_id`, so
-- deleting an article cascades to all of them: re-loading a changed article
-- deletes its rows and inserts the new ones. Offsets (`start_char`,
-- `end_char`) are Python str indices into article_details.text.
-- The fact types' tables are not written here: each fact type's `store` entry
-- in patterns/manifest.json describes them, and pipeline/store/fact_tables.py
-- generates them where the lines "-- @counts" (its count column in articles)
-- and "-- @fact tables" stand.
-- Ids are assigned by the loader (not by the engine) so rows can be written in
-- batches (executemany / COPY) with their foreign keys already known.
-- The schema is applied once per store, when store_meta has no
-- schema_version yet (views have no IF NOT EXISTS in PostgreSQL).

CREATE TABLE IF NOT EXISTS store_meta (
    key   TEXT PRIMARY KEY,   -- 'schema_version'
    value TEXT
);

CREATE TABLE IF NOT EXISTS articles (
    doc_id      TEXT NOT NULL PRIMARY KEY,  -- the record's doc_id (article file stem); every other table points here
    title       TEXT,
    published   TEXT,                  -- the article's own publication date, YYYY-MM-DD, or NULL
    publisher   TEXT,
    language    TEXT,                  -- ISO 639-1 of most of the body, 'und' if unknown
    -- @counts: one column per counted fact type, named after its field (fact_tables.py)
    url         TEXT,
    error_kind  TEXT,                  -- set for a failed article (then it has no facts)
    article_id  INTEGER NOT NULL UNIQUE  -- the rowid of articles_fts
);
CREATE INDEX IF NOT EXISTS articles_published ON articles (published);
CREATE INDEX IF NOT EXISTS articles_language ON articles (language);

-- The rest of each record, one row per article: the full text and where it
-- came from. Kept apart so `articles` reads as a list of articles.
CREATE TABLE IF NOT EXISTS article_details (
    doc_id               TEXT NOT NULL PRIMARY KEY REFERENCES articles (doc_id) ON DELETE CASCADE,
    text                 TEXT,                  -- the decoded article text all offsets index into
    warnings             TEXT,                  -- JSON list of strings
    error_message        TEXT,                  -- why a failed article failed
    language_confidence  REAL,
    source_path          TEXT,
    source_sha256        TEXT,                  -- hash of the input bytes
    source_format        TEXT,
    source_encoding      TEXT,
    record_sha256        TEXT NOT NULL          -- hash of the whole record: unchanged records are skipped
);

-- Stretches of the article in another language (a Vietnamese header line in a French article).
CREATE TABLE IF NOT EXISTS language_segments (
    id          INTEGER PRIMARY KEY,
    doc_id      TEXT NOT NULL REFERENCES articles (doc_id) ON DELETE CASCADE,
    start_char  INTEGER NOT NULL,
    end_char    INTEGER NOT NULL,
    language    TEXT,
    confidence  REAL
);
CREATE INDEX IF NOT EXISTS language_segments_doc ON language_segments (doc_id);

-- The sentences that contain at least one mention; mentions point here.
CREATE TABLE IF NOT EXISTS sentences (
    id          INTEGER PRIMARY KEY,   -- also the rowid of sentences_fts
    doc_id      TEXT NOT NULL REFERENCES articles (doc_id) ON DELETE CASCADE,
    text        TEXT NOT NULL,
    start_char  INTEGER NOT NULL,
    end_char    INTEGER NOT NULL,
    UNIQUE (doc_id, start_char, end_char)
);

-- The gazetteer: the 63 units before the 1 July 2025 merger (era 'old') and
-- the 34 after it (era 'new'). Written with every `load`, upserted by id.
CREATE TABLE IF NOT EXISTS provinces (
    id                TEXT PRIMARY KEY,   -- 'old-17', 'new-25'
    name              TEXT NOT NULL,      -- official short name without diacritics
    name_vi           TEXT,
    code              TEXT,               -- GSO code
    era               TEXT NOT NULL,      -- 'old' or 'new'
    merged_into       TEXT,               -- old units: the new unit they belong to
    merged_into_code  TEXT,
    merged_from       TEXT,               -- new units: JSON list of the old units merged into it
    variants          TEXT                -- JSON list of other spellings
);
CREATE INDEX IF NOT EXISTS provinces_name ON provinces (name);

-- @fact tables: each fact type's table, list tables and mentions table, generated from the
-- `store` entries of patterns/manifest.json (pipeline/store/fact_tables.py)

CREATE INDEX IF NOT EXISTS sentences_doc ON sentences (doc_id);

-- One row per distinct code across all articles: how many articles cite it
-- and how many times it is written.
CREATE VIEW cited_documents AS
SELECT d.code,
       MIN(d.type) AS type,
       MIN(d.type_label) AS type_label,
       MIN(d.issuer) AS issuer,
       MIN(d.issuer_label) AS issuer_label,
       MIN(d.issued) AS issued,
       COUNT(DISTINCT d.doc_id) AS articles,
       COUNT(m.id) AS mentions
FROM documents d
LEFT JOIN document_mentions m ON m.document_id = d.id
GROUP BY d.code;

-- @dialect sqlite
-- Full-text indexes. Both hold the text *folded* (diacritics removed, Đ->D,
-- same length as the original) so 'Dang' finds 'Đảng' (SQLite's unicode61
-- tokenizer removes accents but keeps Đ), and *masked* as extraction masks
-- it (site chrome, link lists, URLs and bylines blanked), so a search never
-- matches a URL slug or a "same category" link. The loader keeps them in step
-- with articles / sentences (inserts with the rows, deletes before the rows
-- go); rowid = articles.article_id / sentences.id.
CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5 (
    title, text, tokenize = 'unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE IF NOT EXISTS sentences_fts USING fts5 (
    text, tokenize = 'unicode61 remove_diacritics 2'
);

-- @dialect postgres
-- PostgreSQL full-text search over the same text, with the language-neutral
-- 'simple' configuration (the articles are in four languages).
CREATE INDEX IF NOT EXISTS article_details_text_tsv ON article_details
    USING GIN (to_tsvector('simple', coalesce(text, '')));
CREATE INDEX IF NOT EXISTS sentences_text_tsv ON sentences
    USING GIN (to_tsvector('simple', text));

-- @dialect all
