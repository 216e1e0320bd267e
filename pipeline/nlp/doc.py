"""The parsed document as every extractor reads it: text and entities built once, offsets helpers.

spaCy rebuilds ``doc.text`` and ``doc.ents`` on every access; the extractors read both many times
per document, so they are built once and cached on the document, then released when its rows are
made (the cached spans point back at the document and would keep it alive).
"""

from __future__ import annotations

from bisect import bisect_right

from spacy.tokens import Doc, Span


def text_of(doc: Doc) -> str:
    """``doc.text``, built once per document."""
    cached = doc.user_data.get("pipeline_text")
    if cached is None:
        cached = doc.text
        doc.user_data["pipeline_text"] = cached
    return cached


def entities_of(doc: Doc) -> tuple:
    """``doc.ents``, built once per document."""
    cached = doc.user_data.get("pipeline_ents")
    if cached is None:
        cached = tuple(doc.ents)
        doc.user_data["pipeline_ents"] = cached
    return cached


def release(doc: Doc) -> None:
    """Drop the per-document caches once a document's rows are made.

    The cached entity spans point back at their document, a cycle that keeps every parsed
    document (about 2 MB each) alive until Python's cycle collector happens to run: a worker
    would hold a whole shard of documents at once.
    """
    doc.user_data.pop("pipeline_ents", None)
    doc.user_data.pop("pipeline_text", None)


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Narrow a span so it neither starts nor ends with whitespace: ``" Kyiv\\n"`` → ``"Kyiv"``."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def trim_space_tokens(span: Span) -> Span:
    """``span`` without the whitespace tokens at its edges: the model sometimes tags a headline's name
    with the line break after it (``Antonín Dvořák`` + ``"\\n\\n"``)."""
    start, end = span.start, span.end
    while start < end and span.doc[start].is_space:
        start += 1
    while end > start and span.doc[end - 1].is_space:
        end -= 1
    return span.doc[start:end]


def sentence_index(starts: list[int], char: int) -> int:
    """The sentence that holds a character offset, given the sentences' start offsets in order."""
    return max(bisect_right(starts, char) - 1, 0)


def sentence_starts(sentences: list[dict]) -> list[int]:
    """Start offsets of ``sentences`` rows, for :func:`sentence_index`."""
    return [s["start_char"] for s in sentences]
