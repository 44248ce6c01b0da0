"""Fetch one URL safely: http(s) only, public addresses only, one deadline, a size cap.

Ingest fetches URLs that users (and, in server mode, other people) hand it, so
the fetcher has to assume the URL is hostile:

- **Scheme.** Only ``http`` and ``https``, for the first URL and every redirect
  (a redirect to ``ftp:`` or ``file:`` is an error, not a fallback).
- **Address.** The host is resolved once per connection, every resolved address
  is checked (:func:`address_problem`), and the socket connects to exactly the
  address that was checked, so DNS cannot change between check and connect
  (no rebinding gap).  Loopback, private, link-local, multicast, reserved,
  unspecified and other non-public addresses are refused, IPv4 or IPv6,
  including IPv4 inside IPv6 (mapped, 6to4, NAT64, Teredo).  Redirect hops
  to a new host open a new connection and so pass the same check.
  ``FetchOptions(allow_private=True)`` (CLI ``--allow-private``) lifts the
  address check for local use; the scheme check stays.
- **Time.** ``timeout`` is one deadline for the whole fetch: DNS, connect,
  TLS, every read and every redirect hop.  Each socket operation gets only
  the time left, so a server that drips one byte a second is cut at the
  deadline, not kept alive by per-read timeouts.
- **Size.** ``max_bytes`` caps the body as delivered (after gzip/deflate
  decoding), counted while streaming, whatever ``Content-Length`` claims.
  Decompression is bounded per call, so a gzip bomb never expands past the cap.
- **Type.** Only HTML, XML (including RSS/Atom feeds), plain text and JSON;
  anything else is refused before its body is read.

How: httpx does the HTTP (requests, URL joining, headers, responses) through a
small transport whose httpcore connection pool uses a guarded network backend:
the backend is where names are resolved, addresses checked, sockets opened and
each read, write and TLS handshake is held to the deadline.  Host header and TLS
SNI/certificate checks still use the host name from the URL, because httpcore
takes them from the URL, not from the socket.  httpx's own ``HTTPTransport``
has no way to pass a network backend, hence the transport here.  Environment
proxies are ignored (``trust_env=False``): through a proxy the address check
would be meaningless.

Every failure is a :class:`FetchError` whose ``str()`` is one printable line.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

import httpcore
import httpx

# Media types that can hold an article or a list of them.  The readers decide
# from the type how to read the body (feed, JSON Lines, HTML, text).
ACCEPTED_TYPES = frozenset({
    "text/html",
    "application/xhtml+xml",
    "text/xml",
    "application/xml",
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "text/plain",
    "application/json",
    "application/x-ndjson",
    "application/jsonl",
})
ACCEPT = ("text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
          "application/xml;q=0.9,text/xml;q=0.9,text/plain;q=0.8,application/json;q=0.7")
REDIRECTS = frozenset({301, 302, 303, 307, 308})
# Only encodings the bounded decoder below understands are offered.
ENCODINGS = {"gzip": 16 + zlib.MAX_WBITS, "x-gzip": 16 + zlib.MAX_WBITS,
             "deflate": zlib.MAX_WBITS}
# Most bytes one decompression call may produce (keeps peak memory near the cap).
INFLATE_STEP = 1 << 20
# NAT64 well-known prefix: the last 32 bits are an IPv4 address.
NAT64 = ipaddress.ip_network("64:ff9b::/96")


@dataclass
class FetchOptions:
    """Limits for reading inputs, shared by file and URL readers.

    timeout: seconds for one whole URL fetch (DNS, connect, TLS, all reads,
        all redirect hops), not per read.
    max_bytes: size cap per input: per file, per JSON Lines line or feed
        entry, and for a URL per decoded response body.
    max_redirects: redirect hops followed before giving up.
    user_agent: the User-Agent header sent.
    allow_private: also fetch from loopback, private, link-local and other
        non-public addresses.  Off by default so that a URL (or a redirect)
        cannot make ingest reach services on the local machine or network;
        turn it on for local servers and tests.
    """

    timeout: float = 20.0
    max_bytes: int = 10_000_000
    max_redirects: int = 5
    user_agent: str = "rashomon/0.1"
    allow_private: bool = False


class FetchError(Exception):
    """A URL that could not be fetched; ``str()`` is a one-line message."""


class RefusedAddress(FetchError):
    """The host resolves to an address that policy forbids."""


class _DeadlineExceeded(FetchError):
    """The overall deadline passed between two socket operations."""


# -- address policy ----------------------------------------------------------

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def address_problem(address: str | IPAddress) -> str | None:
    """Why ``address`` must not be fetched from ("loopback", "private", ...), or None.

    IPv6 addresses that carry an IPv4 address (IPv4-mapped ``::ffff:a.b.c.d``,
    6to4 ``2002::/16``, NAT64 ``64:ff9b::/96``, Teredo) are judged by the IPv4
    address too, because that is where the packets may end up.
    """
    ip = ipaddress.ip_address(address) if isinstance(address, str) else address
    if isinstance(ip, ipaddress.IPv6Address):
        ip = ipaddress.IPv6Address(str(ip).split("%", 1)[0])  # drop a scope id
        if ip.ipv4_mapped is not None:
            return address_problem(ip.ipv4_mapped)
        inner: list[IPAddress] = []
        if ip.sixtofour is not None:
            inner.append(ip.sixtofour)
        if ip.teredo is not None:
            inner.extend(ip.teredo)
        if ip in NAT64:
            inner.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
        for v4 in inner:
            why = address_problem(v4)
            if why:
                return why
    for attr, why in (("is_unspecified", "unspecified"), ("is_loopback", "loopback"),
                      ("is_link_local", "link-local"), ("is_multicast", "multicast"),
                      ("is_private", "private"), ("is_reserved", "reserved")):
        if getattr(ip, attr):
            return why
    if not ip.is_global:
        return "non-public"
    return None


# -- deadline and guarded network backend -------------------------------------

class _Deadline:
    """One point in time that every network step of a fetch must finish by."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.at = time.monotonic() + seconds

    def left(self, timeout: float | None = None) -> float:
        """Seconds the next step may take: the step's own timeout, cut to what is left."""
        remaining = self.at - time.monotonic()
        if remaining <= 0:
            raise _DeadlineExceeded(f"timed out after {self.seconds:g}s")
        return remaining if timeout is None else min(timeout, remaining)


def _resolve(host: str, port: int, deadline: _Deadline) -> list[str]:
    """The addresses ``host`` resolves to, in resolver order, within the deadline.

    getaddrinfo has no timeout of its own, so it runs in a daemon thread that
    is abandoned (not waited for) when the deadline passes.
    """
    if _is_address(host):
        return [str(ipaddress.ip_address(host))]
    result: list[Any] = []

    def work() -> None:
        try:
            result.append(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
        except (OSError, UnicodeError, ValueError) as exc:
            result.append(exc)

    thread = threading.Thread(target=work, name="rashomon-resolve", daemon=True)
    thread.start()
    thread.join(deadline.left())
    if not result:
        raise _DeadlineExceeded(f"timed out after {deadline.seconds:g}s (resolving {host})")
    answer = result[0]
    if isinstance(answer, BaseException):
        why = getattr(answer, "strerror", None) or str(answer) or type(answer).__name__
        raise FetchError(f"cannot resolve host {host}: {why}")
    addresses: list[str] = []
    for _family, _type, _proto, _canon, sockaddr in answer:
        if sockaddr[0] not in addresses:
            addresses.append(sockaddr[0])
    if not addresses:
        raise FetchError(f"cannot resolve host {host}: no addresses")
    return addresses


def _is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


class _DeadlineStream(httpcore.NetworkStream):
    """A network stream whose every read, write and TLS handshake ends by the deadline."""

    def __init__(self, stream: httpcore.NetworkStream, deadline: _Deadline) -> None:
        self._stream = stream
        self._deadline = deadline

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, self._deadline.left(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, self._deadline.left(timeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(self, ssl_context: ssl.SSLContext, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        tls = self._stream.start_tls(ssl_context, server_hostname, self._deadline.left(timeout))
        return _DeadlineStream(tls, self._deadline)

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class _GuardedBackend(httpcore.NetworkBackend):
    """Resolves, checks and connects to the checked address, within the deadline."""

    def __init__(self, deadline: _Deadline, allow_private: bool) -> None:
        self._plain = httpcore.SyncBackend()
        self._deadline = deadline
        self._allow_private = allow_private

    def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                    local_address: str | None = None,
                    socket_options: Iterable[Any] | None = None) -> httpcore.NetworkStream:
        addresses = _resolve(host, port, self._deadline)
        if not self._allow_private:
            for address in addresses:
                why = address_problem(address)
                if why:
                    shown = host if _is_address(host) else f"{host} ({address})"
                    raise RefusedAddress(f"refused {shown}: {why} address "
                                         "(--allow-private allows it)")
        error: Exception | None = None
        for address in addresses:  # connect to a checked address, never re-resolve
            try:
                stream = self._plain.connect_tcp(address, port, self._deadline.left(timeout),
                                                 local_address, socket_options)
            except httpcore.ConnectError as exc:
                error = exc
                continue
            return _DeadlineStream(stream, self._deadline)
        assert error is not None
        raise error

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: Iterable[Any] | None = None
                            ) -> httpcore.NetworkStream:
        raise FetchError("unix sockets are not fetched")

    def sleep(self, seconds: float) -> None:
        time.sleep(min(seconds, self._deadline.left()))


class _Body(httpx.SyncByteStream):
    """httpcore's response body as httpx wants it."""

    def __init__(self, stream: Iterable[bytes]) -> None:
        self._stream = stream

    def __iter__(self) -> Iterator[bytes]:
        yield from self._stream

    def close(self) -> None:
        close = getattr(self._stream, "close", None)
        if close:
            close()


class _GuardedTransport(httpx.BaseTransport):
    """httpx transport over an httpcore pool that uses the guarded backend (HTTP/1.1)."""

    def __init__(self, backend: httpcore.NetworkBackend, ssl_context: ssl.SSLContext) -> None:
        self._pool = httpcore.ConnectionPool(ssl_context=ssl_context, network_backend=backend,
                                             max_connections=4, retries=0)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        assert isinstance(request.stream, httpx.SyncByteStream)
        req = httpcore.Request(
            method=request.method,
            url=httpcore.URL(scheme=request.url.raw_scheme, host=request.url.raw_host,
                             port=request.url.port, target=request.url.raw_path),
            headers=request.headers.raw,
            content=request.stream,
            extensions=request.extensions,
        )
        resp = self._pool.handle_request(req)
        assert isinstance(resp.stream, Iterable)
        return httpx.Response(status_code=resp.status, headers=resp.headers,
                              stream=_Body(resp.stream), extensions=resp.extensions)

    def close(self) -> None:
        self._pool.close()


@cache
def _ssl_context() -> ssl.SSLContext:
    """httpx's default verifying context (certifi roots), built once per process."""
    return httpx.create_ssl_context()


# -- body --------------------------------------------------------------------

class _CappedBody:
    """Collects a body, decoding gzip/deflate, never holding more than ``cap + 1`` bytes.

    httpx's own decoders expand each network chunk in one call (a 64 KB gzip
    chunk can become 64 MB); here each call may produce at most 1 MB and never
    more than is left under the cap, so a compression bomb stops at the cap.
    """

    def __init__(self, encoding: str, cap: int) -> None:
        self.cap = cap
        self.size = 0
        self.chunks: list[bytes] = []
        self._wbits = ENCODINGS.get(encoding)
        self._zlib = zlib.decompressobj(self._wbits) if self._wbits else None
        self._started = False

    def feed(self, raw: bytes) -> None:
        if self._zlib is None:
            self._add(raw)
            return
        data = raw
        while data:
            try:
                out = self._zlib.decompress(data, min(self._room(), INFLATE_STEP))
            except zlib.error:
                if self._wbits != zlib.MAX_WBITS or self._started:
                    raise FetchError("bad compressed body") from None
                # "deflate" is sometimes sent raw, without the zlib header.
                self._wbits = -zlib.MAX_WBITS
                self._zlib = zlib.decompressobj(self._wbits)
                continue
            self._started = True
            self._add(out)  # raises once over the cap
            data = self._zlib.unconsumed_tail  # input left because the step was full

    def _room(self) -> int:
        return self.cap + 1 - self.size

    def _add(self, data: bytes) -> None:
        self.size += len(data)
        if self.size > self.cap:
            self._over()
        self.chunks.append(data)

    def _over(self) -> None:
        raise FetchError(f"too large: more than {self.cap} bytes")

    def data(self) -> bytes:
        return b"".join(self.chunks)


# -- fetch -------------------------------------------------------------------

def _show(url: object, limit: int = 200) -> str:
    """A URL as one printable line (control characters escaped, long ones cut)."""
    text = str(url)
    out = "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii")
                  for c in text[:limit])
    return out + ("..." if len(text) > limit else "")


def _one_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return _show(lines[0] if lines else type(exc).__name__, 300)


def _parse(url: str | httpx.URL, what: str) -> httpx.URL:
    """An http(s) URL with a host and a valid port, or FetchError."""
    try:
        parsed = url if isinstance(url, httpx.URL) else httpx.URL(url)
        parsed.host  # noqa: B018 - decodes an IDNA host, which may fail
    except (httpx.InvalidURL, ValueError, TypeError) as exc:
        raise FetchError(f"malformed {what}: {_one_line(exc)}") from None
    if parsed.scheme not in ("http", "https"):
        raise FetchError(f"not an http(s) {what}: {_show(parsed)}")
    if not parsed.host:
        raise FetchError(f"{what} has no host: {_show(parsed)}")
    if parsed.port is not None and not 0 < parsed.port < 65536:
        raise FetchError(f"{what} has a bad port: {_show(parsed)}")
    return parsed


# What a request or its body can raise; all become one FetchError line.
_FAILURES = (FetchError, httpx.HTTPError, httpx.StreamError, httpcore.ProtocolError,
             httpcore.NetworkError, httpcore.TimeoutException, OSError)


def fetch_url(url: str, opts: FetchOptions | None = None) -> tuple[bytes, dict[str, Any]]:
    """GET ``url`` within the limits and address policy of ``opts``.

    url (str): an http(s) URL.
    opts (FetchOptions): deadline, size cap, redirect cap, user agent, allow_private.
    RETURNS (tuple): the body bytes (content-decoded) and ``{"url": final URL,
        "status", "content_type", "charset" (from the header, or None), "headers": dict}``.
    Raises FetchError (one line) on a malformed URL or non-http(s) scheme (also
    on redirects), a refused address, an unreachable host, the deadline, an
    HTTP error status, too many redirects, a refused content type, a body over
    ``opts.max_bytes`` or a broken response.
    """
    opts = opts or FetchOptions()
    current = _parse(url, "URL")
    deadline = _Deadline(opts.timeout)
    transport = _GuardedTransport(_GuardedBackend(deadline, opts.allow_private), _ssl_context())
    headers = {"User-Agent": opts.user_agent, "Accept": ACCEPT,
               "Accept-Encoding": ", ".join(ENCODINGS)}
    hops = 0
    try:
        with httpx.Client(transport=transport, trust_env=False, follow_redirects=False,
                          timeout=opts.timeout, headers=headers) as client:
            while True:
                try:
                    response = client.send(client.build_request("GET", current), stream=True)
                    try:
                        location = (response.headers.get("location")
                                    if response.status_code in REDIRECTS else None)
                        if location is None:
                            return _read(response, opts, deadline)
                    finally:
                        response.close()  # a redirect's body is never read
                except _FAILURES as exc:
                    reason = _reason(exc, deadline)
                    raise FetchError(f"redirect to {_show(current)}: {reason}" if hops
                                     else reason) from None
                hops += 1
                if hops > opts.max_redirects:
                    raise FetchError(f"more than {opts.max_redirects} redirects "
                                     f"(last to {_show(location)})")
                current = _parse(_join(current, location), "redirect target")
    except FetchError:
        raise
    except (*_FAILURES, httpx.InvalidURL, ValueError) as exc:
        raise FetchError(_reason(exc, deadline)) from None


def _join(base: httpx.URL, location: str) -> httpx.URL:
    try:
        return base.join(location)
    except (httpx.InvalidURL, ValueError, TypeError) as exc:
        raise FetchError(f"malformed redirect target: {_one_line(exc)}") from None


def _reason(exc: BaseException, deadline: _Deadline) -> str:
    """One line saying why a fetch failed."""
    if isinstance(exc, FetchError):
        return _one_line(exc)
    if isinstance(exc, httpx.TimeoutException | httpcore.TimeoutException | TimeoutError):
        return f"timed out after {deadline.seconds:g}s"
    if any(isinstance(e, ssl.SSLError) for e in (exc, exc.__cause__, exc.__context__)):
        return f"TLS failed: {_one_line(exc)}"
    if isinstance(exc, httpx.ConnectError | httpcore.ConnectError | ConnectionRefusedError):
        return f"unreachable: {_one_line(exc)}"
    if isinstance(exc, httpx.RemoteProtocolError | httpcore.RemoteProtocolError
                  | httpx.ReadError | httpcore.ReadError | OSError):
        return f"connection broken: {_one_line(exc)}"
    return f"fetch failed: {_one_line(exc)}"


def _read(response: httpx.Response, opts: FetchOptions, deadline: _Deadline
          ) -> tuple[bytes, dict[str, Any]]:
    """Check status, type, declared size and encoding, then stream the body under the cap."""
    if not 200 <= response.status_code < 300:
        raise FetchError(f"HTTP {response.status_code} {_show(response.reason_phrase, 80)}".strip())
    content_type = response.headers.get("content-type", "")
    media = content_type.split(";", 1)[0].strip().lower()
    if media and media not in ACCEPTED_TYPES:
        raise FetchError(f"not a text page (content type {_show(media, 80)}); accepted: "
                         "HTML, XML, RSS/Atom, plain text, JSON")
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > opts.max_bytes:
        raise FetchError(f"too large: {int(declared)} bytes > limit {opts.max_bytes}")
    encoding = response.headers.get("content-encoding", "identity").strip().lower()
    if encoding not in ENCODINGS and encoding not in ("", "identity"):
        raise FetchError(f"unsupported content encoding {_show(encoding, 40)}")
    body = _CappedBody(encoding, opts.max_bytes)
    raw_size = 0
    for raw in response.iter_raw():
        raw_size += len(raw)
        if raw_size > opts.max_bytes:
            raise FetchError(f"too large: more than {opts.max_bytes} bytes")
        body.feed(raw)
        deadline.left()  # a body that arrives steadily but slowly still ends at the deadline
    info = {
        "url": str(response.url),
        "status": response.status_code,
        "content_type": media,
        "charset": response.charset_encoding,
        "headers": dict(response.headers.items()),
    }
    return body.data(), info
