"""Claim and citation rules, one sentence each (real model)."""

from __future__ import annotations

import pytest

from pipeline.nlp.citations import citation_rows
from pipeline.nlp.claims import extract_claims
from pipeline.nlp.quotes import quote_rows
from tests.utils import doc_rows


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("Up to 1,000 Ukrainian troops crossed the border.", ("Up to 1,000 Ukrainian troops", 1000, None, "count", "troops", "up to"), id="count of a noun, hedged"),
        pytest.param("The army took about 260 square kilometres.", ("about 260 square kilometres", 260, None, "km2", None, "about"), id="area"),
        pytest.param("The march covered six miles.", ("six miles", 9.656, None, "km", None, None), id="length converted with pint"),
        pytest.param("Prices rose 5 percent.", ("5 percent", 5, None, "percent", None, None), id="percent"),
        pytest.param("It cost about $120 a day.", ("about $120", 120, None, "USD", None, "about"), id="currency sign"),
        pytest.param("Salaries reached 10,000 rubles.", ("10,000 rubles", 10000, None, "RUB", None, None), id="currency word"),
        pytest.param("Between 60,000-70,000 troops were moved.", ("60,000-70,000 troops", 60000, 70000, "count", "troops", None), id="range"),
    ],
)
def test_claim_rule(nlp, text: str, expected: tuple) -> None:
    claims = extract_claims(nlp(text))
    assert [(text[c["start_char"] : c["end_char"]], c["value"], c["value_high"], c["unit"], c["counted"], c["qualifier"]) for c in claims] == [expected]


@pytest.mark.parametrize("text", ["The war began in 2022.", "The one Ukraine carried out was larger.", "It happened on August 7."])
def test_years_dates_and_pronoun_one_are_not_claims(nlp, text: str) -> None:
    assert extract_claims(nlp(text)) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("Bloomberg reports that the deal is close.", [("Bloomberg", "reports", "org:bloomberg")], id="outlet as speaker"),
        pytest.param("The ISW said Russia had moved reserves.", [("ISW", "said", "org:institute_for_the_study_of_war")], id="alias from the reference list"),
        pytest.param("He told Business Insider that the plan was risky.", [("Business Insider", "told", "org:business_insider")], id="outlet spoken to"),
        pytest.param("Putin said the attack would be answered.", [], id="a person speaking is a quote, not a source"),
    ],
)
def test_citation_rule(nlp, text: str, expected: list[tuple]) -> None:
    doc = nlp(text)
    sentences, mentions, _ = doc_rows(doc, "a")
    rows = citation_rows(doc, "a", quote_rows(doc, "a", mentions), mentions, sentences)
    assert [(r["source_name"], r["cue"], r["source_entity_id"]) for r in rows] == expected
