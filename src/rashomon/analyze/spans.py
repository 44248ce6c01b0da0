"""Small span helpers shared by the analysis layers."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from rashomon.text import doc_text, seed_text  # noqa: F401  (re-exported for the layers)

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


def sent_of(tok: Any) -> Any:
    """The sentence of a token (or of a span's first token), in constant time.

    spaCy's ``Token.sent`` walks the document's sentences on every call, which
    made layers quadratic in document length; the index is built once per
    parse and kept in ``doc.user_data``.
    """
    doc = tok.doc
    if not hasattr(tok, "i"):  # a Span: the sentence of its first token, like Span.sent
        tok = doc[tok.start]
    index = doc.user_data.get("rashomon_sent_index")
    if index is None or len(index) != len(doc):
        index = [None] * len(doc)
        for sent in doc.sents:
            for i in range(sent.start, sent.end):
                index[i] = sent
        doc.user_data["rashomon_sent_index"] = index
    return index[tok.i]
