"""Timeline: every date expression with its sentence, resolved the way HeidelTime resolves news dates.

The model finds the expressions (spaCy's ``DATE`` entities); rules fix their values, in this order:

1. **explicit**: the phrase writes its year (``October 1, 2024``, ``August 2024``, ``fiscal 1989``,
   ``1957-58``); any year the text states is a date, historical ones too.
2. **published_at**: words that count from the publication date resolve against ``published_at`` in
   the direction they give: ``yesterday``, ``last year``, ``next month``, ``four years ago``, ``this
   month``; ``last July`` is the latest July before publication, ``next July`` the first after. A
   month, day or weekday with no year and no such word follows the tense of its verb (``bombs
   exploded Friday``: the Friday before; ``will meet on Friday``, ``is to meet on Friday``: the one
   after; ``since Oct. 23``: the one before; ``Thursday's closing price``: the one gone by;
   ``effective June 1``, ``postponed until Tuesday``, ``is due Monday``, ``is expected on Tuesday``,
   ``is resigning on Monday``:
   one to come, and so is ``extended loans through January``, not ``had been scheduled to expire
   Friday``; ``Friday Oct. 13``: the thirteenth). Named days (``Christmas``, ``Election Day``,
   :mod:`pipeline.nlp.holidays`) take their day in the year chosen the same way.
3. **context year**: a month or day takes the year written before it in the same sentence, in its
   clause or one it depends on (not ``a program approved in 1987`` of ``... through Sept. 29``);
   without a publication date, else the year the article's full dates name most often; ``that
   year``, ``the following year`` and ``the previous year`` count from the last year the article
   wrote out ("a loss in 2000 into a profit the following year": 2001).

What the text does not fix stays NULL with its text: ``now``, ``the past``, ``recently``, weeks
(``last week``, ``two weeks ago``: a week, not a day, month or year), weekends, quarters and halves
(``Q3 2023``, ``H1``), seasons, decades, ``the same day``, what repeats (``each July``, ``Tuesday
nights``), the future in general (``the people of tomorrow``). Ages (``George Lowe, 89,``), scores,
bare numbers and names (``the March for Life``, ABC's ``"This Week"``) the model takes for dates
are not timeline rows.
``resolved_from`` says which rule fixed each date.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta
from spacy.tokens import Doc, Span

from pipeline.config import TIMELINE_YEARS
from pipeline.nlp.claims import parse_number
from pipeline.nlp.doc import entities_of, sentence_index, sentence_starts, text_of, trim
from pipeline.nlp.holidays import is_named_day, named_day
from pipeline.nlp.quotes.speakers import SPEECH_ONLY

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTH_NAMES = (
    ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
    ("july", "jul"), ("august", "aug"), ("september", "sept", "sep"), ("october", "oct"), ("november", "nov"),
    ("december", "dec"),
)
MONTH_OF = {name: number for number, names in enumerate(_MONTH_NAMES, start=1) for name in names}
_ANY_MONTH = "|".join(sorted(MONTH_OF, key=len, reverse=True))  # longest first: "sept" before "sep"
_MONTH = r"(?P<month>" + _ANY_MONTH + r")\b\.?"
_MONTH_WORD = "(?:" + _ANY_MONTH + r")\b\.?"  # the same without its group, to use twice in one pattern
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\b"
_ORDINALS = ("first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth fourteenth "
             "fifteenth sixteenth seventeenth eighteenth nineteenth twentieth").split()
ORDINAL_DAY = {word: n for n, word in enumerate(_ORDINALS, start=1)}
ORDINAL_DAY.update({f"twenty{sep}{word}": 20 + n for n, word in enumerate(_ORDINALS[:9], start=1) for sep in ("-", " ")})
ORDINAL_DAY.update({"thirtieth": 30, "thirty-first": 31, "thirty first": 31})
_DAY_WORD = r"(?:the\s+)?(?P<word>" + "|".join(sorted(ORDINAL_DAY, key=len, reverse=True)) + r")\b"
MONTHS = re.compile(r"\b" + _MONTH, re.I)
MONTH_DAY_WORD = re.compile(r"\b" + _MONTH + r"\s+" + _DAY_WORD, re.I)  # "March eighth"
DAY_WORD_MONTH = re.compile(r"\b" + _DAY_WORD + r"\s+of\s+" + _MONTH, re.I)  # "the fifth of May"
MONTH_DAY = re.compile(r"\b" + _MONTH + r"\s*" + _DAY, re.I)
DAY_MONTH = re.compile(r"\b" + _DAY + r"(?:\s+of)?\s+" + _MONTH, re.I)
# "15-16 August": a range of days in one month; its value is the first day
DAYS_MONTH = re.compile(r"\b(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\s*[-–]\s*[0-3]?\d(?:st|nd|rd|th)?(?:\s+of)?\s+" + _MONTH, re.I)
YEAR = re.compile(r"(?<![\d,.$£€])\b(?P<year>[12]\d{3})\b(?!\s*(?:s\b|'s\b|%|per\s?cent))(?:\s*[-–/]\s*(?:\d{2}|\d{4})\b)?")
SHORT_YEAR = re.compile(r"(?:^|\s)[’'](?P<year>\d{2})\b(?!s)")
ISO_DATE = re.compile(r"\b(?P<year>[12]\d{3})-(?P<month>[01]\d)-(?P<day>[0-3]\d)\b")
NUMERIC_DATE = re.compile(r"\b(?P<a>[01]?\d)/(?P<b>[0-3]?\d)/(?P<year>\d{4}|\d{2})\b")

# Nothing in these fixes a day, a month or a year: the row keeps its text with a NULL date.
UNFIXED = re.compile(
    r"\b(week|weekend|weeks|quarter|quarters|half|spring|summer|autumn|fall|winter|season|decade|decades|"
    r"century|centuries|\d{4}s|\d0s|'\d0s|era|period|same|following|previous day|next day|day before|day after|"
    r"that day|those days|these days|the day|recent|recently|past|future|now|currently|present|time|times|"
    r"year-ago|year-earlier|that year|that month|following|previous|prior|each|every|"
    r"mondays|tuesdays|wednesdays|thursdays|fridays|saturdays|sundays|q[1-4]|[1-4]q|h[12]|[12]h)\b",
    re.I,
)
# "the 1957-58 season", "the 2023/24 season": a sports or school season named by its years is the first
# of them (as "1957-58" alone is), not a season of the year the text leaves open.
_SEASON_OF_YEARS = re.compile(r"^(?:the\s+)?[12]\d{3}[-–/](?:\d{2}|[12]\d{3})\s+season$", re.I)
AGE = re.compile(r"\b(years?[- ]old|year-olds?|aged?|age of|in (his|her|their) (teens|\d0s))\b", re.I)
_WORDS_BEFORE = {"last": -1, "past": -1, "next": 1, "coming": 1, "this": 0, "current": 0}
# "today through Nov. 17", "between 1994 and 1997": the value of a range is its first end.
# "June last year", "June 16th of last year", "March of next year": the word counts years, not Junes
_OF_A_YEAR = re.compile(r"\b(?:last|past|next|coming|this|current)\s+year\b", re.I)
_RANGE = re.compile(r"\s+(?:through|thru|to|until|till|and|or|[-–])\s+", re.I)
_SPOKEN_YEAR = re.compile(
    r"\b(?P<century>nineteen|eighteen|twenty)\s+(?P<rest>(?:hundred\s+(?:and\s+)?)?[a-z]+(?:[- ][a-z]+)?)\b"
    r"|\b(?P<thousand>two thousand(?:\s+(?:and\s+)?[a-z]+(?:[- ][a-z]+)?)?)\b",
    re.I,
)
# "ago" and "from now" count from publication; "earlier", "later", "before" count from a time the text
# mentions (anaphora), which is left NULL.
_AGO = re.compile(r"\b(?P<n>\d[\d,]*\d|[\w-]+)\s+(?P<unit>decade|year|month|day)s?\s+(?P<dir>ago|from now|hence)\b", re.I)
# "the quarter ended Sept. 30", "the year ending June 30, 1990": the date is the period's end.
_PERIOD_ENDED = re.compile(r"\b(?:ended|ending|ends|through)\s+(?=\S)", re.I)
# "the year to March 2004", "the three months to September": the same, as British business news writes it
_PERIOD_TO = re.compile(r"^the\s+(?:[\w-]+\s+){0,2}?(?:year|quarter|months|half|period|weeks)(?P<to>\s+to\s+)(?=\S)", re.I)
_YEAR_END = re.compile(r"\b(?:year[- ]end|year's end|end of (?:the|this) year)\b", re.I)
_RELATIVE_UNIT = re.compile(
    r"\b(?P<word>last|past|next|coming|this|current)\s+(?:fiscal\s+|calendar\s+|financial\s+)?(?P<unit>year|month)\b", re.I
)
# "over the last month", "in the last year": the span up to publication, not a calendar month or year
_UP_TO_NOW = re.compile(r"\bthe\s+last\s+(?:fiscal\s+|calendar\s+)?(?:year|month)\b(?!'s)")
_PERIOD_WORD = re.compile(r"\b(?:year|quarter|month|half|period|week)s?\b", re.I)
# "the year", "the full year", "earlier in the year": the year the article is in, as news writes it.
_THE_YEAR = re.compile(r"^the\s+(?:full\s+|calendar\s+|entire\s+|whole\s+)?year(?:'s)?$|\b(?:earlier|later)\s+in\s+the\s+year\b", re.I)
# How many days nearer a date against the verb's tense must be to win over one that agrees.
MONTH_TENSE_DAYS, WEEKDAY_TENSE_DAYS = 250, 3
STATED = -2  # the tense of "said Friday": a statement reported as made, so made before publication
DONE = -3  # the tense of "changed ... in December": a simple past said of the date itself, so by publication
UNKNOWN_TENSE_FUTURE_DAYS = 0.5
_DAY_WORDS = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1, "last night": -1,
              "this morning": 0, "this afternoon": 0, "this evening": 0}
# The day a time of day names ("3 p.m. Tuesday", "late Tuesday night", "10:30 a.m. March 3", "last night")
_DAY_OF_A_TIME = re.compile(
    r"\b(?:(?:last|next|this)\s+)?(?:" + "|".join(WEEKDAYS) + r")\b"
    r"|\b" + _MONTH_WORD + r"\s+\d{1,2}(?:st|nd|rd|th)?\b(?:,?\s+[12]\d{3}\b)?"
    r"|\b\d{1,2}(?:st|nd|rd|th)?\s+" + _MONTH_WORD + r"(?:\s+[12]\d{3}\b)?"
    r"|\b(?:today|tonight|yesterday|tomorrow|last\s+night|this\s+(?:morning|afternoon|evening))\b",
    re.I,
)


@dataclass(frozen=True)
class Resolved:
    """A timeline value: the first day of the period, its precision and the rule that fixed it."""

    date: date
    precision: str  # day, month, year
    resolved_from: str  # explicit, published_at, context year


def is_date_expression(text: str) -> bool:
    """False for what the model tags as a date but is not one: ages, scores, bare small numbers.

    >>> is_date_expression("89"), is_date_expression("65 years old"), is_date_expression("1953")
    (False, False, True)
    """
    stripped = text.strip()
    if AGE.search(stripped):
        return False
    if not any(c.isalpha() for c in stripped):  # "89", "3-1", "12.5": numbers, unless a year or a numeric date
        return bool(YEAR.search(stripped) or ISO_DATE.search(stripped) or NUMERIC_DATE.search(stripped) or SHORT_YEAR.search(stripped))
    return True


def _in_range(year: int) -> bool:
    return TIMELINE_YEARS[0] <= year <= TIMELINE_YEARS[1]


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day) if _in_range(year) else None
    except ValueError:  # "February 30"
        return None


def stated_year(text: str) -> int | None:
    """The year a phrase writes in full (``1957-58`` → 1957, ``'98`` → 1998), if any."""
    match = YEAR.search(text)
    if match:
        return int(match.group("year"))
    short = SHORT_YEAR.search(text)
    if short:
        two = int(short.group("year"))
        return 1900 + two if two > 30 else 2000 + two
    return _spoken_year(text)


def _spoken_year(text: str) -> int | None:
    """``nineteen ninety-six`` → 1996, ``the year two thousand`` → 2000 (transcripts write years out)."""
    match = _SPOKEN_YEAR.search(text)
    if not match:
        return None
    if match.group("thousand"):
        value = parse_number(match.group("thousand").replace("-", " "))
        return int(value) if value and 2000 <= value <= 2099 else None
    rest = match.group("rest").lower().replace("-", " ")
    rest = re.sub(r"^hundred\s+(and\s+)?", "", rest)
    tail = parse_number(rest)
    if tail is None or not 0 <= tail <= 99 or tail != int(tail):
        return None
    return {"eighteen": 1800, "nineteen": 1900, "twenty": 2000}[match.group("century").lower()] + int(tail)


def _calendar(text: str) -> tuple[int | None, int | None, int | None]:
    """``(year, month, day)`` as far as the phrase writes them."""
    iso = ISO_DATE.search(text)
    if iso:
        return int(iso.group("year")), int(iso.group("month")), int(iso.group("day"))
    numeric = NUMERIC_DATE.search(text)
    if numeric:
        return _numeric_date(numeric)
    return (stated_year(text), *_month_and_day(text))


def _numeric_date(found: re.Match) -> tuple[int, int, int]:
    """``8/9/2024`` month first (``25/8/2024``: day first, the only reading), ``8/9/24`` in 2024."""
    a, b = int(found.group("a")), int(found.group("b"))
    year = int(found.group("year"))
    year = year if year > 99 else (1900 + year if year > 30 else 2000 + year)
    return (year, a, b) if a <= 12 else (year, b, a)


def _month_and_day(text: str) -> tuple[int | None, int | None]:
    """``(month, day)`` as far as the phrase writes them: ``Aug. 7``, ``7 August``, ``August seventh``, ``August``."""
    month_day = MONTH_DAY.search(text) or DAYS_MONTH.search(text) or DAY_MONTH.search(text)
    if month_day and 1 <= int(month_day.group("day")) <= 31:
        return MONTH_OF[month_day.group("month").lower()], int(month_day.group("day"))
    spelled = MONTH_DAY_WORD.search(text) or DAY_WORD_MONTH.search(text)
    if spelled:
        return MONTH_OF[spelled.group("month").lower()], ORDINAL_DAY[spelled.group("word").lower()]
    month = MONTHS.search(text)
    return (MONTH_OF[month.group("month").lower()] if month else None), None


def _period(year: int, month: int | None, day: int | None, source: str) -> Resolved | None:
    if month is None:
        found = _safe_date(year, 1, 1)
        return Resolved(found, "year", source) if found else None
    found = _safe_date(year, month, day or 1)
    return Resolved(found, "day" if day else "month", source) if found else None


def _direction(text: str) -> int | None:
    """-1 for "last July", +1 for "next July", 0 for "this July", None when the phrase says nothing."""
    for word in re.findall(r"[a-z]+", text.lower()):
        if word in _WORDS_BEFORE:
            return _WORDS_BEFORE[word]
    return None


def _choose(candidates: list[date], published: date, tense: int, penalty: int) -> date:
    """The candidate nearest to publication, a step against the verb's tense counting ``penalty`` days more.

    Tense alone misleads ("the offer had been set to expire Nov. 6" is a date to come) and
    nearness alone does too ("sales rose in March", written in November), so both count.
    """

    def cost(candidate: date) -> float:
        days = (candidate - published).days
        against = tense != 0 and days != 0 and (days > 0) != (tense > 0)
        return abs(days) + (penalty if against else 0) + (UNKNOWN_TENSE_FUTURE_DAYS if days > 0 and tense == 0 else 0)

    return min(candidates, key=cost)


def _weekday(text: str, published: date, tense: int) -> date | None:
    """``Tuesday``: the one before publication or after it, by the words ``last``/``next`` or the tense."""
    lowered = text.lower()
    index = next((i for i, name in enumerate(WEEKDAYS) if re.search(rf"\b{name[:3]}(?:{name[3:]})?\b\.?", lowered)), None)
    if index is None:
        return None
    back = (published.weekday() - index) % 7
    before, after = published - timedelta(days=back), published + timedelta(days=(index - published.weekday()) % 7)
    direction = _direction(text)
    if direction is not None and direction != 0:
        if direction < 0:
            return before if back else published - timedelta(days=7)
        return after if after != published else published + timedelta(days=7)
    if tense > 0:  # "will meet on Tuesday": never a day gone by (a past verb may name tomorrow: "headed Tuesday to")
        return after
    if tense == STATED:  # "said Friday": the day it was said
        return before
    return _choose([before, after], published, tense, WEEKDAY_TENSE_DAYS)


def _counted(text: str, published: date) -> Resolved | None:
    """``four years ago``, ``two months earlier``, ``10 days ago``: counted back (or on) from publication."""
    match = _AGO.search(text)
    if not match:
        return None
    word = match.group("n").lower()
    n = 1 if word in ("a", "an", "one") else parse_number(word)
    if n is None or n != int(n) or n > 3000:
        return None
    sign = 1 if match.group("dir").lower() in ("from now", "hence") else -1
    unit = match.group("unit").lower()
    if unit == "decade":
        unit, n = "year", 10 * n
    try:
        moved = published + relativedelta(**{f"{unit}s": sign * int(n)})
    except (ValueError, OverflowError):  # "3,000 years ago": before year 1
        return None
    if not _in_range(moved.year):
        return None
    precision = {"year": "year", "month": "month", "day": "day"}[unit]
    first = moved.replace(month=1, day=1) if unit == "year" else moved.replace(day=1) if unit == "month" else moved
    return Resolved(first, precision, "published_at")


def _relative(text: str, published: date, tense: int) -> Resolved | None:
    """Expressions that count from the publication date; None when the phrase has none."""
    lowered = text.lower()
    for word, shift in _DAY_WORDS.items():
        if re.search(rf"\b{word}\b", lowered):
            return Resolved(published + timedelta(days=shift), "day", "published_at")
    counted = _counted(text, published)
    if counted:
        return counted
    unit = _RELATIVE_UNIT.search(lowered)
    if unit and not re.search(r"\b(weeks?|quarters?|half)\b", lowered) and not _UP_TO_NOW.search(lowered):
        shift = _WORDS_BEFORE.get(unit.group("word"), 0)
        if unit.group("unit") == "year":
            return _period(published.year + shift, None, None, "published_at")
        moved = published + relativedelta(months=shift)
        return _period(moved.year, moved.month, None, "published_at")
    day = _weekday(text, published, tense)
    if day and not MONTHS.search(text):
        return Resolved(day, "day", "published_at")
    return None


def resolve(text: str, published: date | None, tense: int = 0, context_year: int | None = None) -> Resolved | None:
    """The value of one date expression, or None when the text does not fix one.

    Args:
        text: the expression as written (``late last July``, ``Aug. 7``, ``four years ago``).
        published: the article's publication date, if known.
        tense: -1 when the expression's verb is in the past, +1 in the future, 0 otherwise.
        context_year: a year written elsewhere in the sentence, or the article's year.

    >>> resolve("late last July", date(2013, 3, 15))
    Resolved(date=datetime.date(2012, 7, 1), precision='month', resolved_from='published_at')
    """
    text = _THIS_PAST.sub("last ", text)
    next_to = _DAY_NEXT_TO.match(text)
    if next_to:
        return _day_next_to(resolve(text[next_to.end():], published, tense, context_year), next_to.group("which"))
    year, month, day = _calendar(text)
    rule = named_day(text)
    if rule is not None:
        return _named_day(text, rule, year, published, tense, context_year)
    if year is not None:
        fixed = not UNFIXED.search(_without_calendar(text)) or _SEASON_OF_YEARS.search(text)
        return _period(year, month, day, "explicit") if fixed else None
    if month is None:
        return _without_month(text, published, tense, context_year)
    if UNFIXED.search(text):
        return None
    direction = _direction(text)
    if direction is None and context_year is not None and not _against_tense(context_year, published, tense):
        return _period(context_year, month, day, "context year")
    if published is None:
        return None
    return _month_day(text, month, day, published, tense, direction)


# "this past Sunday", "this past March", "this past Christmas": the last one, whatever the tense; not
# "this past year", "this past week" or "this past weekend", a span up to publication.
_THIS_PAST = re.compile(r"\bthis\s+past\s+(?!(?:years?|months?|weeks?|weekends?|decades?|days?|few|several|couple)\b)", re.I)
# "the day before last Tuesday's hearing", "the night after Christmas": the day next to the one named.
_DAY_NEXT_TO = re.compile(r"the\s+(?:day|night)\s+(?P<which>before|after)\s+", re.I)


def _day_next_to(named: Resolved | None, which: str) -> Resolved | None:
    """The day before or after ``named``, fixed the same way; None unless ``named`` is a day (the day
    before a month or a year is no day the text fixes)."""
    if named is None or named.precision != "day":
        return None
    shift = timedelta(days=-1 if which.lower() == "before" else 1)
    return Resolved(named.date + shift, "day", named.resolved_from)


def _named_day(text: str, rule: Callable[[int], date], year: int | None, published: date | None, tense: int, context_year: int | None) -> Resolved | None:
    """``Christmas 2023``, ``last Thanksgiving``, ``Election Day``: the day in the year the text
    writes, the direction it gives, the sentence's year, or the tense (as for a month)."""
    if UNFIXED.search(_without_calendar(text)):  # "Easter week", "the Christmas season"
        return None
    direction = _direction(text)
    if year is None and direction is None and context_year is not None and not _against_tense(context_year, published, tense):
        year, source = context_year, "context year"
    else:
        source = "explicit" if year is not None else "published_at"
    if year is None:
        if published is None:
            return None
        found = _nearest_named_day(rule, published, tense, direction)
    else:
        found = rule(year)
    return Resolved(found, "day", source) if _in_range(found.year) else None


def _nearest_named_day(rule: Callable[[int], date], published: date, tense: int, direction: int | None) -> date:
    """The occurrence before publication (``last``), after it (``next``), in its year (``this``), else by tense."""
    days = [rule(y) for y in (published.year - 1, published.year, published.year + 1)]
    if direction is None:
        return _choose(days, published, tense, MONTH_TENSE_DAYS)
    if direction == 0:
        return days[1]
    return max(d for d in days if d < published) if direction < 0 else min(d for d in days if d > published)


def _without_month(text: str, published: date | None, tense: int, context_year: int | None) -> Resolved | None:
    """An expression with neither a year nor a month: counted from publication (``four years ago``,
    ``year-end``, ``Friday``), or ``the year`` (the one written before it, else publication's)."""
    text = _IN_THE_DAY.sub("", text)  # "late in the day Friday" is the Friday
    if published is not None:
        counted = (_counted(text, published) or _day_of_a_week(text, published)
                   or (_year_end(published, tense) if _YEAR_END.search(text) else None))
        if counted:
            return counted
    if UNFIXED.search(text):
        return None
    if _THE_YEAR.search(text):
        if context_year is not None:
            return _period(context_year, None, None, "context year")
        return _period(published.year, None, None, "published_at") if published else None
    return _relative(text, published, tense) if published else None


# "Tuesday of last week", "Monday next week": a day of the week before or after publication's
_DAY_OF_A_WEEK = re.compile(r"^(?:on\s+)?(?P<day>" + "|".join(WEEKDAYS) + r")\s+(?:of\s+)?(?P<which>last|next|this)\s+week$", re.I)


def _day_of_a_week(text: str, published: date) -> Resolved | None:
    """``Tuesday of last week``: that weekday in the week (Monday to Sunday) the words name."""
    match = _DAY_OF_A_WEEK.match(text.strip())
    if match is None:
        return None
    monday = published - timedelta(days=published.weekday()) + timedelta(weeks=_WORDS_BEFORE[match.group("which").lower()])
    return Resolved(monday + timedelta(days=WEEKDAYS.index(match.group("day").lower())), "day", "published_at")


# "late in the day Friday", "earlier in the day on Monday": the words before the weekday fix nothing more
_IN_THE_DAY = re.compile(
    r"^(?:(?:early|late|earlier|later)\s+)?(?:in\s+)?the\s+day\s+(?=(?:on\s+)?(?:" + "|".join(WEEKDAYS) + r")\b)", re.I
)


def _year_end(published: date, tense: int) -> Resolved | None:
    """``year-end``: this year's, but last year's in the past tense before December ("rose since year-end")."""
    year = published.year - 1 if tense < 0 and published.month < 12 else published.year
    return _period(year, None, None, "published_at")


def _against_tense(year: int, published: date | None, tense: int) -> bool:
    """A year the verb's tense rules out: ``will join on March 12`` cannot fall in a year before
    publication, ``joined on March 12`` not in one after it."""
    return published is not None and ((tense > 0 and year < published.year) or (tense < 0 and year > published.year))


def _month_day(text: str, month: int, day: int | None, published: date, tense: int, direction: int | None) -> Resolved | None:
    """A month (and day) without a year, placed against the publication date."""
    weekday = _weekday(text, published, tense)
    if weekday and day and direction is None:
        found = _day_on_weekday(month, day, weekday.weekday(), published)
        if found:
            return Resolved(found, "day", "published_at")
    if direction is None:
        year = _nearest_year(month, day, published, tense)
    elif direction == 0 or _OF_A_YEAR.search(text):  # "June of last year" is in the year before publication's
        year = published.year + direction
    else:
        year = _year_after(month, day, published) if direction > 0 else _year_before(month, day, published)
    return _period(year, month, day, "published_at")


def _nearest_year(month: int, day: int | None, published: date, tense: int) -> int:
    """The year of the month (and day) nearest publication, by tense (:func:`_choose`)."""
    candidates = [_safe_date(y, month, day or 15) for y in (published.year - 1, published.year, published.year + 1)]
    if tense == DONE:  # "changed to a calendar year in December": not a month still to come
        candidates = [c for c in candidates if c and (c.year, c.month) <= (published.year, published.month)]
    return _choose([c for c in candidates if c], published, tense, MONTH_TENSE_DAYS).year


def _day_on_weekday(month: int, day: int, weekday: int, published: date) -> date | None:
    """``Monday, Oct. 26``: the date in the year of publication, the next or the one before on which
    that day is that weekday."""
    for year in (published.year, published.year + 1, published.year - 1):
        found = _safe_date(year, month, day)
        if found and found.weekday() == weekday:
            return found
    return None


def _without_calendar(text: str) -> str:
    """The phrase with its month names removed ("May" and "March" are not the words UNFIXED looks for)."""
    return MONTHS.sub(" ", text)


def _year_before(month: int, day: int | None, published: date) -> int:
    """``last July``: the year of the latest such month (or day) before publication."""
    return published.year if (month, day or 0) < (published.month, published.day if day else 0) else published.year - 1


def _year_after(month: int, day: int | None, published: date) -> int:
    """``next July``: the year of the first such month (or day) after publication."""
    return published.year if (month, day or 0) > (published.month, published.day if day else 0) else published.year + 1


FUTURE_AUX = {"will", "'ll", "shall", "would", "wo"}
# "is expected to join in April", "is scheduled to close Monday", "prepares to vote in Sunday's election":
# a date to come under the verb that arranges it.
FUTURE_FRAMES = {"expect", "schedule", "slate", "plan", "set", "due", "poise", "intend", "hope", "aim", "prepare"}


def _governing_verb(span: Span):
    token = span.root
    for _ in range(4):
        if token.pos_ in ("VERB", "AUX") or token.dep_ == "ROOT" or token.head.i == token.i:
            break
        token = token.head
    return token


def _is_future(verb) -> bool:
    """``will meet``, ``is going to meet``, ``is expected to join``, ``is expected to be published``."""
    if any(c.lower_ in FUTURE_AUX for c in verb.children):
        return True
    if verb.lemma_ == "go" and any(c.lower_ == "to" for c in verb.head.children):
        return True
    infinitive = verb.tag_ == "VB" or (verb.tag_ == "VBN" and any(c.dep_ == "auxpass" and c.tag_ == "VB" for c in verb.children))
    return infinitive and verb.dep_ == "xcomp" and _arranged_infinitive(verb.head)


def _arranged_infinitive(frame) -> bool:
    """The verb an infinitive depends on makes it an arrangement to come: "is to resume trading
    Tuesday", "are to meet on Friday", "is expected to join" ("was to" is not, nor "had been
    scheduled to expire Friday": a plan given up, nor "was scheduled to take off Sunday", a plan
    told in the past as "was expected Tuesday" is; "were planning to drive" still is)."""
    if any(c.dep_ == "aux" and c.tag_ == "VBD" and c.lemma_ == "have" for c in frame.children):
        return False
    if frame.tag_ == "VBN" and any(c.dep_ == "auxpass" and c.tag_ == "VBD" for c in frame.children):
        return False
    return frame.lemma_ in FUTURE_FRAMES or (frame.lemma_ == "be" and frame.tag_ in ("VBZ", "VBP"))


def _is_past(verb) -> bool:
    """``said``, ``had met``, ``was killed`` (but not the present passive ``is expected`` or ``is
    being billed``)."""
    children = list(verb.children)
    if any(c.dep_ == "aux" and c.tag_ == "VBD" for c in children) or verb.tag_ == "VBD":
        return True
    return verb.tag_ == "VBN" and not _present_passive(children)


def _present_passive(children: list) -> bool:
    """``is expected``, ``are held``, ``is being billed``: a participle's auxiliaries in the present."""
    present = [c for c in children if c.tag_ in ("VBZ", "VBP")]
    being = any(c.dep_ == "auxpass" and c.lower_ == "being" for c in children)
    return any(c.dep_ == "auxpass" for c in present) or (being and bool(present))


def _verb_tense(verb) -> int | None:
    """The tense one verb shows by its form and auxiliaries, or None when it shows none."""
    if _is_future(verb):
        return 1
    if _is_past(verb):
        return -1
    if verb.tag_ in ("VBZ", "VBP") or any(c.tag_ in ("VBZ", "VBP") for c in verb.children):
        return 0
    return None


_FORECAST = frozenset({"forecast", "predicted", "projected", "estimated"})


def _earlier_forecast(span: Span) -> bool:
    """``less than forecast in July``, ``as predicted in March``: the date of a forecast set beside
    a figure, made before publication whatever the figure's tense."""
    words = [t.lower_ for t in span.doc[max(0, span.start - 3) : span.start]]
    return len(words) == 3 and words[0] in ("than", "as") and words[1] in _FORECAST and words[2] in ("in", "on")


def _after_since(span: Span) -> bool:
    """``since Oct. 23``, ``since shortly after the Oct. 23 slaying``: what "since" counts from is past."""
    doc = span.doc
    for token in reversed(doc[max(span.sent.start, span.start - 5) : span.start]):
        if token.lower_ == "since":
            return True
        if token.pos_ in ("VERB", "AUX") or token.is_punct:
            return False
    return False


def tense_of(span: Span) -> int:
    """-1 when the verb that governs ``span`` is in the past tense, +1 in the future, else 0;
    ``STATED`` (-2) when it is a statement made on that day (``New Zealand said Friday``), which
    lies before publication whatever is nearer; ``DONE`` (-3) when the date is said of a verb in
    the simple past (``changed ... in December``), which places a month by publication at the latest.

    The verb's own form and auxiliaries decide; an infinitive takes the tense of the verb it
    depends on ("plans to redeem on Nov. 16": the future of "plans" as a plan).
    """
    if _after_since(span) or _earlier_forecast(span):
        return -1
    if _looks_ahead(span) or _arranged(span) or _progressive_arrangement(span):
        return 1
    tense = _verbal_tense(span)
    # "Thursday's closing price", "Wednesday's ruling": what a day's name owns has happened by publication
    return STATED if tense <= 0 and _possessive(span) else tense


def _progressive_arrangement(span: Span) -> bool:
    """``is resigning on Monday``, ``are meeting Friday``: a date said of a verb in the present
    progressive names an arrangement to come (not ``is being billed``, a present passive, nor ``is
    continuing to sell under a June agreement``, where the date belongs to a noun)."""
    head = span.root.head
    verb = head.head if head.dep_ == "prep" and span.root.dep_ == "pobj" else head
    if span.root.dep_ not in ("npadvmod", "tmod", "pobj") or verb.tag_ != "VBG":
        return False
    return any(c.dep_ == "aux" and c.tag_ in ("VBZ", "VBP") for c in verb.children)


# "postponed until Tuesday", "extended the deadline until March 6", "extended loans through January":
# a day to come from the verb's time.
DEFERRING = frozenset({"postpone", "delay", "defer", "extend", "adjourn", "suspend", "recess"})


def _looks_ahead(span: Span) -> bool:
    """``effective Feb. 1`` (a change announced to take effect) and ``postponed until Tuesday``: a
    date to come, whatever the verb's tense (still the nearest one: "resigned effective Jan. 1",
    written on Jan. 15, is that Jan. 1)."""
    doc = span.doc
    before = doc[span.start - 1] if span.start > 0 else None
    if before is None:
        return False
    if before.lower_ == "effective":
        return True
    return before.lower_ in ("until", "till", "through") and _governing_verb(doc[before.i : before.i + 1]).lemma_ in DEFERRING


ARRANGED = frozenset({"expected", "scheduled", "slated", "planned", "set", "poised"})


def _arranged(span: Span) -> bool:
    """``is due Thursday``, ``is expected on Thursday``, ``are scheduled for Monday``, ``the report,
    due Thursday,``: an arrangement stated in the present names a day to come (not ``was due``)."""
    token = span.root
    for _ in range(4):
        # the date must be said of the arrangement ("due Thursday", "set for Monday"), not of a
        # noun ("its December sales are expected to be better")
        if token.head.i == token.i or token.dep_ not in ("npadvmod", "pobj", "prep", "tmod"):
            return False
        token = token.head
        found = _arrangement(token, span)
        if found is not None:
            return found
    return False


def _arrangement(token, span: Span) -> bool | None:
    """Whether the word a date hangs from states an arrangement to come; None when it says nothing yet."""
    present = ("VBZ", "VBP")
    if token.lower_ == "due":  # "the notes due March 1 were repaid" looks back
        return token.head.tag_ in present if token.dep_ == "acomp" else not any(t.tag_ == "VBD" for t in span.sent)
    if token.lower_ in ARRANGED and token.tag_ == "VBN":
        return any(c.dep_ == "auxpass" and c.tag_ in present for c in token.children)
    if token.pos_ in ("VERB", "AUX"):  # "is due at 1900 GMT on Tuesday": the time is said of "is due"
        return token.tag_ in present and any(c.dep_ == "acomp" and c.lower_ == "due" for c in token.children)
    return None


def _verbal_tense(span: Span) -> int:
    verb = _governing_verb(span)
    for _ in range(2):
        tense = _verb_tense(verb)
        if tense is not None:
            if tense < 0 and verb.lemma_ in SPEECH_ONLY and span.root.head.i == verb.i:
                return STATED
            return DONE if tense < 0 and _done(verb, span) else tense
        if verb.head.i == verb.i:
            break
        verb = verb.head
    return 0


def _done(verb, span: Span) -> bool:
    """The date is said of a verb in the simple past that is no arrangement: "changed to a calendar
    year in December", "asked NASA in February" (not "had been set to expire", "was scheduled for")."""
    head = span.root.head  # "in December", "during December", not a bound such as "gave him until December"
    hangs = head.i == verb.i or (head.lower_ in ("in", "on", "during") and head.head.i == verb.i)
    return (hangs and verb.tag_ == "VBD" and verb.lemma_ not in FUTURE_FRAMES | {"be", "have"}
            and not any(c.dep_ in ("aux", "auxpass") for c in verb.children))


def _possessive(span: Span) -> bool:
    """``Thursday's closing price`` in a sentence that looks back (not ``before Saturday's match``,
    not beside ``will``)."""
    doc = span.doc
    following = doc[span.end] if span.end < len(doc) else None
    if not (span[-1].tag_ == "POS" or (following is not None and following.tag_ == "POS")):
        return False
    before = doc[span.start - 1].lower_ if span.start > 0 else ""
    return before not in ("before", "until", "till", "for") and not any(t.lower_ in FUTURE_AUX for t in span.sent)


def context_years(doc: Doc) -> dict[int, int]:
    """For each date expression (by start offset), the year written just before it in its sentence.

    "In 2011, talks began in January": January takes 2011. A year written after the expression
    ("redeem on Nov. 16 the notes due March 1, 2011"), two different years before it, or a year in
    a clause of its own ("under a program approved in 1987, it had bought shares through Sept. 29")
    fix nothing.
    """
    found: dict[int, int] = {}
    sentence, years = None, {}
    for ent in entities_of(doc):
        if ent.label_ != "DATE" and not _named_event(ent):  # "the 2015 New Year's Eve assaults"
            continue
        if ent.sent.start_char != sentence:
            sentence, years = ent.sent.start_char, {}
        if len(years) == 1:
            year, verb = next(iter(years.items()))
            if _governs(verb, _governing_verb(ent)):
                found[ent.start_char] = year
        year = stated_year(ent.text)
        if year is not None and _in_range(year) and not UNFIXED.search(_without_calendar(ent.text)):
            years.setdefault(year, _governing_verb(ent))
    return found


def _governs(verb, other) -> bool:
    """Whether ``verb`` is ``other`` or one of the verbs ``other`` depends on (its clause holds it)."""
    return verb.i == other.i or verb.is_ancestor(other)


def article_year(doc: Doc, published_at: datetime | None) -> int | None:
    """The year an article is about: the one two or more of its full dates (with a month) name, the
    most often, else its publication year. A year alone ("in 2023") names a past event, not the
    article's year, and so may one full date ("the attacks on 11 September 2001" in a story of 2004)."""
    years = Counter(
        stated_year(ent.text)
        for ent in entities_of(doc)
        if ent.label_ == "DATE" and MONTHS.search(ent.text) and stated_year(ent.text)
    )
    if years and years.most_common(1)[0][1] >= 2:
        return years.most_common(1)[0][0]
    return published_at.year if published_at else None


_YEAR_LIST = re.compile(r"(?<=\b[12]\d{3}),\s+(?=[12]\d{3}\b)")  # "1994, 1995 and 1996"
_SPLIT = re.compile(_PERIOD_ENDED.pattern + "|" + _RANGE.pattern + "|" + _YEAR_LIST.pattern, re.I)
_TRAILING_CONJUNCTION = re.compile(r"\s+(?:and|or)$", re.I)
# "between 1994 and 1997"; "80 next month" of "will turn 80 next month" (an age the model ran into the date)
_LEAD_WORDS = re.compile(r"^(?:between|from|\d{1,3}(?=\s+(?:next|last|this)\s))\s+", re.I)


def pieces(text: str) -> list[tuple[int, int]]:
    """The expressions one model span holds, as offsets into it.

    ``the quarter ended Sept. 30`` → ``the quarter``, ``Sept. 30``; ``between 1994 and 1997`` →
    ``1994``, ``1997``; ``today through Nov. 17`` → ``today``, ``Nov. 17``; ``1994, 1995 and`` →
    ``1994``, ``1995``; ``two or three years`` stays one (:func:`_counted_together`).
    """
    found = []
    start = 0
    for match in [*_SPLIT.finditer(text), None]:
        end = match.start() if match else len(text)
        lead = _LEAD_WORDS.match(text[start:end])
        piece_start = start + (lead.end() if lead else 0)
        piece_start, piece_end = trim(text, piece_start, end)
        trailing = _TRAILING_CONJUNCTION.search(text[piece_start:piece_end])
        piece_end = piece_start + trailing.start() if trailing else piece_end
        if piece_end > piece_start:
            found.append((piece_start, piece_end))
        start = match.end() if match else len(text)
    return _counted_together(text, found) if found else [(0, len(text))]


# What starts a count of time, not a date of its own: "up" of "up to four years", "two" of "two or
# three years", "10" of "10 or more years"; and what ends one ("five years or so").
_COUNT_START = re.compile(r"(?:up|about|around|nearly|almost|some|\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten|"
                          r"eleven|twelve|fifteen|twenty|thirty|forty|fifty|a few|several)", re.I)
_COUNT_END = re.compile(r"(?:so|more|less|longer|that|mostly|in|and|to|a|or)", re.I)


def _counted_together(text: str, found: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Pieces that count one stretch of time joined again ("two or three years", "up to four years",
    "three and a half months": one expression, no date); words left of a count ("so") and a count
    alone ("nine" of "aged nine to 11") dropped. Not a day before a month ("1 and 2 June" keeps "2 June")."""
    joined: list[tuple[int, int]] = []
    for start, end in found:
        if _COUNT_END.fullmatch(text[start:end]):
            continue
        previous = joined[-1] if joined else None
        if (previous and _COUNT_START.fullmatch(text[previous[0] : previous[1]]) and re.search(r"[^\W\d]", text[start:end])
                and not _names_a_day(text[start:end])):
            joined[-1] = (previous[0], end)
        else:
            joined.append((start, end))
    return [(start, end) for start, end in joined if not _COUNT_START.fullmatch(text[start:end])]


def _names_a_day(text: str) -> bool:
    lowered = text.lower()
    return bool(MONTHS.search(text)) or any(name in lowered for name in WEEKDAYS)


# What "today's" names that happens on one day: "today's editions", "today's meeting" (not "today's youth").
DAY_BOUND = frozenset(
    "edition editions paper papers newspaper issue quiz meeting meetings session sessions vote game games match "
    "hearing hearings announcement deadline trading close rally race election talks summit report ceremony "
    "speech event events schedule episode show broadcast program programme".split()
)


def _generic_today(ent: Span) -> bool:
    """``today's youth``, ``today's world``: the present in general, not the day of publication
    (``today's editions``, ``today's meeting`` are that day)."""
    doc = ent.doc
    if not (ent.text.lower() == "today" and ent.end < len(doc) and doc[ent.end].lower_ in ("'s", "’s")):
        return False
    noun = ent.root.head if ent.root.dep_ == "poss" else next((t for t in doc[ent.end + 1 : ent.end + 4] if t.pos_ == "NOUN"), None)
    return noun is None or noun.lower_ not in DAY_BOUND


_PARTS_OF_DAYS = {"mornings", "afternoons", "evenings", "nights", "nighttimes", "weekends"}


def _recurring(ent: Span) -> bool:
    """``Tuesday nights``, ``Monday and Tuesday nights``: a day of every week, not one date."""
    doc = ent.doc
    if not any(t.lower_ in WEEKDAYS for t in ent):
        return False
    for token in doc[ent.start : min(len(doc), ent.end + 4)]:
        if token.lower_ in _PARTS_OF_DAYS:
            return True
        if not (token.i < ent.end or token.lower_ in ("and", "or", ",") or token.lower_ in WEEKDAYS):
            return False
    return False


# Adverbs that make what a verb says a habit: "Apple usually waits until September", "the fair is normally held in May".
# ("always" and "regularly" say how often within a time as often: "training regularly by March".)
HABITUAL = frozenset("usually typically normally traditionally generally customarily".split())
_HABITUAL_ADJECTIVES = frozenset("usual customary traditional typical normal".split())


def _habitual(ent: Span) -> bool:
    """``usually waits until September``, ``its usual March launches``: a month or weekday of every
    year or week, not one date (a written year still dates it: "its usual May 2012 meeting")."""
    if YEAR.search(ent.text) or not (MONTHS.search(ent.text) or any(t.lower_ in WEEKDAYS for t in ent)):
        return False
    if ent.start > 0 and ent.doc[ent.start - 1].lower_ in _HABITUAL_ADJECTIVES:  # "its usual March launches"
        return True
    verb, head = _governing_verb(ent), ent.root.head
    said_of = head.i == verb.i or (head.dep_ == "prep" and head.head.i == verb.i)  # "waits until September"
    return said_of and any(c.dep_ == "advmod" and c.lower_ in HABITUAL for c in verb.children)


def _generic_tomorrow(ent: Span) -> bool:
    """``the people of tomorrow``, ``tomorrow's leaders``: the future in general, not the day after publication."""
    doc = ent.doc
    if ent.text.lower() != "tomorrow":
        return False
    if ent.start > 1 and doc[ent.start - 1].lower_ == "of" and doc[ent.start - 2].pos_ in ("NOUN", "PROPN"):
        return True
    return ent.end < len(doc) and doc[ent.end].lower_ in ("'s", "’s") and not any(
        t.lower_ in DAY_BOUND for t in doc[ent.end + 1 : ent.end + 4]
    )


# "the annual March for Life", "the March on Washington", "USA Today", "NBC News Today": names, not dates.
_NAME_FOLLOWERS = {"for", "of", "on"}


def _quoted_title(ent: Span) -> bool:
    """``ABC News' "This Week,"``: capitalised words right inside quotation marks are a title."""
    words = ent.text.split()
    if len(words) < 2 or not all(w[:1].isupper() for w in words):
        return False
    text = text_of(ent.doc)
    return text[ent.start_char - 1 : ent.start_char] in ('"', "“") and text[ent.end_char : ent.end_char + 2].lstrip(",.")[:1] in ('"', "”")


def _in_a_name(ent: Span) -> bool:
    """A month or ``Today`` that is a word of a capitalised name rather than a date expression."""
    doc = ent.doc
    if len(ent) != 1 or not ent.text[:1].isupper():
        return False
    word = ent.text.lower()
    if word == "today":
        before = doc[ent.start - 1] if ent.start > 0 else None
        # "USA Today", "Russia Today" (not "Today" opening a sentence)
        return before is not None and not before.is_sent_start and before.pos_ == "PROPN" and before.text[:1].isupper()
    return word in MONTH_OF and 0 < ent.start and ent.end + 1 < len(doc) and _month_names_something(ent)


def _month_names_something(ent: Span) -> bool:
    """A name takes an article or an adjective ("the annual March for Life"); "in March for Ukraine" is a date."""
    doc = ent.doc
    prior, following, named = doc[ent.start - 1], doc[ent.end], doc[ent.end + 1]
    return prior.pos_ in ("DET", "ADJ") and following.lower_ in _NAME_FOLLOWERS and named.text[:1].isupper() and named.is_alpha


# What comes before "of the year" when it is a part of the year ("the end of the year"); anything
# else makes an award or a title ("player of the year", "Album of the Year").
_PARTS_OF_YEARS = frozenset(
    "end start beginning middle rest remainder half quarter part parts bulk course turn time times day days "
    "week weeks month months period periods season close balance first second third last most each one some "
    "all much any height peak dawn eve".split()
)

_RANKS = frozenset({"first", "last", "only", "favourite", "favorite"})


def _award(ent: Span) -> bool:
    """``Coach of the Year``, ``the NFL's coach of the year``: the title of an award, one thing or
    person, not a date. ``The biggest deal of the year``, ``the best-selling single of the year`` and
    ``one of the films of the year`` rank things within this year: that is the year."""
    doc = ent.doc
    if not (ent.text.lower() in ("the year", "year") and ent.start > 1 and doc[ent.start - 1].lower_ == "of"):
        return False
    noun = doc[ent.start - 2]
    ranked = any(t.tag_ in ("JJS", "RBS") or t.lower_ in _RANKS for t in doc[noun.left_edge.i : noun.i])
    return noun.tag_ in ("NN", "NNP") and noun.lower_ not in _PARTS_OF_YEARS and not ranked


# Things named for a day rather than times: "Christmas trees", "a Christmas single", "Easter eggs".
_THINGS_OF_DAYS = frozenset(
    "tree trees card cards present presents gift gifts single singles album albums song songs carol carols hit hits "
    "track tracks number special specials hamper hampers decoration decorations light lights pudding puddings jumper "
    "jumpers cracker crackers stocking stockings ornament ornaments film films movie movies episode episodes advert "
    "adverts ad ads greeting greetings sequel sequels egg eggs bunny pumpkin pumpkins costume costumes tune tunes "
    "video videos story stories theme music menu spirit cheer".split()
)


def _thing_of_a_day(ent: Span) -> bool:
    """``Christmas trees from Oregon``, ``the Christmas number one``, ``Easter eggs``: a named day
    that names a thing, not a time."""
    doc = ent.doc
    return (ent.end < len(doc) and is_named_day(ent.text) and doc[ent.end].lower_ in _THINGS_OF_DAYS
            and doc[ent.end].pos_ in ("NOUN", "PROPN"))


# "the Sept. 11 attacks", "Sept. 11 hijackers", "the 11 September attacks": the attacks of 2001, whatever the year of publication
# (not "the Sept. 11 memorial ceremony", held each year).
_SEPTEMBER_11 = re.compile(r"^(?:the\s+)?(?:Sept(?:ember|\.)?\s+11(?:th)?|11(?:th)?\s+Sept(?:ember|\.)?)$", re.I)
_OF_THE_ATTACKS = frozenset(
    "attack attacks terrorist terror hijacker hijackers hijacking hijackings commission conspiracy plot plotters "
    "mastermind victims families era".split()
)


def _september_11(ent: Span) -> Resolved | None:
    doc = ent.doc
    if _SEPTEMBER_11.match(ent.text) and ent.end < len(doc) and doc[ent.end].lower_ in _OF_THE_ATTACKS:
        return Resolved(date(2001, 9, 11), "day", "explicit")
    return None


def _named_event(ent: Span) -> bool:
    """``Thanksgiving Day``, ``Boxing Day`` tagged as an event (or a place): a named day all the same."""
    return ent.label_ in ("EVENT", "FAC", "ORG", "PRODUCT", "LAW") and is_named_day(ent.text)


def _with_counting_word(ent: Span) -> Span:
    """``year`` → ``this year``, ``July`` → ``each July``: the model sometimes leaves out the word
    that counts from publication or makes the expression a repeated one."""
    doc = ent.doc
    if ent.start == 0:
        return ent
    before = doc[ent.start - 1].lower_
    if (before in _WORDS_BEFORE and ent.text[:1].islower()) or before in ("each", "every"):
        return doc[ent.start - 1 : ent.end]
    return ent


def _expressions(ent: Span, published: date | None, context_year: int | None) -> list[tuple[int, int, str, Resolved | None]]:
    """``(start, end, text, value)`` of the date expressions one DATE entity holds (offsets into the
    body); a time of day that names its day (``3 p.m. Tuesday``) is one expression, dated by the day."""
    tense = tense_of(ent)
    if ent.label_ == "TIME":  # "3 p.m. Tuesday": dated by the day it names
        return [(ent.start_char, ent.end_char, ent.text, resolve(_DAY_OF_A_TIME.search(ent.text).group(), published, tense, context_year))]
    generic = _generic_today(ent) or _generic_tomorrow(ent) or _recurring(ent) or _habitual(ent)
    return _pieces_of(ent, published, context_year, tense, generic)


def _pieces_of(ent: Span, published: date | None, context_year: int | None, tense: int,
               generic: bool) -> list[tuple[int, int, str, Resolved | None]]:
    """The expressions of one DATE entity (:func:`pieces`), each with its value (none when ``generic``)."""
    ended = _PERIOD_ENDED.search(ent.text)
    to = _PERIOD_TO.search(ent.text)
    end_at = ended.start() if ended else to.start("to") if to else -1
    found = []
    for start, end in pieces(ent.text):
        text = ent.text[start:end]
        if is_date_expression(text):
            # "the year ended March 31": a period named by its end; only the end is a date
            period = end <= end_at and bool(_PERIOD_WORD.search(text)) and not any(c.isdigit() for c in text)
            resolved = None if generic or period else resolve(text, published, tense, context_year)
            found.append((ent.start_char + start, ent.start_char + end, text, resolved))
    return found


# "that year", "later that year", "the following year": the year the story last wrote, or one next to it.
_THAT_YEAR = re.compile(
    r"^(?:(?:later|earlier)\s+)?(?:in\s+)?(?P<which>that|the same|the following|the next|the previous|the prior)\s+year(?:'s)?$",
    re.I,
)


def _that_year(text: str, last_year: int | None) -> Resolved | None:
    """``that year`` → the year the article last wrote out (``in June 1998 … later that year``: 1998);
    ``the following year`` the one after it, ``the previous year`` the one before. (``A year
    earlier`` in a results story counts from the period reported, not from the year last written.)"""
    match = _THAT_YEAR.match(text.strip())
    if match is None or last_year is None:
        return None
    which = match.group("which").lower()
    shift = 1 if which in ("the following", "the next") else -1 if which in ("the previous", "the prior") else 0
    return _period(last_year + shift, None, None, "context year")


def _date_entities(doc: Doc) -> list[Span]:
    """The document's date entities, with pieces the model cut apart joined again: a weekday and
    the calendar date right after it (``Friday Oct. 13``: one date, the thirteenth, not the Friday
    of publication week), a weekday and the week after it (``Monday next week``), a day and the
    year after its comma (``this Dec. 31, 2016``: the last day of 2016, not of the year of
    publication), a month and the year after "in" or "of" (``that January day in 2011``), and the
    day before a month the model left out (``the night of 6 August``: the sixth, not all August), and
    "the day before" or "the day after" a day (``the day before last Tuesday's hearing``)."""
    found: list[Span] = []
    for ent in entities_of(doc):
        ent = _with_day_before(_with_day_next_to(ent))
        if found and ent.start < found[-1].end:  # "The day" the model tagged apart from "last Tuesday's"
            found.pop()
        previous = found[-1] if found else None
        if (previous is not None and previous.label_ == "DATE" and ent.label_ == "DATE"
                and (_joined_by_comma(previous, ent) or _month_in_year(previous, ent))):
            found[-1] = Span(doc, previous.start, ent.end, label="DATE")
        else:
            found.append(ent)
    return found


def _with_day_before(ent: Span) -> Span:
    """``6 August`` of a month-only DATE whose day the model left out, or the entity unchanged."""
    if ent.label_ != "DATE" or ent.start == 0 or len(ent) != 1 or not MONTHS.fullmatch(ent.text):
        return ent
    day = ent.doc[ent.start - 1]
    if day.text.isdecimal() and 1 <= int(day.text) <= 31 and day.ent_type_ in ("", "CARDINAL") and day.whitespace_:
        return Span(ent.doc, day.i, ent.end, label="DATE")
    return ent


def _with_day_next_to(ent: Span) -> Span:
    """``the day before last Tuesday's``: a day's DATE with "the day before" or "the day after" the
    model left out (or tagged apart as ``The day``), or the entity unchanged."""
    if ent.label_ != "DATE" or ent.start < 3 or not _DAY_NEXT_TO.fullmatch(ent.doc[ent.start - 3 : ent.start].text + " "):
        return ent
    return Span(ent.doc, ent.start - 3, ent.end, label="DATE")


def _joined_by_comma(previous: Span, ent: Span) -> bool:
    """Pieces with nothing or a comma between them: ``Friday`` ``Oct. 13``, ``Dec. 31`` ``2016``, ``Monday`` ``next week``."""
    return (all(t.text == "," for t in previous.doc[previous.end : ent.start])
            and (_weekday_then_day(previous, ent) or _day_then_year(previous, ent) or _weekday_then_week(previous, ent)))


def _month_in_year(previous: Span, ent: Span) -> bool:
    """``that January day`` + ``in`` + ``2011``: a month the phrase itself gives a year (the model may
    take the ``in`` into the month's span: ``January day in`` + ``2011``)."""
    between = previous.doc[previous.end : ent.start] if previous.end < ent.start else previous[-1:]
    return (len(between) == 1 and between[0].lower_ in ("in", "of") and _bare_year(ent)
            and stated_year(previous.text) is None and any(t.lower_ in MONTH_OF for t in previous))


def _weekday_then_day(previous: Span, ent: Span) -> bool:
    return previous.text.lower() in WEEKDAYS and bool(MONTH_DAY.match(ent.text) or DAY_MONTH.match(ent.text))


def _weekday_then_week(previous: Span, ent: Span) -> bool:
    """``Monday`` + ``next week``: the Monday of next week."""
    return previous.text.lower() in WEEKDAYS and previous.end == ent.start and ent.text.lower() in ("last week", "next week", "this week")


def _day_then_year(previous: Span, ent: Span) -> bool:
    return (previous.end < ent.start and bool(MONTH_DAY.search(previous.text) or DAY_MONTH.search(previous.text))
            and stated_year(previous.text) is None and _bare_year(ent))


def _bare_year(ent: Span) -> bool:
    """A date entity that is a year and nothing else (``2011``)."""
    return re.fullmatch(r"[12]\d{3}", ent.text) is not None


def timeline_rows(doc: Doc, article_id: str, sentences: list[dict], published_at: datetime | None) -> list[dict]:
    """Rows of ``timeline``: one per date expression, with its sentence and how its date was fixed."""
    starts = sentence_starts(sentences)
    published = published_at.date() if published_at else None
    fallback_year = None if published else article_year(doc, published_at)
    in_sentence = context_years(doc)
    rows = []
    last_year = None  # the year of the last date the article wrote out
    for ent in _date_entities(doc):
        if not _dates_something(ent):
            continue
        context = in_sentence.get(ent.start_char, fallback_year)
        sentence_idx = sentence_index(starts, ent.start_char)
        attacks = _september_11(ent)
        for start, end, text, resolved in _expressions(_with_counting_word(ent), published, context):
            resolved = attacks or resolved or _that_year(text, last_year)
            if resolved is not None and resolved.resolved_from == "explicit":
                last_year = resolved.date.year
            rows.append(_row(article_id, sentence_idx, start, end, text, resolved, sentences))
    return rows


def _dates_something(ent: Span) -> bool:
    """Whether an entity is a date expression of the timeline: a DATE (or a named day the model tags
    an event), not a word of a name (``the March for Life``, ABC's ``"This Week"``), an award (``player
    of the year``), a thing named for a day (``Christmas trees``), a time of day (``1900 GMT``) or a
    car's model year (``a 1987 Chevrolet``)."""
    if ent.label_ == "TIME":
        return _DAY_OF_A_TIME.search(ent.text) is not None and not _time_names_something(ent)
    if ent.label_ != "DATE" and not _named_event(ent):
        return False
    return not (_in_a_name(ent) or _quoted_title(ent) or _award(ent) or _thing_of_a_day(ent) or _clock_time(ent)
                or _model_year(ent) or _model_number(ent))


# "4C" of "Long March 4C": a number with letters after it that make no ordinal is a model's code, not a day
_MODEL_CODE = re.compile(r"^\d+(?!st$|nd$|rd$|th$)[a-z]+$", re.I)
# Capitalised words that may stand before a month in a headline or after a full stop ("Early March", "Since May 4").
_BEFORE_A_DATE = frozenset(
    "early mid late last next this coming past since by in on at until till through from before after each every "
    "around about".split()
) | frozenset(WEEKDAYS)


_PARTS_OF_A_DAY = frozenset({"morning", "afternoon", "evening", "night"}) | _PARTS_OF_DAYS


def _time_names_something(ent: Span) -> bool:
    """A time of day that is no one day: a show's name (ITV's ``This Morning``, ``Saturday Night
    Takeaway``), a kind of thing (``a Saturday-night stay``), what repeats (``Friday nights``)."""
    doc = ent.doc
    if any(t.lower_ in _PARTS_OF_A_DAY and t.text[:1].isupper() and not t.is_sent_start for t in ent):
        return True
    before = doc[ent.start - 1].lower_ if ent.start > 0 else ""
    return before in ("a", "every", "each") or _recurring(ent)


def _model_number(ent: Span) -> bool:
    """``a Long March 5 rocket``, ``the Long March 4C``: a month and a number or code after a
    capitalised word that belongs to no other name are the name of a model, not a date (``on Friday
    March 9``, ``Paris March 9`` and ``Early March 9`` in a headline stay dates)."""
    if len(ent) != 2 or ent[0].lower_ not in MONTH_OF or not ent[0].text[:1].isupper():
        return False
    if _MODEL_CODE.match(ent[1].text):
        return True
    if not ent[1].like_num or ent.start == 0:
        return False
    prior = ent.doc[ent.start - 1]
    return (not prior.is_sent_start and prior.text[:1].isupper() and prior.pos_ in ("ADJ", "PROPN")
            and not prior.ent_type_ and prior.lower_ not in _BEFORE_A_DATE)


# Makes of cars, whose model year a year before them is ("a 1987 Chevrolet Cavalier", "his 2008 Tesla Roadster").
_VEHICLE_MAKES = frozenset(
    "Acura Alfa Aston Audi Bentley BMW Buick Cadillac Chevrolet Chevy Chrysler Citroen Dodge Ferrari Fiat Ford GMC "
    "Honda Hummer Hyundai Infiniti Jaguar Jeep Kia Lamborghini Lexus Maserati Mazda Mercedes Mercedes-Benz "
    "Mitsubishi Nissan Oldsmobile Opel Peugeot Plymouth Pontiac Porsche Renault Rolls-Royce Saab "
    "Skoda Subaru Suzuki Tesla Toyota Vauxhall Volkswagen VW Volvo Harley-Davidson Kawasaki Yamaha Ducati".split()
)
_VEHICLES = frozenset("car cars truck pickup van sedan suv coupe convertible motorcycle minivan hatchback wagon jeep".split())


def _model_year(ent: Span) -> bool:
    """``a 1987 Chevrolet Cavalier``, ``the 2008 Tesla Roadster``: the year a car was made as, before
    its make; what the sentence says happened to the car has no date there."""
    doc = ent.doc
    if len(ent) != 1 or not re.fullmatch(r"(?:19|20)\d\d", ent.text) or ent.end >= len(doc):
        return False
    after_preposition = ent.start > 0 and doc[ent.start - 1].pos_ in ("ADP", "SCONJ")  # "In 2008 Tesla began ..."
    if doc[ent.end].text not in _VEHICLE_MAKES or after_preposition or ent.end + 1 >= len(doc):
        return False
    # then a model's name or a vehicle: not "the 1976 Ford administration" or "the 2010 Toyota recall"
    model = doc[ent.end + 1]
    return (model.text[:1].isupper() and model.is_alpha) or model.lower_ in _VEHICLES



# Words after a time on the 24-hour clock: a time zone, "local time", "hours" ("at 1900 GMT", "1630 hrs").
_CLOCK_FOLLOWERS = frozenset(
    "gmt bst utc est edt cst cdt mst mdt pst pdt et pt ct cet cest eet eest msk ist jst kst hkt sgt "
    "aest aedt hrs hours h".split()  # not "west" ("In 2010 West Ham won")
)
_CLOCK = re.compile(r"(?:[01]\d|2[0-3])[0-5]\d")


def _clock_time(ent: Span) -> bool:
    """``due at 1900 GMT``, ``1630 local time``, ``at 0800 hrs``: four digits that are a time of day on
    the 24-hour clock, not the year 1900 or 1630."""
    doc = ent.doc
    first = ent[0]
    if not _CLOCK.fullmatch(first.text) or first.i + 1 >= len(doc):
        return False
    after = doc[first.i + 1 : first.i + 3].text.lower()  # "1900 local elections" is a year
    return doc[first.i + 1].lower_ in _CLOCK_FOLLOWERS or after == "local time"


def _row(article_id: str, sentence_idx: int, start: int, end: int, text: str, resolved: Resolved | None,
         sentences: list[dict]) -> dict:
    """One ``timeline`` row: the expression, its value (or NULLs) and its sentence's text."""
    return {
        "article_id": article_id,
        "sentence_idx": sentence_idx,
        "start_char": start,
        "end_char": end,
        "date_text": text,
        "date": resolved.date if resolved else None,
        "precision": resolved.precision if resolved else None,
        "resolved_from": resolved.resolved_from if resolved else None,
        "text": sentences[sentence_idx]["text"] if sentences else "",
    }
