"""Discovery: every path under seeds/ is accounted for; batches become shards; seen files are skipped."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path

import pytest

from pipeline.discover import batch_of, discover, split_evenly
from pipeline.errors import SeedsMissing
from pipeline.sources.tree import PATH_MAX, list_seed_paths, readable
from pipeline.store.staging import run_key


def test_batches_and_shards(settings, seeds_dir: Path) -> None:
    batch = seeds_dir / "2024-08 kursk"
    batch.mkdir()
    for i in range(3):
        (batch / f"extra {i}.txt").write_text("Title\nSome text.")
    (seeds_dir / ".hidden.txt").write_text("ignored")
    small = replace(settings, shard_size=2, workers=1)
    plan = discover(small, "manual__2026-01-01T00:00:00+00:00")
    assert plan["n_files"] == 9 and plan["n_new"] == 9
    shards = [json.loads(Path(p).read_text()) for p in plan["shards"]]
    assert sorted(s["batch_id"] for s in shards) == ["2024-08 kursk", "2024-08 kursk", "loose", "loose", "loose"]
    assert sorted(len(s["files"]) for s in shards) == [1, 2, 2, 2, 2]
    assert all(":" not in part for part in Path(plan["staging_dir"]).parts[-1:])
    entries = {f["path"]: f for s in shards for f in s["files"]}
    assert sorted(entries) == sorted(str(p.relative_to(seeds_dir)) for p in seeds_dir.rglob("*.txt"))
    assert entries[".hidden.txt"]["kind"] == "ignored" and "hidden file" in entries[".hidden.txt"]["reason"]
    claim = json.loads((Path(plan["staging_dir"]) / "claim.json").read_text())
    assert sorted(claim["paths"]) == sorted(entries)


def _kinds(seeds: Path) -> dict[str, tuple[str, str | None]]:
    return {p.path: (p.kind, p.reason) for p in list_seed_paths(seeds)}


def test_every_kind_of_path_is_listed_with_what_it_is(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    (seeds / "batch" / ".cache" / "deep").mkdir(parents=True)
    (seeds / "batch" / "a.txt").write_text("x")
    (seeds / "batch" / "manifest.csv").write_text("file\n")
    (seeds / "batch" / ".cache" / "deep" / "b.txt").write_text("x")
    (seeds / ".DS_Store").write_bytes(b"\0")
    (seeds / "Thumbs.db").write_bytes(b"\0")
    os.mkfifo(seeds / "pipe.txt")
    (seeds / "folder-link").symlink_to(seeds / "batch", target_is_directory=True)
    (seeds / "file-link.txt").symlink_to(seeds / "batch" / "a.txt")
    (seeds / "broken-link.txt").symlink_to(tmp_path / "nowhere.txt")
    kinds = _kinds(seeds)
    assert kinds["batch/a.txt"] == ("file", None)
    assert kinds["batch/manifest.csv"][0] == "manifest"
    assert kinds["batch/.cache/"][0] == "ignored" and "hidden folder" in kinds["batch/.cache/"][1]
    assert kinds["batch/.cache/deep/b.txt"][0] == "ignored" and "batch/.cache/" in kinds["batch/.cache/deep/b.txt"][1]
    assert kinds[".DS_Store"][0] == "ignored" and kinds["Thumbs.db"] == ("ignored", "system file, not an article")
    assert kinds["pipe.txt"][0] == "refused" and "FIFO" in kinds["pipe.txt"][1]
    assert kinds["folder-link"][0] == "ignored" and "link to a folder" in kinds["folder-link"][1]
    assert kinds["file-link.txt"][0] == kinds["broken-link.txt"][0] == "link"
    assert len(kinds) == 10


def test_names_that_are_not_utf8_are_listed_readably(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    raw = os.fsencode(str(seeds)) + b"/caf\xe9 report.txt"
    with open(raw, "wb") as handle:
        handle.write(b"text")
    (seeds / "caf\\xe9 report.txt").write_text("a real backslash name")  # reads the same: kept apart
    listed = list_seed_paths(seeds)
    paths = sorted(p.path for p in listed)
    assert paths == ["caf\\xe9 report.txt", "caf\\xe9 report.txt [name not UTF-8]"]
    odd = next(p for p in listed if p.path.endswith("[name not UTF-8]"))
    assert os.fsencode(str(seeds / odd.fs_path)) == raw
    assert all(p.path.encode("utf-8") for p in listed)
    assert readable("caf\udce9") == "caf\\xe9"


def test_paths_longer_than_the_system_can_open_are_listed_as_ignored(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    fd = os.open(seeds, os.O_RDONLY)
    name = "d" * 200
    depth = PATH_MAX // 200 + 2
    for _ in range(depth):  # created relative to a folder descriptor: no full path is ever passed
        os.mkdir(name, dir_fd=fd)
        child = os.open(name, os.O_RDONLY, dir_fd=fd)
        os.close(fd)
        fd = child
    os.close(os.open("deep.txt", os.O_WRONLY | os.O_CREAT, dir_fd=fd))
    os.close(fd)
    listed = list_seed_paths(seeds)
    assert len(listed) == 1
    entry = listed[0]
    assert entry.path.endswith("/deep.txt") and entry.path.count("/") == depth
    assert entry.kind == "ignored" and f"more than the {PATH_MAX:,}" in entry.reason


def test_shards_are_even_and_keep_every_worker_busy() -> None:
    files = [{"path": f"f{i}.txt"} for i in range(2225)]
    parts = split_evenly(files, 200, workers=2)
    assert len(parts) == 12 and {len(p) for p in parts} == {185, 186}
    assert [f for p in parts for f in p] == files  # every file once, in order
    assert [len(p) for p in split_evenly(files[:2100], 200, workers=2)] == [175] * 12  # 11 shards would idle a worker
    assert [len(p) for p in split_evenly(files[:300], 200, workers=2)] == [150, 150]
    assert [len(p) for p in split_evenly(files[:150], 200, workers=2)] == [150]
    assert [len(p) for p in split_evenly(files[:3], 1, workers=2)] == [1, 1, 1]  # never an empty shard
    assert split_evenly([], 200, workers=2) == []


def test_helpers() -> None:
    assert batch_of("a.txt") == "loose"
    assert batch_of("batch one/a.txt") == "batch one"
    assert run_key("scheduled__2024-08-01T00:30:00+00:00") == "scheduled__2024-08-01T00_30_00_00_00"


def test_missing_seeds_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(SeedsMissing, match="PIPELINE_SEEDS_DIR"):
        list_seed_paths(tmp_path / "nope")


def test_files_claimed_by_a_live_airflow_run_are_left_to_it(settings, seeds_dir: Path) -> None:
    from datetime import timedelta

    from pipeline.store.lock import write_claim

    taken = sorted(p.name for p in seeds_dir.iterdir())[:2]
    write_claim(settings.staging_dir / "scheduled__run", "scheduled__run", "airflow", taken, timedelta(hours=1))
    plan = discover(settings, "cli__second", owner="cli")
    assert plan["n_claimed"] == 2 and plan["n_new"] == 3
    planned = {f["path"] for p in plan["shards"] for f in json.loads(Path(p).read_text())["files"]}
    assert planned.isdisjoint(taken)

    # Airflow runs one run at a time: another Airflow run's claim is left from a run that ended
    assert discover(settings, "scheduled__next", owner="airflow")["n_claimed"] == 0
    from pipeline.discover import release_run

    release_run(settings, "scheduled__next")

    # an expired claim (the run died), or one released when a task failed for good, frees the files
    write_claim(settings.staging_dir / "scheduled__run", "scheduled__run", "airflow", taken, timedelta(seconds=-1))
    assert discover(settings, "cli__third", owner="cli")["n_claimed"] == 0
    write_claim(settings.staging_dir / "scheduled__run", "scheduled__run", "airflow", taken, timedelta(hours=1))
    release_run(settings, "scheduled__run")
    assert discover(settings, "cli__fourth", owner="cli")["n_claimed"] == 0


def test_big_jsonl_files_are_cut_into_line_ranges_for_every_worker() -> None:
    from pipeline.discover import line_parts

    assert line_parts(200, 200, workers=2) == [(1, 100), (101, 200)]
    assert line_parts(1000, 200, workers=2) == [(1, 167), (168, 334), (335, 501), (502, 668), (669, 835), (836, 1000)]
    assert line_parts(30, 200, workers=2) == [(1, 30)]  # too short to be worth splitting
    assert line_parts(500, 200, workers=1) == [(1, 167), (168, 334), (335, 500)]


def test_one_batch_only_and_an_unknown_batch_names_the_batches_there_are(settings, seeds_dir: Path) -> None:
    from pipeline.errors import PermanentError

    (seeds_dir / "b1").mkdir()
    (seeds_dir / "b1" / "one.txt").write_text("Title\nSome text of the batch.")
    plan = discover(settings, "manual__batch_only", batch="b1")
    files = [f["path"] for p in plan["shards"] for f in json.loads(Path(p).read_text())["files"]]
    assert files == ["b1/one.txt"]
    loose = discover(settings, "manual__loose_only", batch="loose", owner="cli")
    assert loose["n_new"] == 5
    with pytest.raises(PermanentError, match=r"no batch 'b2' under .*b1, loose"):
        discover(settings, "manual__unknown", batch="b2")
