"""The entity evaluation command on annotated documents the test writes itself, and its scoring."""

from __future__ import annotations

import json

import pytest

from devtools.entities_eval import named_spans, score_entities
from tests.utils import pipeline_command

pytestmark = pytest.mark.e2e

TEXT = ("Harbour council elects a mayor\n"
        "Maria Lopez won the vote in Portsmouth on Monday. Lopez thanked the council. "
        "The United Nations praised the vote, and a U.N. envoy visited Portsmouth.")


def _doc() -> dict:
    entities = []
    for number, (part, etype, identity, nth) in enumerate([
        ("Maria Lopez", "person", None, 0), ("Lopez", "person", None, 1), ("Portsmouth", "place", "Portsmouth", 0),
        ("the council", "organization", None, 0), ("The United Nations", "organization", "United_Nations", 0),
        ("U.N.", "organization", "United_Nations", 0), ("Portsmouth", "place", "Portsmouth", 1),
    ]):
        start = -1
        for _ in range(nth + 1):
            start = TEXT.index(part, start + 1)
        group = {"Maria Lopez": "1", "Lopez": "1", "Portsmouth": "2", "the council": "3"}.get(part, "4")
        entity = {"id": group, "start": start, "end": start + len(part), "etype": etype, "text": part}
        if identity:
            entity["identity"] = identity
        entities.append(entity)
    return {"doc_id": "harbour", "text": TEXT, "sentences": [], "entities": entities}


def test_named_gold_mentions_and_scoring() -> None:
    gold = named_spans(_doc(), None)
    assert [TEXT[s:e] for s, e, _ in gold] == ["Maria Lopez", "Lopez", "Portsmouth", "The United Nations", "U.N.", "Portsmouth"]
    one_id = [(s, e, "person:maria_lopez" if k == "group:1" else k) for s, e, k in gold]
    scored = score_entities({"d": one_id}, {"d": gold})
    assert scored["f1"] == 1.0 and scored["one_id_share"] == 1.0 and scored["false_merge_share"] == 0.0
    split_and_merged = [(s, e, "x" if k == "group:1" and TEXT[s:e] == "Lopez" else "y") for s, e, k in gold]
    scored = score_entities({"d": split_and_merged}, {"d": gold})
    assert scored["one_id_share"] < 1.0 and scored["false_merge_share"] > 0.0


def test_without_the_treebank_a_mention_is_named_by_its_head_word() -> None:
    """Without ``conllu/``, a mention is named when its head word (the last before "of", a comma, a
    relative clause) is capitalised: "the University of Portsmouth" is, "the council" and a "We"
    opening a sentence are not."""
    text = ("We met at the University of Portsmouth. The New York Times, which covers the council, "
            "wrote that the council of Portsmouth met. It's late.")
    parts = [("We", "person", 0), ("the University of Portsmouth", "organization", 0), ("Portsmouth", "place", 0),
             ("The New York Times, which covers the council", "organization", 0), ("the council", "organization", 0),
             ("the council of Portsmouth", "organization", 0), ("It's", "place", 0)]
    entities = []
    for number, (part, etype, nth) in enumerate(parts):
        start = -1
        for _ in range(nth + 1):
            start = text.index(part, start + 1)
        entities.append({"id": str(number), "start": start, "end": start + len(part), "etype": etype})
    named = [text[s:e] for s, e, _ in named_spans({"text": text, "entities": entities}, None)]
    assert named == ["the University of Portsmouth", "Portsmouth", "The New York Times, which covers the council"]


def test_eval_entities_command_scores_the_pipeline(tmp_path) -> None:
    folder = tmp_path / "gold"
    folder.mkdir()
    (folder / "docs.jsonl").write_text(json.dumps(_doc()) + "\n", encoding="utf-8")
    out = tmp_path / "report.json"
    done = pipeline_command("eval-entities", str(folder), "--json", str(out))
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(out.read_text())
    assert report["gold_mentions"] == 6 and report["recall"] >= 0.8
    assert report["one_id_share"] == 1.0 and report["false_merge_share"] == 0.0  # Lopez and the U.N. take their long forms' ids
    assert "one id per real entity" in done.stdout
    missing = pipeline_command("eval-entities", str(tmp_path / "nowhere"), timeout=120)
    assert missing.returncode == 1 and "docs.jsonl" in missing.stderr


def test_a_bad_line_is_named_with_what_to_do(tmp_path) -> None:
    from devtools.entities_eval import read_documents

    (tmp_path / "docs.jsonl").write_text(json.dumps(_doc()) + "\n{not json\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"docs\.jsonl line 2: not valid JSON .*fix or remove the line"):
        read_documents(tmp_path)
    (tmp_path / "docs.jsonl").write_text(json.dumps({"text": "x", "entities": [{"start": 0}]}) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"line 1: mention .* needs start, end, etype and id"):
        read_documents(tmp_path)
