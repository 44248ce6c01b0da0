"""Document metadata: what the input said, else what the page itself reveals.

Precedence is fixed: metadata given with the input (manifest, JSON Lines,
feed, HTML markup as read) wins; what the cleaner learned from the text fills
the gaps.  Three fields are inferred when missing, each with its evidence:

* ``publisher``/``side``: outlet names seen in site chrome, the author bio or
  the URL, matched against the profile's source registry (or, with no profile,
  every bundled profile's, for the name only), else the outlet the text names
  itself (:func:`detect_outlet`: a dateline's agency, an outlet byline, a
  "Source:" line, the outlet's staff credit or its references to its own
  reporting), each with ``x_publisher_evidence`` and ``x_publisher_confidence``.
  Side comes only from the registry of a profile the user chose: code has no
  opinion about outlets.  A registry side of "unknown" (an aggregator, say)
  gives ``side=None``: unknown is the absence of a side, not a third party.
* ``language``: a small stopword and script detector (no extra dependency).
* ``published``: a dateline's or byline's date (:func:`detect_published`), else
  inferred from dates in the text (see :func:`infer_published`).  Either is
  flagged ``published_inferred=True`` with human-readable evidence and an
  ``x_published_confidence``; a date the text only bounds is kept as
  ``x_published_after``, a yearless dateline as ``x_published_partial``.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

from rashomon import data as rdata
from rashomon.ingest.chrome import agency_markers
from rashomon.ingest.items import Cleaned, RawItem
from rashomon.profiles import Profile, bundled_profile_names, load_profile
from rashomon.text import month_number, read_numeric, safe_date, shift

FIELDS = ("title", "publisher", "author", "url", "published", "language", "side")

# ---------------------------------------------------------------------------------------------
# Language


_STOPWORDS: dict[str, set[str]] = {
    "en": set("the of and to in is that for it was on with as by at from this be have are "
              "not but which has were an they their said".split()),
    "fr": set("le la les des et est une du que dans pour qui sur au pas par ce il sont avec "
              "aux mais ont cette".split()),
    "de": set("der die und das ist nicht den mit von zu sich des auf für ein eine dem im "
              "wird auch sind wurde".split()),
    "es": set("el la los las de que y en del por con una para es se al lo como más pero "
              "sus fue".split()),
    "it": set("il di che la per non una sono del della gli nel alla anche come con dei ed "
              "è le".split()),
    "pt": set("o os de que e do da em um uma para com não as dos das se por mais ao foi "
              "pelo".split()),
    "nl": set("de het een en van is dat niet op te zijn met voor die er ook aan maar wordt "
              "werd".split()),
    "tr": set("ve bir bu için ile da de olarak çok daha ama gibi olan ancak kadar sonra "
              "değil".split()),
    "az": set("və bir bu üçün ilə də olan kimi isə daha sonra həm ki edib olub".split()),
    "ru": set("и в не на что с по как это он она его к из за от для но так же было".split()),
    "uk": set("і в не на що з як це та до від для але він вона його було за також".split()),
}
_SCRIPTS = (
    ("hy", 0x0530, 0x058F), ("ka", 0x10A0, 0x10FF), ("ar", 0x0600, 0x06FF),
    ("he", 0x0590, 0x05FF), ("el", 0x0370, 0x03FF), ("ko", 0xAC00, 0xD7AF),
    ("ja", 0x3040, 0x30FF), ("zh", 0x4E00, 0x9FFF),
)


def _script_counts(sample: str) -> tuple[dict[str, int], int]:
    """Letters per non-Latin script (by language code), and Cyrillic letters apart."""
    counts: dict[str, int] = {}
    cyr = 0
    non_latin = [] if sample.isascii() else [c for c in sample if ord(c) > 0x024F and c.isalpha()]
    for c in non_latin:
        o = ord(c)
        if 0x0400 <= o <= 0x04FF:
            cyr += 1
            continue
        for code, lo, hi in _SCRIPTS:
            if lo <= o <= hi:
                counts[code] = counts.get(code, 0) + 1
                break
    return counts, cyr


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, or None when too little text to tell.

    Non-Latin scripts decide by script (Cyrillic then by stopwords); Latin
    text by the share of each language's commonest words.
    """
    sample = text[:5000]  # a few paragraphs decide; scanning more only costs time
    n_letters = sum(map(str.isalpha, sample))
    if n_letters < 20:
        return None
    counts, cyr = _script_counts(sample)
    best_script = max(counts.items(), key=lambda kv: kv[1]) if counts else None
    words = re.findall(r"\w+", sample.lower())
    if best_script and best_script[1] > n_letters / 2:
        return best_script[0]
    pool = ("ru", "uk") if cyr > n_letters / 2 else tuple(
        k for k in _STOPWORDS if k not in ("ru", "uk"))
    scores = {k: sum(1 for w in words if w in _STOPWORDS[k]) for k in pool}
    lang, hits = max(scores.items(), key=lambda kv: kv[1])
    if hits < 3 or hits < 0.05 * len(words):
        return None
    return lang


# ---------------------------------------------------------------------------------------------
# Dates in text

_MON = (r"(?P<mon>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
        r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
_YEAR = r"(?P<y>(?:19|20)\d{2})"
_DAY = r"(?P<d>[0-3]?\d)(?:st|nd|rd|th)?"
_DAY2 = r"(?:\s*(?:-|–|and|&)\s*(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?)?"
_DATE_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("mdy", re.compile(rf"\b{_MON}\s+{_DAY}{_DAY2},?\s+{_YEAR}\b", re.IGNORECASE)),
    ("dmy", re.compile(rf"\b{_DAY}{_DAY2}\s+(?:of\s+)?{_MON},?\s+{_YEAR}\b", re.IGNORECASE)),
    ("iso", re.compile(r"\b(?P<y>(?:19|20)\d{2})-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b")),
    ("num", re.compile(r"\b(?P<d>[0-3]?\d)(?P<sep>[./])(?P<m>[01]?\d)(?P=sep)(?P<y>(?:19|20)\d{2})\b")),
    ("my", re.compile(rf"\b{_MON},?\s+{_YEAR}\b", re.IGNORECASE)),
    ("md", re.compile(rf"\b{_MON}\s+{_DAY}{_DAY2}\b(?![\d:]|\s*,?\s*(?:19|20)\d\d)", re.IGNORECASE)),
    ("dm", re.compile(rf"\b{_DAY}{_DAY2}\s+(?:of\s+)?{_MON}\b(?!,?\s+(?:19|20)\d\d)", re.IGNORECASE)),
]

# Words right before a date that make it a deadline or plan, not a past report.
_FUTURE_BEFORE = re.compile(
    r"\b(?:before|until|till|by|no later than|deadline(?: of)?|due(?: on| by)?|"
    r"scheduled (?:for|on)|expected (?:on|by)|set for|planned for)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_FUTURE_CLAUSE = re.compile(
    r"\b(?:will|shall|would|due to|expected to|scheduled|slated|plans? to|planned for|"
    r"(?:is|are|was|were) planned|planning to|intends? to|set to)\b",
    re.IGNORECASE,
)
# Words right after a date that make it a target ("its November 22 release date").
_FUTURE_AFTER = re.compile(r"^\W{0,3}(?:release date|deadline|target date|launch date)\b",
                           re.IGNORECASE)
_PRESENT_BEFORE = re.compile(r"\b(?:as of|as at|to date|so far|currently|now|until now)\W*$",
                             re.IGNORECASE)
_START_BEFORE = re.compile(
    r"\b(?:start(?:ed|s)?|began|begun|beginning|since|launched|imposed|introduced|"
    r"commenced|erupted|broke out)\b[^.;!?,]{0,60}$",
    re.IGNORECASE,
)
_NUM_WORDS = dict(rdata.section("dates.yaml", "duration_numbers"))
_DURATION = re.compile(
    r"\b(?P<q>over|more than|almost|nearly|about|around|at least|some)?[\s-]*"
    r"(?P<n>\d{1,3}|" + "|".join(_NUM_WORDS) + r")[\s-]+(?P<u>day|week|month|year)s?"
    r"(?P<long>[\s-]+long)?(?:\s+(?P<noun>[a-z]+))?",
    re.IGNORECASE,
)
_ONGOING = re.compile(r"\bnow\b|\bongoing\b|\bso far\b|\bhas been\b|\bhave been\b", re.IGNORECASE)
# Words after a duration that are not the thing that lasts ("eight months now").
_NOT_NOUNS = frozenset(rdata.section("dates.yaml", "not_duration_nouns"))


@dataclass(frozen=True)
class PublishedParams:
    """Thresholds of publication-date inference (:func:`infer_published`).

    outlier_gap_days: a latest date this far after the others is taken for a typo ...
    outlier_min_others: ... when at least this many other dates back the rest.
    duration_max_ahead_days: an ongoing-duration estimate ("for eight months now") may
        move the date at most this far past the latest dated reference.
    """

    outlier_gap_days: int = 5 * 365
    outlier_min_others: int = 4
    duration_max_ahead_days: int = 365


PARAMS = PublishedParams()


@dataclass
class DateRef:
    """A date written in the text, resolved (or not yet, for undated 'May 24')."""

    start: int
    end: int
    text: str
    date: dt.date | None
    granularity: str  # day, month, monthday (no year)
    month: int = 0
    day: int = 0
    future: bool = False
    present: bool = False
    start_of: bool = False


def find_dates(text: str) -> list[DateRef]:
    """Every explicit date in ``text`` with its context flags (future, present, start)."""
    taken: list[tuple[int, int]] = []
    refs: list[DateRef] = []
    for kind, rx in _DATE_PATTERNS:
        for m in rx.finditer(text):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            gd = m.groupdict()
            mon_txt = gd.get("mon")
            if mon_txt and not mon_txt[0].isupper():
                continue  # "may", "march" as words
            month = month_number(mon_txt) if mon_txt else int(gd.get("m") or 0)
            if kind == "num":
                # the shared reading rule; a reading that rests only on the month-first
                # default is declined: a guessed month would misdate the document
                r = read_numeric(int(gd["d"]), int(gd["m"]), gd["sep"])
                if r.basis == "default":
                    continue
                month, gd = r.month, {**gd, "d": str(r.day)}
            if not month:
                continue
            if kind in ("md", "dm"):
                day = int(gd["d"])
                if not 1 <= day <= 31:
                    continue
                ref = DateRef(m.start(), m.end(), m.group(0), None, "monthday", month, day)
            elif kind == "my":
                ref = DateRef(m.start(), m.end(), m.group(0), safe_date(int(gd["y"]), month, 1), "month",
                              month)
            else:
                date = safe_date(int(gd["y"]), month, int(gd["d"]))
                if date is None:
                    continue
                if gd.get("d2"):
                    date = safe_date(int(gd["y"]), month, int(gd["d2"])) or date
                ref = DateRef(m.start(), m.end(), m.group(0), date, "day", month, date.day)
            _flag(text, ref)
            taken.append((m.start(), m.end()))
            refs.append(ref)
    refs.sort(key=lambda r: r.start)
    return refs


@functools.lru_cache(maxsize=4)
def _dates_of(text: str) -> tuple[DateRef, ...]:
    """:func:`find_dates`, remembered for the last few texts: inferring the date and
    checking it against the lead read the same text, and scanning it is the costliest
    step of building metadata.  Callers must not change the references."""
    return tuple(find_dates(text))


def _flag(text: str, ref: DateRef) -> None:
    before = text[max(0, ref.start - 80) : ref.start]
    clause = re.split(r"[.;!?\n]\s", before)[-1]
    ref.future = bool(_FUTURE_BEFORE.search(before[-40:]) or _FUTURE_CLAUSE.search(clause)
                      or _FUTURE_AFTER.search(text[ref.end : ref.end + 20]))
    ref.present = bool(_PRESENT_BEFORE.search(before[-20:]))
    ref.start_of = bool(_START_BEFORE.search(clause))


@dataclass
class Inferred:
    """An inferred publication date with its evidence; ``date`` None means "declined"."""

    date: dt.date | None
    evidence: str


_BARE_YEAR = re.compile(r"(?<![\w/.-])(?P<y>(?:19|20)\d{2})(?![\w/%-]|\.\d)")
_RELATIVE_DAY = re.compile(
    r"\b(?:(?:last|this|past)\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|"
    r"week|month)|yesterday|the day before yesterday)\b", re.IGNORECASE)


_PLAN_NOUN = re.compile(r"^\W{0,3}(?:target|goal|deadline|plan|vision|agenda|strategy)",
                        re.IGNORECASE)


def _one_digit_fixes(year: int, lo: int, hi: int) -> list[int]:
    """Years in [lo, hi] that differ from ``year`` in exactly one digit (the timex typo rule)."""
    s = str(year)
    out = []
    for i, ch in enumerate(s):
        for d in "0123456789":
            if d != ch:
                y = int(s[:i] + d + s[i + 1:])
                if lo <= y <= hi and len(str(y)) == 4:
                    out.append(y)
    return sorted(out)


def _lone_date_conflict(text: str, refs: list[DateRef], only: DateRef,
                        today: dt.date) -> str | None:
    """Why the document's only full date cannot be trusted, or None if it can.

    The date is doubted when (a) the text also has yearless references (month-day
    dates, "last Tuesday") that need a year from somewhere, (b) it cites years, outside
    any plan or deadline, later than the date's own year (events the text reports
    cannot postdate it by years), and (c) a one-digit fix of the date's year, as the
    time layer would suggest, lands on the cited years.  Then the year is most likely
    a typo, and publishing it would misplace every yearless date in the text.
    """
    assert only.date is not None
    yearless = [r for r in refs if r.granularity == "monthday" and not r.future]
    relative = _RELATIVE_DAY.findall(text)
    if len(yearless) + len(relative) < 2:
        return None
    cited = []
    for m in _BARE_YEAR.finditer(text):
        if any(r.start <= m.start() < r.end for r in refs):
            continue
        before = text[max(0, m.start() - 80):m.start()]
        clause = re.split(r"[.;!?\n]\s", before)[-1]
        after = re.split(r"[.;!?\n]", text[m.end():m.end() + 60])[0]
        if (_FUTURE_BEFORE.search(before[-40:]) or _FUTURE_CLAUSE.search(clause)
                or _FUTURE_CLAUSE.search(after) or _PLAN_NOUN.match(after)):
            continue
        y = int(m.group("y"))
        if y <= today.year:
            cited.append(y)
    later = [y for y in cited if y > only.date.year + 1]
    if not later:
        return None
    top = max(later)
    fixes = _one_digit_fixes(only.date.year, top, min(top + 1, today.year))
    if not fixes:
        return None
    return (f"declined: the only full date '{only.text}' ({only.date.isoformat()}) conflicts "
            f"with the text's other references ({len(yearless)} yearless date(s), "
            f"{len(relative)} relative day(s), cited year(s) {sorted(set(later))}); a one-digit "
            f"year typo ({only.date.year} -> {fixes[0]}) would explain it, so no year is guessed")


def infer_published(text: str, extra: str = "", today: dt.date | None = None) -> Inferred | None:
    """Estimate when a text was published from the dates it mentions.

    ``text`` is the body; ``extra`` is text that cites earlier material (the
    endnotes), whose dates also bound publication from below.  Comments are
    never given: they are written later.

    1. Fully dated references (day+month+year, or month+year) that are not in
       a deadline/plan context ("before January 1, 2024", "will ... by") and
       not in the future of ``today``.
    2. Outliers are dropped: a latest date far after all others (a typo), and
       noted: "as of"/"currently" dates far before the rest.
    3. The latest remaining date is the anchor; undated "Month Day" references
       later in the anchor's year refine it ("this August 25 interview").
    1b. A document whose only full date is doubtful is given no date at all
       (``Inferred(None, evidence)``); see :func:`_lone_date_conflict`.
    4. An ongoing duration ("For almost eight months now", "now
       over-eight-month blockade") plus a dated start in the same text ("started
       on December 12, 2022") gives start + duration, if it is plausible.
    """
    today = today or dt.date.today()
    full = text + ("\n" + extra if extra else "")
    refs = list(_dates_of(full))
    usable, notes = _usable_dates(refs, today)
    if not usable:
        return None
    if len(usable) == 1 and usable[0].granularity == "day":
        why = _lone_date_conflict(full, refs, usable[0], today)
        if why:
            return Inferred(None, "; ".join([why, *notes]))
    _drop_outliers(usable, notes)
    anchor = usable[-1]
    best: dt.date = anchor.date  # type: ignore[assignment]
    parts = [f"latest dated reference '{anchor.text}' ({best.isoformat()})"]
    for r in usable:
        if r.present and (best - r.date).days > 365:  # type: ignore[operator]
            notes.append(f"ignored implausible '{r.text}' ({r.date.isoformat()}): "  # type: ignore[union-attr]
                         f"present-tense date far before the other dates")
    # 3. undated month-day references in the anchor's year
    later = _later_undated(refs, best, today)
    if later:
        d, r = later
        parts.append(f"later undated reference '{r.text}' -> {d.isoformat()}")
        best = d
    # 4. ongoing duration since a dated start
    dur = _duration_estimate(full, refs, best, today)
    if dur:
        est, desc = dur
        if est > best:
            parts.append(desc)
            best = est
    if "this year" in text.lower():
        parts.append(f"'this year' read as {best.year}")
    return Inferred(best, "; ".join(parts + notes))


def _usable_dates(refs: list[DateRef], today: dt.date) -> tuple[list[DateRef], list[str]]:
    """Dated references (day or month) that may bound publication, and notes on the
    deadlines and plans left out."""
    dated = [r for r in refs if r.date and r.granularity in ("day", "month")]
    usable = [r for r in dated if not r.future and r.date <= today]  # type: ignore[operator]
    notes = [f"ignored deadline/plan '{r.text}'" for r in dated if r.future]
    return usable, notes


def _drop_outliers(usable: list[DateRef], notes: list[str]) -> None:
    """Sort the dated references and drop a latest one far after all others (a typo)."""
    usable.sort(key=lambda r: r.date)  # type: ignore[arg-type,return-value]
    while (len(usable) > PARAMS.outlier_min_others
           and (usable[-1].date - usable[-2].date).days > PARAMS.outlier_gap_days):  # type: ignore[operator]
        notes.append(f"ignored outlier '{usable[-1].text}' (far after every other date)")
        usable.pop()


def _later_undated(refs: list[DateRef], best: dt.date,
                   today: dt.date) -> tuple[dt.date, DateRef] | None:
    """The latest yearless "Month Day" reference after ``best`` in its year, if any."""
    later = []
    for r in refs:
        if r.granularity != "monthday" or r.future:
            continue
        d = safe_date(best.year, r.month, r.day)
        if d and best < d <= today:
            later.append((d, r))
    return max(later, key=lambda x: x[0]) if later else None


def _duration_start(text: str, m: re.Match[str], starts: list[DateRef]) -> DateRef | None:
    """The dated start a duration counts from: the last before it, else the first after
    it; with a thing that lasts ("a 5-month-long blockade"), one in a sentence naming it."""
    noun = (m.group("noun") or "").lower()
    pool = starts
    if len(noun) > 3 and noun not in _NOT_NOUNS:
        pool = [s for s in starts if noun in _sentence(text, s.start).lower()]
        if not pool:
            return None
    before = [s for s in pool if s.start < m.start()]
    return max(before, key=lambda s: s.start) if before else min(pool, key=lambda s: s.start)


def _duration_estimate(text: str, refs: list[DateRef], anchor: dt.date,
                       today: dt.date) -> tuple[dt.date, str] | None:
    starts = [r for r in refs if r.start_of and r.granularity == "day" and r.date]
    if not starts:
        return None
    found: list[tuple[dt.date, str]] = []
    for m in _DURATION.finditer(text):
        window = text[max(0, m.start() - 30) : m.end() + 15]
        if not (_ONGOING.search(window) or m.group("long")):
            continue
        n_txt = m.group("n").lower()
        n = int(n_txt) if n_txt.isdigit() else _NUM_WORDS[n_txt]
        start = _duration_start(text, m, starts)
        if start is None:
            continue
        try:
            est = shift(start.date, n, m.group("u"))  # type: ignore[arg-type]
        except (ValueError, OverflowError):
            continue
        if est > today or (est - anchor).days > PARAMS.duration_max_ahead_days:
            continue
        phrase = " ".join(m.group(0).split())
        q = (m.group("q") or "").lower()
        rel = "after" if q in ("over", "more than", "at least") else "about"
        found.append((est, f"'{phrase}' since {start.date.isoformat()} "  # type: ignore[union-attr]
                           f"('{start.text}') -> {rel} {est.isoformat()}"))
    return max(found, key=lambda f: f[0]) if found else None


def _sentence(text: str, pos: int) -> str:
    a = max(text.rfind(". ", 0, pos), text.rfind("\n", 0, pos)) + 1
    b_candidates = [x for x in (text.find(". ", pos), text.find("\n", pos)) if x != -1]
    return text[a : min(b_candidates) if b_candidates else len(text)]


def normalise_date(value: Any) -> str | None:
    """An ISO YYYY-MM-DD string from whatever the input gave (ISO, RFC 822, 'Mar 4, 2009')."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    s = str(value).strip()
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", s)
    if m and safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3))):
        return m.group(0)
    try:
        import dateparser

        parsed = dateparser.parse(s, settings={"PREFER_DAY_OF_MONTH": "first"})
    except Exception:  # dateparser raises assorted errors on odd strings
        parsed = None
    return parsed.date().isoformat() if parsed else None


# ---------------------------------------------------------------------------------------------
# Publisher


def _registries(profile: Profile | None) -> list[Profile]:
    if profile is not None:
        return [profile]
    return list(_bundled(tuple(bundled_profile_names())))


@functools.lru_cache(maxsize=4)
def _bundled(names: tuple[str, ...]) -> tuple[Profile, ...]:
    """Bundled profiles, loaded once per process (ingest calls this per document)."""
    out = []
    for name in names:
        try:
            out.append(load_profile(name))
        except Exception:  # a broken bundled profile must not stop ingest
            continue
    return tuple(out)


def match_source(clues: list[str], profile: Profile | None) -> tuple[dict[str, Any], str] | None:
    """The registered outlet named by the first clue that names one, with that clue."""
    for reg in _registries(profile):
        for clue in clues:
            src = reg.source_for(clue)
            if src:
                return src, clue
    return None


# Values that mean "no side": a registry may say so explicitly, but a document then has none.
_NO_SIDE = {"", "unknown", "none", "null", "n/a", "na", "?"}


def side_value(value: Any) -> str | None:
    """A side id, or None when the value means no side ("unknown" is not a side)."""
    if value is None:
        return None
    text = str(value).strip()
    return None if text.lower() in _NO_SIDE else text


def _domain(url: str | None) -> str | None:
    if not url:
        return None
    host = urlparse(url if "//" in url else "//" + url).hostname or ""
    return host[4:] if host.startswith("www.") else host or None


# ---------------------------------------------------------------------------------------------
# Outlet and date from the text itself (datelines, agency markers, bylines, source lines)

# "PRISTINA, Kosovo (AP) — ", "Belgrade, Sep 24 (EFE).- ", "LONDON, Oct 3 (Reuters) - ":
# a place in capitals or title case, an optional ", region/date" part, the agency in
# parentheses, then a dash, ".-" or a colon.
_PAREN_DATELINE = re.compile(
    r"(?P<place>[A-Z][\w.'’ -]{1,40}?)(?:,\s*(?P<rest>[^()\n]{1,60}?))?\s*"
    r"\((?P<agency>[A-Z][\w.&'’ -]{0,40})\)\s*(?:\.?\s*(?:—|–|--|-)|\.-|:)\s*")
# "BELGRADE, September 25. /TASS/. ": the agency between slashes after the date.
_SLASH_DATELINE = re.compile(
    r"(?P<place>[A-Z][\w.'’ -]{1,40}?),\s*(?P<rest>[^/\n]{1,40}?)\s*/(?P<agency>[A-Z][\w&-]{1,30})/\.?\s*")
# "CITY, Month Day — " / "CITY — ": a dateline without an agency (the date is still evidence).
_PLAIN_DATELINE = re.compile(
    r"(?P<place>[A-Z][A-Z.'’ -]{1,40}),\s*(?P<rest>[^—–\n]{3,40}?)\s*(?:—|–|--)\s+")
# "X's A B contributed to this report": the outlet's own staff.
_STAFF_CREDIT = re.compile(
    r"(?P<outlet>(?-i:[A-Z][\w&.\-]*(?:\s+[A-Z][\w&.\-]*){0,4}))(?:'s|’s|'|’)\s+"
    r"(?-i:[A-Z][\w.\-]+(?:\s+[A-Z][\w.\-]+){0,3})(?:,?\s+(?:and|&)\s+.{2,80}?)?\s+"
    r"contributed to this (?:report|story|article)\.?\s*$", re.IGNORECASE)


# A name in the text's own reporting: capitalised words with a few joiners.
_ONAME = r"(?-i:(?:The\s+)?[A-Z][\w&.\-]*(?:\s+(?:[A-Z][\w&.\-]*|of|and|&)){0,4})"
# Phrases in which an outlet speaks of its own reporting: strong ones name the
# outlet that did the asking or learning, weak ones ("told X") also cite others.
# Each phrase starts with a literal word, so the regex engine jumps between its
# occurrences instead of trying every position (every article is scanned).  Name-first
# phrases are found by their keyword, and the name is read backwards from it.
_SELF_BEFORE = [
    (re.compile(r"(?:'s|’s)\s+(?:repeated\s+)?requests?\s+for\s+comment"), False),
    (re.compile(r"has\s+(?:learned|confirmed|obtained|reached\s+out)\b"), True),
]
_NAME_AT_END = re.compile(rf"(?<![\w&.\-])(?P<o>{_ONAME})\s*$")
_SELF_STRONG = [re.compile(rf"{w}\s+by\s+(?P<o>{_ONAME})") for w in ("obtained", "seen",
                                                                      "reviewed")]
_SELF_WEAK = [re.compile(rf"{w}\s+(?P<o>{_ONAME})") for w in (
    "told", r"interview\s+with", r"peaking\s+(?:with|to)")]


def _outlet_shaped(name: str) -> bool:
    words = set(re.findall(r"[\w&.\-]+", name))
    return bool(words & _media_nouns()) or name in agency_markers()


@functools.lru_cache(maxsize=1)
def _media_nouns() -> frozenset[str]:
    return frozenset(str(w) for w in rdata.section("agencies.yaml", "media_nouns"))


def _self_reference(text: str) -> tuple[str, str, int] | None:
    """(outlet, example, score) for the outlet the text reports as itself, if one stands out.

    "did not respond to X's request for comment" scores 2 (only an outlet asks for
    comment); "X has learned", "obtained by X" 2 and "a source told X" 1, each only
    for an outlet-shaped name (:func:`_outlet_shaped`: texts also cite others and
    name investigators); the best name needs a score of 2 and a clear lead.
    """
    scores: dict[str, int] = {}
    example: dict[str, str] = {}

    def count(raw: str, weight: int, shaped: bool, phrase: str) -> None:
        name = re.sub(r"^the\s+", "", raw.strip().rstrip("."), flags=re.IGNORECASE)
        if name and (not shaped or _outlet_shaped(name)):
            scores[name] = scores.get(name, 0) + weight
            example.setdefault(name, phrase)

    for rx, shaped in _SELF_BEFORE:  # only an outlet asks for comment: no shape needed
        for k in rx.finditer(text):
            before = _NAME_AT_END.search(text, max(0, k.start() - 80), k.start())
            if before:
                count(before.group("o"), 2, shaped, text[before.start():k.end()])
    for rxs, weight in ((_SELF_STRONG, 2), (_SELF_WEAK, 1)):
        for rx in rxs:
            for m in rx.finditer(text):
                if m.start() and text[m.start() - 1].isalnum() and rx is not _SELF_WEAK[2]:
                    continue  # inside a word ("foretold")
                count(m.group("o"), weight, True, m.group(0))
    if not scores:
        return None
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    best, score = ranked[0]
    if score < 2 or (len(ranked) > 1 and ranked[1][1] * 2 > score):
        return None
    return best, example[best], score


@dataclass(frozen=True)
class OutletGuess:
    """An outlet read from the text: the name, where it was read and how sure.

    ``via`` names the kind of evidence (``dateline``, ``byline``, ``source line``,
    ``staff credit``, ``url``) and ``evidence`` quotes it.  Confidence is a fixed
    level per kind of evidence (see :data:`OUTLET_CONFIDENCE`), lowered when
    the name is not a known agency where an agency is expected.
    """

    name: str
    via: str
    evidence: str
    confidence: float


# How far each kind of evidence is trusted: a dateline with an agency marker is how
# wires sign their copy; a byline naming an outlet is nearly as direct; "Source: X"
# may be the page's source rather than its publisher; a domain is the site, which
# may republish others.
OUTLET_CONFIDENCE = {"dateline": 0.9, "byline": 0.85, "staff credit": 0.7,
                     "site chrome": 0.7, "source line": 0.6, "url": 0.5,
                     "self-reference": 0.5}
_UNKNOWN_AGENCY_FACTOR = 0.7


def _agency_name(token: str) -> str | None:
    """The agency a dateline's marker names ("AP" -> "Associated Press"), if known."""
    markers = agency_markers()
    token = token.strip().strip(".")
    if token in markers:
        return markers[token]
    for part in re.split(r"\s*[/,-]\s*|\s+", token):
        if part in markers:
            return markers[part]
    return None


@dataclass(frozen=True)
class Dateline:
    """A dateline found at a paragraph start: its text, place, date part and agency."""

    text: str
    place: str
    rest: str
    agency: str | None


def find_dateline(text: str, max_paragraphs: int = 3) -> Dateline | None:
    """The dateline opening one of the first paragraphs, with or without an agency."""
    for para in [p.strip() for p in text.split("\n") if p.strip()][:max_paragraphs]:
        head = para[:160]
        for rx in (_PAREN_DATELINE, _SLASH_DATELINE):
            m = rx.match(head)
            if m:
                return Dateline(m.group(0).strip(), m.group("place").strip(),
                                (m.group("rest") or "").strip(), m.group("agency").strip())
        m = _PLAIN_DATELINE.match(head)
        if m and find_dates(m.group("rest")):
            return Dateline(m.group(0).strip(), m.group("place").strip(), m.group("rest").strip(),
                            None)
    return None


def detect_outlet(text: str, meta: dict[str, Any] | None = None) -> OutletGuess | None:
    """The outlet the text itself names, with evidence; None when it names none.

    text: the cleaned body.  meta: what the cleaner kept apart (``x_byline_outlet``,
    ``x_byline``, ``x_source_line``) and ``url``.  The strongest evidence wins:
    dateline agency, outlet byline, the outlet's staff credit, a "Source:" line, the
    text's references to its own reporting (:func:`_self_reference`), the URL's domain.
    """
    meta = meta or {}
    dl = find_dateline(text)
    if dl and dl.agency:
        known = _agency_name(dl.agency)
        conf = OUTLET_CONFIDENCE["dateline"] * (1 if known else _UNKNOWN_AGENCY_FACTOR)
        return OutletGuess(known or dl.agency, "dateline", dl.text, round(conf, 2))
    if isinstance(outlet := meta.get("x_byline_outlet"), str) and outlet:
        return OutletGuess(outlet, "byline", str(meta.get("x_byline") or outlet),
                           OUTLET_CONFIDENCE["byline"])
    paras = [p.strip() for p in text.split("\n") if p.strip()]
    for para in reversed(paras[-3:]):
        if len(para) <= 300 and (m := _STAFF_CREDIT.search(para)):
            outlet = m.group("outlet").strip()
            if outlet.lower() not in ("the", "his", "her", "their"):
                return OutletGuess(outlet, "staff credit", m.group(0).strip(),
                                   OUTLET_CONFIDENCE["staff credit"])
    if isinstance(src := meta.get("x_source_line"), str) and src:
        return OutletGuess(src, "source line", f"Source: {src}", OUTLET_CONFIDENCE["source line"])
    if found := _self_reference(text):
        return OutletGuess(found[0], "self-reference", f"{found[1]} (score {found[2]})",
                           OUTLET_CONFIDENCE["self-reference"])
    if domain := _domain(meta.get("url")):
        return OutletGuess(domain, "url", str(meta.get("url")), OUTLET_CONFIDENCE["url"])
    return None


@dataclass(frozen=True)
class DateGuess:
    """A publication date read from a dateline or byline, with evidence and confidence."""

    date: dt.date
    via: str
    evidence: str
    confidence: float


_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _year_for(month: int, day: int, text: str, today: dt.date) -> tuple[int, str] | None:
    """The year of a yearless dateline date ("Sep 24"), when the text implies one.

    The dateline is the filing day, so it is on or after every past date the
    text reports: the year of the latest full date, or the next year when that
    puts it before the latest date.  Failing full dates, the latest year the
    text cites (outside plans and deadlines).  Among the two closest candidate
    years, one whose weekday matches the weekday the lead names ("on Sunday") wins.
    """
    usable, _ = _usable_dates(find_dates(text), today)
    latest = max((r.date for r in usable if r.date), default=None)
    if latest is not None:
        base, why = latest.year, f"latest full date in the text ({latest.isoformat()})"
        cand = safe_date(base, month, day)
        if cand is not None and cand < latest - dt.timedelta(days=31):
            base += 1
    else:
        years = [int(m.group("y")) for m in _BARE_YEAR.finditer(text)
                 if int(m.group("y")) <= today.year and not _FUTURE_CLAUSE.search(
                     re.split(r"[.;!?\n]\s", text[max(0, m.start() - 80):m.start()])[-1])]
        if not years:
            return None
        base, why = max(years), f"latest year cited in the text ({max(years)})"
    lead = text[:400].lower()
    named = [i for i, w in enumerate(_WEEKDAYS) if re.search(rf"\b{w}\b", lead)]
    if len(named) == 1:
        for y in (base, base + 1):
            d = safe_date(y, month, day)
            if d and d <= today and d.weekday() == named[0]:
                if y != base:
                    why += f"; the lead's '{_WEEKDAYS[named[0]]}' fits {y}"
                return y, why
    d = safe_date(base, month, day)
    return (base, why) if d and d <= today else None


def _date_in(part: str, text: str, today: dt.date, via: str,
             evidence: str) -> DateGuess | None:
    """The date written in a dateline's or byline's date part, year inferred if missing."""
    refs = [r for r in find_dates(part) if r.granularity in ("day", "monthday")]
    if not refs:
        return None
    r = refs[0]
    if r.date is not None:
        return DateGuess(r.date, via, evidence, 0.9) if r.date <= today else None
    year = _year_for(r.month, r.day, text, today)
    if year is None:
        return None
    d = safe_date(year[0], r.month, r.day)
    if d is None:
        return None
    return DateGuess(d, via, f"{evidence}; year {year[0]} from the {year[1]}", 0.7)


def detect_published(text: str, meta: dict[str, Any] | None = None,
                     today: dt.date | None = None) -> DateGuess | None:
    """The publication date a dateline or byline states, or None.

    A dateline's date ("BELGRADE, September 25. /TASS/.") is the filing day; a
    byline's ("By A B in City October 3, 2023") the day of publication.  A
    yearless one takes the year the text implies (:func:`_year_for`).  The
    latest date in the text is the fallback, handled by :func:`infer_published`.
    """
    today = today or dt.date.today()
    meta = meta or {}
    dl = find_dateline(text)
    if dl and dl.rest and (g := _date_in(dl.rest, text, today, "dateline",
                                         f"dateline {dl.text!r}")):
        return g
    byline = meta.get("x_byline")
    if isinstance(byline, str) and (g := _date_in(byline, text, today, "byline",
                                                  f"byline {byline!r}")):
        return g
    return None


# ---------------------------------------------------------------------------------------------


def _given_fields(raw: RawItem, cleaned: Cleaned) -> dict[str, Any]:
    """Fields given with the input, then what the cleaner read from the page; the first
    non-empty value wins, ``x_*`` extras pass through."""
    meta: dict[str, Any] = {k: None for k in FIELDS}
    for source in (raw.meta, cleaned.meta):
        for key, value in source.items():
            if value in (None, "", []):
                continue
            if key in FIELDS or key == "author_bio":
                if meta.get(key) in (None, ""):
                    meta[key] = value
            elif key.startswith("x_"):
                meta.setdefault(key, value)
    return meta


def _add_source(meta: dict[str, Any], cleaned: Cleaned, profile: Profile | None) -> None:
    """Publisher and side: given ones first, then the registry, then the text's own outlet.

    The outlet read from the text (:func:`detect_outlet`) is kept in
    ``x_outlet_detected`` (with ``x_outlet_evidence``, ``x_outlet_confidence``)
    even when a publisher was given, so a profile's registry can match it later.
    It becomes the publisher only when the input gave none; the evidence and
    confidence of the publisher are recorded in ``x_publisher_evidence`` and
    ``x_publisher_confidence``.
    """
    if meta.get("publisher"):
        meta["x_publisher_evidence"] = "given with the input"
        meta["x_publisher_confidence"] = 1.0
    guess = detect_outlet(cleaned.text, {**cleaned.meta, "url": meta.get("url")})
    if guess and guess.via != "url":
        meta["x_outlet_detected"] = guess.name
        meta["x_outlet_evidence"] = f"{guess.via}: {guess.evidence}"
        meta["x_outlet_confidence"] = guess.confidence
    detected = guess.name if guess and guess.via != "url" else None
    # the page's own branding (chrome clues) names the site that publishes it, and goes
    # before the text's outlet: a republished wire story carries the wire's dateline
    clues = [c for c in (_domain(meta.get("url")), meta.get("publisher"),
                         *cleaned.meta.get("x_outlet_clues", []), detected) if c]
    matched = match_source(clues, profile) if clues else None
    if matched:
        src, clue = matched
        meta["x_source_id"] = src.get("id")
        if not meta.get("publisher"):
            meta["publisher"] = src.get("name")
            if guess and clue == detected:
                meta["x_publisher_evidence"] = f"{guess.via}: {guess.evidence}"
                meta["x_publisher_confidence"] = guess.confidence
            else:
                meta["x_publisher_evidence"] = f"outlet named in {clue!r}"
                meta["x_publisher_confidence"] = OUTLET_CONFIDENCE[
                    "url" if clue == _domain(meta.get("url")) else "site chrome"]
        if not meta.get("side") and profile is not None:
            # only a profile the user chose may side a document: a bundled profile's
            # registry is consulted for the outlet's name, never for its camp
            meta["side"] = side_value(src.get("side"))
    elif guess and not meta.get("publisher"):
        meta["publisher"] = guess.name
        meta["x_publisher_evidence"] = f"{guess.via}: {guess.evidence}"
        meta["x_publisher_confidence"] = guess.confidence
    syndicated = meta.get("x_syndicated_from")
    if isinstance(syndicated, str) and (origin := match_source([syndicated], profile)):
        meta["x_syndicated_source_id"] = origin[0].get("id")


def _add_published(meta: dict[str, Any], cleaned: Cleaned) -> None:
    """The publication date as given (normalised), else read from the text.

    Order: given with the input; a dateline or byline date (:func:`detect_published`);
    the latest absolute date in the text (:func:`infer_published`).  Evidence goes to
    ``published_evidence``, the confidence to ``x_published_confidence``.
    """
    given = meta.get("published")
    meta["published"] = normalise_date(given) if given else None
    meta["published_inferred"] = False
    meta["published_evidence"] = None
    if given and meta["published"] is None:
        meta["x_published_given"] = str(given)
    if given and meta["published"]:
        meta["published_evidence"] = "given with the input"
        return
    stated = detect_published(cleaned.text, cleaned.meta)
    if stated:
        meta["published"] = stated.date.isoformat()
        meta["published_inferred"] = True
        meta["published_evidence"] = stated.evidence
        meta["x_published_confidence"] = stated.confidence
        return
    extra = "\n".join([*(r.text for r in cleaned.references),
                       *cleaned.meta.get("x_captions", [])])
    inferred = infer_published(cleaned.text, extra)
    if inferred and inferred.date and (why := _background_date(cleaned.text, extra,
                                                                inferred.date)):
        meta["published_evidence"] = why
        meta["x_published_after"] = inferred.date.isoformat()
        return
    if inferred and inferred.date:
        meta["published"] = inferred.date.isoformat()
        meta["published_inferred"] = True
        meta["published_evidence"] = inferred.evidence
        meta["x_published_confidence"] = PUBLISHED_LATEST_CONFIDENCE
    elif inferred:  # declined: say why the text's dates were not used
        meta["published_evidence"] = inferred.evidence
    if not meta["published"] and (dl := find_dateline(cleaned.text)) and dl.rest:
        undated = [r for r in find_dates(dl.rest) if r.granularity == "monthday"]
        if undated:  # keep what the dateline says, so an analyst can supply the year
            meta["x_published_partial"] = f"--{undated[0].month:02d}-{undated[0].day:02d}"
            meta["published_evidence"] = (f"dateline {dl.text!r} gives no year and the text "
                                          "implies none")


_LEAD_DAY = re.compile(r"\b(?P<w>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|"
                       r"yesterday|today|tonight)\b", re.IGNORECASE)
_LEAD_CHARS = 600


def _background_date(text: str, extra: str, date: dt.date) -> str | None:
    """Why the latest absolute date cannot be the publication day, or None if it can.

    A lead that reports its news by weekday ("said on Friday") was written
    within days of those events; an absolute date elsewhere in the text is then
    background ("the attacks of Sept. 11, 2001"), a lower bound only.  The date
    is kept when it fits the lead: it is written in the lead, or with its
    weekday ("Sunday, Sept. 24, 2023", as in captions), or is a day (not a
    month) that falls on a weekday the lead names.
    """
    paras = [p for p in text.split("\n") if p.strip()]
    # the first paragraph of running text (a headline left in the body is not the lead)
    lead = next((p for p in paras if len(p.split()) >= 15), paras[0] if paras else "")
    lead = lead[:_LEAD_CHARS]
    days = {m.group("w").lower() for m in _LEAD_DAY.finditer(lead)}
    if not days:
        return None
    def same_day(r: DateRef) -> bool:  # a yearless "December 27" may be the date
        return r.date == date if r.date else (r.month, r.day) == (date.month, date.day)

    for r in find_dates(lead):
        if same_day(r) or (r.date and 0 <= (date - r.date).days <= 7):
            return None
    weekday = _WEEKDAYS[date.weekday()]
    full = text + ("\n" + extra if extra else "")  # as infer_published reads it: cached
    day_level = [r for r in _dates_of(full) if same_day(r) and r.granularity != "month"]
    if weekday in days and day_level:  # a month alone ("August 2012") has no weekday
        return None
    for r in day_level:
        if re.search(rf"\b{weekday}\W{{0,3}}$",
                                        full[max(0, r.start - 12):r.start], re.IGNORECASE):
            return None
    shown = ", ".join(sorted(days))
    return (f"declined: the lead reports recent days ({shown}) but the latest absolute date "
            f"({date.isoformat()}, a {weekday.capitalize()}) is not among them, so it is "
            "background: published after it")


# The latest date a text mentions is only a lower bound of its publication day.
PUBLISHED_LATEST_CONFIDENCE = 0.5


def build_metadata(raw: RawItem, cleaned: Cleaned, profile: Profile | None) -> dict[str, Any]:
    """Metadata for one document: given fields first, then inferred ones with evidence.

    RETURNS (dict): ``title, publisher, author, url, published`` (ISO date),
    ``published_inferred``, ``published_evidence``, ``language`` (ISO 639-1),
    ``side`` (None when unknown), ``author_bio`` when found, and ``x_*`` extras such
    as ``x_syndicated_from`` (the outlet a syndicated piece came from, with
    ``x_syndicated_source_id`` when the registry knows it).
    """
    meta = _given_fields(raw, cleaned)
    if meta.get("language"):
        meta["language"] = str(meta["language"]).split("-")[0].split("_")[0].lower()
    else:
        meta["language"] = detect_language(cleaned.text)
    meta["side"] = side_value(meta.get("side"))
    _add_source(meta, cleaned, profile)
    _add_published(meta, cleaned)
    return meta
