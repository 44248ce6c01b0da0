"""Draft a conflict profile from the corpus itself (``rashomon profile draft``).

A new conflict has no profile; writing one from prior knowledge took an analyst
hundreds of lines.  This module reads what the analysis stored (documents,
mentions, entities, quotes, events, contradictions) and proposes a profile to
edit.  Every drafted item carries ``evidence`` (documents, counts, examples);
the loader ignores that key, so the draft loads unedited and a second run with
it has sides, outlets and loaded terms.

* **outlets**: each document's publisher, else its URL's domain, else ``unknown``
  (the ingest metadata detection fills ``publisher`` from datelines and credits).
* **camps**: outlets grouped by how they write.  Each outlet gets a profile of its
  *own* words (quotes excluded), the surface it uses for every multi-named entity
  and whom it quotes; features are standardised across outlets and the first
  principal component splits them in two.  Outlets near the middle (a wire that
  fits no camp) stay unassigned.  Camps are labelled ``camp-1``, ``camp-2`` in the
  order of their first outlet's name, so the labels carry no meaning.
* **loaded terms**: Fightin' Words log-odds of camp against camp with an
  informative Dirichlet prior (pooled corpus share mixed with an English
  background, :func:`rashomon.compare.framing.log_odds_prior`), own words only,
  content words only (part of speech), with a minimum count.
* **parties**: the entities most documents name and events involve.
* **contested names**: one entity written differently by different outlets, and
  near-identical names of one kind used by disjoint outlets (spelling variants).
* **candidate disputes**: contradictions the generic detectors stored.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

from rashomon.compare.framing import (
    content_terms,
    log_odds_prior,
    quoted_spans,
    sentence_span,
    stopwords,
    term_hits,
)
from rashomon.model import Contradiction, Document, Entity, Event, Mention, Quote
from rashomon.profiles import Profile

UNKNOWN = "unknown"


@dataclass(frozen=True)
class DraftParams:
    """Thresholds of the draft; each is documented in docs/profiles.md.

    camp_margin: an outlet joins a pole's camp only when its similarity to that pole beats
        its similarity to the other by this share of their sum; else it stays unassigned.
    max_poles: only this many largest outlets are tried as poles (pairs are quadratic:
        66 pairs at 12, each a pass over the two outlets' vocabulary).
    min_term_count: a loaded term is used at least this often (own words) by its camp.
    min_term_docs: ... in at least this many documents.
    min_z: ... and its camp-against-camp log-odds z reaches this (low: these are
        candidates ranked by z for an analyst, and a few documents rarely reach 1.96).
    top_terms: loaded terms kept per camp.
    prior_strength: most pseudo-counts of the informative prior (camp contrast) ...
    prior_ratio: ... which otherwise has this share of the compared groups' word count.
    corpus_weight: share of the pooled corpus (vs. English background) in that prior.
    max_parties: actors listed as the main parties.
    min_party_docs: ... each named in at least this many documents.
    name_similarity: two names of one kind this similar (rapidfuzz ratio, 0-100,
        diacritics folded) are proposed as one contested referent.
    max_examples: examples kept per item.
    """

    camp_margin: float = 0.2
    max_poles: int = 12
    min_term_count: int = 3
    min_term_docs: int = 2
    min_z: float = 0.5
    top_terms: int = 50
    prior_strength: float = 2000.0
    prior_ratio: float = 0.25
    corpus_weight: float = 0.5
    max_parties: int = 12
    min_party_docs: int = 2
    name_similarity: float = 88.0
    max_examples: int = 3


PARAMS = DraftParams()


@dataclass
class DocView:
    """What the draft needs of one document: text, outlet and where quotes are."""

    id: str
    text: str
    outlet: str
    quoted: list[tuple[int, int]]


def outlet_of(doc: Document | dict[str, Any]) -> str:
    """The outlet a document comes from: publisher, else detected outlet, else URL domain."""
    get = doc.get if isinstance(doc, dict) else (lambda k: getattr(doc, k, None))
    attrs = get("attrs") or {}
    for value in (get("publisher"), attrs.get("outlet"), attrs.get("publisher")):
        if isinstance(value, dict):
            value = value.get("name")
        if value and str(value).strip():
            return str(value).strip()
    url = get("url")
    if url:
        host = urlparse(str(url)).netloc.lower().removeprefix("www.")
        if host:
            return host
    return UNKNOWN


DOC_UNIT = "document:"


def doc_views(docs: list[Document], quotes: list[Quote]) -> list[DocView]:
    """Documents with their quoted spans (quotes layer plus quotation marks).

    A document with no outlet at all is its own unit (``document:<source>``), so
    plain files still group into camps; the draft pins them with ``documents`` rules.
    """
    spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for q in quotes:
        if q.start is not None and q.end is not None:
            spans[q.doc_id].append((q.start, q.end))
    out = []
    for d in docs:
        unit = outlet_of(d)
        if unit == UNKNOWN:
            unit = DOC_UNIT + (d.source or d.id)
        out.append(DocView(d.id, d.text, unit, quoted_spans(d.text, spans.get(d.id, []))))
    return out


# ---------------------------------------------------------------------------
# camps
def outlet_features(views: list[DocView], mentions: list[Mention], quotes: list[Quote],
                    stop: frozenset[str]) -> dict[str, Counter[str]]:
    """Per outlet, counts of: own-word n-grams, the surface chosen for each multi-named
    entity (``name:<entity>=<surface>``) and the speakers quoted (``quotes:<who>``)."""
    words: dict[str, Counter[str]] = defaultdict(Counter)
    names: dict[str, Counter[str]] = defaultdict(Counter)
    speakers: dict[str, Counter[str]] = defaultdict(Counter)
    outlet = {v.id: v.outlet for v in views}
    for v in views:
        words[v.outlet].update(t for t, _s, _e, q in term_hits(v.text, stop, v.quoted) if not q)
    surfaces: dict[str, set[str]] = defaultdict(set)
    for m in mentions:
        surfaces[m.entity_id].add(m.surface.casefold())
    for m in mentions:
        if m.doc_id in outlet and len(surfaces[m.entity_id]) > 1:
            names[outlet[m.doc_id]][f"name:{m.entity_id}={m.surface.casefold()}"] += 1
    for q in quotes:
        if q.doc_id in outlet and q.speaker is not None:
            key = q.speaker.entity_id or q.speaker.name
            speakers[outlet[q.doc_id]][f"quotes:{key}"] += 1
    out: dict[str, Counter[str]] = {}
    for o in sorted(words.keys() | names.keys() | speakers.keys()):
        out[o] = words[o] + names[o] + speakers[o]
    return out


def induce_camps(features: dict[str, Counter[str]], margin: float = PARAMS.camp_margin,
                 params: DraftParams = PARAMS) -> tuple[dict[str, str], dict[str, float]]:
    """Split outlets into two camps around the two that contrast most.

    RETURNS: (outlet -> "camp-1" | "camp-2" | "unassigned", outlet -> position in
    [-1, 1]: its use of the first pole's distinctive terms minus the second's, over
    their sum).

    The poles are the pair of outlets with the most terms (words, names chosen,
    speakers quoted) whose Fightin' Words z between them is beyond +-1.96, weighted by
    |z| (capped at 5).  Statistical evidence, not raw distance, picks them: a short
    neutral wire is unlike everyone but has too few words for any contrast to be
    significant, so it does not become a pole.  Every outlet is then placed by how much
    of each pole's distinctive vocabulary it uses; it joins a camp only when that
    share beats the other by more than ``margin`` (relative), else it stays unassigned
    (a wire using both camps' words, or neither's).
    """
    outlets = sorted(o for o in features if o != UNKNOWN and sum(features[o].values()))
    none = ({o: "unassigned" for o in outlets}, {o: 0.0 for o in outlets})
    if len(outlets) < 2:
        return none
    big = sorted(outlets, key=lambda o: (-sum(features[o].values()), o))[:params.max_poles]
    best: tuple[float, str, str] | None = None
    best_z: dict[str, float] = {}
    for i, a in enumerate(sorted(big)):
        for b in sorted(big)[i + 1:]:
            z = log_odds_prior(features[a], features[b],
                               _strength(features[a], features[b], params), params.corpus_weight)
            contrast = sum(min(abs(v), 5.0) for v in z.values() if abs(v) >= 1.96)
            if best is None or contrast > best[0]:
                best, best_z = (contrast, a, b), z
    if best is None or best[0] == 0:
        return none
    _c, p, q = best
    p_terms = {t for t, v in best_z.items() if v >= 1.96}
    q_terms = {t for t, v in best_z.items() if v <= -1.96}
    pos: dict[str, float] = {}
    side: dict[str, str] = {}
    for o in outlets:
        n = sum(features[o].values())
        up = sum(features[o].get(t, 0) for t in p_terms) / n
        uq = sum(features[o].get(t, 0) for t in q_terms) / n
        rel = (up - uq) / (up + uq) if up + uq > 0 else 0.0
        pos[o] = round(rel, 4)
        side[o] = "P" if rel > margin else "Q" if rel < -margin else "unassigned"
    groups = [sorted(o for o, c in side.items() if c == k) for k in ("P", "Q")]
    ordered = sorted((g for g in groups if g), key=lambda g: g[0])
    camp_of = {o: "unassigned" for o in outlets}
    for i, g in enumerate(ordered, 1):
        for o in g:
            camp_of[o] = f"camp-{i}"
    return camp_of, pos


# ---------------------------------------------------------------------------
# loaded terms
def loaded_terms(views: list[DocView], camp_of: dict[str, str], stop: frozenset[str],
                 params: DraftParams = PARAMS, name_words: set[str] | None = None
                 ) -> dict[str, list[dict[str, Any]]]:
    """camp -> terms it prefers over the other camp, with counts, z and examples.

    Only the outlet's own words count; the number of times the term occurs inside
    quotes in the camp's documents is reported beside (``quoted``).
    """
    camps = sorted({c for c in camp_of.values() if c.startswith("camp-")})
    if len(camps) != 2:
        return {}
    own: dict[str, Counter[str]] = {c: Counter() for c in camps}
    quoted: dict[str, Counter[str]] = {c: Counter() for c in camps}
    docs: dict[tuple[str, str], set[str]] = defaultdict(set)
    where: dict[tuple[str, str], list[tuple[DocView, int, int]]] = defaultdict(list)
    for v in views:
        camp = camp_of.get(v.outlet)
        if camp not in own:
            continue
        for term, s, e, q in term_hits(v.text, stop, v.quoted):
            if q:
                quoted[camp][term] += 1
                continue
            own[camp][term] += 1
            docs[(camp, term)].add(v.id)
            if len(where[(camp, term)]) < params.max_examples:
                where[(camp, term)].append((v, s, e))
    names = name_words or set()
    out: dict[str, list[dict[str, Any]]] = {}
    for camp, other in ((camps[0], camps[1]), (camps[1], camps[0])):
        zs = log_odds_prior(own[camp], own[other], _strength(own[camp], own[other], params),
                            params.corpus_weight)
        pool = sorted(((z, t) for t, z in zs.items()
                       if z >= params.min_z and own[camp][t] >= params.min_term_count
                       and len(docs[(camp, t)]) >= params.min_term_docs
                       and not any(ch.isdigit() for ch in t)
                       and not all(w in names for w in t.split())),
                      key=lambda zt: (-zt[0], zt[1]))[:params.top_terms * 3]
        jobs = {t: [_job(v.text, s, e) for v, s, e in where[(camp, t)]] for _z, t in pool}
        pos = content_terms(jobs)
        items = []
        for z, t in pool:
            if t not in pos:
                continue
            items.append({"term": t, "z": round(z, 2), "pos": pos[t],
                          "count": own[camp][t], "other_count": own[other][t],
                          "quoted": quoted[camp][t], "docs": len(docs[(camp, t)]),
                          "examples": [_example(v, s, e) for v, s, e in where[(camp, t)]]})
            if len(items) >= params.top_terms:
                break
        out[camp] = items
    return out


def _strength(a: Counter[str], b: Counter[str], params: DraftParams) -> float:
    """Prior pseudo-counts: ``prior_ratio`` of the two groups' words, at most
    ``prior_strength`` (a fixed strength would drown a few short documents)."""
    return min(params.prior_strength, params.prior_ratio * (sum(a.values()) + sum(b.values())))


def _job(text: str, s: int, e: int) -> tuple[str, int, int]:
    a, b = sentence_span(text, s, e)
    return text[a:b], s - a, e - a


def _example(v: DocView, s: int, e: int) -> dict[str, Any]:
    a, b = sentence_span(v.text, s, e)
    return {"doc_id": v.id, "outlet": v.outlet, "text": " ".join(v.text[a:b].split())}


# ---------------------------------------------------------------------------
# parties and contested names
ACTOR_KINDS = frozenset({"state", "organisation", "organization", "armed_group", "group",
                         "person", "igo", "party", "norp", "org"})


def parties(entities: dict[str, Entity], mentions: list[Mention], events: list[Event],
            params: DraftParams = PARAMS) -> list[dict[str, Any]]:
    """The actors most documents name, ranked by documents and then by event roles."""
    docs: dict[str, set[str]] = defaultdict(set)
    surfaces: dict[str, Counter[str]] = defaultdict(Counter)
    for m in mentions:
        docs[m.entity_id].add(m.doc_id)
        surfaces[m.entity_id][m.surface] += 1
    roles: dict[str, Counter[str]] = defaultdict(Counter)
    for ev in events:
        for role, actor in (("source", ev.source_actor), ("target", ev.target_actor)):
            if actor is not None and actor.entity_id:
                roles[actor.entity_id][role] += 1
    ranked = []
    for eid, ds in docs.items():
        e = entities.get(eid)
        if e is None or e.kind not in ACTOR_KINDS or len(ds) < params.min_party_docs:
            continue
        ranked.append((-len(ds), -sum(roles[eid].values()), e.name, eid))
    out = []
    used: set[str] = set()
    for _nd, _nr, name, eid in sorted(ranked)[:params.max_parties]:
        e = entities[eid]
        pid = _slug(name)
        while pid in used:  # two entities with one name (kept apart by the entity layer)
            pid += "-x"
        used.add(pid)
        out.append({"id": pid, "name": name, "kind": e.kind,
                    "aliases": sorted(surfaces[eid]),
                    **({"country": e.country} if e.country else {}),
                    "evidence": {"documents": len(docs[eid]), "mentions":
                                 sum(surfaces[eid].values()),
                                 "event_roles": dict(roles[eid]),
                                 "doc_ids": sorted(docs[eid])[:params.max_examples * 3]}})
    return out


def _fold(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", s.casefold())
                   if not unicodedata.combining(c))


def contested_names(entities: dict[str, Entity], mentions: list[Mention],
                    outlet: dict[str, str], params: DraftParams = PARAMS
                    ) -> list[dict[str, Any]]:
    """Referents written differently by different outlets, with who writes what."""
    from rapidfuzz import fuzz

    use: dict[str, dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    for m in mentions:
        if m.doc_id in outlet:
            use[m.entity_id][m.surface.strip()][outlet[m.doc_id]] += 1
    # spelling variants stored as separate entities of one kind: propose them as one referent
    groups: dict[str, set[str]] = {eid: {eid} for eid in use}
    ids = sorted(use)
    for i, a in enumerate(ids):
        ea = entities.get(a)
        for b in ids[i + 1:]:
            eb = entities.get(b)
            if ea is None or eb is None or ea.kind != eb.kind:
                continue
            same_point = ea.lat is not None and (ea.lat, ea.lon) == (eb.lat, eb.lon)
            if same_point or fuzz.ratio(_fold(ea.name), _fold(eb.name)) >= params.name_similarity:
                merged = groups[a] | groups[b]
                for x in merged:
                    groups[x] = merged
    out = []
    seen: set[frozenset[str]] = set()
    for eid in ids:
        g = frozenset(groups[eid])
        if g in seen:
            continue
        seen.add(g)
        forms: dict[str, Counter[str]] = defaultdict(Counter)
        for x in g:
            for surface, by in use[x].items():
                forms[surface].update(by)
        folded = {_fold(f) for f in forms}
        users = [set(by) for by in forms.values()]
        if len(folded) < 2 or len(users) < 2:
            continue
        # contested: some outlet uses one form and never another that some outlet uses
        if all(u == users[0] for u in users):
            continue
        first = entities.get(sorted(g)[0])
        out.append({"referent": first.name if first else sorted(g)[0],
                    "kind": first.kind if first else "",
                    "entity_ids": sorted(g),
                    "names": {f: dict(sorted(by.items())) for f, by in sorted(forms.items())}})
    return out


# ---------------------------------------------------------------------------
# the whole draft
def draft_profile(store: Any, name: str = "draft", params: DraftParams = PARAMS
                  ) -> dict[str, Any]:
    """The drafted profile as a dict ready for YAML; see the module docstring."""
    docs = list(store.iter_documents(include_duplicates=False))
    quotes = _records(store, "quotes", Quote)
    mentions = _records(store, "mentions", Mention)
    entities = {e.id: e for e in _records(store, "entities", Entity)}
    events = _records(store, "events", Event)
    contradictions = _records(store, "contradictions", Contradiction)
    views = doc_views(docs, quotes)
    stop = stopwords()
    feats = outlet_features(views, mentions, quotes, stop)
    camp_of, axis = induce_camps(feats, params.camp_margin, params)
    outlet = {v.id: v.outlet for v in views}
    name_words = {w.casefold() for m in mentions for w in m.surface.split()}
    terms = loaded_terms(views, camp_of, stop, params, name_words)
    camps = sorted({c for c in camp_of.values() if c.startswith("camp-")})
    docs_per_outlet = Counter(outlet.values())
    sources = []
    rules = []
    for o in sorted(docs_per_outlet):
        if o.startswith(DOC_UNIT):
            camp = camp_of.get(o, "unassigned")
            if camp.startswith("camp-"):
                rules.append({"match": {"source": o.removeprefix(DOC_UNIT)}, "side": camp,
                              "note": "drafted: this document names no outlet",
                              "evidence": {"camp_axis": axis.get(o, 0.0)}})
            continue
        src: dict[str, Any] = {"id": _slug(o), "name": o, "aliases": [o]}
        if camp_of.get(o, "unassigned").startswith("camp-"):
            src["side"] = camp_of[o]
        src["evidence"] = {"documents": docs_per_outlet[o], "camp": camp_of.get(o, "unassigned"),
                           "camp_axis": axis.get(o, 0.0),
                           "doc_ids": sorted(d for d, x in outlet.items() if x == o)[:9]}
        sources.append(src)
    party_camps = [{"id": c, "name": c, "evidence": {
        "outlets": sorted(o for o, x in camp_of.items() if x == c)}} for c in camps]
    lexicon: dict[str, Any] = {"loaded_terms": [
        {"referent": f"drafted-{c}", "label": f"Terms {c} uses more than the other camp (drafted)",
         "terms": [{"term": t["term"], "patterns": [t["term"]], "evidence": t}
                   for t in terms.get(c, [])]}
        for c in camps if terms.get(c)]}
    return {
        "name": name,
        "description": ("Drafted by rashomon profile draft from the corpus; every item's "
                        "evidence is under 'evidence'. Name the camps, merge or drop items."),
        "parties": party_camps,
        "actors": parties(entities, mentions, events, params),
        "places": [],
        "sources": sources,
        "documents": rules,
        "lexicon": lexicon,
        "draft": {
            "unassigned_outlets": sorted(o for o, c in camp_of.items() if c == "unassigned"),
            "documents_without_outlet": sum(n for o, n in docs_per_outlet.items()
                                            if o.startswith(DOC_UNIT)),
            "contested_names": contested_names(entities, mentions, outlet, params),
            "candidate_disputes": candidate_disputes(contradictions, outlet, camp_of),
        },
    }


def candidate_disputes(contradictions: list[Contradiction], outlet: dict[str, str],
                       camp_of: dict[str, str], limit: int = 50) -> list[dict[str, Any]]:
    """Contradictions the generic detectors stored, across outlets first, most confident first."""
    out = []
    for c in contradictions:
        a, b = c.a or {}, c.b or {}
        oa, ob = outlet.get(a.get("doc_id", ""), UNKNOWN), outlet.get(b.get("doc_id", ""), UNKNOWN)
        out.append({"kind": c.kind, "slot": (c.attrs or {}).get("slot", c.kind),
                    "confidence": round(float(c.confidence), 3), "id": c.id,
                    "across_camps": camp_of.get(oa, "unassigned") != camp_of.get(ob, "unassigned"),
                    "a": {"doc_id": a.get("doc_id"), "outlet": oa, "text": a.get("text")},
                    "b": {"doc_id": b.get("doc_id"), "outlet": ob, "text": b.get("text")},
                    "reason": (c.attrs or {}).get("reason")})
    out.sort(key=lambda d: (not d["across_camps"], d["a"]["outlet"] == d["b"]["outlet"],
                            -d["confidence"], d["id"]))
    return out[:limit]


def _records(store: Any, table: str, cls: type) -> list[Any]:
    try:
        return store.records_as(table, cls)
    except Exception:  # a table the analysis never made (not analysed yet): nothing drafted
        return []


def _slug(name: str) -> str:
    return re.sub(r"[^0-9a-z]+", "-", _fold(name)).strip("-") or "item"


def camp_profile(store: Any, base: Profile, params: DraftParams = PARAMS) -> Profile | None:
    """Generic mode's sides: ``base`` plus camps induced from the stored corpus, or None.

    Used by the corpus layers when the profile names no parties (the ``generic``
    profile), so stories, coverage and framing are compared by camp at once, before
    anyone writes a profile.  Only the camps are induced here (no loaded terms, no
    tagger): outlets with a camp become ``sources`` with that side, documents with
    no outlet are pinned by ``documents`` rules.  None when the base profile has
    parties of its own or when no two camps can be told apart.
    """
    if base.parties:
        return None
    docs = list(store.iter_documents(include_duplicates=False))
    quotes = _records(store, "quotes", Quote)
    views = doc_views(docs, quotes)
    feats = outlet_features(views, _records(store, "mentions", Mention), quotes, stopwords())
    camp_of, _axis = induce_camps(feats, params.camp_margin, params)
    camps = sorted({c for c in camp_of.values() if c.startswith("camp-")})
    if len(camps) < 2:
        return None
    sources = [{"id": _slug(o), "name": o, "aliases": [o], "side": c}
               for o, c in sorted(camp_of.items()) if c in camps and not o.startswith(DOC_UNIT)]
    rules = [{"match": {"source": o.removeprefix(DOC_UNIT)}, "side": c}
             for o, c in sorted(camp_of.items()) if c in camps and o.startswith(DOC_UNIT)]
    parties_ = [{"id": c, "name": f"{c} (induced: "
                 f"{', '.join(o.removeprefix(DOC_UNIT) for o, x in sorted(camp_of.items()) if x == c)})",
                 "aliases": []} for c in camps]
    data = {**base.data, "parties": parties_, "sources": [*base.sources, *sources],
            "documents": [*(base.data.get("documents") or []), *rules]}
    digest = hashlib.sha256(json.dumps([base.fingerprint, camp_of], sort_keys=True)
                            .encode()).hexdigest()[:16]
    return Profile(name=base.name, path=base.path, data=data, fingerprint=digest,
                   parties=parties_, actors=base.actors, places=base.places,
                   sources=[*base.sources, *sources], lexicon=base.lexicon)
