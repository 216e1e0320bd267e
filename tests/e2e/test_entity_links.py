"""Entities across articles: surnames and defined acronyms take the one full name's id, run by run."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from pipeline.run import run_pipeline

pytestmark = pytest.mark.e2e

FULL = """Velmora Flood Relief Agency opens shelters as the Ostra floods the old town

The Velmora Flood Relief Agency (VFRA) opened three shelters on Tuesday after the river Ostra
flooded the old town of Velmora, forcing hundreds of residents from their homes.

Mayor Odile Brankovic said the embankment near the Saint Ivo bridge had failed overnight.
Engineer Tomas Vrell, who inspected the embankment in May, said its concrete had cracked.
"""

SHORT = """Velmora shelters fill as Ostra flood waters rise again

Shelters run by the VFRA in Velmora were full on Wednesday as the Ostra flood rose again in the
old town, the agency said. Brankovic told reporters that more boats were on their way.
Vrell said the embankment near the Saint Ivo bridge could not be repaired before the summer.
"""

LATER = """Velmora council debates embankment repairs

Brankovic told the Velmora council on Monday that the embankment must be rebuilt before winter.
Councillors also discussed road repairs, school meals and the library budget for next year.
"""


def _ids(db: Path, text: str) -> set[str]:
    with duckdb.connect(str(db), read_only=True) as con:
        return {i for (i,) in con.execute("SELECT DISTINCT entity_id FROM entity_mentions WHERE text = $t", {"t": text}).fetchall()}


def test_short_forms_take_the_full_names_id_across_articles(settings, seeds_dir) -> None:
    batch = seeds_dir / "velmora"
    batch.mkdir()
    (batch / "full.txt").write_text(FULL, encoding="utf-8")
    (batch / "short.txt").write_text(SHORT, encoding="utf-8")
    run_pipeline(settings, "test__velmora")
    db = settings.db_path
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(DISTINCT story_id) FROM articles WHERE batch_id = 'velmora'").fetchone()[0] == 1
    assert _ids(db, "Brankovic") == _ids(db, "Odile Brankovic") == {"person:odile_brankovic"}
    assert _ids(db, "Vrell") == _ids(db, "Tomas Vrell") == {"person:tomas_vrell"}
    # the acronym, defined after the agency's name in one article, means the agency in the other too
    assert _ids(db, "VFRA") == _ids(db, "The Velmora Flood Relief Agency") and len(_ids(db, "VFRA")) == 1
    with duckdb.connect(str(db), read_only=True) as con:
        aliases, stories = con.execute("SELECT aliases, stories FROM entities WHERE entity_id = 'person:odile_brankovic'").fetchone()
        assert {"Brankovic", "Odile Brankovic"} <= set(aliases) and stories == 1
        speakers = {i for (i,) in con.execute("SELECT speaker_entity_id FROM quotes q JOIN articles a USING (article_id) "
                                                  "WHERE a.source_path = 'velmora/short.txt' AND speaker = 'Brankovic'").fetchall()}
        assert speakers == {"person:odile_brankovic"}  # quotes follow their mentions
        # the gazetteer stays the override, and the seeds keep their ids
        assert con.execute("SELECT count(*) FROM entity_mentions WHERE text = 'Putin' AND entity_id <> 'person:vladimir_putin'").fetchone()[0] == 0

    (seeds_dir / "later.txt").write_text(LATER, encoding="utf-8")  # a later run, another story: the warehouse decides
    run_pipeline(settings, "test__later")
    with duckdb.connect(str(db), read_only=True) as con:
        later = con.execute("SELECT entity_id FROM entity_mentions m JOIN articles a USING (article_id) "
                            "WHERE a.source_path = 'later.txt' AND m.text = 'Brankovic' AND m.label = 'PERSON'").fetchall()
    assert later == [("person:odile_brankovic",)]


def test_a_surname_two_people_share_is_not_guessed(settings, seeds_dir) -> None:
    batch = seeds_dir / "two-brankovics"
    batch.mkdir()
    (batch / "a.txt").write_text(FULL.replace("Engineer Tomas Vrell", "Her brother Marko Brankovic"), encoding="utf-8")
    (batch / "b.txt").write_text(SHORT, encoding="utf-8")
    run_pipeline(settings, "test__two")
    assert "person:brankovic" in _ids(settings.db_path, "Brankovic")  # two candidates: the short form keeps its own id
