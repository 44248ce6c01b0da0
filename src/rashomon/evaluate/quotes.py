"""Score the quotes layer against PolNeAR attribution gold (brat standoff).

PolNeAR (political news, 2016) marks every attribution with Source, Cue and
Content spans, including indirect reports and belief verbs.  Each text is run
through the quotes layer as-is (no cleaning), parsed with ``nlp.pipe``, with no
entity mentions, and compared with the gold file of the first annotator listed
for that text (a few dev texts were annotated by several people; using one
keeps each text counted once).

Reported (all micro-averaged over attributions):

* content P/R/F1 *exact*: spans equal after stripping surrounding whitespace,
  quote marks and final punctuation from both sides;
  **multi-span contents**: PolNeAR writes a quote split around its cue
  ("“A,” he said. “B”") as one attribution whose Content is discontinuous
  (``A;B``).  A prediction matches such a gold content exactly when its
  hulls agree, or when its pieces (``Quote.attrs["pieces"]``, else its one
  span) cover the same characters as the gold pieces, ignoring whitespace,
  quote marks and punctuation at the piece edges and between pieces.  A
  split quote emitted as one Quote with pieces is thus neither punished for
  the cue inside its hull nor rewarded for text it does not claim;
* content P/R/F1 *overlap*: any overlap, pairs matched one-to-one greedily by
  the size of the overlap;
* source exact/overlap: for overlap-matched content pairs, the predicted
  speaker span against the gold Source span (accuracy over matched pairs
  with a gold source, and F1 counting predicted sources as predictions);
* cue P/R/F1: predicted cue spans against gold Cue spans (overlap, one-to-one).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rashomon.model import Document

DEFAULT_DIR = Path(__file__).resolve().parents[4] / "shared" / "eval" / "polnear" / "dev"
_STRIP = " \t\r\n\"'“”‘’«».,;:!?"

Spans = list[tuple[int, int]]


@dataclass
class Attribution:
    """One gold attribution; each part is a list of (start, end) pieces."""

    content: Spans = field(default_factory=list)
    source: Spans = field(default_factory=list)
    cue: Spans = field(default_factory=list)


def parse_brat(ann_text: str) -> list[Attribution]:
    """Attributions from a brat ``.ann`` file (T lines tied together by E lines).

    Discontinuous spans (``start end;start end``) keep all their pieces.
    """
    spans: dict[str, tuple[str, Spans]] = {}
    events: list[dict[str, str]] = []
    for line in ann_text.splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2:
            label, _, offsets = parts[1].partition(" ")
            pieces = []
            for chunk in offsets.split(";"):
                a, b = chunk.split()
                pieces.append((int(a), int(b)))
            spans[parts[0]] = (label, pieces)
        elif line.startswith("E") and len(parts) >= 2:
            roles = {}
            for arg in parts[1].split():
                role, _, ref = arg.partition(":")
                roles[re.sub(r"\d+$", "", role)] = ref
            events.append(roles)
    out = []
    for ev in events:
        att = Attribution()
        for role, attr in (("Content", "content"), ("Source", "source"), ("Cue", "cue")):
            ref = ev.get(role)
            if ref in spans:
                setattr(att, attr, spans[ref][1])
        if att.content:
            out.append(att)
    return out


def _norm(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s] in _STRIP:
        s += 1
    while e > s and text[e - 1] in _STRIP:
        e -= 1
    return s, e


def _hull(pieces: Spans) -> tuple[int, int]:
    return min(a for a, _ in pieces), max(b for _, b in pieces)


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _greedy(pred: list[tuple[int, int]], gold: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """One-to-one pairs (pred index, gold index), largest overlaps first."""
    cands = sorted(((_overlap(p, g), i, j) for i, p in enumerate(pred)
                    for j, g in enumerate(gold) if _overlap(p, g) > 0), reverse=True)
    used_p: set[int] = set()
    used_g: set[int] = set()
    pairs = []
    for _, i, j in cands:
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            pairs.append((i, j))
    return pairs


def _prf(tp: float, n_pred: int, n_gold: int) -> dict[str, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def load_pairs(data_dir: str | Path, limit: int | None = None) -> list[tuple[str, str, str]]:
    """(name, text, ann text) for each text with an annotation file."""
    root = Path(data_dir)
    anns: dict[str, Path] = {}
    for ann in sorted((root / "attributions").glob("*.ann")):
        stem = ann.stem.rsplit("_", 1)[0]
        anns.setdefault(stem, ann)
    out = []
    for txt in sorted((root / "text").glob("*.txt")):
        ann = anns.get(txt.stem) or (root / "attributions" / f"{txt.stem}.ann")
        if not ann.exists():
            continue
        out.append((txt.stem, txt.read_text(encoding="utf-8"), ann.read_text(encoding="utf-8")))
        if limit and len(out) >= limit:
            break
    return out


def evaluate_quotes(data_dir: str | None = None, limit: int | None = None,
                    progress: Callable[[Iterable[Any], int], Iterable[Any]] | None = None
                    ) -> dict[str, Any]:
    """Score :func:`rashomon.analyze.quotes._layer.extract_quotes` on a PolNeAR split.

    :param data_dir: a folder with ``text/`` and ``attributions/`` (default: dev split).
    :param limit: score only the first N texts.
    :param progress: wraps the document stream, given (iterable, total).
    """
    from rashomon.analyze.nlp import load_nlp
    from rashomon.analyze.quotes import extract_quotes

    pairs = load_pairs(data_dir or DEFAULT_DIR, limit)
    nlp = load_nlp()
    c = {"n_gold": 0, "n_pred": 0, "exact": 0, "overlap": 0, "src_exact": 0, "src_overlap": 0,
         "src_gold": 0, "src_pred": 0, "cue_gold": 0, "cue_pred": 0, "cue_tp": 0}
    stream: Iterable[Any] = zip(pairs, nlp.pipe(t for _, t, _ in pairs), strict=True)
    if progress:
        stream = progress(stream, len(pairs))
    for (name, text, ann), sdoc in stream:
        gold = parse_brat(ann)
        doc = Document(id=name, source=name, text=text)
        preds = extract_quotes(doc, sdoc, [])
        _score_doc(text, gold, preds, c)
    n_gold, n_pred = c["n_gold"], c["n_pred"]
    return {
        "data_dir": str(data_dir or DEFAULT_DIR),
        "n_docs": len(pairs), "n_gold": n_gold, "n_pred": n_pred,
        "content_exact": _prf(c["exact"], n_pred, n_gold),
        "content_overlap": _prf(c["overlap"], n_pred, n_gold),
        "source_exact": {**_prf(c["src_exact"], c["src_pred"], c["src_gold"]),
                         "accuracy": round(c["src_exact"] / c["overlap"], 4) if c["overlap"] else 0.0},
        "source_overlap": {**_prf(c["src_overlap"], c["src_pred"], c["src_gold"]),
                           "accuracy": round(c["src_overlap"] / c["overlap"], 4) if c["overlap"] else 0.0},
        "cue": _prf(c["cue_tp"], c["cue_pred"], c["cue_gold"]),
    }


def _coverage(text: str, pieces: Spans) -> frozenset[int]:
    """Offsets of the meaningful characters of a (possibly split) span."""
    out: set[int] = set()
    for a, b in pieces:
        a, b = _norm(text, a, b)
        out.update(i for i in range(a, b) if text[i] not in _STRIP)
    return frozenset(out)


def _pred_pieces(q: Any) -> Spans:
    pieces = (q.attrs or {}).get("pieces")
    if pieces:
        return [(int(a), int(b)) for a, b in pieces]
    return [(q.start, q.end)]


def _exact_matches(text: str, gold: list[Attribution], preds: list[Any]) -> int:
    """One-to-one exact content matches (hull equality, or equal piece coverage)."""
    g_hull = [_norm(text, *_hull(g.content)) for g in gold]
    g_cov = [_coverage(text, g.content) if len(g.content) > 1 else None for g in gold]
    used: set[int] = set()
    n = 0
    for q in preds:
        hull = _norm(text, q.start, q.end)
        pieces = _pred_pieces(q)
        cov = None
        for j in range(len(gold)):
            if j in used:
                continue
            ok = g_hull[j] == hull
            if not ok and (g_cov[j] is not None or len(pieces) > 1):
                cov = cov if cov is not None else _coverage(text, pieces)
                ok = cov == (g_cov[j] if g_cov[j] is not None
                             else _coverage(text, gold[j].content))
            if ok:
                used.add(j)
                n += 1
                break
    return n


def _score_doc(text: str, gold: list[Attribution], preds: list[Any], c: dict[str, int]) -> None:
    g_content = [_norm(text, *_hull(g.content)) for g in gold]
    p_content = [_norm(text, q.start, q.end) for q in preds]
    c["n_gold"] += len(gold)
    c["n_pred"] += len(preds)
    c["exact"] += _exact_matches(text, gold, preds)
    pairs = _greedy(p_content, g_content)
    c["overlap"] += len(pairs)
    for i, j in pairs:
        q, g = preds[i], gold[j]
        has_pred = q.speaker is not None and q.speaker.start is not None
        c["src_pred"] += int(has_pred)
        if not g.source:
            continue
        c["src_gold"] += 1
        if has_pred:
            ps = _norm(text, q.speaker.start, q.speaker.end)
            gs = _norm(text, *_hull(g.source))
            c["src_exact"] += int(ps == gs)
            c["src_overlap"] += int(_overlap(ps, gs) > 0)
    g_cues = [_hull(g.cue) for g in gold if g.cue]
    p_cues = [(cs.start, cs.end) for q in preds if (cs := q.cue_span) is not None]
    c["cue_gold"] += len(g_cues)
    c["cue_pred"] += len(p_cues)
    c["cue_tp"] += len(_greedy(p_cues, g_cues))
