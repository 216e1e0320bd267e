"""The benchmark run for real on a tiny corpus (slow: it loads the model and runs the pipeline)."""

from __future__ import annotations

import json

from pipeline.config import DEFAULT_MODEL


def test_bench_runs_end_to_end_on_a_small_corpus(tmp_path) -> None:
    """One real (small) benchmark: raw spaCy, the pipeline, memory at two scales and a no-op run, into JSON."""
    from devtools.bench import main
    from pipeline.sources.clean import clean
    from tests.conftest import SEEDS

    corpus = tmp_path / "corpus.jsonl"
    records = []
    for path in sorted(SEEDS.glob("*.txt"))[:3]:
        cleaned = clean(path.read_text(encoding="utf-8"))
        records.append({"title": cleaned.title, "body": cleaned.body.split("\n\n", 1)[-1]})
    corpus.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    out = tmp_path / "bench.json"
    assert main(["--corpus", str(corpus), "--processes", "1", "--noop-files", "50", "--memory-copies", "1", "2",
                 "--dedup-articles", "400", "--cluster", "0", "--out", str(out)]) == 0
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

    from devtools.bench import measured

    outcome: dict = {}

    def run() -> None:
        try:
            measured("bench_raw", texts=[("T", "Kyiv said on Tuesday.")], model=DEFAULT_MODEL, processes=1, batch_size=16)
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
