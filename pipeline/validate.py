"""Validate: run the Great Expectations suite of every staged table before anything is loaded.

Suites live in ``expectations/<table>.json`` (GX 1.x format). Invariants that span tables
(offsets slice back to the body, every article has sentences, foreign keys) are computed here as
boolean columns prefixed with ``_`` and checked by the suites like any other column.

One GX context per call. The staged shards are validated a chunk of shards at a time (an article
and all its rows share a shard), so memory follows the chunk size, not the size of the run;
keys that must be unique across the whole run are checked over all shards at the end.

A failed suite raises :class:`ValidationFailed` naming table, expectation and sample bad values;
an HTML report of every result is written under ``warehouse/reports/`` either way.
"""

from __future__ import annotations

import html
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from pipeline.config import Settings
from pipeline.dedup import NUM_PERM
from pipeline.discover import staging_dir_for
from pipeline.tables import SCHEMAS, TABLES

log = logging.getLogger(__name__)


class ValidationFailed(RuntimeError):
    """Raised when a staged table breaks its suite; nothing of the run is loaded."""


@dataclass
class Outcome:
    """One expectation's result over a whole run (merged over the chunks it was checked in)."""

    expectation: str
    kwargs: dict
    notes: str
    success: bool = True
    sample: list = field(default_factory=list)

    @property
    def column(self) -> str:
        k = self.kwargs
        if k.get("column"):
            return k["column"]
        if k.get("column_list"):
            return ",".join(k["column_list"])
        return f"{k.get('column_A')},{k.get('column_B')}" if "column_A" in k else ""


# Keys whose uniqueness spans shards: every other key of the suites includes article_id, and an
# article's rows all share its shard.
RUN_KEYS = {"articles": ("article_id", "source_path"), "article_signatures": ("article_id",), "ingest_log": ("path",)}


def shard_chunks(staging_dir: Path, files_per_chunk: int, shard_size: int) -> list[list[str]]:
    """The run's shard names, cut into chunks of about ``files_per_chunk`` input files."""
    stems = sorted(p.stem for p in (staging_dir / "ingest_log").glob("*.parquet"))
    per_chunk = max(1, files_per_chunk // max(1, shard_size))
    # a run with nothing staged still gets one (empty) chunk: every suite runs, on empty tables
    return [stems[i : i + per_chunk] for i in range(0, len(stems), per_chunk)] or [[]]


def read_staged(staging_dir: Path, shards: list[str] | None = None) -> dict[str, pd.DataFrame]:
    """Staged Parquet of a run (or of some of its shards), one DataFrame per table (empty with the right columns if none)."""
    frames = {}
    for name in TABLES:
        files = sorted((staging_dir / name).glob("*.parquet"))
        if shards is not None:
            wanted = set(shards)
            files = [f for f in files if f.stem in wanted]
        if files:
            frames[name] = pd.concat([pq.read_table(f).to_pandas() for f in files], ignore_index=True)
        else:
            frames[name] = SCHEMAS[name].empty_table().to_pandas()
    return frames


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
    needs_reason = ingest["status"].isin(["quarantined", "duplicate"])
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
        return batch.validate(self._suites[table], result_format={"result_format": "SUMMARY", "partial_unexpected_count": 5})


def outcomes_of(result) -> list[Outcome]:
    """GX's result of one suite as plain outcomes, in suite order."""
    found = []
    for r in result.results:
        sample = list((r.result or {}).get("partial_unexpected_list") or [])
        if r.exception_info and r.exception_info.get("raised_exception"):
            sample = [r.exception_info.get("exception_message")]
        cfg = r.expectation_config
        found.append(Outcome(cfg.type, dict(cfg.kwargs), (cfg.meta or {}).get("notes", ""), bool(r.success), sample[:5]))
    return found


def merge(into: dict[str, list[Outcome]], table: str, outcomes: list[Outcome]) -> None:
    """Fold one chunk's outcomes of a table into the run's: an expectation fails if it fails in any chunk."""
    if table not in into:
        into[table] = outcomes
        return
    for total, chunk in zip(into[table], outcomes):
        if not chunk.success:
            total.success = False
            total.sample = (total.sample + chunk.sample)[:5]


def validate_frames(frames: dict[str, pd.DataFrame], expectations_dir: Path) -> dict[str, list[Outcome]]:
    """Validate each table's frame against its suite in one GX context; returns the outcomes by table."""
    validator = Validator(expectations_dir)
    return {table: outcomes_of(validator.validate(table, frame)) for table, frame in frames.items()}


def run_key_outcomes(staging_dir: Path) -> dict[str, list[Outcome]]:
    """Uniqueness of the keys that span shards, over every shard of the run."""
    found: dict[str, list[Outcome]] = {}
    for table, columns in RUN_KEYS.items():
        files = sorted((staging_dir / table).glob("*.parquet"))
        for column in columns:
            values = pq.read_table(files, columns=[column]).column(column).to_pandas() if files else pd.Series([], dtype=object)
            repeated = values[values.duplicated(keep=False) & values.notna()]
            found.setdefault(table, []).append(
                Outcome(
                    "expect_column_values_to_be_unique",
                    {"column": column, "across": "all shards of the run"},
                    "one row per key across the whole run, not only within each shard",
                    repeated.empty,
                    sorted(set(repeated))[:5],
                )
            )
    return found


def failures(outcomes: dict[str, list[Outcome]]) -> list[tuple[str, Outcome]]:
    """The failed expectations as ``(table, outcome)``, in suite order."""
    return [(table, o) for table, table_outcomes in outcomes.items() for o in table_outcomes if not o.success]


def write_report(outcomes: dict[str, list[Outcome]], rows: dict[str, int], path: Path, run_id: str) -> Path:
    """A self-contained HTML page with every expectation's outcome, failures first."""
    path.parent.mkdir(parents=True, exist_ok=True)
    ok_all = all(o.success for table_outcomes in outcomes.values() for o in table_outcomes)
    parts = [
        "<!doctype html><meta charset='utf-8'><title>Validation report</title>",
        "<style>body{font-family:sans-serif;margin:2em}td,th{border:1px solid #ccc;padding:4px 8px;"
        "text-align:left;vertical-align:top}table{border-collapse:collapse;margin-bottom:2em}"
        ".fail{background:#fdd}.pass{background:#efe}</style>",
        f"<h1>Validation of run {html.escape(run_id)}: {'passed' if ok_all else 'FAILED'}</h1>",
    ]
    for table, table_outcomes in outcomes.items():
        passed = all(o.success for o in table_outcomes)
        parts.append(
            f"<h2>{html.escape(table)}: {'passed' if passed else 'FAILED'} "
            f"({rows.get(table, 0)} rows)</h2><table><tr><th>expectation</th><th>arguments</th>"
            "<th>result</th><th>sample of bad values</th><th>why it matters</th></tr>"
        )
        for o in sorted(table_outcomes, key=lambda o: o.success):
            parts.append(
                f"<tr class='{'pass' if o.success else 'fail'}'><td>{html.escape(o.expectation)}</td>"
                f"<td>{html.escape(json.dumps(o.kwargs, default=str)[:300])}</td>"
                f"<td>{'pass' if o.success else 'FAIL'}</td>"
                f"<td>{html.escape(json.dumps(o.sample[:5], default=str, ensure_ascii=False)[:500])}</td>"
                f"<td>{html.escape(o.notes)}</td></tr>"
            )
        parts.append("</table>")
    path.write_text("\n".join(parts), encoding="utf-8")
    return path


def validate_run(settings: Settings, run_id: str) -> dict:
    """Validate every staged table of a run.

    Args:
        settings: where the staging folder, the suites and the reports folder are.
        run_id: the run whose staged tables to check.

    Returns:
        ``{"report": path, "rows": {table: n}}`` when every suite passes.

    Raises:
        ValidationFailed: naming each failed expectation with its table, column and sample values.
    """
    staging = staging_dir_for(settings, run_id)
    if not staging.is_dir():
        raise FileNotFoundError(f"nothing staged for run {run_id} (no folder {staging}); run discover and enrich first")
    validator = Validator(settings.expectations_dir)
    chunks = shard_chunks(staging, settings.validate_chunk_files, settings.shard_size)
    outcomes: dict[str, list[Outcome]] = {}
    rows = {table: 0 for table in TABLES}
    for number, shards in enumerate(chunks, 1):
        frames = with_checks(read_staged(staging, shards))
        for table, frame in frames.items():
            merge(outcomes, table, outcomes_of(validator.validate(table, frame)))
            rows[table] += len(frame)
        del frames
        if len(chunks) > 1:
            log.info("validate: chunk %d of %d checked (%d shards)", number, len(chunks), len(shards))
    for table, key_outcomes in run_key_outcomes(staging).items():
        outcomes[table].extend(key_outcomes)
    report = write_report(outcomes, rows, settings.reports_dir / f"validation-{staging.name}.html", run_id)
    failed = failures(outcomes)
    if failed:
        lines = [
            f"  - {table}: {o.expectation} on {o.column or '(table)'}; sample bad values {o.sample!r}"
            + (f" ({o.notes})" if o.notes else "")
            for table, o in failed
        ]
        message = (
            f"validation failed for run {run_id}: {len(failed)} expectation(s) broken; nothing was loaded.\n"
            + "\n".join(lines)
            + f"\nFull report: {report}\nThe run's staged tables stay in {staging} for inspection. Fix the articles the bad "
            "values come from (or, if the rule is wrong, its suite in expectations/<table>.json) and run again: "
            "the same files are picked up, since nothing of this run was recorded."
        )
        log.error(message)
        raise ValidationFailed(message)
    log.info("validate: all %d suites passed (%s); report %s", len(outcomes), rows, report)
    return {"report": str(report), "rows": rows}
