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
from typing import Any

from rashomon.analyze.events._actors import ActorCoder, letter_author_at, sector_lexicon
from rashomon.analyze.events._args import (
    actor_like,
    carrier_verb,
    noun_args,
    semantic_head,
    verb_args,
)
from rashomon.analyze.events._codes import code_info, lexicon
from rashomon.analyze.events._coref import (
    NOBODY,
    Coref,
    Resolution,
    is_propositional,
)
from rashomon.analyze.events._modality import expresses_intent, modality, reported_by
from rashomon.analyze.events._patterns import protest_actor, vowed_force
from rashomon.analyze.events._refine import (
    be_to,
    context_countries,
    noun_code,
    unrealised_infinitive,
)
from rashomon.analyze.events._setting import event_date, event_place, has_own_place
from rashomon.analyze.events._shapes import in_condition, merge_results
from rashomon.analyze.events._triggers import (  # noqa: F401 - Candidate, match_verb re-exported
    Candidate,
    _fold_embedded,
    _fold_protest_demands,
    find_candidates,
    match_verb,
)
from rashomon.analyze.spans import doc_text, seed_text
from rashomon.model import Actor, Event, Mention, TimeExpr, stable_id
from rashomon.text import DATELINE_RE, gazetteer, is_place

_NON_STATE = {"OPP", "CVL", "LAB", "EDU", "AGR", "REF", "REL"}
# Future cooperation is coded as intent (PLOVER AGREE): type -> CAMEO intent code.
# Announced yielding is intent too (AGREE); announced force or sanctions are threats.
_FUTURE_INTENT = {"CONSULT": "036", "SUPPORT": "032", "COOPERATE": "031", "AID": "033",
                  "RETREAT": "035", "CONCEDE": "035", "SANCTION": "131", "COERCE": "131",
                  "ASSAULT": "138", "PROTEST": "133"}
# Refining a speech act by its embedded action's CAMEO root.
_REFINE = {
    "REQUEST": {"03": "102", "04": "106", "05": "102", "06": "101", "07": "103", "08": "105",
                "16": "1056", "17": "105", "18": "1056", "19": "1056", "20": "1056"},
    "AGREE": {"04": "036", "05": "032", "06": "031", "07": "033", "08": "035"},
    # "vowed to fight": a threat (see event_patterns.vowed_force)
    "VOW": {"16": "131", "17": "131", "18": "138", "19": "138", "20": "138"},
    "THREATEN": {"16": "131", "17": "1381", "18": "1383", "19": "138", "20": "1384"},
    "REJECT": {"04": "125", "03": "127", "05": "127", "08": "124", "07": "122", "06": "121"},
}
_APPEAL_REFINE = {"03": "022", "04": "026", "05": "022", "06": "021", "07": "023", "08": "025",
                  "16": "025", "17": "025", "18": "025", "19": "025", "20": "025"}


class _DocEvents:
    """Builds the events of one document."""

    def __init__(self, ctx: Any) -> None:
        from rashomon.analyze.events._appeals import inline_addressees

        self.ctx = ctx
        self.doc = ctx.doc
        self.sdoc = ctx.sdoc
        self.mentions: list[Mention] = sorted(ctx.results.get("mentions") or [],
                                              key=lambda m: m.start)
        self.timexes: list[TimeExpr] = sorted(ctx.results.get("timexes") or [],
                                              key=lambda t: t.start)
        self.quotes = list(ctx.results.get("quotes") or [])
        self.gaz = gazetteer()
        self.sectors = sector_lexicon()
        author, author_start = letter_author_at(self.doc.text, self.mentions)
        self.coref = Coref(self.sdoc, self.mentions, self.quotes, author, author_start,
                           gaz=self.gaz, sectors=self.sectors)
        self.coder = ActorCoder(self.mentions, author, self.quotes, coref=self.coref)
        self.coref.addressees = inline_addressees(self)
        self._place_chars = self._place_index()
        # Guessing an unnamed actor's country from another country named in the
        # sentence helps generic news coding, but in partisan text it can pin an
        # attack on the wrong party ("soldiers shelled villages in X").  With a
        # profile that defines actors, only the profile and explicit names decide.
        profile = getattr(ctx, "profile", None)
        self.guess_countries = not (profile is not None and (profile.actors or profile.parties))

    def _place_index(self) -> set[int]:
        out: set[int] = set()
        for m in self.mentions:
            if is_place(m):
                out.update(range(m.start, m.end))
        return out

    def _sent_countries(self, sent: Any) -> list[tuple[int, str]]:
        """Country names of a sentence (computed once per sentence)."""
        from rashomon.analyze.events._actors import gazetteer_country_hits

        cache = self.__dict__.setdefault("_sent_hits", {})
        if sent.start not in cache:
            cache[sent.start] = gazetteer_country_hits(list(sent))
        return cache[sent.start]

    def _span(self, sent: Any) -> tuple[int, int]:
        """The sentence's event span (without a dateline), once per sentence."""
        cache = self.__dict__.setdefault("_spans", {})
        if sent.start not in cache:
            cache[sent.start] = _without_dateline(sent)
        return cache[sent.start]

    def place_at(self, tok: Any) -> bool:
        return tok.idx in self._place_chars

    def route_at(self, tok: Any) -> bool:
        """Is the token inside the name of a road or route?"""
        return any(m.start <= tok.idx < m.end and (m.attrs or {}).get("place_kind") == "route"
                   for m in self.mentions)

    def mention_at(self, tok: Any) -> bool:
        """Is the token inside an actor (non-place) mention?"""
        return any(m.start <= tok.idx < m.end and m.kind != "place" for m in self.mentions)

    def _named_object(self, verb: Any) -> Any:
        """A name right after the verb that the tagger mislabelled ("urged Halvast" as an
        adverb): unknown proper names must not lose their role depending on spelling."""
        if verb.i + 1 >= len(verb.doc):
            return None
        nxt = verb.doc[verb.i + 1]
        if nxt.head.i != verb.i or nxt.dep_ not in ("advmod", "npadvmod", "dep", "oprd"):
            return None
        return nxt if any(m.start <= nxt.idx < m.end for m in self.mentions) else None

    def run(self) -> list[Event]:
        events: list[Event] = []
        for sent in self.sdoc.sents:
            events.extend(self.sentence_events(sent))
        from rashomon.analyze.events._appeals import appeal_events

        appeals, claimed = appeal_events(self)
        events = [e for e in events
                  if not any(a <= e.attrs["trigger_start"] < b for a, b in claimed)]
        events.extend(appeals)
        events.sort(key=lambda e: (e.start, e.attrs.get("trigger_start", 0)))
        return events

    def sentence_events(self, sent: Any) -> list[Event]:
        cands = find_candidates(sent, self.place_at, self.route_at)
        _fold_embedded(cands)
        _fold_protest_demands(cands)
        verb_toks = {c.tok.i for c in cands if not c.is_noun}
        by_tok = {c.tok.i: c for c in cands}
        abstract = set(lexicon().get("abstract_targets", []))
        out = []
        for c in cands:
            if c.folded or in_condition(c.tok):
                continue
            if "args" in c.extra:
                if c.is_noun:
                    c.light, _ = carrier_verb(c.tok)
                src, tgt = c.extra["args"]
                if src is None:
                    src = _owner(c.extra.get("installation"), self.gaz)
            elif c.is_noun:
                c.light, frame = carrier_verb(c.tok)
                c.extra["light_is_frame"] = frame
                c.code = noun_code(c)
                src, tgt = noun_args(c, self.gaz, self.sectors, self.mention_at, self.place_at)
                if tgt is not None and tgt.lemma_.lower() in abstract:
                    continue
                if src is None and any(ch.dep_ == "det" and ch.lower_ == "no"
                                       for ch in c.tok.children):
                    continue  # "there is no blockade": a denial, not an event
                anchored = has_own_place(self, c, sent) or (
                    frame and event_place(self, c, sent, [], []) is not None)
                if src is None and tgt is None and not anchored:
                    continue
                # the object of a coded verb is only an event with an agent of its own
                own = any(ch.dep_ == "poss" for ch in c.tok.children)
                if not own and c.tok.dep_ in ("dobj", "nsubjpass") and c.tok.head.i in verb_toks:
                    continue
                victim = (tgt is not None and c.tok.lemma_.lower() in _incident_nouns()
                          and actor_like(tgt, self.gaz, self.sectors, self.mention_at))
                if src is None and c.tok.dep_ in ("pobj", "dobj") and not (anchored or victim):
                    continue
            else:
                if unrealised_infinitive(c, by_tok):
                    continue
                src, tgt = verb_args(c)
                if tgt is None:
                    tgt = self._named_object(c.tok)
                if src is None and tgt is None:
                    continue
            ev = self.build(c, sent, src, tgt)
            if ev is not None:
                out.append(ev)
                c.extra["event"] = ev
        return _merge_coordinated(cands, merge_results(cands, out))

    # -- assembling one event ------------------------------------------------
    def build(self, c: Candidate, sent: Any, src: Any, tgt: Any) -> Event | None:
        governors = [g for g in (c.light,) if g is not None and not c.extra.get("light_is_frame")]
        mod = modality(c.tok, governors)
        code = c.code
        trigger = c.extra.get("surface") or c.tok.text
        attrs: dict[str, Any] = {"trigger_start": c.tok.idx,
                                 "trigger_end": c.tok.idx + len(c.tok.text),
                                 "trigger_lemma": c.extra.get("surface") or c.tok.lemma_.lower()}
        if c.extra.get("light_is_frame"):
            attrs["framed_as"] = c.tok.head.head.lemma_.lower()  # "guise", "pretext"
        if c.extra.get("installation") is not None:
            attrs["installation"] = c.extra["installation"].text
        info = code_info(code)
        if c.embedded is not None:
            e = c.embedded
            eroot = e.code[:2]
            action = _action_text(_clause_head(e.tok, c.tok))
            attrs.update({"embedded_cameo": e.code, "embedded_trigger": e.tok.text,
                          "embedded_action": action})
            if info.plover == "REQUEST" or code.startswith("02"):
                mod["demanded"] = True
                attrs.update({"demanded_action": action, "demanded_cameo": e.code})
                table = _APPEAL_REFINE if code.startswith("02") else _REFINE["REQUEST"]
                code = table.get(eroot, code)
            elif info.plover == "AGREE" and vowed_force(c.tok, e.tok, e.code, _REFINE["VOW"]):
                code = _REFINE["VOW"][eroot]
            elif info.plover in _REFINE:
                code = _REFINE[info.plover].get(eroot, code)
            elif info.plover == "PROTEST":
                attrs.update({"demanded_action": action, "demanded_cameo": e.code})
            elif code.startswith("015"):
                # "X claimed responsibility for the bombing": X did it, by its own account
                attrs["claimed_responsibility"] = True
                code = e.code
            if info.plover == "REJECT" and eroot in ("12",):
                code = c.code
            e_tgt = verb_args(e)[1] if not e.is_noun else noun_args(e, self.gaz)[1]
            if tgt is not None and tgt.i in {t.i for t in e.tok.subtree}:
                tgt = None
            if e_tgt is not None and info.plover == "PROTEST" and (
                    e_tgt.dep_ in ("nsubj", "nsubjpass")
                    or not actor_like(e_tgt, self.gaz, self.sectors, self.mention_at)):
                e_tgt = None  # "demanding that inspectors be allowed": not whom it targets
            if tgt is None and e_tgt is not None and e_tgt.i != (src.i if src is not None else -1):
                tgt = e_tgt
        elif c.governor is None and (expresses_intent(c.tok, mod) or be_to(c.tok)):
            intent = _FUTURE_INTENT.get(info.plover or "")
            if intent:
                attrs["future_of"] = code
                code = intent
        info = code_info(code)
        speaker = _obligation_speaker(c) if c.embedded is None and c.governor is None else None
        if speaker is not None:
            # "X said Y must do Z": X demands Z of Y (PLOVER REQUEST)
            attrs.update({"demanded_action": _action_text(c.tok), "demanded_cameo": code})
            mod["demanded"] = True
            code = _REFINE["REQUEST"].get(code[:2], "100")
            src, tgt = speaker, src
        date, precision, date_from, date_end = event_date(self, c, sent)
        source, target = self._code_args(src, tgt, date, mod, attrs)
        filled = (context_countries(self._sent_countries(sent), source, target)
                  if self.guess_countries else [])
        if filled:
            attrs["country_from_sentence"] = filled
        if source is None and target is None and not c.is_noun and (
                "source_quantifier" in attrs or "target_quantifier" in attrs):
            return None  # the only argument was "nobody": the event did not happen
        if code.startswith("191") and src is not None and _civilian(src, source):
            code = "144"  # people blocking roads: an obstruction protest
        if code[:2] in ("02",) and src is not None and protest_actor(src) \
                and c.tok.lemma_.lower() in ("ask", "call", "appeal", "plead"):
            code = _REFINE["REQUEST"].get((attrs.get("demanded_cameo") or "")[:2], "100")
            mod["demanded"] = True
            attrs.setdefault("demanded_action", _for_object(c.tok))
        info = code_info(code)
        mod.update(reported_by(c.tok, self.quotes))
        attrs["date_from"] = date_from
        if date_end:
            attrs["date_end"] = date_end
        attrs["cameo_name"] = info.name
        start, end = self._span(sent)
        return Event(
            id=stable_id(self.doc.id, start, end, code, c.tok.idx, prefix="ev_"),
            doc_id=self.doc.id, start=start, end=end, sentence=self.doc.text[start:end],
            cameo=code,
            plover=info.plover or "", plover_mode=info.mode, goldstein=info.goldstein,
            plover_intensity=info.intensity, trigger=trigger, source_actor=source,
            target_actor=target, date=date, date_precision=precision,
            place=event_place(self, c, sent, [a for a in (source, target) if a],
                              [src, tgt, c.extra.get("installation")]),
            modality=mod, attrs=attrs)

    def _code_args(self, src: Any, tgt: Any, date: str | None, mod: dict[str, Any],
                   attrs: dict[str, Any]) -> tuple[Actor | None, Actor | None]:
        """Resolve and code both arguments; "nobody" negates the event instead."""
        coded: list[Actor | None] = []
        for role, head in (("source", src), ("target", tgt)):
            if head is None:
                coded.append(None)
                continue
            res = self.coref.resolve(head)
            if res is None and is_propositional(head):
                coded.append(None)  # "denies it": a statement, not a participant
                continue
            if res is NOBODY:
                mod["negated"] = True
                attrs[f"{role}_quantifier"] = head.text
                coded.append(None)
                continue
            actor = self.coder.code(head, date, res)
            if isinstance(res, Resolution):
                attrs[f"{role}_resolved_from"] = {"text": head.text, "start": head.idx,
                                                  "end": head.idx + len(head.text),
                                                  "via": res.via}
            coded.append(actor)
        source, target = coded
        if source is not None and target is not None and source.start == target.start:
            target = None
        return source, target



def _merge_coordinated(cands: list[Candidate], events: list[Event]) -> list[Event]:
    """One event for coordinated verbs of one type on one victim ("was abducted and
    killed", "killed or wounded"): the most severe code is kept, the others are listed
    in ``attrs["coordinated"]``."""
    drop: set[str] = set()
    for c in cands:
        ev = c.extra.get("event")
        if ev is None or c.tok.dep_ != "conj":
            continue
        head = next((h.extra.get("event") for h in cands if h.tok.i == c.tok.head.i), None)
        if head is None or head.plover != ev.plover or head.id in drop:
            continue
        if _actor_key(head.target_actor) != _actor_key(ev.target_actor) or \
                _actor_key(head.source_actor) != _actor_key(ev.source_actor):
            continue
        keep, other = (ev, head) if (ev.goldstein or 0) < (head.goldstein or 0) else (head, ev)
        keep.attrs.setdefault("coordinated", []).append(
            {"cameo": other.cameo, "trigger": other.trigger,
             "trigger_start": other.attrs["trigger_start"]})
        drop.add(other.id)
    return [e for e in events if e.id not in drop]


def _actor_key(a: Actor | None) -> tuple[Any, ...] | None:
    return None if a is None else (a.entity_id, a.name)


@lru_cache(maxsize=1)
def _incident_nouns() -> frozenset[str]:
    """Nouns of a concrete incident: with a named victim they are an event even without a
    doer ("after the killing of the driver"); "the destruction of a people" is not."""
    return frozenset(lexicon().get("incident_nouns") or [])


def _without_dateline(sent: Any) -> tuple[int, int]:
    """The sentence span minus a leading dateline ("CITY, Region (Agency) — "), which the
    sentence splitter may or may not have attached to the first sentence."""
    # the Doc's text sliced (``Span.text`` rebuilds it token by token)
    m = DATELINE_RE.match(doc_text(sent.doc)[sent.start_char:sent.end_char])
    start = sent.start_char + (m.end() if m else 0)
    return start, sent.end_char


def _owner(noun: Any, gaz: Any) -> Any:
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


def _civilian(src: Any, actor: Actor | None) -> bool:
    """Protesters, residents or a crowd rather than a state body."""
    if actor is not None and actor.sector in _NON_STATE:
        return True
    head = semantic_head(src)
    if protest_actor(src):
        return True
    if actor is not None and actor.sector is None and actor.entity_id is None \
            and head.tag_ in ("NNS", "NNPS") and head.lemma_.lower() not in sector_lexicon():
        return True  # "young Algerians", "hundreds of people"
    return False


def _for_object(tok: Any) -> str | None:
    for ch in tok.children:
        if ch.dep_ == "prep" and ch.lower_ == "for":
            sub = list(ch.subtree)[1:]
            if sub:
                return tok.doc[sub[0].i: sub[-1].i + 1].text
    return None


def _obligation_speaker(c: Candidate) -> Any:
    """Subject of the reporting verb over an obligation ("X said Y must Z"), else None."""
    carrier = c.light if c.light is not None else c.tok
    if not any(a.lower_ == "must" for a in carrier.children if a.dep_ == "aux"):
        return None
    head = carrier.head
    if carrier.dep_ != "ccomp" or head.lemma_.lower() not in set(lexicon()["reporting_verbs"]):
        return None
    return next((ch for ch in head.children if ch.dep_ == "nsubj"), None)


def _clause_head(tok: Any, governor: Any) -> Any:
    """The verb heading an embedded noun action ("resume talks" for "talks")."""
    t = tok
    while t.pos_ != "VERB" and t.head.i != t.i and t.head.i != governor.i:
        t = t.head
    return t if t.pos_ == "VERB" else tok


def _action_text(tok: Any) -> str:
    """The embedded action as a short phrase: the trigger's subtree without its own
    subject, subordinate clauses or coordinated verbs."""
    drop = {"advcl", "punct", "cc", "conj", "mark", "nsubj", "aux", "neg", "relcl", "parataxis"}
    keep = {tok.i}
    for ch in tok.children:
        if ch.dep_ not in drop:
            keep.update(t.i for t in ch.subtree)
    lo, hi = tok.i, tok.i
    while lo - 1 in keep:
        lo -= 1
    while hi + 1 in keep:
        hi += 1
    return tok.doc[lo:hi + 1].text


def events_layer(ctx: Any) -> dict[str, list[Event]]:
    """Document layer: coded events of ``ctx.doc`` (see module docstring)."""
    if ctx.sdoc is None:
        return {"events": []}
    seed_text(ctx.sdoc, ctx.doc.text)
    return {"events": _DocEvents(ctx).run()}
