"""DAG integrity: the DagBag loads, and the DAG is wired and documented the way the team agreed."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import PROJECT


@pytest.fixture(scope="module")
def dagbag():
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(dag_folder=str(PROJECT / "dags"))


def test_no_import_errors(dagbag) -> None:
    assert dagbag.import_errors == {}
    assert "news_pipeline" in dagbag.dags


def test_every_dag_has_tags_owner_retries_timeouts_and_docs(dagbag) -> None:
    for dag_id, dag in dagbag.dags.items():
        assert dag.tags, dag_id
        assert dag.doc_md and "seeds" in dag.doc_md, dag_id
        for task in dag.tasks:
            assert task.retries >= 1, task.task_id
            assert task.owner != "airflow", task.task_id
            assert task.execution_timeout is not None and task.execution_timeout.total_seconds() > 0, task.task_id


def test_news_pipeline_shape(dagbag) -> None:
    dag = dagbag.dags["news_pipeline"]
    assert dag.max_active_runs == 1
    assert dag.catchup is False
    from datetime import timedelta

    assert dag.timetable.delta == timedelta(minutes=30)
    tasks = {t.task_id: t for t in dag.tasks}
    assert set(tasks) == {"discover", "enrich", "deduplicate", "validate", "load", "publish"}
    assert type(tasks["enrich"]).__name__.endswith("MappedOperator")  # dynamic task mapping over shards
    assert {t.task_id for t in tasks["discover"].downstream_list} == {"enrich"}
    assert {t.task_id for t in tasks["enrich"].downstream_list} == {"deduplicate", "validate"}  # validate reads the staged paths
    assert {t.task_id for t in tasks["deduplicate"].downstream_list} == {"validate"}
    assert {t.task_id for t in tasks["validate"].downstream_list} == {"load"}
    assert {t.task_id for t in tasks["load"].downstream_list} == {"publish"}
    # Only load and publish write DuckDB, and they share the one-slot pool.
    writers = {task_id for task_id, t in tasks.items() if t.pool == "duckdb_writer"}
    assert writers == {"load", "publish"}
    outlets = tasks["publish"].outlets
    assert [o.group for o in outlets] == ["news_warehouse"] and outlets[0].uri.startswith("file:///")
    assert outlets[0].uri.endswith("/news.duckdb")
    # The tasks that open the DuckDB file run on the warehouse host's worker (CeleryExecutor queue).
    assert {task_id for task_id, t in tasks.items() if t.queue == "warehouse"} == {"discover", "deduplicate", "load", "publish"}
    # With nothing new, enrich maps over no shard; load and publish still run to repair what a crash left.
    assert tasks["load"].trigger_rule == tasks["publish"].trigger_rule == "none_failed"


def test_an_error_a_retry_cannot_fix_is_not_retried(tmp_path) -> None:
    import runpy

    from airflow.sdk.exceptions import AirflowFailException

    from pipeline.errors import ValidationFailed

    module = runpy.run_path(str(PROJECT / "dags" / "news_pipeline.py"))

    def broken_suite():
        raise ValidationFailed("a key is repeated")

    def flaky_disk():
        raise OSError("transient")

    with pytest.raises(AirflowFailException, match="a key is repeated"):
        module["_stage"](broken_suite)
    with pytest.raises(OSError):  # anything else keeps Airflow's retries
        module["_stage"](flaky_disk)


def test_parsing_the_dag_imports_nothing_heavy() -> None:
    code = (
        "import runpy, sys; runpy.run_path(sys.argv[1]);"
        "heavy = sorted(m for m in ('spacy', 'duckdb', 'great_expectations', 'pyarrow', 'pandas') if m in sys.modules);"
        "print(','.join(heavy))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(PROJECT / "dags" / "news_pipeline.py")],
        check=True, capture_output=True, text=True,
    ).stdout.strip().splitlines()[-1:]
    heavy = out[0] if out else ""
    assert not {"spacy", "duckdb", "great_expectations"} & set(heavy.split(",")), heavy
