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
from sklearn.feature_extraction.text import TfidfVectorizer


@dataclass(frozen=True)
class GroupParams:
    """Knobs of document grouping (defaults tuned on BASIL dev, part A)."""

    threshold: float = 0.15  # mean cross-pair similarity for two groups to merge
    name_weight: float = 0.3  # share of the names space in the combined cosine
    lead_chars: int = 1500  # how much of the body counts as the lead
    title_repeat: int = 2  # the title counts this many times in the words space
    date_window: int = 60  # days: dated articles further apart never group
    block_terms: int = 30  # distinctive terms per article used for blocking
    max_posting: int = 200  # a term shared by more articles is too common to block on


@dataclass(frozen=True)
class ArticleText:
    """What grouping reads of one article."""

    id: str
    title: str
    text: str
    published: date | None = None


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


def _words_doc(a: ArticleText, p: GroupParams) -> str:
    return (a.title + ". ") * p.title_repeat + a.text[: p.lead_chars]


def _features(articles: Sequence[ArticleText], p: GroupParams) -> sparse.csr_matrix:
    """Rows: articles; columns: weighted words and names, so row·row = combined cosine."""
    words = TfidfVectorizer(sublinear_tf=True, stop_words="english", dtype=np.float64)
    x = words.fit_transform([_words_doc(a, p) for a in articles])
    blocks = [math.sqrt(1.0 - p.name_weight) * x]
    name_docs = [names(a.title + ". " + a.text) for a in articles]
    if p.name_weight > 0 and any(name_docs):
        vec = TfidfVectorizer(analyzer=lambda d: d, sublinear_tf=True, dtype=np.float64)
        blocks.append(math.sqrt(p.name_weight) * vec.fit_transform(name_docs))
    return sparse.hstack(blocks, format="csr")


def _dated_apart(a: ArticleText, b: ArticleText, window: int) -> bool:
    return (a.published is not None and b.published is not None
            and abs((a.published - b.published).days) > window)


def candidate_pairs(f: sparse.csr_matrix, articles: Sequence[ArticleText],
                    p: GroupParams) -> set[tuple[int, int]]:
    """Pairs sharing one of either article's most distinctive terms, inside the date window."""
    postings: dict[int, list[int]] = defaultdict(list)
    for i in range(f.shape[0]):
        row = f.getrow(i)
        top = row.indices[np.argsort(-row.data, kind="stable")[: p.block_terms]]
        for t in top:
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


def group_documents(articles: Sequence[ArticleText],
                    params: GroupParams | None = None) -> list[list[str]]:
    """The articles grouped into stories: lists of article ids, largest first.

    Every article is in exactly one group (a group of one is an untold-elsewhere
    story).  Deterministic for a given input order.
    """
    p = params or GroupParams()
    if not articles:
        return []
    if len(articles) == 1:
        return [[articles[0].id]]
    try:
        f = _features(articles, p)
    except ValueError:  # no usable words at all (e.g. empty texts): nothing to group on
        return [[a.id] for a in articles]
    sims = score_pairs(f, candidate_pairs(f, articles, p))
    groups = average_linkage(len(articles), sims, p.threshold)
    out = [[articles[i].id for i in g] for g in groups]
    return sorted(out, key=lambda g: (-len(g), g))
