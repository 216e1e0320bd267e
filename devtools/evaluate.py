"""Evaluation commands for analysts' own data (the project ships no third-party data).

``duplicates``: how well exact and near-duplicate detection finds the duplicate pairs of a
JSON-lines corpus (``title``, ``body`` per line). Two articles are a true duplicate pair when their
bodies are identical or their titles are (a story republished, possibly lightly rewritten); the
detector sees the bodies only. It runs the pipeline's own functions (cleaning, text hash, MinHash
signature, LSH search) and reports pair precision and recall for several thresholds.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import time
from pathlib import Path

from pipeline.nlp.minhash import find_near_duplicates, signature
from pipeline.sources.clean import clean


class _Groups:
    """Union-find over article indices."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        self.parent[self.find(a)] = self.find(b)

    def pairs(self) -> set[tuple[int, int]]:
        members: dict[int, list[int]] = {}
        for i in range(len(self.parent)):
            members.setdefault(self.find(i), []).append(i)
        return {pair for group in members.values() for pair in itertools.combinations(sorted(group), 2)}


def evaluate_duplicates(corpus: Path, thresholds: list[float]) -> dict:
    """Pair precision/recall of duplicate detection on a JSON-lines corpus, one row per threshold."""
    records = [json.loads(line) for line in corpus.read_text(encoding="utf-8").splitlines() if line.strip()]
    started = time.perf_counter()
    bodies = [clean(r["body"], title=r.get("title")).body for r in records]
    hashes = [hashlib.sha256(b.encode("utf-8")).hexdigest() for b in bodies]
    signatures = [signature(b) for b in bodies]
    signing_seconds = time.perf_counter() - started

    truth = _Groups(len(records))
    first_by: dict[tuple[str, str], int] = {}
    for i, r in enumerate(records):
        for key in (("title", r.get("title", "").strip().lower()), ("body", " ".join(r["body"].split()))):
            if key[1]:
                if key in first_by:
                    truth.union(i, first_by[key])
                else:
                    first_by[key] = i
    true_pairs = truth.pairs()
    exact_true = {(a, b) for a, b in true_pairs if hashes[a] == hashes[b]}

    rows = []
    for threshold in thresholds:
        started = time.perf_counter()
        found = _Groups(len(records))
        first_by_hash: dict[str, int] = {}
        unique: list[tuple[str, list[int]]] = []
        for i, h in enumerate(hashes):
            if h in first_by_hash:
                found.union(i, first_by_hash[h])
            else:
                first_by_hash[h] = i
                unique.append((str(i), signatures[i]))
        for article, (original, _) in find_near_duplicates([], unique, threshold).items():
            found.union(int(article), int(original))
        predicted = found.pairs()
        hits = len(predicted & true_pairs)
        rewrites = true_pairs - exact_true
        rows.append(
            {
                "threshold": threshold,
                "predicted_pairs": len(predicted),
                "precision": round(hits / len(predicted), 4) if predicted else 1.0,
                "recall": round(hits / len(true_pairs), 4) if true_pairs else 1.0,
                "recall_rewrites": round(len(predicted & rewrites) / len(rewrites), 4) if rewrites else 1.0,
                "seconds": round(time.perf_counter() - started, 2),
            }
        )
    return {
        "corpus": str(corpus),
        "articles": len(records),
        "true_pairs": len(true_pairs),
        "exact_pairs": len(exact_true),
        "rewrite_pairs": len(true_pairs) - len(exact_true),
        "signing_seconds": round(signing_seconds, 2),
        "results": rows,
    }


def body_offsets_in_raw(raw: str, body: str) -> list[int]:
    """For each character offset of a cleaned body, the offset of the same character in the raw file.

    The cleaner keeps whole lines (whitespace normalised, a bullet glyph dropped) and drops the
    title and furniture lines, so paragraphs are matched to raw lines in order and characters are
    matched within each line.
    """
    from pipeline.sources.clean import normalise
    from pipeline.sources.files import repair_mojibake

    def holds(line: str, paragraph: str) -> bool:  # as the pipeline read it: mojibake repaired, then normalised
        text = line.rstrip("\r\n")
        return normalise(text).endswith(paragraph) or normalise(repair_mojibake(text)).endswith(paragraph)

    mapping = [0] * (len(body) + 1)
    lines: list[tuple[int, str]] = []
    offset = 0
    for line in raw.splitlines(keepends=True):
        lines.append((offset, line))
        offset += len(line)
    line_index = 0
    position = 0
    for paragraph in body.split("\n\n"):
        while line_index < len(lines) and not holds(lines[line_index][1], paragraph):
            line_index += 1
        if line_index >= len(lines):
            break
        line_start, line = lines[line_index]
        j = len(line.rstrip("\r\n")) - 1
        i = len(paragraph) - 1
        while i >= 0 and j >= 0:  # walk from the end: a dropped bullet sits at the start
            p, r = paragraph[i], line[j]
            if p == r or (p.isspace() and r.isspace()):
                mapping[position + i] = line_start + j
                i -= 1
                j -= 1
            elif r.isspace() or r in "\u200b\u200c\u200d\u2060\ufeff\u00ad":
                j -= 1  # whitespace or an invisible character the cleaner removed
            elif p.isspace():
                mapping[position + i] = line_start + j + 1
                i -= 1
            else:  # a character changed by unicode normalisation
                mapping[position + i] = line_start + j
                i -= 1
                j -= 1
        while i >= 0:
            mapping[position + i] = line_start
            i -= 1
        end = position + len(paragraph)
        mapping[end] = mapping[end - 1] + 1 if paragraph else line_start
        if end + 1 < len(mapping):
            mapping[end + 1] = mapping[end]
        position = end + 2
        line_index += 1
    mapping[len(body)] = mapping[len(body) - 1] + 1 if body else 0
    return mapping


def _matches(pred: tuple[int, int], gold: tuple[tuple[int, int], ...]) -> bool:
    """Spans match when they overlap by at least half of the shorter one."""
    start, end = pred
    overlap = sum(max(0, min(end, e) - max(start, s)) for s, e in gold)
    shorter = min(end - start, sum(e - s for s, e in gold))
    return overlap > 0 and overlap >= 0.5 * shorter


def score_attributions(predicted: dict[str, list[tuple]], gold: dict[str, list]) -> dict:
    """Precision, recall and F1 of predicted statements, and speaker accuracy on the matched ones.

    Args:
        predicted: per document, ``(start, end, speaker_start, speaker_end)`` in raw-text offsets.
        gold: per document, :class:`devtools.brat.Attribution` objects.
    """
    tp = speaker_ok = n_pred = n_gold = 0
    for name, golds in gold.items():
        preds = sorted(predicted.get(name, []))
        n_pred += len(preds)
        n_gold += len(golds)
        used: set[int] = set()
        for start, end, s_start, s_end in preds:
            for index, g in enumerate(golds):
                if index not in used and _matches((start, end), g.content):
                    used.add(index)
                    tp += 1
                    if s_start is not None and any(min(s_end, e) > max(s_start, s) for s, e in g.source):
                        speaker_ok += 1
                    break
    precision = tp / n_pred if n_pred else 0.0
    recall = tp / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "predicted": n_pred, "gold": n_gold, "matched": tp,
        "precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3),
        "speaker_accuracy": round(speaker_ok / tp, 3) if tp else 0.0,
    }


def _textacy_direct(texts: dict[str, str], model: str) -> dict[str, list[tuple]] | None:
    """textacy's ``direct_quotations``, paragraph by paragraph, as a reference (None if not installed)."""
    try:
        from textacy.extract.triples import direct_quotations
    except ImportError:
        return None
    import spacy

    nlp = spacy.load(model)
    found: dict[str, list[tuple]] = {}
    for name, text in texts.items():
        rows = []
        offset = 0
        for paragraph in text.split("\n"):
            if paragraph.strip():
                doc = nlp(paragraph)
                try:
                    triples = list(direct_quotations(doc))
                except ValueError:  # textacy refuses paragraphs with unbalanced quotation marks
                    triples = []
                for triple in triples:
                    speaker = sorted(triple.speaker, key=lambda t: t.i)
                    rows.append(
                        (
                            offset + triple.content.start_char,
                            offset + triple.content.end_char,
                            offset + speaker[0].idx,
                            offset + speaker[-1].idx + len(speaker[-1].text),
                        )
                    )
            offset += len(paragraph) + 1
        found[name] = rows
    return found


def run_annotated(write_seeds, settings, run_id: str, sql: str, params: dict | None = None) -> tuple[dict[str, str], list[tuple], float]:
    """Run annotated texts through the whole pipeline in a temporary folder and read rows back.

    Args:
        write_seeds: called with the temporary ``seeds/`` folder; writes the texts (and manifests).
        settings: the installation's settings; only the folders are replaced.
        run_id: the run's id (``eval__...``).
        sql: the query whose rows to return; rows should start with ``articles.source_path``.
        params: its parameters.

    Returns:
        ``(bodies by source_path, rows, pipeline seconds)``.
    """
    import tempfile

    import duckdb

    from pipeline.run import run_pipeline

    with tempfile.TemporaryDirectory(prefix=f"{run_id}-") as tmp:
        seeds = Path(tmp) / "seeds"
        seeds.mkdir()
        write_seeds(seeds)
        run_settings = settings.with_dirs(seeds, Path(tmp) / "warehouse")
        started = time.perf_counter()
        run_pipeline(run_settings, run_id)
        seconds = time.perf_counter() - started
        with duckdb.connect(str(run_settings.db_path), read_only=True) as con:
            bodies = dict(con.execute("SELECT source_path, body FROM articles").fetchall())
            rows = con.execute(sql, params or {}).fetchall()
    return bodies, rows, seconds


def raw_offsets(bodies: dict[str, str], raw_of) -> dict[str, list[int]]:
    """Per source path, :func:`body_offsets_in_raw` against the raw text ``raw_of(source_path)``."""
    return {path: body_offsets_in_raw(raw_of(path), body) for path, body in bodies.items()}


def evaluate_quotes(folder: Path, settings, with_reference: bool = True) -> dict:
    """Score the pipeline's ``quotes`` table against brat attribution annotations.

    The annotated texts go through the whole pipeline (a temporary seeds folder and warehouse),
    the ``quotes`` table is read back, and its offsets (into the cleaned body) are mapped back to
    the raw texts the annotations point into.
    """
    import shutil

    from devtools.brat import read_folder

    data = read_folder(folder)

    def write_seeds(seeds: Path) -> None:
        for name in data:
            shutil.copy(folder / "text" / f"{name}.txt", seeds / f"{name}.txt")

    bodies, rows, seconds = run_annotated(
        write_seeds, settings, "eval__quotes",
        "SELECT a.source_path, q.kind, q.start_char, q.end_char, q.speaker_start, q.speaker_end "
        "FROM quotes q JOIN articles a USING (article_id)",
    )
    mappings = raw_offsets(bodies, lambda path: data[path[:-4]][0])
    direct: dict[str, list[tuple]] = {}
    everything: dict[str, list[tuple]] = {}
    for path, kind, start, end, s_start, s_end in rows:
        m = mappings[path]
        mapped = (m[start], m[end - 1] + 1, m[s_start] if s_start is not None else None, (m[s_end - 1] + 1) if s_end is not None else None)
        everything.setdefault(path[:-4], []).append(mapped)
        if kind == "direct":
            direct.setdefault(path[:-4], []).append(mapped)
    gold_direct = {name: [a for a in atts if a.is_direct and a.source] for name, (_, atts) in data.items()}
    gold_sourced = {name: [a for a in atts if a.source] for name, (_, atts) in data.items()}
    report = {
        "folder": str(folder),
        "articles": len(data),
        "pipeline_seconds": round(seconds, 1),
        "pipeline": {
            "direct": score_attributions(direct, gold_direct),
            "all_sourced": score_attributions(everything, gold_sourced),
        },
    }
    if with_reference:
        reference = _textacy_direct({name: text for name, (text, _) in data.items()}, settings.spacy_model)
        if reference is not None:
            report["textacy_direct_quotations"] = {
                "direct": score_attributions(reference, gold_direct),
                "all_sourced": score_attributions(reference, gold_sourced),
            }
    return report
