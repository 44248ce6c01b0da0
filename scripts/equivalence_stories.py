"""Old vs new story grouping and clustering evaluation, after the library swaps.

``compare/stories.py`` moved its TF-IDF to scikit-learn's ``TfidfVectorizer``,
its cosines to sparse row products and its union-find to scipy's
``DisjointSet``; ``evaluate/clustering.py`` moved the Hungarian algorithm to
scipy's ``linear_sum_assignment``, its component search to
``connected_components`` and ARI to scikit-learn.  Floating point may differ
in the last bits, so this script checks what that may change:

* the stored ``stories`` rows, old layer vs new layer, on identical
  document-layer stores: the seeds (``caucasus`` profile), the demo corpus and
  the benchmark corpora of ``bench/bench_pipeline.py`` (``--sizes``);
* ``cluster_events`` on the same records, order included;
* every figure of ``rashomon eval clustering`` on ECB+ (``../shared/eval``),
  old vs new, side by side; a figure that got worse is a failure.

The old code is read from git at ``--rev`` (default: the commit before the
swap) and run under private module names (see ``baseline_modules``).
Whatever is missing (seeds, ECB+) is skipped with a note.
Run: ``python scripts/equivalence_stories.py [--rev REV] [--sizes 30] [--limit N]``;
exit status 1 on any difference in records or any worse eval figure.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
import types
from pathlib import Path
from typing import Any

from baseline_modules import load_saved_modules  # scripts/ is on sys.path when run
from equivalence_compare import build_stores, dumps, table_rows

ROOT = Path(__file__).resolve().parents[1]
ECBPLUS = ROOT.parent / "shared" / "eval" / "ecbplus"
BEFORE_SWAP = "5e49469"
MODULES = ["compare/neutral", "compare/stories", "evaluate/clustering"]


def load_old(rev: str, folder: Path) -> dict[str, types.ModuleType]:
    """The modules as they were at ``rev``, importing each other, not the current code."""
    for mod in MODULES:
        path = f"src/rashomon/{mod}.py"
        text = subprocess.run(["git", "-C", str(ROOT), "show", f"{rev}:{path}"], check=True,
                              capture_output=True, text=True).stdout
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return load_saved_modules(folder, MODULES, "_stories_base_")


def run_stories(db: Path, prof: str, module: types.ModuleType) -> None:
    from rashomon.layers import CorpusContext
    from rashomon.profiles import load_profile
    from rashomon.store import Store

    store = Store(db)
    module.stories_layer(CorpusContext(store=store, profile=load_profile(prof), options={}))
    store.close()


def flat(scores: dict[str, Any], prefix: str = "") -> dict[str, float]:
    """Every number of an eval result, keyed by its path."""
    out: dict[str, float] = {}
    for k, v in scores.items():
        if isinstance(v, dict):
            out.update(flat(v, f"{prefix}{k}."))
        elif isinstance(v, int | float) and not isinstance(v, bool):
            out[f"{prefix}{k}"] = float(v)
    return out


def compare_eval(old: types.ModuleType, limit: int | None) -> list[str]:
    """ECB+ figures before and after; higher is better for every score (counts must match)."""
    from rashomon.evaluate import clustering

    if not ECBPLUS.is_dir():
        print(f"note: no ECB+ at {ECBPLUS}; eval comparison skipped")
        return []
    a = flat(old.evaluate_clustering(str(ECBPLUS), limit))
    b = flat(clustering.evaluate_clustering(str(ECBPLUS), limit))
    bad = []
    print(f"\n{'ECB+ figure':58s} {'before':>8s} {'after':>8s}")
    for key in sorted(a.keys() | b.keys()):
        x, y = a.get(key), b.get(key)
        counts = key.split(".")[-1].startswith("n_") or "threshold" in key or "limit" in key
        worse = x is None or y is None or (y != x if counts else y < x)
        if worse or x != y:
            print(f"{key:58s} {x!s:>8s} {y!s:>8s}{'  WORSE' if worse else ''}")
        if worse:
            bad.append(f"eval clustering: {key} {x} -> {y}")
    same = sum(1 for k in a if a.get(k) == b.get(k))
    print(f"{same} of {len(a)} ECB+ figures identical (rounded to 4 places as reported)")
    return bad


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rev", default=BEFORE_SWAP, help="git revision holding the old code")
    ap.add_argument("--sizes", default="30", help="bench corpus sizes (comma-separated)")
    ap.add_argument("--limit", type=int, default=None, help="ECB+ topics per split")
    args = ap.parse_args()
    from rashomon.compare import stories

    bad: list[str] = []
    with tempfile.TemporaryDirectory() as tmp_s:
        tmp = Path(tmp_s)
        old = load_old(args.rev, tmp / "old")
        sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
        for label, db, prof in build_stores(tmp, sizes):
            old_db, new_db = tmp / f"{label}-old.db", tmp / f"{label}-new.db"
            shutil.copy(db, old_db)
            shutil.copy(db, new_db)
            run_stories(old_db, prof, old["compare/stories"])
            run_stories(new_db, prof, stories)
            a, b = table_rows(old_db, "stories"), table_rows(new_db, "stories")
            same = a == b
            from rashomon.store import Store

            store = Store(db)
            events, meta = store.records("events"), store.doc_meta()
            store.close()
            groups_same = (dumps(old["compare/stories"].cluster_events(events, meta))
                           == dumps(stories.cluster_events(events, meta)))
            print(f"{label:9s} stories {len(a):5d} rows {'same' if same else 'DIFFERENT'}; "
                  f"cluster_events on {len(events)} events "
                  f"{'same' if groups_same else 'DIFFERENT'}")
            if not same:
                bad.append(f"{label}: stories rows differ")
            if not groups_same:
                bad.append(f"{label}: cluster_events differs")
        bad += compare_eval(old["evaluate/clustering"], args.limit)
    for line in bad:
        print("FAIL", line)
    print("equivalence:", "OK" if not bad else f"{len(bad)} difference(s)")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
