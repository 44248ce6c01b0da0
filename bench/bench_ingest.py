"""Ingest throughput and memory on synthetic text articles.

Generates N plain-text articles (default 500 and 5000) in a temp folder,
ingests each set into a fresh temp store with ``rashomon.ingest.pipeline.ingest``
and prints articles/s, peak memory and the ratio of peak memory between the
sizes: memory should stay flat as N grows, because items are streamed and
stored one by one.  Each size runs in its own process, so peak RSS
(``resource.getrusage``) is that run's own and tracing costs no speed;
``--trace`` adds tracemalloc's peak of Python allocations (slower).

Run: ``python bench/bench_ingest.py [N ...]`` (``--profile`` prints a cProfile
summary of the largest run).  Target: >= 200 articles/s on one core.  Wall
rate suffers when other processes share the CPU; "per CPU-s" (articles per
second of this process's CPU time) is the one-core figure that does not.
"""

from __future__ import annotations

import cProfile
import io
import json
import pstats
import random
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from rashomon.ingest.pipeline import ingest
from rashomon.store import Store

WORDS = ("council minister village road river talks agreement statement officials border "
         "ceasefire aid convoy report delegation meeting capital province water school "
         "hospital election budget market farmers bridge vote committee court ruling").split()
NAMES = ["Ana Morel", "Tomas Reyes", "Lina Okafor", "Piet Jansen", "Omar Haddad", "Mei Chen"]


def make_article(i: int, rng: random.Random) -> str:
    """A plausible news-shaped text: title, dateline paragraph, quotes, 5-9 paragraphs."""
    paras = [f"Report {i}: {rng.choice(WORDS).title()} {rng.choice(WORDS)} in the "
             f"{rng.choice(WORDS)} district"]
    for _ in range(rng.randint(5, 9)):
        sent = []
        for _ in range(rng.randint(2, 4)):
            words = [rng.choice(WORDS) for _ in range(rng.randint(8, 18))]
            s = " ".join(words).capitalize() + "."
            if rng.random() < 0.3:
                s = f'"{s}" said {rng.choice(NAMES)} on {rng.randint(1, 28)} March {i % 5 + 2019}.'
            sent.append(s)
        paras.append(" ".join(sent))
    return "\n\n".join(paras) + "\n"


def run(n: int, profile: bool = False, trace: bool = False) -> dict[str, float]:
    rng = random.Random(n)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        src = root / "articles"
        src.mkdir()
        for i in range(n):
            (src / f"a{i:06d}.txt").write_text(make_article(i, rng), encoding="utf-8")
        store = Store(root / "bench.db")
        prof = cProfile.Profile() if profile else None
        if trace:
            tracemalloc.start()
        t0 = time.perf_counter()
        c0 = time.process_time()
        if prof:
            prof.enable()
        report = ingest(store, [str(src)])
        if prof:
            prof.disable()
        dt = time.perf_counter() - t0
        cpu = time.process_time() - c0
        peak = 0
        if trace:
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
        store.close()
        if prof:
            out = io.StringIO()
            pstats.Stats(prof, stream=out).sort_stats("cumulative").print_stats(25)
            print(out.getvalue())
    assert len(report.added) + len(report.unchanged) == n, report.errors[:3]
    rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    return {"n": n, "seconds": dt, "per_s": n / dt, "per_cpu_s": n / cpu, "traced_peak_mb": peak / 1e6,
            "peak_rss_mb": rss_kb / 1024, "errors": len(report.errors)}


def main(argv: list[str]) -> None:
    if "--one" in argv:  # child process: one size, JSON on stdout
        n = int(argv[argv.index("--one") + 1])
        print(json.dumps(run(n, profile="--profile" in argv, trace="--trace" in argv)))
        return
    flags = [a for a in argv if a.startswith("--")]
    sizes = [int(a) for a in argv if a.isdigit()] or [500, 5000]
    results = []
    for i, n in enumerate(sizes):
        child_flags = [f for f in flags if f != "--profile" or i == len(sizes) - 1]
        out = subprocess.run([sys.executable, __file__, "--one", str(n), *child_flags],
                             capture_output=True, text=True, check=True).stdout
        lines = out.strip().splitlines()
        if len(lines) > 1:
            print("\n".join(lines[:-1]))
        r = json.loads(lines[-1])
        results.append(r)
        traced = f", traced Python peak {r['traced_peak_mb']:.1f} MB" if "--trace" in flags else ""
        print(f"n={n:6d}  {r['per_s']:7.1f} articles/s wall  {r['per_cpu_s']:7.1f} per CPU-s  "
              f"({r['seconds']:.1f} s)  "
              f"peak RSS {r['peak_rss_mb']:.1f} MB{traced}  errors {r['errors']}")
    if len(results) >= 2:
        small, big = results[0], results[-1]
        print(f"peak RSS ratio n={big['n']}/n={small['n']}: "
              f"{big['peak_rss_mb'] / small['peak_rss_mb']:.2f} "
              f"(size ratio {big['n'] / small['n']:.0f})")
        if "--trace" in flags:
            print(f"traced peak ratio: {big['traced_peak_mb'] / small['traced_peak_mb']:.2f}")
        print(f"throughput ratio: {big['per_s'] / small['per_s']:.2f}")


if __name__ == "__main__":
    main(sys.argv[1:])
