"""Conflict-independent data tables, read through one loader.

Word lists and code tables live here as YAML or TSV files rather than as Python
literals, so they can be reviewed and extended without touching code (in the
manner of trafilatura's ``settings.cfg``).  Every read goes through
:func:`load`, which finds the file with :mod:`importlib.resources` (so it works
from a wheel or zip as well as a checkout), caches the parsed result, and turns
a missing file or malformed YAML into a :class:`DataError` that names the file.
:func:`section` adds the key to the message when a expected entry is missing.
"""

from __future__ import annotations

import csv
import io
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class DataError(ValueError):
    """A bundled or user data file is missing, malformed, or lacks an expected key."""


def path(name: str) -> Path:
    """The filesystem path of the bundled data file ``name`` (e.g. ``"cues.yaml"``)."""
    return Path(str(resources.files(__name__).joinpath(name)))


def read(name_or_path: str | Path) -> Any:
    """Parse a data file (YAML or TSV), uncached: for user-supplied files.

    A bare name is looked up among the bundled files; anything with a directory
    part is read from that path.
    """
    p = Path(name_or_path)
    if p.parent == Path(".") and not p.exists():
        p = path(str(name_or_path))
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise DataError(f"{p}: cannot read data file ({exc.strerror or exc})") from exc
    if p.suffix == ".tsv":
        return list(csv.reader(io.StringIO(text), delimiter="\t"))
    try:
        return yaml.load(text, Loader=_LOADER) or {}
    except yaml.YAMLError as exc:
        raise DataError(f"{p}: malformed YAML ({exc})") from exc


@cache
def load(name: str) -> Any:
    """The parsed bundled data file ``name``, read once per process."""
    return read(name)


def section(name: str, key: str) -> Any:
    """``load(name)[key]``, with an error naming both file and key when it is absent."""
    data = load(name)
    if not isinstance(data, dict) or key not in data:
        raise DataError(f"{name}: missing key {key!r}")
    return data[key]
