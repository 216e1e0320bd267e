-- Analyst views, recreated by the publish stage after every load.

-- Which batches/outlets cover the story, with how much text.
CREATE OR REPLACE VIEW v_coverage_by_outlet AS
SELECT coalesce(outlet, batch_id)          AS outlet,
       count(*)                            AS articles,
       sum(n_tokens)                       AS tokens,
       min(published_at)                   AS first_published,
       max(published_at)                   AS last_published
FROM articles
GROUP BY ALL
ORDER BY articles DESC, outlet;

-- Who and what is named, in how many articles.
CREATE OR REPLACE VIEW v_top_entities AS
SELECT entity_id,
       label,
       mode(text)                          AS example_text,
       count(*)                            AS mentions,
       count(DISTINCT article_id)          AS articles
FROM entity_mentions
GROUP BY entity_id, label
ORDER BY mentions DESC, entity_id;

-- Pairs of entities named in the same sentence.
CREATE OR REPLACE VIEW v_entity_cooccurrence AS
WITH distinct_mentions AS (
    SELECT DISTINCT article_id, sentence_idx, entity_id FROM entity_mentions
)
SELECT a.entity_id                         AS entity_a,
       b.entity_id                         AS entity_b,
       count(*)                            AS sentences,
       count(DISTINCT a.article_id)        AS articles
FROM distinct_mentions a
JOIN distinct_mentions b
  ON a.article_id = b.article_id AND a.sentence_idx = b.sentence_idx AND a.entity_id < b.entity_id
GROUP BY ALL
ORDER BY sentences DESC, entity_a, entity_b;

-- What the cleaner removed, by rule.
CREATE OR REPLACE VIEW v_cleaning_summary AS
SELECT rule, count(*) AS lines, count(DISTINCT article_id) AS articles
FROM cleaning_log
GROUP BY rule
ORDER BY lines DESC, rule;

-- The latest state of every file ever seen under seeds/.
CREATE OR REPLACE VIEW v_files AS
SELECT *
FROM ingest_log
QUALIFY row_number() OVER (PARTITION BY path ORDER BY logged_at DESC) = 1;
