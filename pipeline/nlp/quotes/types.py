"""The attributed statement every quote rule produces."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Quote:
    """One attributed statement; offsets are character offsets into the body."""

    start_char: int
    end_char: int
    kind: str  # direct, indirect, according_to
    cue: str | None
    speaker: str | None
    speaker_start: int | None
    speaker_end: int | None
    speaker_resolved: str | None = None  # the named person a pronoun stands for
    speaker_person_start: int | None = None  # offset of that named mention
