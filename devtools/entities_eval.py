"""Score named-entity mentions and their ids against coreference-annotated documents, through the pipeline.

``python -m pipeline eval-entities DIR`` reads ``DIR/docs.jsonl`` (one document per line: ``doc_id``,
``text`` and ``entities``, mention spans with ``start``/``end`` offsets into ``text``, ``etype``,
the coreference group ``id`` and, for named entities, a Wikipedia ``identity``; the format of
GUM as the entity development set ships it), writes every text as an article under a temporary
``seeds/``, runs the whole pipeline and reads ``entity_mentions`` back, offsets mapped to the text.

Gold mentions are the *named* mentions of people, organisations and places: ``etype`` person,
organization or place whose head is a proper noun in the treebank beside it (``conllu/<doc_id>.conllu``;
without it, mentions whose words are all capitalised); pronouns and common nouns ("the city") are
left out. One real entity is one Wikipedia identity, else one coreference group.

- **mentions**: a predicted PERSON/ORG/GPE/LOC/FAC mention matches the gold mention it overlaps
  most (one to one, at least half of the shorter span); precision, recall, F1.
- **one id**: of the real entities with two or more matched mentions, the share whose mentions all
  carry one ``entity_id``.
- **false merges**: of the ids with matched mentions, the share whose mentions belong to two or more
  real entities.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

GOLD_TYPES = {"person", "organization", "place"}
# The labels of people, organisations and places; NORP ("Russian", "Republicans") is a nationality
# or group, mostly an adjective, which the gold does not mark as a named mention.
PREDICTED_LABELS = {"PERSON", "ORG", "GPE", "LOC", "FAC"}


def read_conllu_tokens(path: Path) -> list[tuple[str, str, int, int]]:
    """``(form, xpos, index in document, index of its head in document or -1)`` for every token."""
    tokens: list[tuple[str, str, int, int]] = []
    sentence_base = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            sentence_base = len(tokens)
            continue
        if line.startswith("#"):
            continue
        cols = line.split("\t")
        if "-" in cols[0] or "." in cols[0]:
            continue  # multi-word and empty tokens
        head = int(cols[6])
        tokens.append((cols[1], cols[4], len(tokens), sentence_base + head - 1 if head else -1))
    return tokens


def token_offsets(text: str, tokens: list[tuple[str, str, int, int]]) -> list[tuple[int, int]]:
    """Each token's character span in the document text (tokens are found in order)."""
    spans, position = [], 0
    for form, *_ in tokens:
        found = text.find(form, position)
        if found < 0:
            spans.append((position, position))
            continue
        spans.append((found, found + len(form)))
        position = found + len(form)
    return spans


# Where a mention's head has been written: before its first modifier after the head ("the University
# | of Portsmouth", "The New York Times | , which ...", "Henry Sweet | and Paul Passy").
_AFTER_HEAD = re.compile(r"\s+(?:of|in|at|from|for|on|with|who|which|that|whose|where|to|and|or|by|near|during|as)\s|\s*[,(;:–—]|\s+-\s+")
# A contraction or a possessive after the head word ("It's", "the Tsar's").
_CLITIC = re.compile(r"(?:['’](?:s|m|re|ve|ll|d)|n['’]t)$", re.I)


def _capitalised_head(written: str) -> bool:
    """Without the treebank: the mention's head (the last word before what follows it) is written with
    a capital and is no pronoun or other function word ("We" opening a sentence, "This")."""
    from spacy.lang.en.stop_words import STOP_WORDS

    words = _AFTER_HEAD.split(written, maxsplit=1)[0].split()
    head = _CLITIC.sub("", words[-1]).strip("\"'“”‘’.") if words else ""
    return head[:1].isupper() and head.lower() not in STOP_WORDS


def named_spans(doc: dict, tokens: list[tuple[str, str, int, int]] | None) -> list[tuple[int, int, str]]:
    """``(start, end, real entity key)`` of the named gold mentions: person, organisation or place
    mentions whose syntactic head is a proper noun (NNP, NNPS). Without the treebank, mentions whose
    head word, the last before what follows it, is capitalised and no pronoun (:func:`_capitalised_head`)."""
    if tokens is None:
        return [(m["start"], m["end"], m.get("identity") or f"group:{m['id']}") for m in doc["entities"]
                if m["etype"] in GOLD_TYPES and _capitalised_head(doc["text"][m["start"] : m["end"]])]
    spans = token_offsets(doc["text"], tokens)
    found = []
    for m in doc["entities"]:
        if m["etype"] not in GOLD_TYPES:
            continue
        inside = [t for t, (s, e) in zip(tokens, spans) if s >= m["start"] and e <= m["end"] and e > s]
        indices = {t[2] for t in inside}
        heads = [t for t in inside if t[3] not in indices]
        if heads and heads[0][1] in ("NNP", "NNPS"):
            found.append((m["start"], m["end"], m.get("identity") or f"group:{m['id']}"))
    return found


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def match(predicted: list[tuple[int, int, str]], gold: list[tuple[int, int, str]]) -> list[tuple[int, int]]:
    """One-to-one pairs (predicted index, gold index), best overlap first, at least half of the shorter span."""
    pairs = []
    for i, p in enumerate(predicted):
        for j, g in enumerate(gold):
            shared = _overlap(p[:2], g[:2])
            if shared and shared >= 0.5 * min(p[1] - p[0], g[1] - g[0]):
                pairs.append((shared / (max(p[1], g[1]) - min(p[0], g[0])), i, j))
    pairs.sort(reverse=True)
    used_p, used_g, matched = set(), set(), []
    for _, i, j in pairs:
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            matched.append((i, j))
    return matched


def score_entities(predicted: dict[str, list[tuple[int, int, str]]], gold: dict[str, list[tuple[int, int, str]]]) -> dict:
    """Mention P/R/F1, the one-id share of real entities and the false-merge share of ids."""
    n_pred = n_gold = n_match = 0
    entities_multi = entities_one_id = ids_total = ids_merged = 0
    examples: dict[str, list] = {"split": [], "merged": []}
    for name, golds in gold.items():
        preds = predicted.get(name, [])
        pairs = match(preds, golds)
        n_pred, n_gold, n_match = n_pred + len(preds), n_gold + len(golds), n_match + len(pairs)
        ids_of: dict[str, set[str]] = {}
        entities_of: dict[str, set[str]] = {}
        for i, j in pairs:
            ids_of.setdefault(golds[j][2], set()).add(preds[i][2])
            entities_of.setdefault(preds[i][2], set()).add(golds[j][2])
        counts: dict[str, int] = {}
        for _, j in pairs:
            counts[golds[j][2]] = counts.get(golds[j][2], 0) + 1
        for entity, ids in ids_of.items():
            if counts[entity] >= 2:
                entities_multi += 1
                entities_one_id += len(ids) == 1
                if len(ids) > 1 and len(examples["split"]) < 40:
                    examples["split"].append({"document": name, "entity": entity, "ids": sorted(ids)})
        for entity_id, entities in entities_of.items():
            ids_total += 1
            if len(entities) > 1:
                ids_merged += 1
                if len(examples["merged"]) < 40:
                    examples["merged"].append({"document": name, "id": entity_id, "entities": sorted(entities)})
    precision = n_match / n_pred if n_pred else 0.0
    recall = n_match / n_gold if n_gold else 0.0
    return {
        "predicted_mentions": n_pred, "gold_mentions": n_gold, "matched": n_match,
        "precision": round(precision, 3), "recall": round(recall, 3),
        "f1": round(2 * precision * recall / (precision + recall), 3) if precision + recall else 0.0,
        "entities_with_two_or_more_mentions": entities_multi,
        "one_id_share": round(entities_one_id / entities_multi, 3) if entities_multi else 0.0,
        "ids": ids_total,
        "false_merge_share": round(ids_merged / ids_total, 3) if ids_total else 0.0,
        "examples": examples,
    }


def read_documents(folder: Path) -> list[dict]:
    path = folder / "docs.jsonl" if folder.is_dir() else folder
    if not path.is_file():
        raise ValueError(f"{path}: not found; give a folder holding docs.jsonl (one annotated document per line)")
    docs = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            doc = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path} line {number}: not valid JSON ({exc.msg} at column {exc.colno}); fix or remove the line") from None
        if not isinstance(doc, dict) or "text" not in doc or "entities" not in doc:
            raise ValueError(f"{path} line {number}: needs a JSON object with 'text' and 'entities'")
        bad = next((m for m in doc["entities"] if not {"start", "end", "etype", "id"} <= set(m)), None)
        if bad is not None:
            raise ValueError(f"{path} line {number}: mention {str(bad)[:80]} needs start, end, etype and id")
        docs.append(doc)
    return docs


def evaluate_entities(folder: Path, settings) -> dict:
    """Run the annotated documents through the pipeline and score ``entity_mentions``."""
    from devtools.evaluate import raw_offsets, run_annotated

    docs = read_documents(folder)
    treebank = (folder if folder.is_dir() else folder.parent) / "conllu"
    gold: dict[str, list] = {}
    raws: dict[str, str] = {}
    for number, doc in enumerate(docs):
        key = f"e{number:04d}"
        raws[key] = doc["text"]
        conllu = treebank / f"{doc.get('doc_id', '')}.conllu"
        gold[key] = named_spans(doc, read_conllu_tokens(conllu) if conllu.is_file() else None)

    def write_seeds(seeds: Path) -> None:
        for key, text in raws.items():
            (seeds / f"{key}.txt").write_text(text, encoding="utf-8")

    bodies, rows, seconds = run_annotated(
        write_seeds, settings, "eval__entities",
        "SELECT a.source_path, m.start_char, m.end_char, m.entity_id FROM entity_mentions m "
        "JOIN articles a USING (article_id) WHERE m.label IN (SELECT unnest($labels))",
        {"labels": sorted(PREDICTED_LABELS)},
    )
    mappings = raw_offsets(bodies, lambda path: raws[Path(path).stem])
    predicted: dict[str, list] = {}
    for path, start, end, entity_id in rows:
        m = mappings[path]
        predicted.setdefault(Path(path).stem, []).append((m[start], m[end - 1] + 1, entity_id))
    loaded = {Path(p).stem for p in bodies}
    report = score_entities(predicted, {k: v for k, v in gold.items() if k in loaded})
    report.update({"folder": str(folder), "documents": len(docs), "loaded": len(loaded), "pipeline_seconds": round(seconds, 1)})
    return report
