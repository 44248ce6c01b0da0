"""The text of a parsed spaCy Doc, read once."""

from __future__ import annotations

from typing import Any


def doc_text(doc: Any) -> str:
    """``doc.text`` of a spaCy Doc, computed once.

    spaCy rebuilds ``Doc.text`` from its tokens on every access; inside
    per-token loops that cost more than the parse itself.
    """
    text = doc.user_data.get("rashomon_text")
    if text is None:
        text = doc.user_data["rashomon_text"] = doc.text
    return text


def seed_text(doc: Any, text: str) -> None:
    """Hand :func:`doc_text` the text the Doc was parsed from, so it is never rebuilt.

    spaCy's tokenizer is lossless, so the parsed text is ``doc.text``; the
    length check (last token's end) guards against a Doc of some other text.
    """
    if "rashomon_text" in doc.user_data or not len(doc):
        return
    last = doc[-1]
    if last.idx + len(last.text_with_ws) == len(text):
        doc.user_data["rashomon_text"] = text
