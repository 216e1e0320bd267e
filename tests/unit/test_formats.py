"""Formats: JSON lines and manifests read record by record; one bad line or row names itself and spoils nothing else."""

from __future__ import annotations

import json

import pytest

from pipeline.sources.files import Rejected
from pipeline.sources.formats import read_articles
from pipeline.sources.manifest import read_manifest

BODY = "Ukrainian forces pressed on in the Kursk region on Saturday, officials in Kyiv said on Sunday."


def _jsonl(*lines: str) -> bytes:
    return "\n".join(lines).encode("utf-8")


def test_jsonl_splits_on_newlines_only_and_keeps_line_numbers() -> None:
    with_separator = json.dumps({"title": "One", "body": BODY + "\u2028Second paragraph.\u0085"}, ensure_ascii=False)
    assert "\u2028" in with_separator  # raw, as JSON allows inside a string
    data = _jsonl(with_separator, "{broken", json.dumps({"title": "Three", "body": BODY}))
    articles, problems = read_articles("wire.jsonl", data, max_bytes=100_000)
    assert [a.suffix for a in articles] == ["#L1", "#L3"]
    assert "Second paragraph." in articles[0].text
    assert problems == ["line 2: not valid JSON (Expecting property name enclosed in double quotes at column 2)"]


def test_jsonl_line_nested_too_deeply_or_with_wrong_types_is_named() -> None:
    deep = "[" * 100_000 + "]" * 100_000
    data = _jsonl(
        json.dumps({"title": "Good", "body": BODY}),
        '{"title": "Deep", "body": ' + deep + "}",
        json.dumps({"title": ["not", "text"], "body": BODY}),
        json.dumps({"title": "Dated", "body": BODY, "published_at": 20240807}),
        json.dumps({"title": "x" * 200_000, "body": BODY}),
    )
    articles, problems = read_articles("wire.jsonl", data, max_bytes=100_000)
    assert [a.suffix for a in articles] == ["#L1"]
    assert problems[0] == "line 2: JSON nested too deeply to be an article"
    assert problems[1].startswith("line 3: title") and "is not text" in problems[1]
    assert problems[2].startswith("line 4: published_at '20240807' is not text")
    assert problems[3].startswith("line 5: title and body are over 100,000 bytes")


def test_jsonl_with_no_usable_line_is_rejected_with_the_lines_named() -> None:
    result = read_articles("wire.jsonl", _jsonl("{oops", "[1, 2]"), max_bytes=100_000)
    assert isinstance(result, Rejected) and "line 1: not valid JSON" in result.reason and "line 2: expected a JSON object" in result.reason


MANIFEST_HEADER = "file,url,outlet,published_at,title"


def test_manifest_unclosed_quote_spoils_only_its_row() -> None:
    data = "\n".join([
        MANIFEST_HEADER,
        'a.txt,https://a.example/1,"Kyiv Post,2024-08-07,',
        "b.txt,https://b.example/2,BBC,2024-08-08,",
    ]).encode()
    manifest = read_manifest(data, "manifest.csv")
    assert manifest.meta_by_file == {"b.txt": {"url": "https://b.example/2", "outlet": "BBC", "published_at": manifest.meta_by_file["b.txt"]["published_at"]}}
    assert "manifest.csv row 2: cannot be read" in manifest.errors["a.txt"]
    assert any("row 2" in p for p in manifest.problems)


def test_manifest_repeated_rows_are_reported_by_number() -> None:
    data = "\n".join([
        MANIFEST_HEADER,
        "a.txt,https://a.example/1,Kyiv Post,2024-08-07,",
        "b.txt,,BBC,,",
        "a.txt,https://a.example/1,Kyiv Post,2024-08-07,",
        "b.txt,,Reuters,,",
    ]).encode()
    manifest = read_manifest(data, "manifest.csv")
    assert "a.txt" in manifest.meta_by_file and "row 4 repeats row 2 for a.txt" in manifest.problems
    assert "b.txt" not in manifest.meta_by_file
    assert manifest.errors["b.txt"].startswith("manifest.csv rows 3 and 5 both describe b.txt with different values")


def test_manifest_cell_over_the_csv_field_limit_is_a_row_problem() -> None:
    data = "\n".join([MANIFEST_HEADER, "a.txt,,BBC,,", "b.txt,,\"" + "x" * 200_000 + "\",,"]).encode()
    manifest = read_manifest(data, "manifest.csv")
    assert "a.txt" in manifest.meta_by_file
    assert "row 3: cannot be read (field larger than field limit" in manifest.errors["b.txt"]


@pytest.mark.parametrize("header", ["", "url,outlet\n"])
def test_manifest_without_a_file_column_cannot_be_read(header: str) -> None:
    with pytest.raises(ValueError, match="no 'file' column"):
        read_manifest((header + "a,b\n").encode(), "manifest.csv")
