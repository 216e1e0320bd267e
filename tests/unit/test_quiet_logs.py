"""Task logs stay readable: Great Expectations' INFO noise is silenced where the suites run."""

from __future__ import annotations

import subprocess
import sys


def test_great_expectations_info_noise_is_silenced() -> None:
    script = (
        "import logging; logging.basicConfig(level=logging.INFO);"
        "from pathlib import Path; from pipeline.quality.suites import Validator, load_suite;"
        "from pipeline.config import PROJECT_ROOT;"
        "Validator(PROJECT_ROOT / 'expectations'); load_suite(PROJECT_ROOT / 'expectations', 'articles');"
        "logging.getLogger('pipeline.validate').info('validate: still logs its own lines')"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "validate: still logs its own lines" in done.stderr
    assert "Skipping registering function" not in done.stderr
    assert "great_expectations" not in done.stderr
