"""fetch_url against real local HTTP(S) servers on 127.0.0.1: safety limits and one-line errors.

Every server here listens on 127.0.0.1 only, so tests pass ``allow_private=True``
to reach it; the tests of the address policy check that without it the same
server is refused.  Redirects to other private addresses are refused before any
connection is made, so nothing leaves the machine.  Timeouts are short: the
slowest test takes about one second.
"""

from __future__ import annotations

import gzip
import json
import shutil
import socket
import ssl
import subprocess
import threading
import time
import zlib
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from rashomon.cli import main
from rashomon.ingest import fetch as fetch_module
from rashomon.ingest.fetch import FetchError, FetchOptions, address_problem, fetch_url
from rashomon.ingest.items import ItemError, RawItem
from rashomon.ingest.readers import iter_items
from rashomon.store import Store

PAGE = ("<html><head><title>Local</title></head><body><article><p>Local article body with "
        "enough words to count as a paragraph of text.</p></article></body></html>")
FEED = """<?xml version="1.0"?>
<rss version="2.0"><channel><title>Local Wire</title><language>en</language>
<item><title>First</title><link>https://wire.example/1</link>
<pubDate>Tue, 05 Mar 2024 09:30:00 GMT</pubDate>
<description>&lt;p&gt;The first story body, long enough to read.&lt;/p&gt;</description></item>
<item><title>Second</title><link>https://wire.example/2</link>
<description>Second story body.</description></item>
</channel></rss>"""
DRIP = 0.25  # seconds between bytes of the slow servers
BOMB = gzip.compress(b"\0" * 5_000_000, compresslevel=9)  # 5 KB on the wire, 50x the cap


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # chunked framing needs 1.1; every reply closes
    server: LocalServer

    def log_message(self, *args: object) -> None:  # keep test output quiet
        pass

    def _head(self, code: int, ctype: str | None = "text/plain", length: int | None = None,
              extra: dict[str, str] | None = None) -> None:
        self.send_response(code)
        if ctype:
            self.send_header("Content-Type", ctype)
        if length is not None:
            self.send_header("Content-Length", str(length))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.send_header("Connection", "close")
        self.end_headers()

    def _send(self, code: int, body: bytes, ctype: str | None = "text/plain",
              extra: dict[str, str] | None = None) -> None:
        self._head(code, ctype, len(body), extra)
        self.wfile.write(body)

    def _redirect(self, location: str, code: int = 302) -> None:
        self._head(code, None, 0, {"Location": location})

    def _drip(self, data: bytes) -> None:
        """One byte every DRIP seconds, until done or the client hangs up."""
        for i in range(len(data)):
            try:
                self.wfile.write(data[i:i + 1])
                self.wfile.flush()
            except OSError:
                return
            time.sleep(DRIP)

    def do_GET(self) -> None:  # noqa: C901, N802 - one route table for the whole module
        path = self.path
        self.server.seen_hosts.append(self.headers.get("Host", ""))
        if path == "/article":
            self._send(200, PAGE.encode("cp1251"), "text/html; charset=windows-1251")
        elif path == "/plain":
            self._send(200, b"Plain text article.", "text/plain")
        elif path == "/host":
            self._send(200, self.headers.get("Host", "").encode(), "text/plain")
        elif path == "/feed":
            self._send(200, FEED.encode(), "application/rss+xml; charset=utf-8")
        elif path == "/lines":
            body = "\n".join(json.dumps({"text": f"JSON line article {n}."}) for n in (1, 2))
            self._send(200, body.encode(), "application/x-ndjson")
        elif path.startswith("/hop/"):
            n = int(path.rsplit("/", 1)[1])
            self._redirect(f"/hop/{n + 1}" if n < 20 else "/article")
        elif path.startswith("/slowhop/"):
            time.sleep(0.5)
            self._redirect(f"/slowhop/{int(path.rsplit('/', 1)[1]) + 1}")
        elif path == "/to-ftp":
            self._redirect("ftp://127.0.0.1/file.txt")
        elif path == "/to-file":
            self._redirect("file:///etc/passwd", 301)
        elif path == "/to-metadata":
            self._redirect("http://169.254.169.254/latest/meta-data/", 307)
        elif path == "/to-private":
            self._redirect("http://10.0.0.1/admin")
        elif path == "/to-loopback":
            self._redirect(f"http://127.0.0.2:{self.server.server_address[1]}/article")
        elif path == "/missing":
            self._send(404, b"not here", "text/plain")
        elif path == "/image":
            self._send(200, b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "image/png")
        elif path == "/pdf":
            self._send(200, b"%PDF-1.4\n" + b"x" * 100, "application/pdf")
        elif path == "/huge":  # no Content-Length: the cap must hold while streaming
            self._head(200, "text/html")
            for _ in range(64):
                self.wfile.write(b"x" * 16384)
        elif path == "/huge-chunked":
            self._head(200, "text/html", extra={"Transfer-Encoding": "chunked"})
            for _ in range(64):
                self.wfile.write(b"4000\r\n" + b"x" * 16384 + b"\r\n")
            self.wfile.write(b"0\r\n\r\n")
        elif path == "/declared-huge":
            self._head(200, "text/html", 50_000_000)
            self.wfile.write(b"<p>small</p>")
        elif path == "/lie-short":  # claims 20 bytes, sends far more
            self._head(200, "text/plain", 20)
            self.wfile.write(b"Twenty bytes of text" + b"y" * 300_000)
        elif path == "/lie-long":  # claims 5000 bytes, sends 100 and hangs up
            self._head(200, "text/plain", 5000)
            self.wfile.write(b"z" * 100)
        elif path == "/chunked-bad-size":
            self._head(200, "text/plain", extra={"Transfer-Encoding": "chunked"})
            self.wfile.write(b"5\r\nhello\r\nzz-not-hex\r\nworld\r\n0\r\n\r\n")
        elif path == "/chunked-truncated":
            self._head(200, "text/plain", extra={"Transfer-Encoding": "chunked"})
            self.wfile.write(b"400\r\nonly a few bytes of a 1 KB chunk")
        elif path == "/gzip":
            body = gzip.compress(PAGE.encode())
            self._send(200, body, "text/html; charset=utf-8", extra={"Content-Encoding": "gzip"})
        elif path in ("/deflate", "/deflate-raw"):
            comp = zlib.compressobj(wbits=-15 if path.endswith("raw") else 15)
            body = comp.compress(PAGE.encode()) + comp.flush()
            self._send(200, body, "text/html", extra={"Content-Encoding": "deflate"})
        elif path == "/gzip-bomb":
            self._send(200, BOMB, "text/html", extra={"Content-Encoding": "gzip"})
        elif path == "/gzip-broken":
            self._send(200, b"\x1f\x8b\x08\x00garbage-not-deflate" * 4, "text/html",
                       extra={"Content-Encoding": "gzip"})
        elif path == "/brotli":
            self._send(200, b"\x0b\x02\x80hello\x03", "text/html", extra={"Content-Encoding": "br"})
        elif path == "/drip-body":
            self._head(200, "text/plain")
            self._drip(b"x" * 40)
        elif path == "/drip-headers":
            self.wfile.flush()
            self._drip(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-Slow: " + b"s" * 40)
        elif path == "/untyped":
            self._send(200, b"Text served without a content type.", None)
        else:
            self._send(500, b"boom", "text/plain")


class LocalServer(ThreadingHTTPServer):
    daemon_threads = True  # dripping handlers end on their own; never wait for them

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.seen_hosts: list[str] = []

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # the client hanging up on big or slow replies is the point of those tests


def _serve(httpd: LocalServer) -> Iterator[LocalServer]:
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def httpd() -> Iterator[LocalServer]:
    yield from _serve(LocalServer())


@pytest.fixture(scope="module")
def server(httpd: LocalServer) -> str:
    return f"http://127.0.0.1:{httpd.server_address[1]}"


OPTS = FetchOptions(timeout=5, max_bytes=100_000, max_redirects=3, allow_private=True)


def _error(url: str, opts: FetchOptions = OPTS) -> str:
    with pytest.raises(FetchError) as exc:
        fetch_url(url, opts)
    msg = str(exc.value)
    assert "\n" not in msg and msg.isprintable(), msg
    return msg


# -- what works ---------------------------------------------------------------

def test_fetch_article_with_charset(server: str) -> None:
    data, info = fetch_url(server + "/article", OPTS)
    assert info["status"] == 200
    assert info["charset"] == "windows-1251"
    assert info["content_type"] == "text/html"
    assert info["url"] == server + "/article"
    assert data == PAGE.encode("cp1251")


def test_fetch_follows_redirects_within_cap(server: str) -> None:
    data, info = fetch_url(server + "/hop/18", OPTS)  # 18 -> 19 -> 20 -> article
    assert info["url"] == server + "/article"
    assert b"Local article" in data


def test_fetch_decodes_gzip(server: str) -> None:
    data, info = fetch_url(server + "/gzip", OPTS)
    assert data == PAGE.encode()
    assert info["content_type"] == "text/html" and info["charset"] == "utf-8"


@pytest.mark.parametrize("path", ["/deflate", "/deflate-raw"])
def test_fetch_decodes_deflate_with_or_without_zlib_header(server: str, path: str) -> None:
    assert fetch_url(server + path, OPTS)[0] == PAGE.encode()


def test_fetch_lying_short_content_length_reads_only_what_was_declared(server: str) -> None:
    data, _ = fetch_url(server + "/lie-short", OPTS)
    assert data == b"Twenty bytes of text"


def test_fetch_without_content_type_is_left_to_the_reader(server: str) -> None:
    data, info = fetch_url(server + "/untyped", OPTS)
    assert data.startswith(b"Text served") and info["content_type"] == ""


# -- one-line errors ------------------------------------------------------------

@pytest.mark.parametrize(
    "path,needle",
    [
        ("/hop/0", "more than 3 redirects"),
        ("/missing", "HTTP 404 Not Found"),
        ("/error", "HTTP 500"),
        # size cap: while streaming without a length, with chunks, when declared, when decoded
        ("/huge", "too large: more than 100000 bytes"),
        ("/huge-chunked", "too large: more than 100000 bytes"),
        ("/declared-huge", "too large: 50000000 bytes > limit 100000"),
        ("/gzip-bomb", "too large: more than 100000 bytes"),
        # content types other than HTML, XML/feeds, plain text and JSON
        ("/image", "not a text page (content type image/png)"),
        ("/pdf", "not a text page (content type application/pdf)"),
        # broken framing and encodings
        ("/lie-long", "connection broken"),
        ("/chunked-bad-size", "connection broken"),
        ("/chunked-truncated", "connection broken"),
        ("/gzip-broken", "bad compressed body"),
        ("/brotli", "unsupported content encoding br"),
        # schemes other than http(s), also on redirects
        ("/to-ftp", "not an http(s) redirect target: ftp://127.0.0.1/file.txt"),
        ("/to-file", "not an http(s) redirect target: file:"),
    ],
)
def test_fetch_errors_are_one_line(server: str, path: str, needle: str) -> None:
    assert needle in _error(server + path)


def test_fetch_unreachable_port(closed_port: int) -> None:
    assert "unreachable" in _error(f"http://127.0.0.1:{closed_port}/x")


@pytest.mark.parametrize(
    "url,needle",
    [
        ("ftp://example.org/file", "not an http(s) URL"),
        ("file:///etc/passwd", "not an http(s) URL"),
        ("http://[::1/x", "malformed URL"),
        ("http://xn--/", "malformed URL"),
        ("http://a.example:99999/", "bad port"),
        ("http:///nohost", "no host"),
    ],
)
def test_fetch_rejects_bad_urls_before_connecting(url: str, needle: str) -> None:
    assert needle in _error(url, FetchOptions(timeout=1))


# -- one deadline for the whole fetch --------------------------------------------

@pytest.mark.parametrize("path", ["/drip-body", "/drip-headers", "/slowhop/0"])
def test_fetch_deadline_covers_slow_reads_and_redirects(server: str, path: str) -> None:
    # Each byte (or hop) arrives well within the timeout, so only an overall
    # deadline can stop these; a per-read timeout would wait for 40 bytes (10 s).
    opts = FetchOptions(timeout=1.0, max_bytes=100_000, max_redirects=10, allow_private=True)
    start = time.monotonic()
    msg = _error(server + path, opts)
    elapsed = time.monotonic() - start
    assert "timed out after 1s" in msg
    assert 0.9 < elapsed < 3.0, elapsed  # cut near 1 s, far from the 5-10 s the server wants
    if path.startswith("/slowhop"):
        assert msg.startswith("redirect to ")


# -- address policy ----------------------------------------------------------------

@pytest.mark.parametrize(
    "address,why",
    [
        ("127.0.0.1", "loopback"), ("127.8.9.10", "loopback"), ("::1", "loopback"),
        ("10.1.2.3", "private"), ("172.16.5.4", "private"), ("192.168.1.1", "private"),
        ("fc00::1", "private"), ("fd12:3456::1", "private"),
        ("169.254.169.254", "link-local"), ("fe80::1", "link-local"),
        ("fe80::1%eth0", "link-local"),
        ("224.0.0.1", "multicast"), ("ff02::1", "multicast"), ("ff0e::1", "multicast"),
        ("240.0.0.1", "private"),  # reserved 240/4 is also listed as private
        ("0.0.0.0", "unspecified"), ("::", "unspecified"),
        ("100.64.0.1", "non-public"),  # carrier-grade NAT space
        ("::ffff:127.0.0.1", "loopback"), ("::ffff:10.0.0.1", "private"),
        ("::ffff:169.254.169.254", "link-local"),
        ("2002:7f00:1::", "loopback"),  # 6to4 around 127.0.0.1
        ("64:ff9b::a00:1", "private"),  # NAT64 around 10.0.0.1
        ("2001:db8::1", "private"),  # documentation range
        ("8.8.8.8", None), ("93.184.216.34", None), ("2606:4700:4700::1111", None),
        ("::ffff:8.8.8.8", None),
    ],
)
def test_fetch_address_policy(address: str, why: str | None) -> None:
    assert address_problem(address) == why


def test_fetch_refuses_loopback_without_allow_private(server: str, httpd: LocalServer) -> None:
    port = httpd.server_address[1]
    before = len(httpd.seen_hosts)
    opts = FetchOptions(timeout=2)
    assert "refused 127.0.0.1: loopback address" in _error(server + "/article", opts)
    assert "refused localhost (" in _error(f"http://localhost:{port}/article", opts)
    assert "loopback" in _error(f"http://[::ffff:127.0.0.1]:{port}/article", opts)
    assert "loopback" in _error(f"http://2130706433:{port}/article", opts)  # 127.0.0.1 as a number
    assert "unspecified" in _error(f"http://0.0.0.0:{port}/article", opts)
    assert len(httpd.seen_hosts) == before  # refused before connecting


@pytest.fixture
def public_loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let exactly 127.0.0.1 pass the address check, as a stand-in for a public server.

    Only then can a test start at the local server without ``allow_private``
    and see that a redirect to another non-public address is refused.
    """
    real = fetch_module.address_problem
    monkeypatch.setattr(fetch_module, "address_problem",
                        lambda a: None if str(a) == "127.0.0.1" else real(a))


@pytest.mark.parametrize(
    "path,needle",
    [
        ("/to-metadata", "redirect to http://169.254.169.254/latest/meta-data/: "
                         "refused 169.254.169.254: link-local address"),
        ("/to-private", "redirect to http://10.0.0.1/admin: refused 10.0.0.1: private address"),
        ("/to-loopback", "refused 127.0.0.2: loopback address"),
    ],
)
def test_fetch_checks_every_redirect_hop(server: str, path: str, needle: str,
                                         public_loopback: None) -> None:
    opts = FetchOptions(timeout=2, max_bytes=100_000)
    assert fetch_url(server + "/plain", opts)[0] == b"Plain text article."  # the start is allowed
    assert needle in _error(server + path, opts)


@pytest.fixture
def fake_dns(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Resolve ``news.test`` to 127.0.0.1 (and count how often it is asked)."""
    real = socket.getaddrinfo
    asked: list[str] = []

    def getaddrinfo(host, port, *args, **kw):  # noqa: ANN001, ANN202 - socket's signature
        if host == "news.test":
            asked.append(host)
            host = "127.0.0.1"
        return real(host, port, *args, **kw)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return asked


def test_fetch_connects_to_the_checked_address_and_keeps_the_host(
        httpd: LocalServer, fake_dns: list[str]) -> None:
    port = httpd.server_address[1]
    data, info = fetch_url(f"http://news.test:{port}/host", OPTS)
    assert data == f"news.test:{port}".encode()  # Host header is the name, not the address
    assert info["url"] == f"http://news.test:{port}/host"
    assert fake_dns == ["news.test"]  # resolved once, then connected by address
    msg = _error(f"http://news.test:{port}/host", FetchOptions(timeout=2))
    assert "refused news.test (127.0.0.1): loopback address" in msg


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, Path, list]]:
    """An HTTPS server for ``news.test`` (self-signed), recording the SNI names it sees."""
    if not shutil.which("openssl"):
        pytest.skip("openssl is needed to make a test certificate")
    d = tmp_path_factory.mktemp("tls")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", str(d / "key.pem"),
                    "-out", str(d / "cert.pem"), "-days", "2", "-subj", "/CN=news.test",
                    "-addext", "subjectAltName=DNS:news.test"],
                   check=True, capture_output=True, timeout=30)
    sni: list[str | None] = []
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(d / "cert.pem", d / "key.pem")
    ctx.sni_callback = lambda sock, name, context: sni.append(name)
    httpd = LocalServer()
    httpd.socket = ctx.wrap_socket(httpd.socket, server_side=True)
    for s in _serve(httpd):
        yield s.server_address[1], d / "cert.pem", sni


def test_fetch_tls_uses_the_host_name_for_sni_and_certificate(
        tls_server: tuple[int, Path, list], fake_dns: list[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    port, cert, sni = tls_server
    trusting = ssl.create_default_context(cafile=str(cert))
    monkeypatch.setattr(fetch_module, "_ssl_context", lambda: trusting)
    data, _ = fetch_url(f"https://news.test:{port}/host", OPTS)
    assert data == f"news.test:{port}".encode()
    assert sni[-1] == "news.test"
    # The certificate names news.test, not the address: asking for the address fails.
    assert "TLS failed: [SSL: CERTIFICATE_VERIFY_FAILED]" in _error(f"https://127.0.0.1:{port}/host")


# -- through the readers and the CLI -----------------------------------------------

def test_fetch_through_readers_mixes_items_and_errors(server: str) -> None:
    urls = [server + "/article", server + "/missing", server + "/plain", server + "/image",
            server + "/drip-body", server + "/to-ftp"]
    opts = FetchOptions(timeout=0.6, max_bytes=100_000, allow_private=True)
    items = list(iter_items(urls, fetch=opts))
    assert [type(i) for i in items] == [RawItem, ItemError, RawItem, ItemError, ItemError,
                                        ItemError]
    page, plain = items[0], items[2]
    assert page.kind == "html" and "Local article body" in page.content  # decoded from cp1251
    assert page.meta["url"] == server + "/article"
    assert plain.kind == "text" and plain.content == "Plain text article."
    assert [i.source for i in items] == urls
    errors = [i.line() for i in items if isinstance(i, ItemError)]
    assert errors[0] == f"error: {server}/missing: HTTP 404 Not Found"
    assert errors[2] == f"error: {server}/drip-body: timed out after 0.6s"
    assert errors[3].startswith(f"error: {server}/to-ftp: not an http(s) redirect target")


def test_fetch_feed_and_json_lines_urls_yield_their_entries(server: str) -> None:
    items = list(iter_items([server + "/feed", server + "/lines"], fetch=OPTS))
    assert all(isinstance(i, RawItem) for i in items), items
    first, second, line1, line2 = items
    assert first.source == server + "/feed" and first.item == "https://wire.example/1"
    assert first.meta["title"] == "First" and first.meta["publisher"] == "Local Wire"
    assert first.meta["published"] == "2024-03-05"
    assert "first story body" in first.content and "Second story" in second.content
    assert (line1.item, line2.item) == ("1", "2")
    assert line2.content == "JSON line article 2."


def test_fetch_url_list_with_malformed_urls_goes_on(tmp_path: Path, server: str) -> None:
    (tmp_path / "list.urls").write_text(
        f"{server}/plain\nhttp://[::1/broken\nhttp://xn--/\nhttp://a.example:99999/\n"
        f"{server}/to-file\n{server}/article\n", encoding="utf-8")
    items = list(iter_items([str(tmp_path / "list.urls")], fetch=OPTS))
    assert [type(i).__name__ for i in items] == ["RawItem", "ItemError", "ItemError",
                                                 "ItemError", "ItemError", "RawItem"]


def _cli(args: list[str], db: Path):  # noqa: ANN202
    return CliRunner().invoke(main, ["ingest", *args, "--db", str(db), "--timeout", "2"])


def test_fetch_cli_allow_private_switch(tmp_path: Path, server: str) -> None:
    db = tmp_path / "ws.db"
    urls = [server + "/article", server + "/plain"]
    refused = _cli(urls, db)
    assert refused.exit_code == 1
    lines = [ln for ln in refused.stderr.splitlines() if ln.startswith("error: ")]
    assert lines == [f"error: {u}: refused 127.0.0.1: loopback address "
                     "(--allow-private allows it)" for u in urls]
    allowed = _cli([*urls, server + "/image", "--allow-private"], db)
    assert allowed.exit_code == 1  # the image still fails, alone
    assert "2 added" in allowed.stdout
    assert [ln for ln in allowed.stderr.splitlines() if ln.startswith("error: ")] == [
        f"error: {server}/image: not a text page (content type image/png); accepted: HTML, "
        "XML, RSS/Atom, plain text, JSON"]
    with Store(db) as store:
        assert sorted(d.url for d in store.iter_documents()) == sorted(urls)
    again = _cli([*urls, "--allow-private"], db)
    assert again.exit_code == 0 and "0 added, 2 already stored" in again.stdout
