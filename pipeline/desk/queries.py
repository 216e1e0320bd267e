"""What the news desk shows, read from the warehouse (the readers' copy, read-only).

Every function takes an open read-only DuckDB connection and returns plain rows (dicts and
lists) for a page or a chart; every value from the outside goes in as a query parameter.
"""

from __future__ import annotations

import json
import re

import duckdb

SNIPPET_CHARS = 120
TOP_SPEAKERS = 10
QUOTES_PER_SPEAKER = 3


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[dict]:
    cursor = con.execute(sql, params or [])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def stories(con: duckdb.DuckDBPyConnection, limit: int = 50) -> list[dict]:
    """Stories, the most covered first: label, dates, articles, outlets, top entities."""
    return _rows(
        con,
        "SELECT story_id, label, first_published, last_published, articles, outlets, outlet_names, top_entities "
        "FROM stories ORDER BY articles DESC, last_published DESC NULLS LAST, story_id LIMIT ?",
        [limit],
    )


def story(con: duckdb.DuckDBPyConnection, story_id: str) -> dict | None:
    """One story with its articles; None if there is no such story."""
    found = _rows(con, "SELECT * FROM stories WHERE story_id = ?", [story_id])
    if not found:
        return None
    result = found[0]
    result["article_rows"] = _rows(
        con,
        "SELECT article_id, title, coalesce(outlet, batch_id) AS outlet, published_at, url FROM articles "
        "WHERE story_id = ? ORDER BY published_at NULLS LAST, article_id",
        [story_id],
    )
    return result


def coverage_chart(con: duckdb.DuckDBPyConnection, story_id: str | None = None) -> dict:
    """Articles per day and outlet (of one story, or of every story): ``{"days", "series": [{"name", "data"}]}``."""
    where, params = ("WHERE story_id = ?", [story_id]) if story_id else ("", [])
    rows = con.execute(
        f"SELECT day, outlet, sum(articles) FROM v_story_coverage {where} GROUP BY ALL ORDER BY day NULLS LAST, outlet",
        params,
    ).fetchall()
    days = sorted({str(day) if day is not None else "undated" for day, _, _ in rows})
    series: dict[str, list[int]] = {}
    for day, outlet, count in rows:
        data = series.setdefault(outlet, [0] * len(days))
        data[days.index(str(day) if day is not None else "undated")] += int(count)
    return {"days": days, "series": [{"name": name, "data": data} for name, data in sorted(series.items())]}


def timeline_chart(con: duckdb.DuckDBPyConnection, story_id: str) -> dict:
    """Dated statements of a story per date: ``{"dates", "counts", "examples"}`` (an example text per date)."""
    rows = con.execute(
        "SELECT t.date, count(*), min(t.text) FROM timeline t JOIN articles a USING (article_id) "
        "WHERE a.story_id = ? AND t.date IS NOT NULL GROUP BY t.date ORDER BY t.date",
        [story_id],
    ).fetchall()
    return {
        "dates": [str(d) for d, _, _ in rows],
        "counts": [int(n) for _, n, _ in rows],
        "examples": [text[:160] for _, _, text in rows],
    }


def _context(con: duckdb.DuckDBPyConnection, article_id: str, start: int, end: int) -> dict:
    """The sentences around a span of a body, split into text before, the span, and text after."""
    found = con.execute(
        "SELECT min(start_char), max(end_char) FROM sentences WHERE article_id = ? AND end_char > ? AND start_char < ?",
        [article_id, start, end],
    ).fetchone()
    body = con.execute("SELECT body FROM articles WHERE article_id = ?", [article_id]).fetchone()[0]
    first, last = (found[0], found[1]) if found and found[0] is not None else (start, end)
    first, last = min(first, start), max(last, end)
    return {"before": body[first:start], "span": body[start:end], "after": body[end:last]}


def top_speakers(con: duckdb.DuckDBPyConnection, story_id: str) -> list[dict]:
    """The most quoted speakers of a story, each with a few of their statements in their sentences."""
    speakers = _rows(
        con,
        "SELECT coalesce(e.canonical_name, q.speaker_resolved, q.speaker) AS speaker, "
        "       coalesce(q.speaker_entity_id, lower(coalesce(q.speaker_resolved, q.speaker))) AS speaker_key, "
        "       count(*) AS statements, count(DISTINCT coalesce(a.outlet, a.batch_id)) AS outlets "
        "FROM quotes q JOIN articles a USING (article_id) LEFT JOIN entities e ON e.entity_id = q.speaker_entity_id "
        "WHERE a.story_id = ? AND coalesce(q.speaker_resolved, q.speaker) IS NOT NULL "
        "GROUP BY ALL ORDER BY statements DESC, speaker LIMIT ?",
        [story_id, TOP_SPEAKERS],
    )
    for speaker in speakers:
        quotes = _rows(
            con,
            "SELECT q.article_id, q.start_char, q.end_char, q.kind, q.cue, coalesce(a.outlet, a.batch_id) AS outlet "
            "FROM quotes q JOIN articles a USING (article_id) "
            "WHERE a.story_id = ? AND coalesce(q.speaker_entity_id, lower(coalesce(q.speaker_resolved, q.speaker))) = ? "
            "ORDER BY q.kind = 'direct' DESC, a.published_at NULLS LAST, q.article_id, q.start_char LIMIT ?",
            [story_id, speaker["speaker_key"], QUOTES_PER_SPEAKER],
        )
        for quote in quotes:
            quote.update(_context(con, quote["article_id"], quote["start_char"], quote["end_char"]))
        speaker["quotes"] = quotes
    return speakers


def citations(con: duckdb.DuckDBPyConnection, story_id: str) -> list[dict]:
    """Sources cited in a story, by how many articles cite them."""
    return _rows(
        con,
        "SELECT coalesce(e.canonical_name, c.source_name) AS source, count(DISTINCT c.article_id) AS articles, "
        "       count(*) AS citations "
        "FROM citations c JOIN articles a USING (article_id) LEFT JOIN entities e ON e.entity_id = c.source_entity_id "
        "WHERE a.story_id = ? GROUP BY ALL ORDER BY articles DESC, citations DESC, source LIMIT 30",
        [story_id],
    )


def claims(con: duckdb.DuckDBPyConnection, story_id: str) -> list[dict]:
    """Numeric claims of a story with their outlet and sentence."""
    return _rows(
        con,
        "SELECT c.text, c.value, c.value_high, c.unit, c.counted, coalesce(a.outlet, a.batch_id) AS outlet, s.text AS sentence "
        "FROM claims c JOIN articles a USING (article_id) "
        "LEFT JOIN sentences s ON s.article_id = c.article_id AND s.sentence_idx = c.sentence_idx "
        "WHERE a.story_id = ? ORDER BY c.unit, c.value NULLS LAST LIMIT 100",
        [story_id],
    )


def _terms(query: str) -> list[str]:
    return [t for t in re.findall(r"\w+", query.lower()) if len(t) > 1]


def snippet(body: str, query: str) -> dict:
    """The first place in a body where a query word occurs, with text around it."""
    terms = _terms(query)
    match = re.search(r"\b(" + "|".join(re.escape(t) for t in terms) + r")\w*", body, re.IGNORECASE) if terms else None
    if match is None:
        return {"before": body[: 2 * SNIPPET_CHARS], "span": "", "after": ""}
    start, end = match.span()
    return {
        "before": ("…" if start > SNIPPET_CHARS else "") + body[max(0, start - SNIPPET_CHARS) : start],
        "span": body[start:end],
        "after": body[end : end + SNIPPET_CHARS] + ("…" if end + SNIPPET_CHARS < len(body) else ""),
    }


def search(con: duckdb.DuckDBPyConnection, query: str, limit: int = 20) -> list[dict]:
    """Full-text search over titles and bodies (BM25), best first, each hit with a snippet."""
    if not _terms(query):
        return []
    hits = _rows(
        con,
        "SELECT article_id, title, coalesce(outlet, batch_id) AS outlet, published_at, story_id, body, score "
        "FROM (SELECT *, fts_main_articles.match_bm25(article_id, ?) AS score FROM articles) "
        "WHERE score IS NOT NULL ORDER BY score DESC LIMIT ?",
        [query, limit],
    )
    for hit in hits:
        hit.update(snippet(hit.pop("body"), query))
    return hits


def runs(con: duckdb.DuckDBPyConnection, limit: int = 30) -> list[dict]:
    """Committed runs, newest first, each with its files per batch and status and its quarantined files."""
    found = _rows(con, "SELECT * FROM run_log ORDER BY committed_at DESC LIMIT ?", [limit])
    for run in found:
        run["row_counts"] = json.loads(run["row_counts"]) if run.get("row_counts") else {}
        run["batches"] = _rows(
            con,
            "SELECT coalesce(batch_id, '(top level)') AS batch, status, count(*) AS files FROM ingest_log "
            "WHERE run_id = ? GROUP BY ALL ORDER BY batch, status",
            [run["run_id"]],
        )
        run["problems"] = _rows(
            con,
            "SELECT path, status, reason FROM ingest_log WHERE run_id = ? AND status IN ('quarantined', 'duplicate') "
            "ORDER BY status, path LIMIT 200",
            [run["run_id"]],
        )
    return found
