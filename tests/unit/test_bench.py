"""Benchmark helpers: copies stay distinct (so duplicate detection does not drop them); memory is sampled."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys

from devtools.bench import PeakMemory, load_texts, task_times, with_memory


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


# A process that takes 50 MB, every page touched so it is really resident, when told to on its stdin.
_ALLOCATE = ("import sys, time; sys.stdin.readline(); block = bytearray(50 * 2**20); "
             "block[::4096] = b'x' * len(block[::4096]); print('ready', flush=True); time.sleep(60)")


def test_peak_memory_sees_a_process_grow() -> None:
    """Sampled by hand (no sampler thread, no timing) on a process of its own: the test process's heap
    and children (workers other tests started) do not blur the figure."""
    child = subprocess.Popen([sys.executable, "-c", _ALLOCATE], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        memory = PeakMemory(child.pid)
        before = memory.sample()
        child.stdin.write("go\n")
        child.stdin.flush()
        assert child.stdout.readline().strip() == "ready"
        after = memory.sample()
    finally:
        child.kill()
        child.wait()
    assert after - before > 40 * 2**20 and memory.peak == max(before, after) and len(memory.samples) == 2


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
