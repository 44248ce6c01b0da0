"""Measure the story machinery on ECB+ (cross-document event coreference).

ECB+ has 43 topics, each with two sub-topics: two real-world events of the same
kind (two earthquakes, two hirings...).  That is exactly the story problem:
reports of one event must group together, reports of a similar event must not.

Two tasks; gold labels are never features:

(a) **documents** clustered by sub-topic with the stories layer's document
    grouping (:func:`rashomon.compare.grouping.group_documents`, merge threshold
    tuned here), scored with B-cubed and ARI;
(b) **event mentions** clustered across documents, scored with B-cubed and
    CoNLL F1 (mean of MUC, B-cubed and CEAF-e), with the generic parts of
    :mod:`rashomon.compare.stories` (TF-IDF, blocking, average-linkage merging).  Realistic setting: mentions are
    compared only inside *predicted* document clusters from (a).  The "within
    gold topic" setting blocks by the gold topic instead and is reported
    separately, as is a same-head-lemma baseline for both settings.

Honesty: thresholds are tuned on topics 1-20 and reported on topics 21-45.
Singletons count.  The assignment behind CEAF-e is scipy's Hungarian algorithm
and ARI is scikit-learn's; B-cubed and MUC are written here, as neither
library has them (coreference scorers such as the CoNLL reference scorer are
not packaged as maintained libraries).
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse
from scipy.optimize import linear_sum_assignment
from scipy.sparse.csgraph import connected_components
from sklearn.metrics import adjusted_rand_score

from rashomon.compare.grouping import ArticleText, GroupParams, group_documents
from rashomon.compare.stories import TfIdf, candidate_pairs, merge_average_linkage, tokens

Clustering = dict[Hashable, Hashable]  # item -> cluster label
TUNE_MAX_TOPIC = 20

# --------------------------------------------------------------------------- metrics


def _groups(labels: Clustering) -> dict[Hashable, set[Hashable]]:
    out: dict[Hashable, set[Hashable]] = defaultdict(set)
    for item, c in labels.items():
        out[c].add(item)
    return out


def _prf(p: float, r: float) -> dict[str, float]:
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": p, "r": r, "f1": f}


def b_cubed(gold: Clustering, pred: Clustering) -> dict[str, float]:
    """B-cubed precision/recall/F1 over the items both clusterings share."""
    items = [i for i in gold if i in pred]
    if not items:
        return _prf(0.0, 0.0)
    g, p = _groups(gold), _groups(pred)
    prec = rec = 0.0
    for i in items:
        overlap = len(g[gold[i]] & p[pred[i]])
        prec += overlap / len(p[pred[i]])
        rec += overlap / len(g[gold[i]])
    return _prf(prec / len(items), rec / len(items))


def muc(gold: Clustering, pred: Clustering) -> dict[str, float]:
    """MUC link-based score (Vilain et al. 1995): singletons contribute nothing."""

    def side(key: Clustering, resp: Clustering) -> float:
        num = den = 0
        for members in _groups(key).values():
            parts = {resp.get(m, ("missing", m)) for m in members}
            num += len(members) - len(parts)
            den += len(members) - 1
        return num / den if den else 0.0

    return _prf(side(pred, gold), side(gold, pred))


def max_assignment(weights: Sequence[Sequence[float]]) -> float:
    """Value of the maximum-weight one-to-one assignment of a rectangular matrix.

    The Hungarian algorithm as scipy's ``linear_sum_assignment`` implements it.
    """
    matrix = np.asarray(weights, dtype=np.float64)
    if matrix.size == 0:
        return 0.0
    rows, cols = linear_sum_assignment(matrix, maximize=True)
    return float(matrix[rows, cols].sum())


def ceaf_e(gold: Clustering, pred: Clustering) -> dict[str, float]:
    """Entity-based CEAF (Luo 2005) with phi4 = 2|K∩R| / (|K|+|R|).

    The optimal one-to-one alignment is found per connected component of the
    gold/predicted overlap graph (scipy's ``connected_components``), so the
    assignment problems stay small.
    """
    g, p = _groups(gold), _groups(pred)
    g_keys, p_keys = list(g), list(p)
    g_index = {c: k for k, c in enumerate(g_keys)}
    p_index = {c: len(g_keys) + k for k, c in enumerate(p_keys)}
    links = sorted({(g_index[gold[i]], p_index[pred[i]]) for i in gold if i in pred})
    total = 0.0
    if links:
        size = len(g_keys) + len(p_keys)
        rows, cols = zip(*links, strict=True)
        graph = sparse.coo_matrix((np.ones(len(links)), (rows, cols)), shape=(size, size))
        _, component = connected_components(graph, directed=False)
        members: dict[int, tuple[list[Hashable], list[Hashable]]] = {}
        for node in sorted(set(rows) | set(cols)):
            gs, ps = members.setdefault(int(component[node]), ([], []))
            if node < len(g_keys):
                gs.append(g_keys[node])
            else:
                ps.append(p_keys[node - len(g_keys)])
        for gs, ps in members.values():
            total += max_assignment([[2 * len(g[a] & p[b]) / (len(g[a]) + len(p[b]))
                                      for b in ps] for a in gs])
    return _prf(total / len(p) if p else 0.0, total / len(g) if g else 0.0)


def conll_f1(gold: Clustering, pred: Clustering) -> dict[str, Any]:
    """CoNLL F1: the mean of MUC, B-cubed and CEAF-e F1, with the parts."""
    parts = {"muc": muc(gold, pred), "b3": b_cubed(gold, pred), "ceaf_e": ceaf_e(gold, pred)}
    return {**parts, "conll_f1": sum(x["f1"] for x in parts.values()) / 3}


def _codes(labels: list[Hashable]) -> list[int]:
    """Cluster labels as small integers (labels may be tuples, which numpy would split)."""
    seen: dict[Hashable, int] = {}
    return [seen.setdefault(x, len(seen)) for x in labels]


def adjusted_rand_index(gold: Clustering, pred: Clustering) -> float:
    """ARI (Hubert and Arabie 1985) over the shared items, by scikit-learn."""
    items = [i for i in gold if i in pred]
    if len(items) < 2:
        return 1.0
    return float(adjusted_rand_score(_codes([gold[i] for i in items]),
                                     _codes([pred[i] for i in items])))


# --------------------------------------------------------------------------- data


def _topic(doc_id: str) -> int:
    return int(doc_id.split("_", 1)[0])


def _subtopic(doc_id: str) -> str:
    return f"{_topic(doc_id)}{'ecbplus' if doc_id.endswith('ecbplus') else 'ecb'}"


_MONTHS = {m: i + 1 for i, m in enumerate(
    "january february march april may june july august september october november december".split())}


def _pub_date(value: str | None) -> date | None:
    """Best-effort date from ECB+'s free-text date_publish ("December 15th, 2008, 7 : 35 am")."""
    if not value:
        return None
    low = value.lower()
    y = re.search(r"\b(19|20)\d\d\b", low)
    m = next((n for name, n in _MONTHS.items() if name in low or name[:3] + " " in low), None)
    d = re.search(r"\b(\d{1,2})(?:st|nd|rd|th)?\b", low)
    if not y or not m:
        return None
    try:
        return date(int(y.group(0)), m, int(d.group(1)) if d and int(d.group(1)) <= 31 else 1)
    except ValueError:
        return date(int(y.group(0)), m, 1)


def load_ecbplus(data_dir: str | Path) -> tuple[dict[str, dict[str, Any]], list[dict[str, Any]]]:
    """Documents (id -> title, text, date, topic, subtopic) and event mentions."""
    root = Path(data_dir)
    if (root / "ecbplus").is_dir():
        root = root / "ecbplus"
    docs = {}
    for f in sorted((root / "docs").glob("*.json")):
        d = json.loads(f.read_text(encoding="utf-8"))
        docs[f.stem] = {"title": d.get("title") or "", "text": d.get("text") or "",
                        "date": _pub_date(d.get("date_publish")), "topic": _topic(f.stem),
                        "subtopic": _subtopic(f.stem)}
    mentions = []
    for f in sorted((root / "event_mentions").glob("*.json")):
        mentions.extend(json.loads(f.read_text(encoding="utf-8")))
    return docs, mentions


# --------------------------------------------------------------------------- documents


def cluster_documents(docs: dict[str, dict[str, Any]], threshold: float,
                      date_scale: float | None = None) -> dict[str, int]:
    """Group documents by the happening they report, with the product's own grouping.

    This is :func:`rashomon.compare.grouping.group_documents` (what the
    ``stories`` layer runs), with only its merge ``threshold`` and its date decay
    (``date_scale``, None = the default) tuned here; title, text and the parsed
    publication date are all it reads.
    """
    ids = sorted(docs)
    articles = [ArticleText(i, docs[i]["title"], docs[i]["text"], docs[i]["date"]) for i in ids]
    params = replace(GroupParams(), threshold=threshold)
    if date_scale is not None:
        params = replace(params, date_scale=date_scale)
    groups = group_documents(articles, params)
    return {doc: k for k, g in enumerate(groups) for doc in g}


# --------------------------------------------------------------------------- mentions


def _mention_window(m: dict[str, Any], width: int = 10) -> tuple[list[str], int]:
    """Context words around the mention (its own words excluded) and its position."""
    ctx, toks = m["mention_context"], m["tokens_text"]
    cands = [i for i in range(len(ctx) - len(toks) + 1) if ctx[i : i + len(toks)] == toks]
    if len(ctx) == 201 and 100 in cands:
        pos = 100
    else:
        ends = [sum(1 for t in ctx[:i] if t in (".", "!", "?")) for i in cands]
        pos = next((c for c, e in zip(cands, ends, strict=True) if e == m["sent_id"]),
                   cands[0] if cands else 0)
    left = ctx[max(0, pos - width) : pos]
    right = ctx[pos + len(toks) : pos + len(toks) + width]
    return left + right, pos


def cluster_mentions(mentions: list[dict[str, Any]], block_of: Callable[[dict[str, Any]], Hashable],
                     threshold: float, max_block: int = 300) -> dict[str, int]:
    """Group event mentions: head lemma, trigger words, context TF-IDF, inside blocks."""
    ms = sorted(mentions, key=lambda m: m["mention_id"])
    ctx = TfIdf([tokens(" ".join(_mention_window(m)[0])) for m in ms])
    lemmas = [str(m.get("mention_head_lemma") or "").lower() for m in ms]
    words = [{w.lower() for w in m["tokens_text"]} for m in ms]
    where = [(m["doc_id"], m["sent_id"]) for m in ms]

    def score(i: int, j: int) -> float:
        if where[i] == where[j]:
            return 0.0  # two mentions in one sentence rarely name the same event
        lex = 1.0 if lemmas[i] == lemmas[j] else 0.6 if words[i] & words[j] else 0.0
        return 0.6 * lex + 0.4 * ctx.cosine(i, j)

    blocks: dict[Hashable, list[int]] = defaultdict(list)
    for i, m in enumerate(ms):
        blocks[block_of(m)].append(i)
    pairs = candidate_pairs(blocks, lambda i: (lemmas[i], i), max_block, 60)
    ctx.prime(pairs)
    edges = [(s, i, j) for i, j in pairs if (s := score(i, j)) >= threshold]
    groups = merge_average_linkage(len(ms), edges, score, threshold * 0.8)
    return {ms[i]["mention_id"]: k for k, g in enumerate(groups) for i in g}


def lemma_baseline(mentions: list[dict[str, Any]],
                   block_of: Callable[[dict[str, Any]], Hashable]) -> dict[str, Hashable]:
    """Same head lemma (within a block) = same event: the standard ECB+ baseline."""
    return {m["mention_id"]: (block_of(m), str(m.get("mention_head_lemma") or "").lower())
            for m in mentions}


# --------------------------------------------------------------------------- run


def _round(d: Any) -> Any:
    if isinstance(d, float):
        return round(d, 4)
    if isinstance(d, dict):
        return {k: _round(v) for k, v in d.items()}
    return d


def _doc_scores(docs: dict[str, dict[str, Any]], pred: dict[str, int]) -> dict[str, Any]:
    gold = {d: docs[d]["subtopic"] for d in pred}
    return {**b_cubed(gold, pred), "ari": adjusted_rand_index(gold, pred), "n_docs": len(pred),
            "n_pred_clusters": len(set(pred.values())), "n_gold_clusters": len(set(gold.values()))}


def _split(docs: dict[str, dict[str, Any]], mentions: list[dict[str, Any]], train: bool,
           limit: int | None) -> tuple[dict[str, dict[str, Any]], list[dict[str, Any]]]:
    topics = sorted({d["topic"] for d in docs.values()
                     if (d["topic"] <= TUNE_MAX_TOPIC) == train})
    if limit:
        topics = topics[:limit]
    keep = set(topics)
    ds = {k: v for k, v in docs.items() if v["topic"] in keep and (v["text"] or v["title"])}
    ms = [m for m in mentions if _topic(m["doc_id"]) in keep]
    return ds, ms


def evaluate_clustering(data_dir: str, limit: int | None = None,
                        progress: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Tune on topics 1-20, report on topics 21-45 (``limit``: first N topics of each).

    RETURNS: {"protocol": ..., "documents": {"tune": ..., "report": ...},
    "mentions": {"tune": ..., "report": {setting: scores}}}.
    """
    say = progress or (lambda _msg: None)
    docs, mentions = load_ecbplus(data_dir)
    tr_docs, tr_ms = _split(docs, mentions, True, limit)
    te_docs, te_ms = _split(docs, mentions, False, limit)

    say(f"tuning document threshold on {len(tr_docs)} documents (topics 1-{TUNE_MAX_TOPIC})")
    default_scale = GroupParams().date_scale
    doc_grid = [(t, d) for d in sorted({0.0, default_scale})
                for t in (0.08, 0.1, 0.12, 0.15, 0.2, 0.25, 0.3)]
    tuned = {g: _doc_scores(tr_docs, cluster_documents(tr_docs, *g)) for g in doc_grid}
    doc_t, doc_scale = max(doc_grid, key=lambda g: (tuned[g]["f1"], -g[0], g[1] == default_scale))
    tr_pred = cluster_documents(tr_docs, doc_t, doc_scale)

    def by_pred(pred: dict[str, int]) -> Callable[[dict[str, Any]], Hashable]:
        return lambda m: ("doc", pred.get(m["doc_id"], m["doc_id"]))

    def by_topic(m: dict[str, Any]) -> Hashable:
        return _topic(m["doc_id"])

    def gold_of(ms: list[dict[str, Any]]) -> Clustering:
        return {m["mention_id"]: m["coref_chain"] for m in ms}

    say(f"tuning mention threshold on {len(tr_ms)} mentions")
    men_grid = [0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6, 0.7]
    men_scores = {t: conll_f1(gold_of(tr_ms), cluster_mentions(tr_ms, by_pred(tr_pred), t))
                  for t in men_grid}
    men_t = max(men_grid, key=lambda t: (men_scores[t]["conll_f1"], -t))

    say(f"reporting on {len(te_docs)} documents and {len(te_ms)} mentions (topics > 20)")
    te_pred = cluster_documents(te_docs, doc_t, doc_scale)
    te_default = cluster_documents(te_docs, doc_t)
    gold = gold_of(te_ms)
    report = {
        "all_documents": conll_f1(gold, cluster_mentions(te_ms, by_pred(te_pred), men_t)),
        "within_gold_topic": conll_f1(gold, cluster_mentions(te_ms, by_topic, men_t)),
        "lemma_baseline_all_documents": conll_f1(gold, lemma_baseline(te_ms, lambda m: 0)),
        "lemma_baseline_predicted_doc_clusters": conll_f1(
            gold, lemma_baseline(te_ms, by_pred(te_pred))),
        "lemma_baseline_within_gold_topic": conll_f1(gold, lemma_baseline(te_ms, by_topic)),
    }
    return _round({
        "protocol": {"tune_topics": f"1-{TUNE_MAX_TOPIC}", "report_topics": f">{TUNE_MAX_TOPIC}",
                     "limit_topics_per_split": limit, "singletons_included": True,
                     "doc_threshold": doc_t, "doc_date_scale": doc_scale,
                     "mention_threshold": men_t,
                     "n_report_mentions": len(te_ms), "n_report_chains": len(set(gold.values()))},
        "documents": {"tune": tuned[(doc_t, doc_scale)],
                      "report": _doc_scores(te_docs, te_pred),
                      "report_default_date_scale": _doc_scores(te_docs, te_default)},
        "mentions": {"tune": men_scores[men_t], "report": report},
    })
