"""Enrich: one shard of files in, one Parquet file per table out.

For each file: read and decode (:mod:`pipeline.sources.files`), clean (:mod:`pipeline.sources.clean`), check it is
an English article, then run spaCy over the accepted bodies of the shard with ``nlp.pipe`` and
turn the documents into rows (:mod:`pipeline.nlp`).

One file never stops its shard: any error, or a file that runs past its CPU budget
(``PIPELINE_FILE_BUDGET_SECONDS``), while reading, cleaning, parsing or extracting quarantines
that file (or, for a JSON-lines file, skips that line and names it in the file's reason) and
the shard goes on. Texts longer than one spaCy document are parsed in paragraph-aligned chunks
joined back into one document, so every offset still points into the whole body.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from pipeline import PIPELINE_VERSION
from pipeline.budget import BudgetExceeded, cpu_budget
from pipeline.config import Settings
from pipeline.sources.clean import Cleaned, LogEntry, clean
from pipeline.sources.files import Rejected, read_regular_file, sha256_bytes
from pipeline.sources.formats import JSONL_SIZE_FACTOR, JSONL_SUFFIXES, read_articles
from pipeline.store.fs import location, read_json
from pipeline.store.lock import renew_claim
from pipeline.store.staging import RunPaths, write_atomically
from pipeline.store.tables import TABLES, to_table

log = logging.getLogger(__name__)

# Longest text parsed as one spaCy document; longer bodies are parsed in chunks of about this size.
CHUNK_CHARS = 100_000


def article_id_for(relative_path: str) -> str:
    """Stable id of the article held by a file: an edited file keeps its id and replaces its rows."""
    return hashlib.sha256(relative_path.encode("utf-8")).hexdigest()[:16]


def detect_language(text: str) -> str:
    """ISO 639-1 code of the text's language (``und`` when it has no letters to tell it by).

    py3langid (langid.py's model on numpy) is deterministic and about six times faster than
    langdetect; the first paragraphs are plenty to tell the language of a news article.
    """
    import py3langid

    sample = text[:600]
    if not any(ch.isalpha() for ch in sample):
        return "und"
    return py3langid.classify(sample)[0]


@dataclass
class Prepared:
    """One article read and cleaned, waiting for spaCy; ``where`` names it inside its file."""

    article: dict
    cleaning: list[LogEntry]
    where: str


@dataclass
class FileResult:
    """A file's ``ingest_log`` row, its articles, and what was skipped inside it."""

    row: dict
    articles: list[Prepared] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    multi: bool = False  # a JSON-lines file: its articles are lines


def _ingest_row(entry: dict, run_id: str, batch_id: str) -> dict:
    return {
        "part": entry.get("part"),
        "path": entry["path"],
        "content_sha256": None,
        "bytes": entry.get("bytes"),
        "mtime_ns": entry.get("mtime_ns"),
        "status": "quarantined",
        "reason": None,
        "duplicate_of": None,
        "article_id": None,
        "batch_id": batch_id,
        "run_id": run_id,
    }


def _source_file(entry: dict, seeds_dir: Path) -> Path | str:
    """The file to read for an entry, or the reason it must not be read (a link leading out of ``seeds/``)."""
    path = seeds_dir / entry.get("fs_path", entry["path"])
    if entry.get("kind") != "link":
        return path
    target = path.resolve()
    if not target.is_relative_to(seeds_dir.resolve()):
        return f"path leads outside seeds/ (a link to {target}); copy the file into seeds/ instead of linking it"
    if not target.exists():
        return "link points to nothing (its target was moved or deleted); remove the link or restore the file"
    return target


def prepare_file(entry: dict, settings: Settings, run_id: str, batch_id: str) -> FileResult:
    """Read, decode, clean and screen one file, within its CPU budget; never raises.

    Returns:
        Its ``ingest_log`` row and the articles it holds (none if it is quarantined or ignored).
    """
    result = FileResult(_ingest_row(entry, run_id, batch_id))
    try:
        with cpu_budget(settings.file_budget_seconds):
            _prepare(entry, settings, result)
    except BudgetExceeded as exc:
        result.articles = []
        result.row.update(status="quarantined", reason=(
            f"reading and cleaning {exc}; check the file is an ordinary article, or raise PIPELINE_FILE_BUDGET_SECONDS"
        ))
    except Exception as exc:  # noqa: BLE001 - one file must never stop its shard
        log.exception("enrich: %s could not be read", entry["path"])
        result.articles = []
        result.row.update(status="quarantined", reason=(
            f"file could not be read ({type(exc).__name__}: {str(exc)[:200]}); "
            "check it is a text article; if it is, report this file with the error"
        ))
    return result


def _prepare(entry: dict, settings: Settings, result: FileResult) -> None:
    """Fill ``result`` for one path: skipped without reading, a manifest, or the articles of a file."""
    row = result.row
    if entry.get("kind") == "ignored":
        row.update(status="ignored", reason=entry.get("reason"))
        return
    if entry.get("kind") == "refused":
        row["reason"] = entry.get("reason") or "not a regular file; it was not opened"
        return
    data = _read(entry, settings, row)
    if data is None:
        return
    if entry.get("kind") == "manifest":
        _manifest_row(entry, row)
    elif entry.get("meta_error"):
        row["reason"] = entry["meta_error"]
    else:
        _read_articles(entry, data, settings, result)


def _read(entry: dict, settings: Settings, row: dict) -> bytes | None:
    """The file's bytes with its size and hash on the row, or ``None`` with the reason on the row."""
    source = _source_file(entry, settings.seeds_dir)
    if isinstance(source, str):
        row["reason"] = source
        return None
    bulky = Path(entry["path"]).suffix.lower() in JSONL_SUFFIXES or entry.get("kind") == "manifest"
    limit = settings.max_file_bytes * (JSONL_SIZE_FACTOR if bulky else 1)
    data = read_regular_file(source, limit=limit)
    if isinstance(data, Rejected):
        row["reason"] = data.reason
        return None
    if len(data) > limit:
        row["reason"] = (f"file is over {limit:,} bytes, far larger than any article; "
                         "split it into one file per article or raise PIPELINE_MAX_FILE_BYTES")
        return None
    row.update(bytes=len(data), content_sha256=sha256_bytes(data))
    return data


def _manifest_row(entry: dict, row: dict) -> None:
    """A manifest is loaded with a note of what it applies, or quarantined with why it cannot be read."""
    if entry.get("manifest_error"):
        row["reason"] = f"{entry['manifest_error']}; the batch's files load without its metadata"
    else:
        row.update(status="loaded", reason=entry.get("manifest_note"))


def _read_articles(entry: dict, data: bytes, settings: Settings, result: FileResult) -> None:
    lines = tuple(entry["lines"]) if entry.get("lines") else None
    read = read_articles(entry["path"], data, max_bytes=settings.max_file_bytes, lines=lines)
    if isinstance(read, Rejected):
        result.row["reason"] = read.reason
        return
    raws, problems = read
    result.problems.extend(problems)
    result.multi = lines is not None or len(raws) != 1 or bool(raws[0].suffix)
    manifest_meta = dict(entry.get("meta") or {})
    if "published_at" in manifest_meta:
        manifest_meta["published_at"] = datetime.fromisoformat(manifest_meta["published_at"])
    for raw in raws:
        meta = {**raw.meta, **manifest_meta}
        cleaned = clean(raw.text, title=meta.pop("title", None) or raw.title)
        where = f"{raw.suffix[1:]}: " if raw.suffix else ""
        problem = screen(cleaned, settings.min_words)
        if problem:
            result.problems.append(where + problem)
            continue
        article = _article(entry["path"] + raw.suffix, cleaned, meta, raw.encoding, result.row)
        result.articles.append(Prepared(article, cleaned.log, where))


def screen(cleaned: Cleaned, min_words: int) -> str | None:
    """Why a cleaned text is not an article to analyse (too short, not English), or ``None``."""
    n_words = len(cleaned.body.split()) - len(cleaned.title.split())
    if n_words < min_words:
        return (f"not an article: {n_words} words of text after the title (at least {min_words} expected); "
                "check the file holds the article text")
    language = detect_language(cleaned.body)
    if language != "en":
        return f"text is not English (detected language: {language}); only English articles are analysed"
    return None


def _article(source_path: str, cleaned: Cleaned, meta: dict, encoding: str, row: dict) -> dict:
    """An ``articles`` row before spaCy (token and sentence counts, model and duplicate flags come later)."""
    return {
        "article_id": article_id_for(source_path),
        "batch_id": row["batch_id"],
        "source_path": source_path,
        "title": cleaned.title,
        "outlet": meta.get("outlet"),
        "url": meta.get("url"),
        "published_at": meta.get("published_at"),
        "language": "en",
        "body": cleaned.body,
        "n_tokens": 0,
        "n_sentences": 0,
        "content_sha256": row["content_sha256"],
        "text_sha256": hashlib.sha256(cleaned.body.encode("utf-8")).hexdigest(),
        "near_duplicate_of": None,
        "near_duplicate_similarity": None,
        "encoding": encoding,
        "pipeline_version": PIPELINE_VERSION,
        "model": None,
        "run_id": row["run_id"],
    }


def finish_row(result: FileResult) -> None:
    """Set the file's status and reason from the articles it kept and the problems found inside it."""
    row = result.row
    if row["reason"] is not None or row["status"] in ("ignored", "loaded"):
        return
    if not result.articles:
        row.update(status="quarantined", reason="; ".join(result.problems[:20]) or "no article found in the file")
        return
    row["status"] = "loaded"
    if not result.multi:
        row["article_id"] = result.articles[0].article["article_id"]
    else:
        skipped = f"; skipped {'; '.join(result.problems[:20])}" if result.problems else ""
        row["reason"] = f"{len(result.articles)} articles loaded{skipped}"


def chunk_bounds(text: str, size: int = CHUNK_CHARS) -> list[tuple[int, int]]:
    """Cut a long text into pieces of at most ``size`` characters, at paragraph breaks where possible.

    Each piece ends just after a blank line (else a line break, a sentence end, a space); the
    pieces put back together are exactly the text, so offsets into the joined document are
    offsets into the body. Example: a 250,000-character body gives three pieces.
    """
    bounds, start = [], 0
    while len(text) - start > size:
        window_end = start + size
        cut = -1
        for separator in ("\n\n", "\n", ". ", " "):
            found = text.rfind(separator, start + size // 2, window_end)
            if found != -1:
                cut = found + len(separator)
                break
        if cut == -1:
            cut = window_end
        bounds.append((start, cut))
        start = cut
    bounds.append((start, len(text)))
    return bounds


def parse_long(nlp, text: str):
    """One spaCy document for a text longer than :data:`CHUNK_CHARS`: parsed in chunks, joined exactly."""
    from spacy.tokens import Doc

    pieces = [text[a:b] for a, b in chunk_bounds(text)]
    return Doc.from_docs(list(nlp.pipe(pieces)), ensure_whitespace=False)


def _parse_groups(nlp, articles: list[Prepared], batch_size: int) -> Iterator[list[Prepared]]:
    """Articles in ``nlp.pipe`` batches; a text too long for one document forms a group of its own."""
    batch: list[Prepared] = []
    for prepared in articles:
        if len(prepared.article["body"]) > CHUNK_CHARS:
            yield [prepared]
            continue
        batch.append(prepared)
        if len(batch) >= batch_size:
            yield batch
            batch = []
    if batch:
        yield batch


def _docs(nlp, group: list[Prepared], budget: float) -> list[object]:
    """Parse a group; a batch that fails or runs past the budget is parsed again one article at a time.

    Returns:
        One spaCy document per article, or the exception that article raised.
    """
    bodies = [p.article["body"] for p in group]
    if len(group) > 1:
        try:
            with cpu_budget(budget):
                return list(nlp.pipe(bodies))
        except Exception:  # noqa: BLE001 - find the article that failed, below
            log.info("enrich: a batch of %d articles failed or ran long; parsing them one by one", len(group))
    out: list[object] = []
    for body in bodies:
        try:
            with cpu_budget(budget):
                out.append(parse_long(nlp, body) if len(body) > CHUNK_CHARS else nlp(body))
        except Exception as exc:  # noqa: BLE001 - this article is quarantined, the shard goes on
            out.append(exc)
    return out


def _article_rows(doc, article: dict) -> dict[str, list[dict]]:
    """Every table's rows for one parsed article: each extractor makes its own table's rows."""
    from pipeline.nlp.citations import citation_rows
    from pipeline.nlp.claims import claim_rows
    from pipeline.nlp.entities import mention_rows, sentence_rows
    from pipeline.nlp.quotes import quote_rows
    from pipeline.nlp.timeline import timeline_rows

    article_id = article["article_id"]
    sentences = sentence_rows(doc, article_id)
    mentions = mention_rows(doc, article_id, sentences)
    quotes = quote_rows(doc, article_id, mentions)
    rows = {
        "sentences": sentences,
        "entity_mentions": mentions,
        "quotes": quotes,
        "citations": citation_rows(doc, article_id, quotes, mentions, sentences),
        "claims": claim_rows(doc, article_id, sentences, article.get("url")),
        "timeline": timeline_rows(doc, article_id, sentences, article["published_at"]),
    }
    article.update(n_tokens=sum(1 for token in doc if not token.is_space), n_sentences=len(sentences))
    return rows


def _failure(exc: BaseException) -> str:
    if isinstance(exc, BudgetExceeded):
        return f"enrichment {exc}; check the text is an ordinary article, or raise PIPELINE_FILE_BUDGET_SECONDS"
    return f"enrichment failed ({type(exc).__name__}: {str(exc)[:200]}); if the text is an ordinary article, report it with the error"


def _rows_of(doc, prepared: Prepared, budget: float) -> dict[str, list[dict]] | str:
    """An article's rows, or why it failed (its parse raised, its extraction raised or ran past the budget)."""
    from pipeline.nlp.doc import release

    if isinstance(doc, BaseException):
        return _failure(doc)
    try:
        with cpu_budget(budget):
            return _article_rows(doc, prepared.article)
    except Exception as exc:  # noqa: BLE001 - this article is quarantined, the shard goes on
        if not isinstance(exc, BudgetExceeded):
            log.exception("enrich: extracting rows from %s failed", prepared.article["source_path"])
        return _failure(exc)
    finally:
        release(doc)


def _add(rows: dict[str, list[dict]], prepared: Prepared, article_rows: dict[str, list[dict]], model: str) -> None:
    """Append one enriched article's rows: the extractors', the article, its signature and its cleaning log."""
    from pipeline.nlp.minhash import signature

    article = prepared.article
    for table, table_rows in article_rows.items():
        rows[table].extend(table_rows)
    article["model"] = model
    rows["articles"].append(article)
    rows["article_signatures"].append({"article_id": article["article_id"], "minhash": signature(article["body"])})
    rows["cleaning_log"].extend(
        {"article_id": article["article_id"], "line_no": e.line_no, "rule": e.rule, "text": e.text} for e in prepared.cleaning
    )


def enrich_articles(files: list[FileResult], settings: Settings) -> dict[str, list[dict]]:
    """Run spaCy and the extractors over the files' articles; an article that fails is dropped and named.

    Returns:
        Rows of every article table (``articles`` included) for the articles that made it.
    """
    from pipeline.nlp.model import load_model, model_label

    rows: dict[str, list[dict]] = {name: [] for name in TABLES if name != "ingest_log"}
    pending = [p for f in files for p in f.articles]
    if not pending:
        return rows
    nlp = load_model(settings.spacy_model, str(settings.reference_dir) if settings.reference_dir else None)
    model = model_label(nlp)
    failed: dict[int, str] = {}
    for group in _parse_groups(nlp, pending, settings.nlp_batch_size):
        with nlp.memory_zone():
            for prepared, doc in zip(group, _docs(nlp, group, settings.file_budget_seconds)):
                outcome = _rows_of(doc, prepared, settings.file_budget_seconds)
                if isinstance(outcome, str):
                    failed[id(prepared)] = outcome
                else:
                    _add(rows, prepared, outcome, model)
    _drop_failed(files, failed)
    return rows


def _drop_failed(files: list[FileResult], failed: dict[int, str]) -> None:
    """Take the articles that failed out of their files, each named with what went wrong."""
    for result in files:
        for prepared in [p for p in result.articles if id(p) in failed]:
            result.articles.remove(prepared)
            result.problems.append(f"{prepared.where}{failed[id(prepared)]}")


def enrich(shard_file: str | Path, settings: Settings) -> dict:
    """Process one shard and stage its tables as Parquet.

    Args:
        shard_file: a shard written by :func:`pipeline.discover.discover`.
        settings: folders, model name and limits.

    Returns:
        ``{"shard", "batch_id", "staged": {table: parquet path}, "counts": {table: rows},
        "quarantined": n, "n_tokens": n}``.
    """
    shard_file = location(shard_file)
    shard = read_json(shard_file)
    run_id, batch_id = shard["run_id"], shard["batch_id"]
    run = RunPaths.of_shard(shard_file)
    renew_claim(run.root)
    started = time.perf_counter()

    files = [prepare_file(entry, settings, run_id, batch_id) for entry in shard["files"]]
    rows = enrich_articles(files, settings)
    for result in files:
        finish_row(result)
        if result.row["status"] == "quarantined":
            log.warning("quarantined %s: %s", result.row["path"], result.row["reason"])
    rows["ingest_log"] = [f.row for f in files]
    staged = {name: str(write_atomically(to_table(name, rows[name]), run.staged(name, shard_file.stem))) for name in TABLES}

    counts = {name: len(rows[name]) for name in TABLES}
    n_tokens = sum(a["n_tokens"] for a in rows["articles"])
    elapsed = time.perf_counter() - started
    quarantined = sum(1 for f in files if f.row["status"] == "quarantined")
    log.info(
        "enrich %s: %d files, %d articles, %d quarantined, %d tokens in %.1fs (%.0f tokens/s)",
        shard_file.name, len(files), len(rows["articles"]), quarantined, n_tokens, elapsed,
        n_tokens / elapsed if elapsed else 0.0,
    )
    return {"shard": str(shard_file), "batch_id": batch_id, "staged": staged, "counts": counts,
            "quarantined": quarantined, "n_tokens": n_tokens}
