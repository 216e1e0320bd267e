"""The parsed document as every extractor reads it: text and entities built once, offsets helpers.

spaCy rebuilds ``doc.text`` and ``doc.ents`` on every access; the extractors read both many times
per document, so they are built once and cached on the document, then released when its rows are
made (the cached spans point back at the document and would keep it alive).
"""

from __future__ import annotations

from bisect import bisect_right

from spacy.tokens import Doc


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
        cached = tuple(ent for ent in doc.ents if not _word_not_name(ent))
        doc.user_data["pipeline_ents"] = cached
    return cached


# Parts of speech a one-word name never has: ``Understand``, ``Browsing``, ``Nah`` opening a sentence
# are words the small model sometimes tags as places or people.
NOT_NAME_POS = frozenset({"VERB", "AUX", "ADV", "INTJ", "PRON", "ADP", "DET", "CCONJ", "SCONJ", "PART"})


def _word_not_name(ent) -> bool:
    """A one-word entity the tagger reads as a verb, adverb or other word that is not a name
    (the entity ruler's names are kept whatever their part of speech)."""
    word = ent[0]
    return (len(ent) == 1 and not ent.ent_id_ and ent.label_ in {"PERSON", "ORG", "GPE", "LOC", "FAC"}
            and word.pos_ in NOT_NAME_POS and word.text.isalpha() and not word.text.isupper())


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


def sentence_index(starts: list[int], char: int) -> int:
    """The sentence that holds a character offset, given the sentences' start offsets in order."""
    return max(bisect_right(starts, char) - 1, 0)


def sentence_starts(sentences: list[dict]) -> list[int]:
    """Start offsets of ``sentences`` rows, for :func:`sentence_index`."""
    return [s["start_char"] for s in sentences]
