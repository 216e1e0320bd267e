"""Entities across articles: a short form takes the id of the one full name it can stand for.

In enrich each article is resolved on its own (:func:`pipeline.nlp.entities.resolve_mentions`:
the gazetteer, a surname after the full name, an acronym defined in the text). Here, in load,
before the commit, the run's mentions whose id was made from the one-word name itself (not from
the gazetteer, not linked in their article) are looked up across articles:

* a one-word PERSON name ("Netanyahu") takes the id of the one person whose full name ends in
  that word ("Benjamin Netanyahu");
* any other one-word form ("VFRA") takes the id of the one entity of the same type that the same
  form was resolved to in another article (where the text defined it: "the Velmora Flood Relief
  Agency (VFRA)").

Candidates are looked for among the articles of the same story (this run's and the warehouse's),
and only when the story has none, in the whole warehouse; a single candidate is taken, never a
guess among several. Names the gazetteer knows are never re-linked. Rows that earlier runs loaded
keep their ids (the lake holds them as loaded); quotes and citations follow their mentions.

Then a name keeps one label across its story (:func:`unify_labels`): where one article's model
calls ``Yukos`` a person and the story's other articles mostly an organisation, the run's
``person:yukos`` mentions become ``org:yukos``, as one article's mentions already take the label most
of them carry.
"""

from __future__ import annotations

import logging
from collections import Counter

import duckdb
import pyarrow as pa

from pipeline.nlp.names import entity_key, name_of
from pipeline.store.fs import location, read_table
from pipeline.store.staging import write_atomically

log = logging.getLogger(__name__)
NAME_LABELS = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW"}  # not dates or numbers
LINKED_COLUMNS = {"entity_mentions": "entity_id", "quotes": "speaker_entity_id", "citations": "source_entity_id"}
Candidates = dict[tuple[str, str, str | None], set[str]]


def _forms(label: str, text: str, entity_id: str) -> list[str]:
    """The short forms a mention can stand behind: a person's surname, or a name resolved to another id."""
    name = name_of(text)
    words = name.split()
    forms = [words[-1]] if label == "PERSON" and len(words) > 1 else []
    if len(words) == 1 and entity_id != entity_key(text, label):
        forms.append(name)
    return forms


def _is_short(row: dict, known: set[str]) -> bool:
    return (row["label"] in NAME_LABELS and row["entity_id"] not in known and row["entity_id"] == entity_key(row["text"], row["label"])
            and len(name_of(row["text"]).split()) == 1)


def _add(candidates: Candidates, label: str, form: str, entity_id: str, story_id: str | None) -> None:
    for key in ((label, form, story_id), (label, form, None)):
        candidates.setdefault(key, set()).add(entity_id)


def _warehouse_rows(con: duckdb.DuckDBPyConnection, forms: list[str]) -> list[tuple]:
    """(label, text, entity_id, story_id) of loaded mentions that may stand behind these forms."""
    if not forms:
        return []
    return con.execute(
        "SELECT DISTINCT m.label, m.text, m.entity_id, a.story_id FROM entity_mentions m JOIN articles a USING (article_id) "
        "WHERE regexp_extract(regexp_replace(trim(m.text), '[’'']s?$', ''), '(\\S+)$', 1) IN (SELECT unnest($forms))",
        {"forms": forms},
    ).fetchall()


def link_run(con: duckdb.DuckDBPyConnection, final: dict[str, list[str]], story_of: dict[str, str], known: set[str]) -> int:
    """Re-link the run's short forms across articles and rewrite its final Parquet; returns mentions re-linked."""
    rows = read_table(final["entity_mentions"], columns=["article_id", "text", "label", "entity_id"]).to_pylist()
    short = [r for r in rows if _is_short(r, known)]
    if not short:
        return 0
    links = _links(short, _candidates(con, rows, short, story_of), story_of)
    if links:
        _rewrite(final, links)
    log.info("entities: %d short names linked across articles (%d kept their own id: none or several candidates)",
             len(links), len({(r["article_id"], r["entity_id"]) for r in short}) - len(links))
    return len(links)


# The share of a story's mentions of a name one label must hold to be that name's label in the story.
LABEL_MAJORITY = 2 / 3


def unify_labels(con: duckdb.DuckDBPyConnection, final: dict[str, list[str]], story_of: dict[str, str], known: set[str]) -> int:
    """Give the run's mentions of a name the label most of its story's mentions carry; returns the
    (article, id) pairs changed.

    Ids made from a name (``label:name``, not the gazetteer's) that differ only in the label are one
    name; where one label holds at least :data:`LABEL_MAJORITY` of the story's mentions (this run's
    and the warehouse's other articles), the run's mentions under another label take its id and label.
    A story with no clear majority (``Liverpool`` the city and the club) keeps both.
    """
    rows = read_table(final["entity_mentions"], columns=["article_id", "entity_id"]).to_pylist()
    made = [(r["article_id"], r["entity_id"]) for r in rows if r["entity_id"] not in known and _kind(r["entity_id"]) in NAME_KINDS]
    if not made:
        return 0
    counts = _label_counts(con, made, story_of, known)
    links = {}
    for article_id, entity_id in set(made):
        kinds = counts.get((story_of.get(article_id), _slug(entity_id)))
        kind, n = kinds.most_common(1)[0] if kinds else (None, 0)
        if kind not in (None, _kind(entity_id)) and n >= LABEL_MAJORITY * sum(kinds.values()):
            links[(article_id, entity_id)] = f"{kind}:{_slug(entity_id)}"
    if links:
        _rewrite(final, links)
    log.info("entities: %d names given the label most of their story's mentions carry", len(links))
    return len(links)


def _label_counts(con: duckdb.DuckDBPyConnection, made: list[tuple[str, str]], story_of: dict[str, str],
                  known: set[str]) -> dict[tuple[str, str], Counter]:
    """``(story, name)`` → mentions per label: the run's and the warehouse's other articles in the story."""
    counts: dict[tuple[str, str], Counter] = {}
    for article_id, entity_id in made:
        if story_of.get(article_id) is not None:
            counts.setdefault((story_of[article_id], _slug(entity_id)), Counter())[_kind(entity_id)] += 1
    for story, entity_id, n in _story_ids(con, story_of, {slug for _, slug in counts}, {a for a, _ in made}):
        key = (story, _slug(entity_id))
        if _kind(entity_id) in NAME_KINDS and entity_id not in known and key in counts:
            counts[key][_kind(entity_id)] += n
    return counts


def _slug(entity_id: str) -> str:
    return entity_id.partition(":")[2]


NAME_KINDS = {label.lower() for label in NAME_LABELS}


def _kind(entity_id: str) -> str:
    return entity_id.partition(":")[0]


def _story_ids(con: duckdb.DuckDBPyConnection, story_of: dict[str, str], slugs: set[str], run_articles: set[str]) -> list[tuple]:
    """(story_id, entity_id, mentions) of the warehouse's other articles in the run's stories, for these names."""
    stories = sorted({s for s in story_of.values() if s is not None})
    if not stories or not slugs:
        return []
    return con.execute(
        "SELECT a.story_id, m.entity_id, count(*) FROM entity_mentions m JOIN articles a USING (article_id) "
        "WHERE a.story_id IN (SELECT unnest($stories)) AND m.article_id NOT IN (SELECT unnest($articles)) "
        "AND split_part(m.entity_id, ':', 2) IN (SELECT unnest($slugs)) GROUP BY ALL",
        {"stories": stories, "articles": sorted(run_articles), "slugs": sorted(slugs)},
    ).fetchall()


def _candidates(con: duckdb.DuckDBPyConnection, rows: list[dict], short: list[dict], story_of: dict[str, str]) -> Candidates:
    """The ids the short forms could stand for: loaded mentions of the warehouse and this run's own."""
    candidates: Candidates = {}
    for label, text, entity_id, story_id in _warehouse_rows(con, sorted({name_of(r["text"]) for r in short})):
        for form in _forms(label, text, entity_id):
            _add(candidates, label, form, entity_id, story_id)
    for r in rows:
        for form in _forms(r["label"], r["text"], r["entity_id"]):
            _add(candidates, r["label"], form, r["entity_id"], story_of.get(r["article_id"]))
    return candidates


def _links(short: list[dict], candidates: Candidates, story_of: dict[str, str]) -> dict[tuple[str, str], str]:
    """``(article_id, entity_id)`` → the one id a short form stands for: in its story first, else anywhere."""
    links: dict[tuple[str, str], str] = {}
    for r in short:
        key = (r["label"], name_of(r["text"]))
        in_story = candidates.get((*key, story_of.get(r["article_id"])), set()) - {r["entity_id"]}
        found = in_story or candidates.get((*key, None), set()) - {r["entity_id"]}
        if len(found) == 1:
            links[(r["article_id"], r["entity_id"])] = next(iter(found))
    return links


def _rewrite(final: dict[str, list[str]], links: dict[tuple[str, str], str]) -> None:
    """Put the new ids in every table that holds entity ids; a mention whose id changes kind takes that label."""
    for table, column in LINKED_COLUMNS.items():
        for path in final[table]:
            data = read_table(path)
            articles, ids = data.column("article_id").to_pylist(), data.column(column).to_pylist()
            linked = [links.get((a, i), i) for a, i in zip(articles, ids)]
            if linked != ids:
                data = data.set_column(data.schema.get_field_index(column), column, pa.array(linked, data.schema.field(column).type))
                if table == "entity_mentions":
                    data = _relabelled(data, ids, linked)
                write_atomically(data, location(path))


def _relabelled(data: pa.Table, ids: list, linked: list) -> pa.Table:
    """A name's mention whose id changed kind takes the new kind as its label (as in one article:
    label and id agree); a date or a number the model ran into a name keeps its own label."""
    labels = data.column("label").to_pylist()
    new = [_kind(n).upper() if n != i and _kind(n) != _kind(i) and label in NAME_LABELS else label
           for label, i, n in zip(labels, ids, linked)]
    return data.set_column(data.schema.get_field_index("label"), "label", pa.array(new, data.schema.field("label").type))
