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
    codes       INTEGER NOT NULL,      -- how many distinct document codes it cites
    officials   INTEGER NOT NULL,      -- ... officials it names
    provinces   INTEGER NOT NULL,      -- ... provinces it names
    dates       INTEGER NOT NULL,      -- ... calendar days it names
    periods     INTEGER NOT NULL,      -- ... periods of years it names
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

-- Reporters from the byline.
CREATE TABLE IF NOT EXISTS authors (
    id      INTEGER PRIMARY KEY,
    doc_id  TEXT NOT NULL REFERENCES articles (doc_id) ON DELETE CASCADE,
    name    TEXT NOT NULL,        -- diacritics removed, single spaces
    sentence_id  INTEGER REFERENCES sentences (id) ON DELETE CASCADE   -- where it is first written
);
CREATE INDEX IF NOT EXISTS authors_doc ON authors (doc_id);
CREATE INDEX IF NOT EXISTS authors_name ON authors (name);

CREATE TABLE IF NOT EXISTS author_mentions (
    id           INTEGER PRIMARY KEY,
    author_id    INTEGER NOT NULL REFERENCES authors (id) ON DELETE CASCADE,
    doc_id       TEXT NOT NULL REFERENCES articles (doc_id) ON DELETE CASCADE,
    start_char   INTEGER NOT NULL,
    end_char     INTEGER NOT NULL,
    text         TEXT NOT NULL,    -- as written
    rule         TEXT,             -- id of the rule that found it
    sentence_id  INTEGER REFERENCES sentences (id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS author_mentions_fact ON author_mentions (author_id);
CREATE INDEX IF NOT EXISTS author_mentions_doc ON author_mentions (doc_id);

-- Document codes cited by an article (57-NQ/TW, 55/QD-BXD): one row per code per article.
CREATE TABLE IF NOT EXISTS documents (
    id            INTEGER PRIMARY KEY,
    doc_id        TEXT NOT NULL REFERENCES articles (doc_id) ON DELETE CASCADE,
    code          TEXT NOT NULL,   -- canonical: upper case, Đ folded to D, no spaces
    sentence_id   INTEGER REFERENCES sentences (id) ON DELETE CASCADE,  -- the sentence of its first mention
    code_key      TEXT NOT NULL,   -- the key search compares with (code, normalized again)
    number        TEXT,
    year          INTEGER,
    family        TEXT,            -- 'party' (57-NQ/TW) or 'state' (15/2025/ND-CP)
    type          TEXT,            -- NQ, QD, KL, CT, KH ...
    type_label    TEXT,            -- resolution, regulation, conclusion ...
    issuer        TEXT,            -- TW, TU, BCDTW, CP, BXD ...
    issuer_label  TEXT,
    issued        TEXT,            -- YYYY-MM-DD the article gives as issue date, or NULL
    issued_by     TEXT             -- body the article names as issuer, or NULL
);
CREATE INDEX IF NOT EXISTS documents_doc ON documents (doc_id);
CREATE INDEX IF NOT EXISTS documents_code_key ON documents (code_key);
CREATE INDEX IF NOT EXISTS documents_type ON documents (type);
CREATE INDEX IF NOT EXISTS documents_issuer ON documents (issuer);

CREATE TABLE IF NOT EXISTS document_mentions (
    id           INTEGER PRIMARY KEY,
    document_id  INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    doc_id       TEXT NOT NULL REFERENCES articles (doc_id) ON DELETE CASCADE,
    start_char   INTEGER NOT NULL,
    end_char     INTEGER NOT NULL,
    text         TEXT NOT NULL,
    rule         TEXT,
    sentence_id  INTEGER REFERENCES sentences (id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS document_mentions_fact ON document_mentions (document_id);
CREATE INDEX IF NOT EXISTS document_mentions_doc ON document_mentions (doc_id);

-- People named with a Party/State post: one row per person per article.
CREATE TABLE IF NOT EXISTS officials (
    id        INTEGER PRIMARY KEY,
    doc_id    TEXT NOT NULL REFERENCES articles (doc_id) ON DELETE CASCADE,
    name      TEXT NOT NULL,   -- diacritics removed: 'Nguyen Van Gau'
    sentence_id  INTEGER REFERENCES sentences (id) ON DELETE CASCADE,  -- the sentence of the first mention
    key       TEXT NOT NULL,   -- lower-case lookup key: 'nguyen van gau'
    province  TEXT             -- province the post belongs to, or NULL
);
CREATE INDEX IF NOT EXISTS officials_doc ON officials (doc_id);
CREATE INDEX IF NOT EXISTS officials_key ON officials (key);
CREATE INDEX IF NOT EXISTS officials_province ON officials (province);

-- An official's posts in that article, in the record's order.
CREATE TABLE IF NOT EXISTS posts (
    id           INTEGER PRIMARY KEY,
    official_id  INTEGER NOT NULL REFERENCES officials (id) ON DELETE CASCADE,
    doc_id       TEXT NOT NULL REFERENCES articles (doc_id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,   -- 0-based order in the record
    post         TEXT NOT NULL,      -- as written: 'secrétaire du Comité provincial du Parti'
    post_type    TEXT                -- normalized: secretary, deputy_secretary, chair ...
);
CREATE INDEX IF NOT EXISTS posts_official ON posts (official_id);
CREATE INDEX IF NOT EXISTS posts_doc ON posts (doc_id);
CREATE INDEX IF NOT EXISTS posts_type ON posts (post_type);

CREATE TABLE IF NOT EXISTS official_mentions (
    id           INTEGER PRIMARY KEY,
    official_id  INTEGER NOT NULL REFERENCES officials (id) ON DELETE CASCADE,
    doc_id       TEXT NOT NULL REFERENCES articles (doc_id) ON DELETE CASCADE,
    start_char   INTEGER NOT NULL,
    end_char     INTEGER NOT NULL,
    text         TEXT NOT NULL,
    rule         TEXT,
    sentence_id  INTEGER REFERENCES sentences (id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS official_mentions_fact ON official_mentions (official_id);
CREATE INDEX IF NOT EXISTS official_mentions_doc ON official_mentions (doc_id);

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

-- Provinces named by an article: one row per province per article.
CREATE TABLE IF NOT EXISTS article_provinces (
    id                INTEGER PRIMARY KEY,
    doc_id            TEXT NOT NULL REFERENCES articles (doc_id) ON DELETE CASCADE,
    province_id       TEXT REFERENCES provinces (id),  -- gazetteer row, NULL if the name is not in it
    name              TEXT NOT NULL,
    sentence_id       INTEGER REFERENCES sentences (id) ON DELETE CASCADE,  -- the sentence of the first mention
    name_vi           TEXT,
    code              TEXT,
    merged_into       TEXT,
    merged_into_code  TEXT
);
CREATE INDEX IF NOT EXISTS article_provinces_doc ON article_provinces (doc_id);
CREATE INDEX IF NOT EXISTS article_provinces_name ON article_provinces (name);
CREATE INDEX IF NOT EXISTS article_provinces_merged ON article_provinces (merged_into);

CREATE TABLE IF NOT EXISTS province_mentions (
    id                   INTEGER PRIMARY KEY,
    article_province_id  INTEGER NOT NULL REFERENCES article_provinces (id) ON DELETE CASCADE,
    doc_id               TEXT NOT NULL REFERENCES articles (doc_id) ON DELETE CASCADE,
    start_char           INTEGER NOT NULL,
    end_char             INTEGER NOT NULL,
    text                 TEXT NOT NULL,
    rule                 TEXT,
    sentence_id          INTEGER REFERENCES sentences (id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS province_mentions_fact ON province_mentions (article_province_id);
CREATE INDEX IF NOT EXISTS province_mentions_doc ON province_mentions (doc_id);

-- Calendar days named in the text.
CREATE TABLE IF NOT EXISTS dates (
    id             INTEGER PRIMARY KEY,
    doc_id         TEXT NOT NULL REFERENCES articles (doc_id) ON DELETE CASCADE,
    value          TEXT NOT NULL,   -- YYYY-MM-DD
    sentence_id    INTEGER REFERENCES sentences (id) ON DELETE CASCADE,  -- the sentence of the first mention
    year_inferred  BOOLEAN          -- true when the year came from the article's date
);
CREATE INDEX IF NOT EXISTS dates_doc ON dates (doc_id);
CREATE INDEX IF NOT EXISTS dates_value ON dates (value);

CREATE TABLE IF NOT EXISTS date_mentions (
    id           INTEGER PRIMARY KEY,
    date_id      INTEGER NOT NULL REFERENCES dates (id) ON DELETE CASCADE,
    doc_id       TEXT NOT NULL REFERENCES articles (doc_id) ON DELETE CASCADE,
    start_char   INTEGER NOT NULL,
    end_char     INTEGER NOT NULL,
    text         TEXT NOT NULL,
    rule         TEXT,
    sentence_id  INTEGER REFERENCES sentences (id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS date_mentions_fact ON date_mentions (date_id);
CREATE INDEX IF NOT EXISTS date_mentions_doc ON date_mentions (doc_id);

-- Spans of years named as a term or plan period.
CREATE TABLE IF NOT EXISTS periods (
    id          INTEGER PRIMARY KEY,
    doc_id      TEXT NOT NULL REFERENCES articles (doc_id) ON DELETE CASCADE,
    value       TEXT NOT NULL,   -- YYYY-YYYY
    sentence_id INTEGER REFERENCES sentences (id) ON DELETE CASCADE,  -- the sentence of the first mention
    start_year  INTEGER,
    end_year    INTEGER
);
CREATE INDEX IF NOT EXISTS periods_doc ON periods (doc_id);
CREATE INDEX IF NOT EXISTS periods_value ON periods (value);

CREATE TABLE IF NOT EXISTS period_mentions (
    id           INTEGER PRIMARY KEY,
    period_id    INTEGER NOT NULL REFERENCES periods (id) ON DELETE CASCADE,
    doc_id       TEXT NOT NULL REFERENCES articles (doc_id) ON DELETE CASCADE,
    start_char   INTEGER NOT NULL,
    end_char     INTEGER NOT NULL,
    text         TEXT NOT NULL,
    rule         TEXT,
    sentence_id  INTEGER REFERENCES sentences (id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS period_mentions_fact ON period_mentions (period_id);
CREATE INDEX IF NOT EXISTS period_mentions_doc ON period_mentions (doc_id);
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
