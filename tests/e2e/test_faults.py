"""Faults: a load killed with SIGKILL changes nothing; runs started together do not collide."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from dataclasses import replace
from pathlib import Path

import duckdb
import pytest

from pipeline.run import run_pipeline
from tests.conftest import PROJECT, fingerprints

pytestmark = pytest.mark.e2e

# Runs the CLI's whole pipeline in a child process whose warehouse connection stops, just before
# the named statement (or, for "move into the lake", just after the load's commit), until it is killed.
PAUSING_RUN = textwrap.dedent(
    """
    import pathlib, sys, time
    import pipeline.store.db as warehouse  # the writer connection load (and publish) open
    import pipeline.store.lake as lake
    from pipeline.config import load_settings
    from pipeline.run import run_pipeline

    pause_at, marker, seeds, target = sys.argv[1:5]
    real_connect = warehouse.connect_writer

    class Pausing:
        def __init__(self, con):
            self._con = con
        def execute(self, sql, *args):
            if sql.lstrip().startswith(pause_at):
                pathlib.Path(marker).write_text(sql[:80])
                time.sleep(600)
            return self._con.execute(sql, *args)
        def __getattr__(self, name):
            return getattr(self._con, name)

    def pausing_move(*args, **kwargs):  # stop after the commit, before the Parquet moves into lake/
        pathlib.Path(marker).write_text("moving into the lake")
        time.sleep(600)

    if pause_at == "move into the lake":
        lake.to_lake = pausing_move
    else:
        warehouse.connect_writer = lambda *a, **k: Pausing(real_connect(*a, **k))
    run_pipeline(load_settings().with_dirs(seeds, target), "killed__run")
    """
)

IGNORED = {"run_id", "logged_at", "mtime_ns"}  # differ between any two runs (and file rewrites) by design


def _content(db: Path) -> dict[str, list[tuple]]:
    """Every table's rows without the columns that name the run."""
    from pipeline.store.tables import TABLES

    out = {}
    with duckdb.connect(str(db), read_only=True) as con:
        for table in TABLES:
            columns = [c for (c,) in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = $t ORDER BY ordinal_position", {"t": table}
            ).fetchall() if c not in IGNORED]
            out[table] = sorted(con.execute(f"SELECT {', '.join(columns)} FROM {table}").fetchall(), key=repr)
    return out


def _prepare(settings, seeds_dir: Path, tmp_path: Path) -> Path:
    """Load four seeds, then hold back the fifth and an edit for the run that gets killed."""
    fifth = seeds_dir / "004_b2332aca226b8c46.txt"
    held = tmp_path / "held.txt"
    fifth.rename(held)
    run_pipeline(settings, "test__base")
    held.rename(fifth)
    edited = seeds_dir / "000_28301e55a71bf43e.txt"
    edited.write_text(edited.read_text(encoding="utf-8") + "\nOfficials in Kyiv declined to comment on Saturday.\n", encoding="utf-8")
    return fifth


@pytest.mark.parametrize("pause_at", ["DELETE FROM sentences", "INSERT INTO ingest_log", "COMMIT"])
def test_sigkill_during_load_leaves_warehouse_unchanged_and_next_run_is_clean(settings, seeds_dir, tmp_path, pause_at) -> None:
    _prepare(settings, seeds_dir, tmp_path)
    before = fingerprints(settings.db_path)
    _run_until_killed(pause_at, seeds_dir, settings, tmp_path)

    assert fingerprints(settings.db_path) == before
    summary = run_pipeline(settings, "test__after_kill")
    assert summary["n_new"] == 2

    # A clean history in another warehouse: the same two runs, nothing killed.
    clean_settings = settings.with_dirs(seeds_dir, tmp_path / "clean-warehouse")
    fifth = seeds_dir / "004_b2332aca226b8c46.txt"
    edited = seeds_dir / "000_28301e55a71bf43e.txt"
    edited_text = edited.read_text(encoding="utf-8")
    edited.write_text(edited_text.replace("\nOfficials in Kyiv declined to comment on Saturday.\n", ""), encoding="utf-8")
    fifth.rename(tmp_path / "held.txt")
    run_pipeline(clean_settings, "test__base")
    (tmp_path / "held.txt").rename(fifth)
    edited.write_text(edited_text, encoding="utf-8")
    run_pipeline(clean_settings, "test__clean")
    assert _content(settings.db_path) == _content(clean_settings.db_path)


def _run_until_killed(pause_at: str, seeds_dir: Path, settings, tmp_path: Path) -> None:
    marker = tmp_path / "paused"
    child = subprocess.Popen(
        [sys.executable, "-c", PAUSING_RUN, pause_at, str(marker), str(seeds_dir), str(settings.warehouse_dir)],
        cwd=PROJECT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 300
    while not marker.exists():
        assert child.poll() is None, child.stdout.read().decode()[-3000:]
        assert time.monotonic() < deadline, "the run never reached the load"
        time.sleep(0.2)
    os.kill(child.pid, signal.SIGKILL)
    child.wait()


def test_sigkill_after_commit_is_finished_by_the_next_run(settings, seeds_dir, tmp_path) -> None:
    _prepare(settings, seeds_dir, tmp_path)
    _run_until_killed("move into the lake", seeds_dir, settings, tmp_path)

    killed_staging = settings.staging_dir / "killed__run"
    assert list((killed_staging / "articles").glob("*.parquet")), "the killed run's Parquet should still be staged"
    assert not list(settings.lake_dir.rglob("killed__run-*.parquet"))
    with duckdb.connect(str(settings.db_path), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM ingest_log WHERE run_id = 'killed__run'").fetchone()[0] == 2

    summary = run_pipeline(settings, "test__after_kill")
    assert summary["n_new"] == 0  # the killed run was committed: its files are not processed again
    assert not killed_staging.exists()
    for table in ("articles", "sentences", "ingest_log"):
        assert list((settings.lake_dir / table).rglob("killed__run-*.parquet")), table
    with duckdb.connect(str(settings.db_path), read_only=True) as con:
        lake_articles = con.execute(f"SELECT count(*) FROM read_parquet('{settings.lake_dir}/articles/*/*.parquet')").fetchone()[0]
        assert lake_articles == con.execute("SELECT count(*) FROM articles").fetchone()[0] + 1  # + the edited file's old version


def test_two_runs_started_together_are_serialised(settings, seeds_dir) -> None:
    command = [sys.executable, "-m", "pipeline", "run", "--seeds", str(seeds_dir), "--warehouse", str(settings.warehouse_dir)]
    first = subprocess.Popen(command, cwd=PROJECT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lock = settings.warehouse_dir / ".run.lock"
    deadline = time.monotonic() + 300
    while not (lock.exists() and "command-line run" in lock.read_text()):  # the first run holds the warehouse
        assert first.poll() is None and time.monotonic() < deadline, first.stdout.read()[-3000:]
        time.sleep(0.05)
    second = subprocess.Popen(command, cwd=PROJECT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    outputs = [p.communicate(timeout=600)[0] for p in (first, second)]
    assert [p.returncode for p in (first, second)] == [0, 0], outputs
    assert not any("lock" in o.lower() and "error" in o.lower() for o in outputs), outputs
    assert "5 new or changed" in outputs[0] and "no new files" in outputs[1]
    # the second waited for the first, and said for whom
    assert "waiting for the warehouse" in outputs[1] and "held by the command-line run" in outputs[1], outputs[1]
    with duckdb.connect(str(settings.db_path), read_only=True) as con:
        assert con.execute("SELECT count(*), count(DISTINCT path) FROM ingest_log").fetchone() == (5, 5)
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 5


def _views(db: Path) -> set[str]:
    with duckdb.connect(str(db), read_only=True) as con:
        return {r[0] for r in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()}


def test_first_run_killed_right_after_commit_is_repaired_by_a_run_with_nothing_new(settings, seeds_dir, tmp_path) -> None:
    _run_until_killed("move into the lake", seeds_dir, settings, tmp_path)
    assert "v_files" not in _views(settings.db_path)  # killed before publish: no views, no index, no readers' copy
    assert not settings.reader_db_path.exists()

    summary = run_pipeline(settings, "test__repair")
    assert summary["n_new"] == 0
    assert "the last load is not published yet" in summary["rebuilt"]
    assert {"v_files", "v_top_speakers", "v_timeline"} <= _views(settings.db_path)
    status = subprocess.run([sys.executable, "-m", "pipeline", "status", "--seeds", str(seeds_dir), "--warehouse", str(settings.warehouse_dir)],
                            capture_output=True, text=True, cwd=PROJECT, timeout=300)
    assert status.returncode == 0 and "quarantined files (latest state): 0" in status.stdout, status.stderr
    search = subprocess.run(
        [sys.executable, "-m", "pipeline", "sql", "--warehouse", str(settings.warehouse_dir), "--csv",
         "SELECT count(*) AS hits FROM articles WHERE fts_main_articles.match_bm25(article_id, 'Kursk') IS NOT NULL"],
        capture_output=True, text=True, cwd=PROJECT, timeout=300,
    )
    assert search.returncode == 0 and search.stdout.split() == ["hits", "5"], search.stderr
    with duckdb.connect(str(settings.reader_db_path), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 5
    with duckdb.connect(str(settings.db_path), read_only=True) as con:
        lake = con.execute(f"SELECT count(*) FROM read_parquet('{settings.lake_dir}/sentences/*/*.parquet')").fetchone()[0]
        assert lake == con.execute("SELECT count(*) FROM sentences").fetchone()[0]
    before = fingerprints(settings.db_path)
    again = run_pipeline(settings, "test__quiet")
    assert again["rebuilt"] == [] and fingerprints(settings.db_path) == before


@pytest.fixture
def small_disk(tmp_path):
    """A 64 MB tmpfs for the warehouse: a disk that can really fill up."""
    mount = tmp_path / "small-disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(mount)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({done.stderr.strip()}); the full-disk test needs root")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def _fill(folder: Path) -> Path:
    """Fill the disk under ``folder`` to the last few kilobytes."""
    filler = folder / "filler.bin"
    with open(filler, "wb") as handle:
        try:
            while True:
                handle.write(b"\0" * (1 << 16))
                handle.flush()
        except OSError:
            pass
    return filler


def test_full_disk_during_publish_names_the_folder_half_writes_nothing_and_heals(settings, seeds_dir, tmp_path, small_disk) -> None:
    from pipeline.deduplicate import deduplicate
    from pipeline.discover import discover
    from pipeline.enrich import enrich
    from pipeline.errors import DiskFull
    from pipeline.load import load
    from pipeline.publish import publish
    from pipeline.validate import validate

    on_disk = settings.with_dirs(seeds_dir, small_disk / "warehouse")
    fifth = seeds_dir / "004_b2332aca226b8c46.txt"
    fifth.rename(tmp_path / "held.txt")
    run_pipeline(on_disk, "test__base")
    (tmp_path / "held.txt").rename(fifth)
    with duckdb.connect(str(on_disk.reader_db_path), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 4

    plan = discover(on_disk, "test__full")
    results = [enrich(s, on_disk) for s in plan["shards"]]
    validation = validate(on_disk, deduplicate(on_disk, results), results)
    load(on_disk, validation, "test__full")
    filler = _fill(small_disk)
    with pytest.raises(DiskFull) as failure:
        publish(on_disk, "test__full")
    message = str(failure.value)
    assert "\n" not in message and str(on_disk.warehouse_dir) in message and "free some space" in message
    assert not list(on_disk.warehouse_dir.glob(".*.tmp"))  # no half-written readers' copy
    with duckdb.connect(str(on_disk.reader_db_path), read_only=True) as con:  # readers keep the last good copy
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 4

    filler.unlink()
    healed = run_pipeline(on_disk, "test__after")
    assert healed["n_new"] == 0 and "the last load is not published yet" in healed["rebuilt"]
    with duckdb.connect(str(on_disk.reader_db_path), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 5
        assert con.execute("SELECT count(*) FROM duckdb_schemas() WHERE schema_name = 'fts_main_articles'").fetchone()[0] == 1
    with duckdb.connect(str(on_disk.db_path), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 5


HOLD = "import duckdb, sys, time; con = duckdb.connect(sys.argv[1], read_only=sys.argv[2] == 'r'); print('open', flush=True); time.sleep(600)"


def _hold(path: Path, mode: str) -> subprocess.Popen:
    """Another process (an analyst's DuckDB session, say) holding ``path`` open, for reading ('r') or writing ('w')."""
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(path), mode], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "open"
    return holder


def test_an_open_reader_session_never_holds_the_writer_back(settings, seeds_dir, tmp_path) -> None:
    fifth = seeds_dir / "004_b2332aca226b8c46.txt"
    fifth.rename(tmp_path / "held.txt")
    run_pipeline(settings, "test__base")
    (tmp_path / "held.txt").rename(fifth)
    analyst = _hold(settings.reader_db_path, "r")  # what `pipeline sql`, status and DuckDB clients open
    try:
        impatient = replace(settings, lock_wait_seconds=2)  # a writer held back would give up after 2 s
        summary = run_pipeline(impatient, "test__while_reading")
    finally:
        analyst.kill()
        analyst.wait()
    assert summary["n_new"] == 1 and summary["tables"]["articles"] == 5
    with duckdb.connect(str(settings.reader_db_path), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 5


def test_lock_messages_say_who_holds_the_warehouse_and_whether_it_reads_or_writes(settings) -> None:
    from pipeline.errors import WarehouseBusy
    from pipeline.store.db import connect_read_only, connect_writer

    run_pipeline(settings, "test__base")
    reader = _hold(settings.db_path, "r")
    try:
        with pytest.raises(WarehouseBusy) as busy:
            connect_writer(settings.db_path, wait_seconds=1)
    finally:
        reader.kill()
        reader.wait()
    assert f"pid {reader.pid} (reading:" in str(busy.value) and "news-readonly.duckdb" in str(busy.value)
    writer = _hold(settings.db_path, "w")
    try:
        with pytest.raises(WarehouseBusy) as busy:
            connect_read_only(settings.db_path, wait_seconds=1)
    finally:
        writer.kill()
        writer.wait()
    assert f"pid {writer.pid} (writing:" in str(busy.value) and "being written" in str(busy.value)
