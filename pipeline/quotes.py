"""Attributed statements: direct quotes, indirect speech and "according to", with their speakers.

Works on a parsed spaCy ``Doc`` of a cleaned body, so every offset is a character offset into
``articles.body``:

* **direct**: text in quotation marks (straight or curly; across sentences and paragraphs, and
  rejoined when the attribution splits it: ``"...," he said. "..."``), attributed to the subject
  of the nearest reporting verb outside the quotation (``said Caddell``, ``he told Business
  Insider``, ``X wrote: "..."``); an unattributed quotation that opens a paragraph continues the
  previous paragraph's speaker.
* **indirect**: a reporting verb with a subject and a clausal complement from the dependency
  parse (``X said that ...``, ``X told Y ...``, ``X noted ...``).
* **according_to**: ``according to X, ...`` / ``..., according to X``.

A pronoun speaker (``he said``) is resolved to the closest person named before it.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from pipeline.entities import entities_of, text_of

REPORTING_VERBS = frozenset(
    """
    say tell add note state stress emphasize emphasise write explain ask answer reply respond continue
    claim argue insist warn conclude declare announce suggest acknowledge admit concede deny confirm
    report recall remark observe point comment predict estimate assert maintain contend allege
    complain mention reveal describe call tweet post testify urge caution lament quip joke boast
    believe think expect hope fear worry feel know say predict recommend propose acknowledge
    """.split()
)
SPEECH_ONLY = REPORTING_VERBS - {"believe", "think", "expect", "hope", "fear", "worry", "feel", "know", "call", "describe"}
PRONOUNS = frozenset({"he", "she", "they", "i", "we", "him", "her", "it"})
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj"})
CONTENT_DEPS = frozenset({"ccomp", "xcomp", "advcl", "parataxis"})
OPEN_TO_CLOSE = {"“": "”", '"': '"', "„": "“", "«": "»"}
CLOSERS = {"”", '"', "»"}
MIN_QUOTE_WORDS = 4


@dataclass
class Quote:
    start_char: int
    end_char: int
    kind: str  # direct, indirect, according_to
    cue: str | None
    speaker: str | None
    speaker_start: int | None
    speaker_end: int | None
    speaker_resolved: str | None = None  # the named speaker a pronoun stands for
    speaker_person_start: int | None = None  # offset of that named mention


def quotation_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of quotations, marks included; a quote may run over paragraphs.

    A quotation left open at a paragraph's end continues if the next paragraph opens with a
    quotation mark (the news convention for multi-paragraph quotes), else it ends there. Two
    apostrophes (``''``, some wire and archive texts) count as a straight double quote.
    """
    # Same length as the text, so offsets hold: '' becomes " plus a space-like filler.
    text = text.replace("''", '"\x00')
    spans: list[tuple[int, int]] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch in OPEN_TO_CLOSE and _opens(text, i):
            start = i
            close = OPEN_TO_CLOSE[ch]
            j = i + 1
            depth = 0
            end = None
            while j < n:
                c = text[j]
                if c == "\n" and text.startswith("\n\n", j):
                    k = j
                    while k < n and text[k] == "\n":
                        k += 1
                    if k < n and text[k] in OPEN_TO_CLOSE and depth == 0:
                        j = k + 1  # multi-paragraph quotation: the next paragraph reopens it
                        continue
                    end = j  # left open: it ends with its paragraph
                    break
                if depth == 0 and (c == close or (c in CLOSERS and ch in "\"“")) and _closes(text, j):
                    end = j + 2 if text[j + 1 : j + 2] == "\x00" else j + 1
                    break
                if c == "“" and ch == '"':
                    depth += 1
                elif c == "”" and depth > 0:
                    depth -= 1
                j += 1
            if end is None:
                end = n
            spans.append((start, end))
            i = end
        else:
            i += 1
    return spans


def _opens(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 2] if text[i + 1 : i + 2] == "\x00" and i + 2 < len(text) else (text[i + 1] if i + 1 < len(text) else " ")
    if text[i] == '"':
        return (before.isspace() or before in "([—–-:") and not after.isspace()
    return not after.isspace()


def _closes(text: str, j: int) -> bool:
    k = j + 2 if text[j + 1 : j + 2] == "\x00" else j + 1
    after = text[k] if k < len(text) else " "
    before = text[j - 1]
    if text[j] == '"':
        return not before.isspace() and (after.isspace() or after in ".,;:!?)—–-’”")
    return True


def _expand_speaker(token: Token) -> Span:
    """The subject phrase without leading determiners' clauses: compounds, titles, appositions' head."""
    left = token.left_edge.i
    right = token.i
    for child in token.rights:
        if child.dep_ in {"appos", "compound", "flat"} or (child.dep_ == "prep" and child.text.lower() == "of"):
            right = max(right, child.right_edge.i)
    doc = token.doc
    while left < token.i and doc[left].dep_ in {"det", "punct", "cc"} and doc[left].lower_ not in {"the"}:
        left += 1
    span = doc[left : right + 1]
    # drop a trailing comma or relative clause
    while len(span) > 1 and span[-1].is_punct:
        span = doc[span.start : span.end - 1]
    return span


def _subject(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ in SUBJECT_DEPS:
            return child
    if verb.dep_ in {"conj", "advcl", "xcomp"} and verb.head is not verb:
        # "…, saying …" / "… and added …": the participle or the second verb shares the subject
        return _subject(verb.head)
    return None


def _cue(verb: Token) -> str:
    parts = [t for t in verb.children if t.dep_ in {"aux", "auxpass", "neg", "prt"} and t.i < verb.i + 3]
    tokens = sorted([verb, *parts], key=lambda t: t.i)
    return " ".join(t.text for t in tokens)


def _inside(spans: list[tuple[int, int]], char: int) -> bool:
    k = bisect_right([s for s, _ in spans], char) - 1
    return k >= 0 and spans[k][0] <= char < spans[k][1]


def _is_cue(token: Token, quotes: list[tuple[int, int]], lemmas=REPORTING_VERBS) -> bool:
    return token.pos_ in {"VERB", "AUX"} and token.lemma_.lower() in lemmas and not _inside(quotes, token.idx)


def _window_tokens(doc: Doc, start_char: int, end_char: int) -> list[Token]:
    if end_char <= start_char:
        return []
    span = doc.char_span(start_char, end_char, alignment_mode="expand")
    return list(span) if span is not None else []


def _paragraph_bounds(text: str, pos: int) -> tuple[int, int]:
    start = text.rfind("\n\n", 0, pos)
    end = text.find("\n\n", pos)
    return (0 if start < 0 else start + 2), (len(text) if end < 0 else end)


def _name_in(tokens: list[Token]) -> Span | None:
    """The first person, organisation, proper noun or pronoun among some tokens."""
    for token in tokens:
        if token.ent_type_ in {"PERSON", "ORG", "NORP", "GPE"} and token.ent_iob_ == "B":
            return next(ent for ent in entities_of(token.doc) if ent.start == token.i)
        if token.pos_ == "PROPN" and token.ent_type_ not in {"DATE", "TIME"}:
            return _expand_speaker(token)
        if token.lower_ in PRONOUNS and token.pos_ == "PRON":
            return token.doc[token.i : token.i + 1]
    return None


def _speaker_from(verb: Token, quotes: list[tuple[int, int]], between: list[Token] | None = None) -> Span | None:
    subject = _subject(verb)
    if subject is not None and subject.lower_ in {"who", "that", "which"} and verb.dep_ == "relcl":
        subject = verb.head  # "Trump, who said …": the speaker is the noun the clause describes
    if subject is not None and not _inside(quotes, subject.idx):
        return _expand_speaker(subject)
    if between:
        # '"…," Flynn, a top Trump surrogate, said' with the name parsed into the quotation
        named = _name_in(between)
        if named is not None:
            return named
    # "said Caddell" where the parser missed the inversion: a proper noun right after the cue
    doc = verb.doc
    for token in doc[verb.i + 1 : min(len(doc), verb.i + 4)]:
        if token.ent_type_ in {"DATE", "TIME"}:
            break
        if token.pos_ == "PROPN" or token.lower_ in PRONOUNS:
            return _expand_speaker(token)
        if token.is_punct:
            break
    return None


def _is_sentential(text: str, q_start: int, q_end: int, para_start: int) -> bool:
    """A quotation that stands as speech, not a phrase quoted inside the writer's own sentence."""
    content = text[q_start:q_end].lstrip("\"“„«'\x00 ")
    first = next((c for c in content if c.isalnum()), "")
    if not first or not (first.isupper() or first.isdigit()):
        return content[:1] in "…." and len(content.split()) >= MIN_QUOTE_WORDS
    before = text[para_start:q_start].rstrip()
    return not before or before[-1] in ":,.;?!—–-(…"


def _colon_speaker(doc: Doc, before: list[Token]) -> Span | None:
    """``Pamela Padilla: "…"`` — a name right before the colon that opens the quotation."""
    if not before or before[-1].text != ":" or len(before) < 2:
        return None
    token = before[-2]
    if token.pos_ == "PROPN" or token.ent_type_ in {"PERSON", "ORG"}:
        return _expand_speaker(token)
    return None


def _dash_speaker(doc: Doc, q_end: int, limit: int) -> Span | None:
    """``"…" ― Pamela Padilla``: a name after a dash that closes the quotation."""
    rest = text_of(doc)[q_end:limit]
    stripped = rest.lstrip()
    if not stripped or stripped[0] not in "―—–-":
        return None
    start = q_end + len(rest) - len(stripped) + 1
    while start < limit and text_of(doc)[start] in "―—–- ":
        start += 1
    end = start
    while end < limit and text_of(doc)[end] not in ".,;\n(":
        end += 1
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not span or len(span) > 6 or not any(t.pos_ == "PROPN" or t.ent_type_ == "PERSON" for t in span):
        return None
    return span


def _intro_cue(doc: Doc, text: str, para_start: int, spans: list[tuple[int, int]]) -> Token | None:
    """``Caddell continued:`` ending the previous paragraph introduces a quotation opening this one."""
    if para_start < 3:
        return None
    prev_start, prev_end = _paragraph_bounds(text, para_start - 3)
    if not text[prev_start:prev_end].rstrip().endswith(":"):
        return None
    for token in reversed(_window_tokens(doc, prev_start, prev_end)[-20:]):
        if _is_cue(token, spans, SPEECH_ONLY):
            return token
    return None


def extract_quotes(doc: Doc) -> list[Quote]:
    """All attributed statements of a parsed body, ordered by position."""
    text = text_of(doc)
    spans = quotation_spans(text)
    direct: list[Quote] = []
    cues: list[int | None] = []  # the cue token index of each direct quote
    previous_speaker: Quote | None = None
    previous_paragraph_end = -1
    for index, (q_start, q_end) in enumerate(spans):
        para_start, para_end = _paragraph_bounds(text, q_start)
        next_start = spans[index + 1][0] if index + 1 < len(spans) else len(text)
        prev_end = spans[index - 1][1] if index > 0 else 0
        after = [t for t in _window_tokens(doc, q_end, min(para_end, next_start)) if t.idx >= q_end][:14]
        before = [t for t in _window_tokens(doc, max(para_start, prev_end), q_start) if t.idx + len(t) <= q_start]
        cue_token = None
        between: list[Token] = []
        for token in after:
            if token.text in ".!?" and token.i > 0 and doc[token.i - 1].idx >= q_end:
                break
            if _is_cue(token, spans, SPEECH_ONLY):
                cue_token = token
                break
            between.append(token)
        if cue_token is None:
            between = []
        if cue_token is None:
            for token in reversed(before[-20:]):
                if _is_cue(token, spans, SPEECH_ONLY):
                    cue_token = token
                    break
        if cue_token is None and not text[para_start:q_start].strip():
            cue_token = _intro_cue(doc, text, para_start, spans)
        # "“…,” said Caddell. “…”": the cue between two parts belongs to the first; the second joins it.
        same_cue = cue_token is not None and direct and cues[-1] is not None and (
            cues[-1] == cue_token.i or doc[cues[-1]].sent.start == cue_token.sent.start
        )
        if same_cue and direct[-1].end_char >= para_start:
            direct[-1].end_char = q_end
            continue
        if not _is_sentential(text, q_start, q_end, para_start):
            continue  # a phrase quoted inside the writer's sentence: part of indirect speech, not a direct quote
        speaker = _speaker_from(cue_token, spans, between) if cue_token is not None else None
        cue = _cue(cue_token) if cue_token is not None else None
        if speaker is None:
            speaker = _colon_speaker(doc, before)
            cue = ":" if speaker is not None else None
        if speaker is None:
            speaker = _dash_speaker(doc, q_end, min(para_end, next_start))
            cue = "―" if speaker is not None else None
        if speaker is None:
            starts_paragraph = not text[para_start:q_start].strip()
            # a quotation opening a paragraph continues the previous paragraph's speaker
            if starts_paragraph and previous_speaker is not None and para_start <= previous_paragraph_end + 4:
                direct.append(Quote(q_start, q_end, "direct", previous_speaker.cue, previous_speaker.speaker,
                                    previous_speaker.speaker_start, previous_speaker.speaker_end))
                cues.append(None)
                previous_paragraph_end = para_end
            elif direct and cues[-1] is not None and direct[-1].end_char >= para_start:
                direct[-1].end_char = q_end  # a further part of the same paragraph's quotation
            continue
        quote = Quote(q_start, q_end, "direct", cue, speaker.text, speaker.start_char, speaker.end_char)
        previous_speaker = quote
        previous_paragraph_end = para_end
        direct.append(quote)
        cues.append(cue_token.i if cue_token is not None else None)
    quotes = list(direct)
    covered = [(q.start_char, q.end_char) for q in direct]
    quotes.extend(_indirect(doc, spans, covered))
    quotes.extend(_according_to(doc, spans, covered))
    quotes.sort(key=lambda q: (q.start_char, q.end_char))
    _resolve_pronouns(doc, quotes)
    return quotes


def _overlaps(covered: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in covered)


def _indirect(doc: Doc, spans: list[tuple[int, int]], covered: list[tuple[int, int]]) -> list[Quote]:
    found = []
    for verb in doc:
        if not _is_cue(verb, spans):
            continue
        complements = [c for c in verb.children if c.dep_ in {"ccomp"} or (c.dep_ == "xcomp" and c.lemma_ != "be")]
        if not complements:
            continue
        subject = _subject(verb)
        if subject is None or _inside(spans, subject.idx) or subject.lower_ in {"it"}:
            continue
        content = complements[0]
        start_tok = content.left_edge
        end_tok = content.right_edge
        if start_tok.i > verb.i and doc[start_tok.i - 1].lower_ == "that" and doc[start_tok.i - 1].head is content:
            start_tok = doc[start_tok.i - 1]
        start, end = start_tok.idx, end_tok.idx + len(end_tok)
        while end > start and text_of(doc)[end - 1] in " .,;:":
            end -= 1
        if end - start < 10 or _overlaps(covered, start, end):
            continue
        speaker = _expand_speaker(subject)
        found.append(Quote(start, end, "indirect", _cue(verb), speaker.text, speaker.start_char, speaker.end_char))
    return found


def _according_to(doc: Doc, spans: list[tuple[int, int]], covered: list[tuple[int, int]]) -> list[Quote]:
    found = []
    for token in doc:
        if token.lower_ != "according" or _inside(spans, token.idx):
            continue
        to = next((c for c in token.children if c.lower_ == "to"), None)
        if to is None and token.i + 1 < len(doc) and doc[token.i + 1].lower_ == "to":
            to = doc[token.i + 1]
        if to is None:
            continue
        objects = [c for c in to.children if c.dep_ == "pobj"]
        if not objects:
            continue
        source = _expand_speaker(objects[0])
        sentence = token.sent
        phrase_start, phrase_end = token.idx, source.end_char
        text = text_of(doc)
        if phrase_start - sentence.start_char <= 2:
            start = phrase_end
            while start < sentence.end_char and text[start] in " ,":
                start += 1
            end = sentence.end_char
        else:
            start, end = sentence.start_char, phrase_start
        while end > start and text[end - 1] in " ,.;:":
            end -= 1
        if end - start < 10 or _overlaps(covered, start, end):
            continue
        found.append(Quote(start, end, "according_to", "according to", source.text, source.start_char, source.end_char))
    return found


def _person_in(phrase: Span, people: list[Span], head: Token | None = None) -> Span | None:
    """The person a speaker phrase names: the one holding its head word, else its last one."""
    named = [ent for ent in people if phrase.start_char <= ent.start_char < phrase.end_char]
    if head is not None:
        for ent in named:
            if ent.start <= head.i < ent.end:
                return ent
    return named[-1] if named else None


def _resolve_pronouns(doc: Doc, quotes: list[Quote]) -> None:
    """``he said`` → the person who last spoke before it (subject of a reporting verb, or the
    source of an "according to"), else the closest person named outside quotation marks."""
    spans = quotation_spans(text_of(doc))
    people = [ent for ent in entities_of(doc) if ent.label_ == "PERSON" and not _inside(spans, ent.start_char)]
    speakers: list[tuple[int, Span]] = []  # (where the attribution is, the person who speaks)
    for token in doc:
        if _inside(spans, token.idx):
            continue
        if token.lemma_.lower() in REPORTING_VERBS and token.pos_ in {"VERB", "AUX"}:
            subject = _subject(token)
            if subject is not None and subject.lower_ not in PRONOUNS:
                person = _person_in(_expand_speaker(subject), people, subject)
                if person is not None:
                    speakers.append((token.idx, person))
    for quote in quotes:
        if quote.kind == "according_to" and quote.speaker_start is not None:
            phrase = doc.char_span(quote.speaker_start, quote.speaker_end, alignment_mode="expand")
            person = _person_in(phrase, people, phrase.root) if phrase is not None else None
            if person is not None:
                speakers.append((quote.speaker_start, person))
    speakers.sort(key=lambda item: item[0])
    for quote in quotes:
        if quote.speaker_start is None:
            continue
        phrase = doc.char_span(quote.speaker_start, quote.speaker_end, alignment_mode="expand")
        if quote.speaker and quote.speaker.lower() in PRONOUNS:
            earlier = [person for position, person in speakers if position < quote.speaker_start]
            if not earlier:  # people named as subjects, not as "an interview with X"
                earlier = [
                    ent for ent in people
                    if ent.end_char <= quote.speaker_start and ent.root.dep_ not in {"pobj", "dobj", "dative", "poss"}
                ]
            if earlier:
                quote.speaker_resolved = earlier[-1].text
                quote.speaker_person_start = earlier[-1].start_char
        elif phrase is not None:
            person = _person_in(phrase, people, phrase.root)
            if person is not None:
                quote.speaker_resolved = person.text
                quote.speaker_person_start = person.start_char
