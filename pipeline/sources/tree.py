"""The drop zone as a tree of paths: every path under ``seeds/`` with what it is.

Files, manifests and links to files are read by enrich; paths skipped on purpose (hidden files and
folders, system files, links to folders, paths too long to open) and paths that are not files at
all (FIFOs, sockets, devices, folders that cannot be listed) are listed too, with the reason, so
that each gets its ``ingest_log`` row; none of them is opened here.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import SeedsMissing
from pipeline.sources.files import kind_of
from pipeline.sources.manifest import MANIFEST_NAME

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


def readable(name: str) -> str:
    """A path as valid UTF-8: bytes that are not UTF-8 are shown as ``\\xNN``."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


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


