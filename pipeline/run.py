"""One whole run without a scheduler: the same stage functions, in the order the DAG runs them."""

from __future__ import annotations

import importlib
import logging
import multiprocessing
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime, timezone

from pipeline.config import Settings
from pipeline.deduplicate import deduplicate
from pipeline.discover import discover
from pipeline.enrich import enrich
from pipeline.load import load
from pipeline.publish import publish
from pipeline.store.lock import run_lock
from pipeline.validate import validate

log = logging.getLogger(__name__)


def new_run_id(prefix: str = "cli") -> str:
    return f"{prefix}__{datetime.now(timezone.utc).strftime('%Y%m%dT%H%M%S%fZ')}"


def run_pipeline(settings: Settings, run_id: str | None = None) -> dict:
    """discover → enrich (each shard) → deduplicate → validate → load → publish, holding the run lock throughout.

    Two command-line runs started together, or one beside an Airflow run's load or publish, take
    turns: the second waits (saying for whom), then finds nothing new, or only what is left.

    Returns:
        A summary: files seen, new files, quarantined files, rows loaded, table counts and the
        seconds each stage took.
    """
    run_id = run_id or new_run_id()
    with run_lock(settings.warehouse_dir, f"the command-line run {run_id}", wait_seconds=settings.task_timeout_minutes * 60):
        return _run(settings, run_id)


def _worker_logging(level: int) -> None:
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s[worker]: %(message)s")


def enrich_all(shards: list[str], settings: Settings) -> list[dict]:
    """Enrich every shard, in ``settings.workers`` processes when there is more than one shard.

    Each worker process loads the spaCy model once and keeps it for all its shards (the same
    function the Airflow DAG maps over shards).
    """
    workers = min(settings.workers, len(shards))
    if workers <= 1:
        return [enrich(shard, settings) for shard in shards]
    context = multiprocessing.get_context("spawn")  # no inherited threads or open DuckDB handles
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_worker_logging, initargs=(logging.getLogger().getEffectiveLevel(),)) as pool:
        return list(pool.map(enrich, shards, [settings] * len(shards)))


def _import_in_background(module: str) -> threading.Thread:
    """Import a slow module on a thread of this (otherwise idle) process while workers enrich.

    Great Expectations takes seconds to import (about 3.5 s with compiled bytecode); the validate
    stage then starts at once.
    """

    def work() -> None:
        try:
            importlib.import_module(module)
        except Exception:  # noqa: BLE001 - the validate stage imports it again and reports any error
            log.debug("background import of %s failed", module, exc_info=True)

    thread = threading.Thread(target=work, name=f"import-{module}", daemon=True)
    thread.start()
    return thread


def _run(settings: Settings, run_id: str) -> dict:
    timings: dict[str, float] = {}
    started = time.perf_counter()
    plan = discover(settings, run_id, owner="cli", hold_lock=False)
    timings["discover"] = time.perf_counter() - started
    summary = {"run_id": run_id, "n_files": plan["n_files"], "n_new": plan["n_new"], "n_claimed": plan["n_claimed"],
               "quarantined": 0, "timings": timings}
    validation = None
    if plan["shards"]:
        t = time.perf_counter()
        warm = _import_in_background("great_expectations") if min(settings.workers, len(plan["shards"])) > 1 else None
        results = enrich_all(plan["shards"], settings)
        if warm is not None:
            warm.join()
        timings["enrich"] = time.perf_counter() - t
        summary["n_tokens"] = sum(r["n_tokens"] for r in results)
        t = time.perf_counter()
        summary["dedup"] = dedup = deduplicate(settings, results)
        timings["deduplicate"] = time.perf_counter() - t
        t = time.perf_counter()
        summary["validation"] = validation = validate(settings, dedup, results)
        timings["validate"] = time.perf_counter() - t
    else:
        log.info("run %s: no new or changed files under %s", run_id, settings.seeds_dir)
    t = time.perf_counter()
    summary["loaded"] = load(settings, validation, run_id, hold_lock=False)
    timings["load"] = time.perf_counter() - t
    t = time.perf_counter()
    published = publish(settings, run_id, hold_lock=False)
    summary["tables"], summary["rebuilt"] = published["counts"], published["rebuilt"]
    timings["publish"] = time.perf_counter() - t
    summary["quarantined"] = _quarantined(settings, run_id) if plan["shards"] else 0
    return summary


def _quarantined(settings: Settings, run_id: str) -> int:
    """Files this run quarantined, as committed in ``run_log``."""
    from pipeline.store.db import connect_read_only

    with connect_read_only(settings.db_path) as con:
        row = con.execute("SELECT quarantined FROM run_log WHERE run_id = $r", {"r": run_id}).fetchone()
    return row[0] if row else 0
