"""Numeric claims: a number with what it counts or measures, its range and its hedge.

From the dependency parse: a number (digits or words, ``1.3 thousand``, ``60,000-70,000``) and
the noun it modifies give value, upper value and unit; the words before it give the qualifier
(``about``, ``up to``, ``over``). Lengths and areas are converted with ``pint`` (``six miles`` →
9.66 km), currencies take ISO codes (``rubles`` → RUB, ``$`` → USD), and counted things keep
their noun (``1,000 Ukrainian troops`` → unit ``count``, counted ``troops``). Numbers inside
dates, times and ordinals are not claims; a bare number that modifies no noun (``in 2023``) has
no unit and is left out.
"""

from __future__ import annotations

import re
from functools import lru_cache

from spacy.tokens import Doc, Token

from pipeline.nlp.doc import sentence_index, sentence_starts, text_of

CURRENCIES = {
    "$": "USD", "dollar": "USD", "dollars": "USD", "usd": "USD", "€": "EUR", "euro": "EUR", "euros": "EUR",
    "£": "GBP", "pound": "GBP", "pounds": "GBP", "ruble": "RUB", "rubles": "RUB", "rouble": "RUB", "roubles": "RUB",
    "hryvnia": "UAH", "hryvnias": "UAH", "hryvnas": "UAH", "yuan": "CNY",
}
CURRENCY_SIGNS = frozenset({"$", "€", "£"})
DURATIONS = {"hour": "hour", "hours": "hour", "minute": "minute", "minutes": "minute", "day": "day", "days": "day", "week": "week", "weeks": "week", "month": "month", "months": "month", "year": "year", "years": "year"}
PERCENT_WORDS = frozenset({"%", "percent"})
LENGTH_WORDS = {
    "kilometre": "km", "kilometres": "km", "kilometer": "km", "kilometers": "km", "km": "km", "mile": "mile", "miles": "mile",
    "metre": "m", "metres": "m", "meter": "m", "meters": "m", "foot": "ft", "feet": "ft", "ft": "ft",
}
# (written unit, square?) -> (pint source unit, pint target unit, stored unit)
CONVERSIONS = {
    ("km", False): ("km", "km", "km"), ("km", True): ("km**2", "km**2", "km2"),
    ("mile", False): ("mile", "km", "km"), ("mile", True): ("mile**2", "km**2", "km2"),
    ("m", False): ("m", "m", "m"), ("m", True): ("m**2", "m**2", "m2"),
    ("ft", False): ("ft", "m", "m"), ("ft", True): ("ft**2", "m**2", "m2"),
}
# Every unit a claim can be stored with (the claims suite allows these).
UNITS = frozenset({*CURRENCIES.values(), *DURATIONS.values(), *(label for _, _, label in CONVERSIONS.values()), "percent", "count"})
MULTIPLIERS = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000, "trillion": 1_000_000_000_000, "bn": 1_000_000_000, "m": 1_000_000, "k": 1_000}
SKIP_ENTS = frozenset({"DATE", "TIME", "ORDINAL"})


@lru_cache(maxsize=1)
def _units():
    import pint

    return pint.UnitRegistry()


def parse_number(text: str) -> float | None:
    """``1,000`` → 1000; ``1.3`` → 1.3; ``six`` → 6; words that are not numbers → None."""
    cleaned = text.replace(",", "").replace("\u202f", "").strip()
    try:
        return float(cleaned)
    except ValueError:
        pass
    if cleaned.lower() in MULTIPLIERS:
        return None
    from text_to_num import text2num

    try:
        return float(text2num(cleaned.lower(), "en"))
    except ValueError:
        return None


def _number_tokens(head: Token) -> list[Token]:
    """The tokens forming one written number: ``1.3 thousand``, ``60,000-70,000``, ``$120``."""
    chain = [head]
    for child in head.children:
        if child.dep_ in {"compound", "quantmod", "nummod"} and (child.like_num or child.lower_ in MULTIPLIERS):
            chain.append(child)
    return sorted(chain, key=lambda t: t.i)


def _value(tokens: list[Token]) -> tuple[float | None, float | None]:
    values: list[float] = []
    for token in tokens:
        if token.lower_ in MULTIPLIERS and values:
            values[-1] *= MULTIPLIERS[token.lower_]
            continue
        if "-" in token.text and token.text.count("-") == 1 and all(part[:1].isdigit() for part in token.text.split("-")):
            low, high = (parse_number(p) for p in token.text.split("-"))
            values.extend(v for v in (low, high) if v is not None)
            continue
        number = parse_number(token.text)
        if number is not None:
            values.append(number)
    if not values:
        return None, None
    if len(values) == 2 and values[1] > values[0]:
        return values[0], values[1]  # a range: 60,000-70,000
    return values[-1], None  # "2 1/2", "1 in 3" and the like: no range is claimed


_QUALIFIER = re.compile(
    r"(?:^|\W)(more than|less than|fewer than|at least|at most|up to|as many as|nearly|almost|about|around|"
    r"approximately|roughly|over|under|some|only|just|exactly)\s*$",
    re.I,
)


def _qualifier(doc: Doc, start: int) -> tuple[str | None, int]:
    """The hedge written right before a number, and where it starts."""
    window_start = max(0, doc[start].idx - 25)
    match = _QUALIFIER.search(text_of(doc)[window_start : doc[start].idx])
    if match is None:
        return None, doc[start].idx
    return match.group(1).lower(), window_start + match.start(1)


def number_heads(doc: Doc) -> list[Token]:
    """The tokens a written number is read from: numbers outside dates, times and ordinals, and not
    part of a larger number (``1.3 thousand`` is read from ``thousand``'s head, once)."""
    heads = []
    for token in doc:
        if not token.like_num or token.ent_type_ in SKIP_ENTS:
            continue
        if token.head.like_num and token.head is not token and token.dep_ in {"compound", "quantmod", "nummod"}:
            continue
        heads.append(token)
    return heads


def claim_of(token: Token) -> dict | None:
    """One claim read from a number token: value, range, unit, counted noun, qualifier and span.

    Example: ``up to 1,000 Ukrainian troops`` → value 1000, unit ``count``, counted ``troops``,
    qualifier ``up to``; ``about 260 square kilometres`` → 260 ``km2``; ``six miles`` → 9.656 ``km``.
    """
    doc = token.doc
    tokens = _number_tokens(token)
    value, high = _value(tokens)
    if value is None or (len(tokens) == 1 and token.lower_ == "one"):
        return None  # "the one Ukraine carried out": a pronoun, not a figure
    unit, counted, measured = unit_of(token, tokens)
    if unit is None:
        return None
    if measured:
        value, high, unit = _convert(value, high, measured)
    first = min(t.i for t in tokens)
    last = max([*(t.i for t in tokens), *([token.head.i] if unit != "count" or counted else [])])
    if first > 0 and doc[first - 1].text in CURRENCY_SIGNS:
        first -= 1  # "$120": the currency sign belongs to the claim
    qualifier, start = _qualifier(doc, first)
    end_token = doc[last]
    return {"start_char": start, "end_char": end_token.idx + len(end_token.text), "value": value, "value_high": high,
            "unit": unit, "counted": counted, "qualifier": qualifier}


def extract_claims(doc: Doc) -> list[dict]:
    """Numeric claims of a parsed body, in order (see :func:`claim_of`)."""
    claims = []
    used: set[int] = set()
    for token in number_heads(doc):
        if token.i in used:
            continue
        used.update(t.i for t in _number_tokens(token))
        claim = claim_of(token)
        if claim is not None:
            claims.append(claim)
    return claims


def claim_rows(doc: Doc, article_id: str, sentences: list[dict]) -> list[dict]:
    """Rows of ``claims``: numeric claims with the sentence they are made in."""
    starts = sentence_starts(sentences)
    text = text_of(doc)
    return [
        {"article_id": article_id, "sentence_idx": sentence_index(starts, c["start_char"]),
         "text": text[c["start_char"] : c["end_char"]], **c}
        for c in extract_claims(doc)
    ]


def unit_of(number: Token, tokens: list[Token]) -> tuple[str | None, str | None, str | None]:
    """(unit, counted noun, measured unit before conversion) of a number, or ``(None, None, None)``.

    A currency written before the number (``$120``, ``dollar 5``) wins; a number with no noun is a
    percentage when ``%``/``percent``/``per`` follows; otherwise the noun the number modifies
    decides (:func:`unit_of_noun`).
    """
    doc = number.doc
    first = min(t.i for t in tokens)
    if first > 0 and doc[first - 1].text in CURRENCIES:
        return CURRENCIES[doc[first - 1].text], None, None
    if number.dep_ in {"nummod", "quantmod"} and number.head is not number:
        return unit_of_noun(number.head)
    after = max(t.i for t in tokens) + 1
    if after < len(doc) and doc[after].lower_ in {"%", "percent", "per"}:
        return "percent", None, None
    return None, None, None


def unit_of_noun(noun: Token) -> tuple[str | None, str | None, str | None]:
    """The unit a modified noun gives: percent, a currency, a length or area, a duration, else a count of it.

    Example: ``92 settlements`` → (``count``, ``settlements``, None); ``10,000 rubles`` → (``RUB``,
    None, None); ``260 square kilometres`` → (``km2``, None, ``km2``).
    """
    word = noun.lower_
    if word in PERCENT_WORDS:
        return "percent", None, None
    if word in CURRENCIES:
        return CURRENCIES[word], None, None
    if word in LENGTH_WORDS:
        doc = noun.doc
        square = any(c.lower_ == "square" for c in noun.children) or doc[noun.i - 1].lower_ == "square"
        return CONVERSIONS[(LENGTH_WORDS[word], square)][2], None, f"{LENGTH_WORDS[word]}{'2' if square else ''}"
    if word in DURATIONS:
        return DURATIONS[word], None, None
    if noun.pos_ in {"NOUN", "PROPN"} and noun.ent_type_ not in SKIP_ENTS:
        return "count", word, None
    return None, None, None


def _convert(value: float, high: float | None, measured: str) -> tuple[float, float | None, str]:
    """Convert a length or area to km, km², m or m² with pint."""
    source, target, label = CONVERSIONS[(measured.rstrip("2"), measured.endswith("2"))]
    factor = _units().Quantity(1, source).to(target).magnitude
    return round(value * factor, 3), (round(high * factor, 3) if high is not None else None), label
