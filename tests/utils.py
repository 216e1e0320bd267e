"""Helpers shared by the tests: hostile seed files, accounting for every path, warehouse queries."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import duckdb

ENGLISH = (
    "Ukrainian forces pressed on in the Kursk region on Saturday, while officials in Kyiv said the "
    "operation would continue until Russia agreed to serious talks about ending the war."
)


def doc_rows(doc, article_id: str) -> tuple[list[dict], list[dict], int]:
    """Sentence rows, entity-mention rows and the token count of one parsed body, as enrich makes them."""
    from pipeline.nlp.entities import mention_rows, sentence_rows

    sentences = sentence_rows(doc, article_id)
    return sentences, mention_rows(doc, article_id, sentences), sum(1 for token in doc if not token.is_space)


def rows(db: Path, sql: str, params: dict | None = None) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, params or {}).fetchall()


def make_deep_file(seeds: Path, byte_length: int, name: str = "deep.txt") -> str:
    """A file whose path is longer than ``byte_length`` bytes, made through folder descriptors; returns its relative path."""
    fd = os.open(seeds, os.O_RDONLY)
    part = "d" * 200
    depth = byte_length // 201 + 1
    for _ in range(depth):
        os.mkdir(part, dir_fd=fd)
        child = os.open(part, os.O_RDONLY, dir_fd=fd)
        os.close(fd)
        fd = child
    handle = os.open(name, os.O_WRONLY | os.O_CREAT, dir_fd=fd)
    os.write(handle, b"Deep title\n" + ENGLISH.encode())
    os.close(handle)
    os.close(fd)
    return "/".join([part] * depth + [name])


def make_socket(path: Path) -> None:
    """Leave a Unix socket file at ``path`` (what a crashed local service leaves behind)."""
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    server.close()


def paths_under(seeds: Path) -> set[str]:
    """Every path an analyst would expect ``ingest_log`` to account for, spelled as the pipeline spells it.

    Files, links and special files by their path; hidden folders by their path with a trailing
    slash (their files too). Names that are not UTF-8 are spelled with ``\\xNN`` escapes.
    """
    found: set[str] = set()
    top = os.fsencode(str(seeds))

    def readable(raw: bytes) -> str:
        return raw.decode("utf-8", "backslashreplace")

    stack = [(os.open(top, os.O_RDONLY), b"")]
    while stack:
        fd, rel = stack.pop()
        with os.scandir(fd) as listing:
            entries = list(listing)
        for entry in entries:
            name = os.fsencode(entry.name)
            child = rel + b"/" + name if rel else name
            if entry.is_dir(follow_symlinks=False):
                if name.startswith(b"."):
                    found.add(readable(child) + "/")
                stack.append((os.open(name, os.O_RDONLY, dir_fd=fd), child))
            else:
                found.add(readable(child))
        os.close(fd)
    return found


# Columns that name the run or the moment, not what was extracted: left out of table summaries.
RUN_COLUMNS = {"run_id", "logged_at", "mtime_ns", "committed_at", "published_at_run"}


def table_summary(db: Path) -> dict[str, dict]:
    """Row count and a SHA-256 of every warehouse table's rows, in a stable order, without run columns.

    Two warehouses built from the same files by the same extraction rules have the same summary,
    whichever run ids, times and shard layout they were built with.
    """
    import hashlib

    from pipeline.store.tables import TABLES

    out: dict[str, dict] = {}
    with duckdb.connect(str(db), read_only=True) as con:
        con.execute("SET TimeZone = 'UTC'")
        for table in (*TABLES, "entities"):
            columns = [c for (c,) in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = $t ORDER BY column_name", {"t": table}
            ).fetchall() if c not in RUN_COLUMNS]
            values = sorted(repr(row) for row in con.execute(f"SELECT {', '.join(columns)} FROM {table}").fetchall())
            out[table] = {"rows": len(values), "sha256": hashlib.sha256("\n".join(values).encode("utf-8")).hexdigest()}
    return out


SEED_SUMMARY = Path(__file__).resolve().parent / "data" / "seed_summary.json"


def seed_summary() -> dict[str, dict]:
    """The table summary of a run over the project's seeds, in a temporary warehouse."""
    import shutil
    import tempfile
    from dataclasses import replace

    from pipeline.config import load_settings
    from pipeline.run import run_pipeline

    with tempfile.TemporaryDirectory(prefix="news-summary-") as root:
        seeds = Path(root) / "seeds"
        shutil.copytree(Path(__file__).resolve().parent.parent / "seeds", seeds)
        settings = replace(load_settings().with_dirs(seeds, Path(root) / "warehouse"), workers=1)
        run_pipeline(settings, "summary__seeds")
        return table_summary(settings.db_path)


if __name__ == "__main__":
    # Extraction rules changed on purpose: `python -m tests.utils` rewrites the committed summary.
    import json

    SEED_SUMMARY.write_text(json.dumps(seed_summary(), indent=2) + "\n")
    print(f"wrote {SEED_SUMMARY}")


def write_articles(folder: Path, n: int, seed: int = 7) -> list[Path]:
    """``n`` distinct English articles made of the seed articles' sentences, shuffled (for runs that must take a while)."""
    import random

    root = Path(__file__).resolve().parent.parent / "seeds"
    sentences = [line.strip() for path in sorted(root.glob("*.txt")) for line in path.read_text(encoding="utf-8").splitlines() if len(line.split()) > 8]
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for i in range(n):
        body = "\n\n".join(rng.sample(sentences, 12))
        path = folder / f"article-{i:03d}.txt"
        path.write_text(f"Report number {i}\n\n{body}\n", encoding="utf-8")
        written.append(path)
    return written


def pipeline_command(*args: str, timeout: int = 600) -> subprocess.CompletedProcess:
    """``python -m pipeline ARGS`` from the project folder, as an analyst runs it; output captured."""
    return subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=Path(__file__).resolve().parent.parent,
                          capture_output=True, text=True, timeout=timeout)
