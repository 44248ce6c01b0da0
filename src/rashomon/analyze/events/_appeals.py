"""Addressed appeals: each bullet of an addressed block (see
:mod:`rashomon.analyze.events._letters`) is an appeal.

The appeal (CAMEO 02x, PLOVER REQUEST) has as source the letter's writer (the first
person, resolved from a self-introduction such as "I, <Name>, the <title> of ...",
or a quote speaker) and as target the heading's addressee, with the demanded action
and its CAMEO code in ``attrs``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rashomon.analyze.events._actors import np_tokens
from rashomon.analyze.events._candidate import Candidate
from rashomon.analyze.events._codes import code_set, code_table
from rashomon.analyze.events._doc import DocEvents
from rashomon.analyze.events._letters import AddressedBlock, addressed_blocks, addressee_actor
from rashomon.analyze.events._modality import modality, reported_by
from rashomon.analyze.events._phrase import action_text
from rashomon.analyze.events._setting import event_date
from rashomon.analyze.events._triggers import find_candidates, fold_embedded
from rashomon.analyze.spans import sent_of
from rashomon.model import Actor, Event

if TYPE_CHECKING:
    from spacy.tokens import Span, Token


def appeal_events(state: DocEvents) -> tuple[list[Event], list[tuple[int, int]]]:
    """Appeal events of a document and the bullet spans they claim."""
    events: list[Event] = []
    claimed: list[tuple[int, int]] = []
    for block in addressed_blocks(state.doc.text):
        target = addressee_actor(block, state.mentions, state.sdoc)
        for bstart, bend in block.bullets:
            span = state.sdoc.char_span(bstart, bend, alignment_mode="expand")
            if span is None or not len(span):
                continue
            claimed.append((bstart, bend))
            events.append(_bullet_event(state, block, target, span, (bstart, bend)))
    return events, claimed


def _bullet_event(state: DocEvents, block: AddressedBlock, target: Actor, span: Span,
                  bounds: tuple[int, int]) -> Event:
    """The appeal of one bullet: its appeal verb (else the bullet's root) and demand."""
    text = state.doc.text
    cands = find_candidates(span)
    fold_embedded(cands)
    roots = code_set("appeal_roots")
    act = next((c for c in cands if c.code[:2] in roots and not c.folded), None)
    trig = act.tok if act is not None else span.root
    demanded_code, demanded = _demand(act, cands, trig, text)
    code = act.code if act is not None else "020"
    if code.startswith("02") and demanded_code:
        code = code_table("appeal_refine").get(demanded_code[:2], code)
    date, precision, date_from = _appeal_date(state, trig, code)
    attrs: dict[str, Any] = {"trigger_lemma": trig.lemma_.lower(), "appeal": True,
                             "addressee": block.addressee, "demanded_action": demanded,
                             "demanded_cameo": demanded_code, "date_from": date_from}
    ev = state.make_event(start=bounds[0], end=bounds[1], code=code, trigger=trig.text,
                          trigger_tok=trig, source=_appeal_source(state, trig), target=target,
                          date=date, precision=precision, place=None,
                          modality=_appeal_modality(state, trig), attrs=attrs)
    obj = next((ch for ch in trig.children if ch.dep_ == "dobj"), None)
    if obj is not None and obj.lower_ != "you":
        toks = np_tokens(obj)
        ev.attrs["addressed_object"] = text[toks[0].idx: toks[-1].idx + len(toks[-1].text)]
    return ev


def _demand(act: Candidate | None, cands: list[Candidate], trig: Token, text: str
            ) -> tuple[str | None, str | None]:
    """(CAMEO code, text) of the demanded action: the appeal's embedded trigger, else the
    next trigger after it, else (text only) the appeal verb's complement or object."""
    if act is not None and act.embedded is not None:
        return act.embedded.code, action_text(act.embedded.tok)
    roots = code_set("appeal_roots")
    rest = [c for c in cands if c is not act and c.code[:2] not in roots and c.tok.i > trig.i]
    if rest:
        return rest[0].code, action_text(rest[0].tok)
    xc = [ch for ch in trig.children if ch.dep_ in ("xcomp", "ccomp", "prep", "dobj")]
    if xc:
        sub = list(xc[-1].subtree)
        return None, text[sub[0].idx: sub[-1].idx + len(sub[-1].text)]
    return None, None


def _appeal_source(state: DocEvents, trig: Token) -> Actor | None:
    """The letter's writer, else the appeal verb's subject."""
    if state.coder.author is not None:
        return state.coder.author
    subj = next((ch for ch in trig.children if ch.dep_ == "nsubj"), None)
    return state.coder.code(subj) if subj is not None else None


def _appeal_date(state: DocEvents, trig: Token, code: str
                 ) -> tuple[str | None, str | None, str]:
    """An appeal is made when the letter is issued: dates inside it belong to what it
    cites, so the document date is used when there is one."""
    cand = Candidate(tok=trig, code=code, pattern={"code": code})
    date, precision, date_from, _end = event_date(state, cand, sent_of(trig))
    if date_from != "document" and state.doc.published:
        return str(state.doc.published)[:10], "document", "document"
    return date, precision, date_from


def _appeal_modality(state: DocEvents, trig: Token) -> dict[str, Any]:
    """A demand, asserted by its quote's speaker, else by the letter's writer."""
    mod = modality(trig, [])
    mod["demanded"] = True
    mod.update(reported_by(trig, state.quotes))
    author = state.coder.author
    if mod["reported_by"] == "outlet" and author is not None:
        mod["reported_by"] = author.name
    return mod
