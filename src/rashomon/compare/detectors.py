"""Contradiction detectors: a plug-in interface and the built-in structural/lexical one.

No natural-language-inference model ships offline, so the default detector
reasons over claim *slots*: the same fact (story, qualified object, decision,
unit) qualified with opposite poles of a profile qualifier pair, dated or
counted differently, or asserted and negated.  A model-based detector can be
registered under the entry-point group ``rashomon.detectors`` and is run in
addition to this one.

A detector has a ``name`` and ``detect(a, b, scope) -> list[Finding]`` where
``a`` and ``b`` are claim dicts (``model.Claim.to_dict()``) from different
sources or speakers, and ``scope`` says why they are compared.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from rashomon.compare.slots import (
    Context,
    Reading,
    Verdict,
    compare,
    compare_denial,
    content_stems,
    dates_in,
    group_near,
    groups_in,
    is_attributive,
    load_lexicon,
    mode_at,
    names_in,
    readings,
    stem,
)


@dataclass
class Scope:
    """Why two claims are compared: same story, same topic key, or same passage."""

    key: tuple[Any, ...]
    story_id: str | None = None
    pairs: dict[str, dict[str, Any]] = field(default_factory=dict)  # qualifier pair configs


@dataclass
class Finding:
    kind: str
    confidence: float
    reason: str
    attrs: dict[str, Any] = field(default_factory=dict)  # slot, trigger spans per side


class Detector(Protocol):
    name: str

    def detect(self, a: dict[str, Any], b: dict[str, Any], scope: Scope) -> list[Finding]:
        """Return the contradictions between claims ``a`` and ``b`` (often none)."""
        ...


def _iso(d: str | None) -> date | None:
    try:
        return date.fromisoformat(d[:10]) if d else None
    except ValueError:
        return None


def _interval(slots: dict[str, Any]) -> tuple[date, date] | None:
    start = _iso(slots.get("date"))
    if start is None:
        return None
    end = _iso(slots.get("date_end")) or start
    return start, max(start, end)


def _reference(claim: dict[str, Any]) -> frozenset[str]:
    """The content words right after a number and its unit: what it is counted or measured to."""
    sl = claim.get("slots") or {}
    text = claim.get("text") or ""
    surface = str(sl.get("surface") or "")
    i = text.find(surface) if surface else -1
    if i < 0:
        return frozenset()
    tail = text[i + len(surface):].split()
    unit = str(sl.get("unit") or "")
    if tail and unit and tail[0].lower().startswith(unit[:3].lower()):
        tail = tail[1:]
    words = " ".join(tail[:4])
    return frozenset(content_stems(words)) | frozenset(w.lower() for w in names_in(words))


def _different_reference(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Both numbers say what they are counted to, and those words share nothing."""
    ra, rb = _reference(a), _reference(b)
    return bool(ra and rb and not (ra & rb))


def _different_people(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Both qualifiers sit next to a named people, and the peoples differ."""
    groups = []
    for c in (a, b):
        sl = c.get("slots") or {}
        if "q_start" not in sl:
            return False
        groups.append(group_near(c.get("text") or "", sl["q_start"] - c["start"]))
    return bool(groups[0] and groups[1] and groups[0] != groups[1])


def _bodies(text: str) -> set[str]:
    """Names of deciding bodies in a sentence ("the Supreme Court of Ruritania")."""
    words = load_lexicon().bodies
    return {n for n in _BODY_NAME.findall(text) if any(w.lower() in words for w in n.split())}


_BODY_NAME = re.compile(r"\b[A-Z][\w'’-]+(?:\s+(?:of|for|on|the)?\s*[A-Z][\w'’-]+)+")


def _body_words(name: str) -> frozenset[str]:
    return frozenset(w.lower() for w in name.split() if w.lower() not in ("of", "for", "on", "the"))


def _plain_statement(claim: dict[str, Any]) -> bool:
    """Is the claim's trigger stated, not called for, hoped, feared or reported?

    "There should be no meeting" and "they called on him to cancel the
    meeting" say what someone wants, not whether the meeting happens.
    """
    text = claim.get("text") or ""
    sl = claim.get("slots") or {}
    trig = str(sl.get("trigger") or "")
    lex = load_lexicon()
    if re.match(r"^\W*(?:if|unless|whether)\b", text, re.I):
        return False  # a conditional sentence asserts neither its condition nor its result
    key = trig.lower()[:5]
    hits = [m.start() for m in re.finditer(re.escape(key), text.lower())] if key else []
    if not hits:
        return True
    for i in hits:
        if mode_at(text, i, i + len(trig), lex, negation=False) not in ("asserted", "intent",
                                                                       "denied"):
            return False
        if sl.get("polarity") == "positive" and mode_at(text, i, i + len(trig), lex) == "denied":
            return False  # the same word negated elsewhere in the sentence: ambiguous
    return True


def _decision_stated(claim: dict[str, Any]) -> bool:
    """Is the dated decision stated as made (not scheduled, hoped for or conditional)?"""
    text = claim.get("text") or ""
    word = str((claim.get("slots") or {}).get("decision_word") or "")
    i = text.lower().find(word[:5].lower()) if word else -1
    if i < 0:
        return True
    return mode_at(text, i, i + len(word), load_lexicon(), negation=False) != "guarded"


def _shared_content(a: dict[str, Any], b: dict[str, Any], besides: set[str]) -> bool:
    """Do two claims' sentences share a content word other than ``besides``?"""
    skip = {stem(w) for w in besides if w}
    sa = content_stems(a.get("text") or "") - skip
    sb = content_stems(b.get("text") or "") - skip
    return bool(sa & sb)


def _same_body(ta: str, tb: str) -> bool:
    """Both sentences name one deciding body (one name contains the other)."""
    ba, bb = [_body_words(n) for n in _bodies(ta)], [_body_words(n) for n in _bodies(tb)]
    return any(x <= y or y <= x for x in ba for y in bb)


def _different_bodies(ta: str, tb: str) -> bool:
    """Both sentences name deciding bodies, and no name of one contains a name of the other."""
    ba, bb = [_body_words(n) for n in _bodies(ta)], [_body_words(n) for n in _bodies(tb)]
    if not ba or not bb:
        return False
    return not any(x <= y or y <= x for x in ba for y in bb)


class LexicalDetector:
    """Structural and lexical contradiction rules over claim slots."""

    name = "lexical"

    def __init__(self, max_date_gap_days: int = 120, number_tolerance: float = 0.2) -> None:
        self.max_date_gap_days = max_date_gap_days
        self.number_tolerance = number_tolerance

    def detect(self, a: dict[str, Any], b: dict[str, Any], scope: Scope) -> list[Finding]:
        if a["kind"] != b["kind"]:
            return []
        rule = getattr(self, f"_{a['kind']}", None)
        return rule(a, b, scope) if rule else []

    def _qualification(self, a: dict[str, Any], b: dict[str, Any], scope: Scope) -> list[Finding]:
        sa, sb = a["slots"], b["slots"]
        if sa["pair"] != sb["pair"] or sa["pole"] == sb["pole"]:
            return []
        if sa.get("mixed") or sb.get("mixed"):
            return []  # a sentence weighing both poles asserts neither
        if not (asserted_in_claim(a) and asserted_in_claim(b)):
            return []  # preventing, fearing or calling to stop X does not assert X
        if _different_people(a, b):
            return []  # "X were expelled" and "Y decided to leave" are about two peoples
        pair = scope.pairs.get(sa["pair"], {})
        if pair.get("scope") == "story" and scope.story_id is None and scope.key[0] != "passage":
            return []  # only tellings of one story, or two voices in one passage
        conf = 0.55
        def said(sl: dict[str, Any]) -> str:
            return ("not " if sl.get("negated") else "") + str(sl["qualifier"])

        reasons = [f"opposite poles of '{sa['pair']}': '{said(sa)}' vs '{said(sb)}'"]
        if sa.get("about") and sb.get("about"):
            conf += 0.2
            reasons.append(f"both about '{sa['about']}'/'{sb['about']}'")
        elif sa.get("object") and sa.get("object") == sb.get("object"):
            conf += 0.15
            reasons.append(f"same qualified noun '{sa['object']}'")
        elif scope.story_id is None and not (pair.get("scope") == "story"
                                             and scope.key[0] == "passage"):
            shared = set(sa.get("entities") or []) & set(sb.get("entities") or [])
            if not shared:
                return []
            conf += 0.05
        elif scope.key[0] == "passage":
            reasons.append("two voices in one passage")
        if scope.story_id:
            conf += 0.1
            reasons.append("same story")
        kind = pair.get("kind", sa["pair"])
        return [Finding(kind, round(min(conf, 0.95), 2), "; ".join(reasons))]

    def _date(self, a: dict[str, Any], b: dict[str, Any], scope: Scope) -> list[Finding]:
        sa, sb = a["slots"], b["slots"]
        if sa.get("decision") != sb.get("decision"):
            return []
        ia, ib = _interval(sa), _interval(sb)
        if not ia or not ib:
            return []
        if _different_bodies(a.get("text") or "", b.get("text") or ""):
            return []  # two bodies' decisions, not one decision dated twice
        if not (_decision_stated(a) and _decision_stated(b)):
            return []  # "is scheduled to sentence him on 28 June": not a dated decision yet
        entity_keyed = scope.key[0] == "date" and len(scope.key) >= 3
        if sa.get("decision") == "statement" and not entity_keyed and not _same_body(
                a.get("text") or "", b.get("text") or ""):
            return []  # statements of two voices are two statements
        if scope.key[:1] == ("date",) and len(scope.key) < 3 and not (
                _same_body(a.get("text") or "", b.get("text") or "")
                or _shared_content(a, b, {str(sa.get("decision_word") or ""),
                                          str(sb.get("decision_word") or "")})):
            # the corpus-wide key of court decisions names no entity: only decisions
            # of one named body, or about one shared matter, are compared there
            return []
        if ia[0] <= ib[1] and ib[0] <= ia[1]:
            return []  # compatible (overlapping) dates
        gap = min(abs((ia[0] - ib[1]).days), abs((ib[0] - ia[1]).days))
        if gap > self.max_date_gap_days:
            return []  # probably two different decisions, not one misdated
        conf = 0.45 + (0.15 if sa.get("granularity") == sb.get("granularity") == "day" else 0)
        conf += 0.1 if scope.story_id else 0
        return [Finding("date_mismatch", round(conf, 2),
                        f"'{sa['decision']}' dated {sa.get('timex')} ({sa['date']}) vs "
                        f"{sb.get('timex')} ({sb['date']})")]

    def _number(self, a: dict[str, Any], b: dict[str, Any], scope: Scope) -> list[Finding]:
        sa, sb = a["slots"], b["slots"]
        if sa.get("unit") != sb.get("unit"):
            return []
        va, vb = float(sa["value"]), float(sb["value"])
        hi, lo = max(va, vb), min(va, vb)
        if lo <= 0 or hi / lo - 1 <= self.number_tolerance:
            return []
        if (sa.get("approx") or sb.get("approx")) and hi / lo < 2:
            return []
        if _different_reference(a, b):
            return []  # "14 km to the border" and "55 km from the capital" measure two things
        inherited = sa.get("unit_inherited") or sb.get("unit_inherited")
        if scope.story_id is None and not (
                (scope.key[0] == "passage" and inherited)
                or _shared_content(a, b, {str(sa.get("unit") or "")})):
            # outside a story, two counts must at least be about the same thing (in one
            # passage, a count that takes its unit from the sentence before, "others put
            # the number at 3,000", answers that sentence)
            return []
        conf = 0.4 + (0.2 if scope.story_id else 0) + (0.1 if hi / lo >= 2 else 0)
        return [Finding("number_mismatch", round(conf, 2),
                        f"{sa['surface']} vs {sb['surface']} {sa['unit']}")]

    def _action(self, a: dict[str, Any], b: dict[str, Any], scope: Scope) -> list[Finding]:
        sa, sb = a["slots"], b["slots"]
        if scope.story_id is None or sa.get("action") != sb.get("action"):
            return []
        pols = {sa.get("polarity"), sb.get("polarity")}
        if sa.get("actor") and sb.get("actor") and sa.get("actor") != sb.get("actor"):
            return []  # "we are not raiding it" does not deny that someone else is
        if not _shared_content(a, b, {str(sa.get("trigger") or ""), str(sb.get("trigger") or "")}):
            return []  # charged with one thing, not charged with another
        if pols == {"positive", "negative"} and _plain_statement(a) and _plain_statement(b):
            return [Finding("negation", 0.6, f"'{sa.get('trigger')}' asserted vs negated")]
        return []


def _published_order(a: dict[str, Any], b: dict[str, Any]) -> int:
    """+1 when b was published after a, -1 before, 0 same day or unknown."""
    pa, pb = a.get("published"), b.get("published")
    if not pa or not pb or pa == pb:
        return 0
    return 1 if pb > pa else -1


class SlotDetector:
    """Contradictions from the claims themselves: generic slots, no profile needed.

    Reads each claim's text with :mod:`rashomon.compare.slots` (or takes the
    readings already attached as ``claim["readings"]``) and reports the
    strongest disagreement per kind: opposite poles of one slot, a slot
    asserted by one voice and denied by the other, or different counts, clock
    times or responsible agents of one happening.  Vocabulary comes from
    ``data/contradiction_lexicon.yaml``; a profile is never consulted.
    """

    name = "slots"

    def __init__(self, lexicon_path: str | None = None) -> None:
        self.lex = load_lexicon(lexicon_path)

    def _readings(self, claim: dict[str, Any]) -> list[Reading]:
        rs = claim.get("readings")
        return list(rs) if rs is not None else readings(claim["text"], self.lex)

    def detect(self, a: dict[str, Any], b: dict[str, Any], scope: Scope) -> list[Finding]:
        ra, rb = self._readings(a), self._readings(b)
        if not ra and not rb:
            return []
        ta, tb = a["text"], b["text"]
        ga = a.get("groups") if a.get("groups") is not None else groups_in(ta)
        gb = b.get("groups") if b.get("groups") is not None else groups_in(tb)
        names_a = a.get("names") or frozenset(names_in(ta))
        names_b = b.get("names") or frozenset(names_in(tb))
        ctx = Context(
            same_story=scope.story_id is not None or scope.key[0] == "story",
            same_passage=scope.key[0] == "passage" and a["doc_id"] == b["doc_id"],
            same_doc=a["doc_id"] == b["doc_id"],
            shared_names=frozenset(names_a & names_b),
            shared_dates=frozenset((a.get("dates") or dates_in(ta))
                                   & (b.get("dates") or dates_in(tb))),
            groups_a=ga, groups_b=gb, shared_groups=ga & gb,
            shared_stems=frozenset((a.get("stems") or content_stems(ta, self.lex))
                                   & (b.get("stems") or content_stems(tb, self.lex))),
            later=_published_order(a, b),
        )
        best: dict[str, tuple[Verdict, Reading | None, Reading | None]] = {}

        def keep(v: Verdict | None, x: Reading | None, y: Reading | None) -> None:
            if v is not None and (v.kind not in best or v.confidence > best[v.kind][0].confidence):
                best[v.kind] = (v, x, y)

        for x in ra:
            for y in rb:
                keep(compare(x, y, ta, tb, ctx, self.lex), x, y)
        if a["doc_id"] != b["doc_id"]:  # a denial answers another outlet's telling
            for x in ra:
                if x.slot == "existence":
                    keep(compare_denial(x, ta, tb, ctx, self.lex), x, None)
            for y in rb:
                if y.slot == "existence":
                    keep(compare_denial(y, tb, ta, ctx, self.lex), None, y)
        out = []
        for kind in sorted(best):
            v, x, y = best[kind]
            spans = {}
            for claim, r in ((a, x), (b, y)):
                if r is not None:
                    spans[claim["id"]] = {
                        "slot": r.slot, "pole": r.pole, "mode": r.mode,
                        "trigger": claim["text"][r.start:r.end],
                        "trigger_start": claim["start"] + r.start,
                        "trigger_end": claim["start"] + r.end}
            about = sorted((x.objects if x else frozenset()) & (y.objects if y else frozenset()))
            out.append(Finding(v.kind, v.confidence, v.reason,
                               {"slot": v.slot, "spans": spans, "about": about}))
        return out


def asserted_in_claim(claim: dict[str, Any]) -> bool:
    """Is a qualification claim's qualifier asserted (not prevented, feared, denied, reported)?

    Profile qualifier pairs match words, so "the least we must do to prevent
    ethnic cleansing" matches "ethnic cleansing"; the same modality guards as
    the generic slots decide whether the claim says it happened.  A qualifier
    already read as negated has taken the other pole, so only guards apply.
    """
    sl = claim.get("slots") or {}
    if "q_start" not in sl or "q_end" not in sl:
        return True
    s, e = sl["q_start"] - claim["start"], sl["q_end"] - claim["start"]
    text = claim.get("text") or ""
    if not (0 <= s < e <= len(text)):
        return True
    lex = load_lexicon()
    # the parse already read a negation and flipped the pole: do not read it twice
    mode = mode_at(text, s, e, lex, attributive=is_attributive(text, e, lex),
                   negation=not sl.get("negated"))
    return mode in ("asserted", "intent")
