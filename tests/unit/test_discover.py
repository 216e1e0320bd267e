"""Discovery: batches become shards; files already in ingest_log are skipped."""

from __future__ import annotations

import json
from pathlib import Path

from pipeline.discover import batch_of, discover, list_seed_files, run_key


def test_batches_and_shards(settings, seeds_dir: Path) -> None:
    batch = seeds_dir / "2024-08 kursk"
    batch.mkdir()
    for i in range(3):
        (batch / f"extra {i}.txt").write_text("Title\nSome text.")
    (seeds_dir / ".hidden.txt").write_text("ignored")
    small = settings.__class__(**{**settings.__dict__, "shard_size": 2})
    plan = discover(small, "manual__2026-01-01T00:00:00+00:00")
    assert plan["n_files"] == 8 and plan["n_new"] == 8
    shards = [json.loads(Path(p).read_text()) for p in plan["shards"]]
    assert sorted(s["batch_id"] for s in shards) == ["2024-08 kursk", "2024-08 kursk", "loose", "loose", "loose"]
    assert sorted(len(s["files"]) for s in shards) == [1, 1, 2, 2, 2]
    assert all(":" not in part for part in Path(plan["staging_dir"]).parts[-1:])


def test_helpers() -> None:
    assert batch_of("a.txt") == "loose"
    assert batch_of("batch one/a.txt") == "batch one"
    assert run_key("scheduled__2024-08-01T00:30:00+00:00") == "scheduled__2024-08-01T00_30_00_00_00"


def test_missing_seeds_folder_is_a_clear_error(tmp_path: Path) -> None:
    import pytest

    with pytest.raises(FileNotFoundError, match="PIPELINE_SEEDS_DIR"):
        list_seed_files(tmp_path / "nope")
