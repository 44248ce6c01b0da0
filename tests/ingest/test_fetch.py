"""fetch_url against a real local HTTP server: limits and one-line errors."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from rashomon.ingest.fetch import FetchError, fetch_url
from rashomon.ingest.items import ItemError, RawItem
from rashomon.ingest.readers import FetchOptions, iter_items

PAGE = ("<html><head><title>Local</title></head><body><article><p>Local article body with "
        "enough words to count as a paragraph of text.</p></article></body></html>")


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:  # keep test output quiet
        pass

    def _send(self, code: int, body: bytes, ctype: str, length: bool = True) -> None:
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        if length:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 - http.server naming
        path = self.path
        if path == "/article":
            self._send(200, PAGE.encode("cp1251"), "text/html; charset=windows-1251")
        elif path == "/plain":
            self._send(200, b"Plain text article.", "text/plain")
        elif path.startswith("/hop/"):
            n = int(path.rsplit("/", 1)[1])
            self.send_response(302)
            self.send_header("Location", f"/hop/{n + 1}" if n < 20 else "/article")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif path == "/missing":
            self._send(404, b"not here", "text/plain")
        elif path == "/huge":
            # No Content-Length: the cap must hold while streaming.
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            for _ in range(64):
                self.wfile.write(b"x" * 16384)
        elif path == "/image":
            self._send(200, b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "image/png")
        else:
            self._send(500, b"boom", "text/plain")


class QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        pass  # the client hanging up on /huge is the point of that test


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = QuietServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()



OPTS = FetchOptions(timeout=5, max_bytes=100_000, max_redirects=3)


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


@pytest.mark.parametrize(
    "path,needle",
    [
        ("/hop/0", "more than 3 redirects"),
        ("/missing", "HTTP 404"),
        ("/huge", "too large"),
        ("/image", "not a text page (content type image/png)"),
        ("/error", "HTTP 500"),
    ],
)
def test_fetch_errors_are_one_line(server: str, path: str, needle: str) -> None:
    with pytest.raises(FetchError) as exc:
        fetch_url(server + path, OPTS)
    assert needle in str(exc.value)
    assert "\n" not in str(exc.value)


def test_fetch_unreachable_port(closed_port: int) -> None:
    with pytest.raises(FetchError, match="unreachable"):
        fetch_url(f"http://127.0.0.1:{closed_port}/x", OPTS)


def test_fetch_rejects_other_schemes() -> None:
    with pytest.raises(FetchError, match="not an http"):
        fetch_url("ftp://example.org/file", OPTS)


def test_fetch_through_readers_mixes_items_and_errors(server: str) -> None:
    urls = [server + "/article", server + "/missing", server + "/plain", server + "/image"]
    items = list(iter_items(urls, fetch=OPTS))
    assert [type(i) for i in items] == [RawItem, ItemError, RawItem, ItemError]
    page, plain = items[0], items[2]
    assert page.kind == "html" and "Local article body" in page.content  # decoded from cp1251
    assert page.meta["url"] == server + "/article"
    assert plain.kind == "text" and plain.content == "Plain text article."
