"""Cleaning: site furniture goes, real sentences stay, every removal is logged."""

from __future__ import annotations

import pytest

from pipeline.sources.clean import RULES, clean
from tests.conftest import SEEDS

# Furniture lines named by the analysts: none may survive in any cleaned body.
FURNITURE = [
    "6cd4e8208de32dbbdc083607744b7d61",
    "Kursk attackKursk attack",
    "Wagner mutinyWagner mutiny",
    "Leave a Comment",
    "Your email address will not be published",
    "Scroll to Top",
    "Read also:",
    "Loading comments...",
    "4 months ago",
    "- News",
    "•",
]

# First and last real sentence of every seed's body (the title is stored separately).
FIRST_LAST = {
    "000_28301e55a71bf43e.txt": (
        "Ukraine has entered Russia and is taking over more towns.",
        "Online, photos of destroyed armoured vehicles that were heading to assist and aimed to eliminate the enemy have also appeared.",
    ),
    "001_3513219292cbd83a.txt": (
        "The incursion of up to 1,000 Ukrainian troops into Russia’s Kursk region, now in its third day, has caught the Russian military off guard.",
        "should support Ukraine’s efforts to confront Putin in any way necessary to expedite the end of the conflict.",
    ),
    "002_b5182ef2f12f483c.txt": (
        "Starting negotiations with part of the Kursk region under Ukraine's control is an unbearably difficult political situation for Putin",
        "According to him, the enemy has launched a rapid offensive there, but has not had any serious success.",
    ),
    "003_59408dc3484da267.txt": (
        "The Ukrainian army entered Russia’s Kursk region on Tuesday.",
        "But Ukraine will need to maintain the momentum to seriously undermine Putin’s power.",
    ),
    "004_b2332aca226b8c46.txt": (
        "Russian media started to raise the alarm regarding the Kursk region.",
        "If Pokrovsk falls, these areas could be far more exposed to a Russian onslaught.",
    ),
}


def _lines(body: str) -> list[str]:
    return [line for line in body.split("\n") if line]


@pytest.mark.parametrize("name", sorted(FIRST_LAST))
def test_seed_loses_furniture_and_keeps_first_and_last_sentence(name: str) -> None:
    cleaned = clean((SEEDS / name).read_text(encoding="utf-8"))
    lines = _lines(cleaned.body)
    for furniture in FURNITURE:
        assert not any(line.startswith(furniture) or line == furniture for line in lines), furniture
    assert "Kursk attackKursk attack" not in cleaned.body
    assert "6cd4e8208de32dbbdc083607744b7d61" not in cleaned.body
    first, last = FIRST_LAST[name]
    assert lines[0] == cleaned.title  # the headline opens the body
    assert lines[1].startswith(first)
    assert lines[-1].endswith(last)


def test_every_seed_has_a_title_and_the_first_line_is_it() -> None:
    for path in sorted(SEEDS.glob("*.txt")):
        first_line = next(line for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
        assert clean(path.read_text(encoding="utf-8")).title == first_line.strip()


def test_cleaning_log_names_rule_and_line() -> None:
    cleaned = clean((SEEDS / "003_59408dc3484da267.txt").read_text(encoding="utf-8"))
    by_rule = {}
    for entry in cleaned.log:
        by_rule.setdefault(entry.rule, []).append(entry)
    assert [e.text for e in by_rule["duplicated_caption"]] == ["Kursk attackKursk attack", "Wagner mutinyWagner mutiny"]
    assert by_rule["hash_line"][0].line_no == 3
    assert len(by_rule["bullet_glyph"]) == 3
    assert {"comment_prompt", "navigation", "photo_credit", "read_original"} <= set(by_rule)
    assert all(entry.rule in RULES for entry in cleaned.log)


def test_counter_under_relative_time_goes_but_numbers_in_text_stay() -> None:
    text = "Title line\n\n4 months ago\n7\n\nThe army said 7 brigades moved. Read also: this stays inside a sentence.\n12\n"
    cleaned = clean(text)
    assert [(e.rule, e.text) for e in cleaned.log] == [("relative_time", "4 months ago"), ("share_counter", "7")]
    assert "The army said 7 brigades moved. Read also: this stays inside a sentence." in cleaned.body
    assert cleaned.body.endswith("12")  # a lone number not under a "... ago" line is not a counter
    assert cleaned.body.startswith("Title line\n\n")


def test_unicode_is_normalised() -> None:
    decomposed = "Title\nZelenskyy\u2019s vis\u0131t to Kyi\u0300v\u00a0today\u200b was brief.  Really."
    cleaned = clean(decomposed)
    assert "\u00a0" not in cleaned.body and "\u200b" not in cleaned.body and "  " not in cleaned.body
    assert "Zelenskyy’s" in cleaned.body
    assert "Kyìv" in cleaned.body  # NFC: i + combining grave became one character


def test_sign_up_forms_advertisement_breaks_and_copyright_lines_of_news_sites_go() -> None:
    """Saved pages of news sites carry a newsletter form, advertisement breaks and the agency's
    copyright line; their words made entities ("Invalid" a person, the Associated Press a source).
    A sentence that mentions such words stays."""
    furniture = {
        "Advertisement Continue reading the main story": "navigation",
        "Advertisement - Continue Reading Below": "navigation",
        "Order Reprints | Today’s Paper | Subscribe A version of this article appears in print on Page A14.": "navigation",
        "Newsletter Sign Up Continue reading the main story Please verify you're not a robot by clicking the box. "
        "Invalid email address. Please re-enter.": "sign_up_prompt",
        "Sign up for BREAKING NEWS Emails privacy policy Thanks for subscribing!": "sign_up_prompt",
        "Copyright 2018 The Associated Press. All rights reserved. This material may not be published.": "copyright_notice",
        "Copyright © 2018 NPR. All rights reserved.": "copyright_notice",
        "© 2017 Hawaii News Now. All rights reserved.": "copyright_notice",
    }
    kept = [
        "The band said all rights reserved by the label would return to them in 2020.",
        "Sign up for the draft closes on Friday, the league said.",
        "Copyright lawyers said the ruling would stand.",
    ]
    cleaned = clean("\n\n".join(["North Korea fires missile", *furniture, *kept]))
    assert [(e.text, e.rule) for e in cleaned.log] == list(furniture.items())
    assert _lines(cleaned.body) == ["North Korea fires missile", *kept]
    assert all(entry.rule in RULES for entry in cleaned.log)


def test_every_rule_the_cleaner_logs_is_allowed_by_the_cleaning_log_suite() -> None:
    import json

    from pipeline.config import PROJECT_ROOT

    suite = json.loads((PROJECT_ROOT / "expectations" / "cleaning_log.json").read_text())
    allowed = next(e["kwargs"]["value_set"] for e in suite["expectations"] if e["kwargs"].get("column") == "rule")
    assert set(RULES) == set(allowed)


def test_media_labels_and_link_prompts_on_their_own_lines_go() -> None:
    """A saved page keeps the label of an image or a video it showed ("Photo", "Video"), the Daily
    Mail's "Scroll down for video" and a bare "Read more" link, each on a line of its own; "Photo" was
    an organisation in the entity tables. A sentence with these words stays."""
    furniture = {"Photo": "navigation", "Video": "navigation", "Scroll down for video": "navigation", "Read more": "navigation",
                 "Read More": "navigation"}
    kept = ["Photo agencies said the pictures were real.", "Read more about the launch on Friday, officials said."]
    cleaned = clean("\n\n".join(["North Korea fires missile", *furniture, *kept]))
    assert [(e.text, e.rule) for e in cleaned.log] == list(furniture.items())
    assert _lines(cleaned.body) == ["North Korea fires missile", *kept]
