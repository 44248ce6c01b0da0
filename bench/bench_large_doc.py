"""Cost of analysing one long document, to set the ``$RASHOMON_MAX_CHARS`` default.

For each size, a fresh process builds one document of that many characters
from the bundled demo corpus (repeated), runs every document layer on it and
prints wall time and peak RSS; then the per-character slope between the
smallest and largest size.  A last run stores a document over the limit next
to a short one and shows that the short one is analysed and the long one is
marked "not analysed: too large".

Run: ``python bench/bench_large_doc.py [--sizes 50000 200000]``.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def one(size: int) -> dict[str, float]:
    """Analyse one document of ``size`` characters in this process; return time and peak RSS."""
    from rashomon.demo import corpus_dir
    from rashomon.model import Document
    from rashomon.pipeline import analyze
    from rashomon.profiles import load_profile
    from rashomon.store import Store

    body = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(corpus_dir().glob("*.txt")))
    text = (body * (size // len(body) + 1))[:size]
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "b.db") as store:
        store.put_document(Document(id="big", source="big.txt", text=text))
        t = time.perf_counter()
        rep = analyze(store, load_profile("demo"), corpus=False, limit_chars=size)
        secs = time.perf_counter() - t
    if rep.errors:
        raise SystemExit(rep.errors[0])
    return {"chars": size, "seconds": round(secs, 1),
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}


def over_limit() -> dict[str, object]:
    from rashomon.model import Document
    from rashomon.pipeline import analyze, max_chars
    from rashomon.profiles import load_profile
    from rashomon.store import Store

    limit = max_chars()
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "b.db") as store:
        store.put_document(Document(id="huge", source="huge.txt", text="word " * (limit // 5 + 1)))
        store.put_document(Document(id="short", source="short.txt",
                                    text="The council met on Monday to discuss the bridge."))
        t = time.perf_counter()
        rep = analyze(store, load_profile("demo"), corpus=False)
        return {"limit": limit, "analysed": rep.analysed, "too_large": rep.too_large,
                "seconds": round(time.perf_counter() - t, 1)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[50_000, 200_000])
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(one(args.one)))
        return
    rows = []
    for size in args.sizes:  # a fresh process each, so peak RSS is per size
        out = subprocess.run([sys.executable, __file__, "--one", str(size)], check=True,
                             capture_output=True, text=True).stdout
        rows.append(json.loads(out.strip().splitlines()[-1]))
        print(f"{rows[-1]['chars']:>9,} chars  {rows[-1]['seconds']:>6} s  "
              f"{rows[-1]['peak_rss_mb']:>6} MB peak RSS", flush=True)
    if len(rows) > 1:
        a, b = rows[0], rows[-1]
        per_char = (b["peak_rss_mb"] - a["peak_rss_mb"]) * 1024 / (b["chars"] - a["chars"])
        base = a["peak_rss_mb"] - per_char * a["chars"] / 1024
        print(f"slope: {per_char:.2f} kB per character over a {base:.0f} MB base; "
              f"{(b['seconds'] - a['seconds']) / (b['chars'] - a['chars']) * 1e6:.0f} s per "
              "million characters")
    print("over the limit:", json.dumps(over_limit()))


if __name__ == "__main__":
    main()
