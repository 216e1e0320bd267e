"""The DAG on the real several-machine stack: CeleryExecutor, PostgreSQL and Redis from Debian's
packages, two Celery workers and one for the warehouse queue (``devtools/cluster.py``, as ``make
cluster`` starts it), on temporary folders and free ports.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import psutil
import pytest

from tests.conftest import PROJECT, SEEDS
from tests.utils import write_articles

pytestmark = pytest.mark.cluster

PYTHON = sys.executable


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def cluster():
    """A cluster of its own: data under a temporary folder, free ports, no schedule (runs are triggered)."""
    root = Path(tempfile.mkdtemp(prefix="news-cluster-"))
    root.chmod(0o755)
    seeds, warehouse = root / "seeds", root / "warehouse"
    seeds.mkdir()
    for path in SEEDS.glob("*.txt"):
        (seeds / path.name).write_bytes(path.read_bytes())
    env = {
        **os.environ,
        "CLUSTER_DIR": str(root / "cluster"),
        "CLUSTER_POSTGRES_PORT": str(_free_port()),
        "CLUSTER_REDIS_PORT": str(_free_port()),
        "CLUSTER_API_PORT": str(_free_port()),
        "CLUSTER_LOG_SERVER_PORT": str(_free_port()),
        "PIPELINE_SEEDS_DIR": str(seeds),
        "PIPELINE_WAREHOUSE_DIR": str(warehouse),
        "PIPELINE_SCHEDULE_MINUTES": "0",
        "PIPELINE_SHARD_SIZE": "60",
    }
    started = subprocess.run([PYTHON, "-m", "devtools.cluster", "start", "--workers", "2"], env=env, cwd=PROJECT,
                             capture_output=True, text=True, timeout=900)
    assert started.returncode == 0, started.stdout[-3000:] + started.stderr[-3000:]
    handle = Cluster(env, seeds, warehouse)
    try:
        yield handle
    finally:
        stopped = subprocess.run([PYTHON, "-m", "devtools.cluster", "stop"], env=env, cwd=PROJECT, capture_output=True, text=True, timeout=300)
        leftovers = handle.processes()
        assert stopped.returncode == 0 and leftovers == [], (stopped.stdout, stopped.stderr, leftovers)


class Cluster:
    """Drives the cluster the way an operator would: the airflow CLI, the metadata database, the warehouse."""

    def __init__(self, env: dict[str, str], seeds: Path, warehouse: Path) -> None:
        self.env, self.seeds, self.warehouse = env, seeds, warehouse
        sys.path.insert(0, str(PROJECT))
        previous = dict(os.environ)
        os.environ.update(env)
        try:
            from devtools.cluster import environment, here
            self.airflow_env = environment()
            self.settings = here()
        finally:
            os.environ.clear()
            os.environ.update(previous)

    def sql(self, query: str, params: tuple = ()) -> list[tuple]:
        import json

        import psycopg2

        password = json.loads((self.settings.root / "secrets.json").read_text())["db_password"]
        with psycopg2.connect(host="127.0.0.1", port=self.settings.postgres_port, user="airflow", password=password, dbname="airflow") as con:
            with con.cursor() as cur:
                cur.execute(query, params)
                return cur.fetchall()

    def trigger(self) -> str:
        run_id = f"manual__test_{time.time_ns()}"
        done = subprocess.run([str(Path(PYTHON).parent / "airflow"), "dags", "trigger", "news_pipeline", "--run-id", run_id],
                              env=self.airflow_env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
        return run_id

    def state(self, run_id: str) -> str | None:
        rows = self.sql("SELECT state FROM dag_run WHERE run_id = %s", (run_id,))
        return rows[0][0] if rows else None

    def wait(self, run_id: str, seconds: float) -> str:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            state = self.state(run_id)
            if state in ("success", "failed"):
                return state
            time.sleep(1)
        raise AssertionError(f"run {run_id} still {self.state(run_id)} after {seconds:.0f}s; task instances: {self.tasks(run_id)}")

    def tasks(self, run_id: str) -> list[tuple]:
        return self.sql("SELECT task_id, map_index, hostname, state, try_number, queue FROM task_instance WHERE run_id = %s "
                        "ORDER BY task_id, map_index", (run_id,))

    def processes(self) -> list[str]:
        """Processes still running with this cluster's Airflow home or data folder (none after a stop)."""
        marker = str(self.settings.root)
        found = []
        for process in psutil.process_iter(["pid", "cmdline", "environ"]):
            try:
                text = " ".join(process.info["cmdline"] or []) + " " + (process.info["environ"] or {}).get("AIRFLOW_HOME", "")
            except (psutil.Error, TypeError):
                continue
            if marker in text and process.pid != os.getpid() and process.status() != psutil.STATUS_ZOMBIE:
                found.append(f"{process.pid} {text[:120]}")
        return found

    def worker_processes(self, name: str) -> list[int]:
        """Every process started for one worker (its environment names it), wherever it was reparented."""
        pids = []
        for process in psutil.process_iter(["pid", "environ"]):
            try:
                environ = process.info["environ"] or {}
            except psutil.Error:
                continue
            if environ.get("NEWS_WORKER_NAME") == name and environ.get("AIRFLOW_HOME") == self.airflow_env["AIRFLOW_HOME"]:
                if process.status() != psutil.STATUS_ZOMBIE:
                    pids.append(process.pid)
        return pids


def _loaded_once(warehouse: Path, expected: int) -> None:
    with duckdb.connect(str(warehouse / "news.duckdb"), read_only=True) as con:
        assert con.execute("SELECT count(*), count(DISTINCT source_path) FROM articles").fetchone() == (expected, expected)
        assert con.execute("SELECT count(*) FROM ingest_log").fetchone()[0] == con.execute("SELECT count(DISTINCT path) FROM ingest_log").fetchone()[0]
        for table in ("articles", "sentences", "ingest_log"):
            lake = con.execute(f"SELECT count(*) FROM read_parquet('{warehouse}/lake/{table}/*/*.parquet')").fetchone()[0]
            assert lake == con.execute(f"SELECT count(*) FROM {table}").fetchone()[0], table


def test_the_dag_runs_on_celery_workers_and_loads_every_article_once(cluster) -> None:
    write_articles(cluster.seeds / "batch-200", 200)
    run_id = cluster.trigger()
    assert cluster.wait(run_id, 600) == "success", cluster.tasks(run_id)
    tasks = cluster.tasks(run_id)
    enrich_hosts = {host for task, _, host, state, _, _ in tasks if task == "enrich" and state == "success"}
    assert enrich_hosts == {"worker-1", "worker-2"}, tasks  # both workers ran mapped enrich tasks
    on_the_warehouse_host = [(task, host, tries, queue) for task, _, host, _, tries, queue in tasks if queue == "warehouse"]
    assert on_the_warehouse_host == [(t, "warehouse", 1, "warehouse") for t in ("deduplicate", "discover", "load", "publish")]  # each once
    _loaded_once(cluster.warehouse, 205)


def test_a_worker_killed_mid_enrich_costs_under_two_minutes_and_nothing_twice(cluster) -> None:
    write_articles(cluster.seeds / "batch-kill", 240, seed=11)
    run_id = cluster.trigger()
    deadline = time.monotonic() + 300
    while True:  # wait for worker-2 to be enriching
        running = {host for task, _, host, state, _, _ in cluster.tasks(run_id) if task == "enrich" and state == "running"}
        if "worker-2" in running:
            break
        assert time.monotonic() < deadline and cluster.state(run_id) in ("queued", "running"), cluster.tasks(run_id)
        time.sleep(0.2)
    tree = cluster.worker_processes("worker-2")
    killed = subprocess.run([PYTHON, "-m", "devtools.cluster", "kill", "worker-2"], env=cluster.env, cwd=PROJECT,
                            capture_output=True, text=True, timeout=120)
    killed_at = time.monotonic()
    assert killed.returncode == 0, killed.stderr
    assert set(tree) <= {int(pid) for pid in killed.stdout.split()}, (tree, killed.stdout)  # the whole tree, task processes too
    assert cluster.worker_processes("worker-2") == []  # no orphaned task keeps running (or writing)

    assert cluster.wait(run_id, 300) == "success", cluster.tasks(run_id)
    assert time.monotonic() - killed_at < 120, f"recovered in {time.monotonic() - killed_at:.0f}s"
    retried = [t for t in cluster.tasks(run_id) if t[0] == "enrich" and t[4] > 1]
    assert retried and all(host != "worker-2" for _, _, host, _, _, _ in retried), cluster.tasks(run_id)
    _loaded_once(cluster.warehouse, 445)
