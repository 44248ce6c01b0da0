"""Fetch one URL with the standard library only, with hard limits.

Why not ``requests``: ingest needs only GET with a timeout, a size cap, a
bounded number of redirects and a content-type check, and urllib does that
without another dependency.  Every failure is a :class:`FetchError` with a
one-line message, so the reader can report it and go on with the batch.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from email.message import Message
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from rashomon.ingest.readers import FetchOptions

CHUNK = 64 * 1024

# Content types that can hold an article.  Anything else (images, PDFs, zips)
# is refused before the body is read.
TEXT_TYPES = (
    "text/",
    "application/xhtml+xml",
    "application/xml",
    "application/rss+xml",
    "application/atom+xml",
    "application/json",
    "application/x-ndjson",
    "application/jsonl",
)


class FetchError(Exception):
    """A URL that could not be fetched; ``str()`` is a one-line message."""


class _TooManyRedirects(Exception):
    pass


class _CountingRedirectHandler(urllib.request.HTTPRedirectHandler):
    """Follows redirects but stops after ``max_redirects`` hops.

    urllib's own limit (``max_redirections``) is a class attribute and raises a
    generic HTTPError; counting here gives a clear message and a per-call cap.
    """

    def __init__(self, max_redirects: int) -> None:
        super().__init__()
        self.max_redirects = max_redirects
        self.hops = 0

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: ANN001, ANN201
        self.hops += 1
        if self.hops > self.max_redirects:
            raise _TooManyRedirects(f"more than {self.max_redirects} redirects (last to {newurl})")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _allowed(content_type: str) -> bool:
    ct = content_type.split(";", 1)[0].strip().lower()
    return not ct or any(ct.startswith(t) for t in TEXT_TYPES)


def fetch_url(url: str, opts: FetchOptions | None = None) -> tuple[bytes, dict[str, Any]]:
    """GET ``url`` within the limits of ``opts``.

    url (str): an http(s) URL.
    opts (FetchOptions): timeout, size cap, redirect cap, user agent.
    RETURNS (tuple): the body bytes and ``{"url": final URL, "status", "content_type",
        "charset" (from the header, or None), "headers": dict}``.
    Raises FetchError (one line) on a bad scheme, unreachable host, timeout, HTTP
    error status, too many redirects, a non-text content type or a body over
    ``opts.max_bytes``.
    """
    if opts is None:
        from rashomon.ingest.readers import FetchOptions

        opts = FetchOptions()
    if not url.lower().startswith(("http://", "https://")):
        raise FetchError(f"not an http(s) URL: {url}")
    redirects = _CountingRedirectHandler(opts.max_redirects)
    opener = urllib.request.build_opener(redirects)
    req = urllib.request.Request(url, headers={"User-Agent": opts.user_agent,
                                               "Accept": "text/html,application/xhtml+xml,"
                                                         "text/plain;q=0.9,*/*;q=0.5"})
    try:
        resp = opener.open(req, timeout=opts.timeout)
    except _TooManyRedirects as exc:
        raise FetchError(str(exc)) from None
    except urllib.error.HTTPError as exc:
        raise FetchError(f"HTTP {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, _TooManyRedirects):
            raise FetchError(str(reason)) from None
        if isinstance(reason, TimeoutError):
            raise FetchError(f"timed out after {opts.timeout:g}s") from None
        raise FetchError(f"unreachable: {reason}") from None
    except TimeoutError:
        raise FetchError(f"timed out after {opts.timeout:g}s") from None
    except (OSError, ValueError) as exc:
        raise FetchError(f"unreachable: {exc}") from None
    with resp:
        headers: Message = resp.headers
        content_type = headers.get("Content-Type", "") or ""
        if not _allowed(content_type):
            raise FetchError(f"not a text page (content type {content_type.split(';')[0]})")
        declared = headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > opts.max_bytes:
            raise FetchError(f"too large: {int(declared)} bytes > limit {opts.max_bytes}")
        chunks: list[bytes] = []
        size = 0
        try:
            while True:
                chunk = resp.read(min(CHUNK, opts.max_bytes + 1 - size))
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
                if size > opts.max_bytes:
                    raise FetchError(f"too large: more than {opts.max_bytes} bytes")
        except TimeoutError:
            raise FetchError(f"timed out reading after {opts.timeout:g}s") from None
        except OSError as exc:
            raise FetchError(f"connection broken: {exc}") from None
        info = {
            "url": resp.geturl(),
            "status": getattr(resp, "status", None),
            "content_type": content_type.split(";", 1)[0].strip().lower(),
            "charset": headers.get_content_charset(),
            "headers": dict(headers.items()),
        }
    return b"".join(chunks), info
