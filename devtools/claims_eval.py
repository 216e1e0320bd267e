"""Score the ``claims`` table against sentences annotated with every quantity, through the pipeline.

``python -m pipeline eval-claims FILE.json`` reads sentences in the format of CQE's evaluation sets
(a JSON list of ``{"text": ..., "quantities": [{"value": "75000000", "normalized_unit": "dollar"}]}``),
writes them as articles (one sentence per paragraph, up to 40 sentences an article) under a
temporary ``seeds/``, runs the whole pipeline and reads ``claims`` back, each claim assigned to
the sentence its offsets fall in.

Per sentence, a predicted claim and a gold quantity *match on value* when the values agree within
1 % once both are in the claim's unit (the gold ``10 mile`` is 16.09 for a claim in ``km``); the
claims and quantities left over are paired in order as *found with a wrong value*.

- **detection** precision, recall, F1: value matches and wrongly valued pairs are found quantities;
- **value accuracy**: of the found quantities, the share with the right value;
- **unit accuracy**: of the value matches, the share whose unit is the gold unit (per family);
- **value F1** and **value+unit F1**: CQE's own scoring (a hit needs the value, or value and unit);
- **years and dates stored as claims**: claims whose unit is ``count`` and whose value looks like a
  year (1000-2100, a whole number) where the gold has no such quantity.
"""

from __future__ import annotations

import json
from pathlib import Path

# Gold unit names → (family, the unit to compare in: an ISO code, a pint unit, or a claims unit).
_CURRENCIES = {
    "dollar": "USD", "euro": "EUR", "pound sterling": "GBP", "chinese yuan": "CNY", "japanese yen": "JPY",
    "canadian dollar": "CAD", "australian dollar": "AUD", "swiss franc": "CHF", "turkish lira": "TRY", "rupee": "INR",
    "mexican peso": "MXN", "hong kong dollar": "HKD", "new zealand dollar": "NZD", "bitcoin": "BTC",
    "south african rand": "ZAR", "croatian kuna": "HRK", "armenian dram": "AMD", "peseta": "ESP", "mark": "DEM",
    "finnish markka": "FIM", "sri lankan rupee": "LKR", "georgian lari": "GEL", "lao kip": "LAK", "costa rican colón": "CRC",
}
_SUBUNITS = {"cent": ("USD", 0.01), "penny": ("GBP", 0.01)}
_PINT = {
    "metre": "m", "mile": "mile", "foot": "ft", "inch": "inch", "kilometre": "km", "millimetre": "mm", "decimetre": "dm",
    "picometre": "pm", "pound-mass": "lb", "metric ton": "t", "ton": "t", "kilogram": "kg", "microgram": "ug", "ounce": "oz",
    "gallon": "gallon", "millilitre": "ml", "cubic foot": "ft**3", "tablespoon": "tablespoon", "teaspoon": "teaspoon",
    "cup": "cup", "square metre": "m**2", "square kilometre": "km**2", "acre": "acre", "kilometre per hour": "km/h",
    "mile per hour": "mph", "knot": "knot", "celsius": "degC", "fahrenheit": "degF", "megabyte": "MB", "megabit": "Mbit",
    "bit": "bit", "byte": "B", "kilobyte": "kB",
}
_DURATIONS = {"year": "year", "month": "month", "week": "week", "day": "day", "hour": "hour", "minute": "minute", "second": "second"}
_AGES = {"year of age": 1.0, "month of age": 1 / 12, "week of age": 7 / 365.25, "day of age": 1 / 365.25}


def gold_unit(name: str) -> tuple[str, str | None, float]:
    """A gold ``normalized_unit`` as ``(family, unit to compare in, factor to that unit)``."""
    name = name.removesuffix(" per share").removesuffix(" per year").strip()
    if name in _CURRENCIES:
        return "currency", _CURRENCIES[name], 1.0
    if name in _SUBUNITS:
        return "currency", *_SUBUNITS[name]
    if name in ("percentage", "% interest", "percent"):
        return "percent", "percent", 1.0
    if name in _AGES:
        return "age", "age", _AGES[name]
    if name in _DURATIONS:
        return "duration", _DURATIONS[name], 1.0
    if name in ("celsius", "fahrenheit"):
        return "temperature", _PINT[name], 1.0
    if name == "degree":
        return "temperature", None, 1.0
    if name in _PINT:
        return "measure", _PINT[name], 1.0
    if name == "point":
        return "point", "point", 1.0
    if name in ("-", "count"):
        return "count", None, 1.0
    return "count", None, 1.0  # a counted noun: "people", "computer"


_CLAIM_PINT = {"km": "km", "m": "m", "km2": "km**2", "m2": "m**2", "kg": "kg", "l": "l", "degC": "degC", "km/h": "km/h", "GB": "GB"}


def _in_claim_unit(value: float, name: str, claim_unit: str) -> float | None:
    """The gold value in the claim's unit, or None when the two cannot be compared."""
    family, unit, factor = gold_unit(name)
    if family == "currency":
        return value * factor if unit == claim_unit else None
    if family in ("percent", "age", "point"):
        return value * factor if claim_unit == unit else None
    if family == "duration":
        return value if claim_unit == unit else None
    if family in ("measure", "temperature") and unit is not None and claim_unit in _CLAIM_PINT:
        from pipeline.nlp.claims import unit_registry

        registry = unit_registry()
        try:
            return registry.Quantity(value, unit).to(_CLAIM_PINT[claim_unit]).magnitude
        except Exception:  # noqa: BLE001 - pint raises several error types for units of other dimensions
            return None
    return None


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 0.01 * max(abs(a), abs(b), 1e-9)


def _value_match(claim: dict, quantity: dict) -> tuple[bool, bool]:
    """(value agrees, unit agrees) of one claim and one gold quantity."""
    gold_value = float(quantity["value"])
    converted = _in_claim_unit(gold_value, quantity["normalized_unit"], claim["unit"])
    if converted is not None:
        return _close(claim["value"], converted), True
    family, _, _ = gold_unit(quantity["normalized_unit"])
    unit_ok = (family == "count" and claim["unit"] == "count") or (family == "temperature" and claim["unit"] in ("degree", "degC"))
    return _close(claim["value"], gold_value), unit_ok


def score_sentence(claims: list[dict], quantities: list[dict]) -> dict:
    """Counts for one sentence: matches on value, units right among them, wrongly valued pairs."""
    left = list(range(len(quantities)))
    value_hits = unit_hits = 0
    unmatched_claims = []
    families: dict[str, list[int]] = {}
    for claim in claims:
        hit = next((j for j in left if _value_match(claim, quantities[j])[0]), None)
        if hit is None:
            unmatched_claims.append(claim)
            continue
        left.remove(hit)
        value_hits += 1
        unit_ok = _value_match(claim, quantities[hit])[1]
        unit_hits += unit_ok
        family = gold_unit(quantities[hit]["normalized_unit"])[0]
        families.setdefault(family, [0, 0])[0] += 1
        families[family][1] += unit_ok
    wrong_value = min(len(unmatched_claims), len(left))
    return {"claims": len(claims), "gold": len(quantities), "value_hits": value_hits, "unit_hits": unit_hits,
            "wrong_value": wrong_value, "families": families}


def score_claims(predicted: list[list[dict]], gold: list[list[dict]]) -> dict:
    """Detection, value and unit scores over sentences (lists in the same order)."""
    totals = {"claims": 0, "gold": 0, "value_hits": 0, "unit_hits": 0, "wrong_value": 0}
    families: dict[str, list[int]] = {}
    years = 0
    for claims, quantities in zip(predicted, gold):
        counts = score_sentence(claims, quantities)
        for key in totals:
            totals[key] += counts[key]
        for family, (hits, unit_ok) in counts["families"].items():
            families.setdefault(family, [0, 0])
            families[family][0] += hits
            families[family][1] += unit_ok
        gold_values = {float(q["value"]) for q in quantities}
        years += sum(1 for c in claims if c["unit"] == "count" and c["value"] == int(c["value"]) and 1000 <= c["value"] <= 2100
                     and c["value"] not in gold_values)
    found = totals["value_hits"] + totals["wrong_value"]

    def f1(hits: int) -> float:
        p = hits / totals["claims"] if totals["claims"] else 0.0
        r = hits / totals["gold"] if totals["gold"] else 0.0
        return round(2 * p * r / (p + r), 3) if p + r else 0.0

    precision = found / totals["claims"] if totals["claims"] else 0.0
    recall = found / totals["gold"] if totals["gold"] else 0.0
    return {
        "sentences": len(gold), "claims": totals["claims"], "gold_quantities": totals["gold"],
        "precision": round(precision, 3), "recall": round(recall, 3), "f1": f1(found),
        "value_accuracy": round(totals["value_hits"] / found, 3) if found else 0.0,
        "unit_accuracy": round(totals["unit_hits"] / totals["value_hits"], 3) if totals["value_hits"] else 0.0,
        "unit_accuracy_by_family": {f: round(u / h, 3) for f, (h, u) in sorted(families.items()) if h},
        "matched_by_family": {f: h for f, (h, _) in sorted(families.items())},
        "value_f1": f1(totals["value_hits"]), "value_unit_f1": f1(totals["unit_hits"]),
        "years_or_dates_as_claims": years,
    }


def read_sentences(path: Path) -> list[dict]:
    """The annotated sentences of one file (or of every ``*.json`` in a folder holding ``quantities``)."""
    paths = sorted(path.glob("*.json")) if path.is_dir() else [path]
    if not paths or not all(p.is_file() for p in paths):
        raise ValueError(f"{path}: no such file; give a JSON file of sentences with their quantities")
    sentences = []
    for p in paths:
        try:
            data = json.loads(p.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise ValueError(f"{p}: not valid JSON ({exc.msg} at line {exc.lineno}); fix the file") from None
        if not isinstance(data, list):
            raise ValueError(f"{p}: expected a JSON list of {{'text', 'quantities'}} objects")
        for number, item in enumerate(data, start=1):
            if not isinstance(item, dict) or "quantities" not in item:
                if path.is_dir():
                    break  # another kind of file in the folder (units_train.json)
                raise ValueError(f"{p} item {number}: needs 'text' and 'quantities'")
            sentences.append({"text": " ".join(str(item["text"]).split()), "quantities": _gold_ends(item["quantities"])})
    return sentences


SENTENCES_PER_ARTICLE = 40


def _gold_ends(quantities: list[dict]) -> list[dict]:
    """A gold range ``"40-50"`` as its two ends, as a predicted range is scored."""
    ends = []
    for q in quantities:
        low, dash, high = str(q["value"]).partition("-")
        if dash and low and high:
            ends += [{**q, "value": low}, {**q, "value": high}]
        else:
            ends.append(q)
    return ends


def _paragraph_sentences(body: str, texts: list[str], indices: list[int]) -> list[tuple[int, int, int]]:
    """``(start, end, sentence index)`` of each body paragraph that is one of the article's sentences."""
    from pipeline.sources.clean import normalise

    wanted: dict[str, list[int]] = {}
    for text, index in zip(texts, indices):
        wanted.setdefault(normalise(text).strip(), []).append(index)
    spans, offset = [], 0
    for paragraph in body.split("\n\n"):
        if wanted.get(paragraph):
            spans.append((offset, offset + len(paragraph), wanted[paragraph].pop(0)))
        offset += len(paragraph) + 2
    return spans


def as_quantities(claim: dict) -> list[dict]:
    """A claim as the quantities the gold lists: a range is its two ends."""
    if claim["value_high"] is None:
        return [claim]
    return [{**claim, "value_high": None}, {**claim, "value": claim["value_high"], "value_high": None}]


def evaluate_claims(path: Path, settings) -> dict:
    """Run the annotated sentences through the pipeline and score ``claims``."""
    from devtools.evaluate import run_annotated

    sentences = read_sentences(path)
    articles: dict[str, list[int]] = {}
    for index in range(len(sentences)):
        articles.setdefault(f"s{index // SENTENCES_PER_ARTICLE:04d}", []).append(index)

    def write_seeds(seeds: Path) -> None:
        for key, indices in articles.items():
            title = f"Quantities, part {int(key[1:]) + 1}"
            body = "\n\n".join(sentences[i]["text"] for i in indices)
            (seeds / f"{key}.txt").write_text(f"{title}\n\n{body}\n", encoding="utf-8")

    bodies, rows, seconds = run_annotated(
        write_seeds, settings, "eval__claims",
        "SELECT a.source_path, c.start_char, c.value, c.value_high, c.unit, c.counted, c.change "
        "FROM claims c JOIN articles a USING (article_id)",
    )
    predicted: list[list[dict]] = [[] for _ in sentences]
    sentence_at = {path_: _paragraph_sentences(body, [sentences[i]["text"] for i in articles[Path(path_).stem]], articles[Path(path_).stem])
                   for path_, body in bodies.items()}
    for path_, start, value, high, unit, counted, change in rows:
        index = next((i for begin, end, i in sentence_at[path_] if begin <= start < end), None)
        if index is not None:
            predicted[index].extend(as_quantities({"value": value, "value_high": high, "unit": unit, "counted": counted, "change": change}))
    report = score_claims(predicted, [s["quantities"] for s in sentences])
    report.update({"path": str(path), "pipeline_seconds": round(seconds, 1), "loaded_articles": len(bodies), "articles": len(articles)})
    return report
