"""Great Expectations suites (``expectations/<table>.json``, GX 1.x format), run in memory.

One ephemeral GX context per validate call; each table's suite is read once and run on a
DataFrame batch. Results come back in GX's COMPLETE format with the ``_row`` number of every bad
row, so a failure can be traced to the article it comes from.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pandas as pd


def quiet_great_expectations() -> None:
    """Great Expectations logs hundreds of INFO lines per context ("Skipping registering function …
    because it is a closure", ephemeral docs folders); a task log keeps its warnings only."""
    logging.getLogger("great_expectations").setLevel(logging.WARNING)  # before it is imported
    for name in list(logging.root.manager.loggerDict):
        if name == "great_expectations" or name.startswith("great_expectations."):
            logging.getLogger(name).setLevel(logging.WARNING)


quiet_great_expectations()


def load_suite(expectations_dir: Path, table: str):
    """Read ``expectations/<table>.json`` into a GX ExpectationSuite."""
    import great_expectations as gx

    quiet_great_expectations()
    path = expectations_dir / f"{table}.json"
    try:
        spec = json.loads(path.read_text())
    except FileNotFoundError as exc:
        raise FileNotFoundError(f"no expectation suite for table {table!r}: expected {path}") from exc
    except json.JSONDecodeError as exc:
        raise ValueError(f"expectation suite {path} is not valid JSON: {exc}") from exc
    return gx.ExpectationSuite(name=spec.get("name", table), expectations=spec["expectations"], meta=spec.get("meta"))


class Validator:
    """One ephemeral GX context for a validate call; each table's suite is read once."""

    def __init__(self, expectations_dir: Path) -> None:
        import great_expectations as gx
        from great_expectations.data_context.types.base import ProgressBarsConfig

        quiet_great_expectations()
        context = gx.get_context(mode="ephemeral")
        context.variables.progress_bars = ProgressBarsConfig(globally=False)
        self._source = context.data_sources.add_pandas("staged")
        self._expectations_dir = expectations_dir
        self._batches: dict[str, object] = {}
        self._suites: dict[str, object] = {}

    def validate(self, table: str, frame: pd.DataFrame):
        """GX's result for one table's frame (which carries a ``_row`` column)."""
        if table not in self._batches:
            self._suites[table] = load_suite(self._expectations_dir, table)
            self._batches[table] = self._source.add_dataframe_asset(name=table).add_batch_definition_whole_dataframe("run")
        batch = self._batches[table].get_batch(batch_parameters={"dataframe": frame})
        return batch.validate(
            self._suites[table],
            result_format={"result_format": "COMPLETE", "unexpected_index_column_names": ["_row"], "partial_unexpected_count": 5},
        )
