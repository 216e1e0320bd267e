"""``make airflow``: Airflow on one laptop, started in order and stopped completely.

``python -m devtools.local_airflow start`` (what ``make airflow`` runs) prepares the metadata
database, starts the api-server on 127.0.0.1 and waits until it answers, and only then starts the
scheduler (so the first scheduled run cannot reach an api-server that is not up yet), the
dag-processor and the triggerer. Each runs in its own session with a pid file under
``$AIRFLOW_HOME/pids/`` and a log under ``$AIRFLOW_HOME/logs/local/``. It stays in the foreground;
Ctrl-C (SIGINT) or SIGTERM stops every process it started, with all their children (the
LocalExecutor's workers included): SIGTERM first, SIGKILL for what is left after a grace period,
all within 15 s.

``python -m devtools.local_airflow stop`` (``make airflow-stop``) does the same from another
terminal, by the pid files: only the processes this command started are touched.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

VENV_BIN = Path(sys.executable).parent
SERVICES_AFTER_API = ("scheduler", "dag-processor", "triggerer")
GRACE_SECONDS = 8.0  # SIGTERM, then SIGKILL: everything is gone well within 15 s
START_SECONDS = 180


def home() -> Path:
    return Path(os.environ.get("AIRFLOW_HOME") or Path.cwd() / ".airflow")


def port() -> int:
    return int(os.environ.get("AIRFLOW_PORT", "8080"))


def _pids_dir() -> Path:
    return home() / "pids"


def _spawn(name: str, command: list[str]) -> int:
    logs = home() / "logs" / "local"
    logs.mkdir(parents=True, exist_ok=True)
    _pids_dir().mkdir(parents=True, exist_ok=True)
    with open(logs / f"{name}.log", "ab") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
    written = _pids_dir() / f"{name}.pid.tmp"
    written.write_text(str(process.pid))
    written.replace(_pids_dir() / f"{name}.pid")  # whole or absent: `make airflow-stop` never reads it half-written
    return process.pid


def _started() -> dict[str, int]:
    found = {}
    for pid_file in sorted(_pids_dir().glob("*.pid")) if _pids_dir().exists() else []:
        try:
            found[pid_file.stem] = int(pid_file.read_text())
        except FileNotFoundError:  # `make airflow-stop` removed it between the listing and the read
            continue
        except ValueError:
            pid_file.unlink(missing_ok=True)
    return found


def _trees(pids: list[int]) -> list:
    """The started processes and all their descendants, as psutil processes."""
    import psutil

    tree = []
    for pid in pids:
        try:
            root = psutil.Process(pid)
            tree += [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            continue
    return tree


def stop_all() -> list[int]:
    """Stop every process this command started (and their children); returns the pids stopped."""
    started = _started()
    tree = _trees(list(started.values()))
    groups = _groups(tree)
    alive = _signal(tree, "terminate", GRACE_SECONDS)
    _signal(alive, "kill", 5)
    # A scheduler that is shutting down can still fork an executor worker, which outlives it; each
    # service was started in a session of its own, so its process group holds such late children.
    late = _group_members(groups)
    _signal(late, "kill", 5)
    for name in started:
        (_pids_dir() / f"{name}.pid").unlink(missing_ok=True)
    return [p.pid for p in tree + late]


def _signal(processes: list, how: str, wait_seconds: float) -> list:
    """``terminate`` or ``kill`` each process, wait for them; the ones still alive after the wait."""
    import psutil

    for process in processes:
        try:
            getattr(process, how)()
        except psutil.NoSuchProcess:
            pass
    _, alive = psutil.wait_procs(processes, timeout=wait_seconds)
    return alive


def _groups(processes: list) -> set[int]:
    """The process groups of our own services (each started in a session of its own)."""
    groups = set()
    for process in processes:
        try:
            groups.add(os.getpgid(process.pid))
        except (ProcessLookupError, PermissionError):
            continue
    return groups - {os.getpgid(0)}  # never the group of the command that stops them


def _group_members(groups: set[int]) -> list:
    """Live processes in those groups (a worker forked after the stop began, now an orphan)."""
    import psutil

    members = []
    for process in psutil.process_iter():
        try:
            if os.getpgid(process.pid) in groups and process.status() != psutil.STATUS_ZOMBIE:
                members.append(process)
        except (ProcessLookupError, PermissionError, psutil.NoSuchProcess):
            continue
    return members


def api_healthy(api_port: int | None = None) -> bool:
    """The api-server on 127.0.0.1 answers its health check (also used by ``devtools.cluster``)."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{api_port or port()}/api/v2/monitor/health", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def admin_login(airflow_home: Path) -> str:
    """``admin / <password>`` from the simple auth manager's generated file (also used by ``devtools.cluster``)."""
    generated = airflow_home / "simple_auth_manager_passwords.json.generated"
    try:
        return f"admin / {json.loads(generated.read_text())['admin']}"
    except (OSError, ValueError, KeyError):
        return f"admin / (see {generated})"


def _prepare() -> None:
    airflow = str(VENV_BIN / "airflow")
    subprocess.run([airflow, "db", "migrate"], check=True, capture_output=True)
    subprocess.run([airflow, "pools", "set", "duckdb_writer", "1", "One writer to the DuckDB warehouse at a time"], check=True, capture_output=True)


def start() -> int:
    """Start Airflow in order and stay in the foreground until Ctrl-C or SIGTERM; then stop everything."""
    running = [name for name, pid in _started().items() if _trees([pid])]
    if running:
        print(f"Airflow is already running from {home()} ({', '.join(running)}); `make airflow-stop` first", file=sys.stderr)
        return 1
    stopping = {"now": False}

    def _stop(signum, frame) -> None:
        stopping["now"] = True

    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    try:
        _prepare()
        airflow = str(VENV_BIN / "airflow")
        _spawn("api-server", [airflow, "api-server", "--host", "127.0.0.1", "--port", str(port()), "--workers", "1"])
        deadline = time.monotonic() + START_SECONDS
        while not api_healthy() and not stopping["now"]:
            if time.monotonic() > deadline:
                print(f"the api-server did not answer within {START_SECONDS} s; see {home() / 'logs' / 'local' / 'api-server.log'}", file=sys.stderr)
                return 1
            time.sleep(0.5)
        if not stopping["now"]:
            for service in SERVICES_AFTER_API:
                _spawn(service, [airflow, service])
            print(f"Airflow is up: http://127.0.0.1:{port()} (login {admin_login(home())}); the news desk at /desk/", flush=True)
            print("Ctrl-C (or `make airflow-stop`) stops everything.", flush=True)
        while not stopping["now"] and _trees(list(_started().values())):  # `make airflow-stop` ends it too
            time.sleep(0.5)
        return 0
    finally:
        stopped = stop_all()
        print(f"stopped {len(stopped)} Airflow processes", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devtools.local_airflow", description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["start", "stop"])
    args = parser.parse_args(argv)
    if args.command == "start":
        return start()
    stopped = stop_all()
    print(f"stopped {len(stopped)} Airflow processes started from {home()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
