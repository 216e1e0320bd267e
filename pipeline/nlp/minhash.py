"""Near-duplicate search: MinHash signatures of word shingles, and an LSH index with capped buckets.

``signature`` turns a body into 128 MinHash values of its word 5-shingles (datasketch);
``find_near_duplicates`` finds, for each new article, its most similar earlier article at or above
a threshold. The LSH buckets are capped (:class:`CappedLSH`), so the comparisons grow linearly
with the articles even when thousands of them are near-identical.
"""

from __future__ import annotations

import re

import numpy as np

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
