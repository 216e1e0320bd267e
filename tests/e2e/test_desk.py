"""The news desk on a real warehouse (the seeds, loaded by the real pipeline), through its HTTP app."""

from __future__ import annotations

import pytest
from fastapi import Header, HTTPException
from fastapi.testclient import TestClient

HOSTILE = (
    "Clinic keeps its doors open\n\n"
    'Anna Lenz, the director of the Kursk regional clinic, said: "We will keep <script>alert(1)</script> the clinic '
    'open all winter, whatever the shelling does to the roads."\n\n'
    "The clinic serves about 4,000 families from the villages along the border and has stayed open through the war.\n"
)


def _login(x_test_user: str | None = Header(default=None)) -> str:
    """Stands in for Airflow's login check: a request without the header is refused."""
    if not x_test_user:
        raise HTTPException(401, "Not authenticated")
    return x_test_user


@pytest.fixture(scope="module")
def desk(tmp_path_factory):
    import shutil

    from pipeline.config import load_settings
    from pipeline.desk.app import create_app
    from pipeline.run import run_pipeline
    from tests.conftest import SEEDS

    root = tmp_path_factory.mktemp("desk")
    shutil.copytree(SEEDS, root / "seeds")
    (root / "seeds" / "zz_hostile.txt").write_text(HOSTILE, encoding="utf-8")
    (root / "seeds" / "empty.txt").write_text("", encoding="utf-8")
    settings = load_settings().with_dirs(root / "seeds", root / "warehouse")
    run_pipeline(settings, "test__desk")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PIPELINE_SEEDS_DIR", str(root / "seeds"))
        patch.setenv("PIPELINE_WAREHOUSE_DIR", str(root / "warehouse"))
        yield TestClient(create_app(_login), headers={"X-Test-User": "analyst"}), settings


def test_every_page_and_api_needs_a_login(desk) -> None:
    client, _ = desk
    anonymous = TestClient(client.app)
    for path in ["/", "/stories/x", "/search?q=Kursk", "/runs", "/api/coverage", "/static/desk.js", "/reports/x.html"]:
        response = anonymous.get(path)
        assert response.status_code == 401, path
        assert "Kursk" not in response.text


def test_airflow_login_check_refuses_a_request_without_a_session(desk) -> None:
    from airflow.api_fastapi.core_api.security import get_user

    from pipeline.desk.app import create_app

    response = TestClient(create_app(get_user)).get("/")
    assert response.status_code == 401
    assert "Kursk" not in response.text


def test_stories_page_lists_the_seed_story_with_a_chart(desk) -> None:
    client, _ = desk
    page = client.get("/")
    assert page.status_code == 200
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert "Kursk" in page.text and 'data-chart="coverage"' in page.text
    chart = client.get("/api/coverage").json()
    assert chart["days"] and sum(sum(s["data"]) for s in chart["series"]) == 6
    assert client.get("/static/echarts/echarts.common.min.js").status_code == 200
    assert client.get("/static/../app.py").status_code == 404


def test_story_page_highlights_quotes_in_their_sentence_and_escapes_text(desk) -> None:
    import duckdb

    client, settings = desk
    with duckdb.connect(str(settings.db_path), read_only=True) as con:
        kursk, = con.execute(
            "SELECT story_id FROM articles WHERE source_path LIKE '000_%'"
        ).fetchone()
        hostile, = con.execute("SELECT story_id FROM articles WHERE source_path = 'zz_hostile.txt'").fetchone()
    page = client.get(f"/stories/{kursk}")
    assert page.status_code == 200
    assert '<mark class="quote">' in page.text and "Dmitry Oreshkin" in page.text
    assert client.get(f"/api/stories/{kursk}/timeline").json()["dates"]
    hostile_page = client.get(f"/stories/{hostile}").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in hostile_page
    assert "<script>alert" not in hostile_page
    assert client.get("/stories/no-such-story").status_code == 404


def test_search_shows_hits_in_context(desk) -> None:
    client, _ = desk
    page = client.get("/search", params={"q": "nuclear power plant"})
    assert page.status_code == 200
    assert "<mark>" in page.text and "articles for" in page.text
    assert "0 articles" not in page.text


def test_runs_page_names_quarantined_files_and_links_the_report(desk) -> None:
    client, _ = desk
    page = client.get("/runs").text
    assert "test__desk" in page
    assert "empty.txt" in page and "quarantined" in page
    link = page.split('href="/reports/')[1].split('"')[0] if 'href="/reports/' in page else None
    assert link is not None, "no validation report link"
    report = client.get(f"/reports/{link}")
    assert report.status_code == 200 and "Validation report" in report.text


def test_run_log_and_validation_results_keep_the_history_of_runs(desk) -> None:
    import duckdb

    _, settings = desk
    with duckdb.connect(str(settings.db_path), read_only=True) as con:
        run = con.execute("SELECT files, loaded, quarantined FROM run_log WHERE run_id = 'test__desk'").fetchone()
        assert run == (7, 6, 1)
        results = con.execute(
            "SELECT table_name, count(*), bool_and(success) FROM validation_results WHERE run_id = 'test__desk' GROUP BY 1 ORDER BY 1"
        ).fetchall()
    tables = {table for table, _, _ in results}
    assert {"articles", "quotes", "claims", "timeline"} <= tables
    assert all(n >= 1 for _, n, _ in results)
    assert all(ok for _, _, ok in results)


def test_interactive_sql_shell_is_read_only(desk, tmp_path) -> None:
    import subprocess
    import sys

    from tests.conftest import PROJECT

    _, settings = desk
    target = tmp_path / "out.csv"
    script = (
        "SELECT count(*) AS n_articles\nFROM articles;\n"
        f"COPY (SELECT 1) TO '{target}';\n"
        "DELETE FROM articles;\n"
        ".tables\n"
        "SELECT 40 + 2 AS answer;\n"
    )
    done = subprocess.run(
        [sys.executable, "-m", "pipeline", "shell", "--warehouse", str(settings.warehouse_dir)],
        input=script, capture_output=True, text=True, cwd=PROJECT, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "n_articles" in out and "6" in out
    assert out.count("error:") == 2 and not target.exists()
    assert "validation_results" in out and "v_story_coverage" in out
    assert "42" in out


def test_airflow_loads_the_desk_plugin_with_a_navigation_entry() -> None:
    from importlib.metadata import entry_points

    from airflow import plugins_manager

    assert [e.value for e in entry_points(group="airflow.plugins") if e.name == "news_desk"] == ["pipeline.desk.plugin:NewsDeskPlugin"]
    apps, _ = plugins_manager.get_fastapi_plugins()
    assert [a["url_prefix"] for a in apps if a["name"] == "News desk"] == ["/desk"]
    desk = [p for p in plugins_manager.get_plugin_info() if p["name"] == "news_desk"]  # what the UI's plugins API serves
    assert [(v["name"], v["href"], v["destination"]) for v in desk[0]["external_views"]] == [("News desk", "/desk/", "nav")]


def test_the_desk_needs_nothing_from_the_internet(desk) -> None:
    import re

    client, settings = desk
    pages = [client.get(path).text for path in ["/", "/search?q=Kursk", "/runs"]]
    pages.append(client.get("/static/desk.js").text)
    for page in pages:
        assert not re.search(r"""(src|href)=["']?(https?:)?//""", page), "a page loads something from another host"
        assert "fetch(\"http" not in page and "fetch('http" not in page
