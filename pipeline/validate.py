"""Validate: run the Great Expectations suite of every table on what a run is about to load.

Suites live in ``expectations/<table>.json`` (GX 1.x format, run by :mod:`pipeline.quality.suites`).
Invariants that span tables (offsets slice back to the body, every article has sentences, foreign
keys) are boolean columns prefixed with ``_`` (:mod:`pipeline.quality.checks`), checked by the
suites like any other column.

What is checked is what load would load: the staged tables with deduplicate's decisions applied.
A row-level expectation that fails quarantines the articles its bad rows come from (their
``ingest_log`` reason names the table, the expectation, the bad value and where it came from) and
the rest of the run loads. Only run-wide failures (a column missing, a key repeated, rows that
belong to no article of the run, a table that cannot be read) stop the run before anything is
loaded: :class:`ValidationFailed`, which Airflow does not retry. Either way an HTML report under
``warehouse/reports/`` opens with a summary naming each failing article and file.

One GX context per call. The shards are validated a chunk of shards at a time (an article and all
its rows share a shard), so memory follows the chunk size, not the size of the run; keys that must
be unique across the whole run are checked over all chunks at the end.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pandas as pd
import pyarrow as pa

from pipeline.config import Settings
from pipeline.errors import ValidationFailed
from pipeline.quality.checks import with_checks
from pipeline.quality.findings import Findings, Outcome, fold_result
from pipeline.quality.report import write_report
from pipeline.quality.suites import Validator
from pipeline.store.fs import read_json, write_text
from pipeline.store.lock import release_claim, renew_claim
from pipeline.store.staging import REJECTIONS_SCHEMA, Decisions, RunPaths, apply_decisions, file_of, read_shard, write_atomically
from pipeline.store.tables import SCHEMAS, TABLES

log = logging.getLogger(__name__)

__all__ = ["ValidationFailed", "validate"]

# Keys whose uniqueness spans shards: every other key of the suites includes article_id, and an
# article's rows all share its shard.
RUN_KEYS = {"articles": (("article_id",), ("source_path",)), "article_signatures": (("article_id",),), "ingest_log": (("path", "part"),)}


def _chunks(shard_results: list[dict], files_per_chunk: int, shard_size: int) -> list[list[dict]]:
    per_chunk = max(1, files_per_chunk // max(1, shard_size))
    return [shard_results[i : i + per_chunk] for i in range(0, len(shard_results), per_chunk)] or [[]]


def _frames(chunk: list[dict], decisions: Decisions) -> dict[str, pd.DataFrame]:
    """The chunk's tables as load would load them (deduplicate's decisions applied), as DataFrames."""
    parts: dict[str, list[pa.Table]] = {t: [] for t in TABLES}
    for result in chunk:
        for table, data in apply_decisions(read_shard(result["staged"]), decisions).items():
            parts[table].append(data)
    frames = {}
    for table in TABLES:
        data = pa.concat_tables(parts[table]) if parts[table] else SCHEMAS[table].empty_table()
        frames[table] = data.to_pandas()
    return frames


def _run_key_outcomes(keys: dict[tuple[str, tuple[str, ...]], list], findings: Findings) -> None:
    for (table, columns), values in keys.items():
        series = pd.Series([v[0] if len(columns) == 1 else v for v in values], dtype=object)
        repeated = series[series.duplicated(keep=False) & series.notna()]
        kwargs = {"column": columns[0]} if len(columns) == 1 else {"column_list": list(columns)}
        outcome = Outcome(
            "expect_column_values_to_be_unique", {**kwargs, "across": "all shards of the run"},
            "one row per key across the whole run, not only within each shard", repeated.empty, sorted(set(repeated), key=repr)[:5], run_wide=True,
        )
        findings.outcomes.setdefault(table, {})[outcome.key] = outcome


def check(frames: dict[str, pd.DataFrame], expectations_dir: Path, findings: Findings | None = None, validator=None) -> Findings:
    """Validate one set of frames (a chunk of the run); returns the findings (merged into ``findings``)."""
    findings = findings or Findings()
    validator = validator or Validator(expectations_dir)
    findings.article_files.update(zip(frames["articles"]["article_id"], frames["articles"]["source_path"]))
    for table, frame in with_checks(frames).items():
        frame = frame.reset_index(drop=True)
        frame["_row"] = range(len(frame))
        fold_result(table, validator.validate(table, frame), frame, findings)
        findings.rows[table] = findings.rows.get(table, 0) + len(frame)
    return findings


def validate(settings: Settings, dedup: dict, shard_results: list[dict]) -> dict:
    """Validate what a run would load; quarantine the articles whose rows fail, stop on run-wide failures.

    Args:
        settings: where the suites and the reports folder are.
        dedup: what deduplicate returned (its decisions file).
        shard_results: what enrich returned for each shard (the staged file paths).

    Returns:
        ``{"shards", "duplicates_file", "rejections_file", "report", "rows": {table: n}, "rejected": n}``:
        everything load needs.

    Raises:
        ValidationFailed: on run-wide failures, naming each with its table, column and sample values.
    """
    if not shard_results:
        return {"shards": [], "duplicates_file": None, "rejections_file": None, "report": None, "rows": {}, "rejected": 0}
    run = RunPaths.of_shard(shard_results[0]["shard"])
    renew_claim(run.root)
    run_id = _run_id(shard_results)
    findings = _check_chunks(settings, Decisions.read(dedup.get("duplicates_file")), shard_results, run, run_id)
    report = write_report(findings, settings.reports_dir / f"validation-{run.root.name}.html", run_id)
    run_wide = findings.run_wide()
    if run_wide:
        release_claim(run.root)
        raise ValidationFailed(_failure_message(run_id, run_wide, report, run.root))
    rejections = _rejections(findings)
    out = write_atomically(pa.Table.from_pylist(rejections, schema=REJECTIONS_SCHEMA), run.rejections)
    write_text(run.validation_results, json.dumps(results_rows(findings)))
    for r in rejections:
        log.warning("validate: quarantined %s%s: %s", r["path"], f" (article {r['article_id']})" if r["article_id"] else "", r["reason"])
    log.info("validate: %d suites checked, %d articles and %d files quarantined; report %s",
             len(findings.outcomes), len(findings.rejected_articles), len(findings.rejected_files), report)
    return {"shards": shard_results, "duplicates_file": dedup.get("duplicates_file"), "rejections_file": str(out),
            "results_file": str(run.validation_results), "report": str(report), "rows": findings.rows, "rejected": len(rejections)}


def _check_chunks(settings: Settings, decisions: Decisions, shard_results: list[dict], run: RunPaths, run_id: str) -> Findings:
    """Check the staged tables a chunk of shards at a time (memory stays bounded on big batches);
    the run-wide keys are gathered across chunks and checked once at the end."""
    validator = Validator(settings.expectations_dir)
    findings = Findings()
    keys: dict[tuple[str, tuple[str, ...]], list] = {(t, c): [] for t, keysets in RUN_KEYS.items() for c in keysets}
    chunks = _chunks(shard_results, settings.validate_chunk_files, settings.shard_size)
    for number, chunk in enumerate(chunks, 1):
        try:
            frames = _frames(chunk, decisions)
        except (OSError, pa.ArrowException, KeyError) as exc:
            raise ValidationFailed(
                f"validation failed for run {run_id}: a staged table cannot be read ({exc}); nothing was loaded. "
                f"Run again: the same files are picked up. Staged files: {run.root}"
            ) from exc
        check(frames, settings.expectations_dir, findings, validator)
        for (table, columns), values in keys.items():
            values.extend(zip(*(frames[table][c].tolist() for c in columns)))
        del frames
        if len(chunks) > 1:
            log.info("validate: chunk %d of %d checked (%d shards)", number, len(chunks), len(chunk))
    _run_key_outcomes(keys, findings)
    return findings


def _rejections(findings: Findings) -> list[dict]:
    """One row per quarantined article (with its file) and per quarantined file, with up to three reasons."""
    rejections = [{"article_id": a, "path": file_of(findings.article_files.get(a, "")), "reason": "; ".join(r[:3])}
                  for a, r in sorted(findings.rejected_articles.items())]
    return rejections + [{"article_id": None, "path": p, "reason": "; ".join(r[:3])} for p, r in sorted(findings.rejected_files.items())]


def results_rows(findings: Findings) -> list[dict]:
    """Rows of ``validation_results`` (without the run id): one per expectation checked."""
    return [
        {"table_name": table, "expectation": o.expectation, "column_name": o.column or None, "success": o.success,
         "run_wide": o.run_wide, "bad_values": json.dumps([str(v) for v in o.sample]) if o.sample else None,
         "rows_checked": findings.rows.get(table, 0)}
        for table, outcomes in findings.outcomes.items() for o in outcomes.values()
    ]


def _run_id(shard_results: list[dict]) -> str:
    return read_json(shard_results[0]["shard"])["run_id"]


def _failure_message(run_id: str, failed: list[tuple[str, Outcome]], report: Path, staging: Path) -> str:
    lines = [
        f"  - {table}: {o.expectation} on {o.column or '(table)'}; sample bad values {o.sample!r}" + (f" ({o.notes})" if o.notes else "")
        for table, o in failed
    ]
    return (
        f"validation failed for run {run_id}: {len(failed)} run-wide expectation(s) broken; nothing was loaded.\n"
        + "\n".join(lines)
        + f"\nFull report: {report}\nThe run's staged tables stay in {staging} for inspection. A run-wide failure "
        "(a missing column, a repeated key) comes from the pipeline or a suite, not from one article: fix the rule in "
        "expectations/<table>.json or report the bug, then run again; the same files are picked up, since nothing of "
        "this run was recorded."
    )
