"""Statements without quotation marks: indirect speech, stated positions and "according to".

* **indirect**: a reporting verb with a subject and a clausal complement in the dependency parse:
  ``Lopez told reporters that the committee would meet again.`` → ``that the committee would
  meet again`` by ``Lopez``; a verb of intention with its clause (``Trump has vowed to boycott
  the product``); a reporting verb set inside the statement (``Recently, he said, he has
  realised …``) reports its whole sentence; a verb of stance reports its object (``Warren
  endorsed Clinton``, ``Podesta called the governor "the most extreme pick"``, ``Clinton accused
  him of sexism``).
* **according_to**: ``According to the treasury, the deficit will grow.`` → ``the deficit will
  grow`` by ``the treasury``; ``The deficit will grow, according to the treasury.`` likewise.

Statements that overlap a direct quote are left out (the direct quote already holds them).
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from pipeline.nlp.doc import text_of
from pipeline.nlp.quotes.marks import inside
from pipeline.nlp.quotes.speakers import REPORTING_VERBS, cue_words, lemma_of, speaker_phrase, subject_of
from pipeline.nlp.quotes.types import Quote

MIN_STATEMENT_CHARS = 10
# Verbs that state an intention or a finding through a clause: "vowed to boycott", "polls show that".
INTENT_VERBS = frozenset(
    """
    want seek hope promise vow pledge refuse decline agree offer plan threaten intend demand vote
    find show see signal indicate
    """.split()
)
# Verbs of stance whose object is what is attributed, with the prepositions that carry the rest of it
# ("described his skills as …", "accused him of …", "called for …").
STANCE_VERBS: dict[str, frozenset[str]] = {
    **dict.fromkeys(
        "support endorse back oppose defend reject condemn criticize criticise praise welcome slam "
        "blame question dismiss applaud disavow denounce".split(),
        frozenset({"for", "as"}),
    ),
    "call": frozenset({"for"}),
    "push": frozenset({"for"}),
    "describe": frozenset({"as"}),
    "refer": frozenset({"to"}),
    "accuse": frozenset({"of"}),
    "cite": frozenset({"as"}),
    "see": frozenset({"as"}),
    "point": frozenset({"to"}),
    "talk": frozenset({"about"}),
    "speak": frozenset({"about", "of"}),
    **dict.fromkeys("announce report reveal unveil propose release recommend mention".split(), frozenset()),
}
# Adjectives of attitude after "be" whose complement is what is held: "is confident that …".
ATTITUDE_ADJECTIVES = frozenset(
    """
    sure certain confident convinced eager willing unwilling reluctant adamant determined furious angry
    upset worried concerned afraid fearful hopeful optimistic pessimistic skeptical sceptical interested
    critical supportive opposed proud happy glad unhappy disappointed satisfied aware outspoken open
    frustrated wary nervous scared excited enthusiastic doubtful
    """.split()
)
# A verb and a noun of speech that together report (``made the case that …``, ``offered his
# assessment of …``, ``issued a warning``): the noun phrase is the statement.
LIGHT_VERBS = frozenset({"make", "offer", "issue", "deliver", "give", "have", "express", "voice", "renew"})
SPEECH_NOUNS = frozenset(
    """
    case call appeal commitment endorsement statement promise pledge argument pitch plea claim remark
    comment assessment prediction opinion criticism praise apology demand threat warning vow view
    message concern concerns doubt doubts support opposition admiration disdain
    """.split()
)
# Verbs whose bare object is no stance ("called a meeting", "pushed the troops back"): only
# "called him a liar", "called for", "pushed for" count.
NEEDS_COMPLEMENT = frozenset({"call", "push", "see", "point"})
# Verbs whose infinitive is no statement ("continues to trail").
NO_INFINITIVE = frozenset({"continue"})
# A stance object may be a single name ("endorsed Clinton", "backs him").
MIN_OBJECT_CHARS = 2
OBJECT_DEPS = frozenset({"dobj", "oprd", "dative"})


def overlaps(covered: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in covered)


def _trim_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] in " .,;:":
        end -= 1
    return end


def reported_clause(verb: Token) -> tuple[int, int] | None:
    """The span a reporting verb reports: its clausal complement, with a leading ``that``.

    ``X said that prices would rise.`` → ``that prices would rise``; ``X expects to win`` counts
    (an ``xcomp`` other than ``be``).
    """
    infinitive = lemma_of(verb) not in NO_INFINITIVE
    complements = [c for c in verb.children if c.dep_ == "ccomp" or (infinitive and c.dep_ == "xcomp" and c.lemma_ != "be")]
    if not complements:
        return None
    content = complements[0]
    doc = verb.doc
    first, last = content.left_edge, content.right_edge
    if first.i > verb.i and doc[first.i - 1].lower_ == "that" and doc[first.i - 1].head.i == content.i:
        first = doc[first.i - 1]
    start = first.idx
    return start, _trim_end(text_of(doc), start, last.idx + len(last))


def stance_object(verb: Token, preps: frozenset[str]) -> tuple[int, int] | None:
    """What a verb of stance is about: its object with a following ``as``/``of``/``for`` phrase.

    ``called the governor "the most extreme pick"`` → ``the governor "the most extreme pick"``;
    ``called for a political revolution`` → ``a political revolution``.
    """
    parts = [c for c in verb.rights if c.dep_ in OBJECT_DEPS or (c.dep_ == "prep" and c.lower_ in preps)]
    if not parts or (lemma_of(verb) in NEEDS_COMPLEMENT and all(p.dep_ == "dobj" for p in parts)):
        return None
    first = _object_of(parts[0])
    return None if first is None else (first.left_edge.idx, _end_of(parts[-1]))


def _object_of(part: Token) -> Token | None:
    """Where a statement's content starts: the part itself, or the object of a preposition (``for a revolution``)."""
    if part.dep_ != "prep":
        return part
    return next((c for c in part.children if c.dep_ in {"pobj", "pcomp"}), None)


def _end_of(token: Token) -> int:
    last = token.right_edge
    return _trim_end(text_of(token.doc), token.left_edge.idx, last.idx + len(last))


def attitude_complement(verb: Token) -> tuple[int, int] | None:
    """``is confident that …``, ``were furious at the company``: what an adjective of attitude after ``be`` is about."""
    adjectives = [c for c in verb.children if c.dep_ == "acomp" and c.lower_ in ATTITUDE_ADJECTIVES]
    if not adjectives:
        return None
    parts = [c for c in adjectives[0].rights if c.dep_ in {"prep", "xcomp", "ccomp"}]
    if not parts:
        return None
    first = _object_of(parts[0])
    return None if first is None else (first.left_edge.idx, _end_of(parts[-1]))


def _speech_noun(token: Token) -> bool:
    """``case``, ``remarks``, ``warning``: a noun that names something said."""
    word = token.lower_
    return word in SPEECH_NOUNS or (word.endswith("s") and word[:-1] in SPEECH_NOUNS)


def _statement(verb: Token, lemma: str) -> tuple[int, int, int] | None:
    """``(start, end, minimum length)`` of what a verb attributes, or None."""
    if lemma in REPORTING_VERBS or lemma in INTENT_VERBS:
        found = _reported(verb, lemma)
        if found is not None:
            return found
    if lemma in STANCE_VERBS:
        found = stance_object(verb, STANCE_VERBS[lemma])
        if found is not None:
            return (*found, MIN_OBJECT_CHARS)
    if lemma == "be":
        found = attitude_complement(verb)
        return None if found is None else (*found, MIN_OBJECT_CHARS)
    return _spoken_noun(verb) if lemma in LIGHT_VERBS else None


def _reported(verb: Token, lemma: str) -> tuple[int, int, int] | None:
    """What a verb of saying or intention reports: its clause, or the sentence around a parenthetical
    ``he said`` ("Recently, he said, he has …")."""
    clause = reported_clause(verb)
    if clause is not None:
        return (*clause, MIN_STATEMENT_CHARS)
    if lemma in REPORTING_VERBS and verb.dep_ == "parataxis":
        sentence = verb.sent
        return sentence.start_char, _trim_end(text_of(verb.doc), sentence.start_char, sentence.end_char), MIN_STATEMENT_CHARS
    return None


def _spoken_noun(verb: Token) -> tuple[int, int, int] | None:
    """``made the case that …``, ``issued a warning``: the speech noun a light verb takes as its object."""
    nouns = [c for c in verb.rights if c.dep_ == "dobj" and _speech_noun(c)]
    return (nouns[0].left_edge.idx, _end_of(nouns[0]), MIN_STATEMENT_CHARS) if nouns else None


def _holder(verb: Token) -> Token | None:
    """Who holds the statement: the verb's subject, or the noun a participle describes (``groups supporting X``).

    A passive verb's subject is not its holder: ``Trump is expected to win`` holds no statement
    of Trump's; ``… was criticised by the governor`` is the governor's.
    """
    subject = subject_of(verb)
    if subject is None and verb.dep_ == "acl" and verb.tag_ == "VBG" and verb.head.pos_ in {"NOUN", "PROPN"}:
        return verb.head
    if subject is not None and subject.dep_ == "nsubjpass":
        agents = [c for c in verb.children if c.dep_ == "agent"]
        objects = [c for c in agents[0].children if c.dep_ == "pobj"] if agents else []
        return objects[0] if objects else None
    return subject


def _nested(verb: Token) -> bool:
    """A verb of intention or stance inside another verb's reported clause (``she said she would support …``)."""
    head = verb
    while head.dep_ in {"ccomp", "xcomp", "conj", "advcl"} and head.head.i != head.i:
        head = head.head
        if head.pos_ in {"VERB", "AUX"} and lemma_of(head) in REPORTING_VERBS | INTENT_VERBS:
            return True
    return False


def _through_quotation(spans: list[tuple[int, int]], end: int) -> int:
    """A statement ending inside a quotation ends with it: ``called him "the most extreme pick in a generation"``."""
    for start, stop in spans:
        if start < end <= stop:
            return max(end, stop)
    return end


CUE_LEMMAS = REPORTING_VERBS | INTENT_VERBS | STANCE_VERBS.keys() | LIGHT_VERBS | {"be"}


def _one_statement(verb: Token, spans: list[tuple[int, int]], covered: list[tuple[int, int]]) -> Quote | None:
    """The statement one verb attributes, if it is a cue with a holder and a statement of its own."""
    lemma = lemma_of(verb)
    if lemma not in CUE_LEMMAS or (lemma not in REPORTING_VERBS and _nested(verb)):
        return None
    statement = _statement(verb, lemma)
    subject = _holder(verb) if statement is not None else None
    if subject is None or inside(spans, subject.idx) or subject.lower_ == "it":
        return None
    start, end, minimum = statement
    end = _through_quotation(spans, end)
    if end - start < minimum or overlaps(covered, start, end) or text_of(verb.doc)[start:end].rstrip().endswith(":"):
        return None  # too short, a direct quote's, or what introduces a quotation ("the following statement:")
    speaker = speaker_phrase(subject)
    return Quote(start, end, "indirect", cue_words(verb), speaker.text, speaker.start_char, speaker.end_char)



def indirect_speech(doc: Doc, spans: list[tuple[int, int]], covered: list[tuple[int, int]]) -> list[Quote]:
    """Every reporting, intention or stance verb outside quotation marks with a holder (not ``it``) and a statement."""
    verbs = (t for t in doc if t.pos_ in {"VERB", "AUX"} and lemma_of(t) in CUE_LEMMAS and not inside(spans, t.idx))
    return [q for q in (_one_statement(verb, spans, covered) for verb in verbs) if q is not None]


def according_to_source(token: Token) -> Span | None:
    """The source phrase of ``according to X`` starting at the token ``according``."""
    doc = token.doc
    to = next((c for c in token.children if c.lower_ == "to"), None)
    if to is None and token.i + 1 < len(doc) and doc[token.i + 1].lower_ == "to":
        to = doc[token.i + 1]
    objects = [c for c in to.children if c.dep_ == "pobj"] if to is not None else []
    return speaker_phrase(objects[0]) if objects else None


def according_to_statement(token: Token, source: Span) -> tuple[int, int]:
    """What ``according to`` attributes: the rest of the sentence after a leading phrase, else the part before it."""
    text = text_of(token.doc)
    sentence = token.sent
    if token.idx - sentence.start_char <= 2:
        start = source.end_char
        while start < sentence.end_char and text[start] in " ,":
            start += 1
        end = sentence.end_char
    else:
        start, end = sentence.start_char, token.idx
    return start, _trim_end(text, start, end)


def according_to(doc: Doc, spans: list[tuple[int, int]], covered: list[tuple[int, int]]) -> list[Quote]:
    """Every ``according to X`` outside quotation marks, with the statement it attributes to X (a
    direct quote when the statement is a quotation)."""
    found = []
    for token in doc:
        if token.lower_ != "according" or inside(spans, token.idx):
            continue
        source = according_to_source(token)
        if source is None:
            continue
        start, end = according_to_statement(token, source)
        if end - start < MIN_STATEMENT_CHARS or overlaps(covered, start, end):
            continue
        kind = "direct" if any(s == start and end <= e + 2 for s, e in spans) else "according_to"  # ``“…,” according to X``
        found.append(Quote(start, end, kind, "according to", source.text, source.start_char, source.end_char))
    return found
