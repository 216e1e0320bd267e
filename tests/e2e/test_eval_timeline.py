"""The timeline evaluation command on TimeML documents the test writes itself, and its scoring."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from devtools.timeline_eval import gold_bounds, gold_period, score_timeline
from devtools.timeml import Timex, read_timeml
from tests.utils import pipeline_command

pytestmark = pytest.mark.e2e

DOCUMENT = """<?xml version="1.0" ?>
<TimeML>
<DOCID>{name}</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="2013-03-15" temporalFunction="false" functionInDocument="CREATION_TIME">March 15, 2013</TIMEX3></DCT>
<TITLE>{title}</TITLE>
<TEXT>
The mayor of the coastal city resigned <TIMEX3 tid="t1" type="DATE" value="2013-03-14">yesterday</TIMEX3> after a long dispute with the council over the harbour budget.

The dispute began <TIMEX3 tid="t2" type="DATE" value="2012-07">late last July</TIMEX3>, when the council cut the harbour budget by a third.

Her predecessor, George Lowe, 89, said the city had not seen such a quarrel since <TIMEX3 tid="t3" type="DATE" value="1953">1953</TIMEX3>.

The council will choose a new mayor <TIMEX3 tid="t4" type="DATE" value="2014">next year</TIMEX3>, officials said <TIMEX3 tid="t5" type="DATE" value="PRESENT_REF">now</TIMEX3>.
</TEXT>
</TimeML>
"""


def _write(folder: Path) -> Path:
    folder.mkdir(parents=True)
    for name, title in (("harbour", "Mayor resigns over harbour budget"), ("harbour2", "Harbour city loses its mayor")):
        (folder / f"{name}.tml").write_text(DOCUMENT.format(name=name, title=title), encoding="utf-8")
    return folder


def test_timeml_reader_and_gold_values(tmp_path) -> None:
    doc = read_timeml(_write(tmp_path / "gold") / "harbour.tml")
    assert doc.created == date(2013, 3, 15) and doc.title == "Mayor resigns over harbour budget"
    assert [(t.text, t.value) for t in doc.timexes][:2] == [("yesterday", "2013-03-14"), ("late last July", "2012-07")]
    assert all(doc.text[t.start : t.end] == t.text for t in doc.timexes)
    assert gold_period("1998-02") == (date(1998, 2, 1), "month") and gold_period("1998-XX") == (date(1998, 1, 1), "year")
    assert gold_period("PRESENT_REF") is None and gold_period("1998-Q3") is None and gold_period("1989-WXX") is None
    assert gold_period("1998-W09") is None  # the data's README: a week is a value the timeline leaves NULL
    assert gold_bounds("1988-Q3") == (date(1988, 7, 1), date(1988, 9, 30))
    assert gold_bounds("1998-W09") == (date(1998, 2, 23), date(1998, 3, 1))
    assert gold_bounds("1989-WXX") == (date(1989, 1, 1), date(1989, 12, 31))  # some week of 1989


def test_scoring_counts_wrong_dates_and_null_values() -> None:
    gold = {"d": [Timex(0, 9, "yesterday", "DATE", "2013-03-14"), Timex(20, 23, "now", "DATE", "PRESENT_REF"),
                  Timex(30, 34, "1988", "DATE", "1988-Q3")]}
    right = {"d": [(0, 9, date(2013, 3, 14), "day"), (20, 23, None, None), (30, 34, date(1988, 1, 1), "year")]}
    scored = score_timeline(right, gold)
    assert scored["span_recall"] == 1.0 and scored["wrong_dates"] == 0  # a year around a quarter is coarse, not wrong
    assert scored["value_accuracy"] == round(2 / 3, 3)  # ...but not the quarter's value
    guessed = {"d": [(0, 9, date(2012, 3, 14), "day"), (20, 23, date(2013, 3, 15), "day"), (40, 42, date(2089, 1, 1), "year")]}
    scored = score_timeline(guessed, gold)
    assert scored["wrong_dates"] == 3 and scored["dated_rows_on_no_gold"] == 1 and scored["span_recall"] == round(2 / 3, 3)
    # a week: right when NULL; a day inside the gold week is not wrong, a day outside it is
    weeks = {"d": [Timex(0, 9, "last week", "DATE", "1998-W08"), Timex(20, 29, "this week", "DATE", "1989-WXX"),
                   Timex(40, 49, "next week", "DATE", "1998-W10")]}
    found = {"d": [(0, 9, None, None), (20, 29, date(1989, 10, 23), "day"), (40, 49, date(1998, 3, 16), "day")]}
    scored = score_timeline(found, weeks)
    assert scored["value_accuracy"] == round(1 / 3, 3) and scored["wrong_dates"] == 1


def test_eval_timeline_command_scores_the_pipeline(tmp_path) -> None:
    folder = _write(tmp_path / "gold")
    out = tmp_path / "report.json"
    done = pipeline_command("eval-timeline", str(folder), "--json", str(out))
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(out.read_text())
    assert report["documents"] == 2 and report["gold_dates"] == 10
    assert report["span_recall"] >= 0.8 and report["value_accuracy"] == 1.0 and report["wrong_dates"] == 0
    assert report["resolved_from"].get("published_at", 0) >= 6 and report["resolved_from"].get("explicit", 0) >= 2
    assert "value accuracy" in done.stdout and "wrong dates" in done.stdout
    missing = pipeline_command("eval-timeline", str(tmp_path / "nowhere"), timeout=120)
    assert missing.returncode == 1 and "folder of TimeML" in missing.stderr


def test_bad_timeml_is_named_with_what_to_do(tmp_path) -> None:
    broken = tmp_path / "broken.tml"
    broken.write_text("<TimeML><TEXT>Talks began <TIMEX3 type='DATE' value='2013'>in 2013</TEXT></TimeML>", encoding="utf-8")
    with pytest.raises(ValueError, match=r"broken\.tml: not well-formed XML .*fix the file"):
        read_timeml(broken)
    undated = tmp_path / "undated.tml"
    undated.write_text("<TimeML><TEXT>Talks began.</TEXT></TimeML>", encoding="utf-8")
    with pytest.raises(ValueError, match=r"undated\.tml: no <TEXT> or no creation-time TIMEX3"):
        read_timeml(undated)
