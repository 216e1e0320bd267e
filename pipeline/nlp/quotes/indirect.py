"""Statements without quotation marks: indirect speech and "according to".

* **indirect**: a reporting verb with a subject and a clausal complement in the dependency parse:
  ``Lopez told reporters that the committee would meet again.`` → ``that the committee would
  meet again`` by ``Lopez``.
* **according_to**: ``According to the treasury, the deficit will grow.`` → ``the deficit will
  grow`` by ``the treasury``; ``The deficit will grow, according to the treasury.`` likewise.

Statements that overlap a direct quote are left out (the direct quote already holds them).
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from pipeline.nlp.doc import text_of
from pipeline.nlp.quotes.marks import inside
from pipeline.nlp.quotes.speakers import cue_words, is_cue, speaker_phrase, subject_of
from pipeline.nlp.quotes.types import Quote

MIN_STATEMENT_CHARS = 10


def overlaps(covered: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in covered)


def _trim_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] in " .,;:":
        end -= 1
    return end


def reported_clause(verb: Token) -> tuple[int, int] | None:
    """The span a reporting verb reports: its clausal complement, with a leading ``that``.

    ``X said that prices would rise.`` → ``that prices would rise``; ``X expects to win`` counts
    (an ``xcomp`` other than ``be``).
    """
    complements = [c for c in verb.children if c.dep_ == "ccomp" or (c.dep_ == "xcomp" and c.lemma_ != "be")]
    if not complements:
        return None
    content = complements[0]
    doc = verb.doc
    first, last = content.left_edge, content.right_edge
    if first.i > verb.i and doc[first.i - 1].lower_ == "that" and doc[first.i - 1].head is content:
        first = doc[first.i - 1]
    start = first.idx
    return start, _trim_end(text_of(doc), start, last.idx + len(last))


def indirect_speech(doc: Doc, spans: list[tuple[int, int]], covered: list[tuple[int, int]]) -> list[Quote]:
    """Every reporting verb outside quotation marks with a subject (not ``it``) and a reported clause."""
    found = []
    for verb in doc:
        if not is_cue(verb, spans):
            continue
        clause = reported_clause(verb)
        subject = subject_of(verb) if clause is not None else None
        if subject is None or inside(spans, subject.idx) or subject.lower_ == "it":
            continue
        start, end = clause
        if end - start < MIN_STATEMENT_CHARS or overlaps(covered, start, end):
            continue
        speaker = speaker_phrase(subject)
        found.append(Quote(start, end, "indirect", cue_words(verb), speaker.text, speaker.start_char, speaker.end_char))
    return found


def according_to_source(token: Token) -> Span | None:
    """The source phrase of ``according to X`` starting at the token ``according``."""
    doc = token.doc
    to = next((c for c in token.children if c.lower_ == "to"), None)
    if to is None and token.i + 1 < len(doc) and doc[token.i + 1].lower_ == "to":
        to = doc[token.i + 1]
    objects = [c for c in to.children if c.dep_ == "pobj"] if to is not None else []
    return speaker_phrase(objects[0]) if objects else None


def according_to_statement(token: Token, source: Span) -> tuple[int, int]:
    """What ``according to`` attributes: the rest of the sentence after a leading phrase, else the part before it."""
    text = text_of(token.doc)
    sentence = token.sent
    if token.idx - sentence.start_char <= 2:
        start = source.end_char
        while start < sentence.end_char and text[start] in " ,":
            start += 1
        end = sentence.end_char
    else:
        start, end = sentence.start_char, token.idx
    return start, _trim_end(text, start, end)


def according_to(doc: Doc, spans: list[tuple[int, int]], covered: list[tuple[int, int]]) -> list[Quote]:
    """Every ``according to X`` outside quotation marks, with the statement it attributes to X."""
    found = []
    for token in doc:
        if token.lower_ != "according" or inside(spans, token.idx):
            continue
        source = according_to_source(token)
        if source is None:
            continue
        start, end = according_to_statement(token, source)
        if end - start < MIN_STATEMENT_CHARS or overlaps(covered, start, end):
            continue
        found.append(Quote(start, end, "according_to", "according to", source.text, source.start_char, source.end_char))
    return found
