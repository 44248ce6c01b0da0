"""Addressed blocks of a letter: a short "To <addressee>" line followed by bullet items.

Open letters and statements often list demands per addressee::

    To the Council of Europe
      • I urge you to take effective measures ...
      • I strongly call for measures to be taken ...

This module finds those blocks by layout and codes each addressee as an actor;
coreference uses them to resolve "you" inside a block, and
:mod:`rashomon.analyze.events._appeals` makes each bullet an appeal.  The
mechanism is purely layout-based, so it serves any letter in any conflict.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rashomon.analyze.events._actors import code_from_mention, gazetteer_country, phrase_sector
from rashomon.model import Actor, Mention

if TYPE_CHECKING:
    from spacy.tokens import Doc

_BULLET_RE = re.compile(r"^[ \t]*(?:[•\u2022\u25aa\u25cf\u00b7*\-–—]|\d{1,2}[.)])[ \t]+")
_HEADING_RE = re.compile(r"^[ \t]*(?:to|To|TO)[ \t]+(?P<np>\S.{1,280}?)[ \t]*:?[ \t]*$")
# "To the Council: we urge you to ..." : addressee and appeal on one line
_INLINE_RE = re.compile(r"^[ \t]*(?:To|TO)[ \t]+(?P<np>[^:\n.;]{2,200}?):[ \t]+(?P<rest>\S.*)$")
# the addressee without its trailing description ("X, as the ..." / "X – the ...")
_DESCRIPTION_RE = re.compile(r"\s+[–—-]\s+|,\s+(?:as|and|the|which|who)\b")

Line = tuple[int, int, str]


@dataclass
class AddressedBlock:
    """An addressee heading and the (start, end) of each bullet addressed to it."""

    addressee: str
    heading_start: int
    heading_end: int
    bullets: list[tuple[int, int]] = field(default_factory=list)


def _lines(text: str) -> list[Line]:
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, pos + len(line), line))
        pos += len(line) + 1
    return out


def addressed_blocks(text: str) -> list[AddressedBlock]:
    """The addressed blocks of a text, found by layout."""
    lines = _lines(text)
    blocks = []
    i = 0
    while i < len(lines):
        found = _block_at(lines, i, text)
        if found is None:
            i += 1
            continue
        block, i = found
        blocks.append(block)
    return blocks


def _heading(line: str) -> re.Match[str] | None:
    """The addressee heading of a line: an inline "To X: ..." or a bare "To X" line."""
    inline = _INLINE_RE.match(line)
    if inline and not _BULLET_RE.match(line):
        return inline
    m = _HEADING_RE.match(line)
    if not m or line.rstrip().endswith((".", ";", "?", "!")) or _BULLET_RE.match(line):
        return None
    return m


def _block_at(lines: list[Line], i: int, text: str) -> tuple[AddressedBlock, int] | None:
    """The block headed by line ``i`` and the index of the line after it, or None."""
    start, end, line = lines[i]
    m = _heading(line)
    if m is None:
        return None
    j = i + 1
    bullets: list[tuple[int, int]] = []
    if not _INLINE_RE.match(line):
        bullets, j = _bullets_from(lines, i + 1)
    if not bullets:
        inline = _INLINE_RE.match(line)
        if not inline:
            return None
        bullets, m, j = [(start + inline.start("rest"), end)], inline, i + 1
    np_start, np_end = start + m.start("np"), start + m.end("np")
    return AddressedBlock(text[np_start:np_end], np_start, np_end, bullets), j


def _bullets_from(lines: list[Line], j: int) -> tuple[list[tuple[int, int]], int]:
    """The bullet items from line ``j`` on (blank lines skipped) and the line after them."""
    bullets = []
    while j < len(lines):
        s, e, ln = lines[j]
        if not ln.strip():
            j += 1
            continue
        b = _BULLET_RE.match(ln)
        if not b:
            break
        bullets.append((s + b.end(), e))
        j += 1
    return bullets, j


def _short_name(addressee: str) -> str:
    """The addressee without its trailing description ("X, as the ..." / "X – the ...")."""
    cut = _DESCRIPTION_RE.split(addressee, maxsplit=1)
    return cut[0].strip(" ,;:")


def addressee_actor(block: AddressedBlock, mentions: list[Mention], sdoc: Doc) -> Actor:
    """The addressee of a block as an actor: the name inside it, else gazetteer and sectors."""
    start = block.heading_start
    name = _short_name(block.addressee)
    end = start + len(name)
    actor = Actor(name=name, start=start, end=end)
    inside = [m for m in mentions if start <= m.start and m.end <= end]
    if inside:
        best = inside[0]
        actor.entity_id = best.entity_id
        actor.country, actor.sector = code_from_mention(best, None)
    span = sdoc.char_span(start, end, alignment_mode="expand")
    if span is not None and len(span):
        toks = list(span)
        head = span.root
        if actor.country is None:
            actor.country = gazetteer_country(toks, head)
        if actor.sector is None:
            actor.sector = phrase_sector(toks, head)
    return actor


def inline_addressees(text: str, mentions: list[Mention], sdoc: Doc
                      ) -> list[tuple[int, int, Actor]]:
    """(start, end, addressee) of every bullet of an addressed block, for resolving "you"."""
    out = []
    for block in addressed_blocks(text):
        actor = addressee_actor(block, mentions, sdoc)
        for bstart, bend in block.bullets:
            out.append((bstart, bend, actor))
    return out
