"""Measure the early-warning layer: findings on a folder of documents, per 100 documents.

Usage:
    python scripts/warnings_eval.py INPUT [INPUT ...] --profile generic --out findings.json

Ingests the inputs into a fresh temporary workspace, runs the whole analysis
(every layer, as `rashomon analyze` does) and prints the number of findings
per 100 documents, the genocide-specific ones (RF9-10) apart, then one line
per finding with its first evidence sentence so each can be judged by hand.
``--out`` writes every finding as JSON for the tables in docs/evaluation.md.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from rashomon.ingest.pipeline import ingest
from rashomon.pipeline import analyze
from rashomon.profiles import load_profile
from rashomon.store import Store
from rashomon.warning import list_warnings, rf_number


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("inputs", nargs="+")
    ap.add_argument("--profile", default="generic")
    ap.add_argument("--out", default=None)
    ap.add_argument("--db", default=None, help="keep the workspace here (default: temporary)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(args.db or Path(tmp) / "w.db")
        t0 = time.perf_counter()
        rep = ingest(store, args.inputs)
        for err in rep.errors:
            print(err if str(err).startswith("error:") else f"error: {err}")
        analyze(store, load_profile(args.profile))
        docs = len(store.document_ids(include_duplicates=False))
        rows = list_warnings(store)
        took = time.perf_counter() - t0
        texts = {d.id: d for d in store.iter_documents()}
        store.close()
    genocide = [w for w in rows if rf_number(w["risk_factor"]) in (9, 10)]
    per100 = 100.0 / docs if docs else 0.0
    print(f"documents {docs}  findings {len(rows)} ({len(rows) * per100:.2f} per 100 docs)  "
          f"RF9-10 {len(genocide)} ({len(genocide) * per100:.2f} per 100 docs)  "
          f"[{took:.0f} s]")
    out = []
    for w in rows:
        ev = w["evidence"][0]
        src = Path(texts[ev["doc_id"]].source).name
        print(f"- {w['risk_factor']} {w['indicator']} {w['scope']} {w['strength']} "
              f"[{src}] {' '.join(ev['text'].split())[:200]}")
        out.append({**w, "first_source": src})
    if args.out:
        Path(args.out).write_text(json.dumps(out, ensure_ascii=False, indent=1),
                                  encoding="utf-8")


if __name__ == "__main__":
    main()
