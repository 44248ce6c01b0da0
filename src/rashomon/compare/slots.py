"""Slot readings: what one sentence asserts about a comparable slot, and when two disagree.

Contradictions written into a profile cover the disputes someone foresaw.
This module finds them from the text itself, with a conflict-neutral
vocabulary shipped as data (``data/contradiction_lexicon.yaml``): two claims
disagree when they fill the same *slot* (the legal status of one thing, the
voluntariness of one departure, the count of one toll, the clock time of one
happening, who organised it, who the dead were, how they died) with values
that cannot both hold.

Precision comes first, so every reading carries its *mode*:

* ``asserted``: the voice says it happened or holds;
* ``intent``: the voice says it is someone's aim or policy (weaker);
* ``denied``: the voice says it is false, only alleged, or did not happen;
* ``guarded``: prevented, feared, warned against, called to stop, hedged,
  conditional: nothing is asserted, and the reading never contradicts;
* ``reported``: someone else's accusation relayed without being taken up.

A sentence that takes both poles of one slot weighs them and asserts neither.
Everything here is plain text processing (no parse), so the compare stage can
read any claim span or sentence, with or without the analysis that made it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from rashomon import data as rdata

DATA = Path(__file__).resolve().parents[1] / "data"
LEXICON_PATH = DATA / "contradiction_lexicon.yaml"

_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_DATE = re.compile(
    r"\b(?:\d{1,2}\s+(?:January|February|March|April|May|June|July|August|September|October|"
    r"November|December)\s+\d{4}|(?:January|February|March|April|May|June|July|August|"
    r"September|October|November|December)\s+\d{1,2},?\s+\d{4})\b")
_NAME = re.compile(r"\b[A-Z][\w'’-]*[\w](?:\s+(?:of|de|al|el|the)?\s*[A-Z][\w'’-]*[\w])*")
_NUMBER_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty".split())}
_CLOCK = re.compile(
    r"(?<![\d:.])([01]?\d|2[0-3])[:.]([0-5]\d)(?![\d:])\s*(a\.?m\.?|p\.?m\.?|h\b|hrs\b|hours\b)?",
    re.I)
_MONTHS = frozenset("january february march april may june july august september october "
                    "november december".split())
# a sentence opening with a condition, up to the comma that closes it
_CONDITIONAL = re.compile(r"^\W*(?:if|unless|whether|should)\b[^,;]*", re.I)
_MONTH_MAY = re.compile(r"\bMay\b(?=\s+\d)|(?<=\d\s)May\b")
# "has alleged that": a reported claim; bare "alleged X": the voice's own distance (denial)
_ALLEGED_VERB = re.compile(r"\b(?:has|have|had|who|which)\s+alleged\b", re.I)
_NEGATORS = frozenset({"not", "no", "never", "neither", "nor", "without", "n't", "nobody",
                       "none", "nothing", "nowhere"})


def term_pattern(term: str) -> str:
    """Lexicon term syntax: literal phrase, spaces match spaces/hyphens, ``*`` any ending."""
    star = term.endswith("*")
    core = re.escape(term.rstrip("*")).replace(r"\ ", r"[\s\-‑–]+")
    return r"(?<![\w-])" + core + (r"[\w-]*" if star else r"(?![\w])")


def _rx(terms: list[str]) -> re.Pattern[str] | None:
    if not terms:
        return None
    ordered = sorted(set(terms), key=len, reverse=True)
    return re.compile("|".join(term_pattern(t) for t in ordered), re.I)


@dataclass
class SlotDef:
    """One qualification slot of the lexicon, compiled."""

    name: str
    kind: str
    poles: dict[str, list[tuple[str, re.Pattern[str]]]]
    object_required: bool = False
    anchor_required: bool = False
    needs_harm: bool = False
    same_group: bool = False
    topic: re.Pattern[str] | None = None  # the sentence must name one of these
    union: dict[str, re.Pattern[str]] = field(default_factory=dict)  # one scan per pole

    def term_of(self, pole: str, found: str) -> str:
        """The lexicon term a match of the pole's union came from (for the record)."""
        return next((t for t, rx in self.poles[pole] if rx.fullmatch(found)), found.lower())


@dataclass
class Lexicon:
    """The compiled contradiction lexicon (see the YAML for what each part means)."""

    window: int
    clause_breaks: re.Pattern[str]
    non_assertive: re.Pattern[str]
    denial: re.Pattern[str]
    reported: re.Pattern[str]
    absence: re.Pattern[str]
    intent: re.Pattern[str]
    slots: list[SlotDef]
    harm: re.Pattern[str]
    count_units: list[tuple[str, re.Pattern[str]]]
    count_groups: re.Pattern[str]
    lower: re.Pattern[str]
    upper: re.Pattern[str]
    approx: re.Pattern[str]
    rising: re.Pattern[str]
    timed: re.Pattern[str]
    organised: re.Pattern[str]
    local: re.Pattern[str]
    happenings: re.Pattern[str]
    bodies: frozenset[str]
    vocabulary: frozenset[str] = field(default_factory=frozenset)
    # prefilter: every slot term contains one of these words (or word beginnings)
    lead_words: frozenset[str] = frozenset()
    lead_prefixes: tuple[str, ...] = ()

    def may_name_a_slot(self, text: str) -> bool:
        """False when no slot term can occur in ``text`` (checked on words, cheaply)."""
        for w in _LOWER_WORD.findall(text.lower()):
            if w in self.lead_words or w.startswith(self.lead_prefixes):
                return True
        return False


@lru_cache(maxsize=4)
def load_lexicon(path: str | None = None) -> Lexicon:
    """Read and compile the lexicon once (``path``: another YAML of the same shape)."""
    data = yaml.safe_load(Path(path or LEXICON_PATH).read_text(encoding="utf-8")) or {}
    g = data.get("guards") or {}
    breaks = [re.escape(b) if not b.isalpha() else rf"\b{b}\b" for b in g.get("clause_breaks", [])]
    slots = []
    vocab: set[str] = set()
    for s in data.get("qualification_slots") or []:
        poles = {p: [(t, re.compile(term_pattern(t), re.I)) for t in s.get(p) or []]
                 for p in ("a", "b")}
        for p in ("a", "b"):
            # single-word triggers are not "what the sentence is about"; the words of
            # a phrase ("border checkpoint") may be, so they stay content words
            vocab.update(t.lower() for t in s.get(p) or [] if " " not in t and "*" not in t)
        slots.append(SlotDef(s["name"], s.get("kind", s["name"]), poles,
                             object_required=s.get("object") == "required",
                             anchor_required=s.get("anchor") == "required",
                             needs_harm=bool(s.get("needs_harm")),
                             same_group=bool(s.get("same_group")),
                             topic=_rx(list(s.get("topic") or [])),
                             union={p: r for p in ("a", "b")
                                    if (r := _rx(list(s.get(p) or []))) is not None}))
    agent = data.get("agent") or {}
    units = [(u, _rx(ts)) for u, ts in (data.get("count_units") or {}).items()]

    def rx(terms: list[str] | None) -> re.Pattern[str]:
        return _rx(list(terms or [])) or re.compile(r"(?!x)x")

    return Lexicon(
        window=int(g.get("window", 9)),
        clause_breaks=re.compile("|".join(breaks) or r"(?!x)x", re.I),
        non_assertive=rx(g.get("non_assertive")), denial=rx(g.get("denial")),
        reported=rx(g.get("reported")), absence=rx(g.get("absence")), intent=rx(g.get("intent")),
        slots=slots, harm=rx(data.get("harm")),
        count_units=[(u, r) for u, r in units if r is not None],
        count_groups=rx(data.get("count_groups")),
        lower=rx(data.get("count_lower_bound")), upper=rx(data.get("count_upper_bound")),
        approx=rx(data.get("count_approx")), rising=rx(data.get("count_rising")),
        timed=rx(data.get("timed_happenings")), organised=rx(agent.get("organised")),
        local=rx(agent.get("local")), happenings=rx(agent.get("happenings")),
        bodies=frozenset(w.lower() for w in data.get("decision_bodies") or []),
        vocabulary=frozenset(vocab) | frozenset(w.lower() for w in data.get("filler") or []),
        **_leads([t for sl in data.get("qualification_slots") or []
                  for p in ("a", "b") for t in sl.get(p) or []]),
    )


_LOWER_WORD = re.compile(r"[a-z][a-z'’]*")


def _leads(terms: list[str]) -> dict[str, Any]:
    """Each term's longest word: a term cannot match a sentence that lacks it.

    Words are split on spaces and hyphens as the term pattern allows both; a
    ``*`` word leads by its beginning.
    """
    words, prefixes = set(), set()
    for t in terms:
        parts = [w for w in re.split(r"[\s\-]+", t.lower()) if w]
        if not parts:
            continue
        lead = max(parts, key=lambda w: len(w.rstrip("*")))
        if lead.endswith("*"):
            prefixes.add(lead.rstrip("*"))
        else:
            words.add(lead)
    return {"lead_words": frozenset(words), "lead_prefixes": tuple(sorted(prefixes))}


# ---------------------------------------------------------------- words and anchors

def stem(word: str) -> str:
    """A crude stem, enough to match "protests"/"protest", "weapons"/"weapon"."""
    w = word.lower().strip("'’-")
    for suf in ("ations", "ation", "ings", "ing", "ade", "ies", "es", "ed", "s"):
        if w.endswith(suf) and len(w) - len(suf) >= 4:
            w = w[: -len(suf)]
            break
    return w[:7]


def content_stems(text: str, lex: Lexicon | None = None) -> set[str]:
    """Stems of the lower-case content words of ``text`` (names and function words dropped)."""
    vocab = lex.vocabulary if lex else frozenset()
    out = set()
    for m in _WORD.finditer(text):
        w = m.group(0)
        lw = w.lower()
        if w[0].isupper() or len(lw) < 4 or lw in ENGLISH_STOP_WORDS or lw in vocab:
            continue
        if lw in _MONTHS:
            continue
        out.add(stem(lw))
    return out


def names_in(text: str) -> set[str]:
    """Capitalised names (lower-cased) and their single words, sentence-initial words kept.

    Words are kept singly as well, so "the Lachin Corridor" and "Lachin road"
    share "lachin"; function words and month names are dropped.
    """
    out: set[str] = set()
    for m in _NAME.finditer(text):
        words = [w.lower().strip("'’") for w in m.group(0).split()
                 if w.lower() not in ENGLISH_STOP_WORDS and w.lower() not in _MONTHS]
        words = [w for w in words if len(w) >= 3]
        out.update(words)
    return out


def dates_in(text: str) -> set[str]:
    """Full calendar dates as written, normalised ("12 December 2022" = "December 12, 2022")."""
    out = set()
    for m in _DATE.finditer(text):
        parts = sorted(re.findall(r"[A-Za-z]+|\d+", m.group(0).lower()))
        out.add(" ".join(parts))
    return out


@lru_cache(maxsize=1)
def _demonyms() -> frozenset[str]:
    """Group names ("Armenians", "Ruritanians"): demonyms from the shared country data."""
    return frozenset(str(k).lower() for k in rdata.section("gazetteer.yaml", "demonyms"))


def groups_in(text: str) -> frozenset[str]:
    """The peoples a sentence names (demonyms, singular or plural)."""
    out = set()
    for w in re.findall(r"\b[A-Z][a-z]+\b", text):
        g = _group_word(w)
        if g:
            out.add(g)
    return frozenset(out)


# plural words that name a people even when no list knows them ("Osterlanders")
_PEOPLE_PLURAL = re.compile(r"(?:ians|eans|landers|ese|anis)$")


def _group_word(w: str) -> str | None:
    """The people a capitalised word names ("Armenians" -> "armenian"), or None."""
    dem = _demonyms()
    lw = w.lower()
    if lw in dem:
        return lw
    if lw.endswith("s") and lw[:-1] in dem:
        return lw[:-1]
    if _PEOPLE_PLURAL.search(lw) and len(lw) > 5:
        return lw[:-1] if lw.endswith("s") else lw
    return None



def group_near(text: str, pos: int) -> str | None:
    """The people a trigger at ``pos`` is about: the nearest demonym before it, else just after.

    "the entire X population were forcibly expelled" is about X even when
    the sentence names Y elsewhere.
    """
    group = _group_word
    before = [g for w in re.findall(r"\b[A-Z][a-z]+\b", " ".join(text[:pos].split()[-12:]))
              if (g := group(w))]
    if before:
        return before[-1]
    after = [g for w in re.findall(r"\b[A-Z][a-z]+\b", " ".join(text[pos:].split()[:8]))
             if (g := group(w))]
    return after[0] if after else None


# ---------------------------------------------------------------- readings

@dataclass(frozen=True)
class Reading:
    """What one sentence says about one slot, at one place in it."""

    slot: str
    kind: str
    pole: str
    term: str
    start: int
    end: int
    mode: str  # asserted, intent, denied, guarded, reported
    objects: frozenset[str] = frozenset()
    value: Any = None  # counts: (low, high, exact, unit, group); times: minutes
    key: str = ""  # what the value is about (count unit, timed verb, agent kind)


def _clause_before(text: str, pos: int, lex: Lexicon) -> str:
    """The words before ``pos`` in its clause, at most ``window`` of them."""
    left = text[:pos]
    last = None
    for m in lex.clause_breaks.finditer(left):
        last = m
    if last is not None:
        left = left[last.end():]
    words = left.split()
    return " ".join(words[-lex.window:])


def mode_at(text: str, start: int, end: int, lex: Lexicon, attributive: bool = False,
            negation: bool = True) -> str:
    """The modality of a trigger at ``text[start:end]`` (see the module docstring).

    ``attributive``: the trigger modifies the noun after it ("the illegal
    checkpoint"); a qualifier inside a noun phrase is presupposed whatever verb
    governs the phrase ("we demand that you remove the illegal checkpoint"
    still calls it illegal), so only denials, negations and reports count.
    ``negation=False``: the caller has already read the negation (and flipped
    the pole), so it is not read again here.
    """
    # the month is not the modal verb ("on 2 May 2031 soldiers shot...")
    before = _MONTH_MAY.sub(" ", _clause_before(text, start, lex))
    if not attributive and lex.non_assertive.search(before):
        return "guarded"  # asked, urged, feared, prevented: whatever follows is not asserted
    if _CONDITIONAL.match(text):
        return "guarded"  # "if X, Y": neither the condition nor its result is asserted
    words = before.split()
    near, wider = words[-3:], words[-6:-3]
    if negation and (any(w.lower().strip(",;:\"“”‘’'()") in _NEGATORS for w in near) or
                     re.search(r"\b(?:did|does|do|was|were|is|are|has|have|had)\s+not\b|n't\b",
                               " ".join(near), re.I)):
        return "denied"
    if negation and any(w.lower().strip(",;:\"“”‘’'()") in _NEGATORS for w in wider):
        return "guarded"  # a negation further back may or may not reach it: say nothing
    after = text[end:end + 80]
    after_clause = re.split(r"[;.]", after, maxsplit=1)[0]
    if lex.denial.search(_ALLEGED_VERB.sub(" ", before)) or re.search(
            r"\b(?:do|does|did) not correspond to reality|\b(?:is|are|was|were) (?:false|untrue)",
            after_clause, re.I):
        return "denied"
    if lex.absence.search(before):
        return "denied"
    if lex.reported.search(before):
        return "reported"
    if not attributive and lex.intent.search(before):
        return "intent"
    return "asserted"


def is_attributive(text: str, end: int, lex: Lexicon) -> bool:
    """Does the word at ``text[..end]`` modify a noun right after it ("illegal *checkpoint*")?"""
    m = _WORD.match(text, end + 1) if text[end:end + 1] == " " else None
    return bool(m and _is_head_word(m.group(0), lex))


_DETERMINERS = frozenset("a an the its their his her our this that these those some any all".split())


def _is_head_word(w: str, lex: Lexicon) -> bool:
    lw = w.lower()
    return not (lw in ENGLISH_STOP_WORDS or lw in _DETERMINERS or lw.endswith("ed")
                or lw in lex.vocabulary)


def heads(text: str, end: int, lex: Lexicon, inside: str = "") -> frozenset[str]:
    """The noun a qualifier qualifies, without a parse: the last word of the run after it.

    "illegal installation of an Azerbaijani checkpoint" gives {installation,
    checkpoint} (the head and its "of" complement); "legitimate military
    targets" gives {targets}; a phrase that ends in its own noun ("border
    checkpoint") gives that noun.
    """
    words = [(m.group(0), m.start()) for m in _WORD.finditer(text, end)][:10]
    out: set[str] = set()
    last_inside = _WORD.findall(inside)
    if len(last_inside) > 1 and _is_head_word(last_inside[-1], lex) \
            and last_inside[-1].lower() not in ENGLISH_STOP_WORDS:
        out.add(stem(last_inside[-1]))
    run: list[str] = []
    i = 0
    gap = text[end:words[0][1]] if words else ""
    if re.search(r"[;:.!?,]", gap):
        return frozenset(out)
    complements = 0
    while i < len(words):
        w = words[i][0]
        if w.lower() in _DETERMINERS and not run:
            i += 1
            continue
        if _is_head_word(w, lex):
            run.append(w)
            i += 1
            nxt = text[words[i - 1][1] + len(w): words[i][1]] if i < len(words) else ""
            if re.search(r"[;:.!?,]", nxt):
                break
            continue
        break
    lower = [w for w in run if not w[0].isupper()]
    if lower:
        out.add(stem(lower[-1]))
        # "installation of an X checkpoint": the complement names the thing too
        if i < len(words) and words[i][0].lower() == "of" and complements == 0:
            out |= heads(text, words[i][1] + 2, lex) - {""}
    return frozenset(out)


def _objects(text: str, start: int, end: int, lex: Lexicon) -> frozenset[str]:
    """Content stems around a trigger: the thing it qualifies, and its own head noun."""
    after = re.split(r"[;:.!?]", text[end:], maxsplit=1)[0]
    words_after = [w for w in _WORD.findall(after)][:6]
    before = re.split(r"[;:.!?,]", text[:start])[-1]
    words_before = _WORD.findall(before)[-2:]
    inside = _WORD.findall(text[start:end])
    stems = content_stems(" ".join(words_before + words_after), lex)
    # a multiword term's own last word can be the object ("border checkpoint")
    if len(inside) > 1:
        last = inside[-1].lower()
        if last not in ENGLISH_STOP_WORDS and len(last) >= 4:
            stems.add(stem(last))
    return frozenset(stems)


def is_question(text: str) -> bool:
    return text.rstrip().rstrip("”\"'’)").endswith("?")


def qualification_readings(text: str, lex: Lexicon) -> list[Reading]:
    """Readings of every qualification slot in one sentence."""
    if is_question(text):
        return []
    out: list[Reading] = []
    if not lex.may_name_a_slot(text):
        return out  # most sentences name no slot at all: one pass over their words decides
    harm = bool(lex.harm.search(text))
    for slot in lex.slots:
        if (slot.needs_harm and not harm) or (slot.topic and not slot.topic.search(text)):
            continue
        hits: list[tuple[int, int, str, str]] = []
        for pole, union in slot.union.items():
            for m in union.finditer(text):
                hits.append((m.start(), m.end(), pole, slot.term_of(pole, m.group(0))))
        # a hit inside a longer hit is the same words read twice
        hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
        kept: list[tuple[int, int, str, str]] = []
        for h in hits:
            if any(k[0] <= h[0] and h[1] <= k[1] for k in kept):
                continue
            kept.append(h)
        readings = []
        for s, e, pole, term in kept:
            attributive = slot.object_required and " " not in term and \
                is_attributive(text, e, lex)
            mode = mode_at(text, s, e, lex, attributive=attributive)
            objs = heads(text, e, lex, text[s:e]) if slot.object_required else \
                _objects(text, s, e, lex)
            readings.append(Reading(slot.name, slot.kind, pole, term, s, e, mode, objs))
        asserted_poles = {r.pole for r in readings if r.mode in ("asserted", "intent")}
        if len(asserted_poles) > 1 and slot.object_required is False:
            continue  # weighs both poles: asserts neither
        out.extend(readings)
    return out


def _number(tok: str) -> int | None:
    t = tok.lower().replace(",", "")
    if t.isdigit():
        return int(t)
    return _NUMBER_WORDS.get(t)


_COUNT = re.compile(
    r"(?P<num>\d{1,3}(?:,\d{3})+|\d+|" + "|".join(_NUMBER_WORDS) + r")\b"
    r"(?P<rest>(?:\s+[\w'’-]+){0,4})", re.I)


def count_readings(text: str, lex: Lexicon) -> list[Reading]:
    """Counts with a unit: "at least 3 people were killed", "four police officers injured"."""
    if is_question(text):
        return []
    out = []
    for m in _COUNT.finditer(text):
        n = _number(m.group("num"))
        if n is None or n < 1 or n > 10_000_000:
            continue
        before = text[max(0, m.start() - 25):m.start()]
        if re.search(r"\b(?:19|20)\d\d\b", m.group("num")) or re.search(
                r"(?:January|February|March|April|May|June|July|August|September|October|"
                r"November|December)\s*$", before):
            continue  # a year or a day of the month
        rest = m.group("rest")
        unit = None
        for u, rx in lex.count_units:
            um = rx.search(rest)
            if um:
                unit = u
                break
        if unit is None:
            continue
        g = lex.count_groups.search(rest)
        group = g.group(0).lower().rstrip("s") if g else None
        if group in ("people", "peopl", "resident", "person"):
            group = None
        lo, hi, exact = float(n), float(n), True
        if lex.lower.search(before[-15:]):
            hi, exact = float("inf"), False
        elif lex.upper.search(before[-15:]):
            lo, exact = 0.0, False
        elif lex.approx.search(before[-15:]):
            lo, hi, exact = n * 0.5, n * 2.0, False
        rising = bool(lex.rising.search(text))
        mode = mode_at(text, m.start(), m.end(), lex)
        out.append(Reading("count", "number_mismatch", "", m.group(0), m.start(), m.end(), mode,
                           content_stems(text, lex), (lo, hi, exact, group, rising), unit))
    return out


def time_readings(text: str, lex: Lexicon) -> list[Reading]:
    """Clock times of a happening: "the crossing was closed at 8:57"."""
    if is_question(text):
        return []
    out = []
    for m in _CLOCK.finditer(text):
        h, mnt = int(m.group(1)), int(m.group(2))
        suffix = (m.group(3) or "").lower().replace(".", "")
        if suffix == "pm" and h < 12:
            h += 12
        if not suffix and m.group(0)[m.group(0).find(m.group(1)) + len(m.group(1))] == ".":
            continue  # "3.5" is more likely a decimal than a time without a marker
        before = text[max(0, m.start() - 60):m.start()]
        verbs = list(lex.timed.finditer(before))
        if not verbs:
            continue
        verb = stem(verbs[-1].group(0))
        zone = "local" if re.search(r"local time", text[m.end():m.end() + 15], re.I) else (
            "utc" if re.search(r"\b(?:GMT|UTC)\b", text[m.end():m.end() + 10]) else "")
        out.append(Reading("clock_time", "time_mismatch", "", m.group(0).strip(), m.start(),
                           m.end(), mode_at(text, m.start(), m.end(), lex),
                           content_stems(before, lex), (h * 60 + mnt, zone), verb))
    for m in _DATE.finditer(text):
        day = _parse_date(m.group(0))
        before = text[max(0, m.start() - 60):m.start()]
        verbs = list(lex.timed.finditer(before))
        if day is None or not verbs:
            continue
        out.append(Reading("day_date", "date_mismatch", "", m.group(0), m.start(), m.end(),
                           mode_at(text, m.start(), m.end(), lex), content_stems(before, lex),
                           day.toordinal(), stem(verbs[-1].group(0))))
    return out


def _parse_date(written: str) -> date | None:
    """A full calendar date as written ("12 December 2022", "December 12, 2022")."""
    clean = written.replace(",", "")
    for fmt in ("%d %B %Y", "%B %d %Y"):
        try:
            return datetime.strptime(clean, fmt).date()
        except ValueError:
            continue
    return None


def agent_readings(text: str, lex: Lexicon) -> list[Reading]:
    """Who organised or carried it out: a named or outside hand, or a local one."""
    if is_question(text) or not (lex.organised.search(text) or lex.local.search(text)):
        return []
    if not lex.happenings.search(text):
        return []
    out = []
    for m in lex.organised.finditer(text):
        tail = text[m.end():m.end() + 60]
        nm = _NAME.match(tail.lstrip())
        if not nm:
            continue
        who = frozenset(names_in(nm.group(0)))
        if not who:
            continue
        out.append(Reading("agent", "responsibility", "named", m.group(0), m.start(), m.end(),
                           mode_at(text, m.start(), m.end(), lex),
                           content_stems(text, lex), who, "organised"))
    for m in lex.local.finditer(text):
        out.append(Reading("agent", "responsibility", "local", m.group(0), m.start(), m.end(),
                           mode_at(text, m.start(), m.end(), lex),
                           content_stems(text, lex), frozenset(), "local"))
    return out


# Words after which the following phrase is what the voice calls false
_DENIED_SPAN = re.compile(
    # a noun of falsehood says what is false only through its complement
    r"\b(?:disinformation|misinformation|false (?:claims?|reports?|allegations?)|"
    r"fabrications?|lies)\s+(?:about|of|that|on|regarding|concerning)\b"
    # an adjective or adverb of falsehood qualifies what follows it
    r"|\b(?:fictitious\w*|fabricated|supposed|supposedly|baseless|unfounded)\b", re.I)
_TRAILING_DENIAL = re.compile(
    r"\b(?:do|does|did) not correspond to reality|\b(?:is|are|was|were) (?:false|untrue)\b",
    re.I)


def denial_readings(text: str, lex: Lexicon) -> list[Reading]:
    """Propositions a voice calls false or merely alleged, as their content stems.

    "spreading disinformation about alleged transfer of weapons": the denied
    content is {transfer, weapons}; any other voice asserting a sentence with
    that content contradicts it.
    """
    if is_question(text):
        return []
    out = []
    for m in _DENIED_SPAN.finditer(text):
        if mode_at(text, m.start(), m.end(), lex, negation=False) == "guarded":
            continue  # "if he declares a fabricated emergency" calls nothing false yet
        span = _SPAN_END.split(text[m.end():], maxsplit=1)[0]
        words = span.split()[:14]
        stems = content_stems(" ".join(words), lex)
        head = _first_stem(words, lex)
        if stems and head:
            out.append(Reading("existence", "denied_vs_asserted", "denied", m.group(0).strip(),
                               m.start(), m.end(), "denied", frozenset(stems),
                               frozenset(names_in(" ".join(words))), head))
    for m in _TRAILING_DENIAL.finditer(text):
        before = re.split(r"[;:.!?]", text[:m.start()])[-1]
        # "the statements that they supposedly aid X in transporting weapons do not ...":
        # the denied content is the clause, its head the first content word after "that"
        clause = re.split(r"\bthat\b", before, maxsplit=1)[-1]
        words = clause.split()[-16:]
        stems = content_stems(" ".join(words), lex)
        head = _first_stem(words, lex)
        if stems and head:
            out.append(Reading("existence", "denied_vs_asserted", "denied", m.group(0),
                               m.start(), m.end(), "denied", frozenset(stems),
                               frozenset(names_in(" ".join(words))), head))
    return out


# the content called false ends at a clause break or where the attribution starts
_SPAN_END = re.compile(r"[;:.!?\"”]|,\s*(?:he|she|they|it|the \w+)?\s*(?:said|says|added|told)\b"
                       r"|\bthereby\b|\bwhich\b")


def _first_stem(words: list[str], lex: Lexicon) -> str:
    """The first content word's stem: what the denied phrase is about."""
    for w in words:
        st = content_stems(w, lex)
        if st:
            return next(iter(st))
    return ""


def readings(text: str, lex: Lexicon | None = None) -> list[Reading]:
    """Every slot reading of one sentence (or claim span)."""
    lex = lex or load_lexicon()
    return (qualification_readings(text, lex) + count_readings(text, lex)
            + time_readings(text, lex) + agent_readings(text, lex)
            + denial_readings(text, lex))


# ---------------------------------------------------------------- comparing two readings

@dataclass(frozen=True)
class Context:
    """What is known about the two sentences beyond their readings."""

    same_story: bool = False  # one document-level or event-level story
    same_passage: bool = False  # one document, a few paragraphs apart
    same_doc: bool = False
    shared_names: frozenset[str] = frozenset()
    shared_dates: frozenset[str] = frozenset()
    groups_a: frozenset[str] = frozenset()  # people named as groups (demonyms)
    groups_b: frozenset[str] = frozenset()
    shared_groups: frozenset[str] = frozenset()  # peoples named around both sentences
    shared_stems: frozenset[str] = frozenset()  # content words of both sentences
    later: int = 0  # +1: b was published after a; -1: before; 0: same day or unknown


@dataclass(frozen=True)
class Verdict:
    kind: str
    slot: str
    confidence: float
    reason: str


_ACTIVE = ("asserted", "intent")


def _said(r: Reading, text: str) -> str:
    prefix = {"denied": "denies ", "intent": "aim: "}.get(r.mode, "")
    return f"{prefix}'{text[r.start:r.end]}'"


def compare(ra: Reading, rb: Reading, ta: str, tb: str, ctx: Context,
            lex: Lexicon | None = None) -> Verdict | None:
    """Do two readings of one slot contradict?  ``ta``/``tb``: their sentences."""
    lex = lex or load_lexicon()
    if ra.slot != rb.slot or "guarded" in (ra.mode, rb.mode) or "reported" in (ra.mode, rb.mode):
        return None
    if ra.slot == "count":
        return _compare_counts(ra, rb, ta, tb, ctx)
    if ra.slot == "clock_time":
        return _compare_times(ra, rb, ta, tb, ctx)
    if ra.slot == "day_date":
        return _compare_days(ra, rb, ctx)
    if ra.slot == "agent":
        return _compare_agents(ra, rb, ta, tb, ctx)
    if ra.slot == "existence" or rb.slot == "existence":
        return None  # a denial is compared with whole sentences (see compare_denial)
    slot = next((s for s in lex.slots if s.name == ra.slot), None)
    if slot is None:
        return None
    opposite = ra.pole != rb.pole and ra.mode in _ACTIVE and rb.mode in _ACTIVE
    denied = ra.pole == rb.pole and {ra.mode, rb.mode} in ({"asserted", "denied"},
                                                           {"intent", "denied"})
    if not (opposite or denied):
        return None
    shared_obj = ra.objects & rb.objects
    if not _qualified_in_scope(slot, shared_obj, denied, ctx):
        return None
    if slot.same_group and _about_other_people(ra, rb, ta, tb, ctx):
        return None
    return _qualified_verdict(slot, ra, rb, ta, tb, ctx, shared_obj, denied)


def _qualified_in_scope(slot: Any, shared_obj: set[str], denied: bool, ctx: Context) -> bool:
    """Whether two opposite qualifications can be about one thing, as far as we can tell."""
    scoped = ctx.same_story or ctx.same_passage
    if slot.object_required and not shared_obj:
        return False
    if slot.needs_harm and not (ctx.same_passage or ctx.shared_dates or (
            ctx.same_story and not ctx.same_doc and len(ctx.shared_stems) >= 2)):
        return False  # who died and how: one incident, told in one passage, dated, or one story
    if denied and not (scoped or ctx.shared_dates):
        return False  # a denial is vaguer than an assertion: only within one story or date
    if slot.anchor_required and not scoped and not ctx.shared_dates and not (
            shared_obj and ctx.shared_names):
        return False
    # otherwise two tellings of different things
    return bool(scoped or shared_obj or ctx.shared_dates or (slot.same_group and ctx.shared_groups))


def _about_other_people(ra: Reading, rb: Reading, ta: str, tb: str, ctx: Context) -> bool:
    """For slots about a group of people: are the two readings about different people?"""
    ga, gb = group_near(ta, ra.start), group_near(tb, rb.start)
    if ga and gb and ga != gb:
        return True  # about different people ("X were expelled" / "Y decided to leave")
    if (ga and not gb and ga not in ctx.groups_b) or (gb and not ga and gb not in ctx.groups_a):
        return True  # one names its people, the other's context does not
    return bool(not (ga or gb) and ctx.groups_a and ctx.groups_b and not ctx.shared_groups)


def _qualified_verdict(slot: Any, ra: Reading, rb: Reading, ta: str, tb: str, ctx: Context,
                       shared_obj: set[str], denied: bool) -> Verdict:
    conf = 0.55
    why = []
    if shared_obj:
        conf += 0.1
        why.append("same thing (" + ", ".join(sorted(shared_obj)[:3]) + ")")
    if ctx.shared_dates:
        conf += 0.1
        why.append("same date")
    if slot.same_group and ctx.shared_groups:
        why.append("same people (" + ", ".join(sorted(ctx.shared_groups)[:2]) + ")")
    if ctx.same_story:
        conf += 0.1
        why.append("same story")
    elif ctx.same_passage:
        conf += 0.05
        why.append("two voices in one passage")
    if "intent" in (ra.mode, rb.mode):
        conf -= 0.1
    if denied:
        conf -= 0.05
    what = "asserted vs denied" if denied else "opposite readings"
    reason = f"{slot.name}: {what}: {_said(ra, ta)} vs {_said(rb, tb)}"
    if why:
        reason += "; " + "; ".join(why)
    return Verdict(slot.kind, slot.name, round(min(conf, 0.9), 2), reason)


def _compare_counts(ra: Reading, rb: Reading, ta: str, tb: str, ctx: Context) -> Verdict | None:
    if ra.key != rb.key or ra.mode != "asserted" or rb.mode != "asserted":
        return None
    if not (ctx.same_story or ctx.same_passage):
        return None  # tolls of one incident are compared only within its story
    lo_a, hi_a, ex_a, grp_a, rise_a = ra.value
    lo_b, hi_b, ex_b, grp_b, rise_b = rb.value
    if grp_a != grp_b:
        return None  # different victim groups (or one unnamed)
    if lo_a <= hi_b and lo_b <= hi_a:
        return None  # the ranges overlap: both can hold
    shared = (ra.objects & rb.objects) - {ra.key}
    if not shared and not ctx.shared_names:
        return None
    # a later, higher toll is a toll that rose, not a contradiction
    higher_b = lo_b > hi_a
    if (ctx.later > 0 and higher_b) or (ctx.later < 0 and not higher_b):
        return None
    conf = 0.7 if (ex_a and ex_b) else 0.55
    if rise_a or rise_b or ctx.later:
        conf -= 0.2
    return Verdict("number_mismatch", "count", round(conf, 2),
                   f"count of {ra.key}{' ' + grp_a if grp_a else ''}: '{ra.term}' vs '{rb.term}'")


def _compare_times(ra: Reading, rb: Reading, ta: str, tb: str, ctx: Context) -> Verdict | None:
    if ra.key != rb.key or ra.mode != "asserted" or rb.mode != "asserted":
        return None
    if not (ctx.same_story or ctx.same_passage):
        return None
    (ma, za), (mb, zb) = ra.value, rb.value
    if ma == mb or (za and zb and za != zb):
        return None
    if abs(ma - mb) > 180:
        return None  # hours apart: probably two happenings
    if not (ra.objects & rb.objects) and not ctx.shared_names:
        return None
    return Verdict("time_mismatch", "clock_time", 0.7,
                   f"time of '{ra.key}': '{ra.term}' vs '{rb.term}'")


def _compare_days(ra: Reading, rb: Reading, ctx: Context) -> Verdict | None:
    """The same happening (one verb, one story, the same thing) dated on different days."""
    if ra.key != rb.key or ra.mode != "asserted" or rb.mode != "asserted":
        return None
    if not (ctx.same_story or ctx.same_passage):
        return None
    gap = abs(ra.value - rb.value)
    if gap == 0 or gap > 60:
        return None  # the same day, or two happenings months apart
    if not (ra.objects & rb.objects):
        return None
    return Verdict("date_mismatch", "day_date", 0.6,
                   f"'{ra.key}' dated '{ra.term}' vs '{rb.term}'")


def _compare_agents(ra: Reading, rb: Reading, ta: str, tb: str, ctx: Context) -> Verdict | None:
    if ra.mode not in _ACTIVE or rb.mode not in _ACTIVE:
        return None
    if not (ctx.same_story or ctx.same_passage):
        return None
    if ra.pole == rb.pole == "local":
        return None
    if ra.pole == rb.pole == "named":
        who_a, who_b = ra.value, rb.value
        if who_a & who_b:
            return None
        # one names the other's agent too: not exclusive accounts
        if any(w in tb.lower() for w in who_a) or any(w in ta.lower() for w in who_b):
            return None
    return Verdict("responsibility", "agent", 0.6,
                   f"who organised it: '{ta[ra.start:ra.end + 30].strip()}' vs "
                   f"'{tb[rb.start:rb.end + 30].strip()}'")


def compare_denial(denial: Reading, td: str, asserting: str, ctx: Context,
                   lex: Lexicon | None = None) -> Verdict | None:
    """A proposition one voice calls false against a sentence of another voice asserting it."""
    lex = lex or load_lexicon()
    if is_question(asserting) or lex.denial.search(asserting) or _TRAILING_DENIAL.search(
            asserting) or re.search(r"\b(?:not|never|no)\b", asserting, re.I):
        return None
    stems = content_stems(asserting, lex)
    shared = denial.objects & stems
    names = denial.value & names_in(asserting) if denial.value else frozenset()
    if denial.key not in stems:
        return None  # the other sentence must assert what the denial is about
    if len(shared) < 2 or not (names or ctx.same_story or ctx.shared_names):
        return None
    # the shared content must be asserted, not prevented or feared
    for s in shared:
        m = re.search(r"\b" + re.escape(s), asserting, re.I)
        if m and mode_at(asserting, m.start(), m.end(), lex) != "asserted":
            return None
    conf = min(0.5 + 0.05 * len(shared) + (0.1 if ctx.same_story else 0), 0.8)
    return Verdict("denied_vs_asserted", "existence", round(conf, 2),
                   f"one voice calls false ('{denial.term}') what the other asserts: "
                   + ", ".join(sorted(shared)[:4]))
