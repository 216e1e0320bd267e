"""The quote evaluation command on a small annotated folder the test writes itself (brat standoff)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from devtools.brat import read_ann
from devtools.evaluate import score_attributions
from tests.utils import pipeline_command

pytestmark = pytest.mark.e2e

TEXT = (
    "Senator warns on budget\n\n"
    "The budget talks stalled again on Monday after a long night of negotiations in the capital.\n\n"
    "\u201cWe are not going to accept these cuts,\u201d said Senator Maria Lopez. \u201cThey hurt families.\u201d\n\n"
    "Lopez told reporters that the committee would meet again next week.\n\n"
    "According to the treasury, the deficit will grow by two percent this year."
)


def _span(text: str, part: str) -> tuple[int, int]:
    start = text.index(part)
    return start, start + len(part)


def _write_folder(root: Path) -> Path:
    (root / "text").mkdir(parents=True)
    (root / "attributions").mkdir()
    (root / "text" / "budget.txt").write_text(TEXT, encoding="utf-8")
    q1 = _span(TEXT, "\u201cWe are not going to accept these cuts,\u201d")
    q2 = _span(TEXT, "\u201cThey hurt families.\u201d")
    speaker = _span(TEXT, "Senator Maria Lopez")
    cue = _span(TEXT, "said")
    ind = _span(TEXT, "that the committee would meet again next week")
    lopez = _span(TEXT, "Lopez told")
    told = (lopez[0] + 6, lopez[0] + 10)
    acc = _span(TEXT, "the deficit will grow by two percent this year")
    treasury = _span(TEXT, "the treasury")
    lines = [
        f"T1\tContent {q1[0]} {q1[1]};{q2[0]} {q2[1]}\t{TEXT[q1[0]:q1[1]]} {TEXT[q2[0]:q2[1]]}",
        f"T2\tSource {speaker[0]} {speaker[1]}\tSenator Maria Lopez",
        f"T3\tCue {cue[0]} {cue[1]}\tsaid",
        "E1\tAttribution:T3 Content:T1 Cue:T3 Source:T2",
        f"T4\tContent {ind[0]} {ind[1]}\t{TEXT[ind[0]:ind[1]]}",
        f"T5\tSource {lopez[0]} {lopez[0] + 5}\tLopez",
        f"T6\tCue {told[0]} {told[1]}\ttold",
        "E2\tAttribution:T6 Content:T4 Cue:T6 Source:T5",
        f"T7\tContent {acc[0]} {acc[1]}\t{TEXT[acc[0]:acc[1]]}",
        f"T8\tSource {treasury[0]} {treasury[1]}\tthe treasury",
        "E3\tAttribution:T8 Content:T7 Source:T8",
    ]
    (root / "attributions" / "budget_ann1.ann").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


def test_read_ann_and_scoring(tmp_path) -> None:
    folder = _write_folder(tmp_path / "gold")
    attributions = read_ann(folder / "attributions" / "budget_ann1.ann")
    assert [a.is_direct for a in attributions] == [True, False, False]
    assert len(attributions[0].content) == 2  # a quotation split by its attribution
    gold = {"budget": attributions}
    start = attributions[0].content[0][0]
    end = attributions[0].content[1][1]
    perfect = score_attributions({"budget": [(start, end, *attributions[0].source[0])]}, {"budget": gold["budget"][:1]})
    assert perfect["f1"] == 1.0 and perfect["speaker_accuracy"] == 1.0
    wrong_speaker = score_attributions({"budget": [(start, end, 0, 3)]}, {"budget": gold["budget"][:1]})
    assert wrong_speaker["f1"] == 1.0 and wrong_speaker["speaker_accuracy"] == 0.0
    too_short = score_attributions({"budget": [(start, start + 3, None, None)]}, {"budget": gold["budget"][:1]})
    assert too_short["matched"] == 1  # overlap is at least half of the shorter span
    elsewhere = score_attributions({"budget": [(0, 10, None, None)]}, {"budget": gold["budget"][:1]})
    assert elsewhere["f1"] == 0.0


def test_eval_quotes_command_scores_the_pipeline(tmp_path) -> None:
    folder = _write_folder(tmp_path / "gold")
    out = tmp_path / "report.json"
    done = pipeline_command("eval-quotes", str(folder), "--json", str(out))
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(out.read_text())
    direct = report["pipeline"]["direct"]
    assert direct["gold"] == 1 and direct["matched"] == 1 and direct["speaker_accuracy"] == 1.0
    sourced = report["pipeline"]["all_sourced"]
    assert sourced["gold"] == 3 and sourced["matched"] == 3
    assert "textacy_direct_quotations" in report
    assert "pipeline" in done.stdout and "textacy_direct_quotations" in done.stdout
