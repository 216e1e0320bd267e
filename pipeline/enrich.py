"""Enrich: one shard of files in, one Parquet file per table out.

For each file: read and decode (:mod:`pipeline.ingest`), clean (:mod:`pipeline.clean`), check it is
an English article, then run spaCy over all accepted bodies of the shard with ``nlp.pipe`` and
turn the documents into rows (:mod:`pipeline.nlp`). A file that fails any step becomes a
``quarantined`` row of ``ingest_log`` with its reason; the shard goes on.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from datetime import datetime
from pathlib import Path

import pyarrow.parquet as pq

from pipeline import PIPELINE_VERSION
from pipeline.clean import clean
from pipeline.config import Settings
from pipeline.formats import read_articles
from pipeline.ingest import Rejected, sha256_bytes
from pipeline.tables import TABLES, to_table

log = logging.getLogger(__name__)


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


def _ingest_row(entry: dict, run_id: str, batch_id: str) -> dict:
    return {
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


def _prepare(entry: dict, settings: Settings, run_id: str, batch_id: str) -> tuple[dict, list[dict]]:
    """Read, decode, clean and screen one file.

    Returns:
        Its ``ingest_log`` row and the articles it holds (none if it is quarantined).
    """
    relative = entry["path"]
    path = settings.seeds_dir / relative
    row = _ingest_row(entry, run_id, batch_id)
    if not path.resolve().is_relative_to(settings.seeds_dir.resolve()):
        row["reason"] = f"path leads outside seeds/ (a link to {path.resolve()}); copy the file into seeds/ instead of linking it"
        return row, []
    try:
        data = path.read_bytes()
    except OSError as exc:
        row["reason"] = f"file cannot be read ({exc.strerror or exc}); check its permissions"
        return row, []
    row["content_sha256"] = sha256_bytes(data)
    row["bytes"] = len(data)
    if entry.get("kind") == "manifest":
        if entry.get("manifest_error"):
            row["reason"] = f"{entry['manifest_error']}; the batch's files load without its metadata"
        else:
            row.update(status="loaded", reason=entry.get("manifest_note"))
        return row, []
    if entry.get("meta_error"):
        row["reason"] = entry["meta_error"]
        return row, []
    read = read_articles(relative, data, max_bytes=settings.max_file_bytes)
    if isinstance(read, Rejected):
        row["reason"] = read.reason
        return row, []
    raws, problems = read
    manifest_meta = dict(entry.get("meta") or {})
    if "published_at" in manifest_meta:
        manifest_meta["published_at"] = datetime.fromisoformat(manifest_meta["published_at"])
    articles: list[dict] = []
    for raw in raws:
        meta = {**raw.meta, **manifest_meta}
        cleaned = clean(raw.text, title=meta.pop("title", None) or raw.title)
        where = f"{raw.suffix[1:]}: " if raw.suffix else ""
        n_words = len(cleaned.body.split()) - len(cleaned.title.split())
        if n_words < settings.min_words:
            problems.append(
                f"{where}not an article: {n_words} words of text after the title (at least {settings.min_words} expected); "
                "check the file holds the article text"
            )
            continue
        language = detect_language(cleaned.body)
        if language != "en":
            problems.append(f"{where}text is not English (detected language: {language}); only English articles are analysed")
            continue
        source_path = relative + raw.suffix
        articles.append(
            {
                "article_id": article_id_for(source_path),
                "batch_id": batch_id,
                "source_path": source_path,
                "title": cleaned.title,
                "outlet": meta.get("outlet"),
                "url": meta.get("url"),
                "published_at": meta.get("published_at"),
                "language": language,
                "body": cleaned.body,
                "n_tokens": 0,
                "n_sentences": 0,
                "content_sha256": row["content_sha256"],
                "text_sha256": hashlib.sha256(cleaned.body.encode("utf-8")).hexdigest(),
                "near_duplicate_of": None,
                "near_duplicate_similarity": None,
                "encoding": raw.encoding,
                "pipeline_version": PIPELINE_VERSION,
                "model": None,
                "run_id": run_id,
                "_log": cleaned.log,
            }
        )
    if not articles:
        row["reason"] = "; ".join(problems) or "no article found in the file"
        return row, []
    row["status"] = "loaded"
    if len(raws) == 1 and not raws[0].suffix:
        row["article_id"] = articles[0]["article_id"]
    else:
        row["reason"] = f"{len(articles)} articles loaded" + (f"; skipped {'; '.join(problems[:20])}" if problems else "")
    return row, articles


def enrich_shard(shard_file: str | Path, settings: Settings) -> dict:
    """Process one shard and stage its tables as Parquet.

    Args:
        shard_file: a shard written by :func:`pipeline.discover.discover`.
        settings: folders, model name and limits.

    Returns:
        ``{"shard", "staged": {table: parquet path}, "counts": {table: rows}, "quarantined": n}``.
    """
    from pipeline.dedup import signature
    from pipeline.citations import citation_rows
    from pipeline.entities import release
    from pipeline.nlp import claim_rows, doc_rows, load_model, model_label, quote_rows
    from pipeline.timeline import timeline_rows

    shard_file = Path(shard_file)
    shard = json.loads(shard_file.read_text())
    run_id, batch_id = shard["run_id"], shard["batch_id"]
    started = time.perf_counter()

    ingest_rows: list[dict] = []
    articles: list[dict] = []
    for entry in shard["files"]:
        row, held = _prepare(entry, settings, run_id, batch_id)
        ingest_rows.append(row)
        if row["status"] == "quarantined":
            log.warning("quarantined %s: %s", row["path"], row["reason"])
        articles.extend(held)

    rows: dict[str, list[dict]] = {name: [] for name in TABLES}
    rows["ingest_log"] = ingest_rows
    if articles:
        nlp = load_model(settings.spacy_model, str(settings.reference_dir) if settings.reference_dir else None)
        label = model_label(nlp)
        with nlp.memory_zone():
            docs = nlp.pipe((a["body"] for a in articles), batch_size=settings.nlp_batch_size)
            for article, doc in zip(articles, docs):
                sentences, mentions, n_tokens = doc_rows(doc, article["article_id"])
                rows["sentences"].extend(sentences)
                rows["entity_mentions"].extend(mentions)
                quotes = quote_rows(doc, article["article_id"], mentions)
                rows["quotes"].extend(quotes)
                rows["citations"].extend(citation_rows(doc, article["article_id"], quotes, mentions, sentences))
                rows["claims"].extend(claim_rows(doc, article["article_id"], sentences))
                rows["timeline"].extend(timeline_rows(doc, article["article_id"], sentences, article["published_at"]))
                article.update(n_tokens=n_tokens, n_sentences=len(sentences), model=label)
                release(doc)
    for article in articles:
        rows["article_signatures"].append({"article_id": article["article_id"], "minhash": signature(article["body"])})
        rows["cleaning_log"].extend(
            {"article_id": article["article_id"], "line_no": e.line_no, "rule": e.rule, "text": e.text}
            for e in article.pop("_log")
        )
    rows["articles"] = articles

    stage_root = shard_file.parent.parent
    staged: dict[str, str] = {}
    for name in TABLES:
        out = stage_root / name / f"{shard_file.stem}.parquet"
        out.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(to_table(name, rows[name]), out)
        staged[name] = str(out)
    counts = {name: len(rows[name]) for name in TABLES}
    n_tokens = sum(a["n_tokens"] for a in articles)
    elapsed = time.perf_counter() - started
    quarantined = sum(1 for r in ingest_rows if r["status"] == "quarantined")
    log.info(
        "enrich %s: %d files, %d articles, %d quarantined, %d tokens in %.1fs (%.0f tokens/s)",
        shard_file.name, len(ingest_rows), len(articles), quarantined, n_tokens, elapsed,
        n_tokens / elapsed if elapsed else 0.0,
    )
    return {"shard": shard_file.name, "staged": staged, "counts": counts, "quarantined": quarantined, "n_tokens": n_tokens}

