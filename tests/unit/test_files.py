"""Decoding: legacy encodings come out right; what is not text is rejected with a reason."""

from __future__ import annotations

import codecs
import io
import zipfile

import pytest

from pipeline.sources.files import Decoded, Rejected, decode

TEXT = "Zelenskyy’s “bold move” – Kyiv’s army advanced 10 km, officials said on Tuesday. " * 3


def test_cp1252_keeps_curly_apostrophes() -> None:
    result = decode(TEXT.encode("cp1252"), max_bytes=10_000)
    assert isinstance(result, Decoded)
    assert result.text == TEXT
    assert "â€™" not in result.text and "\ufffd" not in result.text


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8-sig"])
def test_byte_order_marks(encoding: str) -> None:
    data = TEXT.encode(encoding)
    assert data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF8))
    result = decode(data, max_bytes=10_000)
    assert isinstance(result, Decoded) and result.text == TEXT


def test_latin1() -> None:
    text = "Café owners in Zürich said the façade was damaged. " * 3
    result = decode(text.encode("latin-1"), max_bytes=10_000)
    assert isinstance(result, Decoded) and result.text == text


def _zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.txt", "hello")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "empty"),
        (b"  \n\t \n", "empty"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "PNG image"),
        (_zip_bytes(), "zip archive"),
        (b"abc\x00\x01\x02def" * 20, "binary"),
        (b"x" * 2_001, "far larger"),
    ],
)
def test_rejections_say_why(data: bytes, words: str) -> None:
    result = decode(data, max_bytes=2_000)
    assert isinstance(result, Rejected)
    assert words in result.reason


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Ukrainian troops pushed further into the Kursk region on Saturday, officials in Kyiv said.", "en"),
        ("Die ukrainischen Truppen sind am Samstag weiter in die Region Kursk vorgedrungen, sagten Beamte in Kiew.", "de"),
        ("Les troupes ukrainiennes ont avancé samedi dans la région de Koursk, ont déclaré des responsables à Kiev.", "fr"),
        ("Украинские войска в субботу продвинулись дальше в Курскую область, заявили в Киеве.", "ru"),
        ("2024 - 08 - 06 | 10 : 45 | 1 000", "und"),
    ],
)
def test_language_of_article_text(text: str, language: str) -> None:
    from pipeline.enrich import detect_language

    assert detect_language(text) == language


# --- reading without hanging, and text that mixes encodings -------------------------------------

UTF8_PART = "Zelenskyy’s “bold move” – said aides in Kyiv. "
CP1252_PART = "Café owners’ façade – “damaged”, officials said. "


@pytest.mark.parametrize(
    "data",
    [
        (UTF8_PART.encode("utf-8") + CP1252_PART.encode("cp1252")) * 3,
        (CP1252_PART.encode("cp1252") + UTF8_PART.encode("utf-8")) * 3,
        UTF8_PART.encode("utf-8") * 5 + "naïve".encode("cp1252"),  # one stray legacy byte in a UTF-8 file
    ],
)
def test_mixed_utf8_and_cp1252_is_never_mojibake(data: bytes) -> None:
    result = decode(data, max_bytes=10_000)
    assert isinstance(result, Decoded)
    assert "â€" not in result.text and "Ã" not in result.text and "\ufffd" not in result.text
    assert "Zelenskyy’s “bold move”" in result.text
    assert "Café owners’ façade" in result.text or "naïve" in result.text


def test_mojibake_written_into_utf8_text_is_repaired() -> None:
    mojibake = UTF8_PART.encode("utf-8").decode("cp1252", errors="replace").replace("\ufffd", "\u009d")
    result = decode((mojibake * 3).encode("utf-8"), max_bytes=10_000)
    assert isinstance(result, Decoded) and result.text.startswith("Zelenskyy’s “bold move” – said aides")


def test_fifo_is_refused_without_blocking(tmp_path) -> None:
    import os

    from pipeline.sources.files import read_regular_file

    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    result = read_regular_file(fifo, limit=1000)  # a blocking open would hang here forever
    assert isinstance(result, Rejected) and "FIFO" in result.reason and "not opened" in result.reason


def test_reading_stops_past_the_limit(tmp_path) -> None:
    from pipeline.sources.files import read_regular_file

    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * 10_000)
    assert len(read_regular_file(big, limit=100)) == 101


def test_utf8_mixed_with_another_code_page_is_decoded_in_that_code_page() -> None:
    russian = "Жители Курска сообщили о взрывах, а губернатор области заявил об эвакуации. ".encode("cp1251")
    result = decode((UTF8_PART.encode("utf-8") + russian) * 3, max_bytes=10_000)
    assert isinstance(result, Decoded) and result.encoding == "utf-8+cp1251"
    assert "Жители Курска сообщили" in result.text and "Zelenskyy’s “bold move”" in result.text


def test_double_mojibake_is_repaired_and_curly_quotes_stay() -> None:
    from pipeline.sources.files import repair_mojibake

    assert repair_mojibake("French President Fran\u00c3\u0083\u00c2\u00a7ois Hollande said") == "French President François Hollande said"
    assert repair_mojibake("“plan” – café &amp; ﬁle") == "“plan” – café &amp; ﬁle"  # only encoding mix-ups change
