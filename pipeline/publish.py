"""Publish: make what analysts read match the last committed load.

The analyst views, the full-text index over ``articles`` and the readers' copy
``news-readonly.duckdb`` (:mod:`pipeline.store.readers`). Every run checks them first
(:func:`stale_reasons`) and writes nothing when they are current; otherwise it rebuilds all of them
in one transaction and replaces the readers' copy. So a crash (a run killed after its commit, a
disk that filled during publish) is repaired by the next run, even one with nothing new.
"""

from __future__ import annotations

import logging
import re

import duckdb

from pipeline.config import Settings
from pipeline.store.db import apply_sql, connect_read_only, has_table, load_fts, table_counts, writing
from pipeline.store.lock import run_lock
from pipeline.store.readers import published_state, reader_copy_current, replace_reader_copy, sql_fingerprint

log = logging.getLogger(__name__)

FTS_SCHEMA = "fts_main_articles"


def views_of(settings: Settings) -> list[str]:
    """The views ``views.sql`` defines."""
    return re.findall(r"CREATE\s+OR\s+REPLACE\s+VIEW\s+(\w+)", (settings.sql_dir / "views.sql").read_text(encoding="utf-8"), re.I)


def stale_reasons(con: duckdb.DuckDBPyConnection, settings: Settings) -> list[str]:
    """What of publish's work does not match the last committed load (empty when all is current)."""
    if not has_table(con, "run_log"):
        return []
    loads = con.execute("SELECT count(*) FROM run_log").fetchone()[0]
    state = published_state(con)
    reasons = []
    if state is None or state[0] != loads:
        reasons.append("the last load is not published yet")
    if state is not None and state[1] != sql_fingerprint(settings):
        reasons.append("the view definitions changed")
    present = {r[0] for r in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()}
    missing = [v for v in views_of(settings) if v not in present]
    if missing:
        reasons.append(f"views missing: {', '.join(missing)}")
    if _index_missing(con):
        reasons.append("the full-text index is missing")
    if not reader_copy_current(settings, loads):
        reasons.append("the readers' copy is out of date")
    return reasons


def _index_missing(con: duckdb.DuckDBPyConnection) -> bool:
    has_articles = has_table(con, "articles") and con.execute("SELECT count(*) FROM articles").fetchone()[0] > 0
    has_index = con.execute("SELECT count(*) FROM duckdb_schemas() WHERE schema_name = $s", {"s": FTS_SCHEMA}).fetchone()[0] > 0
    return has_articles and not has_index


def publish(settings: Settings, run_id: str, *, hold_lock: bool = True) -> dict:
    """Make the views, the full-text index and the readers' copy match the last committed load.

    Returns:
        ``{"counts": {table: rows}, "rebuilt": [reasons]}`` (no reasons: nothing was written).

    Raises:
        DiskFull: naming the warehouse folder; nothing is half-written (the transaction rolls
        back, the readers' copy is replaced only once complete).
    """
    if not hold_lock:
        return _publish(settings)
    with run_lock(settings.warehouse_dir, f"publish of run {run_id}", wait_seconds=settings.task_timeout_minutes * 60):
        return _publish(settings)


def _publish(settings: Settings) -> dict:
    if not settings.db_path.exists():
        log.info("publish: no warehouse yet, nothing to publish")
        return {"counts": {}, "rebuilt": []}
    with connect_read_only(settings.db_path, settings.lock_wait_seconds) as con:
        reasons = stale_reasons(con, settings)
        counts = table_counts(con) if has_table(con, "ingest_log") else {}
    if not reasons:
        log.info("publish: views, full-text index and readers' copy are current; nothing to do")
        return {"counts": counts, "rebuilt": []}
    log.info("publish: rebuilding (%s)", "; ".join(reasons))
    with writing(settings.db_path, settings.lock_wait_seconds, "publish") as con:
        rebuild(con, settings)
        counts = table_counts(con)
        replace_reader_copy(settings)
    log.info("publish: views, full-text index and readers' copy refreshed; %s", counts)
    return {"counts": counts, "rebuilt": reasons}


def rebuild(con: duckdb.DuckDBPyConnection, settings: Settings) -> None:
    """Views, full-text index and ``publish_state`` in one transaction, then a checkpoint for the copy."""
    apply_sql(con, settings.sql_dir / "schema.sql")
    load_fts(con)
    try:
        con.execute("BEGIN TRANSACTION")
        apply_sql(con, settings.sql_dir / "views.sql")
        if con.execute("SELECT count(*) FROM articles").fetchone()[0]:
            con.execute("PRAGMA create_fts_index('articles', 'article_id', 'title', 'body', overwrite = 1)")
        con.execute("DELETE FROM publish_state")
        con.execute("INSERT INTO publish_state SELECT count(*), $sha, current_timestamp FROM run_log", {"sha": sql_fingerprint(settings)})
        con.execute("COMMIT")
    except BaseException:
        try:
            con.execute("ROLLBACK")
        except duckdb.Error:
            pass  # the transaction never started or is already gone
        raise
    con.execute("CHECKPOINT")


MAX_LISTED_FILES = 20


def run_summary(settings: Settings, run_id: str) -> dict:
    """What one run did, for the warehouse asset's event (shown in the Airflow UI without opening logs).

    Returns:
        ``{"run_id", "warehouse", "committed", "files", "loaded", "duplicates", "quarantined",
        "articles", "batches": {batch: {status: files}}, "quarantined_files": [{"path", "reason"}],
        "nothing_new": bool}``; at most :data:`MAX_LISTED_FILES` quarantined files are listed.
    """
    summary = {"run_id": run_id, "warehouse": str(settings.db_path), "committed": False, "nothing_new": True}
    if not settings.db_path.exists():
        return summary
    with connect_read_only(settings.db_path, settings.lock_wait_seconds) as con:
        if not has_table(con, "run_log"):
            return summary
        row = con.execute(
            "SELECT files, loaded, duplicates, quarantined, articles FROM run_log WHERE run_id = ?", [run_id]
        ).fetchone()
        batches: dict[str, dict[str, int]] = {}
        for batch, status, files in con.execute(
            "SELECT coalesce(batch_id, ''), status, count(*) FROM ingest_log WHERE run_id = ? GROUP BY ALL ORDER BY ALL", [run_id]
        ).fetchall():
            batches.setdefault(batch, {})[status] = files
        quarantined = con.execute(
            "SELECT path, reason FROM ingest_log WHERE run_id = ? AND status = 'quarantined' ORDER BY path LIMIT ?",
            [run_id, MAX_LISTED_FILES],
        ).fetchall()
    if row is not None:
        summary.update(zip(["files", "loaded", "duplicates", "quarantined", "articles"], row), committed=True)
        summary["nothing_new"] = not row[0]
    summary["batches"] = batches
    summary["quarantined_files"] = [{"path": path, "reason": reason} for path, reason in quarantined]
    return summary
