"""The time layer: date expressions resolved to absolute ISO intervals.

Why a grammar of our own rather than only spaCy's DATE entities or dateparser:
news text is full of yearless dates ("on December 3"), relative phrases ("two
days before the meeting"), durations spaCy tags as dates ("the 44-day war")
and the odd typo ("As of October 3, 2003" in a 2023 story).  Placing those
correctly needs document context (publication date, tense, nearby explicit
dates), so the year logic is written here and tested.

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

import calendar
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from statistics import median
from typing import Any

from rashomon.layers import DocContext
from rashomon.model import TimeExpr, stable_id

# ---------------------------------------------------------------------------
# vocabulary
MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTHS.update({"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8,
               "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12})
WEEKDAYS = {d.lower(): i for i, d in enumerate(calendar.day_name)}
NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
           "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
           "fifteen": 15, "twenty": 20, "thirty": 30, "few": 3, "several": 3, "couple": 2}
SEASONS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11),
           "winter": (12, 2)}  # northern meteorological seasons; winter Y = Dec Y .. Feb Y+1
FUTURE_AUX = {"will", "shall", "'ll", "wo"}
MODAL_AUX = {"would", "could", "should", "might", "may", "must", "can", "ca"}
PLAN_LEMMAS = {"schedule", "plan", "expect", "set", "due", "intend"}
GRACE = timedelta(days=2)
PRESENT_GRACE = timedelta(days=14)

_MON = (r"(?:(?:January|February|March|April|May|June|July|August|September|October|November"
        r"|December)\b|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\b\.?)")
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:1[6-9]\d\d|20\d\d)"
_NUM = (r"(?i:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen"
        r"|twenty|thirty|few|several|a\s+few|a\s+couple\s+of|couple\s+of)")
_UNIT = r"(?:day|week|month|year|decade|hour|minute|fortnight)s?"
_MOD = (r"(?:(?i:early|mid|late)[\s-]|(?i:the\s+)?(?i:end|beginning|start|middle|first\s+half"
        r"|second\s+half)\s+of\s+)")
_WD = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_PREP = r"(?i:in|since|until|till|by|from|of|before|after|during|through|around|circa|to|and)"
_OFFSET_REL = r"(?i:before|after|earlier|later|prior\s+to|ahead\s+of)"


def _rx(pattern: str) -> re.Pattern[str]:
    """Compile a date pattern anchored at a word start.

    Every date expression begins a word; saying so up front lets the regex
    engine skip mid-word positions, which made the patterns that open with an
    optional modifier several times faster.
    """
    if not pattern.startswith(("\\b", "(?<")):
        pattern = r"(?<!\w)(?=\w)" + pattern
    return re.compile(pattern)


# Ordered (name, regex).  Longest match wins across patterns; on ties the first.
PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", _rx(r"\b(?P<y>\d{4})-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b")),
    ("numeric", _rx(r"(?<![\d./])(?P<a>[0-3]?\d)(?P<sep>[./])(?P<b>[01]?\d)(?P=sep)"
                    r"(?P<y>\d{4}|\d{2})(?![\d/]|\.\d)")),
    ("md_range", _rx(rf"(?P<mon>{_MON})\s+(?P<d1>{_DAY})\s*(?:[-–—]|to|through|until)\s*"
                     rf"(?P<d2>{_DAY})\b(?:,?\s+(?P<y>{_YEAR}))?")),
    ("dm_range", _rx(rf"\b(?P<d1>{_DAY})\s*(?:[-–—]|to|until)\s*(?P<d2>{_DAY})\s+(?:of\s+)?"
                     rf"(?P<mon>{_MON})(?:,?\s+(?P<y>{_YEAR}))?")),
    ("md_list", _rx(rf"(?P<mon>{_MON})\s+(?P<days>{_DAY}(?:\s*,\s*{_DAY})*,?\s+and\s+{_DAY})\b"
                    rf"(?:,?\s+(?P<y>{_YEAR}))?")),
    ("mdy", _rx(rf"(?P<mod>{_MOD})?(?P<mon>{_MON})\s+(?P<d>{_DAY})\b(?![.:]\d)"
                rf"(?:,?\s+(?P<y>{_YEAR})\b)?")),
    ("dmy", _rx(rf"\b(?P<d>{_DAY})\s+(?:of\s+)?(?P<mon>{_MON})(?:,?\s+(?P<y>{_YEAR})\b)?")),
    ("my", _rx(rf"(?P<mod>{_MOD})?(?P<mon>{_MON})(?:,|\s+of)?\s+(?P<y>{_YEAR})\b")),
    ("mon", _rx(rf"(?:(?P<pre>\b{_PREP}\s+)|(?P<mod>{_MOD})|(?P<rel>(?i:last|next|this|past)\s+))"
                rf"(?P<mon>{_MON})(?!\s*\d)")),
    ("season", _rx(rf"(?P<mod>{_MOD})?(?P<s>(?i:spring|summer|autumn|fall|winter))"
                   rf"(?:,|\s+of)?\s+(?P<y>{_YEAR})\b")),
    ("season_rel", _rx(r"\b(?P<rel>(?i:last|next|this|past))\s+"
                       r"(?P<s>(?i:spring|summer|autumn|fall|winter))\b")),
    ("decade", _rx(rf"(?P<mod>{_MOD})?(?:(?i:the)\s+)?\b(?P<c>1[6-9]|20)(?P<dd>\d)0['’]?s\b")),
    ("year_range", _rx(rf"(?P<kw>(?i:between|from))\s+(?P<y1>{_YEAR})\s*(?:and|to|until|till"
                       rf"|[-–—])\s*(?P<y2>{_YEAR})\b")),
    ("year_dash", _rx(rf"\b(?P<y1>{_YEAR})\s*[-–—]\s*(?P<y2>{_YEAR}|\d\d)\b(?!-\d)")),
    ("year_mod", _rx(rf"(?P<mod>{_MOD})(?P<y>{_YEAR})\b")),
    ("year", _rx(rf"(?P<pre>\b{_PREP}\s+)(?P<y>{_YEAR})\b(?!\s*[-–/.,]\s*\d)(?![\w%$])")),
    ("week_of", _rx(rf"(?i:the\s+week\s+of)\s+(?P<mon>{_MON})\s+(?P<d>{_DAY})\b"
                    rf"(?:,?\s+(?P<y>{_YEAR}))?")),
    ("relday", _rx(r"\b(?P<w>(?i:yesterday|today|tomorrow|tonight))\b")),
    ("relunit", _rx(r"\b(?:(?P<early>(?i:earlier|later))\s+)?(?P<w>(?i:this|last|next|coming"
                    r"|previous))\s+(?P<u>(?i:week|month|year))\b")),
    ("following", _rx(r"\b(?i:the)\s+(?P<w>(?i:following|next|previous|preceding))\s+"
                      r"(?P<u>(?i:day|week|month|year))\b(?!\s+(?i:of|after|before))")),
    ("weekday", _rx(rf"(?:\b(?P<w>(?i:last|next|this|past))\s+)?(?P<wd>{_WD})\b")),
    ("ago", _rx(rf"\b(?P<n>{_NUM})\s+(?P<u>{_UNIT})\s+(?i:ago)\b")),
    ("past_n", _rx(rf"\b(?i:the)\s+(?i:past|last|previous)\s+(?:(?P<n>{_NUM})\s+)?"
                   r"(?P<u>(?i:days?|weeks?|months?|years?))\b")),
    ("offset", _rx(rf"\b(?P<n>{_NUM})\s+(?P<u>(?i:days?|weeks?|months?|years?))\s+"
                   rf"(?P<rel>{_OFFSET_REL})")),
    ("day_rel", _rx(r"\b(?P<w>(?i:the\s+day|the\s+night|a\s+day|the\s+week))\s+"
                    r"(?P<rel>(?i:before|after|earlier|later))")),
    ("age", _rx(rf"\b(?P<n>{_NUM})[\s-](?i:years?|months?)[\s-](?i:old)\b")),
    ("duration", _rx(r"(?P<q>(?i:about|almost|nearly|more\s+than|over|some|around|at\s+least"
                     r"|less\s+than|fewer\s+than|up\s+to)[\s-]+)?\b(?P<n>\d+|(?i:one|two|three"
                     r"|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty"
                     r"|forty|fifty|several|many|a\s+few|few|a\s+couple\s+of))[\s-]+"
                     r"(?P<u>(?i:days?|weeks?|months?|years?|decades?|hours?|minutes?))"
                     r"(?:[\s-]+(?i:long))?\b")),
    ("decades", _rx(r"\b(?i:(?:the\s+)?(?:decades|years|centuries))\b(?!\s*(?:ago|old))")),
]
_SINCE = re.compile(r"(?i:\bsince)\s+$")
_PREV_WORD = re.compile(r"(?i:\b(since|until|till|by|before|after|from|on|in|of|as\s+of"
                        r"|as\s+at|as\s+on))\s+$")
_RANGE_JOIN = re.compile(r"^\s*(?:and|to|until|till|through|[-–—])\s*$", re.I)
_URL = re.compile(r"(?:https?://|www\.)\S+|\b[\w.-]+\.(?:com|org|net|eu|az|am|ru|info|gov)/\S*")
_TIME_WORD = re.compile(r"(?i)day|week|month|year|decade|season|now|date|time|spring|summer"
                        r"|autumn|winter|weekend|morning|night|evening")
_STOP = {"the", "a", "an", "of", "to", "in", "on", "for", "and", "was", "were", "is", "be",
         "had", "has", "have", "that", "which", "with", "their", "his", "her", "its", "by"}


@dataclass
class Cand:
    """A candidate date expression before resolution."""

    start: int
    end: int
    kind: str
    g: dict[str, Any]
    attrs: dict[str, Any] = field(default_factory=dict)
    id: str = ""
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)


# ---------------------------------------------------------------------------
# small date helpers
def _num(s: str | None) -> int | None:
    if s is None:
        return None
    s = re.sub(r"\s+", " ", s.strip().lower())
    if s.isdigit():
        return int(s)
    s = s.replace("a few", "few").replace("a couple of", "couple").replace("couple of", "couple")
    return NUMBERS.get(s)


def _day(s: str | None) -> int | None:
    return int(re.sub(r"\D", "", s)) if s else None


def _mon(s: str | None) -> int | None:
    return MONTHS.get(s.lower().rstrip(".")) if s else None


def _month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _add_months(d: date, n: int) -> date:
    y, m = divmod(d.month - 1 + n, 12)
    y += d.year
    return date(y, m + 1, min(d.day, calendar.monthrange(y, m + 1)[1]))


def _safe(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _modify(s: date, e: date, mod: str | None, unit: str) -> tuple[date, date]:
    """Narrow an interval by early/mid/late/beginning/end/first half/second half."""
    if not mod:
        return s, e
    mod = re.sub(r"[\s-]+", " ", mod.lower().replace("the ", "").replace(" of", "")).strip()
    part = {"early": 0, "beginning": 0, "start": 0, "mid": 1, "middle": 1, "late": 2,
            "end": 2}.get(mod)
    if mod in ("first half", "second half"):
        days = (e - s).days + 1
        return (s, s + timedelta(days=days // 2 - 1)) if mod == "first half" else (
            s + timedelta(days=days // 2), e)
    if part is None:
        return s, e
    if unit == "year":
        return date(s.year, 1 + 4 * part, 1), _month_end(s.year, 4 + 4 * part)
    if unit == "decade":
        bounds = [(0, 3), (4, 6), (7, 9)][part]
        return date(s.year + bounds[0], 1, 1), date(s.year + bounds[1], 12, 31)
    bounds = [(1, 10), (11, 20), (21, e.day)][part]
    return s.replace(day=bounds[0]), s.replace(day=bounds[1])


def _pick_year(build: Any, anchor: date, tense: str, nearest: bool) -> int:
    """Year for a yearless date: closest to the anchor, respecting tense.

    ``build(year)`` gives the (start, end) interval or None if impossible that year.
    """
    options = []
    for y in (anchor.year - 1, anchor.year, anchor.year + 1):
        iv = build(y)
        if iv:
            options.append((y, iv))
    if not options:
        return anchor.year

    def dist(iv: tuple[date, date]) -> int:
        s, e = iv
        return 0 if s <= anchor <= e else min(abs((s - anchor).days), abs((e - anchor).days))

    if not nearest and tense in ("past", "present"):
        # present tense in news mostly cites dated things ("in the May 3 statement")
        grace = GRACE if tense == "past" else PRESENT_GRACE
        ok = [o for o in options if o[1][0] <= anchor + grace]
        if ok:
            return max(ok, key=lambda o: o[1][0])[0]
    if not nearest and tense == "future":
        ok = [o for o in options if o[1][1] >= anchor - GRACE]
        if ok:
            return min(ok, key=lambda o: o[1][1])[0]
    return min(options, key=lambda o: dist(o[1]))[0]


# ---------------------------------------------------------------------------
# candidates
def find_candidates(text: str) -> list[Cand]:
    """All regex candidates, overlaps resolved longest-first, in text order."""
    raw: list[tuple[int, int, int, str, dict[str, Any]]] = []
    for order, (name, rx) in enumerate(PATTERNS):
        for m in rx.finditer(text):
            if m.end() == m.start():
                continue
            spans = {k: m.span(k) for k, v in m.groupdict().items() if v is not None}
            start = spans["pre"][1] if "pre" in spans else m.start()  # preposition not in span
            raw.append((start, m.end(), order, name, m.groupdict(), spans))
    raw.sort(key=lambda r: (-(r[1] - r[0]), r[2], r[0]))
    taken: list[Cand] = []
    for s, e, _o, name, g, spans in raw:
        if any(s < c.end and c.start < e for c in taken):
            continue
        taken.append(Cand(s, e, name, g, spans=spans))
    for u in _URL.finditer(text):
        taken = [c for c in taken if not (c.start < u.end() and u.start() < c.end)]
    taken.sort(key=lambda c: c.start)
    return _combine(text, taken)


def _combine(text: str, cands: list[Cand]) -> list[Cand]:
    """Merge "between/from X and/to Y" into ranges; mark "since X" and "the week of X"."""
    out: list[Cand] = []
    i = 0
    point_kinds = {"mdy", "dmy", "my", "mon", "year", "iso", "numeric", "season"}
    while i < len(cands):
        c = cands[i]
        nxt = cands[i + 1] if i + 1 < len(cands) else None
        kw = re.search(r"(?i)\b(between|from)\s+$", text[max(0, c.start - 10):c.start])
        if (kw and nxt and c.kind in point_kinds and nxt.kind in point_kinds
                and _RANGE_JOIN.match(text[c.end:nxt.start])):
            start = c.start - (len(text[max(0, c.start - 10):c.start]) - kw.start())
            out.append(Cand(start, nxt.end, "range", {"a": c, "b": nxt}))
            i += 2
            continue
        prev = _PREV_WORD.search(text[max(0, c.start - 12):c.start])
        if prev:
            c.attrs["preposition"] = re.sub(r"\s+", " ", prev.group(1).lower())
        if _SINCE.search(text[max(0, c.start - 7):c.start]) and c.kind in point_kinds:
            c.attrs["relation"] = "since"
            c.start -= len(_SINCE.search(text[max(0, c.start - 7):c.start]).group(0))
        out.append(c)
        i += 1
    return out


# ---------------------------------------------------------------------------
# resolution of one candidate
@dataclass
class Resolved:
    start: date | None
    end: date | None
    gran: str
    anchor: str | None = None  # None (absolute), "document", or a timex id
    explicit_year: bool = False
    flags: list[str] = field(default_factory=list)
    attrs: dict[str, Any] = field(default_factory=dict)


@dataclass
class Context:
    """What resolving one candidate may use."""

    anchor: date | None
    tense: str = "past"
    nearest: bool = False
    ref_year: int | None = None
    ref_id: str | None = None
    day_first: bool = False
    ref_point: tuple[date, str] | None = None  # (date, timex id or "document") for offsets


def _yearless(build: Any, y: int | None, ctx: Context, gran: str) -> Resolved | None:
    if y is not None:
        iv = build(y)
        return Resolved(iv[0], iv[1], gran, None, True) if iv else None
    if ctx.ref_year is not None:
        iv = build(ctx.ref_year)
        if iv:
            return Resolved(iv[0], iv[1], gran, ctx.ref_id, attrs={"year_from": "context"})
    if ctx.anchor is None:
        return Resolved(None, None, gran, None, flags=["unanchored"])
    yy = _pick_year(build, ctx.anchor, ctx.tense, ctx.nearest)
    iv = build(yy)
    return Resolved(iv[0], iv[1], gran, "document") if iv else None


def _day_builder(m: int | None, d: int | None) -> Any:
    def build(y: int) -> tuple[date, date] | None:
        if m is None or d is None:
            return None
        x = _safe(y, m, d)
        return (x, x) if x else None
    return build


def _month_builder(m: int | None, mod: str | None) -> Any:
    def build(y: int) -> tuple[date, date] | None:
        if m is None:
            return None
        return _modify(date(y, m, 1), _month_end(y, m), mod, "month")
    return build


def _season_builder(name: str, mod: str | None) -> Any:
    a, b = SEASONS[name.lower()]

    def build(y: int) -> tuple[date, date]:
        end_year = y + 1 if b < a else y
        return _modify(date(y, a, 1), _month_end(end_year, b), mod, "season")
    return build


def _year_of(y: str | None) -> int | None:
    return int(y) if y else None


def resolve_cand(c: Cand, ctx: Context) -> Resolved | None:
    """Resolve one candidate; None when it is not a date at all."""
    g, k, a = c.g, c.kind, ctx.anchor
    if k == "iso":
        x = _safe(int(g["y"]), int(g["m"]), int(g["d"]))
        return Resolved(x, x, "day", None, True) if x else None
    if k == "numeric":
        p1, p2 = int(g["a"]), int(g["b"])
        y = int(g["y"]) if len(g["y"]) == 4 else 2000 + int(g["y"])
        flags = []
        if p1 > 12:
            dd, mm = p1, p2
        elif p2 > 12:
            dd, mm = p2, p1
        else:
            flags.append("ambiguous")
            dd, mm = (p1, p2) if (ctx.day_first or g["sep"] == ".") else (p2, p1)
        x = _safe(y, mm, dd)
        return Resolved(x, x, "day", None, True, flags, {"day_first": dd == p1}) if x else None
    if k in ("mdy", "dmy", "week_of"):
        r = _yearless(_day_builder(_mon(g["mon"]), _day(g["d"])), _year_of(g.get("y")), ctx, "day")
        if r and k == "week_of" and r.start:
            r.end, r.gran = r.start + timedelta(days=6), "week"
        return r
    if k in ("md_range", "dm_range"):
        m, d1, d2 = _mon(g["mon"]), _day(g["d1"]), _day(g["d2"])

        def build(y: int) -> tuple[date, date] | None:
            s, e = _safe(y, m, d1), _safe(y, m, d2)
            return (s, e) if s and e and s <= e else None
        return _yearless(build, _year_of(g.get("y")), ctx, "range")
    if k == "md_item":
        return _yearless(_day_builder(_mon(g["mon"]), _day(g["d"])), _year_of(g.get("y")), ctx,
                         "day")
    if k in ("my", "mon"):
        m = _mon(g["mon"])
        rel = (g.get("rel") or "").strip().lower()
        if rel and a:
            y = {"last": a.year - 1 if m >= a.month else a.year,
                 "past": a.year - 1 if m >= a.month else a.year,
                 "next": a.year + 1 if m <= a.month else a.year, "this": a.year}[rel]
            iv = _month_builder(m, None)(y)
            return Resolved(iv[0], iv[1], "month", "document")
        return _yearless(_month_builder(m, g.get("mod")), _year_of(g.get("y")), ctx, "month")
    if k == "season":
        return _yearless(_season_builder(g["s"], g.get("mod")), int(g["y"]), ctx, "season")
    if k == "season_rel":
        if a is None:
            return Resolved(None, None, "season", None, flags=["unanchored"])
        rel = g["rel"].lower()
        build = _season_builder(g["s"], None)
        y = {"last": a.year - 1, "past": a.year - 1, "next": a.year + 1, "this": a.year}[rel]
        if rel in ("last", "past") and build(a.year)[1] < a:
            y = a.year
        return Resolved(*build(y), "season", "document")
    if k == "decade":
        y0 = int(g["c"] + g["dd"] + "0")
        s, e = _modify(date(y0, 1, 1), date(y0 + 9, 12, 31), g.get("mod"), "decade")
        return Resolved(s, e, "range", None, True, attrs={"unit": "decade"})
    if k in ("year", "year_mod"):
        y = int(g["y"])
        s, e = _modify(date(y, 1, 1), date(y, 12, 31), g.get("mod"), "year")
        return Resolved(s, e, "year", None, True)
    if k in ("year_range", "year_dash"):
        y1 = int(g["y1"])
        y2 = int(g["y2"]) if len(g["y2"]) == 4 else int(g["y1"][:2] + g["y2"])
        if y2 <= y1 or y2 - y1 > 50:
            return None
        return Resolved(date(y1, 1, 1), date(y2, 12, 31), "range", None, True)
    if k == "range":
        ca, cb = g["a"], g["b"]
        rb = resolve_cand(cb, ctx)
        ctx_a = ctx
        if rb and rb.start and rb.explicit_year:
            ctx_a = Context(**{**ctx.__dict__, "ref_year": rb.start.year, "ref_id": None})
        ra = resolve_cand(ca, ctx_a)
        if not (ra and rb and ra.start and rb.end) or ra.start > rb.end:
            return None
        return Resolved(ra.start, rb.end, "range", ra.anchor or rb.anchor,
                        ra.explicit_year or rb.explicit_year)
    # --- relative to the document date
    if a is None and k not in ("age", "decades", "duration", "vague"):
        gran = {"relunit": (g.get("u") or "day").lower(), "following": (g.get("u") or "day").lower(),
                "past_n": "range"}.get(k, "day")
        return Resolved(None, None, gran, None, flags=["unanchored"])
    if k == "relday":
        n = {"yesterday": -1, "today": 0, "tonight": 0, "tomorrow": 1}[g["w"].lower()]
        x = a + timedelta(days=n)
        return Resolved(x, x, "day", "document")
    if k == "relunit":
        w, u = g["w"].lower(), g["u"].lower()
        n = {"this": 0, "last": -1, "previous": -1, "next": 1, "coming": 1}[w]
        r = _unit_interval(a, u, n, "document")
        early = (g.get("early") or "").lower()
        if n == 0 and early and r.start and r.end:  # "earlier this year": up to the anchor
            r.start, r.end = (r.start, a) if early == "earlier" else (a, r.end)
            r.gran = "range"
        return r
    if k == "following":
        ref, ref_id = ctx.ref_point or (a, "document")
        n = 1 if g["w"].lower() in ("following", "next") else -1
        return _unit_interval(ref, g["u"].lower(), n, ref_id)
    if k == "weekday":
        wd, w = WEEKDAYS[g["wd"].lower()], (g.get("w") or "").lower()
        back = (a.weekday() - wd) % 7
        fwd = (wd - a.weekday()) % 7
        if w in ("last", "past"):
            x = a - timedelta(days=back or 7)
        elif w == "next":
            x = a + timedelta(days=fwd or 7)
        elif w == "this" or ctx.tense in ("future", "present"):
            x = a + timedelta(days=fwd) if ctx.tense == "future" or w == "this" else a - timedelta(
                days=back)
        else:
            x = a - timedelta(days=back)
        return Resolved(x, x, "day", "document")
    if k == "ago":
        n, u = _num(g["n"]) or 1, g["u"].lower().rstrip("s")
        return _unit_interval(a, u, -n, "document", exact=True)
    if k == "past_n":
        n, u = _num(g.get("n")) or 1, g["u"].lower().rstrip("s")
        s = _shift(a, u, -n)
        return Resolved(s, a, "range", "document", attrs={"unit": u, "amount": n})
    if k in ("offset", "day_rel"):
        ref, ref_id = ctx.ref_point or (a, "document")
        if k == "day_rel":
            n, u = 1, ("week" if "week" in g["w"].lower() else "day")
        else:
            n, u = _num(g["n"]) or 1, g["u"].lower().rstrip("s")
        sign = -1 if g["rel"].lower().split()[0] in ("before", "earlier", "prior", "ahead") else 1
        return _unit_interval(ref, u, sign * n, ref_id, exact=True)
    if k == "age":
        return None
    if k == "vague":
        return Resolved(None, None, "vague", None, flags=["unresolved"])
    if k in ("duration", "decades"):
        attrs = {}
        if k == "duration":
            attrs = {"amount": _num(g["n"]), "unit": g["u"].lower().rstrip("s")}
        return Resolved(None, None, "duration", None, attrs=attrs)
    return None


def _shift(d: date, unit: str, n: int) -> date:
    if unit == "day":
        return d + timedelta(days=n)
    if unit in ("week", "fortnight"):
        return d + timedelta(weeks=n * (2 if unit == "fortnight" else 1))
    if unit == "month":
        return _add_months(d, n)
    if unit == "decade":
        return _add_months(d, 120 * n)
    return _add_months(d, 12 * n)


def _unit_interval(ref: date, unit: str, n: int, anchor: str, exact: bool = False) -> Resolved:
    """The day/week/month/year ``n`` units from ``ref``.

    ``exact``: "two weeks before X" is a day-level shift (a 7-day window for weeks);
    "next week" (not exact) is the calendar week after ref's.
    """
    unit = unit.rstrip("s")
    if unit == "day":
        x = ref + timedelta(days=n)
        return Resolved(x, x, "day", anchor)
    if unit == "week":
        if exact:
            x = ref + timedelta(weeks=n)
            return Resolved(x - timedelta(days=3), x + timedelta(days=3), "week", anchor)
        monday = ref - timedelta(days=ref.weekday()) + timedelta(weeks=n)
        return Resolved(monday, monday + timedelta(days=6), "week", anchor)
    if unit == "month":
        x = _add_months(ref, n)
        return Resolved(x.replace(day=1), _month_end(x.year, x.month), "month", anchor)
    x = _shift(ref, unit, n)
    return Resolved(date(x.year, 1, 1), date(x.year, 12, 31), "year", anchor)


def resolve_date_text(text: str, anchor: date, tense: str = "past") -> tuple[str, str, str] | None:
    """Resolve one date phrase on its own: (start ISO, end ISO, granularity) or None.

    For reuse by other layers (events).  Relative offsets are taken from ``anchor``;
    durations and non-dates give None.
    """
    cands = find_candidates(text)
    if not cands:
        return None
    c = max(cands, key=lambda c: c.end - c.start)
    r = resolve_cand(c, Context(anchor=anchor, tense=tense))
    if r is None or r.start is None or r.end is None:
        return None
    if c.attrs.get("relation") == "since":
        return r.start.isoformat(), anchor.isoformat(), "range"
    return r.start.isoformat(), r.end.isoformat(), r.gran


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
            auxes = [c for c in tok.children if c.dep_ in ("aux", "auxpass")]
            words = {c.lower_ for c in auxes}
            if words & FUTURE_AUX or tok.lower_ in FUTURE_AUX:
                return "future"
            if words & MODAL_AUX or (tok.tag_ == "VB" and "to" in words):
                # "agreed to admit inspectors in February", "could meet on May 3":
                # later than, or unreal relative to, the governing verb
                return "irrealis"
            if any(c.lemma_ == "have" for c in auxes) and tok.tag_ == "VBN":
                return "past"
            if tok.tag_ == "VBD" or any(c.tag_ == "VBD" for c in auxes):
                return "past"
            if tok.lemma_ in PLAN_LEMMAS or (tok.lemma_ == "be" and any(
                    c.lower_ == "due" for c in tok.children)):
                return "future"
            if tok.tag_ in ("VBZ", "VBP") or any(c.tag_ in ("VBZ", "VBP") for c in auxes):
                return "present"
        if tok.head is tok:
            break
        tok, steps = tok.head, steps + 1
    return "past"


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
    for m in PATTERNS[1][1].finditer(text):
        a, b = int(m["a"]), int(m["b"])
        first += a > 12 or m["sep"] == "."
        second += b > 12 and a <= 12
    if first != second:
        return first > second
    if language and language.lower().replace("_", "-") in ("en-us", "en-ph"):
        return False
    dm = len(PATTERNS[6][1].findall(text))
    md = len(PATTERNS[5][1].findall(text))
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
        if not (r.explicit_year and r.start and r.gran == "day"):
            continue
        y = r.start.year
        before = text[max(0, c.start - 12):c.start].lower()
        as_of = re.search(r"\bas\s+(?:of|at|on)\s+$", before) is not None
        fix = _typo_fix(y, core)
        fixed = _safe(fix, r.start.month, r.start.day) if fix else None
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
