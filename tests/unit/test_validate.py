"""Validation: good tables pass; a bad row quarantines its article; only run-wide failures stop the run."""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from pipeline.config import PROJECT_ROOT
from pipeline.errors import ValidationFailed
from pipeline.store.tables import SCHEMAS, TABLES, to_table
from pipeline.validate import check as check_frames
from pipeline.validate import validate

EXPECTATIONS = PROJECT_ROOT / "expectations"
BODY = "Putin spoke. Kyiv answered."


def _frames() -> dict[str, pd.DataFrame]:
    frames = {name: SCHEMAS[name].empty_table().to_pandas() for name in TABLES}
    frames["articles"] = pd.DataFrame(
        [{
            "article_id": "a1", "batch_id": "loose", "source_path": "a.txt", "title": "T", "outlet": None,
            "url": None, "published_at": None, "language": "en", "body": BODY, "n_tokens": 6, "n_sentences": 2,
            "content_sha256": "0" * 64, "text_sha256": "1" * 64, "near_duplicate_of": None, "near_duplicate_similarity": None, "story_id": None, "encoding": "utf-8",
            "pipeline_version": "t", "model": "m", "run_id": "r",
        }]
    )
    frames["sentences"] = pd.DataFrame(
        [
            {"article_id": "a1", "sentence_idx": 0, "start_char": 0, "end_char": 12, "text": "Putin spoke."},
            {"article_id": "a1", "sentence_idx": 1, "start_char": 13, "end_char": 27, "text": "Kyiv answered."},
        ]
    )
    frames["entity_mentions"] = pd.DataFrame(
        [
            {"article_id": "a1", "sentence_idx": 0, "start_char": 0, "end_char": 5, "text": "Putin", "label": "PERSON", "entity_id": "person:putin"},
            {"article_id": "a1", "sentence_idx": 1, "start_char": 13, "end_char": 17, "text": "Kyiv", "label": "GPE", "entity_id": "gpe:kyiv"},
        ]
    )
    frames["article_signatures"] = pd.DataFrame([{"article_id": "a1", "minhash": list(range(128))}])
    frames["ingest_log"] = pd.DataFrame(
        [
            {"part": None, "path": "a.txt", "content_sha256": "0" * 64, "bytes": 30, "mtime_ns": 1, "status": "loaded", "reason": None,
             "duplicate_of": None, "article_id": "a1", "batch_id": "loose", "run_id": "r"},
            {"part": None, "path": "b.png", "content_sha256": "2" * 64, "bytes": 30, "mtime_ns": 1, "status": "quarantined",
             "reason": "file is a PNG image", "duplicate_of": None, "article_id": None, "batch_id": "loose", "run_id": "r"},
        ]
    )
    return frames


@pytest.fixture(scope="module")
def validator():
    from pipeline.validate import Validator

    return Validator(EXPECTATIONS)


@pytest.fixture(scope="module")
def check(validator):
    """Every failed expectation as (table, outcome)."""

    def run(frames):
        findings = check_frames(frames, EXPECTATIONS, validator=validator)
        return findings.run_wide() + findings.row_level()

    return run


@pytest.fixture(scope="module")
def findings(validator):
    return lambda frames: check_frames(frames, EXPECTATIONS, validator=validator)


def test_good_tables_pass(check) -> None:
    assert check(_frames()) == []


def test_bad_row_quarantines_its_article_with_table_check_and_value(findings) -> None:
    frames = _frames()
    frames["timeline"] = pd.DataFrame(
        [{"article_id": "a1", "sentence_idx": 1, "start_char": 13, "end_char": 17, "date_text": "Kyiv",
          "date": date(850, 1, 1), "precision": "day", "text": "Kyiv answered.", "resolved_from": "explicit"}]
    )
    found = findings(frames)
    assert found.run_wide() == []
    assert [(t, o.column) for t, o in found.row_level()] == [("timeline", "_date_in_range")]
    (reason,) = found.rejected_articles["a1"]
    assert "timeline row in sentence 1 (characters 13-17)" in reason
    assert "expect_column_values_to_be_in_set on _date_in_range" in reason
    assert "date_text='Kyiv'" in reason and "0850-01-01" in reason
    assert found.article_files["a1"] == "a.txt"


def test_repeated_key_and_rows_of_no_article_are_run_wide(findings) -> None:
    frames = _frames()
    broken = frames["sentences"].iloc[[1]]
    stray = frames["entity_mentions"].iloc[[0]].assign(article_id="zz")
    frames["sentences"] = pd.concat([frames["sentences"], broken], ignore_index=True)
    frames["entity_mentions"] = pd.concat([frames["entity_mentions"], stray], ignore_index=True)
    found = findings(frames)
    wide = {(t, o.expectation, o.column) for t, o in found.run_wide()}
    assert ("sentences", "expect_compound_columns_to_be_unique", "article_id,sentence_idx") in wide
    assert ("entity_mentions", "expect_column_values_to_be_in_set", "_article_known") in wide


def test_missing_column_is_run_wide(findings) -> None:
    frames = _frames()
    frames["claims"] = frames["claims"].drop(columns=["unit"])
    wide = {(t, o.expectation) for t, o in findings(frames).run_wide()}
    assert ("claims", "expect_table_columns_to_match_set") in wide


def test_duplicate_key_and_offset_past_end_are_named(check) -> None:
    frames = _frames()
    broken = frames["sentences"].iloc[[1]].assign(end_char=len(BODY) + 40)
    frames["sentences"] = pd.concat([frames["sentences"], broken], ignore_index=True)
    found = {(table, o.expectation, o.column) for table, o in check(frames)}
    assert ("sentences", "expect_compound_columns_to_be_unique", "article_id,sentence_idx") in found
    assert ("sentences", "expect_column_values_to_be_in_set", "_within_body") in found
    assert ("sentences", "expect_column_values_to_be_in_set", "_slice_matches") in found


def test_mention_text_that_does_not_slice_back_fails(check) -> None:
    frames = _frames()
    frames["entity_mentions"].loc[0, "text"] = "Putni"
    found = check(frames)
    assert [(table, o.column) for table, o in found] == [("entity_mentions", "_slice_matches")]
    assert found[0][1].sample == ["text='Putni', start_char=0, end_char=5"]


def test_duplicate_without_original_and_article_without_logged_file_fail(check) -> None:
    frames = _frames()
    frames["ingest_log"].loc[0, "path"] = "other.txt"
    frames["ingest_log"].loc[1, ["status", "duplicate_of"]] = ["duplicate", None]
    found = {(table, o.column) for table, o in check(frames)}
    assert found == {("articles", "_file_logged"), ("ingest_log", "_duplicate_named")}


def test_unknown_label_article_without_sentences_and_silent_quarantine_fail(check) -> None:
    frames = _frames()
    frames["entity_mentions"].loc[1, "label"] = "CITY"
    frames["sentences"] = frames["sentences"].iloc[0:0]
    frames["ingest_log"].loc[1, "reason"] = " "
    found = {(table, o.column) for table, o in check(frames)}
    assert ("entity_mentions", "label") in found
    assert ("articles", "_has_sentences") in found
    assert ("ingest_log", "_reason_given") in found


def test_enrichment_tables_with_broken_rows_fail(check) -> None:
    frames = _frames()
    frames["quotes"] = pd.DataFrame(
        [
            {"article_id": "a1", "quote_idx": 0, "start_char": 0, "end_char": 12, "quote": "Putin spoke.", "kind": "direct",
             "cue": "said", "speaker": "Putin", "speaker_start": None, "speaker_end": None, "speaker_resolved": "Putin",
             "speaker_entity_id": None},
            {"article_id": "a1", "quote_idx": 1, "start_char": 13, "end_char": 27, "quote": "Kyiv answered.", "kind": "rumour",
             "cue": None, "speaker": None, "speaker_start": None, "speaker_end": None, "speaker_resolved": None,
             "speaker_entity_id": None},
        ]
    )
    frames["claims"] = pd.DataFrame(
        [{"article_id": "a1", "sentence_idx": 0, "start_char": 0, "end_char": 5, "text": "Putin", "value": 10.0,
          "value_high": 5.0, "unit": "furlongs", "counted": None, "qualifier": None, "change": None, "direction": None}]
    )
    frames["timeline"] = pd.DataFrame(
        [{"article_id": "a1", "sentence_idx": 1, "start_char": 13, "end_char": 17, "date_text": "Kyiv",
          "date": date(850, 1, 1), "precision": "day", "text": "Kyiv answered.", "resolved_from": "explicit"}]
    )
    found = {(table, o.column) for table, o in check(frames)}
    assert found == {
        ("quotes", "_speaker_slice_matches"),  # a speaker without its offsets
        ("quotes", "kind"),
        ("claims", "unit"),
        ("claims", "_range_ordered"),
        ("timeline", "_date_in_range"),
    }


def _stage(staging, shard: str, frames: dict[str, pd.DataFrame]) -> dict:
    """Write one shard's tables as enrich would; returns what enrich returns for it."""
    import json

    (staging / "shards").mkdir(parents=True, exist_ok=True)
    shard_file = staging / "shards" / f"{shard}.json"
    shard_file.write_text(json.dumps({"run_id": "test__chunks", "batch_id": "loose", "files": []}))
    staged = {}
    for name, frame in frames.items():
        out = staging / name / f"{shard}.parquet"
        out.parent.mkdir(parents=True, exist_ok=True)
        rows = frame.astype(object).where(frame.notna(), None).to_dict("records")
        pq.write_table(to_table(name, rows), out)
        staged[name] = str(out)
    return {"shard": str(shard_file), "staged": staged}


def _second_article(frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The same tables for another file (b.txt, article b1)."""
    other = {name: frame.copy() for name, frame in frames.items()}
    for name, frame in other.items():
        if "article_id" in frame.columns:
            frame["article_id"] = frame["article_id"].where(frame["article_id"].isna(), "b1")
    other["articles"]["source_path"] = "b.txt"
    other["ingest_log"]["path"] = ["b.txt", "c.png"]
    return other


@pytest.fixture
def chunked(tmp_path):
    """Settings that validate one shard per chunk, and the staging folder of run ``test__chunks``."""
    from dataclasses import replace

    from pipeline.config import load_settings
    from pipeline.discover import staging_dir_for

    settings = replace(load_settings().with_dirs(tmp_path / "seeds", tmp_path / "warehouse"), shard_size=1, validate_chunk_files=1)
    return settings, staging_dir_for(settings, "test__chunks")


NO_DUPLICATES = {"duplicates_file": None}


def test_run_is_validated_chunk_by_chunk_with_one_gx_context(chunked, caplog, monkeypatch) -> None:
    import great_expectations as gx

    contexts = []
    real_get_context = gx.get_context
    monkeypatch.setattr(gx, "get_context", lambda *a, **k: contexts.append(1) or real_get_context(*a, **k))
    settings, staging = chunked
    shards = [_stage(staging, "shard-00000", _frames()), _stage(staging, "shard-00001", _second_article(_frames()))]
    with caplog.at_level(logging.INFO, logger="pipeline.validate"):
        result = validate(settings, NO_DUPLICATES, shards)
    assert result["rows"]["articles"] == 2 and result["rows"]["sentences"] == 4
    assert result["rejected"] == 0 and pq.read_table(result["rejections_file"]).num_rows == 0
    assert "chunk 2 of 2" in caplog.text
    assert len(contexts) == 1  # Great Expectations is set up once per validate call, not per chunk or table


def test_bad_row_in_a_later_chunk_quarantines_only_its_article(chunked) -> None:
    settings, staging = chunked
    second = _second_article(_frames())
    second["sentences"].loc[1, "text"] = "Kyiv answers."
    before = {name: pq.read_table(path) for name, path in _stage(staging, "shard-00001", second)["staged"].items()}
    shards = [_stage(staging, "shard-00000", _frames()), _stage(staging, "shard-00001", second)]
    result = validate(settings, NO_DUPLICATES, shards)
    rejections = pq.read_table(result["rejections_file"]).to_pylist()
    assert [(r["article_id"], r["path"]) for r in rejections] == [("b1", "b.txt")]
    assert "sentences row in sentence 1" in rejections[0]["reason"] and "text='Kyiv answers.'" in rejections[0]["reason"]
    # the staged tables are only read
    assert all(pq.read_table(shards[1]["staged"][name]).equals(table) for name, table in before.items())
    report = Path(result["report"]).read_text()
    summary = report[: report.index("Every expectation")]
    assert "passed, with articles quarantined" in summary and "b.txt" in summary and "b1" in summary


def test_key_repeated_across_shards_fails_the_run(chunked) -> None:
    settings, staging = chunked
    shards = [_stage(staging, "shard-00000", _frames()), _stage(staging, "shard-00001", _frames())]  # the same article again
    with pytest.raises(ValidationFailed) as failure:
        validate(settings, NO_DUPLICATES, shards)
    message = str(failure.value)
    assert "articles: expect_column_values_to_be_unique on article_id; sample bad values ['a1']" in message
    assert "ingest_log: expect_column_values_to_be_unique on path" in message
    assert "nothing was loaded" in message
    report = (settings.reports_dir / "validation-test__chunks.html").read_text()
    assert "all shards of the run" in report and "FAILED: nothing was loaded" in report
