"""Input formats: plain text, saved web pages, JSON lines, and a batch's ``manifest.csv``.

Each article file becomes one or more :class:`RawArticle` (a JSON-lines file holds many), or a
:class:`~pipeline.ingest.Rejected` with a reason. Web pages go through ``trafilatura`` for the
main text and metadata; metadata values are checked here so that a bad value names its file and
row.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import PurePosixPath
from urllib.parse import urlparse

from dateutil.parser import isoparse

from pipeline.ingest import Decoded, Rejected, decode

MANIFEST_NAME = "manifest.csv"
MANIFEST_COLUMNS = ("file", "url", "outlet", "published_at", "title")
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
JSONL_SIZE_FACTOR = 100  # a JSON-lines file may hold this many articles' worth of bytes


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
    if not 1990 <= parsed.year <= 2100:
        raise ValueError(f"year {parsed.year} is out of range")
    return parsed


def check_meta(raw: dict, where: str) -> dict:
    """Validate url / outlet / published_at / title values; raise ValueError naming ``where``."""
    meta: dict = {}
    url = (raw.get("url") or "").strip()
    if url:
        parts = urlparse(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"{where}: url {url!r} is not an http(s) address")
        meta["url"] = url
    outlet = (raw.get("outlet") or "").strip()
    if outlet:
        meta["outlet"] = outlet
    published = raw.get("published_at")
    if isinstance(published, str) and published.strip():
        try:
            meta["published_at"] = parse_published_at(published)
        except (ValueError, OverflowError) as exc:
            raise ValueError(
                f"{where}: published_at {published!r} is not a date ({exc}); use ISO 8601, e.g. 2024-08-07 or 2024-08-07T14:30:00Z"
            ) from None
    elif published not in (None, ""):
        raise ValueError(f"{where}: published_at {published!r} is not a date; use ISO 8601 text")
    title = raw.get("title")
    if isinstance(title, str) and title.strip():
        meta["title"] = title.strip()
    return meta


def is_html(name: str, data: bytes) -> bool:
    if PurePosixPath(name).suffix.lower() in HTML_SUFFIXES:
        return True
    head = data[:1024].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html"))


def read_articles(name: str, data: bytes, *, max_bytes: int) -> tuple[list[RawArticle], list[str]] | Rejected:
    """Turn a file's bytes into articles.

    Args:
        name: the file's path relative to ``seeds/`` (its suffix picks the format).
        data: the file's bytes.
        max_bytes: the size limit of one article.

    Returns:
        ``(articles, problems)`` where problems name lines that were skipped, or :class:`Rejected`.
    """
    suffix = PurePosixPath(name).suffix.lower()
    if suffix in JSONL_SUFFIXES:
        return _read_jsonl(data, max_bytes=max_bytes)
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


def _read_jsonl(data: bytes, *, max_bytes: int) -> tuple[list[RawArticle], list[str]] | Rejected:
    decoded = decode(data, max_bytes=max_bytes * JSONL_SIZE_FACTOR)
    if isinstance(decoded, Rejected):
        return decoded
    articles: list[RawArticle] = []
    problems: list[str] = []
    for line_no, line in enumerate(decoded.text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"line {line_no}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(f"{where}: not valid JSON ({exc.msg} at column {exc.colno})")
            continue
        if not isinstance(record, dict):
            problems.append(f"{where}: expected a JSON object with title and body")
            continue
        body = record.get("body") or record.get("text")
        if not isinstance(body, str) or not body.strip():
            problems.append(f"{where}: no 'body' text")
            continue
        if len(body.encode("utf-8")) > max_bytes:
            problems.append(f"{where}: body is far larger than any article (limit {max_bytes:,} bytes)")
            continue
        try:
            meta = check_meta(record, where)
        except ValueError as exc:
            problems.append(str(exc))
            continue
        articles.append(RawArticle(f"#L{line_no}", body, decoded.encoding, title=meta.pop("title", None), meta=meta))
    if not articles:
        detail = "; ".join(problems[:5]) or "no lines"
        return Rejected(f"JSON-lines file holds no usable article ({detail}); one JSON object per line with title and body")
    return articles, problems


def read_manifest(data: bytes, name: str) -> tuple[dict[str, dict], dict[str, str], list[str]]:
    """Parse a batch's ``manifest.csv``.

    Returns:
        ``(meta_by_file, errors_by_file, problems)``: checked metadata per file name, a reason per
        file whose row is malformed (that file is quarantined), and problems of the manifest
        itself (rows that name no file). Raises ValueError if the manifest cannot be read at all.
    """
    decoded = decode(data, max_bytes=50_000_000)
    if isinstance(decoded, Rejected):
        raise ValueError(f"{name} cannot be read: {decoded.reason}")
    reader = csv.DictReader(io.StringIO(decoded.text))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    if "file" not in header:
        raise ValueError(
            f"{name} has no 'file' column (found {header or 'nothing'}); the header must be: {','.join(MANIFEST_COLUMNS)}"
        )
    reader.fieldnames = header
    meta_by_file: dict[str, dict] = {}
    errors: dict[str, str] = {}
    problems: list[str] = []
    for row_no, row in enumerate(reader, start=2):
        file = (row.get("file") or "").strip()
        if not file:
            problems.append(f"row {row_no} names no file")
            continue
        if None in row:
            errors[file] = f"{name} row {row_no}: more values than columns; quote values that contain commas"
            continue
        try:
            meta_by_file[file] = check_meta(row, f"{name} row {row_no}")
        except ValueError as exc:
            errors[file] = f"{exc}; fix the row and the file is loaded on the next run"
    return meta_by_file, errors, problems
