"""Input readers: turn paths, folders, globs and URLs into a stream of raw items.

Every input becomes either :class:`~rashomon.ingest.items.RawItem` (one article,
still raw) or :class:`~rashomon.ingest.items.ItemError` (one line saying what is
wrong with it).  Readers never raise for a bad input: the batch goes on, and
the orchestrator records the error.

Kinds, by extension and then by sniffing the first bytes:

- plain text: ``.txt``, ``.md``, ``.text``; HTML: ``.html``, ``.htm``,
  ``.xhtml``; any of these may be gzipped (``.gz``);
- JSON Lines (``.jsonl``, ``.ndjson``): one article per line with ``text`` or
  ``html`` plus optional metadata fields; the item is the line number;
- RSS/Atom feeds (``.rss``, ``.atom``, ``.xml`` sniffed): one item per entry;
- URL lists (``.urls``, or a ``.txt`` whose non-empty lines are all URLs):
  each URL is fetched.

The size cap applies per file for single-article files, and per line or per
entry for JSON Lines and feeds (which are streamed, so a big JSON Lines file is
fine as long as each article is within the cap).
"""

from __future__ import annotations

import glob as globmod
import gzip
import hashlib
import json
import os
import re
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from rashomon.ingest.fetch import FetchError, FetchOptions, fetch_url
from rashomon.ingest.items import META_FIELDS, ItemError, RawItem
from rashomon.ingest.manifest import ManifestIndex

TEXT_EXT = {".txt", ".md", ".text", ".markdown"}
HTML_EXT = {".html", ".htm", ".xhtml", ".shtml"}
JSONL_EXT = {".jsonl", ".ndjson"}
FEED_EXT = {".rss", ".atom"}
URLS_EXT = {".urls"}
GLOB_CHARS = re.compile(r"[*?\[]")
URL_RE = re.compile(r"^https?://\S+$", re.IGNORECASE)
META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE
)
# C0 controls other than tab, newline, vertical tab, form feed and carriage return.
BAD_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


class ReadError(Exception):
    """A one-line reason why an input cannot be read (turned into an ItemError)."""


def iter_items(
    paths: list[str],
    manifest: str | None = None,
    fetch: FetchOptions | None = None,
) -> Iterator[RawItem | ItemError]:
    """Yield one RawItem per article found under ``paths``, or an ItemError per bad input.

    paths (list[str]): files, folders (walked recursively in sorted order, hidden
        files and the manifest skipped), glob patterns, or http(s) URLs.
    manifest (str): optional CSV/YAML manifest; its rows override or fill the
        metadata of the item they name by ``path`` or ``url``.  A bad manifest
        raises :class:`~rashomon.ingest.manifest.ManifestError` before anything
        is read, because silently ingesting without the user's metadata would
        be worse than stopping.
    fetch (FetchOptions): limits for files and URLs.
    """
    opts = fetch or FetchOptions()
    index = ManifestIndex.load(manifest) if manifest else None
    skip = {_norm(manifest)} if manifest else set()
    for given in paths:
        if _is_url(given):
            yield from _read_url(given, opts, index)
            continue
        for path, err in _expand(given, skip):
            if err:
                yield ItemError(given, err)
            else:
                yield from _read_file(path, opts, index)


# -- path expansion ----------------------------------------------------------

def _norm(p: str | os.PathLike[str]) -> str:
    return os.path.normcase(os.path.abspath(p))


def _is_url(s: str) -> bool:
    return s.lower().startswith(("http://", "https://"))


def _expand(given: str, skip: set[str]) -> Iterator[tuple[str, str | None]]:
    """Yield (file path, None) for each file named by ``given``, or ("", error)."""
    p = Path(given)
    if p.is_dir():
        files = []
        for root, dirs, names in os.walk(p):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in names:
                if name.startswith("."):
                    continue
                full = os.path.join(root, name)
                if _norm(full) not in skip:
                    files.append(full)
        for f in sorted(files):
            yield f, None
        return
    if p.exists() or p.is_symlink():
        yield given, None
        return
    if GLOB_CHARS.search(given):
        matches = sorted(globmod.glob(given, recursive=True))
        # glob's own rules already leave out hidden names for ``*``.
        files = [m for m in matches if os.path.isfile(m) and _norm(m) not in skip]
        if not files:
            yield "", "no files match this pattern"
        for f in files:
            yield f, None
        return
    yield "", "no such file or directory"


# -- decoding ----------------------------------------------------------------

def decode_bytes(data: bytes, declared: str | None = None, html: bool = False) -> str:
    """Bytes to text, or ReadError when the bytes are not text.

    Tries, in order: a UTF-16/32 byte-order mark, UTF-8 (with or without BOM),
    the charset the server declared, the charset an HTML ``<meta>`` declares,
    and cp1252 only if it decodes with no control characters (old Windows
    pages).  NUL bytes without a UTF-16 BOM mean binary.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise ReadError("binary file (bad UTF-16 text)") from None
    if b"\x00" in data:
        raise ReadError("binary file (contains NUL bytes)")
    candidates = ["utf-8-sig"]
    if declared:
        candidates.append(declared)
    if html or data.lstrip()[:1] == b"<":
        m = META_CHARSET.search(data[:4096])
        if m:
            candidates.append(m.group(1).decode("ascii", "ignore"))
    for enc in candidates:
        try:
            text = data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
        if _looks_binary(text):
            raise ReadError("binary file (control characters)")
        return text
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        raise ReadError("not text: undecodable as UTF-8 or the declared charset") from None
    if BAD_CONTROL.search(text):
        raise ReadError("not text: undecodable as UTF-8 or the declared charset") from None
    return text


def _looks_binary(text: str) -> bool:
    """Valid UTF-8 that is mostly control characters is still binary."""
    sample = text[:8192]
    if not sample:
        return False
    return len(BAD_CONTROL.findall(sample)) > max(2, len(sample) // 100)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# -- files -------------------------------------------------------------------

def _read_file(path: str, opts: FetchOptions, index: ManifestIndex | None
               ) -> Iterator[RawItem | ItemError]:
    name = path.lower()
    gz = name.endswith(".gz")
    ext = os.path.splitext(name[:-3] if gz else name)[1]
    try:
        size = os.path.getsize(path)
    except OSError as exc:
        yield ItemError(path, f"cannot read: {exc.strerror or exc}")
        return
    streamed = ext in JSONL_EXT and not gz
    if size > opts.max_bytes and not streamed:
        yield ItemError(path, f"too large: {size} bytes > limit {opts.max_bytes}")
        return
    if size == 0:
        yield ItemError(path, "empty file")
        return
    if streamed:
        yield from _read_jsonl(path, opts, index)
        return
    try:
        data = _read_bytes(path, gz, opts.max_bytes)
    except ReadError as exc:
        yield ItemError(path, str(exc))
        return
    if not data.strip():
        yield ItemError(path, "empty file")
        return
    kind = _kind(ext, data)
    if kind == "jsonl":
        yield from _jsonl_lines(path, data.splitlines(), opts, index)
        return
    if kind == "feed":
        yield from _read_feed(path, data, opts, index, path=path)
        return
    try:
        text = decode_bytes(data, html=kind == "html")
    except ReadError as exc:
        yield ItemError(path, str(exc))
        return
    if kind == "text" and (ext in URLS_EXT or _all_urls(text)):
        yield from _read_url_list(path, text, opts, index)
        return
    if ext in URLS_EXT:
        yield ItemError(path, "URL list has lines that are not http(s) URLs")
        return
    meta = index.lookup(path=path) if index else {}
    yield RawItem(source=path, content=text, kind=kind, meta=meta, raw_bytes_hash=_sha(data))


def _read_bytes(path: str, gz: bool, cap: int) -> bytes:
    try:
        if gz:
            with gzip.open(path, "rb") as fh:
                data = fh.read(cap + 1)
            if len(data) > cap:
                raise ReadError(f"too large: more than {cap} bytes uncompressed")
            return data
        with open(path, "rb") as fh:
            return fh.read()
    except (gzip.BadGzipFile, zlib.error, EOFError) as exc:
        raise ReadError(f"bad gzip file ({exc})") from None
    except IsADirectoryError:
        raise ReadError("is a directory") from None
    except OSError as exc:
        raise ReadError(f"cannot read: {exc.strerror or exc}") from None


def _kind(ext: str, data: bytes) -> str:
    """Kind from the extension, else from the first bytes."""
    if ext in HTML_EXT:
        return "html"
    if ext in TEXT_EXT or ext in URLS_EXT:
        return "text"
    if ext in JSONL_EXT:
        return "jsonl"
    if ext in FEED_EXT:
        return "feed"
    head = data[:2048].lstrip().lower()
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    if head.startswith(b"<"):
        if re.search(rb"<(rss|feed|rdf:rdf)[\s>]", head):
            return "feed"
        return "html"
    if head.startswith(b"{") and ext not in (".json",):
        return "jsonl"
    return "text"


def _all_urls(text: str) -> bool:
    lines = [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    return bool(lines) and all(URL_RE.match(ln) for ln in lines)


# -- JSON Lines --------------------------------------------------------------

def _read_jsonl(path: str, opts: FetchOptions, index: ManifestIndex | None
                ) -> Iterator[RawItem | ItemError]:
    """Stream a JSON Lines file one line at a time (memory stays flat)."""
    try:
        fh = open(path, "rb")  # noqa: SIM115 - closed below, generator-friendly
    except OSError as exc:
        yield ItemError(path, f"cannot read: {exc.strerror or exc}")
        return
    with fh:
        yield from _jsonl_lines(path, fh, opts, index)


def _jsonl_lines(path: str, lines: Any, opts: FetchOptions, index: ManifestIndex | None
                 ) -> Iterator[RawItem | ItemError]:
    file_meta = _shared_meta(index.lookup(path=path)) if index else {}
    any_line = False
    for n, raw_line in enumerate(lines, start=1):
        if not raw_line.strip():
            continue
        any_line = True
        item = str(n)
        if len(raw_line) > opts.max_bytes:
            yield ItemError(path, f"line too large: {len(raw_line)} bytes > limit {opts.max_bytes}",
                            item)
            continue
        try:
            obj = json.loads(raw_line)
        except json.JSONDecodeError as exc:
            yield ItemError(path, f"malformed JSON ({exc.msg} at column {exc.colno})", item)
            continue
        except UnicodeDecodeError:
            yield ItemError(path, "line is not UTF-8 text", item)
            continue
        if not isinstance(obj, dict):
            yield ItemError(path, "line is not a JSON object", item)
            continue
        text, html = obj.get("text"), obj.get("html")
        if isinstance(text, str) and text.strip():
            content, kind = text, "text"
        elif isinstance(html, str) and html.strip():
            content, kind = html, "html"
        else:
            yield ItemError(path, "no non-empty 'text' or 'html' field", item)
            continue
        meta = {k: _scalar(obj[k]) for k in META_FIELDS if obj.get(k) not in (None, "")}
        for k, v in file_meta.items():
            meta.setdefault(k, v)
        if index and meta.get("url"):
            meta.update(index.lookup(url=str(meta["url"])))
        yield RawItem(source=path, content=content, kind=kind, item=item, meta=meta,
                      raw_bytes_hash=_sha(content.encode("utf-8")))
    if not any_line:
        yield ItemError(path, "empty file")


def _scalar(v: Any) -> Any:
    return v if isinstance(v, str | int | float | bool) else json.dumps(v, ensure_ascii=False)


def _shared_meta(row: dict[str, Any]) -> dict[str, Any]:
    """A manifest row naming a multi-article file: only fields all its articles share."""
    return {k: v for k, v in row.items() if k not in ("id", "url", "title")}


# -- feeds -------------------------------------------------------------------

def _read_feed(source: str, data: bytes, opts: FetchOptions, index: ManifestIndex | None,
               path: str | None = None) -> Iterator[RawItem | ItemError]:
    import feedparser

    parsed = feedparser.parse(data)
    entries = parsed.get("entries") or []
    if not entries:
        why = parsed.get("bozo_exception")
        detail = f" ({str(why).splitlines()[0][:120]})" if why else ""
        yield ItemError(source, f"not a readable RSS/Atom feed or no entries{detail}")
        return
    feed_title = (parsed.get("feed") or {}).get("title")
    file_meta = _shared_meta(index.lookup(path=path)) if (index and path) else {}
    for n, entry in enumerate(entries, start=1):
        item = str(entry.get("id") or entry.get("link") or n)
        content, ctype = "", ""
        for c in entry.get("content") or []:
            if c.get("value", "").strip():
                content, ctype = c["value"], c.get("type", "")
                break
        if not content:
            summary = entry.get("summary_detail") or {}
            content = entry.get("summary") or ""
            ctype = summary.get("type", "") if summary else ""
        if not content.strip():
            yield ItemError(source, "feed entry without content or summary", item)
            continue
        if len(content.encode("utf-8")) > opts.max_bytes:
            yield ItemError(source, f"entry too large (> {opts.max_bytes} bytes)", item)
            continue
        meta: dict[str, Any] = {}
        if entry.get("link"):
            meta["url"] = entry["link"]
        if entry.get("title"):
            meta["title"] = entry["title"]
        if entry.get("author"):
            meta["author"] = entry["author"]
        when = entry.get("published_parsed") or entry.get("updated_parsed")
        if when:
            meta["published"] = f"{when.tm_year:04d}-{when.tm_mon:02d}-{when.tm_mday:02d}"
        if feed_title:
            meta["publisher"] = feed_title
        if parsed.get("feed", {}).get("language"):
            meta["language"] = parsed["feed"]["language"]
        for k, v in file_meta.items():
            meta.setdefault(k, v)
        if index and meta.get("url"):
            meta.update(index.lookup(url=meta["url"]))
        kind = "text" if ctype == "text/plain" else "html"
        yield RawItem(source=source, content=content, kind=kind, item=item, meta=meta,
                      raw_bytes_hash=_sha(content.encode("utf-8")))


# -- URLs --------------------------------------------------------------------

def _read_url_list(path: str, text: str, opts: FetchOptions, index: ManifestIndex | None
                   ) -> Iterator[RawItem | ItemError]:
    for line in text.splitlines():
        url = line.strip()
        if not url or url.startswith("#"):
            continue
        if not URL_RE.match(url):
            yield ItemError(path, f"not an http(s) URL: {url[:100]}")
            continue
        yield from _read_url(url, opts, index)


def _read_url(url: str, opts: FetchOptions, index: ManifestIndex | None
              ) -> Iterator[RawItem | ItemError]:
    try:
        data, info = fetch_url(url, opts)
    except FetchError as exc:
        yield ItemError(url, str(exc))
        return
    if not data.strip():
        yield ItemError(url, "empty response")
        return
    ctype = info.get("content_type") or ""
    final = info.get("url") or url
    if ctype in ("application/rss+xml", "application/atom+xml") or (
        "xml" in ctype and re.search(rb"<(rss|feed|rdf:rdf)[\s>]", data[:2048].lower())
    ):
        yield from _read_feed(url, data, opts, index)
        return
    if ctype in ("application/json", "application/x-ndjson", "application/jsonl"):
        yield from _jsonl_lines(url, data.splitlines(), opts, index)
        return
    kind = "text" if ctype == "text/plain" else "html"
    if not ctype:
        kind = "html" if data.lstrip()[:1] == b"<" else "text"
    try:
        text = decode_bytes(data, declared=info.get("charset"), html=kind == "html")
    except ReadError as exc:
        yield ItemError(url, str(exc))
        return
    meta: dict[str, Any] = {"url": final}
    if index:
        meta.update(index.lookup(url=url) or index.lookup(url=final))
    yield RawItem(source=url, content=text, kind=kind, meta=meta, raw_bytes_hash=_sha(data))
