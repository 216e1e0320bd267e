"""Arrow schemas of the staged Parquet tables.

They mirror ``warehouse/sql/schema.sql``: the enrich stage writes exactly these columns (even for
an empty shard), the validate stage checks them, and the load stage inserts them by name.
"""

from __future__ import annotations

import pyarrow as pa

SCHEMAS: dict[str, pa.Schema] = {
    "articles": pa.schema(
        [
            ("article_id", pa.string()),
            ("batch_id", pa.string()),
            ("source_path", pa.string()),
            ("title", pa.string()),
            ("outlet", pa.string()),
            ("url", pa.string()),
            ("published_at", pa.timestamp("us", tz="UTC")),
            ("language", pa.string()),
            ("body", pa.string()),
            ("n_tokens", pa.int32()),
            ("n_sentences", pa.int32()),
            ("content_sha256", pa.string()),
            ("text_sha256", pa.string()),
            ("near_duplicate_of", pa.string()),
            ("near_duplicate_similarity", pa.float32()),
            ("encoding", pa.string()),
            ("pipeline_version", pa.string()),
            ("model", pa.string()),
            ("run_id", pa.string()),
        ]
    ),
    "sentences": pa.schema(
        [
            ("article_id", pa.string()),
            ("sentence_idx", pa.int32()),
            ("start_char", pa.int32()),
            ("end_char", pa.int32()),
            ("text", pa.string()),
        ]
    ),
    "entity_mentions": pa.schema(
        [
            ("article_id", pa.string()),
            ("sentence_idx", pa.int32()),
            ("start_char", pa.int32()),
            ("end_char", pa.int32()),
            ("text", pa.string()),
            ("label", pa.string()),
            ("entity_id", pa.string()),
        ]
    ),
    "quotes": pa.schema(
        [
            ("article_id", pa.string()),
            ("quote_idx", pa.int32()),
            ("start_char", pa.int32()),
            ("end_char", pa.int32()),
            ("quote", pa.string()),
            ("kind", pa.string()),
            ("cue", pa.string()),
            ("speaker", pa.string()),
            ("speaker_start", pa.int32()),
            ("speaker_end", pa.int32()),
            ("speaker_resolved", pa.string()),
            ("speaker_entity_id", pa.string()),
        ]
    ),
    "citations": pa.schema(
        [
            ("article_id", pa.string()),
            ("sentence_idx", pa.int32()),
            ("start_char", pa.int32()),
            ("end_char", pa.int32()),
            ("source_name", pa.string()),
            ("source_entity_id", pa.string()),
            ("cue", pa.string()),
        ]
    ),
    "claims": pa.schema(
        [
            ("article_id", pa.string()),
            ("sentence_idx", pa.int32()),
            ("start_char", pa.int32()),
            ("end_char", pa.int32()),
            ("text", pa.string()),
            ("value", pa.float64()),
            ("value_high", pa.float64()),
            ("unit", pa.string()),
            ("counted", pa.string()),
            ("qualifier", pa.string()),
        ]
    ),
    "timeline": pa.schema(
        [
            ("article_id", pa.string()),
            ("sentence_idx", pa.int32()),
            ("start_char", pa.int32()),
            ("end_char", pa.int32()),
            ("date_text", pa.string()),
            ("date", pa.date32()),
            ("precision", pa.string()),
            ("text", pa.string()),
        ]
    ),
    "cleaning_log": pa.schema(
        [
            ("article_id", pa.string()),
            ("line_no", pa.int32()),
            ("rule", pa.string()),
            ("text", pa.string()),
        ]
    ),
    "article_signatures": pa.schema(
        [
            ("article_id", pa.string()),
            ("minhash", pa.list_(pa.uint32())),
        ]
    ),
    "ingest_log": pa.schema(
        [
            ("path", pa.string()),
            ("content_sha256", pa.string()),
            ("bytes", pa.int64()),
            ("mtime_ns", pa.int64()),
            ("status", pa.string()),
            ("reason", pa.string()),
            ("duplicate_of", pa.string()),
            ("article_id", pa.string()),
            ("batch_id", pa.string()),
            ("run_id", pa.string()),
        ]
    ),
}

# Tables whose rows belong to one article: a re-processed article replaces its rows in these.
ARTICLE_TABLES = (
    "articles", "sentences", "entity_mentions", "quotes", "citations", "claims", "timeline", "cleaning_log", "article_signatures",
)
TABLES = (*ARTICLE_TABLES, "ingest_log")


def to_table(name: str, rows: list[dict]) -> pa.Table:
    """Build a staged table from row dicts, with the table's exact schema."""
    return pa.Table.from_pylist(rows, schema=SCHEMAS[name])
