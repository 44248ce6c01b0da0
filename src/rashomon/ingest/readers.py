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
import stat
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from rashomon.ingest.fetch import FetchError, FetchOptions, fetch_url
from rashomon.ingest.items import META_FIELDS, ItemError, RawItem, safe_name
from rashomon.ingest.manifest import ManifestIndex, ManifestRowError

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
    skip: Iterable[str] = (),
) -> Iterator[RawItem | ItemError]:
    """Yield one RawItem per article found under ``paths``, or an ItemError per bad input.

    paths (list[str]): files, folders (walked recursively in sorted order, hidden
        files and the manifest skipped), glob patterns, or http(s) URLs.
    manifest (str): optional CSV/YAML manifest; its rows override or fill the
        metadata of the item they name by ``path`` or ``url``.  A manifest that
        cannot be used raises :class:`~rashomon.ingest.manifest.ManifestError`
        before anything is read, because silently ingesting without the user's
        metadata would be worse than stopping.  An invalid row fails the item
        it names (or, naming none, is yielded as an ItemError first).
    fetch (FetchOptions): limits for files and URLs.
    skip (list[str]): files never read as inputs when met in a folder or glob
        (the workspace database and its journal files).
    """
    opts = fetch or FetchOptions()
    index = ManifestIndex.load(manifest) if manifest else None
    skip = {_norm(p) for p in skip} | ({_norm(manifest)} if manifest else set())
    if index:
        yield from index.row_errors()
    for given in paths:
        if _is_url(given):
            yield from _guarded(given, _read_url(given, opts, index))
            continue
        try:
            found = list(_expand(given, skip))
        except Exception as exc:  # noqa: BLE001 - e.g. a NUL byte in the name
            yield ItemError(_storable(given), f"cannot read: {_reason(exc)}")
            continue
        for path, err in found:
            if err:
                yield ItemError(_storable(path or given), err)
            else:
                yield from _guarded(_storable(path), _read_file(path, opts, index))


def _guarded(name: str, items: Iterator[RawItem | ItemError]) -> Iterator[RawItem | ItemError]:
    """Pass items through; an unexpected exception in a reader becomes one ItemError.

    Why: readers handle every failure they know of, but one input must never
    end the batch, even through a bug nobody has met yet.  The reader's
    generator is finished after raising, so the rest of that input is lost
    (and said so); the next input is read normally.
    """
    try:
        yield from items
    except Exception as exc:  # noqa: BLE001 - isolation is the point
        yield ItemError(name, f"cannot read: {_reason(exc)}")


def _reason(exc: BaseException) -> str:
    """One short line naming an exception, for error lines."""
    if isinstance(exc, RecursionError):
        return "nested too deeply"
    if isinstance(exc, MemoryError):
        return "out of memory"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    msg = str(exc).splitlines()[0][:200] if str(exc) else ""
    return f"{type(exc).__name__}: {msg}" if msg else type(exc).__name__


def _storable(name: str) -> str:
    """A path as text SQLite can store: undecodable bytes of a file name are escaped.

    Why: ``os.walk`` returns names that are not UTF-8 with lone surrogates
    (PEP 383), which cannot be encoded to store or print.  Ordinary names are
    returned unchanged so sources stay the paths the user gave.
    """
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        return safe_name(name, limit=4096)


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
        problems: list[OSError] = []
        for root, dirs, names in os.walk(p, onerror=problems.append):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in names:
                if name.startswith("."):
                    continue
                full = os.path.join(root, name)
                if _norm(full) not in skip:
                    files.append(full)
        for f in sorted(files):
            yield f, None
        for exc in problems:  # unreadable sub-folders: one error each, never skipped silently
            yield str(exc.filename or given), f"cannot read folder: {exc.strerror or exc}"
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
    shown = _storable(path)
    try:
        st = os.stat(path)
    except OSError as exc:
        yield ItemError(shown, f"cannot read: {exc.strerror or exc}")
        return
    if stat.S_ISDIR(st.st_mode):
        yield ItemError(shown, "is a directory")
        return
    if not stat.S_ISREG(st.st_mode):  # a FIFO or device would block or never end
        yield ItemError(shown, "not a regular file")
        return
    size = st.st_size
    try:
        meta = index.lookup(path=path) if index else {}
    except ManifestRowError as exc:
        yield ItemError(shown, str(exc))
        return
    path_for_items = shown
    streamed = ext in JSONL_EXT and not gz
    if size > opts.max_bytes and not streamed:
        yield ItemError(shown, f"too large: {size} bytes > limit {opts.max_bytes}")
        return
    if size == 0:
        yield ItemError(shown, "empty file")
        return
    if streamed:
        yield from _read_jsonl(path, shown, opts, index, meta)
        return
    try:
        data = _read_bytes(path, gz, opts.max_bytes)
    except ReadError as exc:
        yield ItemError(shown, str(exc))
        return
    if not data.strip():
        yield ItemError(shown, "empty file")
        return
    kind = _kind(ext, data)
    if kind == "jsonl":
        yield from _jsonl_lines(path_for_items, data.splitlines(), opts, index, meta)
        return
    if kind == "feed":
        yield from _read_feed(path_for_items, data, opts, index, file_row=meta)
        return
    try:
        text = decode_bytes(data, html=kind == "html")
    except ReadError as exc:
        yield ItemError(shown, str(exc))
        return
    if not text.strip():  # e.g. only a byte-order mark
        yield ItemError(shown, "empty file (no text after decoding)")
        return
    if kind == "text" and (ext in URLS_EXT or _all_urls(text)):
        yield from _read_url_list(shown, text, opts, index)
        return
    yield RawItem(source=shown, content=text, kind=kind, meta=meta, raw_bytes_hash=_sha(data))


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
    """Whether a text file is a URL list: every non-comment line starts like a URL."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    return bool(lines) and all(URL_RE.match(ln) for ln in lines)


def url_problem(url: str) -> str | None:
    """Why ``url`` cannot be fetched as an http(s) URL, or None when it looks fetchable.

    Checks only the shape (scheme, host, port, no spaces or control
    characters); whether the host may be contacted is the fetcher's decision.
    """
    if len(url) > 8192:
        return "URL too long (> 8192 characters)"
    if any(c.isspace() or not c.isprintable() for c in url):
        return "URL contains spaces or control characters"
    try:
        parts = urlsplit(url)
        port = parts.port  # raises ValueError for a bad port
        host = parts.hostname
    except ValueError as exc:
        return f"malformed URL ({str(exc)[:80]})"
    if parts.scheme.lower() not in ("http", "https"):
        return "not an http(s) URL"
    if not host:
        return "URL has no host"
    if port == 0:
        return "URL has port 0"
    if not (host.startswith("[") or ":" in host):  # IPv6 literals are checked by urlsplit
        try:
            host.encode("idna").decode("idna")  # both ways: "xn--" labels must decode too
        except (UnicodeError, ValueError):
            return "URL host is not a valid domain name"
    return None


# -- JSON Lines --------------------------------------------------------------

def _read_jsonl(path: str, shown: str, opts: FetchOptions, index: ManifestIndex | None,
                file_row: dict[str, Any]) -> Iterator[RawItem | ItemError]:
    """Stream a JSON Lines file one line at a time (memory stays flat)."""
    try:
        fh = open(path, "rb")  # noqa: SIM115 - closed below, generator-friendly
    except OSError as exc:
        yield ItemError(shown, f"cannot read: {exc.strerror or exc}")
        return
    with fh:
        yield from _jsonl_lines(shown, _bounded_lines(fh, opts.max_bytes), opts, index, file_row)


def _bounded_lines(fh: Any, cap: int) -> Iterator[bytes | int]:
    """Lines of a binary file; a line over ``cap`` bytes is skipped and yielded as its length.

    Why: iterating a file object reads a whole line into memory, so one
    gigabyte without a newline would cost a gigabyte.  Here a long line is read
    in chunks and only counted.
    """
    while True:
        line = fh.readline(cap + 1)
        if not line:
            return
        if len(line) <= cap or line.endswith(b"\n"):
            yield line
            continue
        size = len(line)
        while not line.endswith(b"\n"):
            line = fh.readline(1 << 20)
            if not line:
                break
            size += len(line)
        yield size


def _jsonl_lines(path: str, lines: Iterable[bytes | int], opts: FetchOptions,
                 index: ManifestIndex | None, file_row: dict[str, Any] | None = None
                 ) -> Iterator[RawItem | ItemError]:
    """One item per line; every line is parsed and validated on its own."""
    file_meta = _shared_meta(file_row or {})
    any_line = False
    for n, raw_line in enumerate(lines, start=1):
        if isinstance(raw_line, int) or len(raw_line) > opts.max_bytes:
            size = raw_line if isinstance(raw_line, int) else len(raw_line)
            any_line = True
            yield ItemError(path, f"line too large: {size} bytes > limit {opts.max_bytes}",
                            str(n))
            continue
        if not raw_line.strip():
            continue
        any_line = True
        try:
            yield _jsonl_item(path, str(n), raw_line, file_meta, index)
        except Exception as exc:  # noqa: BLE001 - one line must not end the file
            yield ItemError(path, f"cannot read line: {_reason(exc)}", str(n))
    if not any_line:
        yield ItemError(path, "empty file")


def _jsonl_item(path: str, item: str, raw_line: bytes, file_meta: dict[str, Any],
                index: ManifestIndex | None) -> RawItem | ItemError:
    """Parse and validate one JSON Lines line."""
    try:
        line = raw_line.decode("utf-8-sig")  # strict: raw surrogate bytes are refused here
    except UnicodeDecodeError:
        return ItemError(path, "line is not UTF-8 text", item)
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        return ItemError(path, f"malformed JSON ({exc.msg} at column {exc.colno})", item)
    except RecursionError:
        return ItemError(path, "malformed JSON (nested too deeply)", item)
    except ValueError as exc:  # e.g. an integer with thousands of digits
        why = "a number with too many digits" if "digits" in str(exc) else str(exc)[:120]
        return ItemError(path, f"malformed JSON ({why})", item)
    if not isinstance(obj, dict):
        return ItemError(path, "line is not a JSON object", item)
    text, html = obj.get("text"), obj.get("html")
    if isinstance(text, str) and text.strip():
        content, kind = text, "text"
    elif isinstance(html, str) and html.strip():
        content, kind = html, "html"
    else:
        return ItemError(path, "no non-empty 'text' or 'html' field", item)
    meta = {k: _scalar(obj[k]) for k in META_FIELDS if obj.get(k) not in (None, "")}
    for field_name, value in [("text" if kind == "text" else "html", content), *meta.items()]:
        if isinstance(value, str) and not _valid_unicode(value):
            return ItemError(path, f"field {field_name!r} holds a lone UTF-16 surrogate "
                                   "(not valid Unicode)", item)
    for k, v in file_meta.items():
        meta.setdefault(k, v)
    if index and meta.get("url"):
        try:
            meta.update(index.lookup(url=str(meta["url"])))
        except ManifestRowError as exc:
            return ItemError(path, str(exc), item)
    return RawItem(source=path, content=content, kind=kind, item=item, meta=meta,
                   raw_bytes_hash=_sha(content.encode("utf-8")))


def _valid_unicode(s: str) -> bool:
    """False for strings with lone surrogates (JSON ``\\ud800`` escapes), which no
    encoder, database or terminal accepts."""
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _scalar(v: Any) -> Any:
    """A metadata value as a scalar; lists and objects are kept as their JSON text."""
    if isinstance(v, bool | float | str):
        return v
    if isinstance(v, int):
        return v if abs(v) < 10**18 else str(v)[:40]
    return json.dumps(v, ensure_ascii=False)[:2000]


def _shared_meta(row: dict[str, Any]) -> dict[str, Any]:
    """A manifest row naming a multi-article file: only fields all its articles share."""
    return {k: v for k, v in row.items() if k not in ("id", "url", "title")}


# -- feeds -------------------------------------------------------------------

def _read_feed(source: str, data: bytes, opts: FetchOptions, index: ManifestIndex | None,
               file_row: dict[str, Any] | None = None) -> Iterator[RawItem | ItemError]:
    import feedparser

    parsed = feedparser.parse(data)
    entries = parsed.get("entries") or []
    if not entries:
        why = parsed.get("bozo_exception")
        detail = f" ({str(why).splitlines()[0][:120]})" if why else ""
        yield ItemError(source, f"not a readable RSS/Atom feed or no entries{detail}")
        return
    feed_title = (parsed.get("feed") or {}).get("title")
    file_meta = _shared_meta(file_row or {})
    for n, entry in enumerate(entries, start=1):
        item = str(entry.get("id") or entry.get("link") or n)[:500]
        try:
            yield _feed_item(source, parsed, entry, item, feed_title, file_meta, opts, index)
        except Exception as exc:  # noqa: BLE001 - one entry must not end the feed
            yield ItemError(source, f"cannot read feed entry: {_reason(exc)}", item)


def _feed_item(source: str, parsed: Any, entry: Any, item: str, feed_title: str | None,
               file_meta: dict[str, Any], opts: FetchOptions, index: ManifestIndex | None
               ) -> RawItem | ItemError:
    """Validate one feed entry into a RawItem."""
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
        return ItemError(source, "feed entry without content or summary", item)
    if not _valid_unicode(content):
        return ItemError(source, "feed entry holds a lone UTF-16 surrogate", item)
    if len(content.encode("utf-8")) > opts.max_bytes:
        return ItemError(source, f"entry too large (> {opts.max_bytes} bytes)", item)
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
        try:
            meta.update(index.lookup(url=meta["url"]))
        except ManifestRowError as exc:
            return ItemError(source, str(exc), item)
    kind = "text" if ctype == "text/plain" else "html"
    return RawItem(source=source, content=content, kind=kind, item=item, meta=meta,
                   raw_bytes_hash=_sha(content.encode("utf-8")))


# -- URLs --------------------------------------------------------------------

def _read_url_list(path: str, text: str, opts: FetchOptions, index: ManifestIndex | None
                   ) -> Iterator[RawItem | ItemError]:
    """One item per line: each line is validated, then fetched, on its own."""
    any_url = False
    for n, line in enumerate(text.splitlines(), start=1):
        url = line.strip()
        if not url or url.startswith("#"):
            continue
        any_url = True
        problem = url_problem(url)
        if problem:
            yield ItemError(path, f"{problem}: {url[:100]}", str(n))
            continue
        yield from _guarded(url, _read_url(url, opts, index))
    if not any_url:
        yield ItemError(path, "URL list without any URL")


def _read_url(url: str, opts: FetchOptions, index: ManifestIndex | None
              ) -> Iterator[RawItem | ItemError]:
    problem = url_problem(url)
    if problem:
        yield ItemError(url[:300], problem)
        return
    try:
        row = index.lookup(url=url) if index else {}
    except ManifestRowError as exc:
        yield ItemError(url, str(exc))
        return
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
        yield from _read_feed(url, data, opts, index, file_row=row)
        return
    if ctype in ("application/json", "application/x-ndjson", "application/jsonl"):
        yield from _jsonl_lines(url, data.splitlines(), opts, index, row)
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
        try:
            meta.update(row or index.lookup(url=final))
        except ManifestRowError as exc:
            yield ItemError(url, str(exc))
            return
    yield RawItem(source=url, content=text, kind=kind, meta=meta, raw_bytes_hash=_sha(data))
