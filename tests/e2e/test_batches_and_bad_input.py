"""Batches, formats, duplicates and bad input: every file accounted for, nothing lost, nothing doubled."""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import replace
from pathlib import Path

import duckdb
import pytest

from pipeline.enrich import article_id_for
from pipeline.run import run_pipeline
from tests.conftest import SEEDS, fingerprints

pytestmark = pytest.mark.e2e

SEED = "002_b5182ef2f12f483c.txt"
ENGLISH = (
    "Ukrainian forces pressed on in the Kursk region on Saturday, while officials in Kyiv said the "
    "operation would continue until Russia agreed to serious talks about ending the war."
)
GERMAN = (
    "Die ukrainischen Truppen sind am Samstag weiter in die Region Kursk vorgedrungen, während "
    "Beamte in Kiew erklärten, dass die Operation fortgesetzt werde, bis Russland ernsthaften "
    "Gesprächen über ein Ende des Krieges zustimme."
)
HTML_PAGE = f"""<!doctype html><html><head><title>Kursk push | Border Times</title>
<meta property="og:site_name" content="Border Times">
<meta property="og:title" content="Ukraine keeps pushing in Kursk">
<meta name="date" content="2024-08-10">
<link rel="canonical" href="https://border-times.example/kursk-push"></head>
<body><nav>Home · World · Sport</nav><article><h1>Ukraine keeps pushing in Kursk</h1>
<p>{ENGLISH}</p><p>Analysts said the advance had surprised Moscow and forced it to move reserves from other parts of the front.</p>
</article><footer>Leave a Comment · Scroll to Top</footer></body></html>"""


def _rows(db: Path, sql: str, params: dict | None = None) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, params or {}).fetchall()


def _count_files(seeds: Path) -> int:
    return sum(1 for p in seeds.rglob("*") if (p.is_file() or p.is_symlink()) and not p.name.startswith("."))


def test_bad_input_is_quarantined_with_reasons_and_good_files_of_the_batch_load(settings, seeds_dir, tmp_path) -> None:
    batch = seeds_dir / "2024-08-10 mixed"
    batch.mkdir()
    (batch / "empty.txt").write_bytes(b"")
    (batch / "blank.txt").write_text(" \n\t\n  \n")
    shutil.copy(Path(__file__), batch / "not-a-photo.png")  # text under an image's name: read as text
    (batch / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0" + os.urandom(2000))
    (batch / "bundle.zip").write_bytes(b"PK\x03\x04" + os.urandom(500))
    (batch / "huge.txt").write_text(("Title\n" + ENGLISH + "\n") * 400)
    (batch / "german.txt").write_text("Titel\n" + GERMAN)
    outside = tmp_path / "outside.txt"
    outside.write_text("Secret\n" + ENGLISH)
    (batch / "link-outside.txt").symlink_to(outside)
    (batch / "Zelenskyy’s visit – ünïcode name.txt").write_text("A title\n" + ENGLISH + " Zelenskyy’s aides agreed.")
    (batch / "with space.txt").write_text("Another title\n" + ENGLISH.replace("Saturday", "Sunday"))
    (batch / "cp1252.txt").write_bytes(("Windows title\n" + ENGLISH + " Zelenskyy’s “plan” – said aides.").encode("cp1252"))
    small = replace(settings, max_file_bytes=20_000)

    summary = run_pipeline(small, "test__bad")
    db = small.db_path
    status = {path: (s, reason) for path, s, reason in _rows(db, "SELECT path, status, reason FROM ingest_log")}
    b = "2024-08-10 mixed/"
    expect = {
        "empty.txt": "empty",
        "blank.txt": "empty or only whitespace",
        "photo.jpg": "JPEG image",
        "bundle.zip": "zip archive",
        "huge.txt": "far larger than any article",
        "german.txt": "not English (detected language: de)",
        "link-outside.txt": "outside seeds/",
    }
    for name, words in expect.items():
        state, reason = status[b + name]
        assert state == "quarantined" and words in reason, (name, reason)
    for name in ("Zelenskyy’s visit – ünïcode name.txt", "with space.txt", "cp1252.txt", "not-a-photo.png"):
        assert status[b + name][0] == "loaded", (name, status[b + name])
    body = _rows(db, "SELECT body FROM articles WHERE source_path = $p", {"p": b + "cp1252.txt"})[0][0]
    assert "Zelenskyy’s “plan” – said aides." in body and "â€" not in body and "\ufffd" not in body
    assert len(_rows(db, "SELECT * FROM articles")) == 5 + 4
    # every file under seeds/ is accounted for
    assert _count_files(seeds_dir) == len(status) == summary["n_files"]
    assert (small.quarantine_dir / "test__bad" / b / "photo.jpg").exists()
    assert not (small.quarantine_dir / "test__bad" / b / "link-outside.txt").exists()  # never copied from outside

    # a quarantined file fixed by the user is loaded by the next run, and only it is processed
    (batch / "empty.txt").write_text("Fixed title\n" + ENGLISH.replace("Saturday", "Monday") + " The fix worked.")
    again = run_pipeline(small, "test__fixed")
    assert again["n_new"] == 1
    assert _rows(db, "SELECT status FROM v_files WHERE path = $p", {"p": b + "empty.txt"}) == [("loaded",)]


def test_other_encodings_give_the_same_body_and_are_duplicates_of_their_utf8_twin(settings, seeds_dir) -> None:
    text = (SEEDS / SEED).read_text(encoding="utf-8")
    twins = seeds_dir / "twins"
    twins.mkdir()
    (twins / "b-cp1252.txt").write_bytes(text.encode("cp1252"))
    (twins / "c-utf16.txt").write_bytes(text.encode("utf-16"))
    (twins / "d-renamed copy.txt").write_bytes(text.encode("utf-8"))
    run_pipeline(settings, "test__twins")
    original = article_id_for(SEED)
    rows = _rows(settings.db_path, "SELECT path, status, duplicate_of, reason FROM ingest_log WHERE path LIKE 'twins/%' ORDER BY path")
    assert [(p, s, d) for p, s, d, _ in rows] == [
        ("twins/b-cp1252.txt", "duplicate", original),
        ("twins/c-utf16.txt", "duplicate", original),
        ("twins/d-renamed copy.txt", "duplicate", original),
    ]
    assert all(SEED in reason for *_, reason in rows)
    assert _rows(settings.db_path, "SELECT count(*) FROM articles")[0][0] == 5

    # loaded on their own, each encoding gives exactly the UTF-8 body
    bodies = set()
    for name in ("b-cp1252.txt", "c-utf16.txt"):
        alone = settings.warehouse_dir.parent / f"alone-{name}"
        (alone / "seeds").mkdir(parents=True)
        shutil.copy(twins / name, alone / "seeds" / name)
        solo = replace(settings, seeds_dir=alone / "seeds", warehouse_dir=alone / "warehouse")
        run_pipeline(solo, "test__alone")
        bodies.add(_rows(solo.db_path, "SELECT body FROM articles")[0][0])
    utf8_body = _rows(settings.db_path, "SELECT body FROM articles WHERE article_id = $a", {"a": original})[0][0]
    assert bodies == {utf8_body}


def test_light_edit_is_a_near_duplicate_and_kept(settings, seeds_dir) -> None:
    text = (SEEDS / SEED).read_text(encoding="utf-8")
    edited = text.replace("On August 7, a state of emergency was introduced in the Kursk region.\n", "")
    edited = edited.replace("captured over 100 Russian soldiers", "captured more than a hundred Russian soldiers")
    edited = edited.replace("Putin's main task", "Vladimir Putin's main task", 1) + "\nThis article was updated on August 21.\n"
    (seeds_dir / "syndicated").mkdir()
    (seeds_dir / "syndicated" / "copy.txt").write_text(edited, encoding="utf-8")
    run_pipeline(settings, "test__near")
    rows = _rows(
        settings.db_path,
        "SELECT source_path, near_duplicate_of, near_duplicate_similarity FROM articles WHERE near_duplicate_of IS NOT NULL",
    )
    assert len(rows) == 1
    path, of, similarity = rows[0]
    assert path == "syndicated/copy.txt" and of == article_id_for(SEED)
    assert settings.near_duplicate_threshold <= similarity < 1.0
    assert _rows(settings.db_path, "SELECT count(*) FROM articles")[0][0] == 6


def test_manifest_jsonl_and_html_batch(settings, seeds_dir) -> None:
    batch = seeds_dir / "2024-08 outlets"
    batch.mkdir()
    shutil.move(seeds_dir / "000_28301e55a71bf43e.txt", batch / "a.txt")
    shutil.move(seeds_dir / "001_3513219292cbd83a.txt", batch / "b.txt")
    (batch / "manifest.csv").write_text(
        "file,url,outlet,published_at,title\n"
        "a.txt,https://news.example/a,Example News,2024-08-10T09:30:00+02:00,\n"
        "b.txt,https://news.example/b,Example News,yesterday,\n"
        "missing.txt,https://news.example/m,Example News,2024-08-11,\n",
        encoding="utf-8",
    )
    (batch / "wire.jsonl").write_text(
        json.dumps({"title": "Wire one", "body": ENGLISH, "outlet": "Wire", "published_at": "2024-08-12"}) + "\n"
        + "{not json\n"
        + json.dumps({"title": "Wire two", "body": ENGLISH.replace("Saturday", "Tuesday") + " Talks stalled.", "url": "https://wire.example/2"}) + "\n",
        encoding="utf-8",
    )
    (batch / "page.html").write_text(HTML_PAGE, encoding="utf-8")
    run_pipeline(settings, "test__formats")
    db = settings.db_path

    a = _rows(db, "SELECT outlet, url, published_at::VARCHAR, title FROM articles WHERE source_path = $p", {"p": "2024-08 outlets/a.txt"})
    assert a == [("Example News", "https://news.example/a", "2024-08-10 07:30:00+00", "Ukraine’s bold advance into Russia challenges Putin's regime")]
    b_state = _rows(db, "SELECT status, reason FROM ingest_log WHERE path = $p", {"p": "2024-08 outlets/b.txt"})[0]
    assert b_state[0] == "quarantined" and "row 3" in b_state[1] and "'yesterday'" in b_state[1] and "ISO 8601" in b_state[1]
    manifest = _rows(db, "SELECT status, reason FROM ingest_log WHERE path = $p", {"p": "2024-08 outlets/manifest.csv"})[0]
    assert manifest[0] == "loaded" and "missing.txt" in manifest[1]

    wire = _rows(db, "SELECT source_path, title, outlet, url, published_at::DATE::VARCHAR FROM articles WHERE source_path LIKE '%wire.jsonl#%' ORDER BY 1")
    assert wire == [
        ("2024-08 outlets/wire.jsonl#L1", "Wire one", "Wire", None, "2024-08-12"),
        ("2024-08 outlets/wire.jsonl#L3", "Wire two", None, "https://wire.example/2", None),
    ]
    wire_log = _rows(db, "SELECT status, reason FROM ingest_log WHERE path = $p", {"p": "2024-08 outlets/wire.jsonl"})[0]
    assert wire_log[0] == "loaded" and "line 2: not valid JSON" in wire_log[1]

    page = _rows(db, "SELECT title, outlet, url, published_at::DATE::VARCHAR, body FROM articles WHERE source_path LIKE '%page.html'")[0]
    assert page[:4] == ("Ukraine keeps pushing in Kursk", "Border Times", "https://border-times.example/kursk-push", "2024-08-10")
    assert page[4].startswith("Ukraine keeps pushing in Kursk\n\nUkrainian forces pressed on") and "Scroll to Top" not in page[4] and "Home" not in page[4]

    # every file is accounted for, and a second run writes nothing
    assert _count_files(seeds_dir) == _rows(db, "SELECT count(DISTINCT path) FROM ingest_log")[0][0]
    before = fingerprints(db)
    assert run_pipeline(settings, "test__again")["n_new"] == 0
    assert fingerprints(db) == before

    # fixing the manifest row re-processes the batch and the file loads with its metadata
    manifest_path = batch / "manifest.csv"
    manifest_path.write_text(manifest_path.read_text().replace("yesterday", "2024-08-09"))
    run_pipeline(settings, "test__manifest_fixed")
    assert _rows(db, "SELECT published_at::DATE::VARCHAR FROM articles WHERE source_path = $p", {"p": "2024-08 outlets/b.txt"}) == [("2024-08-09",)]
    assert _rows(db, "SELECT count(*) FROM articles WHERE source_path LIKE '%wire.jsonl#%'")[0][0] == 2


def test_a_big_jsonl_file_is_read_in_parts_by_every_worker_and_logged_once(settings, seeds_dir, tmp_path) -> None:
    from pipeline.discover import discover
    from tests.utils import write_articles

    texts = [p.read_text(encoding="utf-8").split("\n\n", 1) for p in write_articles(tmp_path / "texts", 120)]
    lines = [json.dumps({"title": title.strip(), "body": body}) for title, body in texts]
    lines[70] = "{broken"
    (seeds_dir / "wire").mkdir()
    (seeds_dir / "wire" / "big.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    two = replace(settings, workers=2, shard_size=200)
    plan = discover(two, "test__parts_plan")
    parts = [json.loads(Path(s).read_text())["files"] for s in plan["shards"]]
    assert sorted(f[0].get("part") for f in parts if f[0]["path"] == "wire/big.jsonl") == ["lines 1-60", "lines 61-120"]
    shutil.rmtree(two.staging_dir)

    run_pipeline(two, "test__parts")
    rows = _rows(two.db_path, "SELECT status, reason FROM ingest_log WHERE path = 'wire/big.jsonl'")
    assert len(rows) == 1 and rows[0][0] == "loaded"
    assert rows[0][1].startswith("119 articles loaded, read in 2 parts") and "line 71: not valid JSON" in rows[0][1]
    assert _rows(two.db_path, "SELECT count(*) FROM articles WHERE source_path LIKE 'wire/big.jsonl#%'")[0][0] == 119
    with duckdb.connect(str(two.db_path), read_only=True) as con:
        lake = con.execute(f"SELECT count(*) FROM read_parquet('{two.lake_dir}/ingest_log/*/*.parquet')").fetchone()[0]
        assert lake == con.execute("SELECT count(*) FROM ingest_log").fetchone()[0]
