"""Analysts' SQL: read-only for real, whatever the query says.

``python -m pipeline sql`` runs what an analyst types against the readers' copy of the warehouse
(never the file the pipeline writes). The connection is opened read-only, full-text search is
loaded, and then DuckDB itself is locked down: no file outside the warehouse's ``lake/`` can be
read (``enable_external_access`` off, ``allowed_directories`` the lake), no extension can be
installed or loaded (autoloading off), and the configuration is locked so no ``SET`` can undo it.
On top of that only reading statements run (``SELECT``, ``WITH``, ``DESCRIBE``, ``SHOW``,
``SUMMARIZE``, ``EXPLAIN``, table ``PRAGMA``\\s): ``COPY``, ``ATTACH``, ``INSTALL``, ``LOAD``,
``SET``, ``CREATE``, ``EXPORT`` and the like are refused before anything runs. Several statements
in one query run one after the other, and every result is shown.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from pipeline.config import Settings
from pipeline.errors import PipelineError
from pipeline.store.db import connect_reader

READING = {duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN}
# Characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


class RefusedQuery(PipelineError):
    """A query that would write, read outside the warehouse, or change the connection."""


def statements(query: str) -> list[duckdb.Statement]:
    """The statements of a query, each checked to only read; :class:`RefusedQuery` otherwise."""
    try:
        parsed = duckdb.extract_statements(query)
    except duckdb.Error as exc:
        raise RefusedQuery(f"the query cannot be parsed: {exc}") from None
    if not parsed:
        raise RefusedQuery("the query is empty")
    for number, statement in enumerate(parsed, 1):
        if statement.type not in READING:
            words = statement.query.split()
            kind = words[0].upper() if words else statement.type.name
            raise RefusedQuery(
                f"statement {number} ({kind}) is refused: the sql command only reads the warehouse "
                "(SELECT, WITH, DESCRIBE, SHOW, SUMMARIZE, EXPLAIN); nothing was run"
            )
    return parsed


def open_for_analysts(settings: Settings) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the readers' copy that cannot touch files, extensions or its own settings."""
    con = connect_reader(settings.db_path, settings.reader_db_path)
    lake = str(settings.lake_dir.resolve()) + "/"
    con.execute("SET allowed_directories = $dirs", {"dirs": [lake]})
    for setting in ("enable_external_access", "autoinstall_known_extensions", "autoload_known_extensions"):
        con.execute(f"SET {setting} = false")
    con.execute("SET lock_configuration = true")
    return con


def neutralise(value: object) -> object:
    """A CSV cell a spreadsheet will show, not run: text starting like a formula gets a leading ``'``."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def run_query(con: duckdb.DuckDBPyConnection, query: str) -> list[duckdb.DuckDBPyRelation | None]:
    """Run each (checked) statement of a query; returns one relation per statement."""
    return [con.sql(statement.query) for statement in statements(query)]


def csv_frames(relations: list[duckdb.DuckDBPyRelation | None]) -> list:
    """Each result as a DataFrame with formula-like text cells neutralised, ready for ``to_csv``."""
    frames = []
    for relation in relations:
        if relation is None:
            continue
        frame = relation.df()
        for column in frame.columns:
            if frame[column].dtype == object or str(frame[column].dtype).startswith(("string", "str")):
                frame[column] = frame[column].map(neutralise)
        frames.append(frame)
    return frames


def reader_path(settings: Settings) -> Path:
    """The file analysts' tools should open."""
    return settings.reader_db_path if settings.reader_db_path.exists() else settings.db_path
