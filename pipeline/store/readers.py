"""The readers' copy ``news-readonly.duckdb``, and what publish last built.

Analysts open the readers' copy, never the file the pipeline writes: an open session cannot hold
the writer back. Publish replaces it after every change (write to a temporary name, sync, rename:
readers see the old copy or the new one, never half of one), and records in ``publish_state``
which load it was built from, so any run can tell whether views, index and copy are current.
"""

from __future__ import annotations

import hashlib
import os
import shutil

import duckdb

from pipeline.config import Settings
from pipeline.store.db import has_table


def sql_fingerprint(settings: Settings) -> str:
    """SHA-256 of the schema and view definitions: a change to either means publish must rebuild."""
    digest = hashlib.sha256()
    for name in ("schema.sql", "views.sql"):
        digest.update((settings.sql_dir / name).read_bytes())
    return digest.hexdigest()


def published_state(con: duckdb.DuckDBPyConnection) -> tuple[int, str] | None:
    """``(loads published, SQL fingerprint)`` as recorded by the last publish, if any."""
    if not has_table(con, "publish_state"):
        return None
    return con.execute("SELECT load_count, sql_sha256 FROM publish_state").fetchone()


def reader_copy_current(settings: Settings, loads: int) -> bool:
    """True if the readers' copy exists, opens, and was published from ``loads`` loads and today's SQL."""
    path = settings.reader_db_path
    if not path.exists():
        return False
    try:
        with duckdb.connect(str(path), read_only=True) as con:
            state = published_state(con)
    except duckdb.Error:
        return False
    return state is not None and state[0] == loads and state[1] == sql_fingerprint(settings)


def replace_reader_copy(settings: Settings) -> None:
    """Copy the checkpointed warehouse to the readers' copy, atomically.

    The caller holds the writer connection, so nobody changes the file while it is copied.
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
