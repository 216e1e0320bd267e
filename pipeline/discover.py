"""Discover: find the files in the drop zone that the warehouse has not seen, and cut them into shards.

A file is skipped when ``ingest_log`` already holds its path with the same size and modification
time (no read at all) or, failing that, the same content hash. What is left is grouped by batch
(the first folder under ``seeds/``; loose files form the batch ``loose``) and written as shard
files under the run's staging folder. Only paths and counts leave this stage.
"""

from __future__ import annotations

import json
import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path

from pipeline.config import Settings
from pipeline.db import connect_read_only, has_table
from pipeline.formats import MANIFEST_NAME, read_manifest
from pipeline.ingest import sha256_bytes

log = logging.getLogger(__name__)

LOOSE_BATCH = "loose"
IGNORED_NAMES = {".DS_Store", "Thumbs.db", ".gitkeep"}


@dataclass(frozen=True)
class SeenFile:
    bytes: int
    mtime_ns: int | None
    content_sha256: str


def run_key(run_id: str) -> str:
    """A folder-safe name for an Airflow or CLI run id."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", run_id).strip("_") or "run"


def staging_dir_for(settings: Settings, run_id: str) -> Path:
    """The run's staging folder: every stage of a run finds it from the run id alone."""
    return settings.staging_dir / run_key(run_id)


def list_seed_files(seeds_dir: Path) -> list[Path]:
    """Every file under ``seeds_dir`` (hidden files and folders excluded), sorted, not followed through links."""
    if not seeds_dir.is_dir():
        raise FileNotFoundError(
            f"seeds folder {seeds_dir} does not exist; create it and drop article files into it, "
            "or point PIPELINE_SEEDS_DIR / --seeds at your folder"
        )
    found: list[Path] = []
    for root, dirs, files in os.walk(seeds_dir, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith(".") or name in IGNORED_NAMES:
                continue
            found.append(Path(root) / name)
    return found


def batch_of(relative: str) -> str:
    parts = relative.split("/")
    return parts[0] if len(parts) > 1 else LOOSE_BATCH


def seen_files(db_path: Path) -> dict[str, SeenFile]:
    """Latest ``ingest_log`` entry per path, read with a read-only connection."""
    con = connect_read_only(db_path)
    if con is None:
        return {}
    with con:
        if not has_table(con, "ingest_log"):
            return {}
        rows = con.execute(
            "SELECT path, bytes, mtime_ns, content_sha256 FROM ingest_log "
            "QUALIFY row_number() OVER (PARTITION BY path ORDER BY logged_at DESC) = 1"
        ).fetchall()
    return {path: SeenFile(size, mtime, sha) for path, size, mtime, sha in rows}


def find_new_files(settings: Settings) -> tuple[list[Path], list[dict]]:
    """All files under ``seeds/`` and the entries of those that are new or changed since their last run."""
    seeds_dir = settings.seeds_dir
    files = list_seed_files(seeds_dir)
    seen = seen_files(settings.db_path)
    new: list[dict] = []
    for path in files:
        relative = path.relative_to(seeds_dir).as_posix()
        try:
            stat = path.lstat()
        except OSError:
            stat = None
        size = stat.st_size if stat else -1
        mtime = stat.st_mtime_ns if stat else None
        previous = seen.get(relative)
        if previous and previous.bytes == size and previous.mtime_ns == mtime:
            continue  # same size and time: unchanged, without reading it
        if previous and not path.is_symlink():
            try:
                if sha256_bytes(path.read_bytes()) == previous.content_sha256:
                    continue  # touched but not changed
            except OSError:
                pass  # unreadable now: enrich quarantines it with the reason
        new.append({"path": relative, "batch_id": batch_of(relative), "bytes": size, "mtime_ns": mtime})
    return files, _with_manifests(settings, files, new)


def _is_manifest(relative: str) -> bool:
    return relative.rsplit("/", 1)[-1].lower() == MANIFEST_NAME


def _folder(relative: str) -> str:
    return relative.rsplit("/", 1)[0] if "/" in relative else ""


def _entry(seeds_dir: Path, relative: str) -> dict:
    stat = (seeds_dir / relative).lstat()
    return {"path": relative, "batch_id": batch_of(relative), "bytes": stat.st_size, "mtime_ns": stat.st_mtime_ns}


def _with_manifests(settings: Settings, files: list[Path], new: list[dict]) -> list[dict]:
    """Mark manifests and attach each folder's ``manifest.csv`` metadata to its new files.

    A manifest applies to the files of its own folder. A new or edited manifest sends every file
    of its folder through the pipeline again, so the changed metadata lands on the articles.
    """
    seeds_dir = settings.seeds_dir
    relatives = [p.relative_to(seeds_dir).as_posix() for p in files]
    manifests = {_folder(r): r for r in relatives if _is_manifest(r)}
    queued = {entry["path"]: entry for entry in new}
    for relative in relatives:
        if relative not in queued and not _is_manifest(relative) and manifests.get(_folder(relative)) in queued:
            queued[relative] = _entry(seeds_dir, relative)

    parsed: dict[str, tuple[dict, dict, list[str]] | str] = {}

    def manifest_for(folder: str) -> tuple[dict, dict, list[str]] | str | None:
        manifest = manifests.get(folder)
        if manifest is None:
            return None
        if manifest not in parsed:
            try:
                parsed[manifest] = read_manifest((seeds_dir / manifest).read_bytes(), manifest)
            except (OSError, ValueError) as exc:
                parsed[manifest] = str(exc)
        return parsed[manifest]

    for entry in queued.values():
        relative = entry["path"]
        folder = _folder(relative)
        result = manifest_for(folder)
        if _is_manifest(relative):
            entry["kind"] = "manifest"
            if isinstance(result, str):
                entry["manifest_error"] = result
            else:
                names = {r.rsplit("/", 1)[-1] for r in relatives if _folder(r) == folder and not _is_manifest(r)}
                entry["manifest_note"] = _manifest_note(result, names)
            continue
        entry["kind"] = "article"
        if result is None or isinstance(result, str):
            continue  # no manifest, or an unreadable one (quarantined itself): the file loads without metadata
        meta_by_file, errors, _ = result
        name = relative.rsplit("/", 1)[-1]
        if name in errors:
            entry["meta_error"] = errors[name]
        elif name in meta_by_file:
            meta = dict(meta_by_file[name])
            if "published_at" in meta:
                meta["published_at"] = meta["published_at"].isoformat()
            entry["meta"] = meta
    return sorted(queued.values(), key=lambda e: e["path"])


def _manifest_note(result: tuple[dict, dict, list[str]], names_in_folder: set[str]) -> str:
    meta_by_file, errors, problems = result
    note = f"batch manifest: metadata for {len(meta_by_file)} files, {len(errors)} malformed rows"
    missing = sorted(set(meta_by_file) - names_in_folder)
    if missing:
        note += f"; rows name files that are not in the folder: {', '.join(missing[:10])}"
    if problems:
        note += "; " + "; ".join(problems[:10])
    return note


def split_evenly(entries: list[dict], shard_size: int, workers: int) -> list[list[dict]]:
    """Cut a batch into shards of at most ``shard_size`` files, of equal size, as many as a multiple of ``workers``.

    Equal shards in a multiple of the worker count keep every worker busy to the end of the run:
    2,225 files become 12 shards of 185 or 186, not 11 of 200 and one of 25 that leaves one
    worker idle while the other finishes its last full shard.
    """
    if not entries:
        return []
    count = -(-len(entries) // max(1, shard_size))
    if count > 1 and workers > 1:
        count = min(len(entries), -(-count // workers) * workers)
    base, extra = divmod(len(entries), count)
    parts, start = [], 0
    for i in range(count):
        size = base + (1 if i < extra else 0)
        parts.append(entries[start : start + size])
        start += size
    return parts


def discover(settings: Settings, run_id: str) -> dict:
    """Plan one run: which files are new, in which shards.

    First finishes any earlier run that committed but stopped before its Parquet reached the lake
    (:func:`pipeline.warehouse.finish_committed_runs`).

    Args:
        settings: folders and shard size.
        run_id: the Airflow run id (or the CLI's), used to name the staging folder.

    Returns:
        ``{"run_key", "run_id", "staging_dir", "shards": [shard file paths], "n_files", "n_new"}``.
    """
    from pipeline.warehouse import finish_committed_runs

    key = run_key(run_id)
    seeds_dir = settings.seeds_dir
    staging = staging_dir_for(settings, run_id)
    finish_committed_runs(settings, skip=staging)
    files, new = find_new_files(settings)
    shards: list[str] = []
    if new:
        shard_dir = staging / "shards"
        shard_dir.mkdir(parents=True, exist_ok=True)
        by_batch: dict[str, list[dict]] = {}
        for entry in new:
            by_batch.setdefault(entry["batch_id"], []).append(entry)
        for batch_id, entries in by_batch.items():
            for part in split_evenly(entries, settings.shard_size, settings.workers):
                shard_file = shard_dir / f"shard-{len(shards):05d}.json"
                shard_file.write_text(json.dumps({"run_id": run_id, "batch_id": batch_id, "files": part}))
                shards.append(str(shard_file))
    log.info(
        "discover: %d files under %s, %d new or changed, %d shards", len(files), seeds_dir, len(new), len(shards)
    )
    return {
        "run_key": key,
        "run_id": run_id,
        "staging_dir": str(staging),
        "shards": shards,
        "n_files": len(files),
        "n_new": len(new),
    }
