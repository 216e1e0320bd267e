"""Deduplicate: exact copies are not loaded twice; near-copies are kept and flagged.

* **Exact duplicates**: the same cleaned body (``text_sha256``) as an article already in the
  warehouse, or as one earlier in this run (by path), under another name. The copy is not loaded;
  its ``ingest_log`` row says ``duplicate`` and names the article it duplicates.
* **Near duplicates** (syndicated copies, light edits): MinHash signatures over word shingles,
  candidate pairs from locality-sensitive hashing (``datasketch``), kept when the estimated
  Jaccard similarity reaches the threshold. The article is loaded with ``near_duplicate_of`` and
  ``near_duplicate_similarity`` set to its most similar earlier article. Analysts keep both, to
  see syndication.

Signatures are computed per shard in the enrich stage and stored in ``article_signatures``, so a
run compares its new articles with the whole warehouse without re-reading old text. LSH buckets
are capped (:class:`~pipeline.nlp.minhash.CappedLSH`), so the comparisons grow linearly with the articles even when
thousands of them are near-identical.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pyarrow as pa

from pipeline.config import Settings
from pipeline.nlp.minhash import find_near_duplicates
from pipeline.store.db import connect_read_only, has_table
from pipeline.store.fs import read_table
from pipeline.store.lock import renew_claim
from pipeline.store.staging import DUPLICATES_SCHEMA, RunPaths, write_atomically

log = logging.getLogger(__name__)


def deduplicate(settings: Settings, shard_results: list[dict]) -> dict:
    """Decide this run's exact and near duplicates; write the decisions to a file of their own.

    The staged tables are only read: load applies the decisions when it builds the rows it
    loads, so this step can be retried, or killed half-way, without losing anything.

    Args:
        settings: the warehouse (earlier articles and their signatures) and the threshold.
        shard_results: what enrich returned for each shard (its staged file paths).

    Returns:
        ``{"duplicates_file", "duplicates": n, "near_duplicates": n}`` (no file when nothing was staged).
    """
    if not shard_results:
        return {"duplicates_file": None, "duplicates": 0, "near_duplicates": 0}
    run = RunPaths.of_shard(shard_results[0]["shard"])
    renew_claim(run.root)
    staged = read_table([r["staged"]["articles"] for r in shard_results], columns=["article_id", "source_path", "text_sha256"]).to_pylist()
    staged.sort(key=lambda a: a["source_path"])
    paths = read_table([r["staged"]["ingest_log"] for r in shard_results], columns=["path"]).column("path").to_pylist()
    sig_table = read_table([r["staged"]["article_signatures"] for r in shard_results])
    staged_sigs = dict(zip(sig_table.column("article_id").to_pylist(), sig_table.column("minhash").to_pylist()))
    existing_hashes, existing_sigs = _earlier_articles(settings.db_path, paths)

    duplicates: dict[str, tuple[str, str]] = {}  # article_id -> (original article_id, its source_path)
    seen = dict(existing_hashes)
    for article in staged:
        original = seen.get(article["text_sha256"])
        if original and original[0] != article["article_id"]:
            duplicates[article["article_id"]] = original
        else:
            seen[article["text_sha256"]] = (article["article_id"], article["source_path"])

    new_sigs = [(a["article_id"], staged_sigs[a["article_id"]]) for a in staged if a["article_id"] not in duplicates]
    near = find_near_duplicates(existing_sigs, new_sigs, settings.near_duplicate_threshold)
    rows = [{"article_id": a, "duplicate_of": o, "duplicate_of_path": p, "near_duplicate_of": None, "near_duplicate_similarity": None}
            for a, (o, p) in duplicates.items()]
    rows += [{"article_id": a, "duplicate_of": None, "duplicate_of_path": None, "near_duplicate_of": o, "near_duplicate_similarity": s}
             for a, (o, s) in near.items()]
    out = write_atomically(pa.Table.from_pylist(rows, schema=DUPLICATES_SCHEMA), run.duplicates)
    log.info(
        "deduplicate: %d staged articles, %d exact duplicates not loaded, %d near duplicates flagged (threshold %.2f)",
        len(staged), len(duplicates), len(near), settings.near_duplicate_threshold,
    )
    return {"duplicates_file": str(out), "duplicates": len(duplicates), "near_duplicates": len(near)}


def _earlier_articles(db_path: Path, paths: list[str]) -> tuple[dict[str, tuple[str, str]], list[tuple[str, list[int]]]]:
    """Text hashes and signatures of the loaded articles this run does not replace."""
    con = connect_read_only(db_path)
    if con is None:
        return {}, []
    with con:
        if not (has_table(con, "articles") and has_table(con, "article_signatures")):
            return {}, []
        # Articles this run re-processes (edited files) are replaced, so they do not count as earlier copies.
        rows = con.execute(
            "SELECT a.article_id, a.source_path, a.text_sha256, s.minhash "
            "FROM articles a LEFT JOIN article_signatures s USING (article_id) "
            "WHERE split_part(a.source_path, '#', 1) NOT IN (SELECT unnest($paths)) ORDER BY a.source_path",
            {"paths": paths},
        ).fetchall()
    return {sha: (aid, src) for aid, src, sha, _ in rows}, [(aid, sig) for aid, _, _, sig in rows if sig is not None]
