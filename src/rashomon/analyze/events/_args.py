"""Arguments of a trigger: who acts (source) and on whom (target), from the parse.

* verbs: source = ``nsubj`` (or the "by X" agent of a passive, or the shared
  subject of coordinated / controlled verbs), target = dative, direct object,
  the pattern's preposition object, or ``nsubjpass``; a coordinated passive
  ("was abducted and killed") shares its first verb's subject;
* nouns: source = possessor, "by X", a country/demonym modifier, the subject
  of the light verb carrying it ("launched an attack"), or "of X" for nouns
  whose "of" names the doer ("protests of activists", "the visit of the
  minister"); target = "on/against/of/... X";
* light verbs carry a noun's tense, date and polarity: "held talks", "launched
  an attack", and aspect verbs whose subject is the event ("the protest began",
  "the sit-in continued");
* a noun framed as a pretext ("under the guise of a protest") takes the verb
  of that phrase as its carrier, so it gets that clause's date.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from rashomon.analyze.events._codes import lexicon

TARGET_PREPS = ("against", "on", "upon", "at", "with", "to", "into")
NOUN_TARGET_PREPS = ("on", "against", "of", "with", "to", "at", "upon")
_QUANTITY = {"hundred", "thousand", "dozen", "million", "score", "group", "number", "crowd",
             "couple", "handful", "lot", "most", "many", "some", "several", "all", "few",
             "tens", "hundreds", "thousands", "dozens", "millions", "part", "majority",
             "one", "two", "three", "four", "five", "band", "unit", "battalion",
             "contingent", "detachment", "batch", "team", "squad"}


@lru_cache(maxsize=1)
def _set(key: str) -> frozenset[str]:
    return frozenset(str(w).lower() for w in lexicon().get(key) or [])


def light_verbs() -> frozenset[str]:
    return _set("light_verbs")


def aspect_verbs() -> frozenset[str]:
    return _set("aspect_verbs")


def pobj(prep: Any) -> Any:
    """The object of a preposition; with a hyphen split ("eco - activists") the last noun."""
    objs = [p for p in prep.children if p.dep_ == "pobj" and p.pos_ != "PUNCT"]
    if not objs:
        return None
    nouns = [p for p in objs if p.pos_ in ("NOUN", "PROPN", "PRON")]
    return (nouns or objs)[-1]


def is_datey(tok: Any) -> bool:
    return tok.ent_type_ in ("DATE", "TIME") or tok.like_num


def semantic_head(tok: Any) -> Any:
    """"hundreds of activists" -> activists; "a group of soldiers" -> soldiers."""
    t = tok
    for _ in range(3):
        if t.lemma_.lower() not in _QUANTITY and t.pos_ != "NUM":
            return t
        nxt = next((pobj(c) for c in t.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        if nxt is None:
            return t
        t = nxt
    return t


def is_passive(tok: Any) -> bool:
    if any(c.dep_ in ("nsubjpass", "auxpass") for c in tok.children):
        return True
    # "was abducted and killed": the second verb inherits the first one's voice
    # (a bare "and shot" is often tagged VBD; with no subject or object of its own it can
    # only share the first verb's passive subject)
    bare = not any(c.dep_ in ("prep", "advmod", "prt", "dative", "xcomp", "ccomp", "attr")
                   for c in tok.children)
    return (tok.dep_ == "conj" and (tok.tag_ == "VBN" or (tok.tag_ == "VBD" and bare))
            and tok.head.pos_ == "VERB"
            and not any(c.dep_ in ("nsubj", "dobj") for c in tok.children)
            and any(c.dep_ in ("nsubjpass", "auxpass") for c in tok.head.children))


def subject(tok: Any) -> Any:
    from rashomon.text import is_dateline

    subs = [c for c in tok.children if c.dep_ in ("nsubj", "csubj")]
    real = [c for c in subs if not is_dateline(c)]
    if real:
        return real[0]
    for d in subs:  # "CITY (Agency) — X opened ...": X hangs off the dateline
        for t in d.subtree:
            if (t.pos_ in ("NOUN", "PROPN", "PRON") and not is_dateline(t)
                    and is_dateline(t.head)):
                return t
    if subs:
        return None  # only a dateline ("KORRIN — ..."): no subject
    for c in tok.children:
        if c.dep_ == "agent":
            p = pobj(c)
            if p is not None:
                return p
    # "it is willing to withdraw": the subject of the predicate adjective
    if tok.dep_ == "xcomp" and tok.head.dep_ == "acomp" and tok.head.head.i != tok.head.i:
        return subject(tok.head.head)
    # shared subject of coordinated verbs, controlled subject of "tried to X"
    if tok.dep_ in ("conj", "xcomp") and tok.head.i != tok.i:
        # "was indicted by X and will resign": the passive's subject, not its agent
        spass = next((c for c in tok.head.children if c.dep_ == "nsubjpass"), None)
        if spass is not None and not is_passive(tok):
            return spass
        return subject(tok.head)
    # "..., demanding that ...": a participle clause shares the main subject
    if tok.dep_ == "advcl" and tok.tag_ == "VBG" and tok.head.pos_ in ("VERB", "AUX"):
        return subject(tok.head)
    return None


def _agent(tok: Any) -> Any:
    for ch in tok.children:
        if ch.dep_ == "agent":
            return pobj(ch)
    return None


def verb_args(c: Any) -> tuple[Any, Any]:
    """(source, target) heads of a verb candidate."""
    tok = c.tok
    if is_passive(tok):
        src = _agent(tok)
        tgt = next((ch for ch in tok.children if ch.dep_ == "nsubjpass"), None)
        if tgt is None and tok.dep_ == "conj":
            tgt = next((ch for ch in tok.head.children if ch.dep_ == "nsubjpass"), None)
            src = src or _agent(tok.head)
        return src, tgt
    if tok.dep_ == "acl" and tok.tag_ == "VBN" and tok.head.pos_ in ("NOUN", "PROPN"):
        # "a journalist arrested in the capital": the modified noun undergoes the action
        return _agent(tok), tok.head
    src = subject(tok)
    tgt = None
    obj_lemmas = {str(o).lower() for o in c.pattern.get("obj") or []}
    dobj = next((ch for ch in tok.children if ch.dep_ in ("dobj",)), None)
    dative = next((ch for ch in tok.children if ch.dep_ == "dative" and ch.pos_ != "ADP"), None)
    if dative is not None:
        tgt = dative
    elif dobj is not None and dobj.lemma_.lower() not in obj_lemmas:
        tgt = dobj
    if tgt is None and c.pattern.get("embeds"):
        # "urged X to withdraw" parsed with X as the complement's subject
        for ch in tok.children:
            if ch.dep_ in ("ccomp", "xcomp"):
                subj = next((s for s in ch.children if s.dep_ in ("nsubj", "nsubjpass")), None)
                if subj is not None and subj.pos_ in ("NOUN", "PROPN"):
                    tgt = subj
                    break
    if tgt is None:
        preps = [ch for ch in tok.children if ch.dep_ in ("prep", "dative")]
        if dobj is not None:
            preps += [ch for ch in dobj.children if ch.dep_ == "prep"]
        want = c.pattern.get("prep")
        # "arrived in X on a visit": X is visited; the visit is the trigger's frame
        frame = {str(o).lower() for o in c.pattern.get("pobj") or []}
        allowed = set(TARGET_PREPS) | set(c.pattern.get("target_preps") or [])
        for p in sorted(preps, key=lambda p: (p.lemma_.lower() != want, p.i)):
            lem = p.lemma_.lower()
            if lem == want or lem in allowed:
                o = pobj(p)
                if o is not None and not is_datey(o) and o.lemma_.lower() not in frame:
                    tgt = o
                    break
    return src, tgt


def actor_like(tok: Any, gaz: Any, sectors: dict[str, str], mentions_at: Any = None) -> bool:
    """Could this noun name a participant (a person, group, organisation or state)?"""
    t = semantic_head(tok)
    lemma = t.lemma_.lower()
    if lemma in sectors or t.lower_ in sectors or lemma in _set("person_nouns"):
        return True
    if t.pos_ == "PROPN" and t.ent_type_ in ("PERSON", "ORG", "NORP", "GPE"):
        return True
    if mentions_at is not None and mentions_at(t):
        return True
    return bool(gaz.matches([t]))


def noun_args(c: Any, gaz: Any, sectors: dict[str, str] | None = None,
              mentions_at: Any = None, place_at: Any = None) -> tuple[Any, Any]:
    """(source, target) heads of a noun candidate."""
    tok = c.tok
    sectors = sectors or {}
    src = tgt = None
    for ch in tok.children:
        if ch.dep_ == "poss":
            src = ch
        elif ch.dep_ == "prep" and ch.lemma_.lower() == "by":
            src = pobj(ch) or src
    if src is None:
        for ch in tok.children:
            if ch.dep_ in ("amod", "compound", "nmod") and gaz.matches([ch]):
                src = ch
                break
    agentive = (tok.lemma_.lower() in _set("agentive_of")
                or c.extra.get("surface") in _set("agentive_of"))
    for ch in tok.children:
        if ch.dep_ == "prep" and ch.lemma_.lower() in NOUN_TARGET_PREPS:
            o = pobj(ch)
            if o is None or is_datey(o):
                continue
            if (agentive and ch.lemma_.lower() == "of" and src is None
                    and actor_like(o, gaz, sectors, mentions_at)):
                src = o
                continue
            if agentive and place_at is not None and (place_at(o) or o.lemma_.lower() in
                                                      _set("place_nouns")):
                continue  # "a sit-in on the road": where, not against whom
            tgt = o
            break
        if ch.dep_ == "prep" and ch.lemma_.lower() == "between":
            o = pobj(ch)
            if o is not None:
                src = src or o
                conj = [x for x in o.conjuncts if x.i > o.i]
                tgt = conj[0] if conj else tgt
    light = c.light
    if light is not None and not c.extra.get("light_is_frame") and tok.dep_ != "nsubj":
        src = subject(light) or src
        if is_passive(light):
            src = _agent(light) or src
            if tok.dep_ == "pobj":  # "forces were engaged in X": the subject does X
                src = next((ch for ch in light.children if ch.dep_ == "nsubjpass"), src)
        if tgt is None and tok.dep_ == "pobj":  # "engaged in X against Y"
            for ch in light.children:
                if ch.dep_ == "prep" and ch.lemma_.lower() in ("against", "on", "upon"):
                    tgt = pobj(ch) or tgt
    return src, tgt


_FRAME_NOUNS = {"guise", "pretext", "cover", "banner", "disguise", "mask", "veneer"}


def carrier_verb(tok: Any) -> tuple[Any, bool]:
    """The verb carrying a noun event and whether it only frames it (a pretext phrase).

    "launched an attack" / "talks were held" -> (launched/held, False);
    "the protest began" -> (began, False);
    "started under the guise of a protest" -> (started, True).
    """
    h = tok.head
    if h.pos_ in ("VERB", "AUX"):
        lem = h.lemma_.lower()
        if lem not in light_verbs() and h.lower_.endswith("d"):
            lem = h.lower_[:-1]  # tagger lemma slips: "staged" -> "stag"
        if tok.dep_ in ("dobj", "nsubjpass", "attr") and lem in light_verbs():
            return h, False
        if tok.dep_ == "nsubj" and lem in aspect_verbs():
            return h, False
    # "engaged in ethnic cleansing", "resorted to violence": a prepositional carrier
    if tok.dep_ == "pobj" and h.dep_ == "prep":
        verb = h.head
        wanted = (lexicon().get("prep_light_verbs") or {}).get(verb.lemma_.lower())
        if verb.pos_ in ("VERB", "AUX") and wanted and h.lower_ in wanted:
            return verb, False
    # "under the guise of X": X -> of -> guise -> under -> verb
    if tok.dep_ == "pobj" and h.lower_ == "of":
        frame = h.head
        if frame.lemma_.lower() in _FRAME_NOUNS and frame.dep_ == "pobj":
            verb = frame.head.head
            if verb.pos_ in ("VERB", "AUX"):
                return verb, True
    return None, False
