"""Outlet and publication-date detection from the text alone, on the BASIL dev articles.

Each article is given to the cleaner and metadata builder as a plain text (title and
body paragraphs only: its ``source``, ``url`` and ``date`` fields are withheld) and the
outlet and date found are scored against those fields.  The articles are split in two
by a hash of their ``triplet-uuid`` (all three outlets of one story fall in the same
half): rules are tuned on the ``tune`` half and the ``report`` half is the figure
published in docs/evaluation.md.

    python scripts/eval_text_metadata.py [--half tune|report|all] [--basil DIR] [--show N]

Prints one JSON object: per half, counts and rates for outlets (found, correct) and
dates (found, exact, within 1 and 7 days).
"""

from __future__ import annotations

import argparse
import ast
import datetime as dt
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

from rashomon.ingest.items import RawItem
from rashomon.ingest.metadata import build_metadata
from rashomon.ingest.text_clean import clean_text

DEFAULT_BASIL = Path(__file__).resolve().parents[1] / ".." / "shared" / "eval" / "basil"
# The data set's outlet codes and the names those outlets print (a fact about the data
# set, used only to score): a detected outlet is right when it names its code's outlet.
CODE_NAMES = {"fox": ("fox news", "foxnews.com"),
              "nyt": ("new york times", "nytimes.com"),
              "hpo": ("huffpost", "huffington post", "huffingtonpost.com")}


def half_of(triplet: str) -> str:
    """'tune' or 'report', by the parity of the first byte of the uuid's SHA-256."""
    return "tune" if hashlib.sha256(triplet.encode("utf-8")).digest()[0] % 2 == 0 else "report"


def article_text(d: dict[str, Any]) -> str:
    """Title and body paragraphs as a plain text, nothing else of the record."""
    paras = d.get("body-paragraphs") or "[]"
    if isinstance(paras, str):
        paras = ast.literal_eval(paras)
    blocks = [" ".join(s.strip() for s in p if s and s.strip()) for p in paras]
    return "\n\n".join([str(d.get("title") or "").strip(), *[b for b in blocks if b]])


def score(basil: Path, which: str, show: int) -> dict[str, Any]:
    halves: dict[str, dict[str, Any]] = {}
    misses: list[str] = []
    for f in sorted((basil / "articles").glob("*/*.json")):
        d = json.loads(f.read_text(encoding="utf-8"))
        half = half_of(d["triplet-uuid"])
        if which != "all" and half != which:
            continue
        text = article_text(d)
        meta = build_metadata(RawItem(f.name, text), clean_text(text), None)
        h = halves.setdefault(half, {"articles": 0, "outlet_found": 0, "outlet_correct": 0,
                                     "date_found": 0, "date_exact": 0, "date_1d": 0,
                                     "date_7d": 0, "by_via": {}})
        h["articles"] += 1
        code = str(d["source"]).lower()
        pub = (meta.get("publisher") or "").lower()
        if pub:
            h["outlet_found"] += 1
            ok = any(n in pub or pub in n for n in CODE_NAMES[code])
            h["outlet_correct"] += ok
            via = str(meta.get("x_publisher_evidence") or "").split(":")[0]
            h["by_via"].setdefault(via, [0, 0])
            h["by_via"][via][0] += 1
            h["by_via"][via][1] += ok
            if not ok:
                misses.append(f"outlet {code}: {pub!r} ({meta.get('x_publisher_evidence')})")
        if meta.get("published"):
            h["date_found"] += 1
            gap = abs((dt.date.fromisoformat(meta["published"])
                       - dt.date.fromisoformat(d["date"])).days)
            h["date_exact"] += gap == 0
            h["date_1d"] += gap <= 1
            h["date_7d"] += gap <= 7
            if gap > 1:
                misses.append(f"date {d['date']}: {meta['published']} "
                              f"({str(meta.get('published_evidence'))[:120]})")
    for h in halves.values():
        n = h["articles"] or 1
        h["outlet_accuracy"] = round(h["outlet_correct"] / n, 3)
        h["outlet_precision"] = round(h["outlet_correct"] / (h["outlet_found"] or 1), 3)
        h["date_accuracy"] = round(h["date_exact"] / n, 3)
        h["date_accuracy_1d"] = round(h["date_1d"] / n, 3)
        h["date_precision"] = round(h["date_exact"] / (h["date_found"] or 1), 3)
    if show:
        for line in misses[:show]:
            print(line, file=sys.stderr)
    return halves


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--half", choices=("tune", "report", "all"), default="report")
    ap.add_argument("--basil", type=Path, default=DEFAULT_BASIL)
    ap.add_argument("--show", type=int, default=0, help="print this many misses to stderr")
    args = ap.parse_args()
    print(json.dumps(score(args.basil, args.half, args.show), indent=1, sort_keys=True))


if __name__ == "__main__":
    main()
