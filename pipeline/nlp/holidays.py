"""Named days the timeline can date: ``Christmas``, ``Easter``, ``Thanksgiving``, ``Election Day``.

Each name maps to the day it falls on in a given year; the timeline picks the year the way it picks a
month's (a year written with it, ``last``/``next``, the sentence's year, else the verb's tense).
Movable feasts come from :mod:`dateutil` (Easter, "the fourth Thursday of November"). Names whose
day depends on the country (``Independence Day``) or on a lunar calendar (``Ramadan``) are left
undated. US observances are taken as the US ones ("Thanksgiving" is the fourth Thursday of November).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

from dateutil.easter import easter
from dateutil.relativedelta import FR, MO, SU, TH, TU, relativedelta


def _fixed(month: int, day: int) -> Callable[[int], date]:
    return lambda year: date(year, month, day)


def _nth(month: int, weekday, n: int) -> Callable[[int], date]:
    """The ``n``-th ``weekday`` of ``month`` (``n`` = -1: the last)."""
    if n < 0:
        return lambda year: date(year, month, 1) + relativedelta(day=31, weekday=weekday(-1))
    return lambda year: date(year, month, 1) + relativedelta(weekday=weekday(n))


# Longer names first: "Christmas Eve" before "Christmas".
NAMED_DAYS: dict[str, Callable[[int], date]] = {
    "christmas eve": _fixed(12, 24),
    "christmas day": _fixed(12, 25),
    "christmas": _fixed(12, 25),
    "boxing day": _fixed(12, 26),
    "new year's eve": _fixed(12, 31),
    "new year's day": _fixed(1, 1),
    "valentine's day": _fixed(2, 14),
    "st. patrick's day": _fixed(3, 17),
    "st patrick's day": _fixed(3, 17),
    "may day": _fixed(5, 1),
    "bastille day": _fixed(7, 14),
    "halloween": _fixed(10, 31),
    "armistice day": _fixed(11, 11),
    "veterans day": _fixed(11, 11),
    "remembrance day": _fixed(11, 11),
    "good friday": lambda year: easter(year) - timedelta(days=2),
    "easter sunday": easter,
    "easter monday": lambda year: easter(year) + timedelta(days=1),
    "easter": easter,
    "martin luther king day": _nth(1, MO, 3),
    "memorial day": _nth(5, MO, -1),
    "mother's day": _nth(5, SU, 2),
    "father's day": _nth(6, SU, 3),
    "labor day": _nth(9, MO, 1),
    "thanksgiving day": _nth(11, TH, 4),
    "thanksgiving": _nth(11, TH, 4),
    "black friday": lambda year: _nth(11, TH, 4)(year) + relativedelta(weekday=FR(1)),
    # the Tuesday after the first Monday of November
    "election day": lambda year: date(year, 11, 1) + relativedelta(weekday=MO(1)) + relativedelta(weekday=TU(1), days=1),
}
_NAMED = re.compile(
    r"\b(" + "|".join(re.escape(name).replace("'", "['’]") for name in NAMED_DAYS) + r")\b", re.I
)


def named_day(text: str) -> Callable[[int], date] | None:
    """The rule giving the day a named day falls on in a year, or None when ``text`` names none."""
    match = _NAMED.search(text)
    return NAMED_DAYS[match.group(1).lower().replace("’", "'")] if match else None


def is_named_day(text: str) -> bool:
    """``Thanksgiving Day``, ``last Christmas``: the text is a named day and nothing more (not
    ``the Good Friday Agreement``, ``the Thanksgiving Day Parade``)."""
    return re.fullmatch(r"(?:(?:the|last|next|this)\s+)?" + _NAMED.pattern, text.strip(), re.I) is not None
