"""Read attribution annotations in brat standoff format (PolNeAR style).

``T`` lines are spans (``Source``, ``Cue``, ``Content``; discontinuous spans as ``a b;c d``);
``E`` (or ``R``) lines tie one Source, Cue and Content into one attribution.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

QUOTE_OPENERS = "\"“„«‘'"


@dataclass(frozen=True)
class Attribution:
    content: tuple[tuple[int, int], ...]
    source: tuple[tuple[int, int], ...]
    cue: tuple[tuple[int, int], ...]
    content_text: str

    @property
    def is_direct(self) -> bool:
        return self.content_text.lstrip()[:1] in QUOTE_OPENERS


def _spans(field: str) -> tuple[tuple[int, int], ...]:
    return tuple((int(a), int(b)) for a, b in (part.split() for part in field.split(";")))


def read_ann(path: Path) -> list[Attribution]:
    """The attributions of one ``.ann`` file (those without Content are skipped)."""
    spans: dict[str, tuple[str, tuple[tuple[int, int], ...], str]] = {}
    links: list[dict[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        parts = line.split("\t")
        ident = parts[0]
        if ident.startswith("T") and len(parts) >= 3:
            kind, _, offsets = parts[1].partition(" ")
            spans[ident] = (kind, _spans(offsets), parts[2])
        elif ident.startswith(("E", "R")) and len(parts) >= 2:
            roles = {}
            for item in parts[1].split():
                role, _, target = item.partition(":")
                roles[role.rstrip("0123456789")] = target
            links.append(roles)
    found = []
    for roles in links:
        content = spans.get(roles.get("Content", ""))
        if content is None:
            continue
        source = spans.get(roles.get("Source", ""))
        cue = spans.get(roles.get("Cue", ""))
        found.append(
            Attribution(
                content=content[1],
                source=source[1] if source else (),
                cue=cue[1] if cue else (),
                content_text=content[2],
            )
        )
    return found


def read_folder(folder: Path) -> dict[str, tuple[str, list[Attribution]]]:
    """``{name: (text, attributions)}`` for every ``text/<name>.txt`` with an annotation file.

    Where several annotators annotated a text, the first annotation file (by name) is used.
    """
    texts = folder / "text"
    annotations = folder / "attributions"
    if not texts.is_dir() or not annotations.is_dir():
        raise FileNotFoundError(f"{folder} needs text/ and attributions/ subfolders (brat standoff)")
    out = {}
    for text_file in sorted(texts.glob("*.txt")):
        candidates = sorted(annotations.glob(f"{text_file.stem}*.ann"))
        if candidates:
            out[text_file.stem] = (text_file.read_text(encoding="utf-8"), read_ann(candidates[0]))
    return out
