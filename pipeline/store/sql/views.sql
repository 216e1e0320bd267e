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

-- Pairs of entities named in the same sentence (entity co-occurrence by sentence).
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

-- Who is quoted most, as which entity.
CREATE OR REPLACE VIEW v_top_speakers AS
SELECT coalesce(e.canonical_name, q.speaker_resolved)   AS speaker,
       q.speaker_entity_id,
       count(*)                                         AS statements,
       count(*) FILTER (WHERE q.kind = 'direct')        AS direct_quotes,
       count(DISTINCT q.article_id)                     AS articles
FROM quotes q LEFT JOIN entities e ON e.entity_id = q.speaker_entity_id
WHERE q.speaker IS NOT NULL
GROUP BY ALL
ORDER BY statements DESC, speaker;

-- Which outlets and institutions are cited as sources, by how many articles.
CREATE OR REPLACE VIEW v_top_sources AS
SELECT coalesce(e.canonical_name, c.source_name)        AS source,
       c.source_entity_id,
       count(*)                                         AS citations,
       count(DISTINCT c.article_id)                     AS articles,
       list(DISTINCT c.cue ORDER BY c.cue)              AS cues
FROM citations c LEFT JOIN entities e ON e.entity_id = c.source_entity_id
GROUP BY ALL
ORDER BY citations DESC, source;

-- Figures claimed, by unit and what they count, across articles.
CREATE OR REPLACE VIEW v_claims_by_unit AS
SELECT unit,
       counted,
       count(*)                                         AS claims,
       count(DISTINCT article_id)                       AS articles,
       min(value)                                       AS min_value,
       max(coalesce(value_high, value))                 AS max_value,
       list(text ORDER BY value)                        AS examples
FROM claims
GROUP BY ALL
ORDER BY claims DESC, unit, counted;

-- The same figure as the outlets of one story report it: per story, unit and counted thing, the
-- lowest and highest value and each outlet's wording (sizes of a change, "by 5%", left out).
CREATE OR REPLACE VIEW v_claims_across_outlets AS
SELECT a.story_id,
       any_value(s.label)                                            AS story,
       c.unit,
       c.counted,
       count(DISTINCT coalesce(a.outlet, a.batch_id))                AS outlets,
       min(c.value)                                                  AS lowest,
       max(coalesce(c.value_high, c.value))                          AS highest,
       list(DISTINCT coalesce(a.outlet, a.batch_id) || ': ' || c.text) AS as_reported
FROM claims c
JOIN articles a USING (article_id)
LEFT JOIN stories s ON s.story_id = a.story_id
WHERE c.change IS DISTINCT FROM 'by'
GROUP BY a.story_id, c.unit, c.counted
ORDER BY outlets DESC, a.story_id, c.unit, c.counted;

-- The five largest figures claimed in each unit, with the article that claims them.
CREATE OR REPLACE VIEW v_largest_claims AS
SELECT unit, rank, value, value_high, counted, text, title, outlet
FROM (
    SELECT c.unit, c.value, c.value_high, c.counted, c.text, a.title,
           coalesce(a.outlet, a.batch_id) AS outlet,
           row_number() OVER (PARTITION BY c.unit ORDER BY coalesce(c.value_high, c.value) DESC, c.text) AS rank
    FROM claims c JOIN articles a USING (article_id)
)
WHERE rank <= 5
ORDER BY unit, rank;

-- All dated statements of all articles on one time line.
CREATE OR REPLACE VIEW v_timeline AS
SELECT t.date, t.precision, t.resolved_from, a.title, coalesce(a.outlet, a.batch_id) AS outlet, t.date_text, t.text, t.article_id
FROM timeline t JOIN articles a USING (article_id)
WHERE t.date IS NOT NULL
ORDER BY t.date, a.title, t.sentence_idx;

-- Coverage of each story by outlet and day: who reported it, when, with how many articles.
CREATE OR REPLACE VIEW v_story_coverage AS
SELECT s.story_id,
       s.label,
       coalesce(a.outlet, a.batch_id)      AS outlet,
       CAST(a.published_at AS DATE)        AS day,
       count(*)                            AS articles,
       list(a.title ORDER BY a.published_at, a.article_id) AS titles
FROM articles a JOIN stories s USING (story_id)
GROUP BY ALL
ORDER BY s.story_id, day NULLS LAST, outlet;
