"""Load and publish: the only code that writes DuckDB, always under the run lock.

``load`` first finishes what a crashed earlier run left (a commit whose Parquet never reached the
lake). Then it builds the rows of this run, the staged tables with deduplicate's and validate's
decisions applied, writes them as Parquet under ``final/``, and in one transaction replaces the
rows of every article of the run and records the run in ``run_log``. After the commit the final
Parquet moves into ``lake/<table>/batch_id=<id>/``: the lake holds exactly what DuckDB holds. A
run killed before ``COMMIT`` leaves the database as it was; one killed after it is finished by the
next run. Files another run loaded while this one was working are left to that run.

``publish`` makes what analysts read match the last committed load: the views, the full-text
index and the readers' copy ``news-readonly.duckdb``. Every run checks them, and rebuilds them
when they do not match (a run killed after its commit, a disk that filled during publish), so a
crash is repaired by the next run even when it has nothing new to load.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
from datetime import datetime
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.config import REFERENCE_DIR, Settings
from pipeline.db import connect_read_only, connect_writer, has_table, load_fts
from pipeline.errors import disk_full, is_disk_full
from pipeline.lock import run_lock
from pipeline.staging import Decisions, RunPaths, apply_decisions, read_shard, write_atomically
from pipeline.tables import ARTICLE_TABLES, TABLES

log = logging.getLogger(__name__)

FTS_SCHEMA = "fts_main_articles"


def apply_sql(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    con.execute(path.read_text(encoding="utf-8"))


def _shard(result: dict) -> dict:
    return json.loads(Path(result["shard"]).read_text())


def load(settings: Settings, validation: dict | None, run_id: str, *, hold_lock: bool = True) -> dict:
    """Load a validated run into DuckDB in one transaction, then move its Parquet into the lake.

    Args:
        settings: warehouse folders and the SQL folder.
        validation: what validate returned (staged paths and decision files), or ``None`` when
            the run had nothing new (then only the repairs run).
        run_id: the run being loaded.
        hold_lock: take the run lock (the command-line run already holds it).

    Returns:
        ``{"rows": {table: inserted rows}, "articles_replaced": n, "superseded": n, "finished_runs": [...]}``.
    """
    if not hold_lock:
        return _load(settings, validation, run_id)
    with run_lock(settings.warehouse_dir, f"load of run {run_id}", wait_seconds=settings.task_timeout_minutes * 60):
        return _load(settings, validation, run_id)


def _load(settings: Settings, validation: dict | None, run_id: str) -> dict:
    shards = (validation or {}).get("shards") or []
    if not shards and not _unfinished(settings):
        log.info("load: nothing new to load and nothing left unfinished by an earlier run")
        return {"rows": {}, "articles_replaced": 0, "superseded": 0, "finished_runs": []}
    try:
        con = connect_writer(settings.db_path, settings.lock_wait_seconds)
    except duckdb.Error as exc:
        if is_disk_full(exc):
            raise disk_full(settings.warehouse_dir, "load") from exc
        raise
    try:
        apply_sql(con, settings.sql_dir / "schema.sql")
        finished = finish_committed_runs(con, settings, skip=RunPaths.of_shard(shards[0]["shard"]).root if shards else None)
        if not shards:
            return {"rows": {}, "articles_replaced": 0, "superseded": 0, "finished_runs": finished}
        run = RunPaths.of_shard(shards[0]["shard"])
        decisions = Decisions.read(validation.get("duplicates_file"), validation.get("rejections_file"))
        decisions.superseded = _superseded(con, shards, run_id)
        final = _write_final(run, shards, decisions)
        rows, replaced = _commit(con, settings, run_id, final)
        _after_commit(run, settings)
    except (OSError, duckdb.Error) as exc:
        if is_disk_full(exc):
            raise disk_full(settings.warehouse_dir, "load") from exc
        raise
    finally:
        con.close()
    log.info("load: run %s committed %s; %d earlier article versions replaced", run_id, rows, replaced)
    return {"rows": rows, "articles_replaced": replaced, "superseded": len(decisions.superseded), "finished_runs": finished}


def _unfinished(settings: Settings) -> bool:
    """True if a staging folder holds final Parquet: a run that may have committed without finishing."""
    return settings.db_path.exists() and settings.staging_dir.is_dir() and any(
        (p / "final").is_dir() for p in settings.staging_dir.iterdir()
    )


def _superseded(con: duckdb.DuckDBPyConnection, shards: list[dict], run_id: str) -> set[str]:
    """Files of this run that another run loaded after this one discovered them: left to that run.

    Two runs that took the same file (a command-line run beside an Airflow run whose claim had
    expired) would otherwise both load it. The later commit of the same path wins nothing: the
    path is already recorded, so this run leaves it out.
    """
    discovered_at = min(datetime.fromisoformat(_shard(s)["discovered_at"]) for s in shards)
    paths = pq.read_table([s["staged"]["ingest_log"] for s in shards], columns=["path"]).column("path").to_pylist()
    rows = con.execute(
        "SELECT DISTINCT path, run_id FROM ingest_log WHERE path IN (SELECT unnest($paths)) AND logged_at > $since AND run_id <> $run",
        {"paths": paths, "since": discovered_at, "run": run_id},
    ).fetchall()
    for path, other in rows:
        log.warning("load: %s was loaded by run %s while this run was working; it is left to that run", path, other)
    return {path for path, _ in rows}


def _write_final(run: RunPaths, shards: list[dict], decisions: Decisions) -> dict[str, list[str]]:
    """Write each shard's rows as they are loaded to ``final/``; returns the files by table."""
    final: dict[str, list[str]] = {t: [] for t in TABLES}
    for result in shards:
        stem = Path(result["shard"]).stem
        for table, data in apply_decisions(read_shard(result["staged"]), decisions).items():
            final[table].append(str(write_atomically(data, run.final(table, stem))))
    return final


def _commit(con: duckdb.DuckDBPyConnection, settings: Settings, run_id: str, final: dict[str, list[str]]) -> tuple[dict[str, int], int]:
    paths = pq.read_table(final["ingest_log"], columns=["path"]).column("path").to_pylist()
    staged_ids = pq.read_table(final["articles"], columns=["article_id"]).column("article_id").to_pylist()
    rows: dict[str, int] = {}
    try:
        con.execute("BEGIN TRANSACTION")
        # Every file re-processed in this run replaces all its earlier articles (a JSON-lines file
        # holds several), even if it is now quarantined or a duplicate.
        replaced_ids = [r[0] for r in con.execute(
            "SELECT article_id FROM articles WHERE split_part(source_path, '#', 1) IN (SELECT unnest($paths))", {"paths": paths}
        ).fetchall()]
        ids = sorted(set(replaced_ids) | set(staged_ids))
        for table in ARTICLE_TABLES:
            con.execute(f"DELETE FROM {table} WHERE article_id IN (SELECT unnest($ids))", {"ids": ids})
        for table in TABLES:
            before = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM read_parquet($files)", {"files": final[table]})
            rows[table] = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] - before
        statuses = dict(con.execute(
            "SELECT status, count(*) FROM read_parquet($files) GROUP BY status", {"files": final["ingest_log"]}
        ).fetchall())
        con.execute(
            "INSERT INTO run_log (run_id, files, loaded, duplicates, quarantined, ignored, articles, row_counts) "
            "VALUES ($run, $files, $loaded, $dup, $quar, $ign, $articles, $counts)",
            {"run": run_id, "files": len(paths), "loaded": statuses.get("loaded", 0), "dup": statuses.get("duplicate", 0),
             "quar": statuses.get("quarantined", 0), "ign": statuses.get("ignored", 0), "articles": rows.get("articles", 0),
             "counts": json.dumps(rows)},
        )
        rebuild_entities(con, settings)
        con.execute("COMMIT")
    except BaseException:
        try:
            con.execute("ROLLBACK")
        except duckdb.Error:
            pass  # the transaction never started or is already gone; nothing was committed
        raise
    return rows, len(replaced_ids)


def _after_commit(run: RunPaths, settings: Settings) -> None:
    """Copy the quarantined files aside, move the final Parquet into the lake, drop the staging folder.

    A failure here (a full disk while copying) leaves the staging folder: the next run finishes it.
    """
    try:
        _keep_quarantined(run, settings)
        _to_lake(run, settings)
    except OSError as exc:
        log.warning("load: the run is committed but %s could not be finished (%s); the next run finishes it", run.root, exc)
        return
    shutil.rmtree(run.root, ignore_errors=True)


def rebuild_entities(con: duckdb.DuckDBPyConnection, settings: Settings) -> int:
    """Recreate ``entities`` from every mention and the reference lists (inside the load transaction)."""
    from pipeline.entities import iso_code_for, load_reference

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


def finish_committed_runs(con: duckdb.DuckDBPyConnection, settings: Settings, skip: Path | None = None) -> list[str]:
    """Finish earlier runs that stopped between their commit and the move of their Parquet into the lake.

    A run recorded in ``run_log`` is committed; if its staging folder is still there, the process
    stopped (killed, disk full, machine down) before it copied its quarantined files and moved
    its final Parquet into ``lake/``. Those steps are done now, by the writer (``con`` is held,
    so no other run is between its commit and its lake move). Staging folders of runs that never
    committed (failed, killed earlier, still running) are left as they are.

    Returns:
        The run keys finished.
    """
    if not settings.staging_dir.is_dir():
        return []
    committed = {r[0] for r in con.execute("SELECT run_id FROM run_log").fetchall()}
    finished = []
    for folder in sorted(p for p in settings.staging_dir.iterdir() if p.is_dir() and p != skip):
        run = RunPaths(folder)
        run_ids = {_read_json(f).get("run_id") for f in sorted(run.shards_dir.glob("*.json"))[:1]}
        if not (run_ids & committed) or not (folder / "final").is_dir():
            continue
        log.warning("load: run %s was committed but stopped before moving its Parquet into %s; finishing that now",
                    ", ".join(sorted(i for i in run_ids if i)), settings.lake_dir)
        try:
            _keep_quarantined(run, settings)
            _to_lake(run, settings)
        except OSError as exc:
            log.warning("load: could not finish %s (%s); the next run tries again", folder, exc)
            continue
        shutil.rmtree(folder, ignore_errors=True)
        finished.append(folder.name)
    return finished


def _read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return {}


def _to_lake(run: RunPaths, settings: Settings) -> None:
    """Move each shard's final Parquet to ``lake/<table>/batch_id=<batch>/<run>-<shard>.parquet``."""
    for shard_file in sorted(run.shards_dir.glob("*.json")):
        batch_id = _read_json(shard_file)["batch_id"]
        for table in TABLES:
            source = run.final(table, shard_file.stem)
            if source.exists():
                target = settings.lake_dir / table / f"batch_id={batch_id}" / f"{run.root.name}-{shard_file.stem}.parquet"
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(source, target)


def _keep_quarantined(run: RunPaths, settings: Settings) -> None:
    """Copy quarantined files, with their reasons, to ``quarantine/<run>/`` for the analyst to inspect."""
    files = sorted((run.root / "final" / "ingest_log").glob("*.parquet"))
    if not files:
        return
    quarantined = [r for r in pq.read_table(files, columns=["path", "status", "reason"]).to_pylist() if r["status"] == "quarantined"]
    if not quarantined:
        return
    fs_paths = {e["path"]: e.get("fs_path", e["path"]) for f in run.shards_dir.glob("*.json") for e in _read_json(f).get("files", [])}
    kinds = {e["path"]: e.get("kind") for f in run.shards_dir.glob("*.json") for e in _read_json(f).get("files", [])}
    target_root = settings.quarantine_dir / run.root.name
    target_root.mkdir(parents=True, exist_ok=True)
    for r in quarantined:
        source = settings.seeds_dir / fs_paths.get(r["path"], r["path"])
        target = target_root / r["path"].rstrip("/")
        if kinds.get(r["path"]) in ("file", "manifest") and len(os.fsencode(str(target))) < 4000:
            try:
                if source.is_file() and not source.is_symlink():
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(source, target)
            except OSError as exc:
                if is_disk_full(exc):
                    raise
                log.warning("load: could not keep a copy of quarantined %s (%s)", r["path"], exc)
    (target_root / "reasons.json").write_text(json.dumps(quarantined, indent=2, ensure_ascii=False), encoding="utf-8")


def _views(settings: Settings) -> list[str]:
    return re.findall(r"CREATE\s+OR\s+REPLACE\s+VIEW\s+(\w+)", (settings.sql_dir / "views.sql").read_text(encoding="utf-8"), re.I)


def _sql_fingerprint(settings: Settings) -> str:
    digest = hashlib.sha256()
    for name in ("schema.sql", "views.sql"):
        digest.update((settings.sql_dir / name).read_bytes())
    return digest.hexdigest()


def _published_state(con: duckdb.DuckDBPyConnection) -> tuple | None:
    if not has_table(con, "publish_state"):
        return None
    return con.execute("SELECT load_count, sql_sha256 FROM publish_state").fetchone()


def stale_reasons(con: duckdb.DuckDBPyConnection, settings: Settings) -> list[str]:
    """What of publish's work does not match the last committed load (empty when all is current)."""
    if not has_table(con, "run_log"):
        return []
    loads = con.execute("SELECT count(*) FROM run_log").fetchone()[0]
    reasons = []
    state = _published_state(con)
    if state is None or state[0] != loads:
        reasons.append("the last load is not published yet")
    if state is not None and state[1] != _sql_fingerprint(settings):
        reasons.append("the view definitions changed")
    present = {r[0] for r in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()}
    missing = [v for v in _views(settings) if v not in present]
    if missing:
        reasons.append(f"views missing: {', '.join(missing)}")
    has_articles = con.execute("SELECT count(*) FROM articles").fetchone()[0] > 0 if has_table(con, "articles") else False
    has_index = con.execute("SELECT count(*) FROM duckdb_schemas() WHERE schema_name = $s", {"s": FTS_SCHEMA}).fetchone()[0] > 0
    if has_articles and not has_index:
        reasons.append("the full-text index is missing")
    if not _reader_copy_current(settings, loads):
        reasons.append("the readers' copy is out of date")
    return reasons


def _reader_copy_current(settings: Settings, loads: int) -> bool:
    path = settings.reader_db_path
    if not path.exists():
        return False
    try:
        with duckdb.connect(str(path), read_only=True) as con:
            state = _published_state(con)
    except duckdb.Error:
        return False
    return state is not None and state[0] == loads and state[1] == _sql_fingerprint(settings)


def publish(settings: Settings, run_id: str, *, hold_lock: bool = True) -> dict:
    """Make the views, the full-text index and the readers' copy match the last committed load.

    Checks first and writes nothing when everything is current (a run with nothing new writes
    nothing); otherwise rebuilds all of it in one transaction and replaces the readers' copy.

    Returns:
        ``{"counts": {table: rows}, "rebuilt": [reasons]}``.

    Raises:
        DiskFull: naming the warehouse folder; nothing is half-written (the transaction rolls
        back, the readers' copy is replaced only once complete).
    """
    if not hold_lock:
        return _publish(settings, run_id)
    with run_lock(settings.warehouse_dir, f"publish of run {run_id}", wait_seconds=settings.task_timeout_minutes * 60):
        return _publish(settings, run_id)


def _publish(settings: Settings, run_id: str) -> dict:
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
    try:
        con = connect_writer(settings.db_path, settings.lock_wait_seconds)
        try:
            _rebuild(con, settings)
            counts = table_counts(con)
            _replace_reader_copy(con, settings)
        finally:
            con.close()
    except (OSError, duckdb.Error) as exc:
        if is_disk_full(exc):
            raise disk_full(settings.warehouse_dir, "publish") from exc
        raise
    log.info("publish: views, full-text index and readers' copy refreshed; %s", counts)
    return {"counts": counts, "rebuilt": reasons}


def _rebuild(con: duckdb.DuckDBPyConnection, settings: Settings) -> None:
    apply_sql(con, settings.sql_dir / "schema.sql")
    load_fts(con)
    try:
        con.execute("BEGIN TRANSACTION")
        apply_sql(con, settings.sql_dir / "views.sql")
        if con.execute("SELECT count(*) FROM articles").fetchone()[0]:
            con.execute("PRAGMA create_fts_index('articles', 'article_id', 'title', 'body', overwrite = 1)")
        con.execute("DELETE FROM publish_state")
        con.execute(
            "INSERT INTO publish_state SELECT count(*), $sha, current_timestamp FROM run_log", {"sha": _sql_fingerprint(settings)}
        )
        con.execute("COMMIT")
    except BaseException:
        try:
            con.execute("ROLLBACK")
        except duckdb.Error:
            pass
        raise
    con.execute("CHECKPOINT")


def _replace_reader_copy(con: duckdb.DuckDBPyConnection, settings: Settings) -> None:
    """Copy the checkpointed warehouse to ``news-readonly.duckdb`` (write, sync, rename: readers see old or new).

    ``con`` is held while copying, so no writer changes the file under the copy; readers that
    have the old copy open keep reading it until they reopen.
    """
    target = settings.reader_db_path
    tmp = target.with_name(f".{target.name}.tmp")
    try:
        shutil.copyfile(settings.db_path, tmp)
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o444)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def table_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in (*TABLES, "entities")}
