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

from rashomon.compare.detectors import Scope
from rashomon.compare.neutral import text_shape
from rashomon.layers import CorpusContext
from rashomon.model import Contradiction, stable_id

MAX_GROUP = 150  # claims per scope group; larger groups are split by document date
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
                        pairs: dict[str, dict[str, Any]]) -> list[Contradiction]:
    """Pure function: claims and stories in, contradictions out (deterministic)."""
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
    found: dict[str, Contradiction] = {}
    for key, members in sorted(groups.items(), key=lambda kv: str(kv[0])):
        members = sorted(members, key=lambda c: c["id"])[:MAX_GROUP]
        story_id = key[1] if key[0] == "story" else None
        scope = Scope(key=key, story_id=story_id, pairs=pairs)
        for a, b in _candidate_pairs(members, whole=story_id is not None):
            if a["doc_id"] == b["doc_id"] and _speaker_key(a) == _speaker_key(b):
                continue  # one voice does not contradict itself here
            if a["doc_id"] == b["doc_id"] and a["start"] == b["start"]:
                continue
            if key[0] == "passage" and a["doc_id"] != b["doc_id"]:
                continue
            for det in detectors:
                for f in det.detect(a, b, scope):
                    # one contradiction per kind and pair of sentences, however many
                    # qualifier words the two sentences share
                    cid = stable_id(f.kind, *sorted(((a["doc_id"], a["start"]),
                                                     (b["doc_id"], b["start"]))), prefix="x")
                    prev = found.get(cid)
                    if prev is not None and prev.confidence >= f.confidence:
                        continue
                    first, second = sorted((a, b), key=lambda c: (c["doc_id"], c["start"]))
                    found[cid] = Contradiction(
                        id=cid, kind=f.kind, story_id=story_id or (prev.story_id if prev else None),
                        confidence=f.confidence, a=_side(first), b=_side(second),
                        detector=det.name, attrs={"reason": f.reason, "scope": list(map(str, key)),
                                                  "group": _group(f.kind, a, story_id)},
                    )
    return _one_per_voice_pair(found.values())


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
    for c in sorted(found, key=lambda c: (-c.confidence,
                                          sorted((text_shape(c.a["text"]), text_shape(c.b["text"]))),
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
    from rashomon.plugins import detectors as registry

    claims = ctx.store.records("claims")
    stories = ctx.store.records("stories")
    from rashomon.analyze.claims import matcher_for

    pairs = {p["name"]: p for p in matcher_for(ctx.profile).pairs}
    dets = []
    for det in registry().values():
        dets.append(det() if isinstance(det, type) else det)
    ctx.store.replace_corpus_records(
        "contradictions", find_contradictions(claims, stories, dets, pairs))
