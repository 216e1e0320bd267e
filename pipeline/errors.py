"""Errors the pipeline raises on purpose, each with a message a person can act on.

The DAG turns a :class:`PermanentError` into a task failure that Airflow does not retry (a retry
cannot fix a broken suite, a missing folder or a full disk); any other exception is retried.
"""

from __future__ import annotations

import errno


class PipelineError(RuntimeError):
    """Base of the errors raised on purpose; ``str(error)`` says what happened and what to do."""


class PermanentError(PipelineError):
    """An error a retry of the same task cannot fix: a person has to act first."""


class ValidationFailed(PermanentError):
    """A staged table broke a run-wide expectation (schema, keys, a missing table): nothing was loaded."""


class SeedsMissing(PermanentError, FileNotFoundError):
    """The drop zone does not exist."""


class DiskFull(PermanentError):
    """The disk under a folder of the warehouse is full; the step stopped before half-writing anything."""


class WarehouseBusy(PipelineError):
    """Another process holds the warehouse (or the run lock) for longer than we wait."""


def is_disk_full(exc: BaseException) -> bool:
    """True for "no space left on device" and "disk quota exceeded", from Python or from DuckDB."""
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return True
    text = str(exc).lower()
    return "no space left on device" in text or "disk quota exceeded" in text


def disk_full(folder: object, step: str) -> DiskFull:
    """The one line a full disk gets: which folder, what stopped, what to do."""
    return DiskFull(
        f"the disk holding {folder} is full ({step} stopped; nothing was half-written): "
        "free some space there, or point PIPELINE_WAREHOUSE_DIR at a roomier disk, and run again"
    )
