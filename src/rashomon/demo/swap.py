"""Mirror a corpus and its profile by exchanging the two parties' names.

The neutrality test runs the whole pipeline twice: once on a corpus, once on its
mirror, where every name belonging to party A (actors, places, outlets,
demonyms, ids, URLs, file names) is replaced by party B's counterpart and vice
versa.  A neutral system must then produce mirrored stories, contradictions and
framing tables: if anything changes other than the side labels, some rule
treats the parties differently.

The exchange is driven by data: the profile's ``swap:`` section, a list of
``[a_term, b_term]`` pairs.  Each pair is applied in four written forms (as
written, lower case, upper case and a hyphenated lower-case slug, so ids such
as ``anselm-corvel``, URLs and file names follow the names).  Matching is
case-sensitive on those forms, so an ordinary lower-case word is never touched
unless it *is* one of the forms.  All forms go into one regular expression,
longest first, and the text is rewritten in a single pass: "Velmora" becomes
"Dravenia" and "Dravenia" becomes "Velmora" without the second undoing the
first.  Because the mapping is an involution, swapping twice restores the input
byte for byte (the tests check this on the whole demo corpus).

Word boundaries are letters and digits only: ``_`` and ``-`` separate words, so
``2024-12-04-velmora-herald-greyhorn.txt`` swaps its outlet slug too.  Files are
rewritten as text, byte for byte outside the swapped names; a letter that ends a
backslash escape (``\n`` in JSON Lines) counts as a boundary, so names at the
start of a JSON-encoded paragraph are swapped like any other.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import yaml

# Files whose contents are rewritten; anything else is copied unchanged.
TEXT_SUFFIXES = {".txt", ".md", ".html", ".htm", ".jsonl", ".json", ".yaml", ".yml", ".csv",
                 ".xml", ".rss", ".atom", ".urls"}


# A term starts a word when no letter or digit precedes it, or when the letter before it
# belongs to a backslash escape such as the "\n" of a JSON string ("\n\nBrost said").
_BEFORE = r"(?:(?<![^\W_])|(?<=\\[nrtbf]))"


class SwapError(ValueError):
    """A swap mapping that is not a clean exchange (a form claimed by two pairs)."""


def slug(term: str) -> str:
    """The id/URL form of a name: lower case, runs of non-alphanumerics as one hyphen."""
    return re.sub(r"[^0-9a-z]+", "-", term.lower()).strip("-")


def _forms(term: str) -> list[str]:
    return [term, term.lower(), term.upper(), slug(term)]


def build_mapping(pairs: Iterable[Iterable[str]]) -> dict[str, str]:
    """Every written form of every pair, in both directions.

    Raises :class:`SwapError` when one form would map to two different targets,
    because then the swap would not be its own inverse.
    """
    mapping: dict[str, str] = {}

    def put(src: str, dst: str) -> None:
        if not src:
            return
        old = mapping.get(src)
        if old is not None and old != dst:
            raise SwapError(f"swap form {src!r} maps to both {old!r} and {dst!r}")
        mapping[src] = dst

    for pair in pairs:
        items = list(pair)
        if len(items) != 2 or not all(isinstance(t, str) and t.strip() for t in items):
            raise SwapError(f"swap entry must be two non-empty strings, got {items!r}")
        a, b = items
        if a == b:
            raise SwapError(f"swap pair exchanges a term with itself: {a!r}")
        for fa, fb in zip(_forms(a), _forms(b), strict=True):
            put(fa, fb)
            put(fb, fa)
    return mapping


def make_swapper(pairs: Iterable[Iterable[str]]) -> Callable[[str], str]:
    """A function that rewrites a text with the exchange, in one pass, longest term first."""
    mapping = build_mapping(pairs)
    if not mapping:
        return lambda text: text
    alternatives = sorted(mapping, key=lambda s: (-len(s), s))
    pattern = re.compile(
        _BEFORE + r"(?:" + "|".join(re.escape(s) for s in alternatives) + r")(?![^\W_])"
    )
    return lambda text: pattern.sub(lambda m: mapping[m.group(0)], text)


def swap_text(text: str, pairs: Iterable[Iterable[str]]) -> str:
    """Convenience: exchange the pairs' names in one text."""
    return make_swapper(pairs)(text)


def swap_pairs_of(profile_data: dict[str, Any]) -> list[list[str]]:
    """The ``swap:`` pairs of a loaded profile mapping (empty list if absent)."""
    raw = profile_data.get("swap") or []
    if isinstance(raw, dict):  # tolerate {pairs: [...]} as well as a bare list
        raw = raw.get("pairs") or []
    if not isinstance(raw, list):
        raise SwapError("profile 'swap:' must be a list of [a_term, b_term] pairs")
    return [list(p) for p in raw]


def _swap_profile_text(text: str, swapper: Callable[[str], str]) -> str:
    """Swap the names in a profile's YAML text, then make sure the parties swapped too.

    When the party ids are themselves covered by the mapping (as in the demo
    profile, whose ids are the lower-case country names) the text pass already
    exchanged them, along with every ``side:``.  Otherwise the first two party
    ids are exchanged structurally and the YAML is re-written.
    """
    original = yaml.safe_load(text) or {}
    swapped_text = swapper(text)
    swapped = yaml.safe_load(swapped_text) or {}
    before = [p.get("id") for p in original.get("parties") or []]
    after = [p.get("id") for p in swapped.get("parties") or []]
    if len(before) < 2 or after != before:
        return swapped_text
    a, b = before[0], before[1]
    exchange = {a: b, b: a}
    for party in swapped["parties"][:2]:
        party["id"] = exchange[party["id"]]
    for key in ("actors", "sources", "places"):
        for item in swapped.get(key) or []:
            if item.get("side") in exchange:
                item["side"] = exchange[item["side"]]
    return yaml.safe_dump(swapped, sort_keys=False, allow_unicode=True)


def _write_exact(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write(text)


def _read_exact(path: Path) -> str:
    with open(path, encoding="utf-8", newline="") as fh:
        return fh.read()


def swap_parties(
    profile_path: str | Path, corpus_dir: str | Path, out_dir: str | Path
) -> tuple[Path, Path]:
    """Write the mirrored profile and corpus under ``out_dir``.

    Returns ``(profile_out, corpus_out)``: ``out_dir/<profile file name>`` and
    ``out_dir/corpus``.  File names are swapped like the text (the manifest's
    ``path:`` entries follow them); file contents are rewritten for text formats
    and copied as they are otherwise.
    """
    profile_path = Path(profile_path)
    corpus_dir = Path(corpus_dir)
    out_dir = Path(out_dir)
    if not corpus_dir.is_dir():
        raise FileNotFoundError(f"corpus folder not found: {corpus_dir}")
    if out_dir.resolve() == corpus_dir.resolve() or corpus_dir.resolve() in out_dir.resolve().parents:
        raise ValueError(f"out_dir {out_dir} must not be the corpus folder or inside it")
    profile_text = _read_exact(profile_path)
    pairs = swap_pairs_of(yaml.safe_load(profile_text) or {})
    if not pairs:
        raise SwapError(f"{profile_path}: no 'swap:' pairs; nothing to mirror")
    swapper = make_swapper(pairs)

    out_dir.mkdir(parents=True, exist_ok=True)
    profile_out = out_dir / profile_path.name
    _write_exact(profile_out, _swap_profile_text(profile_text, swapper))

    corpus_out = out_dir / "corpus"
    if corpus_out.exists():
        shutil.rmtree(corpus_out)
    for src in sorted(p for p in corpus_dir.rglob("*") if p.is_file()):
        rel = src.relative_to(corpus_dir).as_posix()
        dst = corpus_out / swapper(rel)
        if src.suffix.lower() in TEXT_SUFFIXES:
            _write_exact(dst, swapper(_read_exact(src)))
        else:
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, dst)
    return profile_out, corpus_out


def main(argv: list[str] | None = None) -> int:
    """``python -m rashomon.demo.swap PROFILE CORPUS_DIR OUT_DIR``"""
    import sys

    args = sys.argv[1:] if argv is None else argv
    if len(args) != 3:
        print("usage: python -m rashomon.demo.swap PROFILE CORPUS_DIR OUT_DIR", file=sys.stderr)
        return 2
    profile_out, corpus_out = swap_parties(*args)
    print(f"mirrored profile: {profile_out}\nmirrored corpus:  {corpus_out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
