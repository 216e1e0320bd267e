"""The real DAG, run by Airflow itself (`airflow dags test`), on temporary seeds and warehouse folders."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import duckdb
import pytest

from tests.conftest import BIN, PROJECT, fingerprints

pytestmark = pytest.mark.e2e


def _dags_test(env: dict[str, str], log: Path, conf: dict | None = None) -> str:
    import json

    done = subprocess.run(
        [str(BIN / "airflow"), "dags", "test", "news_pipeline", *(["--conf", json.dumps(conf)] if conf else [])],
        env=env, cwd=PROJECT, capture_output=True, text=True, timeout=600,
    )
    log.write_text(done.stdout + done.stderr)
    assert done.returncode == 0, (done.stdout + done.stderr)[-4000:]
    return done.stdout + done.stderr


def test_dag_loads_seeds_quarantines_bad_files_and_second_run_changes_nothing(airflow_home, seeds_dir, tmp_path) -> None:
    (seeds_dir / "empty.txt").write_text("   \n")
    (seeds_dir / "archive.zip").write_bytes(b"PK\x03\x04" + os.urandom(300))
    warehouse = tmp_path / "warehouse"
    env = {**os.environ, "PIPELINE_SEEDS_DIR": str(seeds_dir), "PIPELINE_WAREHOUSE_DIR": str(warehouse)}

    first = _dags_test(env, tmp_path / "first.log")
    assert "7 new or changed" in first
    db = warehouse / "news.duckdb"
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 5
        assert con.execute("SELECT count(*) FROM sentences").fetchone()[0] > 100
        assert con.execute("SELECT count(DISTINCT label) FROM entity_mentions").fetchone()[0] >= 5
        statuses = dict(con.execute("SELECT path, status FROM ingest_log").fetchall())
        assert statuses["empty.txt"] == statuses["archive.zip"] == "quarantined"
        assert sum(s == "loaded" for s in statuses.values()) == 5
        run_ids = {r[0] for r in con.execute("SELECT DISTINCT run_id FROM ingest_log").fetchall()}
        assert len(run_ids) == 1 and next(iter(run_ids)).startswith("manual__")
        views = {r[0] for r in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()}
        assert {"v_coverage_by_outlet", "v_top_entities", "v_entity_cooccurrence"} <= views
    assert list((warehouse / "lake" / "sentences" / "batch_id=loose").glob("*.parquet"))
    assert list((warehouse / "reports").glob("validation-*.html"))

    event = _last_asset_event(airflow_home)
    assert event["committed"] and event["loaded"] == 5 and event["quarantined"] == 2
    assert {f["path"] for f in event["quarantined_files"]} == {"empty.txt", "archive.zip"}
    assert all(f["reason"] for f in event["quarantined_files"]) and event["warehouse"] == str(db)

    before = fingerprints(db)
    second = _dags_test(env, tmp_path / "second.log")
    assert "0 new or changed" in second
    assert "as SKIPPED since the map has 0 values" in second
    assert fingerprints(db) == before
    assert _last_asset_event(airflow_home)["nothing_new"] is True


def test_trigger_parameters_dry_run_one_batch_and_force(airflow_home, seeds_dir, tmp_path) -> None:
    batch = seeds_dir / "b1"
    batch.mkdir()
    first_seed = sorted(seeds_dir.glob("*.txt"))[0]
    (batch / "one.txt").write_bytes(first_seed.read_bytes())
    warehouse = tmp_path / "warehouse"
    env = {**os.environ, "PIPELINE_SEEDS_DIR": str(seeds_dir), "PIPELINE_WAREHOUSE_DIR": str(warehouse)}
    db = warehouse / "news.duckdb"

    dry = _dags_test(env, tmp_path / "dry.log", {"batch": "b1", "dry_run": True})
    assert "1 new or changed" in dry and "dry run, nothing loaded" in dry
    assert list((warehouse / "reports").glob("validation-*.html")), "a dry run still writes its validation report"
    assert not db.exists() or duckdb.connect(str(db), read_only=True).execute("SELECT count(*) FROM articles").fetchone()[0] == 0
    staging = warehouse / "staging"
    assert not staging.exists() or not [p for p in staging.iterdir() if p.is_dir()], "a dry run leaves no staging folder"

    _dags_test(env, tmp_path / "batch.log", {"batch": "b1"})
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT DISTINCT path FROM ingest_log").fetchall() == [("b1/one.txt",)]
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 1

    unchanged = _dags_test(env, tmp_path / "unchanged.log", {"batch": "b1"})
    assert "0 new or changed" in unchanged
    forced = _dags_test(env, tmp_path / "forced.log", {"batch": "b1", "force": True})
    assert "1 new or changed" in forced
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM ingest_log WHERE path = 'b1/one.txt' AND status = 'loaded'").fetchone()[0] == 2
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 1

    import json
    import sys

    subprocess.run([str(BIN / "airflow"), "dags", "test", "news_pipeline", "--conf", json.dumps({"batch": "nope"})],
                   env=env, cwd=PROJECT, capture_output=True, text=True, timeout=600)
    status = subprocess.run([sys.executable, "-m", "pipeline", "status"], env=env, cwd=PROJECT, capture_output=True, text=True, timeout=120)
    assert "runs that failed and have not loaded since: 1" in status.stdout, status.stdout + status.stderr
    assert "(discover, " in status.stdout and "no batch 'nope'" in status.stdout and "b1, loose" in status.stdout


def _last_asset_event(airflow_home: Path) -> dict:
    """The extra of the newest event of the warehouse asset, from Airflow's metadata database."""
    import json
    import sqlite3

    with sqlite3.connect(airflow_home / "airflow.db") as con:
        row = con.execute(
            "SELECT e.extra, a.uri FROM asset_event e JOIN asset a ON a.id = e.asset_id WHERE a.\"group\" = 'news_warehouse' "
            "ORDER BY e.id DESC LIMIT 1"
        ).fetchone()
    assert row is not None, "no event of the warehouse asset"
    extra = json.loads(row[0])
    assert row[1] == Path(extra["warehouse"]).resolve().as_uri(), "the asset's URI is the warehouse's real location"
    return extra


def _wait_for(condition, what: str, processes: list[subprocess.Popen], seconds: float = 300) -> None:
    import time

    deadline = time.monotonic() + seconds
    while not condition():
        for process in processes:
            assert process.poll() is None, f"a run ended before {what}: {process.stdout.read()[-3000:]}"
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


@pytest.mark.parametrize("first", ["cli", "airflow"])
def test_a_cli_run_and_an_airflow_run_together_process_each_file_once(airflow_home, seeds_dir, tmp_path, first) -> None:
    """Started together, each run's critical step is made to meet the other's: the CLI holding the
    run lock while Airflow plans, or Airflow's claim standing while the CLI plans."""

    from tests.utils import write_articles

    write_articles(seeds_dir / "batch", 115)  # the first run takes long enough for the second to meet it
    warehouse = tmp_path / "warehouse"
    env = {**os.environ, "PIPELINE_SEEDS_DIR": str(seeds_dir), "PIPELINE_WAREHOUSE_DIR": str(warehouse)}
    commands = {"cli": [str(BIN / "python"), "-m", "pipeline", "run"], "airflow": [str(BIN / "airflow"), "dags", "test", "news_pipeline"]}

    def start(which: str) -> subprocess.Popen:
        return subprocess.Popen(commands[which], env=env, cwd=PROJECT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    def cli_holds_the_lock() -> bool:
        lock = warehouse / ".run.lock"
        return lock.exists() and "command-line run" in lock.read_text()

    def airflow_claimed() -> bool:
        return any((warehouse / "staging").glob("manual__*/claim.json"))

    runs = {first: start(first)}
    _wait_for(cli_holds_the_lock if first == "cli" else airflow_claimed, f"the {first} run to take the files", list(runs.values()))
    second = "airflow" if first == "cli" else "cli"
    runs[second] = start(second)
    outputs = {which: run.communicate(timeout=900)[0] for which, run in runs.items()}
    for which, output in outputs.items():
        (tmp_path / f"{which}.log").write_text(output)
        assert runs[which].returncode == 0, output[-3000:]
    if first == "cli":
        assert "waiting for the warehouse" in outputs["airflow"] and "held by the command-line run" in outputs["airflow"]
    else:
        assert "120 new files are being processed by an Airflow run and were left to it" in outputs["cli"]
    db = warehouse / "news.duckdb"
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*), count(DISTINCT path) FROM ingest_log").fetchone() == (120, 120)
        assert con.execute("SELECT count(DISTINCT run_id) FROM ingest_log").fetchone()[0] == 1
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 120
        for table in ("articles", "sentences", "ingest_log"):
            lake = con.execute(f"SELECT count(*) FROM read_parquet('{warehouse}/lake/{table}/*/*.parquet')").fetchone()[0]
            assert lake == con.execute(f"SELECT count(*) FROM {table}").fetchone()[0], table
