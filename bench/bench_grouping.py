"""Benchmark: how document grouping (articles → stories) grows with corpus size.

Synthetic corpus: happenings spread over three years, each told by 1-4
articles.  An article mixes the happening's own words and names (participants
one well-known name drawn Zipf-like from a shared pool, so popular names recur
across happenings, and the happening's own participant and place)
with common news words and per-article noise; a tenth of the articles carry no
date.  Sizes 1k, 10k and 100k articles (``--sizes`` to change).

Prints articles/s, the growth of time per 10x (1.0 = linear: ratio of
per-article cost between sizes), peak RSS, and pairwise precision/recall on a
sample of the synthetic truth as a sanity check.
Run: ``python bench/bench_grouping.py [--sizes 1000 10000 100000]``.
"""

from __future__ import annotations

import argparse
import random
import resource
import time
from datetime import date, timedelta

from rashomon.compare.grouping import ArticleText, group_documents

COMMON = [f"common{i}" for i in range(400)]
START = date(2021, 1, 1)


def synth(n: int, seed: int = 11) -> tuple[list[ArticleText], dict[str, int]]:
    rng = random.Random(seed)
    pool = [f"Name{i} Surname{i}" for i in range(max(100, n // 20))]
    out: list[ArticleText] = []
    truth: dict[str, int] = {}
    story = 0
    while len(out) < n:
        day = START + timedelta(days=rng.randrange(3 * 365))
        own = [f"topic{story}x{k}" for k in range(6)]
        # one well-known name (Zipf-like: recurs across many happenings) and two of the
        # happening's own participants or places, as in real coverage
        people = [pool[min(len(pool) - 1, int(len(pool) ** rng.random()) - 1)],
                  f"Person{story} Family{story}", f"Place{story}"]
        for k in range(rng.randint(1, 4)):
            if len(out) >= n:
                break
            words = rng.sample(own, 4) + rng.sample(COMMON, 25) + [f"noise{rng.randrange(10**6)}"
                                                                   for _ in range(5)]
            rng.shuffle(words)
            text = " ".join(words[:12]) + ". " + " and ".join(rng.sample(people, 2)) + " said " + \
                " ".join(words[12:]) + "."
            doc_id = f"s{story}a{k}"
            published = None if rng.random() < 0.1 else day + timedelta(days=rng.randint(0, 1))
            out.append(ArticleText(doc_id, " ".join(own[:2]) + " " + rng.choice(COMMON), text,
                                   published))
            truth[doc_id] = story
        story += 1
    return out, truth


def sample_prf(groups: list[list[str]], truth: dict[str, int], seed: int = 3) -> tuple[float, float]:
    label = {d: k for k, g in enumerate(groups) for d in g}
    ids = sorted(truth)
    rng = random.Random(seed)
    by_story: dict[int, list[str]] = {}
    for d in ids:
        by_story.setdefault(truth[d], []).append(d)
    same = [(a, b) for g in by_story.values() for a in g for b in g if a < b]
    same = rng.sample(same, min(2000, len(same)))
    tp = sum(label[a] == label[b] for a, b in same)
    pred_pairs = [(a, b) for g in groups for a in g for b in g if a < b][:200000]
    pred_pairs = rng.sample(pred_pairs, min(2000, len(pred_pairs)))
    tp_p = sum(truth[a] == truth[b] for a, b in pred_pairs)
    return (tp_p / len(pred_pairs) if pred_pairs else 1.0), (tp / len(same) if same else 1.0)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    args = ap.parse_args()
    previous: tuple[int, float] | None = None
    for n in args.sizes:
        arts, truth = synth(n)
        t = time.perf_counter()
        groups = group_documents(arts)
        dt = time.perf_counter() - t
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        p, r = sample_prf(groups, truth)
        growth = ""
        if previous:
            growth = f"  per-article cost x{(dt / n) / (previous[1] / previous[0]):.2f} vs previous"
        print(f"{n:>7} articles: {dt:7.1f} s, {n / dt:8.0f} articles/s, peak RSS {rss:6.0f} MB, "
              f"pairwise P {p:.3f} R {r:.3f}, {len(groups)} stories{growth}", flush=True)
        previous = (n, dt)


if __name__ == "__main__":
    main()
