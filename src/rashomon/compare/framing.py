"""Framing: which words each side and each outlet chooses for the same things.

Three kinds of evidence, all counted per (side, source) and kept with example
sentences so a reader can check every number:

* ``loaded_term``: the profile lexicon names referents (a road closure, a
  checkpoint) and the competing terms for each; we count matches of every
  term's patterns.  Matches inside a quote are still counted (printing a quote
  is the outlet's choice) but the example carries ``quoted: true``.
* ``toponym``: a place known under several names; which surface each side uses.
* ``distinctive``: words and word pairs over-used by one side compared with the
  others, by the log-odds ratio with an informative Dirichlet prior (Monroe,
  Colaresi & Quinn 2008, "Fightin' Words"), computed here from the corpus
  itself.  Only terms with z >= 1.96 and at least 3 uses qualify, top 15 per
  side; lexicon terms and entity names are left out since the other two kinds
  already cover them.

Sides are opaque labels from documents or the profile's source registry; the
code treats every side the same way, so swapping two sides' documents swaps
the table and nothing else.
"""

from __future__ import annotations

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
    """

    max_examples: int = 3
    top_distinctive: int = 15
    min_z: float = 1.96
    min_count: int = 3
    prior_scale: float = 0.25
    example_max_chars: int = 400


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
    kind: str  # loaded_term | toponym | distinctive
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


def _stopwords() -> frozenset[str]:
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
class _Doc:
    id: str
    text: str
    side: str
    source: str


def _docs(ctx: CorpusContext) -> list[_Doc]:
    out = []
    for d in ctx.store.iter_documents(include_duplicates=False):
        side = ctx.profile.side_of(d)
        out.append(_Doc(d.id, d.text, side, d.publisher or "unknown"))
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

    def add(self, key: tuple[str, ...], label: str, doc: _Doc, start: int, end: int,
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


def loaded_term_rows(docs: list[_Doc], lexicon: dict[str, Any],
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


def toponym_rows(docs: list[_Doc], mentions: list[Mention], names: dict[str, str],
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


def distinctive_rows(docs: list[_Doc], exclude_lex: set[str], name_tokens: set[str],
                     stop: frozenset[str], quotes: dict[str, list[tuple[int, int]]],
                     prior_scale: float = PARAMS.prior_scale) -> list[FramingRow]:
    """Top over-used n-grams per side (see module docstring)."""
    sides = sorted({d.side for d in docs})
    if len(sides) < 2:
        return []
    counts: dict[str, Counter[str]] = {s: Counter() for s in sides}
    for d in docs:
        counts[d.side].update(ngrams(d.text, stop))

    def allowed(term: str) -> bool:
        parts = term.split()
        if term in exclude_lex or any(p.isdigit() for p in parts):
            return False
        return not all(p in name_tokens for p in parts)

    zs = log_odds_z(counts, prior_scale)
    chosen: dict[str, dict[str, float]] = {}
    for side in sides:
        ranked = sorted(((z, t) for t, z in zs[side].items()
                         if z >= PARAMS.min_z and counts[side][t] >= PARAMS.min_count
                         and allowed(t)),
                        key=lambda zt: (-zt[0], zt[1]))
        chosen[side] = {t: z for z, t in ranked[:PARAMS.top_distinctive]}
    acc = _Acc()
    attrs: dict[tuple[str, ...], dict[str, Any]] = {}
    loose: dict[str, re.Pattern[str]] = {}  # one compiled pattern per term, not per document
    for d in docs:
        terms = chosen.get(d.side) or {}
        if not terms:
            continue
        for term in terms:
            rx = loose.get(term)
            if rx is None:
                rx = loose[term] = _loose_regex(term)
            for m in rx.finditer(d.text):
                if normalise_phrase(m.group(0)) != term:
                    continue
                key = ("distinctive", "distinctive", term, d.side, d.source)
                acc.add(key, "Distinctive vocabulary", d, m.start(), m.end(),
                        quotes.get(d.id, []))
                attrs[key] = {"z": round(terms[term], 3), "side_count": counts[d.side][term]}
    return acc.rows(attrs)


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
    stop = _stopwords()
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
