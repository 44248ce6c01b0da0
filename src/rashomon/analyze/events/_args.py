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

from functools import cache
from typing import TYPE_CHECKING, Any

from rashomon.analyze.events._candidate import Candidate, TokenTest
from rashomon.analyze.events._codes import lexicon, word_set
from rashomon.analyze.events._phrase import pobj, semantic_head
from rashomon.text import Gazetteer, is_dateline

if TYPE_CHECKING:
    from spacy.tokens import Token

Args = tuple["Token | None", "Token | None"]


@cache
def _set(key: str) -> frozenset[str]:
    return frozenset(str(w).lower() for w in lexicon().get(key) or [])


def light_verbs() -> frozenset[str]:
    return _set("light_verbs")


def aspect_verbs() -> frozenset[str]:
    return _set("aspect_verbs")


def is_datey(tok: Token) -> bool:
    return tok.ent_type_ in ("DATE", "TIME") or tok.like_num


def is_passive(tok: Token) -> bool:
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


def subject(tok: Token) -> Token | None:
    """The doer of a verb: its own subject (past a dateline), a passive's "by X" agent,
    or the subject it shares with the verb it is coordinated with or controlled by."""
    subs = [c for c in tok.children if c.dep_ in ("nsubj", "csubj")]
    if subs:
        return _own_subject(subs)
    agent = next((p for c in tok.children if c.dep_ == "agent" and (p := pobj(c)) is not None),
                 None)
    if agent is not None:
        return agent
    return _shared_subject(tok)


def _own_subject(subs: list[Token]) -> Token | None:
    """The first subject that is no dateline; else the noun hanging off the dateline
    ("CITY (Agency) — X opened ..."); a dateline alone ("KORRIN — ...") is no subject."""
    real = [c for c in subs if not is_dateline(c)]
    if real:
        return real[0]
    return next((t for d in subs for t in d.subtree
                 if t.pos_ in ("NOUN", "PROPN", "PRON") and not is_dateline(t)
                 and is_dateline(t.head)), None)


def _shared_subject(tok: Token) -> Token | None:
    """A subject taken from the governing verb: "it is willing to withdraw", "tried to X",
    "X and Y", "..., demanding that ..."."""
    head = tok.head
    # "it is willing to withdraw": the subject of the predicate adjective
    if tok.dep_ == "xcomp" and head.dep_ == "acomp" and head.head.i != head.i:
        return subject(head.head)
    # shared subject of coordinated verbs, controlled subject of "tried to X"
    if tok.dep_ in ("conj", "xcomp") and head.i != tok.i:
        # "was indicted by X and will resign": the passive's subject, not its agent
        spass = next((c for c in head.children if c.dep_ == "nsubjpass"), None)
        if spass is not None and not is_passive(tok):
            return spass
        return subject(head)
    # "..., demanding that ...": a participle clause shares the main subject
    if tok.dep_ == "advcl" and tok.tag_ == "VBG" and head.pos_ in ("VERB", "AUX"):
        return subject(head)
    return None


def _agent(tok: Token) -> Token | None:
    for ch in tok.children:
        if ch.dep_ == "agent":
            return pobj(ch)
    return None


def _passive_args(tok: Token) -> Args:
    """(agent, patient) of a passive verb; a coordinated passive shares its first verb's."""
    src = _agent(tok)
    tgt = next((ch for ch in tok.children if ch.dep_ == "nsubjpass"), None)
    if tgt is None and tok.dep_ == "conj":
        tgt = next((ch for ch in tok.head.children if ch.dep_ == "nsubjpass"), None)
        src = src or _agent(tok.head)
    return src, tgt


def verb_args(c: Candidate) -> Args:
    """(source, target) heads of a verb candidate."""
    tok = c.tok
    if is_passive(tok):
        return _passive_args(tok)
    if tok.dep_ == "acl" and tok.tag_ == "VBN" and tok.head.pos_ in ("NOUN", "PROPN"):
        # "a journalist arrested in the capital": the modified noun undergoes the action
        return _agent(tok), tok.head
    dobj = next((ch for ch in tok.children if ch.dep_ == "dobj"), None)
    tgt = _object_target(tok, dobj, c.pattern.get("obj"))
    if tgt is None and c.pattern.get("embeds"):
        tgt = _complement_subject(tok)
    if tgt is None:
        tgt = _prep_target(tok, dobj, c.pattern)
    return subject(tok), tgt


def _object_target(tok: Token, dobj: Token | None, obj: list[str] | None) -> Token | None:
    """The dative, else the direct object unless the pattern names it ("impose sanctions":
    the sanctions are the action, not its target)."""
    dative = next((ch for ch in tok.children if ch.dep_ == "dative" and ch.pos_ != "ADP"), None)
    if dative is not None:
        return dative
    if dobj is not None and dobj.lemma_.lower() not in {str(o).lower() for o in obj or []}:
        return dobj
    return None


def _complement_subject(tok: Token) -> Token | None:
    """"urged X to withdraw" parsed with X as the complement's subject."""
    for ch in tok.children:
        if ch.dep_ in ("ccomp", "xcomp"):
            subj = next((s for s in ch.children if s.dep_ in ("nsubj", "nsubjpass")), None)
            if subj is not None and subj.pos_ in ("NOUN", "PROPN"):
                return subj
    return None


def _prep_target(tok: Token, dobj: Token | None, pattern: dict[str, Any]) -> Token | None:
    """The object of the pattern's preposition or of a target preposition, on the verb
    or its direct object; not a date and not the trigger's frame."""
    preps = [ch for ch in tok.children if ch.dep_ in ("prep", "dative")]
    if dobj is not None:
        preps += [ch for ch in dobj.children if ch.dep_ == "prep"]
    want = pattern.get("prep")
    # "arrived in X on a visit": X is visited; the visit is the trigger's frame
    frame = {str(o).lower() for o in pattern.get("pobj") or []}
    allowed = word_set("verb_target_preps") | set(pattern.get("target_preps") or [])
    for p in sorted(preps, key=lambda p: (p.lemma_.lower() != want, p.i)):
        lem = p.lemma_.lower()
        if lem == want or lem in allowed:
            o = pobj(p)
            if o is not None and not is_datey(o) and o.lemma_.lower() not in frame:
                return o
    return None


def actor_like(tok: Token, gaz: Gazetteer, sectors: dict[str, str],
               mentions_at: TokenTest | None = None) -> bool:
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


def noun_args(c: Candidate, gaz: Gazetteer, sectors: dict[str, str] | None = None,
              mentions_at: TokenTest | None = None, place_at: TokenTest | None = None) -> Args:
    """(source, target) heads of a noun candidate."""
    tok = c.tok
    src = _noun_source(tok, gaz)
    src, tgt = _noun_prep_args(c, src, gaz, sectors or {}, mentions_at, place_at)
    if c.light is not None and not c.light_is_frame and tok.dep_ != "nsubj":
        src, tgt = _light_verb_args(tok, c.light, src, tgt)
    return src, tgt


def _noun_source(tok: Token, gaz: Gazetteer) -> Token | None:
    """The possessor or "by X" of an event noun, else a country/demonym modifier."""
    src = None
    for ch in tok.children:
        if ch.dep_ == "poss":
            src = ch
        elif ch.dep_ == "prep" and ch.lemma_.lower() == "by":
            src = pobj(ch) or src
    if src is None:
        src = next((ch for ch in tok.children
                    if ch.dep_ in ("amod", "compound", "nmod") and gaz.matches([ch])), None)
    return src


def _noun_prep_args(c: Candidate, src: Token | None, gaz: Gazetteer, sectors: dict[str, str],
                    mentions_at: TokenTest | None, place_at: TokenTest | None) -> Args:
    """Source and target from the noun's prepositions: "attack on X", "protests of
    activists" (an agentive "of"), "talks between X and Y"."""
    agentive = c.tok.lemma_.lower() in _set("agentive_of") or c.surface in _set("agentive_of")
    tgt = None
    for ch in c.tok.children:
        if ch.dep_ != "prep":
            continue
        lem = ch.lemma_.lower()
        if lem == "between":
            src, tgt = _between(ch, src, tgt)
            continue
        if lem not in word_set("noun_target_preps"):
            continue
        o = pobj(ch)
        if o is None or is_datey(o):
            continue
        if agentive and lem == "of" and src is None and actor_like(o, gaz, sectors, mentions_at):
            src = o
            continue
        if agentive and place_at is not None and (place_at(o) or o.lemma_.lower() in
                                                  _set("place_nouns")):
            continue  # "a sit-in on the road": where, not against whom
        tgt = o
        break
    return src, tgt


def _between(prep: Token, src: Token | None, tgt: Token | None) -> Args:
    """"talks between X and Y": X is the source (unless one is known), Y the target."""
    o = pobj(prep)
    if o is None:
        return src, tgt
    conj = [x for x in o.conjuncts if x.i > o.i]
    return src or o, conj[0] if conj else tgt


def _light_verb_args(tok: Token, light: Token, src: Token | None, tgt: Token | None) -> Args:
    """The light verb's subject does the noun's action ("launched an attack"); in a
    passive its agent, or for "were engaged in X" its passive subject."""
    src = subject(light) or src
    if is_passive(light):
        src = _agent(light) or src
        if tok.dep_ == "pobj":  # "forces were engaged in X": the subject does X
            src = next((ch for ch in light.children if ch.dep_ == "nsubjpass"), src)
    if tgt is None and tok.dep_ == "pobj":  # "engaged in X against Y"
        for ch in light.children:
            if ch.dep_ == "prep" and ch.lemma_.lower() in word_set("light_target_preps"):
                tgt = pobj(ch) or tgt
    return src, tgt


def carrier_verb(tok: Token) -> tuple[Token | None, bool]:
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
    if tok.dep_ == "pobj":
        return _prep_carrier(tok, h)
    return None, False


def _prep_carrier(tok: Token, prep: Token) -> tuple[Token | None, bool]:
    """A carrier through a preposition: "engaged in ethnic cleansing", "resorted to
    violence"; or a frame: "under the guise of X" (X -> of -> guise -> under -> verb)."""
    if prep.dep_ == "prep":
        verb = prep.head
        wanted = (lexicon().get("prep_light_verbs") or {}).get(verb.lemma_.lower())
        if verb.pos_ in ("VERB", "AUX") and wanted and prep.lower_ in wanted:
            return verb, False
    if prep.lower_ == "of":
        frame = prep.head
        if frame.lemma_.lower() in word_set("frame_nouns") and frame.dep_ == "pobj":
            verb = frame.head.head
            if verb.pos_ in ("VERB", "AUX"):
                return verb, True
    return None, False
