"""Memory: a worker does not keep the documents it has parsed (each holds about 2 MB)."""

from __future__ import annotations

import gc

from spacy.tokens import Doc

from pipeline.discover import discover
from pipeline.enrich import enrich


def _live_docs() -> int:
    return sum(1 for o in gc.get_objects() if isinstance(o, Doc))


def test_enrich_frees_each_parsed_document(settings, nlp) -> None:
    """With the cycle collector off, only plain reference counting frees documents: none may survive a shard."""
    plan = discover(settings, "test__memory")
    enrich(plan["shards"][0], settings)  # warm up: the model and its entity patterns are loaded once
    gc.collect()
    gc.disable()
    try:
        before = _live_docs()
        result = enrich(plan["shards"][0], settings)
        after = _live_docs()
    finally:
        gc.enable()
    assert result["counts"]["articles"] == 5
    assert after == before
