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
are capped (:class:`CappedLSH`), so the comparisons grow linearly with the articles even when
thousands of them are near-identical.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.config import Settings
from pipeline.db import connect_read_only, has_table
from pipeline.lock import renew_claim
from pipeline.staging import DUPLICATES_SCHEMA, RunPaths, write_atomically

log = logging.getLogger(__name__)

NUM_PERM = 128
SHINGLE_WORDS = 5
BUCKET_CAP = 50  # most articles one LSH bucket holds: bounds the comparisons per new article
SCHEME = "affine32"  # datasketch >= 2: 32-bit hash values, stored as UINTEGER[]
_WORD = re.compile(r"\w+")


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[bytes]:
    """Overlapping runs of ``size`` lower-cased words (the whole text if it is shorter)."""
    words = _WORD.findall(text.lower())
    if len(words) <= size:
        return {" ".join(words).encode("utf-8")}
    return {" ".join(words[i : i + size]).encode("utf-8") for i in range(len(words) - size + 1)}


def signature(text: str) -> list[int]:
    """MinHash signature of a body (``NUM_PERM`` 32-bit values)."""
    from datasketch import MinHash

    minhash = MinHash(num_perm=NUM_PERM, seed=1, scheme=SCHEME)
    minhash.update_batch(list(shingles(text)))
    return minhash.hashvalues.astype(np.uint32).tolist()


class CappedLSH:
    """Banded MinHash LSH whose buckets hold at most ``cap`` articles.

    datasketch's ``MinHashLSH`` picks the bands and rows for the threshold; the index itself is
    kept here so that a bucket stops growing at ``cap``. Thousands of near-identical articles
    (a template filled in for every town) then cost each new article at most ``bands * cap``
    comparisons instead of one per earlier article: linear, not quadratic. An article that
    lands only in full buckets is still compared with their first ``cap`` members, all of them
    near copies of it.
    """

    def __init__(self, threshold: float, num_perm: int = NUM_PERM, cap: int = BUCKET_CAP) -> None:
        from datasketch import MinHashLSH

        params = MinHashLSH(threshold=threshold, num_perm=num_perm)
        self.bands, self.rows, self.cap = params.b, params.r, cap
        self._buckets: list[dict[bytes, list[int]]] = [{} for _ in range(self.bands)]

    def _keys(self, values: np.ndarray) -> list[bytes]:
        r = self.rows
        return [values[i * r : (i + 1) * r].tobytes() for i in range(self.bands)]

    def query(self, values: np.ndarray) -> set[int]:
        found: set[int] = set()
        for bucket, key in zip(self._buckets, self._keys(values)):
            found.update(bucket.get(key, ()))
        return found

    def insert(self, index: int, values: np.ndarray) -> None:
        for bucket, key in zip(self._buckets, self._keys(values)):
            members = bucket.setdefault(key, [])
            if len(members) < self.cap:
                members.append(index)


def find_near_duplicates(
    existing: list[tuple[str, list[int]]], new: list[tuple[str, list[int]]], threshold: float, cap: int = BUCKET_CAP
) -> dict[str, tuple[str, float]]:
    """For each new article, its most similar earlier article at or above ``threshold``.

    Args:
        existing: (article_id, signature) of articles already loaded.
        new: (article_id, signature) of this run's articles, in order: each may match the
            existing ones and the new ones before it.
        threshold: the least estimated Jaccard similarity to report.
        cap: most articles one LSH bucket holds (see :class:`CappedLSH`).

    Returns:
        ``{article_id: (near_duplicate_of, similarity)}``.
    """
    ids = [a for a, _ in existing] + [a for a, _ in new]
    matrix = np.array([v for _, v in existing] + [v for _, v in new], dtype=np.uint32).reshape(len(ids), NUM_PERM)
    lsh = CappedLSH(threshold, NUM_PERM, cap)
    for index in range(len(existing)):
        lsh.insert(index, matrix[index])
    found: dict[str, tuple[str, float]] = {}
    inserted = set(ids[: len(existing)])
    for index in range(len(existing), len(ids)):
        values = matrix[index]
        candidates = np.fromiter(lsh.query(values), dtype=np.int64)
        if candidates.size:
            similarity = (matrix[candidates] == values).mean(axis=1)
            order = np.lexsort((-candidates, -similarity))  # most similar first; ties: the later article
            best = candidates[order[0]]
            if similarity[order[0]] >= threshold and ids[best] != ids[index]:
                found[ids[index]] = (ids[best], float(similarity[order[0]]))
        if ids[index] not in inserted:
            lsh.insert(index, values)
            inserted.add(ids[index])
    return found


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
    staged = pq.read_table([r["staged"]["articles"] for r in shard_results], columns=["article_id", "source_path", "text_sha256"]).to_pylist()
    staged.sort(key=lambda a: a["source_path"])
    paths = pq.read_table([r["staged"]["ingest_log"] for r in shard_results], columns=["path"]).column("path").to_pylist()
    sig_table = pq.read_table([r["staged"]["article_signatures"] for r in shard_results])
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
