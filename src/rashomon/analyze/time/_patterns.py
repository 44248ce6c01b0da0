"""The date patterns and the scan that finds their matches.

Split from :mod:`rashomon.analyze.time._grammar` (which turns matches into
candidates and resolves them): the vocabulary, the regexes, and the fast scan.

Each pattern is tried only at the words it can begin with (``FIRST_WORDS``:
"the", a month, a digit...), found in one pass over the text.  That gives
exactly the matches of a full ``finditer`` scan at a fraction of the cost,
because the patterns open at a word start and their first element consumes
that whole word.  :func:`first_word_violations` checks the premise on any
text (tests and ``scripts/equivalence.py`` run it).

Patterns are compiled by :func:`_rx`, anchored at word starts, which keeps the
patterns that open with an optional modifier fast.
"""

from __future__ import annotations

import calendar
import re
from functools import lru_cache

from rashomon import data as rdata
from rashomon.text import MONTHS

# ---------------------------------------------------------------------------
# vocabulary
WEEKDAYS = {d.lower(): i for i, d in enumerate(calendar.day_name)}
_UNITS_W = tuple(rdata.section("dates.yaml", "number_units"))
_TEENS_W = tuple(rdata.section("dates.yaml", "number_teens"))
_TENS_W = tuple(rdata.section("dates.yaml", "number_tens"))
NUMBERS = {w: i + 1 for i, w in enumerate(_UNITS_W)}
NUMBERS.update({w: i + 10 for i, w in enumerate(_TEENS_W)})
NUMBERS.update({w: 10 * (i + 2) for i, w in enumerate(_TENS_W)})
NUMBERS.update({"a": 1, "an": 1, "few": 3, "several": 3, "couple": 2})
SCALES = {"hundred": 100, "thousand": 1000}
SEASONS = {k: tuple(v) for k, v in rdata.section("dates.yaml", "seasons").items()}

_MON = (r"(?:(?:January|February|March|April|May|June|July|August|September|October|November"
        r"|December)\b|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\b\.?)")
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:1[6-9]\d\d|20\d\d)"
# Spelled-out cardinals, compounds included: "forty-three", "twenty one", "a hundred",
# "two hundred and fifty".  Longest alternatives first; word ends checked so "seven"
# never matches inside "seventeen".  The first-letter lookahead is for speed: it
# spares the long alternation at every word start that cannot begin a number.
_W_UNIT = "|".join(_UNITS_W)
_W_SMALL = (rf"(?:(?:{'|'.join(_TENS_W)})(?:[\s-]+(?:{_W_UNIT})\b|\b)"
            rf"|(?:{'|'.join(_TEENS_W)}|{_W_UNIT})\b)")
_NUMWORD = (rf"(?=[aefnostAEFNOST])(?i:(?:(?:a|an|{_W_SMALL})[\s-]+(?:hundred|thousand)\b"
            rf"(?:[\s-]+(?:and[\s-]+)?{_W_SMALL})?)|{_W_SMALL})")
_NUM = (rf"(?=[\dacefnostACEFNOST])(?:{_NUMWORD}"
        r"|(?i:\d+|a\s+few|a\s+couple\s+of|couple\s+of|a|an|few|several))")
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
                     rf"|less\s+than|fewer\s+than|up\s+to)[\s-]+)?\b(?P<n>\d+|{_NUMWORD}"
                     r"|(?i:several|many|a\s+few|few|a\s+couple\s+of))[\s-]+"
                     r"(?P<u>(?i:days?|weeks?|months?|years?|decades?|hours?|minutes?))"
                     r"(?:[\s-]+(?i:long))?\b")),
    ("decades", _rx(r"\b(?i:(?:the\s+)?(?:decades|years|centuries))\b(?!\s*(?:ago|old))")),
]
# Cheap necessary conditions: a pattern whose gate finds nothing in the text cannot
# match there, so its slow full scan is skipped.  Each gate is a piece of the
# pattern it guards, with the same flags, so skipping never changes the result.
GATES: dict[str, re.Pattern[str]] = {
    "numeric": re.compile(r"\d[./][01]?\d"),
    "decade": re.compile(r"(?:1[6-9]|20)\d0['’]?s\b"),
    "ago": re.compile(r"(?i:ago)\b"),
    "offset": re.compile(rf"(?i:days?|weeks?|months?|years?)\s+(?P<rel>{_OFFSET_REL})"),
    "age": re.compile(r"[\s-](?i:years?|months?)[\s-](?i:old)\b"),
}

# First words.  Every pattern but "numeric" begins at a word start (``_rx``) and
# its first element always consumes that whole word (it is followed by a space,
# a hyphen, a comma or a word end).  So a match can only begin at a word whose
# case-folded form is one of the pattern's first words, or, for patterns that
# open with a digit, at a word starting with a decimal digit.  Trying the
# pattern only at those words gives exactly what scanning every position gives,
# at a small fraction of the cost (see :func:`pattern_matches`).
_MOD_W = frozenset({"early", "mid", "late", "the", "end", "beginning", "start", "middle",
                    "first", "second"})
_MON_W = frozenset(MONTHS)
_PREP_W = frozenset({"in", "since", "until", "till", "by", "from", "of", "before", "after",
                     "during", "through", "around", "circa", "to", "and"})
_REL_W = frozenset({"last", "next", "this", "past"})
_SEASON_W = frozenset(SEASONS)
_NUM_W = frozenset({*NUMBERS, "couple"})
_DIGIT = "<digit>"  # stands for "a word starting with a decimal digit"
FIRST_WORDS: dict[str, frozenset[str]] = {
    "iso": frozenset({_DIGIT}),
    "md_range": _MON_W,
    "dm_range": frozenset({_DIGIT}),
    "md_list": _MON_W,
    "mdy": _MOD_W | _MON_W,
    "dmy": frozenset({_DIGIT}),
    "my": _MOD_W | _MON_W,
    "mon": _PREP_W | _MOD_W | _REL_W,
    "season": _MOD_W | _SEASON_W,
    "season_rel": _REL_W,
    "decade": _MOD_W | {_DIGIT},
    "year_range": frozenset({"between", "from"}),
    "year_dash": frozenset({_DIGIT}),
    "year_mod": _MOD_W,
    "year": _PREP_W,
    "week_of": frozenset({"the"}),
    "relday": frozenset({"yesterday", "today", "tomorrow", "tonight"}),
    "relunit": frozenset({"earlier", "later", "this", "last", "next", "coming", "previous"}),
    "following": frozenset({"the"}),
    "weekday": _REL_W | frozenset(WEEKDAYS),
    "ago": _NUM_W | {_DIGIT},
    "past_n": frozenset({"the"}),
    "offset": _NUM_W | {_DIGIT},
    "day_rel": frozenset({"the", "a"}),
    "age": _NUM_W | {_DIGIT},
    "duration": _NUM_W | {_DIGIT, "many", "about", "almost", "nearly", "more", "over", "some",
                          "around", "at", "less", "fewer", "up"},
    "decades": frozenset({"the", "decades", "years", "centuries"}),
}
_WORD = re.compile(r"\w+")
# Characters that case-insensitive matching equates with an ASCII letter although
# str.lower() does not map them onto it (Python re documentation, IGNORECASE).
_FOLD = str.maketrans({"\u017f": "s", "\u212a": "k", "\u0130": "i", "\u0131": "i"})
_PATTERN_RX = dict(PATTERNS)
_ORDER = {name: i for i, (name, _rx_) in enumerate(PATTERNS)}
# first word -> the patterns that may begin with it, in PATTERNS order
_BY_FIRST: dict[str, tuple[str, ...]] = {}
for _name, _words in sorted(FIRST_WORDS.items(), key=lambda kv: _ORDER[kv[0]]):
    for _w in _words:
        _BY_FIRST[_w] = (*_BY_FIRST.get(_w, ()), _name)


def _first_words(text: str) -> list[tuple[int, str]]:
    """(offset, key) of each word of ``text`` that some pattern may begin with, in order.

    The key is the case-folded word, or ``_DIGIT`` for a word opening with a digit.
    """
    out = []
    for m in _WORD.finditer(text):
        w = m.group()
        if w[0].isdecimal():
            out.append((m.start(), _DIGIT))
            continue
        k = w.lower()
        if k not in _BY_FIRST and not w.isascii():
            k = w.translate(_FOLD).lower()
        if k in _BY_FIRST:
            out.append((m.start(), k))
    return out


@lru_cache(maxsize=4)
def _scan(text: str) -> dict[str, tuple[re.Match[str], ...]]:
    """``tuple(rx.finditer(text))`` for every pattern with first words, in one walk.

    ``finditer`` returns, from each position, the leftmost match at or after it;
    a match can only start at one of the pattern's first words, and
    ``rx.match(text, p)`` there is the match the scan would find there
    (look-behinds see the text before ``p``).  So walking the first words in
    text order and trying each pattern where it may begin, past its previous
    match, gives exactly the matches of the full scan.  An empty match (where
    ``finditer`` would retry at the same position) sends that pattern to the
    full scan.  Cached for the few texts in flight: the layer counts some
    patterns again after finding candidates.
    """
    found: dict[str, list[re.Match[str]]] = {name: [] for name in FIRST_WORDS}
    pos = dict.fromkeys(FIRST_WORDS, 0)
    full: set[str] = set()
    for p, k in _first_words(text):
        for name in _BY_FIRST[k]:
            if p < pos[name]:
                continue
            m = _PATTERN_RX[name].match(text, p)
            if m is not None:
                end = m.end()
                if end == p:
                    full.add(name)
                found[name].append(m)
                pos[name] = end if end > p else p + 1
    for name in full:
        found[name] = list(_PATTERN_RX[name].finditer(text))
    return {name: tuple(ms) for name, ms in found.items()}


def pattern_matches(name: str, text: str) -> tuple[re.Match[str], ...]:
    """The matches of pattern ``name`` in ``text``: those of ``finditer``, faster."""
    if name in FIRST_WORDS:
        return _scan(text)[name]
    return tuple(_PATTERN_RX[name].finditer(text))



def first_word_violations(text: str) -> list[tuple[str, int]]:
    """(pattern, offset) wherever a pattern matches off its first words (should be none).

    The check behind :func:`pattern_matches`, for tests: tries every pattern at
    every position of ``text``.  Slow; not used by the layer.
    """
    starts: dict[str, set[int]] = {}
    for p, k in _first_words(text):
        for name in _BY_FIRST[k]:
            starts.setdefault(name, set()).add(p)
    bad = []
    for name in FIRST_WORDS:
        rx, ok = _PATTERN_RX[name], starts.get(name, set())
        bad += [(name, p) for p in range(len(text)) if p not in ok and rx.match(text, p)]
    return bad
