"""Read TimeML documents (TimeBank, AQUAINT, TempEval-3) into text, creation time and gold TIMEX3 spans.

The text is what sits inside ``<TEXT>`` with every tag removed; each ``TIMEX3`` inside it becomes a
:class:`Timex` with character offsets into that text. The document creation time is the TIMEX3 with
``functionInDocument="CREATION_TIME"``.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date
from pathlib import Path


@dataclass(frozen=True)
class Timex:
    """One gold time expression: offsets into the document text, its type and normalised value."""

    start: int
    end: int
    text: str
    type: str  # DATE, TIME, DURATION, SET
    value: str


@dataclass(frozen=True)
class TimeMLDocument:
    name: str
    title: str
    text: str
    created: date
    timexes: list[Timex]


def _flatten(element: ET.Element, parts: list[str], timexes: list[Timex], offset: int) -> int:
    """Append the element's text to ``parts``, recording TIMEX3 offsets; returns the new offset."""
    if element.text:
        parts.append(element.text)
        offset += len(element.text)
    for child in element:
        start = offset
        offset = _flatten(child, parts, timexes, offset)
        if child.tag == "TIMEX3":
            text = "".join(child.itertext())
            timexes.append(Timex(start, offset, text, child.get("type", ""), child.get("value", "")))
        if child.tail:
            parts.append(child.tail)
            offset += len(child.tail)
    return offset


def read_timeml(path: Path) -> TimeMLDocument:
    """One ``.tml`` file; raises ValueError naming the file when it has no TEXT or creation time."""
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        raise ValueError(f"{path}: not well-formed XML ({exc}); fix the file or remove it from the folder") from None
    created = None
    for timex in root.iter("TIMEX3"):
        if timex.get("functionInDocument") == "CREATION_TIME":
            try:
                created = date.fromisoformat(timex.get("value", "")[:10])
            except ValueError:
                raise ValueError(f"{path}: creation time {timex.get('value')!r} is not a date (YYYY-MM-DD)") from None
            break
    body = root.find("TEXT")
    if body is None or created is None:
        raise ValueError(f"{path}: no <TEXT> or no creation-time TIMEX3; is it a TimeML document?")
    parts: list[str] = []
    timexes: list[Timex] = []
    _flatten(body, parts, timexes, 0)
    title_element = root.find("TITLE")
    title = " ".join((title_element.text or "").split()) if title_element is not None else ""
    return TimeMLDocument(path.stem, title or path.stem, "".join(parts), created, timexes)


def read_timeml_folder(folder: Path) -> list[TimeMLDocument]:
    """Every ``.tml`` file under ``folder`` (sub-folders included), in name order."""
    paths = sorted(folder.rglob("*.tml"))
    if not paths:
        raise ValueError(f"{folder}: no .tml files; point at a folder of TimeML documents")
    return [read_timeml(p) for p in paths]
