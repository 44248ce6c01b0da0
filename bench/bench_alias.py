"""Alias lookup throughput: the entities layer's PhraseMatcher against the plain n-gram scan.

The entities layer finds profile aliases with spaCy's ``PhraseMatcher`` over its
own tokens (``rashomon.analyze.entities``).  This prints characters per second
of ``AliasMatcher.find`` for every bundled profile over the demo corpus (and the
shared seeds when present), and the same for a dictionary n-gram scan over the
same alias tables (the lookup the matcher replaced), so the cost of the library
call is a measured ratio, not a guess.  Both must find the same matches; the
script exits 1 if they do not.

Run: ``python bench/bench_alias.py [--rounds N]``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from rashomon.analyze.entities._resolve import AliasMatcher, _fold, profile_entities, tokenize
from rashomon.demo import corpus_dir
from rashomon.profiles import bundled_profile_names, load_profile

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"


def _texts() -> list[str]:
    paths = [p for p in sorted(corpus_dir().glob("*")) if p.suffix in (".txt", ".md")]
    if SEEDS.is_dir():
        paths += [p for p in sorted(SEEDS.rglob("*")) if p.suffix in (".txt", ".md", ".html")]
    return [p.read_text(encoding="utf-8", errors="replace") for p in paths]


def ngram_find(m: AliasMatcher, text: str) -> list[tuple[int, int, list[Any]]]:
    """Leftmost-longest by dictionary probes of every alias length at every token."""
    toks = tokenize(text)
    raw = [t for _, _, t in toks]
    low = [t.lower() if t.isascii() else _fold(t) for t in raw]
    sizes = sorted({len(k) for k in (*m.exact, *m.folded)}, reverse=True)
    out, i = [], 0
    while i < len(toks):
        for size in sizes:
            targets = m.exact.get(tuple(raw[i:i + size])) or m.folded.get(tuple(low[i:i + size]))
            if targets and i + size <= len(toks):
                trim = min(t.trim for t in targets)
                start = i + trim if trim < size else i
                out.append((toks[start][0], toks[i + size - 1][1], targets))
                i += size
                break
        else:
            i += 1
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    texts = _texts()
    chars = sum(map(len, texts))
    same = True
    for name in bundled_profile_names():
        m = AliasMatcher.build(profile_entities(load_profile(name)))
        m.find("warm up: compile the patterns once, as the layer does per profile")
        times = {"phrasematcher": 0.0, "ngram scan": 0.0}
        for _ in range(args.rounds):
            for label, fn in (("phrasematcher", m.find), ("ngram scan",
                                                          lambda t, m=m: ngram_find(m, t))):
                t0 = time.perf_counter()
                found = [fn(t) for t in texts]
                times[label] += time.perf_counter() - t0
                if label == "phrasematcher":
                    ours = found
                else:
                    same &= [[(s, e) for s, e, _ in f] for f in found] == \
                        [[(s, e) for s, e, _ in f] for f in ours]
        rate = {k: chars * args.rounds / v for k, v in times.items()}
        print(f"{name}: {len(texts)} texts, {chars} chars; phrasematcher "
              f"{rate['phrasematcher'] / 1e6:.2f} M chars/s, ngram scan "
              f"{rate['ngram scan'] / 1e6:.2f} M chars/s, ratio "
              f"{rate['phrasematcher'] / rate['ngram scan']:.2f}")
    print("matches identical" if same else "MATCHES DIFFER")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
