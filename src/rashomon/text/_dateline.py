"""The one dateline rule: the agency-style line opening "CITY, Region (Agency) — ".

A dateline tells where and by whom a report was filed; it is not part of the
sentence it opens (not its subject, not quoted content, not an event's span).
Every reader of datelines (quotes, events, speakers) goes through this module.
"""

from __future__ import annotations

import re
from typing import Any

from rashomon.text._doc import doc_text

# Upper-case place words, an optional ", region/date" part and an optional
# "(Agency)", then a dash (em, en or "--") and a space.  Used with ``match`` at a
# line start: no "^", which would only match at the start of the whole text when
# a start position is given.
DATELINE_RE = re.compile(
    r"[A-Z][A-Z.'’ -]{1,40}(?:,[^—–\n]{1,60})?(?:\s*\([^)\n]{1,60}\))?\s*(?:—|–|--)\s+")

# How far into a line a token may sit and still be part of its dateline, and how
# much of the line the pattern may read.
_MAX_OFFSET = 120
_MAX_LINE = 200


def dateline_end(text: str, start: int = 0, end: int | None = None) -> int | None:
    """Where a dateline opening ``text[start:end]`` ends, or None when there is none."""
    m = DATELINE_RE.match(text, start, len(text) if end is None else end)
    return m.end() if m else None


def is_dateline(tok: Any) -> bool:
    """Is this spaCy token part of a line-opening dateline ("KORRIN — ")?"""
    text = doc_text(tok.doc)
    line_start = text.rfind("\n", 0, tok.idx) + 1
    if tok.idx - line_start > _MAX_OFFSET:
        return False
    # the match depends only on the line, and the layers ask for many tokens per line
    ends = tok.doc.user_data.setdefault("rashomon_dateline_ends", {})
    end = ends.get(line_start)
    if end is None:
        found = dateline_end(text, line_start, min(len(text), line_start + _MAX_LINE))
        end = ends[line_start] = found if found is not None else -1
    return end >= 0 and tok.idx < end
