"""Score the ``timeline`` table against TimeML gold, through the real pipeline.

``python -m pipeline eval-timeline DIR``: every ``.tml`` document under ``DIR`` becomes a ``.txt``
file (its title line, then the text inside ``<TEXT>``) in a temporary ``seeds/`` folder, with a
``manifest.csv`` that gives its document creation time as ``published_at``. One pipeline run
later the ``timeline`` rows are read back, their offsets mapped to the file text, and compared with
the gold ``TIMEX3`` tags:

- **span precision**: predicted rows that overlap any gold time expression (any type);
- **span recall**: gold ``DATE`` expressions that some predicted row overlaps;
- **value accuracy**: of the matched gold ``DATE`` expressions, the share whose ``date`` and
  ``precision`` equal the gold value (day ``1998-02-27``, month ``1998-02``, year ``1998``), or
  whose date is NULL where the gold value is one the text does not fix to a day, month or year
  (``PRESENT_REF``, ``XXXX-10``, weeks, quarters, seasons, decades), as the data's README asks;
- **wrong dates**: of the predicted rows that carry a date, the share whose period overlaps the
  period of no gold expression they overlap (``1988`` for a gold ``1988-Q3`` is coarse, not wrong;
  ``1989`` is wrong), that stand where the gold has no period at all (``PRESENT_REF``, a duration),
  or that overlap no gold time expression (a number taken for a date).
"""

from __future__ import annotations

import re
from calendar import monthrange
from datetime import date, timedelta
from pathlib import Path

from devtools.timeml import Timex, read_timeml_folder

_FIXED = re.compile(r"^(\d{4})(?:-(\d\d|XX)(?:-(\d\d|XX))?)?(?:T.*)?$")


def gold_period(value: str) -> tuple[date, str] | None:
    """A TIMEX3 value as ``(first day, precision)`` when it names a day, month or year, else None.

    ``1998-02-27`` is a day, ``1998-02`` and ``1998-02-XX`` a month, ``1998`` and ``1998-XX`` a
    year; ``1998-02-27T10:00`` the day it falls on. Weeks (``1998-W08``), quarters, seasons, decades
    and ``PRESENT_REF`` are None.
    """
    match = _FIXED.match(value)
    if not match:
        return None
    year, month, day = match.groups()
    if month in (None, "XX"):
        return date(int(year), 1, 1), "year"
    if day in (None, "XX"):
        return date(int(year), int(month), 1), "month"
    return date(int(year), int(month), int(day)), "day"


_PERIOD = re.compile(r"^(\d{4})-(?:Q(?P<q>[1-4X])|H(?P<h>[12])|W(?P<w>\d\d?|XX)|(?P<season>SP|SU|FA|WI))")
_DECADE = re.compile(r"^(\d{3})X")


def gold_bounds(value: str) -> tuple[date, date] | None:
    """The first and last day a TIMEX3 value can stand for (a quarter, a week, a decade too), or None.

    Used to judge whether a predicted date contradicts the gold: ``1988`` does not contradict
    ``1988-Q3``, ``1989`` does.
    """
    period = gold_period(value)
    if period is not None:
        return period[0], _last_day(*period)
    match = _PERIOD.match(value)
    if match:
        year = int(match.group(1))
        if match.group("q") and match.group("q") != "X":
            q = int(match.group("q"))
            return date(year, 3 * q - 2, 1), _last_day(date(year, 3 * q, 1), "month")
        if match.group("h"):
            h = int(match.group("h"))
            return date(year, 6 * h - 5, 1), _last_day(date(year, 6 * h, 1), "month")
        if match.group("w") and match.group("w") != "XX":
            monday = date.fromisocalendar(year, int(match.group("w")), 1)
            return monday, monday + timedelta(days=6)
        return date(year, 1, 1), date(year, 12, 31)
    decade = _DECADE.match(value)
    if decade:
        return date(int(decade.group(1)) * 10, 1, 1), date(int(decade.group(1)) * 10 + 9, 12, 31)
    return None


def _consistent(value: date, precision: str, gold_value: str) -> bool:
    bounds = gold_bounds(gold_value)
    return bounds is not None and value <= bounds[1] and bounds[0] <= _last_day(value, precision)


def _last_day(first: date, precision: str) -> date:
    if precision == "year":
        return date(first.year, 12, 31)
    if precision == "month":
        return date(first.year, first.month, monthrange(first.year, first.month)[1])
    return first


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return min(a[1], b[1]) > max(a[0], b[0])


def score_timeline(predicted: dict[str, list[tuple]], gold: dict[str, list[Timex]]) -> dict:
    """Span, value and wrong-date scores.

    Args:
        predicted: per document, ``(start, end, date or None, precision or None)`` in the
            offsets of the gold text.
        gold: per document, the gold :class:`~devtools.timeml.Timex` list.
    """
    n_pred = pred_matched = gold_dates = gold_found = value_ok = dated = wrong = unmatched_dated = 0
    examples: list[dict] = []
    for name, timexes in gold.items():
        rows = sorted(predicted.get(name, []))
        n_pred += len(rows)
        used: set[int] = set()
        for start, end, value, precision in rows:
            hits = [t for t in timexes if _overlaps((start, end), (t.start, t.end))]
            pred_matched += bool(hits)
            if value is None:
                continue
            dated += 1
            if not hits:
                unmatched_dated += 1
                wrong += 1
                examples.append({"document": name, "at": start, "predicted": f"{value} {precision}", "gold": None})
            elif not any(_consistent(value, precision, t.value) for t in hits):  # a row may span two gold expressions
                wrong += 1
                examples.append({"document": name, "text": hits[0].text, "predicted": f"{value} {precision}", "gold": hits[0].value})
        for index, timex in enumerate(timexes):
            if timex.type != "DATE":
                continue
            gold_dates += 1
            match = next((r for r in rows if _overlaps((r[0], r[1]), (timex.start, timex.end))), None)
            if match is None:
                continue
            gold_found += 1
            used.add(index)
            period = gold_period(timex.value)
            if (match[2], match[3]) == (period or (None, None)):
                value_ok += 1
    precision = pred_matched / n_pred if n_pred else 0.0
    recall = gold_found / gold_dates if gold_dates else 0.0
    return {
        "predicted_rows": n_pred,
        "gold_dates": gold_dates,
        "span_precision": round(precision, 3),
        "span_recall": round(recall, 3),
        "span_f1": round(2 * precision * recall / (precision + recall), 3) if precision + recall else 0.0,
        "value_accuracy": round(value_ok / gold_found, 3) if gold_found else 0.0,
        "dated_rows": dated,
        "wrong_dates": wrong,
        "wrong_date_rate": round(wrong / dated, 3) if dated else 0.0,
        "dated_rows_on_no_gold": unmatched_dated,
        "wrong_examples": examples[:40],
    }


def evaluate_timeline(folder: Path, settings) -> dict:
    """Run the TimeML documents under ``folder`` through the pipeline and score ``timeline``."""
    from devtools.evaluate import raw_offsets, run_annotated
    from devtools.stories_eval import write_batch

    documents = read_timeml_folder(folder)
    records = []
    raws: dict[str, str] = {}
    gold: dict[str, list[Timex]] = {}
    for number, doc in enumerate(documents):
        key = f"d{number:04d}"
        title = " ".join(doc.title.split())
        records.append({"key": key, "title": title, "body": doc.text, "url": "", "outlet": "",
                        "published_at": doc.created.isoformat()})
        raws[key] = f"{title}\n\n{doc.text}\n"
        shift = len(title) + 2
        gold[key] = [Timex(t.start + shift, t.end + shift, t.text, t.type, t.value) for t in doc.timexes]
    bodies, rows, seconds = run_annotated(
        lambda seeds: write_batch(records, seeds / "timeml"), settings, "eval__timeline",
        "SELECT a.source_path, t.start_char, t.end_char, t.date, t.precision, t.resolved_from "
        "FROM timeline t JOIN articles a USING (article_id)",
    )
    mappings = raw_offsets(bodies, lambda path: raws[Path(path).stem])
    predicted: dict[str, list[tuple]] = {}
    resolved_from: dict[str, int] = {}
    for path, start, end, value, precision, rule in rows:
        m = mappings[path]
        predicted.setdefault(Path(path).stem, []).append((m[start], m[end - 1] + 1, value, precision))
        resolved_from[rule or "none"] = resolved_from.get(rule or "none", 0) + 1
    loaded = {Path(path).stem for path in bodies}  # an exact duplicate of another document is not loaded
    report = score_timeline(predicted, {key: timexes for key, timexes in gold.items() if key in loaded})
    report.update({"folder": str(folder), "documents": len(documents), "loaded": len(bodies),
                   "pipeline_seconds": round(seconds, 1), "resolved_from": resolved_from})
    return report
