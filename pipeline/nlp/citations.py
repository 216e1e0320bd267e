"""Cited sources: outlets, agencies and institutions given as the source of information.

Built on the attributed statements of :mod:`pipeline.nlp.quotes` and the dependency parse, by two
rules:

* :func:`speaker_source`: the speaker of a statement when it names an organisation or a media
  outlet rather than a person (``Bloomberg reports``, ``the ISW said``, ``NV media, citing its own
  source …, wrote``, ``according to a "The Washington Post" interlocutor``);
* :func:`told_sources`: the outlet a person spoke to (``told Business Insider``).
"""

from __future__ import annotations

from spacy.tokens import Doc

from pipeline.nlp.doc import entities_of, sentence_index, sentence_starts, text_of

SOURCE_LABELS = frozenset({"ORG", "WORK_OF_ART", "NORP", "GPE"})
OUTLET_LABELS = frozenset({"ORG", "WORK_OF_ART"})
MEDIA_WORDS = frozenset(
    {"media", "outlet", "newspaper", "paper", "agency", "channel", "resource", "broadcaster", "website", "magazine", "tv", "television", "radio"}
)


def speaker_source(doc: Doc, quote: dict, mentions: list[dict]) -> tuple[int, int, str | None] | None:
    """The source a statement's speaker names, as ``(start, end, entity_id)``; ``None`` for a person.

    ``Putin said`` → no source (a person speaking is a quote); otherwise :func:`media_source`,
    else :func:`organisation_source`.
    """
    if quote["speaker_start"] is None:
        return None
    inside = [m for m in mentions if quote["speaker_start"] <= m["start_char"] < quote["speaker_end"]]
    if any(m["label"] == "PERSON" for m in inside):
        return None
    sources = [m for m in inside if m["label"] in SOURCE_LABELS]
    return media_source(doc, quote, sources) or organisation_source(sources)


def media_source(doc: Doc, quote: dict, sources: list[dict]) -> tuple[int, int, str | None] | None:
    """``NV media, citing …, wrote`` → the whole phrase ``NV media``, when a media word heads it.

    Its entity is the organisation inside (``Russian media`` has none: a nation is no outlet).
    """
    phrase = doc.char_span(quote["speaker_start"], quote["speaker_end"], alignment_mode="expand")
    if phrase is None or phrase.root.lower_ not in MEDIA_WORDS:
        return None
    return phrase.start_char, phrase.end_char, next((m["entity_id"] for m in sources if m["label"] == "ORG"), None)


def organisation_source(sources: list[dict]) -> tuple[int, int, str | None] | None:
    """``The Independent reported`` → the organisation (or titled work) the speaker phrase names first."""
    if not sources:
        return None
    primary = next((m for m in sources if m["label"] in OUTLET_LABELS), sources[0])
    if primary["label"] not in OUTLET_LABELS:
        return None
    return primary["start_char"], primary["end_char"], primary["entity_id"]


def told_sources(doc: Doc, mentions: list[dict]) -> list[tuple[int, int, str | None]]:
    """``told Business Insider``: organisations that are the object of "tell", as ``(start, end, entity_id)``."""
    by_start = {m["start_char"]: m for m in mentions}
    found = []
    for token in doc:
        if token.lemma_ != "tell" or token.pos_ not in {"VERB", "AUX"}:
            continue
        for child in token.children:
            if child.dep_ not in {"dobj", "dative", "iobj"}:
                continue
            ent = next((e for e in entities_of(doc) if e.start <= child.i < e.end), None)
            if ent is not None and ent.label_ in OUTLET_LABELS:
                mention = by_start.get(ent.start_char)
                found.append((ent.start_char, ent.end_char, mention["entity_id"] if mention else None))
    return found


def citation_rows(doc: Doc, article_id: str, quotes: list[dict], mentions: list[dict], sentences: list[dict]) -> list[dict]:
    """Rows of ``citations`` for one parsed body, one per source span, in order."""
    starts = sentence_starts(sentences)
    text = text_of(doc)
    found: list[tuple[int, int, str, str | None]] = []
    for quote in quotes:
        source = speaker_source(doc, quote, mentions)
        if source is not None:
            found.append((*source[:2], quote["cue"], source[2]))
    found.extend((start, end, "told", entity_id) for start, end, entity_id in told_sources(doc, mentions))
    rows: dict[tuple[int, int], dict] = {}
    for start, end, cue, entity_id in found:
        rows.setdefault((start, end), {
            "article_id": article_id, "sentence_idx": sentence_index(starts, start), "start_char": start, "end_char": end,
            "source_name": text[start:end], "source_entity_id": entity_id, "cue": cue,
        })
    return sorted(rows.values(), key=lambda r: r["start_char"])
