"""Quotation marks: where quotations open and close in a body.

A quotation may run over several paragraphs (the news convention: each paragraph of a long
quotation reopens the marks) and may use straight, curly, low or angle marks, or two apostrophes
(``''``, some wire and archive texts) for a straight double quote.
"""

from __future__ import annotations

from bisect import bisect_right

OPEN_TO_CLOSE = {"“": "”", '"': '"', "„": "“", "«": "»"}
CLOSERS = {"”", '"', "»"}
FILLER = "\x00"  # stands for the second apostrophe of ``''``, so offsets do not move


def quotation_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the quotations in a text, marks included.

    Example: ``He said: "We will hold." Then he left.`` → the span of ``"We will hold."``.
    A quotation left open at a paragraph's end continues if the next paragraph opens with a
    quotation mark, else it ends with its paragraph.
    """
    text = text.replace("''", '"' + FILLER)
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(text):
        if text[i] in OPEN_TO_CLOSE and opens(text, i):
            end = _closing(text, i)
            spans.append((i, end))
            i = end
        else:
            i += 1
    return spans


def _closing(text: str, start: int) -> int:
    """Where the quotation opened at ``start`` ends (just after its closing mark, or its paragraph's end)."""
    opener = text[start]
    depth = 0  # curly quotations nested inside a straight one
    j = start + 1
    while j < len(text):
        c = text[j]
        if c == "\n" and text.startswith("\n\n", j):
            reopened = _reopened_after(text, j)
            if reopened is None or depth != 0:
                return j  # left open: it ends with its paragraph
            j = reopened  # multi-paragraph quotation: the next paragraph reopens it
            continue
        if depth == 0 and _is_closing_mark(text, j, opener):
            return j + 2 if text[j + 1 : j + 2] == FILLER else j + 1
        depth += _nesting(text, j, opener, depth)
        j += 1
    return len(text)


def _is_closing_mark(text: str, j: int, opener: str) -> bool:
    """The mark at ``j`` closes a quotation opened with ``opener`` (a straight or curly opener takes any closer)."""
    c = text[j]
    if c == "“" and opener in "\"“":  # an opening mark typed for a closing one: ``here,“ said``
        return j > 0 and not text[j - 1].isspace() and (j + 1 >= len(text) or text[j + 1].isspace())
    return (c == OPEN_TO_CLOSE[opener] or (c in CLOSERS and opener in "\"“")) and closes(text, j)


def _nesting(text: str, j: int, opener: str, depth: int) -> int:
    """How a character changes the depth of curly quotations nested in a straight or curly one.

    ``“I’d rather live in what he calls “hell” than …”``: the inner pair opens after a space.
    """
    c = text[j]
    if c == "“" and (opener == '"' or (opener == "“" and j > 0 and text[j - 1].isspace())):
        return 1
    if c == "”" and depth > 0:
        return -1
    return 0


def _reopened_after(text: str, j: int) -> int | None:
    """After the paragraph break at ``j``: the position past the next paragraph's opening mark, if it has one."""
    k = j
    while k < len(text) and text[k] == "\n":
        k += 1
    return k + 1 if k < len(text) and text[k] in OPEN_TO_CLOSE else None


def opens(text: str, i: int) -> bool:
    """A mark that opens a quotation: a straight quote after a space or an opening punctuation mark,
    with text right after it (``said "We`` opens; ``5" wide`` does not)."""
    before = text[i - 1] if i > 0 else " "
    if text[i + 1 : i + 2] == FILLER and i + 2 < len(text):
        after = text[i + 2]
    else:
        after = text[i + 1] if i + 1 < len(text) else " "
    if text[i] == '"':
        return (before.isspace() or before in "([—–-:") and not after.isspace()
    return not after.isspace()


def closes(text: str, j: int) -> bool:
    """A straight quote that closes a quotation: text before it, a space or punctuation after it."""
    k = j + 2 if text[j + 1 : j + 2] == FILLER else j + 1
    after = text[k] if k < len(text) else " "
    before = text[j - 1]
    if text[j] == '"':
        nested_end = before == " " and j > 1 and text[j - 2] in "'’,.?!"  # ``… its brain,' " said``, ``… this, " Trump``
        return (not before.isspace() or nested_end) and (after.isspace() or after in ".,;:!?)—–-’”'")
    return True


def inside(spans: list[tuple[int, int]], char: int) -> bool:
    """True if a character offset lies inside one of the (sorted) quotation spans."""
    k = bisect_right([s for s, _ in spans], char) - 1
    return k >= 0 and spans[k][0] <= char < spans[k][1]


def paragraph_bounds(text: str, position: int) -> tuple[int, int]:
    """Start and end of the paragraph (blank-line separated) holding ``position``."""
    start = text.rfind("\n\n", 0, position)
    end = text.find("\n\n", position)
    return (0 if start < 0 else start + 2), (len(text) if end < 0 else end)
