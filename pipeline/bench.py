"""Benchmark: the pipeline against raw spaCy on the same texts, the same machine, in one run.

``make bench`` (``python -m pipeline.bench``) measures, for each process count:

* raw spaCy: ``nlp.pipe`` with the project's model package, nothing else;
* the pipeline: the same texts as files in a temporary ``seeds/``, through every stage
  (discover, enrich with every extractor, deduplicate, validate, load, publish);

and prints tokens/s of both and their ratio, the pipeline's wall time per stage, the peak memory
of the whole process tree, a no-op run over many files, and (``--airflow``) the cost of running
the same batch through ``airflow dags test``. Figures go to a JSON file.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from pipeline.config import PROJECT_ROOT, load_settings

DEFAULT_CORPUS = PROJECT_ROOT.parent / "shared" / "corpus" / "bbc_news.jsonl"


class PeakMemory:
    """Samples the memory of this process and all its children (the process tree).

    Proportional set size (PSS) where the system reports it: pages shared between the workers
    (the model files, the Python libraries) count once, not once per process. Falls back to RSS.
    """

    def __init__(self, interval: float = 0.2) -> None:
        import psutil

        self._process = psutil.Process()
        self._interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> int:
        import psutil

        total = 0
        for proc in [self._process, *self._process.children(recursive=True)]:
            try:
                total += getattr(proc.memory_full_info(), "pss", None) or proc.memory_info().rss
            except psutil.Error:
                pass
        return total

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._sample())
            time.sleep(self._interval)

    def __enter__(self) -> "PeakMemory":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def load_texts(corpus: Path | None, copies: int, limit: int | None) -> tuple[list[tuple[str, str]], str]:
    """(title, body) pairs: the corpus if present, else the seeds; each copy made distinct."""
    if corpus and corpus.is_file():
        records = [json.loads(line) for line in corpus.read_text(encoding="utf-8").splitlines() if line.strip()]
        base = [(r["title"], r["body"]) for r in records]
        source = str(corpus)
    else:
        from pipeline.clean import clean

        base = []
        for path in sorted((PROJECT_ROOT / "seeds").glob("*.txt")):
            cleaned = clean(path.read_text(encoding="utf-8"))
            base.append((cleaned.title, cleaned.body.split("\n\n", 1)[-1]))
        base = base * 40
        source = "project seeds, repeated"
    if limit:
        base = base[:limit]
    texts = []
    for copy in range(copies):
        for i, (title, body) in enumerate(base):
            marker = f" (copy {copy + 1}, item {i + 1})" if copies > 1 or source.startswith("project") else ""
            texts.append((title + marker, body + (f"\n\nThis is copy {copy + 1} of item {i + 1}." if marker else "")))
    return texts, source


def bench_raw(texts: list[tuple[str, str]], model: str, processes: int, batch_size: int) -> dict:
    import spacy

    nlp = spacy.load(model)
    bodies = [f"{title}\n\n{body}" for title, body in texts]
    with PeakMemory() as memory:
        started = time.perf_counter()
        tokens = 0
        for doc in nlp.pipe(bodies, n_process=processes, batch_size=batch_size):
            tokens += sum(1 for t in doc if not t.is_space)
        seconds = time.perf_counter() - started
    return {"processes": processes, "tokens": tokens, "seconds": round(seconds, 2),
            "tokens_per_s": round(tokens / seconds, 1), "peak_rss_mb": round(memory.peak / 2**20)}


def _write_seeds(texts: list[tuple[str, str]], folder: Path) -> None:
    batch = folder / "bench"
    batch.mkdir(parents=True)
    for i, (title, body) in enumerate(texts):
        (batch / f"article_{i:06d}.txt").write_text(f"{title}\n\n{body}\n", encoding="utf-8")


def bench_pipeline(texts: list[tuple[str, str]], workers: int, root: Path) -> dict:
    """One cold pipeline run over the texts as files, in this process and its workers."""
    from pipeline.run import run_pipeline

    folder = root / f"pipeline-{workers}"
    _write_seeds(texts, folder / "seeds")
    settings = load_settings().with_dirs(folder / "seeds", folder / "warehouse")
    settings = type(settings)(**{**settings.__dict__, "workers": workers})
    with PeakMemory() as memory:
        started = time.perf_counter()
        summary = run_pipeline(settings, f"bench__{workers}")
        seconds = time.perf_counter() - started
    tokens = summary.get("n_tokens", 0)
    return {"workers": workers, "articles": summary["tables"]["articles"], "tokens": tokens, "seconds": round(seconds, 2),
            "tokens_per_s": round(tokens / seconds, 1), "stage_seconds": {k: round(v, 2) for k, v in summary["timings"].items()},
            "peak_rss_mb": round(memory.peak / 2**20)}


def bench_noop(n_files: int, root: Path) -> dict:
    """A run that finds nothing new over ``n_files`` files (all seen before) must return in seconds."""
    from pipeline.run import run_pipeline

    folder = root / "noop"
    seeds = folder / "seeds" / "many"
    seeds.mkdir(parents=True)
    for i in range(n_files):
        (seeds / f"note_{i:06d}.txt").write_text(f"Note {i}\nToo short to be an article.\n")
    settings = load_settings().with_dirs(folder / "seeds", folder / "warehouse")
    first = time.perf_counter()
    run_pipeline(settings, "bench__noop_first")  # every file is logged (quarantined as too short)
    first_seconds = time.perf_counter() - first
    started = time.perf_counter()
    summary = run_pipeline(settings, "bench__noop")
    seconds = time.perf_counter() - started
    return {"files": n_files, "new_files": summary["n_new"], "seconds": round(seconds, 2), "first_run_seconds": round(first_seconds, 1)}


def bench_airflow(texts: list[tuple[str, str]], root: Path) -> dict:
    """The same batch through ``airflow dags test``, against the CLI's run of it."""
    folder = root / "airflow"
    _write_seeds(texts, folder / "seeds")
    env = {
        **os.environ,
        "AIRFLOW_HOME": str(folder / "airflow-home"),
        "AIRFLOW__CORE__DAGS_FOLDER": str(PROJECT_ROOT / "dags"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__PARALLELISM": "2",
        "PIPELINE_SEEDS_DIR": str(folder / "seeds"),
        "PIPELINE_WAREHOUSE_DIR": str(folder / "warehouse"),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    airflow = str(Path(sys.executable).parent / "airflow")
    started = time.perf_counter()
    subprocess.run([airflow, "db", "migrate"], env=env, check=True, capture_output=True)
    subprocess.run([airflow, "pools", "set", "duckdb_writer", "1", "bench"], env=env, check=True, capture_output=True)
    setup = time.perf_counter() - started
    started = time.perf_counter()
    done = subprocess.run([airflow, "dags", "test", "news_pipeline"], env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError("airflow dags test failed:\n" + (done.stdout + done.stderr)[-3000:])
    return {"articles": len(texts), "airflow_db_setup_seconds": round(setup, 1), "dags_test_seconds": round(seconds, 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="JSON-lines corpus (default: ../shared/corpus/bbc_news.jsonl; the seeds if absent)")
    parser.add_argument("--copies", type=int, default=1, help="repeat the corpus N times, each copy with distinct text")
    parser.add_argument("--limit", type=int, help="use only the first N articles of the corpus")
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2], help="process counts to measure")
    parser.add_argument("--noop-files", type=int, default=20_000, help="files for the nothing-new run (0 to skip)")
    parser.add_argument("--airflow", type=int, default=0, metavar="N", help="also run N articles through airflow dags test")
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "warehouse" / "reports" / "bench.json")
    args = parser.parse_args(argv)
    import logging

    logging.basicConfig(level=logging.ERROR)
    settings = load_settings()
    texts, source = load_texts(args.corpus, args.copies, args.limit)
    report: dict = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "corpus": source, "copies": args.copies, "articles": len(texts), "model": settings.spacy_model, "runs": [],
    }
    print(f"benchmark: {len(texts)} articles from {source} (copies {args.copies}), model {settings.spacy_model}", flush=True)
    with tempfile.TemporaryDirectory(prefix="news-bench-") as tmp:
        root = Path(tmp)
        for processes in args.processes:
            raw = bench_raw(texts, settings.spacy_model, processes, settings.nlp_batch_size)
            print(f"  raw spaCy, {processes} process(es): {raw['tokens_per_s']:,.0f} tokens/s, peak {raw['peak_rss_mb']} MB", flush=True)
            pipe = bench_pipeline(texts, processes, root)
            ratio = round(pipe["tokens_per_s"] / raw["tokens_per_s"], 3)
            print(f"  pipeline,  {processes} worker(s):   {pipe['tokens_per_s']:,.0f} tokens/s, peak {pipe['peak_rss_mb']} MB, "
                  f"ratio to raw {ratio:.2f}; stages {pipe['stage_seconds']}", flush=True)
            report["runs"].append({"processes": processes, "raw": raw, "pipeline": pipe, "pipeline_to_raw": ratio})
            shutil.rmtree(root / f"pipeline-{processes}", ignore_errors=True)
        by_p = {r["processes"]: r for r in report["runs"]}
        if 1 in by_p and 2 in by_p:
            report["pipeline_2_over_1"] = round(by_p[2]["pipeline"]["tokens_per_s"] / by_p[1]["pipeline"]["tokens_per_s"], 3)
            report["raw_2_over_1"] = round(by_p[2]["raw"]["tokens_per_s"] / by_p[1]["raw"]["tokens_per_s"], 3)
            print(f"  two workers over one: pipeline {report['pipeline_2_over_1']:.2f}, raw spaCy {report['raw_2_over_1']:.2f}")
        if args.noop_files:
            report["noop"] = bench_noop(args.noop_files, root)
            print(f"  nothing new over {args.noop_files:,} files: {report['noop']['seconds']} s")
        if args.airflow:
            subset = texts[: args.airflow]
            cli = bench_pipeline(subset, max(args.processes), root / "airflow-cli")
            af = bench_airflow(subset, root)
            af["cli_seconds"] = cli["seconds"]
            af["airflow_extra_seconds"] = round(af["dags_test_seconds"] - cli["seconds"], 1)
            report["airflow"] = af
            print(f"  {len(subset)} articles: airflow dags test {af['dags_test_seconds']} s vs CLI {cli['seconds']} s "
                  f"(+{af['airflow_extra_seconds']} s; Airflow DB set-up {af['airflow_db_setup_seconds']} s)")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2))
    print(f"figures written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
