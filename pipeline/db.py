"""Connections to the DuckDB warehouse.

DuckDB lets one process hold a file read-write, and while it does no other process can open the
file at all. Readers (discover, deduplicate, ``status``, ``sql``) and the writer therefore wait
and retry while another process holds the lock, instead of failing a run.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

import duckdb

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


def _connect(db_path: Path, *, read_only: bool, wait_seconds: float) -> duckdb.DuckDBPyConnection:
    deadline = time.monotonic() + wait_seconds
    announced = False
    while True:
        try:
            return duckdb.connect(str(db_path), read_only=read_only)
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower() or time.monotonic() > deadline:
                raise RuntimeError(
                    f"cannot open {db_path}{' read-only' if read_only else ' for writing'}: {exc}. "
                    "Another process holds it; wait for it to finish (see `python -m pipeline status`) and run again"
                ) from exc
            if not announced:
                log.info("warehouse %s is busy (another process is writing); waiting up to %.0fs", db_path, wait_seconds)
                announced = True
            time.sleep(0.5)


def connect_writer(db_path: Path, wait_seconds: float = LOCK_WAIT_SECONDS) -> duckdb.DuckDBPyConnection:
    """Open the warehouse read-write, waiting while another process holds it."""
    db_path.parent.mkdir(parents=True, exist_ok=True)
    return _connect(db_path, read_only=False, wait_seconds=wait_seconds)


def connect_read_only(db_path: Path, wait_seconds: float = LOCK_WAIT_SECONDS) -> duckdb.DuckDBPyConnection | None:
    """Open the warehouse read-only (``None`` if it does not exist yet), waiting while a writer holds it."""
    if not db_path.exists():
        return None
    return _connect(db_path, read_only=True, wait_seconds=wait_seconds)


def connect_reader(db_path: Path) -> duckdb.DuckDBPyConnection:
    """Read-only connection for analysts' queries, with full-text search loaded."""
    con = connect_read_only(db_path)
    if con is None:
        raise FileNotFoundError(f"no warehouse at {db_path}; run `make run` or `python -m pipeline run` first")
    load_fts(con)
    return con


def has_table(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    return bool(
        con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = $t", {"t": table}).fetchone()[0]
    )
