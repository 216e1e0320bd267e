"""Turn a decoded article file into a title and a clean body, keeping a log of every removal.

Rules work line by line, because the furniture that news sites leave in saved text (comment
prompts, share counters, doubled image captions, hash lines) comes as whole lines. Real sentences
are never touched except for unicode and whitespace normalisation and a leading bullet glyph.
Every removed or changed line is logged with its rule name so an analyst can query what was cut
(table ``cleaning_log``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

# Whole lines of site furniture, by rule name. Anchored: a sentence that merely mentions
# "Read also" is kept.
FURNITURE: dict[str, re.Pattern[str]] = {
    "comment_prompt": re.compile(
        r"^(leave a (comment|reply)|loading comments\.*|\d*\s*comments?|your email address will not be published\b.*)$",
        re.I,
    ),
    "navigation": re.compile(
        r"^(scroll to top|back to top|share( this( article)?)?|print|photo|video|scroll down for video|read more"
        r"|advertisement(\s*[-–—]?\s*continue reading( the main story| below)?)?"  # "Advertisement Continue reading the main story"
        r"|order reprints\s*\|.*)$",  # "Order Reprints | Today’s Paper | Subscribe A version of this article appears in print ..."
        re.I,
    ),
    # a site's sign-up form saved with the story ("Newsletter Sign Up Continue reading the main story Please
    # verify you're not a robot ...", "Sign up for BREAKING NEWS Emails privacy policy Thanks for subscribing!")
    "sign_up_prompt": re.compile(
        r"^(newsletter sign up\b.*|sign up for\b.*\b(newsletters?|e-?mails?)\b.*(privacy policy|subscribing)\b.*"
        r"|thanks for subscribing!?)$",
        re.I,
    ),
    # "Copyright 2018 The Associated Press. All rights reserved. This material may not be published ..."
    "copyright_notice": re.compile(r"^(copyright\b|©).*\ball rights reserved\b.*$", re.I),
    "read_also": re.compile(r"^(read (also|more)|see also|related)\s*:.*$", re.I),
    "read_original": re.compile(r"^read the original article (at|on)\b.*$", re.I),
    "section_label": re.compile(r"^[-–—]\s*(news|home)$", re.I),
    "hash_line": re.compile(r"^[0-9a-f]{32,128}$"),
}
RELATIVE_TIME = re.compile(r"^(\d+|an?|one)\s+(second|minute|hour|day|week|month|year)s?\s+ago$", re.I)
COUNTER = re.compile(r"^\d{1,6}$")
BULLET = re.compile(r"^[•·▪▫◦●○■□‣⁃∙*]\s*")
PHOTO_CREDIT = re.compile(r"(\bvia\b|getty images|\bafp\b|reuters|\bap photo\b|shutterstock)", re.I)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")

RULES = (*FURNITURE, "relative_time", "share_counter", "duplicated_caption", "photo_credit", "bullet_glyph")


@dataclass(frozen=True)
class LogEntry:
    """One line the cleaner removed or changed: 1-based line number in the decoded file."""

    line_no: int
    rule: str
    text: str


@dataclass
class Cleaned:
    title: str
    body: str
    log: list[LogEntry] = field(default_factory=list)


def normalise(text: str) -> str:
    """Unicode NFC, unified line ends, no invisible characters, single spaces."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = _INVISIBLE.sub("", text)
    return "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))


def _doubled(line: str) -> bool:
    """``Kursk attackKursk attack``: a caption the page rendered twice, glued together."""
    n = len(line)
    return n >= 6 and n % 2 == 0 and line[: n // 2] == line[n // 2 :]


def clean(text: str, title: str | None = None) -> Cleaned:
    """Split a decoded file into title and body and strip site furniture.

    Args:
        text: the decoded file content.
        title: the title when the source states it (a web page, a JSON record, a manifest);
            otherwise the first kept line is the title.

    Returns:
        :class:`Cleaned` with the title, the body (the title first, then every other kept line,
        paragraphs joined by a blank line), and the log of what was removed. Both may be empty.
    """
    kept: list[str] = []
    log: list[LogEntry] = []
    previous_rule: str | None = None  # rule of the previous non-blank line (None: it was kept)
    for line_no, line in enumerate(normalise(text).split("\n"), start=1):
        if not line:
            continue
        rule = _rule_for(line, previous_rule)
        if rule is None:
            bullet = BULLET.match(line)
            if bullet:
                log.append(LogEntry(line_no, "bullet_glyph", bullet.group(0).strip()))
                line = line[bullet.end() :]
            if line:
                kept.append(line)
        else:
            log.append(LogEntry(line_no, rule, line))
        previous_rule = rule
    if title is not None and title.strip():
        title = normalise(title).replace("\n", " ").strip()
        if not kept or kept[0] != title:
            kept.insert(0, title)
    # The headline stays the body's first paragraph: it often carries the story's claim and source.
    return Cleaned(title=kept[0] if kept else "", body="\n\n".join(kept), log=log)


def _rule_for(line: str, previous_rule: str | None) -> str | None:
    for rule, pattern in FURNITURE.items():
        if pattern.match(line):
            return rule
    if RELATIVE_TIME.match(line):
        return "relative_time"
    if previous_rule == "relative_time" and COUNTER.match(line):
        return "share_counter"
    if _doubled(line):
        return "duplicated_caption"
    if previous_rule == "duplicated_caption" and PHOTO_CREDIT.search(line):
        return "photo_credit"
    return None
