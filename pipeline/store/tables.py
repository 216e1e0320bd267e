"""The warehouse tables, as the pipeline stages them: Arrow schemas read from ``schema.sql``.

``sql/schema.sql`` is the one definition of every table's columns. The Arrow schemas the enrich
stage writes its Parquet with are derived from it (DuckDB creates the tables in memory and
reports their Arrow types), so a column added to the SQL is staged, validated and loaded without
a second list to keep in step. Columns DuckDB fills itself at insert (``ingest_log.logged_at``)
are not staged.
"""

from __future__ import annotations

import pyarrow as pa

from pipeline.config import SQL_DIR

# Tables whose rows belong to one article: a re-processed article replaces its rows in these.
ARTICLE_TABLES = (
    "articles", "sentences", "entity_mentions", "quotes", "citations", "claims", "timeline", "cleaning_log", "article_signatures",
)
TABLES = (*ARTICLE_TABLES, "ingest_log")
FILLED_BY_THE_WAREHOUSE = {"ingest_log": ("logged_at",)}
# Staged, not loaded: a big JSON-lines file is read in parts (``lines 1-100``), one staged row
# each; load merges them into the file's one ingest_log row.
STAGING_ONLY = {"ingest_log": (pa.field("part", pa.string()),)}


def _schemas() -> dict[str, pa.Schema]:
    import duckdb

    with duckdb.connect() as con:
        con.execute("SET TimeZone = 'UTC'")
        con.execute((SQL_DIR / "schema.sql").read_text(encoding="utf-8"))
        schemas = {}
        for table in (*TABLES, "entities"):
            schema = con.sql(f"SELECT * FROM {table} LIMIT 0").arrow().schema
            for column in FILLED_BY_THE_WAREHOUSE.get(table, ()):
                schema = schema.remove(schema.get_field_index(column))
            schemas[table] = pa.schema([pa.field(f.name, f.type) for f in schema])
    return schemas


WAREHOUSE_SCHEMAS: dict[str, pa.Schema] = _schemas()
SCHEMAS: dict[str, pa.Schema] = {  # as staged
    table: pa.schema([*schema, *STAGING_ONLY.get(table, ())]) for table, schema in WAREHOUSE_SCHEMAS.items()
}
ENTITIES_SCHEMA = WAREHOUSE_SCHEMAS["entities"]


def to_table(name: str, rows: list[dict]) -> pa.Table:
    """Build a staged table from row dicts, with the table's exact schema."""
    return pa.Table.from_pylist(rows, schema=SCHEMAS[name])


def as_loaded(name: str, table: pa.Table) -> pa.Table:
    """A staged table without its staging-only columns: what the warehouse holds."""
    return table.select(WAREHOUSE_SCHEMAS[name].names)
