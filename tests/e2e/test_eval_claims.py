"""The claims evaluation command on sentences the test writes itself, and its scoring."""

from __future__ import annotations

import json

import pytest

from devtools.claims_eval import gold_unit, score_claims
from tests.utils import pipeline_command

pytestmark = pytest.mark.e2e

SENTENCES = [
    {"text": "The storm cut power to 12,000 homes and caused $3.5 million in damage.",
     "quantities": [{"value": "12000", "normalized_unit": "home"}, {"value": "3500000", "normalized_unit": "dollar"}]},
    {"text": "The wall is 30 feet high and the lake is 2 miles long.",
     "quantities": [{"value": "30", "normalized_unit": "foot"}, {"value": "2", "normalized_unit": "mile"}]},
    {"text": "Unemployment fell to 4.1 per cent in 2023.", "quantities": [{"value": "4.1", "normalized_unit": "percentage"}]},
    {"text": "It was 86 degrees Fahrenheit at noon.", "quantities": [{"value": "86", "normalized_unit": "fahrenheit"}]},
]


def test_gold_units_and_scoring_in_the_claims_unit() -> None:
    assert gold_unit("pound sterling") == ("currency", "GBP", 1.0) and gold_unit("cent")[:2] == ("currency", "USD")
    gold = [[{"value": "2", "normalized_unit": "mile"}, {"value": "5", "normalized_unit": "percentage"}]]
    right = [[{"value": 3.218688, "value_high": None, "unit": "km"}, {"value": 5.0, "value_high": None, "unit": "percent"}]]
    scored = score_claims(right, gold)
    assert scored["f1"] == 1.0 and scored["value_accuracy"] == 1.0 and scored["unit_accuracy"] == 1.0
    wrong = [[{"value": 2.0, "value_high": None, "unit": "count"}, {"value": 2023.0, "value_high": None, "unit": "count"}]]
    scored = score_claims(wrong, gold)
    assert scored["unit_accuracy"] == 0.0 and scored["value_accuracy"] == 0.5 and scored["years_or_dates_as_claims"] == 1


def test_eval_claims_command_scores_the_pipeline(tmp_path) -> None:
    path = tmp_path / "sentences.json"
    path.write_text(json.dumps(SENTENCES), encoding="utf-8")
    out = tmp_path / "report.json"
    done = pipeline_command("eval-claims", str(path), "--json", str(out))
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(out.read_text())
    assert report["gold_quantities"] == 6 and report["f1"] == 1.0
    assert report["value_accuracy"] == 1.0 and report["unit_accuracy"] == 1.0 and report["years_or_dates_as_claims"] == 0
    assert "value accuracy" in done.stdout
    path.write_text("[{\"text\": \"no quantities key\"}]", encoding="utf-8")
    bad = pipeline_command("eval-claims", str(path), timeout=120)
    assert bad.returncode == 1 and "item 1: needs 'text' and 'quantities'" in bad.stderr
