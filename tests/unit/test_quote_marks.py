"""Quotation marks, on plain strings: where quotations open and close."""

from __future__ import annotations

import pytest

from pipeline.nlp.quotes.marks import inside, paragraph_bounds, quotation_spans


def _quotes(text: str) -> list[str]:
    return [text[a:b] for a, b in quotation_spans(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('He said: "We will hold." Then he left.', ['"We will hold."']),
        ("She called it “a turning point” on Monday.", ["“a turning point”"]),
        ("Archive text: ''We will hold,'' he said.", ["''We will hold,''"]),
        ('The pipe is 5" wide.', []),
        ('"First paragraph of a long quote.\n\n"Second paragraph," he said.', ['"First paragraph of a long quote.\n\n"Second paragraph,"']),
        ('"Left open at the end of its paragraph.\n\nNext paragraph.', ['"Left open at the end of its paragraph.']),
        ('"He called it “madness” today," she said.', ['"He called it “madness” today,"']),
        ("«Nous tiendrons», a-t-il dit.", ["«Nous tiendrons»"]),
    ],
)
def test_quotation_spans(text: str, expected: list[str]) -> None:
    assert _quotes(text) == expected


def test_inside_and_paragraphs() -> None:
    spans = [(3, 10), (20, 25)]
    assert inside(spans, 3) and inside(spans, 24) and not inside(spans, 10) and not inside(spans, 0)
    text = "One.\n\nTwo two.\n\nThree."
    assert paragraph_bounds(text, text.index("two")) == (6, 14)
