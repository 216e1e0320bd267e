"""Where a run's staged files, the lake and the reports live: local folders by default, any fsspec
file system by URL (``PIPELINE_STAGING_URL``, ``PIPELINE_LAKE_URL``, ``PIPELINE_REPORTS_URL``).

Workers on other machines reach what the stages hand each other through these URLs, so every
read and write of staged files goes through the helpers here (``universal_pathlib`` paths over
fsspec; pyarrow reads and writes Parquet on the same file system). Local paths keep pyarrow's
native file access.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from upath import UPath

LOCAL = {"", "file", "local"}


def location(value: str | Path | UPath) -> UPath:
    """A folder or file given as a local path or a URL (``memory://…``, ``s3://…``, ``file:///…``)."""
    return value if isinstance(value, UPath) else UPath(value)


def _native(path: UPath) -> tuple[str, object | None]:
    """The path and file system pyarrow should use (``None``: its own local access)."""
    if path.protocol in LOCAL:
        return path.path if path.protocol else str(path), None
    return path.path, path.fs


def read_table(paths: str | Path | list, columns: list[str] | None = None) -> pa.Table:
    """One Parquet file, or several on the same file system, as one table."""
    many = paths if isinstance(paths, list) else [paths]
    located = [location(p) for p in many]
    names = [_native(p)[0] for p in located]
    filesystem = _native(located[0])[1] if located else None
    return pq.read_table(names if isinstance(paths, list) else names[0], columns=columns, filesystem=filesystem, partitioning=None)


def write_table(table: pa.Table, path: str | Path | UPath) -> UPath:
    """Write a Parquet file whole or not at all (a temporary name, then a rename)."""
    path = location(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    name, filesystem = _native(tmp)
    pq.write_table(table, name, filesystem=filesystem)
    tmp.rename(path)
    return path


def write_text(path: str | Path | UPath, text: str) -> UPath:
    """Write a small text file whole or not at all; parallel writers each use their own temporary name."""
    import os

    path = location(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.rename(path)
    return path


def read_json(path: str | Path | UPath) -> dict:
    """A JSON file's content, ``{}`` when it is missing or torn."""
    try:
        return json.loads(location(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def move(source: UPath, target: UPath) -> None:
    """Move a file, across file systems if need be (copy, then delete)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if source.protocol == target.protocol and type(source.fs) is type(target.fs):
        source.rename(target)
        return
    with source.open("rb") as reader, target.open("wb") as writer:
        while chunk := reader.read(1 << 20):
            writer.write(chunk)
    source.unlink()


def remove_tree(path: UPath) -> None:
    """Delete a folder and everything in it (nothing if it is already gone)."""
    try:
        path.fs.rm(path.path, recursive=True)
    except (FileNotFoundError, OSError):
        pass
