"""The ``entities`` layer: actors and places mentioned in a document.

Two passes over each document:

1. **Profile matching.**  Every alias of every profile actor, place and source is
   compiled once per profile into a token-sequence index (see
   :class:`AliasMatcher`).  Matching walks the document's word tokens once and
   looks up token n-grams in two dicts (case-sensitive for short or mixed-case
   aliases like "MoD", case-insensitive otherwise), so the cost does not grow
   with the number of aliases.  Hyphen, non-breaking hyphen and en dash are
   ignored inside names ("Lachin–Khankendi" = "Lachin-Khankendi" = "Lachin
   Khankendi"); a possessive "'s" is outside the span; the longest match wins.
   Contested names are simply aliases of one entity: the mention keeps the
   surface as written.
2. **NER fallback.**  spaCy entities (GPE, LOC, FAC, ORG, PERSON, NORP) that no
   profile mention overlaps get best-effort typing; GPE/LOC are geocoded with
   :mod:`rashomon.text` (the shared gazetteer).  A bare surname that matches an earlier
   full name in the same document joins that person.

Ambiguous aliases (the same alias on several entities, e.g. a person's bare
surname shared by two people, or "the Foreign Ministry") resolve to the
candidate mentioned most recently, else anywhere, in the same document by an
unambiguous name; then by the countries the document mentions.  An ambiguous
*generated* surname with no such evidence is left to the NER pass.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from rashomon import data as rdata
from rashomon.model import Entity, Mention, stable_id
from rashomon.text import (
    country_entity,
    gazetteer,
    lookup_country,
    normalize_name,
    region_country,
    resolve_place,
)

NER_LABELS = ("GPE", "LOC", "FAC", "ORG", "PERSON", "NORP")

# Dashes that join parts of one name; the em dash is sentence punctuation and is kept.
_JOINERS = frozenset("-\u2010\u2011\u2012\u2013\u2212")
_APOSTROPHES = "'\u2019\u02bc\u2018"
_TOKEN_RE = re.compile(r"\w+|[^\w\s]")
_MIXED_CASE = re.compile(r"[a-z][A-Z]")

# Best-effort sector of an unlisted organisation from its head words (generic English).
_ORG_SECTOR_WORDS: tuple[tuple[str, str, str], ...] = tuple(tuple(row) for row in rdata.section("entities.yaml", "org_sector_words"))


# -- profile entities --------------------------------------------------------------
def _jsonable(value: Any) -> Any:
    """YAML turns ISO dates into date objects; records must stay JSON-ready."""
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def profile_entities(profile: Any) -> list[Entity]:
    """Every actor, place and source of a profile as an :class:`Entity` (origin 'profile').

    Places get kind ``place`` (their profile kind, city/region/route..., is in
    ``attrs.place_kind``); sources get kind ``media`` and sector ``MED``.
    """
    out: list[Entity] = []
    for a in profile.actors:
        attrs = {k: _jsonable(a[k]) for k in ("side", "roles") if a.get(k)}
        out.append(Entity(id=a["id"], kind=a.get("kind") or "organisation", name=a["name"],
                          aliases=list(a.get("aliases") or []), country=a.get("country"),
                          sector=a.get("sector"), origin="profile", attrs=attrs))
    for p in profile.places:
        out.append(Entity(id=p["id"], kind="place", name=p["name"],
                          aliases=list(p.get("aliases") or []), country=p.get("country"),
                          lat=p.get("lat"), lon=p.get("lon"), origin="profile",
                          attrs={"place_kind": p.get("kind") or "place"}))
    taken = {e.id for e in out}
    for s in profile.sources:
        sid = s["id"] if s["id"] not in taken else f"source:{s['id']}"
        out.append(Entity(id=sid, kind="media", name=s["name"], aliases=list(s.get("aliases") or []),
                          country=s.get("country"), sector="MED", origin="profile",
                          attrs={k: s[k] for k in ("side", "type") if s.get(k)}))
    return out


# -- the alias matcher -------------------------------------------------------------
def tokenize(text: str) -> list[tuple[int, int, str]]:
    """Word and punctuation tokens with offsets; name-joining dashes are dropped."""
    out = []
    for m in _TOKEN_RE.finditer(text):
        tok = m.group()
        if tok in _JOINERS:
            continue
        if tok in _APOSTROPHES:
            tok = "'"
        out.append((m.start(), m.end(), tok))
    return out


def _fold(tok: str) -> str:
    if tok.isascii():  # NFC leaves ASCII as it is; most tokens take this path
        return tok.lower()
    return unicodedata.normalize("NFC", tok).lower()


def _case_sensitive(alias: str) -> bool:
    """Short, all-caps or mixed-case aliases ("UN", "MoD", "NKAO") must match exactly."""
    letters = [c for c in alias if c.isalpha()]
    return len(alias.replace(" ", "")) <= 4 or (len(letters) > 1 and alias.isupper()) or bool(
        _MIXED_CASE.search(alias))


@dataclass
class _Target:
    entity_id: str
    trim: int  # leading tokens ("the") that the alias needs but the span leaves out
    generated: bool = False


@dataclass
class AliasMatcher:
    """All aliases of one profile as spaCy ``PhraseMatcher`` patterns; built once per profile.

    Case-sensitive aliases ("UN", "MoD") match the tokens as written, the others the
    tokens case-folded (NFC, lower case); both matchers compare ``ORTH``, so a
    folded alias matches exactly the folded tokens.  Matching runs over this module's own tokens
    (:func:`tokenize`: name-joining dashes dropped, apostrophes unified), not the
    parser's, so a name matches the same way whatever model is loaded.  At each
    token the longest alias wins (an exact one before a case-folded one of the same
    length), and a match consumes its tokens: leftmost-longest.
    """

    entities: dict[str, Entity]
    exact: dict[tuple[str, ...], list[_Target]] = field(default_factory=dict)
    folded: dict[tuple[str, ...], list[_Target]] = field(default_factory=dict)
    order: dict[str, int] = field(default_factory=dict)
    _matchers: tuple[Any, Any] | None = None

    @classmethod
    def build(cls, entities: Iterable[Entity]) -> AliasMatcher:
        ents = list(entities)
        self = cls(entities={e.id: e for e in ents},
                   order={e.id: i for i, e in enumerate(ents)})
        for e in ents:
            for alias in dict.fromkeys([e.name, *e.aliases]):
                self._add(alias, e.id, generated=False)
        explicit = set(self.exact) | set(self.folded)
        for e in ents:
            if e.kind != "person":
                continue
            for alias in _person_variants(e.name):
                toks = tuple(t for _, _, t in tokenize(alias))
                if toks in explicit or tuple(_fold(t) for t in toks) in explicit:
                    continue  # an explicit alias of someone else wins over a generated one
                self._add(alias, e.id, generated=True)
        return self

    def _add(self, alias: str, entity_id: str, generated: bool) -> None:
        toks = [t for _, _, t in tokenize(alias)]
        if not toks:
            return
        trim = 1 if len(toks) > 1 and toks[0].lower() == "the" else 0
        if _case_sensitive(alias):
            key, table = tuple(toks), self.exact
        else:
            key, table = tuple(_fold(t) for t in toks), self.folded
        targets = table.setdefault(key, [])
        if all(t.entity_id != entity_id for t in targets):
            targets.append(_Target(entity_id, trim, generated))
        self._matchers = None

    def _phrase_matchers(self) -> tuple[Any, Any]:
        """(exact, folded) phrase matchers, compiled on first use."""
        if self._matchers is None:
            from spacy.matcher import PhraseMatcher
            from spacy.tokens import Doc

            vocab = _vocab()
            exact, folded = PhraseMatcher(vocab, attr="ORTH"), PhraseMatcher(vocab, attr="ORTH")
            if self.exact:
                exact.add("exact", [Doc(vocab, words=list(k)) for k in self.exact])
            if self.folded:
                folded.add("folded", [Doc(vocab, words=list(k)) for k in self.folded])
            self._matchers = (exact, folded)
        return self._matchers

    def find(self, text: str) -> list[tuple[int, int, list[_Target]]]:
        """Leftmost-longest matches: (start, end, candidate targets)."""
        from spacy.tokens import Doc

        toks = tokenize(text)
        if not toks:
            return []
        raw = [t for _, _, t in toks]
        low = [t.lower() if t.isascii() else _fold(t) for t in raw]
        vocab = _vocab()
        exact, folded = self._phrase_matchers()
        # longest match at each start token; an exact one wins a tie
        best: dict[int, tuple[int, bool]] = {}
        for matcher, words, is_exact in ((exact, raw, True), (folded, low, False)):
            for _key, i, j in matcher(Doc(vocab, words=words)):
                if j - i > best.get(i, (0, False))[0]:
                    best[i] = (j - i, is_exact)
        out = []
        resume = 0  # a match consumes its tokens: the next one starts after it
        for i in sorted(best):
            if i < resume:
                continue
            size, is_exact = best[i]
            targets = (self.exact[tuple(raw[i:i + size])] if is_exact
                       else self.folded[tuple(low[i:i + size])])
            trim = min(t.trim for t in targets)
            start_tok = i + trim if trim < size else i
            out.append((toks[start_tok][0], toks[i + size - 1][1], targets))
            resume = i + size
        return out


@lru_cache(maxsize=1)
def _vocab() -> Any:
    """One vocabulary for alias patterns and the documents they are matched against."""
    import spacy

    return spacy.blank("en").vocab


_SURNAME_PARTICLES = frozenset(rdata.section("entities.yaml", "surname_particles"))


def _person_variants(name: str) -> list[str]:
    """Generated aliases of a person: bare surname and initial + surname ("I. Aliyev").

    A particle before the last word belongs to the surname ("Le Drian", "van Dyke").
    """
    parts = name.split()
    if len(parts) < 2:
        return []
    cut = len(parts) - 1
    while cut > 1 and parts[cut - 1].lower().strip(".") in _SURNAME_PARTICLES:
        cut -= 1
    surname = " ".join(parts[cut:])
    return [surname, f"{parts[0][0]}. {surname}"]


_MATCHERS: dict[str, AliasMatcher] = {}


def matcher_for(profile: Any) -> AliasMatcher:
    """The compiled matcher of a profile, cached by the profile's content fingerprint."""
    key = f"{profile.name}:{profile.fingerprint}"
    m = _MATCHERS.get(key)
    if m is None:
        if len(_MATCHERS) > 8:
            _MATCHERS.clear()
        m = _MATCHERS[key] = AliasMatcher.build(profile_entities(profile))
    return m


# -- the layer ---------------------------------------------------------------------
def entities_layer(ctx: Any) -> dict[str, list[Mention]]:
    """Document layer: profile mentions first, then NER/gazetteer mentions in the gaps."""
    doc, profile = ctx.doc, ctx.profile
    matcher = matcher_for(profile)
    date = (doc.published or "")[:10] or None
    mentions = _profile_mentions(doc.id, doc.text, matcher, date)
    if ctx.sdoc is not None:
        context = {m.attrs.get("country") for m in mentions} | _profile_countries(profile)
        mentions += _ner_mentions(doc.id, doc.text, ctx.sdoc, mentions,
                                  {c for c in context if c})
    mentions.sort(key=lambda m: (m.start, m.end))
    return {"mentions": mentions}


def _profile_countries(profile: Any) -> set[str]:
    return {p["country"] for p in profile.places if p.get("country")}


def _profile_mentions(doc_id: str, text: str, matcher: AliasMatcher,
                      date: str | None) -> list[Mention]:
    hits = matcher.find(text)
    # unambiguous mentions first: they are the evidence for ambiguous ones
    firm = [(s, t[0].entity_id) for s, _, t in hits if len(t) == 1]
    first_seen: dict[str, int] = {}
    for s, eid in firm:
        first_seen.setdefault(eid, s)
    country_counts = Counter(matcher.entities[eid].country for _, eid in firm)
    out = []
    for start, end, targets in hits:
        resolution = None
        if len(targets) == 1:
            eid = targets[0].entity_id
        else:
            eid, resolution = _resolve(start, targets, firm, first_seen, country_counts, matcher)
            if eid is None:
                continue
        out.append(_mention(doc_id, text, start, end, matcher.entities[eid], date,
                            generated=any(t.generated and t.entity_id == eid for t in targets),
                            candidates=[t.entity_id for t in targets] if resolution else None,
                            resolution=resolution))
    return out


def _resolve(start: int, targets: list[_Target], firm: list[tuple[int, str]],
             first_seen: dict[str, int], country_counts: Counter,
             matcher: AliasMatcher) -> tuple[str | None, str | None]:
    ids = [t.entity_id for t in targets]
    before = [eid for s, eid in firm if s < start and eid in ids]
    if before:
        return before[-1], "recent"
    seen = sorted((first_seen[i], i) for i in ids if i in first_seen)
    if seen:
        return seen[0][1], "in-document"
    if all(t.generated for t in targets):
        return None, None
    scored = sorted(ids, key=lambda i: (-country_counts.get(matcher.entities[i].country, 0),
                                        matcher.order[i]))
    return scored[0], "context" if country_counts.get(
        matcher.entities[scored[0]].country) else "default"


def active_roles(entity: Entity, date: str | None) -> list[dict[str, Any]]:
    """Roles of a profile actor that hold on ``date`` (all roles when the date is unknown)."""
    roles = entity.attrs.get("roles") or []
    if not date:
        return list(roles)
    return [r for r in roles
            if (not r.get("start") or str(r["start"]) <= date)
            and (not r.get("end") or date <= str(r["end"]))]


def _mention(doc_id: str, text: str, start: int, end: int, ent: Entity, date: str | None,
             generated: bool = False, candidates: list[str] | None = None,
             resolution: str | None = None) -> Mention:
    attrs: dict[str, Any] = {"country": ent.country, "sector": ent.sector, "origin": ent.origin,
                             "canonical": ent.name}
    roles = active_roles(ent, date) if ent.attrs.get("roles") else []
    if roles:
        attrs["roles"] = roles
        if date:  # the role held at the time decides sector and country
            attrs["sector"] = roles[0].get("sector") or ent.sector
            attrs["country"] = roles[0].get("country") or ent.country
    if ent.kind == "place":
        attrs.update(lat=ent.lat, lon=ent.lon, place_kind=ent.attrs.get("place_kind"))
    if generated:
        attrs["generated_alias"] = True
    if resolution:
        attrs.update(resolution=resolution, candidates=candidates)
    return Mention(id=stable_id(doc_id, start, end, ent.id), doc_id=doc_id, start=start, end=end,
                   entity_id=ent.id, surface=text[start:end], kind=ent.kind, attrs=attrs)


# -- NER fallback ------------------------------------------------------------------
def slug(text: str) -> str:
    s = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-") or "x"


_INITIAL_SURNAME = re.compile(r"^[A-Z]\.\s?[A-Z][a-z]+(?:[-\s][A-Z][a-z]+)?$")
_LEAD = re.compile(r"^(?:(?:[Tt]he|[Tt]his|[Tt]hat)\s+|[\W_]+)+")
_TAIL = re.compile(r"(?:['\u2019]s?|[\W_]+|\s+(?:of|the|and|for|in|on|at|to))+$")


def _trim_entity(text: str, start: int, end: int) -> tuple[int, int]:
    """Cut a leading 'the', a possessive, dangling function words and stray punctuation."""
    lead = _LEAD.match(text[start:end])
    if lead:
        start += lead.end()
    tail = _TAIL.search(text[start:end])
    if tail and tail.start() > 0:
        end = start + tail.start()
        if text[end:end + 1] == "." and re.search(r"(?:^|\W)[A-Z]\.[A-Z]$", text[start:end]):
            end += 1  # keep the final dot of an abbreviation such as "U.S."
    return start, end


def _mixed_script(s: str) -> bool:
    """True if a name mixes Latin and Cyrillic/Greek letters (OCR or keyboard slips)."""
    latin = any("a" <= c.lower() <= "z" for c in s)
    other = any("\u0370" <= c <= "\u04ff" for c in s)
    return latin and other


def _name_like(surface: str, text: str, common: list[set[str]]) -> bool:
    """Could this NER span be a proper name?  ``common`` caches the document's lower-case
    words (filled on first need)."""
    if (len(surface) < 2 or "\n" in surface or not any(c.isupper() for c in surface)
            or _mixed_script(surface)):
        return False
    if " " not in surface and "." not in surface:
        # a capitalised heading word ("Blockade", "Peacekeepers") is no proper name
        # when the same document also writes it in lower case
        if not common:
            common.append(set(re.findall(r"\b[a-z]+\b", text)))
        if surface.lower() in common[0]:
            return False
    return True


_TITLES = frozenset(rdata.section("entities.yaml", "person_titles"))
_SUFFIXES = frozenset(rdata.section("entities.yaml", "person_suffixes"))
# nearby words that name the country of a place: "Ferizaj, Kosovo", "Gori (Georgia)",
# "a village in northern Kosovo"; and the words that name a *neighbour* instead
_APPOSITION = re.compile(r"\s*[,(]\s*(?:the\s+)?([A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){0,3})")
_IN_COUNTRY = re.compile(
    r"\bin\s+(?:the\s+)?(?:(?:north|south|east|west|central|north-?east|north-?west|south-?east"
    r"|south-?west)(?:ern)?\s+)?([A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){0,2})")
_NEIGHBOUR = re.compile(r"\b(?:border(?:s|ing)?\s+with|bordering|borders)\s+(?:the\s+)?"
                        r"([A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){0,2})")
_NEAR_CHARS = 60
_TITLE_BEFORE = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Prof)\.?\s+$")


def _country_of_phrase(phrase: str) -> str | None:
    """ISO3 of a country or region named by the phrase or its leading words."""
    words = phrase.split()
    for n in range(len(words), 0, -1):
        head = " ".join(words[:n]).rstrip(".,'")
        iso3 = lookup_country(head) or region_country(head)
        if iso3:
            return iso3
    return None


def _surface_country(surface: str) -> str | None:
    """The country a place-like surface names: a country, a region, a demonym, a capital."""
    iso3 = lookup_country(surface) or region_country(surface)
    if iso3:
        return iso3
    hit = gazetteer().lookup(surface)
    if hit and hit[1] in ("demonym", "capital", "city", "country"):
        return hit[0]
    return None


@dataclass
class _PlaceContext:
    """Where a document is: its countries by how often they are named, and per sentence."""

    weights: Counter
    sentences: list[tuple[int, int, set[str], set[str]]]  # start, end, named, neighbours

    def near(self, text: str, start: int, end: int) -> tuple[dict[str, float], set[str]]:
        """Weights for one mention (its sentence's countries lifted) and the strong countries."""
        strong: set[str] = set()
        m = _APPOSITION.match(text, end)
        if m:
            iso3 = _country_of_phrase(m.group(1))
            if iso3:
                strong.add(iso3)
        window = text[end:end + _NEAR_CHARS].split("\n", 1)[0].split(". ", 1)[0]
        m = _IN_COUNTRY.search(window)
        if m:
            iso3 = _country_of_phrase(m.group(1))
            if iso3:
                strong.add(iso3)
        weights = dict(self.weights)
        top = max(weights.values(), default=0) + 1
        for s, e, named, neighbours in self.sentences:
            if s <= start < e:
                for c in named - neighbours:
                    weights[c] = top
                break
        return weights, strong


def _place_context(text: str, sdoc: Any, taken: list[Mention],
                   profile_countries: set[str]) -> _PlaceContext:
    """Count the countries a document names (countries, regions, demonyms, capitals, the
    profile's mentions) and note, per sentence, which it names and which only as a
    neighbour ("near its border with X")."""
    weights: Counter = Counter({c: 1 for c in profile_countries})
    for m in taken:
        if m.attrs.get("country"):
            weights[m.attrs["country"]] += 1
    found: list[tuple[int, str]] = []
    for ent in sdoc.ents:
        if ent.label_ in ("GPE", "LOC", "NORP"):
            surface = text[ent.start_char:ent.end_char].strip()
            if lookup_country(surface) and region_country(surface):
                continue  # "Georgia": a country and a region; evidence for neither
            iso3 = _surface_country(surface)
            if iso3:
                weights[iso3] += 1
                found.append((ent.start_char, iso3))
    sentences = []
    try:
        sents = [(s.start_char, s.end_char) for s in sdoc.sents]
    except ValueError:  # no sentence boundaries in this pipeline
        sents = [(0, len(text))]
    for s, e in sents:
        named = {iso3 for pos, iso3 in found if s <= pos < e}
        neighbours = {c for m in _NEIGHBOUR.finditer(text, s, e)
                      if (c := _country_of_phrase(m.group(1)))}
        if named:
            sentences.append((s, e, named, neighbours))
    return _PlaceContext(weights, sentences)


def _name_words(surface: str) -> list[str]:
    """A person's name without titles before it or suffixes after it."""
    words = surface.replace("\u00a0", " ").split()
    while len(words) > 1 and words[0].lower().strip(".,") in _TITLES:
        words = words[1:]  # "President", "Rep.", "GM"
    while len(words) > 1 and words[-1].lower().strip(".,") in _SUFFIXES:
        words = words[:-1]
    return [w.strip(",") for w in words]


def _fold_name(word: str) -> str:
    return unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode().lower()


def _first_last(words: list[str]) -> tuple[str, str]:
    """(given name, surname) with middle names and initials dropped; particles stay
    with the surname ("Jean-Yves Le Drian")."""
    cut = len(words) - 1
    while cut > 1 and words[cut - 1].lower().strip(".") in _SURNAME_PARTICLES:
        cut -= 1
    return words[0], " ".join(words[cut:])


def _same_surname(a: str, b: str) -> bool:
    """Spelling variants of one surname: diacritics, an inflected ending ("Bunjak" /
    "Bunjaku"), a transliteration ("Zelensky" / "Zelenskyy")."""
    fa, fb = _fold_name(a), _fold_name(b)
    if fa == fb:
        return True
    short, long_ = sorted((fa, fb), key=len)
    if len(short) >= 4 and long_.startswith(short) and len(long_) - len(short) <= 2:
        return True
    if min(len(fa), len(fb)) >= 6:
        from rapidfuzz.distance import Levenshtein

        return Levenshtein.distance(fa, fb) <= 1 and fa[:3] == fb[:3]
    return False


@dataclass
class _Persons:
    """The persons of one document, found by their full names first."""

    people: list[tuple[str, str, Entity]] = field(default_factory=list)  # given, surname
    singles: set[str] = field(default_factory=set)  # one-word names the parser called PERSON

    def add(self, surface: str) -> Entity | None:
        words = _name_words(surface)
        if len(words) < 2:
            return None
        given, surname = _first_last(words)
        found = self.full(given, surname)
        if found is not None:
            return found
        ent = Entity(id=f"ner:person:{slug(given + ' ' + surname)}", kind="person",
                     name=" ".join(words), origin="ner")
        self.people.append((given, surname, ent))
        return ent

    def full(self, given: str, surname: str) -> Entity | None:
        fg = _fold_name(given).rstrip(".")
        for g, s, ent in self.people:
            same_given = _fold_name(g) == fg or (len(fg) == 1 and _fold_name(g)[:1] == fg)
            if same_given and _same_surname(s, surname):
                return ent
        return None

    def by_surname(self, word: str) -> Entity | None:
        """The one person of this document with this surname (or a variant of it)."""
        # several (a couple, a family): the first named, who is usually the one the
        # text is about; still a person, never a town of that name
        hits = {ent.id: ent for _, s, ent in self.people if _same_surname(s, word)}
        return next(iter(hits.values()), None)

    def by_given(self, word: str) -> Entity | None:
        """The one person of this document with this given name ("Afrim" after "Afrim X")."""
        hits = {ent.id: ent for g, _, ent in self.people if _fold_name(g) == _fold_name(word)}
        return next(iter(hits.values())) if len(hits) == 1 else None

    def surnames(self) -> list[str]:
        return sorted({s for _, s, _ in self.people if " " not in s}, key=len, reverse=True)


def _variant_pattern(surname: str) -> str:
    """A regex for a surname and its inflected forms: the stem without a final vowel,
    then up to two letters ("Bunjaku" -> Bunjak, Bunjaku, Bunjakut); each hit is
    checked with :func:`_same_surname`."""
    stem = surname[:-1] if len(surname) > 4 and surname[-1].lower() in "aeiouy" else surname
    return re.escape(stem) + r"\w{0,2}"


def _ner_mentions(doc_id: str, text: str, sdoc: Any, taken: list[Mention],
                  context: set[str]) -> list[Mention]:
    occupied = sorted((m.start, m.end) for m in taken)
    out: list[Mention] = []
    places = _place_context(text, sdoc, taken, context)

    def free(s: int, e: int) -> bool:
        return not any(a < e and s < b for a, b in occupied)

    common: list[set[str]] = []  # words the document also writes in lower case, once
    spans = []
    persons = _Persons()
    for ent in sdoc.ents:
        if ent.label_ not in NER_LABELS:
            continue
        start, end = _trim_entity(text, ent.start_char, ent.end_char)
        surface = text[start:end]
        if not free(start, end) or not _name_like(surface, text, common):
            continue
        label = "PERSON" if _INITIAL_SURNAME.match(surface) else ent.label_
        spans.append((start, end, surface, label))
        if label == "PERSON" and " " in surface.strip():
            persons.add(surface)  # full names first: a surname before its full name joins it
        elif label == "PERSON":
            persons.singles.add(_fold_name(surface))
    for start, end, surface, label in spans:
        entity = _type_ner(label, surface, places, persons, text, start, end)
        if entity is None:
            continue
        out.append(_ner_mention(doc_id, start, end, surface, entity, label))
        occupied.append((start, end))
    names = persons.surnames()
    if names:  # bare surnames the NER missed, in any spelling variant ("Bunjak"/"Bunjaku")
        pat = re.compile(r"\b(" + "|".join(_variant_pattern(s) for s in names) + r")\b")
        for m in pat.finditer(text):
            person = persons.by_surname(m.group(1))
            if person is not None and free(m.start(), m.end()):
                out.append(_ner_mention(doc_id, m.start(), m.end(), m.group(1), person, "PERSON"))
                occupied.append((m.start(), m.end()))
    return out


@dataclass(frozen=True)
class EntityParams:
    """Thresholds of entity resolution.

    retype_city_population: a one-word PERSON/ORG that is the main name of a city at
        least this large is read as the city (small NER models often mislabel
        "Tbilisi" after a verb of motion); smaller towns share their names with
        people and firms ("Tyler", "Toyota" at 100,000 were wrong on the tune half).
    """

    retype_city_population: int = 500_000


PARAMS = EntityParams()


def _retyped_place(surface: str, weights: dict[str, float], strong: set[str]) -> Entity | None:
    iso3 = lookup_country(surface)
    if iso3:
        return country_entity(iso3)
    found = resolve_place(surface, weights=weights, strong=strong)
    if (found is not None and normalize_name(found.name) == normalize_name(surface)
            and (found.attrs.get("population") or 0) >= PARAMS.retype_city_population):
        return found
    return None


def _known_person(label: str, surface: str, persons: _Persons) -> Entity | None:
    """A mention of a person this document names in full: their full name in another
    form, a title plus surname, the surname alone whatever the NER label, or the given
    name alone (PERSON only)."""
    words = _name_words(surface)
    if len(words) >= 2:
        return persons.full(*_first_last(words)) if label == "PERSON" else None
    if not words or lookup_country(words[0]) or region_country(words[0]):
        return None  # "Jordan" stays a country unless the text says otherwise
    found = persons.by_surname(words[0])
    if found is None and label in ("PERSON", "ORG"):  # a lone given name is often tagged ORG
        found = persons.by_given(words[0])
    if found is None and label == "ORG" and _fold_name(words[0]) in persons.singles:
        # the parser called this word a person elsewhere in the document: one name,
        # one entity, not a person here and an organisation there (a place name keeps
        # its place reading: "Ashgabat" mis-tagged PERSON once is still the city)
        found = Entity(id=f"ner:person:{slug(words[0])}", kind="person", name=words[0],
                       origin="ner")
    return found


def _person_over_town(surface: str, found: Entity | None, persons: _Persons) -> Entity | None:
    """A word the document uses for a person ("Tyler", "Louis") that would otherwise be a
    small town: the person.  Countries, regions and large cities keep their place reading."""
    if (found is None or found.attrs.get("place_kind") != "city" or " " in surface
            or (found.attrs.get("population") or 0) >= PARAMS.retype_city_population):
        return None
    person = persons.by_given(surface)
    if person is None and _fold_name(surface) in persons.singles:
        person = Entity(id=f"ner:person:{slug(surface)}", kind="person", name=surface,
                        origin="ner")
    return person


def _type_ner(label: str, surface: str, places: _PlaceContext, persons: _Persons,
              text: str, start: int, end: int) -> Entity | None:
    if label in ("PERSON", "ORG", "GPE", "LOC"):
        person = _known_person(label, surface, persons)
        if person is not None:
            return person
    titled = bool(_TITLE_BEFORE.search(text[max(0, start - 6):start]))
    if titled:
        label = "PERSON"  # "Mr. Jordan" is a person whatever the parser said
    weights, strong = places.near(text, start, end)
    if label in ("PERSON", "ORG") and " " not in surface and not titled:
        place = _retyped_place(surface, weights, strong)
        if place is not None:
            return place
    if label == "PERSON":
        return persons.add(surface) or Entity(
            id=f"ner:person:{slug(surface)}", kind="person", name=surface, origin="ner")
    if label in ("GPE", "LOC"):
        if label == "GPE":
            found = resolve_place(surface, weights=weights, strong=strong)
            person = _person_over_town(surface, found, persons)
            if person is not None:
                return person
        else:  # LOC names regions ("Middle East"): only a country name is safe to geocode
            iso3 = lookup_country(surface)
            found = country_entity(iso3) if iso3 else None
        if found is not None:
            return found
        # unknown to the gazetteer: the name is kept, with a country only when the
        # words next to it say which
        return Entity(id=f"ner:place:{slug(surface)}", kind="place", name=surface, origin="ner",
                      country=next(iter(strong)) if len(strong) == 1 else None,
                      attrs={"place_kind": "region" if label == "LOC" else "place"})
    if label == "FAC":
        return Entity(id=f"ner:place:{slug(surface)}", kind="place", name=surface, origin="ner",
                      attrs={"place_kind": "site"})
    if label == "NORP":
        return Entity(id=f"ner:group:{slug(surface)}", kind="group", name=surface, origin="ner")
    words = {w.lower() for w in re.findall(r"\w+", surface)}
    for word, sector, kind in _ORG_SECTOR_WORDS:
        if word in words:
            return Entity(id=f"ner:{kind}:{slug(surface)}", kind=kind, name=surface,
                          sector=sector, origin="ner")
    return Entity(id=f"ner:organisation:{slug(surface)}", kind="organisation", name=surface,
                  origin="ner")


def _ner_mention(doc_id: str, start: int, end: int, surface: str, ent: Entity,
                 label: str) -> Mention:
    attrs: dict[str, Any] = {"country": ent.country, "sector": ent.sector, "origin": ent.origin,
                             "canonical": ent.name, "ner_label": label}
    if ent.kind == "place" or ent.lat is not None:
        attrs.update(lat=ent.lat, lon=ent.lon, place_kind=ent.attrs.get("place_kind"))
    if ent.attrs.get("geonameid"):
        attrs["geonameid"] = ent.attrs["geonameid"]
    return Mention(id=stable_id(doc_id, start, end, ent.id), doc_id=doc_id, start=start, end=end,
                   entity_id=ent.id, surface=surface, kind=ent.kind, attrs=attrs)


# -- corpus views ------------------------------------------------------------------
def discovered_entities(store: Any) -> list[Entity]:
    """Entities found by the gazetteer or NER, rebuilt from stored mentions.

    Their details travel in each mention's attrs, so no separate table has to be
    kept in step with the documents.
    """
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for m in store.records("mentions"):
        if (m.get("attrs") or {}).get("origin", "profile") != "profile":
            groups[m["entity_id"]].append(m)
    out = []
    for eid, ms in sorted(groups.items()):
        a = ms[0]["attrs"]
        surfaces = Counter(m["surface"] for m in ms)
        out.append(Entity(
            id=eid, kind=ms[0].get("kind") or "organisation",
            name=a.get("canonical") or surfaces.most_common(1)[0][0],
            aliases=sorted(surfaces), country=a.get("country"), sector=a.get("sector"),
            lat=a.get("lat"), lon=a.get("lon"), origin=a.get("origin") or "ner",
            attrs={k: a[k] for k in ("place_kind", "geonameid", "ner_label") if a.get(k)},
        ))
    return out


def entity_table(store: Any, kind: str | None = None) -> list[dict[str, Any]]:
    """One row per mentioned entity: counts per source and the names each used.

    RETURNS (list[dict]): id, kind, name, mentions, by_source {publisher or
    source: count}, surfaces {surface: count}, origin; most mentioned first.
    """
    known = {e["id"]: e for e in store.records("entities")}
    meta = store.doc_meta()
    rows: dict[str, dict[str, Any]] = {}
    for m in store.records("mentions"):
        if kind and m.get("kind") != kind:
            continue
        eid = m["entity_id"]
        row = rows.get(eid)
        if row is None:
            e = known.get(eid) or {}
            attrs = m.get("attrs") or {}
            row = rows[eid] = {
                "id": eid, "kind": e.get("kind") or m.get("kind"),
                "name": e.get("name") or attrs.get("canonical") or m["surface"],
                "mentions": 0, "by_source": Counter(), "surfaces": Counter(),
                "origin": e.get("origin") or attrs.get("origin"),
            }
        d = meta.get(m["doc_id"]) or {}
        row["mentions"] += 1
        row["by_source"][d.get("publisher") or d.get("source") or m["doc_id"]] += 1
        row["surfaces"][m["surface"]] += 1
    out = sorted(rows.values(), key=lambda r: (-r["mentions"], r["name"]))
    for r in out:
        r["by_source"] = dict(r["by_source"].most_common())
        r["surfaces"] = dict(r["surfaces"].most_common())
    return out
