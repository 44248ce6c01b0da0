"""Quotes and attributions: who said what, with the cue that says so.

Three shapes are found, each with character offsets into ``Document.text``:

* **direct**: a quoted passage tied to a cue next to it (“…,” X said / X said: “…”),
  including quotes that run over several paragraphs (news convention: the
  opening mark is repeated at each new paragraph, the closing mark only at the
  end) and stand-alone quoted sentences that continue the previous speaker;
* **indirect**: a cue verb with a clausal or object complement (X said that …,
  X urged Y to …, X blamed Y for …) or "according to X, …";
* **mixed**: an indirect report whose content holds quoted words.

Quote marks are paired by :func:`find_quote_segments` from the raw text, because
parsers often split sentences at quote marks; cues, speakers and complements
come from the dependency parse already in ``ctx.sdoc`` (no re-parsing).
Short quoted phrases with no cue of their own are scare quotes: they are kept
only in ``attrs["quoted"]`` of the attribution that contains them.

Speakers are the subject of the cue (or the object of "according to"),
expanded to their noun phrase; pronouns, role nouns ("the minister") and
acronyms ("the MoD") are resolved to an earlier speaker or name in the document
by :class:`SpeakerResolver`, then mapped to a canonical entity through
the ``mentions`` of the entity layer.  The cue lexicon is data
(``rashomon/data/cues.yaml``); the lexicon and the resolver live in
:mod:`rashomon.analyze.quotes._speakers` and are re-exported here.
"""

from __future__ import annotations

import bisect
import re
from typing import Any

from rashomon import data as rdata
from rashomon.analyze.quotes._marks import (
    CLOSE_MARKS,
    OPEN_MARKS,
    SCARE_MAX_WORDS,
    SENT_END,
    STRAIGHT,
    QuoteSegment,
    doubled_marks,
    find_quote_segments,
)
from rashomon.analyze.quotes._shapes import (
    Attribution,
    according_between,
    bound_content,
    cue_span,
    nominal_cues,
    parenthetical,
    passive_subject,
    predicative_cues,
    quantified_start,
    questions_put,
    raising_cues,
    relative_pieces,
    setting_sources,
    token_starts,
    trim,
    widen_speaker,
)
from rashomon.analyze.quotes._speakers import (
    CUES_PATH,
    CueLexicon,
    SpeakerResolver,
    load_cues,
    np_span,
)
from rashomon.analyze.spans import seed_text
from rashomon.layers import DocContext
from rashomon.model import Actor, Document, Mention, Quote, Span, stable_id

__all__ = [
    "CUES_PATH", "Attribution", "CueLexicon", "QuoteSegment", "SpeakerResolver",
    "extract_quotes", "find_quote_segments", "load_cues", "np_span", "quotes_layer",
]

class _Tokens:
    """Character offset → token lookups over one spaCy Doc."""

    def __init__(self, sdoc: Any) -> None:
        self.sdoc = sdoc
        self.starts = token_starts(sdoc)  # read-only here

    def first_at_or_after(self, char: int) -> int:
        return bisect.bisect_left(self.starts, char)

    def last_before(self, char: int) -> int:
        return bisect.bisect_left(self.starts, char) - 1


def quotes_layer(ctx: DocContext) -> dict[str, list[Quote]]:
    """Document layer: the quotes and attributions of one document."""
    mentions = [m for m in ctx.results.get("mentions", []) if isinstance(m, Mention)]
    if ctx.sdoc is not None:
        seed_text(ctx.sdoc, ctx.doc.text)
    return {"quotes": extract_quotes(ctx.doc, ctx.sdoc, mentions)}


def extract_quotes(doc: Document, sdoc: Any, mentions: list[Mention] | None = None,
                   lexicon: CueLexicon | None = None) -> list[Quote]:
    """All attributions of ``doc`` (``sdoc`` is the spaCy parse of ``doc.text``)."""
    lex = lexicon or load_cues()
    text = doc.text
    toks = _Tokens(sdoc)
    segs = find_quote_segments(text)
    direct = _direct_quotes(text, sdoc, toks, segs, lex)
    indirect = _indirect(text, sdoc, lex)
    taken = {a.cue_tok.i for a in indirect}
    indirect += predicative_cues(text, sdoc, lex, taken) + nominal_cues(text, sdoc, lex) \
        + setting_sources(text, sdoc, lex) + questions_put(text, sdoc) \
        + raising_cues(text, sdoc, taken)
    attributions = _merge(text, direct, indirect, segs)
    attributions += _colon_attributions(text, sdoc, toks, segs, attributions)
    attributions = _continuations(text, sdoc, toks, segs, attributions)
    attributions = _join_split(text, sdoc, segs, attributions)
    resolver = SpeakerResolver(doc, sdoc, mentions or [], lex)
    quotes: list[Quote] = []
    last_actor: tuple[Actor | None, dict[str, Any]] = (None, {})
    for a in sorted(attributions, key=lambda a: (a.start, a.end)):
        if a.attrs.get("speaker_via") == "previous_quote":
            actor, info = last_actor
            info = {**info, "speaker_via": "previous_quote"}
        elif a.speaker_tok is not None:
            actor, info = resolver.resolve(a.speaker_tok, a.cue_tok, a.speaker_span)
            if info.get("speaker_via") == "subject" and a.speaker_span is None \
                    and actor.start is not None:
                actor = quantified_start(widen_speaker(actor, a.speaker_tok, lex), a.speaker_tok)
        else:
            actor, info = None, {}
        if actor is not None:
            last_actor = (actor, info)
        attrs = {**a.attrs, **info}
        if a.group:
            attrs["cue_group"] = a.group
        cue_at = None if a.cue is None else Span(doc_id=doc.id, start=a.cue.start, end=a.cue.end)
        quote = Quote(
            id=stable_id(doc.id, a.start, a.end), doc_id=doc.id, start=a.start, end=a.end,
            text=text[a.start : a.end], kind=a.kind, speaker=actor,
            cue=cue_at.text_in(text) if cue_at is not None else None, attrs=attrs)
        quote.cue_span = cue_at
        quotes.append(quote)
    return quotes


# --- direct quotes -------------------------------------------------------------------


def _direct_quotes(text: str, sdoc: Any, toks: _Tokens, segs: list[QuoteSegment],
                   lex: CueLexicon) -> list[Attribution]:
    out = []
    for seg in segs:
        n_words = seg.words(text)
        if n_words == 0:
            continue
        cue = _cue_after(text, sdoc, toks, seg, lex)
        how = "after"
        if cue is None and n_words > SCARE_MAX_WORDS:
            cue, how = _cue_before(text, sdoc, toks, seg, lex), "before"
        elif cue is None:
            cue, how = _short_reply(text, sdoc, toks, seg, lex), "before"
        if cue is None:
            continue
        if n_words <= SCARE_MAX_WORDS and not _starts_sentence(text, seg.start) \
                and how != "before":
            continue  # a short quoted phrase inside a sentence is a scare quote
        cs, ce = lex.cue_extent(cue)
        attrs: dict[str, Any] = {"cue_position": how, "paragraphs": seg.paragraphs,
                                 "closed": seg.closed}
        start, kind = seg.cstart, "direct"
        if how == "after" and (lead := _lead_in(text, sdoc, toks, seg, lex)) is not None:
            start, kind = lead, "mixed"
            attrs["quoted"] = [[seg.cstart, seg.cend]]
        out.append(Attribution(
            kind=kind, start=start, end=seg.cend, cue_tok=cue, cue=cue_span(cs, ce),
            speaker_tok=lex.speaker_of(cue), group=lex.group_of(cue),
            attrs=attrs))
    return out


def _lead_start(text: str, sdoc: Any, i: int, quote_start: int) -> int:
    """First token of the writer's words before a quote: back from token ``i`` to the
    sentence (or line, or clause after ";") start, at most 40 tokens."""
    k = i
    while k >= 0 and i - k < 40:
        t = sdoc[k]
        if "\n" in t.text or "\n" in text[t.idx : quote_start] and k != i:
            k += 1
            break
        if t.text in SENT_END | {";"} and k != i and not _abbreviation(sdoc, k):
            k += 1
            break
        k -= 1
    return max(k, 0)


def _lead_in(text: str, sdoc: Any, toks: _Tokens, seg: QuoteSegment,
             lex: CueLexicon) -> int | None:
    """Its job is “really a mix …,” she said: the writer's words that open the quote.

    A quote that starts mid-sentence and is attributed by a cue after it
    finishes a sentence the writer began; the sentence from its start is
    what the cue attributes (a mixed quote).  Not when the opening words
    hold a quote mark or a cue of their own, or run over 30 words.
    """
    if _starts_sentence(text, seg.start):
        return None
    i = toks.last_before(seg.start)
    k = _lead_start(text, sdoc, i, seg.start)
    if i - k >= 30 or k > i:
        return None
    while k <= i and sdoc[k].is_space:
        k += 1
    if k > i or "\n" in text[sdoc[k].idx : seg.start]:
        return None
    lead = text[sdoc[k].idx : seg.start]
    if any(m in lead for m in OPEN_MARKS + CLOSE_MARKS + STRAIGHT + "()[]") or "''" in lead \
            or lead.rstrip()[-1:] in (",", ":", "—", "–", "-"):
        return None  # an aside, a list or a framing phrase ("As for X, “…”")
    if any(lex.is_cue(sdoc[j]) or sdoc[j].lower_ == "according" for j in range(k, i + 1)):
        return None
    s, _ = trim(text, sdoc[k].idx, seg.start)
    return s if s < seg.start else None


def _starts_sentence(text: str, start: int) -> bool:
    before = text[:start].rstrip(" \t")
    return not before or before[-1] in "\n.!?:;" or before.endswith(("—", "–"))


def _has_complement(t: Any) -> bool:
    """The cue takes a content of its own after it ("He urged them to ...")."""
    return any(c.dep_ in ("ccomp", "xcomp", "dobj", "prep") and c.i > t.i for c in t.children)


def _only_speaker_between(sdoc: Any, lo: int, t: Any, subj: Any | None) -> bool:
    """Between the closing mark and the cue only punctuation, the speaker phrase and the
    cue's own auxiliaries, adverbs and negation ("“…,” the minister later said")."""
    return all(
        sdoc[j].is_punct or sdoc[j].is_space
        or (subj is not None and subj.left_edge.i <= j <= subj.i)
        or (sdoc[j].head.i == t.i and sdoc[j].dep_ in ("aux", "advmod", "neg"))
        for j in range(lo, t.i))


def _cue_after(text: str, sdoc: Any, toks: _Tokens, seg: QuoteSegment,
               lex: CueLexicon) -> Any | None:
    """“…,” he said / “…,” said X: a cue right after the closing mark."""
    i = toks.first_at_or_after(seg.end)
    # “… end.” He urged …: a new sentence is this quote's cue only when it is
    # nothing but the cue clause (“… end?” Mr. X asked.), with no complement
    bare = i < len(sdoc) and text[seg.cend - 1 : seg.cend] in SENT_END \
        and sdoc[i].text[:1].isupper()
    seen = 0
    while i < len(sdoc) and seen < 10:
        t = sdoc[i]
        if "\n" in text[seg.end : t.idx]:
            return None
        if lex.is_cue(t, loose=True):
            if bare and _has_complement(t):
                return None
            lo = toks.first_at_or_after(seg.end)
            return t if _only_speaker_between(sdoc, lo, t, lex.speaker_of(t)) else None
        if not (t.is_punct or t.is_space):
            seen += 1
        elif t.text in SENT_END or t.text in OPEN_MARKS:
            return None
        i += 1
    return None


def _short_reply(text: str, sdoc: Any, toks: _Tokens, seg: QuoteSegment,
                 lex: CueLexicon) -> Any | None:
    """X said, “No.” / X replied: “Not yet.”: a short quote right after its cue.

    Short quotes are usually scare quotes; one that follows a cue verb and a
    comma or colon and closes its sentence is a complete (if brief) utterance.
    """
    i = toks.last_before(seg.start)
    if i < 1 or sdoc[i].text not in (",", ":") or "\n" in text[sdoc[i - 1].idx : seg.start]:
        return None
    cue = sdoc[i - 1]
    if not lex.is_cue(cue, loose=True) or lex.speaker_of(cue) is None:
        return None
    after = text[seg.end : seg.end + 2].lstrip(" ")
    closes = text[seg.cend - 1 : seg.cend] in SENT_END or not after or after[0] in ".!?\n"
    return cue if closes else None


def _cue_before(text: str, sdoc: Any, toks: _Tokens, seg: QuoteSegment,
                lex: CueLexicon) -> Any | None:
    """X said: “…” / X said, “…” / according to X, “…”: the nearest cue before."""
    i = toks.last_before(seg.start)
    if i < 0:
        return None
    prev = sdoc[i]
    if "\n" in text[prev.idx : seg.start]:
        return None
    if not (prev.text in (":", ",") or lex.is_cue(prev, loose=True)):
        return None
    j = i
    while j >= 0 and i - j < 25:
        t = sdoc[j]
        if "\n" in text[t.idx : seg.start] or (t.text in SENT_END and j != i):
            return None
        if t.text in CLOSE_MARKS:
            return None
        if lex.is_cue(t, loose=True) and (lex.speaker_of(t) is not None or t.lower_ == "according"):
            return t
        j -= 1
    return None


# --- indirect attributions ------------------------------------------------------------


def _indirect(text: str, sdoc: Any, lex: CueLexicon) -> list[Attribution]:
    out = []
    for i in lex.cue_candidates(sdoc):  # every other token fails is_cue
        t = sdoc[i]
        if not lex.is_cue(t):
            continue
        span, pieces = according_between(text, t) if t.lower_ == "according" else (None, None)
        if span is None and t.dep_ == "parataxis":
            span, pieces = parenthetical(text, t, lex)
        if span is None:
            span = lex.content_of(t)
        if span is None:
            continue
        cs, ce = lex.cue_extent(t)
        s, e = span
        s = max(s, text.rfind("\n", 0, cs) + 1)
        nl = text.find("\n", ce)
        e = min(e, nl) if nl != -1 else e
        s, e = trim(text, s, e)
        s, e = trim(text, *bound_content(text, sdoc, t, s, e, lex))
        if e - s < 2:
            continue
        if not pieces and e > ce:
            e = _through_colon(text, e)
        if s <= cs < e and not pieces:
            pieces = relative_pieces(text, t, s, e, ce)
            if pieces is None:
                continue
        if pieces is None and (subj := passive_subject(text, t, cs)) is not None:
            pieces = [list(subj), [s, e]]
            s = subj[0]
        out.append(Attribution(kind="indirect", start=s, end=e, cue_tok=t, cue=cue_span(cs, ce),
                                speaker_tok=lex.speaker_of(t),
                               group=lex.group_of(t),
                               attrs={"pieces": pieces} if pieces else {}))
    return out


def _through_colon(text: str, e: int) -> int:
    """"hopes [to reap benefits: to create markets …]": a colon's elaboration stays.

    Parsers end the complement at a colon; a lower-case continuation after
    it, to the end of the sentence, spells out the content and belongs to it.
    """
    k = e
    while k < len(text) and text[k] in " \t":
        k += 1
    if k >= len(text) or text[k] != ":":
        return e
    first = text[k + 1 : k + 40].lstrip(" \t" + OPEN_MARKS + STRAIGHT)
    if not first[:1].islower():
        return e  # a capital opens a sentence of its own (a new claim, not the same one)
    nl = text.find("\n", k)
    nl = len(text) if nl == -1 else nl
    stop = nl
    for m in _SENT_STOP_RX.finditer(text, k, nl):
        stop = m.start() + 1
        break
    return trim(text, k + 1, stop)[1] if stop - k > 3 else e


_SENT_STOP_RX = re.compile(r"[.!?](?=\s+[A-Z“\"]|\s*$)")


def _merge(text: str, direct: list[Attribution], indirect: list[Attribution],
           segs: list[QuoteSegment]) -> list[Attribution]:
    """Direct quotes win over an indirect reading of the same cue; nested cues go.

    An indirect content that holds quoted words becomes *mixed*, keeping the
    quoted stretches (scare quotes included) in ``attrs["quoted"]``.
    """
    direct_cues = {a.cue_tok.i for a in direct}
    long_segs = [sg for sg in segs if sg.words(text) > SCARE_MAX_WORDS]
    direct_spans = [(a.start, a.end) for a in direct]
    kept: list[Attribution] = list(direct)
    for a in indirect:
        inner = [sg for sg in segs if a.start <= sg.cstart < a.end]
        if inner and inner[-1].cend > a.end and "\n" not in text[a.end : inner[-1].cend]:
            a.end = inner[-1].cend  # a quote opened inside the content runs to its close
        if a.cue_tok.i in direct_cues:
            continue
        if any(sg.cstart <= a.cue.start < sg.cend for sg in long_segs):
            continue  # "I think …" inside someone's quoted words is part of that quote
        if any(s < a.end and a.start < e for s, e in direct_spans):
            continue
        if inner:
            a.kind = "mixed"
            a.attrs["quoted"] = [[sg.cstart, sg.cend] for sg in inner]
        kept.append(a)
    return _unnested(kept)


def _unnested(kept: list[Attribution]) -> list[Attribution]:
    """Drop attributions whose cue sits inside another attribution's content; the same
    content read twice ("expressed concern that …": verb and noun) is one."""
    out = []
    seen: set[tuple[int, int]] = set()
    for a in kept:
        nested = any(b is not a and b.start <= a.cue.start and a.cue.end <= b.end
                     for b in kept)
        if not nested and (a.start, a.end) not in seen:
            out.append(a)
            seen.add((a.start, a.end))
    return out


def _continuations(text: str, sdoc: Any, toks: _Tokens, segs: list[QuoteSegment],
                   atts: list[Attribution]) -> list[Attribution]:
    """Stand-alone quoted sentences with no cue continue the previous direct speaker.

    Only segments that start a sentence, hold a verb and are at least
    ``SCARE_MAX_WORDS + 1`` words long count; titles and phrases do not.
    """
    claimed = [(a.start, a.end) for a in atts]
    out = list(atts)
    for seg in segs:
        if seg.words(text) <= SCARE_MAX_WORDS or not _starts_sentence(text, seg.start):
            continue
        if any(s <= seg.cstart < e or seg.cstart <= s < seg.cend for s, e in claimed):
            continue
        i, j = toks.first_at_or_after(seg.cstart), toks.first_at_or_after(seg.cend)
        if not any(sdoc[k].pos_ in ("VERB", "AUX") for k in range(i, min(j, len(sdoc)))):
            continue
        prev = [a for a in atts if a.kind == "direct" and a.end <= seg.start]
        if not prev or text.count("\n", prev[-1].end, seg.start) > 2:
            continue  # no speaker in sight: a title, slogan or unattributed text
        out.append(Attribution(
            kind="direct", start=seg.cstart, end=seg.cend,
            attrs={"paragraphs": seg.paragraphs, "closed": seg.closed,
                   "speaker_via": "previous_quote"}))
    return out


def _second_piece(text: str, sdoc: Any, starts: list[int], seg: QuoteSegment,
                  nxt: QuoteSegment, a: Attribution, b: Attribution | None
                  ) -> tuple[bool, Attribution | None]:
    """Does quote ``nxt`` continue ``a`` across its cue clause?  (joins, nxt's own
    attribution ``b`` if any, to drop).  Only the rest of the cue clause (one
    sentence, same paragraph) may lie between, and ``b`` must have no other cue."""
    assert a.cue is not None
    gap = doubled_marks(text[seg.end : nxt.start])
    tail = text[a.cue.end : nxt.start]
    if "\n" in gap or len(gap) > 200 or any(m in gap for m in OPEN_MARKS + STRAIGHT):
        return False, b
    lo, hi = bisect.bisect_left(starts, a.cue.end), bisect.bisect_left(starts, nxt.start)
    ends = sum(1 for k in range(lo, hi) if sdoc[k].text in SENT_END
               and not _abbreviation(sdoc, k))  # not "Sen."/"Lt."
    if ends > 1 or tail.rstrip()[-1:] not in ",.:;—–":
        return False, b
    if b is not None and not (b.cue_tok is None or b.cue_tok.i == a.cue_tok.i):
        return False, b
    if b is None and nxt.words(text) <= SCARE_MAX_WORDS and not (
            ends == 1 and text[nxt.cend - 1 : nxt.cend] in SENT_END):
        return False, b
    return True, b


def _join_split(text: str, sdoc: Any, segs: list[QuoteSegment],
                atts: list[Attribution]) -> list[Attribution]:
    """“A,” he said. “B”: one attribution in two pieces around its cue.

    The quote after the cue clause joins the one before when nothing but the
    rest of that clause (one sentence, same paragraph) lies between them and it
    has no cue of its own.  ``start``/``end`` then span both pieces (cue
    included, so ``Quote.text`` stays a plain slice of the document) and
    ``attrs["pieces"]`` lists the exact quoted pieces without the cue.  A short
    second piece joins only when it is a whole sentence (“…,” X said. “No.”).
    """
    by_start = {a.start: a for a in atts}
    starts = token_starts(sdoc)
    dropped: set[int] = set()
    for k, seg in enumerate(segs[:-1]):
        a = by_start.get(seg.cstart)
        if a is None or id(a) in dropped or a.kind != "direct" or "pieces" in a.attrs \
                or a.attrs.get("cue_position") != "after" or a.cue is None:
            continue
        nxt = segs[k + 1]
        joins, b = _second_piece(text, sdoc, starts, seg, nxt, a, by_start.get(nxt.cstart))
        if not joins:
            continue
        pieces = a.attrs.get("pieces") or [[a.start, a.end]]
        a.attrs["pieces"] = [*pieces, [nxt.cstart, nxt.cend]]
        a.attrs["paragraphs"] = a.attrs.get("paragraphs", 1) + nxt.paragraphs - 1
        a.attrs["closed"] = nxt.closed
        a.end = nxt.cend
        if b is not None:
            dropped.add(id(b))
    out = [a for a in atts if id(a) not in dropped]
    return [_lead_piece(text, sdoc, segs, a) if a.kind == "direct" else a for a in out]


def _abbreviation(sdoc: Any, k: int) -> bool:
    """A period closing a title or initial ("Lt.", "Sen.", "J."), not a sentence."""
    if k == 0 or sdoc[k - 1].whitespace_:
        return False
    prev = sdoc[k - 1].text
    return prev.isalpha() and prev[:1].isupper() and len(prev) <= 4 and prev.lower() != "i"


def _only_cue_clause(sdoc: Any, subj: Any, cue: Any, first: int) -> bool:
    """From ``first`` to the end of the cue clause: only the speaker phrase, the cue and
    the cue's auxiliaries, adverbs and negation ("X said", "said X", "X later added")."""
    last = max(subj.right_edge.i, cue.i)
    return all(subj.left_edge.i <= j <= subj.right_edge.i or j == cue.i
               or sdoc[j].head.i == cue.i and sdoc[j].dep_ in ("aux", "advmod", "neg")
               for j in range(first, last + 1))


def _clause_start(sdoc: Any, first: int) -> int:
    """The token opening the sentence (or clause after ";") that ends before ``first``."""
    k = first - 1
    while k > 0 and not (sdoc[k - 1].text in SENT_END | {";"} and not _abbreviation(sdoc, k - 1)) \
            and "\n" not in sdoc[k - 1].text and first - k < 40:
        k -= 1
    return k


def _inside_marks(text: str, s: int, e: int) -> tuple[int, int]:
    """A quoted stretch without its quote marks (and a comma left inside the close)."""
    while s < e and text[s] in OPEN_MARKS + STRAIGHT + "'":
        s += 1
    while e > s and text[e - 1] in CLOSE_MARKS + STRAIGHT + "',":
        e -= 1
    return s, e


def _lead_piece(text: str, sdoc: Any, segs: list[QuoteSegment],
                a: Attribution) -> Attribution:
    """“Your Honor,” he said, “I …” / But, she added, “I …”: the part before the cue.

    When the cue clause is set off by commas after a quoted opening of the
    sentence, that quote is the first piece of what is attributed; the quote
    after the cue the second.  Unquoted openings ("But, she added, …", "On
    the subject of X, Y added, …") are the writer's: PolNeAR train leaves them
    out (removing them gained exact matches).
    """
    if a.attrs.get("cue_position") != "before" or "pieces" in a.attrs \
            or a.speaker_tok is None or a.cue_tok is None:
        return a
    subj, cue = a.speaker_tok, a.cue_tok
    first = min(subj.left_edge.i, cue.i)
    if first < 2 or sdoc[first - 1].text != "," or a.start < cue.idx:
        return a
    if not _only_cue_clause(sdoc, subj, cue, first):
        return a  # only "X said" / "said X" may sit between the two pieces
    between = text[cue.idx + len(cue.text) : a.start]
    if "\n" in between or between.strip(" ,:" + OPEN_MARKS + STRAIGHT + "'"):
        return a  # only a comma and the opening mark may follow the cue
    ls = sdoc[_clause_start(sdoc, first)].idx
    le = sdoc[first - 1].idx
    s, e = trim(text, ls, le)
    seg = next((g for g in segs if g.start <= s and g.end >= le - 2 and g.end <= le + 1), None)
    if seg is None:
        return a  # "On the subject of X, Y added, “…”": the writer's framing, not a piece
    s, e = _inside_marks(text, seg.cstart, seg.cend)
    if e - s < 2 or "\n" in text[s:a.start]:
        return a
    a.attrs["pieces"] = [[s, e], [a.start, a.end]]
    a.start = s
    return a



# Labels that open a line with a colon but name no speaker ("Update: …").
_COLON_LABELS = frozenset(rdata.section("quotes.yaml", "colon_labels"))


def _strip_space(text: str, s: int, e: int) -> tuple[int, int]:
    """``text[s:e]`` without surrounding whitespace, as offsets."""
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def _colon_voice(left: list[Any]) -> bool:
    """Can the words before a colon be a voice: a short verbless phrase holding a proper
    noun (or a title-case noun phrase), not a generic label ("Note:", "Photo:")?"""
    if not left or len(left) > 6:
        return False
    if any(t.pos_ in ("VERB", "AUX") or t.like_num for t in left):
        return False
    if not (any(t.pos_ == "PROPN" for t in left)
            or all(t.is_title for t in left) and left[-1].pos_ == "NOUN"):
        return False
    return not (left[0].lower_.strip("'’s") in _COLON_LABELS
                or left[-1].lower_ in _COLON_LABELS)


def _colon_attributions(text: str, sdoc: Any, toks: _Tokens, segs: list[QuoteSegment],
                        atts: list[Attribution]) -> list[Attribution]:
    """"Poll: X leads" / "Smith: “…”": a name, a colon and what it says, on one line.

    Headlines and transcripts give the voice with a colon alone.  The part
    before the colon must open the line, be a short verbless phrase holding a
    proper noun, and not be a generic label; the content runs to the line end.
    """
    claimed = [(a.start, a.end) for a in atts]
    out = []
    pos = 0
    for line in text.split("\n"):
        ls, le = pos, pos + len(line)
        pos = le + 1
        colon = line.find(":")
        if colon <= 0 or colon > 60:
            continue
        i, j = toks.first_at_or_after(ls), toks.first_at_or_after(ls + colon)
        left = [t for t in sdoc[i:j] if not t.is_space]
        if j >= len(sdoc) or sdoc[j].text != ":" or not _colon_voice(left):
            continue
        s, e = _strip_space(text, ls + colon + 1, le)
        if len(text[s:e].split()) < 3 or any(cs < e and s < ce for cs, ce in claimed):
            continue
        kind = "indirect"
        seg = next((g for g in segs if g.start == s and g.end >= e - 1), None)
        if seg is not None:
            kind, s, e = "direct", seg.cstart, seg.cend
        head = max(left, key=lambda t: (t.pos_ == "PROPN", t.i))
        out.append(Attribution(
            kind=kind, start=s, end=e, cue_tok=sdoc[j], cue=cue_span(ls + colon, ls + colon + 1),
            speaker_tok=head,
            speaker_span=Span(doc_id="", start=left[0].idx,
                              end=left[-1].idx + len(left[-1].text)),
            group="speech",
            attrs={"cue_position": "colon"}))
    return out
