"""A CPU-time budget for one piece of work (one file, one batch of articles).

A file that would keep a worker busy forever (a pathological web page, text that sends a rule
into a very long search) must not hold back the rest of its shard. :func:`cpu_budget` arms a
process CPU-time timer (``ITIMER_PROF``) whose signal raises :class:`BudgetExceeded` in the code
that is running; the caller quarantines that file and goes on. CPU time, not wall time: a busy
shared machine does not make a file time out, and Airflow's own ``execution_timeout`` (which
uses the wall-clock ``SIGALRM`` timer) is left alone.

Signals reach only the main thread: elsewhere the budget is not enforced (work still ends at the
task's ``execution_timeout``).
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

log = logging.getLogger(__name__)


class BudgetExceeded(Exception):
    """Raised inside the work that ran past its CPU-time budget."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"ran past its budget of {seconds:g} CPU seconds")
        self.seconds = seconds


@contextmanager
def cpu_budget(seconds: float | None) -> Iterator[None]:
    """Raise :class:`BudgetExceeded` in the body if it uses more than ``seconds`` of CPU time.

    ``None`` or ``0`` means no budget. Not nestable (the inner budget replaces the outer one).

    Example::

        with cpu_budget(60):
            rows = extract(doc)   # BudgetExceeded after 60 CPU seconds
    """
    if not seconds or seconds <= 0:
        yield
        return
    if threading.current_thread() is not threading.main_thread():
        _warn_once()
        yield
        return

    def expired(signum, frame):  # noqa: ARG001 - the signal handler's signature
        raise BudgetExceeded(seconds)

    previous = signal.signal(signal.SIGPROF, expired)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


@lru_cache(maxsize=1)
def _warn_once() -> None:
    log.warning("the per-file CPU budget is not enforced here (work runs outside the main thread); "
                "the task's execution_timeout still ends it")
