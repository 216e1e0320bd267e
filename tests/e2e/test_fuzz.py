"""Property-based: random seed trees (random bytes, names, encodings, JSON lines, manifests, links) always
complete, every path is accounted for in ingest_log, and a second run changes nothing.

CI runs a fixed set of examples (``derandomize``); ``FUZZ_EXAMPLES=200 FUZZ_RANDOM=1 make test`` explores more.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from pipeline.config import load_settings
from pipeline.run import run_pipeline
from tests.conftest import SEEDS, fingerprints
from tests.utils import paths_under, rows

pytestmark = pytest.mark.e2e

SENTENCES = [
    line.strip()
    for path in sorted(SEEDS.glob("*.txt"))
    for line in path.read_text(encoding="utf-8").splitlines()
    if len(line.split()) > 8
][:60]
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1", "mac_roman"]

names = st.one_of(
    st.text(alphabet=st.sampled_from("abcXYZ019 -_.’éüЖ漢"), min_size=1, max_size=24),
    st.binary(min_size=1, max_size=16).map(lambda b: b.replace(b"/", b"_").replace(b"\0", b"_").decode("utf-8", "surrogateescape")),
).filter(lambda n: n not in (".", ".."))

articles = st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=6).map("\n".join)
encoded_article = st.tuples(articles, st.sampled_from(ENCODINGS)).map(lambda t: t[0].encode(t[1], errors="replace"))
json_value = st.recursive(st.one_of(st.none(), st.integers(), st.text(max_size=20)), lambda inner: st.lists(inner, max_size=3), max_leaves=6)
json_record = st.fixed_dictionaries(
    {"title": st.one_of(st.text(max_size=30), json_value), "body": st.one_of(articles, json_value)},
    optional={"url": st.one_of(st.just("https://news.example/a"), st.text(max_size=20)),
              "published_at": st.one_of(st.just("2024-08-07"), st.text(max_size=12), st.integers())},
)
jsonl = st.lists(st.one_of(json_record.map(json.dumps), st.text(max_size=40)), min_size=1, max_size=5).map(lambda lines: "\n".join(lines).encode())
contents = st.one_of(encoded_article, st.binary(max_size=600), jsonl, st.just(b""))


@st.composite
def manifests(draw, files: list[str]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["file", "url", "outlet", "published_at", "title"])
    for _ in range(draw(st.integers(0, 4))):
        writer.writerow([
            draw(st.sampled_from(files + ["missing.txt"])) if files else "missing.txt",
            draw(st.sampled_from(["", "https://news.example/x", "not a url"])),
            draw(st.text(max_size=12)),
            draw(st.sampled_from(["", "2024-08-07", "1990-01-01", "yesterday", "2024-13-45"])),
            draw(st.text(max_size=12)),
        ])
    text = buffer.getvalue()
    if draw(st.booleans()):
        text += draw(st.sampled_from(['x.txt,"unclosed,\n', "a,b,c,d,e,f,g\n", "\n\n"]))
    return text.encode("utf-8", "surrogateescape")


@st.composite
def seed_trees(draw) -> list[tuple[str, str, object]]:
    """(kind, relative path, payload): files, manifests, links, FIFOs and folders under ``seeds/``."""
    tree: list[tuple[str, str, object]] = []
    folders = [""] + [draw(names) for _ in range(draw(st.integers(0, 2)))]
    used: set[str] = set()
    for folder in dict.fromkeys(folders):
        files = []
        for _ in range(draw(st.integers(0 if folder else 1, 4))):
            name = draw(names)
            suffix = draw(st.sampled_from([".txt", ".jsonl", ".html", "", ".txt"]))
            relative = f"{folder}/{name}{suffix}" if folder else f"{name}{suffix}"
            if relative in used or relative.rsplit("/", 1)[-1] in ("", ".", ".."):
                continue
            used.add(relative)
            files.append(relative.rsplit("/", 1)[-1])
            tree.append(("file", relative, draw(jsonl) if suffix == ".jsonl" else draw(contents)))
        if folder and draw(st.booleans()):
            tree.append(("file", f"{folder}/manifest.csv", draw(manifests(files))))
    kinds = draw(st.lists(st.sampled_from(["link-in", "link-out", "link-dir", "fifo", "hidden-dir"]), max_size=3, unique=True))
    for kind in kinds:
        tree.append((kind, f"special-{kind}", None))
    return tree


def _write(seeds: Path, outside: Path, tree: list[tuple[str, str, object]]) -> None:
    for kind, relative, payload in tree:
        path = Path(os.fsdecode(os.fsencode(str(seeds)) + b"/" + relative.encode("utf-8", "surrogateescape")))
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except (FileExistsError, NotADirectoryError):
            continue  # a file already has the folder's name
        if kind == "file":
            if path.is_dir() or path.is_symlink():
                continue
            path.write_bytes(payload)
        elif kind == "link-in":
            path.symlink_to(next((p for p in seeds.iterdir() if p.is_file()), seeds / "nothing"))
        elif kind == "link-out":
            path.symlink_to(outside)
        elif kind == "link-dir":
            path.symlink_to(seeds, target_is_directory=True)
        elif kind == "fifo":
            os.mkfifo(path)
        elif kind == "hidden-dir":
            (seeds / ".hidden").mkdir(exist_ok=True)
            (seeds / ".hidden" / "notes.txt").write_text("hidden")


EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "10"))


@hypothesis_settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not os.environ.get("FUZZ_RANDOM"),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)
@given(tree=seed_trees())
def test_random_seed_trees_complete_account_for_every_path_and_rerun_changes_nothing(tree) -> None:
    with tempfile.TemporaryDirectory(prefix="news-fuzz-") as root:
        seeds, warehouse = Path(root) / "seeds", Path(root) / "warehouse"
        seeds.mkdir()
        outside = Path(root) / "outside.txt"
        outside.write_text("Outside the drop zone\n" + " ".join(SENTENCES[:3]))
        _write(seeds, outside, tree)
        settings = replace(load_settings().with_dirs(seeds, warehouse), workers=1)

        summary = run_pipeline(settings, "fuzz__first")
        logged = {path for (path,) in rows(settings.db_path, "SELECT DISTINCT path FROM ingest_log")}
        assert logged == paths_under(seeds)
        assert summary["n_files"] == len(logged)
        statuses = {s for (s,) in rows(settings.db_path, "SELECT DISTINCT status FROM ingest_log")}
        assert statuses <= {"loaded", "duplicate", "quarantined", "ignored"}
        quarantined_without_reason = rows(settings.db_path, "SELECT path FROM ingest_log WHERE status <> 'loaded' AND coalesce(trim(reason), '') = ''")
        assert quarantined_without_reason == []

        before = fingerprints(settings.db_path)
        again = run_pipeline(settings, "fuzz__second")
        assert again["n_new"] == 0
        assert fingerprints(settings.db_path) == before
