"""What validation found: each expectation's outcome, and the articles and files its bad rows come from.

A failed expectation is row-level when GX names its bad rows and each of them belongs to an
article (or a file) of the run: those articles are quarantined with a reason that names the table,
the expectation, the bad value and where it sits. It is run-wide when it states a key or the shape
of a table, raised, or has rows that belong to no article: the run stops.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import pandas as pd

from pipeline.store.tables import TABLES

# Expectations that state a key or the shape of a table: their failure is the run's, not one article's.
RUN_WIDE = ("expect_column_values_to_be_unique", "expect_compound_columns_to_be_unique", "expect_table_")
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


def _place(table: str, record: pd.Series) -> str:
    """``timeline row in sentence 3 (characters 120-129)``."""
    where = f"{table} row"
    if pd.notna(record.get("sentence_idx")):
        where += f" in sentence {int(record['sentence_idx'])}"
    if pd.notna(record.get("start_char")) and pd.notna(record.get("end_char")):
        where += f" (characters {int(record['start_char'])}-{int(record['end_char'])})"
    return where


def _evidence_columns(column: str, columns: pd.Index) -> list[str]:
    """What to show of a bad row: the failing columns, or for a computed check the values it was computed from."""
    if column in EVIDENCE:
        return list(EVIDENCE[column])
    if not column.startswith("_"):
        return [c for c in column.split(",") if c in columns]
    shown = [c for c in TEXT_COLUMNS if c in columns][:1]
    return [*shown, "start_char", "end_char"] if "start_char" in columns else shown


def describe_row(table: str, frame: pd.DataFrame, row: int, column: str) -> tuple[str, str]:
    """Where a bad row sits and what its bad value is, in words.

    Returns:
        ``("timeline row in sentence 3 (characters 120-129)", "date_text='yesterday', date=1989-12-31")``.
    """
    record = frame.loc[row]
    names = [n for n in _evidence_columns(column, frame.columns) if n in frame.columns]
    value = ", ".join(f"{n}={_value(record[n])}" for n in names) or f"{column}={_value(record.get(column))}"
    return _place(table, record), value


def _bad_rows(result) -> list[int]:
    details = result.result or {}
    return [int(item["_row"]) for item in details.get("unexpected_index_list") or [] if isinstance(item, dict) and "_row" in item]


def _run_wide_sample(result) -> list:
    info = result.exception_info or {}
    message = info.get("exception_message")
    return [message] if message else list((result.result or {}).get("partial_unexpected_list") or [])


def fold_result(table: str, result, frame: pd.DataFrame, findings: Findings) -> None:
    """Fold one chunk's GX result for a table into the findings; attribute bad rows to articles."""
    table_outcomes = findings.outcomes.setdefault(table, {})
    for r in result.results:
        cfg = r.expectation_config
        outcome = Outcome(cfg.type, dict(cfg.kwargs), (cfg.meta or {}).get("notes", ""))
        outcome = table_outcomes.setdefault(outcome.key, outcome)
        if r.success:
            continue
        outcome.success = False
        rows = _bad_rows(r)
        info = r.exception_info or {}
        if info.get("raised_exception") or info.get("exception_message") or not rows or cfg.type.startswith(RUN_WIDE):
            outcome.run_wide = True
            outcome.sample = (outcome.sample + _run_wide_sample(r))[:5]
            continue
        for row in rows:
            _attribute(table, frame, row, outcome, findings)


def _attribute(table: str, frame: pd.DataFrame, row: int, outcome: Outcome, findings: Findings) -> None:
    """Name a bad row's article (or file) with the reason; a row of no article of the run makes the failure run-wide."""
    where, value = describe_row(table, frame, row, outcome.column)
    outcome.sample = (outcome.sample + [value])[:5]
    reason = f"validation: {where} failed {outcome.expectation} on {outcome.column} with {value}" + (f" ({outcome.notes})" if outcome.notes else "")
    record = frame.loc[row]
    if table == "ingest_log":
        findings.rejected_files.setdefault(record["path"], []).append(reason)
    elif "article_id" in frame.columns and record.get("article_id") in findings.article_files:
        findings.rejected_articles.setdefault(record["article_id"], []).append(reason)
    else:
        outcome.run_wide = True
