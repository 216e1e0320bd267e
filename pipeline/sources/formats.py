"""Input formats: plain text, saved web pages, JSON lines, and a batch's ``manifest.csv``.

Each article file becomes one or more :class:`RawArticle` (a JSON-lines file holds many), or a
:class:`~pipeline.sources.files.Rejected` with a reason. Web pages go through ``trafilatura`` for the
main text and metadata; metadata values are checked here so that a bad value names its file and
row.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import PurePosixPath
from urllib.parse import urlparse

from dateutil.parser import isoparse

from pipeline.config import PUBLISHED_YEARS
from pipeline.sources.files import Decoded, Rejected, decode

HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
JSONL_SIZE_FACTOR = 100  # a JSON-lines file may hold this many articles' worth of bytes
MAX_META_CHARS = 2_000  # a url or an outlet name longer than this is not one


@dataclass
class RawArticle:
    """One article as read from its file, before cleaning."""

    suffix: str  # "" for a whole-file article, "#L<n>" for line n of a JSON-lines file
    text: str
    encoding: str
    title: str | None = None
    meta: dict = field(default_factory=dict)  # url, outlet, published_at (datetime)


def parse_published_at(value: str) -> datetime:
    """ISO 8601 date or timestamp → aware UTC datetime (a date alone means midnight UTC)."""
    parsed = isoparse(value.strip())
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    parsed = parsed.astimezone(timezone.utc)
    if not PUBLISHED_YEARS[0] <= parsed.year <= PUBLISHED_YEARS[1]:
        raise ValueError(f"year {parsed.year} is out of range")
    return parsed


def _text_value(raw: dict, key: str, where: str) -> str:
    value = raw.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValueError(f"{where}: {key} {str(value)[:80]!r} is not text; give it as a string")
    return value.strip()


def check_meta(raw: dict, where: str) -> dict:
    """Validate url / outlet / published_at / title values; raise ValueError naming ``where``."""
    meta: dict = {}
    url = _text_value(raw, "url", where)
    if url:
        parts = urlparse(url)
        if parts.scheme not in ("http", "https") or not parts.netloc or len(url) > MAX_META_CHARS:
            raise ValueError(f"{where}: url {url[:200]!r} is not an http(s) address")
        meta["url"] = url
    outlet = _text_value(raw, "outlet", where)
    if outlet:
        if len(outlet) > MAX_META_CHARS:
            raise ValueError(f"{where}: outlet is {len(outlet):,} characters long; give the outlet's name")
        meta["outlet"] = outlet
    published = _text_value(raw, "published_at", where)
    if published:
        try:
            meta["published_at"] = parse_published_at(published)
        except (ValueError, OverflowError) as exc:
            raise ValueError(
                f"{where}: published_at {published[:80]!r} is not a date ({exc}); use ISO 8601, e.g. 2024-08-07 or 2024-08-07T14:30:00Z"
            ) from None
    title = _text_value(raw, "title", where)
    if title:
        meta["title"] = title
    return meta


def is_html(name: str, data: bytes) -> bool:
    if PurePosixPath(name).suffix.lower() in HTML_SUFFIXES:
        return True
    head = data[:1024].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html"))


def read_articles(name: str, data: bytes, *, max_bytes: int, lines: tuple[int, int] | None = None) -> tuple[list[RawArticle], list[str]] | Rejected:
    """Turn a file's bytes into articles.

    Args:
        name: the file's path relative to ``seeds/`` (its suffix picks the format).
        data: the file's bytes.
        max_bytes: the size limit of one article.
        lines: for a JSON-lines file read in parts, the first and last line (1-based) of this part.

    Returns:
        ``(articles, problems)`` where problems name lines that were skipped, or :class:`Rejected`.
    """
    suffix = PurePosixPath(name).suffix.lower()
    if suffix in JSONL_SUFFIXES:
        return _read_jsonl(data, max_bytes=max_bytes, lines=lines)
    decoded = decode(data, max_bytes=max_bytes)
    if isinstance(decoded, Rejected):
        return decoded
    if is_html(name, data):
        return _read_html(decoded)
    return [RawArticle("", decoded.text, decoded.encoding)], []


def _read_html(decoded: Decoded) -> tuple[list[RawArticle], list[str]] | Rejected:
    import trafilatura

    document = trafilatura.bare_extraction(decoded.text, with_metadata=True, include_comments=False, include_tables=False)
    if document is None or not (document.text or "").strip():
        return Rejected("web page has no article text that could be extracted; save the article's text as .txt")
    raw = {"url": document.url, "outlet": document.sitename, "published_at": document.date, "title": document.title}
    try:
        meta = check_meta(raw, "web page metadata")
    except ValueError:
        meta = check_meta({**raw, "published_at": None, "url": None}, "web page metadata")
    return [RawArticle("", document.text, decoded.encoding, title=meta.pop("title", None), meta=meta)], []


def count_lines(data: bytes) -> int:
    """Lines of a JSON-lines file as :func:`split_lines` counts them (line feeds only)."""
    return data.count(b"\n") + (0 if data.endswith(b"\n") or not data else 1)


def split_lines(text: str) -> list[str]:
    """Lines of a JSON-lines or CSV file: split on ``\\n`` only (``\\r\\n`` allowed).

    ``str.splitlines`` would also split on U+2028, U+0085 and other characters that JSON
    allows raw inside a string, breaking a record in two and shifting every line number after it.
    """
    return [line[:-1] if line.endswith("\r") else line for line in text.split("\n")]


def _json_record(line: str, where: str) -> dict:
    """One JSON-lines record, or ValueError naming the line and what is wrong."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ValueError(f"{where}: not valid JSON ({exc.msg} at column {exc.colno})") from None
    except RecursionError:
        raise ValueError(f"{where}: JSON nested too deeply to be an article") from None
    if not isinstance(record, dict):
        raise ValueError(f"{where}: expected a JSON object with title and body")
    return record


def _jsonl_article(line: str, line_no: int, max_bytes: int, encoding: str) -> RawArticle:
    """One JSON line as an article, or ValueError naming the line and what is wrong."""
    where = f"line {line_no}"
    record = _json_record(line, where)
    body = record.get("body") or record.get("text")
    if not isinstance(body, str) or not body.strip():
        raise ValueError(f"{where}: no 'body' text")
    meta = check_meta(record, where)
    size = len(body.encode("utf-8", errors="replace")) + len(meta.get("title", "").encode("utf-8", errors="replace"))
    if size > max_bytes:
        raise ValueError(f"{where}: title and body are over {max_bytes:,} bytes, far larger than any article")
    return RawArticle(f"#L{line_no}", body, encoding, title=meta.pop("title", None), meta=meta)


def _read_jsonl(data: bytes, *, max_bytes: int, lines: tuple[int, int] | None = None) -> tuple[list[RawArticle], list[str]] | Rejected:
    decoded = decode(data, max_bytes=max_bytes * JSONL_SIZE_FACTOR)
    if isinstance(decoded, Rejected):
        return decoded
    articles: list[RawArticle] = []
    problems: list[str] = []
    first, last = lines or (1, None)
    for line_no, line in enumerate(split_lines(decoded.text), start=1):
        if line_no < first or (last is not None and line_no > last) or not line.strip():
            continue
        try:
            articles.append(_jsonl_article(line, line_no, max_bytes, decoded.encoding))
        except ValueError as exc:
            problems.append(str(exc))
    if not articles:
        detail = "; ".join(problems[:5]) or "no lines"
        what = f"lines {first}-{last} of the JSON-lines file hold" if lines else "JSON-lines file holds"
        return Rejected(f"{what} no usable article ({detail}); one JSON object per line with title and body")
    return articles, problems
