"""Measure the profile draft on BASIL dev: camps against ``relative_stance``, drafted
loaded terms against gold lexical-bias spans, quoted spans counted as own words.

Usage: python scripts/eval_draft_basil.py [BASIL_DIR] [--part A|B|all]

Events are split by :func:`rashomon.evaluate.stories.basil_part` (hash of the triplet
id); tune on part A, quote part B.  Only the article text, its ``source`` (the outlet,
as a publisher field would give it) and quotation marks are used: no analysis layers
(the quotes layer would add attributed quotes without marks).
"""

from __future__ import annotations

import json
import os
import sys
from collections import Counter, defaultdict
from pathlib import Path

from rashomon.compare.draft import DocView, DraftParams, induce_camps, loaded_terms
from rashomon.compare.framing import normalise_phrase, quoted_spans, stopwords, term_hits
from rashomon.evaluate.stories import basil_part


def _body(paragraphs: list) -> str:
    return "\n\n".join(" ".join(p) if isinstance(p, list) else str(p) for p in paragraphs)


def load(root: Path, part: str) -> list[tuple[DocView, dict, dict]]:
    out = []
    for path in sorted((root / "articles").glob("*/*.json")):
        a = json.loads(path.read_text(encoding="utf-8"))
        if part != "all" and basil_part(a["triplet-uuid"]) != part:
            continue
        ann_path = root / "annotations" / path.parent.name / f"{path.stem}_ann.json"
        ann = json.loads(ann_path.read_text(encoding="utf-8")) if ann_path.exists() else {}
        text = _body(a.get("body-paragraphs") or [])
        out.append((DocView(path.stem, text, str(a["source"]).lower(), quoted_spans(text)), a, ann))
    return out


def main() -> None:
    root = Path(sys.argv[1] if len(sys.argv) > 1 and not sys.argv[1].startswith("--")
                else Path(__file__).resolve().parents[2] / "shared" / "eval" / "basil")
    part = sys.argv[sys.argv.index("--part") + 1] if "--part" in sys.argv else "B"
    strength = float(sys.argv[sys.argv.index("--strength") + 1]) if "--strength" in sys.argv \
        else DraftParams().prior_strength
    rows = load(root, part)
    views = [v for v, _a, _n in rows]
    stop = stopwords()
    words: dict[str, Counter[str]] = defaultdict(Counter)
    for v in views:
        words[v.outlet].update(t for t, _s, _e, q in term_hits(v.text, stop, v.quoted) if not q)
    feats = dict(words)
    camp_of, axis = induce_camps(feats)
    stance: dict[str, Counter[str]] = defaultdict(Counter)
    for v, _a, ann in rows:
        raw = (ann.get("article-level-annotations") or {}).get("relative_stance", "?")
        stance[v.outlet][{"liberal": "left", "conservative": "right"}.get(raw, raw)] += 1
    print(f"part {part}: {len(rows)} articles")
    for o in sorted(camp_of):
        print(f"  {o:6} camp={camp_of[o]:10} axis={axis[o]:8.3f} stance={dict(stance[o])}")
    # purity: share of articles whose stance is the majority stance of their camp
    by_camp: dict[str, Counter[str]] = defaultdict(Counter)
    for o, c in camp_of.items():
        by_camp[c].update(stance[o])
    assigned = {c: n for c, n in by_camp.items() if c.startswith("camp-")}
    hit = sum(n.most_common(1)[0][1] for n in assigned.values())
    tot = sum(sum(n.values()) for n in assigned.values())
    print(f"  camp stance purity (assigned articles): {hit}/{tot} = {hit / max(tot, 1):.3f}")
    gold_lex = [normalise_phrase(s["txt"]) for _v, _a, ann in rows
                for s in ann.get("phrase-level-annotations") or []
                if s.get("bias") == "lex" and s.get("quote") == "no"]
    gold_words = {w for g in gold_lex for w in g.split()}
    terms = loaded_terms(views, camp_of, stop, DraftParams(prior_strength=strength))
    for camp, items in sorted(terms.items()):
        pos_only = os.environ.get("DRAFT_POS")
        ranked = [i["term"] for i in items if not pos_only or i["pos"] in pos_only.split(",")]
        for k in (20, 50):
            top = ranked[:k]
            good = [t for t in top if all(w in gold_words for w in t.split())
                    and any(t in g for g in gold_lex)]
            print(f"  {camp} precision@{k}: {len(good)}/{len(top)} = "
                  f"{len(good) / max(len(top), 1):.3f}  e.g. {good[:8]}")
        print(f"  {camp} top terms: {ranked[:20]}")
    wrong = total = 0
    for v, _a, ann in rows:
        for s in ann.get("phrase-level-annotations") or []:
            if s.get("quote") != "yes":
                continue
            pos = v.text.find(s["txt"].strip("“”\" "))
            if pos < 0:
                continue
            total += 1
            wrong += not any(a <= pos < b for a, b in v.quoted)
    print(f"  quoted gold spans counted as the outlet's own words: {wrong}/{total} = "
          f"{wrong / max(total, 1):.3f}")


if __name__ == "__main__":
    main()
