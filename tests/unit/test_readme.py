"""The README's manifest example and format list match what the pipeline accepts."""

from __future__ import annotations

import re

from pipeline.sources.formats import HTML_SUFFIXES, JSONL_SUFFIXES
from pipeline.sources.manifest import MANIFEST_COLUMNS, MANIFEST_NAME, read_manifest
from tests.conftest import PROJECT

README = (PROJECT / "README.md").read_text(encoding="utf-8")


def test_manifest_example_parses_with_its_metadata() -> None:
    example = re.search(r"```csv\n(.*?)```", README, re.S).group(1)
    assert example.splitlines()[0] == ",".join(MANIFEST_COLUMNS)
    manifest = read_manifest(example.encode(), "manifest.csv")
    assert manifest.errors == {} and manifest.problems == []
    meta = manifest.meta_by_file
    assert meta["bbc.html"]["outlet"] == "BBC News"
    assert meta["bbc.html"]["published_at"].isoformat() == "2024-08-08T14:30:00+00:00"
    assert meta["kyiv-post.txt"]["url"].startswith("https://")


def test_every_accepted_format_is_documented() -> None:
    formats = README[README.index("**Accepted formats**") : README.index("**Batch manifest.**")]
    for suffix in sorted(HTML_SUFFIXES | JSONL_SUFFIXES | {".txt"}):
        assert f"`*{suffix}`" in formats, f"{suffix} is accepted but not in the README's format table"
    assert f"`{MANIFEST_NAME}`" in formats


def test_performance_table_shows_the_committed_bench_run() -> None:
    import json

    latest = json.loads((PROJECT / "bench" / "latest.json").read_text())
    for run in latest["runs"]:
        n = run["processes"]
        row = re.search(rf"^\| {n} process(?:es)? \| ([\d,]+) tokens/s \| ([\d,]+) tokens/s \| ([\d.]+)", README, re.M)
        assert row, f"no README row for {n} process(es)"
        raw, pipeline, ratio = row.groups()
        assert float(raw.replace(",", "")) == round(run["raw"]["tokens_per_s"])
        assert float(pipeline.replace(",", "")) == round(run["pipeline"]["tokens_per_s"])
        assert float(ratio) == round(run["pipeline_to_raw"], 2)


def test_cluster_table_shows_the_committed_cluster_bench() -> None:
    import json

    cluster = json.loads((PROJECT / "bench" / "cluster.json").read_text())["cluster"]
    one, two = sorted(cluster["runs"], key=lambda r: r["workers"])
    enrich = re.search(r"^\| enrich \(first start to last end of the mapped tasks\) \| ([\d.]+) s \| ([\d.]+) s \| \*\*([\d.]+)\*\* \|", README, re.M)
    run = re.search(r"^\| whole DAG run \| ([\d.]+) s \| ([\d.]+) s \| ([\d.]+) \|", README, re.M)
    assert enrich and run, "the README's cluster table is missing"
    assert [float(x) for x in enrich.groups()] == [one["enrich_span_seconds"], two["enrich_span_seconds"], round(cluster["enrich_2_over_1"], 2)]
    assert [float(x) for x in run.groups()] == [one["run_seconds"], two["run_seconds"], round(cluster["run_2_over_1"], 2)]
