"""Benchmark: the pipeline against raw spaCy on the same texts, the same machine, in one run.

``make bench`` (``python -m devtools.bench``) measures, for each process count:

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
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

from pipeline.config import PROJECT_ROOT, load_settings

DEFAULT_CORPUS = PROJECT_ROOT.parent / "shared" / "corpus" / "bbc_news.jsonl"


class PeakMemory:
    """Samples the memory of a process and all its children (the process tree).

    Proportional set size (PSS) where the system reports it: pages shared between the workers
    (the model files, the Python libraries) count once, not once per process. Falls back to RSS.
    Every sample is kept with its time, so the peak of each stage of a run can be told.
    """

    def __init__(self, pid: int | None = None, interval: float = 0.2) -> None:
        import psutil

        self._process = psutil.Process(pid)
        self.interval = interval
        self.peak = 0
        self.samples: list[tuple[float, int]] = []  # (time.monotonic(), bytes)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> int:
        import psutil

        total = 0
        try:
            tree = [self._process, *self._process.children(recursive=True)]
        except psutil.Error:
            return 0
        for proc in tree:
            try:
                total += self._size(proc)
            except psutil.Error:
                pass  # a worker that ended between listing and reading
        return total

    @staticmethod
    def _size(proc) -> int:
        """PSS of one process, or its RSS where the system reports no PSS or will not show its page map."""
        import psutil

        try:
            info = proc.memory_full_info()
        except psutil.AccessDenied:
            return proc.memory_info().rss
        return getattr(info, "pss", None) or info.rss

    def sample(self) -> int:
        """Take one sample now (the sampler thread calls this every ``interval`` seconds)."""
        value = self._sample()
        self.samples.append((time.monotonic(), value))
        self.peak = max(self.peak, value)
        return value

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            time.sleep(self.interval)

    def peak_between(self, start: float, end: float) -> int:
        """The highest sample taken between two ``time.monotonic()`` readings."""
        return max((v for t, v in self.samples if start <= t <= end), default=0)

    def __enter__(self) -> "PeakMemory":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def _child(function: str, kwargs: dict, results) -> None:
    """Entry point of a measuring child process: run one benchmark function, send back its figures."""
    import logging

    logging.basicConfig(level=logging.ERROR)
    try:
        results.put(("ok", globals()[function](**kwargs)))
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which raises it
        import traceback

        results.put(("error", f"{exc!r}\n{traceback.format_exc()}"))


def measured(function: str, **kwargs) -> tuple[dict, PeakMemory]:
    """Run one benchmark function in a fresh process and sample that process tree's memory.

    A fresh process for each measurement: memory left over by one (a loaded model, freed arenas)
    does not count against the next.
    """
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    child = context.Process(target=_child, args=(function, kwargs, results))
    child.start()
    with PeakMemory(child.pid) as memory:
        while True:
            try:
                status, value = results.get(timeout=5)
                break
            except queue.Empty:
                if not child.is_alive():  # killed (out of memory?) or crashed without a word
                    raise RuntimeError(
                        f"benchmark step {function} died with exit code {child.exitcode} before reporting; "
                        "check memory (dmesg) or run with a smaller --limit/--copies"
                    ) from None
        child.join()
    if status != "ok":
        raise RuntimeError(f"benchmark step {function} failed in its process: {value}")
    return value, memory


def load_texts(corpus: Path | None, copies: int, limit: int | None) -> tuple[list[tuple[str, str]], str]:
    """(title, body) pairs: the corpus if present, else the seeds; each copy made distinct."""
    if corpus and corpus.is_file():
        records = [json.loads(line) for line in corpus.read_text(encoding="utf-8").splitlines() if line.strip()]
        base = [(r["title"], r["body"]) for r in records]
        source = str(corpus)
    else:
        from pipeline.sources.clean import clean

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
    """Plain ``nlp.pipe`` over the texts: the model package as installed, nothing else."""
    import spacy

    nlp = spacy.load(model)
    bodies = [f"{title}\n\n{body}" for title, body in texts]
    started_at = time.monotonic()
    started = time.perf_counter()
    tokens = 0
    for doc in nlp.pipe(bodies, n_process=processes, batch_size=batch_size):
        tokens += sum(1 for t in doc if not t.is_space)
    seconds = time.perf_counter() - started
    return {"processes": processes, "tokens": tokens, "seconds": round(seconds, 2),
            "tokens_per_s": round(tokens / seconds, 1), "started_at": started_at}


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
    started_at = time.monotonic()
    started = time.perf_counter()
    summary = run_pipeline(settings, f"bench__{workers}")
    seconds = time.perf_counter() - started
    shutil.rmtree(folder, ignore_errors=True)
    tokens = summary.get("n_tokens", 0)
    return {"workers": workers, "articles": summary["tables"]["articles"], "tokens": tokens, "seconds": round(seconds, 2),
            "tokens_per_s": round(tokens / seconds, 1), "stage_seconds": {k: round(v, 2) for k, v in summary["timings"].items()},
            "started_at": started_at}


def with_memory(figures: dict, memory: PeakMemory) -> dict:
    """Add the peak memory of the process tree: over the measured work, and per stage when there are stages."""
    figures = dict(figures)
    start = figures.pop("started_at")
    figures["peak_mb"] = round(memory.peak_between(start, float("inf")) / 2**20)
    if "stage_seconds" in figures:
        per_stage = {}
        for stage, seconds in figures["stage_seconds"].items():
            per_stage[stage] = round(memory.peak_between(start, start + seconds + memory.interval) / 2**20)
            start += seconds
        figures["stage_peak_mb"] = per_stage
    return figures


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
    launched = datetime.now(timezone.utc)
    started = time.perf_counter()
    done = subprocess.run([airflow, "dags", "test", "news_pipeline"], env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError("airflow dags test failed:\n" + (done.stdout + done.stderr)[-3000:])
    tasks = task_times(folder / "airflow-home" / "airflow.db")
    if not tasks:
        raise RuntimeError(f"airflow dags test finished but recorded no task times in {folder / 'airflow-home' / 'airflow.db'}")
    first_start = min(start for start, _ in tasks.values())
    in_tasks = sum((end - start).total_seconds() for start, end in tasks.values())
    per_task: dict[str, float] = {}
    for (task_id, _), (start, end) in tasks.items():
        per_task[task_id] = round(per_task.get(task_id, 0.0) + (end - start).total_seconds(), 1)
    return {
        "articles": len(texts),
        "airflow_db_setup_seconds": round(setup, 1),
        "dags_test_seconds": round(seconds, 1),
        "airflow_startup_seconds": round((first_start - launched).total_seconds(), 1),
        "in_tasks_seconds": round(in_tasks, 1),
        "between_and_after_tasks_seconds": round(seconds - (first_start - launched).total_seconds() - in_tasks, 1),
        "task_seconds": per_task,
    }


DEDUP_TEMPLATE = (
    "Residents of {town} were told on {day} to boil their tap water after a burst main flooded the pumping "
    "station, the {town} council said. Engineers expect repairs to take {weeks} weeks. The council has opened "
    "{sites} water distribution points and asked neighbours to check on elderly residents. Schools in the "
    "district will stay open, a spokesperson said, adding that bottled water would be delivered to {homes} "
    "homes registered as vulnerable. Updates will be posted on the council's website every morning."
)


def bench_dedup(n_articles: int, root: Path, shards: int = 4) -> dict:
    """Deduplicate over ``n_articles`` near-identical templated articles (a council notice for every town).

    Signatures and staged files are prepared first (not timed); then the deduplicate stage runs as
    in a pipeline run, against an empty warehouse, and is timed.
    """
    import random

    import pyarrow as pa
    import pyarrow.parquet as pq

    from pipeline.deduplicate import deduplicate
    from pipeline.nlp.minhash import signature
    from pipeline.store.tables import to_table

    rng = random.Random(20)
    days = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
    run = root / "dedup" / "staging" / "bench__dedup"
    results = []
    per_shard = -(-n_articles // shards)
    started = time.perf_counter()
    for shard in range(shards):
        ids = range(shard * per_shard, min(n_articles, (shard + 1) * per_shard))
        articles, signatures, ingest = [], [], []
        for i in ids:
            body = DEDUP_TEMPLATE.format(town=f"Town {i}", day=rng.choice(days), weeks=rng.randint(2, 9),
                                         sites=rng.randint(3, 12), homes=rng.randint(100, 900))
            article_id = f"{i:016x}"
            path = f"towns/notice_{i:06d}.txt"
            articles.append({"article_id": article_id, "source_path": path, "text_sha256": f"{i:064x}"})
            signatures.append({"article_id": article_id, "minhash": signature(body)})
            ingest.append({"path": path, "status": "loaded", "article_id": article_id, "batch_id": "towns", "run_id": "bench__dedup"})
        stem = f"shard-{shard:05d}"
        staged = {}
        for table, rows in (("articles", articles), ("article_signatures", signatures), ("ingest_log", ingest)):
            out = run / table / f"{stem}.parquet"
            out.parent.mkdir(parents=True, exist_ok=True)
            data = to_table(table, rows) if table == "article_signatures" else pa.Table.from_pylist(rows)
            pq.write_table(data, out)
            staged[table] = str(out)
        (run / "shards").mkdir(parents=True, exist_ok=True)
        (run / "shards" / f"{stem}.json").write_text(json.dumps({"run_id": "bench__dedup", "batch_id": "towns", "files": []}))
        results.append({"shard": str(run / "shards" / f"{stem}.json"), "staged": staged})
    prepared = time.perf_counter() - started
    settings = load_settings().with_dirs(root / "dedup" / "seeds", root / "dedup" / "warehouse")
    started = time.perf_counter()
    decided = deduplicate(settings, results)
    seconds = time.perf_counter() - started
    return {"articles": n_articles, "near_duplicates": decided["near_duplicates"], "seconds": round(seconds, 2),
            "preparation_seconds": round(prepared, 1)}


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def bench_cluster(texts: list[tuple[str, str]], workers: int, root: Path, shard_size: int) -> dict:
    """The batch through the real CeleryExecutor cluster (``devtools/cluster.py``) with N default-queue workers.

    A cluster of its own on free ports and temporary folders; started, one triggered run timed from
    the run's start to its end (the metadata database's times), stopped. Cluster start-up is not counted.
    """
    folder = root / f"cluster-{workers}"
    _write_seeds(texts, folder / "seeds")
    env = {**os.environ, "CLUSTER_DIR": str(folder / "cluster"), "CLUSTER_POSTGRES_PORT": str(_free_port()),
           "CLUSTER_REDIS_PORT": str(_free_port()), "CLUSTER_API_PORT": str(_free_port()),
           "CLUSTER_LOG_SERVER_PORT": str(_free_port()), "PIPELINE_SEEDS_DIR": str(folder / "seeds"),
           "PIPELINE_WAREHOUSE_DIR": str(folder / "warehouse"), "PIPELINE_SCHEDULE_MINUTES": "0",
           "PIPELINE_SHARD_SIZE": str(shard_size)}
    for reachable in (root, folder):  # PostgreSQL runs as its own user and must reach its data folder
        reachable.chmod(0o755)
    cluster = [sys.executable, "-m", "devtools.cluster"]
    started = subprocess.run([*cluster, "start", "--workers", str(workers)], env=env, cwd=PROJECT_ROOT, capture_output=True, text=True)
    try:
        if started.returncode != 0:
            raise RuntimeError("the cluster did not start:\n" + (started.stdout + started.stderr)[-3000:])
        previous = dict(os.environ)
        os.environ.update(env)
        try:
            from devtools import cluster as handle

            airflow_env, metadata = handle.environment(), handle.metadata
            run_id = f"bench__cluster_{workers}_{time.time_ns()}"
            subprocess.run([str(Path(sys.executable).parent / "airflow"), "dags", "trigger", "news_pipeline", "--run-id", run_id],
                           env=airflow_env, check=True, capture_output=True)
            deadline = time.monotonic() + 3600
            while (state := metadata("SELECT state FROM dag_run WHERE run_id = %s", (run_id,))[0][0]) not in ("success", "failed"):
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{run_id} still {state} after an hour")
                time.sleep(1)
            if state != "success":
                raise RuntimeError(f"{run_id} failed: {metadata('SELECT task_id, map_index, state FROM task_instance WHERE run_id = %s', (run_id,))}")
            (run_start, run_end), = metadata("SELECT start_date, end_date FROM dag_run WHERE run_id = %s", (run_id,))
            tasks = metadata("SELECT task_id, start_date, end_date, hostname FROM task_instance WHERE run_id = %s", (run_id,))
        finally:
            os.environ.clear()
            os.environ.update(previous)
    finally:
        subprocess.run([*cluster, "stop"], env=env, cwd=PROJECT_ROOT, capture_output=True, text=True)
    import duckdb

    with duckdb.connect(str(folder / "warehouse" / "news.duckdb"), read_only=True) as con:
        articles, tokens = con.execute("SELECT count(*), sum(n_tokens) FROM articles").fetchone()
    enrich = [(start, end, host) for task, start, end, host in tasks if task == "enrich"]
    seconds = (run_end - run_start).total_seconds()
    span = (max(end for _, end, _ in enrich) - min(start for start, _, _ in enrich)).total_seconds()
    per_task: dict[str, float] = {}
    for task, start, end, _ in tasks:
        per_task[task] = round(per_task.get(task, 0.0) + (end - start).total_seconds(), 1)
    shutil.rmtree(folder, ignore_errors=True)
    return {"workers": workers, "articles": articles, "tokens": int(tokens), "enrich_tasks": len(enrich),
            "enrich_hosts": sorted({host for _, _, host in enrich}), "run_seconds": round(seconds, 1),
            "tokens_per_s": round(tokens / seconds, 1), "enrich_span_seconds": round(span, 1),
            "enrich_tokens_per_s": round(tokens / span, 1), "task_seconds": per_task}


def task_times(airflow_db: Path) -> dict[tuple[str, int], tuple[datetime, datetime]]:
    """(task, map index) -> (start, end) of every task instance, from Airflow's SQLite metadata database."""
    import sqlite3

    def when(value: str) -> datetime:
        moment = datetime.fromisoformat(value)
        return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)

    with sqlite3.connect(airflow_db) as con:
        rows = con.execute(
            "SELECT task_id, map_index, start_date, end_date FROM task_instance WHERE start_date IS NOT NULL AND end_date IS NOT NULL"
        ).fetchall()
    return {(task, index): (when(start), when(end)) for task, index, start, end in rows}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devtools.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="JSON-lines corpus (default: ../shared/corpus/bbc_news.jsonl; the seeds if absent)")
    parser.add_argument("--copies", type=int, default=1, help="repeat the corpus N times, each copy with distinct text")
    parser.add_argument("--limit", type=int, help="use only the first N articles of the corpus")
    parser.add_argument("--processes", type=int, nargs="*", default=[1, 2], help="process counts to measure (none: skip the pipeline runs)")
    parser.add_argument("--noop-files", type=int, default=20_000, help="files for the nothing-new run (0 to skip)")
    parser.add_argument("--airflow", type=int, default=0, metavar="N", help="also run N articles through airflow dags test")
    parser.add_argument("--dedup-articles", type=int, default=20_000, metavar="N",
                        help="deduplicate N near-identical templated articles (0 to skip)")
    parser.add_argument("--memory-copies", type=int, nargs=2, metavar=("A", "B"),
                        help="also run the pipeline (most processes) at --copies A and at B; report their peak memory and its ratio")
    parser.add_argument("--skip-raw", action="store_true", help="measure only the pipeline (for memory runs at large --copies)")
    parser.add_argument("--cluster", type=int, default=400, metavar="N",
                        help="run N articles through the CeleryExecutor cluster with 1 and 2 workers (0 to skip; needs root or Debian's postgresql and redis)")
    parser.add_argument("--cluster-shard-size", type=int, default=200, metavar="FILES", help="files per mapped enrich task in the cluster case")
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
            raw = None
            if not args.skip_raw:
                raw = with_memory(*measured("bench_raw", texts=texts, model=settings.spacy_model, processes=processes,
                                            batch_size=settings.nlp_batch_size))
                print(f"  raw spaCy, {processes} process(es): {raw['tokens_per_s']:,.0f} tokens/s, peak {raw['peak_mb']} MB", flush=True)
            pipe = with_memory(*measured("bench_pipeline", texts=texts, workers=processes, root=root))
            ratio = round(pipe["tokens_per_s"] / raw["tokens_per_s"], 3) if raw else None
            print(f"  pipeline,  {processes} worker(s):   {pipe['tokens_per_s']:,.0f} tokens/s, peak {pipe['peak_mb']} MB"
                  + (f", ratio to raw {ratio:.2f}" if ratio else "") + "\n"
                  f"    seconds per stage {pipe['stage_seconds']}\n    peak MB per stage {pipe['stage_peak_mb']}", flush=True)
            report["runs"].append({"processes": processes, "raw": raw, "pipeline": pipe, "pipeline_to_raw": ratio})
            shutil.rmtree(root / f"pipeline-{processes}", ignore_errors=True)
        by_p = {r["processes"]: r for r in report["runs"]}
        if 1 in by_p and 2 in by_p:
            report["pipeline_2_over_1"] = round(by_p[2]["pipeline"]["tokens_per_s"] / by_p[1]["pipeline"]["tokens_per_s"], 3)
            print(f"  two workers over one: pipeline {report['pipeline_2_over_1']:.2f}")
            if by_p[1]["raw"] and by_p[2]["raw"]:
                report["raw_2_over_1"] = round(by_p[2]["raw"]["tokens_per_s"] / by_p[1]["raw"]["tokens_per_s"], 3)
                print(f"  two workers over one: raw spaCy {report['raw_2_over_1']:.2f}")
        if args.memory_copies:
            peaks = {}
            for copies in args.memory_copies:
                scaled, _ = load_texts(args.corpus, copies, args.limit)
                run = with_memory(*measured("bench_pipeline", texts=scaled, workers=max(args.processes or [2]), root=root / f"copies-{copies}"))
                peaks[copies] = {"articles": len(scaled), "peak_mb": run["peak_mb"], "stage_peak_mb": run["stage_peak_mb"],
                                 "tokens_per_s": run["tokens_per_s"]}
                print(f"  copies {copies} ({len(scaled)} articles), {max(args.processes or [2])} worker(s): peak {run['peak_mb']} MB, "
                      f"{run['tokens_per_s']:,.0f} tokens/s; peak MB per stage {run['stage_peak_mb']}", flush=True)
            low, high = args.memory_copies
            report["memory_by_copies"] = {str(c): v for c, v in peaks.items()}
            report["memory_ratio"] = round(peaks[high]["peak_mb"] / peaks[low]["peak_mb"], 3)
            print(f"  peak memory at copies {high} over copies {low}: {report['memory_ratio']:.2f}", flush=True)
        if args.dedup_articles:
            report["dedup"] = bench_dedup(args.dedup_articles, root)
            d = report["dedup"]
            print(f"  deduplicate over {d['articles']:,} near-identical templated articles: {d['seconds']} s "
                  f"({d['near_duplicates']:,} near duplicates flagged; signatures prepared in {d['preparation_seconds']} s)", flush=True)
        if args.noop_files:
            report["noop"] = bench_noop(args.noop_files, root)
            print(f"  nothing new over {args.noop_files:,} files: {report['noop']['seconds']} s")
        if args.airflow:
            subset = texts[: args.airflow]
            cli, _ = measured("bench_pipeline", texts=subset, workers=max(args.processes or [2]), root=root / "airflow-cli")
            af = bench_airflow(subset, root)
            af["cli_seconds"] = cli["seconds"]
            af["airflow_extra_seconds"] = round(af["dags_test_seconds"] - cli["seconds"], 1)
            af["task_startup_seconds"] = round(af["in_tasks_seconds"] - cli["seconds"], 1)
            report["airflow"] = af
            print(f"  {len(subset)} articles: airflow dags test {af['dags_test_seconds']} s vs CLI {cli['seconds']} s "
                  f"(+{af['airflow_extra_seconds']} s: Airflow start-up {af['airflow_startup_seconds']} s, "
                  f"in tasks {af['in_tasks_seconds']} s of which {af['task_startup_seconds']} s more than the CLI's work, "
                  f"between and after tasks {af['between_and_after_tasks_seconds']} s; "
                  f"DB set-up before, not counted, {af['airflow_db_setup_seconds']} s)\n    seconds per task {af['task_seconds']}")
        if args.cluster:
            runs = {w: bench_cluster(texts[: args.cluster], w, root, args.cluster_shard_size) for w in (1, 2)}
            report["cluster"] = {"runs": list(runs.values()),
                                 "run_2_over_1": round(runs[2]["tokens_per_s"] / runs[1]["tokens_per_s"], 3),
                                 "enrich_2_over_1": round(runs[2]["enrich_tokens_per_s"] / runs[1]["enrich_tokens_per_s"], 3)}
            for run in runs.values():
                print(f"  cluster, {run['workers']} Celery worker(s), {run['articles']} articles in {run['enrich_tasks']} enrich tasks "
                      f"on {run['enrich_hosts']}: run {run['run_seconds']} s ({run['tokens_per_s']:,.0f} tokens/s), "
                      f"enrich {run['enrich_span_seconds']} s ({run['enrich_tokens_per_s']:,.0f} tokens/s)\n"
                      f"    seconds per task {run['task_seconds']}", flush=True)
            print(f"  cluster, two workers over one: whole run {report['cluster']['run_2_over_1']:.2f}, "
                  f"enrich {report['cluster']['enrich_2_over_1']:.2f}", flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2))
    print(f"figures written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
