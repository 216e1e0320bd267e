"""Load: the only stage that inserts into DuckDB, under the run lock and in the one-slot writer pool.

First it finishes what a crashed earlier run left (a commit whose Parquet never reached the lake;
:mod:`pipeline.store.lake`). Then it builds the rows of this run, the staged tables with
deduplicate's and validate's decisions applied, writes them as Parquet under ``final/``, and in
one transaction replaces the rows of every article of the run, rebuilds ``entities`` and records
the run in ``run_log``. After the commit the final Parquet moves into the lake, which therefore
holds exactly what DuckDB holds. A run killed before ``COMMIT`` leaves the database as it was; one
killed after it is finished by the next run. Files another run loaded while this one was working
are left to that run.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime
from pathlib import Path

import duckdb
import pyarrow as pa

from pipeline.config import REFERENCE_DIR, Settings
from pipeline.store import lake
from pipeline.store.db import apply_sql, writing
from pipeline.store.entity_links import link_run, unify_labels
from pipeline.store.fs import location, read_json, read_table
from pipeline.store.lock import run_lock
from pipeline.store.staging import Decisions, RunPaths, apply_decisions, file_of, read_shard, write_atomically
from pipeline.store.stories import StoryUpdate, place_run, with_story_ids
from pipeline.store.stories import apply as apply_stories
from pipeline.store.tables import ARTICLE_TABLES, ENTITIES_SCHEMA, SCHEMAS, TABLES, as_loaded

log = logging.getLogger(__name__)

NOTHING = {"rows": {}, "articles_replaced": 0, "superseded": 0, "finished_runs": []}


def load(settings: Settings, validation: dict | None, run_id: str, *, hold_lock: bool = True, dry_run: bool = False) -> dict:
    """Load a validated run into DuckDB in one transaction, then move its Parquet into the lake.

    Args:
        settings: warehouse folders and the SQL folder.
        validation: what validate returned (staged paths and decision files), or ``None`` when
            the run had nothing new (then only the repairs run).
        run_id: the run being loaded.
        hold_lock: take the run lock (the command-line run already holds it).
        dry_run: load nothing; drop the run's staging and free its files (see :func:`skip_load`).

    Returns:
        ``{"rows": {table: inserted rows}, "articles_replaced": n, "superseded": n, "finished_runs": [...]}``.

    Raises:
        DiskFull: naming the warehouse folder; the transaction is rolled back.
    """
    if dry_run:
        return skip_load(settings, validation, run_id)
    if not hold_lock:
        return _load(settings, validation, run_id)
    with run_lock(settings.warehouse_dir, f"load of run {run_id}", wait_seconds=settings.task_timeout_minutes * 60):
        return _load(settings, validation, run_id)


def skip_load(settings: Settings, validation: dict | None, run_id: str) -> dict:
    """A dry run stops after validation: nothing is loaded, the run's staging folder is dropped and its files freed.

    Returns:
        ``{"dry_run": True, "rows": {table: rows that would load}, "rejected": n, "report": path}``.
    """
    from pipeline.discover import release_run, staging_dir_for
    from pipeline.store.fs import remove_tree

    validation = validation or {}
    staging = staging_dir_for(settings, run_id)
    release_run(settings, run_id)
    if staging.exists():
        remove_tree(staging)
    rows = validation.get("rows") or {}
    log.info(
        "load: dry run, nothing loaded: %d articles would load, %d rejected; report %s",
        rows.get("articles", 0), validation.get("rejected", 0), validation.get("report"),
    )
    return {"dry_run": True, "rows": rows, "rejected": validation.get("rejected", 0), "report": validation.get("report")}


def _load(settings: Settings, validation: dict | None, run_id: str) -> dict:
    shards = (validation or {}).get("shards") or []
    run = RunPaths.of_shard(shards[0]["shard"]) if shards else None
    if not shards and not (settings.db_path.exists() and lake.unfinished_runs(settings)):
        log.info("load: nothing new to load and nothing left unfinished by an earlier run")
        return dict(NOTHING)
    with writing(settings.db_path, settings.lock_wait_seconds, "load") as con:
        apply_sql(con, settings.sql_dir / "schema.sql")
        finished = finish_committed_runs(con, settings, skip=run.root if run else None)
        result = _load_run(con, settings, run, validation, run_id) if run else dict(NOTHING)
    return {**result, "finished_runs": finished}


def _load_run(con: duckdb.DuckDBPyConnection, settings: Settings, run: RunPaths, validation: dict, run_id: str) -> dict:
    shards = validation["shards"]
    decisions = Decisions.read(validation.get("duplicates_file"), validation.get("rejections_file"))
    decisions.superseded = _superseded(con, shards, run_id)
    final = write_final(run, shards, decisions)
    update = place_stories(con, final)
    known = known_entity_ids(settings)
    link_run(con, final, update.story_of, known)
    unify_labels(con, final, update.story_of, known)
    rows, replaced = _commit(con, settings, run_id, final, update, validation.get("results_file"))
    lake.finish(run, settings)
    log.info("load: run %s committed %s; %d earlier article versions replaced", run_id, rows, replaced)
    return {"rows": rows, "articles_replaced": replaced, "superseded": len(decisions.superseded)}


def _discovered_at(shards: list[dict]) -> datetime:
    return min(datetime.fromisoformat(read_json(s["shard"])["discovered_at"]) for s in shards)


def _superseded(con: duckdb.DuckDBPyConnection, shards: list[dict], run_id: str) -> set[str]:
    """Files of this run that another run loaded after this one discovered them: left to that run.

    Two runs that took the same file (a command-line run beside an Airflow run whose claim had
    expired) would otherwise both load it. The later commit of the same path wins nothing: the
    path is already recorded, so this run leaves it out.
    """
    discovered_at = _discovered_at(shards)
    paths = read_table([s["staged"]["ingest_log"] for s in shards], columns=["path"]).column("path").to_pylist()
    rows = con.execute(
        "SELECT DISTINCT path, run_id FROM ingest_log WHERE path IN (SELECT unnest($paths)) AND logged_at > $since AND run_id <> $run",
        {"paths": paths, "since": discovered_at, "run": run_id},
    ).fetchall()
    for path, other in rows:
        log.warning("load: %s was loaded by run %s while this run was working; it is left to that run", path, other)
    return {path for path, _ in rows}


def write_final(run: RunPaths, shards: list[dict], decisions: Decisions) -> dict[str, list[str]]:
    """Write each shard's rows as they are loaded to ``final/``; returns the files by table.

    One shard at a time (memory follows the shard, not the run); the ``ingest_log`` rows, one per
    file, are kept until the end, where the parts of a file read in parts become its one row.
    """
    final: dict[str, list[str]] = {t: [] for t in TABLES}
    ingest: list[tuple[str, list[dict]]] = []
    articles_per_file: dict[str, int] = {}
    for result in shards:
        stem = location(result["shard"]).stem
        tables = apply_decisions(read_shard(result["staged"]), decisions)
        for table in ARTICLE_TABLES:
            final[table].append(str(write_atomically(as_loaded(table, tables[table]), run.final(table, stem))))
        for source_path in tables["articles"].column("source_path").to_pylist():
            articles_per_file[file_of(source_path)] = articles_per_file.get(file_of(source_path), 0) + 1
        ingest.append((stem, tables["ingest_log"].to_pylist()))
    for stem, rows in merge_parts(ingest, articles_per_file):
        data = as_loaded("ingest_log", pa.Table.from_pylist(rows, schema=SCHEMAS["ingest_log"]))
        final["ingest_log"].append(str(write_atomically(data, run.final("ingest_log", stem))))
    return final


def merge_parts(ingest: list[tuple[str, list[dict]]], articles_per_file: dict[str, int]) -> list[tuple[str, list[dict]]]:
    """One ``ingest_log`` row per file: the rows of a file read in parts merged into the first part's shard.

    The merged row is loaded when any part loaded an article (``1,200 articles loaded, read in 4
    parts; skipped line 17: …``), else it keeps the first part's status and every part's reason.
    """
    parts: dict[str, list[dict]] = {}
    for _, rows in ingest:
        for row in rows:
            if row.get("part"):
                parts.setdefault(row["path"], []).append(row)
    merged = {path: _merged(rows, articles_per_file.get(path, 0)) for path, rows in parts.items()}
    out = []
    for stem, rows in ingest:
        kept = [row for row in rows if not row.get("part")]
        kept += [merged.pop(row["path"]) for row in rows if row.get("part") and row["path"] in merged]
        out.append((stem, kept))
    return out


def _merged(rows: list[dict], articles: int) -> dict:
    rows = sorted(rows, key=lambda r: int(r["part"].split()[-1].split("-")[0]))
    notes = [note for r in rows for note in (r["reason"] or "").split("; ") if note and not note.endswith("articles loaded")]
    row = {**rows[0], "part": None}
    if any(r["status"] == "loaded" for r in rows):
        row.update(status="loaded", reason="; ".join([f"{articles} articles loaded, read in {len(rows)} parts", *notes]))
    else:
        row["reason"] = "; ".join(f"{r['part']}: {r['reason']}" for r in rows)
    return row


def _replaced_ids(con: duckdb.DuckDBPyConnection, final: dict[str, list[str]]) -> list[str]:
    """Every file re-processed in this run replaces all its earlier articles (a JSON-lines file
    holds several), even if it is now quarantined or a duplicate."""
    paths = read_table(final["ingest_log"], columns=["path"]).column("path").to_pylist()
    return [r[0] for r in con.execute(
        "SELECT article_id FROM articles WHERE split_part(source_path, '#', 1) IN (SELECT unnest($paths))", {"paths": paths}
    ).fetchall()]


def place_stories(con: duckdb.DuckDBPyConnection, final: dict[str, list[str]]) -> StoryUpdate:
    """Place the run's articles in stories and write their story ids into the final Parquet (before the commit)."""
    update = place_run(con, final["articles"], _replaced_ids(con, final))
    for path in final["articles"]:
        write_atomically(with_story_ids(read_table(path), update.story_of), location(path))
    return update


def _commit(con: duckdb.DuckDBPyConnection, settings: Settings, run_id: str, final: dict[str, list[str]],
            update: StoryUpdate, results_file: str | None = None) -> tuple[dict[str, int], int]:
    ingest = read_table(final["ingest_log"], columns=["path", "status"])
    staged_ids = read_table(final["articles"], columns=["article_id"]).column("article_id").to_pylist()
    rows: dict[str, int] = {}
    try:
        con.execute("BEGIN TRANSACTION")
        replaced_ids = _replaced_ids(con, final)
        ids = sorted(set(replaced_ids) | set(staged_ids))
        for table in ARTICLE_TABLES:
            con.execute(f"DELETE FROM {table} WHERE article_id IN (SELECT unnest($ids))", {"ids": ids})
        for table in TABLES:
            rows[table] = sum(_insert(con, table, path) for path in final[table])
        _log_run(con, run_id, ingest.column("status").to_pylist(), rows)
        _log_validation(con, run_id, results_file)
        rebuild_entities(con, settings)
        apply_stories(con, update)
        con.execute("COMMIT")
    except BaseException:
        try:
            con.execute("ROLLBACK")
        except duckdb.Error:
            pass  # the transaction never started or is already gone; nothing was committed
        raise
    return rows, len(replaced_ids)


def _insert(con: duckdb.DuckDBPyConnection, table: str, path: str) -> int:
    """Insert one final Parquet file (read through its file system, local or not) into its table."""
    data = read_table(path)
    con.register("final_rows", data)
    try:
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM final_rows")
    finally:
        con.unregister("final_rows")
    return data.num_rows


def _log_validation(con: duckdb.DuckDBPyConnection, run_id: str, results_file: str | None) -> None:
    """The run's ``validation_results`` rows, from the file validate staged (inside the transaction)."""
    results = read_json(results_file) if results_file else []
    if results:
        con.register("results_rows", pa.Table.from_pylist([{"run_id": run_id, **r} for r in results]))
        try:
            con.execute("DELETE FROM validation_results WHERE run_id = ?", [run_id])
            con.execute("INSERT INTO validation_results BY NAME SELECT * FROM results_rows")
        finally:
            con.unregister("results_rows")


def _log_run(con: duckdb.DuckDBPyConnection, run_id: str, statuses_of_files: list[str], rows: dict[str, int]) -> None:
    """The run's ``run_log`` row: files by status and rows inserted per table (inside the transaction)."""
    statuses = {status: statuses_of_files.count(status) for status in set(statuses_of_files)}
    con.execute(
        "INSERT INTO run_log (run_id, files, loaded, duplicates, quarantined, ignored, articles, row_counts) "
        "VALUES ($run, $files, $loaded, $dup, $quar, $ign, $articles, $counts)",
        {"run": run_id, "files": sum(statuses.values()), "loaded": statuses.get("loaded", 0), "dup": statuses.get("duplicate", 0),
         "quar": statuses.get("quarantined", 0), "ign": statuses.get("ignored", 0), "articles": rows.get("articles", 0),
         "counts": json.dumps(rows)},
    )


def known_entity_ids(settings: Settings) -> set[str]:
    """The gazetteer's entity ids: names it knows are never re-linked across articles."""
    from pipeline.nlp.names import load_reference

    return set(load_reference(str(settings.reference_dir or REFERENCE_DIR)).entities)


def rebuild_entities(con: duckdb.DuckDBPyConnection, settings: Settings) -> int:
    """Recreate ``entities`` from every mention and the reference lists (inside the load transaction)."""
    from pipeline.nlp.entities import entity_records
    from pipeline.nlp.names import load_reference

    mentions = con.execute(
        "SELECT m.entity_id, mode(m.label), mode(regexp_replace(m.text, '[’'']s?$', '')), list(DISTINCT m.text), "
        "count(*), count(DISTINCT m.article_id), count(DISTINCT a.story_id) "
        "FROM entity_mentions m LEFT JOIN articles a USING (article_id) GROUP BY m.entity_id"
    ).fetchall()
    records = entity_records(mentions, load_reference(str(settings.reference_dir or REFERENCE_DIR)))
    con.execute("DELETE FROM entities")
    con.register("new_entities", pa.Table.from_pylist(records, schema=ENTITIES_SCHEMA))
    con.execute("INSERT INTO entities BY NAME SELECT * FROM new_entities")
    con.unregister("new_entities")
    return len(records)


def finish_committed_runs(con: duckdb.DuckDBPyConnection, settings: Settings, skip: Path | None = None) -> list[str]:
    """Finish earlier runs that stopped between their commit and the move of their Parquet into the lake.

    A run recorded in ``run_log`` is committed; if its staging folder still holds final Parquet,
    the process stopped (killed, disk full, machine down) before it copied its quarantined files
    and moved its Parquet into ``lake/``. Those steps are done now, by the writer (``con`` is
    held, so no other run is between its commit and its lake move). Staging folders of runs that
    never committed (failed, killed earlier, still running) are left as they are.

    Returns:
        The staging folders finished.
    """
    committed = {r[0] for r in con.execute("SELECT run_id FROM run_log").fetchall()}
    finished = []
    for run in lake.unfinished_runs(settings, skip):
        run_id = lake.run_id_of(run)
        if run_id not in committed:
            continue
        log.warning("load: run %s was committed but stopped before moving its Parquet into %s; finishing that now", run_id, settings.lake_dir)
        if lake.finish(run, settings):
            finished.append(run.root.name)
    return finished
