"""Names without a model: the id a name gets on its own, its short forms, acronyms a text defines.

Used by enrich (per article, :mod:`pipeline.nlp.entities`) and by load (across articles,
:mod:`pipeline.store.entity_links`), which must not import spaCy.
"""

from __future__ import annotations

import re

POSSESSIVE = re.compile(r"[’']s?$")
_NON_WORD = re.compile(r"[^\w]+")
_ACRONYM_AFTER = re.compile(r"\s*\(\s*([A-Z][A-Za-z.&]{1,11})\s*\)")
_FUNCTION_WORDS = {"the", "of", "for", "and", "on", "in", "to", "a", "an", "&", "at", "de"}


def name_of(text: str) -> str:
    """A mention's name: outer spaces and a possessive ending (``Putin’s``) removed."""
    return POSSESSIVE.sub("", text.strip())


def initials(name: str) -> str:
    """Upper-case initials of a name's words, function words left out ("Institute for the Study of War" → "ISW")."""
    words = [w for w in re.split(r"[\s\-]+", name_of(name)) if w and w.lower() not in _FUNCTION_WORDS]
    return "".join(w[0].upper() for w in words)


def defined_acronyms(mentions: list[dict], text: str) -> dict[str, str]:
    """Acronyms the text defines right after a name, "Long Name (LN)": acronym → the long name's entity id."""
    found: dict[str, str] = {}
    for mention in mentions:
        match = _ACRONYM_AFTER.match(text, mention["end_char"])
        if match is None:
            continue
        acronym = match.group(1).replace(".", "")
        if len(acronym) >= 2 and acronym.isupper() and len(name_of(mention["text"]).split()) > 1 and initials(mention["text"]) == acronym:
            found.setdefault(acronym, mention["entity_id"])
    return found


def entity_key(text: str, label: str) -> str:
    """Id of a name the reference lists do not know: label and lower-cased name, no possessive."""
    name = POSSESSIVE.sub("", text.strip())
    slug = _NON_WORD.sub("_", name.lower()).strip("_")
    return f"{label.lower()}:{slug}"


