"""ACLED typing stored on the events, and each document's main event.

The ACLED typer (:func:`rashomon.analyze.acled.type_acled`) reads the means,
participants and outcome of a sentence through its parse.  The events stage
already holds that parse, so it types each event's sentence once here and keeps
the result on the event, instead of every exporter re-parsing the sentence:

* ``attrs["acled"]``: ``{code, event_type, sub_event_type, disorder_type,
  acled, realised, confidence, evidence: [{role, start, end, text}]}``, or
  None when the typer found no criterion of the codebook in the sentence;
  evidence offsets are character offsets into the document text (trigger,
  means, participants, outcome); only current material events are typed (ACLED
  codes no statements and nothing that did not happen), the others carry no key;
* ``attrs["main"]``: True on one event per document, the one ACLED would code
  from the report: the event its headline and lead describe;
* ``attrs["lead"]``: the event is told in the headline or lead paragraph (GDELT's
  root events).

"Main" as ACLED reads a report: a current, asserted happening (not negated,
hypothetical, future or background) that ACLED codes, political violence and
demonstrations ahead of strategic developments, the one told in the headline or
lead ahead of later ones, then the earliest; a report with no ACLED event has
the earliest current material act, else statement, as its main event.  Within
one sentence the trigger highest in the parse (the main clause's action) wins.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

from rashomon.analyze.acled import type_acled

if TYPE_CHECKING:
    from spacy.tokens import Doc, Vocab

    from rashomon.model import Event

#: CAMEO roots of verbal events (statements, appeals, accusations...): ACLED has no row for them
VERBAL_ROOTS = frozenset({"01", "02", "03", "04", "05", "09", "10", "11", "12", "13"})
#: modality flags that keep an event out of the current, asserted happenings
NOT_CURRENT = ("negated", "hypothetical", "conditional", "future", "background")


@lru_cache(maxsize=4)
def _pattern_nlp(vocab: Vocab) -> Any:
    """A blank English pipeline sharing the parse's vocabulary: the typer needs only a
    tokenizer for its phrase lists and the vocabulary they are matched in, and loading
    the full model a second time would cost more than the whole events stage."""
    import spacy

    return spacy.blank("en", vocab=vocab)


def is_current(ev: Event) -> bool:
    """Is the event told as a current, asserted happening (no flag of :data:`NOT_CURRENT`)?

    A demand ("urged X to withdraw") and an announcement recoded as intent or threat
    ("will attack" as THREATEN, ``attrs["future_of"]``) are current: the appeal or the
    announcement is what happened, even though the action it names did not.
    """
    m = ev.modality or {}
    flags = [k for k in NOT_CURRENT if m.get(k)]
    if flags == ["future"] and ev.attrs.get("future_of"):
        return True
    return not flags


def type_events(sdoc: Doc, events: list[Event], lead_end: int) -> None:
    """Store the ACLED typing of each event's sentence in ``attrs["acled"]`` and mark the
    document's main event (``attrs["main"]``); ``lead_end`` is the character offset where
    the headline and lead end."""
    if not events:
        return
    nlp = _pattern_nlp(sdoc.vocab)
    by_sentence: dict[int, Any] = {}
    for ev in events:
        if ev.cameo[:2] in VERBAL_ROOTS or not is_current(ev):
            continue  # ACLED codes no statements and nothing that did not happen
        tok = sdoc.char_span(ev.start, ev.end, alignment_mode="expand")
        if tok is None:
            continue
        sent = tok[0].sent
        if sent.start not in by_sentence:
            by_sentence[sent.start] = type_acled(sent, nlp)
        typing = by_sentence[sent.start]
        ev.attrs["acled"] = typing.to_dict() if typing is not None else None
    main = main_event(sdoc, events, lead_end)
    for ev in events:
        ev.attrs["main"] = ev is main
        ev.attrs["lead"] = ev.start < lead_end


def _depth(sdoc: Doc, ev: Event) -> int:
    trig = ev.trigger_span
    span = sdoc.char_span(trig.start, trig.end, alignment_mode="expand") if trig else None
    if span is None:
        return 99
    tok, d = span.root, 0
    while tok.head.i != tok.i and d < 50:
        tok, d = tok.head, d + 1
    return d


def main_event(sdoc: Doc, events: list[Event], lead_end: int) -> Event | None:
    """The document's main event (see module docstring), or None without events."""
    if not events:
        return None

    def key(ev: Event) -> tuple[Any, ...]:
        a = ev.attrs.get("acled") or {}
        acled_event = bool(a.get("acled")) and a.get("realised", True)
        strategic = a.get("disorder_type") == "Strategic developments"
        return (not is_current(ev), not acled_event, strategic, ev.start >= lead_end,
                ev.cameo[:2] in VERBAL_ROOTS, ev.start, _depth(sdoc, ev))

    return min(events, key=key)


def lead_end(text: str, title: str | None) -> int:
    """Where the headline and lead end: the headline when the text starts with it, then
    the first paragraph (the lead); a text without paragraphs is all lead, and then the
    earliest-told event decides."""
    start = 0
    if title and text.lstrip().startswith(title.strip()):
        start = text.find(title.strip()) + len(title.strip())
    body = text[start:].lstrip("\n ")
    offset = len(text) - len(body)
    para = body.find("\n")
    return offset + (para if para > 0 else len(body))
