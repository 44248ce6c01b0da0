"""Old vs new corpus layers (stories, contradictions, framing, coverage) on identical stores.

Speedups of the corpus layers must not change a single stored byte, nor the
order in which the pure functions return their results.  This script loads a
saved copy of ``src/rashomon/compare/*.py`` (``--baseline``, a folder holding
``src/rashomon/compare/...``, e.g. ``/tmp/h18_baseline``) under private module
names, builds document-layer stores once (the seeds with the ``caucasus``
profile, the demo corpus, and the benchmark corpora of ``bench/bench_pipeline.py``
at 30 and 120 documents with the ``demo`` profile), then for each store:

* runs the old and the new corpus layers on two copies of it and compares
  every row of the four corpus tables, in stored order;
* compares the pure functions' outputs (``cluster_events``, ``find_contradictions``)
  on the same records, order included.

Whatever is missing (seeds, baseline files) is skipped with a note.
Run: ``python scripts/equivalence_compare.py [--baseline DIR] [--sizes 30,120]``;
exit status 1 on any difference.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import sys
import tempfile
import types
from pathlib import Path
from typing import Any

from baseline_modules import load_saved_modules  # scripts/ is on sys.path when run

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
MODULES = ["neutral", "detectors", "stories", "contradictions", "framing", "coverage"]
TABLES = ["stories", "contradictions", "framing", "coverage"]


def load_baseline(folder: Path) -> dict[str, types.ModuleType]:
    """The saved compare modules, importing each other (not the current code)."""
    paths = [f"compare/{m}" for m in MODULES]
    for p in paths:
        if not (folder / "src" / "rashomon" / f"{p}.py").is_file():
            raise SystemExit(f"baseline file missing: {folder / 'src' / 'rashomon' / p}.py")
    return {p.split("/", 1)[1]: m
            for p, m in load_saved_modules(folder, paths, "_h18_base_").items()}


def build_stores(tmp: Path, sizes: list[int]) -> list[tuple[str, Path, str]]:
    """(label, db path, profile name) with every document layer run, no corpus layer."""
    from rashomon.demo import corpus_dir
    from rashomon.ingest.pipeline import ingest
    from rashomon.model import Document
    from rashomon.pipeline import analyze
    from rashomon.profiles import load_profile
    from rashomon.store import Store

    out = []
    runs: list[tuple[str, Path, str, str | None]] = []
    if SEEDS.is_dir():
        runs.append(("seeds", SEEDS, "caucasus", None))
    else:
        print(f"note: no seeds at {SEEDS}; skipped")
    demo = corpus_dir()
    runs.append(("demo", demo, "demo", str(demo / "manifest.yaml")))
    for label, path, prof, manifest in runs:
        db = tmp / f"{label}.db"
        store = Store(db)
        profile = load_profile(prof)
        ingest(store, [str(path)], manifest=manifest, profile=profile)
        analyze(store, profile, corpus=False)
        store.close()
        out.append((label, db, prof))
    sys.path.insert(0, str(ROOT / "bench"))
    from bench_pipeline import corpus, demo_texts

    texts = demo_texts()
    for n in sizes:
        db = tmp / f"bench{n}.db"
        store = Store(db)
        for i, t in enumerate(corpus(texts, n)):
            store.put_document(Document(id=f"b{i}", source=f"bench-{i}", text=t,
                                        published="2024-01-15", publisher="Bench Wire"))
        analyze(store, load_profile("demo"), corpus=False)
        store.close()
        out.append((f"bench{n}", db, "demo"))
    return out


def run_layers(db: Path, prof: str, base: dict[str, types.ModuleType] | None) -> None:
    """The four corpus layers in registry order, old (``base``) or current code."""
    import rashomon.plugins as plugins
    from rashomon.layers import CorpusContext
    from rashomon.profiles import load_profile
    from rashomon.store import Store

    store = Store(db)
    ctx = CorpusContext(store=store, profile=load_profile(prof), options={})
    if base is None:
        from rashomon.compare import contradictions, coverage, framing, stories
        mods = {"stories": stories, "contradictions": contradictions, "framing": framing,
                "coverage": coverage}
        mods["stories"].stories_layer(ctx)
        mods["contradictions"].contradictions_layer(ctx)
    else:
        mods = base
        saved = plugins.detectors
        plugins.detectors = lambda: {"lexical": base["detectors"].LexicalDetector}  # type: ignore
        try:
            mods["stories"].stories_layer(ctx)
            mods["contradictions"].contradictions_layer(ctx)
        finally:
            plugins.detectors = saved  # type: ignore[assignment]
    mods["framing"].framing_layer(ctx)
    mods["coverage"].coverage_layer(ctx)
    store.close()


def table_rows(db: Path, table: str) -> list[list[Any]]:
    conn = sqlite3.connect(str(db))
    cols = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")
            if r[1] not in ("at", "ran_at", "applied_at")]
    rows = [list(r) for r in conn.execute(f"SELECT {','.join(cols)} FROM {table} ORDER BY rowid")]
    conn.close()
    return rows


def dumps(obj: Any) -> str:
    def plain(o: Any) -> Any:
        if hasattr(o, "to_dict"):
            return o.to_dict()
        raise TypeError(type(o))
    return json.dumps(obj, default=plain, ensure_ascii=False, sort_keys=True)


def check_pure(label: str, db: Path, prof: str, base: dict[str, types.ModuleType]) -> list[str]:
    """cluster_events / build_stories / find_contradictions, old vs new on the same records."""
    from rashomon.analyze.claims._layer import matcher_for
    from rashomon.compare import contradictions, detectors, stories
    from rashomon.profiles import load_profile
    from rashomon.store import Store

    bad = []
    store = Store(db)
    profile = load_profile(prof)
    events, meta = store.records("events"), store.doc_meta()
    side_of = profile.side_lookup(meta)
    for name, old, new in [
        ("cluster_events", lambda: base["stories"].cluster_events(events, meta),
         lambda: stories.cluster_events(events, meta)),
        ("build_stories", lambda: base["stories"].build_stories(events, meta, side_of),
         lambda: stories.build_stories(events, meta, side_of)),
    ]:
        if dumps(old()) != dumps(new()):
            bad.append(f"{label}: {name} differs")
    claims = store.records("claims")
    st = [s.to_dict() for s in stories.build_stories(events, meta, side_of)]
    pairs = {p["name"]: p for p in matcher_for(profile).pairs}
    old = base["contradictions"].find_contradictions(
        claims, st, [base["detectors"].LexicalDetector()], pairs)
    new = contradictions.find_contradictions(claims, st, [detectors.LexicalDetector()], pairs)
    if dumps(old) != dumps(new):
        bad.append(f"{label}: find_contradictions differs")
    store.close()
    return bad


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--baseline", default="/tmp/h18_baseline")
    ap.add_argument("--sizes", default="30,120", help="bench corpus sizes (comma-separated)")
    ap.add_argument("--cache", default="", help="keep the document-layer stores here and reuse "
                    "them on later runs (only while the document layers are unchanged)")
    args = ap.parse_args()
    folder = Path(args.baseline)
    if not (folder / "src" / "rashomon" / "compare").is_dir():
        print(f"note: no baseline at {folder}; nothing to compare")
        return 0
    base = load_baseline(folder)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    bad: list[str] = []
    with tempfile.TemporaryDirectory() as tmp_s:
        tmp = Path(tmp_s)
        cache = Path(args.cache) if args.cache else None
        listing = cache / "stores.json" if cache else None
        if listing and listing.is_file():
            stores = [(lb, Path(db), pr) for lb, db, pr in json.loads(listing.read_text())]
        else:
            where = cache or tmp
            where.mkdir(parents=True, exist_ok=True)
            stores = build_stores(where, sizes)
            if listing:
                listing.write_text(json.dumps([[lb, str(db), pr] for lb, db, pr in stores]))
        for label, db, prof in stores:
            old_db, new_db = tmp / f"{label}-old.db", tmp / f"{label}-new.db"
            shutil.copy(db, old_db)
            shutil.copy(db, new_db)
            run_layers(old_db, prof, base)
            run_layers(new_db, prof, None)
            for t in TABLES:
                a, b = table_rows(old_db, t), table_rows(new_db, t)
                status = "same" if a == b else "DIFFERENT"
                print(f"{label:9s} {t:15s} {len(a):6d} rows  {status}")
                if a != b:
                    bad.append(f"{label}: table {t} differs")
            bad += check_pure(label, db, prof, base)
    for line in bad:
        print("FAIL", line)
    print("equivalence:", "OK" if not bad else f"{len(bad)} difference(s)")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
