"""Trigger candidates of a sentence and how embedding triggers absorb others.

A candidate is a lexicon verb or event noun matched against the parse (the most
specific lexicon pattern wins); embedding triggers ("urged X to withdraw", "agreed to
meet") and protests with a stated demand then absorb the trigger they govern, so one
telling gives one event.  Split from :mod:`rashomon.analyze.events._layer`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rashomon.analyze.events._args import semantic_head, subject
from rashomon.analyze.events._codes import code_info, lexicon
from rashomon.analyze.events._patterns import (
    camp_lemmas,
    camp_trigger,
    installation_code,
    installation_lemmas,
    installation_trigger,
    request_sense,
)
from rashomon.analyze.events._shapes import verbless_triggers
from rashomon.analyze.token_columns import token_columns

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


# (the lexicon's verb table the cache was built from, lemma -> patterns)
_PATTERN_CACHE: list[Any] = [None, {}]


def _verb_patterns(lemma: str | None) -> list[dict[str, Any]]:
    """``_patterns`` of a verb lemma, built once per lexicon (patterns are read-only)."""
    verbs = lexicon()["verbs"]
    if _PATTERN_CACHE[0] is not verbs:
        _PATTERN_CACHE[:] = [verbs, {}]
    cache = _PATTERN_CACHE[1]
    pats = cache.get(lemma)
    if pats is None:
        pats = cache[lemma] = _patterns(verbs.get(lemma))
    return pats


def _specificity(p: dict[str, Any]) -> int:
    return sum(1 for k in ("prep", "prt", "obj", "pobj") if p.get(k))


def match_verb(tok: Any) -> dict[str, Any] | None:
    """Most specific lexicon pattern whose constraints the verb token meets."""
    pats = _verb_patterns(tok.lemma_.lower())
    if not pats:
        return None
    return _match_verb(tok, pats)


def _match_verb(tok: Any, pats: list[dict[str, Any]]) -> dict[str, Any] | None:
    """:func:`match_verb` with the verb's (non-empty) lexicon patterns at hand."""
    kids = list(tok.children)  # one walk of the children (each walk builds new tokens)
    deps = [c.dep_ for c in kids]
    passive = "nsubjpass" in deps or "auxpass" in deps
    preps = {c.lemma_.lower() for c, d in zip(kids, deps, strict=True)
             if d in ("prep", "agent", "dative")}
    prts = {c.lemma_.lower() for c, d in zip(kids, deps, strict=True) if d == "prt"}
    obj_toks = [c for c, d in zip(kids, deps, strict=True) if d in ("dobj", "nsubjpass", "attr")]
    objs = {c.lemma_.lower() for c in obj_toks}
    objs |= {c.text.lower() for c in obj_toks if c.dep_ != "attr"}
    # "mediation efforts", "chemical weapons", "aid workers": the modified object counts too
    objs |= {f"{m.lemma_.lower()} {c.lemma_.lower()}" for c in obj_toks for m in c.children
             if m.dep_ in ("compound", "amod") and m.i == c.i - 1}
    objs |= {m.lemma_.lower() for c in obj_toks for m in c.children
             if m.dep_ == "compound" and m.i == c.i - 1}
    pobjs = {g.lemma_.lower() for c, d in zip(kids, deps, strict=True) if d in ("prep", "dative")
             for g in c.children if g.dep_ == "pobj"}
    has_xcomp = "xcomp" in deps or "ccomp" in deps
    has_dobj = "dobj" in deps
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
        if p.get("intransitive") and has_dobj:
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
    doc = sent.doc
    base = sent.start
    pos_all, hyphens = _doc_tags(doc)
    poss = pos_all[base:sent.end]  # each token's part of speech, read from the Doc's arrays
    # Token objects only for the verbs and nouns (spaCy builds a new one per access)
    made: dict[int, Any] = {k: doc[base + k] for k, pos in enumerate(poss)
                            if pos == "VERB" or pos == "NOUN" or pos == "PROPN"}
    inst_lemmas = installation_lemmas()
    camps = camp_lemmas()
    lemmas: dict[int, str] = {}  # position -> lower-case lemma, for the nouns
    for k, tok in made.items():
        if poss[k] == "VERB":
            continue
        lemma = lemmas[k] = tok.lemma_.lower()
        if lemma not in inst_lemmas:
            continue  # no installation noun: installation_trigger would say None
        inst = installation_trigger(tok)
        if inst is not None and inst[0].i not in seen:
            trig, src, noun = inst
            code = installation_code()
            out.append(Candidate(tok=trig, code=code, pattern={"code": code},
                                 is_noun=trig.pos_ in ("NOUN", "PROPN"),
                                 extra={"args": (src, None), "installation": noun}))
            seen.add(trig.i)
    # a sentence with a verb has no verbless trigger (verbless_triggers would say [])
    verbless = ([] if "VERB" in poss or "AUX" in poss
                else verbless_triggers(sent, list(sent)))
    for tok, lemma, src, tgt in verbless:
        p = _headline_pattern(lemma, tgt)
        if p is not None:
            out.append(Candidate(tok=tok, code=p["code"], pattern=p,
                                 extra={"args": (src, tgt), "surface": lemma}))
            seen.add(tok.i)
    for k, tok in made.items():
        pos = poss[k]
        i = base + k
        if i in seen:
            continue
        after_hyph = k > 0 and (i - 1) in hyphens  # a HYPH token of this sentence before
        if pos == "VERB":
            lemma = tok.lemma_.lower()
            # camp_trigger says None for any other verb lemma
            camp = camp_trigger(tok, place_at, route_at) if lemma in camps else None
            if camp is not None:
                out.append(Candidate(tok=tok, code=camp[0], pattern={"code": camp[0]},
                                     extra={"args": (camp[1], None), "camp": True}))
                continue
            hyph = _hyphen_word(tok, lemma=True) if after_hyph else None
            hyph_pats = _verb_patterns(hyph) if hyph else []
            if hyph_pats:  # "test-fired": the compound verb, not "fired"
                out.append(Candidate(tok=tok, code=hyph_pats[0]["code"], pattern=hyph_pats[0],
                                     extra={"surface": hyph}))
                continue
            pats = _verb_patterns(lemma)
            p = _match_verb(tok, pats) if pats else None
            if p:
                out.append(Candidate(tok=tok, code=p["code"], pattern=p))
            continue
        lemma = lemmas[k]
        hyph = _hyphen_word(tok) if after_hyph else None
        prev = (made.get(k - 1) or doc[i - 1]) if k else None
        mods = [prev] if (prev is not None and prev.dep_ in ("compound", "amod")
                          and prev.head.i == i) else []
        multi = [f"{m.lower_} {w}" for m in mods for w in (tok.lower_, lemma)]
        # the first key the noun table knows: modified forms, hyphen word, lemma, word
        key = next((k for k in multi if k in nouns), None)
        if key is None:
            if hyph and hyph in nouns:
                key = hyph
            elif lemma and lemma in nouns:
                key = lemma
            elif pos == "NOUN":
                low = tok.text.lower()
                if low and low in nouns:
                    key = low
        if key is not None:
            code = str(nouns[key])
            out.append(Candidate(tok=tok, code=code, pattern={"code": code}, is_noun=True,
                                 extra={"surface": key} if key in multi or key == hyph
                                 else {}))
    out.sort(key=lambda c: c.tok.i)
    return out


def _doc_tags(doc: Any) -> tuple[list[str], frozenset[int]]:
    """Parts of speech of every token and the indices of HYPH tokens, from the
    document's shared :func:`token_columns` (read once per Doc, also by quotes)."""
    got = doc.user_data.get("rashomon_event_tags")
    if got is None or len(got[0]) != len(doc):
        cols = token_columns(doc)
        got = doc.user_data["rashomon_event_tags"] = (
            cols.pos, frozenset(cols.where(cols.tag, "HYPH")))
    return got


_CONSTRAINTS = ("prep", "prt", "obj", "pobj", "subj", "xcomp_only", "request_sense",
                "passive_only")


def _headline_pattern(lemma: str, target: Any) -> dict[str, Any] | None:
    """The pattern of a verb read from a verbless headline: one whose object list names
    the target, else the verb's unconstrained pattern."""
    pats = _verb_patterns(lemma)
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
