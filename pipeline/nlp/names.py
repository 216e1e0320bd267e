"""Names without a model: the id a name gets on its own, its short forms, acronyms a text defines.

Used by enrich (per article, :mod:`pipeline.nlp.entities`) and by load (across articles,
:mod:`pipeline.store.entity_links`), which must not import spaCy. The reference lists (the
gazetteer, its aliases and the terms that are no names) are read here too, for the same reason.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

POSSESSIVE = re.compile(r"[’']s?$")
_NON_WORD = re.compile(r"[^\w]+")
_ACRONYM_AFTER = re.compile(r"\s*\(\s*([A-Z][A-Za-z.&]{1,11})\s*\)")
_ACRONYM_INSIDE = re.compile(r"\s\(\s*([A-Z][A-Za-z.&]{1,11})\s*\)?$")  # the model's span took it in
_FUNCTION_WORDS = {"the", "of", "for", "and", "on", "in", "to", "a", "an", "&", "at", "de"}


# Words before a name that are not part of it: an article, an honorific.
HONORIFICS = "mr|mrs|ms|miss|mx|dr|prof|professor|sir|dame|madam|madame|mme|mlle|monsieur|herr|frau|senor|señor"
_LEADING = re.compile(rf"^(?:the|{HONORIFICS})\.?\s+", re.I)
# An honorific right before a word ("Mr Ebbers", "Ms. Brunini"): that word is a person's surname.
HONORIFIC_BEFORE = re.compile(rf"\b(?:{HONORIFICS})\.?\s+$", re.I)
_DEFINED_AFTER = re.compile(r"\s*\(\s*[A-Z][A-Za-z.&]{1,11}\s*\)?$")  # closed or not: the model may cut the ")"


# Letters after a person's name that are no part of it: "Daniel Bernoulli FRS", "Jane Smith MP".
_POST_NOMINALS = re.compile(r"(?:,?\s+(?:FRS|FRSE|PhD|Ph\.D\.?|MD|M\.D\.?|MP|MEP|MSP|QC|KC|OBE|MBE|CBE|KBE|DBE|Esq\.?))+$")


def name_of(text: str) -> str:
    """A mention's name: outer spaces and a possessive ending (``Putin’s``) removed."""
    return POSSESSIVE.sub("", text.strip())


# A name with a nickname in quotation marks: 'Robert C. "Bobby" Scott', "Marion 'Suge' Knight".
NICKNAMED = re.compile(r"^(?P<given>[A-Z][\w.]*(?:\s+[A-Z][\w.]*){0,2})\s+[\"“‘']"
                       r"(?P<nickname>[A-Z][\w.]*(?:\s[A-Z][\w.]*)?)[\"”’']\s+(?P<surname>[A-Z][\w'’-]+)$")


def base_name(text: str) -> str:
    """The name an id is made from: no possessive, no leading article or honorific, no "(ACRONYM)" after
    it; the nickname and the surname of a name written with a nickname in quotation marks, the form
    the story then uses ('Robert C. "Bobby" Scott' → "Bobby Scott").

    >>> base_name("the Civic Party's"), base_name("Mr. Ho"), base_name("American College of Pediatricians (ACPeds)")
    ('Civic Party', 'Ho', 'American College of Pediatricians')
    """
    name = _DEFINED_AFTER.sub("", name_of(text))
    nicknamed = NICKNAMED.match(name)
    if nicknamed:
        name = f"{nicknamed.group('nickname')} {nicknamed.group('surname')}"
    if len(name.split()) > 2 and not name.lower().startswith("the "):  # "the Mid-Bedfordshire MP" is no name
        name = _POST_NOMINALS.sub("", name)
    while True:
        stripped = _LEADING.sub("", name)
        if stripped == name or not stripped:
            return " ".join(name.split())
        name = stripped


def initials(name: str) -> str:
    """Upper-case initials of a name's words, function words left out ("Institute for the Study of War" → "ISW")."""
    words = [w for w in re.split(r"[\s\-]+", name_of(name)) if w and w.lower() not in _FUNCTION_WORDS]
    return "".join(w[0].upper() for w in words)


def acronyms_of(name: str) -> set[str]:
    """The acronyms a name goes by: its :func:`initials`, and those of the name without a country
    written in capitals before it ("US Securities and Exchange Commission" is the SEC, three letters or more)."""
    found = {initials(name)}
    first, _, rest = name_of(name).partition(" ")
    if rest and first.replace(".", "").isupper() and len(initials(rest)) >= 3:
        found.add(initials(rest))
    return found


def defined_acronyms(mentions: list[dict], text: str) -> dict[str, str]:
    """Acronyms the text defines right after a name, "Long Name (LN)": acronym → the long name's entity id."""
    found: dict[str, str] = {}
    for mention in mentions:
        match = _ACRONYM_INSIDE.search(name_of(mention["text"])) or _ACRONYM_AFTER.match(text, mention["end_char"])
        acronym = _initials_of(match.group(1), mention["text"]) if match else None
        if acronym:
            found.setdefault(acronym, mention["entity_id"])
    return found


def acronym_after(text: str, end: int, name: str) -> str | None:
    """The acronym the text defines right after ``name`` (which ends at ``end``): "the International
    Labour Organisation (ILO)" → ``ILO``; None where the brackets hold no initials of it."""
    match = _ACRONYM_AFTER.match(text, end)
    return _initials_of(match.group(1), name) if match else None


def _initials_of(written: str, name: str) -> str | None:
    """``written`` without dots where its capitals are the initials of ``name``, a name of two words or
    more (``ACPeds``: the capitals are the initials), else None."""
    acronym = written.replace(".", "")
    capitals = "".join(c for c in acronym if c.isupper())
    if len(capitals) >= 2 and len(name_of(name).split()) > 1 and capitals in acronyms_of(base_name(name)):
        return acronym
    return None


_DEFINED = re.compile(r"((?:[a-z][a-z-]*\s+){1,8})\(\s*([A-Z]{2,8})(s?)\s*\)")


def common_noun_acronyms(text: str) -> set[str]:
    """Acronyms the text defines after lower-case words, "ground reaction force (GRF)", "improvised
    explosive devices (IEDs)": short for a thing, not for a name (with and without a plural "s")."""
    found = set()
    for match in _DEFINED.finditer(text):
        words, acronym = match.group(1).split(), match.group(2)
        content = [w for w in words if w not in _FUNCTION_WORDS]  # "weapons of mass destruction (WMD)"
        if any(len(ws) >= len(acronym) and "".join(w[0] for w in ws[-len(acronym):]) == acronym.lower() for ws in (words, content)):
            found |= {acronym, acronym + "s"}
    return found


def entity_key(text: str, label: str) -> str:
    """Id of a name the reference lists do not know: label and lower-cased :func:`base_name`."""
    return f"{label.lower()}:{name_slug(text)}"


def fold_accents(text: str) -> str:
    """``Zahā Ḥadīd`` → ``Zaha Hadid``: letters without their diacritics (for comparing spellings)."""
    if text.isascii():
        return text
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def name_slug(text: str) -> str:
    """``the Civic Party's`` → ``civic_party``: the label-free part of an id."""
    return _NON_WORD.sub("_", base_name(text).lower()).strip("_")


@dataclass(frozen=True)
class Reference:
    entities: dict[str, dict]  # entity_id -> {label, canonical_name, iso_code}
    aliases: tuple[tuple[str, str], ...]  # (alias, entity_id)
    terms: frozenset[str] = frozenset()  # abbreviations of things the model tags as names: GMT, MPs, USB


@lru_cache(maxsize=4)
def load_reference(reference_dir: str) -> Reference:
    """Read and check the gazetteer, alias and term lists; errors name the file and row.

    ``terms.csv`` is optional (a reference folder made before it existed still loads)."""
    folder = Path(reference_dir)
    entities = _read_gazetteer(folder / "gazetteer.csv")
    terms = _read_terms(folder / "terms.csv") if (folder / "terms.csv").exists() else frozenset()
    return Reference(entities, _read_aliases(folder / "aliases.csv", entities), terms)


def _rows(path: Path):
    """``(row number as a spreadsheet shows it, row)`` of a CSV file with a header."""
    with open(path, encoding="utf-8", newline="") as handle:
        yield from enumerate(csv.DictReader(handle), start=2)


def _cell(row: dict, column: str) -> str:
    return (row.get(column) or "").strip()


def _read_gazetteer(path: Path) -> dict[str, dict]:
    """``entity_id`` → its label, canonical name and ISO code; every row needs the first three."""
    entities: dict[str, dict] = {}
    for row_no, row in _rows(path):
        entity_id, label, canonical = _cell(row, "entity_id"), _cell(row, "label"), _cell(row, "canonical_name")
        if not entity_id or not label or not canonical:
            raise ValueError(f"{path} row {row_no}: entity_id, label and canonical_name are required")
        entities[entity_id] = {"label": label, "canonical_name": canonical, "iso_code": _cell(row, "iso_code") or None}
    return entities


def _read_terms(path: Path) -> frozenset[str]:
    """The ``term`` column: words written exactly so name a thing, never a person, organisation or place."""
    terms = set()
    for row_no, row in _rows(path):
        term = _cell(row, "term")
        if not term:
            raise ValueError(f"{path} row {row_no}: the term is empty; write the abbreviation as articles do (GMT) or delete the row")
        terms.add(term)
    return frozenset(terms)


def _read_aliases(path: Path, entities: dict[str, dict]) -> tuple[tuple[str, str], ...]:
    """``(alias, entity_id)`` pairs; an alias may only name an entity of the gazetteer."""
    aliases = []
    for row_no, row in _rows(path):
        alias, entity_id = _cell(row, "alias"), _cell(row, "entity_id")
        if entity_id not in entities:
            raise ValueError(f"{path} row {row_no}: entity_id {entity_id!r} is not in gazetteer.csv; add it there first")
        if alias:
            aliases.append((alias, entity_id))
    return tuple(aliases)
