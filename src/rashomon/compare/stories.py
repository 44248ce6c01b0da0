"""Stories: group events that tell the same real-world event across sources.

Two outlets on opposite sides rarely describe an incident the same way: one
writes that a village was shelled on 9 November, the other that a provocation
was repelled on the night of the 10th, and each names the other as the
attacker.  So the grouping is deliberately *side-blind* and *role-blind*:

* participants are compared as an unordered set (who-did-what-to-whom is the
  disputed part, so it must not decide whether two reports are one story);
* dates match within a small tolerance for day precision, while month/year
  dates only join events whose windows contain them, and a date that is only
  the publication date is weak evidence;
* event types match exactly, by CAMEO root, or within a compatible PLOVER
  family (an "assault" in one report is often "coercion" in another);
* the evidence sentences are compared by TF-IDF cosine (scikit-learn's
  vectorizer, sparse row products).

To stay well below quadratic cost, events are *blocked* by (time bucket,
entity) keys and compared only within a block; oversized blocks fall back to a
sorted neighbourhood.  Candidate links are merged strongest first under an
average-linkage check, which stops one ambiguous event chaining two stories.

The generic parts (:class:`TfIdf`, :func:`candidate_pairs`,
:func:`merge_average_linkage`) are shared with the ECB+ evaluation.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np
from scipy import sparse
from scipy.cluster.hierarchy import DisjointSet
from sklearn.feature_extraction.text import TfidfVectorizer

from rashomon.compare.grouping import ArticleText, GroupParams, group_articles
from rashomon.compare.grouping import names as grouping_names
from rashomon.compare.neutral import text_shape
from rashomon.model import Story, stable_id

# --------------------------------------------------------------------------- params


@dataclass
class StoryParams:
    """Thresholds of the story grouping; every number is documented here.

    day_tolerance: day-precision dates this many days apart may still be one event
        (reports differ on night-time events and on time zones).
    doc_lookback_days: an event dated only by its document is assumed to have
        happened in [published - lookback, published].
    link_threshold: minimum pair score (0..1) for a candidate link.
    linkage_threshold: minimum *average* pair score between two groups before
        they merge (average linkage; lower than link_threshold on purpose).
    min_content: a pair must share at least this much actor/place/text evidence;
        time and type alone never make two reports one story.
    max_block: blocks larger than this are not compared all-pairs but by a
        sorted neighbourhood of ``window`` events (keeps cost near linear).
    max_linkage_pairs: cap on pairs inspected for one average-linkage check.
    weights: relative weight of each feature in the pair score.
    """

    day_tolerance: int = 1
    doc_lookback_days: int = 3
    link_threshold: float = 0.5
    linkage_threshold: float = 0.4
    min_content: float = 0.25
    max_block: int = 40
    window: int = 10
    max_linkage_pairs: int = 16
    weights: dict[str, float] = field(default_factory=lambda: {
        "time": 0.2, "actors": 0.3, "place": 0.15, "type": 0.15, "text": 0.2,
    })


# PLOVER event types grouped in families whose members news reports often swap
# for one another (public PLOVER categories; no conflict knowledge).
PLOVER_FAMILIES: dict[str, str] = {
    "ASSAULT": "force", "COERCE": "force", "MOBILIZE": "force",
    "THREATEN": "hostile_talk", "ACCUSE": "hostile_talk", "REJECT": "hostile_talk",
    "PROTEST": "hostile_talk", "SANCTION": "hostile_talk",
    "AGREE": "talk", "CONSULT": "talk", "SUPPORT": "talk", "REQUEST": "talk",
    "CONCEDE": "give", "RETREAT": "give", "AID": "give", "COOPERATE": "give",
}
# Pairs across families that still commonly describe one incident.
_CLOSE_FAMILIES = {frozenset({"force", "hostile_talk"})}

_DAY = "day"
_COARSE = ("month", "year", "range", "document")

# --------------------------------------------------------------------------- text


_WORD = re.compile(r"[^\W\d_]{3,}", re.UNICODE)
_STOP = frozenset(
    "the and for that with from this have has had was were are been will would said says "
    "its their they them his her which who whom also into after before over than but not "
    "about more most other some such only then there these those when where while what".split()
)


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens minus a few function words: enough for TF-IDF."""
    return [w for w in map(str.lower, _WORD.findall(text or "")) if w not in _STOP]


def _as_is(doc: Sequence[str]) -> Sequence[str]:
    """The analyzer for already tokenised documents (see :func:`tokens`)."""
    return doc


class TfIdf:
    """L2-normalised TF-IDF rows of one collection, by scikit-learn's ``TfidfVectorizer``.

    Weights are ``(1 + ln tf) * (ln((1 + n) / (1 + df)) + 1)`` (sublinear tf, smoothed
    idf), so two rows' dot product is their cosine.  Cosines are sparse row products;
    :meth:`prime` computes those of many pairs in one vectorised step and keeps them,
    so the pair scores that call :meth:`cosine` one pair at a time stay cheap.
    """

    def __init__(self, docs: Sequence[Sequence[str]]) -> None:
        vectorizer = TfidfVectorizer(analyzer=_as_is, sublinear_tf=True, smooth_idf=True,
                                     norm="l2", dtype=np.float64)
        try:
            self.matrix = vectorizer.fit_transform(docs).tocsr()
            self.terms = vectorizer.get_feature_names_out()
        except ValueError:  # no document has a single word: no vocabulary
            self.matrix = sparse.csr_matrix((len(docs), 0), dtype=np.float64)
            self.terms = np.array([], dtype=object)
        self.matrix.sort_indices()
        self._cosines: dict[tuple[int, int], float] = {}
        self._rows: dict[int, dict[int, float]] = {}

    def prime(self, pairs: Iterable[tuple[int, int]], chunk: int = 250_000) -> None:
        """Compute and keep the cosines of ``pairs`` (row indices) by sparse products,
        ``chunk`` pairs at a time so memory stays bounded on large corpora."""
        known = self._cosines
        todo = [key for i, j in pairs if (key := (i, j) if i < j else (j, i)) not in known]
        for start in range(0, len(todo), chunk):
            part = todo[start : start + chunk]
            rows = np.array(part, dtype=np.intp)
            products = self.matrix[rows[:, 0]].multiply(self.matrix[rows[:, 1]]).tocsr()
            products.sort_indices()
            values = np.zeros(len(part))
            filled = np.flatnonzero(np.diff(products.indptr))
            if filled.size:
                values[filled] = np.add.reduceat(products.data, products.indptr[filled])
            known.update(zip(part, values.tolist(), strict=True))

    def cosine(self, i: int, j: int) -> float:
        """Cosine of rows ``i`` and ``j`` (0.0 when either has no words).

        A pair not primed is computed from the two rows alone; both ways sum the
        products in column order with ``np.add.reduceat``, so they give the same bits.
        """
        key = (i, j) if i < j else (j, i)
        value = self._cosines.get(key)
        if value is None:
            a, b = self._row(i), self._row(j)
            common = sorted(a.keys() & b.keys())
            value = (float(np.add.reduceat(np.array([a[c] * b[c] for c in common]), [0])[0])
                     if common else 0.0)
            self._cosines[key] = value
        return value

    def _row(self, i: int) -> dict[int, float]:
        row = self._rows.get(i)
        if row is None:
            lo, hi = self.matrix.indptr[i], self.matrix.indptr[i + 1]
            row = self._rows[i] = dict(zip(self.matrix.indices[lo:hi].tolist(),
                                           self.matrix.data[lo:hi].tolist(), strict=True))
        return row

    def top_terms(self, i: int, k: int) -> list[str]:
        """The ``k`` heaviest terms of row ``i``, ties by the term itself."""
        lo, hi = self.matrix.indptr[i], self.matrix.indptr[i + 1]
        ranked = sorted(zip((-self.matrix.data[lo:hi]).tolist(),
                            self.terms[self.matrix.indices[lo:hi]].tolist(), strict=True))
        return [t for _, t in ranked[:k]]


# --------------------------------------------------------------------------- generic clustering


def candidate_pairs(blocks: dict[Hashable, list[int]], order: Callable[[int], Any],
                    max_block: int, window: int,
                    allow: Callable[[int, int], bool] | None = None) -> set[tuple[int, int]]:
    """Pairs to score: all pairs in small blocks, a sorted neighbourhood in big ones.

    :param order: sort key of an item inside a block (e.g. its date), so the
        neighbourhood of a big block holds the items closest to it.
    :param allow: optional cheap filter (e.g. "at least one coarse date").
    """
    pairs: set[tuple[int, int]] = set()
    for members in blocks.values():
        if len(members) < 2:
            continue
        ms = sorted(set(members), key=order)
        span = len(ms) if len(ms) <= max_block else window + 1
        for x, i in enumerate(ms):
            for j in ms[x + 1 : x + span]:
                a, b = (i, j) if i < j else (j, i)
                if allow is None or allow(a, b):
                    pairs.add((a, b))
    return pairs


def merge_average_linkage(n: int, edges: Iterable[tuple[float, int, int]],
                          score: Callable[[int, int], float], threshold: float,
                          max_pairs: int = 64) -> list[list[int]]:
    """Merge items along edges, strongest first, if the groups' average score holds.

    ``edges`` are (score, i, j) already above the link threshold.  Before two
    groups merge, the mean of ``score`` over (at most ``max_pairs``) cross pairs
    must reach ``threshold``; this is average linkage restricted to candidate
    edges, which avoids the chaining of plain single-link union-find.  The groups
    are kept in scipy's disjoint-set structure.
    """
    groups = DisjointSet(range(n))
    cache: dict[tuple[int, int], float] = {}

    def cached(i: int, j: int) -> float:
        key = (i, j) if i < j else (j, i)
        if key not in cache:
            cache[key] = score(*key)
        return cache[key]

    side = max(1, int(math.sqrt(max_pairs)))
    for s, i, j in sorted(edges, key=lambda e: (-e[0], e[1], e[2])):
        if groups.connected(i, j):
            continue
        a, b = groups.subset(i), groups.subset(j)
        if len(a) * len(b) > 1:
            sa, sb = sorted(a)[:side], sorted(b)[:side]
            vals = [cached(x, y) for x in sa for y in sb]
            if sum(vals) / len(vals) < threshold:
                continue
        cache[(min(i, j), max(i, j))] = s
        groups.merge(i, j)
    return [sorted(g) for g in groups.subsets()]


# --------------------------------------------------------------------------- event features


@dataclass
class _Feat:
    """What the pair score needs of one event, computed once."""

    id: str
    doc_id: str
    lo: int | None  # ordinal day
    hi: int | None
    precision: str  # day / month / year / range / document / none
    entities: frozenset[str]
    related: frozenset[str]
    places: frozenset[str]
    coords: tuple[float, float] | None
    plover: str
    root: str
    text: list[str]
    shape: str = ""


def _parse_day(value: str | None) -> date | None:
    if not value:
        return None
    m = re.match(r"(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?", str(value))
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1))
    except ValueError:
        return None


def _month_end(d: date) -> date:
    nxt = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
    return nxt - timedelta(days=1)


def event_window(ev: dict[str, Any], doc_meta: dict[str, dict[str, Any]],
                 params: StoryParams) -> tuple[int | None, int | None, str]:
    """The day interval an event may have happened in, and how it is known."""
    prec = (ev.get("date_precision") or "").lower()
    d = _parse_day(ev.get("date"))
    if d is not None and prec != "document":
        if prec in ("", _DAY):
            return d.toordinal(), d.toordinal(), _DAY
        if prec == "month":
            return d.replace(day=1).toordinal(), _month_end(d).toordinal(), "month"
        if prec == "year":
            return date(d.year, 1, 1).toordinal(), date(d.year, 12, 31).toordinal(), "year"
        end = _parse_day((ev.get("attrs") or {}).get("date_end")) or d
        return d.toordinal(), max(end, d).toordinal(), "range"
    pub = d or _parse_day((doc_meta.get(ev.get("doc_id", "")) or {}).get("published"))
    if pub is None:
        return None, None, "none"
    return pub.toordinal() - params.doc_lookback_days, pub.toordinal(), "document"


def _actor_keys(actor: dict[str, Any] | None) -> tuple[str | None, str | None]:
    if not actor:
        return None, None
    ent = actor.get("entity_id")
    rel = None
    if actor.get("country") and actor.get("sector"):
        rel = f"{actor['country']}|{actor['sector']}"
    return ent, rel


def _features(ev: dict[str, Any], doc_meta: dict[str, dict[str, Any]],
              params: StoryParams) -> _Feat:
    lo, hi, prec = event_window(ev, doc_meta, params)
    ents, rels = set(), set()
    for key in ("source_actor", "target_actor"):
        e, r = _actor_keys(ev.get(key))
        if e:
            ents.add(e)
        if r:
            rels.add(r)
    place = ev.get("place") or {}
    places = {place["entity_id"]} if place.get("entity_id") else set()
    coords = None
    if place.get("lat") is not None and place.get("lon") is not None:
        coords = (float(place["lat"]), float(place["lon"]))
    cameo = str(ev.get("cameo") or "")
    return _Feat(
        id=str(ev["id"]), doc_id=str(ev.get("doc_id") or ""), lo=lo, hi=hi, precision=prec,
        entities=frozenset(ents), related=frozenset(rels), places=frozenset(places),
        coords=coords, plover=str(ev.get("plover") or "").upper(), root=cameo[:2],
        text=tokens(ev.get("sentence") or ""),
        shape=text_shape(ev.get("sentence") or ""),
    )


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    la1, lo1, la2, lo2 = map(math.radians, (*a, *b))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def type_score(a_plover: str, a_root: str, b_plover: str, b_root: str) -> float:
    """1 for the same type or CAMEO root, 0.6 within a PLOVER family, 0.3 for close families."""
    if a_plover and a_plover == b_plover:
        return 1.0
    if a_root and a_root == b_root:
        return 1.0
    fa, fb = PLOVER_FAMILIES.get(a_plover), PLOVER_FAMILIES.get(b_plover)
    if fa and fb:
        if fa == fb:
            return 0.6
        if frozenset({fa, fb}) in _CLOSE_FAMILIES:
            return 0.3
    return 0.0


class _Scorer:
    """Pair score of two events in [0, 1]; 0 when their dates cannot agree."""

    def __init__(self, feats: list[_Feat], tfidf: TfIdf, params: StoryParams) -> None:
        self.f, self.text, self.p = feats, tfidf.cosine, params
        w = params.weights
        self.total = sum(w.values())

    def time(self, a: _Feat, b: _Feat) -> float | None:
        """Time agreement, or None when the windows exclude each other."""
        if a.lo is None or b.lo is None or a.hi is None or b.hi is None:
            return 0.3  # undated: neither for nor against
        tol = self.p.day_tolerance
        if a.precision == _DAY and b.precision == _DAY:
            gap = abs(a.lo - b.lo)
            return None if gap > tol else 1.0 - 0.2 * gap
        slack = tol if _DAY in (a.precision, b.precision) else 0
        if a.lo > b.hi + slack or b.lo > a.hi + slack:
            return None
        if "document" in (a.precision, b.precision):
            return 0.4
        width = max(a.hi - a.lo, b.hi - b.lo)
        return 0.7 if width <= 31 else 0.4

    def __call__(self, i: int, j: int) -> float:
        a, b = self.f[i], self.f[j]
        t = self.time(a, b)
        if t is None:
            return 0.0
        w = self.p.weights
        if a.entities and b.entities:
            shared = len(a.entities & b.entities)
            actors = shared / min(len(a.entities), len(b.entities))
        else:
            actors = 0.0
        direct = actors
        if actors < 0.5 and a.related & b.related:
            actors = 0.5  # related (same country and sector) counts in the score only
        if a.places and b.places:
            place = 1.0 if a.places & b.places else 0.0
        else:
            place = 0.0
        if not place and a.coords and b.coords and _km(a.coords, b.coords) <= 25.0:
            place = 0.7
        text = self.text(i, j)
        content = max(direct, place, text)
        if content < self.p.min_content:
            return 0.0
        ty = type_score(a.plover, a.root, b.plover, b.root)
        s = (w["time"] * t + w["actors"] * actors + w["place"] * place + w["type"] * ty
             + w["text"] * text)
        return s / self.total


def _content_key(f: _Feat) -> tuple[Any, ...]:
    """Everything :class:`_Scorer` reads of an event (its TF-IDF vector follows from text)."""
    return (f.lo, f.hi, f.precision, f.entities, f.related, f.places, f.coords, f.plover,
            f.root, tuple(f.text))


def _block_keys(f: _Feat, tol: int) -> list[tuple[str, str]]:
    """(time bucket, entity) keys.  Day events key on fine buckets and coarse ones."""
    ents = sorted(f.entities | f.places) or [f"type:{f.plover or f.root or '?'}"]
    times: list[str] = []
    if f.lo is None or f.hi is None:
        times = ["undated"]
    elif f.precision == _DAY:
        times = [f"d{d}" for d in range(f.lo, f.lo + tol + 1)]
        day = date.fromordinal(f.lo)
        times += [f"m{day.year}-{day.month}", f"y{day.year}"]
    else:
        lo, hi = date.fromordinal(f.lo), date.fromordinal(f.hi)
        months = set()
        cur = lo.replace(day=1)
        while cur <= hi and len(months) < 14:
            months.add(f"m{cur.year}-{cur.month}")
            cur = _month_end(cur) + timedelta(days=1)
        times = sorted(months) + sorted({f"y{y}" for y in range(lo.year, hi.year + 1)})
    return [(t, e) for t in times for e in ents]


def _name_blind_key(f: _Feat, doc_meta: dict[str, dict[str, Any]]) -> tuple[Any, ...]:
    """Processing order that no party's name can change: date, type, text shape, then id."""
    meta = doc_meta.get(f.doc_id, {})
    return (f.lo if f.lo is not None else -1, f.hi if f.hi is not None else -1, f.precision,
            f.plover, f.root, f.shape, str(meta.get("published") or ""),
            text_shape(str(meta.get("title") or "")), f.id)


def cluster_events(events: list[dict[str, Any]], doc_meta: dict[str, dict[str, Any]],
                   side_of: Callable[[dict[str, Any]], str] | None = None,
                   params: StoryParams | None = None) -> list[list[str]]:
    """Group event dicts into stories; return lists of event ids (sorted, deterministic).

    ``side_of`` is accepted so callers can hand one resolver to every step, but
    grouping is side-blind by design: the sides of the reporting outlets never
    decide whether two reports tell one event (tests check the party swap).
    """
    del side_of  # side-blind on purpose, see docstring
    p = params or StoryParams()
    feats = [_features(e, doc_meta, p) for e in events]
    feats.sort(key=lambda f: _name_blind_key(f, doc_meta))
    tfidf = TfIdf([f.text for f in feats])
    scorer = _Scorer(feats, tfidf, p)

    blocks: dict[Hashable, list[int]] = defaultdict(list)
    for i, f in enumerate(feats):
        for key in _block_keys(f, p.day_tolerance):
            blocks[key].append(i)

    def order(i: int) -> tuple[int, str]:
        return (feats[i].lo if feats[i].lo is not None else -1, feats[i].id)

    fine = {k: v for k, v in blocks.items() if k[0].startswith(("d", "undated"))}
    coarse = {k: [i for i in v if feats[i].precision != _DAY] for k, v in blocks.items()
              if not k[0].startswith(("d", "undated"))}
    pairs = candidate_pairs(fine, order, p.max_block, p.window)
    # day-vs-day pairs meet in fine buckets; a coarse (month, year, publication-date)
    # event meets the events of its month/year block.  In a big block its date says
    # nothing about which members are near, so it meets those sharing its top words.
    top = [set(tfidf.top_terms(i, 5)) for i in range(len(feats))]
    for key, cs in coarse.items():
        if not cs:
            continue
        members = blocks[key]
        if len(members) <= p.max_block:
            pairs.update((c, m) if c < m else (m, c) for c in cs for m in members if c != m)
            continue
        index: dict[str, list[int]] = defaultdict(list)
        for m in members:
            for t in top[m]:
                index[t].append(m)
        for c in cs:
            hits: Counter[int] = Counter()
            for t in top[c]:
                hits.update(index.get(t, ()))
            hits.pop(c, None)
            for m, _ in sorted(hits.items(), key=lambda h: (-h[1], h[0]))[: p.window]:
                pairs.add((min(c, m), max(c, m)))

    # The pair score is a pure function of the two events' features (ids play no
    # part), so it is computed once per ordered pair of distinct feature contents:
    # the linkage checks reuse the edge scores, and reports repeated verbatim
    # across documents (wire copies) cost one score, not one per copy pair.
    content: dict[tuple[Any, ...], int] = {}
    cls = [content.setdefault(_content_key(f), len(content)) for f in feats]
    scored: dict[tuple[int, int], float] = {}

    def score(i: int, j: int) -> float:
        k = (cls[i], cls[j])
        v = scored.get(k)
        if v is None:
            v = scored[k] = scorer(i, j)
        return v

    tfidf.prime(pairs)
    edges = []
    for i, j in pairs:
        s = score(i, j)
        if s >= p.link_threshold:
            edges.append((s, i, j))

    groups = merge_average_linkage(len(feats), edges, score, p.linkage_threshold,
                                   p.max_linkage_pairs)
    out = [sorted(feats[i].id for i in g) for g in groups]
    return sorted(out, key=lambda g: g[0])


# --------------------------------------------------------------------------- stories


def _iso(ordinal: int) -> str:
    return date.fromordinal(ordinal).isoformat()


def _date_label(lo: str | None, hi: str | None) -> str:
    if not lo:
        return "undated"
    return lo if not hi or hi == lo else f"{lo} to {hi}"


def _leading(counts: Counter[str], k: int, cap: int) -> list[str]:
    """The ``k`` most frequent names, extended to everyone tied with the last one.

    Cutting inside a tie would let alphabetical order (and so the names
    themselves) decide who is shown: a tie that does not fit under ``cap`` is
    left out whole.  The result is listed alphabetically.
    """
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    if len(ranked) > k:
        floor = ranked[k - 1][1]
        ranked = [kv for kv in ranked if kv[1] >= floor]
        if len(ranked) > cap:  # the tie does not fit: show only those above it
            ranked = [kv for kv in ranked if kv[1] > floor][:cap]
    return sorted(name for name, _ in ranked)


def story_title(plover: str, participants: list[str] | Counter[str],
                places: list[str] | Counter[str], date_lo: str | None,
                date_hi: str | None) -> str:
    """Neutral description: PLOVER type, canonical names in alphabetical order, place, date.

    Participants are listed alphabetically and joined by "involving", never as
    source -> target: who acted on whom is exactly what sides dispute.  The
    most frequent participants and places are shown (see :func:`_leading`).
    """
    kind = plover.replace("_", " ").capitalize() if plover else "Event"
    parts = [kind]
    names = _leading(Counter(participants), 3, 6)
    if names:
        parts.append("involving " + (", ".join(names[:-1]) + " and " + names[-1]
                                     if len(names) > 1 else names[0]))
    if places:
        parts.append("at " + ", ".join(_leading(Counter(places), 2, 4)))
    return " ".join(parts) + f" ({_date_label(date_lo, date_hi)})"


def _describe(evs: list[dict[str, Any]], doc_meta: dict[str, dict[str, Any]],
              side_of: Callable[[dict[str, Any]], str], names: dict[str, str],
              p: StoryParams, docs: list[str] | None = None) -> dict[str, Any]:
    """What a story says of itself, from its events (and, lacking dated events, its documents).

    Titles and dates come from the events only when they have some: canonical
    entity names, PLOVER type, the best-known date window.  ``docs`` (default:
    the events' documents) decides sides and outlets; when no event has a date,
    the documents' publication dates stand in (``date_basis`` "published").
    """
    docs = docs if docs is not None else sorted({str(e.get("doc_id")) for e in evs})
    metas = [doc_meta.get(d) or {"id": d} for d in docs]
    sides = sorted({side_of(m) or "unknown" for m in metas})
    sources = sorted({m.get("publisher") or m.get("source") or m.get("id") or "?"
                      for m in metas})
    wins = [event_window(e, doc_meta, p) for e in evs]
    best = [w for w in wins if w[2] == _DAY] or [w for w in wins if w[2] not in
                                                 ("document", "none")] or wins
    los = [w[0] for w in best if w[0] is not None]
    his = [w[1] for w in best if w[1] is not None]
    d_lo, d_hi = (_iso(min(los)), _iso(max(his))) if los and his else (None, None)
    basis = best[0][2] if best else "none"
    if d_lo is None:
        days = sorted(d.isoformat() for m in metas
                      if (d := _parse_day(m.get("published"))) is not None)
        if days:
            d_lo, d_hi, basis = days[0], days[-1], "published"
    plovers = Counter(str(e.get("plover") or "").upper() for e in evs if e.get("plover"))
    plover = min(plovers, key=lambda k: (-plovers[k], k)) if plovers else ""
    part_ids: Counter[str] = Counter()
    place_ids: Counter[str] = Counter()
    for e in evs:
        for key in ("source_actor", "target_actor"):
            ent = (e.get(key) or {}).get("entity_id")
            if ent:
                part_ids[ent] += 1
        pid = (e.get("place") or {}).get("entity_id")
        if pid:
            place_ids[pid] += 1
    title = story_title(
        plover, Counter({names[i]: n for i, n in part_ids.items() if i in names}),
        Counter({names[i]: n for i, n in place_ids.items() if i in names}), d_lo, d_hi)
    known = [s for s in sides if s != "unknown"]
    return {"title": title, "date": d_lo, "date_end": d_hi if d_hi != d_lo else None,
            "doc_ids": docs, "sides": sides, "participants": sorted(part_ids),
            "places": sorted(place_ids), "sources": sources, "plover": plover,
            "single_side": len(known) <= 1, "date_basis": basis}


def _event_story(group: list[str], by_id: dict[str, dict[str, Any]],
                 doc_meta: dict[str, dict[str, Any]], side_of: Callable[[dict[str, Any]], str],
                 names: dict[str, str], p: StoryParams) -> Story:
    evs = [by_id[i] for i in group]
    d = _describe(evs, doc_meta, side_of, names, p)
    return Story(
        id=stable_id("story", *group, prefix="story_"),
        title=d["title"], date=d["date"], date_end=d["date_end"],
        event_ids=list(group), doc_ids=d["doc_ids"], sides=d["sides"],
        participants=d["participants"], places=d["places"],
        attrs={
            "sources": d["sources"], "plover": d["plover"], "n_events": len(evs),
            "n_docs": len(d["doc_ids"]), "single_side": d["single_side"],
            "singleton": len(evs) == 1, "date_basis": d["date_basis"],
        },
    )


def build_stories(events: list[dict[str, Any]], doc_meta: dict[str, dict[str, Any]],
                  side_of: Callable[[dict[str, Any]], str],
                  entity_names: dict[str, str] | None = None,
                  params: StoryParams | None = None) -> list[Story]:
    """Cluster events and describe each group as a :class:`Story` (the event level).

    :param side_of: document metadata -> side label (opaque; "unknown" if none).
    :param entity_names: entity id -> canonical name, used for neutral titles;
        surface names from the text are never used in titles.
    """
    p = params or StoryParams()
    names = entity_names or {}
    by_id = {str(e["id"]): e for e in events}
    return [_event_story(g, by_id, doc_meta, side_of, names, p)
            for g in cluster_events(events, doc_meta, side_of, p)]


# --------------------------------------------------------------------------- two levels


def _published(value: Any) -> date | None:
    return _parse_day(str(value)) if value else None


def _name_blind_order(a: ArticleText) -> tuple[Any, ...]:
    """Grouping breaks ties by input order; this order no party's name can change."""
    return (a.published.isoformat() if a.published else "", text_shape(a.title),
            text_shape(a.text[:400]), len(a.text), a.id)


def build_document_stories(articles: Sequence[ArticleText], events: list[dict[str, Any]],
                           doc_meta: dict[str, dict[str, Any]],
                           side_of: Callable[[dict[str, Any]], str],
                           entity_names: dict[str, str] | None = None,
                           params: StoryParams | None = None,
                           group_params: GroupParams | None = None,
                           duplicates: dict[str, str] | None = None) -> list[Story]:
    """Stories at two levels: the articles of one happening, and the aligned events inside.

    1. :func:`rashomon.compare.grouping.group_articles` groups the articles
       (``duplicates``: copy id -> original id join their original's story).
       Each group is a story (``attrs["level"] = "documents"``).
    2. The events of the whole corpus are aligned once by :func:`cluster_events`.
       Inside a story, ``attrs["alignment"]`` lists each aligned group's part
       that its articles tell; the group keeps the id an event-level story
       always had (a hash of its event ids), so contradictions found inside it
       keep theirs.
    3. A document belongs to a second story only with evidence:

       * a **round-up** (an article that
         :func:`~rashomon.compare.grouping.also_memberships` finds close enough
         to a second story as a whole) is listed there with the names it shares
         with the story's own articles (``attrs["round_ups"]``, see
         :func:`shared_names`); of its events, those aligned with the story's
         own events join it;
       * a happening told inside articles that are otherwise about different
         things (essays, digests, long analyses: aligned events whose articles
         sit in two or more document-level stories) is a story of its own
         (``attrs["level"] = "events"``): its documents are those that tell it,
         each with the aligned events as evidence.

    Story ids hash the story's own articles (round-ups excluded, so a digest
    that mentions a story does not rename it) or, for ``events`` stories, the
    aligned event ids: content-derived and independent of input order.
    """
    p = params or StoryParams()
    names = entity_names or {}
    dup = duplicates or {}
    ordered = sorted((a for a in articles if a.id not in dup), key=_name_blind_order)
    grouping = group_articles(ordered, group_params)
    members = [list(g) for g in grouping.groups]
    group_of = {d: k for k, g in enumerate(members) for d in g}
    for copy, original in sorted(dup.items()):
        k = group_of.get(original)
        if k is None:
            k = len(members)
            members.append([])
        members[k].append(copy)
        group_of[copy] = k
    by_id = {str(e["id"]): e for e in events}
    texts = {a.id: a.title + ". " + a.text for a in articles}
    doc_of = {i: str(e.get("doc_id")) for i, e in by_id.items()}

    aligned = cluster_events(events, doc_meta, side_of, p)
    # each aligned group's id and size once: a group may have parts in many stories
    gid = [stable_id("story", *g, prefix="story_") for g in aligned]
    group_of_event = {i: x for x, g in enumerate(aligned) for i in g}
    parts: dict[int, dict[int, list[str]]] = defaultdict(dict)  # story -> group -> part
    stories = []
    for x, g in enumerate(aligned):
        inside: dict[int, list[str]] = defaultdict(list)
        for i in g:
            k = group_of.get(doc_of[i])
            if k is not None:
                inside[k].append(i)
        for k, part in inside.items():
            parts[k][x] = part
        if len(inside) > 1:
            stories.append(_events_story(g, by_id, doc_meta, side_of, names, p))
    by_doc: dict[str, list[str]] = defaultdict(list)
    for i, d in doc_of.items():
        by_doc[d].append(i)
    for k, own in enumerate(members):
        round_ups = [d for d, _ in grouping.also.get(k, [])]
        mine = parts.get(k, {})
        if round_ups and mine:
            mine = {x: list(part) for x, part in mine.items()}
            for d in round_ups:
                for i in by_doc.get(d, ()):
                    x = group_of_event.get(i)
                    if x in mine and i not in mine[x]:
                        mine[x].append(i)
        groups = [(gid[x], len(aligned[x]), part) for x, part in mine.items()]
        evidence = {d: shared_names(texts.get(d, ""), [texts[m] for m in own if m in texts])
                    for d in round_ups}
        stories.append(_document_story(sorted(own), evidence, groups, by_id, doc_meta,
                                       side_of, names, p))
    return sorted(stories, key=lambda s: s.id)


def _events_story(group: list[str], by_id: dict[str, dict[str, Any]],
                  doc_meta: dict[str, dict[str, Any]], side_of: Callable[[dict[str, Any]], str],
                  names: dict[str, str], p: StoryParams) -> Story:
    """A happening told inside articles of several stories: the aligned events are the story."""
    story = _event_story(sorted(group), by_id, doc_meta, side_of, names, p)
    story.attrs.update({
        "level": "events", "singleton": False,
        "documents": _documents(story.doc_ids, story.doc_ids, doc_meta, side_of),
        "alignment": [{"id": story.id, "title": story.title, "date": story.date,
                       "date_end": story.date_end, "event_ids": story.event_ids,
                       "doc_ids": story.doc_ids, "sides": story.sides,
                       "plover": story.attrs["plover"]}],
        "round_ups": [],
    })
    return story


def _documents(docs: list[str], own: list[str], doc_meta: dict[str, dict[str, Any]],
               side_of: Callable[[dict[str, Any]], str]) -> list[dict[str, Any]]:
    out = []
    for doc in docs:
        meta = doc_meta.get(doc) or {"id": doc}
        out.append({"id": doc, "outlet": meta.get("publisher") or meta.get("source") or doc,
                    "side": side_of(meta) or "unknown", "published": meta.get("published"),
                    "role": "member" if doc in own else "round-up"})
    return out


def shared_names(text: str, members: list[str]) -> list[str]:
    """Names and numbers of ``text`` that at least half of ``members`` also carry.

    The evidence shown for a round-up's second story: what it says that the
    story's own articles say too.  Read from the texts alone, so it does not move
    when unrelated documents are added (a similarity score would, with the idf).
    """
    counts: Counter[str] = Counter()
    for m in members:
        counts.update(set(grouping_names(m)))
    need = max(1, math.ceil(len(members) / 2))
    return sorted(n for n in set(grouping_names(text)) if counts[n] >= need)


def _document_story(own: list[str], round_ups: dict[str, list[str]],
                    groups: list[tuple[str, int, list[str]]], by_id: dict[str, dict[str, Any]],
                    doc_meta: dict[str, dict[str, Any]],
                    side_of: Callable[[dict[str, Any]], str], names: dict[str, str],
                    p: StoryParams) -> Story:
    """A document-level story; ``groups``: (aligned group id, its size, the part told here)."""
    docs = sorted(set(own) | set(round_ups))
    event_ids = sorted(i for _, _, part in groups for i in part)
    d = _describe([by_id[i] for i in event_ids], doc_meta, side_of, names, p, docs)
    alignment = []
    for group_id, size, part in sorted(groups, key=lambda gp: (-len(gp[2]), sorted(gp[2]))):
        ev = _event_story(sorted(part), by_id, doc_meta, side_of, names, p)
        alignment.append({"id": group_id,
                          "title": ev.title, "date": ev.date, "date_end": ev.date_end,
                          "event_ids": ev.event_ids, "doc_ids": ev.doc_ids, "sides": ev.sides,
                          "plover": ev.attrs["plover"], "whole": len(part) == size})
    return Story(
        id=stable_id("story", "documents", *own, prefix="story_"),
        title=d["title"], date=d["date"], date_end=d["date_end"], event_ids=event_ids,
        doc_ids=docs, sides=d["sides"], participants=d["participants"], places=d["places"],
        attrs={
            "level": "documents", "sources": d["sources"], "plover": d["plover"],
            "n_events": len(event_ids), "n_docs": len(docs),
            "single_side": d["single_side"], "singleton": len(docs) == 1,
            "date_basis": d["date_basis"], "documents": _documents(docs, own, doc_meta, side_of),
            "alignment": alignment,
            "round_ups": [{"doc_id": doc, "shared": round_ups[doc]} for doc in sorted(round_ups)],
        },
    )


def event_level(stories: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The corpus-wide aligned event groups behind stored stories, once each.

    For steps that compare reports of *one event* (contradictions): each dict
    has the ``id`` and ``event_ids`` of one aligned group and the ``story_id``
    of a story that holds it (the ``events`` story when the group spans
    stories).  Stories stored before the two levels (no ``alignment``) are
    returned as they are.
    """
    out: dict[str, dict[str, Any]] = {}
    for s in sorted(stories, key=lambda s: ((s.get("attrs") or {}).get("level") != "events",
                                            s["id"])):
        groups = (s.get("attrs") or {}).get("alignment")
        if groups is None:
            out.setdefault(s["id"], s)
            continue
        for g in groups:
            if g.get("whole", True):
                out.setdefault(g["id"], {**g, "story_id": s["id"]})
    return sorted(out.values(), key=lambda g: g["id"])


def stories_layer(ctx: Any) -> None:
    """Corpus layer: rebuild the ``stories`` table from every stored document and event."""
    events = ctx.store.records("events")
    doc_meta = ctx.store.doc_meta()
    names = {e["id"]: e["name"] for e in ctx.store.records("entities")}
    side_of = ctx.profile.side_lookup(doc_meta)
    # resolved entities stand in for raw names when the entities layer found any, so
    # contested names of one place or party do not split a happening by camp
    resolved: dict[str, list[str]] | None = None
    mentions = ctx.store.records("mentions")
    if mentions:
        resolved = defaultdict(list)
        for m in mentions:
            if m.get("entity_id"):
                resolved[m["doc_id"]].append(str(m["entity_id"]))
    articles = [ArticleText(d.id, d.title or "", d.text or "", _published(d.published),
                            tuple(sorted(resolved.get(d.id, ()))) if resolved is not None
                            else None)
                for d in ctx.store.iter_documents()]
    duplicates = {i: m["duplicate_of"] for i, m in doc_meta.items()
                  if m.get("duplicate_of") and m["duplicate_of"] in doc_meta}
    options = getattr(ctx, "options", None) or {}
    ctx.store.replace_corpus_records("stories", build_document_stories(
        articles, events, doc_meta, side_of, names, options.get("story_params"),
        options.get("group_params"), duplicates))
