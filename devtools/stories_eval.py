"""Score story grouping against a labelled corpus, fed through the real pipeline in batches.

``python -m pipeline eval-stories CORPUS.jsonl [--batches 4]``: the corpus (one article per line:
``title``, ``text`` or ``body``, ``outlet``, ``url``, ``date_publish`` or ``published_at``, and the
gold story label in ``event`` or ``story``) is sorted by date and cut into batches; each batch
becomes a folder of ``.txt`` files with a ``manifest.csv`` under a temporary ``seeds/`` and goes
through a whole pipeline run, as analysts add batches. Then every article's ``story_id`` is read
back (an exact duplicate, not loaded, takes the story of the article it duplicates; an article
that was not loaded is a story of its own) and scored with B-cubed precision, recall and F1.
Beside it: TF-IDF cosine with average-link clustering of the whole corpus at once (scikit-learn),
the usual baseline, at a fixed threshold and at the threshold best for this corpus.
"""

from __future__ import annotations

import csv
import json
import tempfile
import time
from collections import Counter
from pathlib import Path

LABEL_FIELDS = ("event", "story", "label")
BASELINE_THRESHOLD = 0.85  # cosine distance for the baseline's average link


def read_corpus(path: Path) -> list[dict]:
    records = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise SystemExit(f"{path} line {number}: not a JSON object ({exc.msg}); fix or remove the line") from None
        if not isinstance(row, dict):
            raise SystemExit(f"{path} line {number}: not a JSON object; each line must be one article")
        label = next((row[f] for f in LABEL_FIELDS if row.get(f) is not None), None)
        body = row.get("text") or row.get("body")
        if label is None or not body:
            raise SystemExit(f"{path} line {number}: needs a story label ({' or '.join(LABEL_FIELDS)}) and text or body")
        records.append({"key": f"a{number:06d}", "label": str(label), "title": row.get("title") or "", "body": body,
                        "outlet": row.get("outlet") or "", "url": row.get("url") or "",
                        "published_at": row.get("date_publish") or row.get("published_at") or ""})
    records.sort(key=lambda r: (r["published_at"] or "9999", r["key"]))
    return records


def write_batch(records: list[dict], folder: Path) -> None:
    folder.mkdir(parents=True)
    with open(folder / "manifest.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["file", "url", "outlet", "published_at", "title"])
        for r in records:
            (folder / f"{r['key']}.txt").write_text(f"{r['title']}\n\n{r['body']}\n", encoding="utf-8")
            url = r["url"] if r["url"].startswith(("http://", "https://")) else ""
            writer.writerow([f"{r['key']}.txt", url, r["outlet"], r["published_at"], r["title"]])


def bcubed(predicted: dict[str, str], gold: dict[str, str]) -> dict[str, float]:
    """B-cubed precision, recall and F1 of a clustering (item -> cluster) against gold (item -> class)."""
    items = list(gold)
    pair_counts = Counter((predicted[i], gold[i]) for i in items)
    predicted_sizes, gold_sizes = Counter(predicted[i] for i in items), Counter(gold.values())
    precision = sum(pair_counts[(predicted[i], gold[i])] / predicted_sizes[predicted[i]] for i in items) / len(items)
    recall = sum(pair_counts[(predicted[i], gold[i])] / gold_sizes[gold[i]] for i in items) / len(items)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3), "clusters": len(set(predicted.values()))}


def baseline(records: list[dict], threshold: float) -> dict[str, str]:
    """TF-IDF cosine, average-link agglomerative clustering of the whole corpus at once."""
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectors = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(f"{r['title']} {r['body']}" for r in records)
    distances = 1 - (vectors @ vectors.T).toarray()
    distances[distances < 0] = 0
    labels = AgglomerativeClustering(n_clusters=None, metric="precomputed", linkage="average",
                                     distance_threshold=threshold).fit_predict(distances)
    return {r["key"]: f"c{label}" for r, label in zip(records, labels)}


def predicted_stories(warehouse: Path) -> dict[str, str]:
    import duckdb

    with duckdb.connect(str(warehouse / "news.duckdb"), read_only=True) as con:
        story_of = {Path(p).stem: s for p, s in con.execute("SELECT source_path, story_id FROM articles").fetchall()}
        id_story = dict(con.execute("SELECT article_id, story_id FROM articles").fetchall())
        for path, original in con.execute(
            "SELECT path, duplicate_of FROM v_files WHERE status = 'duplicate' AND duplicate_of IS NOT NULL"
        ).fetchall():
            story_of.setdefault(Path(path).stem, id_story.get(original))
    return story_of


def evaluate_stories(corpus: Path, batches: int, settings) -> dict:
    from pipeline.run import run_pipeline

    records = read_corpus(corpus)
    gold = {r["key"]: r["label"] for r in records}
    size = -(-len(records) // batches)
    with tempfile.TemporaryDirectory(prefix="news-eval-stories-") as tmp:
        root = Path(tmp)
        run_settings = settings.with_dirs(root / "seeds", root / "warehouse")
        started = time.perf_counter()
        for number, first in enumerate(range(0, len(records), size), start=1):
            write_batch(records[first : first + size], root / "seeds" / f"batch-{number}")
            run_pipeline(run_settings, f"eval__stories_{number}")
        seconds = time.perf_counter() - started
        found = predicted_stories(root / "warehouse")
    predicted = {key: found.get(key) or f"alone:{key}" for key in gold}
    grid = {t: bcubed(baseline(records, t), gold) for t in (0.75, 0.8, 0.85, 0.9)}
    best = max(grid, key=lambda t: grid[t]["f1"])
    return {"corpus": str(corpus), "articles": len(records), "stories": len(set(gold.values())), "batches": batches,
            "pipeline_seconds": round(seconds, 1), "not_loaded": sum(1 for k in gold if k not in found),
            "pipeline": bcubed(predicted, gold),
            "baseline_fixed": {"threshold": BASELINE_THRESHOLD, **grid[BASELINE_THRESHOLD]},
            "baseline_best": {"threshold": best, **grid[best]}}
