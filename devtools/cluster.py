"""A real several-machine set-up on one machine: CeleryExecutor on PostgreSQL and Redis.

``make cluster`` (``python -m devtools.cluster start``) starts, each with its own log under
``.cluster/logs/`` and its own pid file under ``.cluster/pids/``:

* PostgreSQL and Redis from Debian's packages (installed with ``apt-get`` when missing), with
  their data under ``.cluster/``, listening on 127.0.0.1 on ports that do not clash with system
  services (``CLUSTER_POSTGRES_PORT``, ``CLUSTER_REDIS_PORT``);
* Airflow's api-server (``CLUSTER_API_PORT``), scheduler, dag-processor and triggerer;
* N Celery workers for the ``default`` queue (``--workers``, default 2) and one for the
  ``warehouse`` queue, where load and publish run, so the DuckDB file stays on this host's disk.

``make cluster-stop`` (``python -m devtools.cluster stop``) stops exactly what was started, by the
pid files, each process with its whole process tree, and checks that nothing is left.
Secrets (JWT, Fernet) are generated into ``.cluster/secrets.json``, never into the repository.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from devtools import local_airflow
from pipeline.config import PROJECT_ROOT

VENV_BIN = Path(sys.executable).parent
AIRFLOW_SERVICES = ("api-server", "scheduler", "dag-processor", "triggerer")


@dataclass(frozen=True)
class Cluster:
    """Where the cluster keeps its data and which ports it listens on (read from the environment)."""

    root: Path
    postgres_port: int
    redis_port: int
    api_port: int
    log_server_port: int

    @classmethod
    def from_environment(cls) -> "Cluster":
        env = os.environ
        return cls(
            root=Path(env.get("CLUSTER_DIR") or PROJECT_ROOT / ".cluster"),
            postgres_port=int(env.get("CLUSTER_POSTGRES_PORT", "54329")),
            redis_port=int(env.get("CLUSTER_REDIS_PORT", "63799")),
            api_port=int(env.get("CLUSTER_API_PORT", "8091")),
            log_server_port=int(env.get("CLUSTER_LOG_SERVER_PORT", "8795")),
        )


def here() -> Cluster:
    return Cluster.from_environment()


def worker_hostname() -> str:
    """Airflow's ``hostname_callable`` for the cluster's workers: the worker's own name.

    Every worker runs on this one machine; naming them (``worker-1``, ``worker-2``, ``warehouse``)
    lets the task instances say which worker ran them, as separate machines' hostnames would.
    """
    return os.environ.get("NEWS_WORKER_NAME") or socket.getfqdn()


def _paths() -> dict[str, Path]:
    root = here().root
    return {"pg": root / "postgres", "redis": root / "redis", "logs": root / "logs", "pids": root / "pids", "home": root / "airflow"}


def _secrets() -> dict[str, str]:
    path = here().root / "secrets.json"
    if not path.exists():
        from cryptography.fernet import Fernet

        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({"fernet_key": Fernet.generate_key().decode(), "secret_key": secrets.token_urlsafe(32),
                                    "jwt_secret": secrets.token_urlsafe(32), "db_password": secrets.token_urlsafe(16)}))
        path.chmod(0o600)
    return json.loads(path.read_text())


def environment(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment every Airflow process of the cluster (and a test driving it) runs with."""
    keys, cluster = _secrets(), here()
    db = f"airflow:{keys['db_password']}@127.0.0.1:{cluster.postgres_port}/airflow"
    api = f"http://127.0.0.1:{cluster.api_port}"
    env = {
        **os.environ,
        "AIRFLOW_HOME": str(_paths()["home"]),
        "AIRFLOW__CORE__DAGS_FOLDER": str(PROJECT_ROOT / "dags"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__EXECUTOR": "CeleryExecutor",
        "AIRFLOW__CORE__PARALLELISM": "8",
        "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "False",
        "AIRFLOW__CORE__FERNET_KEY": keys["fernet_key"],
        "AIRFLOW__CORE__HOSTNAME_CALLABLE": "devtools.cluster.worker_hostname",
        "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"{api}/execution/",
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": "admin:admin",
        "AIRFLOW__API__BASE_URL": api,
        "AIRFLOW__API__SECRET_KEY": keys["secret_key"],
        "AIRFLOW__API_AUTH__JWT_SECRET": keys["jwt_secret"],
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"postgresql+psycopg2://{db}",
        "AIRFLOW__CELERY__BROKER_URL": f"redis://127.0.0.1:{cluster.redis_port}/0",
        "AIRFLOW__CELERY__RESULT_BACKEND": f"db+postgresql+psycopg2://{db}",
        "AIRFLOW__CELERY__WORKER_CONCURRENCY": "1",
        # A worker that dies is noticed in about half a minute, not five (and its task retried).
        "AIRFLOW__SCHEDULER__TASK_INSTANCE_HEARTBEAT_TIMEOUT": "25",
        "AIRFLOW__SCHEDULER__TASK_INSTANCE_HEARTBEAT_TIMEOUT_DETECTION_INTERVAL": "5",
        "AIRFLOW__SCHEDULER__SCHEDULER_HEARTBEAT_SEC": "2",
        "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "30",
        "PIPELINE_RETRY_DELAY_SECONDS": os.environ.get("PIPELINE_RETRY_DELAY_SECONDS", "5"),
        "PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    env.update(extra or {})
    return env


def _run(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(command, check=True, capture_output=True, text=True, **kwargs)


def _postgres_bin() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    return found[-1].parent if found else None


def ensure_services_installed() -> None:
    """PostgreSQL and Redis from Debian's packages, installed when missing (needs root and apt)."""
    missing = [pkg for pkg, present in (("postgresql", _postgres_bin()), ("redis-server", shutil.which("redis-server"))) if not present]
    if not missing:
        return
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        raise SystemExit(f"the cluster needs {', '.join(missing)} from Debian's packages: run `sudo apt-get install {' '.join(missing)}` and try again")
    print(f"installing {', '.join(missing)} from Debian's packages…", flush=True)
    _run(["apt-get", "update", "-qq"])
    _run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing], env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
    # Debian starts its own service on the standard ports; the cluster runs its own instances.
    subprocess.run(["service", "postgresql", "stop"], capture_output=True)
    subprocess.run(["service", "redis-server", "stop"], capture_output=True)


def _as_postgres(command: list[str]) -> subprocess.CompletedProcess:
    if os.geteuid() == 0:
        command = ["runuser", "-u", "postgres", "--", *command]
    return _run(command)


def start_postgres() -> None:
    paths, pg = _paths(), _postgres_bin()
    data = paths["pg"] / "data"
    if not (data / "PG_VERSION").exists():
        data.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(paths["pg"], "postgres")
            shutil.chown(data, "postgres")
        _as_postgres([str(pg / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8"])
    log = paths["pg"] / "postgres.log"
    _as_postgres([str(pg / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-o",
                  f"-p {here().postgres_port} -c listen_addresses=127.0.0.1 -k {paths['pg']}", "start"])
    password = _secrets()["db_password"]
    psql = [str(pg / "psql"), "-h", "127.0.0.1", "-p", str(here().postgres_port), "-U", "postgres", "-v", "ON_ERROR_STOP=1", "-tAc"]
    if _run([*psql, "SELECT 1 FROM pg_roles WHERE rolname = 'airflow'"]).stdout.strip() != "1":
        _run([*psql, f"CREATE ROLE airflow LOGIN PASSWORD '{password}'"])
        _run([*psql, "CREATE DATABASE airflow OWNER airflow"])


def stop_postgres() -> None:
    data = _paths()["pg"] / "data"
    if (data / "postmaster.pid").exists():
        _as_postgres([str(_postgres_bin() / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"])


def start_redis() -> None:
    paths = _paths()
    paths["redis"].mkdir(parents=True, exist_ok=True)
    port = here().redis_port
    _run(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--dir", str(paths["redis"]), "--daemonize", "yes",
          "--pidfile", str(paths["pids"] / "redis.pid"), "--logfile", str(paths["logs"] / "redis.log"), "--save", "", "--appendonly", "no"])
    _wait(lambda: _port_open(port), "Redis", 30)


def _port_open(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def _wait(condition, what: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit(f"{what} did not come up within {seconds:.0f}s; see {_paths()['logs']}")
        time.sleep(0.5)


def _spawn(name: str, command: list[str], env: dict[str, str]) -> int:
    """Start one process in its own session (its own process group), logging to ``logs/<name>.log``."""
    paths = _paths()
    with open(paths["logs"] / f"{name}.log", "ab") as log:
        process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
    (paths["pids"] / f"{name}.pid").write_text(str(process.pid))
    return process.pid


def worker_names(workers: int) -> list[str]:
    return [f"worker-{i}" for i in range(1, workers + 1)]


def start_airflow(workers: int) -> None:
    env = environment()
    airflow = str(VENV_BIN / "airflow")
    _run([airflow, "db", "migrate"], env=env)
    _run([airflow, "pools", "set", "duckdb_writer", "1", "One writer to the DuckDB warehouse at a time"], env=env)
    _spawn("api-server", [airflow, "api-server", "--host", "127.0.0.1", "--port", str(here().api_port), "--workers", "1"], env)
    _wait(api_healthy, "the api-server", 180)
    for service in AIRFLOW_SERVICES[1:]:
        _spawn(service, [airflow, service], env)
    queues = [(name, "default") for name in worker_names(workers)] + [("warehouse", "warehouse")]
    for number, (name, queue) in enumerate(queues):
        worker_env = {**env, "NEWS_WORKER_NAME": name, "AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT": str(here().log_server_port + number)}
        _spawn(name, [airflow, "celery", "worker", "--queues", queue, "--concurrency", "1", "--celery-hostname", f"{name}@%h"], worker_env)


def metadata(query: str, params: tuple = ()) -> list[tuple]:
    """Rows from the cluster's Airflow metadata database."""
    import psycopg2

    with psycopg2.connect(host="127.0.0.1", port=here().postgres_port, user="airflow", password=_secrets()["db_password"], dbname="airflow") as con:
        with con.cursor() as cur:
            cur.execute(query, params)
            return cur.fetchall()


def dag_registered(dag_id: str = "news_pipeline") -> bool:
    try:
        return bool(metadata("SELECT 1 FROM dag WHERE dag_id = %s AND NOT is_stale", (dag_id,)))
    except Exception:  # noqa: BLE001 - not migrated or not reachable yet: keep waiting
        return False


def api_healthy() -> bool:
    return local_airflow.api_healthy(here().api_port)


def login() -> str:
    return local_airflow.admin_login(_paths()["home"])


def start(workers: int) -> None:
    """Start the whole cluster (idempotent for PostgreSQL and Redis data; the Airflow processes must be stopped)."""
    running = _running()
    if running:
        raise SystemExit(f"the cluster is already running ({', '.join(running)}); `make cluster-stop` first")
    paths = _paths()
    for key in ("logs", "pids", "home"):
        paths[key].mkdir(parents=True, exist_ok=True)
    here().root.chmod(0o755)  # PostgreSQL runs as its own user and must reach its data folder
    ensure_services_installed()
    start_postgres()
    start_redis()
    start_airflow(workers)
    _wait(dag_registered, "the news_pipeline DAG (parsed by the dag-processor)", 240)
    print(f"cluster up: {workers} Celery workers (queue default) and one for the warehouse queue")
    print(f"Airflow UI: http://127.0.0.1:{here().api_port}  login {login()}")
    print(f"logs: {paths['logs']}; stop with `make cluster-stop`")


def _pid(name: str) -> int | None:
    try:
        return int((_paths()["pids"] / f"{name}.pid").read_text())
    except (OSError, ValueError):
        return None


def _running() -> list[str]:
    import psutil

    return [f.stem for f in sorted(_paths()["pids"].glob("*.pid")) if (pid := _pid(f.stem)) and psutil.pid_exists(pid)]


def process_tree(name: str) -> list:
    """The process a pid file names and all its descendants (a Celery worker's pool and task processes)."""
    import psutil

    pid = _pid(name)
    if pid is None or not psutil.pid_exists(pid):
        return []
    root = psutil.Process(pid)
    return [root, *root.children(recursive=True)]


def kill_tree(name: str, sig: int = signal.SIGKILL, wait: float = 15.0) -> list[int]:
    """Signal a started process and every descendant; returns the pids signalled."""
    import psutil

    tree = process_tree(name)
    for process in tree:
        try:
            process.send_signal(sig)
        except psutil.NoSuchProcess:
            pass
    psutil.wait_procs(tree, timeout=wait)
    return [p.pid for p in tree]


def stop() -> None:
    """Stop every Airflow process (SIGTERM, then SIGKILL after 15 s), then Redis and PostgreSQL."""
    import psutil

    names = [f.stem for f in sorted(_paths()["pids"].glob("*.pid")) if f.stem != "redis"]
    trees = {name: process_tree(name) for name in names}
    for name, tree in trees.items():
        for process in tree:
            try:
                process.terminate()
            except psutil.NoSuchProcess:
                pass
    _, alive = psutil.wait_procs([p for tree in trees.values() for p in tree], timeout=15)
    for process in alive:
        process.kill()
    psutil.wait_procs(alive, timeout=10)
    for name in names:
        (_paths()["pids"] / f"{name}.pid").unlink(missing_ok=True)
    redis = _pid("redis")
    if redis and psutil.pid_exists(redis):
        os.kill(redis, signal.SIGTERM)
        psutil.wait_procs([psutil.Process(redis)], timeout=10)
    (_paths()["pids"] / "redis.pid").unlink(missing_ok=True)
    stop_postgres()
    print("cluster stopped" + (f" ({len(alive)} processes needed SIGKILL)" if alive else ""))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devtools.cluster", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    start_parser = sub.add_parser("start", help="start PostgreSQL, Redis, Airflow's services and the Celery workers")
    start_parser.add_argument("--workers", type=int, default=int(os.environ.get("CLUSTER_WORKERS", "2")))
    sub.add_parser("stop", help="stop everything the cluster started")
    sub.add_parser("status", help="which of the cluster's processes run")
    kill = sub.add_parser("kill", help="SIGKILL one started process and its whole process tree (a worker lost, for tests)")
    kill.add_argument("name")
    args = parser.parse_args(argv)
    if args.command == "start":
        start(args.workers)
    elif args.command == "stop":
        stop()
    elif args.command == "kill":
        print(" ".join(str(pid) for pid in kill_tree(args.name)))
    else:
        print("\n".join(_running()) or "the cluster is not running")
    return 0


if __name__ == "__main__":
    sys.exit(main())
