"""Discover: find the paths in the drop zone that the warehouse has not seen, and cut them into shards.

Every path under ``seeds/`` is accounted for. Article files, manifests and links go to enrich;
paths skipped on purpose (hidden files and folders, system files, links to folders, paths too
long to open) and paths that are not files at all (FIFOs, sockets, devices, folders that cannot
be listed) go too, so that each gets its ``ingest_log`` row with a reason; none of them is opened.

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
import os
import re
import stat
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

from pipeline.config import Settings
from pipeline.db import connect_read_only, has_table
from pipeline.errors import SeedsMissing
from pipeline.formats import MANIFEST_NAME, Manifest, read_manifest
from pipeline.ingest import Rejected, kind_of, read_regular_file
from pipeline.lock import live_claims, run_lock, write_claim

log = logging.getLogger(__name__)

LOOSE_BATCH = "loose"
SYSTEM_FILES = {".DS_Store", "Thumbs.db", "desktop.ini", ".gitkeep"}
PATH_MAX = os.pathconf("/", "PC_PATH_MAX") if hasattr(os, "pathconf") else 4096


@dataclass
class SeedPath:
    """One path found under ``seeds/``.

    Attributes:
        path: relative to ``seeds/``, always valid UTF-8 (a file name in another encoding is shown
            with ``\\xNN`` escapes): the ``ingest_log.path`` an analyst reads.
        fs_path: the same path as the file system spells it (differs only for such names).
        kind: ``file``, ``link``, ``manifest``, ``ignored`` (skipped on purpose) or ``refused``
            (not a file that can be read; quarantined with ``reason``).
    """

    path: str
    fs_path: str
    kind: str
    bytes: int | None = None
    mtime_ns: int | None = None
    reason: str | None = None
    extra: dict = field(default_factory=dict)


def run_key(run_id: str) -> str:
    """A folder-safe name for an Airflow or CLI run id."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", run_id).strip("_") or "run"


def staging_dir_for(settings: Settings, run_id: str) -> Path:
    """The run's staging folder (discover creates it; later stages receive paths inside it)."""
    return settings.staging_dir / run_key(run_id)


def readable(name: str) -> str:
    """A path as valid UTF-8: bytes that are not UTF-8 are shown as ``\\xNN``."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def batch_of(relative: str) -> str:
    parts = relative.split("/")
    return parts[0] if len(parts) > 1 else LOOSE_BATCH


def list_seed_paths(seeds_dir: Path) -> list[SeedPath]:
    """Every path under ``seeds_dir``, sorted, links not followed, each with what it is.

    Walks with folder file descriptors, one open per level, so folders nested deeper than the
    system's path limit are still listed (their files are reported as too long to open) and a
    folder that cannot be listed is reported instead of skipped.
    """
    if not seeds_dir.is_dir():
        raise SeedsMissing(
            f"seeds folder {seeds_dir} does not exist; create it and drop article files into it, "
            "or point PIPELINE_SEEDS_DIR / --seeds at your folder"
        )
    found: list[SeedPath] = []
    top_fd = os.open(seeds_dir, os.O_RDONLY | os.O_DIRECTORY)
    # (folder fd, its relative path, its hidden root or None, sub-folders still to visit)
    stack = [(top_fd, "", None, _scan(top_fd, "", None, seeds_dir, found))]
    while stack:
        fd, rel_dir, hidden, pending = stack[-1]
        if not pending:
            os.close(fd)
            stack.pop()
            continue
        name = pending.pop()
        rel = f"{rel_dir}/{name}" if rel_dir else name
        try:
            sub_fd = os.open(name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=fd)
        except OSError as exc:
            found.append(SeedPath(readable(rel) + "/", rel + "/", "refused", reason=f"folder cannot be opened ({exc.strerror}); fix its permissions"))
            continue
        sub_hidden = hidden if hidden is not None else (rel if name.startswith(".") else None)
        stack.append((sub_fd, rel, sub_hidden, _scan(sub_fd, rel, sub_hidden, seeds_dir, found)))
    return sorted(_unique(found), key=lambda p: p.path)


def _scan(fd: int, rel_dir: str, hidden: str | None, seeds_dir: Path, found: list[SeedPath]) -> list[str]:
    """Record the files of one folder in ``found``; return its sub-folders to visit (reversed)."""
    try:
        with os.scandir(fd) as listing:
            entries = sorted(listing, key=lambda e: e.name)
    except OSError as exc:
        rel = rel_dir or "."
        found.append(SeedPath(readable(rel) + "/", rel + "/", "refused", reason=f"folder cannot be listed ({exc.strerror}); fix its permissions"))
        return []
    folders: list[str] = []
    for entry in entries:
        rel = f"{rel_dir}/{entry.name}" if rel_dir else entry.name
        try:
            st = entry.stat(follow_symlinks=False)
        except OSError as exc:
            found.append(SeedPath(readable(rel), rel, "refused", reason=f"file cannot be read ({exc.strerror}); check its permissions"))
            continue
        if stat.S_ISDIR(st.st_mode):
            folders.append(entry.name)
            if entry.name.startswith(".") and hidden is None:
                found.append(SeedPath(readable(rel) + "/", rel + "/", "ignored", None, None,
                                      "hidden folder (its name starts with a dot): its files are not read; rename it to include them"))
            continue
        if stat.S_ISLNK(st.st_mode):
            target = _target_stat(fd, entry.name)
            if target is not None and stat.S_ISDIR(target.st_mode):
                found.append(SeedPath(readable(rel), rel, "ignored", st.st_size, st.st_mtime_ns,
                                      "a link to a folder: links to folders are not followed; copy the folder into seeds/ instead"))
                continue
            st = target or st  # a link to a file changes when its target does
        found.append(_classify(seeds_dir, rel, entry.name, st, hidden, entry.is_symlink()))
    return folders[::-1]


def _target_stat(dir_fd: int, name: str) -> os.stat_result | None:
    """What a link points to (``None`` for a broken link)."""
    try:
        return os.stat(name, dir_fd=dir_fd)
    except OSError:
        return None


def _classify(seeds_dir: Path, rel: str, name: str, st: os.stat_result, in_hidden: str | None, is_link: bool = False) -> SeedPath:
    entry = SeedPath(readable(rel), rel, "file", st.st_size, st.st_mtime_ns)
    full = len(os.fsencode(str(seeds_dir / rel)))
    if in_hidden is not None:
        entry.kind, entry.reason = "ignored", f"inside the hidden folder {readable(in_hidden)}/: hidden folders are not read; rename it to include it"
    elif name.startswith("."):
        entry.kind, entry.reason = "ignored", "hidden file (its name starts with a dot): not read; rename it to include it"
    elif name in SYSTEM_FILES:
        entry.kind, entry.reason = "ignored", "system file, not an article"
    elif full >= PATH_MAX:
        entry.kind, entry.reason = "ignored", (
            f"path is {full:,} bytes long, more than the {PATH_MAX:,} the system can open; move the file to a shorter folder"
        )
    elif is_link:
        entry.kind = "link"
    elif not stat.S_ISREG(st.st_mode):
        entry.kind, entry.reason = "refused", f"not a regular file ({kind_of(st.st_mode)}); it was not opened"
    elif name.lower() == MANIFEST_NAME:
        entry.kind = "manifest"
    return entry


def _unique(paths: list[SeedPath]) -> list[SeedPath]:
    """Keep readable paths distinct: a name in another encoding could read like a real ``\\xNN`` name."""
    used: set[str] = set()
    for entry in sorted(paths, key=lambda p: (p.path != p.fs_path, p.path)):
        if entry.path in used:
            entry.path = f"{entry.path} [name not UTF-8]"
        used.add(entry.path)
    return paths


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


def find_new_files(settings: Settings, db_path: Path | None = None) -> tuple[list[SeedPath], list[dict]]:
    """All paths under ``seeds/`` and the entries of those that are new or changed since their last run.

    Args:
        settings: the folders and the size limit.
        db_path: the database whose ``ingest_log`` says what was seen (default: the warehouse;
            ``status`` passes the readers' copy).
    """
    seeds_dir = settings.seeds_dir
    found = list_seed_paths(seeds_dir)
    seen = seen_files(db_path or settings.db_path)
    new: list[SeedPath] = []
    for entry in found:
        previous = seen.get(entry.path)
        if previous and previous.bytes == entry.bytes and previous.mtime_ns == entry.mtime_ns:
            continue  # same size and time: unchanged, without reading it
        if previous and previous.bytes == entry.bytes and _same_content(seeds_dir, entry, previous, settings.max_file_bytes * 100):
            continue  # touched but not changed
        new.append(entry)
    return found, _with_manifests(settings, found, new)


def _folder(relative: str) -> str:
    return relative.rsplit("/", 1)[0] if "/" in relative else ""


def _as_entry(path: SeedPath) -> dict:
    entry = {"path": path.path, "batch_id": batch_of(path.path), "bytes": path.bytes, "mtime_ns": path.mtime_ns, "kind": path.kind}
    if path.fs_path != path.path:
        entry["fs_path"] = path.fs_path
    if path.reason:
        entry["reason"] = path.reason
    return entry


def _with_manifests(settings: Settings, found: list[SeedPath], new: list[SeedPath]) -> list[dict]:
    """Turn new paths into shard entries and attach each folder's ``manifest.csv`` metadata.

    A manifest applies to the files of its own folder. A new or edited manifest sends every file
    of its folder through the pipeline again, so the changed metadata lands on the articles.
    """
    manifests = {_folder(p.path): p for p in found if p.kind == "manifest"}
    queued = {p.path: p for p in new}
    for path in found:
        if path.path not in queued and path.kind in ("file", "link") and _folder(path.path) in manifests:
            if manifests[_folder(path.path)].path in queued:
                queued[path.path] = path
    parsed: dict[str, Manifest | str] = {}

    def manifest_for(folder: str) -> Manifest | str | None:
        manifest = manifests.get(folder)
        if manifest is None:
            return None
        if manifest.path not in parsed:
            data = read_regular_file(settings.seeds_dir / manifest.fs_path, limit=settings.max_file_bytes)
            try:
                if isinstance(data, Rejected):
                    raise ValueError(f"{manifest.path}: {data.reason}")
                parsed[manifest.path] = read_manifest(data, manifest.path)
            except ValueError as exc:
                parsed[manifest.path] = str(exc)
        return parsed[manifest.path]

    entries = []
    for path in queued.values():
        entry = _as_entry(path)
        entries.append(entry)
        if path.kind not in ("file", "link", "manifest"):
            continue
        result = manifest_for(_folder(path.path))
        if path.kind == "manifest":
            if isinstance(result, str):
                entry["manifest_error"] = result
            else:
                names = {p.path.rsplit("/", 1)[-1] for p in found if _folder(p.path) == _folder(path.path) and p.kind in ("file", "link")}
                entry["manifest_note"] = _manifest_note(result, names)
            continue
        if result is None or isinstance(result, str):
            continue  # no manifest, or an unreadable one (quarantined itself): the file loads without metadata
        name = path.path.rsplit("/", 1)[-1]
        if name in result.errors:
            entry["meta_error"] = result.errors[name]
        elif name in result.meta_by_file:
            meta = dict(result.meta_by_file[name])
            if "published_at" in meta:
                meta["published_at"] = meta["published_at"].isoformat()
            entry["meta"] = meta
    return sorted(entries, key=lambda e: e["path"])


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
    from pipeline.lock import release_claim

    release_claim(staging_dir_for(settings, run_id))


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


def discover(settings: Settings, run_id: str, *, owner: str = "airflow", hold_lock: bool = True) -> dict:
    """Plan one run: which paths are new, in which shards; claim them for this run.

    Args:
        settings: folders and shard size.
        run_id: the Airflow run id (or the CLI's), used to name the staging folder.
        owner: ``airflow`` or ``cli`` (whose claim this is).
        hold_lock: take the run lock while planning (the command-line run already holds it).

    Returns:
        ``{"run_id", "staging_dir", "shards": [shard file paths], "n_files", "n_new", "n_claimed"}``.
    """
    staging = staging_dir_for(settings, run_id)
    if hold_lock:
        with run_lock(settings.warehouse_dir, f"discover of run {run_id}", mode="planning"):
            return _plan(settings, run_id, staging, owner)
    return _plan(settings, run_id, staging, owner)


def _plan(settings: Settings, run_id: str, staging: Path, owner: str) -> dict:
    started = datetime.now(timezone.utc).isoformat()
    found, new = find_new_files(settings)
    claimed = live_claims(settings.staging_dir, staging, owner)
    held = [e for e in new if e["path"] in claimed]
    if held:
        runs = sorted({claimed[e["path"]] for e in held})
        log.warning("discover: %d new files are being processed by run %s; they are left to it", len(held), ", ".join(runs))
        new = [e for e in new if e["path"] not in claimed]
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
                shard_file.write_text(json.dumps({"run_id": run_id, "batch_id": batch_id, "discovered_at": started, "files": part}))
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
