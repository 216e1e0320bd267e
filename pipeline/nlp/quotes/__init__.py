"""Attributed statements: direct quotes, indirect speech and "according to", with their speakers.

Works on a parsed spaCy ``Doc`` of a cleaned body, so every offset is a character offset into
``articles.body``. The rules, one module each:

* :mod:`~pipeline.nlp.quotes.marks`: where quotations open and close;
* :mod:`~pipeline.nlp.quotes.speakers`: reporting verbs and the ways a speaker is named;
* :mod:`~pipeline.nlp.quotes.direct`: direct quotes, split quotes rejoined, continued speakers;
* :mod:`~pipeline.nlp.quotes.headline`: ``Speaker: ‘…’`` in the headline opening the body;
* :mod:`~pipeline.nlp.quotes.indirect`: indirect speech and "according to";
* :mod:`~pipeline.nlp.quotes.pronouns`: "he" and "she" resolved to the person they stand for.
"""

from __future__ import annotations

from spacy.tokens import Doc

from pipeline.nlp.doc import text_of
from pipeline.nlp.quotes.direct import direct_quotes
from pipeline.nlp.quotes.headline import headline_quote
from pipeline.nlp.quotes.indirect import according_to, indirect_speech
from pipeline.nlp.quotes.marks import quotation_spans
from pipeline.nlp.quotes.pronouns import resolve_speakers
from pipeline.nlp.quotes.types import Quote

__all__ = ["Quote", "extract_quotes", "quotation_spans", "quote_rows"]


def extract_quotes(doc: Doc) -> list[Quote]:
    """All attributed statements of a parsed body, ordered by position."""
    spans = quotation_spans(text_of(doc))
    quotes = direct_quotes(doc, spans)
    headline = headline_quote(doc)
    if headline is not None and not any(q.start_char < headline.end_char and headline.start_char < q.end_char for q in quotes):
        quotes.insert(0, headline)
    covered = [(q.start_char, q.end_char) for q in quotes]
    quotes = [*quotes, *indirect_speech(doc, spans, covered), *according_to(doc, spans, covered)]
    quotes.sort(key=lambda q: (q.start_char, q.end_char))
    resolve_speakers(doc, quotes, spans)
    return quotes


def _speaker_entity(quote: Quote, mentions: list[dict], by_start: dict[int, dict]) -> str | None:
    """The entity a speaker is: the named person it resolves to, else an entity the speaker phrase opens with.

    The phrase names an entity only when it opens with it (``the ISW``, ``NV media``), not when it
    merely mentions one (``… at the Carnegie Russia Eurasia Center``).
    """
    if quote.speaker_person_start is not None and quote.speaker_person_start in by_start:
        return by_start[quote.speaker_person_start]["entity_id"]
    if quote.speaker_start is None:
        return None
    leading = [m for m in mentions if quote.speaker_start <= m["start_char"] <= quote.speaker_start + 4]
    return leading[0]["entity_id"] if leading else None


def quote_rows(doc: Doc, article_id: str, mentions: list[dict]) -> list[dict]:
    """Rows of ``quotes``: every attributed statement, its speaker resolved to an entity where possible."""
    by_start = {m["start_char"]: m for m in mentions}
    text = text_of(doc)
    return [
        {
            "article_id": article_id,
            "quote_idx": index,
            "start_char": q.start_char,
            "end_char": q.end_char,
            "quote": text[q.start_char : q.end_char],
            "kind": q.kind,
            "cue": q.cue,
            "speaker": q.speaker,
            "speaker_start": q.speaker_start,
            "speaker_end": q.speaker_end,
            "speaker_resolved": q.speaker_resolved or q.speaker,
            "speaker_entity_id": _speaker_entity(q, mentions, by_start),
        }
        for index, q in enumerate(extract_quotes(doc))
    ]
