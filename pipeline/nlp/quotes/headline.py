"""Quotes in headlines: ``Ted Cruz: ‘Physically Assaulting A Reporter Is A Fireable Offense.’``.

The cleaned body opens with the article's title as its first paragraph. Headlines quote in single
marks and drop the verb: a name (or a short source the model left untagged, ``Reid``) before a colon, then
a quotation that runs to the end of the headline, is that speaker's direct quote. A quotation that
stops inside the headline (``Sanders: ‘Of Course’ Clinton Is Qualified``) or a quoted word
(``Obama slams GOP’s ‘doom and despair’``) is the writer's wording, not a quote.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span

from pipeline.nlp.doc import entities_of, text_of
from pipeline.nlp.quotes.types import Quote

MAX_HEADLINE_WORDS = 40
MAX_SOURCE_WORDS = 3  # ``Reid``, ``Senate Democrats``: a source before the colon that is not a tagged name
# Section labels that open headlines and are not sources: ``The Latest: …``.
RUBRICS = frozenset(
    "the latest|latest|breaking|breaking news|watch|exclusive|update|live|opinion|analysis|editorial|review|"
    "video|photos|poll|factbox|explainer|fact check|timeline|q&a|in pictures|podcast".split("|")
)
HEADLINE_QUOTE = re.compile(r"^(?P<source>[^:\n]{2,120}?):\s+(?P<quote>[‘'“\"](?P<words>[^\n]+?)[’'”\"])\.?\s*$")


def headline_quote(doc: Doc) -> Quote | None:
    """The direct quote of a headline ``Speaker: ‘…’`` opening the body, or None."""
    text = text_of(doc)
    end = text.find("\n")
    headline = text if end < 0 else text[:end]
    match = HEADLINE_QUOTE.match(headline)
    if match is None or len(headline.split()) > MAX_HEADLINE_WORDS or len(match["words"].split()) < 2:
        return None
    source = _source(doc, match.start("source"), match.end("source"))
    if source is None:
        return None
    start, stop = source
    return Quote(match.start("quote"), match.end("quote"), "direct", ":", text[start:stop], start, stop)


def _source(doc: Doc, start: int, end: int) -> tuple[int, int] | None:
    """Who the headline quotes: the first person or organisation named before the colon (before
    ``on`` in ``Gillibrand on Hillary …:``), or the whole of a short source that names no place or
    other entity and is not a section label (``Reid``)."""
    text = text_of(doc)
    about = re.search(r"\s+on\s+", text[start:end], flags=re.IGNORECASE)
    if about is not None:
        end = start + about.start()
    named: list[Span] = [e for e in entities_of(doc) if start <= e.start_char and e.end_char <= end]
    names = [e for e in named if e.label_ in {"PERSON", "ORG"}]
    if names:
        return names[0].start_char, names[0].end_char
    written = text[start:end].strip()
    if named or not _may_be_source(written):
        return None  # a topic (``Kursk incursion``, ``Ukraine war live``), not a source
    offset = text.index(written, start)
    return offset, offset + len(written)


def _may_be_source(written: str) -> bool:
    """A few capitalised words that are no section label (``Reid``; not ``Live``, ``Analysis``)."""
    words = written.lower().split()
    return bool(words) and written[0].isupper() and len(words) <= MAX_SOURCE_WORDS and not (
        written.lower() in RUBRICS or words[-1] in RUBRICS)
