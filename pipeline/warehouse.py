"""Load and publish: the only code that writes DuckDB.

``load`` applies the schema and, in one transaction, replaces the rows of every article of the run
and appends the run's ``ingest_log`` rows last. A run killed before ``COMMIT`` leaves the database
as it was. After the commit the validated Parquet moves into ``lake/<table>/batch_id=<id>/``.
``publish`` recreates the analyst views and the full-text index. In Airflow both run in the
one-slot ``duckdb_writer`` pool, so there is one writer at a time.
"""

from __future__ import annotations

import json
import logging
import shutil
import time
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from pipeline.config import Settings
from pipeline.discover import staging_dir_for
from pipeline.enrich import article_id_for
from pipeline.tables import ARTICLE_TABLES, TABLES

log = logging.getLogger(__name__)


def fts_extension_path() -> Path:
    """DuckDB's full-text-search extension, shipped in the ``duckdb-extension-fts`` wheel (no download)."""
    import duckdb_extension_fts

    root = Path(duckdb_extension_fts.__file__).parent / "extensions"
    found = sorted(root.glob(f"v{duckdb.__version__}/fts.duckdb_extension")) or sorted(root.glob("*/fts.duckdb_extension"))
    if not found:
        raise FileNotFoundError(f"no fts extension in {root}; reinstall duckdb-extension-fts matching duckdb {duckdb.__version__}")
    return found[0]


def load_fts(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"LOAD '{fts_extension_path()}'")


def connect_writer(db_path: Path, wait_seconds: float = 120.0) -> duckdb.DuckDBPyConnection:
    """Open the warehouse read-write, waiting while another process (a CLI run, say) holds it."""
    db_path.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            return duckdb.connect(str(db_path))
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower() or time.monotonic() > deadline:
                raise RuntimeError(
                    f"cannot open {db_path} for writing: {exc}. Another process holds it; "
                    "wait for it to finish (see `python -m pipeline status`) and run again"
                ) from exc
            log.info("warehouse %s is busy, waiting for the other writer", db_path)
            time.sleep(2)


def connect_reader(db_path: Path) -> duckdb.DuckDBPyConnection:
    """Read-only connection for analysts' queries, with full-text search loaded."""
    if not db_path.exists():
        raise FileNotFoundError(f"no warehouse at {db_path}; run `make run` or `python -m pipeline run` first")
    con = duckdb.connect(str(db_path), read_only=True)
    load_fts(con)
    return con


def apply_sql(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    con.execute(path.read_text(encoding="utf-8"))


def _staged_files(staging_dir: Path, table: str) -> list[str]:
    return [str(p) for p in sorted((staging_dir / table).glob("*.parquet"))]


def load(settings: Settings, run_id: str) -> dict:
    """Load a validated run into DuckDB in one transaction, then move its Parquet into the lake.

    Args:
        settings: warehouse folders and the SQL folder.
        run_id: the run whose staged (and validated) tables to load.

    Returns:
        ``{"rows": {table: inserted rows}, "articles_replaced": n}``.
    """
    staging = staging_dir_for(settings, run_id)
    ingest_files = _staged_files(staging, "ingest_log")
    if not ingest_files:
        log.info("load: nothing staged for run %s", run_id)
        return {"rows": {}, "articles_replaced": 0}
    paths = pq.read_table(ingest_files, columns=["path"]).column("path").to_pylist()
    # Every file re-processed in this run replaces what its earlier version left, even if it is now quarantined.
    article_ids = [article_id_for(p) for p in paths]
    rows: dict[str, int] = {}
    con = connect_writer(settings.db_path)
    try:
        con.execute("BEGIN TRANSACTION")
        apply_sql(con, settings.sql_dir / "schema.sql")
        replaced = con.execute(
            "SELECT count(*) FROM articles WHERE article_id IN (SELECT unnest($ids))", {"ids": article_ids}
        ).fetchone()[0]
        for table in ARTICLE_TABLES:
            con.execute(f"DELETE FROM {table} WHERE article_id IN (SELECT unnest($ids))", {"ids": article_ids})
        for table in (*ARTICLE_TABLES, "ingest_log"):  # ingest_log last: a file counts as seen only once loaded
            files = _staged_files(staging, table)
            if not files:
                continue
            before = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM read_parquet($files)", {"files": files})
            rows[table] = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] - before
        con.execute("COMMIT")
    except BaseException:
        try:
            con.execute("ROLLBACK")
        except duckdb.Error:
            pass  # the transaction never started or is already gone; nothing was committed
        raise
    finally:
        con.close()
    _keep_quarantined(staging, settings)
    _to_lake(staging, settings)
    shutil.rmtree(staging, ignore_errors=True)
    log.info("load: run %s committed %s; %d earlier article versions replaced", run_id, rows, replaced)
    return {"rows": rows, "articles_replaced": replaced}


def _to_lake(staging: Path, settings: Settings) -> None:
    """Move each shard's Parquet to ``lake/<table>/batch_id=<batch>/<run>-<shard>.parquet``."""
    run_key = staging.name
    for shard_file in sorted((staging / "shards").glob("*.json")):
        batch_id = json.loads(shard_file.read_text())["batch_id"]
        for table in TABLES:
            source = staging / table / f"{shard_file.stem}.parquet"
            if source.exists():
                target = settings.lake_dir / table / f"batch_id={batch_id}" / f"{run_key}-{shard_file.stem}.parquet"
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(source, target)


def _keep_quarantined(staging: Path, settings: Settings) -> None:
    """Copy quarantined files, with their reasons, to ``quarantine/<run>/`` for the analyst to inspect."""
    table = pq.read_table(_staged_files(staging, "ingest_log"), columns=["path", "status", "reason"]).to_pylist()
    quarantined = [r for r in table if r["status"] == "quarantined"]
    if not quarantined:
        return
    target_root = settings.quarantine_dir / staging.name
    target_root.mkdir(parents=True, exist_ok=True)
    for r in quarantined:
        source = settings.seeds_dir / r["path"]
        target = target_root / r["path"]
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_file() and not source.is_symlink():
            shutil.copy2(source, target)
    (target_root / "reasons.json").write_text(json.dumps(quarantined, indent=2, ensure_ascii=False), encoding="utf-8")


def publish(settings: Settings) -> dict:
    """Recreate the analyst views and the full-text index over ``articles``.

    Returns:
        Row counts of every warehouse table, for the run summary.
    """
    con = connect_writer(settings.db_path)
    try:
        apply_sql(con, settings.sql_dir / "schema.sql")
        apply_sql(con, settings.sql_dir / "views.sql")
        load_fts(con)
        if con.execute("SELECT count(*) FROM articles").fetchone()[0]:
            con.execute("PRAGMA create_fts_index('articles', 'article_id', 'title', 'body', overwrite = 1)")
        counts = table_counts(con)
    finally:
        con.close()
    log.info("publish: views and full-text index refreshed; %s", counts)
    return counts


def table_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
