"""The news desk's web app: HTML pages and the JSON its charts read, all behind one login check.

``create_app(authenticate)`` takes the dependency that decides who may see the desk; the Airflow
plugin passes Airflow's own (a session cookie or a bearer token from Airflow's login), so a
request without one gets 401 and no data. Pages are rendered by Jinja2 with autoescaping (article
text is hostile: a quote holding ``<script>`` shows as text) and sent with a Content-Security-Policy
that allows only the desk's own scripts.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from pathlib import Path

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from pipeline.config import load_settings
from pipeline.desk import queries
from pipeline.store.staging import run_key

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'self'"
)
REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'"
STATIC_TYPES = {".js": "text/javascript", ".css": "text/css"}
REPORT_NAME = re.compile(r"^validation-[A-Za-z0-9_.-]+\.html$")

_templates = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(default=True))


@contextmanager
def _warehouse():
    """A read-only connection to the readers' copy; None when nothing has been loaded yet."""
    from pipeline.store.db import connect_reader

    settings = load_settings()
    try:
        con = connect_reader(settings.db_path, settings.reader_db_path)
    except FileNotFoundError:
        yield None
        return
    try:
        yield con
    finally:
        con.close()


NOT_LOADED = "The warehouse is empty: run the pipeline (the news_pipeline DAG or `make run`) first."


def _page(request: Request, template: str, **values) -> HTMLResponse:
    root = request.scope.get("root_path", "").rstrip("/")
    html = _templates.get_template(template).render(root=root, **values)
    return HTMLResponse(html, headers={"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff"})


def _report_for(run_id: str) -> str | None:
    """The file name of a run's validation report under ``warehouse/reports/``, if it is there."""
    reports = Path(str(load_settings().reports_dir))
    name = f"validation-{run_key(run_id)}.html"
    return name if (reports / name).is_file() else None


router = APIRouter()


@router.get("/", response_class=HTMLResponse)
def stories_page(request: Request):
    with _warehouse() as con:
        if con is None:
            return _page(request, "stories.html", stories=[], missing=NOT_LOADED)
        return _page(request, "stories.html", stories=queries.stories(con))


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story_page(request: Request, story_id: str):
    with _warehouse() as con:
        found = queries.story(con, story_id) if con is not None else None
        if found is None:
            raise HTTPException(404, f"no story {story_id!r}")
        return _page(
            request, "story.html", story=found, speakers=queries.top_speakers(con, story_id),
            citations=queries.citations(con, story_id), claims=queries.claims(con, story_id),
        )


@router.get("/search", response_class=HTMLResponse)
def search_page(request: Request, q: str = ""):
    with _warehouse() as con:
        hits = queries.search(con, q) if con is not None and q else []
        return _page(request, "search.html", query=q, hits=hits, missing=NOT_LOADED if con is None else None)


@router.get("/runs", response_class=HTMLResponse)
def runs_page(request: Request):
    with _warehouse() as con:
        found = queries.runs(con) if con is not None else []
    for run in found:
        run["report"] = _report_for(run["run_id"])
    return _page(request, "runs.html", runs=found, missing=NOT_LOADED if not found else None)


@router.get("/api/coverage")
def coverage_all():
    with _warehouse() as con:
        return JSONResponse(queries.coverage_chart(con) if con is not None else {"days": [], "series": []})


@router.get("/api/stories/{story_id}/coverage")
def coverage_story(story_id: str):
    with _warehouse() as con:
        return JSONResponse(queries.coverage_chart(con, story_id) if con is not None else {"days": [], "series": []})


@router.get("/api/stories/{story_id}/timeline")
def timeline_story(story_id: str):
    with _warehouse() as con:
        return JSONResponse(queries.timeline_chart(con, story_id) if con is not None else {"dates": [], "counts": [], "examples": []})


@router.get("/reports/{name}")
def report(name: str):
    path = Path(str(load_settings().reports_dir)) / name
    if not REPORT_NAME.match(name) or not path.is_file():
        raise HTTPException(404, "no such report")
    return FileResponse(path, media_type="text/html", headers={"Content-Security-Policy": REPORT_CSP})


@router.get("/static/{path:path}")
def static(path: str):
    target = (STATIC / path).resolve()
    if not target.is_file() or STATIC not in target.parents or target.suffix not in STATIC_TYPES:
        raise HTTPException(404, "no such file")
    return FileResponse(target, media_type=STATIC_TYPES[target.suffix], headers={"Cache-Control": "max-age=3600"})


def create_app(authenticate) -> FastAPI:
    """The desk app; ``authenticate`` is a FastAPI dependency that rejects requests without a login."""
    app = FastAPI(title="News desk", docs_url=None, redoc_url=None, openapi_url=None)
    app.include_router(router, dependencies=[Depends(authenticate)])
    return app
