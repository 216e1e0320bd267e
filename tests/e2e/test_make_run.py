"""`make run`, as an analyst types it: builds the warehouse with the five seeds; a second run changes nothing."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest

from tests.conftest import PROJECT, fingerprints

pytestmark = pytest.mark.e2e


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_run_twice(tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse"
    env = {
        **os.environ,
        "AIRFLOW_HOME": str(tmp_path / "airflow"),  # its own Airflow home: make sets it up from nothing
        "PIPELINE_WAREHOUSE_DIR": str(warehouse),
        "PIPELINE_SEEDS_DIR": str(PROJECT / "seeds"),
    }
    env.pop("MAKEFLAGS", None)

    def make_run() -> str:
        done = subprocess.run(["make", "run"], cwd=PROJECT, env=env, capture_output=True, text=True, timeout=900)
        assert done.returncode == 0, (done.stdout + done.stderr)[-4000:]
        return done.stdout

    first = make_run()
    assert "5 new or changed" in first
    assert re.search(r"^  articles +5$", first, re.M)
    db = warehouse / "news.duckdb"
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 5
    before = fingerprints(db)

    second = make_run()
    assert "0 new or changed" in second
    assert "files waiting for the next run: 0" in second
    assert fingerprints(db) == before
