"""Staging, lake and reports on another file system (fsspec's memory://): no stage may lean on a shared local folder."""

from __future__ import annotations

import uuid
from dataclasses import replace

import duckdb
import pytest
from upath import UPath

from pipeline.run import run_pipeline
from pipeline.store.fs import read_table
from tests.conftest import fingerprints
from tests.utils import write_articles

pytestmark = pytest.mark.e2e


def test_a_run_with_staging_lake_and_reports_elsewhere(settings, seeds_dir) -> None:
    write_articles(seeds_dir / "batch", 6)
    (seeds_dir / "batch" / "empty.txt").write_text("")
    remote = f"memory://news-{uuid.uuid4().hex}"
    elsewhere = replace(settings, workers=1, staging_url=f"{remote}/staging", lake_url=f"{remote}/lake", reports_url=f"{remote}/reports")

    summary = run_pipeline(elsewhere, "remote__first")
    assert summary["n_new"] == 12 and summary["quarantined"] == 1
    # only the DuckDB files (and the lock) are on the local disk
    assert {p.name for p in elsewhere.warehouse_dir.iterdir()} <= {"news.duckdb", "news-readonly.duckdb", ".run.lock", "quarantine"}
    lake = UPath(f"{remote}/lake")
    with duckdb.connect(str(elsewhere.db_path), read_only=True) as con:
        for table in ("articles", "sentences", "ingest_log"):
            files = [str(p) for p in lake.glob(f"{table}/*/*.parquet")]
            assert files and read_table(files).num_rows == con.execute(f"SELECT count(*) FROM {table}").fetchone()[0], table
    assert list(UPath(f"{remote}/reports").glob("validation-*.html"))
    assert list(UPath(f"{remote}/staging").iterdir()) == []  # the finished run left nothing staged

    before = fingerprints(elsewhere.db_path)
    assert run_pipeline(elsewhere, "remote__second")["n_new"] == 0
    assert fingerprints(elsewhere.db_path) == before
