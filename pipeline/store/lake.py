"""The lake: the Parquet of every committed run, and the copies of quarantined files.

After a run's commit its final Parquet (the rows DuckDB holds) moves from
``staging/<run>/final/`` to ``lake/<table>/batch_id=<batch>/<run>-<shard>.parquet``, and the files
it quarantined are copied, with ``reasons.json``, to ``quarantine/<run>/``. A run stopped between
its commit and those moves is finished by the next load (:func:`unfinished_runs`). Staging and the
lake may be on other file systems (URLs); the quarantine copies stay on the writer's disk, next to
the warehouse, and are made only where the writer can read ``seeds/``.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from pathlib import Path

from upath import UPath

from pipeline.config import Settings
from pipeline.errors import is_disk_full
from pipeline.store.fs import move, read_json, read_table, remove_tree
from pipeline.store.staging import RunPaths
from pipeline.store.tables import TABLES

log = logging.getLogger(__name__)

MAX_COPY_PATH_BYTES = 4000  # a quarantined file whose copy path would be longer is not copied (its reason is kept)


def run_id_of(run: RunPaths) -> str | None:
    """The run id a staging folder belongs to (from its first shard file)."""
    first = next(iter(run.shard_files()), None)
    return read_json(first).get("run_id") if first else None


def unfinished_runs(settings: Settings, skip: UPath | None = None) -> list[RunPaths]:
    """Staging folders holding final Parquet: runs that reached their commit (or were about to)."""
    if not settings.staging_dir.exists():
        return []
    runs = [RunPaths(p) for p in sorted(settings.staging_dir.iterdir()) if p.is_dir() and p != skip]
    return [run for run in runs if run.has_final]


def finish(run: RunPaths, settings: Settings) -> bool:
    """Copy the run's quarantined files aside, move its final Parquet into the lake, drop its staging folder.

    Returns:
        False if it could not be finished now (the next run tries again).
    """
    try:
        keep_quarantined(run, settings)
        to_lake(run, settings)
    except OSError as exc:
        log.warning("the run in %s is committed but could not be finished (%s); the next run finishes it", run.root, exc)
        return False
    remove_tree(run.root)
    return True


def to_lake(run: RunPaths, settings: Settings) -> None:
    """Move each shard's final Parquet to ``lake/<table>/batch_id=<batch>/<run>-<shard>.parquet``."""
    for shard_file in run.shard_files():
        batch_id = read_json(shard_file)["batch_id"]
        for table in TABLES:
            source = run.final(table, shard_file.stem)
            if source.exists():
                move(source, settings.lake_dir / table / f"batch_id={batch_id}" / f"{run.root.name}-{shard_file.stem}.parquet")


def _shard_entries(run: RunPaths) -> dict[str, dict]:
    return {e["path"]: e for f in run.shard_files() for e in read_json(f).get("files", [])}


def keep_quarantined(run: RunPaths, settings: Settings) -> None:
    """Copy quarantined files, with their reasons, to ``quarantine/<run>/`` for the analyst to inspect.

    Only regular files are copied (never a link, a FIFO or a file outside ``seeds/``); the reasons
    of every quarantined path go to ``reasons.json``.
    """
    files = run.final_files("ingest_log")
    quarantined = [r for r in read_table(files, columns=["path", "status", "reason"]).to_pylist() if r["status"] == "quarantined"] if files else []
    if not quarantined:
        return
    entries = _shard_entries(run)
    target_root = settings.quarantine_dir / run.root.name
    target_root.mkdir(parents=True, exist_ok=True)
    for row in quarantined:
        entry = entries.get(row["path"], {})
        if entry.get("kind") in ("file", "manifest"):
            _copy_aside(settings.seeds_dir / entry.get("fs_path", row["path"]), target_root / row["path"].rstrip("/"))
    (target_root / "reasons.json").write_text(json.dumps(quarantined, indent=2, ensure_ascii=False), encoding="utf-8")


def _copy_aside(source: Path, target: Path) -> None:
    if len(os.fsencode(str(target))) >= MAX_COPY_PATH_BYTES or not source.is_file() or source.is_symlink():
        return
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
    except OSError as exc:
        if is_disk_full(exc):
            raise
        log.warning("could not keep a copy of quarantined %s (%s)", source, exc)
