"""Discovery: batches become shards; files already in ingest_log are skipped."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from pipeline.discover import batch_of, discover, list_seed_files, run_key, split_evenly


def test_batches_and_shards(settings, seeds_dir: Path) -> None:
    batch = seeds_dir / "2024-08 kursk"
    batch.mkdir()
    for i in range(3):
        (batch / f"extra {i}.txt").write_text("Title\nSome text.")
    (seeds_dir / ".hidden.txt").write_text("ignored")
    small = replace(settings, shard_size=2, workers=1)
    plan = discover(small, "manual__2026-01-01T00:00:00+00:00")
    assert plan["n_files"] == 8 and plan["n_new"] == 8
    shards = [json.loads(Path(p).read_text()) for p in plan["shards"]]
    assert sorted(s["batch_id"] for s in shards) == ["2024-08 kursk", "2024-08 kursk", "loose", "loose", "loose"]
    assert sorted(len(s["files"]) for s in shards) == [1, 1, 2, 2, 2]
    assert all(":" not in part for part in Path(plan["staging_dir"]).parts[-1:])
    assert sorted(f["path"] for s in shards for f in s["files"]) == sorted(
        str(p.relative_to(seeds_dir)) for p in seeds_dir.rglob("*.txt") if not p.name.startswith(".")
    )


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
    import pytest

    with pytest.raises(FileNotFoundError, match="PIPELINE_SEEDS_DIR"):
        list_seed_files(tmp_path / "nope")
