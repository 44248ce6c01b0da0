"""Group articles into stories: the articles that tell one real-world happening.

This is the document level of a story, as a news aggregator groups coverage:
three outlets' reports of one vote, one attack or one speech belong together,
whatever each says about it.  The event level (aligned events and claims inside
a story) is built on top of it by :mod:`rashomon.compare.stories`.

Why content first and dates second: articles of one happening share their
participants, places and distinctive words, above all in the title and the lead;
dates help where the corpus has them (two reports weeks apart are rarely one
happening) but undated corpora must group too.  So the similarity of two
articles is a weighted cosine over two TF-IDF spaces (scikit-learn):

* the **words** of the title (counted twice) and the lead;
* the **names**: capitalised word sequences over the whole text (participants,
  places, organisations), which carry most of what identifies a happening.

Both spaces are L2-normalised per article and stacked with weights whose squares
sum to one, so one sparse product gives the combined cosine.

**Blocking** keeps the cost near-linear: each article proposes only the
articles that share one of its most distinctive terms (its top-weighted
features), posting lists of terms shared by too many articles are skipped, and
only pairs inside the date window are kept when both are dated.  The candidate
pairs are scored exactly.

**Average linkage** over the candidate graph then merges groups while the mean
similarity over all cross pairs holds above the threshold; pairs that were
never candidates count as zero, which is what keeps two similar happenings of
the same kind (two earthquakes) apart while one happening told in three styles
joins.  No maintained library offers average linkage over a sparse similarity
graph (scipy and scikit-learn need a dense matrix or feature-based
connectivity), so this one loop is ours.

Parameters live in :class:`GroupParams`; they were tuned on one half of the
BASIL dev split (see ``rashomon eval stories``) and are reported on the other.
"""

from __future__ import annotations

import heapq
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
from scipy import sparse
from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer


@dataclass(frozen=True)
class GroupParams:
    """Knobs of document grouping (defaults tuned on BASIL dev, part A)."""

    threshold: float = 0.15  # mean cross-pair similarity for two groups to merge
    name_weight: float = 0.3  # share of the names space in the combined cosine
    lead_chars: int = 1500  # how much of the body counts as the lead
    title_repeat: int = 2  # the title counts this many times in the words space
    date_window: int = 60  # days: dated articles further apart never group
    date_scale: float = 14.0  # days: a dated pair's similarity is divided by 1 + gap/scale (0: off)
    block_terms: int = 30  # distinctive terms per article used for blocking
    max_posting: int = 200  # a term shared by more articles is too common to block on
    split_ratio: float = 0.0  # split a group when its halves' cross similarity is below this (0: off; see docstring)
    #                            share of their inner similarity (local weights, see split_group)
    split_min: int = 3  # each half of a split holds at least this many articles
    split_name_weight: float = 0.5  # share of the names space in the local (split) cosine
    max_split: int = 2000  # larger groups are not split (the local matrix is dense)
    also_share: float = 0.5  # a second story needs at least this share of the article's
    #                          similarity to its own story (see also_memberships)
    also_lift: float = 3.0  # ... and this many times its own story's other articles' closeness


@dataclass(frozen=True)
class ArticleText:
    """What grouping reads of one article."""

    id: str
    title: str
    text: str
    published: date | None = None
    # the article's named participants and places when an entity linker resolved them
    # (one entry per mention, e.g. entity ids): contested names of one referent then
    # count as one name, so two camps' reports of a happening are not kept apart by
    # what each calls the place.  None: capitalised sequences of the text (:func:`names`).
    entities: tuple[str, ...] | None = None


# Capitalised sequences: "Michael Steele", "Republican National Committee",
# "Gulf of Mexico".  A sentence-initial capital is a weak signal alone, so
# single words shorter than three letters are dropped.
_NAME = re.compile(
    r"\b[A-Z][\w'’.-]*[\w](?:\s+(?:of|de|del|da|di|al|el|van|von|bin|ibn|la|le)?\s*"
    r"[A-Z][\w'’.-]*[\w])*")
_FUNCTION_CAPS = frozenset(
    "the a an and but or if in on at by for from to of as with it its this that these those "
    "he she they we you i his her their our my your there here when where while after before "
    "what who which why how mr mrs ms dr monday tuesday wednesday thursday friday saturday "
    "sunday january february march april may june july august september october november "
    "december".split())


_NUMBER = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)?(?![\w.])")


def names(text: str) -> list[str]:
    """The capitalised names and the numbers in ``text``, lower-cased, function words dropped.

    Numbers (a magnitude, a toll, a year) tell apart two happenings of one kind.
    """
    out = ["#" + m.group(0).replace(",", "") for m in _NUMBER.finditer(text)]
    for m in _NAME.finditer(text):
        words = [w for w in m.group(0).split() if w.lower() not in _FUNCTION_CAPS]
        if not words or (len(words) == 1 and len(words[0]) < 3):
            continue
        out.append(" ".join(words).lower().rstrip(".’'"))
    return out


def article_names(a: ArticleText) -> list[str]:
    """The names space of one article: its resolved entities (if any) and its numbers."""
    if a.entities is None:
        return names(a.title + ". " + a.text)
    numbers = ["#" + m.group(0).replace(",", "")
               for m in _NUMBER.finditer(a.title + ". " + a.text)]
    return numbers + ["@" + e for e in a.entities]


def _words_doc(a: ArticleText, p: GroupParams) -> str:
    return (a.title + ". ") * p.title_repeat + a.text[: p.lead_chars]


def _features(articles: Sequence[ArticleText], p: GroupParams) -> sparse.csr_matrix:
    """Rows: articles; columns: weighted words and names, so row·row = combined cosine."""
    words = TfidfVectorizer(sublinear_tf=True, stop_words="english", dtype=np.float64)
    x = words.fit_transform([_words_doc(a, p) for a in articles])
    blocks = [math.sqrt(1.0 - p.name_weight) * x]
    name_docs = [article_names(a) for a in articles]
    if p.name_weight > 0 and any(name_docs):
        vec = TfidfVectorizer(analyzer=lambda d: d, sublinear_tf=True, dtype=np.float64)
        blocks.append(math.sqrt(p.name_weight) * vec.fit_transform(name_docs))
    return sparse.hstack(blocks, format="csr")


def _dated_apart(a: ArticleText, b: ArticleText, window: int) -> bool:
    return (a.published is not None and b.published is not None
            and abs((a.published - b.published).days) > window)


def _gap(a: ArticleText, b: ArticleText) -> int:
    """Days between two publication dates (0 when either is undated)."""
    if a.published is None or b.published is None:
        return 0
    return abs((a.published - b.published).days)


def candidate_pairs(f: sparse.csr_matrix, articles: Sequence[ArticleText],
                    p: GroupParams) -> set[tuple[int, int]]:
    """Pairs sharing one of either article's most distinctive terms, inside the date window."""
    postings: dict[int, list[int]] = defaultdict(list)
    for i in range(f.shape[0]):
        lo, hi = f.indptr[i], f.indptr[i + 1]
        data, cols = f.data[lo:hi], f.indices[lo:hi]
        if len(data) > p.block_terms:
            # every term tied with the last one taken, so the alphabetical column
            # order of the vocabulary (and so the names themselves) never decides
            floor = np.partition(-data, p.block_terms - 1)[p.block_terms - 1]
            cols = cols[-data <= floor]
        for t in cols:
            postings[int(t)].append(i)
    pairs: set[tuple[int, int]] = set()
    for members in postings.values():
        if len(members) < 2 or len(members) > p.max_posting:
            continue
        for x, i in enumerate(members):
            for j in members[x + 1:]:
                if not _dated_apart(articles[i], articles[j], p.date_window):
                    pairs.add((i, j) if i < j else (j, i))
    return pairs


def score_pairs(f: sparse.csr_matrix, pairs: Iterable[tuple[int, int]]) -> dict[tuple[int, int], float]:
    """Exact combined cosine of each candidate pair."""
    plist = sorted(pairs)
    if not plist:
        return {}
    rows = np.fromiter((i for i, _ in plist), dtype=np.int64, count=len(plist))
    cols = np.fromiter((j for _, j in plist), dtype=np.int64, count=len(plist))
    sims = np.asarray(f[rows].multiply(f[cols]).sum(axis=1)).ravel()
    return {pair: float(s) for pair, s in zip(plist, sims, strict=True)}


def average_linkage(n: int, sims: dict[tuple[int, int], float],
                    threshold: float) -> list[list[int]]:
    """Average-linkage clusters over a sparse similarity graph (absent pairs count 0).

    Keeps, for every pair of current groups joined by at least one edge, the sum
    of their cross similarities; the best mean is merged first until no pair of
    groups reaches ``threshold``.  Ties break on the smaller indices, so the
    result is deterministic.
    """
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    link: dict[int, dict[int, float]] = defaultdict(dict)
    for (i, j), s in sims.items():
        if s > 0:
            link[i][j] = link[j][i] = s
    heap = [(-s, i, j) for (i, j), s in sims.items() if s >= threshold]
    heapq.heapify(heap)
    while heap:
        neg, a, b = heapq.heappop(heap)
        if a not in members or b not in members:
            continue
        current = link[a].get(b, 0.0) / (len(members[a]) * len(members[b]))
        if abs(current + neg) > 1e-12:  # stale entry: the groups changed since it was pushed
            continue
        # merge b into a
        members[a].extend(members.pop(b))
        for c, s in link.pop(b).items():
            link[c].pop(b, None)
            if c == a:
                continue
            link[a][c] = link[c][a] = link[a].get(c, 0.0) + s
        size_a = len(members[a])
        for c, s in link[a].items():
            mean = s / (size_a * len(members[c]))
            if mean >= threshold:
                x, y = (a, c) if a < c else (c, a)
                heapq.heappush(heap, (-mean, x, y))
    return sorted(sorted(m) for m in members.values())


def _local_features(articles: Sequence[ArticleText], p: GroupParams) -> sparse.csr_matrix:
    """Rows of one group weighted by the group's own document frequencies.

    A term every member uses (the kind of happening: "earthquake", the team both
    reports are about) gets weight ``log(n/df) = 0``; what is left is what tells
    the members apart, which is what a split must look at.
    """
    n = len(articles)
    spaces = ((p.split_name_weight, [article_names(a) for a in articles], True),
              (1.0 - p.split_name_weight, [_words_doc(a, p) for a in articles], False))
    blocks = []
    for weight, docs, as_is in spaces:
        if weight <= 0:
            continue
        vec = (CountVectorizer(analyzer=_as_is) if as_is
               else CountVectorizer(stop_words="english"))
        try:
            x = vec.fit_transform(docs).astype(np.float64).tocsr()
        except ValueError:  # no terms in this space
            continue
        x.data = 1.0 + np.log(x.data)
        df = np.bincount(x.indices, minlength=x.shape[1])
        x = (x @ sparse.diags(np.log(n / np.maximum(df, 1)))).tocsr()
        norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        blocks.append(math.sqrt(weight) * (sparse.diags(1.0 / norms) @ x))
    if not blocks:
        return sparse.csr_matrix((n, 0))
    return sparse.hstack(blocks, format="csr")


def _as_is(doc: Sequence[str]) -> Sequence[str]:
    return doc


def _mean(s: np.ndarray, a: list[int], b: list[int] | None = None) -> float:
    if b is None:
        sub = s[np.ix_(a, a)]
        k = len(a)
        return float((sub.sum() - np.trace(sub)) / (k * (k - 1))) if k > 1 else 0.0
    return float(s[np.ix_(a, b)].mean())


def split_group(articles: Sequence[ArticleText], p: GroupParams) -> list[list[int]]:
    """Split one group in two, recursively, while its halves are clearly two happenings.

    Two happenings of one kind (two earthquakes, two signings by one club) share
    so many words that average linkage over corpus-wide weights can join them.
    Inside the group, weighted by the group's own frequencies (see
    :func:`_local_features`), what they share drops out; the group is cut in two by
    average linkage on that local cosine (scikit-learn's agglomerative
    clustering), and the cut is kept only when each half has at least
    ``split_min`` articles and the halves' mean cross similarity is below
    ``split_ratio`` times the lower of their inner means.  So a story of three
    outlets is never cut, and a lone odd article is never cut off.
    Returns index lists into ``articles``.
    """
    whole = list(range(len(articles)))
    if len(articles) < 2 * p.split_min or len(articles) > p.max_split:
        return [whole]
    f = _local_features(articles, p)
    if f.shape[1] == 0:
        return [whole]
    sims = (f @ f.T).toarray()
    labels = AgglomerativeClustering(n_clusters=2, metric="precomputed",
                                     linkage="average").fit_predict(1.0 - sims)
    a = [i for i in whole if labels[i] == labels[0]]
    b = [i for i in whole if labels[i] != labels[0]]
    if min(len(a), len(b)) < p.split_min:
        return [whole]
    if _mean(sims, a, b) >= p.split_ratio * min(_mean(sims, a), _mean(sims, b)):
        return [whole]
    out = []
    for half in (a, b):
        out += [[half[k] for k in part] for part in split_group([articles[i] for i in half], p)]
    return out


@dataclass(frozen=True)
class Grouping:
    """Stories at the document level: each article's own story, and second ones with evidence.

    ``groups``: lists of article ids, every article in exactly one (its own
    story).  ``also``: group index -> [(article id, mean similarity)] of
    articles that belong to that story too (round-ups; see :func:`also_memberships`).
    """

    groups: list[list[str]]
    also: dict[int, list[tuple[str, float]]]


def also_memberships(groups: list[list[int]], sims: dict[tuple[int, int], float],
                     p: GroupParams) -> dict[int, list[tuple[int, float]]]:
    """Second stories for articles that tell more than one happening (round-ups).

    The evidence asked for: the article alone is as close to the other story as
    average linkage asks of a merge (its mean similarity to *all* that story's
    articles, absent pairs counting zero, reaches ``threshold``), that story has
    at least two articles (a pair of reports, not one look-alike), and this
    closeness is at least ``also_share`` of its closeness to its own story.
    Last, and what tells a round-up from a look-alike (a report of a similar
    happening): the article is at least ``also_lift`` times closer to the other
    story than the other articles of its own story are on average.  The two
    stories themselves stayed apart, so what joins them is this one article: a
    round-up or a digest that covers both.
    """
    if not sims:
        return {}
    n = sum(len(g) for g in groups)
    n_groups = len(groups)
    group_of = np.empty(n, dtype=np.int64)
    for k, g in enumerate(groups):
        group_of[g] = k
    sizes = np.array([len(g) for g in groups], dtype=np.int64)
    pairs = np.array(list(sims.keys()), dtype=np.int64).reshape(-1, 2)
    vals = np.fromiter(sims.values(), dtype=np.float64, count=len(sims))
    gi, gj = group_of[pairs[:, 0]], group_of[pairs[:, 1]]
    same = gi == gj
    own = (np.bincount(pairs[same, 0], vals[same], minlength=n)
           + np.bincount(pairs[same, 1], vals[same], minlength=n))
    cross = ~same
    # directed (article, other group, similarity) over cross pairs
    art = np.concatenate([pairs[cross, 0], pairs[cross, 1]])
    other = np.concatenate([gj[cross], gi[cross]])
    home = group_of[art]
    sim = np.concatenate([vals[cross], vals[cross]])
    # a mean over a group reaching the threshold needs one pair reaching it
    keys = art * n_groups + other
    wanted = np.unique(keys[(sim >= p.threshold) & (sizes[other] >= 2)])
    if wanted.size == 0:
        return {}
    hit = np.isin(keys, wanted)
    codes, inverse = np.unique(keys[hit], return_inverse=True)
    totals = np.bincount(inverse, sim[hit])
    gkeys = home * n_groups + other
    gpairs = np.unique(gkeys[hit])
    ghit = np.isin(gkeys, gpairs)
    gcodes, ginv = np.unique(gkeys[ghit], return_inverse=True)
    # each undirected cross pair appears once with its article in the home group
    between = dict(zip(gcodes.tolist(), np.bincount(ginv, sim[ghit]).tolist(), strict=True))
    out: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for code, total in zip(codes.tolist(), totals.tolist(), strict=True):
        i, k = divmod(code, n_groups)
        size = int(sizes[k])
        mean = total / size
        home_k = int(group_of[i])
        mine = int(sizes[home_k]) - 1
        own_mean = float(own[i]) / mine if mine else 0.0
        siblings = ((between[home_k * n_groups + k] - total) / (mine * size)
                    if mine else 0.0)
        if (mean >= p.threshold and mean >= p.also_share * own_mean
                and mean >= p.also_lift * siblings):
            out[k].append((i, round(mean, 4)))
    return dict(out)


def group_articles(articles: Sequence[ArticleText],
                   params: GroupParams | None = None) -> Grouping:
    """The articles grouped into stories, with the second stories of round-ups.

    Groups are lists of article ids, largest first; every article is in exactly
    one group (a group of one is a story told once).  Deterministic for a given
    input order.
    """
    p = params or GroupParams()
    if not articles:
        return Grouping([], {})
    if len(articles) == 1:
        return Grouping([[articles[0].id]], {})
    try:
        f = _features(articles, p)
    except ValueError:  # no usable words at all (e.g. empty texts): nothing to group on
        return Grouping([[a.id] for a in articles], {})
    sims = score_pairs(f, candidate_pairs(f, articles, p))
    if p.date_scale > 0:
        sims = {(i, j): v / (1.0 + _gap(articles[i], articles[j]) / p.date_scale)
                for (i, j), v in sims.items()}
    groups = []
    for g in average_linkage(len(articles), sims, p.threshold):
        groups += [sorted(g[k] for k in part)
                   for part in split_group([articles[i] for i in g], p)]
    groups.sort(key=lambda g: (-len(g), [articles[i].id for i in g]))
    extra = also_memberships(groups, sims, p)
    return Grouping([[articles[i].id for i in g] for g in groups],
                    {k: [(articles[i].id, s) for i, s in v] for k, v in extra.items()})


def group_documents(articles: Sequence[ArticleText],
                    params: GroupParams | None = None) -> list[list[str]]:
    """The articles grouped into stories: lists of article ids, largest first.

    Every article is in exactly one group (a group of one is an untold-elsewhere
    story); second stories of round-ups are in :func:`group_articles`.
    Deterministic for a given input order.
    """
    groups = group_articles(articles, params).groups
    return sorted(groups, key=lambda g: (-len(g), g))
