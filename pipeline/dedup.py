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
run compares its new articles with the whole warehouse without re-reading old text.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipeline.config import Settings
from pipeline.db import connect_read_only, has_table
from pipeline.discover import staging_dir_for
from pipeline.tables import ARTICLE_TABLES

log = logging.getLogger(__name__)

NUM_PERM = 128
SHINGLE_WORDS = 5
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


def _minhash(values) -> "MinHash":  # noqa: F821 - datasketch is imported lazily
    from datasketch import MinHash

    return MinHash(num_perm=NUM_PERM, seed=1, scheme=SCHEME, hashvalues=np.asarray(values, dtype=np.uint64))


def jaccard(a, b) -> float:
    """Estimated Jaccard similarity of two signatures."""
    return float(np.mean(np.asarray(a) == np.asarray(b)))


def find_near_duplicates(
    existing: list[tuple[str, list[int]]], new: list[tuple[str, list[int]]], threshold: float
) -> dict[str, tuple[str, float]]:
    """For each new article, its most similar earlier article at or above ``threshold``.

    Args:
        existing: (article_id, signature) of articles already loaded.
        new: (article_id, signature) of this run's articles, in order: each may match the
            existing ones and the new ones before it.
        threshold: the least estimated Jaccard similarity to report.

    Returns:
        ``{article_id: (near_duplicate_of, similarity)}``.
    """
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    signatures: dict[str, list[int]] = {}
    for article_id, values in existing:
        lsh.insert(article_id, _minhash(values), check_duplication=False)
        signatures[article_id] = values
    found: dict[str, tuple[str, float]] = {}
    for article_id, values in new:
        minhash = _minhash(values)
        best = None
        for candidate in lsh.query(minhash):
            similarity = jaccard(values, signatures[candidate])
            if similarity >= threshold and (best is None or (similarity, candidate) > (best[1], best[0])):
                best = (candidate, similarity)
        if best:
            found[article_id] = best
        if article_id not in signatures:
            lsh.insert(article_id, minhash, check_duplication=False)
            signatures[article_id] = values
    return found


def _staged(staging: Path, table: str) -> list[Path]:
    return sorted((staging / table).glob("*.parquet"))


def deduplicate(settings: Settings, run_id: str) -> dict:
    """Mark this run's exact and near duplicates in its staged tables.

    Returns:
        ``{"duplicates": n, "near_duplicates": n}``.
    """
    staging = staging_dir_for(settings, run_id)
    article_files = _staged(staging, "articles")
    if not article_files:
        return {"duplicates": 0, "near_duplicates": 0}
    staged = pq.read_table(article_files, columns=["article_id", "source_path", "text_sha256"]).to_pylist()
    staged.sort(key=lambda a: a["source_path"])
    paths = pq.read_table(_staged(staging, "ingest_log"), columns=["path"]).column("path").to_pylist()
    sig_table = pq.read_table(_staged(staging, "article_signatures"))
    staged_sigs = dict(zip(sig_table.column("article_id").to_pylist(), sig_table.column("minhash").to_pylist()))

    existing_hashes: dict[str, tuple[str, str]] = {}
    existing_sigs: list[tuple[str, list[int]]] = []
    con = connect_read_only(settings.db_path)
    if con is not None:
        with con:
            if has_table(con, "articles") and has_table(con, "article_signatures"):
                # Articles this run re-processes (edited files) are replaced, so they do not count as earlier copies.
                rows = con.execute(
                    "SELECT a.article_id, a.source_path, a.text_sha256, s.minhash "
                    "FROM articles a LEFT JOIN article_signatures s USING (article_id) "
                    "WHERE split_part(a.source_path, '#', 1) NOT IN (SELECT unnest($paths))",
                    {"paths": paths},
                ).fetchall()
                existing_hashes = {sha: (aid, src) for aid, src, sha, _ in rows}
                existing_sigs = [(aid, sig) for aid, _, _, sig in rows if sig is not None]

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

    if duplicates or near:
        sources = {a["article_id"]: a["source_path"] for a in staged if a["article_id"] in duplicates}
        _rewrite(staging, duplicates, near, sources)
    log.info(
        "deduplicate: %d staged articles, %d exact duplicates not loaded, %d near duplicates flagged (threshold %.2f)",
        len(staged), len(duplicates), len(near), settings.near_duplicate_threshold,
    )
    return {"duplicates": len(duplicates), "near_duplicates": len(near)}


def _rewrite(
    staging: Path, duplicates: dict[str, tuple[str, str]], near: dict[str, tuple[str, float]], sources: dict[str, str]
) -> None:
    dropped = pa.array(sorted(duplicates), type=pa.string())
    for table in ARTICLE_TABLES:
        for path in _staged(staging, table):
            data = pq.read_table(path)
            keep = pc.invert(pc.is_in(data.column("article_id"), value_set=dropped))
            data = data.filter(keep)
            if table == "articles" and near:
                ids = data.column("article_id").to_pylist()
                of = [near[i][0] if i in near else None for i in ids]
                sim = [round(near[i][1], 4) if i in near else None for i in ids]
                data = data.set_column(data.schema.get_field_index("near_duplicate_of"), "near_duplicate_of", pa.array(of, pa.string()))
                data = data.set_column(
                    data.schema.get_field_index("near_duplicate_similarity"), "near_duplicate_similarity", pa.array(sim, pa.float32())
                )
            pq.write_table(data, path)
    if not duplicates:
        return
    for path in _staged(staging, "ingest_log"):
        rows = pq.read_table(path).to_pylist()
        for row in rows:
            original = duplicates.get(row["article_id"]) if row["article_id"] else None
            if original:
                row.update(
                    status="duplicate",
                    duplicate_of=original[0],
                    reason=f"same text as {original[1]} (article {original[0]}); not loaded twice",
                    article_id=None,
                )
            elif row["status"] == "loaded" and row["article_id"] is None:
                # a JSON-lines file: name its lines that duplicate other articles
                lines = [src.rsplit("#", 1)[1] for src in sources.values() if src.startswith(row["path"] + "#")]
                if lines:
                    row["reason"] = f"{row['reason'] or ''}; not loaded twice (same text as an article already loaded): {', '.join(sorted(lines))}"
        pq.write_table(pa.Table.from_pylist(rows, schema=pq.read_schema(path)), path)
