"""Read one article file from the drop zone and decode it, or say in plain words why not.

Decoding uses ``charset-normalizer`` (UTF-8, UTF-16 with a BOM and the common legacy code pages),
so ``Zelenskyy’s`` in a cp1252 file stays intact. Anything that is not text we can trust becomes a
:class:`Rejected` with a reason an analyst can act on; nothing raises for bad input.
"""

from __future__ import annotations

import codecs
import hashlib
from dataclasses import dataclass

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
            f"file is {len(data):,} bytes, far larger than any article (limit {max_bytes:,}); "
            "split it into one file per article or raise PIPELINE_MAX_FILE_BYTES"
        )
    if not data.strip():
        return Rejected("file is empty or only whitespace; add the article text or remove the file")
    for magic, kind in _MAGIC.items():
        if data.startswith(magic):
            return Rejected(f"file is {kind}, not text; save the article as plain text (.txt)")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data.decode(encoding), encoding)
            except UnicodeDecodeError:
                return Rejected(f"file starts with a {encoding} byte-order mark but is not valid {encoding}")
    if b"\x00" in data:
        return Rejected("file holds binary data (NUL bytes), not text; save the article as plain text")
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    # Mostly-ASCII text that is not UTF-8 is, in English news, almost always Windows-1252 (a
    # superset of latin-1's printable range): its few high bytes are curly quotes, dashes and
    # accents. Statistical detection guesses badly on so few bytes, so it is the fallback only.
    if sum(1 for byte in data if byte < 0x80) >= 0.9 * len(data):
        try:
            return Decoded(data.decode("cp1252"), "cp1252")
        except UnicodeDecodeError:
            pass
    best = from_bytes(data).best()
    if best is None:
        return Rejected("file is not text in any known encoding; re-save it as UTF-8 text")
    text = str(best)
    if _looks_binary(text):
        return Rejected("file holds binary data, not text; save the article as plain text")
    return Decoded(text, best.encoding)


def _looks_binary(text: str) -> bool:
    control = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f")
    return control > max(2, len(text) // 100)
