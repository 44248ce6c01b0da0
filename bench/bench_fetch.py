"""Safe-fetch limits against hostile local servers: time to cut and memory held.

Starts one HTTP server on 127.0.0.1 (in this process, on a thread) that serves:

- ``/bomb``: a gzip body that inflates to ``--bomb-mb`` MB of zeros (streamed
  from a compressor, so the server never holds the inflated body);
- ``/endless``: an HTML body with no Content-Length that never ends;
- ``/drip``: one byte every ``--drip`` seconds.

Each is fetched with ``fetch_url`` (cap ``--max-bytes``, deadline ``--timeout``,
``allow_private=True`` because the server is local) and the script prints the
error line, the wall time to give up and tracemalloc's peak of Python
allocations during the fetch.  Expected: the bomb and the endless body stop
just over the cap (peak ~ cap, not the inflated size); the drip stops at the
deadline, not after ``len(body) * drip`` seconds.

Run: ``python bench/bench_fetch.py [--bomb-mb 1024] [--max-bytes 10000000]
[--timeout 3] [--drip 2]``.
"""

from __future__ import annotations

import argparse
import threading
import time
import tracemalloc
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from rashomon.ingest.fetch import FetchError, FetchOptions, fetch_url

MB = 1_000_000


def _bomb(inflated_mb: int) -> bytes:
    """A gzip stream of ``inflated_mb`` MB of zeros, built 1 MB at a time."""
    comp = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = b"\0" * MB
    parts = [comp.compress(block) for _ in range(inflated_mb)]
    parts.append(comp.flush())
    return b"".join(parts)


def _handler(bomb: bytes, drip: float) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802 - http.server naming
            self.send_response(200)
            try:
                if self.path == "/bomb":
                    self.send_header("Content-Type", "text/html")
                    self.send_header("Content-Encoding", "gzip")
                    self.send_header("Content-Length", str(len(bomb)))
                    self.end_headers()
                    self.wfile.write(bomb)
                elif self.path == "/endless":
                    self.send_header("Content-Type", "text/html")
                    self.end_headers()
                    while True:
                        self.wfile.write(b"<p>" + b"x" * 65_536 + b"</p>")
                else:
                    self.send_header("Content-Type", "text/plain")
                    self.end_headers()
                    for _ in range(1000):
                        self.wfile.write(b"x")
                        self.wfile.flush()
                        time.sleep(drip)
            except OSError:
                return  # the client gave up, as it should

    return Handler


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bomb-mb", type=int, default=1024, help="inflated size of the gzip bomb")
    ap.add_argument("--max-bytes", type=int, default=10 * MB)
    ap.add_argument("--timeout", type=float, default=3.0)
    ap.add_argument("--drip", type=float, default=2.0, help="seconds between dripped bytes")
    args = ap.parse_args()

    bomb = _bomb(args.bomb_mb)
    httpd = _Server(("127.0.0.1", 0), _handler(bomb, args.drip))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    opts = FetchOptions(timeout=args.timeout, max_bytes=args.max_bytes, allow_private=True)
    print(f"cap {args.max_bytes / MB:g} MB, deadline {args.timeout:g} s; gzip bomb "
          f"{len(bomb) / MB:.2f} MB on the wire -> {args.bomb_mb} MB inflated")
    for path in ("/bomb", "/endless", "/drip"):
        tracemalloc.start()
        start = time.monotonic()
        try:
            data, _ = fetch_url(base + path, opts)
            outcome = f"fetched {len(data)} bytes (NOT cut)"
        except FetchError as exc:
            outcome = f"error: {exc}"
        elapsed = time.monotonic() - start
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"{path:9s} {elapsed:6.2f} s  peak {peak / MB:7.1f} MB "
              f"({peak / args.max_bytes:.2f} x cap)  {outcome}")
    httpd.shutdown()
    httpd.server_close()


if __name__ == "__main__":
    main()
