"""Stories across outlets, run by run: real spaCy, Great Expectations and DuckDB on temporary folders."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from pipeline.run import run_pipeline

pytestmark = pytest.mark.e2e

FLOOD_A = """Velmora flood forces hundreds from their homes

The river Ostra burst its banks in Velmora on Tuesday night, flooding the old town and forcing
more than 600 residents to leave their homes, the regional water authority said.

Mayor Odile Brankovic said the embankment built in 1998 had failed near the Saint Ivo bridge.
"We have never seen the Ostra rise this fast," Brankovic told reporters at the town hall.

Rescue crews from Tarsin and Mirovac used boats to reach families trapped on upper floors of
flooded houses. The Velmora hospital moved patients from its ground floor as a precaution.
"""

FLOOD_B = """Ostra river floods Velmora old town; mayor blames failed embankment

Hundreds of people were evacuated from Velmora after the Ostra river broke through an
embankment overnight and flooded the old town, emergency services said on Wednesday.

Odile Brankovic, the mayor of Velmora, said the embankment near the Saint Ivo bridge gave way.
Brankovic said boats from Tarsin and Mirovac had rescued families from flooded houses, and the
hospital had moved patients upstairs. Forecasters expect the Ostra to fall by the weekend.
"""


def _write_flood_batch(seeds: Path) -> None:
    batch = seeds / "velmora-flood"
    batch.mkdir()
    (batch / "daily.txt").write_text(FLOOD_A, encoding="utf-8")
    (batch / "herald.txt").write_text(FLOOD_B, encoding="utf-8")
    (batch / "manifest.csv").write_text(
        "file,url,outlet,published_at,title\n"
        "daily.txt,https://daily.example/velmora,Velmora Daily,2025-03-04T08:00:00Z,\n"
        "herald.txt,https://herald.example/flood,Ostra Herald,2025-03-05T10:30:00Z,\n",
        encoding="utf-8",
    )


def _stories(db: Path) -> dict[str, str]:
    with duckdb.connect(str(db), read_only=True) as con:
        return dict(con.execute("SELECT source_path, story_id FROM articles").fetchall())


def _state_is_consistent(db: Path) -> None:
    """The kept story state adds up: every article has one vector in its story, and document
    frequencies count each article's terms once (so edits and later runs keep them exact)."""
    with duckdb.connect(str(db), read_only=True) as con:
        one = lambda sql: con.execute(sql).fetchone()[0]  # noqa: E731
        assert one("SELECT count(*) FROM articles") == one("SELECT count(*) FROM story_vectors")
        assert one("SELECT count(*) FROM articles a JOIN story_vectors v USING (article_id, story_id)") == one("SELECT count(*) FROM articles")
        assert one("SELECT sum(df) FROM story_term_df") == one("SELECT sum(len(terms)) FROM story_vectors")
        assert one("SELECT count(*) FROM story_centroids") == one("SELECT count(DISTINCT story_id) FROM articles") == one("SELECT count(*) FROM stories")
        assert one("SELECT sum(n_articles) FROM story_centroids") == one("SELECT sum(articles) FROM stories") == one("SELECT count(*) FROM articles")


def test_the_seed_story_and_a_new_story_across_runs_and_an_edit(settings, seeds_dir) -> None:
    run_pipeline(settings, "test__seeds")
    first = _stories(settings.db_path)
    assert len(first) == 5 and len(set(first.values())) == 1, first  # the five seed articles: one story (Kursk)
    (kursk,) = set(first.values())
    with duckdb.connect(str(settings.db_path), read_only=True) as con:
        label, n, outlets, top = con.execute("SELECT label, articles, outlets, top_entities FROM stories").fetchone()
    assert n == 5 and outlets == 1 and "Vladimir Putin" in top and label
    _state_is_consistent(settings.db_path)

    _write_flood_batch(seeds_dir)
    run_pipeline(settings, "test__flood")
    second = _stories(settings.db_path)
    assert {p: s for p, s in second.items() if p in first} == first  # earlier articles keep their story
    flood = {second["velmora-flood/daily.txt"], second["velmora-flood/herald.txt"]}
    assert len(flood) == 1 and kursk not in flood  # two write-ups of the flood: one new story
    with duckdb.connect(str(settings.db_path), read_only=True) as con:
        story = con.execute("SELECT label, first_published, last_published, articles, outlets, outlet_names FROM stories "
                            "WHERE story_id = $s", {"s": flood.pop()}).fetchone()
        coverage = con.execute("SELECT outlet, CAST(day AS VARCHAR), articles FROM v_story_coverage WHERE label = $l ORDER BY day",
                               {"l": story[0]}).fetchall()
    assert story[0] == "Velmora flood forces hundreds from their homes"  # the first report's headline
    assert (story[1].isoformat()[:10], story[2].isoformat()[:10], story[3], story[4]) == ("2025-03-04", "2025-03-05", 2, 2)
    assert story[5] == ["Ostra Herald", "Velmora Daily"]
    assert coverage == [("Velmora Daily", "2025-03-04", 1), ("Ostra Herald", "2025-03-05", 1)]
    _state_is_consistent(settings.db_path)

    edited = sorted(seeds_dir.glob("*.txt"))[0]
    edited.write_text(edited.read_text(encoding="utf-8") + "\nKyiv said its forces were still advancing in Kursk.\n", encoding="utf-8")
    run_pipeline(settings, "test__edit")
    third = _stories(settings.db_path)
    assert third == second  # the edited article left its story and came back to it; no one else moved
    _state_is_consistent(settings.db_path)
    run_pipeline(settings, "test__nothing_new")
    assert _stories(settings.db_path) == third


def test_the_readme_story_queries_run_and_answer(settings, seeds_dir) -> None:
    import re

    from tests.conftest import PROJECT

    _write_flood_batch(seeds_dir)
    run_pipeline(settings, "test__readme")
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Stories") : readme.index("**Scored**")]
    coverage, quoted = re.findall(r"```sql\n(.*?)```", section, re.S)
    with duckdb.connect(str(settings.db_path), read_only=True) as con:
        rows = con.execute(coverage).fetchall()
        assert {r[1] for r in rows} == {"loose"} and sum(r[3] for r in rows) == 5  # the largest story: the seeds
        speakers = con.execute(quoted).fetchall()
    by_name = {(label, speaker): outlets for label, speaker, outlets, _ in speakers}
    assert by_name[("Velmora flood forces hundreds from their homes", "Odile Brankovic")] == 2, speakers
