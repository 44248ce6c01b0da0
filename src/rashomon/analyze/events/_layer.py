"""The events layer: CAMEO/PLOVER-coded events from the dependency parse.

For each sentence, triggers (verbs and event nouns of ``data/event_lexicon.yaml``)
are matched against the parse; the most specific lexicon pattern wins.  Each
trigger becomes at most one event with:

* source = agent (``nsubj``, or "by X" in a passive; for a noun, its possessor,
  a country/demonym modifier or "by X"; for a light-verb object, the verb's
  subject: "Azerbaijan launched an attack");
* target = direct object, the pattern's preposition object, ``nsubjpass``, or a
  noun's "on/against/of X";
* date, place, modality (see :mod:`rashomon.analyze.events._modality`) and the
  Goldstein / PLOVER values of its code.

Embedding triggers ("urged X to withdraw", "agreed to meet", "threatened to
attack") absorb the embedded action: one event, coded as the speech act, with
the embedded action kept in ``attrs`` (``demanded_action``/``embedded_cameo``).

False events are avoided by requiring an argument: a verb with neither subject
nor object, or a lone noun ("the meeting"), is not coded.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

from rashomon.analyze.events._acled import lead_end, type_events
from rashomon.analyze.events._actors import sector_lexicon
from rashomon.analyze.events._appeals import appeal_events
from rashomon.analyze.events._args import (
    Args,
    actor_like,
    carrier_verb,
    noun_args,
    verb_args,
)
from rashomon.analyze.events._background import ability, background, figurative
from rashomon.analyze.events._candidate import Candidate
from rashomon.analyze.events._codes import code_info, code_set, lexicon, word_set
from rashomon.analyze.events._coref import NOBODY, Resolution, is_propositional
from rashomon.analyze.events._doc import DocEvents
from rashomon.analyze.events._modality import expresses_intent, modality, reported_by
from rashomon.analyze.events._patterns import protest_actor
from rashomon.analyze.events._phrase import action_text, clause_head, semantic_head
from rashomon.analyze.events._refine import (
    as_demand,
    as_intent,
    be_to,
    context_countries,
    demand_code,
    noun_code,
    obligation_speaker,
    refine_by_embedded,
    unrealised_infinitive,
)
from rashomon.analyze.events._setting import event_date, event_place, has_own_place
from rashomon.analyze.events._shapes import in_condition, merge_results, trigger_start
from rashomon.analyze.events._triggers import find_candidates, fold_embedded, fold_protest_demands
from rashomon.analyze.spans import seed_text
from rashomon.model import Actor, Event
from rashomon.text import Gazetteer

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

    from rashomon.layers import DocContext


def events_layer(ctx: DocContext) -> dict[str, list[Event]]:
    """Document layer: coded events of ``ctx.doc`` (see module docstring)."""
    if ctx.sdoc is None:
        return {"events": []}
    seed_text(ctx.sdoc, ctx.doc.text)
    return {"events": document_events(DocEvents(ctx))}


def document_events(state: DocEvents) -> list[Event]:
    """The events of every sentence, then the addressed appeals, which replace the
    sentence events of the bullets they claim."""
    events: list[Event] = []
    for sent in state.sdoc.sents:
        events.extend(sentence_events(state, sent))
    appeals, claimed = appeal_events(state)
    events = [e for e in events if not any(a <= trigger_start(e) < b for a, b in claimed)]
    events.extend(appeals)
    events.sort(key=lambda e: (e.start, trigger_start(e)))
    type_events(state.sdoc, events, lead_end(state.doc.text, state.doc.title))
    return events


def sentence_events(state: DocEvents, sent: Span) -> list[Event]:
    """The events of one sentence: one per candidate with an argument (or a place)."""
    cands = find_candidates(sent, state.place_at, state.route_at)
    fold_embedded(cands)
    fold_protest_demands(cands)
    verb_toks = {c.tok.i for c in cands if not c.is_noun}
    by_tok = {c.tok.i: c for c in cands}
    out = []
    for c in cands:
        if c.folded or in_condition(c.tok, state.params.condition_depth):
            continue
        args = _arguments(state, c, sent, verb_toks, by_tok)
        if args is None:
            continue
        ev = build_event(state, c, sent, *args)
        if ev is not None:
            out.append(ev)
            c.event = ev
    return merge_nested(cands, merge_coordinated(cands, merge_results(cands, out)))


# -- arguments: who did it to whom, or None when the candidate is no event ----------
def _arguments(state: DocEvents, c: Candidate, sent: Span, verb_toks: set[int],
               by_tok: dict[int, Candidate]) -> Args | None:
    if c.args is not None:  # found by the trigger's own rule
        if c.is_noun:
            c.light, _ = carrier_verb(c.tok)
        src, tgt = c.args
        if src is None:
            src = _owner(c.installation, state.gaz)
        return src, tgt
    if c.is_noun:
        return _noun_arguments(state, c, sent, verb_toks)
    if unrealised_infinitive(c, by_tok):
        return None
    src, tgt = verb_args(c)
    if tgt is None:
        tgt = _named_object(state, c.tok)
    if src is None and tgt is None:
        return None
    if figurative(c.code, tgt):
        return None  # "killed the deal", "fought corruption": a figure of speech
    return src, tgt


def _noun_arguments(state: DocEvents, c: Candidate, sent: Span,
                    verb_toks: set[int]) -> Args | None:
    """A noun's arguments; a lone noun ("the meeting"), a figurative one ("attack on
    democracy") or a denied one ("there is no blockade") is no event."""
    c.light, c.light_is_frame = carrier_verb(c.tok)
    c.code = noun_code(c)
    src, tgt = noun_args(c, state.gaz, state.sectors, state.mention_at, state.place_at)
    if tgt is not None and tgt.lemma_.lower() in _abstract_targets():
        return None
    if src is None and any(ch.dep_ == "det" and ch.lower_ == "no" for ch in c.tok.children):
        return None  # "there is no blockade": a denial, not an event
    anchored = has_own_place(state, c, sent) or (
        c.light_is_frame and event_place(state, c, sent, [], []) is not None)
    if src is None and tgt is None and not anchored:
        return None
    if _object_of_coded_verb(c, verb_toks):
        return None
    if src is None and c.tok.dep_ in ("pobj", "dobj") and not (
            anchored or _named_victim(state, c, tgt)):
        return None
    return src, tgt


def _object_of_coded_verb(c: Candidate, verb_toks: set[int]) -> bool:
    """The object of a coded verb is only an event with an agent of its own."""
    own = any(ch.dep_ == "poss" for ch in c.tok.children)
    return not own and c.tok.dep_ in ("dobj", "nsubjpass") and c.tok.head.i in verb_toks


def _named_victim(state: DocEvents, c: Candidate, tgt: Token | None) -> bool:
    """An incident noun with an actor as victim ("after the killing of the driver")."""
    return (tgt is not None and c.tok.lemma_.lower() in _incident_nouns()
            and actor_like(tgt, state.gaz, state.sectors, state.mention_at))


def _named_object(state: DocEvents, verb: Token) -> Token | None:
    """A name right after the verb that the tagger mislabelled ("urged Halvast" as an
    adverb): unknown proper names must not lose their role depending on spelling."""
    if verb.i + 1 >= len(verb.doc):
        return None
    nxt = verb.doc[verb.i + 1]
    if nxt.head.i != verb.i or nxt.dep_ not in ("advmod", "npadvmod", "dep", "oprd"):
        return None
    return nxt if state.named_at(nxt) else None


# -- assembling one event --------------------------------------------------------
def build_event(state: DocEvents, c: Candidate, sent: Span, src: Token | None,
                tgt: Token | None) -> Event | None:
    """The event of a candidate with its argument heads, or None when its only argument
    was "nobody" (the event did not happen)."""
    governors = [c.light] if c.light is not None and not c.light_is_frame else []
    mod = modality(c.tok, governors)
    attrs = _trigger_attrs(c)
    code, tgt = _speech_act_code(state, c, src, tgt, mod, attrs)
    speaker = obligation_speaker(c) if c.embedded is None and c.governor is None else None
    if speaker is not None:
        code = as_demand(c, code, mod, attrs)
        src, tgt = speaker, src
    date, precision, date_from, date_end = event_date(state, c, sent)
    anchors = [c.tok] + ([c.light] if c.light is not None else [])
    why = background(anchors, state.doc.published)
    if why is not None:
        mod["background"], mod["background_reason"] = True, why
    if ability(anchors):
        mod["hypothetical"] = mod["ability"] = True
    source, target = code_arguments(state, src, tgt, date, mod, attrs)
    filled = (context_countries(state.sentence_countries(sent), source, target)
              if state.guess_countries else [])
    if filled:
        attrs["country_from_sentence"] = filled
    if source is None and target is None and not c.is_noun and (
            "source_quantifier" in attrs or "target_quantifier" in attrs):
        return None  # the only argument was "nobody": the event did not happen
    code = _protest_code(c, code, src, source, mod, attrs)
    mod.update(reported_by(c.tok, state.quotes))
    attrs["date_from"] = date_from
    if date_end:
        attrs["date_end"] = date_end
    start, end = state.event_span(sent)
    place = event_place(state, c, sent, [a for a in (source, target) if a],
                        [src, tgt, c.installation])
    return state.make_event(start=start, end=end, code=code, trigger=c.surface or c.tok.text,
                            trigger_tok=c.tok, source=source, target=target, date=date,
                            precision=precision, place=place, modality=mod, attrs=attrs)


def _trigger_attrs(c: Candidate) -> dict[str, Any]:
    attrs: dict[str, Any] = {"trigger_lemma": c.lemma}
    if c.light_is_frame:
        attrs["framed_as"] = c.tok.head.head.lemma_.lower()  # "guise", "pretext"
    if c.installation is not None:
        attrs["installation"] = c.installation.text
    return attrs


def _speech_act_code(state: DocEvents, c: Candidate, src: Token | None, tgt: Token | None,
                     mod: dict[str, Any], attrs: dict[str, Any]) -> tuple[str, Token | None]:
    """The code after an embedded action refined it ("urged X to withdraw") or an
    announcement made it intent ("will meet"); the target may come from the action."""
    info = code_info(c.code)
    e = c.embedded
    if e is not None:
        action = action_text(clause_head(e.tok, c.tok))
        attrs.update({"embedded_cameo": e.code, "embedded_trigger": e.tok.text,
                      "embedded_action": action})
        code = refine_by_embedded(c, e, info, action, mod, attrs)
        return code, _embedded_target(state, e, info.plover, src, tgt)
    if c.governor is None and (expresses_intent(c.tok, mod) or be_to(c.tok)):
        return as_intent(c.code, info, attrs), tgt
    return c.code, tgt


def _embedded_target(state: DocEvents, e: Candidate, plover: str | None, src: Token | None,
                     tgt: Token | None) -> Token | None:
    """The target, taken from the embedded action when the trigger has none of its own
    outside it ("urged X to withdraw from Y")."""
    e_tgt = verb_args(e)[1] if not e.is_noun else noun_args(e, state.gaz)[1]
    if tgt is not None and tgt.i in {t.i for t in e.tok.subtree}:
        tgt = None
    if e_tgt is not None and plover == "PROTEST" and (
            e_tgt.dep_ in ("nsubj", "nsubjpass")
            or not actor_like(e_tgt, state.gaz, state.sectors, state.mention_at)):
        e_tgt = None  # "demanding that inspectors be allowed": not whom it targets
    if tgt is None and e_tgt is not None and e_tgt.i != (src.i if src is not None else -1):
        tgt = e_tgt
    return tgt


def _protest_code(c: Candidate, code: str, src: Token | None, source: Actor | None,
                  mod: dict[str, Any], attrs: dict[str, Any]) -> str:
    """Civilians blocking roads protest (144); protesters calling for X demand it."""
    if code.startswith("191") and src is not None and _civilian(src, source):
        code = "144"  # people blocking roads: an obstruction protest
    if code[:2] == "02" and src is not None and protest_actor(src) \
            and c.tok.lemma_.lower() in word_set("protest_request_verbs"):
        code = demand_code((attrs.get("demanded_cameo") or "")[:2])
        mod["demanded"] = True
        attrs.setdefault("demanded_action", _for_object(c.tok))
    return code


def code_arguments(state: DocEvents, src: Token | None, tgt: Token | None, date: str | None,
                   mod: dict[str, Any], attrs: dict[str, Any]) -> tuple[Actor | None, Actor | None]:
    """Resolve and code both arguments; "nobody" negates the event instead."""
    source = _code_argument(state, "source", src, date, mod, attrs)
    target = _code_argument(state, "target", tgt, date, mod, attrs)
    if source is not None and target is not None and source.start == target.start:
        target = None
    return source, target


def _code_argument(state: DocEvents, role: str, head: Token | None, date: str | None,
                   mod: dict[str, Any], attrs: dict[str, Any]) -> Actor | None:
    if head is None:
        return None
    res = state.coref.resolve(head)
    if res is None and is_propositional(head):
        return None  # "denies it": a statement, not a participant
    if res is NOBODY:
        mod["negated"] = True
        attrs[f"{role}_quantifier"] = head.text
        return None
    actor = state.coder.code(head, date, res)
    if isinstance(res, Resolution):
        attrs[f"{role}_resolved_from"] = {"text": head.text, "start": head.idx,
                                          "end": head.idx + len(head.text), "via": res.via}
    return actor


def merge_coordinated(cands: list[Candidate], events: list[Event]) -> list[Event]:
    """One event for coordinated verbs of one type on one victim ("was abducted and
    killed", "killed or wounded"): the most severe code is kept, the others are listed
    in ``attrs["coordinated"]``."""
    drop: set[str] = set()
    for c in cands:
        ev = c.event
        if ev is None or c.tok.dep_ != "conj":
            continue
        head = next((h.event for h in cands if h.tok.i == c.tok.head.i), None)
        if head is None or head.plover != ev.plover or head.id in drop:
            continue
        if _actor_key(head.target_actor) != _actor_key(ev.target_actor) or \
                _actor_key(head.source_actor) != _actor_key(ev.source_actor):
            continue
        keep, other = (ev, head) if (ev.goldstein or 0) < (head.goldstein or 0) else (head, ev)
        keep.attrs.setdefault("coordinated", []).append(
            {"cameo": other.cameo, "trigger": other.trigger,
             "trigger_start": trigger_start(other)})
        drop.add(other.id)
    return [e for e in events if e.id not in drop]


def merge_nested(cands: list[Candidate], events: list[Event]) -> list[Event]:
    """One event for an action told twice over in one clause: an event of the same PLOVER
    category as an event whose trigger governs it, by the same actor or none ("insisted on
    its demands", "lodged a protest, charging its neighbour", "killed two and wounded
    five").  PLOVER codes one record per actor with a list of recipients, so the folded
    event's recipient joins ``attrs["more_recipients"]`` and its code ``coordinated``."""
    by_tok = {c.tok.i: c.event for c in cands if c.event is not None}
    kept = {e.id for e in events}
    drop: set[str] = set()
    for c in sorted(cands, key=lambda c: -_depth(c.tok)):
        ev = c.event
        if ev is None or ev.id not in kept or ev.id in drop or not ev.plover:
            continue
        host = _governing_event(c.tok, by_tok, ev, kept, drop)
        if host is None:
            continue
        host.attrs.setdefault("coordinated", []).append(
            {"cameo": ev.cameo, "trigger": ev.trigger, "trigger_start": trigger_start(ev)})
        # a nested event names the host's recipient ("insisted on its demands that X");
        # a coordinated verb's object is its own ("kidnapped advisers and exploded bombs")
        if ev.target_actor is not None:
            if host.target_actor is None and c.tok.dep_ != "conj":
                host.target_actor = ev.target_actor
            elif host.target_actor is not None and \
                    _actor_key(host.target_actor) != _actor_key(ev.target_actor):
                host.attrs.setdefault("more_recipients", []).append(ev.target_actor.to_dict())
        drop.add(ev.id)
    return [e for e in events if e.id not in drop]


def _governing_event(tok: Token, by_tok: dict[int, Event | None], ev: Event, kept: set[str],
                     drop: set[str]) -> Event | None:
    t, hops = tok, 0
    while t.head.i != t.i and hops < 8:
        t, hops = t.head, hops + 1
        host = by_tok.get(t.i)
        if host is None or host.id not in kept or host.id in drop:
            continue
        if host.plover != ev.plover or (ev.modality or {}).get("background") != (
                host.modality or {}).get("background"):
            return None
        same_actor = ev.source_actor is None or _actor_key(ev.source_actor) == _actor_key(
            host.source_actor)
        return host if same_actor else None
    return None


def _depth(tok: Token) -> int:
    d = 0
    while tok.head.i != tok.i and d < 50:
        tok, d = tok.head, d + 1
    return d


def _actor_key(a: Actor | None) -> tuple[Any, ...] | None:
    return None if a is None else (a.entity_id, a.name)


@lru_cache(maxsize=1)
def _incident_nouns() -> frozenset[str]:
    """Nouns of a concrete incident: with a named victim they are an event even without a
    doer ("after the killing of the driver"); "the destruction of a people" is not."""
    return frozenset(lexicon().get("incident_nouns") or [])


@lru_cache(maxsize=1)
def _abstract_targets() -> frozenset[str]:
    """Objects that make a violent noun figurative ("attack on democracy")."""
    return frozenset(lexicon().get("abstract_targets", []))


def _owner(noun: Token | None, gaz: Gazetteer) -> Token | None:
    """Who an installation belongs to: "its checkpoint", "an Azerbaijani checkpoint"."""
    if noun is None:
        return None
    heads = [noun] + ([noun.head] if noun.dep_ == "conj" else [])  # "X customs and border post"
    for h in heads:
        for ch in h.children:
            if ch.dep_ == "poss":
                return ch
        for ch in h.children:
            if ch.dep_ in ("amod", "compound", "nmod") and gaz.matches([ch]):
                return ch
    return None


def _civilian(src: Token, actor: Actor | None) -> bool:
    """Protesters, residents or a crowd rather than a state body."""
    if actor is not None and actor.sector in code_set("civilian_sectors"):
        return True
    head = semantic_head(src)
    if protest_actor(src):
        return True
    # "young Algerians", "hundreds of people": an uncoded plural crowd
    return (actor is not None and actor.sector is None and actor.entity_id is None
            and head.tag_ in ("NNS", "NNPS") and head.lemma_.lower() not in sector_lexicon())


def _for_object(tok: Token) -> str | None:
    for ch in tok.children:
        if ch.dep_ == "prep" and ch.lower_ == "for":
            sub = list(ch.subtree)[1:]
            if sub:
                return tok.doc[sub[0].i: sub[-1].i + 1].text
    return None
