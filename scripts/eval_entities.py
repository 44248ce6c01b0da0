"""Measure place resolution and person merging of the entities layer on shared gold.

Two measures (docs/evaluation.md, "Places and persons"):

* ``places``: every place mention the layer resolves to a country (gazetteer
  origin) in the seeds, BASIL dev and an ECB+ sample, scored against a gold list
  of (place string -> true ISO3 country) built by hand from public gazetteer
  facts (``tests/data/place_gold.tsv``).  ``--dump`` writes the resolved strings
  that the gold does not cover yet, so the list can be extended honestly.
  Documents are split in two by a hash of their id: ``--part tune`` or
  ``--part report``.
* ``persons``: BASIL annotations name the person each bias span is about
  (``target``, e.g. ``Barack_Obama``).  For each story triplet and target, the
  mentions whose surface is a form of the target's name (full name, surname, a
  title plus surname) are collected over the three articles, and we count how
  often they all carry one entity id.  Triplets are split by a hash of their
  uuid into a tuning half and a reporting half.

Run: ``PYTHONPATH=src python scripts/eval_entities.py places|persons [--part tune|report]``.
Parses are cached as spaCy DocBins in ``$TMPDIR/rashomon-eval-entities``.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import re
import sys
import tempfile
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
GOLD = ROOT / "tests" / "data" / "place_gold.tsv"
ECB_SAMPLE = 250


def half(key: str) -> str:
    """Stable split: 'tune' or 'report' by the first byte of the key's sha1."""
    return "tune" if hashlib.sha1(key.encode()).digest()[0] % 2 == 0 else "report"


def corpus() -> list[dict[str, Any]]:
    """Seeds, BASIL dev and an ECB+ sample as {id, text, corpus, group}."""
    rows: list[dict[str, Any]] = []
    for p in sorted((SHARED / "seeds").glob("*.txt")):
        rows.append({"id": "seed-" + p.stem, "text": p.read_text(encoding="utf-8"),
                     "corpus": "seeds", "group": p.stem})
    for p in sorted((SHARED / "eval" / "basil" / "articles").glob("*/*.json")):
        a = json.loads(p.read_text(encoding="utf-8"))
        body = "\n\n".join(" ".join(x) if isinstance(x, list) else str(x)
                             for x in a.get("body-paragraphs", []))
        rows.append({"id": "basil-" + p.stem, "text": body, "corpus": "basil",
                     "group": a.get("triplet-uuid") or p.stem.rsplit("_", 1)[0],
                     "path": str(p)})
    ecb = sorted((SHARED / "eval" / "ecbplus" / "docs").glob("*.json"),
                 key=lambda p: hashlib.sha1(p.name.encode()).hexdigest())[:ECB_SAMPLE]
    for p in sorted(ecb):
        a = json.loads(p.read_text(encoding="utf-8"))
        if isinstance(a.get("text"), str) and a["text"].strip():
            rows.append({"id": "ecb-" + p.stem, "text": a["text"], "corpus": "ecbplus",
                         "group": p.stem})
    return rows


def parsed(rows: list[dict[str, Any]]) -> list[Any]:
    """spaCy Docs of the rows, cached by content hash."""
    from spacy.tokens import DocBin

    from rashomon.analyze.nlp import load_nlp, pick_model

    nlp = load_nlp()
    digest = hashlib.sha1(("\x00".join(r["text"] for r in rows) + pick_model(None)).encode())
    cache = Path(tempfile.gettempdir()) / "rashomon-eval-entities" / f"{digest.hexdigest()}.spacy"
    if cache.exists():
        return list(DocBin().from_disk(cache).get_docs(nlp.vocab))
    docs = list(nlp.pipe((r["text"] for r in rows), batch_size=32))
    cache.parent.mkdir(parents=True, exist_ok=True)
    DocBin(store_user_data=False, docs=docs).to_disk(cache)
    return docs


def mentions(rows: list[dict[str, Any]], profile_name: str = "generic") -> list[list[Any]]:
    """The entities layer's mentions for each row (generic profile: no conflict knowledge)."""
    from rashomon.analyze.entities import entities_layer
    from rashomon.layers import DocContext
    from rashomon.model import Document
    from rashomon.profiles import load_profile

    profile = load_profile(profile_name)
    out = []
    for r, sdoc in zip(rows, parsed(rows), strict=True):
        doc = Document(id=r["id"], source=r["id"], text=r["text"])
        out.append(entities_layer(DocContext(doc=doc, sdoc=sdoc, profile=profile))["mentions"])
    return out


def fold(s: str) -> str:
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode().lower()
    return re.sub(r"\s+", " ", s).strip()


def read_gold() -> dict[tuple[str, str], str]:
    """(corpus or '*', folded place) -> gold ISO3 ('-' = no place; 'A|B' = either)."""
    if not GOLD.exists():
        return {}
    with GOLD.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader((line for line in fh if not line.startswith("#")),
                                   delimiter="\t"))
    out = {(r["corpus"], fold(r["place"])): r["iso3"] for r in rows}
    out.update({(r["corpus"], "=" + r["place"]): r["iso3"] for r in rows})  # exact case first
    return out


def gold_for(gold: dict[tuple[str, str], str], corpus_name: str, surface: str) -> str | None:
    for key in ("=" + surface, fold(surface)):
        for c in (corpus_name, "*"):
            if (c, key) in gold:
                return gold[(c, key)]
    return None


def places(part: str, dump: Path | None) -> dict[str, Any]:
    rows = corpus()
    gold = read_gold()
    resolved: list[tuple[str, str, str, str]] = []  # corpus, surface, iso3, entity id
    unresolved = Counter()
    for r, ms in zip(rows, mentions(rows), strict=True):
        if part != "all" and half(r["id"]) != part:
            continue
        for m in ms:
            a = m.attrs or {}
            if m.kind not in ("place", "state") or a.get("origin") not in ("gazetteer", "ner"):
                continue
            if a.get("origin") == "gazetteer" and a.get("country"):
                resolved.append((r["corpus"], m.surface, a["country"], m.entity_id))
            elif a.get("origin") == "ner":
                unresolved[m.surface] += 1
    scored = [(c, s, iso, g) for c, s, iso, _ in resolved if (g := gold_for(gold, c, s))]
    missing = Counter((s, iso) for c, s, iso, _ in resolved if gold_for(gold, c, s) is None)
    correct = sum(1 for _, _, iso, g in scored if iso in g.split("|"))
    wrong = [(s, iso, g) for _, s, iso, g in scored if iso not in g.split("|")]
    # a wrong country: the string is a place, in another country than the one chosen
    wrong_country = [w for w in wrong if w[2] != "-"]
    by_corpus: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for c, _, iso, g in scored:
        by_corpus[c][0] += iso in g.split("|")
        by_corpus[c][1] += 1
    if dump:
        with dump.open("w", encoding="utf-8") as fh:
            for (s, iso), n in missing.most_common():
                fh.write(f"{s}\t{iso}\t{n}\n")
    return {
        "part": part, "resolved": len(resolved), "in_gold": len(scored),
        "precision": round(correct / len(scored), 4) if scored else None,
        "wrong_country_rate": round(len(wrong_country) / len(scored), 4) if scored else None,
        "not_a_place_rate": round((len(wrong) - len(wrong_country)) / len(scored), 4)
        if scored else None,
        "by_corpus": {c: {"correct": a, "scored": b} for c, (a, b) in sorted(by_corpus.items())},
        "wrong": Counter(wrong).most_common(30),
        "not_in_gold": len(missing), "unresolved_kept": sum(unresolved.values()),
    }


_TITLES = re.compile(r"^(?:(?:president|sen|senator|rep|gov|governor|mr|mrs|ms|dr|gen|"
                     r"speaker|secretary|vice president|former|rev|justice|judge)\.?\s+)+", re.I)


_GROUP_WORDS = {"senate", "house", "republicans", "democrats", "gop", "congress", "court",
                "administration", "officials", "campaign", "police", "party", "committee"}


def is_person_target(target: str) -> bool:
    """A target that names one person: 2-3 capitalised words, none institutional."""
    words = target.split("_")
    return (2 <= len(words) <= 3 and all(w[:1].isupper() for w in words)
            and not {w.lower() for w in words} & _GROUP_WORDS)


def target_forms(target: str) -> tuple[str, str]:
    """(full name, surname) of a BASIL target such as ``Barack_Obama``, folded."""
    words = fold(target.replace("_", " ")).split()
    return " ".join(words), words[-1]


def is_target_mention(surface: str, full: str, surname: str) -> bool:
    """The surface names the target: its full name, its surname alone or after a title."""
    s = _TITLES.sub("", fold(surface)).strip(" .'")
    s = re.sub(r"'s$", "", s)
    return s == full or s == surname or (s.endswith(" " + surname) and
                                         s.split()[0] == full.split()[0])


def persons(part: str) -> dict[str, Any]:
    rows = [r for r in corpus() if r["corpus"] == "basil"]
    all_ms = mentions(rows)
    targets: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        ann = Path(r["path"].replace("/articles/", "/annotations/")[:-5] + "_ann.json")
        if not ann.exists():
            continue
        data = json.loads(ann.read_text(encoding="utf-8"))
        for p in data.get("phrase-level-annotations") or []:
            t = (p.get("target") or "").strip()
            if is_person_target(t):
                targets[r["group"]].add(t)
    groups: dict[tuple[str, str], list[tuple[str, str, str]]] = defaultdict(list)
    for r, ms in zip(rows, all_ms, strict=True):
        if part != "all" and half(r["group"]) != part:
            continue
        for t in targets.get(r["group"], ()):
            full, surname = target_forms(t)
            for m in ms:
                if is_target_mention(m.surface, full, surname):
                    groups[(r["group"], t)].append((m.entity_id, m.kind, m.surface))
    one = 0
    share_num = share_den = 0
    split = []
    for key, ms in sorted(groups.items()):
        ids = Counter(e for e, _, _ in ms)
        share_num += ids.most_common(1)[0][1]
        share_den += len(ms)
        if len(ids) == 1:
            one += 1
        else:
            split.append((key[1], dict(ids.most_common(4))))
    return {"part": part, "target_groups": len(groups),
            "one_entity": one, "one_entity_rate": round(one / len(groups), 4) if groups else None,
            "mention_share_in_main_entity": round(share_num / share_den, 4) if share_den else None,
            "mentions": share_den, "split_examples": split[:25]}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("measure", choices=["places", "persons"])
    ap.add_argument("--part", choices=["tune", "report", "all"], default="report")
    ap.add_argument("--dump", type=Path, help="places: write resolved strings not in the gold")
    args = ap.parse_args()
    os.environ.setdefault("RASHOMON_QUIET", "1")
    res = places(args.part, args.dump) if args.measure == "places" else persons(args.part)
    json.dump(res, sys.stdout, indent=1, ensure_ascii=False, default=str)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
