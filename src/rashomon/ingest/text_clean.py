"""Plain-text cleaning: keep the article, set everything else apart and say why.

Scraped pages arrive as text with the site around the article: newsletter
prompts, share links, "You May Also Like" teasers, comment forms, reader
comments, footnotes, author bios.  HTML extractors return nothing on plain
text, so these are our own rules.  They work line by line, because chrome in
scraped text is almost always whole lines.  What a single line *is* (a share
link, a newsletter prompt, a byline, a syndication credit) is decided by the
vocabularies in ``data/chrome.yaml`` (:mod:`rashomon.ingest.chrome`); this
module decides *where* a line counts as chrome (header, share block, tail).

Guarantees (tested on every input):

* Every non-whitespace character of the input is either in the body, in the
  same order, or inside a recorded :class:`~rashomon.model.Removal` whose
  offsets point into the input.  Nothing is dropped silently, and body text is
  never rewritten: only whitespace is normalised.
* When a rule is unsure, the line stays in the body.

Decisions:

* The title is taken out of the body (into ``meta["title"]``, removal reason
  "title"): the body is the article text that the analysis layers read.
* Inline footnote markers such as ``Oblast[1]`` stay in the body.  They are
  part of the text as published, removing them would need one removal per
  marker, and the marker label matches ``Reference.label`` so a reader can
  follow it.  The notes themselves become :class:`Reference` records.
* Syndication credits ("From X" under the headline, "Distributed by X") go to
  ``meta["x_syndicated_from"]``, never to the outlet clues: they name another
  outlet than the one publishing the page.  Wire credit lines ("(Reporting by
  X; editing by Y)") are bylines: removed, kept in ``meta["x_credit_line"]``.
* Photo and agency credits ("XYZ-EPA/STR", "Desk/AP Photo/A B") and captions
  ending in a credit are cut wherever they stand (reasons "photo/agency credit"
  and "photo caption") and kept in ``meta["x_credits"]`` / ``meta["x_captions"]``:
  left in the body they become places ("STR") and speakers (the photographer).
* Comment ``index`` is the comment's position in ``Cleaned.comments``
  (0-based); ``parent`` is the index of the comment it replies to.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import groupby

from rashomon.ingest.chrome import (
    BRANDING,
    BYLINE,
    CAPTION,
    COMMENTS,
    CREDIT,
    FORM,
    LINK,
    NEWSLETTER,
    NOTES,
    PERSON,
    TEASER,
    TITLE,
    Chrome,
    is_credit,
    load_chrome,
    trailing_credit,
)
from rashomon.ingest.items import Cleaned
from rashomon.model import Comment, Reference, Removal

# Reasons whose removed lines may name the outlet (matched later against source registries).
_CLUE_REASONS = {NEWSLETTER, BRANDING}

_NUMBER_WORDS = "one|two|three|four|five|six|seven|eight|nine|ten"
_COMMENT_HEAD_RX = re.compile(
    rf"(?:\d{{1,5}}|{_NUMBER_WORDS}|no)\s+(?:comments?|responses?|replies|thoughts?)"
    r"(?:\s+(?:on|to)\s+.{1,200})?\s*:?\s*",
    re.IGNORECASE,
)
_ITEM_NUM_RX = re.compile(r"^(\s*)(\d{1,3})[.)]\s+(\S.*)$")
_ITEM_BULLET_RX = re.compile(r"^(\s*)[•·▪◦‣∙*\-–]\s+(\S.*)$")
_NOTE_RX = re.compile(r"^\s*\[(\d{1,3}|[a-z]|[ivx]{1,5})\]\s*(\S.*)?$", re.IGNORECASE)
_MARKER_RX = re.compile(r"(?<=\S)\[(\d{1,3}|[a-z]|[ivx]{1,5})\]", re.IGNORECASE)
_URL_RX = re.compile(r"https?://[^\s<>\"”]+")
_NAME_RX = re.compile(PERSON)
_TERMINAL = ".!?;…\"”’)"
_SOURCE_LINE = re.compile(r"sources?\s*[:\-–—]", re.IGNORECASE)


class _Line:
    """One line of the input with its offsets; ``stripped`` is computed once."""

    __slots__ = ("start", "end", "text", "stripped", "blank", "_para")

    def __init__(self, start: int, end: int, text: str) -> None:
        self.start, self.end, self.text = start, end, text
        self.stripped = text.strip()
        self.blank = not self.stripped
        self._para: bool | None = None

    @property
    def para(self) -> bool:
        """Whether the line reads like running text (:func:`_is_paragraph`), computed once."""
        if self._para is None:
            self._para = _is_paragraph(self.stripped)
        return self._para

    @property
    def indent(self) -> int:
        return len(self.text.expandtabs(4)) - len(self.text.expandtabs(4).lstrip())

    @property
    def content_start(self) -> int:
        return self.start + (len(self.text) - len(self.text.lstrip()))

    @property
    def content_end(self) -> int:
        return self.start + len(self.text.rstrip())


_BLANK_RUN = re.compile(r"(?:[^\S\r\n]*(?:\r\n|\r|\n)){2,}")


def _split_lines(raw: str) -> list[_Line]:
    """The lines of ``raw``; a run of blank lines becomes one blank line.

    Every rule treats several blank lines like one, so merging them changes
    no result and keeps the cost per line, not per newline.
    """
    lines: list[_Line] = []
    pos = 0
    for m in re.finditer(r"\r\n|\r|\n", raw):
        if m.start() < pos:
            continue  # inside a merged blank run
        lines.append(_Line(pos, m.start(), raw[pos : m.start()]))
        pos = m.end()
        run = _BLANK_RUN.match(raw, pos)
        if run:  # the blank lines after this one, as one blank line
            lines.append(_Line(pos, run.end() - 1, ""))
            pos = run.end()
    if pos < len(raw):
        lines.append(_Line(pos, len(raw), raw[pos:]))
    return lines


_WORD_RX = re.compile(r"[\w'’\-]+")


def _words(s: str) -> list[str]:
    return _WORD_RX.findall(s)


def _is_paragraph(s: str) -> bool:
    """A line that reads like running text rather than a heading or a link."""
    n = len(_words(s))
    return n >= 20 or (n >= 10 and s.rstrip().endswith((".", "!", "?", ".”", '."', "…")))


def _title_shaped(s: str) -> bool:
    """Starts like a headline and does not stop mid-sentence (no trailing comma)."""
    return not s[:1].islower() and not s.endswith((",", ";", "-", "–"))


class _Cleaner:
    """One cleaning run: per-line labels, then removals, comments, notes and body."""

    def __init__(self, raw: str, chrome: Chrome) -> None:
        self.raw = raw
        self.ch = chrome
        self.lines = _split_lines(raw)
        self.label: list[str | None] = [None] * len(self.lines)
        self.meta: dict[str, object] = {}
        self.comments: list[Comment] = []
        self.references: list[Reference] = []
        self.clues: list[str] = []
        self.credit_author: str | None = None

    # -- helpers -----------------------------------------------------------------
    def _run_lines(self, first: int) -> Iterator[tuple[int, _Line, bool]]:
        """The unlabelled non-blank lines from ``first`` on, each with whether a blank
        line preceded it; stops at the first line another rule already labelled.

        Comment lists and note lists are both such runs; one walker keeps their
        notion of "where the run ends" the same.
        """
        blank_before = False
        for j in range(first, len(self.lines)):
            ln = self.lines[j]
            if ln.blank:
                blank_before = True
                continue
            if self.label[j] is not None:
                return
            yield j, ln, blank_before
            blank_before = False

    def _next_nonblank(self, i: int) -> int | None:
        for j in range(i, len(self.lines)):
            if not self.lines[j].blank:
                return j
        return None

    def _body_idx(self) -> list[int]:
        return [i for i, ln in enumerate(self.lines) if not ln.blank and self.label[i] is None]

    def _paragraphs(self) -> list[list[int]]:
        """Runs of consecutive unlabelled non-blank lines."""
        keep = [not ln.blank and self.label[i] is None for i, ln in enumerate(self.lines)]
        runs = groupby(range(len(self.lines)), key=lambda i: keep[i])
        return [list(idx) for kept, idx in runs if kept]

    def _para_text(self, para: list[int]) -> str:
        return " ".join(self.lines[i].stripped for i in para)

    # -- passes --------------------------------------------------------------------
    def run(self) -> Cleaned:
        self._mark_chrome()
        self._mark_credits()
        self._mark_teasers()
        self._mark_comments()
        self._mark_tail()
        self._mark_notes()
        self._mark_header()
        self._mark_byline_end()
        self._mark_inline_captions()
        return self._result()

    def _syndicated(self, name: str | None, line: str = "") -> None:
        """Record a syndication credit; a "Source: X" line also names the text's source.

        Why apart: "From X" under a headline says the page republished X, while
        a plain file's "Source: X" line is the only word on where the text comes
        from, so metadata may take it as the outlet when nothing better is known.
        """
        if name:
            self.meta.setdefault("x_syndicated_from", name)
            if _SOURCE_LINE.match(line):
                self.meta.setdefault("x_source_line", name)

    def _mark_chrome(self) -> None:
        """Lines that are chrome wherever they stand, and share blocks under a share heading."""
        in_share_block = False
        for i, ln in enumerate(self.lines):
            s = ln.stripped
            if not s:
                continue
            if in_share_block and self.ch.share_only(s):
                self.label[i] = LINK
                continue
            in_share_block = False
            hit = self.ch.classify(s)
            if hit is None:
                if (who := self.ch.credit_line(s)) is not None:
                    self.label[i] = BYLINE
                    self.credit_author = self.credit_author or who or None
                    self.meta.setdefault("x_credit_line", s)
                continue
            self.label[i] = hit.reason
            if hit.clue and hit.reason != NEWSLETTER:
                self.clues.append(hit.clue)
            self._syndicated(hit.syndicated, s)
            in_share_block = hit.reason == LINK and bool(self.ch.share_head.fullmatch(s))

    def _mark_credits(self) -> None:
        """Photo and agency credit lines, and captions that end in a credit, anywhere.

        They are cut whatever their position because a credit is never article
        text: left in, "STR" reads as a place and a photographer's name as the
        speaker of the next quote.  Caption and credit texts are kept in
        ``meta["x_captions"]`` and ``meta["x_credits"]``.
        """
        captions: list[str] = []
        credits: list[str] = []
        for i, ln in enumerate(self.lines):
            s = ln.stripped
            if self.label[i] is not None or not s:
                if self.label[i] == CAPTION:
                    credits.append(s)  # "Photo: A B" lines found by the chrome vocabulary
                continue
            if is_credit(s):
                self.label[i] = CREDIT
                credits.append(s.strip("()").strip())
            elif cap := trailing_credit(s):
                self.label[i] = CAPTION
                captions.append(cap[0])
                credits.append(cap[1])
        if captions:
            self.meta["x_captions"] = captions
        if credits:
            self.meta["x_credits"] = list(dict.fromkeys(credits))

    def _mark_teasers(self) -> None:
        """A teaser heading plus the short headline and '…' dek lines under it."""
        i = 0
        while i < len(self.lines):
            s = self.lines[i].stripped
            if self.label[i] is None and s and self.ch.teaser_head.fullmatch(s):
                self.label[i] = TEASER
                j = i + 1
                while j < len(self.lines):
                    t = self.lines[j].stripped
                    if not t:
                        j += 1
                        continue
                    if self.label[j] not in (None, LINK, TEASER):
                        break
                    dek = t.endswith(("…", "...")) and len(t) <= 400
                    headline = len(_words(t)) <= 20 and not t.endswith(".") and len(t) <= 160
                    if not (dek or headline or self.label[j] is not None):
                        break
                    if _COMMENT_HEAD_RX.fullmatch(t) or self.ch.form.fullmatch(t):
                        break
                    self.label[j] = TEASER
                    j += 1
                i = j
                continue
            i += 1

    def _mark_comments(self) -> None:
        header_end = self._first_paragraph_line()
        for i, ln in enumerate(self.lines):
            s = ln.stripped
            if self.label[i] is not None or not s or not _COMMENT_HEAD_RX.fullmatch(s):
                continue
            self.label[i] = COMMENTS
            if i < header_end:
                continue  # a comment counter under the title, not a comments block
            first = self._next_nonblank(i + 1)
            if first is None or self.label[first] is not None:
                continue
            if not (_ITEM_NUM_RX.match(self.lines[first].text)
                    or _ITEM_BULLET_RX.match(self.lines[first].text)):
                continue
            self._parse_comment_items(first)

    def _parse_comment_items(self, first: int) -> None:
        indented = self.lines[first].indent > 0
        stack: list[tuple[int, int]] = []  # (indent, comment index)
        cur: dict | None = None

        def close() -> None:
            if cur is not None:
                text = "\n\n".join("\n".join(p) for p in cur["paras"] if p)
                self.comments.append(Comment(
                    index=cur["index"], text=text, author=None, parent=cur["parent"],
                    raw_start=cur["start"], raw_end=cur["end"]))

        for j, ln, blank_before in self._run_lines(first):
            num = _ITEM_NUM_RX.match(ln.text)
            bul = _ITEM_BULLET_RX.match(ln.text)
            if not num and not bul and indented and ln.indent == 0:
                break
            if num or bul:
                close()
                content = (num.group(3) if num else bul.group(2))  # type: ignore[union-attr]
                indent = ln.indent
                while stack and stack[-1][0] >= indent:
                    stack.pop()
                index = len(self.comments)
                parent = stack[-1][1] if stack else None
                stack.append((indent, index))
                cstart = ln.start + ln.text.index(content)
                cur = {"index": index, "parent": parent, "paras": [[content.strip()]],
                       "start": cstart, "end": ln.content_end}
            else:
                assert cur is not None
                if blank_before:
                    cur["paras"].append([])
                cur["paras"][-1].append(ln.stripped)
                cur["end"] = ln.content_end
            self.label[j] = COMMENTS
        close()

    def _tail_start(self) -> int:
        """Index after the last line that reads like article text."""
        last = -1
        for i in self._body_idx():
            if self.lines[i].para:
                last = i
        return last + 1

    def _mark_tail(self) -> None:
        """After the last line of running text: form labels, lone share links, credits."""
        for i in range(self._tail_start(), len(self.lines)):
            s = self.lines[i].stripped
            if self.label[i] is not None or not s:
                continue
            if self.ch.share_only(s):
                self.label[i] = LINK
            elif self.ch.tail_form.fullmatch(s):
                self.label[i] = FORM
            elif hit := self.ch.edge(s):
                self.label[i] = hit.reason
                self._syndicated(hit.syndicated, s)

    def _mark_notes(self) -> None:
        """Footnotes/endnotes: a run of labelled notes at the end of the text.

        A run of ``[1] ...`` notes counts when nothing but chrome follows it, or when
        every note's label was used as an inline marker before it (``Oblast[1]``) and
        nothing after it reads like running text.  No separator line is needed.
        """
        n = len(self.lines)
        # Labels do not change until a run is committed, so "what follows line k"
        # is computed once (suffix tables) and each run is scanned once: linear.
        only_marked, no_text = [True] * (n + 1), [True] * (n + 1)
        for k in range(n - 1, -1, -1):
            ln, unlabelled = self.lines[k], self.label[k] is None
            only_marked[k] = only_marked[k + 1] and (ln.blank or not unlabelled)
            no_text[k] = no_text[k + 1] and not (unlabelled and ln.para)
        first_marker = self._first_markers()
        starts = [i for i in range(n) if self.label[i] is None and _NOTE_RX.match(self.lines[i].text)]
        scanned_to = -1
        for s0 in starts:
            if s0 < scanned_to:
                continue  # inside a run already tried from its first note
            notes, end = self._scan_notes(s0, _NOTE_RX)
            scanned_to = end
            before = self.lines[s0].start
            marked = all(first_marker.get(note["label"].lower(), before) < before
                         for note in notes)
            if notes and (only_marked[end] or (marked and no_text[end])):
                self._commit_notes(s0, notes, end)
                return
        # "1. text" notes count only after a separator or a notes heading.
        scanned_to = -1
        for i in range(n):
            s = self.lines[i].stripped
            if i < scanned_to or self.label[i] is not None or not s \
                    or not self.ch.note_head.fullmatch(s):
                continue
            first = self._next_nonblank(i + 1)
            if first is None or not _ITEM_NUM_RX.match(self.lines[first].text):
                continue
            notes, end = self._scan_notes(first, _ITEM_NUM_RX)
            scanned_to = end
            if notes and only_marked[end]:
                self.label[i] = NOTES
                self._commit_notes(first, notes, end)
                return

    def _first_markers(self) -> dict[str, int]:
        """Where each inline note marker (``Oblast[1]``) first occurs, by lower-cased label."""
        first: dict[str, int] = {}
        for m in _MARKER_RX.finditer(self.raw):
            first.setdefault(m.group(1).lower(), m.start())
        return first

    def _scan_notes(self, s0: int, rx: re.Pattern[str]) -> tuple[list[dict], int]:
        notes: list[dict] = []
        last_nonblank = s0
        for j, ln, blank_before in self._run_lines(s0):
            m = rx.match(ln.text)
            if m:
                label = m.group(1) if rx is _NOTE_RX else m.group(2)
                body = (m.group(2) if rx is _NOTE_RX else m.group(3)) or ""
                notes.append({"label": label, "parts": [body.strip()] if body.strip() else [],
                              "lines": [j]})
            else:
                prev = " ".join(notes[-1]["parts"]) if notes else ""
                unfinished = not prev or not (prev.endswith(tuple(_TERMINAL))
                                              or _URL_RX.search(prev.split()[-1]))
                lower = ln.stripped[:1].islower()
                if blank_before and not (unfinished or lower):
                    break
                notes[-1]["parts"].append(ln.stripped)
                notes[-1]["lines"].append(j)
            last_nonblank = j
        return notes, last_nonblank + 1

    def _commit_notes(self, s0: int, notes: list[dict], end: int) -> None:
        for k in range(s0, end):
            if not self.lines[k].blank:
                self.label[k] = NOTES
        for note in notes:
            text = " ".join(note["parts"])
            url_m = _URL_RX.search(text)
            url = url_m.group(0).rstrip(".,;:)]") if url_m else None
            first, last = self.lines[note["lines"][0]], self.lines[note["lines"][-1]]
            self.references.append(Reference(label=note["label"], text=text, url=url,
                                             raw_start=first.content_start,
                                             raw_end=last.content_end))

    def _first_paragraph_line(self) -> int:
        for i, ln in enumerate(self.lines):
            if self.label[i] is None and not ln.blank and ln.para:
                return i
        return len(self.lines)

    def _mark_header(self) -> None:
        """Bylines, mastheads, credits, the title and captions before the first paragraph.

        The title is the first substantial line left once chrome and bylines are set
        aside, unless it is a caption made only of names that reappear in the body and
        a real headline follows it (a kicker such as "Foreign Minister A B").
        """
        first_para = self._first_paragraph_line()
        cands = [i for i in range(first_para) if not self.lines[i].blank and self.label[i] is None]
        for i in cands:
            s = self.lines[i].stripped
            if ob := self.ch.outlet_byline(s):
                self.label[i] = BYLINE
                self.meta.setdefault("author", ob[1])
                self.meta.setdefault("x_byline", s)
                self.meta.setdefault("x_byline_outlet", ob[0])
            elif by := self.ch.byline_top(s):
                self.label[i] = BYLINE
                self.meta.setdefault("author", by[0])
                if by[1] and not re.search(r"\d", by[1]):
                    self.clues.append(by[1])
                elif by[1]:
                    self.meta.setdefault("x_byline", s)  # its date may date the document
            elif hit := self.ch.masthead(s):
                self.label[i] = hit.reason
                if hit.clue:
                    self.clues.append(hit.clue)
            elif (tl := self.ch.tagline_of(s)) and (
                    tl[0].lower() in {c.lower() for c in self.clues} or self.ch.tagline.search(tl[1])):
                self.label[i] = BRANDING
                self.clues.append(tl[0])
        cands = [i for i in cands if self.label[i] is None]
        for k, i in enumerate(cands):
            if k > 0 and (hit := self.ch.edge(self.lines[i].stripped)):
                self.label[i] = hit.reason  # "From X" under a headline: a syndication credit
                self._syndicated(hit.syndicated, s)
        cands = [i for i in cands if self.label[i] is None
                 and len(_words(self.lines[i].stripped)) <= 30]
        if not cands or first_para >= len(self.lines):
            return
        cand_set = set(cands)
        body_words = set(_words(" ".join(self.lines[i].stripped for i in self._body_idx()
                                         if i not in cand_set)))
        names_only = {i: self._name_only_caption(self.lines[i].stripped, body_words)
                      for i in cands}
        titled = [i for i in cands if _title_shaped(self.lines[i].stripped)
                  and not self.ch.date_only(self.lines[i].stripped)]
        if len(titled) > 1 or len(cands) > 1:  # a one-word kicker ("Review") is no headline
            titled = [i for i in titled if len(_words(self.lines[i].stripped)) >= 2]
        # A names-only line is a caption when a real headline follows it.
        later_real: dict[int, bool] = {}
        seen_real = False
        for i in reversed(titled):
            later_real[i] = seen_real
            seen_real = seen_real or not names_only[i]
        title_i = next((i for i in titled if not (names_only[i] and later_real[i])), None)
        if title_i is None:
            return
        self.label[title_i] = TITLE
        self.meta["title"] = self.lines[title_i].stripped
        for i in cands:
            if i != title_i and names_only[i]:
                self.label[i] = CAPTION

    def _name_only_caption(self, s: str, body_words: set[str]) -> bool:
        words = _words(s)
        if not 2 <= len(words) <= 14 or s.endswith(tuple(".!?:")):
            return False
        caps = [w for w in words if w[:1].isupper()]
        if any(w not in self.ch.caption_words for w in words if not w[:1].isupper()):
            return False
        return len(caps) >= 2 and all(w in body_words for w in caps)

    def _mark_byline_end(self) -> None:
        """An author block at the end of the body.

        Either a name line (maybe repeated) then a bio paragraph starting with that
        name, an "About the author" heading then a paragraph, or a bio paragraph that
        starts with the name already found in the top byline ("X writes about ...").
        """
        paras = self._paragraphs()
        if len(paras) < 2:
            return
        texts = [self._para_text(p) for p in paras]
        last = texts[-1]
        name_paras: list[int] = []
        k = len(paras) - 2
        while k >= 0 and len(paras[k]) == 1 and _NAME_RX.fullmatch(texts[k]) and len(name_paras) < 2:
            name_paras.append(k)
            k -= 1
        if name_paras:
            name = texts[name_paras[0]]
            bio_ok = len(last) <= 1000 and self._bio_starts_with(last, name)
            if bio_ok and all(texts[p] == name for p in name_paras):
                self._take_bio([*name_paras, len(paras) - 1], paras, name, last)
                return
        if len(last) <= 1000 and self.ch.about_head.fullmatch(texts[-2]):
            self._take_bio([len(paras) - 2, len(paras) - 1], paras, None, last)
            return
        known = self.meta.get("author")
        if (isinstance(known, str) and len(last) <= 600 and len(paras) > 2
                and last.startswith(tuple(known.split())) and self._bio_starts_with(last, known)):
            self._take_bio([len(paras) - 1], paras, None, last)
            return
        if len(paras[-1]) == 1 and (by := self.ch.byline_top(last)
                                    or re.fullmatch(rf"[-–—]\s*({PERSON})\s*", last)):
            self.label[paras[-1][0]] = BYLINE
            author = by[0] if isinstance(by, tuple) else by.group(1)
            self.meta.setdefault("author", author.strip())

    def _take_bio(self, which: list[int], paras: list[list[int]], name: str | None,
                  bio: str) -> None:
        for p in which:
            for i in paras[p]:
                self.label[i] = BYLINE
        if name:
            self.meta["author"] = name
        elif (m := re.match(PERSON, bio)) and self.ch.bio_verb.match(bio[m.end():]):
            self.meta.setdefault("author", m.group(0))
        self.meta["author_bio"] = bio
        self.clues.append(bio)

    def _bio_starts_with(self, text: str, name: str) -> bool:
        parts = name.split()
        for head in (name, parts[0], parts[-1], "He", "She", "They"):
            if text.startswith(head) and self.ch.bio_verb.match(text[len(head):]):
                return True
        return False

    def _mark_inline_captions(self) -> None:
        """A short unpunctuated line repeated verbatim in the paragraph next to it."""
        paras = self._paragraphs()
        for k, para in enumerate(paras[:6]):
            if len(para) != 1:
                continue
            s = self.lines[para[0]].stripped
            n = len(_words(s))
            if not 4 <= n <= 25 or s.endswith(tuple(_TERMINAL + ":")):
                continue
            norm = " ".join(s.split())
            neighbours = [paras[x] for x in (k - 1, k + 1) if 0 <= x < len(paras)]
            if any(norm in " ".join(self._para_text(p).split()) for p in neighbours):
                self.label[para[0]] = CAPTION

    # -- output --------------------------------------------------------------------
    def _result(self) -> Cleaned:
        removed: list[Removal] = []
        group: list[int] = []
        reason: str | None = None

        def flush() -> None:
            if group:
                a = self.lines[group[0]].content_start
                b = self.lines[group[-1]].content_end
                removed.append(Removal(a, b, reason or "", self.raw[a:b]))
                if reason in _CLUE_REASONS:
                    self.clues.extend(self.lines[i].stripped for i in group)

        for i, ln in enumerate(self.lines):
            if ln.blank:
                continue
            lab = self.label[i]
            if lab != reason or lab is None:
                flush()
                group = []
            reason = lab
            if lab is not None:
                group.append(i)
        flush()
        body = "\n\n".join(self._render(p) for p in self._paragraphs())
        meta = dict(self.meta)
        if self.credit_author and not meta.get("author"):
            meta["author"] = self.credit_author
        seen = list(dict.fromkeys(c for c in self.clues if c))
        if seen:
            meta["x_outlet_clues"] = seen
        return Cleaned(text=body, raw_text=self.raw, removed=removed, comments=self.comments,
                       references=self.references, meta=meta)

    def _render(self, para: list[int]) -> str:
        out = []
        for i in para:
            t = self.lines[i].text.expandtabs(4).rstrip()
            lead = len(t) - len(t.lstrip())
            core = re.sub(r"\s+", " ", t.strip())
            bullet = _ITEM_BULLET_RX.match(t) is not None
            out.append((" " * lead if bullet else "") + core)
        return "\n".join(out)


def clean_text(text: str) -> Cleaned:
    """Split a plain-text page into article body, removed chrome, comments and notes.

    ``Cleaned.removed`` offsets point into ``text`` (kept as ``Cleaned.raw_text``);
    ``Cleaned.meta`` may hold ``title``, ``author``, ``author_bio``,
    ``x_outlet_clues`` (chrome lines and bios that may name the outlet),
    ``x_syndicated_from``, ``x_source_line`` (a "Source: X" line), ``x_credit_line``,
    ``x_byline`` and ``x_byline_outlet`` (a byline naming its outlet or a date),
    ``x_captions`` and ``x_credits`` (photo captions and photo/agency credits).
    """
    return _Cleaner(text, load_chrome()).run()
