"""Framing: which words each side and each outlet chooses for the same things.

Three kinds of evidence, all counted per (side, source) and kept with example
sentences so a reader can check every number:

* ``loaded_term``: the profile lexicon names referents (a road closure, a
  checkpoint) and the competing terms for each; we count matches of every
  term's patterns.  Matches inside a quote are still counted (printing a quote
  is the outlet's choice) but the example carries ``quoted: true``.
* ``toponym``: a place known under several names; which surface each side uses.
* ``name``: the same for actors, leaving out short forms ("Ghazaryan" after
  "Sergey Ghazaryan"): only surfaces with words of their own are a naming choice.
* ``distinctive``: words and word pairs a side uses far more than general
  English does, by the log-odds ratio against an informative Dirichlet prior
  (Monroe, Colaresi & Quinn 2008, "Fightin' Words") whose pseudo-counts come
  from a *fixed* background: English word frequencies (the ``wordfreq``
  package).  Only the outlet's own words count: words inside a quote (the
  quotes layer's spans, and any text between quotation marks) belong to the
  quoted speaker and are counted apart (``attrs.quoted``).  Function words are
  dropped by part of speech (a tagger over the term's examples) and common
  words are shrunk by the background prior, so no hand list of "noise" words is
  needed.  Only terms with z >= 1.96, at least 3 own uses and 2 documents
  qualify, top 15 per side; lexicon terms and entity names are left out since
  the other two kinds already cover them.

  Why a fixed background and not the other sides: a side's rows then depend
  only on that side's documents, so adding a document changes the rows of its
  own side and leaves every other side's rows byte-identical (ranking against
  the whole corpus moved every side's rows on any addition).  Contrast between
  camps (which side prefers which word) is what ``rashomon profile draft``
  measures with the camp-against-camp log-odds; accepted terms come back as
  profile ``loaded_terms``, counted by the first kind.

Sides are opaque labels from documents or the profile's source registry; the
code treats every side the same way, so swapping two sides' documents swaps
the table and nothing else.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from rashomon import data as rdata
from rashomon.layers import CorpusContext
from rashomon.model import Entity, Mention, Quote, Record, stable_id
from rashomon.text import is_place


@dataclass(frozen=True)
class FramingParams:
    """Thresholds of the framing comparison; every number is documented here.

    max_examples: example sentences kept per row (and per table cell).
    top_distinctive: distinctive terms kept per side.
    min_z: a distinctive term's log-odds z-score must reach this (1.96: p < 0.05, two-sided).
    min_count: ... and the side must use it at least this often.
    prior_scale: prior pseudo-counts are this x the whole corpus counts (Monroe et al.
        2008, sec. 3.5); 0.25 keeps the variance of zero counts finite without drowning
        small corpora in the prior.  A run may override it (option
        ``framing_prior_scale``).
    example_max_chars: an example sentence is cut to about this many characters.
    background_strength: pseudo-counts of the fixed English background prior of the
        ``distinctive`` kind (a term's prior count is this x its share of English text).
    """

    max_examples: int = 3
    top_distinctive: int = 15
    min_z: float = 1.96
    min_count: int = 3
    prior_scale: float = 0.25
    example_max_chars: int = 400
    background_strength: float = 10_000.0


PARAMS = FramingParams()

_WORD = re.compile(r"[^\W\d_][\w'’-]*[^\W_]|[^\W\d_]")
_SENT_END = re.compile(r"[.!?](?=[\s\"”’)]|$)|\n")


@dataclass
class FramingRow(Record):
    """One (kind, referent, term, side, source) count with its evidence."""

    id: str
    referent: str
    label: str
    term: str
    side: str
    source: str
    doc_ids: list[str]
    count: int
    examples: list[dict[str, Any]]
    kind: str  # loaded_term | toponym | name | distinctive
    attrs: dict[str, Any] = field(default_factory=dict)


# ---------------------------------------------------------------------------
# helpers
def term_regex(patterns: Iterable[str]) -> re.Pattern[str]:
    """Case-insensitive whole-word alternation; a trailing ``*`` allows any word ending."""
    parts = []
    for p in sorted({p.strip() for p in patterns if p and p.strip()}, key=len, reverse=True):
        star = p.endswith("*")
        body = r"\s+".join(re.escape(w) for w in p.rstrip("*").split())
        parts.append(body + (r"\w*" if star else ""))
    if not parts:
        return re.compile(r"(?!x)x")
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)", re.IGNORECASE)


def sentence_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around [start, end), by punctuation and line breaks (no parser needed)."""
    lo = 0
    for m in _SENT_END.finditer(text, max(0, start - PARAMS.example_max_chars), start):
        lo = m.end()
    m = _SENT_END.search(text, end)
    hi = m.end() if m else len(text)
    while lo < start and text[lo].isspace():
        lo += 1
    lo = max(lo, start - PARAMS.example_max_chars // 2)
    hi = min(hi, end + PARAMS.example_max_chars // 2)
    return lo, hi


def _example(doc_id: str, text: str, start: int, end: int,
             quotes: list[tuple[int, int]]) -> dict[str, Any]:
    s, e = sentence_span(text, start, end)
    ex: dict[str, Any] = {"doc_id": doc_id, "start": s, "end": e, "text": text[s:e].strip(),
                          "match_start": start, "match_end": end}
    if any(qs <= start and end <= qe for qs, qe in quotes):
        ex["quoted"] = True
    return ex


def stopwords() -> frozenset[str]:
    """spaCy's English stopwords (function words), or the small fallback list."""
    try:
        from spacy.lang.en.stop_words import STOP_WORDS

        return frozenset(STOP_WORDS)
    except ImportError:  # spaCy is a dependency, but the word list is all we need
        return frozenset(rdata.section("framing.yaml", "fallback_stopwords"))


def normalise(word: str) -> str:
    """Cheap lemma: lowercase, drop possessive, crude plural stripping."""
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    w = w.strip("'-")
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 4 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


def ngrams(text: str, stop: frozenset[str]) -> list[str]:
    """Unigrams and bigrams of content words; a stopword or punctuation breaks a bigram."""
    out: list[str] = []
    prev: str | None = None
    prev_end = -1
    for m in _WORD.finditer(text):
        raw = m.group(0)
        w = normalise(raw)
        gap = text[prev_end:m.start()] if prev_end >= 0 else " "
        if raw.lower() in stop or w in stop or len(w) < 2:
            prev = None
        else:
            out.append(w)
            if prev is not None and gap.strip() == "":
                out.append(f"{prev} {w}")
            prev = w
        prev_end = m.end()
    return out


def log_odds_z(counts: dict[str, Counter[str]], prior_scale: float = PARAMS.prior_scale
               ) -> dict[str, dict[str, float]]:
    """Fightin' Words z-scores of each group against all other groups.

    RETURNS (dict): group -> term -> z (positive: over-used by the group).
    """
    total = Counter[str]()
    for c in counts.values():
        total.update(c)
    n_all = sum(total.values())
    if not n_all:
        return {}
    a0 = prior_scale * n_all
    out: dict[str, dict[str, float]] = {}
    for g, c in counts.items():
        n_i = sum(c.values())
        n_j = n_all - n_i
        zs: dict[str, float] = {}
        for w, y in total.items():
            a_w = prior_scale * y
            y_i = c.get(w, 0)
            y_j = y - y_i
            d = (math.log((y_i + a_w) / (n_i + a0 - y_i - a_w))
                 - math.log((y_j + a_w) / (n_j + a0 - y_j - a_w)))
            zs[w] = d / math.sqrt(1.0 / (y_i + a_w) + 1.0 / (y_j + a_w))
        out[g] = zs
    return out


# ---------------------------------------------------------------------------
# the layer
@dataclass
class SideDoc:
    """One document as framing sees it: its text, side and outlet."""

    id: str
    text: str
    side: str
    source: str


def _docs(ctx: CorpusContext) -> list[SideDoc]:
    out = []
    for d in ctx.store.iter_documents(include_duplicates=False):
        side = ctx.profile.side_of(d)
        out.append(SideDoc(d.id, d.text, side, d.publisher or "unknown"))
    return out


def _quote_spans(store: Any) -> dict[str, list[tuple[int, int]]]:
    spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
    try:
        rows = store.records_as("quotes", Quote)
    except Exception:  # quotes layer absent: nothing is marked as quoted
        rows = []
    for q in rows:
        if q.start is not None and q.end is not None:
            spans[q.doc_id].append((q.start, q.end))
    return spans


class _Acc:
    """Accumulates counts, doc ids and examples per row key."""

    def __init__(self) -> None:
        self.count: Counter[tuple[str, ...]] = Counter()
        self.docs: dict[tuple[str, ...], set[str]] = defaultdict(set)
        self.examples: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
        self.labels: dict[tuple[str, ...], str] = {}

    def add(self, key: tuple[str, ...], label: str, doc: SideDoc, start: int, end: int,
            quotes: list[tuple[int, int]]) -> None:
        self.count[key] += 1
        self.docs[key].add(doc.id)
        self.labels[key] = label
        if len(self.examples[key]) < PARAMS.max_examples:
            self.examples[key].append(_example(doc.id, doc.text, start, end, quotes))

    def rows(self, attrs: dict[tuple[str, ...], dict[str, Any]] | None = None) -> list[FramingRow]:
        out = []
        for key, n in self.count.items():
            kind, referent, term, side, source = key
            out.append(FramingRow(
                id=stable_id("framing", *key), referent=referent, label=self.labels[key],
                term=term, side=side, source=source, doc_ids=sorted(self.docs[key]), count=n,
                examples=self.examples[key], kind=kind, attrs=(attrs or {}).get(key, {})))
        return out


def loaded_term_rows(docs: list[SideDoc], lexicon: dict[str, Any],
                     quotes: dict[str, list[tuple[int, int]]]) -> list[FramingRow]:
    """Count each referent's competing terms; overlapping matches count once (longest)."""
    acc = _Acc()
    for ref in lexicon.get("loaded_terms") or []:
        referent = str(ref.get("referent") or ref.get("id") or "")
        label = str(ref.get("label") or referent)
        terms = [(str(t.get("term")), term_regex(t.get("patterns") or [t.get("term")]))
                 for t in ref.get("terms") or [] if t.get("term")]
        for doc in docs:
            hits = [(m.start(), m.end(), term) for term, rx in terms for m in rx.finditer(doc.text)]
            hits.sort(key=lambda h: (-(h[1] - h[0]), h[0]))
            kept: list[tuple[int, int, str]] = []
            for h in hits:
                if not any(h[0] < k[1] and k[0] < h[1] for k in kept):
                    kept.append(h)
            for s, e, term in sorted(kept):
                acc.add(("loaded_term", referent, term, doc.side, doc.source), label, doc, s, e,
                        quotes.get(doc.id, []))
    return acc.rows()


def toponym_rows(docs: list[SideDoc], mentions: list[Mention], names: dict[str, str],
                 place_ids: set[str], quotes: dict[str, list[tuple[int, int]]]) -> list[FramingRow]:
    """For each place written in more than one way, who writes which name."""
    by_doc = {d.id: d for d in docs}
    places = [m for m in mentions if m.doc_id in by_doc and (
        is_place(m) or m.entity_id in place_ids)]
    forms: dict[str, Counter[str]] = defaultdict(Counter)
    for m in places:
        forms[m.entity_id][m.surface] += 1
    shown: dict[tuple[str, str], str] = {}
    for eid, c in forms.items():  # one display form per case-folded surface
        for surface, _n in c.most_common():
            shown.setdefault((eid, surface.casefold()), surface)
    acc = _Acc()
    for m in sorted(places, key=lambda m: (m.doc_id, m.start)):
        eid = m.entity_id
        if len({s.casefold() for s in forms[eid]}) < 2:
            continue
        doc = by_doc[m.doc_id]
        term = shown[(eid, m.surface.casefold())]
        label = names.get(eid) or forms[eid].most_common(1)[0][0]
        acc.add(("toponym", eid, term, doc.side, doc.source), label, doc, m.start, m.end,
                quotes.get(doc.id, []))
    return acc.rows()


def name_rows(docs: list[SideDoc], mentions: list[Mention], names: dict[str, str],
              place_ids: set[str], quotes: dict[str, list[tuple[int, int]]]) -> list[FramingRow]:
    """Contested names of actors: one entity written in ways that are not mere short forms.

    "Ghazaryan" after "Sergey Ghazaryan" is a short form (its words are a subset of a
    longer surface) and says nothing about framing; two surfaces with words of their
    own ("separatists" / "Karabakh Armenian authorities" resolved to one actor) are a
    choice.  Places are the ``toponym`` kind.  A row counts one (entity, surface, side,
    source), so it changes only when a document using that surface is added.
    """
    by_doc = {d.id: d for d in docs}
    actors = [m for m in mentions if m.doc_id in by_doc and not (
        is_place(m) or m.entity_id in place_ids)]
    forms: dict[str, Counter[str]] = defaultdict(Counter)
    for m in actors:
        forms[m.entity_id][m.surface.casefold()] += 1
    contested: dict[str, set[str]] = {}
    for eid, c in forms.items():
        words = {f: set(_WORD.findall(f)) for f in c}
        full = {f for f, w in words.items()
                if w and not any(w < other for g, other in words.items() if g != f)}
        if len(full) >= 2:
            contested[eid] = full
    acc = _Acc()
    for m in sorted(actors, key=lambda m: (m.doc_id, m.start)):
        full = contested.get(m.entity_id)
        if not full or m.surface.casefold() not in full:
            continue
        doc = by_doc[m.doc_id]
        label = names.get(m.entity_id) or m.surface
        acc.add(("name", m.entity_id, m.surface.casefold(), doc.side, doc.source), label, doc,
                m.start, m.end, quotes.get(doc.id, []))
    return acc.rows()


def _excluded_words(lexicon: dict[str, Any], name_strings: Iterable[str],
                    stop: frozenset[str]) -> tuple[set[str], set[str]]:
    """N-grams of lexicon patterns (excluded whole) and tokens of entity names."""
    lex: set[str] = set()
    for ref in lexicon.get("loaded_terms") or []:
        for t in ref.get("terms") or []:
            for p in [t.get("term"), *(t.get("patterns") or [])]:
                if p:
                    lex.update(ngrams(str(p).rstrip("*"), stop))
    name_tokens: set[str] = set()
    # a set is the result, so each distinct name is split once (mentions repeat names)
    for n in dict.fromkeys(name_strings):
        name_tokens.update(w for w in ngrams(n, stop) if " " not in w)
    return lex, name_tokens


_OPEN = "“„«"
_CLOSE = "”»"
_PARA = re.compile(r"[^\n]+")


def _mark_spans(text: str) -> list[tuple[int, int]]:
    """Text between quotation marks, paragraph by paragraph.

    Curly, low and angle marks open and close; a straight mark toggles; a mark of
    one style may close another's ("“...\"").  A quote still open at the end of its
    paragraph runs to that end (the print convention for a quote going on in the next
    paragraph, which then opens with a mark again).  A paragraph that follows one
    ending in a colon ("..., saying:") is a block quote, quoted whole.
    """
    out: list[tuple[int, int]] = []
    prev_colon = False
    for m in _PARA.finditer(text):
        para, base = m.group(0), m.start()
        if not para.strip():
            continue
        if prev_colon:
            out.append((base, m.end()))
        prev_colon = para.rstrip().endswith(":")
        start: int | None = None
        for i, ch in enumerate(para):
            if start is None and (ch in _OPEN or ch == '"'):
                start = i
            elif start is not None and (ch in _CLOSE or ch == '"'):
                out.append((base + start, base + i + 1))
                start = None
        if start is not None:
            out.append((base + start, m.end()))
    return out


def quoted_spans(text: str, layer_spans: Iterable[tuple[int, int]] = ()) -> list[tuple[int, int]]:
    """Where the text speaks in someone else's voice: the quotes layer's spans plus any
    text between quotation marks (merged, sorted; see :func:`_mark_spans`).

    Why both: the quotes layer attributes speakers but misses quotes it cannot attribute
    (a scare quote, a slogan); for *whose words these are* any quotation marks suffice.
    """
    spans = sorted([*layer_spans, *_mark_spans(text)])
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


def term_hits(text: str, stop: frozenset[str], quoted: list[tuple[int, int]]
              ) -> list[tuple[str, int, int, bool]]:
    """(normalised uni- or bigram, start, end, inside a quote) for every content n-gram.

    Like :func:`ngrams` but with offsets and voice; a bigram never spans a quote
    boundary (half of it would be someone else's word).
    """
    import bisect

    starts = [q[0] for q in quoted]

    def inside(pos: int) -> bool:
        i = bisect.bisect_right(starts, pos) - 1
        return i >= 0 and quoted[i][0] <= pos < quoted[i][1]

    out: list[tuple[str, int, int, bool]] = []
    prev: tuple[str, int, bool] | None = None
    prev_end = -1
    for m in _WORD.finditer(text):
        raw = m.group(0)
        w = normalise(raw)
        gap = text[prev_end:m.start()] if prev_end >= 0 else " "
        q = inside(m.start())
        if raw.lower() in stop or w in stop or len(w) < 2:
            prev = None
        else:
            out.append((w, m.start(), m.end(), q))
            if prev is not None and gap.strip() == "" and prev[2] == q:
                out.append((f"{prev[0]} {w}", prev[1], m.end(), q))
            prev = (w, m.start(), q)
        prev_end = m.end()
    return out


@functools.lru_cache(maxsize=200_000)
def background_share(term: str) -> float:
    """The term's share of general English text (``wordfreq``; a floor for unseen terms).

    The fixed background of the informative prior: common words ("family", "near",
    "following") get large pseudo-counts and so need a large excess to stand out.
    """
    from wordfreq import word_frequency

    return max(word_frequency(term, "en"), BACKGROUND_FLOOR)


BACKGROUND_FLOOR = 1e-7
CONTENT_POS = frozenset({"NOUN", "ADJ", "VERB", "ADV"})


def log_odds_vs_background(count: int, total: int, term: str,
                           strength: float) -> float:
    """z of a group's use of ``term`` against the background prior alone.

    The prior's pseudo-count is ``strength x background share``; the background is
    fixed, so only the group's own variance enters: z = delta / sqrt(1 / (y + a)).
    """
    a = strength * background_share(term)
    d = (math.log((count + a) / (total + strength - count - a))
         - math.log(a / (strength - a)))
    return d * math.sqrt(count + a)


def log_odds_prior(a: Counter[str], b: Counter[str], strength: float,
                   corpus_weight: float = 0.5) -> dict[str, float]:
    """Fightin' Words z of group ``a`` against group ``b`` (positive: ``a`` prefers the term).

    The informative Dirichlet prior mixes the two groups' pooled share with the fixed
    English background (``corpus_weight`` of the first), times ``strength`` pseudo-counts.
    """
    pooled = a + b
    n_all = sum(pooled.values())
    na, nb = sum(a.values()), sum(b.values())
    if not n_all or not na or not nb:
        return {}
    out: dict[str, float] = {}
    for w, y in pooled.items():
        share = corpus_weight * y / n_all + (1 - corpus_weight) * background_share(w)
        aw = strength * share
        ya, yb = a.get(w, 0), b.get(w, 0)
        d = (math.log((ya + aw) / (na + strength - ya - aw))
             - math.log((yb + aw) / (nb + strength - yb - aw)))
        out[w] = d / math.sqrt(1.0 / (ya + aw) + 1.0 / (yb + aw))
    return out


def content_terms(examples: dict[str, list[tuple[str, int, int]]]) -> dict[str, str]:
    """term -> majority part of speech of its words in its example sentences; only
    content terms (nouns, adjectives, verbs, adverbs; not names) are returned.

    Why a tagger and not a word list: "near" is a preposition and "following" a
    preposition or participle by their use, not by their spelling.  Without an
    installed spaCy model every term passes (the background prior still shrinks
    common words) and the reason is logged in the result as ``"?"``.
    """
    try:
        from rashomon.analyze.nlp import load_nlp

        nlp = load_nlp()
    except Exception:  # no model installed: keep everything, marked as untagged
        return {t: "?" for t in examples}
    jobs: list[tuple[str, str, int, int]] = []
    for term, exs in examples.items():
        for text, s, e in exs[:3]:
            jobs.append((term, text, s, e))
    pos_of: dict[str, Counter[str]] = defaultdict(Counter)
    disabled = [p for p in nlp.pipe_names if p in ("parser", "ner", "lemmatizer")]
    with nlp.select_pipes(disable=disabled):
        docs = nlp.pipe((j[1] for j in jobs), batch_size=64)
        for (term, _text, s, e), doc in zip(jobs, docs, strict=True):
            toks = [t for t in doc if t.idx >= s and t.idx < e and not t.is_punct]
            if toks:
                # a term's part of speech is its head word's: the last word of an n-gram
                pos_of[term][toks[-1].pos_] += 1
                if any(t.pos_ not in CONTENT_POS and t.pos_ != "PROPN" for t in toks):
                    pos_of[term]["FUNCTION"] += 1
    out = {}
    for term, c in pos_of.items():
        pos = c.most_common(1)[0][0]
        if pos in CONTENT_POS and c.get("FUNCTION", 0) * 2 <= sum(c.values()) - c["FUNCTION"]:
            out[term] = pos
    return out


def distinctive_rows(docs: list[SideDoc], exclude_lex: set[str], name_tokens: set[str],
                     stop: frozenset[str], quotes: dict[str, list[tuple[int, int]]],
                     prior_scale: float = PARAMS.prior_scale) -> list[FramingRow]:
    """Top own-word n-grams per side against the fixed background (see module docstring).

    Each side is ranked on its own documents only, so rows of one side never depend
    on another side's documents.  ``prior_scale`` is unused (kept so callers that
    pass the old option still run); the prior's strength is ``PARAMS.background_strength``.
    """
    del prior_scale
    by_side: dict[str, list[SideDoc]] = defaultdict(list)
    for d in docs:
        by_side[d.side].append(d)
    if len(by_side) < 2:
        return []
    acc = _Acc()
    attrs: dict[tuple[str, ...], dict[str, Any]] = {}
    for side in sorted(by_side):
        for key, row_attrs, hits in _side_distinctive(by_side[side], exclude_lex, name_tokens,
                                                      stop, quotes):
            for d, s, e in hits:
                acc.add(key, "Distinctive vocabulary", d, s, e, quotes.get(d.id, []))
            attrs[key] = row_attrs
    return acc.rows(attrs)


def _side_distinctive(docs: list[SideDoc], exclude_lex: set[str], name_tokens: set[str],
                      stop: frozenset[str], quotes: dict[str, list[tuple[int, int]]]
                      ) -> list[tuple[tuple[str, ...], dict[str, Any],
                                      list[tuple[SideDoc, int, int]]]]:
    own: Counter[str] = Counter()
    quoted_n: Counter[str] = Counter()
    where: dict[str, list[tuple[SideDoc, int, int]]] = defaultdict(list)
    for d in docs:
        qs = quoted_spans(d.text, quotes.get(d.id, []))
        for term, s, e, q in term_hits(d.text, stop, qs):
            if q:
                quoted_n[term] += 1
            else:
                own[term] += 1
                where[term].append((d, s, e))
    total = sum(own.values())

    def allowed(term: str) -> bool:
        parts = term.split()
        if term in exclude_lex or any(p.isdigit() for p in parts):
            return False
        if len({d.id for d, _s, _e in where[term]}) < 2 and len(docs) > 1:
            return False
        return not all(p in name_tokens for p in parts)

    scored = []
    for term, y in own.items():
        if y < PARAMS.min_count or not allowed(term):
            continue
        z = log_odds_vs_background(y, total, term, PARAMS.background_strength)
        if z >= PARAMS.min_z:
            scored.append((z, term))
    scored.sort(key=lambda zt: (-zt[0], zt[1]))
    pool = scored[:PARAMS.top_distinctive * 4]
    examples = {t: [_sentence_job(d.text, s, e) for d, s, e in where[t][:3]] for _z, t in pool}
    pos = content_terms(examples)
    out = []
    for z, term in [zt for zt in pool if zt[1] in pos][:PARAMS.top_distinctive]:
        for source in sorted({d.source for d, _s, _e in where[term]}):
            key = ("distinctive", "distinctive", term, docs[0].side, source)
            out.append((key, {"z": round(z, 3), "side_count": own[term],
                              "quoted": quoted_n.get(term, 0), "pos": pos[term],
                              "background": background_share(term)},
                        [h for h in where[term] if h[0].source == source]))
    return out


def _sentence_job(text: str, start: int, end: int) -> tuple[str, int, int]:
    """The sentence around a hit and the hit's offsets inside it (for the tagger)."""
    s, e = sentence_span(text, start, end)
    return text[s:e], start - s, end - s


def _loose_regex(term: str) -> re.Pattern[str]:
    """Surface forms of a normalised n-gram: any case, possessive or plural ending."""
    parts = [re.escape(w) + r"(?:s|es|'s|’s)?" if not w.endswith("y") else
             re.escape(w[:-1]) + r"(?:y|ies|y's|y’s)" for w in term.split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(parts) + r"(?!\w)", re.IGNORECASE)


def normalise_phrase(s: str) -> str:
    return " ".join(normalise(w) for w in _WORD.findall(s))


def framing_layer(ctx: CorpusContext) -> None:
    """Corpus layer: rewrite the ``framing`` table from documents, mentions and the lexicon."""
    store, profile = ctx.store, ctx.profile
    docs = _docs(ctx)
    quotes = _quote_spans(store)
    lexicon = profile.lexicon or {}
    mentions = store.records_as("mentions", Mention)
    entities = {e.id: e for e in store.records_as("entities", Entity)}
    names = {eid: e.name for eid, e in entities.items()}
    for p in profile.places:
        names.setdefault(p["id"], p["name"])
    place_ids = {p["id"] for p in profile.places} | {
        eid for eid, e in entities.items() if e.kind == "place"}
    stop = stopwords()
    name_strings = [m.surface for m in mentions]
    for item in [*profile.actors, *profile.places, *profile.sources]:
        name_strings += [item["name"], *item.get("aliases", [])]
    for e in entities.values():
        name_strings += [e.name, *(e.aliases or [])]
    name_strings += [d.source for d in docs]
    exclude_lex, name_tokens = _excluded_words(lexicon, name_strings, stop)
    prior = float(ctx.options.get("framing_prior_scale", PARAMS.prior_scale))
    rows = (loaded_term_rows(docs, lexicon, quotes)
            + toponym_rows(docs, mentions, names, place_ids, quotes)
            + name_rows(docs, mentions, names, place_ids, quotes)
            + distinctive_rows(docs, exclude_lex, name_tokens, stop, quotes, prior))
    store.replace_corpus_records("framing", rows)


def framing_table(store: Any) -> dict[str, dict[str, dict[str, dict[str, Any]]]]:
    """side -> referent -> term -> {count, sources {source: count}, examples, kind, label}.

    For the report and the CLI; reads what :func:`framing_layer` stored.
    """
    table: dict[str, dict[str, dict[str, dict[str, Any]]]] = {}
    rows = store.records_as("framing", FramingRow)
    for r in sorted(rows, key=lambda r: (r.side, r.referent, r.term, r.source)):
        cell = table.setdefault(r.side, {}).setdefault(r.referent, {}).setdefault(
            r.term, {"count": 0, "sources": {}, "examples": [], "kind": r.kind,
                     "label": r.label})
        cell["count"] += r.count
        cell["sources"][r.source] = cell["sources"].get(r.source, 0) + r.count
        room = PARAMS.max_examples - len(cell["examples"])
        cell["examples"].extend(r.examples[:max(0, room)])
        if (r.attrs or {}).get("z") is not None:
            cell["z"] = r.attrs["z"]
    return table
