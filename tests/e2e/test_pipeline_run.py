"""Whole runs through the stage functions (the CLI's path): real spaCy, real GX, real DuckDB files."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.deduplicate import deduplicate
from pipeline.discover import discover
from pipeline.enrich import enrich
from pipeline.errors import ValidationFailed
from pipeline.load import load
from pipeline.publish import publish
from pipeline.run import run_pipeline
from pipeline.validate import validate
from tests.conftest import PROJECT, fingerprints

pytestmark = pytest.mark.e2e

FURNITURE_LINES = ["Leave a Comment", "Scroll to Top", "Read also:", "Loading comments...", "4 months ago", "- News"]


def _add_bad_files(seeds_dir: Path) -> None:
    (seeds_dir / "empty.txt").write_bytes(b"")
    (seeds_dir / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)


def test_run_loads_seeds_quarantines_bad_files_and_a_rerun_writes_nothing(settings, seeds_dir) -> None:
    _add_bad_files(seeds_dir)
    summary = run_pipeline(settings, "test__first")
    assert summary["n_files"] == 7 and summary["n_new"] == 7 and summary["quarantined"] == 2

    with duckdb.connect(str(settings.db_path), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 5
        quarantined = dict(con.execute("SELECT path, reason FROM ingest_log WHERE status = 'quarantined'").fetchall())
        assert set(quarantined) == {"empty.txt", "photo.txt"}
        assert "empty" in quarantined["empty.txt"] and "PNG image" in quarantined["photo.txt"]
        # every file under seeds/ is accounted for
        assert con.execute("SELECT count(DISTINCT path) FROM ingest_log").fetchone()[0] == 7
        # offsets slice the stored text out of the body, for every row
        for table in ("sentences", "entity_mentions"):
            bad = con.execute(
                f"SELECT count(*) FROM {table} t JOIN articles a USING (article_id) "
                "WHERE substr(a.body, t.start_char + 1, t.end_char - t.start_char) <> t.text"
            ).fetchone()[0]
            total = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            assert total > 100 and bad == 0, table
        for line in FURNITURE_LINES:
            assert con.execute(
                "SELECT count(*) FROM articles WHERE list_contains(string_split(body, chr(10)), $line)", {"line": line}
            ).fetchone()[0] == 0, line
        assert con.execute("SELECT count(*) FROM v_entity_cooccurrence").fetchone()[0] > 0
    assert not any((settings.staging_dir).iterdir())
    assert sorted(p.name for p in (settings.lake_dir / "articles").iterdir()) == ["batch_id=loose"]
    assert (settings.quarantine_dir / "test__first" / "photo.txt").exists()

    before = fingerprints(settings.db_path)
    again = run_pipeline(settings, "test__second")
    assert again["n_new"] == 0
    assert fingerprints(settings.db_path) == before


def test_edited_file_replaces_its_rows(settings, seeds_dir) -> None:
    run_pipeline(settings, "test__first")
    target = seeds_dir / "000_28301e55a71bf43e.txt"
    target.write_text(target.read_text(encoding="utf-8") + "\nAnalysts in Berlin expect the offensive to stall by winter.\n", encoding="utf-8")
    summary = run_pipeline(settings, "test__edit")
    assert summary["n_new"] == 1 and summary["loaded"]["articles_replaced"] == 1
    with duckdb.connect(str(settings.db_path), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 5
        body, n = con.execute(
            "SELECT body, n_sentences FROM articles WHERE source_path = '000_28301e55a71bf43e.txt'"
        ).fetchone()
        assert body.endswith("stall by winter.")
        assert con.execute(
            "SELECT count(*) FROM sentences s JOIN articles a USING (article_id) WHERE a.source_path = '000_28301e55a71bf43e.txt'"
        ).fetchone()[0] == n
        assert con.execute("SELECT count(*) FROM ingest_log WHERE path = '000_28301e55a71bf43e.txt'").fetchone()[0] == 2


def _snapshot(warehouse: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(warehouse)): p.read_bytes()
        for p in sorted(warehouse.rglob("*"))
        if p.is_file() and "reports" not in p.parts and "staging" not in p.parts
    }


def _stage_held_back_file(settings, seeds_dir: Path, tmp_path: Path, run_id: str, extra: str | None = None) -> dict:
    """Load four seeds; then discover and enrich the fifth (and ``extra.txt``) in run ``run_id``; returns enrich's result."""
    held_back = seeds_dir / "004_b2332aca226b8c46.txt"
    kept = tmp_path / "held_back.txt"
    held_back.rename(kept)
    run_pipeline(settings, "test__first")
    kept.rename(held_back)
    if extra:
        (seeds_dir / "extra.txt").write_text(extra, encoding="utf-8")
    plan = discover(settings, run_id)
    assert plan["n_new"] == (2 if extra else 1)
    return enrich(plan["shards"][0], settings)


def _edit_staged(path: str, change) -> None:
    table = pq.read_table(path)
    rows = change(table.to_pylist())
    pq.write_table(pa.Table.from_pylist(rows, schema=table.schema), path)


def test_repeated_key_is_run_wide_fails_validation_and_loads_nothing(settings, seeds_dir, tmp_path) -> None:
    result = _stage_held_back_file(settings, seeds_dir, tmp_path, "test__broken")
    before = _snapshot(settings.warehouse_dir)
    assert "news.duckdb" in before
    _edit_staged(result["staged"]["sentences"], lambda rows: rows + [rows[-1]])  # a sentence key twice

    dedup = deduplicate(settings, [result])
    with pytest.raises(ValidationFailed) as failure:
        validate(settings, dedup, [result])
    message = str(failure.value)
    assert "sentences: expect_compound_columns_to_be_unique on article_id,sentence_idx" in message
    assert "run-wide" in message and "nothing was loaded" in message
    assert str(settings.staging_dir / "test__broken") in message and "run again" in message
    report = settings.reports_dir / "validation-test__broken.html"
    html = report.read_text(encoding="utf-8")
    assert "FAILED: nothing was loaded" in html and "expect_compound_columns_to_be_unique" in html
    assert _snapshot(settings.warehouse_dir) == before
    assert not (settings.staging_dir / "test__broken" / "claim.json").exists()  # the files are free for the next run

    # The failed run's staged files stay for inspection (it never committed); a torn Parquet file
    # beside them (a run killed while writing) does not stop the next run either.
    torn = settings.staging_dir / "test__torn" / "ingest_log" / "shard-00000.parquet"
    torn.parent.mkdir(parents=True)
    torn.write_bytes(b"PAR1 torn")
    assert run_pipeline(settings, "test__next")["n_new"] == 1
    assert list((settings.staging_dir / "test__broken" / "sentences").glob("*.parquet")) and torn.exists()


def test_bad_row_quarantines_its_article_and_the_rest_loads(settings, seeds_dir, tmp_path) -> None:
    extra = "Border towns count the damage\n\n" + ENGLISH_PARAGRAPH
    result = _stage_held_back_file(settings, seeds_dir, tmp_path, "test__rows", extra=extra)
    bad_id = next(a["article_id"] for a in pq.read_table(result["staged"]["articles"]).to_pylist() if a["source_path"] != "extra.txt")
    shifted = lambda rows: [{**r, "end_char": r["end_char"] + 10_000} if r["article_id"] == bad_id and r["sentence_idx"] == 2 else r for r in rows]
    _edit_staged(result["staged"]["sentences"], shifted)

    dedup = deduplicate(settings, [result])
    validation = validate(settings, dedup, [result])
    assert validation["rejected"] == 1
    load(settings, validation, "test__rows")
    publish(settings, "test__rows")
    with duckdb.connect(str(settings.db_path), read_only=True) as con:
        rows = dict(con.execute("SELECT path, status FROM ingest_log WHERE run_id = 'test__rows'").fetchall())
        reason = con.execute("SELECT reason FROM ingest_log WHERE run_id = 'test__rows' AND status = 'quarantined'").fetchone()[0]
        assert con.execute("SELECT count(*) FROM articles WHERE article_id = $a", {"a": bad_id}).fetchone()[0] == 0
        assert con.execute("SELECT count(*) FROM sentences WHERE article_id = $a", {"a": bad_id}).fetchone()[0] == 0
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 5  # four seeds and extra.txt
    assert rows == {"extra.txt": "loaded", "004_b2332aca226b8c46.txt": "quarantined"}
    assert "sentences row in sentence 2" in reason and "_within_body" in reason and "end_char=" in reason
    html = Path(validation["report"]).read_text(encoding="utf-8")
    summary = html[: html.index("Every expectation")]
    assert bad_id in summary and [p for p, s in rows.items() if s == "quarantined"][0] in summary


ENGLISH_PARAGRAPH = (
    "Residents of border towns in the Kursk region said on Monday that shelling had damaged homes and "
    "power lines, and officials promised to restore electricity within days."
)


def test_sql_command_is_read_only(settings) -> None:
    run_pipeline(settings, "test__first")
    base = [sys.executable, "-m", "pipeline", "sql", "--warehouse", str(settings.warehouse_dir)]
    ok = subprocess.run([*base, "--csv", "SELECT count(*) AS n FROM articles"], capture_output=True, text=True, cwd=PROJECT)
    assert ok.returncode == 0 and ok.stdout.split() == ["n", "5"]
    refused = subprocess.run([*base, "DELETE FROM articles"], capture_output=True, text=True, cwd=PROJECT)
    assert refused.returncode == 1 and "(DELETE) is refused" in refused.stderr and "only reads" in refused.stderr
    with duckdb.connect(str(settings.db_path), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 5


def test_deleted_file_keeps_its_rows_and_status_reports_it(settings, seeds_dir) -> None:
    run_pipeline(settings, "test__first")
    (seeds_dir / "001_3513219292cbd83a.txt").unlink()
    before = fingerprints(settings.db_path)
    assert run_pipeline(settings, "test__after_delete")["n_new"] == 0
    assert fingerprints(settings.db_path) == before  # history is kept
    status = subprocess.run(
        [sys.executable, "-m", "pipeline", "status", "--seeds", str(seeds_dir), "--warehouse", str(settings.warehouse_dir)],
        capture_output=True, text=True, cwd=PROJECT, check=True,
    ).stdout
    assert "files deleted from seeds/ since they were loaded (their rows are kept): 1" in status
    assert "  001_3513219292cbd83a.txt" in status


def test_parallel_workers_give_the_same_rows_as_one(settings, seeds_dir, tmp_path) -> None:
    from dataclasses import replace

    one = replace(settings, shard_size=2, workers=1)
    two = replace(settings, shard_size=2, workers=2, warehouse_dir=tmp_path / "warehouse-2")
    assert run_pipeline(one, "test__one")["n_new"] == 5
    assert run_pipeline(two, "test__two")["n_new"] == 5
    from tests.e2e.test_faults import _content

    assert _content(one.db_path) == _content(two.db_path)


def test_seeds_give_the_committed_table_summary() -> None:
    """Every table over the seeds matches the committed summary (row counts and a hash of the rows).

    Refactoring must not change a single row. When extraction rules change on purpose, rewrite the
    summary with `python -m tests.utils` and say why in the commit.
    """
    import json

    from tests.utils import SEED_SUMMARY, seed_summary

    assert seed_summary() == json.loads(SEED_SUMMARY.read_text())
