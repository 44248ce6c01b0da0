"""Benchmark: how story grouping cost grows with the number of events.

Synthetic corpus: real-world incidents spread over three years (so density per
day grows with corpus size, the hard case for blocking), participants drawn
from a Zipf-like distribution over a pool of entities, and each incident told by
1-5 reports whose dates differ by up to a day, whose roles may be swapped,
whose type may shift within a family and whose sentences share some incident
words and some noise.  A tenth of the reports carry only a month or the
publication date.

Prints events/s, cost growth per 10x and peak memory (process max RSS, which only grows), plus the
pairwise precision/recall against the synthetic truth as a sanity check.

A second table times the whole two-level build the ``stories`` layer runs
(:func:`rashomon.compare.stories.build_document_stories`: document grouping,
one event alignment pass, describing every story) on the same corpus, each
report's article made of its sentence, its participants' and place's names and
a title; precision/recall there are of document pairs against the incidents.
Run: ``python bench/bench_stories.py`` (under 3 minutes on 2 cores).
"""

from __future__ import annotations

import random
import resource
import sys
import time
from collections import defaultdict
from datetime import date, timedelta
from itertools import combinations
from typing import Any

from rashomon.compare.grouping import ArticleText
from rashomon.compare.stories import build_document_stories, cluster_events

TYPES = [("ASSAULT", "190"), ("COERCE", "170"), ("ACCUSE", "112"), ("CONSULT", "040"),
         ("AGREE", "057"), ("THREATEN", "138"), ("PROTEST", "141"), ("AID", "070")]
SHIFT = {"ASSAULT": ("COERCE", "170"), "COERCE": ("ASSAULT", "190")}
VOCAB = [f"w{i}" for i in range(5000)]
START = date(2021, 1, 1)
SPAN_DAYS = 3 * 365


def zipf_pick(rng: random.Random, n: int) -> int:
    # inverse-rank weighting without numpy: rank ~ n ** u gives a heavy head
    return min(n - 1, int(n ** rng.random()) - 1)


def synth(n_events: int, seed: int = 7) -> tuple[list[dict[str, Any]], dict, dict[str, int]]:
    rng = random.Random(seed)
    n_actors = max(50, n_events // 50)
    n_places = max(30, n_events // 100)
    events: list[dict[str, Any]] = []
    truth: dict[str, int] = {}
    meta: dict[str, dict[str, Any]] = {}
    story = 0
    while len(events) < n_events:
        story += 1
        day = START + timedelta(days=rng.randrange(SPAN_DAYS))
        a, b = zipf_pick(rng, n_actors), zipf_pick(rng, n_actors)
        place = zipf_pick(rng, n_places)
        plover, cameo = rng.choice(TYPES)
        words = rng.sample(VOCAB, 6)
        for r in range(rng.choice([1, 1, 2, 2, 3, 4, 5])):
            if len(events) >= n_events:
                break
            doc = f"doc{story}_{r}"
            d = day + timedelta(days=rng.choice([0, 0, 0, 1]))
            meta[doc] = {"id": doc, "publisher": f"outlet{rng.randrange(40)}",
                         "published": (d + timedelta(days=1)).isoformat()}
            src, tgt = (a, b) if rng.random() < 0.5 else (b, a)
            pl, cm = SHIFT.get(plover, (plover, cameo)) if rng.random() < 0.2 else (plover, cameo)
            prec, dval = "day", d.isoformat()
            roll = rng.random()
            if roll < 0.05:
                prec, dval = "month", d.strftime("%Y-%m")
            elif roll < 0.10:
                prec, dval = "document", None
            sentence = " ".join(rng.sample(words, 4) + rng.sample(VOCAB, 6))
            eid = f"ev{len(events):07d}"
            events.append({
                "id": eid, "doc_id": doc, "start": 0, "end": 10, "sentence": sentence,
                "cameo": cm, "plover": pl, "date": dval, "date_precision": prec,
                "source_actor": {"name": f"A{src}", "entity_id": f"a{src}", "country": "X",
                                 "sector": "GOV"},
                "target_actor": {"name": f"A{tgt}", "entity_id": f"a{tgt}", "country": "Y",
                                 "sector": "MIL"},
                "place": {"name": f"P{place}", "entity_id": f"p{place}", "lat": None,
                          "lon": None} if rng.random() < 0.7 else None,
                "modality": {}, "attrs": {},
            })
            truth[eid] = story
    return events, meta, truth


def pairwise_pr(groups: list[list[str]], truth: dict[str, int]) -> tuple[float, float]:
    pred = {e: k for k, g in enumerate(groups) for e in g}
    gold_groups: dict[int, list[str]] = defaultdict(list)
    for e, s in truth.items():
        gold_groups[s].append(e)
    tp_pred = sum(1 for g in groups for x, y in combinations(g, 2) if truth[x] == truth[y])
    n_pred = sum(len(g) * (len(g) - 1) // 2 for g in groups)
    tp_gold = sum(1 for g in gold_groups.values() for x, y in combinations(g, 2)
                  if pred[x] == pred[y])
    n_gold = sum(len(g) * (len(g) - 1) // 2 for g in gold_groups.values())
    return tp_pred / max(n_pred, 1), tp_gold / max(n_gold, 1)


def articles_of(events: list[dict[str, Any]], meta: dict[str, dict[str, Any]]
                ) -> list[ArticleText]:
    """One article per report: its sentence, the names of who and where, a title."""
    out = []
    for e in events:
        who = [f"{x['name']}land" for x in (e["source_actor"], e["target_actor"])]
        where = [f"{e['place']['name']}ville"] if e.get("place") else []
        words = e["sentence"].split()
        text = f"{' '.join(who + where)} said that {e['sentence']}. " + " ".join(where)
        out.append(ArticleText(e["doc_id"], " ".join(words[:5]), text,
                               date.fromisoformat(meta[e["doc_id"]]["published"])))
    return out


def main(sizes: tuple[int, ...] = (1_000, 10_000, 100_000)) -> None:
    prev = None
    print(f"{'events':>8} {'seconds':>8} {'events/s':>9} {'x per 10x':>9} {'maxRSS MB':>9}"
          f" {'pair P':>7} {'pair R':>7}")
    for n in sizes:
        events, meta, truth = synth(n)
        t0 = time.perf_counter()
        groups = cluster_events(events, meta)
        dt = time.perf_counter() - t0
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # kB on Linux
        p, r = pairwise_pr(groups, truth)
        ratio = f"{dt / prev:.1f}" if prev else "-"
        print(f"{n:>8} {dt:>8.2f} {n / dt:>9.0f} {ratio:>9} {peak / 1e6:>9.1f}"
              f" {p:>7.3f} {r:>7.3f}", flush=True)
        prev = dt
    print("\ntwo-level stories (document grouping + event alignment + descriptions)")
    print(f"{'docs':>8} {'seconds':>8} {'docs/s':>9} {'x per 10x':>9} {'maxRSS MB':>9}"
          f" {'pair P':>7} {'pair R':>7} {'stories':>8}")
    prev = None
    for n in sizes:
        events, meta, truth = synth(n)
        arts = articles_of(events, meta)
        t0 = time.perf_counter()
        stories = build_document_stories(arts, events, meta, lambda m: "unknown")
        dt = time.perf_counter() - t0
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        doc_truth = {e["doc_id"]: truth[e["id"]] for e in events}
        groups = [s.doc_ids for s in stories if s.attrs["level"] == "documents"]
        p, r = pairwise_pr(groups, doc_truth)
        ratio = f"{dt / prev:.1f}" if prev else "-"
        print(f"{n:>8} {dt:>8.2f} {n / dt:>9.0f} {ratio:>9} {peak / 1e6:>9.1f}"
              f" {p:>7.3f} {r:>7.3f} {len(stories):>8}", flush=True)
        prev = dt


if __name__ == "__main__":
    main(tuple(int(a) for a in sys.argv[1:]) or (1_000, 10_000, 100_000))
