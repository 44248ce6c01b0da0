"""Cleaning dispatch: HTML goes through the extractor, then every body through the text rules.

HTML main-content extraction is trafilatura's job (:mod:`rashomon.ingest.html`);
plain text needs our own rules (:mod:`rashomon.ingest.text_clean`), because
extractors return nothing on text.  Extracted HTML still passes the text rules:
chrome lines ("Get X in your inbox") survive extractors surprisingly often.
"""

from __future__ import annotations

import re

from rashomon.ingest.items import Cleaned, ItemRefused, Limits, RawItem
from rashomon.ingest.text_clean import clean_text

# Any start or end tag, comment or doctype.  Content without one is text, whatever its label.
_TAG = re.compile(r"</?[A-Za-z][^<>]{0,200}>|<!")


def clean(raw: RawItem, limits: Limits | None = None) -> Cleaned:
    """Clean one raw item; metadata the cleaner learns goes to ``Cleaned.meta``.

    ``limits`` bounds the HTML work (attributes per tag, comments per page);
    the size limits themselves are checked by the caller.
    """
    lim = limits or Limits()
    if raw.kind == "html" and _TAG.search(raw.content):
        from rashomon.ingest.html import extract_html

        url = raw.meta.get("url")
        extracted = extract_html(raw.content, url=url if isinstance(url, str) else None,
                                 max_attributes=lim.max_attributes,
                                 max_comments=lim.max_comments)
        cleaned = clean_text(_check_lines(extracted.text, lim))
        cleaned.removed = extracted.removed + cleaned.removed
        cleaned.comments = extracted.comments + cleaned.comments
        for key, value in extracted.meta.items():
            cleaned.meta.setdefault(key, value)
        return cleaned
    # Plain text, including "HTML" with no markup at all (feed summaries often are):
    # an HTML extractor finds no article in it, the text rules do.
    return clean_text(_check_lines(raw.content, lim))


def _check_lines(text: str, lim: Limits) -> str:
    """``text`` unchanged, or ItemRefused when it has more lines than ``lim.max_lines``."""
    n = text.count("\n") or text.count("\r")
    if n > lim.max_lines:
        raise ItemRefused(f"too many lines: {n} > limit {lim.max_lines} (not an article?)")
    return text
