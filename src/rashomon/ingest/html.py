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


@dataclass
class Extracted:
    """What came out of one HTML page (offsets: see the module docstring)."""

    text: str
    meta: dict[str, Any] = field(default_factory=dict)
    removed: list[Removal] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)


def extract_html(html: str, url: str | None = None, mode: str = DEFAULT_MODE) -> Extracted:
    """Extract the article body, metadata, removed blocks and comments of a page.

    html (str): the page, decoded.
    url (str): where it came from, if known (helps trafilatura and fills ``meta["url"]``).
    mode (str): a key of :data:`MODES`; the default is the best on the benchmark.
    RETURNS (Extracted): ``text`` (paragraphs separated by blank lines), ``meta``
        (title, author, publisher, published, url, language, x_extraction),
        ``removed`` and ``comments``.
    """
    import trafilatura

    tree = _parse(html)
    meta: dict[str, Any] = {}
    text = ""
    doc = None
    if tree is not None:
        try:
            doc = trafilatura.bare_extraction(
                html, url=url, with_metadata=True, include_comments=False,
                include_tables=True, **MODES[mode],
            )
        except Exception as exc:  # noqa: BLE001 - extractor bugs must not stop ingest
            meta["x_extraction_error"] = f"{type(exc).__name__}: {str(exc)[:200]}"
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
        comments = _comments(tree, blocks)
    return Extracted(text=text, meta={k: v for k, v in meta.items() if v}, removed=removed,
                     comments=comments)


def page_text(html: str) -> str:
    """The page-text rendering that Removal and Comment offsets refer to."""
    tree = _parse(html)
    if tree is None:
        return ""
    return "\n\n".join(b.text for b in _blocks(tree))


# -- parsing and rendering ---------------------------------------------------

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
    """Blocks whose text is not in the body (comparison ignores punctuation and case)."""
    body_key = _key(body)
    out = []
    for b in blocks:
        k = _key(b.text)
        if not k or k in body_key:
            continue
        reason = "html: reader comments" if b.in_comments else "html: outside main content"
        out.append(Removal(start=b.start, end=b.end, reason=reason, text=b.text))
    return out


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
    """Last resort: every substantial <p> of the page, in order."""
    paras = []
    for p in tree.iter("p"):
        t = WS.sub(" ", p.text_content()).strip()
        if len(t.split()) >= 5:
            paras.append(t)
    return "\n\n".join(paras)


# -- comments ----------------------------------------------------------------

def _comments(tree: Any, blocks: list[_Block]) -> list[Comment]:
    """Reader comments from a recognisable comments section (best effort).

    A comment item is an element inside a comments zone whose class or id says
    ``comment`` (WordPress ``li.comment``, ``article.comment``, ``div.comment``);
    its text is its ``comment-body``/``comment-content`` part if there is one,
    minus author and date lines; its parent is the nearest enclosing item.
    """
    zones = [el for el in tree.iter() if isinstance(el.tag, str)
             and COMMENT_ZONE.search(_classes(el))]
    if not zones:
        return []
    items: list[Any] = []
    seen: set[Any] = set()
    for zone in zones:
        for el in zone.iter():
            if not isinstance(el.tag, str) or el in seen:
                continue
            if el.tag in ("li", "article", "div") and _is_comment_item(el):
                seen.add(el)
                items.append(el)
    out: list[Comment] = []
    index_of: dict[Any, int] = {}
    block_keys = [(b, _key(b.text)) for b in blocks if b.in_comments]
    for el in items:
        author_el = next((a for a in el.iter() if isinstance(a.tag, str)
                          and COMMENT_AUTHOR.search(_classes(a)) and _owner(a, items) is el), None)
        body_el = next((b for b in el.iter() if isinstance(b.tag, str) and b is not el
                        and COMMENT_BODY.search(b.get("class") or "") and _owner(b, items) is el),
                       None)
        text = _own_text(body_el if body_el is not None else el, items, exclude_meta=True)
        if not text:
            continue
        author = WS.sub(" ", author_el.text_content()).strip() if author_el is not None else None
        if author:
            author = re.sub(r"\s+(says|said|wrote)\s*:?$", "", author, flags=re.IGNORECASE)
            if text.startswith(author):
                text = text[len(author):].strip()
        parent_el = _owner(el.getparent(), items) if el.getparent() is not None else None
        idx = len(out)
        index_of[el] = idx
        start = end = None
        first = _key(text.split("\n")[0])[:60]
        for b, k in block_keys:
            if first and first in k:
                start, end = b.start, b.end
                break
        out.append(Comment(index=idx, text=text, author=author or None,
                           parent=index_of.get(parent_el) if parent_el is not None else None,
                           raw_start=start, raw_end=end))
    return out


def _is_comment_item(el: Any) -> bool:
    tokens = (el.get("class") or "").split() + [el.get("id") or ""]
    return any(COMMENT_ITEM.match(t) for t in tokens) and not COMMENT_ZONE.search(_classes(el))


def _owner(el: Any, items: list[Any]) -> Any:
    """The nearest comment item that contains ``el`` (itself included)."""
    node = el
    item_set = set(items)
    while node is not None:
        if node in item_set:
            return node
        node = node.getparent()
    return None


def _own_text(el: Any, items: list[Any], exclude_meta: bool) -> str:
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
