"""`make airflow` starts Airflow in order and leaves nothing behind when stopped (Ctrl-C or `make airflow-stop`)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psutil
import pytest

from devtools.local_airflow import _group_members
from tests.conftest import PROJECT

STOP_SECONDS = 15
UP_SECONDS = 240


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(tmp_path: Path, name: str) -> tuple[subprocess.Popen, dict[str, str], Path]:
    home = tmp_path / name
    port = _free_port()
    env = {
        **os.environ, "AIRFLOW_HOME": str(home), "AIRFLOW_PORT": str(port),
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": "admin:admin",
        "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{port}/execution/",
        "PIPELINE_SCHEDULE_MINUTES": "0",
        "PIPELINE_WAREHOUSE_DIR": str(tmp_path / "warehouse"), "PIPELINE_SEEDS_DIR": str(tmp_path / "seeds"),
    }
    out = tmp_path / f"{name}.out"
    process = subprocess.Popen(
        [sys.executable, "-m", "devtools.local_airflow", "start"], cwd=PROJECT, env=env,
        stdout=out.open("w"), stderr=subprocess.STDOUT, start_new_session=True,
    )
    deadline = time.monotonic() + UP_SECONDS
    while "Airflow is up" not in out.read_text():
        assert process.poll() is None, out.read_text()[-3000:]
        assert time.monotonic() < deadline, f"not up after {UP_SECONDS} s: {out.read_text()[-3000:]}"
        time.sleep(1)
    return process, env, out


def _everything_started(process: subprocess.Popen) -> list[psutil.Process]:
    """The command and every process it started, found through its pid files and the process tree."""
    root = psutil.Process(process.pid)
    started = [root, *root.children(recursive=True)]
    home = Path(root.environ()["AIRFLOW_HOME"])
    for pid_file in (home / "pids").glob("*.pid"):
        pid = int(pid_file.read_text())
        if psutil.pid_exists(pid):
            service = psutil.Process(pid)
            started += [service, *service.children(recursive=True)]
    return list({p.pid: p for p in started}.values())


def _gone_within(processes: list[psutil.Process], seconds: float) -> list[int]:
    _, alive = psutil.wait_procs(processes, timeout=seconds)
    return [p.pid for p in alive if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]


@pytest.mark.parametrize("how", ["ctrl-c", "make airflow-stop"])
def test_airflow_starts_api_first_and_stops_every_process(tmp_path: Path, how: str) -> None:
    process, env, out = _start(tmp_path, how.replace(" ", "-"))
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{env['AIRFLOW_PORT']}/api/v2/monitor/health", timeout=10) as health:
            assert health.status == 200
        logs = Path(env["AIRFLOW_HOME"]) / "logs" / "local"
        assert {"api-server.log", "scheduler.log", "dag-processor.log", "triggerer.log"} <= {p.name for p in logs.iterdir()}
        time.sleep(5)  # the scheduler starts its executor's workers
        started = _everything_started(process)
        assert len(started) >= 5
        groups = {os.getpgid(p.pid) for p in started}  # each service runs in a session of its own
        if how == "ctrl-c":
            os.kill(process.pid, signal.SIGINT)
        else:
            subprocess.run([sys.executable, "-m", "devtools.local_airflow", "stop"], cwd=PROJECT, env=env, check=True, timeout=60)
        assert process.wait(timeout=STOP_SECONDS) == 0, out.read_text()[-3000:]
        assert _gone_within(started, 1) == [], f"left running after {how}"
        # nor anything a service forked after the stop began (an executor worker), in its process group
        assert [p.pid for p in _group_members(groups)] == [], f"workers left running after {how}"
        assert "stopped" in out.read_text()
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        subprocess.run([sys.executable, "-m", "devtools.local_airflow", "stop"], cwd=PROJECT, env=env, timeout=60)
