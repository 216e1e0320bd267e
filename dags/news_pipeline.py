"""
### News pipeline: seeds → spaCy → Great Expectations → Parquet → DuckDB

Analysts drop article files (or batch folders) into `seeds/`. Every run:

1. **discover** lists `seeds/`, skips files the warehouse has already seen (same path and
   content), and cuts the new ones into shards.
2. **enrich** (one mapped task per shard) decodes, cleans and parses each file with spaCy and
   stages one Parquet file per table; unreadable or non-article files are quarantined with a reason.
3. **deduplicate** decides which staged articles are exact copies of loaded ones (recorded as
   `duplicate` in `ingest_log`, not loaded) and which are near-duplicates
   (`articles.near_duplicate_of`, MinHash/LSH); it writes its decisions to a file of its own.
4. **validate** runs the Great Expectations suite of every table on what would be loaded. An
   article whose rows fail a check is quarantined (its reason names the table, the check and the
   bad value); only run-wide failures (a missing column, a repeated key) stop the run, without
   retries. The HTML report under `warehouse/reports/` opens with a summary.
5. **load** (pool `duckdb_writer`, one slot, and the warehouse's run lock) first finishes what an
   earlier crash left, then replaces the articles of this run in one transaction and moves the
   loaded Parquet into `warehouse/lake/`.
6. **publish** makes the analyst views, the full-text index and the readers' copy
   (`news-readonly.duckdb`) match the last load, rebuilding them if a crash left them behind, and
   updates the warehouse asset (its URI is the DuckDB file's location; group `news_warehouse`).

Trigger parameters (the **Trigger** form): `batch` (only one folder under `seeds/`), `force`
(reprocess unchanged files) and `dry_run` (validate and write the report, load nothing).

A run with nothing new skips enrich, deduplicate and validate; load and publish still check (and
repair) the warehouse and write nothing when it is in order. Every task has an
`execution_timeout` (`PIPELINE_TASK_TIMEOUT_MINUTES`). Query the result with
`python -m pipeline sql "SELECT ..."` or any DuckDB client opened on the readers' copy `warehouse/news-readonly.duckdb`.
Folders: `PIPELINE_SEEDS_DIR`, `PIPELINE_WAREHOUSE_DIR` (see the README).
"""

from __future__ import annotations

from datetime import timedelta

import pendulum
from airflow.sdk import Asset, Param, dag, get_current_context, task

from pipeline.config import load_settings

WRITER_POOL = "duckdb_writer"
# With CeleryExecutor the tasks that open the DuckDB file (discover and deduplicate read it, load
# and publish write it) run on the worker of the `warehouse` queue, on the host that keeps the
# file on its local disk; enrich and validate run on any worker and reach staged files by URL.
WAREHOUSE_QUEUE = "warehouse"
SETTINGS = load_settings()
# The warehouse as Airflow sees it, named by its real location (PIPELINE_WAREHOUSE_DIR): a
# warehouse in another folder is another asset (Airflow keeps one URI per asset name).
WAREHOUSE = Asset(uri=SETTINGS.db_path.resolve().as_uri(), group="news_warehouse")


def _stage(function, *args, **kwargs):
    """Call a pipeline stage; an error a retry cannot fix fails the task without retries."""
    from pipeline.errors import PermanentError

    try:
        return function(*args, **kwargs)
    except PermanentError as exc:
        from airflow.sdk.exceptions import AirflowFailException

        raise AirflowFailException(str(exc)) from exc


def _release_claim(context) -> None:
    """A task failed for good: record why (for `pipeline status`) and free the run's files for the next run."""
    from pipeline.discover import fail_run

    fail_run(load_settings(), context["run_id"], context["task_instance"].task_id, context.get("exception"))


@dag(
    dag_id="news_pipeline",
    schedule=timedelta(minutes=SETTINGS.schedule_minutes) if SETTINGS.schedule_minutes > 0 else None,
    start_date=pendulum.datetime(2024, 8, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    default_args={
        "owner": "news-analytics",
        "retries": 2,
        "retry_delay": timedelta(seconds=SETTINGS.retry_delay_seconds),
        "execution_timeout": timedelta(minutes=SETTINGS.task_timeout_minutes),
        "on_failure_callback": _release_claim,
    },
    tags=["news", "nlp", "duckdb"],
    doc_md=__doc__,
    params={
        "batch": Param(
            None, type=["null", "string"], title="Batch folder",
            description="Process only this folder under seeds/ (`loose` for the files at its top); empty for all.",
        ),
        "force": Param(
            False, type="boolean", title="Reprocess unchanged files",
            description="Take every file again even if the warehouse has it unchanged (after a rule changed).",
        ),
        "dry_run": Param(
            False, type="boolean", title="Dry run",
            description="Enrich and validate (with the validation report) but load nothing.",
        ),
    },
)
def news_pipeline():
    @task(queue=WAREHOUSE_QUEUE)
    def discover() -> list[str]:
        """List `seeds/`, claim the new or changed files and cut them into shards; returns the shard files."""
        from pipeline.discover import discover

        context = get_current_context()
        params = context["params"]
        planned = _stage(discover, load_settings(), context["run_id"], batch=params.get("batch") or None, force=bool(params.get("force")))
        return planned["shards"]

    @task(max_active_tis_per_dagrun=2)
    def enrich(shard_file: str) -> dict:
        """Decode, clean and parse one shard with spaCy; stage its tables as Parquet."""
        from pipeline.enrich import enrich

        return _stage(enrich, shard_file, load_settings())

    @task(queue=WAREHOUSE_QUEUE)
    def deduplicate(shard_results: list[dict]) -> dict:
        """Decide exact duplicates (not loaded) and near-duplicates (flagged) of the staged articles."""
        from pipeline.deduplicate import deduplicate

        return _stage(deduplicate, load_settings(), list(shard_results))

    @task
    def validate(dedup: dict, shard_results: list[dict]) -> dict:
        """Run every table's Great Expectations suite; quarantine articles whose rows fail."""
        from pipeline.validate import validate

        return _stage(validate, load_settings(), dedup, list(shard_results))

    @task(pool=WRITER_POOL, queue=WAREHOUSE_QUEUE, trigger_rule="none_failed")
    def load(validation: dict | None) -> dict:
        """Finish what an earlier crash left; replace this run's articles in DuckDB in one transaction."""
        from pipeline.load import load

        context = get_current_context()
        return _stage(load, load_settings(), validation, context["run_id"], dry_run=bool(context["params"].get("dry_run")))

    @task(pool=WRITER_POOL, queue=WAREHOUSE_QUEUE, trigger_rule="none_failed", outlets=[WAREHOUSE])
    def publish(loaded: dict | None) -> dict:
        """Make the views, the full-text index and the readers' copy match the last load; return table counts.

        The warehouse asset's event carries what the run did (files, loaded, quarantined with reasons,
        batches, or that nothing was new), so the Assets view shows it without opening a log.
        """
        from pipeline.publish import publish, run_summary

        context = get_current_context()
        published = _stage(publish, load_settings(), context["run_id"])
        context["outlet_events"][WAREHOUSE].extra = run_summary(load_settings(), context["run_id"])
        return published

    shard_results = enrich.expand(shard_file=discover())
    publish(load(validate(deduplicate(shard_results), shard_results)))


news_pipeline()
