"""`make airflow-stop` stops what a service forks while it shuts down (real processes, no Airflow)."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import psutil

from devtools import local_airflow

# A service that, told to stop, forks a worker and lingers, as a scheduler's executor can: the worker
# outlives its parent and would be left running if only the processes seen at the stop were killed.
LINGERING = """
import signal, subprocess, sys, time
def forked(signum, frame):
    worker = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    open(sys.argv[1], "w").write(str(worker.pid))
signal.signal(signal.SIGTERM, forked)
time.sleep(120)
"""


def test_stop_leaves_no_worker_a_service_forked_while_stopping(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("AIRFLOW_HOME", str(tmp_path / "airflow"))
    monkeypatch.setattr(local_airflow, "GRACE_SECONDS", 1.0)
    worker_file = tmp_path / "worker.pid"
    pid = local_airflow._spawn("scheduler", [sys.executable, "-c", LINGERING, str(worker_file)])
    try:
        # the pid file is written whole, under its own name, with no temporary file left beside it
        assert [p.name for p in (tmp_path / "airflow" / "pids").iterdir()] == ["scheduler.pid"]
        assert local_airflow._started() == {"scheduler": pid}
        time.sleep(1)  # the handler is set
        stopped = local_airflow.stop_all()
        assert pid in stopped
        worker = int(worker_file.read_text())
        deadline = time.monotonic() + 5
        while psutil.pid_exists(worker) and psutil.Process(worker).status() != psutil.STATUS_ZOMBIE:
            assert time.monotonic() < deadline, f"worker {worker} forked during the stop is still running"
            time.sleep(0.1)
        assert not (tmp_path / "airflow" / "pids" / "scheduler.pid").exists()
    finally:
        for leftover in (pid, int(worker_file.read_text()) if worker_file.exists() else None):
            if leftover and psutil.pid_exists(leftover):
                os.kill(leftover, 9)


def test_a_pid_file_removed_while_it_is_read_is_skipped(tmp_path: Path, monkeypatch) -> None:
    """`make airflow-stop` in another terminal removes the pid files while `make airflow` still polls them."""
    monkeypatch.setenv("AIRFLOW_HOME", str(tmp_path / "airflow"))
    pids = tmp_path / "airflow" / "pids"
    pids.mkdir(parents=True)
    (pids / "scheduler.pid").write_text(str(os.getpid()))
    # listed by the glob, gone when read: what a pid file removed between the two looks like
    (pids / "triggerer.pid").symlink_to(pids / "removed.pid")
    (pids / "api-server.pid").write_text("not a pid\n")
    assert local_airflow._started() == {"scheduler": os.getpid()}
    assert not (pids / "api-server.pid").exists()
