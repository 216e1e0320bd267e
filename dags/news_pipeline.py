"""
### News pipeline: seeds → spaCy → Great Expectations → Parquet → DuckDB

Analysts drop article files (or batch folders) into `seeds/`. Every run:

1. **discover** lists `seeds/`, skips files the warehouse has already seen (same path and
   content), and cuts the new ones into shards.
2. **enrich** (one mapped task per shard) decodes, cleans and parses each file with spaCy and
   stages one Parquet file per table; unreadable or non-article files are quarantined with a reason.
3. **deduplicate** keeps exact copies of loaded articles out (recorded as `duplicate` in
   `ingest_log`) and flags near-duplicates (`articles.near_duplicate_of`, MinHash/LSH).
4. **validate** runs the Great Expectations suite of every staged table; a failure stops the run
   before anything is loaded and writes an HTML report under `warehouse/reports/`.
5. **load** (the only DuckDB writer, pool `duckdb_writer` with one slot) replaces the articles of
   this run in one transaction and moves the Parquet into `warehouse/lake/`.
6. **publish** refreshes the analyst views and the full-text index and updates the
   `news_warehouse` asset.

A run with nothing new skips everything after discover. Query the result with
`python -m pipeline sql "SELECT ..."` or any DuckDB client opened read-only on `warehouse/news.duckdb`.
Folders: `PIPELINE_SEEDS_DIR`, `PIPELINE_WAREHOUSE_DIR` (see the README).
"""

from __future__ import annotations

from datetime import timedelta

import pendulum
from airflow.sdk import Asset, dag, get_current_context, task

WAREHOUSE = Asset(name="news_warehouse", uri="file:///news_warehouse/news.duckdb")
WRITER_POOL = "duckdb_writer"


@dag(
    dag_id="news_pipeline",
    schedule=timedelta(minutes=30),
    start_date=pendulum.datetime(2024, 8, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    default_args={"owner": "news-analytics", "retries": 2, "retry_delay": timedelta(seconds=30)},
    tags=["news", "nlp", "duckdb"],
    doc_md=__doc__,
)
def news_pipeline():
    @task
    def discover() -> list[str]:
        """List `seeds/` and cut the new or changed files into shards; returns the shard files."""
        from pipeline.config import load_settings
        from pipeline.discover import discover as plan_run

        return plan_run(load_settings(), get_current_context()["run_id"])["shards"]

    @task(max_active_tis_per_dagrun=2)
    def enrich(shard_file: str) -> dict:
        """Decode, clean and parse one shard with spaCy; stage its tables as Parquet."""
        from pipeline.config import load_settings
        from pipeline.enrich import enrich_shard

        return enrich_shard(shard_file, load_settings())

    @task
    def deduplicate(shard_results: list[dict]) -> dict:
        """Drop exact copies of loaded articles; flag near-duplicates (MinHash/LSH)."""
        from pipeline.config import load_settings
        from pipeline.dedup import deduplicate as dedup_run

        return dedup_run(load_settings(), get_current_context()["run_id"])

    @task
    def validate(dedup: dict) -> dict:
        """Run every table's Great Expectations suite on the staged Parquet."""
        from pipeline.config import load_settings
        from pipeline.validate import validate_run

        return validate_run(load_settings(), get_current_context()["run_id"])

    @task(pool=WRITER_POOL)
    def load(validation: dict) -> dict:
        """Replace this run's articles in DuckDB in one transaction; move Parquet to the lake."""
        from pipeline.config import load_settings
        from pipeline.warehouse import load as load_run

        return load_run(load_settings(), get_current_context()["run_id"])

    @task(pool=WRITER_POOL, outlets=[WAREHOUSE])
    def publish(loaded: dict) -> dict:
        """Refresh the analyst views and the full-text index; return table counts."""
        from pipeline.config import load_settings
        from pipeline.warehouse import publish as publish_views

        return publish_views(load_settings())

    shard_results = enrich.expand(shard_file=discover())
    publish(load(validate(deduplicate(shard_results))))


news_pipeline()
