"""Canonical entities: one id per real-world entity across articles.

The reference lists in ``pipeline/reference/`` (in git; analysts extend them without touching
code) feed spaCy's own ``entity_ruler``, placed before the statistical NER so that known names get
the right label and a canonical id (``Kiev``/``Kyiv`` → ``gpe:kyiv``, ``Kursk region``/``Kursk
Oblast``/``Kursk`` → ``gpe:kursk_oblast`` with ISO 3166-2 ``RU-KRS``), fixing the small model's
domain mistakes (``Kursk`` as a product, ``Kyiv`` as a person):

* ``gazetteer.csv``: ``entity_id,label,canonical_name,iso_code`` — one row per entity.
* ``aliases.csv``: ``alias,entity_id`` — every spelling that names it, as written.

Names the lists do not know get ``label:normalised_name`` ids, possessives stripped; a lone
surname takes the id of the full name used in the same article (``Markov`` → ``Sergei Markov``),
and an acronym the text defines takes the id of its long form ("the Velmora Flood Relief Agency
(VFRA)": every ``VFRA`` of the article). Across articles, load links the short forms left
(:mod:`pipeline.store.entity_links`).
"""

from __future__ import annotations

from spacy.tokens import Doc

from pipeline.nlp.doc import entities_of, sentence_index, text_of, trim
from pipeline.nlp.names import POSSESSIVE as _POSSESSIVE
from pipeline.nlp.names import Reference, defined_acronyms, entity_key, name_of


def ruler_patterns(reference: Reference) -> list[dict]:
    return [
        {"label": reference.entities[entity_id]["label"], "pattern": alias, "id": entity_id}
        for alias, entity_id in reference.aliases
    ]


def resolve_mentions(mentions: list[dict], known_ids: list[str | None], text: str = "") -> None:
    """Set ``entity_id`` on one article's mentions (in place).

    Args:
        mentions: rows with ``text``, ``label`` and (for acronyms) ``end_char``.
        known_ids: the reference id of each mention (from the entity ruler), or None.
        text: the article's body, where acronyms are defined.
    """
    full_names: dict[str, str] = {}
    for mention, known in zip(mentions, known_ids):
        mention["entity_id"] = known or entity_key(mention["text"], mention["label"])
        if mention["label"] == "PERSON":
            words = _POSSESSIVE.sub("", mention["text"]).split()
            if len(words) > 1:
                full_names.setdefault(words[-1], mention["entity_id"])
    for mention, known in zip(mentions, known_ids):
        if known is None and mention["label"] == "PERSON":
            words = _POSSESSIVE.sub("", mention["text"]).split()
            if len(words) == 1 and words[0] in full_names:
                mention["entity_id"] = full_names[words[0]]
    acronyms = defined_acronyms(mentions, text) if text else {}
    for mention, known in zip(mentions, known_ids):
        if known is None and name_of(mention["text"]) in acronyms:
            mention["entity_id"] = acronyms[name_of(mention["text"])]


def iso_code_for(name: str, label: str, reference_code: str | None) -> str | None:
    """ISO 3166 code of a place: the reference list's, else a country looked up with pycountry."""
    if reference_code or label not in {"GPE", "LOC"}:
        return reference_code
    import pycountry

    try:
        return pycountry.countries.lookup(name).alpha_2
    except LookupError:
        return None


def sentence_rows(doc: Doc, article_id: str) -> list[dict]:
    """Rows of ``sentences``: whitespace trimmed off each sentence's edges, blank sentences dropped."""
    text = text_of(doc)
    rows: list[dict] = []
    for sent in doc.sents:
        start, end = trim(text, sent.start_char, sent.end_char)
        if start == end:
            continue
        rows.append({"article_id": article_id, "sentence_idx": len(rows), "start_char": start, "end_char": end, "text": text[start:end]})
    return rows


def mention_rows(doc: Doc, article_id: str, sentences: list[dict]) -> list[dict]:
    """Rows of ``entity_mentions``, each with its canonical ``entity_id`` and the sentence it starts in."""
    text = text_of(doc)
    starts = [s["start_char"] for s in sentences]
    mentions: list[dict] = []
    known_ids: list[str | None] = []
    for ent in entities_of(doc):
        start, end = trim(text, ent.start_char, ent.end_char)
        if start == end:
            continue
        mentions.append({"article_id": article_id, "sentence_idx": sentence_index(starts, start), "start_char": start,
                         "end_char": end, "text": text[start:end], "label": ent.label_, "entity_id": None})
        known_ids.append(ent.ent_id_ or None)
    resolve_mentions(mentions, known_ids, text)
    return mentions


def entity_records(mentions: list[tuple], reference: Reference) -> list[dict]:
    """Rows of ``entities`` from mention statistics and the reference lists (the gazetteer wins).

    Args:
        mentions: ``(entity_id, most common label, most common name, names, mentions, articles,
            stories)`` per entity id, as the load stage aggregates them from ``entity_mentions``.
        reference: the gazetteer and alias lists.
    """
    aliases: dict[str, set[str]] = {}
    for alias, entity_id in reference.aliases:
        aliases.setdefault(entity_id, set()).add(alias)
    records = []
    for entity_id, label, name, texts, count, articles, stories in mentions:
        known = reference.entities.get(entity_id)
        canonical = known["canonical_name"] if known else name
        label = known["label"] if known else label
        records.append({
            "entity_id": entity_id,
            "canonical_name": canonical,
            "label": label,
            "iso_code": iso_code_for(canonical, label, known["iso_code"] if known else None),
            "aliases": sorted(set(texts) | aliases.get(entity_id, set())),
            "mentions": count,
            "articles": articles,
            "stories": stories,
        })
    return records
