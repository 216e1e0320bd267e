"""One whole run without a scheduler: the same stage functions, in the order the DAG runs them."""

from __future__ import annotations

import logging
import time
from datetime import datetime, timezone

from pipeline.config import Settings
from pipeline.dedup import deduplicate
from pipeline.discover import discover
from pipeline.enrich import enrich_shard
from pipeline.validate import validate_run
from pipeline.warehouse import load, publish

log = logging.getLogger(__name__)


def new_run_id(prefix: str = "cli") -> str:
    return f"{prefix}__{datetime.now(timezone.utc).strftime('%Y%m%dT%H%M%S%fZ')}"


def run_pipeline(settings: Settings, run_id: str | None = None) -> dict:
    """discover → enrich (each shard) → deduplicate → validate → load → publish.

    Returns:
        A summary: files seen, new files, quarantined files, rows loaded, table counts and the
        seconds each stage took.
    """
    run_id = run_id or new_run_id()
    timings: dict[str, float] = {}
    started = time.perf_counter()
    plan = discover(settings, run_id)
    timings["discover"] = time.perf_counter() - started
    summary = {"run_id": run_id, "n_files": plan["n_files"], "n_new": plan["n_new"], "quarantined": 0, "timings": timings}
    if not plan["shards"]:
        log.info("run %s: no new or changed files under %s; the warehouse is unchanged", run_id, settings.seeds_dir)
        return summary
    t = time.perf_counter()
    results = [enrich_shard(shard, settings) for shard in plan["shards"]]
    timings["enrich"] = time.perf_counter() - t
    summary["quarantined"] = sum(r["quarantined"] for r in results)
    summary["n_tokens"] = sum(r["n_tokens"] for r in results)
    t = time.perf_counter()
    summary["dedup"] = deduplicate(settings, run_id)
    timings["deduplicate"] = time.perf_counter() - t
    t = time.perf_counter()
    summary["validation"] = validate_run(settings, run_id)
    timings["validate"] = time.perf_counter() - t
    t = time.perf_counter()
    summary["loaded"] = load(settings, run_id)
    timings["load"] = time.perf_counter() - t
    t = time.perf_counter()
    summary["tables"] = publish(settings)
    timings["publish"] = time.perf_counter() - t
    return summary
