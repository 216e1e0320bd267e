"""Discover: find the paths in the drop zone that the warehouse has not seen, and cut them into shards.

Every path under ``seeds/`` is accounted for (:mod:`pipeline.sources.tree`): article files,
manifests and links go to enrich, and so do paths skipped on purpose or that are not files, so that
each gets its ``ingest_log`` row with a reason.

A path is skipped when ``ingest_log`` already holds it with the same size and modification time
(no read at all) or, failing that, the same content hash. What is left is grouped by batch (the
first folder under ``seeds/``; loose files form the batch ``loose``) and written as shard files
under the run's staging folder. Files another live run has claimed are left to it. Only paths and
counts leave this stage.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from pipeline.config import Settings
from pipeline.sources.files import Rejected, read_regular_file
from pipeline.sources.formats import JSONL_SIZE_FACTOR, JSONL_SUFFIXES, count_lines
from pipeline.sources.manifest import Manifest, read_manifest
from pipeline.sources.tree import SeedPath, list_seed_paths
from pipeline.store.db import connect_read_only, has_table
from pipeline.store.fs import write_text
from pipeline.store.lock import live_claims, run_lock, write_claim
from pipeline.store.staging import RunPaths

log = logging.getLogger(__name__)

LOOSE_BATCH = "loose"


def staging_dir_for(settings: Settings, run_id: str) -> Path:
    """The run's staging folder (discover creates it; later stages receive paths inside it)."""
    return RunPaths.for_run(settings.staging_dir, run_id).root


def batch_of(relative: str) -> str:
    parts = relative.split("/")
    return parts[0] if len(parts) > 1 else LOOSE_BATCH


@dataclass(frozen=True)
class SeenFile:
    bytes: int | None
    mtime_ns: int | None
    content_sha256: str | None


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


def _same_content(seeds_dir: Path, entry: SeedPath, previous: SeenFile, limit: int) -> bool:
    """True if a touched file still holds what was logged (regular files only; never blocks)."""
    if entry.kind not in ("file", "manifest") or not previous.content_sha256:
        return False
    data = read_regular_file(seeds_dir / entry.fs_path, limit=limit)
    return not isinstance(data, Rejected) and hashlib.sha256(data).hexdigest() == previous.content_sha256


def find_new_files(
    settings: Settings, db_path: Path | None = None, *, batch: str | None = None, force: bool = False
) -> tuple[list[SeedPath], list[dict]]:
    """All paths under ``seeds/`` and the entries of those that are new or changed since their last run.

    Args:
        settings: the folders and the size limit.
        db_path: the database whose ``ingest_log`` says what was seen (default: the warehouse;
            ``status`` passes the readers' copy).
        batch: only this batch folder (``loose`` for the files at the top of ``seeds/``).
        force: take every file, changed or not (to reprocess after a rule changed).

    Raises:
        PermanentError: ``batch`` names no folder under ``seeds/``.
    """
    seeds_dir = settings.seeds_dir
    found = list_seed_paths(seeds_dir)
    if batch:
        found = _only_batch(found, batch, seeds_dir)
    seen = {} if force else seen_files(db_path or settings.db_path)
    new: list[SeedPath] = []
    for entry in found:
        previous = seen.get(entry.path)
        if previous and previous.bytes == entry.bytes and previous.mtime_ns == entry.mtime_ns:
            continue  # same size and time: unchanged, without reading it
        if previous and previous.bytes == entry.bytes and _same_content(seeds_dir, entry, previous, settings.max_file_bytes * 100):
            continue  # touched but not changed
        new.append(entry)
    return found, _with_manifests(settings, found, new)


def _only_batch(found: list[SeedPath], batch: str, seeds_dir: Path) -> list[SeedPath]:
    """The paths of one batch; an unknown batch is an error that lists the batches there are."""
    from pipeline.errors import PermanentError

    kept = [entry for entry in found if batch_of(entry.path) == batch]
    if not kept:
        batches = sorted({batch_of(entry.path) for entry in found})
        raise PermanentError(
            f"no batch {batch!r} under {seeds_dir}: the batches there are {', '.join(batches) or 'none'} "
            f"({LOOSE_BATCH!r} is the files at the top of the folder); trigger again with one of them"
        )
    return kept


def _folder(relative: str) -> str:
    return relative.rsplit("/", 1)[0] if "/" in relative else ""


def _as_entry(path: SeedPath) -> dict:
    entry = {"path": path.path, "batch_id": batch_of(path.path), "bytes": path.bytes, "mtime_ns": path.mtime_ns, "kind": path.kind}
    if path.fs_path != path.path:
        entry["fs_path"] = path.fs_path
    if path.reason:
        entry["reason"] = path.reason
    return entry


class _Manifests:
    """The manifests of the drop zone, by folder, each read once and only when needed."""

    def __init__(self, settings: Settings, found: list[SeedPath]) -> None:
        self.settings, self.found = settings, found
        self.by_folder = {_folder(p.path): p for p in found if p.kind == "manifest"}
        self._parsed: dict[str, Manifest | str] = {}

    def of(self, folder: str) -> Manifest | str | None:
        """The folder's parsed manifest, the reason it cannot be read, or ``None`` when there is none."""
        manifest = self.by_folder.get(folder)
        if manifest is None:
            return None
        if manifest.path not in self._parsed:
            self._parsed[manifest.path] = self._read(manifest)
        return self._parsed[manifest.path]

    def _read(self, manifest: SeedPath) -> Manifest | str:
        data = read_regular_file(self.settings.seeds_dir / manifest.fs_path, limit=self.settings.max_file_bytes)
        if isinstance(data, Rejected):
            return f"{manifest.path}: {data.reason}"
        try:
            return read_manifest(data, manifest.path)
        except ValueError as exc:
            return str(exc)

    def edited(self, path: SeedPath, queued: dict) -> bool:
        """A file of a folder whose manifest is new or edited: it goes through the pipeline again."""
        manifest = self.by_folder.get(_folder(path.path))
        return path.kind in ("file", "link") and manifest is not None and manifest.path in queued

    def files_in(self, folder: str) -> set[str]:
        return {p.path.rsplit("/", 1)[-1] for p in self.found if _folder(p.path) == folder and p.kind in ("file", "link")}


def _with_manifests(settings: Settings, found: list[SeedPath], new: list[SeedPath]) -> list[dict]:
    """Turn new paths into shard entries and attach each folder's ``manifest.csv`` metadata.

    A manifest applies to the files of its own folder. A new or edited manifest sends every file
    of its folder through the pipeline again, so the changed metadata lands on the articles.
    """
    manifests = _Manifests(settings, found)
    queued = {p.path: p for p in new}
    for path in found:
        if path.path not in queued and manifests.edited(path, queued):
            queued[path.path] = path
    entries = []
    for path in queued.values():
        entry = _as_entry(path)
        if path.kind == "manifest":
            _describe_manifest(entry, manifests, _folder(path.path))
        elif path.kind in ("file", "link"):
            _attach_metadata(entry, manifests.of(_folder(path.path)))
        entries.append(entry)
    return sorted(entries, key=lambda e: e["path"])


def _describe_manifest(entry: dict, manifests: _Manifests, folder: str) -> None:
    """A manifest's own entry: why it cannot be read, or a note of what it applies (its ``ingest_log`` reason)."""
    result = manifests.of(folder)
    if isinstance(result, str):
        entry["manifest_error"] = result
    else:
        entry["manifest_note"] = _manifest_note(result, manifests.files_in(folder))


def _attach_metadata(entry: dict, manifest: Manifest | str | None) -> None:
    """A file's metadata from its folder's manifest, or the row's error that holds the file back.

    No manifest, or one that cannot be read (quarantined itself): the file loads without metadata.
    """
    if manifest is None or isinstance(manifest, str):
        return
    name = entry["path"].rsplit("/", 1)[-1]
    if name in manifest.errors:
        entry["meta_error"] = manifest.errors[name]
    elif name in manifest.meta_by_file:
        meta = dict(manifest.meta_by_file[name])
        if "published_at" in meta:
            meta["published_at"] = meta["published_at"].isoformat()
        entry["meta"] = meta


def _manifest_note(manifest: Manifest, names_in_folder: set[str]) -> str:
    note = f"batch manifest: metadata for {len(manifest.meta_by_file)} files, {len(manifest.errors)} rows held back"
    missing = sorted(set(manifest.meta_by_file) - names_in_folder)
    if missing:
        note += f"; rows name files that are not in the folder: {', '.join(missing[:10])}"
    if manifest.problems:
        note += "; " + "; ".join(manifest.problems[:10])
    return note


def release_run(settings: Settings, run_id: str) -> None:
    """Give a run's claimed files back (its task failed for good: the next run may take them)."""
    from pipeline.store.lock import release_claim

    release_claim(staging_dir_for(settings, run_id))


def fail_run(settings: Settings, run_id: str, stage: str, reason: object) -> None:
    """A stage failed for good: record why (``pipeline status`` lists it) and free the run's files."""
    from pipeline.store.failures import record_failure

    record_failure(settings, run_id, stage, str(reason or "failed"))
    release_run(settings, run_id)


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


MIN_PART_LINES = 20  # a JSON-lines file shorter than this many lines per worker is not split


def line_parts(lines: int, shard_size: int, workers: int) -> list[tuple[int, int]]:
    """Line ranges to read a JSON-lines file in, so that one big file keeps every worker busy.

    Example: 200 lines, shards of 200 files, 2 workers → ``[(1, 100), (101, 200)]``; 30 lines → one part.
    """
    count = -(-lines // max(1, shard_size))
    if workers > 1 and lines >= workers * MIN_PART_LINES:
        count = -(-max(count, workers) // workers) * workers
    if count <= 1:
        return [(1, lines)]
    size = -(-lines // count)
    return [(first, min(lines, first + size - 1)) for first in range(1, lines + 1, size)]


def _parts(settings: Settings, entry: dict) -> list[dict]:
    """A big JSON-lines file's entry cut into line ranges (each read by its own enrich task), else the entry."""
    if entry.get("kind") != "file" or Path(entry["path"]).suffix.lower() not in JSONL_SUFFIXES:
        return [entry]
    data = read_regular_file(settings.seeds_dir / entry.get("fs_path", entry["path"]), limit=settings.max_file_bytes * JSONL_SIZE_FACTOR)
    if isinstance(data, Rejected) or len(data) > settings.max_file_bytes * JSONL_SIZE_FACTOR:
        return [entry]
    ranges = line_parts(count_lines(data), settings.shard_size, settings.workers)
    if len(ranges) == 1:
        return [entry]
    return [{**entry, "lines": [first, last], "part": f"lines {first}-{last}"} for first, last in ranges]


def shard_plan(settings: Settings, entries: list[dict]) -> list[tuple[str, list[dict]]]:
    """``(batch_id, entries)`` of each shard: each batch's files cut evenly, each part of a big JSON-lines file a shard of its own."""
    plan: list[tuple[str, list[dict]]] = []
    by_batch: dict[str, list[dict]] = {}
    for entry in entries:
        parts = _parts(settings, entry)
        if len(parts) > 1:
            plan.extend((entry["batch_id"], [part]) for part in parts)
        else:
            by_batch.setdefault(entry["batch_id"], []).append(entry)
    for batch_id, files in by_batch.items():
        plan.extend((batch_id, shard) for shard in split_evenly(files, settings.shard_size, settings.workers))
    return plan


def discover(
    settings: Settings, run_id: str, *, owner: str = "airflow", hold_lock: bool = True, batch: str | None = None, force: bool = False
) -> dict:
    """Plan one run: which paths are new, in which shards; claim them for this run.

    Args:
        settings: folders and shard size.
        run_id: the Airflow run id (or the CLI's), used to name the staging folder.
        owner: ``airflow`` or ``cli`` (whose claim this is).
        hold_lock: take the run lock while planning (the command-line run already holds it).
        batch: plan only this batch folder (a trigger parameter).
        force: plan unchanged files too (a trigger parameter).

    Returns:
        ``{"run_id", "staging_dir", "shards": [shard file paths], "n_files", "n_new", "n_claimed"}``.
    """
    staging = staging_dir_for(settings, run_id)
    if hold_lock:
        with run_lock(settings.warehouse_dir, f"discover of run {run_id}", mode="planning"):
            return _plan(settings, run_id, staging, owner, batch, force)
    return _plan(settings, run_id, staging, owner, batch, force)


def _plan(settings: Settings, run_id: str, staging: Path, owner: str, batch: str | None = None, force: bool = False) -> dict:
    started = datetime.now(timezone.utc).isoformat()
    found, new = find_new_files(settings, batch=batch, force=force)
    claimed = live_claims(settings.staging_dir, staging, owner)
    held = [e for e in new if e["path"] in claimed]
    if held:
        runs = sorted({claimed[e["path"]] for e in held})
        log.warning("discover: %d new files are being processed by run %s; they are left to it", len(held), ", ".join(runs))
        new = [e for e in new if e["path"] not in claimed]
    shards: list[str] = []
    if new:
        run = RunPaths(staging)
        for batch_id, files in shard_plan(settings, new):
            shard_file = run.shard(len(shards))
            write_text(shard_file, json.dumps({"run_id": run_id, "batch_id": batch_id, "discovered_at": started, "files": files}))
            shards.append(str(shard_file))
        if owner == "airflow":
            write_claim(staging, run_id, owner, [e["path"] for e in new], timedelta(seconds=settings.claim_ttl_seconds))
    log.info(
        "discover: %d files under %s, %d new or changed, %d shards", len(found), settings.seeds_dir, len(new), len(shards)
    )
    return {
        "run_id": run_id,
        "staging_dir": str(staging),
        "shards": shards,
        "n_files": len(found),
        "n_new": len(new),
        "n_claimed": len(held),
    }
