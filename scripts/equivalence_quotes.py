"""Old vs new quotes layer on identical inputs: a speedup must not change any quote.

Loads a saved copy of the quote modules (``--baseline``, a folder holding
``src/rashomon/analyze/quote*.py`` etc., e.g. ``/tmp/h17_baseline``) under
private names, parses each input once, runs the entity layer (current code)
for the mentions, then runs OLD and NEW ``extract_quotes`` on the same spaCy
Doc and mentions and compares the ``to_dict()`` forms as canonical JSON.
Inputs: the seed pages (``../shared/seeds``, cleaned by ingest), the demo
corpus, the 4x bench corpus (``bench/bench_pipeline.py``'s texts) and, for
variety of attribution shapes, the PolNeAR dev articles
(``../shared/eval/polnear/dev/text``, raw text).
Whatever is missing is skipped with a note.  With ``--time`` it also reports
ms/doc of old and new, alternating, best of several rounds (process CPU).

Run: ``python scripts/equivalence_quotes.py [--baseline DIR] [--time ROUNDS]``;
exit status 1 on any difference.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import types
from pathlib import Path
from typing import Any

from baseline_modules import load_saved_modules  # scripts/ is on sys.path when run

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "bench"))

# dependency order (package-relative module paths)
MODULES = ["analyze/quotes/_marks", "analyze/quotes/_complements", "analyze/quotes/_cues",
           "analyze/quotes/_speaker_names", "analyze/quotes/_speakers", "analyze/quotes/_shapes",
           "analyze/quotes/_layer"]


def load_baseline(folder: Path) -> types.ModuleType | None:
    """The saved quotes module, importing the saved siblings (not the current code)."""
    return load_saved_modules(folder, MODULES, "_h17_base_").get("analyze/quotes/_layer")


def dumps(quotes: list[Any]) -> str:
    return json.dumps([q.to_dict() for q in quotes], sort_keys=True, ensure_ascii=False,
                      default=repr)


def inputs() -> list[tuple[str, Any, Any, list[Any]]]:
    """(label, Document, spaCy Doc, mentions) for seeds, demo corpus and bench corpus."""
    from equivalence import SEEDS, documents

    from rashomon.analyze.entities._resolve import entities_layer
    from rashomon.analyze.nlp import load_nlp
    from rashomon.layers import DocContext
    from rashomon.model import Document
    from rashomon.profiles import load_profile

    profiles = {p: load_profile(p) for p in ("caucasus", "demo")}
    docs = documents(profiles)
    if not SEEDS.is_dir():
        print("note: seeds missing; only demo and bench corpora compared")
    try:
        from bench_pipeline import corpus, demo_texts
        bench = corpus(demo_texts(), 120)
    except (ImportError, SystemExit) as exc:
        print(f"note: no bench corpus ({exc}); skipped")
        bench = []
    docs += [(Document(id=f"b{i}", source=f"bench-{i}", text=t, published="2024-01-15",
                       publisher="Bench Wire"), "demo") for i, t in enumerate(bench)]
    polnear = ROOT.parent / "shared" / "eval" / "polnear" / "dev" / "text"
    if polnear.is_dir():
        docs += [(Document(id=f"p{p.stem}", source=str(p), text=p.read_text(encoding="utf-8")),
                  "demo") for p in sorted(polnear.glob("*.txt"))]
    else:
        print(f"note: no PolNeAR dev texts at {polnear}; skipped")
    nlp = load_nlp()
    out = []
    for d, prof in docs:
        sdoc = nlp(d.text)
        ctx = DocContext(doc=d, sdoc=sdoc, profile=profiles[prof])
        mentions = entities_layer(ctx)["mentions"]
        out.append((d.source, d, sdoc, mentions))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--baseline", default="/tmp/h17_baseline")
    ap.add_argument("--time", type=int, default=0, help="timing rounds (0: none)")
    args = ap.parse_args()
    old = load_baseline(Path(args.baseline))
    if old is None:
        print(f"note: no baseline quotes module under {args.baseline}; nothing to compare")
        return 0
    from rashomon.analyze import quotes as new
    from rashomon.analyze.spans import seed_text

    items = inputs()
    bad = 0
    for label, d, sdoc, mentions in items:
        seed_text(sdoc, d.text)
        a = dumps(old.extract_quotes(d, sdoc, mentions))
        b = dumps(new.extract_quotes(d, sdoc, mentions))
        if a != b:
            bad += 1
            print(f"DIFF {label}: old {a[:300]} ... new {b[:300]}")
    print(f"quotes: {len(items) - bad}/{len(items)} documents identical")
    if args.time:
        bench = [x for x in items if x[0].startswith("bench-")]
        best = {"old": float("inf"), "new": float("inf")}
        for _ in range(args.time):
            for name, mod in (("old", old), ("new", new)):
                c0 = time.process_time()
                for _label, d, sdoc, mentions in bench:
                    sdoc.user_data.pop("rashomon_quotes_cols", None)  # as in a fresh parse
                    mod.extract_quotes(d, sdoc, mentions)
                best[name] = min(best[name], time.process_time() - c0)
        n = max(len(bench), 1)
        print(f"bench corpus ({n} docs), best of {args.time}: old {1000 * best['old'] / n:.2f} "
              f"ms/doc, new {1000 * best['new'] / n:.2f} ms/doc")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
