"""Shared fixtures: an isolated Airflow home, temporary seeds and warehouse folders, the loaded model.

Airflow reads its configuration when first imported, so the environment is set here, before any
test module imports it. Nothing under ``../shared`` is used: tests run on the project's seeds and
on files they write themselves.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
SEEDS = PROJECT / "seeds"
BIN = Path(sys.executable).parent

_AIRFLOW_HOME = Path(tempfile.mkdtemp(prefix="news-pipeline-airflow-"))
os.environ.update(
    {
        "AIRFLOW_HOME": str(_AIRFLOW_HOME),
        "AIRFLOW__CORE__DAGS_FOLDER": str(PROJECT / "dags"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
        "AIRFLOW__CORE__PARALLELISM": "2",
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
    }
)


TIERS = {"nlp": "slow", "devtools": "slow", "e2e": "e2e", "dags": "airflow", "cluster": "cluster"}


def pytest_collection_modifyitems(config, items):
    """Mark each test by its folder: unit/ is the fast tier (no model, no Airflow, no benchmark)."""
    for item in items:
        folder = Path(str(item.fspath)).parent.name
        if folder in TIERS:
            item.add_marker(getattr(pytest.mark, TIERS[folder]))


def pytest_sessionfinish(session, exitstatus):
    shutil.rmtree(_AIRFLOW_HOME, ignore_errors=True)


@pytest.fixture(scope="session")
def airflow_home() -> Path:
    """An Airflow metadata database (SQLite) with the ``duckdb_writer`` pool, made once per session."""
    subprocess.run([BIN / "airflow", "db", "migrate"], check=True, capture_output=True)
    subprocess.run(
        [BIN / "airflow", "pools", "set", "duckdb_writer", "1", "test writer pool"], check=True, capture_output=True
    )
    return _AIRFLOW_HOME


@pytest.fixture(scope="session")
def nlp():
    from pipeline.config import DEFAULT_MODEL
    from pipeline.nlp.model import load_model

    return load_model(DEFAULT_MODEL)


@pytest.fixture
def seeds_dir(tmp_path: Path) -> Path:
    """A private copy of the project's five seed articles."""
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS, target)
    return target


@pytest.fixture
def settings(seeds_dir: Path, tmp_path: Path):
    from pipeline.config import load_settings

    return load_settings().with_dirs(seeds_dir, tmp_path / "warehouse")


def fingerprints(db_path: Path) -> dict[str, tuple[int, str]]:
    """Row count and an order-independent checksum of every warehouse table."""
    import duckdb

    from pipeline.store.tables import TABLES

    with duckdb.connect(str(db_path), read_only=True) as con:
        return {
            table: con.execute(
                f"SELECT count(*), coalesce(md5(string_agg(CAST(t AS VARCHAR), '\n' ORDER BY CAST(t AS VARCHAR))), '') "
                f"FROM {table} t"
            ).fetchone()
            for table in TABLES
        }
