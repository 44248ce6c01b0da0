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
from typing import Any

from rashomon.analyze.event_actors import ActorCoder, letter_author
from rashomon.analyze.event_codes import code_info, lexicon
from rashomon.analyze.modality import modality, reported_by
from rashomon.model import Actor, Event, Mention, TimeExpr, stable_id

_EMBED_PREPS = {"for", "of", "with", "to", "on", "upon"}
_TARGET_PREPS = ("against", "on", "upon", "at", "with", "to", "into")
_NOUN_TARGET_PREPS = ("on", "against", "of", "with", "to", "at", "upon")
_PLACE_PREPS = {"in", "at", "near", "through", "outside", "inside", "around", "into", "along",
                "across", "from"}
_NON_STATE = {"OPP", "CVL", "LAB", "EDU", "AGR", "REF", "REL"}
_DATE_PREPS = {"on", "in", "at", "during", "since", "by", "until", "from"}
# Future cooperation is coded as intent (PLOVER AGREE): type -> CAMEO intent code.
_FUTURE_INTENT = {"CONSULT": "036", "SUPPORT": "032", "COOPERATE": "031", "AID": "033"}
# Refining a speech act by its embedded action's CAMEO root.
_REFINE = {
    "REQUEST": {"03": "102", "04": "106", "05": "102", "06": "101", "07": "103", "08": "105",
                "16": "1056", "17": "105", "18": "1056", "19": "1056", "20": "1056"},
    "AGREE": {"04": "036", "05": "032", "06": "031", "07": "033", "08": "035"},
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
    return sum(1 for k in ("prep", "prt", "obj") if p.get(k))


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
    has_xcomp = any(c.dep_ in ("xcomp", "ccomp") for c in tok.children)
    best = None
    for p in pats:
        if p.get("prep") and p["prep"] not in preps:
            continue
        if p.get("prt") and str(p["prt"]) not in prts:
            continue
        if p.get("obj") and not objs & {str(o).lower() for o in p["obj"]}:
            continue
        if p.get("passive_only") and not passive:
            continue
        if p.get("active_only") and passive:
            continue
        if p.get("xcomp_only") and not has_xcomp:
            continue
        if p.get("intransitive") and any(c.dep_ == "dobj" for c in tok.children):
            continue
        if best is None or _specificity(p) > _specificity(best):
            best = p
    return best


def find_candidates(sent: Any) -> list[Candidate]:
    nouns = lexicon()["nouns"]
    out = []
    for tok in sent:
        if tok.pos_ == "VERB":
            p = match_verb(tok)
            if p:
                out.append(Candidate(tok=tok, code=p["code"], pattern=p))
                continue
        if tok.pos_ in ("NOUN", "PROPN") and tok.lemma_.lower() in nouns:
            code = str(nouns[tok.lemma_.lower()])
            out.append(Candidate(tok=tok, code=code, pattern={"code": code}, is_noun=True))
        elif tok.pos_ == "NOUN" and tok.text.lower() in nouns:
            code = str(nouns[tok.text.lower()])
            out.append(Candidate(tok=tok, code=code, pattern={"code": code}, is_noun=True))
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
        if root in ("02", "03", "10", "12", "08"):
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


def _light_verb(tok: Any) -> Any:
    light = set(lexicon().get("light_verbs", []))
    h = tok.head
    if tok.dep_ in ("dobj", "nsubjpass", "attr") and h.lemma_.lower() in light and h.pos_ in ("VERB",
                                                                                           "AUX"):
        return h
    return None


def _subject(tok: Any) -> Any:
    for c in tok.children:
        if c.dep_ in ("nsubj", "csubj"):
            return c
    for c in tok.children:
        if c.dep_ == "agent":
            for p in c.children:
                if p.dep_ == "pobj":
                    return p
    # shared subject of coordinated verbs, controlled subject of "tried to X"
    if tok.dep_ in ("conj", "xcomp") and tok.head.i != tok.i:
        return _subject(tok.head)
    return None


def _passive(tok: Any) -> bool:
    return any(c.dep_ in ("nsubjpass", "auxpass") for c in tok.children)


def _pobj(prep: Any) -> Any:
    for p in prep.children:
        if p.dep_ == "pobj":
            return p
    return None


def _is_datey(tok: Any) -> bool:
    return tok.ent_type_ in ("DATE", "TIME") or tok.like_num


def _verb_args(c: Candidate) -> tuple[Any, Any]:
    tok = c.tok
    if _passive(tok):
        src = None
        for ch in tok.children:
            if ch.dep_ == "agent":
                src = _pobj(ch)
        tgt = next((ch for ch in tok.children if ch.dep_ == "nsubjpass"), None)
        return src, tgt
    src = _subject(tok)
    tgt = None
    obj_lemmas = {str(o).lower() for o in c.pattern.get("obj") or []}
    dobj = next((ch for ch in tok.children if ch.dep_ in ("dobj",)), None)
    dative = next((ch for ch in tok.children if ch.dep_ == "dative" and ch.pos_ != "ADP"), None)
    if dative is not None:
        tgt = dative
    elif dobj is not None and dobj.lemma_.lower() not in obj_lemmas:
        tgt = dobj
    if tgt is None:
        preps = [ch for ch in tok.children if ch.dep_ in ("prep", "dative")]
        if dobj is not None:
            preps += [ch for ch in dobj.children if ch.dep_ == "prep"]
        want = c.pattern.get("prep")
        for p in sorted(preps, key=lambda p: (p.lemma_.lower() != want, p.i)):
            lem = p.lemma_.lower()
            if lem == want or lem in _TARGET_PREPS:
                o = _pobj(p)
                if o is not None and not _is_datey(o):
                    tgt = o
                    break
    return src, tgt


def _noun_args(c: Candidate, coder_gaz: Any) -> tuple[Any, Any]:
    tok = c.tok
    src = tgt = None
    for ch in tok.children:
        if ch.dep_ == "poss":
            src = ch
        elif ch.dep_ == "prep" and ch.lemma_.lower() == "by":
            src = _pobj(ch) or src
    if src is None:
        for ch in tok.children:
            if ch.dep_ in ("amod", "compound", "nmod") and coder_gaz.matches([ch]):
                src = ch
                break
    for ch in tok.children:
        if ch.dep_ == "prep" and ch.lemma_.lower() in _NOUN_TARGET_PREPS:
            o = _pobj(ch)
            if o is not None and not _is_datey(o):
                tgt = o
                break
        if ch.dep_ == "prep" and ch.lemma_.lower() == "between":
            o = _pobj(ch)
            if o is not None:
                src = src or o
                conj = [x for x in o.conjuncts if x.i > o.i]
                tgt = conj[0] if conj else tgt
    if c.light is not None:
        src = _subject(c.light) or src
        if _passive(c.light):
            for ch in c.light.children:
                if ch.dep_ == "agent":
                    src = _pobj(ch) or src
    return src, tgt


class _DocEvents:
    """Builds the events of one document."""

    def __init__(self, ctx: Any) -> None:
        from rashomon.analyze.event_actors import gazetteer

        self.ctx = ctx
        self.doc = ctx.doc
        self.sdoc = ctx.sdoc
        self.mentions: list[Mention] = sorted(ctx.results.get("mentions") or [],
                                              key=lambda m: m.start)
        self.timexes: list[TimeExpr] = sorted(ctx.results.get("timexes") or [],
                                              key=lambda t: t.start)
        self.quotes = list(ctx.results.get("quotes") or [])
        self.gaz = gazetteer()
        self.coder = ActorCoder(self.mentions, letter_author(self.doc.text, self.mentions),
                                self.quotes)

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
        cands = find_candidates(sent)
        _fold_embedded(cands)
        verb_toks = {c.tok.i for c in cands if not c.is_noun and not c.folded}
        out = []
        for c in cands:
            if c.folded:
                continue
            if c.is_noun:
                c.light = _light_verb(c.tok)
                src, tgt = _noun_args(c, self.gaz)
                if src is None and tgt is None:
                    continue
                if tgt is not None and tgt.lemma_.lower() in set(lexicon().get("abstract_targets",
                                                                                [])):
                    continue
                # the object of a coded verb is only an event with an agent of its own
                own = any(ch.dep_ == "poss" for ch in c.tok.children)
                if not own and c.tok.dep_ in ("dobj", "nsubjpass") and c.tok.head.i in verb_toks:
                    continue
                if src is None and c.tok.dep_ in ("pobj", "dobj"):
                    continue
            else:
                src, tgt = _verb_args(c)
                if src is None and tgt is None:
                    continue
            ev = self.build(c, sent, src, tgt)
            if ev is not None:
                out.append(ev)
        return out

    # -- assembling one event ------------------------------------------------
    def build(self, c: Candidate, sent: Any, src: Any, tgt: Any) -> Event | None:
        governors = [g for g in (c.light,) if g is not None]
        mod = modality(c.tok, governors)
        code = c.code
        attrs: dict[str, Any] = {"trigger_start": c.tok.idx,
                                 "trigger_end": c.tok.idx + len(c.tok.text),
                                 "trigger_lemma": c.tok.lemma_.lower()}
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
            elif info.plover in _REFINE:
                code = _REFINE[info.plover].get(eroot, code)
            if info.plover == "REJECT" and eroot in ("12",):
                code = c.code
            e_tgt = _verb_args(e)[1] if not e.is_noun else _noun_args(e, self.gaz)[1]
            if tgt is not None and tgt.i in {t.i for t in e.tok.subtree}:
                tgt = None
            if tgt is None and e_tgt is not None and e_tgt.i != (src.i if src is not None else -1):
                tgt = e_tgt
        elif mod["future"] and not mod["negated"]:
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
        info = code_info(code)
        date, precision, date_from = self.event_date(c, sent)
        source = self.coder.code(src, date) if src is not None else None
        target = self.coder.code(tgt, date) if tgt is not None else None
        if source is not None and target is not None and source.start == target.start:
            target = None
        if code == "191" and source is not None and source.sector in _NON_STATE:
            code, info = "144", code_info("144")  # civilians blocking roads: obstruction protest
        mod.update(reported_by(c.tok, self.quotes))
        attrs["date_from"] = date_from
        attrs["cameo_name"] = info.name
        start, end = sent.start_char, sent.end_char
        return Event(
            id=stable_id(self.doc.id, start, end, code, c.tok.idx, prefix="ev_"),
            doc_id=self.doc.id, start=start, end=end, sentence=sent.text, cameo=code,
            plover=info.plover or "", plover_mode=info.mode, goldstein=info.goldstein,
            plover_intensity=info.intensity, trigger=c.tok.text, source_actor=source,
            target_actor=target, date=date, date_precision=precision,
            place=self.event_place(c, sent, [a for a in (source, target) if a]),
            modality=mod, attrs=attrs)

    def event_date(self, c: Candidate, sent: Any) -> tuple[str | None, str | None, str]:
        """Timex attached to the trigger, else in the sentence, else earlier in the paragraph."""
        in_sent = [t for t in self.timexes if sent.start_char <= t.start < sent.end_char
                   and t.value_start]
        if in_sent:
            anchors = [c.tok] + ([c.light] if c.light is not None else [])
            attached = []
            for a in anchors:
                for ch in a.children:
                    if (ch.dep_ == "prep" and ch.lemma_.lower() in _DATE_PREPS) or ch.dep_ in (
                            "npadvmod", "tmod", "advmod", "pobj"):
                        lo = ch.left_edge.idx
                        hi = ch.right_edge.idx + len(ch.right_edge.text)
                        attached += [t for t in in_sent if lo <= t.start and t.end <= hi]
            best = attached[0] if attached else min(in_sent,
                                                    key=lambda t: abs(t.start - c.tok.idx))
            return best.value_start, best.granularity, "sentence"
        para_start = self.doc.text.rfind("\n", 0, sent.start_char) + 1
        before = [t for t in self.timexes if para_start <= t.start < sent.start_char
                  and t.value_start]
        if before:
            t = before[-1]
            return t.value_start, t.granularity, "paragraph"
        if self.doc.published:
            return str(self.doc.published)[:10], "document", "document"
        return None, None, "none"

    def event_place(self, c: Candidate, sent: Any, actors: list[Actor]) -> dict[str, Any] | None:
        """A place named under in/at/near/through in the sentence, the trigger's own first."""
        taken = [(a.start, a.end) for a in actors if a.start is not None]

        def free(s: int, e: int) -> bool:
            return not any(a <= s and e <= b for a, b in taken)

        places = [m for m in self.mentions
                  if sent.start_char <= m.start < sent.end_char and free(m.start, m.end)
                  and (m.kind == "place" or (m.attrs or {}).get("kind") == "place")]
        subtree = {t.i for t in c.tok.subtree}
        scored = []
        for m in places:
            span = self.sdoc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None:
                continue
            root = span.root
            if root.dep_ == "pobj" and root.head.lemma_.lower() in _PLACE_PREPS:
                scored.append((0 if root.i in subtree else 1, m))
        if scored:
            scored.sort(key=lambda x: (x[0], abs(x[1].start - c.tok.idx)))
            m = scored[0][1]
            a = m.attrs or {}
            return {"name": m.surface, "entity_id": m.entity_id, "lat": a.get("lat"),
                    "lon": a.get("lon"), "country": a.get("country"), "start": m.start,
                    "end": m.end}
        for t in c.tok.subtree:
            if (t.dep_ == "pobj" and t.head.lemma_.lower() in _PLACE_PREPS
                    and t.ent_type_ in ("GPE", "LOC", "FAC") and free(t.idx, t.idx + len(t.text))):
                ent = next((e for e in sent.ents if e.start <= t.i < e.end), None)
                if ent is not None:
                    return {"name": ent.text, "entity_id": None, "lat": None, "lon": None,
                            "start": ent.start_char, "end": ent.end_char}
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
    return {"events": _DocEvents(ctx).run()}
