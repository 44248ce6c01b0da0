"""Contradictions: pairs of claims from different sources or speakers that cannot both hold.

Candidate pairs come from *scopes* so the work stays far below quadratic:

* the same story (claims whose event, or whose sentence's event, is in it);
* the same topic key: a qualifier pair plus its ``about`` term or qualified
  noun; a decision noun plus an entity (for dates); a unit plus an entity
  (for numbers);
* the same passage of one document (claims of different speakers within a
  few paragraphs, e.g. a prosecutor's account and a ministry's rebuttal).

Every registered detector (:mod:`rashomon.plugins`) judges each pair; the
findings become :class:`~rashomon.model.Contradiction` records carrying both
evidence spans, the kind, a confidence and a review status.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from itertools import combinations, product
from typing import Any

from rashomon.compare.detectors import LexicalDetector, Scope
from rashomon.compare.neutral import text_shape
from rashomon.layers import CorpusContext
from rashomon.model import Contradiction, stable_id

# Claims compared per scope group.  A larger group keeps the claims of the
# documents stored first (then by document id and offset): a document added
# later can only lose its own pairs to the cap, never evict pairs of documents
# that were already compared (so adding a document changes only the records
# it takes part in).  Within the kept claims the order is by claim id, as always.
MAX_GROUP = 150
PASSAGE_CHARS = 1500


def _speaker_key(claim: dict[str, Any]) -> str:
    sp = claim.get("speaker") or {}
    return sp.get("entity_id") or (sp.get("name") or "").lower() or f"outlet:{claim.get('outlet')}"


def _side(claim: dict[str, Any]) -> dict[str, Any]:
    sp = claim.get("speaker") or {}
    return {
        "claim_id": claim["id"], "doc_id": claim["doc_id"], "start": claim["start"],
        "end": claim["end"], "text": claim["text"],
        "speaker": sp.get("name") or None, "speaker_entity": sp.get("entity_id"),
        "outlet": claim.get("outlet"), "side": claim.get("side"),
        "slots": {k: v for k, v in claim["slots"].items() if k in
                  ("qualifier", "negated", "pair", "pole", "object", "about", "value", "unit",
                   "date",
                   "decision", "action", "polarity", "trigger")},
    }


def scope_keys(claim: dict[str, Any], story_of_span: dict[tuple[str, int], str],
               story_of_event: dict[str, str]) -> list[tuple[Any, ...]]:
    """The comparison scopes a claim belongs to."""
    keys: list[tuple[Any, ...]] = []
    story = story_of_event.get(claim.get("event_id") or "") or \
        story_of_span.get((claim["doc_id"], claim["start"]))
    if story:
        keys.append(("story", story))
    slots = claim["slots"]
    kind = claim["kind"]
    if kind == "qualification":
        if slots.get("about"):
            keys.append(("qual", slots["pair"], "about"))
        elif slots.get("object"):
            keys.append(("qual", slots["pair"], slots["object"]))
    elif kind == "date":
        for ent in slots.get("entities") or []:
            keys.append(("date", slots["decision"], ent))
        if slots.get("decision") == "judicial":
            # court decisions are rare enough to compare across the corpus even
            # when the court is not named ("the judges ruled in December")
            keys.append(("date", "judicial"))
    elif kind == "number":
        for ent in slots.get("entities") or []:
            keys.append(("num", slots["unit"], ent))
    keys.append(("passage", claim["doc_id"], claim["start"] // PASSAGE_CHARS))
    keys.append(("passage", claim["doc_id"], (claim["start"] + PASSAGE_CHARS // 2) // PASSAGE_CHARS, "h"))
    return keys


def find_contradictions(claims: list[dict[str, Any]], stories: list[dict[str, Any]],
                        detectors: Iterable[Any],
                        pairs: dict[str, dict[str, Any]],
                        doc_order: dict[str, int] | None = None) -> list[Contradiction]:
    """Pure function: claims and stories in, contradictions out (deterministic).

    :param doc_order: each document's rank in storage order
        (:meth:`~rashomon.store.Store.document_order`); decides which claims a
        group over :data:`MAX_GROUP` keeps (see there).  Without it, documents
        rank by id.
    """
    story_of_event = {eid: s["id"] for s in stories for eid in s.get("event_ids", [])}
    story_of_span: dict[tuple[str, int], str] = {}
    for c in claims:
        if c.get("event_id") and c["event_id"] in story_of_event:
            story_of_span[(c["doc_id"], c["start"])] = story_of_event[c["event_id"]]
    groups: dict[tuple[Any, ...], list[dict[str, Any]]] = defaultdict(list)
    for c in claims:
        for key in scope_keys(c, story_of_span, story_of_event):
            groups[key].append(c)
    detectors = list(detectors)
    lexical_only = bool(detectors) and all(type(d) is LexicalDetector for d in detectors)
    memo = _ClaimMemo()
    found: dict[str, Contradiction] = {}
    for key, members in sorted(groups.items(), key=lambda kv: str(kv[0])):
        if len(members) > MAX_GROUP:
            members = _capped(members, doc_order or {})
        members = sorted(members, key=lambda c: c["id"])
        story_id = key[1] if key[0] == "story" else None
        scope = Scope(key=key, story_id=story_id, pairs=pairs)
        passage = key[0] == "passage"
        scope_str: list[str] | None = None
        if lexical_only:
            cands = _lexical_pairs(members, story_id is not None)
        else:
            cands = _candidate_pairs(members, whole=story_id is not None)
        for a, b in cands:
            same_doc = a["doc_id"] == b["doc_id"]
            if same_doc and memo.speaker(a) == memo.speaker(b):
                continue  # one voice does not contradict itself here
            if same_doc and a["start"] == b["start"]:
                continue
            if passage and not same_doc:
                continue
            for det in detectors:
                for f in det.detect(a, b, scope):
                    # one contradiction per kind and pair of sentences, however many
                    # qualifier words the two sentences share
                    cid = memo.contradiction_id(f.kind, a, b)
                    prev = found.get(cid)
                    if prev is not None and prev.confidence >= f.confidence:
                        continue
                    first, second = sorted((a, b), key=lambda c: (c["doc_id"], c["start"]))
                    if scope_str is None:
                        scope_str = list(map(str, key))
                    found[cid] = Contradiction(
                        id=cid, kind=f.kind, story_id=story_id or (prev.story_id if prev else None),
                        confidence=f.confidence, a=memo.side(first), b=memo.side(second),
                        detector=det.name, attrs={"reason": f.reason, "scope": list(scope_str),
                                                  "group": memo.group(f.kind, a, story_id)},
                    )
    return _one_per_voice_pair(found.values())


def _capped(members: list[dict[str, Any]], doc_order: dict[str, int]) -> list[dict[str, Any]]:
    """The :data:`MAX_GROUP` claims of a group that are compared: earliest-stored documents first.

    Ranking by storage order (not by a hash of the claim) is what makes the cap
    stable under additions: a new document ranks after every stored one.
    """
    last = len(doc_order)
    return sorted(members, key=lambda c: (doc_order.get(c["doc_id"], last), c["doc_id"],
                                          c["start"], c["id"]))[:MAX_GROUP]


class _ClaimMemo:
    """Per-claim values computed once per run, not once per candidate pair.

    A claim meets many partners across its scopes (story, topic keys, two
    passage windows); its speaker key, evidence side and dispute group do not
    depend on the partner.  Keyed by the claim dict's identity (the dicts live
    for the whole call).
    """

    def __init__(self) -> None:
        self._speaker: dict[int, str] = {}
        self._side: dict[int, dict[str, Any]] = {}
        self._group: dict[tuple[str, int, str | None], str] = {}
        self._cid: dict[tuple[Any, ...], str] = {}

    def speaker(self, claim: dict[str, Any]) -> str:
        k = id(claim)
        v = self._speaker.get(k)
        if v is None:
            v = self._speaker[k] = _speaker_key(claim)
        return v

    def side(self, claim: dict[str, Any]) -> dict[str, Any]:
        """A fresh copy of the claim's evidence side (records never share dicts)."""
        k = id(claim)
        v = self._side.get(k)
        if v is None:
            v = self._side[k] = _side(claim)
        out = dict(v)
        out["slots"] = dict(v["slots"])
        return out

    def group(self, kind: str, claim: dict[str, Any], story_id: str | None) -> str:
        k = (kind, id(claim), story_id)
        v = self._group.get(k)
        if v is None:
            v = self._group[k] = _group(kind, claim, story_id)
        return v

    def contradiction_id(self, kind: str, a: dict[str, Any], b: dict[str, Any]) -> str:
        pa, pb = (a["doc_id"], a["start"]), (b["doc_id"], b["start"])
        k = (kind, pa, pb)
        v = self._cid.get(k)
        if v is None:
            v = self._cid[k] = stable_id(kind, *sorted((pa, pb)), prefix="x")
        return v


def _candidate_pairs(members: list[dict[str, Any]], whole: bool) -> Iterable[tuple[Any, Any]]:
    """Pairs worth judging in one scope.

    Within a story every pair is offered (a model-based detector may see what
    the rules cannot).  In topic and passage scopes only claims of one kind are
    paired, and qualifications only across the two poles of one pair: the
    other pairs could never be contradictions there, and skipping them keeps
    dense disputes from growing quadratically.
    """
    if whole:
        yield from combinations(members, 2)
        return
    by_kind: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for c in members:
        by_kind[c["kind"]].append(c)
    for kind, cs in sorted(by_kind.items()):
        if kind != "qualification":
            yield from combinations(cs, 2)
            continue
        poles: dict[str, tuple[list[Any], list[Any]]] = defaultdict(lambda: ([], []))
        for c in cs:
            poles[c["slots"]["pair"]][0 if c["slots"]["pole"] == "a" else 1].append(c)
        for _name, (a_side, b_side) in sorted(poles.items()):
            yield from product(a_side, b_side)


def _lexical_key(claim: dict[str, Any], story: bool) -> tuple[Any, ...] | None:
    """What two claims must share for :class:`LexicalDetector` to find anything.

    Its rules compare claims of one kind only, and within a kind only those
    with the same qualifier pair, decision, unit or (within a story) action;
    ``None``: no rule can fire for this claim in this scope.
    """
    kind, sl = claim["kind"], claim["slots"]
    if kind == "qualification":
        return (kind, sl.get("pair"))
    if kind == "date":
        return (kind, sl.get("decision"))
    if kind == "number":
        return (kind, sl.get("unit"))
    if kind == "action" and story:
        return (kind, sl.get("action"))
    return None


def _lexical_pairs(members: list[dict[str, Any]], whole: bool) -> list[tuple[Any, Any]]:
    """:func:`_candidate_pairs` minus the pairs on which the lexical rules cannot fire.

    Same pairs as the full enumeration would judge with a finding possible, in
    the same order (the order decides ties between equally confident findings).
    Within a story the pairs are built per shared key (and across the two
    polarities of an action, the poles of a qualifier pair), so a story told by
    many copies costs the pairs that can disagree, not all pairs of its claims.
    """
    keys = [_lexical_key(c, whole) for c in members]
    if not whole:
        by_id = {id(c): k for c, k in zip(members, keys, strict=True)}
        return [(a, b) for a, b in _candidate_pairs(members, whole=False)
                if by_id[id(a)] is not None and by_id[id(a)] == by_id[id(b)]]
    buckets: dict[tuple[Any, ...], list[int]] = defaultdict(list)
    for i, k in enumerate(keys):
        if k is not None:
            buckets[k].append(i)
    idx: list[tuple[int, int]] = []
    for key, ix in buckets.items():
        if key[0] == "action":  # only an assertion and a negation can disagree
            pos = [i for i in ix if members[i]["slots"].get("polarity") == "positive"]
            neg = [i for i in ix if members[i]["slots"].get("polarity") == "negative"]
            idx += [(i, j) if i < j else (j, i) for i in pos for j in neg]
        elif key[0] == "qualification":  # only opposite poles can disagree
            by_pole: dict[Any, list[int]] = defaultdict(list)
            for i in ix:
                by_pole[members[i]["slots"].get("pole")].append(i)
            for p, q in combinations(list(by_pole), 2):
                idx += [(i, j) if i < j else (j, i) for i in by_pole[p] for j in by_pole[q]]
        else:
            idx += combinations(ix, 2)
    return [(members[i], members[j]) for i, j in sorted(idx)]


def _group(kind: str, claim: dict[str, Any], story_id: str | None) -> str:
    """One dispute, many voices: pairs about the same subject share a group.

    The group is named by kind and subject (the qualifier pair and its
    ``about`` term or qualified noun, the decision family, the unit) or the story.
    """
    sl = claim["slots"]
    subject = (sl.get("pair"), sl.get("about") or sl.get("object")) if claim["kind"] == \
        "qualification" else (sl.get("decision") or sl.get("unit") or sl.get("action"),)
    if story_id and claim["kind"] == "action":
        subject = (story_id,)
    return stable_id(kind, *map(str, subject), prefix="g")


def _one_per_voice_pair(found: Iterable[Contradiction]) -> list[Contradiction]:
    """Keep the strongest contradiction per kind and pair of voices (document + speaker).

    Two documents that disagree about one thing usually do so in several
    sentences; listing every sentence pair buries the other disagreements.
    The others are counted in ``attrs["similar"]``.
    """
    best: dict[tuple[Any, ...], Contradiction] = {}
    counts: dict[tuple[Any, ...], int] = defaultdict(int)
    # Ties are broken by the texts' shape (names masked), never by ids or names,
    # so exchanging the parties' names cannot change which pair represents the rest.
    shapes: dict[str, str] = {}

    def shape(text: str) -> str:
        v = shapes.get(text)
        if v is None:
            v = shapes[text] = text_shape(text)
        return v

    for c in sorted(found, key=lambda c: (-c.confidence,
                                          sorted((shape(c.a["text"]), shape(c.b["text"]))),
                                          c.id)):
        voices = sorted([(c.a["doc_id"], c.a.get("speaker") or ""),
                         (c.b["doc_id"], c.b.get("speaker") or "")])
        key = (c.kind, *voices[0], *voices[1])
        counts[key] += 1
        best.setdefault(key, c)
    for key, c in best.items():
        c.attrs["similar"] = counts[key] - 1
    return sorted(best.values(), key=lambda c: (-c.confidence, c.kind, c.id))


def contradictions_layer(ctx: CorpusContext) -> None:
    """Corpus layer: run all registered detectors over stored claims and stories."""
    from rashomon.analyze.claims import matcher_for
    from rashomon.compare.stories import event_level
    from rashomon.plugins import detectors as registry

    claims = ctx.store.records("claims")
    # reports of one event are compared inside the aligned event groups of each story
    stories = event_level(ctx.store.records("stories"))

    pairs = {p["name"]: p for p in matcher_for(ctx.profile).pairs}
    dets = []
    for det in registry().values():
        dets.append(det() if isinstance(det, type) else det)
    found = find_contradictions(claims, stories, dets, pairs,
                                doc_order=ctx.store.document_order())
    found = add_slot_contradictions(ctx, claims, stories, found)
    _sides_from_profile(ctx, found)
    ctx.store.replace_corpus_records("contradictions", found)


def _sides_from_profile(ctx: CorpusContext, found: list[Contradiction]) -> None:
    """Fill an ``unknown`` side from the corpus layers' profile.

    Claims take their side when each document is analysed; in generic mode the camps
    are induced only afterwards (:func:`rashomon.compare.draft.camp_profile`), so the
    corpus profile may know a side the claim could not.
    """
    meta = ctx.store.doc_meta()
    side_of = ctx.profile.side_lookup(meta)
    for c in found:
        for end in (c.a, c.b):
            if (end.get("side") or "unknown") == "unknown" and end.get("doc_id") in meta:
                end["side"] = side_of(meta[end["doc_id"]])


def add_slot_contradictions(ctx: CorpusContext, claims: list[dict[str, Any]],
                            stories: list[dict[str, Any]],
                            found: list[Contradiction]) -> list[Contradiction]:
    """Generic slot contradictions (no profile), scoped by document-level stories too.

    Statements are every sentence per voice (:mod:`rashomon.compare.statements`);
    document-level stories come from :func:`rashomon.compare.grouping.group_documents`.
    A generic finding of the same kind and sentence pair as a profile finding
    is the same contradiction (same id): the stronger one is kept.
    """
    from rashomon.compare.grouping import ArticleText, group_documents
    from rashomon.compare.statements import build_statements, find_slot_contradictions

    docs = [d.to_dict() for d in ctx.store.iter_documents(include_duplicates=False)]
    articles = [ArticleText(d["id"], d.get("title") or "", d.get("text") or "",
                            _date_of(d.get("published"))) for d in docs]
    groups = group_documents(articles)
    statements = build_statements(docs, ctx.store.records("quotes"), claims)
    generic = find_slot_contradictions(statements, groups, stories, claims)
    out = {c.id: c for c in found}
    by_voices = {_voices_key(c): c for c in found}
    by_sentences = {_sentences_key(c): c for c in found}
    for c in _one_per_voice_pair(generic):
        told = by_sentences.get(_sentences_key(c))
        if told is not None and told.id != c.id:
            # the same two sentences already disagree under a profile kind: one record
            # for the analyst to review, naming the generic slot too
            told.attrs.setdefault("also", []).append(c.kind)
            continue
        same = out.get(c.id) or by_voices.get(_voices_key(c))
        if same is None:
            out[c.id] = c
            continue
        # one disagreement of two voices already listed: count it, keep the stronger
        if c.confidence > same.confidence:
            c.attrs["similar"] = same.attrs.get("similar", 0) + c.attrs.get("similar", 0) + 1
            del out[same.id]
            out[c.id] = c
        else:
            same.attrs["similar"] = same.attrs.get("similar", 0) + 1
    return sorted(out.values(), key=lambda c: (-c.confidence, c.kind, c.id))


def _sentences_key(c: Contradiction) -> tuple[Any, ...]:
    return tuple(sorted([(c.a["doc_id"], c.a["start"]), (c.b["doc_id"], c.b["start"])]))


def _voices_key(c: Contradiction) -> tuple[Any, ...]:
    voices = sorted([(c.a["doc_id"], c.a.get("speaker") or ""),
                     (c.b["doc_id"], c.b.get("speaker") or "")])
    return (c.kind, *voices[0], *voices[1])


def _date_of(value: Any) -> Any:
    from datetime import date

    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None
