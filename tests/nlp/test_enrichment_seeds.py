"""Enrichment on the seed articles: canonical entities, speakers, cited sources, claims, timeline."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from pipeline.config import REFERENCE_DIR
from pipeline.nlp.citations import citation_rows
from pipeline.nlp.claims import claim_rows
from pipeline.nlp.entities import iso_code_for
from pipeline.nlp.names import load_reference
from pipeline.nlp.quotes import quote_rows
from pipeline.nlp.timeline import timeline_rows
from pipeline.sources.clean import clean
from tests.conftest import SEEDS
from tests.utils import doc_rows

NAMES = {
    "000": "000_28301e55a71bf43e.txt",
    "001": "001_3513219292cbd83a.txt",
    "002": "002_b5182ef2f12f483c.txt",
    "003": "003_59408dc3484da267.txt",
    "004": "004_b2332aca226b8c46.txt",
}


@pytest.fixture(scope="module")
def seeds(nlp):
    out = {}
    for key, name in NAMES.items():
        body = clean((SEEDS / name).read_text(encoding="utf-8")).body
        doc = nlp(body)
        sentences, mentions, _ = doc_rows(doc, key)
        quotes = quote_rows(doc, key, mentions)
        out[key] = {
            "doc": doc,
            "body": body,
            "sentences": sentences,
            "mentions": mentions,
            "quotes": quotes,
            "citations": citation_rows(doc, key, quotes, mentions, sentences),
            "claims": claim_rows(doc, key, sentences),
        }
    return out


def _ids(seeds, surface: str) -> set[str]:
    return {m["entity_id"] for s in seeds.values() for m in s["mentions"] if m["text"] == surface}


def test_canonical_entities(seeds) -> None:
    assert _ids(seeds, "Putin") == _ids(seeds, "Vladimir Putin") == {"person:vladimir_putin"}
    assert {m["text"] for s in seeds.values() for m in s["mentions"] if m["entity_id"] == "person:vladimir_putin"} >= {"Putin", "Vladimir Putin"}
    assert _ids(seeds, "Kyiv") == _ids(seeds, "Kiev") == {"gpe:kyiv"}
    assert _ids(seeds, "Zelenskyy") == {"person:volodymyr_zelensky"}
    assert _ids(seeds, "Kursk region") == _ids(seeds, "Kursk") == {"gpe:kursk_oblast"}
    labels = {(m["text"], m["label"]) for s in seeds.values() for m in s["mentions"]}
    assert ("Kursk", "PRODUCT") not in labels and ("Kyiv", "PERSON") not in labels
    sumy = [m for m in seeds["001"]["mentions"] if m["text"].startswith("Sumy")]
    assert sumy and all(m["label"] == "GPE" and m["entity_id"] == "gpe:sumy_oblast" for m in sumy)
    # the mention keeps the surface text; the possessive only leaves the id
    body = seeds["001"]["body"]
    putin = [m for m in seeds["001"]["mentions"] if m["entity_id"] == "person:vladimir_putin"]
    assert all(body[m["start_char"] : m["end_char"]] == m["text"] for m in putin)
    assert body[putin[0]["end_char"] : putin[0]["end_char"] + 2] == "’s"


def test_reference_lists_are_consistent_and_iso_codes_exist() -> None:
    import pycountry

    reference = load_reference(str(REFERENCE_DIR))
    assert reference.entities["gpe:kursk_oblast"]["iso_code"] == "RU-KRS"
    for entity in reference.entities.values():
        code = entity["iso_code"]
        if code:
            assert (pycountry.subdivisions.get(code=code) if "-" in code else pycountry.countries.get(alpha_2=code)), code
    assert iso_code_for("Ukraine", "GPE", None) == "UA"
    assert iso_code_for("Narnia", "GPE", None) is None


def test_speakers_including_pronouns(seeds) -> None:
    def speakers(key):
        return [(q["kind"], q["speaker"], q["speaker_resolved"], q["speaker_entity_id"], q["quote"]) for q in seeds[key]["quotes"]]

    markov = [s for s in speakers("000") if s[4].startswith('"The advantage belongs to the defenders')]
    assert markov == [("direct", "he", "Sergei Markov", "person:sergei_markov", '"The advantage belongs to the defenders,"')]
    oreshkin = [s for s in speakers("002") if s[4].startswith('"In the coming months')]
    assert [(k, w, r, e) for k, w, r, e, _ in oreshkin] == [("direct", "he", "Dmitry Oreshkin", "person:dmitry_oreshkin")]
    assert oreshkin[0][4].endswith('waiting for him,"')
    trump_card = [s for s in speakers("002") if "a very big trump card for Zelenskyy" in s[4]]
    assert [s[1:4] for s in trump_card] == [("the political scientist", "Dmitry Oreshkin", "person:dmitry_oreshkin")]
    according = {(s[0], s[2]) for s in speakers("000") if s[0] == "according_to"}
    assert ("according_to", "Sergei Markov") in according
    fraser = [s for s in speakers("003") if s[4].startswith("“Putin needs to show")]
    assert fraser[0][1:4] == ("he", "Callum Fraser", "person:callum_fraser")
    lange = [s for s in speakers("004") if s[4].startswith('"Russia is determined')]
    assert lange[0][2] == "Nico Lange" and lange[0][0] == "direct"
    # every quote slices back to the body
    for s in seeds.values():
        for q in s["quotes"]:
            assert s["body"][q["start_char"] : q["end_char"]] == q["quote"]
            if q["speaker"] is not None:
                assert s["body"][q["speaker_start"] : q["speaker_end"]] == q["speaker"]


def test_the_seven_cited_sources(seeds) -> None:
    cited = {(key, c["source_entity_id"], c["cue"]) for key, s in seeds.items() for c in s["citations"]}
    expected = {
        ("000", "org:the_washington_post", "according to"),  # according to a "The Washington Post" interlocutor
        ("001", "org:bloomberg", "reports"),  # Bloomberg reports
        ("002", "org:the_wall_street_journal", "reported"),  # The Wall Street Journal, citing its own sources
        ("002", "org:the_independent", "reported"),  # The Independent reported
        ("003", "org:business_insider", "told"),  # told Business Insider
        ("003", "org:institute_for_the_study_of_war", "said"),  # the ISW said
        ("002", "org:nv", "wrote"),  # NV media, citing its own source in Ukrainian intelligence
    }
    assert expected <= cited
    nv = [c for c in seeds["002"]["citations"] if c["source_entity_id"] == "org:nv"]
    assert nv[0]["source_name"] == "NV media"
    assert not any(c["source_entity_id"] and c["source_entity_id"].startswith("person:") for s in seeds.values() for c in s["citations"])


def test_numeric_claims(seeds) -> None:
    claims = {(key, c["text"]): (c["value"], c["value_high"], c["unit"], c["counted"], c["qualifier"]) for key, s in seeds.items() for c in s["claims"]}
    assert claims[("000", "about 260 square kilometres")] == (260, None, "km2", None, "about")
    assert claims[("004", "around 1.3 thousand square kilometers")] == (1300, None, "km2", None, "around")
    assert claims[("001", "up to 1,000 Ukrainian troops")] == (1000, None, "count", "troops", "up to")
    assert claims[("000", "about 10,000 rubles")] == (10000, None, "RUB", None, "about")
    assert claims[("000", "about $120")] == (120, None, "USD", None, "about")
    assert claims[("002", "60,000-70,000 troops")] == (60000, 70000, "count", "troops", None)
    assert claims[("002", "92 settlements")] == (92, None, "count", "settlements", None)
    assert claims[("002", "about 2,000 Russian servicemen")] == (2000, None, "count", "servicemen", "about")
    assert claims[("002", "1,927 appeals")] == (1927, None, "count", "appeals", None)  # a number with a comma is no year
    assert claims[("004", "Three weeks")] == (3, None, "week", None, None)
    assert claims[("002", "over 100 Russian soldiers")] == (100, None, "count", "soldiers", "over")
    value, _, unit, _, _ = claims[("003", "six miles")]
    assert unit == "km" and value == pytest.approx(9.656, abs=0.01)
    # dates, ordinals and years are not claims
    texts = {text for _, text in claims}
    assert not any(t in texts for t in ("7 August", "August 7", "2024", "October 1, 2024", "first", "2023"))
    assert not any(v[0] in (2023, 2024) for v in claims.values())


def test_timeline_of_the_dated_article(seeds) -> None:
    s = seeds["002"]
    rows = timeline_rows(s["doc"], "002", s["sentences"], None)
    dated = {(r["date_text"], r["date"], r["precision"]) for r in rows}
    assert ("August 7", date(2024, 8, 7), "day") in dated
    assert ("Friday, August 9", date(2024, 8, 9), "day") in dated
    assert ("October 1, 2024", date(2024, 10, 1), "day") in dated
    assert ("August 2024", date(2024, 8, 1), "month") in dated
    assert all(r["date"] is None or r["date"].year == 2024 for r in rows)
    assert ("the same day", None, None) in dated  # relative: kept, never guessed


def test_relative_dates_resolve_only_against_a_publication_date(seeds) -> None:
    s = seeds["003"]
    without = timeline_rows(s["doc"], "003", s["sentences"], None)
    assert [r["date"] for r in without if r["date_text"] == "Tuesday"] == [None, None]
    published = datetime(2024, 8, 9, 12, 0, tzinfo=timezone.utc)  # a Friday
    with_date = timeline_rows(s["doc"], "003", s["sentences"], published)
    assert {r["date"] for r in with_date if r["date_text"] == "Tuesday"} == {date(2024, 8, 6)}
    assert [r["date"] for r in with_date if r["date_text"] == "this week"] == [None]  # a week, not a day
    s1 = seeds["001"]
    assert [r["date"] for r in timeline_rows(s1["doc"], "001", s1["sentences"], None) if r["date_text"] == "7 August"] == [None]
