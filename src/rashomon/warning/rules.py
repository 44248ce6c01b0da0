"""Evidence rules as data: which words and which coded events point to which indicator.

Rules live in ``data/warning_rules.yaml`` (see its header for the syntax); a
profile may add rules under ``warnings: rules:`` / ``event_rules:``.  Matching
reuses the contradiction layer's modality reading
(:func:`rashomon.compare.slots.mode_at`): a term inside a call to prevent, a
fear, a warning, a condition or a question is *guarded* and never counts, and
a denied term counts only for rules that want denials.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any

from rashomon import data as rdata
from rashomon.compare.slots import Lexicon, groups_in, load_lexicon, mode_at, term_pattern

RULES_FILE = "warning_rules.yaml"
DEFAULT_MODES = frozenset({"asserted", "reported"})
KINDS = ("act", "statement", "allegation", "context")
# " * " inside a term: up to four words in between ("destroyed the old church")
_GAP = r"[\s\-]+(?:[\w'’-]+[\s\-]+){0,4}"


def term_regex(term: str) -> str:
    """One rule term as a regex: the lexicon syntax plus `` * `` for a short gap."""
    return _GAP.join(term_pattern(part) for part in term.split(" * "))


def _compile(terms: list[str] | None) -> re.Pattern[str] | None:
    if not terms:
        return None
    ordered = sorted({str(t) for t in terms}, key=len, reverse=True)
    return re.compile("|".join(term_regex(t) for t in ordered), re.I)


_LOWER_WORD = re.compile(r"[a-z][a-z'’-]*")


def _leads(terms: list[str] | None) -> tuple[frozenset[str], tuple[str, ...]]:
    """First words of the terms (whole words, and word beginnings for ``word*``).

    A rule can only match a sentence that contains one of them, which a set
    lookup tells far faster than the rule's regex (checked on every sentence).
    """
    words, prefixes = set(), set()
    for t in terms or ():
        first = str(t).lower().split()[0].replace("-", " ").split()[0]
        if first.endswith("*"):
            prefixes.add(first.rstrip("*"))
        else:
            words.add(first)
    return frozenset(words), tuple(sorted(prefixes))


def words_of(text: str) -> frozenset[str]:
    """The lower-case words of ``text``, hyphenated parts apart (for the lead-word checks)."""
    return frozenset(w for tok in _LOWER_WORD.findall(text.lower()) for w in tok.split("-") if w)


def _may_match(leads: tuple[frozenset[str], tuple[str, ...]], words: frozenset[str],
               stems: frozenset[str]) -> bool:
    """Does one of the words start a term (``stems``: every word's beginnings, see below)?"""
    whole, prefixes = leads
    return bool(whole & words) or bool(prefixes and stems.intersection(prefixes))


def stems_of(words: frozenset[str], lengths: tuple[int, ...]) -> frozenset[str]:
    """Every beginning of every word at the given lengths (for the ``word*`` leads)."""
    return frozenset(w[:n] for w in words for n in lengths if len(w) >= n)


@dataclass(frozen=True)
class TextRule:
    """Words in a sentence that point to one or more indicators."""

    id: str
    indicators: tuple[str, ...]
    kind: str
    pattern: re.Pattern[str]
    near: re.Pattern[str] | None
    group: str  # "" (no need), "any" (a people or a group word), "people" (a people only)
    modes: frozenset[str]
    near_after: bool = False
    leads: tuple[frozenset[str], tuple[str, ...]] = (frozenset(), ())


@dataclass(frozen=True)
class EventRule:
    """Coded events (CAMEO code prefixes, optionally a target sector) for indicators."""

    id: str
    indicators: tuple[str, ...]
    kind: str
    cameo: tuple[str, ...]
    target_sectors: frozenset[str]
    target_named: bool = False

    def accepts_target(self, target: dict[str, Any] | None) -> bool:
        """Does the event's target fit (a sector listed, or a named person or body)?"""
        target = target or {}
        if self.target_sectors and target.get("sector") not in self.target_sectors:
            return False
        if self.target_named:
            name = str(target.get("name") or "")
            # a sector or a name; an entity id alone may come from a word inside a
            # figurative object ("capture the ambiguity of the American experience")
            return bool(target.get("sector") or name[:1].isupper())
        return True


@dataclass(frozen=True)
class RuleMatch:
    """A rule's hit in one sentence: where, and how the sentence holds it (mode)."""

    rule: TextRule
    start: int  # offsets inside the sentence
    end: int
    mode: str


@dataclass(frozen=True)
class Rules:
    """All rules, compiled, with the shared denial cues and ``not_proof`` templates."""

    text: tuple[TextRule, ...]
    events: tuple[EventRule, ...]
    denial_cues: re.Pattern[str] | None
    group_words: re.Pattern[str] | None
    not_proof: dict[str, str]
    leads: tuple[frozenset[str], tuple[str, ...]] = (frozenset(), ())

    @cached_property
    def prefix_lengths(self) -> tuple[int, ...]:
        return tuple(sorted({len(p) for p in self.leads[1]}))

    def may_match(self, text: str) -> bool:
        """False when no rule term can start in ``text`` (a cheap word check)."""
        words = words_of(text)
        return _may_match(self.leads, words, stems_of(words, self.prefix_lengths))

    def names_group(self, sentence: str, groups: re.Pattern[str] | None = None,
                    words: bool = True) -> bool:
        """Does the sentence name a people (a demonym, a profile's group name) or, with
        ``words``, use a group word ("civilians", "the population")?"""
        return bool(groups_in(sentence) or (groups is not None and groups.search(sentence))
                    or (words and self.group_words is not None
                        and self.group_words.search(sentence)))

    def match_sentence(self, sentence: str, lex: Lexicon | None = None,
                       groups: re.Pattern[str] | None = None) -> list[RuleMatch]:
        """Every rule hit in ``sentence`` whose modality the rule accepts.

        ``groups``: names of peoples the profile knows (its states' demonyms),
        so a rule that needs a group works alike for every party, whatever
        the shape of its demonym.

        Guarded readings (prevent, fear, warn, call for, if...) never count.
        An act term after a denial cue ("denies the so-called blockade") is not
        an assertion of the act.
        """
        words = words_of(sentence)
        stems = stems_of(words, self.prefix_lengths)
        if not _may_match(self.leads, words, stems):
            return []
        lex = lex or load_lexicon()
        out: list[RuleMatch] = []
        for rule in self.text:
            if not _may_match(rule.leads, words, stems):
                continue
            if rule.near is not None and not rule.near.search(sentence):
                continue
            if rule.group and not self.names_group(sentence, groups,
                                                   words=rule.group == "any"):
                continue
            for m in rule.pattern.finditer(sentence):
                if rule.near_after and (rule.near is None or
                                        not rule.near.search(sentence, m.end())):
                    continue
                mode = mode_at(sentence, m.start(), m.end(), lex)
                if mode == "guarded" or mode not in rule.modes:
                    continue
                if rule.kind in ("act", "allegation", "context") and self.denial_cues is not None:
                    cue = self.denial_cues.search(sentence, 0, m.start())
                    if cue is not None:
                        continue
                out.append(RuleMatch(rule, m.start(), m.end(), mode))
                break  # one hit per rule and sentence
        return out


def group_pattern(names: list[str]) -> re.Pattern[str] | None:
    """A case-sensitive whole-word pattern of group names (e.g. a profile's demonyms)."""
    names = sorted({n for n in names if n and n.strip()}, key=len, reverse=True)
    if not names:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(n) for n in names) + r")(?!\w)")


def _group_need(value: Any) -> str:
    if value in (None, False, ""):
        return ""
    if value is True or value == "any":
        return "any"
    if value == "people":
        return "people"
    raise rdata.DataError(f"warning rule group must be true, 'any' or 'people', not {value!r}")


def _text_rule(raw: dict[str, Any]) -> TextRule:
    kind = str(raw.get("kind") or "act")
    if kind not in KINDS:
        raise rdata.DataError(f"warning rule {raw.get('id')!r}: kind must be one of {KINDS}")
    pattern = _compile(raw.get("terms"))
    if pattern is None:
        raise rdata.DataError(f"warning rule {raw.get('id')!r}: no terms")
    modes = frozenset(raw.get("modes") or DEFAULT_MODES) - {"guarded"}
    return TextRule(id=str(raw["id"]), indicators=tuple(str(i) for i in raw["indicators"]),
                    kind=kind, pattern=pattern, near=_compile(raw.get("near")),
                    group=_group_need(raw.get("group")), modes=modes,
                    near_after=bool(raw.get("near_after")), leads=_leads(raw.get("terms")))


def _event_rule(raw: dict[str, Any]) -> EventRule:
    return EventRule(id=str(raw["id"]), indicators=tuple(str(i) for i in raw["indicators"]),
                     kind=str(raw.get("kind") or "act"),
                     cameo=tuple(str(c) for c in raw.get("cameo") or ()),
                     target_sectors=frozenset(str(s) for s in raw.get("target_sectors") or ()),
                     target_named=bool(raw.get("target_named")))


def build_rules(raw: dict[str, Any], extra: dict[str, Any] | None = None) -> Rules:
    """Compile a rule file (plus a profile's additions, whose rules replace same-id ones)."""
    extra = extra or {}
    text_raw = {r["id"]: r for r in [*(raw.get("rules") or []), *(extra.get("rules") or [])]}
    ev_raw = {r["id"]: r for r in [*(raw.get("event_rules") or []),
                                   *(extra.get("event_rules") or [])]}
    text = tuple(_text_rule(r) for r in text_raw.values())
    all_terms = [t for r in text_raw.values() for t in r.get("terms") or []]
    whole, prefixes = _leads(all_terms)
    return Rules(text=text, events=tuple(_event_rule(r) for r in ev_raw.values()),
                 denial_cues=_compile(raw.get("denial_cues")),
                 group_words=_compile(raw.get("group_words")),
                 not_proof={**(raw.get("not_proof") or {}), **(extra.get("not_proof") or {})},
                 leads=(whole, prefixes))


@lru_cache(maxsize=1)
def default_rules() -> Rules:
    """The bundled rules, compiled once per process."""
    return build_rules(rdata.load(RULES_FILE))
