"""Who "he" and "she" are: speakers resolved to the named person they stand for.

``Sergei Markov said … "The advantage belongs to the defenders," he emphasized.`` → ``he`` is
Sergei Markov: the person who last spoke before the pronoun (the subject of a reporting verb, or
the source of an "according to"), else the closest person named before it as a subject. A
speaker phrase that names a person (``political analyst Sergei Markov``) resolves to that person.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from pipeline.nlp.doc import entities_of
from pipeline.nlp.quotes.marks import inside
from pipeline.nlp.quotes.speakers import PRONOUNS, REPORTING_VERBS, speaker_phrase, subject_of
from pipeline.nlp.quotes.types import Quote

NOT_SUBJECT = frozenset({"pobj", "dobj", "dative", "poss"})


def person_in(phrase: Span, people: list[Span], head: Token | None = None) -> Span | None:
    """The person a speaker phrase names: the one holding its head word, else its last one."""
    named = [ent for ent in people if phrase.start_char <= ent.start_char < phrase.end_char]
    if head is not None:
        for ent in named:
            if ent.start <= head.i < ent.end:
                return ent
    return named[-1] if named else None


def speaking_people(doc: Doc, quotes: list[Quote], people: list[Span], spans: list[tuple[int, int]]) -> list[tuple[int, Span]]:
    """``(where, person)`` of everyone named as speaking, in order: reporting-verb subjects and "according to" sources."""
    speakers: list[tuple[int, Span]] = []
    for token in doc:
        if inside(spans, token.idx) or token.pos_ not in {"VERB", "AUX"} or token.lemma_.lower() not in REPORTING_VERBS:
            continue
        subject = subject_of(token)
        if subject is not None and subject.lower_ not in PRONOUNS:
            person = person_in(speaker_phrase(subject), people, subject)
            if person is not None:
                speakers.append((token.idx, person))
    for quote in quotes:
        if quote.kind == "according_to" and quote.speaker_start is not None:
            phrase = doc.char_span(quote.speaker_start, quote.speaker_end, alignment_mode="expand")
            person = person_in(phrase, people, phrase.root) if phrase is not None else None
            if person is not None:
                speakers.append((quote.speaker_start, person))
    return sorted(speakers, key=lambda item: item[0])


def antecedent(position: int, speakers: list[tuple[int, Span]], people: list[Span]) -> Span | None:
    """The person a pronoun at ``position`` stands for: the last speaker before it, else the last person named as a subject."""
    earlier = [person for where, person in speakers if where < position]
    if not earlier:
        earlier = [ent for ent in people if ent.end_char <= position and ent.root.dep_ not in NOT_SUBJECT]
    return earlier[-1] if earlier else None


def resolve_speakers(doc: Doc, quotes: list[Quote], spans: list[tuple[int, int]]) -> None:
    """Set ``speaker_resolved`` and ``speaker_person_start`` on every quote whose speaker is or names a person."""
    people = [ent for ent in entities_of(doc) if ent.label_ == "PERSON" and not inside(spans, ent.start_char)]
    speakers = speaking_people(doc, quotes, people, spans)
    for quote in quotes:
        if quote.speaker_start is None:
            continue
        if quote.speaker and quote.speaker.lower() in PRONOUNS:
            person = antecedent(quote.speaker_start, speakers, people)
        else:
            phrase = doc.char_span(quote.speaker_start, quote.speaker_end, alignment_mode="expand")
            person = person_in(phrase, people, phrase.root) if phrase is not None else None
        if person is not None:
            quote.speaker_resolved = person.text
            quote.speaker_person_start = person.start_char
