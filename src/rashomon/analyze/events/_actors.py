"""Coding the source and target of an event: who, from which country, in which sector.

An argument of a trigger (a subject, an object, a "by X" agent) is a noun
phrase of the parse.  It is coded from, in order of trust:

1. a resolved name (``Mention`` from the entities layer) inside the phrase,
   preferring the one on the phrase head; a person takes the country/sector of
   the profile role valid at the event date, else their own;
2. the generic gazetteer (country names, demonyms, IGO/NGO names), so
   "Azerbaijani soldiers" gets a country even with an empty profile;
3. the sector lexicon on the head noun or its modifiers ("soldiers" -> MIL).

Nothing here knows any conflict: the gazetteer is world-wide and symmetric.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from rashomon.analyze.events._codes import code_set, lexicon, word_set
from rashomon.analyze.events._coref import Coref, Resolution, Resolved
from rashomon.analyze.events._params import DEFAULT_PARAMS, EventParams
from rashomon.analyze.spans import doc_text
from rashomon.model import Actor, Mention, Quote
from rashomon.text import gazetteer

if TYPE_CHECKING:
    from spacy.tokens import Token

# Dependents that end a noun phrase: clauses and appositions hanging off it.
_NP_CUT = {"relcl", "acl", "advcl", "appos", "punct", "parataxis", "mark", "dep"}
_HEAD_CUT = {"cc", "conj", "preconj"}  # coordination is cut at the head only


@lru_cache(maxsize=1)
def sector_lexicon() -> dict[str, str]:
    return {str(k).lower(): v for k, v in (lexicon().get("sectors") or {}).items()}


def np_tokens(head: Token) -> list[Token]:
    """The noun phrase of ``head``: its subtree without clauses, appositions or conjuncts."""
    keep = [head]
    stack = [head]
    while stack:
        t = stack.pop()
        for ch in t.children:
            if ch.dep_ in _NP_CUT or (t.i == head.i and ch.dep_ in _HEAD_CUT):
                continue
            if ch.dep_ == "prep" and ch.lemma_.lower() not in word_set("noun_phrase_preps"):
                continue
            keep.append(ch)
            stack.append(ch)
    keep.sort(key=lambda t: t.i)
    # keep the contiguous block around the head
    lo = hi = [t.i for t in keep].index(head.i)
    while lo > 0 and keep[lo - 1].i == keep[lo].i - 1:
        lo -= 1
    while hi < len(keep) - 1 and keep[hi + 1].i == keep[hi].i + 1:
        hi += 1
    block = keep[lo:hi + 1]
    while block and block[0].dep_ in ("det", "punct") and block[0].i != head.i:
        block = block[1:]
    block = block or [head]
    return _extend_hyphen(block)


def _extend_hyphen(block: list[Token]) -> list[Token]:
    """Glue back a hyphenated word the parser split off ("eco - activists")."""
    doc = block[0].doc
    lo = block[0].i
    while (lo >= 2 and doc[lo - 1].tag_ == "HYPH" and not doc[lo - 1].whitespace_
           and not doc[lo - 2].whitespace_ and doc[lo - 2].is_alpha):
        lo -= 2
        # its own modifiers ("Azerbaijani eco-")
        while lo >= 1 and doc[lo - 1].dep_ in ("compound", "amod") and doc[lo - 1].head.i >= lo:
            lo -= 1
    if lo == block[0].i:
        return block
    return [doc[i] for i in range(lo, block[0].i)] + block


def conjuncts(head: Token) -> list[Token]:
    """The head and its coordinated heads ("Armenia and Azerbaijan")."""
    return [head, *[c for c in head.conjuncts if c.i > head.i]]


def _role_at(roles: list[dict[str, Any]], date: str | None) -> dict[str, Any] | None:
    if not roles:
        return None
    if not date:
        return None
    for r in roles:
        start, end = str(r.get("start") or ""), str(r.get("end") or "")
        if (not start or start <= date) and (not end or date <= end):
            return r
    return None


def code_from_mention(m: Mention, date: str | None) -> tuple[str | None, str | None]:
    """Country and sector of a resolved name, from its time-bounded role if one applies."""
    attrs = m.attrs or {}
    role = _role_at(attrs.get("roles") or [], date)
    country = (role or {}).get("country") or attrs.get("country")
    sector = (role or {}).get("sector") or attrs.get("sector")
    return country, sector


@dataclass
class ActorCoder:
    """Codes argument phrases of one document.

    With a :class:`~rashomon.analyze.events._coref.Coref`, pronouns are resolved
    first (``code(head, date, res)`` takes a ready resolution); without one, the
    older fallback applies (first person -> quote speaker or letter author,
    he/she -> the last person mentioned).
    """

    mentions: list[Mention]
    author: Actor | None = None  # the first person of a letter ("I, X, the President of ...")
    quotes: list[Quote] = field(default_factory=list)
    coref: Coref | None = None
    params: EventParams = DEFAULT_PARAMS
    # (mentions list, its length, starts, sorted?) for :meth:`_inside`, rebuilt when
    # the list changes
    _index: tuple[list[Mention], int, list[int], bool] | None = field(
        default=None, init=False, repr=False, compare=False)

    def code(self, head: Token, date: str | None = None, res: Resolved = None) -> Actor:
        if res is None and self.coref is not None:
            res = self.coref.resolve(head)
        if isinstance(res, Resolution):
            if res.actor is not None:
                return Actor(**res.actor.to_dict())
            if res.head is not None and res.head.i != head.i:
                return self._code_np(res.head, date)
            if res.mention is not None:
                return self._from_mention(res.mention, date)
        if self.coref is None:
            legacy = self._legacy_pronoun(head, date)
            if legacy is not None:
                return legacy
        return self._code_np(head, date)

    def _from_mention(self, m: Mention, date: str | None) -> Actor:
        country, sector = code_from_mention(m, date)
        return Actor(name=m.surface, entity_id=m.entity_id, country=country, sector=sector,
                     start=m.start, end=m.end)

    def _legacy_pronoun(self, head: Token, date: str | None) -> Actor | None:
        low = head.text.lower()
        if head.pos_ != "PRON":
            return None
        if low in word_set("legacy_first_person"):
            who = self._first_person(head.idx)
            if who is not None:
                return Actor(name=who.name, entity_id=who.entity_id, country=who.country,
                             sector=who.sector, start=head.idx, end=head.idx + len(head.text))
        if low in word_set("legacy_third_person"):
            before = [m for m in self.mentions if m.kind == "person" and m.end <= head.idx
                      and head.idx - m.end < self.params.legacy_pronoun_gap]
            if before:
                return self._from_mention(before[-1], date)
        return None

    def _code_np(self, head: Token, date: str | None) -> Actor:
        toks = np_tokens(head)
        start, end = toks[0].idx, toks[-1].idx + len(toks[-1].text)
        actor = Actor(name=doc_text(head.doc)[start:end], start=start, end=end)
        inside = self._inside(start, end)
        if inside:
            self._code_from_names(actor, inside, head, toks, date)
        else:
            # "the driver, Petar Islen," : the apposition names the actor
            named = self._apposition_actor(head, toks, date)
            if named is not None:
                return named
        if actor.country is None:
            actor.country = gazetteer_country(toks, head)
        if actor.country is None:
            actor.country = self._context_country(head, date)
        if actor.sector is None:
            actor.sector = phrase_sector(toks, head)
        if actor.sector is None and not inside and _is_capital(head):
            actor.sector = "GOV"  # "Tehran said": the capital speaks for the government
        return actor

    def _apposition_actor(self, head: Token, toks: list[Token], date: str | None
                          ) -> Actor | None:
        """The actor named by the first apposition holding an actor mention, or None."""
        for ap in (ch for ch in head.children if ch.dep_ == "appos"):
            named = [m for m in self.mentions
                     if m.start <= ap.idx < m.end and m.kind not in ("place", "")]
            if named:
                got = self._from_mention(named[0], date)
                got.sector = got.sector or phrase_sector(toks, head)
                got.country = got.country or gazetteer_country(toks, head)
                return got
        return None

    def _code_from_names(self, actor: Actor, inside: list[Mention], head: Token,
                         toks: list[Token], date: str | None) -> None:
        """Entity, country and sector from the names inside the phrase, the head's first."""
        own = [m for m in inside if m.start <= head.idx < m.end]
        best = own[0] if own else min(inside, key=lambda m: abs(m.start - head.idx))
        actor.entity_id = best.entity_id
        if own and best.kind == "person":
            # "the driver Jon Arle" and "Jon Arle, the driver" name the same person
            actor.name, actor.start, actor.end = best.surface, best.start, best.end
        country, sector = code_from_mention(best, date)
        actor.country = country
        # a modifier's name ("Armenian civilian") gives the country, not the sector
        actor.sector = sector if own else phrase_sector(toks, head) or None

    def _inside(self, start: int, end: int) -> list[Mention]:
        """Mentions within [start, end), in list order (a bisect when sorted by start)."""
        index = self._index
        if index is None or index[0] is not self.mentions or index[1] != len(self.mentions):
            starts = [m.start for m in self.mentions]
            ordered = starts == sorted(starts) and all(m.start <= m.end for m in self.mentions)
            index = self._index = (self.mentions, len(self.mentions), starts, ordered)
        mentions, _n, starts, ordered = index
        if not ordered:
            return [m for m in mentions if start <= m.start and m.end <= end]
        lo, hi = bisect_left(starts, start), bisect_right(starts, end)
        return [m for m in mentions[lo:hi] if m.end <= end]

    def _context_country(self, head: Token, date: str | None) -> str | None:
        """Country from around the phrase: "rebels in the Ivory Coast", "Oshima, the UN
        coordinator", "their forces" (the owner's country)."""
        for ch in head.children:
            code = None
            if ch.dep_ == "prep" and ch.lower_ == "in":
                code = self._country_in(ch)
            elif ch.dep_ == "appos":
                code = gazetteer_country(np_tokens(ch), ch)
            elif ch.dep_ == "poss" and ch.pos_ == "PRON" and self.coref is not None:
                res = self.coref.resolve(ch)
                if isinstance(res, Resolution) and res.head is not None and res.head.i != ch.i:
                    return self._code_np(res.head, date).country
            if code:
                return code
        return None

    def _country_in(self, prep: Token) -> str | None:
        """The country of "in X": a named place's country, else the gazetteer's."""
        obj = next((p for p in prep.children if p.dep_ == "pobj"), None)
        if obj is None:
            return None
        sub = list(obj.subtree)
        for m in self.mentions:
            if sub[0].idx <= m.start < sub[-1].idx + 1:
                country = (m.attrs or {}).get("country")
                if country:
                    return str(country)
        return gazetteer_country(sub, obj)

    def _first_person(self, char: int) -> Actor | None:
        for q in self.quotes:
            if q.start <= char < q.end and getattr(q, "speaker", None):
                return q.speaker
        return self.author


def _is_capital(head: Any) -> bool:
    hits = gazetteer().matches([head])
    return bool(hits) and hits[0][3] == "capital" and head.text[:1].isupper()


def gazetteer_country(toks: list[Any], head: Any) -> str | None:
    """Country (or IGO/NGO) code named in the phrase, the head's own name first."""
    hits = [h for h in gazetteer().matches(toks)
            if (h[3] not in ("capital", "city") or toks[h[0]].text[:1].isupper())
            and not _sponsor(toks, h[1])]
    if not hits:
        return None
    ids = [t.i for t in toks]
    head_pos = ids.index(head.i) if head.i in ids else -1
    for lo, hi, code, _kind in hits:
        if lo <= head_pos < hi:
            return code
    return hits[0][2]


_SPONSOR = {"backed", "led", "sponsored", "supported", "funded", "allied", "trained", "armed",
            "installed", "brokered", "controlled", "aligned", "based"}


def _sponsor(toks: list[Any], end: int) -> bool:
    """"US-backed rebels", "Iran-allied militia": the named country is a sponsor, not
    the actor."""
    if end + 1 >= len(toks) + 1:
        return False
    nxt = toks[end:end + 2]
    if len(nxt) == 2 and nxt[0].text in ("-", "–") and nxt[1].lower_ in _SPONSOR:
        return True
    return bool(nxt) and "-" in nxt[0].text and nxt[0].lower_.split("-")[-1] in _SPONSOR


def gazetteer_country_hits(toks: list[Any]) -> list[tuple[int, str]]:
    """(character offset, code) of each country-like name in a token list (no IGO/NGO)."""
    out = []
    for lo, hi, code, kind in gazetteer().matches(toks):
        if kind == "organisation" or _sponsor(toks, hi):
            continue
        if kind in ("capital", "city") and not toks[lo].text[:1].isupper():
            continue
        out.append((toks[lo].idx, code))
    return out


def phrase_sector(toks: list[Token], head: Token) -> str | None:
    """Sector from the head noun, then from its compounds/modifiers ("police officers");
    a role noun takes its modifier's sector ("opposition leader" -> OPP) and a former
    office holder is ELI."""
    lex = sector_lexicon()
    mods = [t for t in toks if t.i < head.i and t.dep_ in ("compound", "amod", "nmod")]
    roles = word_set("role_heads")
    if head.lower_ in roles or head.lemma_.lower() in roles:
        for t in reversed(mods):
            sec = lex.get(t.lemma_.lower()) or lex.get(t.lower_)
            if sec in code_set("role_sectors"):
                return sec
    for cand in (head.lemma_.lower(), head.text.lower()):
        if cand in lex:
            if lex[cand] == "GOV" and any(t.lower_ in word_set("former_words")
                                          for t in toks if t.i < head.i):
                return "ELI"
            return lex[cand]
    for t in reversed(toks):
        if t.i == head.i:
            continue
        for cand in (t.lemma_.lower(), t.text.lower()):
            if cand in lex and t.dep_ in ("compound", "amod", "nmod", "pobj"):
                return lex[cand]
    return None


_AUTHOR_RE = re.compile(
    r"\bI,\s+(?P<name>[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){0,3}),\s+(?:the\s+)?(?P<title>[^,.;]{3,120})")
# "We, residents of X and of Y, write ..." : a group introducing itself
_WE_RE = re.compile(r"(?:^|(?<=[.!?]\s)|(?<=\n))We,\s+(?P<name>(?!the undersigned)[^,;:.\n]{3,160}),\s")


def letter_author(text: str, mentions: list[Mention]) -> Actor | None:
    """The self-named writer of a first-person text: "I, <Name>, the <title> ..."."""
    return letter_author_at(text, mentions)[0]


def letter_author_at(text: str, mentions: list[Mention]) -> tuple[Actor | None, int | None]:
    """The writer of a first-person text and where the self-introduction starts.

    "I, <Name>, the <title> ..." names a person; "We, <group>, ..." names a group
    of signatories (no entity unless the phrase holds an actor mention).
    """
    m = _AUTHOR_RE.search(text)
    we = _WE_RE.search(text)
    if m is None and we is None:
        return None, None
    if m is None or (we is not None and we.start() < m.start()):
        assert we is not None
        return _we_author(we, mentions), we.start()
    start, end = m.start("name"), m.end("name")
    actor = Actor(name=m.group("name"), start=start, end=end)
    for men in mentions:
        if men.start <= start < men.end or start <= men.start < end:
            actor.entity_id = men.entity_id
            actor.country, actor.sector = code_from_mention(men, None)
            break
    title = m.group("title").lower()
    if actor.sector is None:
        actor.sector = _words_sector(title)
    return actor, m.start()


def _words_sector(phrase: str) -> str | None:
    lex = sector_lexicon()
    for word in re.findall(r"[a-z]+", phrase.lower()):
        for cand in (word, word[:-1] if word.endswith("s") else word):
            if cand in lex:
                return lex[cand]
    return None


def _we_author(m: re.Match[str], mentions: list[Mention]) -> Actor:
    start, end = m.start("name"), m.end("name")
    actor = Actor(name=m.group("name").strip(), start=start, end=end)
    actors = [x for x in mentions if start <= x.start and x.end <= end
              and x.kind not in ("place", "")]
    if actors:
        actor.entity_id = actors[0].entity_id
        actor.country, actor.sector = code_from_mention(actors[0], None)
    places = [x for x in mentions if start <= x.start and x.end <= end and x.kind == "place"]
    if actor.country is None and places:
        actor.country = (places[0].attrs or {}).get("country")
    if actor.sector is None:
        actor.sector = _words_sector(actor.name.split(" of ")[0])
    return actor
