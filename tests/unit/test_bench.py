"""Benchmark helpers: copies stay distinct (so duplicate detection does not drop them); memory is sampled."""

from __future__ import annotations

import hashlib
import json

from pipeline.bench import PeakMemory, load_texts


def test_copies_are_distinct_texts(tmp_path) -> None:
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("\n".join(json.dumps({"title": f"T{i}", "body": f"Body number {i} " * 20}) for i in range(3)))
    texts, source = load_texts(corpus, copies=4, limit=None)
    assert source == str(corpus) and len(texts) == 12
    assert len({hashlib.sha256(b.encode()).hexdigest() for _, b in texts}) == 12
    limited, _ = load_texts(corpus, copies=1, limit=2)
    assert [t for t, _ in limited] == ["T0", "T1"]


def test_seeds_are_used_without_a_corpus(tmp_path) -> None:
    texts, source = load_texts(tmp_path / "absent.jsonl", copies=1, limit=None)
    assert source.startswith("project seeds") and len(texts) == 200
    assert len({b for _, b in texts}) == 200


def test_peak_memory_sees_this_process() -> None:
    with PeakMemory(interval=0.01) as memory:
        block = bytearray(50 * 2**20)
        import time

        time.sleep(0.1)
    assert memory.peak > 50 * 2**20
    del block
