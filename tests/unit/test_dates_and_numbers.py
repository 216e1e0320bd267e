"""Rules that need no parse: calendar expressions, relative days, written numbers."""

from __future__ import annotations

from datetime import date

import pytest

from pipeline.nlp.claims import UNITS, parse_number
from pipeline.nlp.holidays import is_named_day
from pipeline.nlp.timeline import is_date_expression, pieces, resolve

MARCH_2013 = date(2013, 3, 15)  # a Friday


@pytest.mark.parametrize(
    ("text", "published", "tense", "context_year", "expected"),
    [
        # explicit: the phrase writes its year, any year
        ("on August 6, 2024", None, 0, None, (date(2024, 8, 6), "day", "explicit")),
        ("August 2024", None, 0, None, (date(2024, 8, 1), "month", "explicit")),
        ("that January day in 2011", MARCH_2013, 0, None, (date(2011, 1, 1), "month", "explicit")),
        ("1953", MARCH_2013, 0, None, (date(1953, 1, 1), "year", "explicit")),
        ("1957-58", MARCH_2013, 0, None, (date(1957, 1, 1), "year", "explicit")),
        ("nineteen ninety-six", MARCH_2013, 0, None, (date(1996, 1, 1), "year", "explicit")),
        ("Aug. 7", None, 0, None, None),  # no year anywhere: nothing guessed
        ("15-16 August 2024", None, 0, None, (date(2024, 8, 15), "day", "explicit")),  # a range: its first day
        ("1st–3rd of May 2024", None, 0, None, (date(2024, 5, 1), "day", "explicit")),
        # counted from the publication date, in the direction the text gives
        ("late last July", MARCH_2013, 0, None, (date(2012, 7, 1), "month", "published_at")),
        ("last June", MARCH_2013, 0, None, (date(2012, 6, 1), "month", "published_at")),
        ("next July", MARCH_2013, 0, None, (date(2013, 7, 1), "month", "published_at")),
        ("last February", MARCH_2013, 0, None, (date(2013, 2, 1), "month", "published_at")),
        ("early December", MARCH_2013, -1, None, (date(2012, 12, 1), "month", "published_at")),
        ("October", MARCH_2013, 1, None, (date(2013, 10, 1), "month", "published_at")),
        ("last year", MARCH_2013, 0, None, (date(2012, 1, 1), "year", "published_at")),
        ("next year", MARCH_2013, 0, None, (date(2014, 1, 1), "year", "published_at")),
        ("this month", MARCH_2013, 0, None, (date(2013, 3, 1), "month", "published_at")),
        ("this fiscal year", MARCH_2013, 0, None, (date(2013, 1, 1), "year", "published_at")),
        ("four years ago", MARCH_2013, 0, None, (date(2009, 1, 1), "year", "published_at")),
        ("three months ago", MARCH_2013, 0, None, (date(2012, 12, 1), "month", "published_at")),
        # a week is neither a day, a month nor a year: its text, no date (not the day it starts or names)
        ("this week", MARCH_2013, 0, None, None),
        ("last week's", MARCH_2013, 0, None, None),
        ("late next week", MARCH_2013, 0, None, None),
        ("two weeks ago", MARCH_2013, 0, None, None),
        ("a week from now", MARCH_2013, 0, None, None),
        ("the week of March 6", MARCH_2013, -1, None, None),
        ("the week of June 3, 2024", None, 0, None, None),
        ("Easter week", MARCH_2013, 0, None, None),
        ("the week of the election", MARCH_2013, 0, None, None),
        ("3,000 years ago", MARCH_2013, 0, None, None),  # before year 1: no date, no error
        ("2,500 years ago", MARCH_2013, 0, None, None),  # before the timeline's years
        ("yesterday", MARCH_2013, 0, None, (date(2013, 3, 14), "day", "published_at")),
        ("Tuesday", MARCH_2013, -1, None, (date(2013, 3, 12), "day", "published_at")),  # said Tuesday
        ("Tuesday", MARCH_2013, 1, None, (date(2013, 3, 19), "day", "published_at")),  # will meet Tuesday
        ("last Friday", MARCH_2013, 0, None, (date(2013, 3, 8), "day", "published_at")),
        ("this coming Sunday, March seventeenth", MARCH_2013, 0, None, (date(2013, 3, 17), "day", "published_at")),
        ("the twenty-first of May", MARCH_2013, 1, None, (date(2013, 5, 21), "day", "published_at")),
        ("yesterday", None, 0, None, None),  # nothing to count from
        # named days: the day in the year the text gives, else the one its verb's tense points to
        ("Christmas 2012", MARCH_2013, 0, None, (date(2012, 12, 25), "day", "explicit")),
        ("Christmas", MARCH_2013, -1, None, (date(2012, 12, 25), "day", "published_at")),
        ("last Thanksgiving", MARCH_2013, 0, None, (date(2012, 11, 22), "day", "published_at")),
        ("Election Day", MARCH_2013, 1, None, (date(2013, 11, 5), "day", "published_at")),
        ("Easter Sunday", MARCH_2013, 1, None, (date(2013, 3, 31), "day", "published_at")),
        ("Good Friday", None, 0, 2024, (date(2024, 3, 29), "day", "context year")),
        ("Memorial Day", MARCH_2013, 1, None, (date(2013, 5, 27), "day", "published_at")),
        ("the Christmas season", MARCH_2013, 0, None, None),
        # a year written before it in the sentence, or the article's year, when publication is unknown
        ("August 7", None, 0, 2024, (date(2024, 8, 7), "day", "context year")),
        # what the text does not fix
        ("now", MARCH_2013, 0, None, None),
        ("the past", MARCH_2013, 0, None, None),
        ("recently", MARCH_2013, 0, None, None),
        ("last spring", MARCH_2013, 0, None, None),
        ("the week", MARCH_2013, 0, None, None),
        ("the past week", MARCH_2013, 0, None, None),  # a stretch of seven days up to now, not a week of the calendar
        ("weeks", MARCH_2013, 0, None, None),
        ("the third quarter", MARCH_2013, 0, None, None),
        ("Q3 2012", MARCH_2013, 0, None, None),  # a quarter or a half of a year, written as finance writes it
        ("2Q 2012", MARCH_2013, 0, None, None),
        ("H1 2013", MARCH_2013, 0, None, None),
        ("H1N1 2009", MARCH_2013, 0, None, (date(2009, 1, 1), "year", "explicit")),  # not a half
        ("the 1990s", MARCH_2013, 0, None, None),
        ("the same day", MARCH_2013, 0, None, None),
        ("a year earlier", MARCH_2013, 0, None, None),  # counts from a time the text mentions
        ("each July", MARCH_2013, 0, None, None),
    ],
)
def test_date_values_follow_the_text(text, published, tense, context_year, expected) -> None:
    resolved = resolve(text, published, tense, context_year)
    assert (None if resolved is None else (resolved.date, resolved.precision, resolved.resolved_from)) == expected


@pytest.mark.parametrize(("text", "is_date"), [("89", False), ("65 years old", False), ("a 50-year-old", False), ("aged 30", False),
                                              ("3-1", False), ("1953", True), ("'98", True), ("Tuesday", True), ("two years", True)])
def test_ages_scores_and_bare_numbers_are_not_dates(text: str, is_date: bool) -> None:
    assert is_date_expression(text) is is_date


def test_one_model_span_holding_two_expressions_gives_two_rows() -> None:
    assert [("the quarter ended Sept. 30")[a:b] for a, b in pieces("the quarter ended Sept. 30")] == ["the quarter", "Sept. 30"]
    assert [("between 1994 and 1997")[a:b] for a, b in pieces("between 1994 and 1997")] == ["1994", "1997"]
    assert [("August 7, 2024")[a:b] for a, b in pieces("August 7, 2024")] == ["August 7, 2024"]
    assert [("1994, 1995 and")[a:b] for a, b in pieces("1994, 1995 and")] == ["1994", "1995"]


@pytest.mark.parametrize(("text", "value"), [("1,000", 1000), ("1.3", 1.3), ("six", 6), ("twenty-one", 21), ("thousand", None), ("Kursk", None)])
def test_written_numbers(text: str, value) -> None:
    assert parse_number(text) == value


def test_every_unit_a_claim_can_have_is_allowed_by_the_claims_suite() -> None:
    import json

    from pipeline.config import PROJECT_ROOT

    suite = json.loads((PROJECT_ROOT / "expectations" / "claims.json").read_text())
    allowed = next(e["kwargs"]["value_set"] for e in suite["expectations"] if e["kwargs"].get("column") == "unit")
    assert UNITS <= set(allowed)


def test_every_measure_converts_to_the_unit_it_is_stored_in() -> None:
    from pipeline.nlp.units import MEASURES, convert

    failing = []
    for written, (stored, pint_unit) in MEASURES.items():
        try:
            convert(1.0, pint_unit, stored)
        except Exception as exc:  # noqa: BLE001 - every failure is listed
            failing.append((written, pint_unit, stored, type(exc).__name__))
    assert failing == []  # "kiloton" once read as pint's "kt", a knot: a speed cannot become kilograms


@pytest.mark.parametrize(("text", "named"), [("Thanksgiving Day", True), ("last Christmas", True), ("New Year’s Eve", True),
                                             ("the Good Friday Agreement", False), ("the Thanksgiving Day Parade", False)])
def test_an_event_is_a_named_day_only_when_it_is_nothing_more(text: str, named: bool) -> None:
    assert is_named_day(text) is named
