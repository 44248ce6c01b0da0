"""Addressed appeals: a short "To <addressee>" line followed by bullet items.

Open letters and statements often list demands per addressee::

    To the Council of Europe
      • I urge you to take effective measures ...
      • I strongly call for measures to be taken ...

Each bullet is an appeal (CAMEO 02x, PLOVER REQUEST) whose source is the
letter's writer (the first person, resolved from a self-introduction such as
"I, <Name>, the <title> of ...", or a quote speaker) and whose target is the
heading's addressee, with the demanded action and its CAMEO code in ``attrs``.
The mechanism is purely layout-based, so it serves any letter in any conflict.
"""

from __future__ import annotations

import re
from typing import Any

from rashomon.analyze.events._actors import gazetteer_country, np_tokens, phrase_sector
from rashomon.analyze.events._codes import code_info
from rashomon.analyze.events._setting import event_date
from rashomon.analyze.spans import sent_of
from rashomon.model import Actor, Event, stable_id

_BULLET_RE = re.compile(r"^[ \t]*(?:[•\u2022\u25aa\u25cf\u00b7*\-–—]|\d{1,2}[.)])[ \t]+")
_HEADING_RE = re.compile(r"^[ \t]*(?:to|To|TO)[ \t]+(?P<np>\S.{1,280}?)[ \t]*:?[ \t]*$")
# "To the Council: we urge you to ..." : addressee and appeal on one line
_INLINE_RE = re.compile(r"^[ \t]*(?:To|TO)[ \t]+(?P<np>[^:\n.;]{2,200}?):[ \t]+(?P<rest>\S.*)$")
_APPEAL_ROOTS = ("02", "10")


def _lines(text: str) -> list[tuple[int, int, str]]:
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, pos + len(line), line))
        pos += len(line) + 1
    return out


def addressed_blocks(text: str) -> list[dict[str, Any]]:
    """[{addressee, heading_start, heading_end, bullets: [(start, end)]}] found by layout."""
    lines = _lines(text)
    blocks = []
    i = 0
    while i < len(lines):
        start, end, line = lines[i]
        m = _HEADING_RE.match(line)
        if _INLINE_RE.match(line) and not _BULLET_RE.match(line):
            m = _INLINE_RE.match(line)
        elif not m or line.rstrip().endswith((".", ";", "?", "!")) or _BULLET_RE.match(line):
            i += 1
            continue
        j = i + 1
        bullets = []
        while j < len(lines) and not _INLINE_RE.match(line):
            s, e, ln = lines[j]
            if not ln.strip():
                j += 1
                continue
            b = _BULLET_RE.match(ln)
            if not b:
                break
            bullets.append((s + b.end(), e))
            j += 1
        if not bullets:
            inline = _INLINE_RE.match(line)
            if inline:
                bullets = [(start + inline.start("rest"), end)]
                m = inline
                j = i + 1
        if bullets:
            np_start = start + m.start("np")
            np_end = start + m.end("np")
            blocks.append({"addressee": text[np_start:np_end], "heading_start": np_start,
                           "heading_end": np_end, "bullets": bullets})
            i = j
        else:
            i += 1
    return blocks


def _short_name(addressee: str) -> str:
    """The addressee without its trailing description ("X, as the ..." / "X – the ...")."""
    cut = re.split(r"\s+[–—-]\s+|,\s+(?:as|and|the|which|who)\b", addressee, maxsplit=1)
    return cut[0].strip(" ,;:")


def _addressee_actor(builder: Any, block: dict[str, Any]) -> Actor:
    start = block["heading_start"]
    name = _short_name(block["addressee"])
    end = start + len(name)
    actor = Actor(name=name, start=start, end=end)
    inside = [m for m in builder.mentions if start <= m.start and m.end <= end]
    if inside:
        from rashomon.analyze.events._actors import code_from_mention

        best = inside[0]
        actor.entity_id = best.entity_id
        actor.country, actor.sector = code_from_mention(best, None)
    span = builder.sdoc.char_span(start, end, alignment_mode="expand")
    if span is not None and len(span):
        toks = list(span)
        head = span.root
        if actor.country is None:
            actor.country = gazetteer_country(toks, head)
        if actor.sector is None:
            actor.sector = phrase_sector(toks, head)
    return actor


def inline_addressees(builder: Any) -> list[tuple[int, int, Actor]]:
    """(start, end, addressee) of every addressed block, for resolving "you"."""
    out = []
    for block in addressed_blocks(builder.doc.text):
        actor = _addressee_actor(builder, block)
        for bstart, bend in block["bullets"]:
            out.append((bstart, bend, actor))
    return out


def appeal_events(builder: Any) -> tuple[list[Event], list[tuple[int, int]]]:
    """Appeal events of a document and the bullet spans they claim."""
    from rashomon.analyze.events._layer import _action_text, _fold_embedded, find_candidates

    text = builder.doc.text
    events: list[Event] = []
    claimed: list[tuple[int, int]] = []
    author = builder.coder.author
    for block in addressed_blocks(text):
        target = _addressee_actor(builder, block)
        for bstart, bend in block["bullets"]:
            span = builder.sdoc.char_span(bstart, bend, alignment_mode="expand")
            if span is None or not len(span):
                continue
            claimed.append((bstart, bend))
            cands = find_candidates(span)
            _fold_embedded(cands)
            act = next((c for c in cands if c.code[:2] in _APPEAL_ROOTS and not c.folded), None)
            trig = act.tok if act is not None else span.root
            sent = sent_of(trig)
            demanded_code = None
            demanded = None
            if act is not None and act.embedded is not None:
                demanded_code, demanded = act.embedded.code, _action_text(act.embedded.tok)
            else:
                rest = [c for c in cands if c is not act and c.code[:2] not in _APPEAL_ROOTS
                        and c.tok.i > trig.i]
                if rest:
                    demanded_code, demanded = rest[0].code, _action_text(rest[0].tok)
            if demanded is None:
                xc = [ch for ch in trig.children if ch.dep_ in ("xcomp", "ccomp", "prep", "dobj")]
                if xc:
                    sub = list(xc[-1].subtree)
                    demanded = text[sub[0].idx: sub[-1].idx + len(sub[-1].text)]
            code = act.code if act is not None else "020"
            if code.startswith("02") and demanded_code:
                from rashomon.analyze.events._layer import _APPEAL_REFINE

                code = _APPEAL_REFINE.get(demanded_code[:2], code)
            info = code_info(code)
            source = author
            if source is None:
                subj = next((ch for ch in trig.children if ch.dep_ == "nsubj"), None)
                source = builder.coder.code(subj) if subj is not None else None
            obj = next((ch for ch in trig.children if ch.dep_ == "dobj"), None)
            from rashomon.analyze.events._layer import Candidate
            from rashomon.analyze.events._modality import modality, reported_by

            cand = Candidate(tok=trig, code=code, pattern={"code": code})
            # an appeal is made when the letter is issued: dates inside it belong to
            # what it cites, so the document date is used
            date, precision, date_from, _end = event_date(builder, cand, sent)
            if date_from != "document" and builder.doc.published:
                date, precision, date_from = (str(builder.doc.published)[:10], "document",
                                              "document")
            mod = modality(trig, [])
            mod["demanded"] = True
            mod.update(reported_by(trig, builder.quotes))
            if mod["reported_by"] == "outlet" and author is not None:
                mod["reported_by"] = author.name
            attrs = {"trigger_start": trig.idx, "trigger_end": trig.idx + len(trig.text),
                     "trigger_lemma": trig.lemma_.lower(), "appeal": True,
                     "addressee": block["addressee"], "demanded_action": demanded,
                     "demanded_cameo": demanded_code, "date_from": date_from,
                     "cameo_name": info.name}
            if obj is not None and obj.lower_ != "you":
                toks = np_tokens(obj)
                attrs["addressed_object"] = text[toks[0].idx: toks[-1].idx + len(toks[-1].text)]
            events.append(Event(
                id=stable_id(builder.doc.id, bstart, bend, code, trig.idx, prefix="ev_"),
                doc_id=builder.doc.id, start=bstart, end=bend, sentence=text[bstart:bend],
                cameo=code, plover=info.plover or "", plover_mode=info.mode,
                goldstein=info.goldstein, plover_intensity=info.intensity, trigger=trig.text,
                source_actor=source, target_actor=target, date=date, date_precision=precision,
                place=None, modality=mod, attrs=attrs))
    return events, claimed
