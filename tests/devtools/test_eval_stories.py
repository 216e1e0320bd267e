"""`python -m pipeline eval-stories` on a labelled corpus the test writes: real runs, real scores."""

from __future__ import annotations

import json

import pytest

from tests.utils import pipeline_command

EVENTS = {
    "flood": ("Ostra river floods Velmora", "The river Ostra flooded the old town of Velmora and rescuers in boats reached families "
              "trapped in flooded houses near the Saint Ivo bridge, where the embankment failed overnight."),
    "eclipse": ("Total lunar eclipse turns the moon red", "A total lunar eclipse turned the full moon a deep red on Wednesday night, "
                "and astronomers said skywatchers across Asia and Australia had the best view of the blood moon."),
    "bitcoin": ("Bitcoin price slumps below six thousand dollars", "The price of bitcoin slumped below six thousand dollars as "
                "cryptocurrency exchanges faced new regulation and investors sold digital coins in a panic."),
}


def test_eval_stories_scores_a_labelled_corpus_fed_in_batches(tmp_path) -> None:
    (tmp_path / "stories_dev").mkdir()
    corpus = tmp_path / "stories_dev" / "articles.jsonl"
    lines = []
    for day, outlet in enumerate(("Daily", "Herald", "Tribune")):
        for event, (title, text) in EVENTS.items():
            body = f"{text} Reporters from the {outlet} spoke to witnesses on day {day + 1}. " + text.replace(" and ", " while ")
            lines.append({"event": event, "title": f"{title} ({outlet})", "text": body, "outlet": outlet,
                          "date_publish": f"2018-01-0{day + 1}T09:00:00", "url": f"https://{outlet.lower()}.example/{event}"})
    corpus.write_text("\n".join(json.dumps(line) for line in lines), encoding="utf-8")
    out = tmp_path / "report.json"
    # the folder, as the development set ships it: its one JSON-lines file is the corpus
    done = pipeline_command("eval-stories", str(corpus.parent), "--batches", "3", "--json", str(out))
    assert done.returncode == 0, done.stderr[-3000:]
    assert "pipeline (batches, incremental)" in done.stdout and "TF-IDF average link" in done.stdout
    report = json.loads(out.read_text())
    assert (report["articles"], report["stories"], report["batches"], report["not_loaded"]) == (9, 3, 3, 0)
    assert report["pipeline"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0, "clusters": 3}  # three events, three outlets each


@pytest.mark.parametrize(("line", "says"), [
    (json.dumps({"title": "No label", "text": "Some text."}), "story label"),
    ('{"event": "flood", "text": "cut off', "not a JSON object"),
])
def test_eval_stories_names_the_bad_line(tmp_path, line: str, says: str) -> None:
    corpus = tmp_path / "bad.jsonl"
    corpus.write_text(json.dumps({"event": "e", "title": "Fine", "text": "Some text."}) + "\n" + line + "\n", encoding="utf-8")
    done = pipeline_command("eval-stories", str(corpus), timeout=300)
    assert done.returncode != 0 and f"{corpus} line 2" in done.stderr and says in done.stderr, done.stderr[-500:]


@pytest.mark.parametrize("command", ["eval-stories", "eval-duplicates"])
def test_a_corpus_folder_without_exactly_one_jsonl_file_is_named(tmp_path, command: str) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    done = pipeline_command(command, str(empty), timeout=300)
    assert done.returncode == 1 and f"no corpus at {empty}" in done.stderr, done.stderr[-500:]
    two = tmp_path / "two"
    two.mkdir()
    for name in ("a.jsonl", "b.jsonl"):
        (two / name).write_text(json.dumps({"event": "e", "title": "T", "text": "Some text."}) + "\n", encoding="utf-8")
    done = pipeline_command(command, str(two), timeout=300)
    assert done.returncode == 1 and "2 JSON-lines files (a.jsonl, b.jsonl)" in done.stderr, done.stderr[-500:]
