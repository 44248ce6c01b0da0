"""The time layer: date expressions resolved to absolute ISO intervals.

Why a grammar of our own rather than only spaCy's DATE entities or dateparser:
news text is full of yearless dates ("on December 3"), relative phrases ("two
days before the meeting"), durations spaCy tags as dates ("the 44-day war")
and the odd typo ("As of October 3, 2003" in a 2023 story).  Placing those
correctly needs document context (publication date, tense, nearby explicit
dates), so the year logic is written here and tested.

This module is the layer: document context, anchoring, year choice from
context, offsets and plausibility.  The patterns, candidate finding and the
resolution of one expression live in :mod:`rashomon.analyze.time._grammar`;
its public names are re-exported here.

Pipeline per document:

1. **Candidates** come from the regexes below (longest match wins); spaCy DATE
   entities add bare years ("the 2020 war") and any vague phrase we cannot
   resolve (kept with granularity ``vague``).  Ages ("44-year-old") and URLs
   are never dates; centuries are skipped.
2. **Anchor**: ``doc.published``; if missing, the latest explicit day-level
   date in a non-future clause (flag ``anchor_inferred``; yearless dates then
   take the nearest year rather than the tense rule).
3. **Year choice** for a yearless date: inherit the year of the nearest
   explicit year-bearing date in the same paragraph within the last two
   sentences; else the year placing it closest to the anchor, not after it for
   past tense (present: 14 days of grace), not before it for future tense
   (two days of grace); infinitive or modal clauses ("agreed to admit
   inspectors in February") take the nearest year.
4. **Relative offsets** ("two days before the meeting ...") are anchored on the
   earlier day-level date whose sentence shares the offset's head noun (and the
   most of its other nouns); failing that the nearest day-level date in the
   same or previous sentence; failing that the document date.
5. **Plausibility**: a year-bearing day date is flagged ``implausible`` when it
   is in an "as of"/"as at" (current-state) phrase and more than a year away
   from the anchor, or when it is an isolated outlier ten or more years from
   the document's date cluster that a one-digit typo explains, the fixed date
   falling in the article's news window.  The fix is offered as
   ``attrs["suggested"]``; the value itself is never changed.  Historical
   years ("in 1991") and dated history ("the treaty of 12 March 2013") are
   not flagged.
"""
from __future__ import annotations

import re
from datetime import date, timedelta
from statistics import median
from typing import Any

from rashomon import data as rdata
from rashomon.analyze.time._grammar import (
    _DAY,
    _URL,
    _YEAR,
    MONTHS,
    NUMBERS,
    PATTERNS,
    SEASONS,
    WEEKDAYS,
    Cand,
    Context,
    Resolved,
    find_candidates,
    parse_number,
    pattern_matches,
    resolve_cand,
    resolve_date_text,
)
from rashomon.layers import DocContext
from rashomon.model import TimeExpr, stable_id
from rashomon.text import safe_date

__all__ = [
    "MONTHS", "NUMBERS", "PATTERNS", "SEASONS", "WEEKDAYS", "Cand", "Context", "Resolved",
    "extract_timexes", "find_candidates", "parse_number", "resolve_cand", "resolve_date_text",
    "tense_at", "time_layer",
]

FUTURE_AUX = frozenset(rdata.section("time.yaml", "future_aux"))
MODAL_AUX = frozenset(rdata.section("time.yaml", "modal_aux"))
PLAN_LEMMAS = frozenset(rdata.section("time.yaml", "plan_lemmas"))
_TIME_WORD = re.compile(r"(?i)day|week|month|year|decade|season|now|date|time|spring|summer"
                        r"|autumn|winter|weekend|morning|night|evening")
_STOP = frozenset(rdata.section("time.yaml", "stopwords"))


# ---------------------------------------------------------------------------
# document context: sentences, paragraphs, tense
class _Sents:
    """Sentence and paragraph index by character offset (spaCy if parsed, else regex)."""

    def __init__(self, text: str, sdoc: Any) -> None:
        if sdoc is not None:
            self.bounds = [(s.start_char, s.end_char) for s in sdoc.sents]
        else:
            self.bounds = [(m.start(), m.end()) for m in re.finditer(r"[^.!?\n]+[.!?]*", text)]
        self.text = text

    def index(self, char: int) -> int:
        for i, (s, e) in enumerate(self.bounds):
            if s <= char < e:
                return i
        return max(0, len([b for b in self.bounds if b[0] <= char]) - 1)

    def span(self, i: int) -> tuple[int, int]:
        return self.bounds[i] if self.bounds else (0, len(self.text))

    def same_paragraph(self, a: int, b: int) -> bool:
        lo, hi = min(a, b), max(a, b)
        return "\n" not in self.text[lo:hi]


def tense_at(sdoc: Any, start: int, end: int) -> str:
    """past | future | present | irrealis of the clause governing the span (default: past).

    ``irrealis`` (infinitive or modal clause) makes a yearless date take the nearest year.
    """
    if sdoc is None:
        return "past"
    span = sdoc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return "past"
    tok, steps = span.root, 0
    while steps < 10:
        if tok.pos_ in ("VERB", "AUX"):
            tense = _verb_tense(tok)
            if tense is not None:
                return tense
        if tok.head is tok:
            break
        tok, steps = tok.head, steps + 1
    return "past"


def _verb_tense(tok: Any) -> str | None:
    """The tense a verb and its auxiliaries mark, or None to look further up."""
    auxes = [c for c in tok.children if c.dep_ in ("aux", "auxpass")]
    return _modal_tense(tok, {c.lower_ for c in auxes}) or _plain_tense(tok, auxes)


def _modal_tense(tok: Any, words: set[str]) -> str | None:
    """Future or irrealis, as the auxiliaries say."""
    if words & FUTURE_AUX or tok.lower_ in FUTURE_AUX:
        return "future"
    if words & MODAL_AUX or (tok.tag_ == "VB" and "to" in words):
        # "agreed to admit inspectors in February", "could meet on May 3":
        # later than, or unreal relative to, the governing verb
        return "irrealis"
    return None


def _plain_tense(tok: Any, auxes: list[Any]) -> str | None:
    """Past, planned (future) or present, by the verb's tags and lemma."""
    if any(c.lemma_ == "have" for c in auxes) and tok.tag_ == "VBN":
        return "past"
    if tok.tag_ == "VBD" or any(c.tag_ == "VBD" for c in auxes):
        return "past"
    if tok.lemma_ in PLAN_LEMMAS or (tok.lemma_ == "be" and any(
            c.lower_ == "due" for c in tok.children)):
        return "future"
    if tok.tag_ in ("VBZ", "VBP") or any(c.tag_ in ("VBZ", "VBP") for c in auxes):
        return "present"
    return None


def _anchor_of(doc: Any) -> date | None:
    """The publication date: ISO as ingest stores it, or any explicit full date in the string."""
    if not doc.published:
        return None
    try:
        return date.fromisoformat(str(doc.published)[:10])
    except ValueError:
        pass
    for c in find_candidates(str(doc.published)):
        r = resolve_cand(c, Context(anchor=None))
        if r and r.explicit_year and r.gran == "day" and r.start:
            return r.start
    return None


def _day_first(text: str, language: str | None) -> bool:
    """Does the document write numeric dates day-first?  Evidence, then language."""
    first = second = 0
    for m in pattern_matches(PATTERNS[1][0], text):
        a, b = int(m["a"]), int(m["b"])
        first += a > 12 or m["sep"] == "."
        second += b > 12 and a <= 12
    if first != second:
        return first > second
    if language and language.lower().replace("_", "-") in ("en-us", "en-ph"):
        return False
    # counts of the dmy and mdy scans (kept from candidate finding for this text)
    dm = len(pattern_matches(PATTERNS[6][0], text))
    md = len(pattern_matches(PATTERNS[5][0], text))
    return dm > md or bool(language and language.lower().startswith("en-") and
                           language.lower() != "en-us")


# ---------------------------------------------------------------------------
# the layer
def time_layer(ctx: DocContext) -> dict[str, list[TimeExpr]]:
    """Document layer: every date expression of ``ctx.doc.text`` as a TimeExpr."""
    return {"timexes": extract_timexes(ctx.doc, ctx.sdoc)}


def extract_timexes(doc: Any, sdoc: Any = None) -> list[TimeExpr]:
    text = doc.text
    cands = _expand_lists(find_candidates(text))
    cands = _add_spacy(text, sdoc, cands)
    sents = _Sents(text, sdoc)
    anchor = _anchor_of(doc)
    inferred = bool(doc.published_inferred) if anchor else False
    if anchor is None:
        anchor = _infer_anchor(cands, sdoc)
        inferred = anchor is not None
    day_first = _day_first(text, doc.language)
    out: list[tuple[Cand, Resolved, int]] = []
    for c in cands:
        c.id = stable_id(doc.id, c.start, c.end)
        si = sents.index(c.start)
        tense = tense_at(sdoc, c.start, c.end)
        cx = Context(anchor=anchor, tense=tense, nearest=inferred, day_first=day_first)
        if c.kind in ("mdy", "dmy", "mon", "my", "md_range", "dm_range", "md_item", "week_of") \
                and not c.g.get("y") and not c.g.get("rel"):
            ref = _year_source(out, sents, c, si)
            if ref:
                cx.ref_year, cx.ref_id = ref
        if c.kind in ("offset", "day_rel", "following"):
            cx.ref_point = _offset_ref(text, sdoc, sents, out, c, si, doc.id)
        r = resolve_cand(c, cx)
        if r is None:
            continue
        r.attrs.update(c.attrs)
        r.attrs.setdefault("tense", tense)
        if r.anchor == "document" and inferred:
            r.flags.append("anchor_inferred")
        out.append((c, r, si))
    _flag_implausible(text, out, anchor)
    records = []
    for c, r, _si in out:
        vs = r.start.isoformat() if r.start else None
        ve = r.end.isoformat() if r.end else None
        if r.attrs.get("relation") == "since" and r.start and anchor:
            r.attrs.update({"point_start": vs, "point_end": ve, "point_granularity": r.gran})
            ve, r.gran = max(anchor, r.start).isoformat(), "range"
            if r.anchor is None:
                r.anchor = "document"
                if inferred:
                    r.flags.append("anchor_inferred")
        records.append(TimeExpr(
            id=c.id, doc_id=doc.id, start=c.start, end=c.end,
            text=text[c.start:c.end], value_start=vs, value_end=ve, granularity=r.gran,
            anchor=r.anchor, flags=sorted(set(r.flags)), attrs=r.attrs))
    return records


def _expand_lists(cands: list[Cand]) -> list[Cand]:
    """ "March 13 and 27, 2023" becomes two day-level timexes sharing month and year.

    The first spans "March 13", the last runs to the end ("27, 2023").
    """
    out = []
    for c in cands:
        if c.kind != "md_list":
            out.append(c)
            continue
        days_at = c.spans["days"][0]
        days = list(re.finditer(_DAY, c.g["days"]))
        for i, dm in enumerate(days):
            s = c.start if i == 0 else days_at + dm.start()
            e = c.end if i == len(days) - 1 else days_at + dm.end()
            out.append(Cand(s, e, "md_item", {"mon": c.g["mon"], "d": dm.group(0), "y": c.g["y"]},
                            {"list": True, **c.attrs}))
    return out


def _add_spacy(text: str, sdoc: Any, cands: list[Cand]) -> list[Cand]:
    """spaCy DATE entities we did not find: bare years, or vague phrases kept unresolved."""
    if sdoc is None:
        return cands
    extra = []
    for ent in sdoc.ents:
        if ent.label_ != "DATE":
            continue
        s, e = ent.start_char, ent.end_char
        if any(s < c.end and c.start < e for c in cands):
            continue
        if any(u.start() < e and s < u.end() for u in _URL.finditer(text[max(0, s - 200):e + 5])
               if u.start() + max(0, s - 200) < e):
            continue
        t = ent.text
        s += len(t) - len(t.lstrip())
        e -= len(t) - len(t.rstrip())
        t = t.strip()
        m = re.fullmatch(rf"(?:(?i:the)\s+)?({_YEAR})", t)
        if m:
            extra.append(Cand(s + m.start(1), s + m.end(1), "year", {"y": m.group(1)}))
        elif _TIME_WORD.search(t) and not re.search(r"(?i)centur", t):
            extra.append(Cand(s, e, "vague", {}))
    return sorted(cands + extra, key=lambda c: c.start)


def _infer_anchor(cands: list[Cand], sdoc: Any) -> date | None:
    """Latest explicit day date in a non-future clause, ignoring far outliers."""
    found = []
    for c in cands:
        if c.kind in ("mdy", "dmy", "iso", "md_item") and c.g.get("y"):
            r = resolve_cand(c, Context(anchor=None))
            if r and r.start and tense_at(sdoc, c.start, c.end) != "future":
                found.append(r.start)
    if not found:
        return None
    mid = median(d.year for d in found)
    near = [d for d in found if abs(d.year - mid) <= 5]
    return max(near or found)


def _year_source(out: list[tuple[Cand, Resolved, int]], sents: _Sents, c: Cand,
                 si: int) -> tuple[int, str] | None:
    """Year of the nearest explicit year-bearing date in this paragraph, <= 2 sentences back."""
    for pc, pr, psi in reversed(out):
        if si - psi > 2:
            break
        if pr.explicit_year and pr.start and pr.gran in ("day", "month", "year", "season", "range") \
                and sents.same_paragraph(pc.start, c.start) and pc.kind != "decade":
            return pr.start.year, pc.id
    return None


def _offset_ref(text: str, sdoc: Any, sents: _Sents, out: list[tuple[Cand, Resolved, int]],
                c: Cand, si: int, doc_id: str) -> tuple[date, str] | None:
    """The date an offset counts from: see the module docstring, step 4."""
    day_level = [(pc, pr, psi) for pc, pr, psi in out
                 if pr.start and pr.end and pr.start == pr.end and pc.end <= c.start]
    rel = (c.g.get("rel") or "").lower()
    if rel.startswith(("before", "after", "prior", "ahead")):
        tail = text[c.end:sents.span(si)[1]]
        obj = re.split(r"[,;:.!?()\"“”]", tail, maxsplit=1)[0]
        words = _nouns(sdoc, c.end, c.end + len(obj)) if sdoc is not None else [
            w for w in re.findall(r"[a-z]+", obj.lower()) if w not in _STOP]
        if words:
            head = words[0]
            best: tuple[int, int, Any] | None = None
            for pc, pr, psi in day_level:
                ss, se = sents.span(psi)
                have = set(_nouns(sdoc, ss, se)) if sdoc is not None else set(
                    re.findall(r"[a-z]+", text[ss:se].lower()))
                if head not in have:
                    continue
                score = len(set(words) & have)
                key = (score, pc.start)
                if best is None or key > best[:2]:
                    best = (score, pc.start, (pr.start, pc.id))
            if best:
                return best[2]
    for pc, pr, psi in reversed(day_level):
        if si - psi <= 1:
            return pr.start, pc.id
        break
    return None


def _nouns(sdoc: Any, start: int, end: int) -> list[str]:
    span = sdoc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return []
    return [t.lemma_.lower() for t in span if t.pos_ in ("NOUN", "PROPN") and t.is_alpha]


def _flag_implausible(text: str, out: list[tuple[Cand, Resolved, int]], anchor: date | None) -> None:
    """Flag year-bearing day dates that cannot be right (module docstring, step 5).

    A near-miss typo must be isolated (no other explicit date within three years),
    ten or more years from the cluster, and its one-digit fix must land in the
    article's news window (120 days before the anchor to 14 days after), so
    "the treaty of 12 March 2013" in an October 2023 story is left alone.
    """
    explicit = [r.start.year for _c, r, _ in out if r.explicit_year and r.start
                and r.gran in ("day", "month", "range", "week")]
    years = explicit + ([anchor.year] if anchor else [])
    if not years:
        return
    center = anchor.year if anchor else int(median(years))
    core = {y for y in years if abs(y - center) <= 1} | {center}
    for c, r, _si in out:
        if r.explicit_year and r.start and r.gran == "day":
            _flag_year(text, c, r, anchor, center, core, explicit)


def _flag_year(text: str, c: Cand, r: Resolved, anchor: date | None, center: int,
               core: set[int], explicit: list[int]) -> None:
    """Flag one day date whose year is far from the cluster (see :func:`_flag_implausible`)."""
    assert r.start is not None
    y = r.start.year
    before = text[max(0, c.start - 12):c.start].lower()
    as_of = re.search(r"\bas\s+(?:of|at|on)\s+$", before) is not None
    fix = _typo_fix(y, core)
    fixed = safe_date(fix, r.start.month, r.start.day) if fix else None
    in_window = bool(anchor and fixed and
                     anchor - timedelta(days=120) <= fixed <= anchor + timedelta(days=14))
    isolated = sum(1 for yy in explicit if abs(yy - y) <= 3) <= 1
    if (as_of and abs(y - center) > 1) or (in_window and isolated and abs(y - center) >= 10):
        r.flags.append("implausible")
        r.attrs["cluster_year"] = center
        if fixed:
            r.attrs["suggested"] = fixed.isoformat()


def _typo_fix(y: int, core: set[int]) -> int | None:
    """A cluster year that differs from ``y`` in exactly one digit, if any."""
    s = str(y)
    for c in sorted(core):
        t = str(c)
        if len(t) == 4 and sum(a != b for a, b in zip(s, t, strict=True)) == 1:
            return c
    return None
