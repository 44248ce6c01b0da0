"""Load and page-weight benchmark of ``rashomon serve`` on loopback.

Workspace: the analysed demo corpus plus N synthetic documents (default
1,000), each with events, quotes, claims and mentions written through the
Store.  Their text is drawn with Zipf-like frequencies from a fixed
3,000-word vocabulary (fixed seeds, so runs compare); search queries are
content words drawn the same way below the 20 most frequent.

Load: C concurrent clients (default 50, asyncio + httpx, one connection
each), after a warm-up of the same load (default 5 s, not counted), for a
bounded time against ``/api/events`` with random filters, sorts
and pages, and ``/api/search`` with random words.  Prints p50, p90, p99 and max
latency, throughput and the error rate (any non-200 or transport error).

Pages: in headless Chromium (Debian's, via Playwright), each main page's
weight (bytes of every response it loads, API calls of its scripts included),
its DOM size after loading, first contentful paint and load time.

Server CPU per request (from /proc) is printed beside the latencies: on a
shared machine the wall-clock figures depend on the load average (printed
too), the CPU cost does not.

    python bench/bench_api.py [--db analysed.db] [--docs 1000] [--clients 50] [--seconds 20]
                              [--warmup 5] [--no-pages]

Without ``--db`` the demo corpus is analysed first (about a minute).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from rashomon.model import Actor, Claim, Document, Event, Mention, Quote  # noqa: E402
from rashomon.store import Store  # noqa: E402

WORDS = ("road bridge checkpoint council court ministry convoy village border pass mine "
         "protest order ruling patrol envoy talks ceasefire shelling aid trucks families "
         "statement agency river valley governor minister spokesman report observers").split()
SYLLABLES = ("ka ro mi ten vel dra sor lin qua bes tor nal ver mo pri zan hol ru fen gat "
             "ost lem dur ish pal cor").split()


def vocabulary(size: int = 3000) -> list[str]:
    """The news words first, then pseudo-words of two or three syllables (fixed order)."""
    out, seen = list(WORDS), set(WORDS)
    rng = random.Random(11)
    while len(out) < size:
        w = "".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 3))))
        if w not in seen:
            seen.add(w)
            out.append(w)
    return out


VOCAB = vocabulary()
# Zipf-like word frequencies (weight 1/rank), as in running text: a document of a few
# hundred words holds the common words and a handful of the rare ones, so a query word
# matches some documents, not all (a 30-word pool would make every query match every one).
ZIPF = [1 / (r + 1) for r in range(len(VOCAB))]


PLOVER = ("PROTEST", "ASSAULT", "COERCE", "REQUEST", "CONSULT", "ACCUSE", "REJECT", "AGREE",
          "SUPPORT", "MOBILIZE")
CAMPS = ("alpha", "beta", "gamma", "neutral")
PAGES = ["/", "/search?q=checkpoint", "/documents", "/stories", "/contradictions",
         "/framing", "/timeline", "/map", "/warnings", "/entities"]


def add_synthetic(db: Path, n: int, seed: int = 7) -> None:
    """N documents with 4 events, 2 quotes, 2 claims and 4 mentions each."""
    rng = random.Random(seed)
    outlets = [(f"Outlet {c.title()} {i}", c) for c in CAMPS for i in range(5)]
    with Store(db) as st:
        for k in range(n):
            outlet, camp = rng.choice(outlets)
            sents = [" ".join(rng.choices(VOCAB, weights=ZIPF, k=rng.randint(8, 24)))
                     .capitalize() + "." for _ in range(14)]
            text = " ".join(sents)
            day = f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            did = f"syn{k:05d}"
            st.put_document(Document(id=did, source=f"synthetic/{did}.txt", text=text,
                                     title=" ".join(sents[0].split()[:8]), publisher=outlet,
                                     published=day, side=camp))
            offs, pos = [], 0
            for s in sents:
                offs.append((pos, pos + len(s)))
                pos += len(s) + 1
            events, quotes, claims, mentions = [], [], [], []
            for j in range(4):
                a, b = offs[j]
                events.append(Event(
                    id=f"{did}e{j}", doc_id=did, start=a, end=b, sentence=text[a:b],
                    cameo=f"{rng.randint(1, 20):02d}0", plover=rng.choice(PLOVER),
                    goldstein=round(rng.uniform(-10, 10), 1), date=day, date_precision="day",
                    source_actor=Actor(rng.choice(WORDS).title()),
                    place={"name": rng.choice(WORDS).title(), "lat": rng.uniform(40, 45),
                           "lon": rng.uniform(40, 50)} if j % 2 else None))
            for j in range(2):
                a, b = offs[4 + j]
                quotes.append(Quote(id=f"{did}q{j}", doc_id=did, start=a, end=b, text=text[a:b],
                                    kind="indirect", speaker=Actor(rng.choice(WORDS).title())))
                claims.append(Claim(id=f"{did}c{j}", doc_id=did, start=a, end=b, text=text[a:b],
                                    kind="action", outlet=outlet, side=camp))
            for j in range(4):
                a, _ = offs[6 + j]
                mentions.append(Mention(id=f"{did}m{j}", doc_id=did, start=a, end=a + 4,
                                        entity_id=f"syn-entity-{rng.randint(0, 50)}",
                                        surface=text[a:a + 4], kind="place"))
            st.replace_doc_records("events", "v", "f", did, {"events": events})
            st.replace_doc_records("quotes", "v", "f", did, {"quotes": quotes})
            st.replace_doc_records("claims", "v", "f", did, {"claims": claims})
            st.replace_doc_records("entities", "v", "f", did, {"mentions": mentions})


def start_server(db: Path) -> tuple[subprocess.Popen[str], str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    proc = subprocess.Popen([sys.executable, "-m", "rashomon.cli", "serve", "--db", str(db),
                             "--port", "0", "--json"], stdout=subprocess.PIPE, text=True,
                            env=env)
    url = json.loads(proc.stdout.readline())["url"].rstrip("/")  # type: ignore[union-attr]
    for _ in range(100):
        try:
            if httpx.get(url + "/api", timeout=30).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.1)
    return proc, url


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (Linux /proc), a measure the machine's load
    does not inflate the way it inflates wall-clock latency."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def random_request(rng: random.Random) -> tuple[str, dict[str, object]]:
    if rng.random() < 0.5:
        params: dict[str, object] = {"limit": rng.choice((20, 50, 100))}
        for key, values in (("plover", PLOVER), ("camp", CAMPS)):
            if rng.random() < 0.5:
                params[key] = rng.choice(values)
        if rng.random() < 0.3:
            params["date_from"] = f"2024-{rng.randint(1, 12):02d}-01"
        if rng.random() < 0.3:
            params["goldstein_max"] = rng.choice((-5, 0, 5))
        if rng.random() < 0.5:
            params["sort"] = rng.choice(("-date", "goldstein", "outlet", "-goldstein"))
        if rng.random() < 0.3:
            params["facet"] = ["camp", "plover"]
        params["offset"] = rng.choice((0, 0, 50, 200))
        return "/api/events", params
    # a content word: Zipf-distributed below the 20 most frequent words
    return "/api/search", {"q": rng.choices(VOCAB[20:], weights=ZIPF[20:])[0], "limit": 20}


async def load(url: str, clients: int, seconds: float, warmup: float = 5.0,
               seed: int = 1) -> dict[str, object]:
    """``clients`` closed-loop clients; only requests after the warm-up are counted.

    The clients (httpx builds an SSL context per client, tens of milliseconds of
    CPU each) are all created before any request is sent, and they keep their
    connections from the warm-up into the measured part, so what is timed is the
    server's steady state, not client start-up or the first burst of connects.
    """
    latencies: dict[str, list[float]] = {"/api/events": [], "/api/search": []}
    errors: list[str] = []
    http = [httpx.AsyncClient(base_url=url, timeout=30, limits=httpx.Limits(max_connections=1))
            for _ in range(clients)]
    start = time.monotonic()
    begin, stop = start + warmup, start + warmup + seconds

    async def client(i: int) -> None:
        rng = random.Random(seed * 1000 + i)
        while time.monotonic() < stop:
            path, params = random_request(rng)
            sent = time.monotonic()
            t0 = time.perf_counter()
            try:
                r = await http[i].get(path, params=params)
                status = r.status_code
            except httpx.HTTPError as exc:
                status = type(exc).__name__
            if sent >= begin:
                latencies[path].append(time.perf_counter() - t0)
                if status != 200:
                    errors.append(f"{path} {status}")

    try:
        await asyncio.gather(*(client(i) for i in range(clients)))
    finally:
        for h in http:
            await h.aclose()
    wall = time.monotonic() - begin
    out: dict[str, object] = {"clients": clients, "warmup_s": warmup, "seconds": round(wall, 1)}
    every = [x for v in latencies.values() for x in v]
    for name, vals in (("all", every), *latencies.items()):
        if not vals:
            continue
        q = statistics.quantiles(vals, n=100)
        out[name] = {"requests": len(vals), "p50_ms": round(q[49] * 1000, 1),
                     "p90_ms": round(q[89] * 1000, 1), "p99_ms": round(q[98] * 1000, 1),
                     "max_ms": round(max(vals) * 1000, 1)}
    out["throughput_rps"] = round(len(every) / wall, 1)
    out["errors"] = len(errors)
    out["error_rate"] = round(len(errors) / max(1, len(every)), 4)
    out["error_examples"] = sorted(set(errors))[:5]
    return out


def page_weights(url: str) -> list[dict[str, object]]:
    """Bytes loaded and first contentful paint of each main page (headless Chromium)."""
    from playwright.sync_api import sync_playwright

    exe = shutil.which("chromium") or "/usr/bin/chromium"
    rows = []
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        for path in PAGES:
            ctx = b.new_context(viewport={"width": 1280, "height": 900})
            page = ctx.new_page()
            sizes: list[int] = []
            page.on("requestfinished", lambda req, sizes=sizes: sizes.append(
                req.sizes()["responseBodySize"]))
            t0 = time.perf_counter()
            page.goto(url + path, wait_until="load")
            load_ms = (time.perf_counter() - t0) * 1000
            page.wait_for_load_state("networkidle")
            fcp = page.evaluate("(performance.getEntriesByName('first-contentful-paint')[0]"
                                " || {}).startTime || null")
            dom = len(page.content().encode())
            rows.append({"page": path, "requests": len(sizes), "bytes": sum(sizes),
                         "dom_bytes": dom, "first_paint_ms": round(fcp, 0) if fcp else None,
                         "load_ms": round(load_ms, 0)})
            ctx.close()
        b.close()
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", help="an analysed workspace to start from (default: analyse the demo)")
    ap.add_argument("--docs", type=int, default=1000, help="synthetic documents to add")
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=20.0)
    ap.add_argument("--warmup", type=float, default=5.0,
                    help="seconds of the same load before measuring (not counted)")
    ap.add_argument("--no-pages", action="store_true", help="skip the browser page weights")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-api-") as tmp:
        db = Path(tmp) / "bench.db"
        if args.db:
            with Store(args.db) as src, Store(db) as dst:  # a consistent copy (WAL included)
                src.conn.backup(dst.conn)
        else:
            env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
            subprocess.run([sys.executable, "-m", "rashomon.cli", "demo", "--out",
                            str(Path(tmp) / "demo"), "--db", str(db)], check=True, env=env,
                           stdout=subprocess.DEVNULL)
        t0 = time.perf_counter()
        add_synthetic(db, args.docs)
        with Store(db) as st:
            counts = st.record_counts(["events", "quotes", "claims", "mentions"])
            counts["documents"] = st.document_count()
        print(f"workspace: {json.dumps(counts)} (synthetic part written in "
              f"{time.perf_counter() - t0:.1f} s)")
        proc, url = start_server(db)
        try:
            httpx.get(url + "/api/events", timeout=60)  # load the tables once
            cpu0, load0 = cpu_seconds(proc.pid), os.getloadavg()[0]
            res = asyncio.run(load(url, args.clients, args.seconds, args.warmup))
            served = sum(v["requests"] for k, v in res.items() if k.startswith("/api/"))
            served = round(served * (args.seconds + args.warmup) / args.seconds)  # CPU covers both
            res["server_cpu_ms_per_request"] = round(
                (cpu_seconds(proc.pid) - cpu0) * 1000 / max(1, served), 2)
            res["cores"] = os.cpu_count()
            res["load_average_1min"] = [round(load0, 1), round(os.getloadavg()[0], 1)]
            print("load:", json.dumps(res, indent=1))
            if not args.no_pages:
                print("pages:")
                for row in page_weights(url):
                    print("  " + json.dumps(row))
        finally:
            proc.terminate()
            proc.wait(timeout=20)


if __name__ == "__main__":
    main()
