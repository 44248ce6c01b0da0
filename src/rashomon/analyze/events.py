"""The events layer: CAMEO/PLOVER-coded events from the dependency parse.

For each sentence, triggers (verbs and event nouns of ``data/event_lexicon.yaml``)
are matched against the parse; the most specific lexicon pattern wins.  Each
trigger becomes at most one event with:

* source = agent (``nsubj``, or "by X" in a passive; for a noun, its possessor,
  a country/demonym modifier or "by X"; for a light-verb object, the verb's
  subject: "Azerbaijan launched an attack");
* target = direct object, the pattern's preposition object, ``nsubjpass``, or a
  noun's "on/against/of X";
* date, place, modality (see :mod:`rashomon.analyze.modality`) and the
  Goldstein / PLOVER values of its code.

Embedding triggers ("urged X to withdraw", "agreed to meet", "threatened to
attack") absorb the embedded action: one event, coded as the speech act, with
the embedded action kept in ``attrs`` (``demanded_action``/``embedded_cameo``).

False events are avoided by requiring an argument: a verb with neither subject
nor object, or a lone noun ("the meeting"), is not coded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from rashomon.analyze.event_actors import ActorCoder, letter_author_at, sector_lexicon
from rashomon.analyze.event_args import (
    actor_like,
    carrier_verb,
    noun_args,
    semantic_head,
    verb_args,
)
from rashomon.analyze.event_codes import code_info, lexicon
from rashomon.analyze.event_coref import (
    DATELINE_RE,
    NOBODY,
    Coref,
    Resolution,
    is_propositional,
)
from rashomon.analyze.event_patterns import (
    camp_trigger,
    installation_code,
    installation_trigger,
    protest_actor,
    request_sense,
    vowed_force,
)
from rashomon.analyze.event_refine import (
    be_to,
    context_countries,
    noun_code,
    unrealised_infinitive,
)
from rashomon.analyze.event_setting import event_date, event_place, has_own_place
from rashomon.analyze.modality import expresses_intent, modality, reported_by
from rashomon.analyze.spans import seed_text
from rashomon.model import Actor, Event, Mention, TimeExpr, stable_id

_EMBED_PREPS = {"for", "of", "with", "to", "on", "upon"}
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


@dataclass
class Candidate:
    """A matched trigger before arguments are attached."""

    tok: Any
    code: str
    pattern: dict[str, Any]
    is_noun: bool = False
    light: Any = None  # light verb carrying a noun trigger
    governor: Any = None  # embedding candidate that absorbed this one
    embedded: Candidate | None = None
    folded: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


def _patterns(raw: list[Any]) -> list[dict[str, Any]]:
    out = []
    for p in raw or []:
        out.append({"code": str(p)} if not isinstance(p, dict) else {**p, "code": str(p["code"])})
    return out


def _specificity(p: dict[str, Any]) -> int:
    return sum(1 for k in ("prep", "prt", "obj", "pobj") if p.get(k))


def match_verb(tok: Any) -> dict[str, Any] | None:
    """Most specific lexicon pattern whose constraints the verb token meets."""
    pats = _patterns(lexicon()["verbs"].get(tok.lemma_.lower()))
    if not pats:
        return None
    passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in tok.children)
    preps = {c.lemma_.lower() for c in tok.children if c.dep_ in ("prep", "agent", "dative")}
    prts = {c.lemma_.lower() for c in tok.children if c.dep_ == "prt"}
    objs = {c.lemma_.lower() for c in tok.children if c.dep_ in ("dobj", "nsubjpass", "attr")}
    objs |= {c.text.lower() for c in tok.children if c.dep_ in ("dobj", "nsubjpass")}
    pobjs = {g.lemma_.lower() for c in tok.children if c.dep_ in ("prep", "dative")
             for g in c.children if g.dep_ == "pobj"}
    has_xcomp = any(c.dep_ in ("xcomp", "ccomp") for c in tok.children)
    best = None
    for p in pats:
        if p.get("prep") and p["prep"] not in preps:
            continue
        if p.get("prt") and str(p["prt"]) not in prts:
            continue
        if p.get("obj") and not objs & {str(o).lower() for o in p["obj"]}:
            continue
        if p.get("pobj") and not pobjs & {str(o).lower() for o in p["pobj"]}:
            continue
        if p.get("passive_only") and not passive:
            continue
        if p.get("active_only") and passive:
            continue
        if p.get("xcomp_only") and not has_xcomp:
            continue
        if p.get("intransitive") and any(c.dep_ == "dobj" for c in tok.children):
            continue
        if p.get("not_obj") and objs & {str(o).lower() for o in p["not_obj"]}:
            continue
        if p.get("request_sense") and not request_sense(tok):
            continue
        if best is None or _specificity(p) > _specificity(best):
            best = p
    return best


def _hyphen_word(tok: Any, lemma: bool = False) -> str | None:
    """"sit-in" when ``tok`` is the last part of a hyphenated word split by the tokenizer
    ("test-fire" for "test-fired" with ``lemma``)."""
    doc = tok.doc
    i = tok.i
    if i >= 2 and doc[i - 1].tag_ == "HYPH" and not doc[i - 1].whitespace_ \
            and not doc[i - 2].whitespace_:
        return f"{doc[i - 2].lower_}-{tok.lemma_.lower() if lemma else tok.lower_}"
    return None


def find_candidates(sent: Any, place_at: Any = None, route_at: Any = None) -> list[Candidate]:
    """Trigger candidates of a sentence (``place_at``/``route_at(tok)``: is the token in the
    name of a place / of a road?)."""
    nouns = lexicon()["nouns"]
    out: list[Candidate] = []
    seen: set[int] = set()
    for tok in sent:
        inst = installation_trigger(tok)
        if inst is not None and inst[0].i not in seen:
            trig, src, noun = inst
            code = installation_code()
            out.append(Candidate(tok=trig, code=code, pattern={"code": code},
                                 is_noun=trig.pos_ in ("NOUN", "PROPN"),
                                 extra={"args": (src, None), "installation": noun}))
            seen.add(trig.i)
    after_hyph = {t.i + 1 for t in sent if t.tag_ == "HYPH"}
    for tok in sent:
        if tok.i in seen:
            continue
        if tok.pos_ == "VERB":
            camp = camp_trigger(tok, place_at, route_at)
            if camp is not None:
                out.append(Candidate(tok=tok, code=camp[0], pattern={"code": camp[0]},
                                     extra={"args": (camp[1], None), "camp": True}))
                continue
            hyph = _hyphen_word(tok, lemma=True) if tok.i in after_hyph else None
            hyph_pats = _patterns(lexicon()["verbs"].get(hyph)) if hyph else []
            if hyph_pats:  # "test-fired": the compound verb, not "fired"
                out.append(Candidate(tok=tok, code=hyph_pats[0]["code"], pattern=hyph_pats[0],
                                     extra={"surface": hyph}))
                continue
            p = match_verb(tok)
            if p:
                out.append(Candidate(tok=tok, code=p["code"], pattern=p))
                continue
        if tok.pos_ not in ("NOUN", "PROPN"):
            continue
        hyph = _hyphen_word(tok) if tok.i in after_hyph else None
        mods = [m for m in tok.children if m.dep_ in ("compound", "amod") and m.i == tok.i - 1]
        multi = [f"{m.lower_} {w}" for m in mods for w in (tok.lower_, tok.lemma_.lower())]
        keys = [*multi, hyph, tok.lemma_.lower()] + ([tok.text.lower()] if tok.pos_ == "NOUN"
                                                       else [])
        key = next((k for k in keys if k and k in nouns), None)
        if key is not None:
            code = str(nouns[key])
            out.append(Candidate(tok=tok, code=code, pattern={"code": code}, is_noun=True,
                                 extra={"surface": key} if key in multi or key == hyph
                                 else {}))
    out.sort(key=lambda c: c.tok.i)
    return out


def _fold_embedded(cands: list[Candidate]) -> None:
    """Let embedding triggers absorb the nearest trigger in their complement."""
    by_tok = {c.tok.i: c for c in cands}
    for c in cands:
        if not c.pattern.get("embeds"):
            continue
        # breadth-first through the governed complement
        root = c.code[:2]
        deps = {"xcomp", "ccomp", "oprd"}
        if root in ("01", "02", "03", "10", "12", "08"):
            deps |= {"dobj", "advcl", "acl", "prep"}
        frontier = [ch for ch in c.tok.children
                    if ch.dep_ in deps or (ch.dep_ == "prep" and ch.lemma_.lower() in _EMBED_PREPS)]
        seen = set()
        while frontier:
            nxt = []
            for t in frontier:
                if t.i in seen:
                    continue
                seen.add(t.i)
                e = by_tok.get(t.i)
                if e is not None and e is not c and not e.folded:
                    c.embedded = e
                    e.folded = True
                    e.governor = c
                    break
                nxt.extend(ch for ch in t.children if ch.dep_ not in ("nsubj", "punct", "cc",
                                                                        "relcl", "appos"))
            if c.embedded is not None:
                break
            frontier = nxt


class _DocEvents:
    """Builds the events of one document."""

    def __init__(self, ctx: Any) -> None:
        from rashomon.analyze.event_actors import gazetteer
        from rashomon.analyze.event_appeals import inline_addressees

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
            if m.kind == "place" or (m.attrs or {}).get("kind") == "place":
                out.update(range(m.start, m.end))
        return out

    def _sent_countries(self, sent: Any) -> list[tuple[int, str]]:
        """Country names of a sentence (computed once per sentence)."""
        from rashomon.analyze.event_actors import gazetteer_country_hits

        cache = self.__dict__.setdefault("_sent_hits", {})
        if sent.start not in cache:
            cache[sent.start] = gazetteer_country_hits(list(sent))
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
        from rashomon.analyze.event_appeals import appeal_events

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
            if c.folded:
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
        return _merge_coordinated(cands, out)

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
        start, end = _without_dateline(sent)
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


def _fold_protest_demands(cands: list[Candidate]) -> None:
    """A protest's stated demand is part of the protest ("demonstrated, calling for X",
    "continued their strike to demand X"): one PROTEST event with the demand in attrs."""
    by_tok = {c.tok.i: c for c in cands}
    protests = [c for c in cands if not c.folded and c.embedded is None
                and code_info(c.code).plover == "PROTEST"]
    if not protests:
        return
    for c in cands:
        if c.folded or code_info(c.code).plover != "REQUEST":
            continue
        h = c.tok
        for _ in range(3):
            if h.dep_ not in ("advcl", "xcomp", "dobj", "pobj", "prep", "acl") or h.head.i == h.i:
                break
            h = h.head
            p = by_tok.get(h.i)
            if p is None:  # "continued their strike to demand": the protest is a sibling
                p = next((x for x in protests if x.tok.head.i == h.i and x.is_noun), None)
            if p is not None and p in protests and p.embedded is None:
                p.embedded, c.folded, c.governor = c, True, p
                break










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
    m = DATELINE_RE.match(sent.text)
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
