"""Trigger candidates of a sentence and how embedding triggers absorb others.

A candidate is a lexicon verb or event noun matched against the parse (the most
specific lexicon pattern wins); embedding triggers ("urged X to withdraw", "agreed to
meet") and protests with a stated demand then absorb the trigger they govern, so one
telling gives one event.  Split from :mod:`rashomon.analyze.events._layer`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rashomon.analyze.events._args import subject
from rashomon.analyze.events._candidate import Candidate, TokenTest
from rashomon.analyze.events._codes import code_info, code_set, lexicon, word_set
from rashomon.analyze.events._patterns import (
    camp_lemmas,
    camp_trigger,
    installation_code,
    installation_lemmas,
    installation_trigger,
    request_sense,
)
from rashomon.analyze.events._phrase import semantic_head
from rashomon.analyze.events._shapes import verbless_triggers
from rashomon.analyze.token_columns import token_columns

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

Pattern = dict[str, Any]


def _patterns(raw: list[Any]) -> list[Pattern]:
    out = []
    for p in raw or []:
        out.append({"code": str(p)} if not isinstance(p, dict) else {**p, "code": str(p["code"])})
    return out


# (the lexicon's verb table the cache was built from, lemma -> patterns)
_PATTERN_CACHE: list[Any] = [None, {}]


def _verb_patterns(lemma: str | None) -> list[Pattern]:
    """``_patterns`` of a verb lemma, built once per lexicon (patterns are read-only)."""
    verbs = lexicon()["verbs"]
    if _PATTERN_CACHE[0] is not verbs:
        _PATTERN_CACHE[:] = [verbs, {}]
    cache = _PATTERN_CACHE[1]
    pats = cache.get(lemma)
    if pats is None:
        pats = cache[lemma] = _patterns(verbs.get(lemma))
    return pats


def _specificity(p: Pattern) -> int:
    return sum(1 for k in ("prep", "prt", "obj", "pobj") if p.get(k))


def match_verb(tok: Token) -> Pattern | None:
    """Most specific lexicon pattern whose constraints the verb token meets."""
    pats = _verb_patterns(tok.lemma_.lower())
    if not pats:
        return None
    return _match_verb(tok, pats)


@dataclass(frozen=True)
class _VerbFrame:
    """What a verb's dependents offer the lexicon patterns: voice, prepositions,
    particles, objects (with their modified forms) and prepositional objects."""

    passive: bool
    preps: frozenset[str]
    prts: frozenset[str]
    objs: frozenset[str]
    pobjs: frozenset[str]
    has_xcomp: bool
    has_dobj: bool


def _verb_frame(tok: Token) -> _VerbFrame:
    kids = list(tok.children)  # one walk of the children (each walk builds new tokens)
    deps = [c.dep_ for c in kids]
    pairs = list(zip(kids, deps, strict=True))
    return _VerbFrame(
        passive="nsubjpass" in deps or "auxpass" in deps,
        preps=frozenset(c.lemma_.lower() for c, d in pairs if d in ("prep", "agent", "dative")),
        prts=frozenset(c.lemma_.lower() for c, d in pairs if d == "prt"),
        objs=_object_words([c for c, d in pairs if d in ("dobj", "nsubjpass", "attr")]),
        pobjs=frozenset(g.lemma_.lower() for c, d in pairs if d in ("prep", "dative")
                        for g in c.children if g.dep_ == "pobj"),
        has_xcomp="xcomp" in deps or "ccomp" in deps,
        has_dobj="dobj" in deps)


def _object_words(obj_toks: list[Token]) -> frozenset[str]:
    """The objects' lemmas and words, and their modified forms: "mediation efforts",
    "chemical weapons", "aid workers" (the modified object counts too)."""
    objs = {c.lemma_.lower() for c in obj_toks}
    objs |= {c.text.lower() for c in obj_toks if c.dep_ != "attr"}
    objs |= {f"{m.lemma_.lower()} {c.lemma_.lower()}" for c in obj_toks for m in c.children
             if m.dep_ in ("compound", "amod") and m.i == c.i - 1}
    objs |= {m.lemma_.lower() for c in obj_toks for m in c.children
             if m.dep_ == "compound" and m.i == c.i - 1}
    return frozenset(objs)


def _match_verb(tok: Token, pats: list[Pattern]) -> Pattern | None:
    """:func:`match_verb` with the verb's (non-empty) lexicon patterns at hand."""
    frame = _verb_frame(tok)
    best = None
    for p in pats:
        if not (_words_fit(p, frame) and _shape_fits(p, frame) and _token_fits(p, tok)):
            continue
        if best is None or _specificity(p) > _specificity(best):
            best = p
    return best


def _lower(words: list[Any]) -> set[str]:
    return {str(o).lower() for o in words}


def _words_fit(p: Pattern, frame: _VerbFrame) -> bool:
    """The pattern's preposition, particle, objects and prepositional objects."""
    if p.get("prep") and p["prep"] not in frame.preps:
        return False
    if p.get("prt") and str(p["prt"]) not in frame.prts:
        return False
    if p.get("obj") and not frame.objs & _lower(p["obj"]):
        return False
    if p.get("pobj") and not frame.pobjs & _lower(p["pobj"]):
        return False
    return not (p.get("not_obj") and frame.objs & _lower(p["not_obj"]))


def _shape_fits(p: Pattern, frame: _VerbFrame) -> bool:
    """The pattern's voice and complement constraints."""
    if p.get("passive_only") and not frame.passive:
        return False
    if p.get("active_only") and frame.passive:
        return False
    if p.get("xcomp_only") and not frame.has_xcomp:
        return False
    return not (p.get("intransitive") and frame.has_dobj)


def _token_fits(p: Pattern, tok: Token) -> bool:
    """Constraints that need the parse around the verb: its sense and its subject."""
    if p.get("request_sense") and not request_sense(tok):
        return False
    return not (p.get("subj") and not _subject_in(tok, p["subj"]))


def _subject_in(tok: Token, lemmas: list[str]) -> bool:
    """Is the verb's subject (through "a group of X") one of ``lemmas``?"""
    src = subject(tok)
    return src is not None and semantic_head(src).lemma_.lower() in {str(x) for x in lemmas}


def _hyphen_word(tok: Token, lemma: bool = False) -> str | None:
    """"sit-in" when ``tok`` is the last part of a hyphenated word split by the tokenizer
    ("test-fire" for "test-fired" with ``lemma``)."""
    doc = tok.doc
    i = tok.i
    if i >= 2 and doc[i - 1].tag_ == "HYPH" and not doc[i - 1].whitespace_ \
            and not doc[i - 2].whitespace_:
        return f"{doc[i - 2].lower_}-{tok.lemma_.lower() if lemma else tok.lower_}"
    return None


def find_candidates(sent: Span, place_at: TokenTest | None = None,
                    route_at: TokenTest | None = None) -> list[Candidate]:
    """Trigger candidates of a sentence (``place_at``/``route_at(tok)``: is the token in the
    name of a place / of a road?)."""
    doc = sent.doc
    base = sent.start
    pos_all, hyphens = doc_tags(doc)
    poss = pos_all[base:sent.end]  # each token's part of speech, read from the Doc's arrays
    # Token objects only for the verbs and nouns (spaCy builds a new one per access)
    made: dict[int, Token] = {k: doc[base + k] for k, pos in enumerate(poss)
                              if pos == "VERB" or pos == "NOUN" or pos == "PROPN"}
    lemmas = {k: tok.lemma_.lower() for k, tok in made.items() if poss[k] != "VERB"}
    out = _installation_candidates(made, lemmas)
    # a sentence with a verb has no verbless trigger (verbless_triggers would say [])
    if "VERB" not in poss and "AUX" not in poss:
        out += _verbless_candidates(sent)
    seen = {c.tok.i for c in out}
    for k, tok in made.items():
        i = base + k
        if i in seen:
            continue
        after_hyph = k > 0 and (i - 1) in hyphens  # a HYPH token of this sentence before
        if poss[k] == "VERB":
            cand = _verb_candidate(tok, after_hyph, place_at, route_at)
        else:
            prev = (made.get(k - 1) or doc[i - 1]) if k else None
            cand = _noun_candidate(tok, lemmas[k], poss[k], prev, after_hyph)
        if cand is not None:
            out.append(cand)
    out.sort(key=lambda c: c.tok.i)
    return out


def _installation_candidates(made: dict[int, Token], lemmas: dict[int, str]
                             ) -> list[Candidate]:
    """Installations being set up ("a checkpoint was installed"), one per trigger."""
    inst_lemmas = installation_lemmas()
    out: list[Candidate] = []
    seen: set[int] = set()
    for k, lemma in lemmas.items():
        if lemma not in inst_lemmas:
            continue  # no installation noun: installation_trigger would say None
        inst = installation_trigger(made[k])
        if inst is not None and inst[0].i not in seen:
            trig, src, noun = inst
            code = installation_code()
            out.append(Candidate(tok=trig, code=code, pattern={"code": code},
                                 is_noun=trig.pos_ in ("NOUN", "PROPN"),
                                 args=(src, None), installation=noun))
            seen.add(trig.i)
    return out


def _verbless_candidates(sent: Span) -> list[Candidate]:
    """The verb of a verbless headline the tagger missed ("Police detain X")."""
    out = []
    for tok, lemma, src, tgt in verbless_triggers(sent, list(sent)):
        p = _headline_pattern(lemma, tgt)
        if p is not None:
            out.append(Candidate(tok=tok, code=p["code"], pattern=p, args=(src, tgt),
                                 surface=lemma))
    return out


def _verb_candidate(tok: Token, after_hyph: bool, place_at: TokenTest | None,
                    route_at: TokenTest | None) -> Candidate | None:
    """A verb trigger: a protest camp, a hyphenated verb, or the verb's best pattern."""
    lemma = tok.lemma_.lower()
    # camp_trigger says None for any other verb lemma
    camp = camp_trigger(tok, place_at, route_at) if lemma in camp_lemmas() else None
    if camp is not None:
        return Candidate(tok=tok, code=camp[0], pattern={"code": camp[0]},
                         args=(camp[1], None), camp=True)
    hyph = _hyphen_word(tok, lemma=True) if after_hyph else None
    hyph_pats = _verb_patterns(hyph) if hyph else []
    if hyph_pats:  # "test-fired": the compound verb, not "fired"
        return Candidate(tok=tok, code=hyph_pats[0]["code"], pattern=hyph_pats[0], surface=hyph)
    pats = _verb_patterns(lemma)
    p = _match_verb(tok, pats) if pats else None
    return Candidate(tok=tok, code=p["code"], pattern=p) if p else None


def _noun_candidate(tok: Token, lemma: str, pos: str, prev: Token | None,
                    after_hyph: bool) -> Candidate | None:
    """An event noun: the first key the noun table knows among its modified forms ("air
    strike"), its hyphenated word, its lemma and its word."""
    nouns = lexicon()["nouns"]
    i = tok.i
    hyph = _hyphen_word(tok) if after_hyph else None
    mods = [prev] if (prev is not None and prev.dep_ in ("compound", "amod")
                      and prev.head.i == i) else []
    multi = [f"{m.lower_} {w}" for m in mods for w in (tok.lower_, lemma)]
    key = next((m for m in multi if m in nouns), None)
    if key is None:
        key = _noun_key(tok, lemma, pos, hyph, nouns)
    if key is None:
        return None
    code = str(nouns[key])
    return Candidate(tok=tok, code=code, pattern={"code": code}, is_noun=True,
                     surface=key if key in multi or key == hyph else None)


def _noun_key(tok: Token, lemma: str, pos: str, hyph: str | None,
              nouns: dict[str, Any]) -> str | None:
    if hyph and hyph in nouns:
        return hyph
    if lemma and lemma in nouns:
        return lemma
    if pos == "NOUN":
        low = tok.text.lower()
        if low and low in nouns:
            return low
    return None


def doc_tags(doc: Doc) -> tuple[list[str], frozenset[int]]:
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


def _headline_pattern(lemma: str, target: Token) -> Pattern | None:
    """The pattern of a verb read from a verbless headline: one whose object list names
    the target, else the verb's unconstrained pattern."""
    pats = _verb_patterns(lemma)
    tl = target.lemma_.lower()
    for p in pats:
        if p.get("obj") and tl in {str(o).lower() for o in p["obj"]}:
            return p
    return next((p for p in pats if not any(p.get(k) for k in _CONSTRAINTS)), None)


def fold_embedded(cands: list[Candidate]) -> None:
    """Let embedding triggers absorb the nearest trigger in their complement."""
    by_tok = {c.tok.i: c for c in cands}
    for c in cands:
        if c.pattern.get("embeds"):
            _absorb_nearest(c, by_tok)


def _absorb_nearest(c: Candidate, by_tok: dict[int, Candidate]) -> None:
    """Breadth-first through the governed complement: the first free trigger is folded."""
    deps = {"xcomp", "ccomp", "oprd"}
    if c.code[:2] in code_set("wide_embedding_roots"):
        deps |= {"dobj", "advcl", "acl", "prep"}
    embed_preps = word_set("embedding_preps")
    frontier = [ch for ch in c.tok.children
                if ch.dep_ in deps or (ch.dep_ == "prep" and ch.lemma_.lower() in embed_preps)]
    seen: set[int] = set()
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
                return
            nxt.extend(ch for ch in t.children if ch.dep_ not in ("nsubj", "punct", "cc",
                                                                    "relcl", "appos"))
        frontier = nxt


def fold_protest_demands(cands: list[Candidate]) -> None:
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
        p = _protest_over(c.tok, by_tok, protests)
        if p is not None:
            p.embedded, c.folded, c.governor = c, True, p


def _protest_over(tok: Token, by_tok: dict[int, Candidate], protests: list[Candidate]
                  ) -> Candidate | None:
    """The protest a demand hangs under (up to three heads up), still without a demand."""
    h = tok
    for _ in range(3):
        if h.dep_ not in ("advcl", "xcomp", "dobj", "pobj", "prep", "acl") or h.head.i == h.i:
            return None
        h = h.head
        p = by_tok.get(h.i)
        if p is None:  # "continued their strike to demand": the protest is a sibling
            p = next((x for x in protests if x.is_noun and (
                x.tok.head.i == h.i or (x.tok.dep_ == "pobj" and x.tok.head.head.i == h.i))),
                None)
        if p is not None and p in protests and p.embedded is None:
            return p
    return None
