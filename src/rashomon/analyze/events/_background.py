"""Events told as background, as ability, or as a figure of speech, not as news.

A report mixes the happening it reports with what lies behind it ("since NATO's
1999 bombing"), with what someone says could happen ("you can kill us all") and
with figures of speech ("killed the deal").  Coding these as current events
puts a decades-old bombing on the report's day, or a speaker's defiance in the
list of killings.  This module reads, from the parse and the dates:

* :func:`background` - the event is history behind the news: a year on its own
  phrase before the publication year ("the 1999 bombing", "blown up in 1988"),
  a phrase dating it well before the report ("two decades ago", "last year"),
  its own date more than a year before publication; or, inside another event's
  clause (a relative clause, a participle, a noun after a preposition), a recent
  past date of its own ("a helicopter captured last week", "last month's
  invasion");
* :func:`ability` - a modal of ability or possibility ("can", "can't") carries the
  event: PLOVER's hypothetical auxiliary mode;
* :func:`figurative` - a verb of material conflict whose object is an abstract
  or figurative thing ("killed the deal", "fought corruption").

Background events keep their record (``modality["background"]`` with the reason
in ``modality["background_reason"]``); exporters and the evaluation leave them
out of the current events, and the PLOVER export marks them ``historical``.
"""

from __future__ import annotations

import re
from datetime import date as _date
from functools import lru_cache
from typing import TYPE_CHECKING

from rashomon.analyze.events._codes import lexicon, word_set

if TYPE_CHECKING:
    from spacy.tokens import Token

_YEAR = re.compile(r"\b(1[5-9]\d\d|20\d\d)s?\b")
_MONTH = re.compile(r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\b")
#: dependency labels of a trigger told inside another event's clause
_EMBEDDED_DEPS = frozenset({"relcl", "acl", "pobj", "poss", "compound", "appos"})


def _year_of(published: str | None) -> int | None:
    try:
        return _date.fromisoformat(str(published)[:10]).year if published else None
    except ValueError:
        return None


def _date_phrases(anchors: list[Token]) -> list[str]:
    """The texts of the date-like dependents of the trigger's own phrase."""
    deps = word_set("background_date_deps")
    preps = word_set("background_date_preps")
    out = []
    for a in anchors:
        for ch in a.children:
            if ch.dep_ in deps or (ch.dep_ == "prep" and ch.lower_ in preps):
                sub = list(ch.subtree)
                if any(t.ent_type_ == "DATE" or _YEAR.fullmatch(t.text) for t in sub):
                    out.append(" ".join(t.lower_ for t in sub))
    return out


def background(anchors: list[Token], published: str | None) -> str | None:
    """Why the event is background to the report (see module docstring), or None.

    Only a date on the trigger's own phrase counts: the sentence's nearest date is
    often another event's ("since the statement of 9 November 2020, X has attacked").
    A year two or more before the report's is history; the year before only without
    a month (a December event in a January report is news).
    """
    pub_year = _year_of(published)
    phrases = _date_phrases(anchors)
    for text in phrases:
        years = [int(y) for y in _YEAR.findall(text)]
        if years and pub_year is not None and (
                max(years) <= pub_year - 2
                or (max(years) == pub_year - 1 and not _MONTH.search(text))):
            return f"dated {max(years)}, before the report's year"
        if any(p in text for p in word_set("historic_phrases")):
            return f"dated '{text}'"
    trig = anchors[0]
    if trig.dep_ in _EMBEDDED_DEPS and trig.head.i != trig.i:
        recent = word_set("recent_past_words")
        for text in phrases:
            if any(w in text.split() for w in recent):
                return f"told inside another event, dated '{text}'"
    return None


def ability(anchors: list[Token]) -> bool:
    """Does a modal of ability or possibility carry the event ("you can kill us all")?"""
    modals = word_set("ability_modals")
    return any(c.dep_ == "aux" and c.lower_ in modals for a in anchors for c in a.children)


def figurative(code: str, tgt: Token | None) -> bool:
    """A verb of material conflict on an abstract or figurative object ("killed the deal")."""
    if tgt is None or not code[:2].isdigit() or int(code[:2]) < 14:
        return False
    return tgt.lemma_.lower() in _figurative_objects()


@lru_cache(maxsize=1)
def _figurative_objects() -> frozenset[str]:
    lex = lexicon()
    return frozenset(lex.get("figurative_objects") or []) | frozenset(
        lex.get("abstract_targets") or [])
