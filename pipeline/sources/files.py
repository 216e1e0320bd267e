"""Read one article file from the drop zone and decode it, or say in plain words why not.

Only regular files are opened, and without blocking (a FIFO or a device in ``seeds/`` must not
hang a run). Decoding tries UTF-8 first; text that is not valid UTF-8 is a legacy code page
(Windows-1252 for almost all English news), or a mix of both in one file (a UTF-8 article pasted
into an old cp1252 one): each part is decoded as what it is, so ``Zelenskyy’s`` comes out right
either way. Mojibake already written into the text (UTF-8 read as cp1252 and saved again) is
repaired with ``ftfy``. Anything that is not text we can trust becomes a :class:`Rejected` with a
reason an analyst can act on; nothing raises for bad input.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import stat
import threading
from dataclasses import dataclass
from pathlib import Path

from charset_normalizer import from_bytes

# Magic numbers of formats people drop by mistake: naming them makes the reason useful.
_MAGIC = {
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"PK\x03\x04": "a zip archive (or an Office document)",
    b"%PDF": "a PDF document",
    b"\x1f\x8b": "a gzip archive",
}
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_FILE_KINDS = {
    stat.S_IFIFO: "a named pipe (FIFO)",
    stat.S_IFSOCK: "a socket",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFDIR: "a folder",
}
_NON_ASCII = re.compile(r"[^\x00-\x7f]")

# Windows-1252 for every byte; its five unassigned bytes fall back to latin-1 (C1 controls).
_CP1252 = tuple(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in range(256))
_MIXED_HANDLER = "pipeline-utf8-else-cp1252"


def _cp1252_for_bad_bytes(error: UnicodeDecodeError) -> tuple[str, int]:
    """Codec error handler: bytes a code page leaves undefined are read as Windows-1252 (else latin-1)."""
    bad = error.object[error.start : error.end]
    return "".join(_CP1252[b] for b in bad), error.end


codecs.register_error(_MIXED_HANDLER, _cp1252_for_bad_bytes)


@dataclass(frozen=True)
class Decoded:
    """The text of a file and the encoding it was read with."""

    text: str
    encoding: str


@dataclass(frozen=True)
class Rejected:
    """A file that cannot become an article; ``reason`` is shown to the analyst in ``ingest_log``."""

    reason: str


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def kind_of(mode: int) -> str | None:
    """What a non-regular file is, in words (``None`` for a regular file)."""
    if stat.S_ISREG(mode):
        return None
    return _FILE_KINDS.get(stat.S_IFMT(mode), "not a regular file")


def read_regular_file(path: Path, *, limit: int) -> bytes | Rejected:
    """Read at most ``limit + 1`` bytes of a regular file without ever blocking.

    The file is opened with ``O_NONBLOCK`` (opening a FIFO for reading would otherwise wait for a
    writer) and checked with ``fstat`` before anything is read, so a FIFO, socket or device
    swapped in after discovery is refused too.

    Returns:
        The bytes (one more than ``limit`` if the file is larger: the caller rejects it), or
        :class:`Rejected` when the path is not a regular file or cannot be read.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        return Rejected(f"file cannot be opened ({exc.strerror or exc}); check that it exists and can be read")
    try:
        kind = kind_of(os.fstat(fd).st_mode)
        if kind is not None:
            return Rejected(f"not a regular file ({kind}); only files are read, so it was not opened for reading")
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks)
    except OSError as exc:
        return Rejected(f"file cannot be read ({exc.strerror or exc}); check the disk and its permissions")
    finally:
        os.close(fd)


def decode(data: bytes, *, max_bytes: int) -> Decoded | Rejected:
    """Decode raw file bytes to text.

    Args:
        data: the file's content.
        max_bytes: larger files are refused (no news article is megabytes of text).

    Returns:
        :class:`Decoded`, or :class:`Rejected` naming what is wrong and what to do.
    """
    if len(data) > max_bytes:
        return Rejected(
            f"file is over {max_bytes:,} bytes, far larger than any article; "
            "split it into one file per article or raise PIPELINE_MAX_FILE_BYTES"
        )
    if not data.strip():
        return Rejected("file is empty or only whitespace; add the article text or remove the file")
    for magic, kind in _MAGIC.items():
        if data.startswith(magic):
            return Rejected(f"file is {kind}, not text; save the article as plain text (.txt)")
    decoded = _decode_text(data)
    if isinstance(decoded, Rejected):
        return decoded
    if _looks_binary(decoded.text):
        return Rejected("file holds binary data, not text; save the article as plain text")
    return Decoded(repair_mojibake(decoded.text), decoded.encoding)


def _decode_text(data: bytes) -> Decoded | Rejected:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data.decode(encoding), encoding)
            except UnicodeDecodeError:
                return Rejected(f"file starts with a {encoding} byte-order mark but is not valid {encoding}; re-save it as UTF-8")
    if b"\x00" in data:
        return Rejected("file holds binary data (NUL bytes), not text; save the article as plain text")
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    mixed = _decode_mixed(data)
    if mixed is not None:
        return mixed
    # Mostly-ASCII text that is not UTF-8 is, in English news, almost always Windows-1252 (a
    # superset of latin-1's printable range): its few high bytes are curly quotes, dashes and
    # accents. Statistical detection guesses badly on so few bytes, so it is the fallback only.
    if sum(1 for byte in data if byte < 0x80) >= 0.9 * len(data):
        return Decoded(data.decode("cp1252", errors=_MIXED_HANDLER), "cp1252")
    best = from_bytes(data).best()
    if best is None:
        return Rejected("file is not text in any known encoding; re-save it as UTF-8 text")
    return Decoded(str(best), best.encoding)


_runs = threading.local()


def _record_run(error: UnicodeDecodeError) -> tuple[str, int]:
    """Codec error handler for :func:`_legacy_runs`: note where the bytes are not UTF-8."""
    found = _runs.found
    if found and found[-1][1] == error.start:
        found[-1] = (found[-1][0], error.end)
    else:
        found.append((error.start, error.end))
    return "", error.end


codecs.register_error("pipeline-record-runs", _record_run)


def _legacy_runs(data: bytes) -> list[tuple[int, int]]:
    """Where ``data`` is not UTF-8: ``(start, end)`` of each run of bytes a UTF-8 decoder rejects (one pass)."""
    _runs.found = []
    data.decode("utf-8", errors="pipeline-record-runs")
    return _runs.found


def _legacy_encoding(data: bytes, runs: list[tuple[int, int]]) -> str | None:
    """The code page of a file's non-UTF-8 parts: Windows-1252 when they look like English punctuation
    and accents (short runs of one or two bytes), else what charset-normalizer makes of them."""
    total = sum(end - start for start, end in runs)
    in_long_runs = sum(end - start for start, end in runs if end - start >= 3)
    if in_long_runs <= 0.2 * total:
        return "cp1252"
    sample = b" ".join(data[start:end] for start, end in runs[:5000])
    best = from_bytes(sample).best()
    return best.encoding if best is not None else None


def _decode_mixed(data: bytes) -> Decoded | Rejected | None:
    """UTF-8 with parts in a legacy code page: each part decoded as what it is (``None`` if no UTF-8 part).

    A file that holds valid multi-byte UTF-8 sequences *and* bytes that are not UTF-8 was put
    together from two sources (an old cp1252 page with a pasted UTF-8 quote). Decoding it whole
    as either encoding turns one part into mojibake (``â€™`` for ``’``); decoding the valid UTF-8
    as UTF-8 and the rest in its own code page gets both right.
    """
    runs = _legacy_runs(data)
    legacy_bytes = sum(end - start for start, end in runs)
    outside = bytearray()
    last = 0
    for start, end in runs:
        outside += data[last:start]
        last = end
    outside += data[last:]
    if not any(byte >= 0x80 for byte in outside):
        return None  # no UTF-8 part: a plain legacy file
    encoding = _legacy_encoding(data, runs)
    if encoding is None:
        return Rejected("file mixes UTF-8 with text in an encoding that cannot be told; re-save it as UTF-8")
    parts, last = [], 0
    for start, end in runs:
        parts.append(data[last:start].decode("utf-8"))
        parts.append(data[start:end].decode(encoding, errors=_MIXED_HANDLER))
        last = end
    parts.append(data[last:].decode("utf-8"))
    return Decoded("".join(parts), f"utf-8+{encoding}" if legacy_bytes else "utf-8")


# ftfy's repairs of encoding mix-ups only: quotes stay curly, HTML entities, ligatures, widths and
# line breaks stay as written (NFC, which the cleaner applies anyway, lets ftfy see through composed forms).
_FTFY_ENCODING_ONLY = dict(
    unescape_html=False, remove_terminal_escapes=False, uncurl_quotes=False, fix_latin_ligatures=False,
    fix_character_width=False, fix_line_breaks=False, remove_control_chars=False, explain=False,
)


def repair_mojibake(text: str) -> str:
    """Undo mojibake written into the text itself (``Zelenskyyâ€™s`` → ``Zelenskyy’s``), with ftfy.

    Only encoding mix-ups are fixed, double ones included (``FranÃ\x83Â§ois`` → ``François``).
    """
    if not _NON_ASCII.search(text):
        return text
    import ftfy

    return ftfy.fix_text(text, ftfy.TextFixerConfig(**_FTFY_ENCODING_ONLY))


def _looks_binary(text: str) -> bool:
    control = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f")
    return control > max(2, len(text) // 100)
