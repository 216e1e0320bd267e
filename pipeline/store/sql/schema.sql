-- Warehouse tables. Names and columns are a contract: analysts' queries, the README and the tests
-- use them. Character offsets refer to articles.body:
--   substr(body, start_char + 1, end_char - start_char) = text
-- Created idempotently by the load stage before every load.

CREATE TABLE IF NOT EXISTS articles (
    article_id        VARCHAR PRIMARY KEY,  -- stable per source path: an edited file keeps its id
    batch_id          VARCHAR NOT NULL,     -- folder under seeds/ the file came in ('loose' for loose files)
    source_path       VARCHAR NOT NULL,     -- path relative to seeds/ (#L<n>: line n of a JSON-lines file)
    title             VARCHAR,
    outlet            VARCHAR,
    url               VARCHAR,
    published_at      TIMESTAMPTZ,
    language          VARCHAR,
    body              VARCHAR NOT NULL,     -- cleaned text; all offsets point into it
    n_tokens          INTEGER,
    n_sentences       INTEGER,
    content_sha256    VARCHAR,              -- of the file's bytes
    text_sha256       VARCHAR,              -- of the cleaned body
    near_duplicate_of VARCHAR,              -- most similar earlier article (MinHash/LSH), if any
    near_duplicate_similarity REAL,         -- its estimated Jaccard similarity (word 5-shingles)
    story_id          VARCHAR,              -- the story across outlets this article belongs to (stories)
    encoding          VARCHAR,              -- encoding the file was decoded with
    pipeline_version  VARCHAR,
    model             VARCHAR,              -- spaCy model name and version
    run_id            VARCHAR               -- the run that loaded this version of the article
);

CREATE TABLE IF NOT EXISTS sentences (
    article_id   VARCHAR NOT NULL,
    sentence_idx INTEGER NOT NULL,
    start_char   INTEGER NOT NULL,
    end_char     INTEGER NOT NULL,
    text         VARCHAR NOT NULL,
    PRIMARY KEY (article_id, sentence_idx)
);

CREATE TABLE IF NOT EXISTS entity_mentions (
    article_id   VARCHAR NOT NULL,
    sentence_idx INTEGER NOT NULL,
    start_char   INTEGER NOT NULL,
    end_char     INTEGER NOT NULL,
    text         VARCHAR NOT NULL,          -- surface text as written
    label        VARCHAR NOT NULL,          -- spaCy / OntoNotes label
    entity_id    VARCHAR,                   -- label and normalised name, e.g. person:vladimir_putin
    PRIMARY KEY (article_id, start_char, end_char, label)
);

CREATE TABLE IF NOT EXISTS quotes (
    article_id        VARCHAR NOT NULL,
    quote_idx         INTEGER NOT NULL,
    start_char        INTEGER NOT NULL,     -- the statement's span in articles.body (a split quote spans its parts)
    end_char          INTEGER NOT NULL,
    quote             VARCHAR NOT NULL,     -- = substr(body, start_char + 1, end_char - start_char)
    kind              VARCHAR NOT NULL,     -- direct, indirect, according_to
    cue               VARCHAR,              -- the reporting verb ("said", "told", "according to", ":")
    speaker           VARCHAR,              -- as written ("he", "Sergei Markov", "the ISW")
    speaker_start     INTEGER,              -- where the speaker is written in articles.body
    speaker_end       INTEGER,
    speaker_resolved  VARCHAR,              -- the named person a pronoun stands for, else the speaker
    speaker_entity_id VARCHAR,              -- entities.entity_id of the speaker, where the text allows
    PRIMARY KEY (article_id, quote_idx)
);

CREATE TABLE IF NOT EXISTS citations (
    article_id       VARCHAR NOT NULL,
    sentence_idx     INTEGER NOT NULL,
    start_char       INTEGER NOT NULL,      -- the source's name in articles.body
    end_char         INTEGER NOT NULL,
    source_name      VARCHAR NOT NULL,      -- as written ("The Wall Street Journal", "NV media")
    source_entity_id VARCHAR,               -- entities.entity_id
    cue              VARCHAR                -- "reported", "according to", "told", …
);

CREATE TABLE IF NOT EXISTS claims (
    article_id   VARCHAR NOT NULL,
    sentence_idx INTEGER NOT NULL,
    start_char   INTEGER NOT NULL,
    end_char     INTEGER NOT NULL,
    text         VARCHAR NOT NULL,          -- "up to 1,000 Ukrainian troops"
    value        DOUBLE NOT NULL,           -- 1000 (converted: six miles → 9.656 km)
    value_high   DOUBLE,                    -- upper end of a range (60,000-70,000)
    unit         VARCHAR NOT NULL,          -- count, percent, USD (ISO 4217), km, m, km2, m2, kg, l, degC, km/h, GB, year, age, …
    counted      VARCHAR,                   -- what a count counts ("troop", "settlement")
    qualifier    VARCHAR,                   -- about, up to, over, more than, …
    change       VARCHAR,                   -- from, to, by: the value is one end of a change, or its size
    direction    VARCHAR                    -- up, down: the way the change went
);
-- Warehouses made before changes were read gain the columns.
ALTER TABLE claims ADD COLUMN IF NOT EXISTS change VARCHAR;
ALTER TABLE claims ADD COLUMN IF NOT EXISTS direction VARCHAR;

CREATE TABLE IF NOT EXISTS timeline (
    article_id   VARCHAR NOT NULL,
    sentence_idx INTEGER NOT NULL,
    start_char   INTEGER NOT NULL,          -- the date expression in articles.body
    end_char     INTEGER NOT NULL,
    date_text    VARCHAR NOT NULL,          -- as written ("On Friday, August 9" → "Friday, August 9")
    date         DATE,                      -- resolved, or NULL when the text does not allow it
    precision    VARCHAR,                   -- day, month, year
    text         VARCHAR NOT NULL,          -- the sentence
    resolved_from VARCHAR                   -- how the date was fixed: explicit, published_at, context year
);
-- Warehouses made before resolved_from existed gain the column.
ALTER TABLE timeline ADD COLUMN IF NOT EXISTS resolved_from VARCHAR;

CREATE TABLE IF NOT EXISTS entities (
    entity_id      VARCHAR PRIMARY KEY,
    canonical_name VARCHAR NOT NULL,
    label          VARCHAR NOT NULL,
    iso_code       VARCHAR,                 -- ISO 3166 country or subdivision code of a place
    aliases        VARCHAR[],               -- every surface form seen, and those of the reference list
    mentions       BIGINT,
    articles       BIGINT,
    stories        BIGINT                   -- stories it is named in
);
ALTER TABLE entities ADD COLUMN IF NOT EXISTS stories BIGINT;

-- Warehouses made before stories existed gain the column.
ALTER TABLE articles ADD COLUMN IF NOT EXISTS story_id VARCHAR;

-- One story: the articles about one event across outlets (pipeline/nlp/stories.py), kept by load.
CREATE TABLE IF NOT EXISTS stories (
    story_id        VARCHAR PRIMARY KEY,
    label           VARCHAR,                -- a headline for the story: the title of its first article
    first_published TIMESTAMPTZ,
    last_published  TIMESTAMPTZ,
    articles        BIGINT NOT NULL,
    outlets         BIGINT NOT NULL,        -- distinct outlets (the batch where an article names none)
    outlet_names    VARCHAR[],
    top_entities    VARCHAR[]               -- the most mentioned people, organisations and places
);

-- The state story grouping keeps between runs (not for analysts): each article's TF-IDF unit
-- vector as it joined its story, each story's sum of them, and document frequencies of terms.
CREATE TABLE IF NOT EXISTS story_vectors (
    article_id VARCHAR PRIMARY KEY,
    story_id   VARCHAR NOT NULL,
    terms      UINTEGER[] NOT NULL,         -- hashed word features
    weights    FLOAT[] NOT NULL
);
CREATE TABLE IF NOT EXISTS story_centroids (
    story_id   VARCHAR PRIMARY KEY,
    terms      UINTEGER[] NOT NULL,
    weights    FLOAT[] NOT NULL,
    n_articles INTEGER NOT NULL,
    first_day  DOUBLE,                      -- days since 1970-01-01 of its first and last article
    last_day   DOUBLE
);
CREATE TABLE IF NOT EXISTS story_term_df (
    term UINTEGER PRIMARY KEY,
    df   INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS cleaning_log (
    article_id VARCHAR NOT NULL,
    line_no    INTEGER NOT NULL,            -- 1-based line of the decoded file
    rule       VARCHAR NOT NULL,            -- which cleaning rule removed or changed the line
    text       VARCHAR NOT NULL,            -- what was removed
    PRIMARY KEY (article_id, line_no, rule)
);

CREATE TABLE IF NOT EXISTS article_signatures (
    article_id VARCHAR PRIMARY KEY,
    minhash    UINTEGER[] NOT NULL          -- MinHash of the body's word 5-shingles, for near-duplicate search
);

CREATE TABLE IF NOT EXISTS ingest_log (
    path           VARCHAR NOT NULL,        -- relative to seeds/
    content_sha256 VARCHAR,
    bytes          BIGINT,
    mtime_ns       BIGINT,
    status         VARCHAR NOT NULL,        -- loaded, duplicate, quarantined, ignored (skipped on purpose)
    reason         VARCHAR,                 -- why a file was quarantined, ignored or is a duplicate
    duplicate_of   VARCHAR,                 -- article_id of the article this file duplicates
    article_id     VARCHAR,
    batch_id       VARCHAR,
    run_id         VARCHAR NOT NULL,
    logged_at      TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
    PRIMARY KEY (path, run_id)
);

-- One row per committed load (written in the load's own transaction).
CREATE TABLE IF NOT EXISTS run_log (
    run_id       VARCHAR PRIMARY KEY,
    committed_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
    files        BIGINT,                    -- paths recorded in ingest_log by this run
    loaded       BIGINT,
    duplicates   BIGINT,
    quarantined  BIGINT,
    ignored      BIGINT,
    articles     BIGINT,                    -- article rows inserted
    row_counts   VARCHAR                    -- JSON: rows inserted per table
);

-- One row per expectation per loaded run: what Great Expectations found (written in the load's transaction).
CREATE TABLE IF NOT EXISTS validation_results (
    run_id       VARCHAR NOT NULL,
    table_name   VARCHAR NOT NULL,          -- the warehouse table the suite checks
    expectation  VARCHAR NOT NULL,          -- e.g. expect_column_values_to_not_be_null
    column_name  VARCHAR,                   -- the column(s) it checks, if any
    success      BOOLEAN NOT NULL,
    run_wide     BOOLEAN NOT NULL,          -- failed in a way no single article explains
    bad_values   VARCHAR,                   -- JSON: a sample of the values that failed
    rows_checked BIGINT                     -- rows of the table the run staged
);

-- What publish last built the views, the full-text index and the readers' copy for.
CREATE TABLE IF NOT EXISTS publish_state (
    load_count   BIGINT NOT NULL,           -- rows of run_log when published
    sql_sha256   VARCHAR NOT NULL,          -- of schema.sql and views.sql
    published_at TIMESTAMPTZ NOT NULL
);
