"""Shared helpers for the quote tests: run the quotes layer on a made-up text."""

from __future__ import annotations

from rashomon.analyze.quotes._layer import extract_quotes
from rashomon.model import Document


def run_quotes(nlp, text: str):
    """Quotes of ``text`` with no entity mentions."""
    doc = Document(id="t1", source="test", text=text)
    return extract_quotes(doc, nlp(text), [])


def with_cue(quotes, cue: str):
    """The first quote whose cue is ``cue``; fails with the quotes found otherwise."""
    found = [q for q in quotes if q.cue == cue]
    assert found, f"no quote with cue {cue!r} in {[(q.cue, q.text) for q in quotes]}"
    return found[0]
