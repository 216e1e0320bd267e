"""A batch's ``manifest.csv``: metadata for the files of its folder, checked row by row.

Header ``file,url,outlet,published_at,title`` (only ``file`` is required). A manifest never needs a
line break inside a cell, so each physical line is one row: an unclosed quote spoils its own row
(reported with its number) instead of silently swallowing the rows after it. A malformed row, or
two rows that disagree about one file, hold back that file only, until the row is fixed.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field

from pipeline.sources.files import Rejected, decode
from pipeline.sources.formats import check_meta, split_lines

MANIFEST_NAME = "manifest.csv"
MANIFEST_COLUMNS = ("file", "url", "outlet", "published_at", "title")
MAX_MANIFEST_BYTES = 5_000_000


@dataclass
class Manifest:
    """What a batch's ``manifest.csv`` says, checked row by row.

    Attributes:
        meta_by_file: checked metadata per file name.
        errors: a reason per file whose row is malformed or contradicted by another row (that
            file is quarantined until the row is fixed).
        problems: what is wrong with the manifest itself (rows that name no file, repeated rows),
            each naming its row number; shown in the manifest's own ``ingest_log`` reason.
    """

    meta_by_file: dict[str, dict] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def _cells(line: str) -> list[str]:
    """One CSV row; ``csv.Error`` for an unclosed quote, text after a closing quote, an over-long cell."""
    return next(csv.reader([line], strict=True))


def _file_cell_of_broken_row(line: str, file_col: int) -> str:
    """Best guess of the file a malformed row names, so that file (not the batch) is held back."""
    parts = line.split(",")
    guess = parts[file_col] if file_col < len(parts) else ""
    return guess.strip().strip('"').strip()[:300]


def _header(lines: list[str], name: str) -> tuple[int, list[str]]:
    """The header row's index and lower-cased column names; ValueError when there is no ``file`` column."""
    header_at = next((i for i, line in enumerate(lines) if line.strip()), None)
    try:
        header = [h.strip().lower() for h in _cells(lines[header_at])] if header_at is not None else []
    except csv.Error as exc:
        raise ValueError(f"{name} row {header_at + 1}: the header cannot be read ({exc}); it must be: {','.join(MANIFEST_COLUMNS)}") from None
    if "file" not in header:
        raise ValueError(f"{name} has no 'file' column (found {header[:10] or 'nothing'}); the header must be: {','.join(MANIFEST_COLUMNS)}")
    return header_at, header


class _Reader:
    """Reads a manifest's rows one by one into a :class:`Manifest`."""

    def __init__(self, name: str, header: list[str]) -> None:
        self.name, self.header, self.file_col = name, header, header.index("file")
        self.manifest = Manifest()
        self.first_row: dict[str, tuple[int, list[str]]] = {}

    def row(self, row_no: int, line: str) -> None:
        try:
            cells = _cells(line)
        except csv.Error as exc:
            self._unreadable(row_no, line, exc)
            return
        file = cells[self.file_col].strip() if self.file_col < len(cells) else ""
        if len(cells) > len(self.header):
            self.manifest.errors.setdefault(file, f"{self.name} row {row_no}: more values than columns; quote values that contain commas")
        elif not file:
            self.manifest.problems.append(f"row {row_no} names no file")
        elif file in self.first_row:
            self._repeated(row_no, file, cells)
        else:
            self.first_row[file] = (row_no, cells)
            self._checked(row_no, file, dict(zip(self.header, cells)))

    def _unreadable(self, row_no: int, line: str, exc: csv.Error) -> None:
        """``a.txt,"Kyiv Post,2024-08-07`` (an unclosed quote): that row's file is held back, by row number."""
        problem = f"{self.name} row {row_no}: cannot be read ({exc}); quote values that contain commas and close every quote"
        file = _file_cell_of_broken_row(line, self.file_col)
        if file:
            self.manifest.errors.setdefault(file, problem)
        self.manifest.problems.append(problem)

    def _repeated(self, row_no: int, file: str, cells: list[str]) -> None:
        """A second row for one file: noted when it repeats the first, the file held back when it disagrees."""
        earlier, earlier_cells = self.first_row[file]
        if earlier_cells == cells:
            self.manifest.problems.append(f"row {row_no} repeats row {earlier} for {file}")
            return
        self.manifest.meta_by_file.pop(file, None)
        self.manifest.errors[file] = (
            f"{self.name} rows {earlier} and {row_no} both describe {file} with different values; "
            "keep one row per file and the file is loaded on the next run"
        )
        self.manifest.problems.append(f"rows {earlier} and {row_no} both describe {file}")

    def _checked(self, row_no: int, file: str, row: dict) -> None:
        try:
            self.manifest.meta_by_file[file] = check_meta(row, f"{self.name} row {row_no}")
        except ValueError as exc:
            self.manifest.errors[file] = f"{exc}; fix the row and the file is loaded on the next run"


def read_manifest(data: bytes, name: str) -> Manifest:
    """Parse a batch's ``manifest.csv`` one physical line (one row) at a time.

    Raises:
        ValueError: if the manifest cannot be read at all (not text, no ``file`` column).
    """
    decoded = decode(data, max_bytes=MAX_MANIFEST_BYTES)
    if isinstance(decoded, Rejected):
        raise ValueError(f"{name} cannot be read: {decoded.reason}")
    lines = split_lines(decoded.text)
    header_at, header = _header(lines, name)
    reader = _Reader(name, header)
    for index in range(header_at + 1, len(lines)):
        if lines[index].strip():
            reader.row(index + 1, lines[index])
    return reader.manifest
