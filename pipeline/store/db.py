"""Connections to the DuckDB warehouse.

DuckDB lets one process hold a file read-write, and while it does no other process can open the
file at all; a process that has it open read-only keeps writers out. So:

* the pipeline's writer (load, publish) opens ``news.duckdb`` read-write, under the run lock;
* the pipeline's own short reads (discover, deduplicate) open it read-only for a moment;
* analysts and the tools they use (``pipeline sql``, ``pipeline status``, any DuckDB client) open
  the readers' copy ``news-readonly.duckdb``, which publish replaces atomically after every
  commit: an analyst's open session never holds the writer back.

Whoever has to wait is told who holds the file and whether that process reads or writes.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from pipeline.errors import WarehouseBusy, disk_full, is_disk_full

log = logging.getLogger(__name__)

LOCK_WAIT_SECONDS = 300.0


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


def lock_holders(path: Path) -> list[tuple[int, str, str]]:
    """Processes holding a lock on ``path``: ``(pid, "reading" | "writing", command line)``.

    Read from ``/proc/locks`` (Linux): DuckDB takes a shared lock to read and an exclusive one
    to write. Empty where that is not available.
    """
    try:
        inode = os.stat(path).st_ino
        lines = Path("/proc/locks").read_text().splitlines()
    except OSError:
        return []
    found = []
    for line in lines:
        parts = line.split()
        if len(parts) < 6 or parts[1] != "POSIX" or "->" in parts:
            continue
        try:
            device_inode = parts[5].rsplit(":", 1)[1]
            if int(device_inode) != inode:
                continue
            pid = int(parts[4])
        except (IndexError, ValueError):
            continue
        found.append((pid, "writing" if parts[3] == "WRITE" else "reading", _command(pid)))
    return sorted(set(found))


def _command(pid: int) -> str:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return "?"
    command = raw.replace(b"\x00", b" ").decode("utf-8", "replace").strip()
    return command if len(command) <= 120 else command[:117] + "..."


def describe_holders(path: Path) -> str:
    holders = [h for h in lock_holders(path) if h[0] != os.getpid()]
    if not holders:
        return "another process"
    return "; ".join(f"pid {pid} ({mode}: {command})" for pid, mode, command in holders)


def _connect(db_path: Path, *, read_only: bool, wait_seconds: float) -> duckdb.DuckDBPyConnection:
    deadline = time.monotonic() + wait_seconds
    announced = False
    while True:
        try:
            return duckdb.connect(str(db_path), read_only=read_only)
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower():
                raise
            if time.monotonic() > deadline:
                advice = (
                    "it is being written; wait for the run to finish (python -m pipeline status)"
                    if read_only else
                    "readers should open the readers' copy news-readonly.duckdb instead; close the session that holds it"
                )
                raise WarehouseBusy(
                    f"cannot open {db_path}{' read-only' if read_only else ' for writing'} after {wait_seconds:.0f}s: "
                    f"held by {describe_holders(db_path)}; {advice}, then run again"
                ) from exc
            if not announced:
                log.info("warehouse %s is held by %s; waiting up to %.0fs", db_path, describe_holders(db_path), wait_seconds)
                announced = True
            time.sleep(0.2)


def connect_writer(db_path: Path, wait_seconds: float = LOCK_WAIT_SECONDS) -> duckdb.DuckDBPyConnection:
    """Open the warehouse read-write, waiting (and saying for whom) while another process holds it."""
    db_path.parent.mkdir(parents=True, exist_ok=True)
    return _connect(db_path, read_only=False, wait_seconds=wait_seconds)


@contextmanager
def writing(db_path: Path, wait_seconds: float, stage: str) -> Iterator[duckdb.DuckDBPyConnection]:
    """The warehouse open read-write for one stage, closed after; a full disk is named as such.

    Raises:
        DiskFull: naming the warehouse folder and the stage, when the disk filled up.
    """
    try:
        con = connect_writer(db_path, wait_seconds)
        try:
            yield con
        finally:
            con.close()
    except (OSError, duckdb.Error) as exc:
        if is_disk_full(exc):
            raise disk_full(db_path.parent, stage) from exc
        raise


def connect_read_only(db_path: Path, wait_seconds: float = LOCK_WAIT_SECONDS) -> duckdb.DuckDBPyConnection | None:
    """Open the warehouse read-only (``None`` if it does not exist yet), waiting while a writer holds it."""
    if not db_path.exists():
        return None
    return _connect(db_path, read_only=True, wait_seconds=wait_seconds)


def connect_reader(warehouse_db: Path, reader_db: Path | None = None) -> duckdb.DuckDBPyConnection:
    """Read-only connection for analysts' queries, with full-text search loaded.

    Opens the readers' copy when there is one (it never holds the writer back), else the
    warehouse itself.
    """
    path = reader_db if reader_db is not None and reader_db.exists() else warehouse_db
    con = connect_read_only(path)
    if con is None:
        raise FileNotFoundError(f"no warehouse at {warehouse_db}; run `make run` or `python -m pipeline run` first")
    load_fts(con)
    return con


def apply_sql(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Run a SQL file shipped with the package (schema or views)."""
    con.execute(path.read_text(encoding="utf-8"))


def table_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Rows of every warehouse table."""
    from pipeline.store.tables import TABLES

    return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in (*TABLES, "entities")}


def has_table(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    return bool(
        con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = $t", {"t": table}).fetchone()[0]
    )
