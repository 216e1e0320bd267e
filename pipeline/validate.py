"""Validate: run the Great Expectations suite of every table on what a run is about to load.

Suites live in ``expectations/<table>.json`` (GX 1.x format). Invariants that span tables
(offsets slice back to the body, every article has sentences, foreign keys) are computed here as
boolean columns prefixed with ``_`` and checked by the suites like any other column.

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

import html
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa

from pipeline.config import Settings
from pipeline.dedup import NUM_PERM
from pipeline.errors import ValidationFailed
from pipeline.lock import release_claim, renew_claim
from pipeline.staging import REJECTIONS_SCHEMA, Decisions, RunPaths, apply_decisions, file_of, read_shard, write_atomically
from pipeline.tables import SCHEMAS, TABLES

log = logging.getLogger(__name__)

__all__ = ["ValidationFailed", "validate", "with_checks"]

# Expectations that state a key or the shape of a table: their failure is the run's, not one article's.
RUN_WIDE = ("expect_column_values_to_be_unique", "expect_compound_columns_to_be_unique", "expect_table_")
# Keys whose uniqueness spans shards: every other key of the suites includes article_id, and an
# article's rows all share its shard.
RUN_KEYS = {"articles": ("article_id", "source_path"), "article_signatures": ("article_id",), "ingest_log": ("path",)}
# What to show of a bad row when the failing column is a computed check.
EVIDENCE = {
    "_date_in_range": ("date_text", "date"),
    "_precision_with_date": ("date_text", "date", "precision"),
    "_range_ordered": ("text", "value", "value_high"),
    "_speaker_slice_matches": ("speaker", "speaker_start", "speaker_end"),
    "_n_sentences_matches": ("n_sentences",),
    "_near_duplicate_is_other": ("near_duplicate_of", "near_duplicate_similarity"),
    "_reason_given": ("status", "reason"),
    "_duplicate_named": ("status", "duplicate_of"),
    "_full_length": ("article_id",),
}
TEXT_COLUMNS = ("text", "quote", "source_name", "date_text", "title")


def _offset_checks(frame: pd.DataFrame, bodies: dict[str, str]) -> pd.DataFrame:
    known, within, matches = [], [], []
    for article_id, start, end, text in zip(frame["article_id"], frame["start_char"], frame["end_char"], frame["text"]):
        body = bodies.get(article_id)
        known.append(body is not None)
        ok = body is not None and 0 <= start <= end <= len(body)
        within.append(ok)
        matches.append(bool(ok and body[start:end] == text))
    return frame.assign(_article_known=known, _within_body=within, _slice_matches=matches)


def with_checks(frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Add the cross-table check columns the suites refer to."""
    articles = frames["articles"]
    bodies = dict(zip(articles["article_id"], articles["body"]))
    sentences = _offset_checks(frames["sentences"], bodies)
    per_article = sentences.groupby("article_id").size()
    counts = articles["article_id"].map(per_article).fillna(0).astype(int)
    ingest = frames["ingest_log"]
    signatures = frames["article_signatures"]
    loaded_paths = set(ingest.loc[ingest["status"] == "loaded", "path"])
    near_of = articles["near_duplicate_of"]
    out = {
        "articles": articles.assign(
            _has_sentences=counts > 0,
            _n_sentences_matches=counts == articles["n_sentences"],
            _near_duplicate_is_other=(near_of.isna() == articles["near_duplicate_similarity"].isna())
            & (near_of.isna() | (near_of != articles["article_id"])),
            _file_logged=articles["source_path"].str.split("#").str[0].isin(loaded_paths),
            _has_signature=articles["article_id"].isin(set(signatures["article_id"])),
        ),
        "sentences": sentences,
        "article_signatures": signatures.assign(
            _article_known=signatures["article_id"].isin(bodies),
            _full_length=[len(v) == NUM_PERM for v in signatures["minhash"]],
        ),
    }
    spans = {
        (a, i): (s, e)
        for a, i, s, e in zip(sentences["article_id"], sentences["sentence_idx"], sentences["start_char"], sentences["end_char"])
    }
    quotes = _offset_checks(frames["quotes"].assign(text=frames["quotes"]["quote"]), bodies).drop(columns=["text"])
    speaker_ok = []
    for article_id, start, end, speaker in zip(quotes["article_id"], quotes["speaker_start"], quotes["speaker_end"], quotes["speaker"]):
        body = bodies.get(article_id)
        if speaker is None or pd.isna(speaker):
            speaker_ok.append(True)  # an unattributed statement: nothing to check
        elif pd.isna(start) or pd.isna(end):
            speaker_ok.append(False)  # a speaker without its place in the body
        else:
            speaker_ok.append(body is not None and body[int(start) : int(end)] == speaker)
    out["quotes"] = quotes.assign(
        _speaker_slice_matches=speaker_ok, _quote_not_blank=quotes["quote"].fillna("").str.strip() != ""
    )
    out["citations"] = _offset_checks(frames["citations"].assign(text=frames["citations"]["source_name"]), bodies).drop(columns=["text"])
    claims = _offset_checks(frames["claims"], bodies)
    out["claims"] = claims.assign(_range_ordered=claims["value_high"].isna() | (claims["value_high"] >= claims["value"]))
    timeline = frames["timeline"]
    timeline = _offset_checks(timeline.rename(columns={"text": "sentence_text"}).assign(text=timeline["date_text"]), bodies)
    timeline = timeline.drop(columns=["text"]).rename(columns={"sentence_text": "text"})
    dates = pd.to_datetime(timeline["date"], errors="coerce")
    out["timeline"] = timeline.assign(
        _date_in_range=dates.isna() | ((dates >= pd.Timestamp("1990-01-01")) & (dates <= pd.Timestamp("2100-12-31"))),
        _precision_with_date=timeline["date"].isna() == timeline["precision"].isna(),
    )
    mentions = _offset_checks(frames["entity_mentions"], bodies)
    sentence_known = []
    for a, i, s, e in zip(mentions["article_id"], mentions["sentence_idx"], mentions["start_char"], mentions["end_char"]):
        span = spans.get((a, i))
        sentence_known.append(span is not None and span[0] <= s < span[1])
    out["entity_mentions"] = mentions.assign(_sentence_known=sentence_known)
    cleaning = frames["cleaning_log"]
    out["cleaning_log"] = cleaning.assign(_article_known=cleaning["article_id"].isin(bodies))
    needs_reason = ingest["status"].isin(["quarantined", "duplicate", "ignored"])
    has_reason = ingest["reason"].fillna("").str.strip() != ""
    is_loaded = ingest["status"] == "loaded"
    out["ingest_log"] = ingest.assign(
        _reason_given=~needs_reason | has_reason,
        _article_given=~is_loaded | ingest["article_id"].isna() | ingest["article_id"].isin(bodies),
        _duplicate_named=(ingest["status"] != "duplicate") | ingest["duplicate_of"].notna(),
    )
    return out


def load_suite(expectations_dir: Path, table: str):
    """Read ``expectations/<table>.json`` into a GX ExpectationSuite."""
    import great_expectations as gx

    path = expectations_dir / f"{table}.json"
    try:
        spec = json.loads(path.read_text())
    except FileNotFoundError as exc:
        raise FileNotFoundError(f"no expectation suite for table {table!r}: expected {path}") from exc
    except json.JSONDecodeError as exc:
        raise ValueError(f"expectation suite {path} is not valid JSON: {exc}") from exc
    return gx.ExpectationSuite(name=spec.get("name", table), expectations=spec["expectations"], meta=spec.get("meta"))


class Validator:
    """One ephemeral GX context for a validate call; each table's suite is read once."""

    def __init__(self, expectations_dir: Path) -> None:
        import great_expectations as gx
        from great_expectations.data_context.types.base import ProgressBarsConfig

        context = gx.get_context(mode="ephemeral")
        context.variables.progress_bars = ProgressBarsConfig(globally=False)
        self._source = context.data_sources.add_pandas("staged")
        self._expectations_dir = expectations_dir
        self._batches: dict[str, object] = {}
        self._suites: dict[str, object] = {}

    def validate(self, table: str, frame: pd.DataFrame):
        """GX's result for one table's frame."""
        if table not in self._batches:
            self._suites[table] = load_suite(self._expectations_dir, table)
            self._batches[table] = self._source.add_dataframe_asset(name=table).add_batch_definition_whole_dataframe("run")
        batch = self._batches[table].get_batch(batch_parameters={"dataframe": frame})
        return batch.validate(
            self._suites[table],
            result_format={"result_format": "COMPLETE", "unexpected_index_column_names": ["_row"], "partial_unexpected_count": 5},
        )


@dataclass
class Outcome:
    """One expectation's result over a whole run (merged over the chunks it was checked in)."""

    expectation: str
    kwargs: dict
    notes: str
    success: bool = True
    sample: list = field(default_factory=list)
    run_wide: bool = False  # failed in a way no single article explains

    @property
    def column(self) -> str:
        k = self.kwargs
        if k.get("column"):
            return k["column"]
        if k.get("column_list"):
            return ",".join(k["column_list"])
        return f"{k.get('column_A')},{k.get('column_B')}" if "column_A" in k else ""

    @property
    def key(self) -> str:
        return self.expectation + json.dumps(self.kwargs, sort_keys=True, default=str)


@dataclass
class Findings:
    """Everything validation found in a run: outcomes per table and the articles and files it rejects."""

    outcomes: dict[str, dict[str, Outcome]] = field(default_factory=dict)
    rejected_articles: dict[str, list[str]] = field(default_factory=dict)  # article_id -> reasons
    rejected_files: dict[str, list[str]] = field(default_factory=dict)  # path -> reasons
    article_files: dict[str, str] = field(default_factory=dict)  # article_id -> source_path
    rows: dict[str, int] = field(default_factory=lambda: {t: 0 for t in TABLES})

    def run_wide(self) -> list[tuple[str, Outcome]]:
        return [(t, o) for t, table in self.outcomes.items() for o in table.values() if not o.success and o.run_wide]

    def row_level(self) -> list[tuple[str, Outcome]]:
        return [(t, o) for t, table in self.outcomes.items() for o in table.values() if not o.success and not o.run_wide]


def _value(value) -> str:
    if isinstance(value, float) and pd.isna(value):
        return "null"
    if value is None or value is pd.NaT:
        return "null"
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    text = value.isoformat() if hasattr(value, "isoformat") else repr(value)
    return text if len(text) <= 120 else text[:117] + "..."


def describe_row(table: str, frame: pd.DataFrame, row: int, column: str) -> tuple[str, str]:
    """Where a bad row sits and what its bad value is, in words.

    Returns:
        ``("timeline row in sentence 3 (characters 120-129)", "date_text='yesterday', date=1989-12-31")``.
    """
    record = frame.loc[row]
    where = f"{table} row"
    if "sentence_idx" in frame.columns and pd.notna(record.get("sentence_idx")):
        where += f" in sentence {int(record['sentence_idx'])}"
    if "start_char" in frame.columns and pd.notna(record.get("start_char")) and pd.notna(record.get("end_char")):
        where += f" (characters {int(record['start_char'])}-{int(record['end_char'])})"
    names = EVIDENCE.get(column) or (
        [c for c in column.split(",") if c in frame.columns] if not column.startswith("_") else [c for c in TEXT_COLUMNS if c in frame.columns][:1]
    )
    if column.startswith("_") and column not in EVIDENCE and "start_char" in frame.columns:
        names = [*names, "start_char", "end_char"]
    value = ", ".join(f"{n}={_value(record[n])}" for n in names if n in frame.columns) or f"{column}={_value(record.get(column))}"
    return where, value


def _outcomes(table: str, result, frame: pd.DataFrame, findings: Findings) -> None:
    """Fold one chunk's GX result for a table into the findings; attribute bad rows to articles."""
    articles = set(findings.article_files)
    table_outcomes = findings.outcomes.setdefault(table, {})
    for r in result.results:
        cfg = r.expectation_config
        outcome = Outcome(cfg.type, dict(cfg.kwargs), (cfg.meta or {}).get("notes", ""))
        outcome = table_outcomes.setdefault(outcome.key, outcome)
        if r.success:
            continue
        outcome.success = False
        details = r.result or {}
        rows = [item["_row"] for item in details.get("unexpected_index_list") or [] if isinstance(item, dict) and "_row" in item]
        raised = (r.exception_info or {}).get("raised_exception") or (r.exception_info or {}).get("exception_message")
        if raised or not rows or cfg.type.startswith(RUN_WIDE):
            outcome.run_wide = True
            message = (r.exception_info or {}).get("exception_message")
            outcome.sample = (outcome.sample + ([message] if message else list(details.get("partial_unexpected_list") or [])))[:5]
            continue
        for row in rows:
            where, value = describe_row(table, frame, int(row), outcome.column)
            outcome.sample = (outcome.sample + [value])[:5]
            reason = f"validation: {where} failed {cfg.type} on {outcome.column} with {value}" + (f" ({outcome.notes})" if outcome.notes else "")
            record = frame.loc[int(row)]
            if table == "ingest_log":
                findings.rejected_files.setdefault(record["path"], []).append(reason)
            elif "article_id" in frame.columns and record.get("article_id") in articles:
                findings.rejected_articles.setdefault(record["article_id"], []).append(reason)
            else:
                outcome.run_wide = True  # a row that belongs to no article of the run


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


def _run_key_outcomes(keys: dict[tuple[str, str], list], findings: Findings) -> None:
    for (table, column), values in keys.items():
        series = pd.Series(values, dtype=object)
        repeated = series[series.duplicated(keep=False) & series.notna()]
        outcome = Outcome(
            "expect_column_values_to_be_unique", {"column": column, "across": "all shards of the run"},
            "one row per key across the whole run, not only within each shard", repeated.empty, sorted(set(repeated))[:5], run_wide=True,
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
        _outcomes(table, validator.validate(table, frame), frame, findings)
        findings.rows[table] = findings.rows.get(table, 0) + len(frame)
    return findings


def write_report(findings: Findings, path: Path, run_id: str) -> Path:
    """A self-contained HTML page: a summary of what failed and whom it concerns, then every expectation."""
    path.parent.mkdir(parents=True, exist_ok=True)
    run_wide, row_level = findings.run_wide(), findings.row_level()
    status = "FAILED: nothing was loaded" if run_wide else ("passed, with articles quarantined" if row_level else "passed")
    e = html.escape
    parts = [
        "<!doctype html><meta charset='utf-8'><title>Validation report</title>",
        "<style>body{font-family:sans-serif;margin:2em}td,th{border:1px solid #ccc;padding:4px 8px;"
        "text-align:left;vertical-align:top}table{border-collapse:collapse;margin-bottom:2em}"
        ".fail{background:#fdd}.pass{background:#efe}</style>",
        f"<h1>Validation of run {e(run_id)}: {status}</h1>",
        "<h2>Summary</h2><ul>",
        f"<li>{len(run_wide)} run-wide failure(s) (they stop the run)</li>",
        f"<li>{len(findings.rejected_articles)} article(s) and {len(findings.rejected_files)} file(s) quarantined by row-level checks</li>",
        f"<li>rows checked: {e(json.dumps(findings.rows))}</li></ul>",
    ]
    if run_wide:
        parts.append("<h3>Run-wide failures</h3><table><tr><th>table</th><th>expectation</th><th>column</th><th>sample</th><th>why it matters</th></tr>")
        for table, o in run_wide:
            parts.append(f"<tr class='fail'><td>{e(table)}</td><td>{e(o.expectation)}</td><td>{e(o.column)}</td>"
                         f"<td>{e(json.dumps(o.sample, default=str, ensure_ascii=False)[:500])}</td><td>{e(o.notes)}</td></tr>")
        parts.append("</table>")
    if findings.rejected_articles or findings.rejected_files:
        parts.append("<h3>Quarantined articles and files</h3><table><tr><th>file</th><th>article</th><th>what failed</th></tr>")
        for article_id, reasons in sorted(findings.rejected_articles.items(), key=lambda kv: findings.article_files.get(kv[0], "")):
            parts.append(f"<tr class='fail'><td>{e(findings.article_files.get(article_id, '?'))}</td><td>{e(article_id)}</td>"
                         f"<td>{'<br>'.join(e(r) for r in reasons[:10])}</td></tr>")
        for file, reasons in sorted(findings.rejected_files.items()):
            parts.append(f"<tr class='fail'><td>{e(file)}</td><td></td><td>{'<br>'.join(e(r) for r in reasons[:10])}</td></tr>")
        parts.append("</table>")
    parts.append("<h2>Every expectation</h2>")
    for table, table_outcomes in findings.outcomes.items():
        outcomes = list(table_outcomes.values())
        passed = all(o.success for o in outcomes)
        parts.append(
            f"<h3>{e(table)}: {'passed' if passed else 'FAILED'} ({findings.rows.get(table, 0)} rows)</h3><table><tr><th>expectation</th>"
            "<th>arguments</th><th>result</th><th>sample of bad values</th><th>why it matters</th></tr>"
        )
        for o in sorted(outcomes, key=lambda o: o.success):
            parts.append(
                f"<tr class='{'pass' if o.success else 'fail'}'><td>{e(o.expectation)}</td>"
                f"<td>{e(json.dumps(o.kwargs, default=str)[:300])}</td>"
                f"<td>{'pass' if o.success else ('FAIL (run-wide)' if o.run_wide else 'FAIL (articles quarantined)')}</td>"
                f"<td>{e(json.dumps(o.sample[:5], default=str, ensure_ascii=False)[:500])}</td>"
                f"<td>{e(o.notes)}</td></tr>"
            )
        parts.append("</table>")
    path.write_text("\n".join(parts), encoding="utf-8")
    return path


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
    decisions = Decisions.read(dedup.get("duplicates_file"))
    validator = Validator(settings.expectations_dir)
    findings = Findings()
    keys: dict[tuple[str, str], list] = {(t, c): [] for t, columns in RUN_KEYS.items() for c in columns}
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
        for (table, column), values in keys.items():
            values.extend(frames[table][column].tolist())
        del frames
        if len(chunks) > 1:
            log.info("validate: chunk %d of %d checked (%d shards)", number, len(chunks), len(chunk))
    _run_key_outcomes(keys, findings)
    report = write_report(findings, settings.reports_dir / f"validation-{run.root.name}.html", run_id)
    run_wide = findings.run_wide()
    if run_wide:
        release_claim(run.root)
        raise ValidationFailed(_failure_message(run_id, run_wide, report, run.root))
    rejections = [{"article_id": a, "path": file_of(findings.article_files.get(a, "")), "reason": "; ".join(r[:3])}
                  for a, r in sorted(findings.rejected_articles.items())]
    rejections += [{"article_id": None, "path": p, "reason": "; ".join(r[:3])} for p, r in sorted(findings.rejected_files.items())]
    out = write_atomically(pa.Table.from_pylist(rejections, schema=REJECTIONS_SCHEMA), run.rejections)
    for r in rejections:
        log.warning("validate: quarantined %s%s: %s", r["path"], f" (article {r['article_id']})" if r["article_id"] else "", r["reason"])
    log.info("validate: %d suites checked, %d articles and %d files quarantined; report %s",
             len(findings.outcomes), len(findings.rejected_articles), len(findings.rejected_files), report)
    return {"shards": shard_results, "duplicates_file": dedup.get("duplicates_file"), "rejections_file": str(out),
            "report": str(report), "rows": findings.rows, "rejected": len(rejections)}


def _run_id(shard_results: list[dict]) -> str:
    return json.loads(Path(shard_results[0]["shard"]).read_text())["run_id"]


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
