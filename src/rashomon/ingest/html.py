"""HTML main-content extraction: trafilatura for the body, lxml for the audit trail.

``extract_html`` returns the article body as plain text with paragraphs
separated by blank lines (the text cleaner and the span model both work on
paragraphs), the page's metadata, the visible text that was left out (so an
analyst can audit the cut), and reader comments when the page has a
recognisable comments section.

Offsets of ``Removal`` and ``Comment`` records refer to a *page-text
rendering*: the page's visible text blocks (script, style, head and similar
dropped; one block per block-level element, whitespace collapsed) joined by
blank lines.  :func:`page_text` rebuilds that rendering from the same HTML, so
the offsets can always be checked.  They do not point into the cleaned body:
removed text is by definition not there.

Cost: every step here is linear in the page, so a hostile page costs what a
normal page of its size costs.  The one super-linear step we cannot change,
libxml2's handling of many attributes on one element, is avoided by
:func:`cap_attributes` before any parser sees the page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from lxml import etree
from lxml import html as lxml_html

from rashomon.model import Comment, Removal

# Trafilatura settings compared by ``rashomon.evaluate.extraction``.  The
# default was picked on the *train* half of the article-extraction benchmark
# (macro token F1: precision 0.976, recall 0.968, default 0.965) and is reported
# on the unseen *dev* half; see that module.
MODES: dict[str, dict[str, bool]] = {
    "default": {},
    "precision": {"favor_precision": True},
    "recall": {"favor_recall": True},
}
DEFAULT_MODE = "precision"

SKIP_TAGS = {"script", "style", "noscript", "template", "head", "svg", "iframe", "object",
             "select", "option", "button", "input", "textarea", "canvas", "map"}
BLOCK_TAGS = {"p", "div", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6",
              "td", "th", "tr", "table", "blockquote", "pre", "section", "article", "header",
              "footer", "nav", "aside", "figure", "figcaption", "address", "main", "form",
              "fieldset", "legend", "details", "summary", "br", "hr", "body", "caption"}
WS = re.compile(r"[ \t\r\f\v\u00a0\u200b]+")
COMMENT_ZONE = re.compile(r"comments|commentlist|comment[-_]list|disqus", re.IGNORECASE)
COMMENT_ITEM = re.compile(r"^comment([-_]\d+)?$", re.IGNORECASE)
COMMENT_BODY = re.compile(r"comment[-_]?(body|content|text)|^(body|content|text)$",
                          re.IGNORECASE)
COMMENT_AUTHOR = re.compile(r"(comment[-_]?author|(^|\s)fn($|\s)|author|user[-_]?name)",
                            re.IGNORECASE)
COMMENT_META = re.compile(r"(meta|date|time|reply|permalink|metadata|awaiting)", re.IGNORECASE)
DEFAULT_MAX_ATTRIBUTES = 256
DEFAULT_MAX_COMMENTS = 5_000
FAST_EXTRACTION_ABOVE = 20_000  # elements; larger pages skip trafilatura (see extract_html)
# Above this many block-by-body character comparisons, removals are found by
# word sequences instead of substring search (same answer on real pages, linear).
_EXACT_REMOVALS_BUDGET = 20_000_000

_TAG_START = re.compile(r"<[A-Za-z][^\s/>\"'<]*")
_IN_TAG = re.compile(r"""(?:[^>"']+|"[^"]*"|'[^']*')*+""")
_ATTR = re.compile(r"""[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]*))?""")


@dataclass
class Extracted:
    """What came out of one HTML page (offsets: see the module docstring)."""

    text: str
    meta: dict[str, Any] = field(default_factory=dict)
    removed: list[Removal] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)


def extract_html(html: str, url: str | None = None, mode: str = DEFAULT_MODE,
                 max_attributes: int = DEFAULT_MAX_ATTRIBUTES,
                 max_comments: int = DEFAULT_MAX_COMMENTS) -> Extracted:
    """Extract the article body, metadata, removed blocks and comments of a page.

    html (str): the page, decoded.
    url (str): where it came from, if known (helps trafilatura and fills ``meta["url"]``).
    mode (str): a key of :data:`MODES`; the default is the best on the benchmark.
    max_attributes (int): attributes kept per tag (see :func:`cap_attributes`).
    max_comments (int): reader comments kept; ``meta["x_comments_dropped"]``
        counts the rest.
    RETURNS (Extracted): ``text`` (paragraphs separated by blank lines), ``meta``
        (title, author, publisher, published, url, language, x_extraction),
        ``removed`` and ``comments``.
    """
    import trafilatura

    html, cut = cap_attributes(html, max_attributes)
    tree = _parse(html)
    meta: dict[str, Any] = {}
    text = ""
    doc = None
    n_elements = sum(1 for _ in tree.iter()) if tree is not None else 0
    if tree is not None and n_elements <= FAST_EXTRACTION_ABOVE:
        try:
            doc = trafilatura.bare_extraction(
                html, url=url, with_metadata=True, include_comments=False,
                include_tables=True, **MODES[mode],
            )
        except Exception as exc:  # noqa: BLE001 - extractor bugs must not stop ingest
            meta["x_extraction_error"] = f"{type(exc).__name__}: {str(exc)[:200]}"
    elif tree is not None:
        # Trafilatura and htmldate cost several seconds per 20,000 elements (and
        # more than linearly with their fallbacks); real article pages have a
        # few thousand (at most 1,709 in the extraction benchmark).  Beyond the
        # threshold the page gets the cheap, linear <p> rule below instead.
        meta["x_extraction_skipped"] = (f"page has {n_elements} elements (> "
                                        f"{FAST_EXTRACTION_ABOVE}): <p> paragraphs only")
    if doc is not None:
        body = getattr(doc, "body", None)
        text = _render_body(body) if body is not None else (doc.text or "")
        meta.update(_trafilatura_meta(doc))
        meta["x_extraction"] = f"trafilatura ({mode})"
    if not text.strip() and tree is not None:
        text = _paragraph_fallback(tree)
        meta["x_extraction"] = ("fallback: <p> paragraphs (trafilatura found no main text)"
                                if text else "nothing extracted: no main text and no <p> text")
    if tree is not None:
        meta.update({k: v for k, v in _html_meta(tree).items() if not meta.get(k)})
    if url and not meta.get("url"):
        meta["url"] = url
    removed: list[Removal] = []
    comments: list[Comment] = []
    if tree is not None:
        blocks = _blocks(tree)
        removed = _removals(blocks, text)
        comments, dropped = _comments(tree, blocks, max_comments)
        if dropped:
            meta["x_comments_dropped"] = dropped
    if cut:
        meta["x_attributes_dropped"] = cut
    return Extracted(text=text, meta={k: v for k, v in meta.items() if v}, removed=removed,
                     comments=comments)


def page_text(html: str, max_attributes: int = DEFAULT_MAX_ATTRIBUTES) -> str:
    """The page-text rendering that Removal and Comment offsets refer to."""
    tree = _parse(cap_attributes(html, max_attributes)[0])
    if tree is None:
        return ""
    return "\n\n".join(b.text for b in _blocks(tree))


# -- parsing and rendering ---------------------------------------------------

def cap_attributes(html: str, max_attributes: int) -> tuple[str, int]:
    """The page with at most ``max_attributes`` attributes per start tag, and how many were cut.

    Why: libxml2 (under lxml, trafilatura and htmldate) checks each new
    attribute against the element's earlier ones, so one tag with 100,000
    attributes costs minutes in every parse.  No real page needs hundreds of
    attributes on one element; the extra ones are dropped before parsing.
    The scan is one left-to-right pass (quotes respected), linear in the page.
    """
    if html.count("=") <= max_attributes and len(html) < 4 * max_attributes:
        return html, 0  # too small to hold an over-long tag
    out: list[str] = []
    pos = last = 0
    cut_total = 0
    n = len(html)
    while pos < n:
        m = _TAG_START.search(html, pos)
        if not m:
            break
        inner = _IN_TAG.match(html, m.end())
        end = inner.end() if inner else m.end()
        if end < n and html[end] in "\"'":  # an unclosed quote runs to the end of the page
            end = n
        if end - m.end() > 2 * max_attributes:
            attrs = list(_ATTR.finditer(html, m.end(), end))
            if len(attrs) > max_attributes:
                keep_to = attrs[max_attributes].start()
                out.append(html[last:keep_to])
                last = end
                cut_total += len(attrs) - max_attributes
        pos = max(end, m.end()) + 1 if end < n else n
    if not cut_total:
        return html, 0
    out.append(html[last:])
    return "".join(out), cut_total


def _parse(html: str) -> Any:
    """Parse leniently; None for input lxml cannot make a tree of."""
    if not html or not html.strip():
        return None
    try:
        # lxml refuses str input with an encoding declaration; strip it.
        cleaned = re.sub(r"^\s*<\?xml[^>]*\?>", "", html)
        return lxml_html.document_fromstring(cleaned)
    except (etree.ParserError, ValueError):
        return None


def _norm_ws(s: str) -> str:
    lines = [WS.sub(" ", ln).strip() for ln in s.split("\n")]
    return "\n".join(ln for ln in lines if ln)


def _render_body(body: Any) -> str:
    """Trafilatura's body XML to text: one paragraph per block, blank lines between."""
    paras: list[str] = []
    for el in body:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag == "list":
            lines = [_inline(item) for item in el.iter("item")]
            para = "\n".join(ln for ln in lines if ln)
        elif tag == "table":
            rows = []
            for row in el.iter("row"):
                cells = [_inline(c) for c in row.iter("cell")]
                rows.append(" | ".join(c for c in cells if c))
            para = "\n".join(r for r in rows if r)
        else:
            para = _inline(el)
        if para:
            paras.append(para)
    return "\n\n".join(paras)


def _inline(el: Any) -> str:
    """Text of one element; ``<lb/>`` becomes a line break."""
    parts: list[str] = []

    def walk(node: Any) -> None:
        if node.text:
            parts.append(node.text)
        for child in node:
            if child.tag == "lb":
                parts.append("\n")
            elif child.tag in ("list", "item") and parts:
                parts.append("\n")
                walk(child)
            else:
                walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(el)
    return _norm_ws("".join(parts))


@dataclass
class _Block:
    text: str
    start: int
    end: int
    in_comments: bool


def _classes(el: Any) -> str:
    return f"{el.get('id') or ''} {el.get('class') or ''}".strip()


def _blocks(tree: Any) -> list[_Block]:
    """Visible text blocks of the page, with offsets into their blank-line join."""
    pieces: list[tuple[str, bool]] = []  # (text, in_comments); "" marks a block boundary
    buf: list[str] = []
    zone_depth = 0
    stack: list[bool] = []

    def flush() -> None:
        if buf:
            pieces.append(("".join(buf), zone_depth > 0))
            buf.clear()

    body = tree.find("body")
    root = body if body is not None else tree
    skip_depth = 0
    for event, el in etree.iterwalk(root, events=("start", "end")):
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if event == "start":
            if skip_depth or not tag or tag in SKIP_TAGS or el.get("hidden") is not None \
                    or "display:none" in (el.get("style") or "").replace(" ", ""):
                skip_depth += 1
                continue
            zone = bool(COMMENT_ZONE.search(_classes(el)))
            stack.append(zone)
            if tag in BLOCK_TAGS or zone:
                flush()
            zone_depth += zone
            if el.text:
                buf.append(el.text)
        else:
            if skip_depth:
                skip_depth -= 1
                if skip_depth == 0 and el.tail:
                    buf.append(el.tail)
                continue
            zone = stack.pop() if stack else False
            if tag in BLOCK_TAGS or zone:
                flush()
            zone_depth -= zone
            if el.tail:
                buf.append(el.tail)
    flush()
    out: list[_Block] = []
    pos = 0
    for text, in_comments in pieces:
        t = WS.sub(" ", text.replace("\n", " ")).strip()
        if not t:
            continue
        if out:
            pos += 2
        out.append(_Block(t, pos, pos + len(t), in_comments))
        pos += len(t)
    return out


def _key(s: str) -> str:
    return re.sub(r"\W+", " ", s).strip().lower()


def _removals(blocks: list[_Block], body: str) -> list[Removal]:
    """Blocks whose text is not in the body (comparison ignores punctuation and case).

    Normal pages use substring search.  When blocks x body would be too many
    comparisons (a huge page), a block counts as in the body when its words
    occur there in sequence (every word pair is a body word pair), which is
    linear and agrees with substring search on whole words.
    """
    body_key = _key(body)
    contains = _in_body_exact(body_key)
    if len(blocks) * max(1, len(body_key)) > _EXACT_REMOVALS_BUDGET:
        contains = _in_body_words(body_key)
    out = []
    for b in blocks:
        k = _key(b.text)
        if not k or contains(k):
            continue
        reason = "html: reader comments" if b.in_comments else "html: outside main content"
        out.append(Removal(start=b.start, end=b.end, reason=reason, text=b.text))
    return out


def _in_body_exact(body_key: str) -> Any:
    return lambda k: k in body_key


def _in_body_words(body_key: str) -> Any:
    words = body_key.split()
    single = set(words)
    pairs = set(zip(words, words[1:], strict=False))

    def contains(k: str) -> bool:
        ws = k.split()
        if len(ws) == 1:
            return ws[0] in single
        return all(p in pairs for p in zip(ws, ws[1:], strict=False))

    return contains


# -- metadata ----------------------------------------------------------------

def _trafilatura_meta(doc: Any) -> dict[str, Any]:
    return {
        "title": getattr(doc, "title", None),
        "author": getattr(doc, "author", None),
        "publisher": getattr(doc, "sitename", None),
        "published": getattr(doc, "date", None),
        "url": getattr(doc, "url", None),
        "language": getattr(doc, "language", None),
        "x_description": getattr(doc, "description", None),
    }


def _html_meta(tree: Any) -> dict[str, Any]:
    """The few fields we can read straight from the markup (used to fill gaps)."""
    meta: dict[str, Any] = {}
    lang = tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang")
    if lang:
        meta["language"] = lang.split("-")[0].strip().lower() or None
    title = tree.findtext(".//title")
    if title and title.strip():
        meta["title"] = WS.sub(" ", title).strip()
    for link in tree.iter("link"):
        if (link.get("rel") or "").lower() == "canonical" and link.get("href"):
            meta["url"] = link.get("href").strip()
            break
    return meta


def _paragraph_fallback(tree: Any) -> str:
    """Last resort: every substantial <p> of the page, in order, outside comment sections."""
    paras = []
    zones: list[bool] = []
    depth = 0
    for event, el in etree.iterwalk(tree, events=("start", "end")):
        if not isinstance(el.tag, str):
            continue
        if event == "end":
            depth -= zones.pop()
            continue
        zone = bool(COMMENT_ZONE.search(_classes(el)))
        zones.append(zone)
        depth += zone
        if el.tag == "p" and not depth:
            t = WS.sub(" ", el.text_content()).strip()
            if len(t.split()) >= 5:
                paras.append(t)
    return "\n\n".join(paras)


# -- comments ----------------------------------------------------------------

def _comments(tree: Any, blocks: list[_Block], max_comments: int = DEFAULT_MAX_COMMENTS
              ) -> tuple[list[Comment], int]:
    """Reader comments from a recognisable comments section (best effort), and how many
    were dropped over ``max_comments``.

    A comment item is an element inside a comments zone whose class or id says
    ``comment`` (WordPress ``li.comment``, ``article.comment``, ``div.comment``);
    its text is its ``comment-body``/``comment-content`` part if there is one,
    minus author and date lines; its parent is the nearest enclosing item.
    Every element is visited a bounded number of times, so the cost is linear
    in the page however many comments or reply levels it has.
    """
    owner: dict[Any, Any] = {}  # element in a zone -> nearest comment item containing it
    items: list[Any] = []
    stack: list[Any] = []  # per open element: its owner (None outside items)
    zone_depth = 0
    zones: list[bool] = []
    for event, el in etree.iterwalk(tree, events=("start", "end")):
        if not isinstance(el.tag, str):
            continue
        if event == "start":
            zone = bool(COMMENT_ZONE.search(_classes(el)))
            zones.append(zone)
            zone_depth += zone
            own = stack[-1] if stack else None
            if zone_depth and el.tag in ("li", "article", "div") and _is_comment_item(el):
                items.append(el)
                own = el
            stack.append(own)
            if zone_depth:
                owner[el] = own
        else:
            stack.pop()
            zone_depth -= zones.pop()
    if not owner:
        return [], 0
    dropped = max(0, len(items) - max_comments)
    items = items[:max_comments]
    item_set = set(items)
    authors: dict[Any, Any] = {}
    bodies: dict[Any, Any] = {}
    for el, own in owner.items():
        if own is None or own not in item_set:
            continue
        if own not in authors and COMMENT_AUTHOR.search(_classes(el)):
            authors[own] = el
        if el is not own and own not in bodies and COMMENT_BODY.search(el.get("class") or ""):
            bodies[own] = el
    out: list[Comment] = []
    index_of: dict[Any, int] = {}
    block_keys = [(b, _key(b.text)) for b in blocks if b.in_comments]
    cursor = 0
    for el in items:
        author_el = authors.get(el)
        body_el = bodies.get(el)
        text = _own_text(body_el if body_el is not None else el, item_set, exclude_meta=True)
        if not text:
            continue
        author = WS.sub(" ", author_el.text_content()).strip() if author_el is not None else None
        if author:
            author = re.sub(r"\s+(says|said|wrote)\s*:?$", "", author, flags=re.IGNORECASE)
            if text.startswith(author):
                text = text[len(author):].strip()
        parent = el.getparent()
        parent_el = owner.get(parent) if parent is not None else None
        idx = len(out)
        index_of[el] = idx
        start = end = None
        first = _key(text.split("\n")[0])[:60]
        # Comments come in page order, so the block holding this one is at or after
        # the previous comment's; a bounded look-ahead keeps the search linear.
        for j in range(cursor, min(len(block_keys), cursor + 200)):
            b, k = block_keys[j]
            if first and first in k:
                start, end = b.start, b.end
                cursor = j
                break
        out.append(Comment(index=idx, text=text, author=author or None,
                           parent=index_of.get(parent_el) if parent_el is not None else None,
                           raw_start=start, raw_end=end))
    return out, dropped


def _is_comment_item(el: Any) -> bool:
    tokens = (el.get("class") or "").split() + [el.get("id") or ""]
    return any(COMMENT_ITEM.match(t) for t in tokens) and not COMMENT_ZONE.search(_classes(el))


def _own_text(el: Any, items: set[Any], exclude_meta: bool) -> str:
    """Text of a comment without its nested replies, author line or date line."""
    parts: list[str] = []

    def walk(node: Any) -> None:
        for child in node:
            if not isinstance(child.tag, str):
                if child.tail:
                    parts.append(child.tail)
                continue
            skip = (child in items or child.tag in SKIP_TAGS
                    or (exclude_meta and (COMMENT_AUTHOR.search(_classes(child))
                                          or COMMENT_META.search(_classes(child)))))
            if not skip:
                if child.tag in BLOCK_TAGS:
                    parts.append("\n")
                if child.text:
                    parts.append(child.text)
                walk(child)
                if child.tag in BLOCK_TAGS:
                    parts.append("\n")
            if child.tail:
                parts.append(child.tail)

    if el.text:
        parts.append(el.text)
    walk(el)
    return _norm_ws("".join(parts))
