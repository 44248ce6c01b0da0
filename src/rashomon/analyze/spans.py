"""Small span helpers shared by the analysis layers."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")


def overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    return a_start < b_end and b_start < a_end


def within(records: Iterable[T], start: int, end: int) -> list[T]:
    """Records (anything with .start/.end) lying inside [start, end)."""
    return [r for r in records if start <= r.start and r.end <= end]  # type: ignore[attr-defined]


def overlapping(records: Iterable[T], start: int, end: int) -> list[T]:
    return [r for r in records if overlaps(r.start, r.end, start, end)]  # type: ignore[attr-defined]


def sentence_at(sdoc: Any, char: int) -> Any | None:
    """The spaCy sentence containing character offset ``char``."""
    for sent in sdoc.sents:
        if sent.start_char <= char < sent.end_char:
            return sent
    return None


def nearest_before(records: Sequence[T], char: int) -> T | None:
    """The last record ending at or before ``char`` (records sorted by start)."""
    best = None
    for r in records:
        if r.end <= char:  # type: ignore[attr-defined]
            best = r
        else:
            break
    return best
