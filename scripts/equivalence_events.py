"""Old vs new events layer on identical inputs, and their per-document time.

Speedups of the events modules (``analyze/event*.py``) must not change any
output.  This script loads a saved copy of the previous implementation
(``--baseline``, a folder holding ``src/rashomon/analyze/event*.py``, e.g.
``/tmp/events_baseline``) under private module names, runs the current code of
every earlier document layer once per document, then the old and the new
``events_layer`` on the *same* context (same spaCy Doc, same mentions, timexes
and quotes), and compares their ``to_dict()`` forms as canonical JSON.

Each run gets a fresh copy of the earlier layers' records and of the Doc's
``user_data`` (caches), so neither side sees what the other computed.  Runs
alternate old/new (``--rounds``) and each side keeps its best process-CPU time
per document, so a busy moment on the shared machine lands on both sides.

Inputs: the seed pages (``../shared/seeds``, skipped when absent, caucasus
profile), the demo corpus and the bench corpus (demo texts with a "Report i."
prefix, as ``bench/bench_pipeline.py`` builds them; demo profile).

Run: ``python scripts/equivalence_events.py [--baseline DIR] [--bench N] [--rounds R]``;
exit status 1 on any difference.
"""

from __future__ import annotations

import argparse
import copy
import sys
import time
import types
from pathlib import Path
from typing import Any

from baseline_modules import load_saved_modules  # scripts/ is on sys.path when run

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from equivalence import Checker, documents, run_layers_upto  # noqa: E402

MODULES = ["event_codes", "event_args", "event_actors", "event_coref", "event_patterns",
           "event_refine", "event_shapes", "event_triggers", "event_setting", "event_appeals",
           "events"]


def load_baseline(folder: Path) -> types.ModuleType | None:
    """The saved events modules, importing each other (not the current code); None if absent.
    Loaded in MODULES order, which follows the import graph of the events modules."""
    mods = load_saved_modules(folder, [f"analyze/{m}" for m in MODULES], "_ev_base_")
    return mods.get("analyze/events/_layer")


def bench_docs(n: int) -> list[Any]:
    """The bench corpus of ``bench/bench_pipeline.py`` (demo texts, "Report i." prefix)."""
    from rashomon.demo import corpus_dir
    from rashomon.ingest.items import RawItem
    from rashomon.ingest.pipeline import make_document
    from rashomon.model import Document

    texts = [make_document(RawItem(source=str(p), content=p.read_text(encoding="utf-8"))).text
             for p in sorted(corpus_dir().glob("*.txt"))]
    if not texts:
        return []
    return [Document(id=f"b{i}", source=f"bench-{i}", text=f"Report {i}.\n\n" + texts[i % len(texts)],
                     published="2024-01-15", publisher="Bench Wire") for i in range(n)]


def _copy(obj: Any) -> Any:
    """Containers copied all the way down; parse objects (spans, tokens) shared."""
    if isinstance(obj, dict):
        return {k: _copy(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_copy(v) for v in obj]
    if isinstance(obj, set):
        return set(obj)
    return obj


def run_side(fn: Any, ctx: Any, results: dict[str, Any], user_data: dict[Any, Any]) -> tuple[Any, float]:
    """One events run on fresh copies of the earlier records and of the Doc's caches."""
    from rashomon.layers import DocContext

    ctx.sdoc.user_data.clear()
    ctx.sdoc.user_data.update(_copy(user_data))
    fresh = DocContext(doc=ctx.doc, sdoc=ctx.sdoc, profile=ctx.profile,
                       results=copy.deepcopy(results))
    c0 = time.process_time()
    out = fn(fresh)
    return out, time.process_time() - c0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--baseline", default="/tmp/events_baseline", type=Path)
    ap.add_argument("--bench", type=int, default=30, help="documents of the bench corpus")
    ap.add_argument("--rounds", type=int, default=3, help="alternating old/new runs per doc")
    args = ap.parse_args()
    from rashomon.analyze import events as new
    from rashomon.analyze.nlp import load_nlp
    from rashomon.layers import DocContext
    from rashomon.profiles import load_profile

    old = load_baseline(args.baseline)
    if old is None:
        print(f"note: no baseline events modules under {args.baseline}; nothing to compare")
        return 0
    profiles = {p: load_profile(p) for p in ("caucasus", "demo")}
    items = [(d, p, "corpus") for d, p in documents(profiles)]
    items += [(d, "demo", "bench") for d in bench_docs(args.bench)]
    nlp = load_nlp()
    chk = Checker()
    times: dict[str, list[float]] = {}
    for doc, prof, group in items:
        ctx = DocContext(doc=doc, sdoc=nlp(doc.text), profile=profiles[prof])
        run_layers_upto(ctx, "events")
        results = copy.deepcopy(ctx.results)
        user_data = _copy(dict(ctx.sdoc.user_data))
        best = {"old": float("inf"), "new": float("inf")}
        outs: dict[str, Any] = {}
        for _ in range(args.rounds):
            for side, fn in (("old", old.events_layer), ("new", new.events_layer)):
                out, t = run_side(fn, ctx, results, user_data)
                best[side] = min(best[side], t)
                outs[side] = out
        chk.same("events.events_layer", f"{group}:{doc.source}", lambda o=outs: o["old"],
                 lambda o=outs: o["new"])
        for side in ("old", "new"):
            times.setdefault(f"{group}:{side}", []).append(best[side])
    chk.print_counts("documents compared")
    for group in ("corpus", "bench"):
        o, n = times.get(f"{group}:old", []), times.get(f"{group}:new", [])
        if o:
            print(f"{group:6s}: old {1000 * sum(o) / len(o):6.2f} ms/doc, "
                  f"new {1000 * sum(n) / len(n):6.2f} ms/doc ({len(o)} docs, best of "
                  f"{args.rounds}, process CPU)")
    return chk.verdict()


if __name__ == "__main__":
    sys.exit(main())
