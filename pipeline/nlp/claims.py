"""Numeric claims: every quantity a sentence states, with its unit, range, hedge and change.

The tokens are read left to right, the way rule-based quantity extractors (quantulum3, CQE) read
text: an optional currency before the number (``$``, ``HK$``, ``USD``), the number (digits, words,
``10 1/2``, glued forms ``200lbs``, ``$13.6M``, ``2pc``), a multiplier (``million``, ``bn``, ``M``),
and the unit after it from :mod:`pipeline.nlp.units` (percent incl. ``per cent``, currencies, lengths,
areas, masses, volumes, temperatures, speeds, data, durations, ages, index points). A number with
no unit counts the noun it modifies (``1,000 Ukrainian troops`` → ``count`` of ``troops``).
``X to Y`` and ``between X and Y`` are ranges whose multiplier and unit reach both ends; ``from X to
Y`` and ``by N`` after a verb of change are changes (``change`` from / to / by, ``direction`` up /
down). Physical units are converted with ``pint``.

Not claims: years and dates (``in 2023``, ``March 3``), times, ordinals, and numbers that are part
of a name (``S&P 500``, ``iPhone 11``, ``787 Dreamliner``, ``575 Wilbraham Road``, ``Euro 2020``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from pipeline.nlp.doc import sentence_index, sentence_starts, text_of
from pipeline.nlp.units import (
    CASE_SENSITIVE,
    CURRENCY_ADJECTIVES,
    CURRENCY_SIGNS,
    CURRENCY_WORDS,
    DOLLAR_BY_DOMAIN,
    DOLLAR_PREFIXES,
    DURATIONS,
    ISO_CODES,
    MEASURES,
    MULTIPLIERS,
    PER_HOUR,
    PERCENT_WORDS,
    SUBUNITS,
    UNITS,
    convert,
    unit_registry,
)

__all__ = ["UNITS", "claim_rows", "extract_claims", "parse_number", "unit_registry"]

_SIGNS = "|".join(re.escape(s) for s in sorted(CURRENCY_SIGNS, key=len, reverse=True) if not s[0].isalpha() or "$" in s)
GLUED = re.compile(rf"^(?P<pre>{_SIGNS}|[A-Za-z]{{3}})?(?P<num>\d+(?:,\d+)*(?:\.\d+)?)(?P<suf>[^\d\s.,]+)?\.?$")
_PREFIXED_DOLLAR = re.compile(r"^([A-Za-z]{1,3})\$$")
FRACTION = re.compile(r"^(\d+)/(\d+)$")
NAME_ENTS = frozenset({"ORG", "PRODUCT", "FAC", "LAW", "WORK_OF_ART", "EVENT", "GPE", "LOC", "PERSON"})
UP_VERBS = frozenset({"rise", "increase", "grow", "climb", "jump", "gain", "soar", "surge", "raise", "boost", "double",
                      "triple", "swell", "rebound", "expand", "add", "up", "hike", "lift", "widen", "accelerate"})
DOWN_VERBS = frozenset({"fall", "drop", "decline", "decrease", "slip", "plunge", "cut", "reduce", "shrink", "lose", "slump",
                        "tumble", "sink", "down", "slide", "ease", "dip", "shed", "lower", "halve", "narrow", "contract"})
# Words before "pounds" that make it a weight, not money.
WEIGHT_CUES = frozenset({"weigh", "weighs", "weighed", "weighing", "weight", "heavy", "heavier", "lbs", "lb", "kg", "kilograms",
                         "lost", "gained", "pounder", "fish", "meat", "beef", "flour", "sugar", "baby", "bag", "bags"})
MONEY_CUES = frozenset({"cost", "costs", "paid", "pay", "pays", "price", "prices", "priced", "worth", "spend", "spent", "fund",
                        "budget", "salary", "fine", "fined", "sterling", "£", "bank", "revenue", "profit", "sold", "bought",
                        "tax", "deal", "fee", "fees", "bill", "raise", "raised", "invest", "investment", "earn", "earned"})
_QUALIFIER = re.compile(
    r"(?:^|\W)(more than|less than|fewer than|at least|at most|up to|as many as|as much as|nearly|almost|about|around|"
    r"approximately|roughly|over|under|some|only|just|exactly|an estimated|estimated|close to|upwards of)\s*$",
    re.I,
)


def parse_number(text: str) -> float | None:
    """``1,000`` → 1000; ``1.3`` → 1.3; ``six`` → 6; words that are not numbers → None."""
    cleaned = text.replace(",", "").replace("\u202f", "").strip()
    try:
        return float(cleaned)
    except ValueError:
        pass
    if cleaned.lower() in MULTIPLIERS or not cleaned.isascii():
        return None
    from text_to_num import text2num

    try:
        return float(text2num(cleaned.lower().replace("-", " "), "en"))
    except ValueError:
        return None


@dataclass
class Quantity:
    """One quantity being read: token span, value(s), unit and what it counts."""

    first: int
    last: int  # index of the last token (inclusive)
    value: float
    high: float | None = None
    currency: str | None = None
    scaled: bool = False
    unit: str | None = None
    pint_unit: str | None = None
    counted: str | None = None
    extra: dict = field(default_factory=dict)


def _number_at(doc: Doc, i: int) -> tuple[float, str | None, str | None] | None:
    """``(value, currency glued before, letters glued after)`` of token ``i``, or None."""
    token = doc[i]
    glued = GLUED.match(token.text)
    if glued:
        pre = glued.group("pre") or ""
        code = _currency_code(pre) if pre else None
        if pre and code is None:
            return None  # "abc123": a code or a name, not a figure
        return float(glued.group("num").replace(",", "")), code, glued.group("suf")
    fraction = FRACTION.match(token.text)
    if fraction and int(fraction.group(2)):
        return int(fraction.group(1)) / int(fraction.group(2)), None, None
    value = _word_number(doc, i)
    return (value, None, None) if value is not None else None


def _word_number(doc: Doc, i: int) -> float | None:
    """``six``, ``twenty-one``, ``forty - five`` (split by the tokenizer)."""
    token = doc[i]
    if not token.like_num or token.is_digit or not token.text[:1].isalpha() or token.lower_ in MULTIPLIERS:
        return None
    words = token.text
    if i + 2 < len(doc) and doc[i + 1].text == "-" and doc[i + 2].like_num and doc[i + 2].text.isalpha():
        words = f"{token.text} {doc[i + 2].text}"
    return parse_number(words)


def _currency_code(written: str) -> str | None:
    """``$`` → USD, ``HK$`` → HKD, ``usd`` → USD, ``nzd$`` → NZD, ``MUSD`` → USD (with a million)."""
    if written in CURRENCY_SIGNS:
        return CURRENCY_SIGNS[written]
    upper = written.upper()
    if upper in ISO_CODES:
        return "CNY" if upper == "RMB" else upper
    prefixed = _PREFIXED_DOLLAR.match(written)
    if prefixed:
        return DOLLAR_PREFIXES.get(prefixed.group(1).lower())
    return None


def _currency_before(doc: Doc, i: int) -> str | None:
    if i <= 0:
        return None
    text = doc[i - 1].text
    if text == "$" and i >= 2 and doc[i - 2].lower_ in DOLLAR_PREFIXES and doc[i - 2].lower_ != "a" and doc[i - 2].idx + len(doc[i - 2].text) + 1 >= doc[i - 1].idx:
        return DOLLAR_PREFIXES[doc[i - 2].lower_]  # "c $ 300 million"
    if text.lower() == "dollar":
        return "USD"
    return _currency_code(text)


def _phrase(doc: Doc, i: int, table: dict, size: int) -> str | None:
    """The longest written form in ``table`` starting at token ``i`` (up to ``size`` tokens)."""
    for n in range(size, 0, -1):
        if i + n > len(doc):
            continue
        words = [t.text for t in doc[i : i + n]]
        key = " ".join(words).lower()
        if key in table and (key not in CASE_SENSITIVE or _case_ok(words, table)):
            return key
    return None


def _case_ok(words: list[str], table: dict) -> bool:
    """"m", "g", "C" and the like count only glued or next to the number and as usually written."""
    word = words[0]
    return word in {"m", "g", "l", "t", "mi", "ha", "kb", "p"} or word in {"C", "F", "MB", "GB", "TB", "KB", "L", "B"}


def _multiplier(doc: Doc, quantity: Quantity, word: str | None, at: int | None) -> None:
    """Apply ``million``, ``bn``, a glued ``M``: "m" and "b" only with money or before a noun."""
    if word is None or word.lower() not in MULTIPLIERS:
        return
    lowered = word.lower()
    if lowered in ("m", "b") and not quantity.currency:
        nxt = doc[at + 1] if at is not None and at + 1 < len(doc) else None
        if nxt is None or nxt.pos_ not in ("NOUN", "PROPN"):
            return
    quantity.value *= MULTIPLIERS[lowered]
    if quantity.high is not None:
        quantity.high *= MULTIPLIERS[lowered]
    quantity.scaled = True
    if at is not None:
        quantity.last = at


def _unit_word(doc: Doc, quantity: Quantity, suffix: str | None) -> None:
    """Read the unit written after the number (or glued to it) into ``quantity``."""
    if suffix:
        if suffix.lower() in MULTIPLIERS and not quantity.scaled:
            _multiplier(doc, quantity, suffix, None)
        elif _currency_after(quantity, suffix) or _set_unit(quantity, suffix, glued=True):
            return
    i = quantity.last + 1
    while i < len(doc) and doc[i].text in ("-", "–"):
        i += 1
    if i < len(doc) and doc[i].lower_ in MULTIPLIERS and not quantity.scaled:
        _multiplier(doc, quantity, doc[i].text, i)
        i = quantity.last + 1 if quantity.scaled else i
    _unit_after(doc, quantity, i)


def _currency_after(quantity: Quantity, written: str) -> bool:
    """``10 $``, ``15 €``, ``115USD``, ``20 usd``, ``30 MUSD``: a currency written after the number."""
    code = _million_code(written)
    if code:
        quantity.value *= 1e6
        quantity.scaled = True
    code = code or (CURRENCY_SIGNS.get(written) if not written[:1].isalpha() or "$" in written else None)
    if code is None and written.upper() in ISO_CODES and (written.isupper() or written.lower() in ("usd", "rmb", "eur", "gbp")):
        code = "CNY" if written.upper() == "RMB" else written.upper()
    if code is None:
        return False
    quantity.currency = quantity.currency or code
    quantity.unit = quantity.currency
    return True


def _set_unit(quantity: Quantity, written: str, glued: bool = False) -> bool:
    key = written.lower()
    if key in PERCENT_WORDS:
        quantity.unit = "percent"
    elif key in SUBUNITS and (glued or key != "p"):
        quantity.currency, factor = SUBUNITS[key]
        quantity.value, quantity.high = quantity.value * factor, quantity.high * factor if quantity.high is not None else None
        quantity.unit = quantity.currency
    elif key in MEASURES and (key not in CASE_SENSITIVE or glued or written in ("C", "F")):
        quantity.unit, quantity.pint_unit = MEASURES[key]
    elif key in DURATIONS:
        quantity.unit = DURATIONS[key]
    else:
        return False
    return True


def _unit_after(doc: Doc, quantity: Quantity, i: int) -> None:
    """Units written as words after the number, tried in order (see the ``_after_*`` rules)."""
    if i >= len(doc):
        return
    for rule in (_after_currency, _after_per_cent, _after_square, _after_degrees, _age_or_duration, _currency_word,
                 _after_measure, _after_word):
        if rule(doc, quantity, i):
            return


def _after_currency(doc: Doc, quantity: Quantity, i: int) -> bool:
    """``10 $``, ``75 USD million``."""
    if not _currency_after(quantity, doc[i].text):
        return False
    quantity.last = i
    if i + 1 < len(doc) and doc[i + 1].lower_ in MULTIPLIERS and not quantity.scaled:
        _multiplier(doc, quantity, doc[i + 1].text, i + 1)
    return True


def _after_per_cent(doc: Doc, quantity: Quantity, i: int) -> bool:
    """``19 per cent``."""
    if doc[i].lower_ == "per" and i + 1 < len(doc) and doc[i + 1].lower_ == "cent":
        quantity.unit, quantity.last = "percent", i + 1
        return True
    return False


def _after_square(doc: Doc, quantity: Quantity, i: int) -> bool:
    """``260 square kilometres``, ``500 sq ft``."""
    if doc[i].lower_ not in ("square", "sq", "sq.") or i + 1 >= len(doc):
        return False
    length = _phrase(doc, i + 1, MEASURES, 2)
    if not length or MEASURES[length][0] not in ("km", "m"):
        return False
    quantity.unit = "km2" if MEASURES[length][0] == "km" else "m2"
    quantity.pint_unit = f"{MEASURES[length][1]}**2"
    quantity.last = i + len(length.split())
    return True


_SCALES = {"celsius": "degC", "centigrade": "degC", "c": "degC", "fahrenheit": "degF", "f": "degF"}


def _after_degrees(doc: Doc, quantity: Quantity, i: int) -> bool:
    """``30 degrees Celsius``, ``86 ° F``; ``45 degrees`` alone is an angle or a temperature: ``degree``."""
    if doc[i].lower_ not in ("degree", "degrees", "°"):
        return False
    scale = _phrase(doc, i + 1, _SCALES, 1) if i + 1 < len(doc) else None
    if scale:
        quantity.unit, quantity.pint_unit, quantity.last = "degC", _SCALES[scale], i + 1
    else:
        quantity.unit, quantity.last = "degree", i
    return True


def _after_measure(doc: Doc, quantity: Quantity, i: int) -> bool:
    """Lengths, masses, volumes, speeds, data sizes (``30 yards``, ``10 tons``, ``188 miles an hour``)."""
    measure = _phrase(doc, i, MEASURES, 3)
    if not measure:
        return False
    quantity.unit, quantity.pint_unit = MEASURES[measure]
    quantity.last = i + len(measure.split()) - 1
    _per_hour(doc, quantity)
    return True


def _after_word(doc: Doc, quantity: Quantity, i: int) -> bool:
    """``5 percent``, ``190 points``, ``87 yo``, ``aged 87``."""
    word = doc[i].lower_
    if word in PERCENT_WORDS and word != "percentage":
        quantity.unit, quantity.last = "percent", i
    elif word in ("point", "points", "pts"):
        quantity.unit, quantity.last = "point", i
    elif word in ("yo", "y.o.", "y/o"):
        quantity.unit, quantity.last = "age", i
    elif quantity.first > 0 and doc[quantity.first - 1].lower_ in ("aged", "age"):
        quantity.unit = "age"
    else:
        return False
    return True


def _per_hour(doc: Doc, quantity: Quantity) -> None:
    """``188 miles an hour``: a length per hour is a speed."""
    j = quantity.last + 1
    following = " ".join(t.lower_ for t in doc[j : j + 2])
    if quantity.unit in ("km", "m") and any(following.startswith(p) for p in PER_HOUR):
        quantity.unit, quantity.pint_unit = "km/h", f"{quantity.pint_unit}/hour"
        quantity.last = j + (0 if following.startswith("/") else 1)


def _age_or_duration(doc: Doc, quantity: Quantity, i: int) -> bool:
    word = doc[i].lower_
    if word not in DURATIONS:
        return False
    rest = " ".join(t.lower_ for t in doc[i + 1 : i + 3])
    if rest.startswith(("- old", "old", "of age")):
        quantity.unit, quantity.last = "age", i + (1 if rest.startswith("old") else 2)
        if DURATIONS[word] != "year":
            quantity.value = quantity.value / {"month": 12, "week": 52.18, "day": 365.25}.get(DURATIONS[word], 1)
        return True
    quantity.unit, quantity.last = DURATIONS[word], i
    return True


def _currency_word(doc: Doc, quantity: Quantity, i: int) -> bool:
    """``dollars``, ``Canadian dollars``, ``yen``, ``cents``, ``pounds`` (money or weight by the sentence)."""
    word, adjective = doc[i].lower_, None
    if word not in CURRENCY_WORDS and word not in SUBUNITS and i + 1 < len(doc) and doc[i + 1].lower_ in CURRENCY_WORDS:
        adjective, i, word = word, i + 1, doc[i + 1].lower_
    if word in SUBUNITS and word != "p":
        quantity.last = i
        return _set_unit(quantity, word)
    if word not in CURRENCY_WORDS:
        return False
    quantity.last = i
    if word in ("pound", "pounds") and _is_weight(doc, i):
        quantity.unit, quantity.pint_unit = "kg", "lb"
        return True
    quantity.unit = quantity.currency = _currency_of_word(doc, i, word, adjective)
    return True


def _currency_of_word(doc: Doc, i: int, word: str, adjective: str | None) -> str:
    """``Canadian dollars`` → CAD, ``Hong Kong dollars`` → HKD, ``dollars`` → USD."""
    singular = word[:-1] if word.endswith("s") and word[:-1] in CURRENCY_WORDS else word
    if adjective:
        code = CURRENCY_ADJECTIVES.get((adjective, singular)) or (CURRENCY_ADJECTIVES.get((doc[i - 2].lower_, singular)) if i >= 2 else None)
        if code:
            return code
    return CURRENCY_WORDS[word]


def _is_weight(doc: Doc, i: int) -> bool:
    """"pounds" as a weight: weight words in its sentence and no money words, or no money at all."""
    sentence = doc[i].sent
    words = {t.lower_ for t in sentence} | {t.lemma_ for t in sentence}
    if words & MONEY_CUES or any(t.text in ("£", "$", "€") for t in sentence):
        return bool(words & {"weigh", "weighs", "weighed", "weight", "lbs"})
    if words & WEIGHT_CUES:
        return True
    return not any(doc[j].lower_ in MULTIPLIERS for j in range(max(0, i - 2), i))


def _counted(doc: Doc, quantity: Quantity) -> None:
    """A number with no unit counts the noun it modifies: ``1,000 Ukrainian troops`` → troops."""
    number = doc[quantity.last]
    candidates = [number.head] if number.dep_ in ("nummod", "quantmod", "compound") and number.head.i > number.i else []
    candidates += [t for t in doc[quantity.last + 1 : quantity.last + 4]]
    for token in candidates:
        if not 0 < token.i - quantity.last <= 3:
            continue
        if _count_noun(token) and all(_in_noun_phrase(t) for t in doc[quantity.last + 1 : token.i]):
            quantity.unit, quantity.counted = "count", token.lower_
            quantity.last = token.i
            return
        if not _in_noun_phrase(token):
            return


def _count_noun(token: Token) -> bool:
    """What a bare number can count: a noun, or a people (``5,000 Ukrainians``)."""
    return token.pos_ == "NOUN" or (token.pos_ == "PROPN" and token.ent_type_ == "NORP")


def _in_noun_phrase(token: Token) -> bool:
    """A word that may stand between a number and the noun it counts (``1,000 more Ukrainian troops``)."""
    return token.pos_ in ("ADJ", "NOUN", "PROPN", "PUNCT", "NUM") or token.lower_ in ("most", "more", "less")


def _part_of_name(doc: Doc, quantity: Quantity) -> bool:
    """``S&P 500``, ``iPhone 11``, ``787 Dreamliner``, ``575 Wilbraham Road``, ``Consumer Credit Act 1974``."""
    first, number = doc[quantity.first], doc[quantity.extra["number"]]
    if first.ent_type_ in NAME_ENTS or number.ent_type_ in NAME_ENTS:
        return True
    before = doc[quantity.first - 1] if quantity.first > 0 else None
    after = doc[number.i + 1] if number.i + 1 < len(doc) and quantity.last == number.i else None
    if before is not None and before.pos_ == "PROPN" and before.ent_type_ != "NORP" and not quantity.currency:
        return True
    return after is not None and after.pos_ == "PROPN" and after.ent_type_ not in ("NORP", "") and not quantity.unit


def _is_date_or_year(doc: Doc, quantity: Quantity) -> bool:
    """``in 2023``, ``March 3``, ``the 1990s``: numbers of the calendar (a duration or an age is a claim)."""
    token = doc[quantity.extra["number"]]
    if token.ent_type_ in ("DATE", "TIME") and quantity.unit in (None, "count"):
        return True
    return (not quantity.currency and not quantity.scaled and quantity.value == int(quantity.value)
            and 1000 <= quantity.value <= 2100 and "," not in token.text and quantity.unit in (None, "count"))


def _million_code(written: str) -> str | None:
    """``MUSD``, ``MEUR``: a currency in millions, as finance writes it."""
    upper = written.upper()
    return upper[1:] if len(upper) == 4 and upper[0] == "M" and upper[1:] in ISO_CODES else None


def _sign_before(doc: Doc, i: int) -> tuple[str | None, int, bool]:
    """``(currency, first token, in millions)`` written before the number at ``i``."""
    if i > 0 and _million_code(doc[i - 1].text):
        return _million_code(doc[i - 1].text), i - 1, True
    code = _currency_before(doc, i)
    if code is None:
        return None, i, False
    first = i - 2 if doc[i - 1].text == "$" and code != "USD" and i >= 2 and doc[i - 2].lower_ in DOLLAR_PREFIXES else i - 1
    return code, first, False


def _read(doc: Doc, i: int, dollar: str) -> Quantity | None:
    """The quantity whose number is token ``i`` (currency, multiplier and unit read), or None."""
    number = _number_at(doc, i)
    if number is None or ":" in doc[i].text or doc[i].ent_type_ == "ORDINAL" and not GLUED.match(doc[i].text):
        return None
    value, glued_code, suffix = number
    quantity = Quantity(first=i, last=i, value=value, extra={"number": i})
    _written_currency(doc, quantity, glued_code, suffix, dollar)
    _rest_of_number(doc, quantity)
    _unit_word(doc, quantity, suffix)
    if quantity.currency and quantity.unit is None:
        quantity.unit = quantity.currency
    if quantity.currency and not quantity.scaled and _currency_written_after(doc, quantity):
        _and_cents(doc, quantity)
    return quantity


def _is_currency(token: Token) -> bool:
    return token.lower_ in CURRENCY_WORDS or token.text == "$" or _currency_code(token.text) is not None


def _currency_written_after(doc: Doc, quantity: Quantity) -> bool:
    """The quantity ends with its currency after the number (``15 dollars``, ``17 USD``, ``10 $``),
    and none stands before it (in ``rmb 10 usd 20`` the ``usd`` is the 20's)."""
    number = quantity.extra["number"]
    return quantity.last > number and _is_currency(doc[quantity.last]) and not (number > 0 and _is_currency(doc[number - 1]))


def _written_currency(doc: Doc, quantity: Quantity, glued_code: str | None, suffix: str | None, dollar: str) -> None:
    """The currency glued to or written before the number (unless one follows it: ``10 rmb 20 usd``)."""
    i = quantity.first
    after = doc[i + 1].text if i + 1 < len(doc) else ""
    currency_follows = bool(_million_code(after) or _currency_code(after) or after.lower() in CURRENCY_WORDS)
    if glued_code:
        code, first, millions = glued_code, i, False
    elif currency_follows and not suffix:
        return
    else:
        code, first, millions = _sign_before(doc, i)
    if not code:
        return
    bare_dollar = doc[i].text.startswith("$") or (first == i - 1 and doc[i - 1].text == "$")
    quantity.currency, quantity.first = dollar if code == "USD" and bare_dollar else code, first
    if millions:
        _multiplier(doc, quantity, "million", None)


def _thousands_spaced(doc: Doc, i: int) -> bool:
    """``80, 000``: a number whose thousands separator a tokenised text wrote with a space after it
    (not a list: ``votes of 370, 371 and 372``)."""
    glued = GLUED.match(doc[i].text)  # "80" or "HK$30"
    digits = glued.group("num") if glued and not glued.group("suf") else ""
    spaced = (i + 2 < len(doc) and digits.isdigit() and len(digits) <= 3 and doc[i + 1].text == ","
              and not doc[i].whitespace_ and doc[i + 2].text.isdigit() and len(doc[i + 2].text) == 3)
    return spaced and not _in_number_list(doc, i)


def _in_number_list(doc: Doc, i: int) -> bool:
    """The number at ``i`` is one of a list (``370, 371 and 372``): a number before it or after the next."""
    listed_before = i >= 2 and doc[i - 1].text == "," and doc[i - 2].text.isdigit()
    listed_after = i + 4 < len(doc) and doc[i + 3].lower_ in (",", "and", "or") and doc[i + 4].text.isdigit()
    return listed_before or listed_after


def _rest_of_number(doc: Doc, quantity: Quantity) -> None:
    """``forty - five`` (one number in three tokens), ``80, 000`` and ``10 1/2``."""
    i = quantity.last
    if i + 2 < len(doc) and doc[i + 1].text == "-" and doc[i].text.isalpha() and doc[i + 2].like_num:
        quantity.last = i + 2
    elif _thousands_spaced(doc, i):
        quantity.value = quantity.value * 1000 + float(doc[i + 2].text)
        quantity.last = i = i + 2
    following = doc[quantity.last + 1].text if quantity.last + 1 < len(doc) else ""
    fraction = FRACTION.match(following)
    if fraction and not FRACTION.match(doc[i].text) and int(fraction.group(2)):
        quantity.value += int(fraction.group(1)) / int(fraction.group(2))
        quantity.last += 1


def _and_cents(doc: Doc, quantity: Quantity) -> None:
    """``3 dollars 50 cents``, ``15 dollars and 50``, ``17 USD 25``, ``thirteen dollars forty five``:
    the hundredths written after the currency (not ``5 dollars 20 people``)."""
    j = quantity.last + 1
    if j < len(doc) and doc[j].lower_ == "and":
        j += 1
    found = _cents_words(doc, j)
    if found is None:
        return
    cents, end = found
    following = doc[end + 1] if end + 1 < len(doc) else None
    if following is not None and following.lower_ in ("cent", "cents", "pence", "p"):
        end += 1
    elif following is not None and (following.pos_ in ("NOUN", "PROPN", "NUM") or following.like_num or _is_currency(following)):
        return
    quantity.value += cents / 100
    quantity.last = end


def _cents_words(doc: Doc, j: int) -> tuple[float, int] | None:
    """``(hundredths, last token)`` of a whole number from 1 to 99 at token ``j``: ``50``,
    ``forty-five``, ``forty five``."""
    cents = _cents_at(doc, j)
    if cents is None:
        return None
    end = j + 2 if j + 2 < len(doc) and doc[j + 1].text == "-" and doc[j].text.isalpha() else j
    units = _word_number(doc, end + 1) if end + 1 < len(doc) and cents % 10 == 0 and doc[end].text.isalpha() else None
    if units is not None and 0 < units < 10:
        return cents + units, end + 1
    return cents, end


def _cents_at(doc: Doc, j: int) -> float | None:
    """A whole number from 1 to 99 with nothing glued to it at token ``j``."""
    number = _number_at(doc, j) if j < len(doc) else None
    if number is None or number[1] or number[2] or not 0 < number[0] < 100 or number[0] != int(number[0]):
        return None
    return number[0]


def _range(doc: Doc, quantity: Quantity, dollar: str) -> Quantity:
    """``10 to 15 billion``, ``60,000-70,000``, ``between $10 and $15 billion``: one quantity with a
    range, whose multiplier and unit reach both ends. ``from X to Y`` stays two claims (a change),
    though the multiplier of Y reaches X."""
    found = _other_end(doc, quantity, dollar)
    if found is None:
        return quantity
    other, k = found
    if other.scaled and not quantity.scaled:
        quantity.value *= other.value / _unscaled(doc, k)
        quantity.scaled = True
    if quantity.unit is None and other.unit:
        quantity.unit, quantity.pint_unit, quantity.currency = other.unit, other.pint_unit, other.currency
    before = doc[quantity.first - 1].lower_ if quantity.first > 0 else ""
    if before in ("from", "by") or other.value < quantity.value:
        return quantity
    quantity.high, quantity.last, quantity.counted = other.value, other.last, other.counted
    return quantity


def _other_end(doc: Doc, quantity: Quantity, dollar: str) -> tuple[Quantity, int] | None:
    """The quantity after ``to``, ``-``, ``or`` (or ``and`` after ``between``) and its number token."""
    j = quantity.last + 1
    if j + 1 >= len(doc) or doc[j].lower_ not in ("to", "-", "–", "and", "or"):
        return None
    if doc[j].lower_ == "and" and not (quantity.first > 0 and doc[quantity.first - 1].lower_ == "between"):
        return None
    k = j + 1 + (1 if doc[j + 1].text in CURRENCY_SIGNS else 0)
    other = _read(doc, k, dollar) if k < len(doc) else None
    if other is None or (quantity.unit and other.unit and quantity.unit != other.unit):
        return None
    return other, k


def _unscaled(doc: Doc, k: int) -> float:
    number = _number_at(doc, k)
    return number[0] if number and number[0] else 1.0


def _change(doc: Doc, quantity: Quantity) -> tuple[str | None, str | None]:
    """``(change, direction)``: ``fell from $2,415 to $2,315`` → from/to, down; ``rose 5%`` → by, up."""
    verb = _change_verb(doc, quantity.first)
    if verb is None:
        return None, None
    direction = "up" if verb.lemma_.lower() in UP_VERBS else "down"
    before = [t for t in doc[max(quantity.first - 2, doc[quantity.first].sent.start) : quantity.first] if t.pos_ != "ADV"]
    word = before[-1].lower_ if before else ""
    if word in ("from", "to", "by"):
        return word, direction
    if verb.i in (quantity.first - 1, quantity.first - 2):
        return "by", direction
    return None, None


def _change_verb(doc: Doc, first: int) -> Token | None:
    """The verb of change (``rose``, ``fell``, ``up``) at most eight tokens before the number."""
    start = max(doc[first].sent.start, first - 8)
    for token in reversed(doc[start:first]):
        if token.pos_ in ("VERB", "ADV", "ADP") and (token.lemma_.lower() in UP_VERBS or token.lemma_.lower() in DOWN_VERBS):
            return token
    return None


def extract_claims(doc: Doc, dollar: str = "USD") -> list[dict]:
    """Numeric claims of a parsed body, in order.

    Args:
        doc: the parsed body.
        dollar: what a bare ``$`` is (the outlet's country decides: ``AUD`` for an Australian outlet).

    Example: ``up to 1,000 Ukrainian troops`` → value 1000, unit ``count``, counted ``troop``,
    qualifier ``up to``; ``about 260 square kilometres`` → 260 ``km2``; ``$10 to $15 billion`` →
    1e10-1.5e10 ``USD``; ``fell from $2,415 to $2,315`` → two claims, change from / to, down.
    """
    claims = []
    i = 0
    while i < len(doc):
        quantity = _read(doc, i, dollar)
        if quantity is None:
            i += 1
            continue
        quantity = _range(doc, quantity, dollar)
        if quantity.unit is None:
            _counted(doc, quantity)
        claim = _claim(doc, quantity)
        if claim is not None:
            claims.append(claim)
        i = max(quantity.last, i) + 1
    return claims


def _claim(doc: Doc, quantity: Quantity) -> dict | None:
    if quantity.unit is None or _is_date_or_year(doc, quantity) or _part_of_name(doc, quantity):
        return None
    if quantity.unit == "count" and doc[quantity.first].lower_ == "one" and quantity.last == quantity.first:
        return None
    value, high = quantity.value, quantity.high
    if quantity.pint_unit:
        value = _significant(convert(value, quantity.pint_unit, quantity.unit))
        high = _significant(convert(high, quantity.pint_unit, quantity.unit)) if high is not None else None
    change, direction = _change(doc, quantity)
    qualifier, start = _qualifier(doc, quantity.first)
    last = doc[quantity.last].text
    end = doc[quantity.last].idx + len(last) - (1 if last.endswith(".") and GLUED.match(last) else 0)  # "$13.6M." ends a sentence
    return {"start_char": start, "end_char": end, "value": value, "value_high": high, "unit": quantity.unit,
            "counted": quantity.counted, "qualifier": qualifier, "change": change, "direction": direction}


def _significant(value: float, digits: int = 7) -> float:
    """A converted value rounded to ``digits`` significant digits (``16 bit`` is 2e-09 GB, not 0)."""
    return float(f"{value:.{digits}g}")


def _qualifier(doc: Doc, start: int) -> tuple[str | None, int]:
    """The hedge written right before a number, and where it starts."""
    window_start = max(0, doc[start].idx - 25)
    match = _QUALIFIER.search(text_of(doc)[window_start : doc[start].idx])
    if match is None:
        return None, doc[start].idx
    return match.group(1).lower(), window_start + match.start(1)


def dollar_for(url: str | None) -> str:
    """What a bare ``$`` is for an outlet: by its country's top-level domain, else the US dollar."""
    if not url:
        return "USD"
    host = re.sub(r"^[a-z]+://", "", url.lower()).split("/")[0].split(":")[0]
    return DOLLAR_BY_DOMAIN.get(host.rsplit(".", 1)[-1], "USD")


def claim_rows(doc: Doc, article_id: str, sentences: list[dict], url: str | None = None) -> list[dict]:
    """Rows of ``claims``: numeric claims with the sentence they are made in."""
    starts = sentence_starts(sentences)
    text = text_of(doc)
    return [
        {"article_id": article_id, "sentence_idx": sentence_index(starts, c["start_char"]),
         "text": text[c["start_char"] : c["end_char"]], **c}
        for c in extract_claims(doc, dollar_for(url))
    ]
