"""Manifests: per-item metadata the user knows better than any extractor.

A manifest is a CSV file with a header row, or a YAML file holding a list of
mappings (or ``{items: [...]}``).  Each row names its item by ``path``
(relative to the manifest's folder, or absolute) and/or ``url``, and may give
``id, title, publisher, author, published, language, side``.  The readers
apply a row's values over what they found in the item itself.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path
from typing import Any

import yaml

from rashomon.ingest.items import META_FIELDS

MANIFEST_FIELDS = ("path", *META_FIELDS)


class ManifestError(Exception):
    """A manifest that cannot be used; the message names the file and the problem."""


def load_manifest(path: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """Read a CSV or YAML manifest into a list of rows with known fields only.

    path (str): the manifest file (``.csv``, ``.yaml`` or ``.yml``; other
        extensions are sniffed: a first line with commas and a ``path`` or ``url``
        column is CSV, anything else is tried as YAML).
    RETURNS (list[dict]): one dict per row, empty values dropped, unknown columns
        dropped.  Raises ManifestError for unreadable files, bad syntax, a wrong
        shape, or a row with neither ``path`` nor ``url``.
    """
    p = Path(path)
    try:
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
    rows = _read_csv(p, text) if is_csv else _read_yaml(p, text)
    out: list[dict[str, Any]] = []
    for n, row in enumerate(rows, start=1):
        clean = {k: _value(v) for k, v in row.items() if k in MANIFEST_FIELDS}
        clean = {k: v for k, v in clean.items() if v not in (None, "")}
        if not clean.get("path") and not clean.get("url"):
            raise ManifestError(f"{p}: row {n} has neither 'path' nor 'url'")
        out.append(clean)
    return out


def _value(v: Any) -> Any:
    """Normalise a cell: strip strings; YAML dates become ISO strings."""
    if isinstance(v, str):
        return v.strip()
    if hasattr(v, "isoformat"):
        return v.isoformat()
    return v if v is None else str(v)


def _read_csv(p: Path, text: str) -> list[dict[str, Any]]:
    try:
        reader = csv.DictReader(text.splitlines())
        if not reader.fieldnames:
            raise ManifestError(f"{p}: CSV manifest has no header row")
        fields = [f.strip().lower() for f in reader.fieldnames if f]
        if "path" not in fields and "url" not in fields:
            raise ManifestError(
                f"{p}: CSV header must include 'path' or 'url' (found: {', '.join(fields)})"
            )
        rows = []
        for row in reader:
            if None in row:
                raise ManifestError(f"{p}: line {reader.line_num} has more cells than the header")
            rows.append({(k or "").strip().lower(): v for k, v in row.items()})
        return rows
    except csv.Error as exc:
        raise ManifestError(f"{p}: bad CSV ({exc})") from None


def _read_yaml(p: Path, text: str) -> list[dict[str, Any]]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        line = f" at line {where.line + 1}" if where is not None else ""
        raise ManifestError(f"{p}: bad YAML{line}") from None
    if isinstance(data, dict) and "items" in data:
        data = data["items"]
    if not isinstance(data, list):
        raise ManifestError(f"{p}: YAML manifest must be a list of mappings or {{items: [...]}}")
    for n, row in enumerate(data, start=1):
        if not isinstance(row, dict):
            raise ManifestError(f"{p}: item {n} is not a mapping")
    return [{str(k).strip().lower(): v for k, v in row.items()} for row in data]


class ManifestIndex:
    """Lookup of manifest rows by resolved absolute path or by URL."""

    def __init__(self, rows: list[dict[str, Any]], base: Path) -> None:
        self.by_path: dict[str, dict[str, Any]] = {}
        self.by_url: dict[str, dict[str, Any]] = {}
        for row in rows:
            if row.get("path"):
                raw = str(row["path"])
                target = Path(raw) if os.path.isabs(raw) else base / raw
                self.by_path[_norm_path(target)] = row
            if row.get("url"):
                self.by_url[str(row["url"]).strip()] = row

    @classmethod
    def load(cls, manifest: str | os.PathLike[str]) -> ManifestIndex:
        return cls(load_manifest(manifest), Path(manifest).resolve().parent)

    def lookup(self, path: str | None = None, url: str | None = None) -> dict[str, Any]:
        """Metadata for an item (without ``path``): path match first, then URL."""
        row: dict[str, Any] | None = None
        if path:
            row = self.by_path.get(_norm_path(Path(path)))
        if row is None and url:
            row = self.by_url.get(url.strip())
        if not row:
            return {}
        return {k: v for k, v in row.items() if k != "path"}


def _norm_path(p: Path) -> str:
    return os.path.normcase(os.path.abspath(p))
