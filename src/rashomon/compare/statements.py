"""Statements: each sentence of each document, per voice, with its slot readings.

Claims come from the analysis stage and cover the sentences it found an
event, a qualifier, a number or a decision date in.  Slot comparison needs a
few more ("vehicles continue to pass through daily" carries none of those),
so this module reads every sentence of every document again, cheaply and
without a parse, and splits it by *voice*: words inside a quote belong to the
quoted speaker, the rest to the outlet.  An outlet quoting the other side is
therefore never taken to assert what it quotes.

Statements are claim-shaped dicts (``id``, ``doc_id``, ``start``, ``end``,
``text``, ``speaker``, ``outlet``, ``side``, ``slots``), so any registered
:class:`~rashomon.compare.detectors.Detector` can judge them.  Candidate pairs
are blocked by slot and by what would make two readings comparable (the same
document-level story, event-level story, passage, date or qualified thing), so
the work stays far below quadratic in the corpus.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import combinations
from typing import Any

from rashomon.compare.detectors import Scope, SlotDetector
from rashomon.compare.slots import (
    Lexicon,
    content_stems,
    dates_in,
    groups_in,
    load_lexicon,
    names_in,
    readings,
)
from rashomon.model import Contradiction, stable_id

PASSAGE_CHARS = 1500
MAX_BUCKET = 300  # statements per candidate bucket; larger buckets keep the first by position
MIN_SHARED_STEMS = 2  # a denial meets sentences sharing at least this much content

_SENT_END = re.compile(r"(?<=[.!?…])([\"”’)\]]*(?:\[\d+\])*)\s+(?=[\"“‘(]?[A-Z0-9•])|\n+")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentence offsets by punctuation and line breaks (no parse: the compare stage is light)."""
    spans = []
    pos = 0
    for m in _SENT_END.finditer(text):
        end = m.start() + len(m.group(1) or "")  # closing quotes and note marks stay
        if end > pos:
            spans.append((pos, end))
        pos = m.end()
    if pos < len(text):
        spans.append((pos, len(text)))
    out = []
    for s, e in spans:
        while s < e and text[s] in " \t•-–":
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e - s >= 3:
            out.append((s, e))
    return out


@dataclass
class _Voice:
    key: str
    speaker: dict[str, Any] | None


def _voice_of(pos: int, quotes: list[dict[str, Any]], outlet: str) -> _Voice:
    """The speaker of the quote covering ``pos``, else the outlet (``outlet``: its key)."""
    for q in quotes:
        if q["start"] <= pos < q["end"] and q.get("speaker"):
            sp = q["speaker"]
            key = sp.get("entity_id") or (sp.get("name") or "").lower() or f"outlet:{outlet}"
            return _Voice(key, {"name": sp.get("name"), "entity_id": sp.get("entity_id")})
    return _Voice(f"outlet:{outlet}", None)


def _published(doc: dict[str, Any]) -> date | None:
    try:
        return date.fromisoformat(str(doc.get("published"))[:10]) if doc.get("published") else None
    except ValueError:
        return None


def build_statements(docs: Iterable[dict[str, Any]], quotes: Iterable[dict[str, Any]],
                     claims: Iterable[dict[str, Any]] = (),
                     lex: Lexicon | None = None, keep_all: bool = False) -> list[dict[str, Any]]:
    """The sentences that can take part in a slot contradiction, one statement per voice.

    ``docs``: dicts with ``id``, ``text`` and optionally ``publisher``, ``side``,
    ``published``.  ``claims`` give each document's side as the analysis saw it
    (the profile's view), and the claim id reused when a claim is the same span.

    A sentence is kept when it has a slot reading, or when it may assert what
    some denial in the corpus calls false (it contains a denied head word);
    ``keep_all`` keeps every sentence.  Two passes over the sentences keep the
    rest (most of a corpus) out of memory.
    """
    lex = lex or load_lexicon()
    q_by_doc: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for q in quotes:
        q_by_doc[q["doc_id"]].append(q)
    side_of: dict[str, str] = {}
    claim_at: dict[tuple[str, int, int, str], str] = {}
    for c in claims:
        if c.get("side"):
            side_of.setdefault(c["doc_id"], c["side"])
        sp = c.get("speaker") or {}
        vk = sp.get("entity_id") or (sp.get("name") or "").lower() or f"outlet:{c.get('outlet')}"
        claim_at.setdefault((c["doc_id"], c["start"], c["end"], vk), c["id"])
    # pass 1: readings of every sentence, and the head words of every denial
    read: list[tuple[dict[str, Any], list[tuple[int, int, list[Any]]]]] = []
    denied_heads: set[str] = set()
    for doc in sorted(docs, key=lambda d: d["id"]):
        text = doc.get("text") or ""
        spans = []
        for s, e in sentence_spans(text):
            rs = readings(text[s:e], lex)
            denied_heads.update(r.key for r in rs if r.slot == "existence")
            spans.append((s, e, rs))
        read.append((doc, spans))
    # pass 2: statements
    out: list[dict[str, Any]] = []
    for doc, spans in read:
        text = doc.get("text") or ""
        outlet = doc.get("publisher")
        okey = outlet or f"doc:{doc['id']}"  # an unknown outlet is a voice of its own
        side = side_of.get(doc["id"]) or doc.get("side")
        published = _published(doc)
        dq = sorted(q_by_doc.get(doc["id"], []), key=lambda q: (q["start"], q["end"]))
        previous = ""
        for s, e, rs in spans:
            sent = text[s:e]
            stems = frozenset(content_stems(sent, lex))
            if not rs and not keep_all and not (stems & denied_heads):
                previous = sent
                continue  # can neither fill a slot nor assert anything denied
            base_voice = _voice_of(s + len(sent) // 2, dq, okey)
            voices: dict[str, tuple[_Voice, list[Any]]] = {}
            for r in rs:
                v = _voice_of(s + r.start, dq, okey)
                if v.key.startswith("outlet:") and not base_voice.key.startswith("outlet:"):
                    v = base_voice  # quote boundaries inside a quoted sentence
                voices.setdefault(v.key, (v, []))[1].append(r)
            if not rs:
                voices[base_voice.key] = (base_voice, [])
            context = previous + " " + sent
            for vk, (voice, rlist) in sorted(voices.items()):
                cid = claim_at.get((doc["id"], s, e, vk)) or stable_id(
                    doc["id"], s, e, vk, prefix="s")
                out.append({
                    "id": cid, "doc_id": doc["id"], "start": s, "end": e, "text": sent,
                    "kind": "statement", "speaker": voice.speaker, "outlet": outlet,
                    "side": side, "slots": {}, "voice": vk, "readings": rlist,
                    "names": frozenset(names_in(context)), "dates": frozenset(dates_in(sent)),
                    "groups": groups_in(context), "stems": stems, "published": published,
                })
            previous = sent
    return out


def _stories_of(statements: list[dict[str, Any]], doc_groups: list[list[str]],
                stories: list[dict[str, Any]], claims: list[dict[str, Any]]
                ) -> dict[int, set[str]]:
    """The stories (document-level and event-level) each statement belongs to."""
    doc_story = {d: "d:" + stable_id(*sorted(g), prefix="") for g in doc_groups if len(g) > 1
                 for d in g}
    story_of_event = {eid: s["id"] for s in stories for eid in s.get("event_ids", [])}
    ev_at: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for c in claims:
        sid = story_of_event.get(c.get("event_id") or "")
        if sid:
            ev_at[c["doc_id"]].append((c["start"], sid))
    out: dict[int, set[str]] = {}
    for i, st in enumerate(statements):
        keys = set()
        if st["doc_id"] in doc_story:
            keys.add(doc_story[st["doc_id"]])
        for pos, sid in ev_at.get(st["doc_id"], ()):
            if st["start"] <= pos < st["end"]:
                keys.add("e:" + sid)
        out[i] = keys
    return out


def _buckets(statements: list[dict[str, Any]], story_keys: dict[int, set[str]],
             lex: Lexicon) -> dict[tuple[Any, ...], list[int]]:
    """Candidate buckets: slot × (story, passage, date, qualified thing, people)."""
    by_group = {s.name for s in lex.slots if s.same_group}
    buckets: dict[tuple[Any, ...], list[int]] = defaultdict(list)
    for i, st in enumerate(statements):
        slots = {r.slot for r in st["readings"]}
        for slot in slots:
            if slot == "existence":
                continue
            for sk in story_keys[i]:
                buckets[(slot, "story", sk)].append(i)
            buckets[(slot, "passage", st["doc_id"], st["start"] // PASSAGE_CHARS)].append(i)
            buckets[(slot, "passage", st["doc_id"],
                     (st["start"] + PASSAGE_CHARS // 2) // PASSAGE_CHARS, "h")].append(i)
            if slot in ("count", "clock_time", "day_date", "agent"):
                continue  # compared only within a story or a passage
            for d in st["dates"]:
                buckets[(slot, "date", d)].append(i)
            for obj in {o for r in st["readings"] if r.slot == slot for o in r.objects}:
                buckets[(slot, "object", obj)].append(i)
            if slot in by_group:  # who left, and how: the people named is the subject
                for g in st["groups"]:
                    buckets[(slot, "group", g)].append(i)
    return buckets


def _denial_pairs(statements: list[dict[str, Any]]) -> Iterator[tuple[int, int]]:
    """(denying statement, candidate asserting statement) pairs via shared content stems."""
    index: dict[str, list[int]] = defaultdict(list)
    for i, st in enumerate(statements):
        for s in st["stems"]:
            index[s].append(i)
    for i, st in enumerate(statements):
        denials = [r for r in st["readings"] if r.slot == "existence"]
        if not denials:
            continue
        counts: dict[int, int] = defaultdict(int)
        heads = {r.key for r in denials}
        for s in {o for r in denials for o in r.objects}:
            posting = index.get(s, [])
            if len(posting) > MAX_BUCKET * 10:
                continue  # a word that common identifies nothing
            for j in posting:
                if statements[j]["doc_id"] != st["doc_id"]:
                    counts[j] += 1
        # per other document, only its sentence closest to what is denied: one denial
        # answers one telling, not every sentence that repeats a word of it
        best: dict[str, tuple[int, int]] = {}
        for j, n in sorted(counts.items()):
            if n < MIN_SHARED_STEMS or not (heads & statements[j]["stems"]):
                continue
            d = statements[j]["doc_id"]
            if d not in best or n > best[d][0]:
                best[d] = (n, j)
        for _d, (_n, j) in sorted(best.items()):
            yield i, j


def _scope_for(key: tuple[Any, ...]) -> Scope:
    if key[1] == "story":
        # "e:<id>": an event-level story record; "d:<hash>": a document-level story
        sk = str(key[2])
        return Scope(key=("story", sk), story_id=sk[2:] if sk.startswith("e:") else None)
    if key[1] == "passage":
        return Scope(key=("passage", *key[2:]))
    return Scope(key=("topic", *key))


def _side(st: dict[str, Any], attrs: dict[str, Any]) -> dict[str, Any]:
    sp = st.get("speaker") or {}
    return {"claim_id": st["id"], "doc_id": st["doc_id"], "start": st["start"], "end": st["end"],
            "text": st["text"], "speaker": sp.get("name") or None,
            "speaker_entity": sp.get("entity_id"), "outlet": st.get("outlet"),
            "side": st.get("side"), "slots": attrs}


def find_slot_contradictions(statements: list[dict[str, Any]], doc_groups: list[list[str]],
                             stories: Sequence[dict[str, Any]] = (),
                             claims: Sequence[dict[str, Any]] = (),
                             detector: SlotDetector | None = None) -> list[Contradiction]:
    """Slot contradictions between statements of different voices (deterministic).

    ``doc_groups``: document-level stories (``grouping.group_documents``);
    ``stories`` and ``claims``: the event-level stories and the claims that tie
    sentences to their events.  Same two sentences and kind give the same id as
    the profile path, so review statuses survive reruns.
    """
    det = detector or SlotDetector()
    story_keys = _stories_of(statements, doc_groups, list(stories), list(claims))
    pairs: dict[tuple[int, int], Scope] = {}
    rank = {"story": 0, "passage": 1, "topic": 2}
    for key, members in sorted(_buckets(statements, story_keys, det.lex).items(), key=lambda kv: str(kv[0])):
        members = sorted(set(members), key=lambda i: (statements[i]["doc_id"],
                                                       statements[i]["start"]))[:MAX_BUCKET]
        scope = _scope_for(key)
        for i, j in combinations(members, 2):
            prev = pairs.get((i, j))
            if prev is None or rank[scope.key[0]] < rank[prev.key[0]]:
                pairs[(i, j)] = scope
    for i, j in _denial_pairs(statements):
        a, b = min(i, j), max(i, j)
        shared = story_keys[i] & story_keys[j]
        pairs.setdefault((a, b), _scope_for(("existence", "story", min(shared)))
                         if shared else Scope(key=("topic", "existence")))
    found: dict[str, Contradiction] = {}
    for (i, j), scope in sorted(pairs.items()):
        a, b = statements[i], statements[j]
        if a["voice"] == b["voice"] and (a["doc_id"] == b["doc_id"]
                                         or a["voice"].startswith("outlet:")):
            continue  # one voice does not contradict itself here
        if a["doc_id"] == b["doc_id"] and a["start"] == b["start"]:
            continue
        if scope.key[0] == "passage" and a["doc_id"] != b["doc_id"]:
            continue
        for f in det.detect(a, b, scope):
            first, second = sorted((a, b), key=lambda c: (c["doc_id"], c["start"]))
            cid = stable_id(f.kind, *sorted(((a["doc_id"], a["start"]), (b["doc_id"], b["start"]))),
                            prefix="x")
            prev_c = found.get(cid)
            if prev_c is not None and prev_c.confidence >= f.confidence:
                continue
            spans = f.attrs.get("spans", {})
            found[cid] = Contradiction(
                id=cid, kind=f.kind, story_id=scope.story_id, confidence=f.confidence,
                a=_side(first, spans.get(first["id"], {})),
                b=_side(second, spans.get(second["id"], {})),
                detector=det.name,
                attrs={"reason": f.reason, "scope": [str(k) for k in scope.key],
                       "slot": f.attrs.get("slot"), "source": "generic",
                       "group": stable_id(f.kind, f.attrs.get("slot"),
                                          *sorted(f.attrs.get("about", [])), prefix="g")},
            )
    return sorted(found.values(), key=lambda c: (-c.confidence, c.kind, c.id))
