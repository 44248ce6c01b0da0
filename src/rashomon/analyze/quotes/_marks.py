"""Quote marks: pair them into quoted segments, paragraph by paragraph.

Split from :mod:`rashomon.analyze.quotes._layer` (which ties segments to cues) to
keep both modules small.  Works on the raw text only; no parse needed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

OPEN_MARKS = "“«„"
CLOSE_MARKS = "”»"
STRAIGHT = '"'
SCARE_MAX_WORDS = 4
SENT_END = {".", "!", "?"}


@dataclass
class QuoteSegment:
    """A stretch of text between quote marks; ``start``/``end`` include the marks."""

    start: int
    end: int
    cstart: int  # content, marks excluded
    cend: int
    closed: bool = True
    paragraphs: int = 1

    def words(self, text: str) -> int:
        return len(text[self.cstart : self.cend].split())


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of every non-blank line."""
    paras: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            paras.append((pos, pos + len(line)))
        pos += len(line) + 1
    return paras


def find_quote_segments(text: str) -> list[QuoteSegment]:
    """Pair quote marks paragraph by paragraph (curly and straight marks).

    An opening mark left open at a paragraph's end continues into the next
    paragraph when that one starts with an opening mark; otherwise the segment
    ends, unclosed, at the paragraph end.  Stray closing marks are ignored.
    Two apostrophes (``''``, a typewriter convention of some wires) count as
    one straight mark; offsets are unchanged.
    """
    text = doubled_marks(text)
    segs: list[QuoteSegment] = []
    paras = _paragraphs(text)
    open_at: int | None = None
    n_par = 1
    for pi, (ps, pe) in enumerate(paras):
        i = ps
        if open_at is not None:  # continuation paragraph: skip its opening mark
            while i < pe and text[i].isspace():
                i += 1
            i += 1
        for m in _MARK_RX.finditer(text, i, pe):  # other characters change nothing
            i = m.start()
            ch = text[i]
            if ch in OPEN_MARKS or (ch == STRAIGHT and open_at is None and _opens(text, i)):
                if open_at is None:
                    open_at, n_par = i, 1
                elif ch in OPEN_MARKS:
                    open_at, n_par = i, 1  # a second opening: the first was never closed
            elif (ch in CLOSE_MARKS or ch == STRAIGHT) and open_at is not None:
                segs.append(_segment(text, open_at, i + 1, True, n_par))
                open_at = None
        if open_at is not None:
            nxt = paras[pi + 1] if pi + 1 < len(paras) else None
            if nxt and text[nxt[0] : nxt[1]].lstrip()[:1] in OPEN_MARKS + STRAIGHT:
                n_par += 1
                continue
            segs.append(_segment(text, open_at, pe, False, n_par))
            open_at = None
    return segs


_MARK_RX = re.compile("[" + re.escape(OPEN_MARKS + CLOSE_MARKS + STRAIGHT) + "]")


def doubled_marks(text: str) -> str:
    """``''`` → ``" `` (same length): the first character becomes the mark."""
    return text.replace("''", '" ') if "''" in text else text


def _opens(text: str, i: int) -> bool:
    """A straight mark opens when it follows start, space or an opening bracket."""
    return i == 0 or text[i - 1].isspace() or text[i - 1] in "([{—–-"


def _segment(text: str, s: int, e: int, closed: bool, n_par: int) -> QuoteSegment:
    cs, ce = s + 1, (e - 1 if closed else e)
    while cs < ce and text[cs].isspace():
        cs += 1
    while ce > cs and text[ce - 1].isspace():
        ce -= 1
    return QuoteSegment(s, e, cs, ce, closed, n_par)
