"""`make compose-test`: build the compose stack here, bring it up, run the DAG through it, check DuckDB.

No image is pulled from a registry. The steps, each logged:

1. the tools: a Docker engine, Compose and debootstrap from Debian's packages (installed with
   ``apt-get`` when missing, which needs root); ``dockerd`` is started when no engine answers, and
   stopped again at the end, by its process id;
2. a Debian bookworm base image made with ``debootstrap`` and ``docker import``
   (``news-debian-base:bookworm``, built once and kept; ``--base-image`` names another);
3. a copy of the project (the files git knows, as they are in the working tree) in a temporary
   folder, with this host's extra certificate authorities, a ``.env`` with fresh secrets and the
   host's user id, then ``compose build`` and ``compose up -d``;
4. the DAG triggered through the api-server container; the run must succeed, every seed article
   must be in ``warehouse/news.duckdb`` on the host (bind mount) once, load and publish must have run
   on the warehouse worker and enrich on the default worker;
5. ``compose down -v`` and the temporary folder removed, whatever happened (``--keep`` leaves
   the stack up for a look).
"""

from __future__ import annotations

import argparse
import base64
import json
import logging
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from pipeline.config import PROJECT_ROOT

log = logging.getLogger("compose-test")
BASE_IMAGE = "news-debian-base:bookworm"
DEBIAN_MIRROR = "http://deb.debian.org/debian"
PACKAGES = {"docker": "docker.io", "debootstrap": "debootstrap"}
DAG_ID = "news_pipeline"


def _run(command: list[str], *, cwd: Path | None = None, timeout: float = 1800, quiet: bool = False) -> str:
    log.info("$ %s", " ".join(command))
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        raise SystemExit(f"`{' '.join(command)}` failed ({done.returncode}):\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    if not quiet and done.stdout.strip():
        log.info("%s", done.stdout.strip()[-1500:])
    return done.stdout


def _apt_install(packages: list[str]) -> None:
    if not packages:
        return
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        raise SystemExit(f"compose-test needs {' '.join(packages)}: run `sudo apt-get install {' '.join(packages)}` and try again")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env, capture_output=True)
    subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages], check=True, env=env, capture_output=True)


def compose_command() -> list[str]:
    """`docker compose` (the plugin) when it is there, else Debian's `docker-compose`, installed if needed."""
    if shutil.which("docker") and subprocess.run(["docker", "compose", "version"], capture_output=True).returncode == 0:
        return ["docker", "compose"]
    if not shutil.which("docker-compose"):
        _apt_install(["docker-compose"])
    return ["docker-compose"]


def ensure_tools() -> None:
    _apt_install([package for tool, package in PACKAGES.items() if not shutil.which(tool)])


def _engine_answers() -> bool:
    return subprocess.run(["docker", "info"], capture_output=True, timeout=60).returncode == 0


def start_engine(state: Path) -> int | None:
    """Start ``dockerd`` when no engine answers; returns its pid (to stop it later) or None."""
    if _engine_answers():
        return None
    log_file = open(state / "dockerd.log", "ab")
    process = subprocess.Popen(["dockerd"], stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True)
    (state / "dockerd.pid").write_text(str(process.pid))
    deadline = time.monotonic() + 60
    while not _engine_answers():
        if process.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"dockerd did not start; see {state / 'dockerd.log'}")
        time.sleep(1)
    log.info("started dockerd (pid %d)", process.pid)
    return process.pid


def stop_engine(pid: int | None) -> None:
    if pid is None:
        return
    os.kill(pid, 15)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            log.info("stopped dockerd (pid %d)", pid)
            return
        try:
            os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            pass
        time.sleep(0.5)
    os.kill(pid, 9)


def ensure_base_image(name: str, work: Path) -> None:
    """A minimal Debian bookworm image from Debian's mirror (debootstrap + docker import), once."""
    if subprocess.run(["docker", "image", "inspect", name], capture_output=True).returncode == 0:
        log.info("base image %s is there", name)
        return
    if name != BASE_IMAGE:
        raise SystemExit(f"base image {name} not found: build it, or leave out --base-image to build {BASE_IMAGE}")
    rootfs = work / "rootfs"
    log.info("building %s with debootstrap from %s (about a minute)", name, DEBIAN_MIRROR)
    _run(["debootstrap", "--variant=minbase", "bookworm", str(rootfs), DEBIAN_MIRROR], quiet=True)
    tar = subprocess.Popen(["tar", "-C", str(rootfs), "-c", "."], stdout=subprocess.PIPE)
    subprocess.run(["docker", "import", "-", name], stdin=tar.stdout, check=True, capture_output=True)
    tar.wait()
    shutil.rmtree(rootfs, ignore_errors=True)


def copy_project(target: Path) -> None:
    """The files git knows (tracked and new, not ignored), as they are in the working tree."""
    listed = _run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=PROJECT_ROOT, quiet=True)
    for relative in filter(None, listed.split("\0")):
        source = PROJECT_ROOT / relative
        if source.is_file():
            (target / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / relative)
    for authority in Path("/usr/local/share/ca-certificates").glob("*.crt"):
        shutil.copy2(authority, target / "docker" / "ca-certificates" / authority.name)


def write_env(target: Path, base_image: str, schedule_minutes: int = 0) -> None:
    fernet = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
    values = {
        "AIRFLOW_UID": str(os.getuid() or 50000),
        "POSTGRES_PASSWORD": secrets.token_urlsafe(16),
        "AIRFLOW_FERNET_KEY": fernet,
        "AIRFLOW_JWT_SECRET": secrets.token_urlsafe(32),
        "AIRFLOW_API_SECRET_KEY": secrets.token_urlsafe(32),
        "BASE_IMAGE": base_image,
        "PIPELINE_SCHEDULE_MINUTES": str(schedule_minutes),  # 0: runs only when triggered
    }
    (target / ".env").write_text("".join(f"{k}={v}\n" for k, v in values.items()))


def _airflow(compose: list[str], project: Path, *args: str) -> str:
    return _run([*compose, "exec", "-T", "airflow-apiserver", "airflow", *args], cwd=project, timeout=300, quiet=True)


def _last_json(output: str):
    return json.loads(next(line for line in reversed(output.splitlines()) if line.startswith(("[", "{"))))


def wait_for_dag(compose: list[str], project: Path, seconds: float = 600) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        listed = subprocess.run([*compose, "exec", "-T", "airflow-apiserver", "airflow", "dags", "list", "-o", "json"],
                                cwd=project, capture_output=True, text=True)
        if listed.returncode == 0 and any(d["dag_id"] == DAG_ID for d in _last_json(listed.stdout)):
            return
        time.sleep(5)
    raise SystemExit(f"{DAG_ID} was not registered within {seconds:.0f}s; see `{' '.join(compose)} logs airflow-dag-processor`")


def run_dag(compose: list[str], project: Path, seconds: float = 900) -> str:
    run_id = _last_json(_airflow(compose, project, "dags", "trigger", DAG_ID, "-o", "json"))[0]["dag_run_id"]
    log.info("triggered %s", run_id)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        runs = _last_json(_airflow(compose, project, "dags", "list-runs", DAG_ID, "-o", "json"))
        state = next(r["state"] for r in runs if r["run_id"] == run_id)
        if state in ("success", "failed"):
            return state
        time.sleep(5)
    raise SystemExit(f"{run_id} did not finish within {seconds:.0f}s")


def task_hosts(compose: list[str], project: Path) -> dict[str, set[str]]:
    """task_id -> the compose services whose containers ran it (from the metadata database)."""
    rows = _run([*compose, "exec", "-T", "postgres", "psql", "-h", "/tmp", "-U", "postgres", "-d", "airflow", "-At", "-F", "|", "-c",
                 "SELECT task_id, hostname FROM task_instance WHERE state = 'success'"], cwd=project, quiet=True)
    services = {}
    for service in ("airflow-worker", "airflow-warehouse-worker"):
        for container in _run([*compose, "ps", "-q", service], cwd=project, quiet=True).split():
            services[container[:12]] = service
    hosts: dict[str, set[str]] = {}
    for line in rows.splitlines():
        task_id, hostname = line.split("|")
        hosts.setdefault(task_id, set()).add(services.get(hostname[:12], hostname))
    return hosts


def check(project: Path, compose: list[str]) -> None:
    seeds = sorted(p.name for p in (project / "seeds").glob("*.txt"))
    with duckdb.connect(str(project / "warehouse" / "news.duckdb"), read_only=True) as con:
        loaded = sorted(Path(p).name for (p,) in con.execute("SELECT source_path FROM articles").fetchall())
        statuses = dict(con.execute("SELECT status, count(*) FROM ingest_log GROUP BY status").fetchall())
    if loaded != seeds:
        raise SystemExit(f"the warehouse holds {loaded}, the seeds are {seeds}")
    hosts = task_hosts(compose, project)
    expected = {"discover": {"airflow-warehouse-worker"}, "load": {"airflow-warehouse-worker"},
                "publish": {"airflow-warehouse-worker"}, "enrich": {"airflow-worker"}, "validate": {"airflow-worker"}}
    wrong = {task: hosts.get(task) for task, where in expected.items() if hosts.get(task) != where}
    if wrong:
        raise SystemExit(f"tasks ran on the wrong containers: {wrong} (expected {expected})")
    log.info("the compose stack loaded %d articles (%s); tasks ran where they should: %s", len(loaded), statuses,
             {task: sorted(where) for task, where in hosts.items()})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devtools.compose_test", description=__doc__.splitlines()[0])
    parser.add_argument("--base-image", default=os.environ.get("BASE_IMAGE", BASE_IMAGE))
    parser.add_argument("--keep", action="store_true", help="leave the stack up and its folder in place")
    parser.add_argument("--write-env", action="store_true", help="only write the project's .env with fresh secrets (make compose-env)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s compose-test: %(message)s", stream=sys.stdout)
    if args.write_env:
        if (PROJECT_ROOT / ".env").exists():
            raise SystemExit(f"{PROJECT_ROOT / '.env'} exists; remove it first to write one with fresh secrets")
        write_env(PROJECT_ROOT, args.base_image, schedule_minutes=30)
        log.info("wrote %s (never commit it)", PROJECT_ROOT / ".env")
        return 0
    state = PROJECT_ROOT / ".compose"
    state.mkdir(exist_ok=True)
    ensure_tools()
    compose = compose_command()
    engine = start_engine(state)
    work = Path(tempfile.mkdtemp(prefix="news-compose-"))
    project = work / "project"
    up = False
    started = time.monotonic()
    try:
        ensure_base_image(args.base_image, work)
        copy_project(project)
        write_env(project, args.base_image)
        _run([*compose, "build"], cwd=project, timeout=3600, quiet=True)
        log.info("images built in %.0fs", time.monotonic() - started)
        up = True
        _run([*compose, "up", "-d"], cwd=project, timeout=900)
        wait_for_dag(compose, project)
        state_of_run = run_dag(compose, project)
        if state_of_run != "success":
            raise SystemExit(f"the DAG run ended {state_of_run}; see `{' '.join(compose)} logs` in {project}")
        check(project, compose)
        log.info("compose-test passed in %.0fs", time.monotonic() - started)
        return 0
    finally:
        if not args.keep:
            if up:
                subprocess.run([*compose, "down", "-v", "--remove-orphans"], cwd=project, capture_output=True, timeout=600)
            shutil.rmtree(work, ignore_errors=True)
            stop_engine(engine)
        else:
            log.info("left up: %s (stop with `%s down -v` there)", project, " ".join(compose))


if __name__ == "__main__":
    sys.exit(main())
