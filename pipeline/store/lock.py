"""One writer at a time, and no file taken by two runs: the run lock and the run's claim.

* **The run lock** (``warehouse/.run.lock``, an ``flock``) is taken by every step that writes the
  warehouse or decides what a run takes: a whole command-line run, and in Airflow the planning
  part of ``discover``, ``load`` and ``publish``. While it is held, the file names its holder, so
  whoever waits can say who holds it and whether that one reads or writes.
* **A claim** (``staging/<run>/claim.json``) lists the files an Airflow run took in ``discover``;
  a command-line run's ``discover`` leaves those files alone until the claim is released (the
  run loaded them, or a task failed for good) or expires. Every stage of the run renews it. A
  command-line run needs no claim: it holds the run lock from discover to publish.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path

from upath import UPath

from pipeline.errors import WarehouseBusy
from pipeline.store.fs import location, read_json, write_text

log = logging.getLogger(__name__)

LOCK_NAME = ".run.lock"
CLAIM_NAME = "claim.json"


def _now() -> datetime:
    return datetime.now(timezone.utc)


def describe_holder(info: dict) -> str:
    """``the command-line run cli__… (pid 12, writing since 10:02:03 UTC)`` from a lock file's content."""
    since = info.get("since", "")[11:19]
    return f"{info.get('holder', 'another process')} (pid {info.get('pid', '?')} on {info.get('host', '?')}, {info.get('mode', 'writing')} since {since} UTC)"


@contextmanager
def run_lock(warehouse_dir: Path, holder: str, *, wait_seconds: float = 6 * 3600, mode: str = "writing") -> Iterator[None]:
    """Hold the warehouse's run lock; wait (saying for whom) while another process holds it.

    Args:
        warehouse_dir: the warehouse folder (the lock file lives in it).
        holder: who we are, in words (``the command-line run cli__…``, ``Airflow load of run …``).
        wait_seconds: give up with :class:`~pipeline.errors.WarehouseBusy` after this long.
        mode: ``writing`` or ``planning``, shown to whoever waits for us.
    """
    warehouse_dir.mkdir(parents=True, exist_ok=True)
    path = warehouse_dir / LOCK_NAME
    with open(path, "a+b", buffering=0) as handle:  # unbuffered: nothing left to flush on a full disk
        deadline = time.monotonic() + wait_seconds
        announced = 0.0
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise WarehouseBusy(
                        f"the warehouse {warehouse_dir} is still held by {describe_holder(_read_info(path))} after "
                        f"{wait_seconds:.0f}s; wait for it to finish (python -m pipeline status) and run again"
                    ) from None
                if time.monotonic() - announced > 60:
                    log.info("waiting for the warehouse %s: held by %s", warehouse_dir, describe_holder(_read_info(path)))
                    announced = time.monotonic()
                time.sleep(0.5)
        info = {"holder": holder, "pid": os.getpid(), "host": socket.gethostname(), "mode": mode, "since": _now().isoformat()}
        _note(handle, json.dumps(info))
        try:
            yield
        finally:
            _note(handle, "")
            fcntl.flock(handle, fcntl.LOCK_UN)


def _note(handle, text: str) -> None:
    """Say who holds the lock, for whoever waits; best effort (a full disk must not stop the holder)."""
    try:
        handle.seek(0)
        handle.truncate()
        handle.write(text.encode("utf-8"))
    except OSError as exc:
        log.debug("could not note the lock holder: %s", exc)


def lock_holder(warehouse_dir: Path) -> dict | None:
    """Who holds the run lock now (``None`` when nobody does)."""
    path = warehouse_dir / LOCK_NAME
    if not path.exists():
        return None
    with open(path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return _read_info(path) or {"holder": "another process"}
        fcntl.flock(handle, fcntl.LOCK_UN)
    return None


def _read_info(path: Path) -> dict:
    try:
        return json.loads(path.read_text() or "{}")
    except (OSError, ValueError):
        return {}


def write_claim(staging_dir: UPath, run_id: str, owner: str, paths: list[str], ttl: timedelta) -> None:
    """Record the files a run took, until ``ttl`` from now (renewed by :func:`renew_claim`)."""
    claim = {"run_id": run_id, "owner": owner, "pid": os.getpid(), "host": socket.gethostname(),
             "ttl_seconds": ttl.total_seconds(), "expires_at": (_now() + ttl).isoformat(), "paths": paths}
    write_text(location(staging_dir) / CLAIM_NAME, json.dumps(claim))


def renew_claim(staging_dir: UPath) -> None:
    """Push a live claim's expiry forward (each stage of the run calls this when it starts)."""
    path = location(staging_dir) / CLAIM_NAME
    claim = read_json(path)
    if not claim:
        return
    claim["expires_at"] = (_now() + timedelta(seconds=claim.get("ttl_seconds", 3600))).isoformat()
    try:
        write_text(path, json.dumps(claim))  # parallel enrich tasks renew it, each with its own temporary name
    except OSError as exc:  # a full disk: the claim keeps its earlier expiry
        log.debug("could not renew the claim in %s: %s", staging_dir, exc)


def release_claim(staging_dir: UPath) -> None:
    """Give the run's files back (it loaded them, or stopped for good)."""
    try:
        (location(staging_dir) / CLAIM_NAME).unlink()
    except FileNotFoundError:
        pass


def live_claims(staging_root: UPath, own_staging: UPath, owner: str) -> dict[str, str]:
    """Files a command-line run must leave to Airflow runs: ``{path: run_id}`` of unexpired Airflow claims.

    Only a command-line run needs them. Airflow runs one run of the DAG at a time, so when an
    Airflow run plans, any other Airflow claim is left from a run that has ended; and a
    command-line run holds the run lock from start to end, so no claim of one can be live while
    anybody else plans.
    """
    claimed: dict[str, str] = {}
    if owner != "cli" or not staging_root.is_dir():
        return claimed
    now = _now()
    for folder in sorted(staging_root.iterdir()):
        if folder == own_staging or not (folder / CLAIM_NAME).is_file():
            continue
        claim = read_json(folder / CLAIM_NAME)
        try:
            expires = datetime.fromisoformat(claim["expires_at"])
        except (ValueError, KeyError):
            continue
        if claim.get("owner") != "airflow" or expires <= now:
            continue
        for path in claim.get("paths", []):
            claimed[path] = claim.get("run_id", folder.name)
    return claimed
