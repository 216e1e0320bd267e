"""Rules that need no parse: calendar expressions, relative days, written numbers."""

from __future__ import annotations

from datetime import date

import pytest

from pipeline.nlp.claims import UNITS, parse_number
from pipeline.nlp.timeline import _explicit, _relative


@pytest.mark.parametrize(
    ("text", "year", "expected"),
    [
        ("August 7", 2024, (date(2024, 8, 7), "day")),
        ("on August 6, 2024", None, (date(2024, 8, 6), "day")),
        ("August 2024", None, (date(2024, 8, 1), "month")),
        ("2023", None, (date(2023, 1, 1), "year")),
        ("August 7", None, None),  # no year known: no date guessed
        ("the third day", 2024, None),
        ("1850", None, None),  # outside the warehouse's years
    ],
)
def test_calendar_expressions(text: str, year: int | None, expected) -> None:
    assert _explicit(text, year) == expected


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("yesterday", date(2024, 8, 9), (date(2024, 8, 8), "day")),
        ("today", date(2024, 8, 9), (date(2024, 8, 9), "day")),
        ("on Tuesday", date(2024, 8, 9), (date(2024, 8, 6), "day")),  # the latest Tuesday on or before Friday the 9th
        ("yesterday", None, None),  # nothing to resolve against
    ],
)
def test_relative_days(text: str, published: date | None, expected) -> None:
    assert _relative(text, published) == expected


@pytest.mark.parametrize(("text", "value"), [("1,000", 1000), ("1.3", 1.3), ("six", 6), ("twenty-one", 21), ("thousand", None), ("Kursk", None)])
def test_written_numbers(text: str, value) -> None:
    assert parse_number(text) == value


def test_every_unit_a_claim_can_have_is_allowed_by_the_claims_suite() -> None:
    import json

    from pipeline.config import PROJECT_ROOT

    suite = json.loads((PROJECT_ROOT / "expectations" / "claims.json").read_text())
    allowed = next(e["kwargs"]["value_set"] for e in suite["expectations"] if e["kwargs"].get("column") == "unit")
    assert UNITS <= set(allowed)
