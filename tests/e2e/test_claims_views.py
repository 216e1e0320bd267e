"""Claims in the warehouse: the same figure across the outlets of a story, the largest per unit,
changes, and a bare dollar read by the outlet's country (real pipeline, real DuckDB)."""

from __future__ import annotations

import pytest

from pipeline.run import run_pipeline
from tests.utils import rows

pytestmark = pytest.mark.e2e

STORY = (
    "Flood damage in the river valley\n\n"
    "Floods swept through the river valley on Monday after three days of heavy rain, officials said. "
    "Rescue teams evacuated {people} residents from villages along the river, and the regional governor "
    "said repairs to roads and bridges would cost $40 million. Water levels fell from 9.5 metres to 7 metres "
    "overnight, and power was restored to most homes by the evening. Farmers said the harvest was lost "
    "across the valley, where the river burst its banks in several places. The governor asked the "
    "national government for emergency help and said schools would stay closed until Friday."
)


def test_claims_views_compare_outlets_and_rank_figures(settings, seeds_dir) -> None:
    batch = seeds_dir / "floods"
    batch.mkdir()
    (batch / "herald.txt").write_text(STORY.format(people="1,200"), encoding="utf-8")
    (batch / "courier.txt").write_text(STORY.format(people="about 1,500"), encoding="utf-8")
    (batch / "manifest.csv").write_text(
        "file,url,outlet,published_at,title\n"
        "herald.txt,https://www.herald.example.com/floods,Herald,2024-08-05,\n"
        "courier.txt,https://www.courier.example.com.au/floods,Courier,2024-08-05,\n",
        encoding="utf-8",
    )
    run_pipeline(settings, "test__claims")
    db = settings.db_path
    across = rows(db, "SELECT outlets, lowest, highest, as_reported FROM v_claims_across_outlets "
                      "WHERE unit = 'count' AND counted = 'residents'")
    assert len(across) == 1
    outlets, lowest, highest, reported = across[0]
    assert (outlets, lowest, highest) == (2, 1200, 1500)
    assert sorted(reported) == ["Courier: about 1,500 residents", "Herald: 1,200 residents"]
    # a bare "$" is the Australian dollar for an Australian outlet
    assert sorted(rows(db, "SELECT a.outlet, c.unit FROM claims c JOIN articles a USING (article_id) WHERE c.text = '$40 million'")) == [
        ("Courier", "AUD"), ("Herald", "USD")]
    changes = rows(db, "SELECT DISTINCT value, change, direction FROM claims WHERE unit = 'm' ORDER BY value")
    assert changes == [(7.0, "to", "down"), (9.5, "from", "down")]
    largest = rows(db, "SELECT rank, coalesce(value_high, value) FROM v_largest_claims WHERE unit = 'count' ORDER BY rank")
    assert [r[0] for r in largest] == [1, 2, 3, 4, 5]  # the seeds' 60,000-70,000 troops come first
    assert [r[1] for r in largest] == sorted((r[1] for r in largest), reverse=True) and largest[0][1] == 70000
