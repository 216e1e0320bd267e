"""Who speaks: reporting verbs, their subjects, and the other ways news names a speaker.

Each rule is one function: the reporting verb's subject (``Caddell said``), an inverted subject
the parser missed (``said Caddell``), a name between a quotation and its verb, a name before a
colon (``Pamela Padilla: "…"``), a name after a dash (``"…" ― Pamela Padilla``), and a verb that
ends the previous paragraph with a colon (``Caddell continued:``).
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from pipeline.nlp.doc import entities_of, text_of
from pipeline.nlp.quotes.marks import FILLER, inside, paragraph_bounds

REPORTING_VERBS = frozenset(
    """
    say tell add note state stress emphasize emphasise write explain ask answer reply respond continue
    claim argue insist warn conclude declare announce suggest acknowledge admit concede deny confirm
    report recall remark observe point comment predict estimate assert maintain contend allege
    complain mention reveal describe call tweet post testify urge caution lament quip joke boast
    believe think expect hope fear worry feel know recommend propose
    """.split()
)
# Verbs that introduce a quotation (opinion verbs such as "believe" report indirect speech only).
SPEECH_ONLY = REPORTING_VERBS - {"believe", "think", "expect", "hope", "fear", "worry", "feel", "know", "call", "describe"}
PRONOUNS = frozenset({"he", "she", "they", "i", "we", "him", "her", "it"})
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj"})
MIN_QUOTE_WORDS = 4
NAME_LABELS = frozenset({"PERSON", "ORG", "NORP", "GPE"})


def speaker_phrase(token: Token) -> Span:
    """The whole phrase a speaker word heads: compounds, titles and ``of`` phrases kept.

    Example: in ``political scientist Dmitry Oreshkin said`` the subject ``Oreshkin`` gives
    ``political scientist Dmitry Oreshkin``; leading determiners other than ``the`` and trailing
    punctuation are dropped.
    """
    left = token.left_edge.i
    right = token.i
    for child in token.rights:
        if child.dep_ in {"appos", "compound", "flat"} or (child.dep_ == "prep" and child.text.lower() == "of"):
            right = max(right, child.right_edge.i)
    doc = token.doc
    while left < token.i and doc[left].dep_ in {"det", "punct", "cc"} and doc[left].lower_ not in {"the"}:
        left += 1
    span = doc[left : right + 1]
    while len(span) > 1 and span[-1].is_punct:
        span = doc[span.start : span.end - 1]
    return span


def subject_of(verb: Token) -> Token | None:
    """The grammatical subject of a verb, shared by ``…, saying …`` and ``… and added …``."""
    for child in verb.children:
        if child.dep_ in SUBJECT_DEPS:
            return child
    if verb.dep_ in {"conj", "advcl", "xcomp"} and verb.head is not verb:
        return subject_of(verb.head)
    return None


def cue_words(verb: Token) -> str:
    """The reporting verb with its auxiliaries, negation and particle: ``has pointed out``."""
    parts = [t for t in verb.children if t.dep_ in {"aux", "auxpass", "neg", "prt"} and t.i < verb.i + 3]
    return " ".join(t.text for t in sorted([verb, *parts], key=lambda t: t.i))


def is_cue(token: Token, quotes: list[tuple[int, int]], lemmas: frozenset[str] = REPORTING_VERBS) -> bool:
    """A reporting verb outside quotation marks (``said``, ``told``, ``warned``)."""
    return token.pos_ in {"VERB", "AUX"} and token.lemma_.lower() in lemmas and not inside(quotes, token.idx)


def window_tokens(doc: Doc, start_char: int, end_char: int) -> list[Token]:
    """The tokens covering a character window (empty for an empty window)."""
    if end_char <= start_char:
        return []
    span = doc.char_span(start_char, end_char, alignment_mode="expand")
    return list(span) if span is not None else []


def name_in(tokens: list[Token]) -> Span | None:
    """The first person, organisation, proper noun or pronoun among some tokens.

    Example: in ``"…," Flynn, a top Trump surrogate, said`` the parser may put ``Flynn`` inside the
    quotation's clause; the first name between the quotation and the verb is the speaker.
    """
    for token in tokens:
        if token.ent_type_ in NAME_LABELS and token.ent_iob_ == "B":
            return next(ent for ent in entities_of(token.doc) if ent.start == token.i)
        if token.pos_ == "PROPN" and token.ent_type_ not in {"DATE", "TIME"}:
            return speaker_phrase(token)
        if token.lower_ in PRONOUNS and token.pos_ == "PRON":
            return token.doc[token.i : token.i + 1]
    return None


def inverted_subject(verb: Token) -> Span | None:
    """``said Caddell`` where the parser missed the inversion: a proper noun or pronoun right after the verb."""
    doc = verb.doc
    for token in doc[verb.i + 1 : min(len(doc), verb.i + 4)]:
        if token.ent_type_ in {"DATE", "TIME"}:
            return None
        if token.pos_ == "PROPN" or token.lower_ in PRONOUNS:
            return speaker_phrase(token)
        if token.is_punct:
            return None
    return None


def speaker_of_verb(verb: Token, quotes: list[tuple[int, int]], between: list[Token] | None = None) -> Span | None:
    """The speaker a reporting verb names.

    In order: its subject outside the quotation (``Trump, who said …`` gives ``Trump``), a name
    between the quotation and the verb, a subject written after the verb.
    """
    subject = subject_of(verb)
    if subject is not None and subject.lower_ in {"who", "that", "which"} and verb.dep_ == "relcl":
        subject = verb.head
    if subject is not None and not inside(quotes, subject.idx):
        return speaker_phrase(subject)
    if between:
        named = name_in(between)
        if named is not None:
            return named
    return inverted_subject(verb)


def is_sentential(text: str, q_start: int, q_end: int, para_start: int) -> bool:
    """A quotation that stands as speech, not a phrase quoted inside the writer's own sentence.

    ``He said: "We will hold the line."`` is speech (capital letter after a colon); ``the so-called
    "special operation"`` is not (lower case, inside a sentence). A quotation opening with an
    ellipsis counts when it has at least four words.
    """
    content = text[q_start:q_end].lstrip("\"“„«'" + FILLER + " ")
    first = next((c for c in content if c.isalnum()), "")
    if not first or not (first.isupper() or first.isdigit()):
        return content[:1] in "…." and len(content.split()) >= MIN_QUOTE_WORDS
    before = text[para_start:q_start].rstrip()
    return not before or before[-1] in ":,.;?!—–-(…"


def colon_speaker(before: list[Token]) -> Span | None:
    """``Pamela Padilla: "…"``: a name right before the colon that opens the quotation."""
    if len(before) < 2 or before[-1].text != ":":
        return None
    token = before[-2]
    if token.pos_ == "PROPN" or token.ent_type_ in {"PERSON", "ORG"}:
        return speaker_phrase(token)
    return None


def dash_speaker(doc: Doc, q_end: int, limit: int) -> Span | None:
    """``"…" ― Pamela Padilla``: a short name after a dash that closes the quotation."""
    text = text_of(doc)
    rest = text[q_end:limit]
    stripped = rest.lstrip()
    if not stripped or stripped[0] not in "―—–-":
        return None
    start = q_end + len(rest) - len(stripped) + 1
    while start < limit and text[start] in "―—–- ":
        start += 1
    end = start
    while end < limit and text[end] not in ".,;\n(":
        end += 1
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not span or len(span) > 6:
        return None
    return span if any(t.pos_ == "PROPN" or t.ent_type_ == "PERSON" for t in span) else None


def intro_cue(doc: Doc, para_start: int, quotes: list[tuple[int, int]]) -> Token | None:
    """``Caddell continued:`` ending the previous paragraph introduces a quotation opening this one."""
    text = text_of(doc)
    if para_start < 3:
        return None
    prev_start, prev_end = paragraph_bounds(text, para_start - 3)
    if not text[prev_start:prev_end].rstrip().endswith(":"):
        return None
    for token in reversed(window_tokens(doc, prev_start, prev_end)[-20:]):
        if is_cue(token, quotes, SPEECH_ONLY):
            return token
    return None
