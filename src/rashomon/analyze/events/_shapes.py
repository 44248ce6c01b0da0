"""Sentence shapes that decide whether (and how) a trigger is its own event.

* **Conditions**: an action inside an "if"/"unless" clause has not happened ("will
  boycott the vote unless the president agrees to step down"); it is only the
  condition of the main event, so it is not coded.
* **Results**: a participle clause after an attack tells its outcome ("shelled the
  town, killing four"); the outcome is part of the same event, kept in
  ``attrs["result"]`` (its victims become the target when the attack named none).
* **Headlines without a verb**: the small tagger often reads a headline's verb as a
  noun or adjective ("Police detain opposition leader": *detain* JJ).  In a
  sentence with no verb at all, a token spelled like a lexicon verb between two
  noun phrases is taken as that verb, its left noun as the source and the head of
  the following noun phrase as the target.

Nothing here names a party; the rules are English grammar.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from rashomon.analyze.events._candidate import Candidate
from rashomon.analyze.events._codes import code_info, code_set, lexicon, word_set
from rashomon.analyze.events._params import DEFAULT_PARAMS
from rashomon.model import Event

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

_NP_POS = {"NOUN", "PROPN", "ADJ", "NUM", "DET"}


def in_condition(tok: Token, depth: int = DEFAULT_PARAMS.condition_depth) -> bool:
    """Is ``tok`` inside a conditional clause ("if X", "unless X")?"""
    marks = word_set("condition_marks")
    t = tok
    for _ in range(depth):
        if t.dep_ == "advcl" and any(ch.dep_ == "mark" and ch.lower_ in marks
                                     for ch in t.children):
            return True
        if t.head.i == t.i:
            return False
        t = t.head
    return False


def result_of(tok: Token, by_tok: dict[int, Candidate]) -> Candidate | None:
    """The candidate whose outcome the participle ``tok`` tells ("attacked X, killing Y"),
    or None: a bare -ing adverbial clause (no subject, marker or "to") under a trigger
    of the same kind."""
    if tok.dep_ != "advcl" or tok.tag_ != "VBG":
        return None
    if any(ch.dep_ in ("nsubj", "mark", "aux") for ch in tok.children):
        return None
    head = by_tok.get(tok.head.i)
    if head is None or head.folded:
        return None
    kind = code_info(head.code).plover
    if kind not in code_set("result_types") or kind != code_info(by_tok[tok.i].code).plover:
        return None
    return head


def merge_results(cands: list[Candidate], events: list[Event]) -> list[Event]:
    """Fold result participles into the event they describe (see module docstring)."""
    by_tok = {c.tok.i: c for c in cands}
    drop: set[str] = set()
    for c in cands:
        ev = c.event
        if ev is None:
            continue
        head = result_of(c.tok, by_tok)
        head_ev = head.event if head is not None else None
        if head_ev is None or head_ev.id in drop:
            continue
        head_ev.attrs["result"] = {"cameo": ev.cameo, "trigger": ev.trigger,
                                   "trigger_start": trigger_start(ev)}
        if head_ev.target_actor is None and ev.target_actor is not None:
            head_ev.target_actor = ev.target_actor
        drop.add(ev.id)
    return [e for e in events if e.id not in drop]


def trigger_start(ev: Event) -> int:
    """Where an event's trigger starts (every coded event has a trigger span)."""
    span = ev.trigger_span
    assert span is not None, "every coded event has a trigger span"
    return span.start


@lru_cache(maxsize=1)
def _verb_forms() -> dict[str, str]:
    """Surface forms of single-word lexicon verbs: "detain", "detains" -> "detain"."""
    out: dict[str, str] = {}
    for lemma in lexicon()["verbs"]:
        if " " in lemma or "-" in lemma:
            continue
        out[lemma] = lemma
        out[lemma + ("es" if lemma.endswith(("s", "sh", "ch", "x")) else "s")] = lemma
    return out


def _np_end(sent: Span, i: int) -> Token | None:
    """Head (last noun) of the noun phrase starting at token ``i``, or None."""
    last = None
    doc = sent.doc
    while i < sent.end and doc[i].pos_ in _NP_POS:
        if doc[i].pos_ in ("NOUN", "PROPN"):
            last = doc[i]
        i += 1
    return last


def verbless_triggers(sent: Span, toks: list[Token] | None = None
                      ) -> list[tuple[Token, str, Token, Token]]:
    """(token, verb lemma, source, target) for a verb the tagger missed in a sentence
    without any verb (see module docstring); ``toks``: the sentence's tokens, if built."""
    toks = list(sent) if toks is None else toks
    if any(t.pos_ in ("VERB", "AUX") for t in toks):
        return []
    forms = _verb_forms()
    out = []
    doc = sent.doc
    for tok in toks:
        lemma = forms.get(tok.lower_)
        if lemma is None or tok.i == sent.start or tok.pos_ not in ("NOUN", "ADJ"):
            continue
        left = doc[tok.i - 1]
        if left.pos_ not in ("NOUN", "PROPN") or tok.i + 1 >= sent.end:
            continue
        target = _np_end(sent, tok.i + 1)
        if target is None:
            continue
        out.append((tok, lemma, left, target))
        break  # a headline has one main verb
    return out
