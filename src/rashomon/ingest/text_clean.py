"""Plain-text cleaning: keep the article, set everything else apart and say why.

Scraped pages arrive as text with the site around the article: newsletter
prompts, share links, "You May Also Like" teasers, comment forms, reader
comments, footnotes, author bios.  HTML extractors return nothing on plain
text, so these are our own rules.  They work line by line, because chrome in
scraped text is almost always whole lines.

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
* Comment ``index`` is the comment's position in ``Cleaned.comments``
  (0-based); ``parent`` is the index of the comment it replies to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rashomon.ingest.items import Cleaned
from rashomon.model import Comment, Reference, Removal

TITLE = "title"
CAPTION = "photo caption"
NEWSLETTER = "newsletter prompt"
LINK = "share/navigation link"
BRANDING = "site branding"
TEASER = "related-stories teaser"
FORM = "comment form"
COMMENTS = "reader comments"
NOTES = "footnotes/endnotes"
BYLINE = "author byline/bio"

# Reasons whose removed lines may name the outlet (matched later against source registries).
_CLUE_REASONS = {NEWSLETTER, BRANDING, BYLINE}

_END = r"[\s.:!;,]*"


def _rx(*patterns: str) -> re.Pattern[str]:
    return re.compile("(?:" + "|".join(patterns) + ")" + _END, re.IGNORECASE)


_NEWSLETTER_RX = _rx(
    r"(?:get|receive)\b.{0,80}\bin your inbox",
    r"(?:sign up|subscribe)(?: now| today)?(?: for| to)?(?: our| the)?(?: free)?"
    r"(?: daily| weekly)? (?:newsletters?|mailing list|updates)\b.{0,60}",
    r"get notified (?:of|about) (?:the )?(?:latest|new)\b.{0,80}",
    r"subscribe(?: now| today| here)?",
    r"join our (?:newsletter|mailing list).{0,60}",
)
_SHARE_WORDS = (
    r"share|print|email|e-mail|tweet|facebook|twitter|x|whatsapp|telegram|linkedin|"
    r"pinterest|reddit|tumblr|vk|messenger|viber|copy link|pocket|flipboard"
)
_LINK_RX = _rx(
    r"back to top(?: button)?",
    r"show (?:more|less)",
    r"load more(?: posts| stories| articles)?",
    r"source link",
    r"exit mobile version",
    r"skip to (?:main )?content",
    r"(?:read|see|view) (?:more|full (?:article|story))",
    r"continue reading.{0,80}",
    r"click here to .{0,80}",
    r"print(?: this)?(?: article| page| story)?",
    r"share(?: this)?(?: article| story| post| page)?(?: on \w+| via \w+)?",
    r"(?:previous|next) (?:article|post|story)",
    r"advertisement",
    r"scroll to continue.{0,40}",
    rf"(?:(?:{_SHARE_WORDS})[\s|/,•·]*){{2,}}",
)
_SITE_ICON_RX = re.compile(r"site (?:icon|logo)\s+(.{2,80}?)\s*", re.IGNORECASE)
_TAGLINE_RX = re.compile(
    r"\b(?:a story for you|for you|your (?:source|daily|trusted)\b.*|latest news|breaking news|"
    r"news (?:and|&) (?:views|analysis)|independent news|news portal|news agency)\s*$",
    re.IGNORECASE,
)
_FORM_RX = _rx(
    r"leave a (?:reply|comment)",
    r"cancel reply",
    r"your email address will not be published.{0,60}",
    r"required fields are marked \*?",
    r"save my name, email,? and website.{0,80}",
    r"post comment",
    r"you must be logged in to post a comment",
    r"comments are closed",
    r"notify me of (?:follow-up comments|new posts|new comments).{0,80}",
)
# Form field labels and a lone asterisk: only chrome in the tail of the page.
_TAIL_FORM_RX = re.compile(r"(?:(?:name|email|e-mail|website|comment)\s*\*?|\*|Δ)\s*", re.IGNORECASE)
_TEASER_HEAD_RX = _rx(
    r"you (?:may|might) also like",
    r"related(?: (?:posts|articles|stories|news|content|coverage|reading))?",
    r"read (?:also|next)",
    r"also read",
    r"see also",
    r"more (?:stories|news|articles)(?: from .{1,40})?",
    r"recommended(?: for you| stories| articles)?",
    r"most (?:read|popular|viewed)",
    r"trending(?: now)?",
    r"latest (?:news|posts|stories|articles)",
    r"what to read next",
)
_TEASER_LINE_RX = re.compile(
    r"(?:read more|read also|also read|related|see also)\s*:\s*\S.{0,200}", re.IGNORECASE
)
_NUMBER_WORDS = "one|two|three|four|five|six|seven|eight|nine|ten"
_COMMENT_HEAD_RX = re.compile(
    rf"(?:\d{{1,5}}|{_NUMBER_WORDS}|no)\s+(?:comments?|responses?|replies|thoughts?)"
    r"(?:\s+(?:on|to)\s+.{1,200})?\s*:?\s*",
    re.IGNORECASE,
)
_ITEM_NUM_RX = re.compile(r"^(\s*)(\d{1,3})[.)]\s+(\S.*)$")
_ITEM_BULLET_RX = re.compile(r"^(\s*)[•·▪◦‣∙*\-–]\s+(\S.*)$")
_NOTE_RX = re.compile(r"^\s*\[(\d{1,3}|[a-z]|[ivx]{1,5})\]\s*(\S.*)?$", re.IGNORECASE)
_NOTES_HEAD_RX = _rx(
    r"notes?", r"footnotes?", r"endnotes?", r"references?", r"sources?", r"bibliography",
    r"[-_*=—–·•\s]{3,}",
)
_URL_RX = re.compile(r"https?://[^\s<>\"”]+")
_NAME = r"[A-Z][\w'’.\-]*(?:\s+(?:[A-Z][\w'’.\-]*|de|van|von|der|al|el|bin|da|di|la|le|du))"
_NAME_RX = re.compile(rf"({_NAME}{{1,3}})")
_BYLINE_TOP_RX = re.compile(rf"(?:by|written by)\s+({_NAME}{{1,3}})\s*(?:[,|–—-]\s*(.{{0,80}}))?\s*$",
                            re.IGNORECASE)
_BYLINE_END_RX = re.compile(rf"(?:by|[-–—])\s*({_NAME}{{1,3}})\s*$", re.IGNORECASE)
_BIO_VERB_RX = re.compile(r"\s+(?:is|was|has|writes|reports|covers|teaches|works)\b")
# Words that may appear in a photo caption made only of names (plus capitalised tokens).
_CAPTION_FUNCTION_WORDS = {
    "and", "of", "the", "his", "her", "their", "its", "with", "at", "in", "on", "during",
    "counterpart", "counterparts", "wife", "husband", "left", "right", "center", "centre",
    "file", "photo", "for", "to", "de", "van", "von", "al", "el",
}
_TERMINAL = ".!?;…\"”’)"


@dataclass
class _Line:
    start: int
    end: int
    text: str

    @property
    def stripped(self) -> str:
        return self.text.strip()

    @property
    def blank(self) -> bool:
        return not self.text.strip()

    @property
    def indent(self) -> int:
        return len(self.text.expandtabs(4)) - len(self.text.expandtabs(4).lstrip())

    @property
    def content_start(self) -> int:
        return self.start + (len(self.text) - len(self.text.lstrip()))

    @property
    def content_end(self) -> int:
        return self.start + len(self.text.rstrip())


def _split_lines(raw: str) -> list[_Line]:
    lines: list[_Line] = []
    pos = 0
    for m in re.finditer(r"\r\n|\r|\n", raw):
        lines.append(_Line(pos, m.start(), raw[pos : m.start()]))
        pos = m.end()
    if pos < len(raw):
        lines.append(_Line(pos, len(raw), raw[pos:]))
    return lines


def _words(s: str) -> list[str]:
    return re.findall(r"[\w'’\-]+", s)


def _is_paragraph(s: str) -> bool:
    """A line that reads like running text rather than a heading or a link."""
    n = len(_words(s))
    return n >= 20 or (n >= 10 and s.rstrip().endswith((".", "!", "?", ".”", '."', "…")))


class _Cleaner:
    """One cleaning run: per-line labels, then removals, comments, notes and body."""

    def __init__(self, raw: str) -> None:
        self.raw = raw
        self.lines = _split_lines(raw)
        self.label: list[str | None] = [None] * len(self.lines)
        self.meta: dict[str, object] = {}
        self.comments: list[Comment] = []
        self.references: list[Reference] = []
        self.clues: list[str] = []

    # -- helpers -----------------------------------------------------------------
    def _next_nonblank(self, i: int) -> int | None:
        for j in range(i, len(self.lines)):
            if not self.lines[j].blank:
                return j
        return None

    def _body_idx(self) -> list[int]:
        return [i for i, ln in enumerate(self.lines) if not ln.blank and self.label[i] is None]

    def _paragraphs(self) -> list[list[int]]:
        """Runs of consecutive unlabelled non-blank lines."""
        out: list[list[int]] = []
        cur: list[int] = []
        for i, ln in enumerate(self.lines):
            if ln.blank or self.label[i] is not None:
                if cur:
                    out.append(cur)
                    cur = []
            else:
                cur.append(i)
        if cur:
            out.append(cur)
        return out

    def _para_text(self, para: list[int]) -> str:
        return " ".join(self.lines[i].stripped for i in para)

    # -- passes --------------------------------------------------------------------
    def run(self) -> Cleaned:
        self._mark_chrome()
        self._mark_teasers()
        self._mark_comments()
        self._mark_tail_form()
        self._mark_notes()
        self._mark_header()
        self._mark_byline_end()
        self._mark_inline_captions()
        return self._result()

    def _mark_chrome(self) -> None:
        for i, ln in enumerate(self.lines):
            s = ln.stripped
            if not s or len(s) > 160:
                continue
            if m := _SITE_ICON_RX.fullmatch(s):
                self.label[i] = BRANDING
                self.clues.append(m.group(1))
            elif _NEWSLETTER_RX.fullmatch(s):
                self.label[i] = NEWSLETTER
            elif _FORM_RX.fullmatch(s):
                self.label[i] = FORM
            elif _LINK_RX.fullmatch(s):
                self.label[i] = LINK
            elif _TEASER_LINE_RX.fullmatch(s):
                self.label[i] = TEASER

    def _mark_teasers(self) -> None:
        """A teaser heading plus the short headline and '…' dek lines under it."""
        i = 0
        while i < len(self.lines):
            s = self.lines[i].stripped
            if self.label[i] is None and s and _TEASER_HEAD_RX.fullmatch(s):
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
                    if _COMMENT_HEAD_RX.fullmatch(t) or _FORM_RX.fullmatch(t):
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
        blank_before = False

        def close() -> None:
            if cur is not None:
                text = "\n\n".join("\n".join(p) for p in cur["paras"] if p)
                self.comments.append(Comment(
                    index=cur["index"], text=text, author=None, parent=cur["parent"],
                    raw_start=cur["start"], raw_end=cur["end"]))

        j = first
        while j < len(self.lines):
            ln = self.lines[j]
            if ln.blank:
                blank_before = True
                j += 1
                continue
            if self.label[j] is not None:
                break
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
            blank_before = False
            j += 1
        close()

    def _tail_start(self) -> int:
        """Index after the last line that reads like article text."""
        last = -1
        for i in self._body_idx():
            if _is_paragraph(self.lines[i].stripped):
                last = i
        return last + 1

    def _mark_tail_form(self) -> None:
        for i in range(self._tail_start(), len(self.lines)):
            s = self.lines[i].stripped
            if self.label[i] is None and s and _TAIL_FORM_RX.fullmatch(s):
                self.label[i] = FORM

    def _mark_notes(self) -> None:
        """Footnotes/endnotes: a run of labelled notes with nothing but chrome after it."""
        n = len(self.lines)
        starts = [i for i in range(n) if self.label[i] is None and _NOTE_RX.match(self.lines[i].text)]
        for s0 in starts:
            notes, end = self._scan_notes(s0, _NOTE_RX)
            if notes and self._only_marked_after(end):
                self._commit_notes(s0, notes, end)
                return
        # "1. text" notes count only after a separator or a notes heading.
        for i in range(n):
            s = self.lines[i].stripped
            if self.label[i] is not None or not s or not _NOTES_HEAD_RX.fullmatch(s):
                continue
            first = self._next_nonblank(i + 1)
            if first is None or not _ITEM_NUM_RX.match(self.lines[first].text):
                continue
            notes, end = self._scan_notes(first, _ITEM_NUM_RX)
            if notes and self._only_marked_after(end):
                self.label[i] = NOTES
                self._commit_notes(first, notes, end)
                return

    def _scan_notes(self, s0: int, rx: re.Pattern[str]) -> tuple[list[dict], int]:
        notes: list[dict] = []
        j = s0
        blank_before = False
        last_nonblank = s0
        while j < len(self.lines):
            ln = self.lines[j]
            if ln.blank:
                blank_before = True
                j += 1
                continue
            if self.label[j] is not None:
                break
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
            blank_before = False
            j += 1
        return notes, last_nonblank + 1

    def _only_marked_after(self, end: int) -> bool:
        return all(ln.blank or self.label[k] is not None
                   for k, ln in enumerate(self.lines[end:], start=end))

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
            if self.label[i] is None and not ln.blank and _is_paragraph(ln.stripped):
                return i
        return len(self.lines)

    def _mark_header(self) -> None:
        """Title, taglines, kicker captions and a top byline before the first paragraph."""
        first_para = self._first_paragraph_line()
        cands = [i for i in range(first_para) if not self.lines[i].blank and self.label[i] is None]
        for i in cands:
            s = self.lines[i].stripped
            if m := _BYLINE_TOP_RX.fullmatch(s):
                self.label[i] = BYLINE
                self.meta.setdefault("author", m.group(1).strip())
                if m.group(2):
                    self.clues.append(m.group(2).strip())
                continue
            m2 = re.fullmatch(r"(.{2,60}?)\s+[-–—|]\s+(.{2,80})", s)
            if m2 and (m2.group(1).strip().lower() in {c.lower() for c in self.clues}
                       or _TAGLINE_RX.search(m2.group(2))):
                self.label[i] = BRANDING
                self.clues.append(m2.group(1).strip())
        cands = [i for i in cands if self.label[i] is None and len(_words(self.lines[i].stripped)) <= 30]
        if not cands or first_para >= len(self.lines):
            return
        title_i = cands[-1]
        self.label[title_i] = TITLE
        self.meta["title"] = self.lines[title_i].stripped
        body_words = set(_words(" ".join(self.lines[i].stripped for i in self._body_idx())))
        for i in cands[:-1]:
            if self._name_only_caption(self.lines[i].stripped, body_words):
                self.label[i] = CAPTION

    @staticmethod
    def _name_only_caption(s: str, body_words: set[str]) -> bool:
        words = _words(s)
        if not 2 <= len(words) <= 14 or s.endswith(tuple(".!?:")):
            return False
        caps = [w for w in words if w[:1].isupper()]
        if any(w not in _CAPTION_FUNCTION_WORDS for w in words if not w[:1].isupper()):
            return False
        return len(caps) >= 2 and all(w in body_words for w in caps)

    def _mark_byline_end(self) -> None:
        """Name line (maybe repeated) then a short bio paragraph, at the end of the body."""
        paras = self._paragraphs()
        if len(paras) < 2:
            return
        texts = [self._para_text(p) for p in paras]
        last = texts[-1]
        # Name line(s) + bio.
        name_paras: list[int] = []
        k = len(paras) - 2
        while k >= 0 and len(paras[k]) == 1 and _NAME_RX.fullmatch(texts[k]) and len(name_paras) < 2:
            name_paras.append(k)
            k -= 1
        if name_paras:
            name = texts[name_paras[0]]
            bio_ok = len(last) <= 1000 and self._bio_starts_with(last, name)
            if bio_ok and all(texts[p] == name for p in name_paras):
                for p in [*name_paras, len(paras) - 1]:
                    for i in paras[p]:
                        self.label[i] = BYLINE
                self.meta["author"] = name
                self.meta["author_bio"] = last
                self.clues.append(last)
                return
        if len(paras[-1]) == 1 and (m := _BYLINE_END_RX.fullmatch(last)):
            self.label[paras[-1][0]] = BYLINE
            self.meta.setdefault("author", m.group(1).strip())

    @staticmethod
    def _bio_starts_with(text: str, name: str) -> bool:
        parts = name.split()
        for head in (name, parts[0], parts[-1], "He", "She", "They"):
            if text.startswith(head) and _BIO_VERB_RX.match(text[len(head):]):
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
                if reason in _CLUE_REASONS and reason != BYLINE:
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
        seen: list[str] = []
        for c in self.clues:
            if c and c not in seen:
                seen.append(c)
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
    ``Cleaned.meta`` may hold ``title``, ``author``, ``author_bio`` and
    ``x_outlet_clues`` (chrome lines and bios that may name the outlet).
    """
    return _Cleaner(text).run()
