"""The date grammar: patterns, candidate finding and single-expression resolution.

Split from :mod:`rashomon.analyze.time._layer` so the layer (document context,
anchoring, year choice from context, plausibility) reads apart from the
grammar it relies on.  Everything here works on one string or one candidate
plus a :class:`Context`; nothing here looks at the rest of the document.

The vocabulary, the patterns and the scan that finds their matches live in
:mod:`rashomon.analyze.time._patterns` (names re-exported here).  Spelled-out
numbers (including compounds such as "forty-three", "twenty one", "a hundred",
"two hundred and fifty") are matched by one shared sub-pattern and read by
:func:`parse_number`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from rashomon.analyze.time._patterns import (  # noqa: F401  (re-exported)
    _DAY,
    _DIGIT,
    _FOLD,
    _MON,
    _NUM,
    _NUMWORD,
    _PATTERN_RX,
    _YEAR,
    FIRST_WORDS,
    GATES,
    MONTHS,
    NUMBERS,
    PATTERNS,
    SCALES,
    SEASONS,
    WEEKDAYS,
    _first_words,
    _rx,
    _scan,
    first_word_violations,
    pattern_matches,
)
from rashomon.text import (
    add_months,
    full_year,
    month_end,
    month_number,
    read_numeric,
    safe_date,
    shift,
)


@dataclass(frozen=True)
class TimeParams:
    """Thresholds of year picking for yearless dates ("on May 3").

    grace: a past-tense date may lie this far after the document date (reports
        written around midnight, time zones) and still be this year's.
    present_grace: the same for present tense, which news uses for dated things
        ("in the May 3 statement").
    """

    grace: timedelta = timedelta(days=2)
    present_grace: timedelta = timedelta(days=14)


PARAMS = TimeParams()


_SINCE = re.compile(r"(?i:\bsince)\s+$")
_PREV_WORD = re.compile(r"(?i:\b(since|until|till|by|before|after|from|on|in|of|as\s+of"
                        r"|as\s+at|as\s+on))\s+$")
_RANGE_JOIN = re.compile(r"^\s*(?:and|to|until|till|through|[-–—])\s*$", re.I)
_URL = re.compile(r"(?:https?://|www\.)\S+|\b[\w.-]+\.(?:com|org|net|eu|az|am|ru|info|gov)/\S*")


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
def parse_number(s: str | None) -> int | None:
    """The value of a written count: digits, number words and their compounds.

    "forty-three" -> 43, "twenty one" -> 21, "a hundred" -> 100, "two hundred and
    fifty" -> 250, "a few"/"several" -> 3, "a couple of" -> 2; None if not a number.
    """
    if s is None:
        return None
    s = re.sub(r"\s+", " ", s.strip().lower())
    if s.isdigit():
        return int(s)
    s = s.replace("a few", "few").replace("a couple of", "couple").replace("couple of", "couple")
    words = [w for w in re.split(r"[\s-]+", s) if w and w != "and"]
    return _sum_number_words(words) if words else None


def _sum_number_words(words: list[str]) -> int | None:
    """The value of a sequence of number words, or None if they are not one number."""
    total = cur = 0
    last = 1000  # size class of the previous word: a number never repeats or grows a class
    for i, w in enumerate(words):
        if w in SCALES:
            step = _scale_step(w, total, cur)
            if step is None:
                return None
            total, cur, last = step
            continue
        v = 1 if w in ("a", "an") and i == 0 else NUMBERS.get(w) if w not in ("a", "an") else None
        if v is None or w in ("few", "several", "couple") and len(words) > 1:
            return None
        size = 10 if v >= 20 else 1  # tens words take a unit after them; units and teens end
        if (cur % 100 and last <= size) or (last == 1 and cur % 100):
            return None  # "three five", "twelve four", "four twenty": not one number
        cur, last = cur + v, size if v >= 20 else 1
    return total + cur


def _scale_step(w: str, total: int, cur: int) -> tuple[int, int, int] | None:
    """(total, current, size class) after "hundred" or "thousand"; None if misplaced."""
    if SCALES[w] == 100:
        if cur >= 100:
            return None
        return total, (cur or 1) * 100, 100
    return total + (cur or 1) * 1000, 0, 1000


_num = parse_number


def _day(s: str | None) -> int | None:
    return int(re.sub(r"\D", "", s)) if s else None


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
        return date(s.year, 1 + 4 * part, 1), month_end(s.year, 4 + 4 * part)
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
        grace = PARAMS.grace if tense == "past" else PARAMS.present_grace
        ok = [o for o in options if o[1][0] <= anchor + grace]
        if ok:
            return max(ok, key=lambda o: o[1][0])[0]
    if not nearest and tense == "future":
        ok = [o for o in options if o[1][1] >= anchor - PARAMS.grace]
        if ok:
            return min(ok, key=lambda o: o[1][1])[0]
    return min(options, key=lambda o: dist(o[1]))[0]


# ---------------------------------------------------------------------------
# candidates
def find_candidates(text: str) -> list[Cand]:
    """All regex candidates, overlaps resolved longest-first, in text order."""
    raw: list[tuple[int, int, int, str, dict[str, Any]]] = []
    for order, (name, _pat) in enumerate(PATTERNS):
        gate = GATES.get(name) if name not in FIRST_WORDS else None
        if gate is not None and gate.search(text) is None:
            continue
        for m in pattern_matches(name, text):
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
        x = safe_date(y, m, d)
        return (x, x) if x else None
    return build


def _month_builder(m: int | None, mod: str | None) -> Any:
    def build(y: int) -> tuple[date, date] | None:
        if m is None:
            return None
        return _modify(date(y, m, 1), month_end(y, m), mod, "month")
    return build


def _season_builder(name: str, mod: str | None) -> Any:
    a, b = SEASONS[name.lower()]

    def build(y: int) -> tuple[date, date]:
        end_year = y + 1 if b < a else y
        return _modify(date(y, a, 1), month_end(end_year, b), mod, "season")
    return build


def _year_of(y: str | None) -> int | None:
    return int(y) if y else None


def _iso(c: Cand, ctx: Context) -> Resolved | None:
    g = c.g
    x = safe_date(int(g["y"]), int(g["m"]), int(g["d"]))
    return Resolved(x, x, "day", None, True) if x else None


def _numeric(c: Cand, ctx: Context) -> Resolved | None:
    """"01/10/2023": read by the shared rule (:func:`rashomon.text.read_numeric`), with
    the document's day-first evidence as the hint; an ambiguous reading is flagged."""
    g = c.g
    r = read_numeric(int(g["a"]), int(g["b"]), g["sep"], ctx.day_first or None)
    x = safe_date(full_year(g["y"]), r.month, r.day)
    flags = ["ambiguous"] if r.ambiguous else []
    return Resolved(x, x, "day", None, True, flags, {"day_first": r.day_first}) if x else None


def _month_day(c: Cand, ctx: Context) -> Resolved | None:
    g = c.g
    r = _yearless(_day_builder(month_number(g["mon"]), _day(g["d"])), _year_of(g.get("y")),
                  ctx, "day")
    if r and c.kind == "week_of" and r.start:
        r.end, r.gran = r.start + timedelta(days=6), "week"
    return r


def _day_range(c: Cand, ctx: Context) -> Resolved | None:
    g = c.g
    m, d1, d2 = month_number(g["mon"]), _day(g["d1"]), _day(g["d2"])

    def build(y: int) -> tuple[date, date] | None:
        s, e = safe_date(y, m, d1), safe_date(y, m, d2)
        return (s, e) if s and e and s <= e else None
    return _yearless(build, _year_of(g.get("y")), ctx, "range")


_REL_YEAR = {"last": -1, "past": -1, "next": 1, "this": 0}


def _month(c: Cand, ctx: Context) -> Resolved | None:
    g, a = c.g, ctx.anchor
    m = month_number(g["mon"])
    rel = (g.get("rel") or "").strip().lower()
    if rel and a:
        y = {"last": a.year - 1 if m >= a.month else a.year,
             "past": a.year - 1 if m >= a.month else a.year,
             "next": a.year + 1 if m <= a.month else a.year, "this": a.year}[rel]
        iv = _month_builder(m, None)(y)
        return Resolved(iv[0], iv[1], "month", "document")
    return _yearless(_month_builder(m, g.get("mod")), _year_of(g.get("y")), ctx, "month")


def _season(c: Cand, ctx: Context) -> Resolved | None:
    return _yearless(_season_builder(c.g["s"], c.g.get("mod")), int(c.g["y"]), ctx, "season")


def _season_rel(c: Cand, ctx: Context) -> Resolved | None:
    a = ctx.anchor
    if a is None:
        return Resolved(None, None, "season", None, flags=["unanchored"])
    rel = c.g["rel"].lower()
    build = _season_builder(c.g["s"], None)
    y = a.year + _REL_YEAR[rel]
    if rel in ("last", "past") and build(a.year)[1] < a:
        y = a.year
    return Resolved(*build(y), "season", "document")


def _decade(c: Cand, ctx: Context) -> Resolved | None:
    g = c.g
    y0 = int(g["c"] + g["dd"] + "0")
    s, e = _modify(date(y0, 1, 1), date(y0 + 9, 12, 31), g.get("mod"), "decade")
    return Resolved(s, e, "range", None, True, attrs={"unit": "decade"})


def _year(c: Cand, ctx: Context) -> Resolved | None:
    y = int(c.g["y"])
    s, e = _modify(date(y, 1, 1), date(y, 12, 31), c.g.get("mod"), "year")
    return Resolved(s, e, "year", None, True)


def _year_range(c: Cand, ctx: Context) -> Resolved | None:
    g = c.g
    y1 = int(g["y1"])
    y2 = int(g["y2"]) if len(g["y2"]) == 4 else int(g["y1"][:2] + g["y2"])
    if y2 <= y1 or y2 - y1 > 50:
        return None
    return Resolved(date(y1, 1, 1), date(y2, 12, 31), "range", None, True)


def _range(c: Cand, ctx: Context) -> Resolved | None:
    """"between X and Y": Y first, so a yearless X takes Y's explicit year."""
    rb = resolve_cand(c.g["b"], ctx)
    ctx_a = ctx
    if rb and rb.start and rb.explicit_year:
        ctx_a = Context(**{**ctx.__dict__, "ref_year": rb.start.year, "ref_id": None})
    ra = resolve_cand(c.g["a"], ctx_a)
    if not (ra and rb and ra.start and rb.end) or ra.start > rb.end:
        return None
    return Resolved(ra.start, rb.end, "range", ra.anchor or rb.anchor,
                    ra.explicit_year or rb.explicit_year)


def _vague(c: Cand, ctx: Context) -> Resolved | None:
    return Resolved(None, None, "vague", None, flags=["unresolved"])


def _duration(c: Cand, ctx: Context) -> Resolved | None:
    attrs = {}
    if c.kind == "duration":
        attrs = {"amount": _num(c.g["n"]), "unit": c.g["u"].lower().rstrip("s")}
    return Resolved(None, None, "duration", None, attrs=attrs)


def _relday(c: Cand, ctx: Context) -> Resolved | None:
    n = {"yesterday": -1, "today": 0, "tonight": 0, "tomorrow": 1}[c.g["w"].lower()]
    x = ctx.anchor + timedelta(days=n)
    return Resolved(x, x, "day", "document")


def _relunit(c: Cand, ctx: Context) -> Resolved | None:
    a = ctx.anchor
    w, u = c.g["w"].lower(), c.g["u"].lower()
    n = {"this": 0, "last": -1, "previous": -1, "next": 1, "coming": 1}[w]
    r = _unit_interval(a, u, n, "document")
    early = (c.g.get("early") or "").lower()
    if n == 0 and early and r.start and r.end:  # "earlier this year": up to the anchor
        r.start, r.end = (r.start, a) if early == "earlier" else (a, r.end)
        r.gran = "range"
    return r


def _following(c: Cand, ctx: Context) -> Resolved | None:
    ref, ref_id = ctx.ref_point or (ctx.anchor, "document")
    n = 1 if c.g["w"].lower() in ("following", "next") else -1
    return _unit_interval(ref, c.g["u"].lower(), n, ref_id)


def _weekday(c: Cand, ctx: Context) -> Resolved | None:
    a = ctx.anchor
    wd, w = WEEKDAYS[c.g["wd"].lower()], (c.g.get("w") or "").lower()
    back = (a.weekday() - wd) % 7
    fwd = (wd - a.weekday()) % 7
    if w in ("last", "past"):
        x = a - timedelta(days=back or 7)
    elif w == "next":
        x = a + timedelta(days=fwd or 7)
    elif w == "this" or ctx.tense == "future":
        x = a + timedelta(days=fwd)
    else:  # a bare weekday in past or present tense: the last one
        x = a - timedelta(days=back)
    return Resolved(x, x, "day", "document")


def _ago(c: Cand, ctx: Context) -> Resolved | None:
    n, u = _num(c.g["n"]) or 1, c.g["u"].lower().rstrip("s")
    return _unit_interval(ctx.anchor, u, -n, "document", exact=True)


def _past_n(c: Cand, ctx: Context) -> Resolved | None:
    a = ctx.anchor
    n, u = _num(c.g.get("n")) or 1, c.g["u"].lower().rstrip("s")
    return Resolved(shift(a, -n, u), a, "range", "document", attrs={"unit": u, "amount": n})


def _offset(c: Cand, ctx: Context) -> Resolved | None:
    g = c.g
    ref, ref_id = ctx.ref_point or (ctx.anchor, "document")
    if c.kind == "day_rel":
        n, u = 1, ("week" if "week" in g["w"].lower() else "day")
    else:
        n, u = _num(g["n"]) or 1, g["u"].lower().rstrip("s")
    sign = -1 if g["rel"].lower().split()[0] in ("before", "earlier", "prior", "ahead") else 1
    return _unit_interval(ref, u, sign * n, ref_id, exact=True)


def _not_a_date(c: Cand, ctx: Context) -> Resolved | None:
    return None


# Resolvers of candidates that need no document date (read as written) ...
_ABSOLUTE: dict[str, Any] = {
    "iso": _iso, "numeric": _numeric, "mdy": _month_day, "dmy": _month_day,
    "week_of": _month_day, "md_item": _month_day, "md_range": _day_range,
    "dm_range": _day_range, "my": _month, "mon": _month, "season": _season,
    "season_rel": _season_rel, "decade": _decade, "year": _year, "year_mod": _year,
    "year_range": _year_range, "year_dash": _year_range, "range": _range,
    "age": _not_a_date, "vague": _vague, "duration": _duration, "decades": _duration,
}
# ... and of those counted from the document date (or a reference point).
_RELATIVE: dict[str, Any] = {
    "relday": _relday, "relunit": _relunit, "following": _following, "weekday": _weekday,
    "ago": _ago, "past_n": _past_n, "offset": _offset, "day_rel": _offset,
}


def resolve_cand(c: Cand, ctx: Context) -> Resolved | None:
    """Resolve one candidate; None when it is not a date at all.

    Each kind has one resolver; a relative kind without a document date is kept,
    flagged "unanchored", so that it still counts as a time expression.
    """
    absolute = _ABSOLUTE.get(c.kind)
    if absolute is not None:
        return absolute(c, ctx)
    if ctx.anchor is None:
        u = (c.g.get("u") or "day").lower()
        gran = {"relunit": u, "following": u, "past_n": "range"}.get(c.kind, "day")
        return Resolved(None, None, gran, None, flags=["unanchored"])
    relative = _RELATIVE.get(c.kind)
    return relative(c, ctx) if relative is not None else None


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
        x = add_months(ref, n)
        return Resolved(x.replace(day=1), month_end(x.year, x.month), "month", anchor)
    x = shift(ref, n, unit)
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
