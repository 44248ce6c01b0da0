"""The shapes that pass between readers, cleaners and the ingest orchestrator."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rashomon.model import Comment, Reference, Removal

# Metadata field names shared by JSON Lines input, manifests and feeds.
META_FIELDS = ("id", "url", "title", "publisher", "author", "published", "language", "side")


@dataclass
class RawItem:
    """One article as read, before cleaning.

    ``source`` is the input as the user gave it (path or URL); ``item`` tells
    apart several articles from one source (a JSON Lines line, a feed entry),
    empty for a single-article file.  ``kind`` is 'text' or 'html'.
    """

    source: str
    content: str
    kind: str = "text"
    item: str = ""
    meta: dict[str, Any] = field(default_factory=dict)
    raw_bytes_hash: str | None = None


@dataclass
class ItemError:
    """An input that could not be read; reported in one line, the batch goes on."""

    source: str
    message: str
    item: str = ""

    def line(self) -> str:
        where = f"{self.source}#{self.item}" if self.item else self.source
        return f"error: {where}: {self.message}"


@dataclass
class Cleaned:
    """The cleaner's result: the body plus everything kept apart from it.

    ``removed`` offsets refer to ``raw_text`` (the text the cleaner saw).
    ``meta`` carries what the cleaner learned (author, bio, title, outlet clues).
    """

    text: str
    raw_text: str
    removed: list[Removal] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)
