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
        pytest.param("The march covered six miles.", ("six miles", 9.656064, None, "km", None, None), id="length converted with pint"),
        pytest.param("Prices rose 5 percent.", ("5 percent", 5, None, "percent", None, None), id="percent"),
        pytest.param("It cost about $120 a day.", ("about $120", 120, None, "USD", None, "about"), id="currency sign"),
        pytest.param("Salaries reached 10,000 rubles.", ("10,000 rubles", 10000, None, "RUB", None, None), id="currency word"),
        pytest.param("Between 60,000-70,000 troops were moved.", ("60,000-70,000 troops", 60000, 70000, "count", "troops", None), id="range"),
        pytest.param("Turnout rose to about 19 per cent.", ("about 19 per cent", 19, None, "percent", None, "about"), id="per cent"),
        pytest.param("Inflation hit 2.5pc in May.", ("2.5pc", 2.5, None, "percent", None, None), id="pc"),
        pytest.param("The fund raised HK$500 million.", ("HK$500 million", 5e8, None, "HKD", None, None), id="prefixed dollar"),
        pytest.param("The deal was worth $13.6M.", ("$13.6M", 13.6e6, None, "USD", None, None), id="glued multiplier"),
        pytest.param("Repairs will cost $10 to $15 billion.", ("$10 to $15 billion", 1e10, 1.5e10, "USD", None, None), id="multiplier on both ends"),
        pytest.param("The fine was 5 million pounds.", ("5 million pounds", 5e6, None, "GBP", None, None), id="pounds of money"),
        pytest.param("The boxer weighs 208 pounds.", ("208 pounds", 94.34721, None, "kg", None, None), id="pounds of weight"),
        pytest.param("The ship carried 1.2m tons of grain.", ("1.2m tons", 1.2e9, None, "kg", None, None), id="tons with a multiplier"),
        pytest.param("The pitch is 30 yards long.", ("30 yards", 27.432, None, "m", None, None), id="yards"),
        pytest.param("It was 86°F at noon.", ("86°F", 30, None, "degC", None, None), id="temperature converted"),
        pytest.param("The plan runs for 15 years.", ("15 years", 15, None, "year", None, None), id="duration"),
        pytest.param("A 50 year-old man was hurt.", ("50 year-old", 50, None, "age", None, None), id="age"),
        pytest.param("The dam holds 3,000 shekels of debt.", ("3,000 shekels", 3000, None, "ILS", None, None), id="currency outside the old list"),
        pytest.param("The ticket costs 17 USD 25 now.", ("17 USD 25", 17.25, None, "USD", None, None), id="hundredths after a code"),
        pytest.param("It only cost thirteen dollars forty five.", ("thirteen dollars forty five", 13.45, None, "USD", None, None), id="hundredths in words"),
        pytest.param("The stand held around 80, 000 spectators.", ("around 80, 000 spectators", 80000, None, "count", "spectators", "around"), id="thousands spaced by a tokeniser"),
        pytest.param("Rooms cost HK$30, 000 a month.", ("HK$30, 000", 30000, None, "HKD", None, None), id="thousands spaced after a glued currency"),
    ],
)
def test_claim_rule(nlp, text: str, expected: tuple) -> None:
    claims = extract_claims(nlp(text))
    assert [(text[c["start_char"] : c["end_char"]], c["value"], c["value_high"], c["unit"], c["counted"], c["qualifier"]) for c in claims] == [expected]


@pytest.mark.parametrize("text", [
    "The war began in 2022.", "The one Ukraine carried out was larger.", "It happened on August 7.",
    "The S&P 500 closed higher.", "She bought an iPhone 11.", "The 787 Dreamliner landed.", "He lives at 575 Wilbraham Road.",
    "It breaks the Consumer Credit Act 1974.", "Italy won Euro 2020.",
])
def test_years_dates_and_pronoun_one_are_not_claims(nlp, text: str) -> None:
    assert extract_claims(nlp(text)) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("Gold fell from $2,415 to $2,315 an ounce.", [(2415, "from", "down"), (2315, "to", "down")], id="from and to"),
        pytest.param("Sales rose 5% last year.", [(5, "by", "up")], id="by, after the verb"),
        pytest.param("Exports dropped by 3.2 percent.", [(3.2, "by", "down")], id="by"),
        pytest.param("The army has 5,000 tanks.", [(5000, None, None)], id="no change"),
    ],
)
def test_changes_keep_both_values_and_the_direction(nlp, text: str, expected: list[tuple]) -> None:
    assert [(c["value"], c["change"], c["direction"]) for c in extract_claims(nlp(text))] == expected


def test_the_outlet_country_decides_a_bare_dollar(nlp) -> None:
    from pipeline.nlp.claims import dollar_for

    assert dollar_for("https://www.smh.com.au/world/x") == "AUD" and dollar_for("https://www.nytimes.com/x") == "USD"
    assert [c["unit"] for c in extract_claims(nlp("The mine cost $40 million."), dollar_for("https://www.abc.net.au/news"))] == ["AUD"]


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


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("He paid 5 dollars 20 people.", [5, 20], id="a number with a noun of its own is not hundredths"),
        pytest.param("Swap rmb 10 usd 20 at the desk.", [10, 20], id="a currency before the second number"),
    ],
)
def test_numbers_that_stay_apart(nlp, text: str, expected: list) -> None:
    assert [c["value"] for c in extract_claims(nlp(text))] == expected
