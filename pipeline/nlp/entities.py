"""Canonical entities: one id per real-world entity across articles.

The reference lists in ``pipeline/reference/`` (in git; analysts extend them without touching
code) feed spaCy's own ``entity_ruler``, placed before the statistical NER so that known names get
the right label and a canonical id (``Kiev``/``Kyiv`` → ``gpe:kyiv``, ``Kursk region``/``Kursk
Oblast``/``Kursk`` → ``gpe:kursk_oblast`` with ISO 3166-2 ``RU-KRS``), fixing the small model's
domain mistakes (``Kursk`` as a product, ``Kyiv`` as a person):

* ``gazetteer.csv``: ``entity_id,label,canonical_name,iso_code`` — one row per entity.
* ``aliases.csv``: ``alias,entity_id`` — every spelling that names it, as written.
* ``terms.csv``: ``term,meaning`` — abbreviations of things and titles the model tags as names
  (``GMT``, ``MPs``, ``USB``): a mention written exactly so is no entity.

Names the lists do not know get ``label:normalised_name`` ids, possessives stripped; a lone
surname takes the id of the full name used in the same article (``Markov`` → ``Sergei Markov``),
and an acronym the text defines takes the id of its long form ("the Velmora Flood Relief Agency
(VFRA)": every ``VFRA`` of the article). Across articles, load links the short forms left
(:mod:`pipeline.store.entity_links`).
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

import numpy
from nicknames import NickNamer
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.symbols import PROPN
from spacy.tokens import Doc, Span, Token

from pipeline.nlp.doc import entities_of, sentence_index, text_of, trim, trim_space_tokens
from pipeline.nlp.names import (
    HONORIFIC_BEFORE,
    Reference,
    acronym_after,
    acronyms_of,
    base_name,
    common_noun_acronyms,
    defined_acronyms,
    fold_accents,
    name_of,
    name_slug,
)
from pipeline.nlp.units import ISO_CODES


def ruler_patterns(reference: Reference) -> list[dict]:
    return [
        {"label": reference.entities[entity_id]["label"], "pattern": alias, "id": entity_id}
        for alias, entity_id in reference.aliases
    ]


# The last word of the first part of a body's name whose last words are a place the reference lists
# know: the model, handed "America" by the entity ruler, ends its own span before it ("Bank of").
_JOINS_A_PLACE = frozenset({"of", "for", "de"})
_BODIES = frozenset({"ORG", "FAC"})


def joined_reference_names(doc: Doc) -> list[Span] | None:
    """The document's entities with the names the entity ruler cut in two joined again, or None
    when there are none.

    The ruler runs before the statistical NER and hands it the places it knows; the model then
    builds its names around them. A body named for a place comes out in two parts, and its first
    part alone would stand for every such body ("Bank of America" and "Bank of China" both
    ``org:bank``):

    * ``Bank of`` + ``America``, ``the Muslim Council of`` + ``Britain``: a body's name ending in
      "of", "for" or "de", then the place: one name with the model's label (not after a possessive:
      "Screen International's" + "US box office");
    * ``UK`` + ``Independence Party``, ``US`` + ``Anti-Doping Agency``: a country, then a body's name
      of capitalised words (not an acronym: "Russia WTO talks" is two names): one name;
    * ``The International`` + ``Labour`` (+ untagged ``Organisation``), ``The Parliamentary`` + ``Labour
      Party``: capitalised words the model calls a body, then a body the lists know: one organisation,
      with the words after it that end in a word for a body (:data:`BODY_HEADS`);
    * ``UK`` + untagged ``Film Council``, ``UN`` + ``Security Council``, ``Scottish`` + ``Executive``:
      a known place or body or a nationality, then capitalised words the model left untagged that
      end in a word for a body (:data:`BODY_HEADS`): one organisation (not ``US`` + ``Treasury
      Secretary``, a person's title).

    Both parts must touch, on one line. The joined name carries no reference id (the lists can name it).
    """
    ents = list(doc.ents)
    joined, changed, i = [], False, 0
    while i < len(ents):
        first = ents[i]
        second = ents[i + 1] if i + 1 < len(ents) else None
        end = _pair_end(first, second) if second is not None else None
        if end is not None:
            joined.append(_joined(doc, first.start, end, first.label_ if first.label_ in _BODIES else second.label_))
            changed, i = True, i + 2
            continue
        end = _untagged_body_after(first)
        joined.append(first if end is None else _joined(doc, first.start, end, "ORG"))
        changed, i = changed or end is not None, i + 1
    return joined if changed else None


def _pair_end(first: Span, second: Span) -> int | None:
    """Where the one name two touching entities make ends (see :func:`joined_reference_names`), or None."""
    if second.start != first.end or "\n" in first[-1].whitespace_:
        return None
    if _body_before_known_body(first, second):
        return _body_head_after(first.doc, second.end)
    return second.end if _body_before_place(first, second) or _place_before_body(first, second) else None


def _joined(doc: Doc, start: int, end: int, label: str) -> Span:
    for token in doc[start:end]:
        token.ent_id_ = ""  # a span's reference id is its root word's: the place's is not the body's
    return Span(doc, start, end, label=label)


# The last word of a body's name written after a place or a nationality ("UK Film Council", "US Air
# Force", "Scottish Executive"); not a person's title ("Prime Minister", "Treasury Secretary").
BODY_HEADS = frozenset({
    "council", "department", "commission", "court", "service", "bank", "office", "agency", "assembly",
    "ministry", "executive", "government", "administration", "parliament", "senate", "congress", "committee",
    "command", "force", "army", "navy", "guard", "police", "treasury", "programme", "program", "fund",
    "authority", "board", "institute", "party", "union", "association", "federation", "corporation",
    "airways", "airlines", "library", "museum", "embassy", "foundation", "trust", "society", "academy",
    "university", "bureau", "cabinet", "athletics", "daily", "guild", "organisation", "organization",
})


def _untagged_body_after(first: Span) -> int | None:
    """The end of the body's name that ``first`` starts (see :func:`joined_reference_names`), or None."""
    if not _may_start_a_body(first):
        return None
    doc = first.doc
    end = _capitalised_run(doc, first.end)
    # the whole run must end in the body's word: "US Treasury Secretary" is a title, not the Treasury
    if end == first.end or doc[end - 1].lower_ not in BODY_HEADS:
        return None
    # after a body the lists know by its full name, one word is that body's ("the United Nations
    # Office at Vienna", "Madame Tussauds Museum"), two name one of its own ("United Nations Security Council")
    if first.label_ == "ORG" and not first.text.isupper() and end - first.end < 2:
        return None
    if end + 1 < len(doc) and doc[end].lower_ == "of":  # "US Department of Homeland Security"
        after = _capitalised_run(doc, end + 1)
        return after if after > end + 1 else end
    return end


def _may_start_a_body(first: Span) -> bool:
    """A nationality, or a place or a body the lists know ("UK", "UN", "United Nations")."""
    return first.label_ == "NORP" or (bool(first.ent_id_) and first.label_ in ("GPE", "ORG"))


def _capitalised_run(doc: Doc, start: int) -> int:
    """The end of the capitalised nouns the model left untagged from ``start`` (four at most), on one line."""
    end = start
    while end < min(len(doc), start + 4) and doc[end].ent_iob_ == "O" and doc[end].text[:1].isupper() \
            and doc[end].pos_ in ("PROPN", "NOUN") and "\n" not in doc[end - 1].whitespace_:
        end += 1
    return end


def _body_before_place(first: Span, second: Span) -> bool:
    return (not first.ent_id_ and first.label_ in _BODIES and bool(second.ent_id_)
            and first[-1].lower_ in _JOINS_A_PLACE and len(first) > 1)


def _body_before_known_body(first: Span, second: Span) -> bool:
    """``The International`` + ``Labour`` + ``Organisation``, ``The Parliamentary`` + ``Labour Party``:
    capitalised words the model calls a body right before a body the lists know, where the whole ends
    in a word for a body (not ``Russian News Agency`` + ``Interfax``, a description and the name)."""
    words = [t for t in first if t.lower_ != "the"]
    return (not first.ent_id_ and first.label_ == "ORG" and bool(second.ent_id_) and second.label_ == "ORG"
            and bool(words) and all(t.text[:1].isupper() for t in words) and words[-1].lower_ not in BODY_HEADS
            and (second[-1].lower_ in BODY_HEADS or _body_head_after(second.doc, second.end) > second.end))


def _body_head_after(doc: Doc, start: int) -> int:
    """The end of untagged capitalised words from ``start`` that end in a body's word ("Organisation"),
    or ``start``."""
    end = _capitalised_run(doc, start)
    return end if end > start and doc[end - 1].lower_ in BODY_HEADS else start


def _place_before_body(first: Span, second: Span) -> bool:
    return (bool(first.ent_id_) and first.label_ == "GPE" and not second.ent_id_ and second.label_ in _BODIES
            and second[0].text[:1].isupper() and not second.text.isupper() and second[0].pos_ == "PROPN")


NAME_LABELS = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW"}
# When an article's mentions of one name disagree about its label, the majority wins; on a tie, this order.
LABEL_ORDER = ("PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW")
# A short form may stand for a longer person's name when the model labels it a person or, often
# wrongly, an organisation ("Coase" as ORG); a word tagged a place only as a surname, and not where
# the text makes it a place ("in Washington" beside "George Washington"; see _may_be_surname).
SHORT_FORM_LABELS = {"PERSON", "ORG"}


# What the model calls a person's full name when it gets it wrong ("Linvoy Primus" an organisation,
# "Elena Dementieva" a building, "Agnes Samaria" a place).
MISTAKEN_FOR_NAMES = frozenset({"ORG", "FAC", "GPE", "LOC", "PRODUCT", "WORK_OF_ART"})


# Nouns that introduce the title of a work: "the film Vera Drake", "his album Musicology", "Mike
# Leigh's drama Vera Drake"; in lower case (a capital makes the noun part of a name: "Comedy Central").
# Not nouns that are verbs or adjectives as often ("hit", "play", "show", "epic"), nor an award's
# category ("the best film Oscar"); on the same line.
_WORK_BEFORE = re.compile(
    r"(?<!\bbest )\b(?:film|movie|biopic|documentary|sitcom|cartoon|novel|memoir|album|song|musical|opera|thriller|"
    r"comedy|drama|series|programme|soap|blockbuster|miniseries)s? $",
)
# Nouns that introduce a body's name: "oil giant Yukos", "security firm Sophos", "the band Keane"; in
# lower case ("West Bank Palestinians" are no bank's). Not a person's role ("producer", "publisher",
# "film-maker") nor a word for a team or a country ("side", "rival").
_BODY_BEFORE = re.compile(
    r"(?<![\w-])(?:firm|company|giant|(?<!film )maker|operator|retailer|carrier|airline|bank|broker|insurer|manufacturer|conglomerate|"
    r"subsidiary|provider|developer|label|studio|watchdog|regulator|band|broadcaster|newspaper|website|network|"
    r"supermarket|brewer|miner|chain)s? $",
)
# What the model mistakes a title or a body for: a person, a place, a product, a body or a work.
_TITLE_MISTAKEN_FOR = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "PRODUCT"})
_BODY_MISTAKEN_FOR = frozenset({"PERSON", "GPE", "LOC", "FAC", "PRODUCT", "NORP", "WORK_OF_ART"})


def _label_introduced(mentions: list[dict], known_ids: list[str | None], text: str) -> None:
    """Label every mention of a name the article introduces as a work's title a work of art ("the
    comedy Sideways", "the film Vera Drake"), and as a body's name an organisation ("oil giant Yukos",
    "the band Keane"), whatever the model called it: one name, one label. Names of the reference
    lists keep theirs, and so does a country's name ("his album Egypt": the article's other mentions
    of Egypt are the country)."""
    for before, mistaken, label in ((_WORK_BEFORE, _TITLE_MISTAKEN_FOR, "WORK_OF_ART"), (_BODY_BEFORE, _BODY_MISTAKEN_FOR, "ORG")):
        names = {_label_key(m["text"]) for m, known in zip(mentions, known_ids)
                 if known is None and m["label"] in mistaken and "start_char" in m
                 and before.search(text, max(0, m["start_char"] - 30), m["start_char"])
                 and not _country_name(base_name(m["text"]))}
        for mention, known in zip(mentions, known_ids):
            if known is None and mention["label"] in mistaken and _label_key(mention["text"]) in names:
                mention["label"] = label


@lru_cache(maxsize=4096)
def _country_name(name: str) -> bool:
    """``Egypt``, ``Japan``: a country's name (pycountry), not a code ("Jam", "ER" are titles too)."""
    import pycountry

    try:
        return len(name) > 3 and pycountry.countries.lookup(name) is not None
    except LookupError:
        return False


def _majority_labels(mentions: list[dict], known_ids: list[str | None], text: str = "") -> dict[str, str]:
    """Name (slug) → the label most of the article's mentions of it carry; a full name the model
    calls an organisation, a place or a thing whose last word the article writes after "Mr"/"Ms",
    or whose last word on its own is mostly tagged a person, is a person's ("Bernie Ebbers" tagged
    ORG, then "Mr Ebbers"; "Elena Dementieva" tagged FAC, then "Dementieva" as a person)."""
    votes: dict[str, Counter] = {}
    for mention, known in zip(mentions, known_ids):
        if known is None and mention["label"] in NAME_LABELS:
            votes.setdefault(_label_key(mention["text"]), Counter())[mention["label"]] += 1
    labels = {
        slug: max(counts, key=lambda label: (counts[label], -LABEL_ORDER.index(label)))
        for slug, counts in votes.items()
    }
    surnames = _surnames_in(mentions, labels, text)
    for mention, known in zip(mentions, known_ids):
        slug = _label_key(mention["text"])
        if (known is None and labels.get(slug) in MISTAKEN_FOR_NAMES and _person_like(base_name(mention["text"]).split(), surnames)
                and not _company(mention["text"])):
            labels[slug] = "PERSON"
    labels.update(_teams(labels))  # a club, whatever its last word alone is tagged
    labels.update(_countries_called_people(mentions, labels))
    labels.update({slug: "PERSON" for slug in _titled_surnames(mentions, text) if labels.get(slug) == "ORG"})
    return labels


def _titled_surnames(mentions: list[dict], text: str) -> set[str]:
    """The one-word names (slugs) the article writes after an honorific or a rank ("Mr Trump",
    "President Trump"): a person's surname, where most of its mentions are called a body."""
    ranked = {_label_key(m["text"]) for m in mentions if len(base_name(m["text"]).split()) == 1
              and _RANK_JUST_BEFORE.search(text, max(0, m.get("start_char", 0) - 30), m.get("start_char", 0))}
    return _honoured_surnames(mentions, text) | ranked


def _countries_called_people(mentions: list[dict], labels: dict[str, str]) -> dict[str, str]:
    """``wales``, ``madagascar`` → GPE: a country's name the article's mentions call a person on its
    own ("when we play Wales on Saturday", "Mauritius v Madagascar") where no person's full name of
    the article begins or ends in it and it is no common given name ("Jordan", "Chad", "Georgia")."""
    in_names = set()
    for mention in mentions:
        words = base_name(mention["text"]).split()
        if mention["label"] == "PERSON" and len(words) > 1:
            in_names.update({_label_key(words[0]), _label_key(words[-1])})
    return {slug: "GPE" for slug, label in labels.items()
            if label == "PERSON" and "_" not in slug and slug not in in_names and _nation(slug)
            and slug not in _common_given_names()}


@lru_cache(maxsize=4096)
def _nation(slug: str) -> bool:
    """``madagascar``, ``wales``: a country's name (:func:`_country_name`) or one of the countries of
    the United Kingdom (pycountry's subdivisions of the type "Country")."""
    import pycountry

    nations = {s.name.partition(" [")[0].lower() for s in pycountry.subdivisions.get(country_code="GB") if s.type == "Country"}
    return slug in nations or _country_name(slug)


def _common_given_names() -> frozenset[str]:
    """Given names borne by at least one in 10,000 of the 1990 US census ("Jordan", "Kenya"), lower case."""
    return _census_names("dist.male.first", "dist.female.first", min_percent=0.01)


def _surnames_in(mentions: list[dict], labels: dict[str, str], text: str) -> set[str]:
    """The surnames (slugs) the article writes after an honorific or tags a person on their own
    (one word, "Kilroy-Silk" too)."""
    one_word = {_label_key(m["text"]) for m in mentions if len(base_name(m["text"]).split()) == 1}
    return _honoured_surnames(mentions, text) | {slug for slug in one_word if labels.get(slug) == "PERSON"}


def _teams(labels: dict[str, str]) -> dict[str, str]:
    """``manchester_united``, ``united`` → ORG: a sports club's name the model calls a person (:data:`CLUB_WORDS`)."""
    return {slug: "ORG" for slug, label in labels.items() if label == "PERSON" and slug.rsplit("_", 1)[-1] in CLUB_WORDS}


def _person_like(words: list[str], surnames: set[str]) -> bool:
    """Two or three plain capitalised words (:func:`_plain_name_word`) ending in one of ``surnames``
    (not a list such as "Carragher and Brown", a possessive, or a span error such as "Analysing Mr Brown's")."""
    plain = all(_plain_name_word(w, last=i == len(words) - 1) for i, w in enumerate(words))
    return plain and 1 < len(words) <= 3 and _label_key(words[-1]) in surnames and words[-1].lower() not in PLACE_HEADS


def _plain_name_word(word: str, last: bool) -> bool:
    """A capitalised word of letters, no honorific; hyphenated only as a double surname at the end
    ("Kilroy-Silk") or of given names ("Jeanne-Marie", not the place of "Neath-Swansea Ospreys")."""
    parts = word.split("-")
    if not all(part.isalpha() for part in parts) or not word[0].isupper() or HONORIFIC_BEFORE.match(word + " "):
        return False
    return len(parts) == 1 or last or all(_given_name(part.lower()) for part in parts)


def _honoured_surnames(mentions: list[dict], text: str) -> set[str]:
    """The surnames (as slugs) of one-word mentions the article writes after an honorific."""
    return {_label_key(m["text"].split()[-1]) for m in mentions if _after_honorific(m, text)}


def _after_honorific(mention: dict, text: str) -> bool:
    """``Mr Houston``, ``Ms. Irish``: one capitalised name right after a capitalised honorific (inside
    the span or before it); not a role (``Madam Chair``, ``Mr President``) nor ``will miss one``."""
    words = mention["text"].split()
    name = base_name(mention["text"])
    if len(name.split()) != 1 or not name[:1].isupper() or name.lower() in ROLE_WORDS or mention["label"] not in NAME_LABELS:
        return False
    start = mention.get("start_char", 0)
    before = HONORIFIC_BEFORE.search(text[max(0, start - 10) : start])
    inside = len(words) == 2 and HONORIFIC_BEFORE.match(words[0] + " ")
    return bool((inside and words[0][:1].isupper()) or (before and before.group()[:1].isupper()))


def _label_key(text: str) -> str:
    """What the label vote counts mentions under: the name's slug without accents (``Yucatán`` and
    ``Yucatan`` are one name whichever spelling the model tags a place or an organisation)."""
    return fold_accents(name_slug(text))


# Last words of sports clubs' names, which the model sometimes tags a person ("Manchester United",
# "Glasgow Rangers", "Sale Sharks"); no person's surname.
CLUB_WORDS = frozenset(
    "united city rovers rangers athletic athletico wanderers albion hotspur harriers tykes sharks saracens "
    "wasps quins falcons warriors blues reds".split()
)


# Last words of names the model sometimes tags a person that are places or buildings ("York Minster",
# "Hakim Mosque", "Socotra Hotel"): no short form stands for them.
PLACE_HEADS = frozenset(
    "hotel mosque minster church cathedral chapel abbey temple shrine palace castle fort tower bridge street "
    "avenue road square park garden gardens museum gallery airport station harbour harbor port island islands "
    "lake river mountain hall statue monument stadium arena market beach bay valley zoo aquarium theatre theater "
    "cemetery prison pier plaza".split()
)


def _longer_names(mentions: list[dict]) -> dict[tuple, dict[str, int]]:
    """Every proper ending of a person's full name ("Bernoulli", "Martínez Cantón"; "King Jr." and "King"
    of "Martin Luther King Jr.") and its first word ("Jeanne", marked by a leading ``None``) → the ids
    of the article's full names it could stand for, each with where it first appears; the first part
    of a double surname ("Kilroy" of "Robert Kilroy-Silk") too, where no full name ends in it ("Lewis"
    stays Denise Lewis's beside "Mark Lewis-Francis"). What follows "of" in a title is a place, not a
    surname ("Athens" is not "the King of Athens")."""
    found: dict[tuple, dict[str, int]] = {}
    doubles: dict[tuple, dict[str, int]] = {}
    for position, mention in enumerate(mentions):
        if mention["entity_id"].startswith("person:"):
            written = tuple(base_name(mention["text"]).lower().split())  # "Van Persie" for "Robin van Persie"
            words = _without_suffix(written)  # "King" and "Connick Jr" for "Harry Connick Jr"
            # "Sharon Street", "Wayne Bridge": a given name first makes the place word a surname
            if len(words) > 1 and (words[-1] not in PLACE_HEADS or _given_name(words[0])):
                endings = [name[i:] for name in dict.fromkeys((written, words)) for i in range(1, len(name))
                           if "of" not in name[i - 1 : i + 1]]
                for form in endings + [(None, words[0])]:
                    found.setdefault(form, {}).setdefault(mention["entity_id"], position)
                double = words[-1].split("-")[0]
                if double != words[-1] and double:
                    doubles.setdefault((double,), {}).setdefault(mention["entity_id"], position)
    return _within_longer({**doubles, **found}, mentions)


def _within_longer(longer: dict[tuple, dict[str, int]], mentions: list[dict]) -> dict[tuple, dict[str, int]]:
    """``longer`` with a full name that ends exactly one longer full name counted as that one: the
    model's ``Christian Andersen's`` beside ``Hans Christian Andersen``, ``Kanye West`` beside the
    headline's ``Rapper Kanye West``, so that ``Andersen`` and ``West`` have one name to stand for."""
    within = {}
    for mention in mentions:
        words = _without_suffix(tuple(base_name(mention["text"]).lower().split()))
        if not mention["entity_id"].startswith("person:") or len(words) < 2:
            continue
        outer = set(longer.get(words, ())) - {mention["entity_id"]}
        if len(outer) == 1:
            within[mention["entity_id"]] = outer.pop()
    if not within:
        return longer
    merged: dict[tuple, dict[str, int]] = {}
    for form, ids in longer.items():
        for entity_id, position in ids.items():
            target = merged.setdefault(form, {})
            outer = within.get(entity_id, entity_id)
            target[outer] = min(position, target.get(outer, position))
    return merged


def _short_form(mention: dict, text: str = "", named: frozenset[str] = frozenset()) -> tuple | None:
    """The form a mention could be short for when the model's label for it or the article's majority
    is a person or (often mislabelled) an organisation: a surname, or a one-word first name. A name
    the model calls a place may be a surname too (``Smetana`` after ``Bedřich Smetana``, ``Santa
    Anna`` after ``Antonio Lopez de Santa Anna``) unless it is a country or a state, or stands after
    "in", "to", "from" ... where the article writes it nowhere else as a name
    (:func:`_may_be_surname`; ``named``: see :func:`_named_elsewhere`)."""
    words = tuple(base_name(mention["text"]).lower().split())
    kind = mention["entity_id"].partition(":")[0].upper()
    # the article's majority decides: a "Wales" the model once tags a person, and a place elsewhere, is a place
    label = kind if kind in PLACE_LABELS else mention["label"]
    if {label, kind} & SHORT_FORM_LABELS:
        # a first name is a person's or a given name ("Kelly" tagged an organisation): "Labour" and "Yahoo",
        # mostly organisations, do not begin "Labour MPs" and "Yahoo Messenger", which the model calls people
        return words if len(words) > 1 or (kind != "PERSON" and not _given_name(words[0])) else (None, *words)
    if label in PLACE_LABELS and _may_be_surname(" ".join(words), mention, text, named):
        return words
    if len(words) == 1 and mention["label"] in THING_LABELS:
        return words
    return None


def _named_elsewhere(mentions: list[dict], text: str) -> frozenset[str]:
    """Names the model tags a place that the article also writes where no word makes them a place:
    once "Scholes" stands as a surname, "a save from Scholes" is the player too."""
    return frozenset(
        base_name(m["text"]).lower() for m in mentions if m["label"] in PLACE_LABELS and not _after_locative(m, text))


PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
THING_LABELS = frozenset({"PRODUCT", "WORK_OF_ART"})
# Words after which a name is a place: "in Washington", "from Dalton" (not "against" or "for": one
# plays, argues and files suit against a person, and wins or is nominated for one, as often as one
# goes against or leaves for a place: "action against Aragones", "a nomination for Staunton").
LOCATIVE_BEFORE = re.compile(
    r"\b(?:in|at|(?<!according )to|from|near|into|across|outside|inside|around|toward|towards|through|via|throughout)\s+(?:the\s+)?$",
    re.IGNORECASE,
)


def _may_be_surname(word: str, mention: dict, text: str, named: frozenset[str] = frozenset()) -> bool:
    """A one-word name tagged a place that may be a person's surname: not a country or a country's
    state or province (pycountry), not after a word that makes it a place ("in", "to", "from")
    unless the article also writes it as a name elsewhere (``named``). A direction is a region's
    name only after "the" ("the North"): "Coase and North" is Douglass North, though pycountry
    knows Cameroon's North region."""
    if not (word in named or not _after_locative(mention, text)):
        return False
    if word in DIRECTIONS:
        return not _after_the(mention, text)
    return not _country_or_state(word)


def _after_the(mention: dict, text: str) -> bool:
    """The mention is written after "the" (in the text before it or as its own first word)."""
    start = mention.get("start_char", 0)
    return bool(_THE_BEFORE.search(text, max(0, start - 4), start)) or mention["text"].lower().startswith("the ")


def _after_locative(mention: dict, text: str) -> bool:
    start = mention.get("start_char", 0)
    return bool(LOCATIVE_BEFORE.search(text[max(0, start - 20) : start]))


@lru_cache(maxsize=4096)
def _country_or_state(word: str) -> bool:
    """``jordan``, ``georgia``, ``kent``, ``wales``: a country or a country's state, province or county (pycountry)."""
    import pycountry

    for places in (pycountry.countries, pycountry.subdivisions):
        try:
            places.lookup(word)
            return True
        except LookupError:
            pass
    return word.lower() in _bracketed_subdivisions()


@lru_cache(maxsize=1)
def _bracketed_subdivisions() -> frozenset[str]:
    """Subdivisions pycountry names with their other name in brackets ("Wales [Cymru GB-CYM]"), by
    the first name, which its lookup does not find."""
    import pycountry

    return frozenset(s.name.partition(" [")[0].lower() for s in pycountry.subdivisions if " [" in s.name)


def _short_form_ids(mentions: list[dict], known_ids: list[str | None], text: str = "",
                    named: frozenset[str] = frozenset()) -> dict[tuple, str]:
    """Short form → the one full name it stands for: the only one of the article, or the one the
    article introduced before the short form's first use and before any other full name it could
    stand for ("Padalecki" after "Jared Padalecki", before his mother "Sherri Padalecki" appears).
    A surname first used after two candidates were introduced stands for neither; a first name
    only ever for the one full name of the article it begins."""
    longer = _longer_names(mentions)
    first_use = _first_uses(mentions, known_ids, text, longer, named)
    chosen = {}
    for form, used in first_use.items():
        before = [entity_id for entity_id, position in longer[form].items() if position < used]
        if len(longer[form]) == 1 or (len(before) == 1 and form[0] is not None):
            chosen[form] = before[0] if before else next(iter(longer[form]))
    return chosen


def _first_uses(mentions: list[dict], known_ids: list[str | None], text: str, longer: dict[tuple, dict[str, int]],
                named: frozenset[str]) -> dict[tuple, int]:
    """Short form → where the article first uses it (a first name both as ``(None, name)`` and as a
    word). A headline names people by surname before the text introduces them ("Mixed messages on
    Trump" above "Donald Trump's" and "Ivanka Trump"): a use in the headline (the article's first
    sentence, as for :func:`_ended`) counts only when the text has no other."""
    first_use: dict[tuple, int] = {}
    in_headline: dict[tuple, int] = {}
    for position, (mention, known) in enumerate(zip(mentions, known_ids)):
        form = _short_form(mention, text, named) if known is None else None
        uses = in_headline if mention.get("sentence_idx") == 0 else first_use
        for key in (form, form[1:] if form and form[0] is None else None):
            if key in longer:
                uses.setdefault(key, position)
    return {**in_headline, **first_use}


def _same_spelling(mentions: list[dict], known_ids: list[str | None]) -> dict[str, str]:
    """``person:zahā_ḥadīd`` → ``person:zaha_hadid``: ids of the article that differ only in accents
    are one entity, under the spelling most of its mentions use."""
    counts = Counter(m["entity_id"] for m, known in zip(mentions, known_ids) if known is None)
    by_folded: dict[str, list[str]] = {}
    for entity_id in counts:
        by_folded.setdefault(fold_accents(entity_id), []).append(entity_id)
    merged = {}
    for ids in by_folded.values():
        if len(ids) > 1:
            main = max(ids, key=lambda i: (counts[i], i == fold_accents(i)))
            merged.update({i: main for i in ids if i != main})
    return merged


def _same_person(mentions: list[dict]) -> dict[str, str]:
    """``person:matthew_goode`` → ``person:matthew_william_goode``: two full names of the article with
    the same first and last word, the shorter of two words only, are one person (never "George W.
    Bush" and "George H. W. Bush"). The shorter may be one the model calls a body or a place if it
    opens with a given name ("Brock Holt" tagged an organisation, beside "Brock Wyatt Holt")."""
    names = _full_names(mentions)
    by_ends: dict[tuple[str, str], set[str]] = {}
    for entity_id, words in names.items():
        if len(words) > 1:
            by_ends.setdefault((words[0], words[-1]), set()).add(entity_id)
    merged = {}
    for ids in by_ends.values():
        short = [i for i in ids if len(names[i]) == 2]
        longer = [i for i in ids if len(names[i]) > 2]
        if len(short) == 1 and len(longer) == 1:
            merged[short[0]] = longer[0]
    return merged


def _full_names(mentions: list[dict]) -> dict[str, tuple[str, ...]]:
    """Id → words of the article's people's names, and of two-word names the model calls a body or a
    place that open with a given name (see :func:`_same_person`)."""
    names = {m["entity_id"]: tuple(base_name(m["text"]).split()) for m in mentions if m["entity_id"].startswith("person:")}
    for mention in mentions:
        words = tuple(base_name(mention["text"]).split())
        if mention["entity_id"].partition(":")[0] in HEADED_LABELS and len(words) == 2 and _given_name(words[0].lower()):
            names.setdefault(mention["entity_id"], words)
    return names


# Titles a person is called by with their surname ("Lady Boothroyd", "Archbishop Tutu"). Not a
# royal's or a pope's: "Prince Charles", "Pope Francis" are given names.
TITLES = frozenset("lord lady baron baroness archbishop bishop cardinal rabbi imam sheikh".split())
_TERRITORIAL = re.compile(r"\s+of\s+[A-Z]")  # "Lord Roberts of Conwy": a peer's title, not the surname alone


def _people_s_names(mentions: list[dict]) -> list[tuple[dict, list[str]]]:
    """The mentions of people written with two words or more, each with its name's words."""
    named = ((m, base_name(m["text"]).split()) for m in mentions if m["entity_id"].startswith("person:"))
    return [(mention, words) for mention, words in named if len(words) > 1]


def _titled(mentions: list[dict], text: str) -> dict[str, str]:
    """``person:lady_boothroyd`` → ``person:betty_boothroyd``: a title and a surname stand for the one
    full name of the article with that surname ("Archbishop Tutu" after "Desmond Tutu"); not a peer
    named for a place ("Lord Roberts of Conwy" is not "Sion Aubrey Roberts"), nor when two full names
    end so."""
    full: dict[str, set[str]] = {}
    titled: dict[str, str] = {}
    for mention, words in _people_s_names(mentions):
        if words[0].lower() not in TITLES:
            full.setdefault(words[-1], set()).add(mention["entity_id"])
        elif len(words) == 2:
            territorial = _TERRITORIAL.match(text, mention.get("end_char", 0))
            # one mention naming a territory is enough: never
            titled[mention["entity_id"]] = "" if territorial else titled.get(mention["entity_id"], words[-1])
    return {entity_id: next(iter(full[surname])) for entity_id, surname in titled.items() if len(full.get(surname, ())) == 1}


def _initial_and_surname(mentions: list[dict]) -> dict[str, str]:
    """``person:c_hodgson`` → ``person:charlie_hodgson``: an initial and a surname ("C Hodgson", "K.
    Holmes", as team sheets and results write them) are the one full name of the article with that
    surname whose first name begins with that letter; not when two do."""
    full: dict[tuple[str, str], set[str]] = {}  # (first letter, surname) → full names
    initialled: dict[str, tuple[str, str]] = {}
    for mention, words in _people_s_names(mentions):
        if len(words) == 2 and len(words[0].rstrip(".")) == 1 and words[0][0].isupper():
            initialled[mention["entity_id"]] = (words[0][0], words[-1])
        elif len(words[0]) > 2:
            full.setdefault((words[0][0], words[-1]), set()).add(mention["entity_id"])
    return {entity_id: next(iter(full[key])) for entity_id, key in initialled.items() if len(full.get(key, ())) == 1}


_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
_NICKNAMES = NickNamer()


def _without_suffix(words: tuple[str, ...]) -> tuple[str, ...]:
    """A person's name's words without a generational suffix and the comma before it, so that the
    surname is the word before: ``("Martin", "Luther", "King", "Jr.")`` → ``("Martin", "Luther", "King")``,
    ``("Iván", "DeJesús,", "Jr.")`` → ``("Iván", "DeJesús")``."""
    if len(words) > 2 and words[-1].rstrip(".").lower() in _SUFFIXES:
        return (*words[:-2], words[-2].rstrip(","))
    return words


def _nicknamed(mentions: list[dict]) -> dict[str, str]:
    """``person:larry_lessig`` → ``person:lawrence_lessig``: the only two full names of the article
    with one surname, whose first names are a name and its nickname (``Joseph R. Biden Jr.`` and
    ``Joe Biden``), are one person, under the one introduced first. Not when one is a "Sr." (a
    father and a son: ``William H. Gates Sr.`` and ``Bill Gates``)."""
    by_surname: dict[str, dict[str, tuple[str, ...]]] = {}  # surname → id → its words, in order of introduction
    for mention in mentions:
        words = tuple(w.rstrip(".,").lower() for w in base_name(mention["text"]).split())
        core = [w for w in words if w not in _SUFFIXES]
        if mention["entity_id"].startswith("person:") and len(core) > 1:
            by_surname.setdefault(core[-1], {}).setdefault(mention["entity_id"], words)
    merged = {}
    for named in by_surname.values():
        if len(named) == 2 and not any("sr" in words for words in named.values()):
            (first_id, first), (second_id, second) = named.items()
            if _nickname_of(first[0], second[0]):
                merged[second_id] = first_id
    return merged


# A named storm: its name is no person's ("Hurricane Katrina", "Typhoon Haiyan", "Cyclone Phailin").
STORM = re.compile(r"^(?:Hurricane|Typhoon|Super Typhoon|Cyclone|Tropical Cyclone|Tropical Storm|Superstorm)\s+[A-Z]\w+$")


def _storm_names(mentions: list[dict]) -> dict[str, str]:
    """``person:katrina`` → ``event:hurricane_katrina``: a storm's name on its own, where the article
    names exactly one storm so."""
    storms: dict[str, set[str]] = {}
    for mention in mentions:
        name = base_name(mention["text"])
        if STORM.match(name):
            storms.setdefault(name_slug(name.split()[-1]), set()).add(mention["entity_id"])
    found = {}
    for mention in mentions:
        slug = mention["entity_id"].partition(":")[2]
        ids = storms.get(slug, set()) if "_" not in slug else set()
        if len(ids) == 1 and mention["entity_id"] not in ids:
            found[mention["entity_id"]] = next(iter(ids))
    return found


def _nickname_of(a: str, b: str) -> bool:
    """``lawrence``, ``larry``: one first name is a nickname of the other."""
    return a != b and (a in _NICKNAMES.nicknames_of(b) or b in _NICKNAMES.nicknames_of(a))


# "U.S. Air Force", "U.N. Security Council", "the D.C. Court of Appeals": a name (not a person's) that starts
# with dotted initials has the id of the name other outlets write without dots ("US Air Force"); a person's
# initials keep theirs ("J.K. Rowling", "J. K. Rowling").
_DOTTED_PREFIX = re.compile(r"^(?:the\s+)?(?:[A-Z]\.){2,3}(?=\s+[A-Z])")
# The first word of a name and the rest, after an optional "the".
_FIRST_WORD = re.compile(r"^(?:the\s+)?(\S+)\s+(?=\S)", re.IGNORECASE)


def id_spelling(written: str, label: str, long_forms=None) -> str:
    """The spelling a name's id is made from: a person's as written; any other name's without the dots
    of its first initials, and with a first word that is the acronym of a body or place the reference
    lists know written out (``long_forms``: acronym → long name, see :data:`REFERENCE_LONG_FORMS`), so
    that "UN Security Council", "U.N. Security Council" and "United Nations Security Council" are one
    ``org:united_nations_security_council`` in every article that writes any of them.

    >>> id_spelling("U.S. Congress", "ORG", {"US": "United States"})
    'United States Congress'
    """
    if label == "PERSON":
        return written
    written = _DOTTED_PREFIX.sub(lambda m: m.group().replace(".", ""), written)
    first = _FIRST_WORD.match(written)
    long_form = long_forms.get(first.group(1)) if first and long_forms is not None else None
    return written[: first.start(1)] + long_form + written[first.end(1) :] if long_form else written


def resolve_mentions(mentions: list[dict], known_ids: list[str | None], text: str = "", long_forms=None) -> None:
    """Set ``entity_id`` on one article's mentions (in place): one id per real entity of the article.

    The reference lists win. Other names get ``label:name`` ids from the name without its article,
    honorific or possessive, under the label most of the article's mentions of that name carry (a
    ``Trump`` the model tags ORG joins ``person:…``). A short form ("Markov", "Martínez Cantón")
    takes the id of the one longer person's name of the article it ends (or starts); a surname two
    full names end takes the one introduced before its first use and before the other
    ("Padalecki" after "Jared Padalecki", his mother introduced later), else none ("Bernoulli" first
    used after Johann and Daniel Bernoulli). An acronym the text
    defines ("the Velmora Flood Relief Agency (VFRA)") takes the long form's id; so do capitals that
    are the initials of exactly one longer name with their label (``SEC``, ``U.S.``), a name that is
    one longer name less its designator (``Harvard``, ``Labour``) and an island group's plural
    (``the Falklands``).

    Args:
        mentions: rows with ``text``, ``label`` and (for acronyms) ``end_char``.
        known_ids: the reference id of each mention (from the entity ruler), or None.
        text: the article's body, where acronyms are defined.
        long_forms: the reference lists' acronyms of bodies and places → their long names (see :func:`id_spelling`).
    """
    _label_introduced(mentions, known_ids, text)
    labels = _majority_labels(mentions, known_ids, text)
    for mention, known in zip(mentions, known_ids):
        # after "Mr" a name is a person's, whatever the model or the rest of the article says ("Mr Houston")
        label = "PERSON" if known is None and _after_honorific(mention, text) else labels.get(_label_key(mention["text"]), mention["label"])
        mention["entity_id"] = known or f"{label.lower()}:{name_slug(id_spelling(mention['text'], label, long_forms))}"
    same = {**_same_spelling(mentions, known_ids), **_same_person(mentions), **_nicknamed(mentions), **_storm_names(mentions),
            **_initial_and_surname(mentions), **_titled(mentions, text)}
    for mention in mentions:
        mention["entity_id"] = same.get(mention["entity_id"], mention["entity_id"])
    named = _named_elsewhere(mentions, text)
    short_forms = _short_form_ids(mentions, known_ids, text, named)
    parties = _party_names(mentions)
    for mention, known in zip(mentions, known_ids):
        form = _short_form(mention, text, named) if known is None and mention["entity_id"] not in parties else None
        if form:
            surname = form[1:] if form[0] is None else form
            mention["entity_id"] = short_forms.get(surname, short_forms.get(form, mention["entity_id"]))
    _long_forms(mentions, known_ids, text, long_forms)
    _states_after_places(mentions, known_ids, text)
    _countries_by_direction(mentions, known_ids, text)


def _countries_by_direction(mentions: list[dict], known_ids: list[str | None], text: str) -> None:
    """``the North`` and ``the South`` (``the South’s``) of an article that names exactly one country
    whose name is that word and one more ("North Korea", "South Sudan") are that country, as reports
    on the Korean peninsula write them. Not where the article names no such country ("the North" of
    the American Civil War; "North Carolina" is a state) or two, nor without "the" ("North and South
    Korea")."""
    countries: dict[str, set[str]] = {}
    for mention in mentions:
        words = base_name(mention["text"]).split()
        if len(words) == 2 and words[0].lower() in DIRECTIONS and _country_name(" ".join(words)):
            countries.setdefault(words[0], set()).add(mention["entity_id"])
    for mention, known in zip(mentions, known_ids):
        ids = countries.get(base_name(mention["text"]), set()) if known is None else set()
        if len(ids) == 1 and _after_the(mention, text):
            mention["entity_id"] = next(iter(ids))


# A place's name and a comma just before a mention: "Paramus, NJ", "Parkland, Fla."
_PLACE_AND_COMMA = re.compile(r"\b[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)*,\s*$")


def _states_after_places(mentions: list[dict], known_ids: list[str | None], text: str) -> None:
    """A US state's or a Canadian province's code or abbreviation after a place and a comma ("Paramus,
    NJ", "Parkland, Fla.", "Vancouver, B.C.", "Kingston, Ont."), whatever the model called it, is the
    state: the id of its name as the article writes it ("New Jersey"), else made from the name."""
    ids = None
    codes = {**_us_states(), **_canadian_provinces()}
    people_end = {m.get("end_char") for m in mentions if m["entity_id"].startswith("person:")}
    for mention, known in zip(mentions, known_ids):
        state = codes.get(mention["text"]) if known is None else None
        start = mention.get("start_char", 0)
        place = _PLACE_AND_COMMA.search(text, max(0, start - 60), start) if state else None
        # after a person's name the letters are a degree or a rank ("Jane Doe, MD", "John Smith, QC")
        if place and text.rindex(",", 0, start) not in people_end:
            ids = ids or {base_name(m["text"]).lower(): m["entity_id"] for m in mentions}
            mention["entity_id"] = ids.get(state.lower(), f"gpe:{name_slug(state)}")


@lru_cache(maxsize=1)
def _us_states() -> dict[str, str]:
    """The 50 states' postal codes and AP abbreviations ("NJ", "N.J.", "Fla.") → their names (the ``us`` package)."""
    import us

    found = {}
    for state in us.states.STATES:
        found[state.abbr] = state.name
        if state.ap_abbr and state.ap_abbr != state.name:
            found[state.ap_abbr] = state.name
    return found


# The Canadian Press's abbreviations of provinces: codes with dots ("B.C.", "N.S.") and shortened names.
_DOTTED_PROVINCES = ("BC", "NB", "NS", "NL")  # not "Q.C.", a barrister's rank
_PROVINCE_ABBREVIATIONS = {"Alta.": "AB", "Sask.": "SK", "Man.": "MB", "Ont.": "ON", "Que.": "QC", "Nfld.": "NL", "P.E.I.": "PE"}


@lru_cache(maxsize=1)
def _canadian_provinces() -> dict[str, str]:
    """The provinces' and territories' codes ("BC", "ON"; pycountry), the codes with dots ("B.C.") and
    the usual abbreviations ("Ont.", "Que.") → their names."""
    import pycountry

    names = {s.code.partition("-")[2]: s.name for s in pycountry.subdivisions.get(country_code="CA")}
    found = {**names, **{".".join(code) + ".": names[code] for code in _DOTTED_PROVINCES}}
    found.update({written: names[code] for written, code in _PROVINCE_ABBREVIATIONS.items()})
    return found


def _long_forms(mentions: list[dict], known_ids: list[str | None], text: str, long_forms=None) -> None:
    """Acronyms (defined in the text, or the initials of one longer name with their label) and names
    less their designator take the long form's id."""
    defined = defined_acronyms(mentions, text) if text else {}
    initialled = _initialled(mentions)
    national = tuple(f"org:{name_slug(name)}_" for name in long_forms.values()) if long_forms is not None else ()
    designated = {**_events_less_heads(mentions), **_ended(mentions, national), **_headed(mentions), **_designated(mentions),
                  **_island_groups(mentions), **_natural_features(mentions)}
    for mention, known in zip(mentions, known_ids):
        if known is not None:
            continue
        written = name_of(mention["text"])
        letters = written.replace(".", "")
        long_form = initialled.get(letters) if letters.isalpha() and letters.isupper() else None
        if letters in defined:
            mention["entity_id"] = defined[letters]
        elif long_form and long_form.partition(":")[0] == mention["entity_id"].partition(":")[0]:
            mention["entity_id"] = long_form
        else:
            mention["entity_id"] = designated.get(mention["entity_id"], mention["entity_id"])


# Last words of companies' names: a legal form ("Leadplex Inc", "Patrick Corporation") and, after a
# word that is no given name, an industry ("Patriot Coal", "GW Pharma"; not the DJ "Rob Da Bank").
_LEGAL_FORMS = frozenset("inc incorporated corp corporation ltd limited plc llc llp co gmbh ag sa nv".split())
_INDUSTRIES = frozenset(
    "coal energy oil petroleum steel motors airlines airways bancorp holdings pharma pharmaceuticals "
    "technologies telecom networks industries studios records insurance securities investments ventures "
    "logistics electronics".split()
)


# Last words that say what kind of body a name is: "Harvard" is "Harvard University". Not "City" or
# "State": "Mexico" is not "Mexico City".
# Designators of bodies named for their founders or brands, never for a place: the model may call
# their short name a person ("Altria" of "Altria Group"), not a town ("Exeter" of "Exeter School").
COMPANY_DESIGNATORS = frozenset("company group airways airlines motor brothers bros party".split()) | _LEGAL_FORMS | _INDUSTRIES
DESIGNATORS = COMPANY_DESIGNATORS | frozenset(
    "university college school institute academy club foundation museum airport hospital society association "
    "council committee agency ministry".split()
)


def _initialled(mentions: list[dict]) -> dict[str, str]:
    """``U.S.``, ``MIT``: capitals that are the initials of exactly one longer name (not a person's) of the
    article, defined in the text or not; they take its id when their label agrees."""
    longer: dict[str, set[str]] = {}
    for mention in mentions:
        if (mention["label"] in NAME_LABELS and len(base_name(mention["text"]).split()) > 1
                and not mention["entity_id"].startswith("person:")):
            for letters in acronyms_of(base_name(mention["text"])):
                longer.setdefault(letters, set()).add(mention["entity_id"])
    return {letters: next(iter(ids)) for letters, ids in longer.items() if len(ids) == 1 and len(letters) >= 2}


def _designated(mentions: list[dict]) -> dict[str, str]:
    """``org:harvard`` → ``org:harvard_university``: a name that is exactly one longer name of the
    article with the same label, less a designator ("University", "Party")."""
    longer: dict[str, set[str]] = {}
    for mention in mentions:
        label, _, _ = mention["entity_id"].partition(":")
        words = base_name(mention["text"]).split()
        if label != "person" and len(words) > 1 and words[-1].lower().rstrip(".") in DESIGNATORS:
            short = name_slug(" ".join(words[:-1]))
            company = label == "org" and "_" not in short and words[-1].lower().rstrip(".") in COMPANY_DESIGNATORS
            for kind in (label, "person") if company else (label,):
                longer.setdefault(f"{kind}:{short}", set()).add(mention["entity_id"])
    return {short: next(iter(ids)) for short, ids in longer.items() if len(ids) == 1}


def _party_names(mentions: list[dict]) -> frozenset[str]:
    """Ids of a party's name less "Party" ("Labour" of "the Labour Party"): no surname, even where the
    model calls it a person and the article names one whose name ends in it ("New Labour" tagged a
    person); :func:`_designated` gives them the party's id."""
    return frozenset(short for short, body in _designated(mentions).items() if body.endswith("_party"))


HEADED_LABELS = frozenset({"org", "gpe", "loc", "fac"})
_ISLAND_WORDS = frozenset({"islands", "isles"})


def _island_groups(mentions: list[dict]) -> dict[str, str]:
    """``loc:falklands`` → ``loc:falkland_islands``: an island group called by its plural ("the
    Falklands", "the Chathams", "the Philippines") beside its full name, whatever either is tagged
    (an organisation, a place)."""
    groups: dict[str, set[str]] = {}
    for mention in mentions:
        kind = mention["entity_id"].partition(":")[0]
        words = base_name(mention["text"]).split()
        if kind in HEADED_LABELS and len(words) > 1 and words[-1].lower() in _ISLAND_WORDS:
            groups.setdefault(name_slug(" ".join(words[:-1])) + "s", set()).add(mention["entity_id"])
    return _standing_for(mentions, groups)


# Words that make a name a natural feature's ("Socotra Island", "the Rhine River", "the Pacific Ocean";
# "Mount Everest", "Lake Tahoe"): the name alone is the feature. Not a sound's or a sea's ("McMurdo" is
# mostly the station on McMurdo Sound, "Red" no sea).
_FEATURE_AFTER = frozenset("river island ocean strait glacier canyon desert peninsula volcano".split())
_FEATURE_BEFORE = frozenset("mount mt lake".split())


# Last words that make a name an event's: "the Grammy Awards", "the Booker Prize", "the Berlin Film
# Festival", "the Athens Olympics", which the model calls bodies, buildings, laws or people.
EVENT_HEADS = frozenset("awards award prize prizes festival championships championship olympics paralympics".split())


def _event_name(written: str) -> bool:
    """``the Grammy Awards``, ``Booker Prize``: two words or more, the last one of :data:`EVENT_HEADS` with its capital."""
    words = base_name(written).split()
    return len(words) > 1 and words[-1].lower() in EVENT_HEADS and words[-1][0].isupper()


def _events_less_heads(mentions: list[dict]) -> dict[str, str]:
    """``person:grammy`` → ``event:grammy_awards``: a name that is exactly one event's name of the
    article less its last word ("Grammy" of "the Grammy Awards", "Booker" of "the Booker Prize"),
    whatever the model called it but a place, a people ("European" of "the European Championships"),
    a person's full name ("Hans Christian Andersen" of "the Hans Christian Andersen Award") or a body
    ("the Academy" that gives the Academy Awards)."""
    events: dict[str, set[str]] = {}
    for mention in mentions:
        if mention["entity_id"].startswith("event:") and _event_name(mention["text"]):
            events.setdefault(name_slug(" ".join(base_name(mention["text"]).split()[:-1])), set()).add(mention["entity_id"])
    return _standing_for(mentions, events, _may_stand_for_an_event)


def _may_stand_for_an_event(kind: str, slug: str) -> bool:
    """No place, people, person's full name or body stands for an event (see :func:`_events_less_heads`)."""
    person, body = kind == "person" and "_" in slug, kind == "org" and slug.rsplit("_", 1)[-1] in _KIND_WORDS
    return kind.upper() not in PLACE_LABELS | {"NORP"} and not person and not body


def _natural_features(mentions: list[dict]) -> dict[str, str]:
    """``person:socotra`` → ``loc:socotra_island``: a name that is exactly one natural feature's name
    of the article less the word that makes it one (:data:`_FEATURE_AFTER`, :data:`_FEATURE_BEFORE`),
    whatever the model called it but a town, a state or a country ("Washington" beside "Lake
    Washington" stays the city)."""
    features: dict[str, set[str]] = {}
    for mention in mentions:
        words = base_name(mention["text"]).split()
        if mention["entity_id"].partition(":")[0] in ("loc", "gpe", "fac") and len(words) == 2:
            name = (words[0] if words[1].lower() in _FEATURE_AFTER
                    else words[1] if words[0].lower().rstrip(".") in _FEATURE_BEFORE else None)
            if name:
                features.setdefault(name_slug(name), set()).add(mention["entity_id"])
    return _standing_for(mentions, features, lambda kind, slug: kind in ("person", "org", "loc", "fac") and not _country_or_state(slug))


def _standing_for(mentions: list[dict], longer: dict[str, set[str]], may_stand=None) -> dict[str, str]:
    """Id → the one longer name's id its name (slug) stands for in ``longer``, for organisations and
    places (or the ids ``may_stand(kind, slug)`` allows); a name that stands for two, or for itself,
    keeps its id."""
    found = {}
    for mention in mentions:
        kind, _, slug = mention["entity_id"].partition(":")
        allowed = may_stand(kind, slug) if may_stand is not None else kind in HEADED_LABELS
        candidates = longer.get(slug, ()) if allowed else ()
        if len(candidates) == 1 and mention["entity_id"] not in candidates:
            found[mention["entity_id"]] = next(iter(candidates))
    return found


def _before_of(words: list[str]) -> str | None:
    """``General Assembly of the United Nations`` → ``general_assembly``; None without an inner "of"."""
    lowered = [w.lower() for w in words]
    return name_slug(" ".join(words[: lowered.index("of", 1)])) if "of" in lowered[1:-1] else None


def _headed(mentions: list[dict]) -> dict[str, str]:
    """``org:house`` → ``org:house_of_representatives``: the words before "of" in exactly one longer
    name of the article ("the Senate" after "the Senate of the United States", "the General
    Assembly" after "the General Assembly of the United Nations", "the Bank" after "the Bank of
    England"), both an organisation or a place. (What follows "of" is not taken: "Copenhagen" beside
    "the University of Copenhagen" is mostly the city.)"""
    heads: dict[str, set[str]] = {}
    for mention in mentions:
        head = _before_of(base_name(mention["text"]).split()) if mention["entity_id"].partition(":")[0] in HEADED_LABELS else None
        if head:
            heads.setdefault(head, set()).add(mention["entity_id"])
    return _standing_for(mentions, heads)


_JOINING = frozenset({"of", "for", "and", "&", "on", "in", "to", "at", "de", "the"})


def _name_endings(mentions: list[dict]) -> dict[str, set[str]]:
    """The last words (as slugs) of the article's organisations', places' and buildings' names of
    two or more words → the ids they end; not what follows "of" or "&" ("Copenhagen" of "University
    of Copenhagen") nor a possessive's ("Brown's International Finance Facility" is no name)."""
    endings: dict[str, set[str]] = {}
    for mention in mentions:
        words = base_name(mention["text"]).split()
        owned = any(w.endswith(("'s", "’s")) for w in words)
        if mention["entity_id"].partition(":")[0] in ("org", "gpe", "fac", "event") and len(words) > 1 and not owned:
            for i in range(1, len(words)):
                if words[i - 1].lower() not in _JOINING and words[i].lower() not in _JOINING:
                    endings.setdefault(name_slug(" ".join(words[i:])), set()).add(mention["entity_id"])
    return endings


def _ending_candidates(kind: str, slug: str, endings: dict[str, set[str]]) -> set[str]:
    """The longer names a short one may end: an organisation's any it ends, a plural's the
    organisations it ends (:func:`_team_plural`); a direction none ("South" is no "US-75 South")."""
    if slug in DIRECTIONS:
        return set()
    if kind in ("org", "event"):
        return endings.get(slug, set())
    return {c for c in endings.get(slug, ()) if c.startswith("org:")} if _team_plural(kind, slug) else set()


def _team_plural(kind: str, slug: str) -> bool:
    """``Pirates`` tagged a place, ``Packers`` a product: a one-word plural the model calls no
    organisation may still be the end of one (``the Pittsburgh Pirates``); not a country or a state
    (``Wales`` of ``BBC Sport Wales``), nor a people (NORP: ``Democrats`` beside ``Social Democrats``)."""
    return (kind.upper() in PLACE_LABELS | {"PRODUCT"} and "_" not in slug and slug.endswith("s")
            and not slug.endswith("ss") and not _country_or_state(slug))


def _ended(mentions: list[dict], national: tuple[str, ...] = ()) -> dict[str, str]:
    """``org:red_sox`` → ``org:boston_red_sox``: the last words of exactly one longer organisation's
    name of the article (or of a name the model tags a place or a building: "United" after
    "Manchester United", "Palace" after "Crystal Palace") stand for it ("the Red Sox" after "the
    Boston Red Sox", "the Times" after "The New York Times") once the long name is written; not
    when two names end so ("the Post": the Washington or the New York Post). A headline may use
    the short name before the story writes the long one ("Rover deal", then "MG Rover"). The body
    of a country or a union the reference lists know by its initials (ids starting with one of
    ``national``: "org:united_states_", "org:united_nations_") may come after its short name: "The
    Senate" of a speech is the "U.S. Senate" it names later."""
    endings = _name_endings(mentions)
    first_use: dict[str, int] = {}
    in_story: dict[str, int] = {}  # first use after the headline (the article's first sentence)
    for position, mention in enumerate(mentions):
        first_use.setdefault(mention["entity_id"], position)
        if mention.get("sentence_idx") != 0:
            in_story.setdefault(mention["entity_id"], position)
    found = {}
    for entity_id, first in first_use.items():
        position = in_story.get(entity_id, first)
        kind, _, slug = entity_id.partition(":")
        candidates = _ending_candidates(kind, slug, endings)
        # the long name first, as a report introduces it ("UKIP", then "Suffolk Coastal UKIP", is the party)
        long_name = next(iter(candidates)) if len(candidates) == 1 else None
        if long_name and entity_id != long_name and (first_use[long_name] < position or long_name.startswith(national)):
            found[entity_id] = long_name
    return found


def iso_code_for(name: str, label: str, reference_code: str | None) -> str | None:
    """ISO 3166 code of a place: the reference list's, else a country looked up with pycountry."""
    if reference_code or label not in {"GPE", "LOC"}:
        return reference_code
    import pycountry

    try:
        return pycountry.countries.lookup(name).alpha_2
    except LookupError:
        return None


def sentence_rows(doc: Doc, article_id: str) -> list[dict]:
    """Rows of ``sentences``: whitespace trimmed off each sentence's edges, blank sentences dropped."""
    text = text_of(doc)
    rows: list[dict] = []
    for sent in doc.sents:
        start, end = trim(text, sent.start_char, sent.end_char)
        if start == end:
            continue
        rows.append({"article_id": article_id, "sentence_idx": len(rows), "start_char": start, "end_char": end, "text": text[start:end]})
    return rows


# Labels whose names the article repeats: once the model has found "Holt" as a person, every other
# "Holt" standing alone in the article is the same name, though the model missed it there.
REPEATED_LABELS = {"PERSON", "ORG", "GPE", "LOC", "FAC"}
# Words that name a direction wherever they stand: one "East" tagged as a place says nothing of the others.
DIRECTIONS = frozenset("north south east west northeast northwest southeast southwest".split())


def _standalone(doc: Doc, start: int, end: int) -> bool:
    """The words ``doc[start:end]`` are a name by themselves, not part of a longer proper name
    ("York" of an untagged "New York University" is not)."""
    before = doc[start - 1] if start > 0 else None
    after = doc[end] if end < len(doc) else None
    return not any(t is not None and t.pos_ == "PROPN" for t in (before, after))


def _tagged_forms(doc: Doc, ents: tuple) -> tuple[dict, dict, bytearray]:
    """The words of every tagged name, by first word, with the labels they got; their reference ids;
    which tokens some entity covers."""
    forms: dict[str, dict[tuple[str, ...], Counter]] = {}
    known: dict[tuple[str, ...], str] = {}
    covered = bytearray(len(doc))
    for ent in ents:
        covered[ent.start:ent.end] = b"\x01" * (ent.end - ent.start)
        # a heading's name the model tagged with the line break after it is written without it elsewhere
        # (a tag that runs into the break is the less sure: it counts half), and one it tagged with "the"
        # ("the Pittsburgh Pirates") without "the" ("Pittsburgh Pirates (2012)")
        name = trim_space_tokens(ent)
        words = tuple(t.text for t in name)
        while words and words[0] in ("the", "The"):  # the model's "the The" is no name
            words = words[1:]
        if not words:
            continue
        if ent.label_ in REPEATED_LABELS and words[0][:1].isupper() and not (len(words) == 1 and words[0].lower() in DIRECTIONS):
            forms.setdefault(words[0], {}).setdefault(words, Counter())[ent.label_] += 1 if len(name) == len(ent) else 0.5
            if ent.ent_id_:
                known[words] = ent.ent_id_
    return forms, known, covered


def _add_defined_acronyms(doc: Doc, ents: tuple, forms: dict) -> None:
    """Add to ``forms`` the acronyms the text defines after tagged names that the model left untagged
    ("the International Labour Organisation (ILO)"), with the long name's label: they are found where
    they are defined and wherever else the article writes them."""
    for ent in ents:
        acronym = acronym_after(text_of(doc), ent.end_char, ent.text) if _may_define_an_acronym(ent) else None
        if acronym and acronym.isalpha() and acronym not in forms:
            forms[acronym] = {(acronym,): Counter({ent.label_: 1})}


def _may_define_an_acronym(ent: Span) -> bool:
    """A place, or a body or building whose name says what kind it is ("... Organisation", "Office of
    Fair Trading"): not a thing the model calls a body ("Geographic Information Systems (GIS)")."""
    if ent.label_ in ("GPE", "LOC"):
        return True
    words = base_name(ent.text).split()
    head = _before_of(words) or name_slug(" ".join(words))
    kind = head.rsplit("_", 1)[-1]
    return ent.label_ in _BODIES and (kind in _KIND_WORDS or kind.removesuffix("s") in _KIND_WORDS)


def _longest_form(doc: Doc, i: int, forms: dict, covered: bytearray, hyphenated: set[tuple[str, ...]]) -> tuple | None:
    """The longest tagged name written at token ``i`` outside every entity and standing alone, not
    inside a hyphenated name (:func:`_inside_hyphenated`)."""
    best = None
    for words in forms[doc[i].text]:
        end = i + len(words)
        if best is not None and len(words) <= len(best):
            continue
        if (end <= len(doc) and not any(covered[i:end]) and tuple(t.text for t in doc[i:end]) == words
                and _standalone(doc, i, end) and not _inside_hyphenated(doc, i, end, hyphenated)):
            best = words
    return best


def repeated_mentions(doc: Doc, ents: tuple) -> list[tuple[int, int, str, str | None]]:
    """``(start token, end token, label, reference id)`` of the other occurrences of names the model
    tagged somewhere in the article, written exactly alike, outside every tagged entity, and standing
    alone; the label is the one the model gave that name most often."""
    forms, known, covered = _tagged_forms(doc, ents)
    _add_defined_acronyms(doc, ents, forms)
    hyphenated = _hyphenated_names(doc, ents)
    found = []
    i = 0
    while i < len(doc):
        candidates = forms.get(doc[i].text)
        words = _longest_form(doc, i, forms, covered, hyphenated) if candidates and not covered[i] else None
        if words is None:
            i += 1
            continue
        found.append((i, i + len(words), candidates[words].most_common(1)[0][0], known.get(words)))
        covered[i : i + len(words)] = b"\x01" * len(words)
        i += len(words)
    found += _repeated_surnames(doc, ents, forms, covered, hyphenated)  # marks what it finds covered
    people = _untagged_people(doc, covered)
    for first, last, _, _ in people:
        covered[first:last] = b"\x01" * (last - first)
    named = (*ents, *(Span(doc, first, last, label="PERSON") for first, last, _, _ in people))
    return found + people + _repeated_given_names(doc, named, forms, covered) + _cited_authors(doc, covered)


# Author-year citations, as reports of studies write them: "(Dye & Bavelier, 2010; Feng, Spence, &
# Pratt, 2007)", "(Makel et al., 2012)", "Carrano and Biewener (1999)". An author is a surname of one
# or two capitalised words ("Martínez Cantón", "Morgan-Short").
_AUTHOR = r"[A-Z][\w'’-]+(?:\s[A-Z][\w'’-]+)?"
_AUTHORS = rf"{_AUTHOR}(?:(?:,\s*&\s*|,\s*and\s+|,\s*|\s+and\s+|\s*&\s*){_AUTHOR})*"
_CITED_YEAR = r"(?:1[6-9]|20)\d\d[a-z]?\b"
_BRACKETS_WITH_YEAR = re.compile(rf"\([^()]{{0,400}}?\b{_CITED_YEAR}[^()]{{0,200}}\)")
_IN_BRACKETS = re.compile(rf"(?:^\(|;)\s*(?:(?:see|e\.g\.|cf\.|also|for example|based on),?\s+)*(?P<authors>{_AUTHORS})"
                          rf"(?:\s+et\s+al\.)?,?\s+{_CITED_YEAR}", re.IGNORECASE)
_YEAR_IN_BRACKETS = re.compile(rf"\({_CITED_YEAR}[,;:)]")
_BEFORE_BRACKETS = re.compile(rf"\b(?P<authors>{_AUTHORS})(?:\s+et\s+al\.)?\s+$")
_AUTHOR_NAME = re.compile(_AUTHOR)
_TITLE_BEFORE = re.compile(r"\b(?:the|a|an)\s+$", re.IGNORECASE)  # "The Jazz Singer (1927)": a title, no author


def _author_lists(text: str, common=None) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """The author lists of ``text``'s author-year citations and the authors in them, as character
    spans: ``Dye & Bavelier`` and ``Dye``, ``Bavelier`` of "(Dye & Bavelier, 2010)". An author is no
    word of the language ("See", a month's name; with ``common``, the English words, any that is no
    census surname): "Airport (1970)" is a film."""
    candidates = []
    for brackets in _BRACKETS_WITH_YEAR.finditer(text):
        candidates += [(brackets.start() + c.start("authors"), brackets.start() + c.end("authors"))
                       for c in _IN_BRACKETS.finditer(brackets.group())]
    for year in _YEAR_IN_BRACKETS.finditer(text):
        before = _BEFORE_BRACKETS.search(text, max(0, year.start() - 120), year.start())
        if before and not _TITLE_BEFORE.search(text, max(0, before.start() - 6), before.start()):
            candidates.append(before.span("authors"))
    lists, authors = [], []
    for first, last in candidates:
        names = [_author(text, *found.span(), common) for found in _AUTHOR_NAME.finditer(text, first, last)]
        if names and all(names):
            lists.append((names[0][0], last))
            authors += names
    return lists, authors


def _author(text: str, start: int, end: int, common) -> tuple[int, int] | None:
    """The span of an author's name written at ``text[start:end]`` without a word of the language
    before it ("In Carrano and Biewener (1999)"), or None if it is no name (see :func:`_author_lists`)."""
    words = text[start:end].split()
    while len(words) > 1 and words[0].lower() in STOP_WORDS:
        start += len(words.pop(0)) + 1
    lower = " ".join(words).lower()
    english = common is not None and (lower in common or lower.rstrip("s") in common) and lower not in _census_surnames()
    return None if english or any(w in STOP_WORDS or w in _CALENDAR_WORDS for w in lower.split()) else (start, end)


def _citations(doc: Doc) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """:func:`_author_lists` of the article, found once per document."""
    if "pipeline_citations" not in doc.user_data:
        doc.user_data["pipeline_citations"] = _author_lists(text_of(doc), doc.vocab.lookups.get_table(COMMON_WORDS, None))
    return doc.user_data["pipeline_citations"]


def _cited_authors(doc: Doc, covered: bytearray) -> list[tuple[int, int, str, None]]:
    """The authors of author-year citations (:func:`_author_lists`) outside every tagged name, each a
    person (``Bavelier`` of "(Dye & Bavelier, 2010)"; the model tags such lists as one body)."""
    found = []
    for first, last in _citations(doc)[1]:
        span = doc.char_span(first, last)
        if span is not None and not any(covered[span.start : span.end]):
            found.append((span.start, span.end, "PERSON", None))
            covered[span.start : span.end] = b"\x01" * len(span)
    return found


def _untagged_people(doc: Doc, covered: bytearray) -> list[tuple[int, int, str, None]]:
    """``Andy Roddick``, ``Isabel Ruiz`` the model left untagged: a first name of the census lists
    and one or two more capitalised proper nouns, outside every entity and standing alone, are a
    person's name. Not when a word is a common English word (``Star Wars``, ``Man Utd``) or a plural
    (``Lib Dems``, ``the Jesse Owens Awards``)."""
    common = doc.vocab.lookups.get_table(COMMON_WORDS, None)
    found = []
    after = 0  # the end of the last name found
    for i in numpy.flatnonzero(doc.to_array("POS") == PROPN).tolist():  # only proper nouns can start one
        end = _untagged_name_end(doc, i, covered, common) if i >= after and i < len(doc) - 1 else None
        if end is not None:
            found.append((i, end, "PERSON", None))
            after = end
    return found


def _untagged_name_end(doc: Doc, i: int, covered: bytearray, common) -> int | None:
    """Where an untagged person's name that starts at token ``i`` ends (see :func:`_untagged_people`)."""
    first = doc[i]
    if not (_capitalised_proper_noun(first, covered) and first.is_alpha and first.lower_ in _census_first_names()):
        return None
    end = i + 1
    while end < len(doc) and end - i < 3 and _capitalised_proper_noun(doc[end], covered):
        end += 1
    words = doc[i:end]
    return end if len(words) > 1 and _standalone(doc, i, end) and not _common_or_plural(words, common) else None


def _common_or_plural(words: Span, common) -> bool:
    """A first or last word that is a common English word (``Star``, ``Awards`` as ``award``), or a plural."""
    first, last = words[0].lower_, words[-1].lower_
    if any(t.tag_ == "NNPS" for t in words):
        return True
    return common is not None and any(word in common for word in (first, last, last[:-1]))


def _capitalised_proper_noun(token: Token, covered: bytearray) -> bool:
    return not covered[token.i] and token.pos_ == "PROPN" and token.text[:1].isupper() and token.text.replace("-", "").isalpha()


def _repeated_surnames(doc: Doc, ents: tuple, forms: dict, covered: bytearray,
                       hyphenated: set[tuple[str, ...]]) -> list[tuple[int, int, str, None]]:
    """``Byron`` where the model tagged only ``Lord Byron``: the last word of a person's full name,
    written alone as a proper noun outside every entity, is a mention of a person (its id comes
    from the surname rules of :func:`resolve_mentions`). Not a word the model tagged on its own.
    Written in a hyphenated name that a tagged name holds, the mention is that whole double surname
    (``Henin-Hardenne`` of "Justine Henin-Hardenne")."""
    surnames = _surnames(doc, ents)
    found = []
    for t in doc:
        if not (t.text in surnames and (t.text,) not in forms.get(t.text, {}) and not covered[t.i] and t.pos_ == "PROPN"):
            continue
        first, last = _hyphenated(doc, t.i)
        if not any(covered[first:last]) and _inside_hyphenated(doc, t.i, t.i + 1, hyphenated):
            found.append((first, last, "PERSON", None))
        elif _standalone(doc, t.i, t.i + 1) and not _inside_hyphenated(doc, t.i, t.i + 1, hyphenated):
            found.append((t.i, t.i + 1, "PERSON", None))
        else:
            continue
        covered[found[-1][0] : found[-1][1]] = b"\x01" * (found[-1][1] - found[-1][0])  # "Lewis-Francis" once, not per surname
    return found


def _hyphenated(doc: Doc, i: int) -> tuple[int, int]:
    """The tokens of the hyphenated name token ``i`` belongs to, capitalised words joined by hyphens
    without spaces ("Kilroy-Silk"; not "ex-Chelsea"), or token ``i`` alone."""
    def joined(hyphen: int) -> bool:
        return (0 < hyphen < len(doc) - 1 and doc[hyphen].text == "-" and not doc[hyphen - 1].whitespace_
                and not doc[hyphen].whitespace_ and doc[hyphen - 1].text[:1].isupper() and doc[hyphen + 1].text[:1].isupper())

    first, last = i, i + 1
    while joined(first - 1):
        first -= 2
    while joined(last):
        last += 2
    return first, last


def _inside_hyphenated(doc: Doc, start: int, end: int, tagged: set[tuple[str, ...]]) -> bool:
    """``doc[start:end]`` is part of a hyphenated name that some tagged name of the article holds
    ("Silk" and "Kilroy" of "Kilroy-Silk" after "Robert Kilroy-Silk"); not of one the article tags
    nowhere ("Wasps" of "the Wasps-Leicester trilogy")."""
    first, last = _hyphenated(doc, start)[0], _hyphenated(doc, end - 1)[1]
    return (first, last) != (start, end) and tuple(t.text for t in doc[first:last]) in tagged


def _hyphenated_names(doc: Doc, ents: tuple) -> set[tuple[str, ...]]:
    """The words of the hyphenated names inside the tagged names ("Kilroy", "-", "Silk")."""
    found = set()
    for ent in ents:
        for token in ent:
            first, last = _hyphenated(doc, token.i)
            if last - first > 1 and ent.start <= first and last <= ent.end:
                found.add(tuple(t.text for t in doc[first:last]))
    return found


def _repeated_given_names(doc: Doc, ents: tuple, forms: dict, covered: bytearray) -> list[tuple[int, int, str, None]]:
    """``Isabel`` where the model tagged only ``Isabel Ruiz`` (or nothing, :func:`_untagged_people`): the
    given name that opens exactly one person's full name of the article, written alone as a proper
    noun outside every entity, is a mention of that person (its id comes from the first-name rule of
    :func:`resolve_mentions`). Not a word the article also writes in lower case ("Will", "Mark") or
    the model tagged on its own, nor a month's or a day's name ("May")."""
    given = _given_names(doc, ents)
    return [(t.i, t.i + 1, "PERSON", None) for t in doc
            if t.text in given and (t.text,) not in forms.get(t.text, {}) and not covered[t.i]
            and t.pos_ == "PROPN" and _standalone(doc, t.i, t.i + 1)]


def _given_names(doc: Doc, ents: tuple) -> set[str]:
    """The given names that open exactly one person's full name the model tagged, a given name and a
    surname ("Isabel Ruiz"; not the club "Preston North End" the model calls a person; see
    :func:`_repeated_given_names`)."""
    lower = {t.text for t in doc if t.text.islower()}
    opening: dict[str, set[str]] = {}
    for ent in ents:
        if ent.label_ == "PERSON" and len(ent.text.split()) == 2 and not ent.ent_id_ and _given_name(ent[0].lower_):
            opening.setdefault(ent[0].text, set()).add(ent.text)
    return {word for word, names in opening.items() if len(names) == 1 and _looks_like_surname(word, lower)
            and word.lower() not in _CALENDAR_WORDS}


_CALENDAR_WORDS = frozenset(
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday".split()
)


def _surnames(doc: Doc, ents: tuple) -> set[str]:
    """Last words of the people's full names the model tagged; not a word the article also writes in
    lower case (``Aid`` of "Christian Aid"), nor the end of a "name" that opens with a word the model
    tagged in a place's or organisation's name, or with capitals (``Manchester United``, ``VC Bet``)."""
    not_first = {ent[0].text for ent in ents if ent.label_ != "PERSON"}
    lower = {t.text for t in doc if t.text.islower()}
    people = [ent for ent in ents if ent.label_ == "PERSON" and len(ent) > 1 and not ent.ent_id_]
    return {_last_name_word(ent) for ent in people if _looks_like_surname(_last_name_word(ent), lower)
            and ent[0].text not in not_first and not ent[0].text.isupper()}


def _last_name_word(ent: Span) -> str:
    """The surname's word of a person's full name: ``King`` of "Martin Luther King Jr." (:func:`_without_suffix`)."""
    return _without_suffix(tuple(t.text for t in ent if t.text != ","))[-1]


def _looks_like_surname(word: str, lower: set[str]) -> bool:
    return word.isalpha() and len(word) > 2 and word[0].isupper() and word.lower() not in lower


# Parts of speech a one-word name never has: ``Understand``, ``Browsing``, ``Nah`` opening a sentence
# are words the small model sometimes tags as places or people.
NOT_NAME_POS = frozenset({"VERB", "AUX", "ADV", "INTJ", "PRON", "ADP", "DET", "CCONJ", "SCONJ", "PART"})


# Offices the model sometimes tags as a person on their own ("Thank you, Chair"): a role that many
# people hold, not a name; each holder is named elsewhere.
ROLE_WORDS = frozenset("chair chairman chairwoman chairperson speaker president governor senator mayor minister secretary director".split())


def word_not_name(ent: Span) -> bool:
    """A one-word entity the tagger reads as a verb, adverb or other word that is not a name, a role
    on its own ("Chair"), the end of an office ("State" of "Secretary of State") or its start ("Home"
    of "Home Secretary", "Defence" of "Defence Minister"): not a mention (the entity ruler's names
    are kept whatever their part of speech)."""
    word = ent[0]
    if len(ent) != 1 or ent.ent_id_ or ent.label_ not in {"PERSON", "ORG", "GPE", "LOC", "FAC"}:
        return False
    return (word.pos_ in NOT_NAME_POS and word.text.isalpha() and not word.text.isupper()) or (
        ent.label_ in ("PERSON", "ORG") and (word.lower_ in ROLE_WORDS or _ends_an_office(ent) or _starts_an_office(ent)))


def _starts_an_office(ent: Span) -> bool:
    """``Home Secretary``, ``Defence Minister``, ``Finance Minister``: a capitalised word before a
    minister's or secretary's title names the office, not a body (not an acronym: "UKIP spokesman")."""
    doc = ent.doc
    return (ent.end < len(doc) and doc[ent.end].text in ("Secretary", "Minister", "Secretaries", "Ministers")
            and ent.text.isalpha() and ent.text.istitle())


def _ends_an_office(ent: Span) -> bool:
    """``Secretary of State``, ``Minister of Health``: the word after a secretary's or minister's "of"."""
    doc = ent.doc
    return (ent.start >= 2 and doc[ent.start - 1].lower_ == "of"
            and doc[ent.start - 2].lower_ in ("secretary", "secretaries", "minister", "ministers"))


# "southern Russia", "central Iran", "downtown Tulsa": a region of a place is a place of its own.
REGION_WORDS = frozenset(
    "northern southern eastern western central north south east west northeast northwest southeast southwest "
    "northeastern northwestern southeastern southwestern downtown upstate rural".split()
)


def _region_of(ent: Span) -> tuple[int, int, str, None] | None:
    """``southern Russia`` where the model tagged ``Russia``: the span of the region, without the
    place's reference id (a region is not the country; the reference lists can name it)."""
    before = ent.doc[ent.start - 1] if ent.start > 0 else None
    if ent.label_ not in ("GPE", "LOC") or before is None or before.text not in REGION_WORDS:
        return None
    return (before.idx, ent.end_char, ent.label_, None)


# A name never ends in "of" or "the": "Patrick Leopold Gordon of" (Auchleuchries) is the model's span error;
# nor in a quotation mark ("Donald Trump ''doesn't want", in text that writes quotes with two apostrophes).
_TRAILING_FUNCTION_WORDS = re.compile(r"(?:\s*[,;]|\s*(?:''|[\"“”])|\s+(?:of|the|and|for|in|at|to|on|with|from|by|who|which|whose|[-–—(]))+$")
# Nor in the full stop of the sentence it ends ("said Mr Dergarabedian.", "at the Lyric Theatre."): a
# stop after a capitalised word of six letters or more, which no abbreviation is ("Calif.", "Bros.", "Inc.").
_FULL_STOP = re.compile(r"\b([A-Z][a-z]{5,})\.$")
# Nor does it begin with one ("''How to Foster ...") or with a prefix that makes an adjective of a
# person's, a body's or a place's name ("pro-Clinton", "ex-Yukos", "non-Nato").
_OPENING_QUOTE = re.compile(r"(?:''|[\"“])\s*")
# A dash or a bullet the model took in before a name ("Abortion not a poll issue - Blair").
_OPENING_MARK = re.compile(r"[-–—•·*|]+\s+")
_PREFIX = re.compile(r"(?:pro|anti|ex|non|post|pre)-(?=[A-Z])")
_PREFIXED_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC"})


# Lower-case words that begin names: "de Klerk", "van Gogh", "al-Assad", "bin Laden".
NAME_PARTICLES = frozenset("de del della der den di da du des la le van von ter ten al el bin ibn ben ap".split())


def _after_lower_case_words(text: str, start: int, end: int) -> int:
    """Where a name starts once lower-case words the model put before it are left out ("magician David
    Gish", "united Germany", "the late John Peel"); not a particle of the name ("de Klerk"), "the" right
    before the name ("the Lib Dems"), or a region ("southern Russia")."""
    words = text[start:end].split(" ")

    def droppable(i: int) -> bool:
        return i < len(words) - 1 and words[i].isalpha() and words[i].islower() and words[i] not in NAME_PARTICLES | REGION_WORDS

    skip = 0
    # "the" goes only with the words after it ("the late John Peel"), not before a name ("the Lib Dems")
    while droppable(skip) and (words[skip] != "the" or droppable(skip + 1) and words[skip + 1] != "the"):
        skip += 1
    return start + sum(len(w) + 1 for w in words[:skip]) if skip and words[skip][:1].isupper() else start


def _mention_spans(doc: Doc, ents: tuple) -> list[tuple[int, int, str, str | None]]:
    """``(start char, end char, label, reference id)`` of the model's entities ``ents`` (a region of a
    place widened to it) and of the other occurrences of the names it found, in text order."""
    common = doc.vocab.lookups.get_table(COMMON_WORDS, None)
    spans = [_region_of(ent) or (ent.start_char, _press_end(ent) or _person_end(ent, common), ent.label_, ent.ent_id_ or None)
             for ent in ents]
    for first, last, label, known in repeated_mentions(doc, ents):
        spans.append((doc[first].idx, doc[last - 1].idx + len(doc[last - 1]), label, known))
    return _with_nicknames(text_of(doc), sorted(spans))


_PRESS_TITLES = frozenset({"secretary", "secretaries", "spokesman", "spokeswoman", "spokesperson", "officer"})


def _press_end(ent: Span) -> int | None:
    """``Pentagon`` of ``Pentagon Press`` + ``Secretary``: the model takes the first word of the title
    "Press Secretary" into the body's name; the name ends before it."""
    doc = ent.doc
    if (ent.label_ == "ORG" and len(ent) > 1 and ent[-1].lower_ == "press" and ent.end < len(doc)
            and doc[ent.end].lower_ in _PRESS_TITLES):
        return ent[-2].idx + len(ent[-2])
    return None


# A given name, up to two more names or initials, a nickname in quotation marks and a surname, on one line.
_NICKNAMED_IN_TEXT = re.compile(
    r"\b[A-Z][a-z]+(?: +[A-Z][\w.]*){0,2} +[\"“‘'][A-Z][\w.]*(?: [A-Z][\w.]*)?[\"”’'] +[A-Z][\w'’-]+"
)


def _with_nicknames(text: str, spans: list[tuple]) -> list[tuple]:
    """The spans with a person's name written with a nickname made one, which the model cuts at the
    quotation marks ('Robert C. "Bobby' + 'Scott'): a given name of the census lists first, and a part
    the model calls a name."""
    for found in _NICKNAMED_IN_TEXT.finditer(text):
        start, end = found.span()
        if not _given_name(found.group().split()[0].lower()):
            continue
        inside = [s for s in spans if s[0] < end and start < s[1]]
        if inside and all(s[3] is None and s[2] in NAME_LABELS for s in inside):
            spans = sorted([s for s in spans if s not in inside] + [(start, end, "PERSON", None)])
    return spans


def _person_end(ent: Span, common) -> int:
    """Where a person's name ends: before a headline's verb the model took in, after the last
    syllable of a Korean given name it left out (:func:`_name_end_by_headline_or_syllable`), or once the
    surnames it left out are taken in ("Johnny" + "Depp", "Antonio Lopez de Santa" + "Anna",
    "Sylvia" + "Heal"): up to two proper nouns right after it, on its line, outside every entity,
    capitalised, and surnames (:func:`_surname_word`), not "MP", "Budget", "Opera" or "Park".
    Without the word lists (another model) the span stays as it is."""
    doc, end = ent.doc, ent.end
    if ent.label_ != "PERSON" or ent.ent_id_ or common is None or not ent[-1].text.istitle():
        return ent.end_char
    cut_or_joined = _name_end_by_headline_or_syllable(ent)
    if cut_or_joined is not None:
        return cut_or_joined
    while end < len(doc) and end - ent.end < 2 and doc[end - 1].whitespace_ == " " and _free_surname(doc[end], common):
        end += 1
    # the name ends there: not the first words of a longer one ("Jack Alter Fort" + "Lee Community Center")
    if end == ent.end or (end < len(doc) and doc[end].pos_ == "PROPN"):
        return ent.end_char
    return doc[end - 1].idx + len(doc[end - 1])


def _name_end_by_headline_or_syllable(ent: Span) -> int | None:
    """The end of a person's name cut before a verb of a headline written in capitals ("Obama" of
    "Obama Says African-American Museum Will Tell ..."; not the title "Grief Never Grows Old"), or
    joined to the last syllable of a Korean given name ("Moon Jae" + "-in"); None for neither."""
    doc = ent.doc
    verb = next((t for t in ent[1:] if _headline_verb(t)), None)
    if verb is not None and not any(t.is_stop for t in doc[ent.start : verb.i]):
        return doc[verb.i - 1].idx + len(doc[verb.i - 1])
    syllable = _SYLLABLE_AFTER.match(text_of(doc), ent.end_char)
    if syllable and len(ent) > 1 and len(ent[-1]) <= 5 and syllable.group(1) not in _COMPOUND_ENDS:
        return syllable.end()
    return None


def _headline_verb(token: Token) -> bool:
    """A capitalised verb the model took into a person's name in a headline written in capitals
    ("Obama Says ..."): tagged a verb in the present or past, and no surname or given name of the
    census lists ("Will", "Say" are both)."""
    return (token.text[:1].isupper() and token.tag_ in ("VBZ", "VBD", "MD")
            and token.lower_ not in _census_surnames() and token.lower_ not in _census_first_names())


# The last syllable of a Korean given name, which the model leaves out ("Moon Jae-in", "Park Geun-hye");
# not the words that make a compound of a name ("Blair-era", "Oscar-winning").
_SYLLABLE_AFTER = re.compile(r"-([a-z]{1,5})\b(?!-)")
_COMPOUND_ENDS = frozenset("era led style based born backed like type made run owned linked related on esque ish ism ist ite ites".split())


def _free_surname(token: Token, common) -> bool:
    """A capitalised proper noun outside every entity that may be a surname."""
    return (not token.ent_type_ and token.pos_ == "PROPN" and token.text.isalpha() and token.text.istitle()
            and _surname_word(token.lower_, common))


def _surname_word(word: str, common) -> bool:
    """``depp``, ``martinez``: no English word (nor the plural of one: "Plans"); or a census surname
    that is also a first name (``anna``, a coin in the word lists) or English only as a verb (``heal``,
    ``grieve``)."""
    forms = [form for form in (word, word[:-1] if word.endswith("s") else "") if form in common]
    if not forms:
        return True
    return word in _census_surnames() and (word in _census_first_names() or all(tuple(common[f]) == ("verb",) for f in forms))


def _census_surnames() -> frozenset[str]:
    """The surnames of the 1990 US census, lower case."""
    return _census_names("dist.all.last")


# A rank or office written before a person's name: "Gen Pinochet" is Pinochet, "Lt Col Tim Collins" is
# Tim Collins, "President Trump" is Trump. Abbreviated, it begins no other kind of name; written out
# ("General", "Governor") only a person's ("General Motors", "Major League" are names of their own).
# Royal and noble titles stay ("Prince Charles", "Lord Cullen"), and so do the honorifics the ids
# leave out ("Mr", "Dr").
_RANK_ABBREVIATIONS = r"Lt|Lieut|Gen|Col|Capt|Cpt|Maj|Brig|Adm|Cmdr|Cdr|Sgt|Cpl|Pte|Rev|Revd|Fr|Sen|Rep|Gov"
_RANKS = (r"Lieutenant|General|Colonel|Captain|Major|Brigadier|Admiral|Commander|Sergeant|Corporal|Private|Reverend"
          r"|Senator|Congressman|Congresswoman|Representative|Governor|Mayor|Judge|President|Vice\s+President|Chancellor"
          r"|Prime\s+Minister|Premier|Secretary|Speaker|Ambassador")
# Ranks written out that only people hold before a name: not "General" ("General Motors"), "Major"
# ("Major League Baseball"), "Private" or "Premier" ("the Premier League"), which open bodies' names too.
_PEOPLE_S_RANKS = "|".join(rank for rank in _RANKS.split("|") if rank not in ("General", "Major", "Private", "Premier"))
_PEOPLE_S_RANK_BEFORE = re.compile(rf"^(?:{_PEOPLE_S_RANKS})\s+(?=[A-Z])")
_RANK_JUST_BEFORE = re.compile(rf"(?<![\w.])(?:(?:{_RANK_ABBREVIATIONS})\.?|{_PEOPLE_S_RANKS})\s+$")
_RANK_ALONE = re.compile(rf"(?:{_RANK_ABBREVIATIONS})\.?")  # "Col" of "Col. Rob Manning", cut off by the model
_RANK_BEFORE = re.compile(rf"^(?:(?:{_RANK_ABBREVIATIONS})\.?\s+)+(?=[A-Z])")
_RANK_BEFORE_PERSON = re.compile(rf"^(?:(?:{_RANK_ABBREVIATIONS})\.?\s+|(?:{_RANKS})\s+)+(?=[A-Z])")


def _name_bounds(text: str, start: int, end: int, label: str, known: str | None) -> tuple[int, int]:
    """A span without outer spaces, and for a name the reference lists do not know, without the
    words the model took into its edges ("magician David Gish", "Patrick Leopold Gordon of"), a dash
    before it ("- Blair") or a rank before it ("Gen Pinochet")."""
    start, end = trim(text, start, end)
    if known is None and label in NAME_LABELS:
        end = start + len(_FULL_STOP.sub(r"\1", _TRAILING_FUNCTION_WORDS.sub("", text[start:end])))
        opening = _OPENING_QUOTE.match(text, start, end) or _OPENING_MARK.match(text, start, end)  # "''How to Foster ...": a title quoted with two apostrophes
        prefix = _PREFIX.match(text, start, end) if label in _PREFIXED_LABELS else None
        start = _after_lower_case_words(text, (opening or prefix).end() if opening or prefix else start, end)
        ranked = label == "PERSON" or (_PEOPLE_S_RANK_BEFORE.match(text[start:end]) and _ranked_name(text, start, end))
        rank = (_RANK_BEFORE_PERSON if ranked else _RANK_BEFORE).match(text[start:end])
        if rank:
            start += rank.end()
    return start, end


# Where the model ran two names into one span: a fixture ("Bolton v Derby", "Clyde 0-5 Celtic"; not
# a law report's "Roe v. Wade"), a dash between a name and what follows ("Clive Griffiths - Wales'
# defence coach"), a bracket it did not close ("Shanklin (Blues", "the Organisation (WHO").
_BETWEEN_NAMES = re.compile(r"\s+(?:vs?\.?(?<!v\.)|\d+-\d+)\s+(?=[A-Z])|\s+[-–—/]\s+|\s*\((?![^()]*\))")
# People the model ran into one "person" ("Carragher and Brown", "Fortune, Rooney"; not "Martin Luther
# King, Jr."), places into one place ("Algoa Bay, Cape of Good Hope").
_BETWEEN_PEOPLE = re.compile(r"\s+(?:and|&)\s+(?=[A-Z])|,\s+(?!(?:Jr|Sr|II|III|IV)\b)(?=[A-Z])")
_BETWEEN_PLACES = re.compile(r",\s+(?=[A-Z])")
_BETWEEN_BY_LABEL = {"PERSON": _BETWEEN_PEOPLE, "GPE": _BETWEEN_PLACES, "LOC": _BETWEEN_PLACES}
# A photo credit's slash after a photographer's name ("Mark Schiefelbein/AP", "George Frey/Getty Images",
# "Matt York/File/"): after a person's name of two words or more, or ending the span; not between two
# one-word names of one thing ("Banjal/Bandial", "Frost/Nixon"), inside a body's or a product's name
# ("Blue Gene/L", "the Independent Feature Project/Los Angeles") or inside capitals ("AC/DC").
_CREDIT_SLASH = re.compile(r"(?<=[a-z.])\s*/\s*")
_CREDITED_LABELS = frozenset({"PERSON", "ORG"})
# Words of a photo credit that stand between names and are none ("Matt York/File/Associated Press").
_CREDIT_WORDS = frozenset({"file", "photo", "photos", "handout", "pool"})
_SCORE_AFTER = re.compile(r"(?:\s+\d+-\d+)+$")  # "Gilles Simon 7-6 6-3"


def _names_in(text: str, start: int, end: int, label: str = "") -> list[tuple[int, int]]:
    """The spans of the names in one entity span: itself, or its parts where the model ran two names
    together (:data:`_BETWEEN_NAMES`, a photo credit's slash), a score after a team left out ("Wales 13-12");
    a part that begins in lower case ("- out"), is a direction alone ("the North") or a credit's word
    ("File") is no name."""
    written = _SCORE_AFTER.sub("", text[start:end])
    parts = _parts(written, label)
    if len(parts) > 1:  # a direction the model never tagged alone is no name ("From the North / Kansas"), nor "The"
        parts = [(a, b) for a, b in parts if base_name(written[a:b]).lower() not in DIRECTIONS | _CREDIT_WORDS and not _function_word(written[a:b])]
    return [(start + a, start + b) for a, b in parts if b > a and (a == 0 or written[a].isupper())]


def _parts(written: str, label: str) -> list[tuple[int, int]]:
    """``written`` cut wherever two names meet, for any label or for this one (:data:`_BETWEEN_BY_LABEL`)."""
    between = _BETWEEN_BY_LABEL.get(label)
    credits = _CREDIT_SLASH.finditer(written) if label in _CREDITED_LABELS else ()
    cuts = sorted([*_BETWEEN_NAMES.finditer(written), *(between.finditer(written) if between else ()), *credits],
                  key=lambda m: m.start())
    parts, at = [], 0
    for cut in cuts:
        credit = cut.re is _CREDIT_SLASH
        ends = not written[cut.end() :].strip()
        if cut.start() >= at and (not credit or ends or (label == "PERSON" and len(written[at : cut.start()].split()) > 1)):
            parts.append((at, cut.start()))  # a cut of one kind may overlap one of the other
            at = cut.end()
    return [*parts, (at, len(written))]


def _function_word(written: str) -> bool:
    """``The``, ``and``: a word of no name on its own; not an acronym that spells one (``WHO``)."""
    word = written.strip()
    return word.lower() in STOP_WORDS and not word.isupper()


def _names_of(doc: Doc, text: str) -> list[tuple[int, int, str, str | None]]:
    """``(start char, end char, label, reference id)`` of every name in the article: the model's
    spans cut into the names they hold and trimmed to them; not an acronym the text defines as a thing."""
    things = common_noun_acronyms(text)  # "ground reaction force (GRF)": GRF is no name
    common = doc.vocab.lookups.get_table(COMMON_WORDS, None)
    terms = doc.vocab.lookups.get_table(REFERENCE_TERMS, None)  # the reference list's: GMT, MPs, USB
    ents = tuple(part for ent in entities_of(doc) for part in _split_at_verbs(ent) if not word_not_name(part))
    ents = _without_author_lists(ents, _citations(doc)[0])
    spans = _mention_spans(doc, ents)
    surnames = _surnames(doc, ents)  # the players whose minutes a match report writes after them
    owners = _owners(ents)
    found = []
    for start_char, end_char, model_label, known in _without_leading_words(doc, text, spans):
        if known is not None:
            start, end = _name_bounds(text, start_char, end_char, model_label, known)
            found.extend([(start, end, model_label, known)] if start < end else [])
            continue
        parts = _names_in(text, start_char, end_char, model_label) if model_label in NAME_LABELS else [(start_char, end_char)]
        for part_start, part_end, label in (p for part in parts for p in _owned_parts(text, *part, model_label, owners)):
            start, end = _name_bounds(text, part_start, part_end, label, None)
            if start < end and not _no_name(text, start, end, label, things, terms, common):
                found.append((start, *_end_and_label(text, start, end, label, surnames), None))
    return _surnames_tagged_groups(text, _without_overlaps(found), common)


def _without_overlaps(found: list[tuple]) -> list[tuple]:
    """``found`` less the names inside one before them that a rule widened ("Sharif" the model tags on
    its own inside "Mazar-e-Sharif")."""
    kept: list[tuple] = []
    for span in found:
        if not kept or span[0] >= kept[-1][1]:
            kept.append(span)
    return kept


def _without_author_lists(ents: tuple, lists: list[tuple[int, int]]) -> tuple:
    """``ents`` less the people and bodies the model tags inside an author list (``lists``, see
    :func:`_author_lists`): "Dye & Bavelier" of "(Dye & Bavelier, 2010)" is two people, whom
    :func:`_cited_authors` finds. A name of the reference lists ("Reuters, 2010") or of a place stays."""
    return tuple(ent for ent in ents if ent.ent_id_ or ent.label_ not in ("PERSON", "ORG", "NORP")
                 or not any(first <= ent.start_char and ent.end_char <= last for first, last in lists))


def _split_at_verbs(ent: Span) -> list[Span]:
    """The names on either side of a verb in lower case the model ran into one span ("Byron composed
    Thyrza", a headline's "Campbell rescues Arsenal"), each with the span's label; the span itself
    when it holds none."""
    cuts = [t.i for t in ent[1:-1] if _verb_between_names(t)] if ent.label_ in _CUT_AT_VERB_LABELS else []
    if not cuts:
        return [ent]
    bounds = [ent.start, *(i for cut in cuts for i in (cut, cut + 1)), ent.end]
    parts = [Span(ent.doc, a, b, label=ent.label_) for a, b in zip(bounds[::2], bounds[1::2]) if b > a]
    return [part for part in parts if part[0].text[:1].isupper()]


def _verb_between_names(token: Token) -> bool:
    """A verb in lower case, not a particle of a name ("den" of "Jurgen den Hartog")."""
    return token.pos_ in ("VERB", "AUX") and token.text.islower() and token.text not in NAME_PARTICLES


_CUT_AT_VERB_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC"})


# An owner's possessive inside a name: "SpaceX's Falcon Heavy", "Berlin’s Brandenburg Gate".
_POSSESSIVE_INSIDE = re.compile(r"['’]s\s+(?=[A-Z0-9]|['‘“\"])")
_QUOTE_OPENING = ("'", "‘", "“", '"')


def _owners(ents: tuple) -> dict[str, str]:
    """The names of people, bodies and places the model tagged on their own (without "the") and once
    at least without a possessive after them, with their labels: who may own a name (not "Foster" of
    the lager "Foster's")."""
    owners, surnames = {}, {}
    for ent in ents:
        after = ent.doc[ent.end].text if ent.end < len(ent.doc) else ""
        if ent.label_ in REPEATED_LABELS and after not in ("'s", "’s", "'", "’"):
            owners.setdefault(ent.text.strip().removeprefix("the ").removeprefix("The "), ent.label_)
            if ent.label_ == "PERSON" and len(ent) > 1:  # "Timberlake's Super Bowl" after "Justin Timberlake"
                surnames.setdefault(ent[-1].text, "PERSON")
    return {**surnames, **owners}


def _owned_parts(text: str, start: int, end: int, label: str, owners: dict[str, str]) -> list[tuple[int, int, str]]:
    """A name the model ran together with its owner's possessive cut in two where the article names
    the owner on its own: "SpaceX's Falcon Heavy" is SpaceX (with the label of its own mention) and
    Falcon Heavy, so both join their other mentions. A possessive that is part of a name stays
    ("McDonald's Corporation", "the People's Daily": no "McDonald" nor "People" stands alone). A
    person's surname owns as the full name does ("Timberlake's Super Bowl"); a quoted title the
    model cut off after its first word ("Justin Timberlake's 'Man") is no name of its own."""
    if label not in NAME_LABELS:
        return [(start, end, label)]
    written = text[start:end]
    for match in _POSSESSIVE_INSIDE.finditer(written):
        owner = written[: match.start()].removeprefix("the ").removeprefix("The ")
        if owner in owners:
            found = [(start + match.start() - len(owner), start + match.start(), owners[owner])]
            return found if written[match.end()] in _QUOTE_OPENING else [*found, (start + match.end(), end, label)]
    return [(start, end, label)]


def _surnames_tagged_groups(text: str, found: list[tuple], common) -> list[tuple]:
    """``found`` with one word the model calls a people or a group (NORP) made a person's where it is
    the surname of a full name the article only ever tags a person: ``Arians`` after ``Bruce Arians``,
    ``Mattis`` after ``Jim Mattis`` (the model takes the ending for a demonym's). Not a word English
    uses as an adjective (``French`` beside the critic ``Philip French``, ``Americans``), nor the end of
    a body's name the article also writes after "the" (``Dems`` of ``the Lib Dems``) or opens with a
    word of the language that is no given name (``Liberal Democrat``)."""
    if common is None:
        return found
    labels: dict[str, set[str]] = {}
    for start, end, label, _ in found:
        labels.setdefault(base_name(text[start:end]), set()).add(label)
    # a full name that opens with a word of the language is a body's more often ("Liberal Democrat", "Air Deccan")
    surnames = {name.split()[-1] for name, kinds in labels.items() if kinds == {"PERSON"} and len(name.split()) > 1
                and (name.split()[0].lower() not in common or _given_name(name.split()[0].lower()))}

    def surname(start: int, end: int) -> bool:
        word = text[start:end].lower()
        adjective = any("adj" in common.get(form, ()) for form in (word, word[:-1] if word.endswith("s") else word))
        return text[start:end] in surnames and not adjective

    return [(start, end, "PERSON" if label == "NORP" and known is None and surname(start, end) else label, known)
            for start, end, label, known in found]


def _no_name(text: str, start: int, end: int, label: str, things: set[str], terms=None, common=None) -> bool:
    """A span the model calls a name that is none: an acronym the text defines as a thing or the
    reference list of terms holds (``terms.csv``: "GMT", "MPs"), words without a capital, a suffix
    alone ("Jr." of "Iván DeJesús, Jr."), a rank alone ("Col"), a prefix alone ("Pro-" of "Pro-Kremlin"),
    a web address, an era (:func:`_era`), and for a name's label what :func:`_no_name_for_label` finds."""
    written = text[start:end]
    name = base_name(written)
    return (name in things or (terms is not None and name in terms) or _uncapitalised(written, label)
            or written.rstrip(".").lower() in _SUFFIXES or _PREFIX_ALONE.fullmatch(written) is not None
            or _WEB_ADDRESS.search(written) is not None or _era(text, start, end) or _RANK_ALONE.fullmatch(written) is not None
            or (label in NAME_LABELS and _no_name_for_label(text, start, end, name, common, label)))


# An era's abbreviation, part of a date: "3000 BC", "about 500 CE", "1230 B.C.", "AD842".
_ERA = re.compile(r"(?:B\.?C\.?(?:E\.?)?|C\.?E\.?|A\.?D\.?)")
_YEAR_BEFORE = re.compile(r"\b\d{1,4}\s*$")
_AD_YEAR = re.compile(r"A\.?D\.?\s*\d{1,4}")


def _era(text: str, start: int, end: int) -> bool:
    """``BC`` of "3000 BC", ``AD842``: an era's abbreviation after a year, or "AD" with its year, is no
    name ("Vancouver, BC" and "the BC Liberals" are)."""
    written = text[start:end]
    return bool((_ERA.fullmatch(written) and _YEAR_BEFORE.search(text, max(0, start - 6), start))
                or _AD_YEAR.fullmatch(written))


def _no_name_for_label(text: str, start: int, end: int, name: str, common, label: str) -> bool:
    """What the model calls a person, a body, a place ... that is none: articles alone (a source's typo
    "the The Kremlin"), a sum in a currency's code ("825 DKK"), an English word that is never a noun
    written with a capital where the article also writes it in lower case (:func:`_capitalised_word`)."""
    return (all(word.lower() in ("the", "a", "an") for word in name.split()) or _amount_currency(text, start, end)
            or _capitalised_word(text, start, name, common, label))


# Where a sentence or a line opens: the text's start, a line break, or a full stop and a space, maybe a quotation mark.
_OPENING = re.compile(r"(?:^|\n|[.!?][\"”’']?\s)\s*[\"“‘']?$")


def _capitalised_word(text: str, start: int, name: str, common, label: str) -> bool:
    """``Broadband``, ``Digital`` of a headline ("Broadband fuels online shopping", "Digital music sales
    soar"), which the model calls a place or a body: one English word that is never a noun (an
    adjective, an adverb, a verb), which the article also writes in lower case, or which opens a
    sentence as a verb or before a noun ("Understand, this is new", "Quirky comedy wins"; not
    "Paramount said") where the article never writes it with a capital inside one. Not a club's word
    ("United"), a census given name or surname ("Swift said" is Taylor Swift), capitals ("NEO",
    "CARE"), nor a people's adjective the model calls one ("Islamic" NORP)."""
    lower = name.lower()
    if common is None or " " in name or not name.isalpha() or lower not in common or lower in CLUB_WORDS or "noun" in common[lower]:
        return False
    return re.search(rf"\b{lower}\b", text) is not None or _describing_opening(text, start, name, common, label)


def _describing_opening(text: str, start: int, name: str, common, label: str) -> bool:
    """``name`` (an English word that is never a noun) opens a sentence as a verb or before a noun, and
    the article never writes it with a capital inside one; no census name, capitals or NORP (see
    :func:`_capitalised_word`)."""
    lower = name.lower()
    opening = (label != "NORP" and name[1:].islower() and _OPENING.search(text, max(0, start - 4), start) is not None
               and not _inside_sentence(name, text) and lower not in _census_first_names() and lower not in _census_surnames())
    return opening and (common[lower] == ("verb",) or _before_a_noun(text, start + len(name), common))


def _before_a_noun(text: str, end: int, common) -> bool:
    """The word after ``end`` is a noun in lower case ("Quirky comedy", "Digital sales"): the word before
    describes it; before a verb or a comma a word may be a body's name ("Paramount said", "Next,")."""
    following = re.match(r"\s+([a-z]+)\b", text[end : end + 30])
    return following is not None and "noun" in (common.get(following.group(1)) or ())


def _inside_sentence(word: str, text: str) -> bool:
    """``word`` written with its capital where no sentence or line opens."""
    return any(_OPENING.search(text, max(0, found.start() - 4), found.start()) is None
               for found in re.finditer(rf"\b{re.escape(word)}\b", text))


# One word cut off before the hyphen of a compound ("Pro-" of "Pro-Kremlin", "Non-" of "Non-EU")
_PREFIX_ALONE = re.compile(r"\w+[-‐–]")
# A web address ("Read or Share this story: https://usat.ly/2FDg8kl"), which the model calls a body
_WEB_ADDRESS = re.compile(r"://|^www\.", re.I)


# The vocabulary table of English words and their parts of speech (noun, verb, adj, adv), which
# ``pipeline.nlp.model`` fills from the lemmatizer's word lists when it loads the model.
COMMON_WORDS = "common_words"
# The terms of the reference lists (``terms.csv``), which ``pipeline.nlp.model`` puts on the vocabulary.
REFERENCE_TERMS = "reference_terms"
# The acronyms of the reference lists' bodies and places ("UN", "US") → their long names ("United
# Nations", "United States"), which ``pipeline.nlp.model`` puts on the vocabulary (see :func:`id_spelling`).
REFERENCE_LONG_FORMS = "reference_long_forms"

# Words that begin a person's name as written, not a description before it ("Prince Charles", "Saint Jerome").
_STYLES = TITLES | frozenset(
    "king queen prince princess duke duchess earl count countess marquess viscount emperor empress tsar czar "
    "sultan emir shah pope saint st uncle aunt father mother sister brother".split()  # "Sir", "Dame": honorifics
)


def _without_leading_words(doc: Doc, text: str, spans: list[tuple]) -> list[tuple]:
    """``spans`` with a word a headline or a sentence puts before a person's name left out ("Sprinter
    Walker quits", "Veteran Martinez wins", "Nevertheless Franz Ferdinand"): the first of two to
    four words the model calls a person, at a sentence's start, a description (:func:`_description`)
    written with its capital nowhere else in the article but at sentence starts, before a surname
    the article writes again; anywhere, a nationality or a party before a given name and a surname
    ("Briton Tim Henman", :func:`_qualifier`). Without the word lists (another model) the spans stay as they are."""
    common = doc.vocab.lookups.get_table(COMMON_WORDS, None)
    if common is None:
        return spans
    starts = {t.idx for t in doc if t.is_sent_start}
    mentioned = Counter(name_of(word) for start, end, *_ in spans for word in text[start:end].split())
    cut = []
    for start, end, label, known in spans:
        if label == "PERSON" and known is None:
            start = _person_start(text, start, end, common, starts, mentioned)
        elif label in MISTAKEN_FOR_NAMES | {"NORP"} and known is None and _described_person(text[start:end].split(), common):
            start, label = text.index(text[start:end].split()[1], start + 1), "PERSON"
        cut.append((start, end, label, known))
    return cut


# Endings of English words for a person by nationality or trade: "Russian", "Frenchman", "Briton", "Actress".
_PERSON_NOUN = re.compile(r"(?:an|on|ese|ish|i|ess|er|or|ist)$")


def _described_person(words: list[str], common) -> bool:
    """``Actress Amber Heard``, ``Frenchman Cyril Saulnier``, which the model calls a body, a place or a
    nationality: a word for a person by nationality or trade (:func:`_qualifier`), a census given
    name (not "Duty" of "Dubai Duty Free") and a surname (a word of no English, or a census surname that names no place or body: not "Allied
    Irish Banks", "American Life Project", "Royal Albert Hall")."""
    if len(words) != 3 or not (_qualifier(words[0], common) and _PERSON_NOUN.search(words[0].lower())):
        return False
    given, surname = words[1], words[2].lower()
    return (given[0].isupper() and given.lower() in _census_first_names() and _plain_name_word(words[2], last=True)
            and (surname not in common or surname in _census_surnames())
            and surname not in PLACE_HEADS | DESIGNATORS | BODY_HEADS)


def _person_start(text: str, start: int, end: int, common, starts: set[int], mentioned: Counter) -> int:
    """Where a person's name begins once a description at a sentence's start or a nationality before
    a given name is left out (see :func:`_without_leading_words`)."""
    words = text[start:end].split()
    if start in starts and 2 <= len(words) <= 4 and mentioned[name_of(words[-1])] > 1:  # "Rapper Kanye West's"
        return _after_description(text, start, end, words[0], common, starts)
    if len(words) >= 3 and _qualifier(words[0], common) and _given_name(words[1].lower()):
        return text.index(words[1], start + len(words[0]))  # "Briton Tim Henman", "Kenyan Susan Chepkemei"
    return start


def _qualifier(word: str, common) -> bool:
    """``Briton``, ``Welshman``, ``Kenyan``: an English noun or adjective (a nationality) written before
    a given name and a surname; no given name itself (WordNet's nouns hold ``john`` and ``mark``; the
    census lists hold ``tory``, so "Tory Neil Hamilton" stays whole), title or honorific."""
    lower = word.lower()
    return (word.isalpha() and word[0].isupper() and not word.isupper() and lower in common
            and bool({"noun", "adj"} & set(common[lower])) and not _given_name(lower) and lower not in _STYLES
            and not HONORIFIC_BEFORE.search(word + " "))


def _after_description(text: str, start: int, end: int, first: str, common, starts: set[int]) -> int:
    """Where the name begins when its first word ``first`` is a description written with a capital
    only where a sentence starts; else ``start``."""
    if not (first.isalpha() and first[0].isupper() and not first.isupper() and _description(first.lower(), common)):
        return start
    if _capitalised_elsewhere(first, text, starts):
        return start
    rest = text[start + len(first) : end]
    return start + len(first) + len(rest) - len(rest.lstrip())


def _description(word: str, common) -> bool:
    """An English word that describes and names no one: an adjective, an adverb or a function word
    (``veteran``, ``classy``, ``nevertheless``, ``without``), or a noun made for what a person does
    (``sprinter`` of sprint, ``rapper`` of rap, ``musician`` of music; not ``Manchester``); never a
    given name (the US census's first names, the nickname lists: WordNet's nouns hold ``jason``
    and ``carlos``), an honorific or a title."""
    base = word[:-1] if len(word) > 4 and word.endswith("s") and word[:-1] in common else word  # "Singers"
    kinds = common.get(base, ()) if base in common else ()
    # "The" stays: before what the model calls a person it makes a body ("The Lib Dems", see _THE_NAME)
    describes = (base in STOP_WORDS and base != "the") or "adj" in kinds or "adv" in kinds or ("noun" in kinds and _doer(base, common))
    return describes and base not in _STYLES and not HONORIFIC_BEFORE.search(word + " ") and not _given_name(base)


# Endings of nouns for what a person does ("striker", "musician", "novelist").
_DOER = re.compile(r"(?:er|or|ist|ian)$")


def _doer(noun: str, common) -> bool:
    """``sprinter`` (sprint), ``striker`` (strike), ``rapper`` (rap), ``musician`` (music), ``comedian``
    (comedy): a noun that is a word with an ending for the one who does it."""
    found = _DOER.search(noun)
    if not found:
        return False
    stem = noun[: found.start()]
    candidates = {stem, stem + "e", stem + "y", stem[:-1] if len(stem) > 2 and stem[-1] == stem[-2] else stem}
    return any(len(c) > 2 and c in common for c in candidates)


@lru_cache(maxsize=4096)
def _given_name(word: str) -> bool:
    """``carlos``, ``hunter``, ``bill``: a first name of the census lists or of the nickname lists."""
    return word in _census_first_names() or bool(_NICKNAMES.nicknames_of(word) or _NICKNAMES.canonicals_of(word))


def _census_first_names() -> frozenset[str]:
    """The first names of the 1990 US census, lower case."""
    return _census_names("dist.male.first", "dist.female.first")


@lru_cache(maxsize=4)
def _census_names(*listings: str, min_percent: float = 0.0) -> frozenset[str]:
    """The names of the ``names`` package's 1990 US census lists (one name per line, then the percent
    of people who bear it), lower case; only those borne by ``min_percent`` or more."""
    from importlib.resources import files

    return frozenset(line.split()[0].lower() for listing in listings
                     for line in files("names").joinpath(listing).read_text().splitlines()
                     if line.strip() and float(line.split()[1]) >= min_percent)


def _capitalised_elsewhere(word: str, text: str, starts: set[int]) -> bool:
    """``word`` written with its capital somewhere a sentence does not start (a name, then)."""
    return any(found.start() not in starts for found in re.finditer(rf"\b{re.escape(word)}\b", text))


def _end_and_label(text: str, start: int, end: int, label: str, surnames: set[str]) -> tuple[int, str]:
    """The end and label of a name the reference lists do not know: a match report's minute after a
    player's surname left out (:data:`_MINUTE_AFTER`); a named storm an event, not a person; what the
    model calls a person with a number in it a person, a number, a body or a product (:func:`_numbered`);
    what it calls a person after "the" a body ("the Young Greens", "the Bee Gees", "the Davis Cup"); an
    award, a festival or a championship an event (:func:`_event_name`); a name after a rank a person
    ("President Trump"); "the Moon" a place; a place's name the model cut at its first hyphen whole
    (:data:`_JOINED_PLACE`)."""
    joined = _JOINED_PLACE.match(text, end)
    if joined and label in ("PERSON", "ORG", "GPE", "LOC", "FAC", "NORP"):
        town = bool(_TOWN_PARTICLES & set(joined.group("particles").lower().split("-")))
        return joined.end(), "GPE" if town else label
    minute = _MINUTE_AFTER.match(text[start:end])
    if minute and minute.group(1) in surnames and not _THE_BEFORE.search(text[max(0, start - 4) : start]):
        end, label = start + minute.end(1), "PERSON"  # "Kezman 74": the player, not a law or a team
    by_words = _label_by_words(text, start, end, label)
    if by_words or label != "PERSON":
        return end, by_words or label
    if _the_moon(text, start, end):
        return end, "LOC"
    if any(ch.isdigit() for ch in text[start:end]):
        return _numbered(text, start, end)
    return end, _person_relabelled(text, start, end)


# A place's name joined by hyphens and lower-case words, which the model cuts at the first hyphen:
# "Mazar" of "Mazar-e-Sharif" (a place), "Stratford" of "Stratford-upon-Avon" (a person). With an
# English or French town's word ("upon", "on", "super", "le", "en", "sur") it is a town whatever the
# model said; with the Persian "e" or "i" it keeps the model's label.
_JOINED_PLACE = re.compile(r"-(?P<particles>(?:(?:e|i|upon|on|super|under|le|la|en|sur|de)-)+)[A-Z][\w’']*(?:-[A-Z][\w’']*)*(?![\w-])")
_TOWN_PARTICLES = frozenset("upon on super under le la en sur".split())


# Words that name a kind of body or building, and the last words of news media's and shops' names
# ("Cincinnati Enquirer", "App Store").
_KIND_WORDS = BODY_HEADS | DESIGNATORS | PLACE_HEADS | frozenset(
    "news times post journal herald tribune gazette chronicle enquirer inquirer examiner telegraph magazine "
    "radio television tv channel network media store stores centre center labs laboratories".split()
)


def _label_by_words(text: str, start: int, end: int, label: str) -> str | None:
    """The label the words of a name or the words before it give, whatever the model's: a named storm
    ("Hurricane Katrina", which the model makes a person) or an award, a festival, a championship
    ("the Grammy Awards": a person, a body, a building) is an event; a name after a rank ("President
    Trump", "Chancellor Merkel") a person. None if they give none."""
    if STORM.match(base_name(text[start:end])) or (label in MISTAKEN_FOR_NAMES | {"PERSON", "LAW"} and _event_name(text[start:end])):
        return "EVENT"
    if label in MISTAKEN_FOR_NAMES and _RANK_JUST_BEFORE.search(text, max(0, start - 30), start) and _ranked_name(text, start, end):
        return "PERSON"
    return None


def _ranked_name(text: str, start: int, end: int) -> bool:
    """The words after a rank at ``text[start:end]`` may be a person's name: one to three plain name
    words (:func:`_plain_name_word`), the last no word for a body or a building ("the President Hotel")."""
    words = _PEOPLE_S_RANK_BEFORE.sub("", text[start:end]).split()
    return (0 < len(words) <= 3 and all(_plain_name_word(w, last=i == len(words) - 1) for i, w in enumerate(words))
            and words[-1].lower() not in _KIND_WORDS)


def _the_moon(text: str, start: int, end: int) -> bool:
    """``Moon`` of "the surface of the Moon", which the model calls a person: after "the" and before no
    other name ("the Moon Village" is a name of its own; "Moon" alone may be Moon Jae-in)."""
    return (text[start:end] == "Moon" and _THE_BEFORE.search(text, max(0, start - 4), start) is not None
            and re.match(r"\s+[A-Z]", text[end : end + 2]) is None)


def _person_relabelled(text: str, start: int, end: int) -> str:
    """The label of what the model calls a person: a body after "the" ("the Young Greens"), a company
    (:func:`_brand`, :func:`_company`), a place (:func:`_place_kind`), else a person."""
    written = text[start:end]
    if _THE_NAME.match(text, start, end) or _brand(written) or _company(written) or _body_name(written):
        return "ORG"
    return _place_kind(written) or "PERSON"


def _body_name(written: str) -> bool:
    """What the model calls a person whose last word names a kind of body or building: after a word
    that is no given name ("British Library", "Ground Force"; not "Rob Da Bank", "Margaret Court"), or
    alone where it is no surname ("Library", "Zoo"; not "Hall", "Court")."""
    words = base_name(written).replace("'s", "").split()
    if not words or words[-1].lower() not in _KIND_WORDS:
        return False
    if len(words) == 1:
        return words[0].lower() not in _census_surnames()
    return words[-1].lower() not in PLACE_HEADS and not _given_name(words[0].lower())


# A capital inside a word: "SpaceX", "GlaxoSmithKline", "PayPal", "McIlroy", "DiCaprio", "DeAndre".
_INNER_CAPITAL = re.compile(r"([A-Z][a-z]+)[A-Z]")
# What comes before the inner capital of people's names: surnames' prefixes ("McIlroy", "MacLeod",
# "DiCaprio", "LeBlanc", "FitzGerald", "VanDyke") and given names' ("DeAndre", "LaShawn", "JuJu").
_NAME_PREFIXES = frozenset("Mc Mac Di De Da Du Le La Lo Fitz Van Von Ja Ju Ke Ka Ta Ty Sha".split())


def _brand(written: str) -> bool:
    """What the model calls a person with a capital inside a word that no person's name has there
    is a company or a brand ("SpaceX", "GlaxoSmithKline", "PayPal", "DaimlerChrysler"); "McIlroy",
    "DiCaprio" and "DeAndre Hopkins" are people."""
    return any(found.group(1) not in _NAME_PREFIXES for found in map(_INNER_CAPITAL.match, written.split()) if found)


def _company(written: str) -> bool:
    """What the model calls a person whose last word makes it a company (:data:`_LEGAL_FORMS`,
    :data:`_INDUSTRIES`)."""
    words = base_name(written).replace(".", "").replace(",", "").split()
    if len(words) < 2:
        return False
    last = words[-1].lower()
    return last in _LEGAL_FORMS or (last in _INDUSTRIES and not _given_name(words[0].lower()))


# First words of places' names ("Fort Lee", "Mount Kenya", "Lake Tahoe"), with the kind of place they make.
_PLACE_FIRST_WORDS = {"fort": "GPE", "port": "GPE", "mount": "LOC", "mt": "LOC", "lake": "LOC", "cape": "LOC"}
_NATURAL_HEADS = frozenset("lake river mountain beach bay valley island islands".split())
# Last words of towns' names ("Sioux Falls", "Colorado Springs", "Shaker Heights").
_TOWN_HEADS = frozenset("falls springs heights".split())


def _place_kind(written: str) -> str | None:
    """What the model calls a person that is a place: a name ending in a place's word ("Trafalgar
    Square", "Wembley Stadium", "Lotfollah Mosque") or a town's ("Sioux Falls"), or opening with one ("Fort Lee", "Mount
    Kenya"), unless a given name opens it ("Wayne Bridge", "Barbara Castle", "Ricki Lake")."""
    words = base_name(written).replace("'s", "").split()
    if len(words) < 2 or _given_name(words[0].lower()):
        return None
    last = words[-1].lower()
    if last in PLACE_HEADS:
        return "LOC" if last in _NATURAL_HEADS else "FAC"
    if last in _TOWN_HEADS:
        return "GPE"
    return _PLACE_FIRST_WORDS.get(words[0].lower().rstrip("."))


# Numbers after a person's full name: an age, a score, a time ("Natalie Appleton,31", "Mario Ancic 6-3");
# letters and digits in one word ("G8"); an amount or a time alone ("280bn", "8:11.22").
_NUMBERS_AFTER = re.compile(r"[\s,]+\d[\d\s,:.\-]*$")
_LETTERS_AND_DIGITS = re.compile(r"[A-Za-z]\d|\d[A-Za-z]")
_AMOUNT = re.compile(r"[\d.,:]+(?:bn|m|k|s|st|nd|rd|th)?")


def _numbered(text: str, start: int, end: int) -> tuple[int, str]:
    """What the model calls a person with a number in it: a full name with an age or a score after it
    is the person ("Mario Ancic 6", "Natalie Appleton,31", "Williams 1-6,4-6"); an amount is a
    number ("280bn"); letters and digits in one word are a body ("G8", "MI6", "O2"); a name and a
    number a product or a work ("Xbox 2", "Shrek 2")."""
    written = text[start:end]
    if _AMOUNT.fullmatch(written):
        return end, "CARDINAL"
    after = _NUMBERS_AFTER.search(written)
    head = written[: after.start()].split() if after else []
    score = after is not None and ("-" in after.group() or "," in after.group())
    if (len(head) >= 2 or (head and score)) and all(w[:1].isupper() and w.replace("-", "").replace("'", "").isalpha() for w in head):
        return start + after.start(), "PERSON"
    return end, "ORG" if _LETTERS_AND_DIGITS.search(written) else "PRODUCT"


# "the" before what the model calls a person: a party, a band, a cup ("the Lib Dems"), not a cleric
# ("the Rt Rev Michael Scott-Joynt") or "the late John Peel".
_THE_NAME = re.compile(r"[Tt]he\s+(?!(?:Rt|Rev|Revd|Reverend|Hon|Honourable|Right|late|Late|Very)\b)[A-Z]")


def _uncapitalised(written: str, label: str) -> bool:
    """A span the model calls a name that has no capital letter nor digit ("metro", "mosques", "the
    west coast", "plasma screens"): English writes names with capitals, so it is none."""
    return label in NAME_LABELS and not any(ch.isupper() or ch.isdigit() for ch in written)


# A number before or after a currency's code, or both in one span ("125 DKK", "DKK 125", "MXN 250").
_NUMBER_BEFORE = re.compile(r"\d[\d,.]*\s*$")
_NUMBER_AFTER = re.compile(r"\s*\d")
_CODE_AND_NUMBER = re.compile(r"(\d[\d,.]*\s*)?([A-Z]{3})(\s*\d[\d,.]*[a-z]{0,3})?")


def _amount_currency(text: str, start: int, end: int) -> bool:
    """``DKK`` of "125 DKK", ``MXN 250``: a currency's ISO 4217 code beside a number is a sum of
    money, not an organisation (the claims table reads the amount)."""
    written = _CODE_AND_NUMBER.fullmatch(text, start, end)
    if written is None or written.group(2) not in _currency_codes():
        return False
    return bool(written.group(1) or written.group(3) or _NUMBER_BEFORE.search(text[max(0, start - 20):start])
                or _NUMBER_AFTER.match(text, end))


@lru_cache(maxsize=1)
def _currency_codes() -> frozenset[str]:
    """ISO 4217 codes (pycountry) and the ones the claims table knows (``RMB``, ``BTC``)."""
    import pycountry

    return frozenset(c.alpha_3 for c in pycountry.currencies) | ISO_CODES


# A match report's minute after a player's surname ("Goals: Drogba 107, Kezman 112", "(Morrison 75)"),
# which the model takes into one span it calls a law or a team; taken off when the word ends a person's
# full name in the article ("Mateja Kezman"; not "Halo 2" or "Shrek 2"), and not in a band's name ("the Jackson 5").
_MINUTE_AFTER = re.compile(r"^([A-Z][^\s\d]*)\s+\d{1,3}$")
_THE_BEFORE = re.compile(r"\bthe\s+$", re.IGNORECASE)


def mention_rows(doc: Doc, article_id: str, sentences: list[dict]) -> list[dict]:
    """Rows of ``entity_mentions``, each with its canonical ``entity_id`` and the sentence it starts in.

    Beside the model's entities, the other occurrences of names it found (:func:`repeated_mentions`).
    Every mention of a name carries its entity's label ("Hadid" tagged a work of art is the person's)."""
    text = text_of(doc)
    starts = [s["start_char"] for s in sentences]
    mentions: list[dict] = []
    known_ids: list[str | None] = []
    for start, end, label, known in _names_of(doc, text):
        mentions.append({"article_id": article_id, "sentence_idx": sentence_index(starts, start), "start_char": start,
                         "end_char": end, "text": text[start:end], "label": label, "entity_id": None})
        known_ids.append(known)
    resolve_mentions(mentions, known_ids, text, doc.vocab.lookups.get_table(REFERENCE_LONG_FORMS, None))
    for mention in mentions:
        kind = mention["entity_id"].partition(":")[0].upper()
        if mention["label"] in NAME_LABELS and kind in NAME_LABELS:
            mention["label"] = kind
    return mentions


def _id_spelled(entity_id: str, texts: list[str]) -> str | None:
    """The name an entity's id spells, as its mentions write it without "the" ("Tony Blair" of
    ``person:tony_blair``, though "Blair" is written more often; "Seim River" of "the Seim River"), in
    mixed case where one is; None for no name (a date) or when no mention spells it (an acronym's
    id made from its long form)."""
    kind, _, slug = entity_id.partition(":")
    if kind.upper() not in NAME_LABELS:  # "the same day" is no name
        return None
    spelled = {base_name(text) for text in texts if name_slug(base_name(text)) == slug}
    return min(spelled, key=lambda written: (written.isupper(), written.islower(), len(written), written)) if spelled else None


def entity_records(mentions: list[tuple], reference: Reference) -> list[dict]:
    """Rows of ``entities`` from mention statistics and the reference lists (the gazetteer wins; else
    the name the id spells, else the most common one).

    Args:
        mentions: ``(entity_id, most common label, most common name, names, mentions, articles,
            stories)`` per entity id, as the load stage aggregates them from ``entity_mentions``.
        reference: the gazetteer and alias lists.
    """
    aliases: dict[str, set[str]] = {}
    for alias, entity_id in reference.aliases:
        aliases.setdefault(entity_id, set()).add(alias)
    records = []
    for entity_id, label, name, texts, count, articles, stories in mentions:
        known = reference.entities.get(entity_id)
        canonical = known["canonical_name"] if known else _id_spelled(entity_id, texts) or name
        label = known["label"] if known else label
        records.append({
            "entity_id": entity_id,
            "canonical_name": canonical,
            "label": label,
            "iso_code": iso_code_for(canonical, label, known["iso_code"] if known else None),
            "aliases": sorted(set(texts) | aliases.get(entity_id, set())),
            "mentions": count,
            "articles": articles,
            "stories": stories,
        })
    return records
