"""Runs that failed, and why: one JSON line per failure in ``warehouse/reports/failed-runs.jsonl``.

Airflow keeps its own record of failed runs in its metadata database; this one sits beside the
warehouse, so ``pipeline status`` can name the failed runs and their reasons without Airflow, and
a run that later loads is no longer listed (``run_log`` has it).
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

from pipeline.config import Settings

FAILURES_FILE = "failed-runs.jsonl"
REASON_CHARS = 600


def _path(settings: Settings) -> Path:
    return Path(str(settings.reports_dir)) / FAILURES_FILE


def record_failure(settings: Settings, run_id: str, stage: str, reason: str) -> None:
    """Append one failure (the run, the stage that failed, the first part of its error)."""
    path = _path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    line = {"run_id": run_id, "stage": stage, "failed_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "reason": " ".join(str(reason).split())[:REASON_CHARS]}
    with path.open("a", encoding="utf-8") as out:
        out.write(json.dumps(line) + "\n")


def failed_runs(settings: Settings, loaded_runs: set[str]) -> list[dict]:
    """The latest failure of every run that has not loaded since, newest first (unreadable lines are skipped)."""
    path = _path(settings)
    if not path.is_file():
        return []
    latest: dict[str, dict] = {}
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            failure = json.loads(line)
            latest[failure["run_id"]] = failure
        except (ValueError, KeyError, TypeError):
            continue
    return sorted((f for run, f in latest.items() if run not in loaded_runs), key=lambda f: f.get("failed_at", ""), reverse=True)
