"""The HTML validation report: a summary of what failed and whom it concerns, then every expectation."""

from __future__ import annotations

import html
import json
from pathlib import Path

from pipeline.quality.findings import Findings, Outcome

STYLE = (
    "<style>body{font-family:sans-serif;margin:2em}td,th{border:1px solid #ccc;padding:4px 8px;"
    "text-align:left;vertical-align:top}table{border-collapse:collapse;margin-bottom:2em}"
    ".fail{background:#fdd}.pass{background:#efe}</style>"
)
e = html.escape


def _json(value, limit: int) -> str:
    return e(json.dumps(value, default=str, ensure_ascii=False)[:limit])


def _summary(findings: Findings, run_id: str) -> list[str]:
    run_wide, row_level = findings.run_wide(), findings.row_level()
    status = "FAILED: nothing was loaded" if run_wide else ("passed, with articles quarantined" if row_level else "passed")
    return [
        "<!doctype html><meta charset='utf-8'><title>Validation report</title>", STYLE,
        f"<h1>Validation of run {e(run_id)}: {status}</h1>",
        "<h2>Summary</h2><ul>",
        f"<li>{len(run_wide)} run-wide failure(s) (they stop the run)</li>",
        f"<li>{len(findings.rejected_articles)} article(s) and {len(findings.rejected_files)} file(s) quarantined by row-level checks</li>",
        f"<li>rows checked: {e(json.dumps(findings.rows))}</li></ul>",
    ]


def _run_wide_table(findings: Findings) -> list[str]:
    failed = findings.run_wide()
    if not failed:
        return []
    rows = [f"<tr class='fail'><td>{e(t)}</td><td>{e(o.expectation)}</td><td>{e(o.column)}</td><td>{_json(o.sample, 500)}</td><td>{e(o.notes)}</td></tr>"
            for t, o in failed]
    return ["<h3>Run-wide failures</h3><table><tr><th>table</th><th>expectation</th><th>column</th><th>sample</th><th>why it matters</th></tr>",
            *rows, "</table>"]


def _quarantined_table(findings: Findings) -> list[str]:
    if not (findings.rejected_articles or findings.rejected_files):
        return []
    rows = [
        f"<tr class='fail'><td>{e(findings.article_files.get(a, '?'))}</td><td>{e(a)}</td><td>{'<br>'.join(e(r) for r in reasons[:10])}</td></tr>"
        for a, reasons in sorted(findings.rejected_articles.items(), key=lambda kv: findings.article_files.get(kv[0], ""))
    ]
    rows += [f"<tr class='fail'><td>{e(f)}</td><td></td><td>{'<br>'.join(e(r) for r in reasons[:10])}</td></tr>"
             for f, reasons in sorted(findings.rejected_files.items())]
    return ["<h3>Quarantined articles and files</h3><table><tr><th>file</th><th>article</th><th>what failed</th></tr>", *rows, "</table>"]


def _outcome_row(o: Outcome) -> str:
    result = "pass" if o.success else ("FAIL (run-wide)" if o.run_wide else "FAIL (articles quarantined)")
    return (f"<tr class='{'pass' if o.success else 'fail'}'><td>{e(o.expectation)}</td><td>{_json(o.kwargs, 300)}</td>"
            f"<td>{result}</td><td>{_json(o.sample[:5], 500)}</td><td>{e(o.notes)}</td></tr>")


def _every_expectation(findings: Findings) -> list[str]:
    parts = ["<h2>Every expectation</h2>"]
    for table, table_outcomes in findings.outcomes.items():
        outcomes = list(table_outcomes.values())
        passed = all(o.success for o in outcomes)
        parts.append(f"<h3>{e(table)}: {'passed' if passed else 'FAILED'} ({findings.rows.get(table, 0)} rows)</h3><table><tr><th>expectation</th>"
                     "<th>arguments</th><th>result</th><th>sample of bad values</th><th>why it matters</th></tr>")
        parts.extend(_outcome_row(o) for o in sorted(outcomes, key=lambda o: o.success))
        parts.append("</table>")
    return parts


def write_report(findings: Findings, path: Path, run_id: str) -> Path:
    """A self-contained HTML page: a summary naming each failing article and file, then every expectation."""
    path.parent.mkdir(parents=True, exist_ok=True)
    parts = [*_summary(findings, run_id), *_run_wide_table(findings), *_quarantined_table(findings), *_every_expectation(findings)]
    path.write_text("\n".join(parts), encoding="utf-8")
    return path
