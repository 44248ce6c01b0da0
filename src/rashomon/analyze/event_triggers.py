"""Trigger candidates of a sentence and how embedding triggers absorb others.

A candidate is a lexicon verb or event noun matched against the parse (the most
specific lexicon pattern wins); embedding triggers ("urged X to withdraw", "agreed to
meet") and protests with a stated demand then absorb the trigger they govern, so one
telling gives one event.  Split from :mod:`rashomon.analyze.events`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rashomon.analyze.event_args import semantic_head, subject
from rashomon.analyze.event_codes import code_info, lexicon
from rashomon.analyze.event_patterns import (
    camp_trigger,
    installation_code,
    installation_trigger,
    request_sense,
)
from rashomon.analyze.event_shapes import verbless_triggers

_EMBED_PREPS = {"for", "of", "with", "to", "on", "upon"}

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
    obj_toks = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass", "attr")]
    objs = {c.lemma_.lower() for c in obj_toks}
    objs |= {c.text.lower() for c in obj_toks if c.dep_ != "attr"}
    # "mediation efforts", "chemical weapons", "aid workers": the modified object counts too
    objs |= {f"{m.lemma_.lower()} {c.lemma_.lower()}" for c in obj_toks for m in c.children
             if m.dep_ in ("compound", "amod") and m.i == c.i - 1}
    objs |= {m.lemma_.lower() for c in obj_toks for m in c.children
             if m.dep_ == "compound" and m.i == c.i - 1}
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
        if p.get("subj") and not _subject_in(tok, p["subj"]):
            continue
        if best is None or _specificity(p) > _specificity(best):
            best = p
    return best


def _subject_in(tok: Any, lemmas: list[str]) -> bool:
    """Is the verb's subject (through "a group of X") one of ``lemmas``?"""
    src = subject(tok)
    return src is not None and semantic_head(src).lemma_.lower() in {str(x) for x in lemmas}


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
    toks = list(sent)  # one Token object per position: spaCy builds a new one per access
    nominal = [t for t in toks if t.pos_ in ("NOUN", "PROPN")]
    for tok in nominal:
        inst = installation_trigger(tok)
        if inst is not None and inst[0].i not in seen:
            trig, src, noun = inst
            code = installation_code()
            out.append(Candidate(tok=trig, code=code, pattern={"code": code},
                                 is_noun=trig.pos_ in ("NOUN", "PROPN"),
                                 extra={"args": (src, None), "installation": noun}))
            seen.add(trig.i)
    for tok, lemma, src, tgt in verbless_triggers(sent, toks):
        p = _headline_pattern(lemma, tgt)
        if p is not None:
            out.append(Candidate(tok=tok, code=p["code"], pattern=p,
                                 extra={"args": (src, tgt), "surface": lemma}))
            seen.add(tok.i)
    after_hyph = {t.i + 1 for t in toks if t.tag_ == "HYPH"}
    for k, tok in enumerate(toks):
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
        prev = toks[k - 1] if k else None
        mods = [prev] if (prev is not None and prev.dep_ in ("compound", "amod")
                          and prev.head.i == tok.i) else []
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


_CONSTRAINTS = ("prep", "prt", "obj", "pobj", "subj", "xcomp_only", "request_sense",
                "passive_only")


def _headline_pattern(lemma: str, target: Any) -> dict[str, Any] | None:
    """The pattern of a verb read from a verbless headline: one whose object list names
    the target, else the verb's unconstrained pattern."""
    pats = _patterns(lexicon()["verbs"].get(lemma))
    tl = target.lemma_.lower()
    for p in pats:
        if p.get("obj") and tl in {str(o).lower() for o in p["obj"]}:
            return p
    return next((p for p in pats if not any(p.get(k) for k in _CONSTRAINTS)), None)


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


def _fold_protest_demands(cands: list[Candidate]) -> None:
    """A protest's stated demand is part of the protest ("demonstrated, calling for X",
    "continued their strike to demand X"): one PROTEST event with the demand in attrs."""
    by_tok = {c.tok.i: c for c in cands}
    protests = [c for c in cands if not c.folded and c.embedded is None
                and code_info(c.code).plover == "PROTEST"]
    if not protests:
        return
    for c in cands:
        # "went on strike to protest X": the purpose of a protest is its grievance, too
        grievance = c.tok.lemma_.lower() == "protest" and c.tok.pos_ == "VERB"
        if c.folded or (code_info(c.code).plover != "REQUEST" and not grievance):
            continue
        h = c.tok
        for _ in range(3):
            if h.dep_ not in ("advcl", "xcomp", "dobj", "pobj", "prep", "acl") or h.head.i == h.i:
                break
            h = h.head
            p = by_tok.get(h.i)
            if p is None:  # "continued their strike to demand": the protest is a sibling
                p = next((x for x in protests if x.is_noun and (
                    x.tok.head.i == h.i or (x.tok.dep_ == "pobj" and x.tok.head.head.i == h.i))),
                    None)
            if p is not None and p in protests and p.embedded is None:
                p.embedded, c.folded, c.governor = c, True, p
                break
