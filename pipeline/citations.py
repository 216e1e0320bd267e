"""Cited sources: outlets, agencies and institutions given as the source of information.

Built on the attributed statements of :mod:`pipeline.quotes` and the dependency parse:

* the speaker of a statement when it names an organisation or a media outlet rather than a
  person (``Bloomberg reports``, ``The Independent reported``, ``the ISW said``, ``NV media,
  citing its own source …, wrote``, ``according to a "The Washington Post" interlocutor``);
* the outlet a person spoke to (``told Business Insider``, ``told "The Washington Post"``).
"""

from __future__ import annotations

from bisect import bisect_right

from spacy.tokens import Doc

from pipeline.entities import entities_of, text_of

SOURCE_LABELS = frozenset({"ORG", "WORK_OF_ART", "NORP", "GPE"})
MEDIA_WORDS = frozenset(
    {"media", "outlet", "newspaper", "paper", "agency", "channel", "resource", "broadcaster", "website", "magazine", "tv", "television", "radio"}
)


def _sentence_of(starts: list[int], char: int) -> int:
    return max(bisect_right(starts, char) - 1, 0)


def citation_rows(doc: Doc, article_id: str, quotes: list[dict], mentions: list[dict], sentences: list[dict]) -> list[dict]:
    """Rows of ``citations`` for one parsed body."""
    starts = [s["start_char"] for s in sentences]
    rows: list[dict] = []
    seen: set[tuple[int, int]] = set()

    def add(start: int, end: int, cue: str, entity_id: str | None) -> None:
        if (start, end) in seen:
            return
        seen.add((start, end))
        rows.append(
            {
                "article_id": article_id,
                "sentence_idx": _sentence_of(starts, start),
                "start_char": start,
                "end_char": end,
                "source_name": text_of(doc)[start:end],
                "source_entity_id": entity_id,
                "cue": cue,
            }
        )

    for quote in quotes:
        if quote["speaker_start"] is None:
            continue
        inside = [m for m in mentions if quote["speaker_start"] <= m["start_char"] < quote["speaker_end"]]
        if any(m["label"] == "PERSON" for m in inside):
            continue  # a person speaking: a quote, not a cited source
        sources = [m for m in inside if m["label"] in SOURCE_LABELS]
        phrase = doc.char_span(quote["speaker_start"], quote["speaker_end"], alignment_mode="expand")
        media = phrase is not None and phrase.root.lower_ in MEDIA_WORDS
        if media:  # "NV media", "Russian media": the outlet is the whole phrase
            start, end = phrase.start_char, phrase.end_char
            entity = next((m["entity_id"] for m in sources if m["label"] == "ORG"), None)  # "Russian media" is no nation
            add(start, end, quote["cue"], entity)
        elif sources:
            primary = next((m for m in sources if m["label"] in {"ORG", "WORK_OF_ART"}), sources[0])
            if primary["label"] in {"ORG", "WORK_OF_ART"}:
                add(primary["start_char"], primary["end_char"], quote["cue"], primary["entity_id"])
    by_start = {m["start_char"]: m for m in mentions}
    for token in doc:
        if token.lemma_ != "tell" or token.pos_ not in {"VERB", "AUX"}:
            continue
        for child in token.children:
            if child.dep_ not in {"dobj", "dative", "iobj"}:
                continue
            ent = next((e for e in entities_of(doc) if e.start <= child.i < e.end), None)
            if ent is not None and ent.label_ in {"ORG", "WORK_OF_ART"}:
                mention = by_start.get(ent.start_char)
                add(ent.start_char, ent.end_char, "told", mention["entity_id"] if mention else None)
    rows.sort(key=lambda r: r["start_char"])
    return rows
