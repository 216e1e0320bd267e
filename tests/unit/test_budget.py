"""The CPU-time budget: work that runs past it is interrupted where it runs; work within it is untouched."""

from __future__ import annotations

import signal
import threading
import time

import pytest

from pipeline.budget import BudgetExceeded, cpu_budget


def _spin(seconds: float) -> None:
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass


def test_work_past_the_budget_is_interrupted() -> None:
    started = time.process_time()
    with pytest.raises(BudgetExceeded, match="budget of 0.2 CPU seconds"):
        with cpu_budget(0.2):
            _spin(30)
    assert time.process_time() - started < 5


def test_work_within_the_budget_runs_and_the_timer_is_disarmed() -> None:
    previous = signal.getsignal(signal.SIGPROF)
    with cpu_budget(5):
        _spin(0.05)
    assert signal.getitimer(signal.ITIMER_PROF) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGPROF) == previous


def test_sleeping_does_not_count() -> None:
    with cpu_budget(0.2):
        time.sleep(0.5)  # wall time, not CPU time


def test_no_budget_outside_the_main_thread() -> None:
    outcome = []

    def work() -> None:
        with cpu_budget(0.01):
            _spin(0.1)
        outcome.append("finished")

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert outcome == ["finished"]
