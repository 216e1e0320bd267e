"""Who "he" and "she" are: speakers resolved to the named person they stand for.

``Sergei Markov said … "The advantage belongs to the defenders," he emphasized.`` → ``he`` is
Sergei Markov: the person who last spoke before the pronoun (the subject of a reporting verb, or
the source of an "according to"), else the closest person named before it as a subject. A
speaker phrase that names a person (``political analyst Sergei Markov``) resolves to that person.

A role noun standing for a person (``the political scientist noted``, ``the analyst added``)
resolves to the person the article introduced with that role (``political scientist Dmitry
Oreshkin``, ``Anna Lenz, an analyst at …``), else, when the article introduced no one with it,
to the person who last spoke before it, as a pronoun would.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from pipeline.nlp.doc import entities_of
from pipeline.nlp.quotes.marks import inside
from pipeline.nlp.quotes.speakers import PRONOUNS, REPORTING_VERBS, speaker_phrase, subject_of
from pipeline.nlp.quotes.types import Quote

NOT_SUBJECT = frozenset({"pobj", "dobj", "dative", "poss"})
# Nouns that name a person by role ("the analyst said" stands for someone named in the article),
# in kinds: when no one was introduced with the very word, "the political scientist" may still be
# the professor who spoke before, never the president.
ROLE_KINDS = {
    "expert": {"analyst", "expert", "scientist", "professor", "researcher", "economist", "historian", "scholar",
               "observer", "commentator", "strategist", "specialist", "academic", "sociologist"},
    "official": {"official", "minister", "governor", "president", "mayor", "senator", "ambassador", "diplomat",
                 "politician", "lawmaker", "legislator", "deputy", "envoy", "spokesman", "spokeswoman", "spokesperson",
                 "chairman", "chairwoman", "leader", "chief", "director", "executive", "manager", "founder"},
    "military": {"commander", "general", "colonel", "officer", "soldier", "serviceman"},
    "legal": {"lawyer", "attorney", "prosecutor", "judge"},
    "press": {"journalist", "author", "writer", "editor", "host", "reporter", "correspondent"},
}
ROLE_NOUNS = frozenset().union(*ROLE_KINDS.values())
KIND_OF = {noun: kind for kind, nouns in ROLE_KINDS.items() for noun in nouns}


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


PRONOUN_GENDER = {"he": "m", "him": "m", "she": "f", "her": "f"}
HONORIFIC_GENDER = {"mr": "m", "sir": "m", "lord": "m", "mrs": "f", "ms": "f", "miss": "f", "madam": "f", "lady": "f", "dame": "f"}
ROLE_GENDER = {"spokesman": "m", "chairman": "m", "congressman": "m", "businessman": "m",
               "spokeswoman": "f", "chairwoman": "f", "congresswoman": "f", "businesswoman": "f"}


def _key(person: Span) -> str:
    return person.text.split()[-1]


def stated_genders(doc: Doc, people: list[Span]) -> dict[str, str]:
    """What the text itself says of a person's gender: an honorific (``Ms Lopez``) or a gendered role
    (``spokeswoman Anna Lenz``), by surname. Nothing is guessed from first names."""
    genders: dict[str, str] = {}
    for person in people:
        before = doc[person.start - 1].lower_.rstrip(".") if person.start > 0 else ""
        words = [before, person[0].lower_.rstrip("."), *(t.lower_ for t in _role_words(doc, person))]  # "Mr" before or in the name
        for word in words:
            gender = HONORIFIC_GENDER.get(word) or ROLE_GENDER.get(word)
            if gender:
                genders.setdefault(_key(person), gender)
    return genders


def antecedent(position: int, speakers: list[tuple[int, Span]], people: list[Span], gender: str | None = None,
               genders: dict[str, str] | None = None) -> Span | None:
    """The person a pronoun at ``position`` stands for: the last speaker before it, else the last
    person named as a subject; never one the text says is of the other gender than the pronoun."""
    def fits(person: Span) -> bool:
        return gender is None or (genders or {}).get(_key(person), gender) == gender

    earlier = [person for where, person in speakers if where < position and fits(person)]
    if not earlier:
        earlier = [ent for ent in people if ent.end_char <= position and ent.root.dep_ not in NOT_SUBJECT and fits(ent)]
    return earlier[-1] if earlier else None


def resolve_speakers(doc: Doc, quotes: list[Quote], spans: list[tuple[int, int]]) -> None:
    """Set ``speaker_resolved`` and ``speaker_person_start`` on every quote whose speaker is or names a person."""
    people = [ent for ent in entities_of(doc) if ent.label_ == "PERSON" and not inside(spans, ent.start_char)]
    speakers = speaking_people(doc, quotes, people, spans)
    genders = stated_genders(doc, people)
    for quote in quotes:
        person = _person_of(doc, quote, people, speakers, genders) if quote.speaker_start is not None else None
        if person is not None:
            quote.speaker_resolved = person.text
            quote.speaker_person_start = person.start_char


def _person_of(doc: Doc, quote: Quote, people: list[Span], speakers: list[tuple[int, Span]], genders: dict[str, str]) -> Span | None:
    """The person one quote's speaker is: a pronoun's antecedent, the person a role noun introduced
    ("the minister"), or the person its phrase names."""
    role = role_noun(quote.speaker)
    if quote.speaker and quote.speaker.lower() in PRONOUNS:
        gender = PRONOUN_GENDER.get(quote.speaker.lower())
        person = antecedent(quote.speaker_start, speakers, people, gender, genders)
        if person is not None and gender is not None:
            genders.setdefault(_key(person), gender)  # "she" said it: later "he" is someone else
        return person
    if role is not None:
        return introduced_as(doc, {role}, people, quote.speaker_start) or introduced_as(
            doc, ROLE_KINDS[KIND_OF[role]], people, quote.speaker_start, speakers)
    phrase = doc.char_span(quote.speaker_start, quote.speaker_end, alignment_mode="expand")
    return person_in(phrase, people, phrase.root) if phrase is not None else None


def role_noun(speaker: str | None) -> str | None:
    """The role a speaker phrase names when it is only a role: ``the political scientist`` → ``scientist``."""
    words = (speaker or "").lower().split()
    if len(words) < 2 or words[0] not in {"the", "this", "that"} or any(not w.isalpha() for w in words):
        return None
    return words[-1] if words[-1] in ROLE_NOUNS else None


def introduced_as(doc: Doc, roles: set[str], people: list[Span], before: int,
                  speakers: list[tuple[int, Span]] | None = None) -> Span | None:
    """The last person named before ``before`` with one of these roles (a title or an apposition);
    with ``speakers``, only people who spoke before it count."""
    spoke = None if speakers is None else {p.start_char for where, p in speakers if where < before}
    found = None
    for person in people:
        if person.end_char > before:
            break
        if spoke is not None and not _spoke(person, spoke, people):
            continue
        if any(t.lower_ in roles or t.lemma_.lower() in roles for t in _role_words(doc, person)):
            found = person
    return found


def _role_words(doc: Doc, person: Span) -> list[Token]:
    """The words that can give a named person a role: a title before the name, an apposition after it."""
    words = [t for left in person.root.lefts if left.i < person.start for t in left.subtree]  # "political scientist Dmitry Oreshkin"
    words += [t for token in person for child in token.children if child.dep_ == "appos" for t in child.subtree]
    words += _apposition_after(doc, person)  # "Dmitry Oreshkin, a professor at …" (however it was parsed)
    if person.root.dep_ == "appos":
        words.append(person.root.head)  # "the analyst, Anna Lenz"
    return words


def _apposition_after(doc: Doc, person: Span) -> list[Token]:
    """The words of ``, a professor at …`` right after a name, up to the next punctuation (at most five)."""
    if person.end >= len(doc) or doc[person.end].text != ",":
        return []
    words = []
    for token in doc[person.end + 1 : person.end + 6]:
        if token.is_punct:
            break
        words.append(token)
    return words if words and words[0].lower_ in {"a", "an", "the"} else []


def _spoke(person: Span, spoke: set[int], people: list[Span]) -> bool:
    """Whether this person (by any of its mentions: ``Dmitry Oreshkin`` … ``Oreshkin``) spoke."""
    surname = person.text.split()[-1]
    return any(p.start_char in spoke for p in people if p.text == person.text or p.text.split()[-1] == surname)
