"""`pipeline sql` is read-only for real: one test per way out, on a real DuckDB warehouse."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from pipeline.cli import main


@pytest.fixture
def warehouse(tmp_path: Path) -> Path:
    root = tmp_path / "warehouse"
    (root / "lake" / "articles").mkdir(parents=True)
    with duckdb.connect(str(root / "news.duckdb")) as con:
        con.execute("CREATE TABLE articles AS SELECT 'a1' AS article_id, '=HYPERLINK(\"http://x\")' AS title, -3 AS n")
        con.execute(f"COPY articles TO '{root / 'lake' / 'articles' / 'a.parquet'}' (FORMAT parquet)")
    (tmp_path / "secret.txt").write_text("not for analysts")
    return root


def _sql(warehouse: Path, query: str, capsys, *extra: str) -> tuple[int, str, str]:
    code = main(["sql", "--warehouse", str(warehouse), *extra, query])
    out = capsys.readouterr()
    return code, out.out, out.err


def _unchanged(warehouse: Path) -> bool:
    with duckdb.connect(str(warehouse / "news.duckdb"), read_only=True) as con:
        return con.execute("SELECT count(*) FROM articles").fetchone()[0] == 1


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("COPY (SELECT 1) TO '{db}'", "(COPY) is refused"),
        ("COPY articles TO '{lake}/x.parquet'", "(COPY) is refused"),
        ("ATTACH '{tmp}/new.duckdb' (READ_WRITE)", "(ATTACH) is refused"),
        ("INSTALL httpfs", "(INSTALL) is refused"),
        ("LOAD httpfs", "(LOAD) is refused"),
        ("SET enable_external_access = true", "(SET) is refused"),
        ("DELETE FROM articles", "(DELETE) is refused"),
        ("CREATE TABLE t AS SELECT 1", "(CREATE) is refused"),
        ("EXPORT DATABASE '{tmp}/out'", "(EXPORT) is refused"),
        ("SELECT 1; DELETE FROM articles", "statement 2 (DELETE) is refused"),
        ("SELECT * FROM read_text('{tmp}/secret.txt')", "file system operations are disabled"),
        ("SELECT * FROM read_csv('/etc/passwd')", "file system operations are disabled"),
        ("SELECT * FROM read_parquet('{lake}/../../secret.txt')", "file system operations are disabled"),
        ("SELECT * FROM read_parquet('https://example.com/x.parquet')", "disabled"),
    ],
)
def test_every_way_out_is_refused(warehouse: Path, capsys, query: str, words: str) -> None:
    db = warehouse / "news.duckdb"
    before = db.read_bytes()
    query = query.format(db=db, lake=warehouse / "lake", tmp=warehouse.parent)
    code, out, err = _sql(warehouse, query, capsys)
    assert code == 1 and words in err, (out, err)
    assert db.read_bytes() == before and _unchanged(warehouse)
    assert not (warehouse.parent / "new.duckdb").exists() and not (warehouse / "lake" / "x.parquet").exists()


def test_queries_and_the_lake_can_be_read_and_every_result_is_shown(warehouse: Path, capsys) -> None:
    code, out, _ = _sql(warehouse, f"SELECT count(*) AS n FROM articles; SELECT count(*) AS m FROM read_parquet('{warehouse}/lake/articles/*.parquet')", capsys, "--csv")
    assert code == 0 and out.split() == ["n", "1", "m", "1"]


def test_csv_output_neutralises_formula_cells(warehouse: Path, capsys) -> None:
    code, out, _ = _sql(warehouse, "SELECT title, n, '+1' AS plus, '@SUM(A1)' AS at, 'plain' AS ok FROM articles", capsys, "--csv")
    assert code == 0
    assert out.splitlines()[1] == "\"'=HYPERLINK(\"\"http://x\"\")\",-3,'+1,'@SUM(A1),plain"
