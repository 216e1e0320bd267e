"""A name keeps one label across its story: the run's mentions take the label most of the story gives it."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.config import SQL_DIR
from pipeline.store.db import apply_sql
from pipeline.store.entity_links import unify_labels

LOADED = [  # (article, story, entity ids of its mentions) already in the warehouse
    ("a1", "s1", ["org:yukos", "org:yukos", "org:yukos", "gpe:liverpool"]),
    ("a2", "s1", ["org:yukos", "org:yukos", "org:yukos", "org:liverpool"]),
    ("a9", "s2", ["person:yukos"] * 5),  # another story: it does not vote in s1
]


def _warehouse(path: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(path))
    apply_sql(con, SQL_DIR / "schema.sql")
    for article_id, story, ids in LOADED:
        con.execute("INSERT INTO articles (article_id, batch_id, source_path, body, story_id) VALUES (?, 'b', ?, 'x', ?)",
                    [article_id, f"{article_id}.txt", story])
        for n, entity_id in enumerate(ids):
            con.execute("INSERT INTO entity_mentions VALUES (?, 0, ?, ?, ?, ?, ?)",
                        [article_id, n, n + 1, entity_id.split(":")[1].title(), entity_id.split(":")[0].upper(), entity_id])
    return con


def _final(folder: Path) -> dict[str, list[str]]:
    """The run's staged tables: article a3 of story s1 calls Yukos a person, Liverpool a person too."""
    mentions = pa.table({
        "article_id": ["a3"] * 4,
        "text": ["Yukos", "Yukos", "Liverpool", "' Yukos"],
        "label": ["PERSON", "PERSON", "PERSON", "DATE"],  # the model's "' Yukos" date took the name's id
        "entity_id": ["person:yukos", "person:yukos", "person:liverpool", "person:yukos"],
    })
    quotes = pa.table({"article_id": ["a3"], "speaker_entity_id": ["person:yukos"]})
    citations = pa.table({"article_id": ["a3"], "source_entity_id": ["person:yukos"]})
    final = {}
    for name, table in (("entity_mentions", mentions), ("quotes", quotes), ("citations", citations)):
        path = folder / f"{name}.parquet"
        pq.write_table(table, path)
        final[name] = [str(path)]
    return final


def test_a_name_takes_the_label_most_of_its_story_gives_it(tmp_path) -> None:
    con = _warehouse(tmp_path / "news.duckdb")
    final = _final(tmp_path)
    changed = unify_labels(con, final, {"a3": "s1"}, known=set())
    mentions = pq.read_table(final["entity_mentions"][0]).to_pylist()
    # the story's other articles call Yukos an organisation six times, a3 a person three times: 6 of 9
    assert [(m["entity_id"], m["label"]) for m in mentions if m["text"] == "Yukos"] == [("org:yukos", "ORG")] * 2
    # a date the model ran into the name follows the id but keeps its label
    assert [(m["entity_id"], m["label"]) for m in mentions if m["text"] == "' Yukos"] == [("org:yukos", "DATE")]
    # Liverpool is a place once, a club once, a person once: no label holds two thirds, nothing changes
    assert [m["entity_id"] for m in mentions if m["text"] == "Liverpool"] == ["person:liverpool"]
    # quotes and citations follow their mentions
    assert pq.read_table(final["quotes"][0]).column("speaker_entity_id").to_pylist() == ["org:yukos"]
    assert pq.read_table(final["citations"][0]).column("source_entity_id").to_pylist() == ["org:yukos"]
    assert changed == 1  # one (article, id) pair


def test_the_reference_lists_ids_are_never_relabelled(tmp_path) -> None:
    con = _warehouse(tmp_path / "news.duckdb")
    final = _final(tmp_path)
    # were "person:yukos" a gazetteer id, the story's organisations would not outvote it
    assert unify_labels(con, final, {"a3": "s1"}, known={"person:yukos"}) == 0


def test_without_other_articles_in_the_story_the_article_s_own_label_stays(tmp_path) -> None:
    con = _warehouse(tmp_path / "news.duckdb")
    final = _final(tmp_path)
    assert unify_labels(con, final, {"a3": "s3"}, known=set()) == 0
    assert pq.read_table(final["entity_mentions"][0]).column("entity_id").to_pylist()[0] == "person:yukos"
