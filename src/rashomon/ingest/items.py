"""The shapes that pass between readers, cleaners and the ingest orchestrator."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Any

from rashomon.model import Comment, Reference, Removal

# Metadata field names shared by JSON Lines input, manifests and feeds.
META_FIELDS = ("id", "url", "title", "publisher", "author", "published", "language", "side")

# Default per-item limits (see :class:`Limits`).
MAX_HTML_BYTES = 5_000_000
MAX_CHARS = 1_000_000
MAX_COMMENTS = 5_000
MAX_ATTRIBUTES = 256
MAX_LINES = 100_000


class ItemRefused(ValueError):
    """An item that breaks a limit or a rule; the message is the error line's reason."""


@dataclass(frozen=True)
class Limits:
    """Per-item limits that keep the cost of one input bounded.

    Why each exists: a hostile or broken input must cost about as much as a
    normal article of the same size, so one item can never starve the batch.

    The size of each input (file, JSON Lines line, feed entry, fetched URL)
    is capped separately, by ``FetchOptions.max_bytes`` (``--max-bytes``).

    max_html_bytes (int): characters of one HTML page given to the parsers;
        over it the page is refused (HTML parsing costs far more per byte than
        text cleaning).
    max_chars (int): characters of the cleaned article body; over it the
        document is refused with an error line rather than stored, so an
        oversized text never reaches the analysis layers.
    max_comments (int): reader comments kept per page; the rest are dropped
        and the document records how many (``attrs["x_comments_dropped"]``).
    max_attributes (int): attributes kept per HTML tag; the parsers are
        quadratic in the attributes of one element, so any beyond this are cut
        before parsing (the page is kept).
    max_lines (int): lines of text given to the line-based cleaner (after HTML
        extraction); over it the item is refused.  An article has hundreds of
        lines; hundreds of thousands of one-word lines are not an article and
        would cost seconds each.
    """

    max_html_bytes: int = MAX_HTML_BYTES
    max_chars: int = MAX_CHARS
    max_comments: int = MAX_COMMENTS
    max_attributes: int = MAX_ATTRIBUTES
    max_lines: int = MAX_LINES


def safe_name(name: str, limit: int = 300) -> str:
    """An item name safe to print on one line and to store as text.

    Why: file names may hold newlines (which could forge a second ``error:``
    line), control or bidi characters, and bytes that are not UTF-8 (which
    Python keeps as lone surrogates that SQLite and terminals refuse).  Every
    such character becomes a visible escape (``\\n``, ``\\x1b``, ``\\udcff``);
    a backslash is doubled so an escape cannot be faked.  Very long names are
    cut with an ellipsis.
    """
    out: list[str] = []
    for ch in name[:limit]:
        if ch == "\\":
            out.append("\\\\")
        elif "\udc80" <= ch <= "\udcff":  # a non-UTF-8 byte kept by os.fsdecode
            out.append(f"\\x{ord(ch) - 0xDC00:02x}")
        elif ch.isprintable() and unicodedata.category(ch) not in ("Cf", "Cs", "Co"):
            out.append(ch)
        else:
            out.append(ch.encode("unicode_escape", "backslashreplace").decode("ascii"))
    if len(name) > limit:
        out.append("…")
    return "".join(out)


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

    def where(self) -> str:
        """The item's printable name: ``source`` or ``source#item``, escaped."""
        where = f"{self.source}#{self.item}" if self.item else self.source
        return safe_name(where, 1000)

    def line(self) -> str:
        """The one error line; the message is escaped too (it may quote the input)."""
        return f"error: {self.where()}: {safe_name(self.message, 500)}"


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
