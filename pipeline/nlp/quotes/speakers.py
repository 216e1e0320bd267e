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
    shout yell chant scream exclaim cry whisper mutter read wonder question hint assure charge retort
    counter muse plead interject reiterate scoff gloat confess remember recount surmise opine reason
    sneer snap grumble gush tout brag proclaim remind inform advise thunder marvel speculate theorize
    bark beam elaborate react agree retaliate laugh sigh echo boom
    """.split()
)
# Verbs that introduce a quotation (opinion verbs such as "believe" report indirect speech only);
# promises introduce one too ("“We will win,” he vowed").
SPEECH_ONLY = (REPORTING_VERBS - {"believe", "think", "expect", "hope", "fear", "worry", "feel", "know", "call", "describe"}) | {
    "vow", "promise", "pledge", "demand",
}
# Verbs that report speech only with their particle: "went on", "shot back", "chimed in".
PARTICLE_VERBS = {"go": "on", "shoot": "back", "fire": "back", "hit": "back", "chime": "in", "pipe": "up", "cut": "in"}
PRONOUNS = frozenset({"he", "she", "they", "i", "we", "him", "her", "it"})
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj"})
MIN_QUOTE_WORDS = 4
NAME_LABELS = frozenset({"PERSON", "ORG", "NORP", "GPE"})
# Entity types of proper nouns that never speak: ``in an interview with CNN on Tuesday: "…"``.
NOT_SPEAKERS = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"})


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
    """The grammatical subject of a verb, shared by ``…, saying …``, ``… and added …`` and ``… by saying …``."""
    for child in verb.children:
        if child.dep_ in SUBJECT_DEPS and any(c.isalnum() for c in child.text):  # not a dash parsed as one
            return child
    if verb.dep_ in {"conj", "advcl", "xcomp"} and verb.head.i != verb.i:
        return subject_of(verb.head)
    if verb.dep_ == "pcomp" and verb.head.dep_ == "prep" and verb.head.head.pos_ in {"VERB", "AUX"}:
        return subject_of(verb.head.head)
    if verb.dep_ == "acl" and verb.head.dep_ == "dobj" and verb.head.head.pos_ in {"VERB", "AUX"}:
        return subject_of(verb.head.head)  # ``Trump issued a statement Tuesday saying, "…"``
    return None


def lemma_of(token: Token) -> str:
    """A verb's lemma, with the rule lemmatizer's ``hoped`` → ``hop`` put right."""
    lemma = token.lemma_.lower()
    return "hope" if lemma == "hop" and token.lower_.startswith("hope") else lemma


def cue_words(verb: Token) -> str:
    """The reporting verb with its auxiliaries, negation and particle: ``has pointed out``."""
    parts = [t for t in verb.children if t.dep_ in {"aux", "auxpass", "neg", "prt"} and t.i < verb.i + 3]
    return " ".join(t.text for t in sorted([verb, *parts], key=lambda t: t.i))


def is_cue(token: Token, quotes: list[tuple[int, int]], lemmas: frozenset[str] = REPORTING_VERBS) -> bool:
    """A reporting verb outside quotation marks (``said``, ``told``, ``warned``, ``as X put it``)."""
    if token.pos_ not in {"VERB", "AUX"} or inside(quotes, token.idx):
        return False
    lemma = lemma_of(token)
    if lemma in lemmas:
        return True
    if lemma == "put":  # "as X put it"
        return any(c.lower_ == "it" and c.dep_ == "dobj" for c in token.children)
    particle = PARTICLE_VERBS.get(lemma)  # "he went on", "she shot back"
    return particle is not None and any(c.lower_ == particle and c.dep_ == "prt" for c in token.children)


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
    """``said Caddell`` where the parser missed the inversion: a proper noun or pronoun right after the
    verb, or a noun the verb governs (``said a person close to the Clintons``)."""
    doc = verb.doc
    for token in doc[verb.i + 1 : min(len(doc), verb.i + INVERTED_REACH)]:
        if token.ent_type_ in {"DATE", "TIME"} or token.pos_ in {"AUX", "ADP"}:
            return None
        if token.pos_ == "PROPN" or token.lower_ in PRONOUNS:
            while token.dep_ in {"compound", "flat"} and token.head.i > token.i:  # ``Carly`` of ``Carly Fiorina``
                token = token.head
            return speaker_phrase(token)
        if token.pos_ == "NOUN" and token.head.i == verb.i and token.dep_ in {"nsubj", "dobj", "attr", "npadvmod"}:
            return speaker_phrase(token)
        if token.is_punct:
            return None
    return None


def preceding_phrase(verb: Token) -> Token | None:
    """A noun phrase ending right before the verb that the parser did not make its subject.

    ``a White House official who spoke anonymously said`` (parsed as an apposition elsewhere)
    gives ``official``: the highest noun whose phrase ends at the verb, not climbing out of an
    apposition, a conjunct or a prepositional object.
    """
    if verb.i == 0:
        return None
    token, best = verb.doc[verb.i - 1], None
    if token.text == ")" and token.head.i < token.i:  # ``Rep. Paul Ryan (R-WI) said``
        token = token.doc[token.head.left_edge.i - 1] if token.head.left_edge.i > 0 else token
        token = token.doc[token.i - 1] if token.text == "(" and token.i > 0 else token
    end = token.i
    while token.i < verb.i and token.right_edge.i in {end, verb.i - 1} and not token.is_punct:
        if token.pos_ in {"NOUN", "PROPN", "PRON"}:
            best = token
        if token.dep_ in {"appos", "conj", "pobj"} or token.head.i == token.i:
            break
        token = token.head
    return best


def clause_subject_before(verb: Token, quotes: list[tuple[int, int]]) -> Token | None:
    """The last subject written before the verb in its sentence, outside quotation marks.

    ``Clinton seemed ready to riff on it, telling the crowd, "…"`` where the parser hung
    ``telling`` inside the quotation gives ``Clinton``.
    """
    for token in reversed(verb.doc[verb.sent.start : verb.i]):
        if token.dep_ in SUBJECT_DEPS and not inside(quotes, token.idx) and not inside(quotes, token.head.idx):
            return token
    return None


def speaker_of_verb(verb: Token, quotes: list[tuple[int, int]], between: list[Token] | None = None) -> Span | None:
    """The speaker a reporting verb names.

    In order: its subject outside the quotation (``Trump, who said …`` gives ``Trump``), a name
    between the quotation and the verb, a subject written after the verb, then, where the parse
    went wrong, the noun phrase right before the verb or the clause's subject before it.
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
    inverted = inverted_subject(verb)
    if inverted is not None:
        return inverted
    fallback = preceding_phrase(verb) or clause_subject_before(verb, quotes)
    if fallback is None or fallback.lower_ in {"it", "that", "which"} or fallback.ent_type_ in NOT_SPEAKERS:
        return None
    return speaker_phrase(fallback)


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
    return not before or before[-1] in ":,.;?!—–-(…\"”’»"


TITLE_SMALL_WORDS = frozenset({"a", "an", "and", "as", "at", "by", "for", "in", "of", "on", "or", "the", "to", "vs", "with"})
MAX_TITLE_WORDS = 6
INVERTED_REACH = 7  # ``said former tech executive Carly Fiorina``: tokens after the verb that may hold its speaker
COLON_REACH = 8  # tokens before a colon in which one named person introduces the quotation


def looks_like_title(quotation: str) -> bool:
    """A short quotation in title case is the name of a book, a show or a slogan, not speech.

    ``"Tough Choices."``, ``"13 Hours: The Secret Soldiers of Benghazi,"`` and ``"The Apprentice,"``
    are titles; ``"You lie!"`` and ``"We won."`` are speech.
    """
    words = [w.strip("\"“”‘’'«».,:;!?—–-()" + FILLER) for w in quotation.split()]
    words = [w for w in words if w]
    if not 1 <= len(words) <= MAX_TITLE_WORDS:
        return False
    return all(w[0].isupper() or w[0].isdigit() or w.lower() in TITLE_SMALL_WORDS for w in words) and any(
        w[0].isupper() for w in words[1:] or words
    ) and len(words) > 1


def colon_speaker(before: list[Token]) -> Span | None:
    """``Pamela Padilla: "…"``: a name right before the colon that opens the quotation, or the one person named shortly before it."""
    if len(before) < 2 or before[-1].text != ":":
        return None
    token = before[-2]
    if (token.pos_ == "PROPN" and token.ent_type_ not in NOT_SPEAKERS) or token.ent_type_ in {"PERSON", "ORG"}:
        return speaker_phrase(token)
    return _one_person_before(before[:-1], token)


def _one_person_before(before: list[Token], last: Token) -> Span | None:
    """``Here's Clinton in December 1992: "…"``: the one person named in the words before the colon
    (in ``last``'s sentence, within reach), or None when none or several are."""
    sentence = [t for t in before if t.sent.start == last.sent.start][-COLON_REACH:]
    people = [t for t in sentence if t.ent_type_ == "PERSON" and t.ent_iob_ == "B"]
    if len(people) != 1:
        return None
    return next(ent for ent in entities_of(last.doc) if ent.start == people[0].i)


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


# A verb that delivers one of these nouns introduces the quotation after its colon: "Clinton released
# the following statement:".
STATEMENT_NOUNS = frozenset("statement message remarks comment comments tweet post letter note response reply words".split())
DELIVERING_VERBS = frozenset("release issue make give post send deliver publish put offer".split())


def _delivers_statement(token: Token) -> bool:
    return (token.pos_ == "VERB" and lemma_of(token) in DELIVERING_VERBS
            and any(c.dep_ == "dobj" and c.lower_ in STATEMENT_NOUNS for c in token.children))


def intro_cue(doc: Doc, para_start: int, quotes: list[tuple[int, int]]) -> Token | None:
    """``Caddell continued:`` or ``Clinton released the following statement:`` ending the previous
    paragraph introduces a quotation opening this one."""
    text = text_of(doc)
    if para_start < 3:
        return None
    prev_start, prev_end = paragraph_bounds(text, para_start - 3)
    if not text[prev_start:prev_end].rstrip().endswith(":"):
        return None
    for token in reversed(window_tokens(doc, prev_start, prev_end)[-20:]):
        if is_cue(token, quotes, SPEECH_ONLY) or (_delivers_statement(token) and not inside(quotes, token.idx)):
            return token
    return None
