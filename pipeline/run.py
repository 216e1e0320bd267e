"""One whole run without a scheduler: the same stage functions, in the order the DAG runs them."""

from __future__ import annotations

import fcntl
import importlib
import logging
import multiprocessing
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from pipeline.config import Settings
from pipeline.dedup import deduplicate
from pipeline.discover import discover
from pipeline.enrich import enrich_shard
from pipeline.validate import validate_run
from pipeline.warehouse import load, publish

log = logging.getLogger(__name__)


def new_run_id(prefix: str = "cli") -> str:
    return f"{prefix}__{datetime.now(timezone.utc).strftime('%Y%m%dT%H%M%S%fZ')}"


@contextmanager
def one_run_at_a_time(warehouse_dir: Path) -> Iterator[None]:
    """Hold an exclusive lock on the warehouse folder for a whole command-line run.

    Two runs started together would otherwise both take the same new files; with the lock the
    second waits, then finds nothing new. (In Airflow, ``max_active_runs=1`` and the
    ``duckdb_writer`` pool do the same.)
    """
    warehouse_dir.mkdir(parents=True, exist_ok=True)
    with open(warehouse_dir / ".run.lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            log.info("another run is using %s; waiting for it to finish", warehouse_dir)
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def run_pipeline(settings: Settings, run_id: str | None = None) -> dict:
    """discover → enrich (each shard) → deduplicate → validate → load → publish, one run at a time.

    Returns:
        A summary: files seen, new files, quarantined files, rows loaded, table counts and the
        seconds each stage took.
    """
    with one_run_at_a_time(settings.warehouse_dir):
        return _run(settings, run_id or new_run_id())


def _worker_logging(level: int) -> None:
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s[worker]: %(message)s")


def enrich_all(shards: list[str], settings: Settings) -> list[dict]:
    """Enrich every shard, in ``settings.workers`` processes when there is more than one shard.

    Each worker process loads the spaCy model once and keeps it for all its shards (the same
    function the Airflow DAG maps over shards).
    """
    workers = min(settings.workers, len(shards))
    if workers <= 1:
        return [enrich_shard(shard, settings) for shard in shards]
    context = multiprocessing.get_context("spawn")  # no inherited threads or open DuckDB handles
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_worker_logging, initargs=(logging.getLogger().getEffectiveLevel(),)) as pool:
        return list(pool.map(enrich_shard, shards, [settings] * len(shards)))


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
    plan = discover(settings, run_id)
    timings["discover"] = time.perf_counter() - started
    summary = {"run_id": run_id, "n_files": plan["n_files"], "n_new": plan["n_new"], "quarantined": 0, "timings": timings}
    if not plan["shards"]:
        log.info("run %s: no new or changed files under %s; the warehouse is unchanged", run_id, settings.seeds_dir)
        return summary
    t = time.perf_counter()
    warm = _import_in_background("great_expectations") if min(settings.workers, len(plan["shards"])) > 1 else None
    results = enrich_all(plan["shards"], settings)
    if warm is not None:
        warm.join()
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
