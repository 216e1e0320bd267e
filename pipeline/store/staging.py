"""A run's staged files: where they live, and what they become once decisions are applied.

Every stage writes its output under the run's staging folder and returns the paths it wrote;
the next stage reads exactly those paths (they travel in Airflow's XCom). No stage modifies
another stage's files: deduplicate writes its decisions to a file of its own, validate writes
the articles it rejects to another, and load applies both when it builds the rows it loads
(:func:`apply_decisions`), so any task can be retried from its inputs.

Layout of ``staging/<run key>/``::

    shards/shard-00000.json          discover: the files of each shard
    <table>/shard-00000.parquet      enrich: one file per table per shard
    decisions/duplicates.parquet     deduplicate: exact and near duplicates
    decisions/rejections.parquet     validate: articles and files that failed a row-level check
    final/<table>/shard-00000.parquet  load: the rows committed (moved into lake/ after the commit)
    claim.json                       discover: the files this run took (see pipeline.store.lock)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
from upath import UPath

from pipeline.store.fs import location, read_table, write_table
from pipeline.store.tables import ARTICLE_TABLES, SCHEMAS, TABLES


def run_key(run_id: str) -> str:
    """A folder-safe name for an Airflow or CLI run id (``scheduled__2024-08-01T00:30:00+00:00`` → ``scheduled__2024-08-01T00_30_00_00_00``)."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", run_id).strip("_") or "run"


@dataclass(frozen=True)
class RunPaths:
    """The staging folder of one run and the names of the files in it."""

    root: UPath  # a local folder or a URL (see pipeline.store.fs)

    @classmethod
    def for_run(cls, staging_root: UPath, run_id: str) -> "RunPaths":
        """The staging folder of a run: a folder-safe form of its Airflow or CLI run id."""
        return cls(location(staging_root) / run_key(run_id))

    @classmethod
    def of_shard(cls, shard_file: str | Path) -> "RunPaths":
        return cls(location(shard_file).parent.parent)

    def shard(self, number: int) -> Path:
        return self.shards_dir / f"shard-{number:05d}.json"

    @property
    def shards_dir(self) -> Path:
        return self.root / "shards"

    def staged(self, table: str, shard_stem: str) -> Path:
        return self.root / table / f"{shard_stem}.parquet"

    @property
    def duplicates(self) -> Path:
        return self.root / "decisions" / "duplicates.parquet"

    @property
    def rejections(self) -> Path:
        return self.root / "decisions" / "rejections.parquet"

    @property
    def validation_results(self) -> Path:
        return self.root / "decisions" / "validation_results.json"

    def final(self, table: str, shard_stem: str) -> Path:
        return self.root / "final" / table / f"{shard_stem}.parquet"

    # Recovery reads a crashed run's files from its folder (no stage handed them over):

    def shard_files(self) -> list[Path]:
        return sorted(self.shards_dir.glob("*.json"))

    def final_files(self, table: str) -> list[Path]:
        return sorted((self.root / "final" / table).glob("*.parquet"))

    @property
    def has_final(self) -> bool:
        return (self.root / "final").is_dir()


def write_atomically(table: pa.Table, path: UPath) -> UPath:
    """Write a Parquet file whole or not at all (a temporary name, then a rename)."""
    return write_table(table, path)


DUPLICATES_SCHEMA = pa.schema(
    [("article_id", pa.string()), ("duplicate_of", pa.string()), ("duplicate_of_path", pa.string()),
     ("near_duplicate_of", pa.string()), ("near_duplicate_similarity", pa.float32())]
)
REJECTIONS_SCHEMA = pa.schema([("article_id", pa.string()), ("path", pa.string()), ("reason", pa.string())])


@dataclass
class Decisions:
    """What deduplicate and validate decided about a run's staged articles.

    Attributes:
        duplicates: article_id → (original article_id, its source_path): not loaded.
        near: article_id → (most similar earlier article_id, estimated similarity): flagged.
        rejected_articles: article_id → reason: quarantined by a row-level expectation.
        rejected_files: path → reason: the file's own ``ingest_log`` row failed a check.
        superseded: files another run loaded while this one worked on them: left out entirely.
    """

    duplicates: dict[str, tuple[str, str]] = field(default_factory=dict)
    near: dict[str, tuple[str, float]] = field(default_factory=dict)
    rejected_articles: dict[str, str] = field(default_factory=dict)
    rejected_files: dict[str, str] = field(default_factory=dict)
    superseded: set[str] = field(default_factory=set)

    @classmethod
    def read(cls, duplicates: str | Path | None, rejections: str | Path | None = None) -> "Decisions":
        decisions = cls()
        if duplicates:
            for r in read_table(duplicates).to_pylist():
                if r["duplicate_of"]:
                    decisions.duplicates[r["article_id"]] = (r["duplicate_of"], r["duplicate_of_path"])
                elif r["near_duplicate_of"]:
                    decisions.near[r["article_id"]] = (r["near_duplicate_of"], float(r["near_duplicate_similarity"]))
        if rejections:
            for r in read_table(rejections).to_pylist():
                if r["article_id"]:
                    decisions.rejected_articles[r["article_id"]] = r["reason"]
                else:
                    decisions.rejected_files[r["path"]] = r["reason"]
        return decisions


def read_shard(staged: dict[str, str], columns: dict[str, list[str]] | None = None) -> dict[str, pa.Table]:
    """The staged tables of one shard (``staged`` as returned by enrich)."""
    columns = columns or {}
    return {table: read_table(staged[table], columns=columns.get(table)) for table in TABLES}


def file_of(source_path: str) -> str:
    """The file an article came from (``batch/wire.jsonl#L3`` → ``batch/wire.jsonl``)."""
    return source_path.split("#", 1)[0]


def apply_decisions(tables: dict[str, pa.Table], decisions: Decisions) -> dict[str, pa.Table]:
    """One shard's tables as they are loaded: duplicates and rejected articles out, flags and statuses set.

    Args:
        tables: the shard's staged tables (all of :data:`~pipeline.store.tables.TABLES`).
        decisions: what deduplicate (and, for load, validate) decided.

    Returns:
        New tables; the inputs are not modified.
    """
    articles = tables["articles"]
    source = dict(zip(articles.column("article_id").to_pylist(), articles.column("source_path").to_pylist()))
    dropped = {a for a in source if a in decisions.duplicates or a in decisions.rejected_articles
               or file_of(source[a]) in decisions.rejected_files or file_of(source[a]) in decisions.superseded}
    out: dict[str, pa.Table] = {}
    drop_set = pa.array(sorted(dropped), type=pa.string())
    for table in ARTICLE_TABLES:
        data = tables[table]
        if dropped:
            data = data.filter(pc.invert(pc.is_in(data.column("article_id"), value_set=drop_set)))
        out[table] = data
    if decisions.near:
        out["articles"] = _with_near_duplicates(out["articles"], decisions.near)
    out["ingest_log"] = _ingest_rows(tables["ingest_log"], source, dropped, decisions)
    return out


def _with_near_duplicates(articles: pa.Table, near: dict[str, tuple[str, float]]) -> pa.Table:
    ids = articles.column("article_id").to_pylist()
    of = pa.array([near[i][0] if i in near else None for i in ids], pa.string())
    similarity = pa.array([round(near[i][1], 4) if i in near else None for i in ids], pa.float32())
    articles = articles.set_column(articles.schema.get_field_index("near_duplicate_of"), "near_duplicate_of", of)
    return articles.set_column(articles.schema.get_field_index("near_duplicate_similarity"), "near_duplicate_similarity", similarity)


def _ingest_rows(ingest: pa.Table, source: dict[str, str], dropped: set[str], decisions: Decisions) -> pa.Table:
    by_file: dict[str, list[str]] = {}
    for article_id, path in source.items():
        by_file.setdefault(file_of(path), []).append(article_id)
    rows = [row for row in ingest.to_pylist() if row["path"] not in decisions.superseded]
    for row in rows:
        if row["path"] in decisions.rejected_files:
            row.update(status="quarantined", reason=decisions.rejected_files[row["path"]], article_id=None, duplicate_of=None)
            continue
        if row["status"] != "loaded":
            continue
        held = by_file.get(row["path"], [])
        if row["article_id"] is not None:  # a file holding one article
            _single(row, decisions)
        elif held and any(a in dropped for a in held):  # a JSON-lines file: name the lines left out
            _lines(row, held, source, dropped, decisions)
    return pa.Table.from_pylist(rows, schema=SCHEMAS["ingest_log"])


def _single(row: dict, decisions: Decisions) -> None:
    article_id = row["article_id"]
    if article_id in decisions.duplicates:
        original, original_path = decisions.duplicates[article_id]
        row.update(status="duplicate", duplicate_of=original, article_id=None,
                   reason=f"same text as {original_path} (article {original}); not loaded twice")
    elif article_id in decisions.rejected_articles:
        row.update(status="quarantined", article_id=None, reason=decisions.rejected_articles[article_id])


def _lines(row: dict, held: list[str], source: dict[str, str], dropped: set[str], decisions: Decisions) -> None:
    duplicate_lines = sorted(source[a].rsplit("#", 1)[1] for a in held if a in decisions.duplicates)
    rejected = [f"{source[a].rsplit('#', 1)[1]}: {decisions.rejected_articles[a]}" for a in held if a in decisions.rejected_articles]
    notes = [row["reason"] or ""]
    if duplicate_lines:
        notes.append(f"not loaded twice (same text as an article already loaded): {', '.join(duplicate_lines)}")
    if rejected:
        notes.append("quarantined " + "; ".join(rejected[:20]))
    reason = "; ".join(n for n in notes if n)
    if all(a in dropped for a in held) and rejected:
        row.update(status="quarantined", reason=reason)
    else:
        row["reason"] = reason
