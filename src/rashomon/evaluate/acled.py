"""Evaluate ACLED sub-event typing on CASE 2021 task 2 snippets (TSV: id, EventSnippet, SubType).

Each snippet carries one gold code: one of ACLED's 25 sub-event types (as the
task spells them, e.g. ``AIR_STRIKE``) or one of five classes outside ACLED
(``DIPLO``, ``ATTRIB``, ``ORG_CRIME``, ``NATURAL_DISASTER``,
``MAN_MADE_DISASTER``).  The typer (:mod:`rashomon.analyze.acled`) and a
keyword baseline of 18 regular expressions are scored side by side.

Honesty: the snippets are split deterministically by a hash of their id into a
``tune`` half (read while writing the vocabulary and rules) and a ``heldout``
half (never read); the held-out figures are the ones to quote.

Metrics per half:

* ``macro_f1_acled25``: mean F1 over the ACLED classes (25 on a full half;
  on a ``--limit`` run, those present in the gold); a snippet typed as a
  non-ACLED class or left untyped counts against recall;
* ``macro_f1_all``: mean F1 over every gold class present (30 on a full half);
* ``accuracy`` and ``coverage`` (share of snippets that got any type);
* per-class precision/recall/F1 and support.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

csv.field_size_limit(sys.maxsize)

NON_ACLED = ("DIPLO", "ATTRIB", "ORG_CRIME", "NATURAL_DISASTER", "MAN_MADE_DISASTER")

#: the keyword baseline: first matching regex wins (order = priority)
BASELINE: list[tuple[str, str]] = [
    ("CHEM_WEAP", r"chemical|chlorine|sarin|poison(ous)? gas|toxic gas|mustard gas"),
    ("SUIC_BOMB", r"suicide"),
    ("GRENADE", r"grenade"),
    ("AIR_STRIKE", r"air ?strike|air raid|warplane|jets?\b|drone"),
    ("ART_MISS_ATTACK", r"shell(ing|s|ed)?\b|artillery|mortar|rocket|missile"),
    ("REM_EXPLOS", r"\bied\b|improvised explosive|roadside bomb|landmine|car bomb"),
    ("DISR_WEAP", r"seiz|cache|defus|ammunition|weapons? (were )?found"),
    ("SEX_VIOL", r"rape|sexual|molest"),
    ("ABDUCT_DISSAP", r"kidnap|abduct|hostage"),
    ("ARREST", r"arrest|detain"),
    ("VIOL_DEMONSTR", r"riot|violent protest|stones|molotov"),
    ("PEACE_PROTEST", r"protest|demonstrat|rall(y|ied)|march"),
    ("AGREEMENT", r"agree|ceasefire|cease-fire|truce|peace talks"),
    ("NATURAL_DISASTER", r"earthquake|flood|volcan|erupt|tsunami|cyclone|hurricane|storm"),
    ("MAN_MADE_DISASTER", r"spill|leak|explosion|blaze|fire\b|crash"),
    ("DIPLO", r"sanction|diplomat|ambassador|embassy"),
    ("ATTRIB", r"responsib|claimed|denied|blame"),
    ("ARMED_CLASH", r"clash|attack|fight|battle|kill"),
]
_BASELINE_RX = [(code, re.compile(rx, re.I)) for code, rx in BASELINE]


def split_of(snippet_id: str) -> str:
    """Deterministic half of a snippet: 'tune' or 'heldout' from its id's hash."""
    h = int(hashlib.sha256(f"case21:{snippet_id}".encode()).hexdigest()[:8], 16)
    return "tune" if h % 2 == 0 else "heldout"


def load_rows(data_path: str) -> list[dict[str, str]]:
    """The TSV rows with a snippet and a gold code; malformed rows are reported and skipped."""
    rows = []
    with open(data_path, encoding="utf-8", newline="") as fh:
        for n, row in enumerate(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE), 2):
            if not row.get("EventSnippet") or not row.get("SubType") or not row.get("id"):
                print(f"error: {data_path}:{n}: missing id, snippet or SubType", file=sys.stderr)
                continue
            rows.append({"id": row["id"].strip(), "text": row["EventSnippet"].strip(),
                         "gold": row["SubType"].strip()})
    return rows


def baseline(text: str) -> str | None:
    """The keyword baseline's code for ``text`` (first matching regex), or None."""
    for code, rx in _BASELINE_RX:
        if rx.search(text):
            return code
    return None


def acled_codes() -> list[str]:
    from rashomon.analyze.acled import sub_event_types

    return [s.code for s in sub_event_types()]


def score(golds: list[str], preds: list[str | None]) -> dict[str, Any]:
    """Macro-F1 (ACLED 25 and all classes), accuracy, coverage and per-class P/R/F1."""
    acled = acled_codes()
    classes = sorted(set(golds) | set(acled))
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for g, p in zip(golds, preds, strict=True):
        if p == g:
            tp[g] += 1
        else:
            fn[g] += 1
            if p:
                fp[p] += 1
    per: dict[str, dict[str, float | int]] = {}
    for c in classes:
        if not (tp[c] + fn[c] + fp[c]):
            continue  # neither in the gold nor predicted (a --limit run)
        prec = tp[c] / (tp[c] + fp[c]) if tp[c] + fp[c] else 0.0
        rec = tp[c] / (tp[c] + fn[c]) if tp[c] + fn[c] else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        per[c] = {"p": round(prec, 3), "r": round(rec, 3), "f1": round(f1, 3),
                  "n": tp[c] + fn[c]}
    n = len(golds)
    present = [c for c in classes if c in per and per[c]["n"]]
    acled_present = [c for c in acled if c in per and per[c]["n"]]
    return {
        "n": n,
        "macro_f1_acled25": round(sum(float(per[c]["f1"]) for c in acled_present)
                                  / len(acled_present), 3) if acled_present else 0.0,
        "macro_f1_all": round(sum(float(per[c]["f1"]) for c in present) / len(present), 3)
        if present else 0.0,
        "accuracy": round(sum(tp.values()) / n, 3) if n else 0.0,
        "coverage": round(sum(1 for p in preds if p) / n, 3) if n else 0.0,
        "per_class": per,
    }


def _flat(per: dict[str, dict[str, float | int]]) -> dict[str, str]:
    return {c: f"P {v['p']:.2f}  R {v['r']:.2f}  F1 {v['f1']:.2f}  n {v['n']}"
            for c, v in per.items()}


def evaluate_acled(data_path: str, limit: int | None = None,
                   progress: Callable[[Iterable[Any], int], Iterable[Any]] | None = None
                   ) -> dict[str, Any]:
    """Score the ACLED typer and the keyword baseline; tune and held-out halves.

    :param limit: score only the first ``limit`` snippets (a smoke run).
    :param progress: wraps the snippet stream, given (iterable, total).
    """
    from rashomon.analyze.acled import type_acled
    from rashomon.analyze.nlp import load_nlp

    nlp = load_nlp()
    rows = load_rows(data_path)
    if limit:
        rows = rows[:limit]
    texts: Iterable[str] = (r["text"] for r in rows)
    docs = nlp.pipe(texts, batch_size=32)
    stream: Iterable[Any] = docs
    if progress:
        stream = progress(docs, len(rows))
    preds: list[str | None] = []
    for doc in stream:
        typed = type_acled(doc, nlp)
        preds.append(typed.code if typed else None)
    base = [baseline(r["text"]) for r in rows]
    out: dict[str, Any] = {"data": data_path}
    halves: dict[str, dict[str, Any]] = {}
    for half in ("heldout", "tune"):
        idx = [i for i, r in enumerate(rows) if split_of(r["id"]) == half]
        golds = [rows[i]["gold"] for i in idx]
        halves[half] = {"typer": score(golds, [preds[i] for i in idx]),
                        "baseline": score(golds, [base[i] for i in idx])}
    for half, res in halves.items():
        for who in ("typer", "baseline"):
            s = res[who]
            for k in ("macro_f1_acled25", "macro_f1_all", "accuracy", "coverage", "n"):
                out[f"{half}_{who}_{k}"] = s[k]
    out["heldout_typer_per_class"] = _flat(halves["heldout"]["typer"]["per_class"])
    out["heldout_baseline_per_class"] = _flat(halves["heldout"]["baseline"]["per_class"])
    out["tune_typer_per_class"] = _flat(halves["tune"]["typer"]["per_class"])
    confusion = Counter(f"{rows[i]['gold']}->{preds[i]}" for i in range(len(rows))
                        if split_of(rows[i]["id"]) == "tune" and preds[i] != rows[i]["gold"])
    out["tune_top_confusions"] = [k for k, _ in confusion.most_common(10)]
    out["note"] = ("tune = half read while writing the vocabulary and rules; "
                   "heldout = never read (quote these figures)")
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", required=True, help="CASE 2021 task 2 TSV")
    ap.add_argument("--limit", type=int, default=None)
    args = ap.parse_args(argv)
    print(json.dumps(evaluate_acled(args.data, args.limit), indent=2))


if __name__ == "__main__":
    main()
