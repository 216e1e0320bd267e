"""Direct quotes: quotations in marks, each attributed to the speaker its reporting verb names.

For every quotation (:func:`~pipeline.nlp.quotes.marks.quotation_spans`), in order:

1. find its cue: a reporting verb after it in its sentence (``"…," said Caddell``), else before
   it in its paragraph (``Caddell said: "…"``), else one that ends the previous paragraph with a
   colon (:func:`~pipeline.nlp.quotes.speakers.intro_cue`);
2. a quotation whose cue is the one of the quotation before it, in the same paragraph, is the
   second part of a split quote (``"…," he said. "…"``): the first part grows to cover it;
3. a phrase quoted inside the writer's own sentence is not a direct quote, and a quotation that
   is the clause of ``said that, "…"`` is indirect speech in quoted words;
4. the speaker comes from the cue, else from a colon or a dash next to the quotation;
5. a quotation with no speaker of its own that opens the paragraph right after an attributed one
   continues that speaker; inside an attributed paragraph it is a further part of that quote.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from pipeline.nlp.doc import text_of
from pipeline.nlp.quotes.marks import paragraph_bounds
from pipeline.nlp.quotes.speakers import (
    SPEECH_ONLY,
    colon_speaker,
    cue_words,
    dash_speaker,
    intro_cue,
    is_cue,
    is_sentential,
    looks_like_title,
    speaker_of_verb,
    window_tokens,
)
from pipeline.nlp.quotes.types import Quote

AFTER_TOKENS = 30  # how far after a quotation its verb is looked for (past a long appositive)
BEFORE_TOKENS = 20


@dataclass(frozen=True)
class Window:
    """One quotation and the text around it that may attribute it."""

    start: int
    end: int
    para_start: int
    limit: int  # the end of its paragraph, or the start of the next quotation
    before: list[Token]
    after: list[Token]

    @classmethod
    def around(cls, doc: Doc, spans: list[tuple[int, int]], index: int) -> "Window":
        start, end = spans[index]
        para_start, para_end = paragraph_bounds(text_of(doc), start)
        text = text_of(doc)
        following = (s for s, e in spans[index + 1 :] if is_sentential(text, s, e, paragraph_bounds(text, s)[0]))
        next_start = next(following, len(text))  # a quoted name inside the attribution does not end it
        prev_end = spans[index - 1][1] if index > 0 else 0
        limit = min(para_end, next_start)
        after = [t for t in window_tokens(doc, end, limit) if t.idx >= end][:AFTER_TOKENS]
        before = [t for t in window_tokens(doc, max(para_start, prev_end), start) if t.idx + len(t) <= start]
        return cls(start, end, para_start, limit, before, after)

    def opens_paragraph(self, text: str) -> bool:
        return not text[self.para_start : self.start].strip()


def cue_after(doc: Doc, window: Window, spans: list[tuple[int, int]]) -> tuple[Token | None, list[Token]]:
    """``"…," said Caddell`` / ``"…," Caddell said``: a reporting verb after the quotation, in its sentence.

    Returns the verb and the tokens between the quotation and it (a name the parser put there).
    """
    between: list[Token] = []
    for token in window.after:
        if token.text in ".!?" and token.i > 0 and doc[token.i - 1].idx >= window.end:
            break  # the sentence after the quotation ended
        if is_cue(token, spans, SPEECH_ONLY):
            return token, between
        between.append(token)
    return None, []


def cue_before(window: Window, spans: list[tuple[int, int]]) -> Token | None:
    """``Caddell said: "…"``: the closest reporting verb before the quotation in its paragraph."""
    for token in reversed(window.before[-BEFORE_TOKENS:]):
        if is_cue(token, spans, SPEECH_ONLY):
            return token
    return None


def find_cue(doc: Doc, window: Window, spans: list[tuple[int, int]]) -> tuple[Token | None, list[Token]]:
    """The reporting verb of a quotation: after it, else before it, else introducing its paragraph."""
    cue, between = cue_after(doc, window, spans)
    before = cue_before(window, spans)
    if cue is not None and before is not None and _introduced_by(doc, before, window) and _ends_sentence(doc, window):
        return before, []  # ``Brafman said, "…." He added, "…"``: the verb after opens the next sentence
    if cue is None:
        cue = before
    if cue is None and window.opens_paragraph(text_of(doc)):
        cue = intro_cue(doc, window.para_start, spans)
    return cue, between


def _between(doc: Doc, verb: Token, window: Window) -> str:
    """The text from the end of a verb before a quotation to the quotation's opening mark."""
    return text_of(doc)[verb.idx + len(verb) : window.start]


def _introduced_by(doc: Doc, verb: Token, window: Window) -> bool:
    """The verb's clause runs up to the quotation and ends on a comma or colon: ``Caddell said, "…"``,
    ``Osuna told The Huffington Post: "…"``."""
    between = _between(doc, verb, window).strip()
    return not between or (between[-1] in ",:" and not any(mark in between for mark in ".!?\n"))


def _ends_sentence(doc: Doc, window: Window) -> bool:
    """The quotation closes on a full stop, question or exclamation mark: its sentence ended."""
    return text_of(doc)[window.start : window.end].rstrip("\"”’'» ")[-1:] in {".", "?", "!"}


def attribute(doc: Doc, window: Window, cue: Token | None, between: list[Token], spans: list[tuple[int, int]]) -> tuple[Span | None, str | None]:
    """The speaker and the cue text of a quotation: from its verb, else a colon (``:``), else a dash
    (``―``) after it or opening the next paragraph."""
    if cue is not None:
        speaker = speaker_of_verb(cue, spans, between)
        if speaker is not None:
            return speaker, cue_words(cue)
    speaker = colon_speaker(window.before)
    if speaker is not None:
        return speaker, ":"
    speaker = dash_speaker(doc, window.end, window.limit)
    text = text_of(doc)
    if speaker is None and not text[window.end : window.limit].strip() and window.limit + 2 < len(text):
        speaker = dash_speaker(doc, window.end, paragraph_bounds(text, window.limit + 2)[1])  # "- Bernie Sanders." below it
    if speaker is not None:
        return speaker, "―"
    return None, None


@dataclass
class Attributed:
    """A direct quote found so far, and the token index of the verb that attributed it (if one did)."""

    quote: Quote
    cue_index: int | None


class DirectQuotes:
    """Walks a document's quotations in order, keeping what the next one may continue."""

    def __init__(self, doc: Doc, spans: list[tuple[int, int]]) -> None:
        self.doc, self.spans, self.text = doc, spans, text_of(doc)
        self.found: list[Attributed] = []
        self.previous: Quote | None = None  # the last quote with a speaker of its own
        self.previous_paragraph_end = -1

    def quotes(self) -> list[Quote]:
        for index in range(len(self.spans)):
            self._one(Window.around(self.doc, self.spans, index))
        return [a.quote for a in self.found]

    def _one(self, window: Window) -> None:
        cue, between = find_cue(self.doc, window, self.spans)
        speech = is_sentential(self.text, window.start, window.end, window.para_start) or self._introduced(window, cue)
        if speech and self._second_part_of_split_quote(window, cue):
            self.found[-1].quote.end_char = window.end
            return
        if not speech or (looks_like_title(self.text[window.start : window.end]) and not self._introduced(window, cue)):
            return  # a title, unless its verb introduces it: ``She declared “What a Super Tuesday!”``
        speaker, cue_text = attribute(self.doc, window, cue, between, self.spans)
        if speaker is None:
            self._unattributed(window)
            return
        if speaker.start_char <= window.start and window.end <= speaker.end_char:
            return  # a title inside the speaker's description: ``a contestant on "The Apprentice," said``
        kind = "indirect" if self._after_that(window) else "direct"
        quote = Quote(window.start, window.end, kind, cue_text, speaker.text, speaker.start_char, speaker.end_char)
        self.previous = quote
        self.previous_paragraph_end = paragraph_bounds(self.text, window.start)[1]
        self.found.append(Attributed(quote, cue.i if cue is not None else None))

    def _second_part_of_split_quote(self, window: Window, cue: Token | None) -> bool:
        """``"…," said Caddell. "…"``: the same verb (or one in its sentence) as the quote before, same paragraph."""
        if cue is None or not self.found or self.found[-1].cue_index is None:
            return False
        last = self.found[-1]
        same_cue = last.cue_index == cue.i or self.doc[last.cue_index].sent.start == cue.sent.start
        return same_cue and last.quote.end_char >= window.para_start

    def _introduced(self, window: Window, cue: Token | None) -> bool:
        """A quotation right after its verb is speech even when it opens in lower case: ``Clinton said, “as long as …”``."""
        if cue is None or cue.idx > window.start:
            return False
        return not _between(self.doc, cue, window).strip(" ,:")

    def _after_that(self, window: Window) -> bool:
        """``Trump tweeted that, “For those few people …”``: the quoted words are the clause of
        reported (indirect) speech, a mixed quotation, not speech given as said."""
        return self.text[window.para_start : window.start].rstrip(" ,").lower().endswith((" that", "\nthat"))

    def _stands_alone(self, window: Window) -> bool:
        """A quotation that is a statement of its own, not a title the sentence goes on about.

        ``"We will win." …`` and ``"We will win," …`` ending the paragraph stand alone;
        ``"Opening Belle," which will be in bookstores …`` and ``"Sons of Trump" happily roots …`` do not.
        """
        inner = self.text[window.start : window.end].rstrip("\"”’'» ")
        rest = self.text[window.end : window.limit].lstrip()
        if not rest or inner[-1:] in ".?!…":
            return True
        return not (rest[0].islower() or rest[0].isdigit())

    def _unattributed(self, window: Window) -> None:
        """A quotation nobody is named for: it continues the previous paragraph's speaker, or the quote it follows."""
        if not self._stands_alone(window):
            return
        if window.opens_paragraph(self.text) and self.previous is not None and window.para_start <= self.previous_paragraph_end + 4:
            p = self.previous
            self.found.append(Attributed(Quote(window.start, window.end, "direct", p.cue, p.speaker, p.speaker_start, p.speaker_end), None))
            self.previous_paragraph_end = paragraph_bounds(self.text, window.start)[1]
        elif self.found and self.found[-1].cue_index is not None and self.found[-1].quote.end_char >= window.para_start:
            self.found[-1].quote.end_char = window.end  # a further part of the same paragraph's quotation


def direct_quotes(doc: Doc, spans: list[tuple[int, int]]) -> list[Quote]:
    """The direct quotes of a document, in order (see the module's rules)."""
    return DirectQuotes(doc, spans).quotes()
