"""Story grouping in the writer: place a run's articles in stories, keep the state, rebuild ``stories``.

:func:`place_run` runs in load before the commit (the run lock and the writer connection are
held, so the state it reads cannot change underneath): it reads the stories as they stand, takes
out the articles this run replaces, places the new ones (:mod:`pipeline.nlp.stories`) and returns
a :class:`StoryUpdate`. :func:`apply` writes that update inside the load's transaction, after the
articles are inserted, so the articles, the story state and ``stories`` commit together.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import duckdb
import numpy as np
import pyarrow as pa
from scipy import sparse

from pipeline.nlp.stories import N_FEATURES, NewArticle, Story, StoryIndex, Vec, assign, idf, term_counts, unit_vectors
from pipeline.store.fs import read_table

log = logging.getLogger(__name__)
TOP_ENTITIES = 8
ENTITY_LABELS = ("PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT")


@dataclass
class StoryUpdate:
    """What a run changes in the story state (written by :func:`apply` in the load transaction)."""

    story_of: dict[str, str] = field(default_factory=dict)  # article_id -> story_id, this run's articles
    vectors: dict[str, Vec] = field(default_factory=dict)  # article_id -> unit vector
    removed: list[str] = field(default_factory=list)  # article ids whose vectors leave their stories
    df_delta: dict[int, int] = field(default_factory=dict)
    stories: dict[str, Story] = field(default_factory=dict)  # touched stories as they now stand (n_articles 0: gone)


def _row(vector: Vec) -> tuple[list[int], list[float]]:
    return vector.indices.astype(np.uint32).tolist(), vector.data.astype(np.float32).tolist()


def _vector(terms: list[int], weights: list[float]) -> Vec:
    return Vec.of(terms, weights)


def _stored_stories(con: duckdb.DuckDBPyConnection) -> list[Story]:
    rows = con.execute("SELECT story_id, terms, weights, n_articles, first_day, last_day FROM story_centroids").fetchall()
    return [Story(sid, _vector(terms, weights), n, np.nan if first is None else first, np.nan if last is None else last)
            for sid, terms, weights, n, first, last in rows]


def _document_frequency(con: duckdb.DuckDBPyConnection, terms: np.ndarray) -> tuple[np.ndarray, int]:
    df = np.zeros(N_FEATURES, dtype=np.float64)
    if len(terms):
        found = con.execute("SELECT term, df FROM story_term_df WHERE term IN (SELECT unnest($terms))",
                            {"terms": terms.astype(np.uint32).tolist()}).fetchall()
        for term, count in found:
            df[term] = count
    n_documents = con.execute("SELECT count(*) FROM story_vectors").fetchone()[0]
    return df, n_documents


def place_run(con: duckdb.DuckDBPyConnection, article_files: list[str], replaced_ids: list[str]) -> StoryUpdate:
    """Place the articles of a run's final Parquet in stories; ``replaced_ids`` leave theirs first."""
    articles = read_table(article_files, columns=["article_id", "title", "body", "published_at"])
    ids = articles.column("article_id").to_pylist()
    removed = con.execute("SELECT article_id, story_id, terms, weights FROM story_vectors WHERE article_id IN (SELECT unnest($ids))",
                          {"ids": sorted(set(replaced_ids) | set(ids))}).fetchall()
    update = StoryUpdate(removed=[row[0] for row in removed])
    counts = term_counts(articles.column("title").to_pylist(), articles.column("body").to_pylist())
    weights = _idf_weights(con, counts, removed, update)
    index = StoryIndex(_stored_stories(con))
    stored = set(index.stories)
    emptied = _take_out(index, removed)
    if ids:
        vectors = unit_vectors(counts, weights)
        news = [NewArticle(article_id, published, Vec.row(vectors, i)) for i, (article_id, published)
                in enumerate(zip(ids, articles.column("published_at").to_pylist()))]
        update.story_of = assign(news, index)
        update.vectors = {a.article_id: a.vector for a in news}
    update.stories = {sid: s for sid, s in index.stories.items() if s.touched}
    for story_id in (emptied | stored) - set(index.stories):  # emptied by an edit, or by a refinement round
        update.stories[story_id] = Story(story_id, Vec.empty(), 0)
    placed_in = set(update.story_of.values())
    log.info("stories: %d articles placed in %d stories (%d of them new); %d earlier versions left their stories",
             len(update.story_of), len(placed_in), len(placed_in - stored), len(update.removed))
    return update


def _idf_weights(con: duckdb.DuckDBPyConnection, counts: sparse.csr_matrix, removed: list[tuple], update: StoryUpdate) -> sparse.csr_matrix:
    """IDF of each (article, term) of ``counts`` after this run; records the document-frequency changes in ``update``."""
    new_terms = np.unique(counts.indices)
    removed_terms = np.unique(np.concatenate([np.asarray(r[2], dtype=np.int64) for r in removed])) if removed else new_terms[:0]
    df, n_documents = _document_frequency(con, np.union1d(new_terms, removed_terms))
    for _, _, terms, _ in removed:
        np.subtract.at(df, np.asarray(terms, dtype=np.int64), 1)
        for term in terms:
            update.df_delta[term] = update.df_delta.get(term, 0) - 1
    present = counts.copy()
    present.data[:] = 1
    per_term = np.asarray(present.sum(axis=0)).ravel()
    df += per_term
    for term in new_terms.tolist():
        update.df_delta[term] = update.df_delta.get(term, 0) + int(per_term[term])
    n_documents += counts.shape[0] - len(removed)
    weights = counts.copy()
    weights.data = idf(df[counts.indices], n_documents).astype(np.float32)
    return weights


def _take_out(index: StoryIndex, removed: list[tuple]) -> set[str]:
    """Subtract the vectors of replaced articles from their stories; returns the stories left empty."""
    emptied: set[str] = set()
    for _, story_id, terms, weights in removed:
        story = index.stories.get(story_id)
        if story is not None:
            story.remove(_vector(terms, weights))
            if story.n_articles <= 0:
                del index.stories[story_id]
                emptied.add(story_id)
            index.changed(story_id)
    return emptied


def with_story_ids(table: pa.Table, story_of: dict[str, str]) -> pa.Table:
    """The articles table with its ``story_id`` column filled from ``story_of``."""
    values = pa.array([story_of.get(a) for a in table.column("article_id").to_pylist()], pa.string())
    return table.set_column(table.schema.get_field_index("story_id"), "story_id", values)


def apply(con: duckdb.DuckDBPyConnection, update: StoryUpdate) -> int:
    """Write the story state and rebuild the touched rows of ``stories`` (inside the load transaction)."""
    gone = sorted(set(update.removed) | set(update.vectors))
    con.execute("DELETE FROM story_vectors WHERE article_id IN (SELECT unnest($ids))", {"ids": gone})
    if update.vectors:
        rows = [(a, update.story_of[a], *_row(v)) for a, v in update.vectors.items()]
        con.register("new_vectors", pa.table({k: pa.array(v) for k, v in zip(("article_id", "story_id", "terms", "weights"), zip(*rows))}))
        con.execute("INSERT INTO story_vectors SELECT article_id, story_id, terms::UINTEGER[], weights::FLOAT[] FROM new_vectors")
        con.unregister("new_vectors")
    if update.df_delta:
        delta = pa.table({"term": pa.array(list(update.df_delta), pa.uint32()), "df": pa.array(list(update.df_delta.values()), pa.int32())})
        con.register("df_delta", delta)
        con.execute("INSERT INTO story_term_df SELECT term, df FROM df_delta ON CONFLICT (term) DO UPDATE SET df = story_term_df.df + excluded.df")
        con.unregister("df_delta")
        con.execute("DELETE FROM story_term_df WHERE df <= 0")
    touched = sorted(update.stories)
    con.execute("DELETE FROM story_centroids WHERE story_id IN (SELECT unnest($ids))", {"ids": touched})
    kept = [s for s in update.stories.values() if s.n_articles > 0]
    if kept:
        rows = [(s.story_id, *_row(s.total), s.n_articles, None if np.isnan(s.first_day) else float(s.first_day),
                 None if np.isnan(s.last_day) else float(s.last_day)) for s in kept]
        names = ("story_id", "terms", "weights", "n_articles", "first_day", "last_day")
        con.register("new_centroids", pa.table({k: pa.array(v) for k, v in zip(names, zip(*rows))}))
        con.execute("INSERT INTO story_centroids SELECT story_id, terms::UINTEGER[], weights::FLOAT[], n_articles, first_day, last_day FROM new_centroids")
        con.unregister("new_centroids")
    return rebuild_stories(con, touched)


def rebuild_stories(con: duckdb.DuckDBPyConnection, story_ids: list[str]) -> int:
    """Recompute the ``stories`` rows of these stories from ``articles`` and ``entity_mentions``."""
    con.execute("DELETE FROM stories WHERE story_id IN (SELECT unnest($ids))", {"ids": story_ids})
    labels = ", ".join(f"'{label}'" for label in ENTITY_LABELS)
    con.execute(
        f"""
        INSERT INTO stories
        WITH members AS (
            SELECT * FROM articles WHERE story_id IN (SELECT unnest($ids))
        ), named AS (
            SELECT a.story_id, coalesce(e.canonical_name, m.text) AS name, count(*) AS mentions
            FROM members a JOIN entity_mentions m USING (article_id)
            LEFT JOIN entities e USING (entity_id)
            WHERE m.label IN ({labels})
            GROUP BY ALL
        ), top AS (
            SELECT story_id, list(name ORDER BY mentions DESC, name)[1:{TOP_ENTITIES}] AS top_entities FROM named GROUP BY story_id
        )
        SELECT a.story_id,
               arg_min(coalesce(a.title, left(a.body, 120)), (coalesce(a.published_at, TIMESTAMPTZ 'infinity'), a.article_id)),
               min(a.published_at), max(a.published_at), count(*),
               count(DISTINCT coalesce(a.outlet, a.batch_id)),
               list(DISTINCT coalesce(a.outlet, a.batch_id) ORDER BY coalesce(a.outlet, a.batch_id)),
               any_value(t.top_entities)
        FROM members a LEFT JOIN top t USING (story_id)
        GROUP BY a.story_id
        """,
        {"ids": story_ids},
    )
    return len(story_ids)
