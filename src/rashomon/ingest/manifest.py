"""Manifests: per-item metadata the user knows better than any extractor.

A manifest is a CSV file with a header row, or a YAML file holding a list of
mappings (or ``{items: [...]}``).  Each row names its item by ``path``
(relative to the manifest's folder, or absolute) and/or ``url``, and may give
``id, title, publisher, author, published, language, side`` and custom
``x_*`` fields (kept in the document's ``attrs``).  The readers apply a row's
values over what they found in the item itself.

Plain files carry no metadata, so a manifest is how they get an outlet, a date
and a camp.  The everyday names are accepted too: ``file`` for ``path``,
``outlet`` for ``publisher``, ``date`` for ``published``, ``camp`` for
``side``.  A ``path`` with ``*``, ``?`` or ``[...]`` is a glob ("wire-*.txt",
where ``*`` also crosses folders): every matching file takes the row's values.
A row naming the file exactly wins over globs; several matching globs fill the
fields in file order (the first row giving a field wins).

Each row is checked on its own.  An invalid row (unknown field, a date that
is not a date, two rows for one path...) does not stop the batch: the item it
names fails with one error line and is not stored, so fixing the row and
rerunning stores it with the right metadata.  Only a file that cannot be used
at all (bad syntax, YAML aliases, too large) stops ingest before anything is
read.
"""

from __future__ import annotations

import csv
import fnmatch
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from rashomon.ingest.items import META_FIELDS, ItemError
from rashomon.ingest.metadata import normalise_date

MANIFEST_FIELDS = ("path", *META_FIELDS)
# Everyday names for the fields, accepted in headers and keys.
FIELD_ALIASES = {"file": "path", "outlet": "publisher", "date": "published", "camp": "side"}
_GLOB_CHARS = ("*", "?", "[")
_TWICE = "\x00twice"  # marks a row that gave one field under two names
# A manifest is metadata, not articles: anything this big is a mistake or an attack.
MAX_MANIFEST_BYTES = 50_000_000
MAX_ID_CHARS = 200


class ManifestError(Exception):
    """A manifest that cannot be used; the message names the file and the problem."""


class ManifestRowError(Exception):
    """The manifest row naming an item is invalid, so the item is not read.

    Why refuse the item rather than read it without the row: a rerun skips
    stored items, so metadata missing now would never be applied later.  Fix
    the row and rerun, and the item is stored with it.
    """


class _NoAliasLoader(yaml.BaseLoader):
    """YAML loader for manifests: every scalar stays a string, aliases are refused.

    Why: PyYAML expands aliases when values are walked, so a few hundred bytes
    of nested aliases become gigabytes (a "billion laughs" bomb).  Manifests
    never need aliases.  BaseLoader also keeps ``2023-02-30`` or a number with
    thousands of digits as plain text, which is validated per row instead of
    failing the whole file.
    """

    def compose_node(self, parent: Any, index: Any) -> Any:  # noqa: ANN401 - PyYAML's API
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not allowed in manifests", event.start_mark)
        return super().compose_node(parent, index)


@dataclass
class Manifest:
    """A parsed manifest: valid rows, and the problems of invalid ones.

    ``problems`` maps a row number (1-based) to its reason; ``rows`` holds
    every row (valid or not) with its number, so an invalid row still tells
    which item it names.
    """

    source: str
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    problems: dict[int, str] = field(default_factory=dict)

    def valid_rows(self) -> list[dict[str, Any]]:
        return [row for n, row in self.rows if n not in self.problems]


def load_manifest(path: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """Read a manifest strictly: its rows, or ManifestError naming the first bad row.

    See :func:`read_manifest` for the format; ingest uses that one, which keeps
    going past bad rows.
    """
    parsed = read_manifest(path)
    if parsed.problems:
        n = min(parsed.problems)
        raise ManifestError(f"{parsed.source}: row {n}: {parsed.problems[n]}")
    return parsed.valid_rows()


def read_manifest(path: str | os.PathLike[str]) -> Manifest:
    """Read a CSV or YAML manifest; problems of single rows do not fail the file.

    path (str): the manifest file (``.csv``, ``.yaml`` or ``.yml``; other
        extensions are sniffed: a first line with commas and a ``path`` or ``url``
        column is CSV, anything else is tried as YAML).
    RETURNS (Manifest): the rows, fields lower-cased, values stripped, empty
        values dropped.  A row is invalid when it names neither ``path`` nor
        ``url``, has a field that is not a manifest field (custom fields must
        start with ``x_``), a value that is not a single value, a ``published``
        that is not a date, an overlong ``id``, or names the same path or URL
        as an earlier row.  Raises ManifestError when the file as a whole
        cannot be used: unreadable, too large, bad syntax, YAML aliases, the
        wrong shape, or a CSV header with no ``path``/``url`` or an unknown column.
    """
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > MAX_MANIFEST_BYTES:
            raise ManifestError(f"{p}: manifest too large ({size} bytes > {MAX_MANIFEST_BYTES})")
        text = p.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ManifestError(f"{p}: manifest not found") from None
    except UnicodeDecodeError:
        raise ManifestError(f"{p}: manifest is not UTF-8 text") from None
    except OSError as exc:
        raise ManifestError(f"{p}: cannot read manifest ({exc.strerror or exc})") from None
    if not text.strip():
        raise ManifestError(f"{p}: manifest is empty")
    suffix = p.suffix.lower()
    first = text.lstrip().splitlines()[0]
    is_csv = suffix == ".csv" or (
        suffix not in (".yaml", ".yml")
        and "," in first
        and any(c.strip().lower() in ("path", "url") for c in first.split(","))
    )
    raw_rows = _read_csv(p, text) if is_csv else _read_yaml(p, text)
    out = Manifest(source=str(p))
    seen: dict[tuple[str, str], int] = {}
    for n, row in enumerate(raw_rows, start=1):
        clean, problem = _check_row(row)
        out.rows.append((n, clean))
        for key in ("path", "url"):
            if clean.get(key):
                ref = (key, str(clean[key]))
                if ref in seen and problem is None:
                    problem = f"names the same {key} as row {seen[ref]}"
                seen.setdefault(ref, n)
        if problem:
            out.problems[n] = problem
    return out


def _check_row(row: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
    """(row with clean values, the reason it is invalid or None)."""
    clean: dict[str, Any] = {}
    problem: str | None = None
    unknown = [k for k in row if k not in MANIFEST_FIELDS and not k.startswith("x_")
               and k != _TWICE]
    for key, value in row.items():
        if key == _TWICE:
            problem = problem or f"field {value!r} given twice (under its own name and an alias)"
            continue
        if value is None or isinstance(value, str) and not value.strip():
            continue
        if not isinstance(value, str):
            problem = problem or f"field {key[:40]!r} must be a single value, not a list or mapping"
            continue
        clean[key] = value.strip()
    if unknown:
        names = ", ".join(repr(k[:40]) for k in unknown[:5])
        problem = problem or (f"unknown field(s) {names} (known: {', '.join(MANIFEST_FIELDS)};"
                              " custom fields must start with 'x_')")
    if not clean.get("path") and not clean.get("url"):
        problem = problem or "row has neither 'path' nor 'url'"
    if "published" in clean and problem is None:
        try:
            iso = normalise_date(clean["published"][:100])
        except Exception:  # noqa: BLE001 - any parser failure means "not a date"
            iso = None
        if iso is None:
            problem = f"'published' is not a date: {clean['published'][:60]!r}"
        else:
            clean["published"] = iso
    if "id" in clean and problem is None and is_glob(str(clean.get("path", ""))):
        problem = "a glob row names many files, so it cannot give them one 'id'"
    if "id" in clean and problem is None and (
            len(clean["id"]) > MAX_ID_CHARS or not clean["id"].isprintable()):
        problem = f"'id' must be printable and at most {MAX_ID_CHARS} characters"
    return clean, problem


def _read_csv(p: Path, text: str) -> list[dict[str, Any]]:
    try:
        reader = csv.DictReader(text.splitlines())
        if not reader.fieldnames:
            raise ManifestError(f"{p}: CSV manifest has no header row")
        fields = [canonical_field(f) for f in reader.fieldnames if f]
        doubled = sorted({f for f in fields if fields.count(f) > 1})
        if doubled:
            raise ManifestError(f"{p}: CSV column(s) given twice (a name and its alias): "
                                f"{', '.join(doubled)}")
        if "path" not in fields and "url" not in fields:
            raise ManifestError(
                f"{p}: CSV header must include 'path' or 'url' (found: {', '.join(fields)})"
            )
        unknown = [f for f in fields if f not in MANIFEST_FIELDS and not f.startswith("x_")]
        if unknown:
            raise ManifestError(
                f"{p}: unknown CSV column(s) {', '.join(repr(u[:40]) for u in unknown[:5])}"
                f" (known: {', '.join(MANIFEST_FIELDS)}; custom columns must start with 'x_')")
        rows = []
        for row in reader:
            if None in row:
                raise ManifestError(f"{p}: line {reader.line_num} has more cells than the header")
            rows.append({canonical_field(k or ""): v for k, v in row.items()})
        return rows
    except csv.Error as exc:
        raise ManifestError(f"{p}: bad CSV ({exc})") from None


def _read_yaml(p: Path, text: str) -> list[dict[str, Any]]:
    try:
        data = yaml.load(text, Loader=_NoAliasLoader)  # noqa: S506 - BaseLoader, no aliases
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        line = f" at line {where.line + 1}" if where is not None else ""
        problem = getattr(exc, "problem", None)
        detail = f": {problem}" if problem and "alias" in str(problem) else ""
        raise ManifestError(f"{p}: bad YAML{line}{detail}") from None
    except RecursionError:
        raise ManifestError(f"{p}: bad YAML: nested too deeply") from None
    if isinstance(data, dict) and "items" in data:
        data = data["items"]
    if not isinstance(data, list):
        raise ManifestError(f"{p}: YAML manifest must be a list of mappings or {{items: [...]}}")
    for n, row in enumerate(data, start=1):
        if not isinstance(row, dict):
            raise ManifestError(f"{p}: item {n} is not a mapping")
    out = []
    for row in data:
        clean: dict[str, Any] = {}
        for k, v in row.items():
            key = canonical_field(str(k))
            if key in clean:
                clean[_TWICE] = key
            clean[key] = v
        out.append(clean)
    return out


def canonical_field(name: str) -> str:
    """A manifest field name, lower-cased, with everyday aliases mapped ("date" -> published)."""
    key = name.strip().lower()
    return FIELD_ALIASES.get(key, key)


def is_glob(path: str) -> bool:
    """Whether a manifest ``path`` is a pattern for many files rather than one file."""
    return any(c in path for c in _GLOB_CHARS)


class ManifestIndex:
    """Lookup of manifest rows by resolved absolute path or by URL.

    A lookup that hits an invalid row raises :class:`ManifestRowError`; rows
    that name no item at all are reported by :meth:`row_errors`.
    """

    def __init__(self, manifest: Manifest, base: Path) -> None:
        self.source = manifest.source
        self.problems = manifest.problems
        self.unnamed: list[int] = []
        self.by_path: dict[str, tuple[int, dict[str, Any]]] = {}
        self.by_url: dict[str, tuple[int, dict[str, Any]]] = {}
        self.globs: list[tuple[str, int, dict[str, Any]]] = []
        for n, row in manifest.rows:
            if not row.get("path") and not row.get("url"):
                self.unnamed.append(n)
            if row.get("path"):
                raw = str(row["path"])
                target = Path(raw) if os.path.isabs(raw) else base / raw
                key = _norm_path(target)
                if is_glob(raw):
                    self.globs.append((key, n, row))
                elif key not in self.by_path or n in self.problems:
                    self.by_path[key] = (n, row)
            if row.get("url"):
                url = str(row["url"]).strip()
                if url not in self.by_url or n in self.problems:
                    self.by_url[url] = (n, row)

    @classmethod
    def load(cls, manifest: str | os.PathLike[str]) -> ManifestIndex:
        return cls(read_manifest(manifest), Path(manifest).resolve().parent)

    def row_errors(self) -> list[ItemError]:
        """One error per invalid row that names no item (the others fail with their item)."""
        return [ItemError(self.source, self.problems[n], f"row {n}") for n in self.unnamed
                if n in self.problems]

    def lookup(self, path: str | None = None, url: str | None = None) -> dict[str, Any]:
        """Metadata for an item (without ``path``): path match first, then URL, then
        the globs matching the path fill the fields still missing (in file order).

        Raises ManifestRowError when a matching row is invalid.
        """
        hits: list[tuple[int, dict[str, Any]]] = []
        key = _norm_path(Path(path)) if path else None
        if key and key in self.by_path:
            hits.append(self.by_path[key])
        elif url and url.strip() in self.by_url:
            hits.append(self.by_url[url.strip()])
        if key:
            hits.extend((n, row) for pattern, n, row in self.globs
                        if fnmatch.fnmatchcase(key, pattern))
        out: dict[str, Any] = {}
        for n, row in hits:
            if n in self.problems:
                raise ManifestRowError(
                    f"manifest {self.source} row {n} is invalid, so this item was not read: "
                    f"{self.problems[n]}")
            for k, v in row.items():
                if k != "path" and k not in out:
                    out[k] = v
        return out


def _norm_path(p: Path) -> str:
    try:
        return os.path.normcase(os.path.abspath(p))
    except ValueError:  # a NUL byte in the name: matches no file
        return str(p)
