"""Cleaning dispatch: HTML goes through the extractor, then every body through the text rules.

HTML main-content extraction is trafilatura's job (:mod:`rashomon.ingest.html`);
plain text needs our own rules (:mod:`rashomon.ingest.text_clean`), because
extractors return nothing on text.  Extracted HTML still passes the text rules:
chrome lines ("Get X in your inbox") survive extractors surprisingly often.
"""

from __future__ import annotations

from rashomon.ingest.items import Cleaned, Limits, RawItem
from rashomon.ingest.text_clean import clean_text


def clean(raw: RawItem, limits: Limits | None = None) -> Cleaned:
    """Clean one raw item; metadata the cleaner learns goes to ``Cleaned.meta``.

    ``limits`` bounds the HTML work (attributes per tag, comments per page);
    the size limits themselves are checked by the caller.
    """
    lim = limits or Limits()
    if raw.kind == "html":
        from rashomon.ingest.html import extract_html

        url = raw.meta.get("url")
        extracted = extract_html(raw.content, url=url if isinstance(url, str) else None,
                                 max_attributes=lim.max_attributes,
                                 max_comments=lim.max_comments)
        cleaned = clean_text(extracted.text)
        cleaned.removed = extracted.removed + cleaned.removed
        cleaned.comments = extracted.comments + cleaned.comments
        for key, value in extracted.meta.items():
            cleaned.meta.setdefault(key, value)
        return cleaned
    return clean_text(raw.content)
