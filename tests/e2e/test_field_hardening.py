"""Hostile input in the field: no file stops a run, nothing hangs, nothing is dropped silently, one bad
article fails only itself. Real spaCy, Great Expectations and DuckDB on temporary folders."""

from __future__ import annotations

import faulthandler
import json
import os
import subprocess
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from pipeline.enrich import CHUNK_CHARS, article_id_for
from pipeline.run import run_pipeline
from tests.conftest import PROJECT, fingerprints
from tests.utils import ENGLISH, make_deep_file, make_socket, paths_under, rows

pytestmark = pytest.mark.e2e

LONG_PARAGRAPH = (
    "Reconnaissance battalions encountered unexpectedly sophisticated fortifications throughout "
    "northeastern settlements near Sudzha, Ukrainian administrators acknowledged, emphasising "
    "extraordinary humanitarian considerations surrounding evacuations. "
)


@pytest.fixture(autouse=True)
def no_hang():
    """A test that hangs (a FIFO opened for reading, say) fails with a traceback instead of blocking CI."""
    faulthandler.dump_traceback_later(900, exit=True)
    yield
    faulthandler.cancel_dump_traceback_later()


def _long_text(chars: int) -> str:
    paragraphs = []
    while sum(len(p) + 2 for p in paragraphs) < chars:
        paragraphs.append((LONG_PARAGRAPH * 4).strip())
    return "\n\n".join(paragraphs)


def _hostile_seeds(seeds: Path, tmp_path: Path) -> dict[str, str]:
    """Write every kind of trouble into ``seeds``; returns the paths (as ingest_log spells them) worth a look."""
    long_body = _long_text(1_050_000)
    assert len(long_body) > 1_000_000  # longer than one spaCy document (nlp.max_length)
    (seeds / "long.txt").write_text("A very long report\n\n" + long_body, encoding="utf-8")

    wire = [
        json.dumps({"title": _long_text(1_020_000).replace("\n\n", " "), "body": ENGLISH}),
        '{"title": "Deep", "body": ' + "[" * 100_000 + "]" * 100_000 + "}",
        json.dumps({"title": "Separators", "body": ENGLISH + "\u2028" + ENGLISH.replace("Saturday", "Sunday")}, ensure_ascii=False),
        json.dumps({"title": "Plain", "body": ENGLISH.replace("Saturday", "Monday")}),
    ]
    (seeds / "wire.jsonl").write_text("\n".join(wire) + "\n", encoding="utf-8")

    with open(os.fsencode(str(seeds)) + b"/caf\xe9 news.txt", "wb") as handle:
        handle.write(("Cafe owners in Kursk\n" + ENGLISH.replace("Saturday", "Tuesday")).encode())
    mixed = ("Mixed encodings\n" + ENGLISH.replace("Saturday", "Wednesday") + " Zelenskyy’s “plan” was praised. ").encode("utf-8")
    mixed += "Café owners’ façade – damaged, officials said on Wednesday evening.".encode("cp1252")
    (seeds / "mixed.txt").write_bytes(mixed)

    batch = seeds / "batch"
    batch.mkdir()
    for name, day in (("a.txt", "Thursday"), ("b.txt", "Friday"), ("c.txt", "Sunday morning"), ("d.txt", "Monday night")):
        (batch / name).write_text(f"Report {name}\n" + ENGLISH.replace("Saturday", day), encoding="utf-8")
    (batch / "manifest.csv").write_text(
        "file,url,outlet,published_at,title\n"
        "a.txt,https://a.example/1,Kyiv Post,2024-08-07,\n"
        'b.txt,https://b.example/2,"Border Times,2024-08-08,\n'
        "c.txt,,Wire,,\n"
        "c.txt,,Other Wire,,\n"
        'd.txt,,"' + "x" * 200_000 + '",,\n',
        encoding="utf-8",
    )

    os.mkfifo(seeds / "pipe.txt")
    make_socket(seeds / "service.sock")
    (seeds / ".hidden.txt").write_text("Hidden\n" + ENGLISH)
    (seeds / ".drafts").mkdir()
    (seeds / ".drafts" / "draft.txt").write_text("Draft\n" + ENGLISH)
    (seeds / "linked-folder").symlink_to(batch, target_is_directory=True)
    (seeds / "Thumbs.db").write_bytes(b"\x00\x01")
    deep = make_deep_file(seeds, 4200)
    return {"deep": deep}


def test_hostile_files_never_stop_a_run_and_every_path_is_accounted_for(settings, seeds_dir, tmp_path) -> None:
    extra = _hostile_seeds(seeds_dir, tmp_path)
    one = replace(settings, workers=1)
    summary = run_pipeline(one, "test__hostile")
    db = one.db_path
    status = {p: (s, r) for p, s, r in rows(db, "SELECT path, status, reason FROM ingest_log")}

    assert set(status) == paths_under(seeds_dir)  # every path, hidden and odd ones included
    assert summary["n_files"] == len(status)

    # Long texts are enriched whole, offsets exact, however long.
    body, n_sentences = rows(db, "SELECT body, n_sentences FROM articles WHERE source_path = 'long.txt'")[0]
    assert len(body) > 1_000_000 and n_sentences > 4_000
    last = rows(db, "SELECT start_char, end_char, text FROM sentences WHERE article_id = $a ORDER BY sentence_idx DESC LIMIT 3",
                {"a": article_id_for("long.txt")})
    assert all(body[s:e] == t for s, e, t in last) and last[0][1] == len(body)
    assert rows(db, "SELECT count(*) FROM entity_mentions WHERE article_id = $a AND start_char > $c",
                {"a": article_id_for("long.txt"), "c": CHUNK_CHARS * 9})[0][0] > 0

    # JSON lines: a title longer than a spaCy document loads; a line nested too deeply is named; U+2028 splits nothing.
    wire = rows(db, "SELECT source_path, length(title) FROM articles WHERE source_path LIKE 'wire.jsonl#%' ORDER BY 1")
    assert [p for p, _ in wire] == ["wire.jsonl#L1", "wire.jsonl#L3", "wire.jsonl#L4"] and wire[0][1] > 1_000_000
    assert status["wire.jsonl"][0] == "loaded" and "line 2: JSON nested too deeply" in status["wire.jsonl"][1]

    # A file name that is not UTF-8 is recorded readably and loaded.
    assert status["caf\\xe9 news.txt"][0] == "loaded"
    # Two encodings in one file: each part decoded as what it is.
    mixed = rows(db, "SELECT body, encoding FROM articles WHERE source_path = 'mixed.txt'")[0]
    assert "Zelenskyy’s “plan”" in mixed[0] and "Café owners’ façade – damaged" in mixed[0] and "â€" not in mixed[0]

    # Manifest rows: each bad or repeated row holds back its own file, by row number; the rest load.
    assert status["batch/a.txt"][0] == "loaded"
    assert status["batch/b.txt"] == ("quarantined", status["batch/b.txt"][1]) and "row 3: cannot be read" in status["batch/b.txt"][1]
    assert "rows 4 and 5 both describe c.txt" in status["batch/c.txt"][1]
    assert "row 6: cannot be read (field larger than field limit" in status["batch/d.txt"][1]
    assert rows(db, "SELECT outlet FROM articles WHERE source_path = 'batch/a.txt'") == [("Kyiv Post",)]

    # Not regular files: quarantined without being opened; skipped on purpose: ignored, with the reason.
    assert status["pipe.txt"][0] == "quarantined" and "FIFO" in status["pipe.txt"][1]
    assert status["service.sock"][0] == "quarantined" and "socket" in status["service.sock"][1]
    for path, words in {".hidden.txt": "hidden file", ".drafts/": "hidden folder", ".drafts/draft.txt": "hidden folder",
                        "linked-folder": "link to a folder", "Thumbs.db": "system file", extra["deep"]: "4,096"}.items():
        assert status[path][0] == "ignored" and words in status[path][1], (path, status[path])

    # `pipeline status` reads it all, manifest problems included.
    shown = subprocess.run([sys.executable, "-m", "pipeline", "status", "--seeds", str(seeds_dir), "--warehouse", str(one.warehouse_dir)],
                           capture_output=True, text=True, cwd=PROJECT, timeout=300)
    assert shown.returncode == 0, shown.stderr
    assert "files waiting for the next run: 0" in shown.stdout and "batch/b.txt" in shown.stdout

    before = fingerprints(db)
    assert run_pipeline(one, "test__again")["n_new"] == 0
    assert fingerprints(db) == before


def test_a_file_past_its_budget_or_failing_enrichment_is_quarantined_and_the_shard_goes_on(settings, seeds_dir, monkeypatch) -> None:
    import pipeline.nlp.claims

    (seeds_dir / "slow.txt").write_text("A slow report\n\n" + _long_text(400_000), encoding="utf-8")
    (seeds_dir / "breaks.txt").write_text("Breaking report\n" + ENGLISH + " BREAKS-THE-EXTRACTOR", encoding="utf-8")
    (seeds_dir / "lines.jsonl").write_text(
        json.dumps({"title": "Fine", "body": ENGLISH.replace("Saturday", "Friday")}) + "\n"
        + json.dumps({"title": "Broken", "body": ENGLISH + " BREAKS-THE-EXTRACTOR"}) + "\n",
        encoding="utf-8",
    )
    real = pipeline.nlp.claims.extract_claims

    def fragile(doc, *args):  # a fault inside one article's extraction
        if "BREAKS-THE-EXTRACTOR" in doc.text:
            raise RuntimeError("unexpected token layout")
        return real(doc, *args)

    monkeypatch.setattr(pipeline.nlp.claims, "extract_claims", fragile)
    tight = replace(settings, workers=1, file_budget_seconds=3.0)
    run_pipeline(tight, "test__budget")
    status = {p: (s, r) for p, s, r in rows(tight.db_path, "SELECT path, status, reason FROM ingest_log")}
    assert status["slow.txt"][0] == "quarantined" and "ran past its budget of 3 CPU seconds" in status["slow.txt"][1]
    assert status["breaks.txt"][0] == "quarantined" and "RuntimeError: unexpected token layout" in status["breaks.txt"][1]
    assert status["lines.jsonl"][0] == "loaded" and "L2: enrichment failed (RuntimeError" in status["lines.jsonl"][1]
    assert rows(tight.db_path, "SELECT count(*) FROM articles")[0][0] == 5 + 1  # the seeds and lines.jsonl#L1


def test_one_bad_article_is_quarantined_by_validation_and_the_batch_loads(settings, seeds_dir, monkeypatch) -> None:
    """A timeline row outside the table's years (an extractor fault) holds back that article only.

    An archive date is no fault: "yesterday" in an article of 1990-01-01 is 1989-12-31 and loads.
    """
    import pipeline.nlp.timeline

    batch = seeds_dir / "archive"
    batch.mkdir()
    (batch / "old.txt").write_text("Old report\n" + ENGLISH + " Yesterday the governor visited Sudzha.", encoding="utf-8")
    (batch / "bad.txt").write_text("Bad report\n" + ENGLISH.replace("Saturday", "Friday") + " Yesterday the mayor spoke.", encoding="utf-8")
    (batch / "new.txt").write_text("New report\n" + ENGLISH.replace("Saturday", "Thursday") + " Yesterday the mayor spoke.", encoding="utf-8")
    manifest = batch / "manifest.csv"
    manifest.write_text("file,url,outlet,published_at,title\nold.txt,,Archive,1990-01-01,\nbad.txt,,Archive,2024-08-09,\nnew.txt,,Archive,2024-08-09,\n")
    real = pipeline.nlp.timeline.timeline_rows

    def faulty(doc, article_id, sentences, published_at):  # a resolver fault in one article
        rows = real(doc, article_id, sentences, published_at)
        if "Friday" in doc.text:
            rows = [{**r, "date": date(850, 1, 1)} if r["date_text"] == "Yesterday" else r for r in rows]
        return rows

    monkeypatch.setattr(pipeline.nlp.timeline, "timeline_rows", faulty)
    one = replace(settings, workers=1)
    summary = run_pipeline(one, "test__validation")
    assert summary["validation"]["rejected"] == 1
    db = settings.db_path
    status, reason = rows(db, "SELECT status, reason FROM ingest_log WHERE path = 'archive/bad.txt'")[0]
    assert status == "quarantined"
    assert "timeline row" in reason and "_date_in_range" in reason and "date_text='Yesterday'" in reason and "0850-01-01" in reason
    assert rows(db, "SELECT path, status FROM ingest_log WHERE path IN ('archive/new.txt', 'archive/old.txt') ORDER BY path") == [
        ("archive/new.txt", "loaded"), ("archive/old.txt", "loaded")]
    assert rows(db, "SELECT date::VARCHAR, resolved_from FROM timeline t JOIN articles a USING (article_id) "
                    "WHERE a.source_path = 'archive/old.txt' AND date_text = 'Yesterday'") == [("1989-12-31", "published_at")]
    report = Path(summary["validation"]["report"]).read_text(encoding="utf-8")
    assert "archive/bad.txt" in report[: report.index("Every expectation")]

    # nothing changes until the fault is gone; then the file loads
    before = fingerprints(db)
    assert run_pipeline(one, "test__again")["n_new"] == 0 and fingerprints(db) == before
    monkeypatch.setattr(pipeline.nlp.timeline, "timeline_rows", real)
    (batch / "bad.txt").write_text("Bad report, corrected\n" + ENGLISH.replace("Saturday", "Friday") + " Yesterday the mayor spoke.", encoding="utf-8")
    run_pipeline(one, "test__fixed")
    assert rows(db, "SELECT status FROM v_files WHERE path = 'archive/bad.txt'") == [("loaded",)]
    assert rows(db, "SELECT date::VARCHAR FROM timeline t JOIN articles a USING (article_id) "
                    "WHERE a.source_path = 'archive/bad.txt' AND date_text = 'Yesterday'") == [("2024-08-08",)]

