"""Timeline: every sentence with a date, the date resolved to ISO with its precision.

Dates are parsed with ``dateutil``. A date without a year takes the article's year: the year the
article itself writes in full (``October 1, 2024``, ``August 2024``), else the year of its
``published_at``. Relative expressions (``on Tuesday``, ``yesterday``) resolve only against a
known publication date; ``third day``, ``this week`` and the like keep their text with a NULL
date. Nothing is guessed.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, datetime, timedelta

from dateutil.parser import ParserError, parse
from spacy.tokens import Doc

from pipeline.config import MAX_YEAR, MIN_YEAR
from pipeline.nlp.doc import entities_of, sentence_index, sentence_starts

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = re.compile(
    r"\b(jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|sep(t(ember)?)?|oct(ober)?|nov(ember)?|dec(ember)?)\b",
    re.I,
)
YEAR = re.compile(r"\b(19[89]\d|20\d\d|2100)\b")
_LEAD = re.compile(r"^(on|in|by|since|from|until|till|as of|the|of|start of|beginning of|end of)\s+", re.I)


def _explicit(text: str, year: int | None) -> tuple[date, str] | None:
    """Parse a calendar expression; returns the date and its precision (day, month, year)."""
    cleaned = text.strip().rstrip(".,")
    while True:
        stripped = _LEAD.sub("", cleaned)
        if stripped == cleaned:
            break
        cleaned = stripped
    has_month = MONTHS.search(cleaned) is not None
    has_year = YEAR.search(cleaned) is not None
    if not has_month and not has_year:
        return None
    if not has_year and year is None:
        return None
    base_year = year or 2000
    try:
        a = parse(cleaned, default=datetime(base_year, 1, 1), fuzzy=True)
        b = parse(cleaned, default=datetime(base_year, 12, 28), fuzzy=True)
    except (ParserError, ValueError, OverflowError):
        return None
    if not MIN_YEAR <= a.year <= MAX_YEAR:
        return None
    if a.day == b.day and a.month == b.month:
        return a.date(), "day"
    if a.month == b.month:
        return a.date().replace(day=1), "month"
    return a.date().replace(month=1, day=1), "year"


def _relative(text: str, published: date | None) -> tuple[date, str] | None:
    if published is None:
        return None
    words = text.lower().split()
    if "yesterday" in words:
        return published - timedelta(days=1), "day"
    if "today" in words:
        return published, "day"
    for index, name in enumerate(WEEKDAYS):
        if name in words and len(words) <= 3 and not MONTHS.search(text):
            back = (published.weekday() - index) % 7  # the latest such weekday on or before publication
            return published - timedelta(days=back), "day"
    return None


def article_year(doc: Doc, published_at: datetime | None) -> int | None:
    """The year an article is about: the one its full dates (with a month) name most often, else
    its publication year. A year alone ("in 2023") names a past event, not the article's year."""
    years = Counter(
        int(m.group(0))
        for ent in entities_of(doc)
        if ent.label_ == "DATE" and MONTHS.search(ent.text)
        for m in YEAR.finditer(ent.text)
    )
    if years:
        return years.most_common(1)[0][0]
    return published_at.year if published_at else None


def timeline_rows(doc: Doc, article_id: str, sentences: list[dict], published_at: datetime | None) -> list[dict]:
    """Rows of ``timeline``: one per date expression, with its sentence."""
    starts = sentence_starts(sentences)
    year = article_year(doc, published_at)
    published = published_at.date() if published_at else None
    rows = []
    for ent in entities_of(doc):
        if ent.label_ != "DATE":
            continue
        resolved = _explicit(ent.text, year) or _relative(ent.text, published)
        sentence_idx = sentence_index(starts, ent.start_char)
        rows.append(
            {
                "article_id": article_id,
                "sentence_idx": sentence_idx,
                "start_char": ent.start_char,
                "end_char": ent.end_char,
                "date_text": ent.text,
                "date": resolved[0] if resolved else None,
                "precision": resolved[1] if resolved else None,
                "text": sentences[sentence_idx]["text"] if sentences else "",
            }
        )
    return rows
