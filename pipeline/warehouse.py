"""Load and publish: the only code that writes DuckDB.

``load`` applies the schema and, in one transaction, replaces the rows of every article of the run
and appends the run's ``ingest_log`` rows last. A run killed before ``COMMIT`` leaves the database
as it was. After the commit the validated Parquet moves into ``lake/<table>/batch_id=<id>/`` (a
run stopped between the two is finished when the next run starts).
``publish`` recreates the analyst views and the full-text index. In Airflow both run in the
one-slot ``duckdb_writer`` pool, so there is one writer at a time.
"""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.config import Settings
from pipeline.db import connect_read_only, connect_reader, connect_writer, has_table, load_fts
from pipeline.discover import staging_dir_for
from pipeline.tables import ARTICLE_TABLES, TABLES

log = logging.getLogger(__name__)


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
    article_files = _staged_files(staging, "articles")
    staged_ids = pq.read_table(article_files, columns=["article_id"]).column("article_id").to_pylist() if article_files else []
    rows: dict[str, int] = {}
    con = connect_writer(settings.db_path)
    try:
        con.execute("BEGIN TRANSACTION")
        apply_sql(con, settings.sql_dir / "schema.sql")
        # Every file re-processed in this run replaces all its earlier articles (a JSON-lines file
        # holds several), even if it is now quarantined or a duplicate.
        replaced_ids = [
            r[0]
            for r in con.execute(
                "SELECT article_id FROM articles WHERE split_part(source_path, '#', 1) IN (SELECT unnest($paths))",
                {"paths": paths},
            ).fetchall()
        ]
        replaced = len(replaced_ids)
        ids = sorted(set(replaced_ids) | set(staged_ids))
        for table in ARTICLE_TABLES:
            con.execute(f"DELETE FROM {table} WHERE article_id IN (SELECT unnest($ids))", {"ids": ids})
        for table in (*ARTICLE_TABLES, "ingest_log"):  # ingest_log last: a file counts as seen only once loaded
            files = _staged_files(staging, table)
            if not files:
                continue
            before = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM read_parquet($files)", {"files": files})
            rows[table] = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] - before
        rebuild_entities(con, settings)
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


def rebuild_entities(con: duckdb.DuckDBPyConnection, settings: Settings) -> int:
    """Recreate ``entities`` from every mention and the reference lists (inside the load transaction)."""

    from pipeline.entities import iso_code_for, load_reference
    from pipeline.nlp import REFERENCE_DIR

    reference = load_reference(str(settings.reference_dir or REFERENCE_DIR))
    aliases: dict[str, set[str]] = {}
    for alias, entity_id in reference.aliases:
        aliases.setdefault(entity_id, set()).add(alias)
    rows = con.execute(
        "SELECT entity_id, mode(label), mode(regexp_replace(text, '[’'']s?$', '')), list(DISTINCT text), "
        "count(*), count(DISTINCT article_id) FROM entity_mentions GROUP BY entity_id"
    ).fetchall()
    records = []
    for entity_id, label, name, texts, mentions, articles in rows:
        known = reference.entities.get(entity_id)
        canonical = known["canonical_name"] if known else name
        label = known["label"] if known else label
        records.append(
            {
                "entity_id": entity_id,
                "canonical_name": canonical,
                "label": label,
                "iso_code": iso_code_for(canonical, label, known["iso_code"] if known else None),
                "aliases": sorted(set(texts) | aliases.get(entity_id, set())),
                "mentions": mentions,
                "articles": articles,
            }
        )
    table = pa.Table.from_pylist(
        records,
        schema=pa.schema([("entity_id", pa.string()), ("canonical_name", pa.string()), ("label", pa.string()),
                          ("iso_code", pa.string()), ("aliases", pa.list_(pa.string())), ("mentions", pa.int64()), ("articles", pa.int64())]),
    )
    con.execute("DELETE FROM entities")
    con.register("new_entities", table)
    con.execute("INSERT INTO entities BY NAME SELECT * FROM new_entities")
    con.unregister("new_entities")
    return len(records)


def finish_committed_runs(settings: Settings, skip: Path | None = None) -> list[str]:
    """Finish earlier runs that stopped between their commit and the move of their Parquet into the lake.

    A run whose ``ingest_log`` rows are in DuckDB is committed; if its staging folder is still
    there, the process stopped (killed, machine down) before it copied its quarantined files and
    moved its Parquet into ``lake/``. Those steps are done now. Staging folders of runs that never
    committed (failed validation, killed earlier, still running) are left as they are.

    Returns:
        The staging folders finished.
    """
    if not settings.staging_dir.is_dir() or not settings.db_path.exists():
        return []
    finished = []
    for staging in sorted(p for p in settings.staging_dir.iterdir() if p.is_dir() and p != skip):
        ingest_files = _staged_files(staging, "ingest_log")
        if not ingest_files:
            continue
        try:
            run_ids = sorted(set(pq.read_table(ingest_files, columns=["run_id"]).column("run_id").to_pylist()))
        except (OSError, pa.ArrowException) as exc:  # a run killed while it wrote its Parquet
            log.info("discover: %s holds no finished run (%s); left as it is", staging, exc)
            continue
        with connect_read_only(settings.db_path) as con:
            committed = has_table(con, "ingest_log") and con.execute(
                "SELECT count(*) FROM ingest_log WHERE run_id IN (SELECT unnest($ids))", {"ids": run_ids}
            ).fetchone()[0] > 0
        if not committed:
            continue
        log.warning(
            "discover: run %s was committed but stopped before moving its Parquet into %s; finishing that now",
            ", ".join(run_ids), settings.lake_dir,
        )
        try:
            _keep_quarantined(staging, settings)
            _to_lake(staging, settings)
        except OSError as exc:  # e.g. another process moved some files first; the data are in DuckDB
            log.warning("discover: could not finish %s (%s); the next run tries again", staging, exc)
            continue
        shutil.rmtree(staging, ignore_errors=True)
        finished.append(staging.name)
    return finished


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
    return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in (*TABLES, "entities")}
