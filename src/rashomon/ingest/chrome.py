"""Site-chrome line classifiers, compiled from the vocabularies in ``data/chrome.yaml``.

The plain-text cleaner (:mod:`rashomon.ingest.text_clean`) decides *where* a
line sits (header, body, tail, share block); this module decides *what* a
single line is.  Keeping the phrases in a data file means a new kind of share
bar or newsletter prompt is a one-line data change, and the cleaner's code
stays about structure.

Every classifier matches a whole stripped line, so a phrase inside running text
never triggers it.  Names (authors, outlets) must be capitalised: the phrase
around them is case-insensitive, the name itself is not, which keeps "by the
way" from being read as a byline.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from rashomon import data as rdata

DATA_FILE = rdata.path("chrome.yaml")

# Removal reasons (shared with text_clean).
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
SYNDICATION = "syndication credit"
CREDIT = "photo/agency credit"

END = r"[\s.:!;,]*"
# An outlet name: capitalised words, a few lower-case joiners ("Voice of the People").
NAME = (r"(?-i:(?:[Tt]he\s+)?[A-Z0-9][\w&'’.\-]*"
        r"(?:\s+(?:[A-Z0-9][\w&'’.\-]*|of|and|&|for|the|de|du|la|le)){0,6})")
# A person: two to four capitalised words, with the usual name particles.
PERSON = (r"(?-i:[A-Z][\w'’.\-]*(?:\s+(?:[A-Z][\w'’.\-]*|de|van|von|der|den|al|el|bin|ibn|da|"
          r"di|dos|la|le|du)){1,3})")
PERSONS = rf"{PERSON}(?:\s*(?:,|\band\b|&)\s*{PERSON})*"


_OUTLET_BYLINE = re.compile(
    rf"[/|]\s*(?P<outlet>[\w&'’.\-]+(?:\s+[\w&'’.\-]+){{0,4}}?)\s+[Bb][Yy]:?\s+"
    rf"(?P<name>{PERSONS})(?P<rest>(?:\s*[,|/–—-]\s*|\s+(?:in|on|at)\s+).{{0,80}})?\s*")


@dataclass(frozen=True)
class Hit:
    """What one line is: a removal reason, plus a name it reveals.

    ``clue`` may name the publishing outlet (branding, newsletter prompts);
    ``syndicated`` names the outlet the article was taken from.
    """

    reason: str
    clue: str | None = None
    syndicated: str | None = None


def _alt(patterns: list[str]) -> str:
    return "(?:" + "|".join(f"(?:{p})" for p in patterns) + ")"


def _named(patterns: list[str]) -> str:
    """Alternation of patterns that each capture ``(?P<name>...)`` (renamed name0, name1...)."""
    return _alt([p.replace("{name}", NAME).replace("(?P<name>", f"(?P<name{i}>")
                 for i, p in enumerate(patterns)])


def _words(items: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(items, key=len, reverse=True))


def _full(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern + END, re.IGNORECASE)


def _clean_name(name: str) -> str:
    return name.strip().rstrip(".,;:").strip()


class Chrome:
    """Compiled chrome vocabularies; build once with :func:`load_chrome`."""

    def __init__(self, data: dict[str, Any]) -> None:
        for key, value in data.items():
            bad = [v for v in (value if isinstance(value, list) else [value])
                   if not isinstance(v, str)]
            if bad:  # YAML reads bare on/off/yes/no as booleans: quote them
                raise ValueError(f"chrome vocabulary {key!r}: non-string entries {bad!r}")
        nouns = _words(data["newsletter_nouns"])
        services = _words(data["share_services"])
        tails = _alt(data["syndication_tails"])
        self.newsletter = _full(_alt([p.replace("{nouns}", nouns) for p in data["newsletters"]]))
        self.link = _full(_alt(data["links"]))
        self.form = _full(_alt(data["forms"]))
        self.tail_form = _full(_alt(data["tail_forms"]))
        self.teaser_head = _full(_alt(data["teaser_heads"]))
        self.teaser_line = _full(_alt(data["teaser_lines"]))
        self.share_head = _full(_alt(data["share_heads"]))
        # One service ("Facebook"), or several on one line ("Facebook Twitter WhatsApp").
        self.share_one = _full(rf"(?:share (?:on|via) )?(?:{services})")
        self.share_many = _full(rf"(?:(?:{services})[\s|/,•·]*){{2,}}")
        self.site_icon = re.compile(data["site_icon"] + r"\s*", re.IGNORECASE)
        self.tagline = re.compile(r"\b" + _alt(data["taglines"]) + r"\s*$", re.IGNORECASE)
        self.copyright = _full(_named(data["copyright"]) + rf"(?:\W*{tails})*")
        self.sections = {s.lower() for s in data["sections"]}
        self.syndication = _full(_named(data["syndication"]) + rf"(?:\W*{tails})*")
        self.syndication_edge = _full(_named(data["syndication_edge"]) + rf"(?:\W*{tails})*")
        rest = r"(?:\s*(?:[,|–—·•/]|\s-|\s(?:on|in|at|for)\s)\s*(?P<rest>.{0,80}?))?"
        self.byline = _full(rf"{_alt(data['byline_verbs'])}\s+(?P<name>{PERSONS}){rest}")
        roles = _words(data["credit_roles"])
        self.credit = re.compile(rf"\(\s*(?:{roles})\s+by\s+[^()]{{2,300}}\)\s*", re.IGNORECASE)
        self.credit_name = re.compile(rf"\bby\s+({PERSON})", re.IGNORECASE)
        self.photo_credit = _full(_alt(data["photo_credits"]))
        self.bio_verb = re.compile(rf"\s+(?:{_words(data['bio_verbs'])})\b")
        self.about_head = _full(_alt(data["about_author_heads"]))
        self.note_head = _full(_alt(data["note_heads"]))
        self.caption_words = set(data["caption_function_words"])
        self.date_words = {w.lower() for w in data["date_words"]}

    # -- single lines ------------------------------------------------------------------
    def classify(self, s: str) -> Hit | None:
        """Chrome that is chrome wherever it stands on the page (``s`` is stripped)."""
        if not s or len(s) > 200:
            return None
        if m := self.site_icon.fullmatch(s):
            return Hit(BRANDING, clue=m.group("name"))
        if self.newsletter.fullmatch(s):
            return Hit(NEWSLETTER, clue=s)
        if self.form.fullmatch(s):
            return Hit(FORM)
        if self.share_head.fullmatch(s) or self.share_many.fullmatch(s) or self.link.fullmatch(s):
            return Hit(LINK)
        if self.teaser_line.fullmatch(s):
            return Hit(TEASER)
        if name := self._name(self.syndication, s):
            return Hit(SYNDICATION, syndicated=name)
        if name := self._name(self.copyright, s):
            return Hit(BRANDING, clue=name)
        if len(s.split()) <= 20 and self.photo_credit.fullmatch(s):
            return Hit(CAPTION)
        return None

    def edge(self, s: str) -> Hit | None:
        """Chrome only at the edges of the article (between title and text, or in the tail)."""
        if name := self._name(self.syndication_edge, s):
            return Hit(SYNDICATION, syndicated=name)
        return None

    def masthead(self, s: str) -> Hit | None:
        """'OUTLET | World', 'World - Outlet', breadcrumbs 'Home › World', a lone 'Politics'."""
        parts = [p.strip() for p in re.split(r"\s+[|»›>/–—-]\s+|\s*[|»›]\s*", s) if p.strip()]
        if not parts or any(len(p.split()) > 6 for p in parts):
            return None
        sections = [p for p in parts if p.lower().rstrip(":") in self.sections]
        if not sections:
            return None
        names = [p for p in parts if p not in sections]
        if not names:
            return Hit(LINK)
        return Hit(BRANDING, clue=" ".join(names)) if len(parts) > 1 else None

    def tagline_of(self, s: str) -> tuple[str, str] | None:
        """('Outlet', 'tagline') for 'Outlet - a story for you'."""
        m = re.fullmatch(r"(.{2,60}?)\s+[-–—|]\s+(.{2,80})", s)
        return (m.group(1).strip(), m.group(2)) if m else None

    def byline_top(self, s: str) -> tuple[str, str | None] | None:
        """(author, rest) for 'By A B', 'Posted by A B on 5 May 2024', 'By A B | Outlet'."""
        m = self.byline.fullmatch(s)
        if not m:
            return None
        rest = (m.group("rest") or "").strip() or None
        return _clean_name(m.group("name")), rest

    def credit_line(self, s: str) -> str | None:
        """'(Reporting by A B; editing by C D)' -> the first reporter's name ('' if none)."""
        if not self.credit.fullmatch(s):
            return None
        m = self.credit_name.search(s)
        return m.group(1) if m else ""

    def date_only(self, s: str) -> bool:
        """A line of nothing but a date/time ("Updated: Monday 15 January 2025, 10:04")."""
        words = re.findall(r"[\w'’\-]+", s)
        return not any(c.isalpha() for c in s) or all(
            w.lower() in self.date_words or re.fullmatch(r"\d+(?:st|nd|rd|th|h)?", w.lower())
            for w in words)

    def outlet_byline(self, s: str) -> tuple[str, str, str] | None:
        """(outlet, author, rest) for '/ Outlet By A B in City October 3, 2023'.

        Why a leading slash or bar is required: "Words By Name" alone could be a
        headline ("Killed By Police"); a separator first is how outlets that print
        their name before the byline set it off.
        """
        if len(s) > 200:
            return None
        m = _OUTLET_BYLINE.fullmatch(s)
        if not m:
            return None
        return (_clean_name(m.group("outlet")), _clean_name(m.group("name")),
                (m.group("rest") or "").strip())

    def share_only(self, s: str) -> bool:
        return bool(self.share_one.fullmatch(s) or self.share_many.fullmatch(s))

    @staticmethod
    def _name(rx: re.Pattern[str], s: str) -> str | None:
        if not s or len(s) > 200:
            return None
        m = rx.fullmatch(s)
        if not m:
            return None
        names = [v for k, v in m.groupdict().items() if k.startswith("name") and v]
        return _clean_name(names[0]) if names else None


@functools.lru_cache(maxsize=4)
def load_chrome(path: str | None = None) -> Chrome:
    """The compiled vocabularies (bundled ``data/chrome.yaml`` unless a path is given)."""
    return Chrome(rdata.read(path) if path else rdata.load("chrome.yaml"))


# ---------------------------------------------------------------------------------------------
# Photo and agency credits ("Desk/AP Photo/A B", "XYZ-EPA/STR", "... (AP Photo/A B)")


@functools.lru_cache(maxsize=1)
def agency_markers() -> dict[str, str]:
    """Agency marker -> the agency's name, from ``data/agencies.yaml`` (case kept)."""
    out: dict[str, str] = {}
    for entry in rdata.section("agencies.yaml", "agencies"):
        for marker in entry.get("markers") or []:
            out[str(marker)] = str(entry["name"])
    return out


@functools.lru_cache(maxsize=1)
def _desk_words() -> frozenset[str]:
    return frozenset(str(w) for w in rdata.section("agencies.yaml", "photo_desk_words"))


# One credit segment: one to five capitalised or upper-case words ("AP Photo", "Visar
# Kryeziu", "EFE-EPA"), no sentence punctuation.
_SEGMENT = re.compile(r"(?-i:[A-ZÀ-Ý][\w'’.&\-]*(?:\s+(?:[A-ZÀ-Ý][\w'’.&\-]*|via|de|van|von|al|el)){0,4})")
_TRAILING_CREDIT = re.compile(r"(?P<caption>.*?\S)\s*\((?P<credit>[^()]{2,120})\)\s*\.?")


def _known_word(word: str) -> bool:
    return word in agency_markers() or word in _desk_words()


def _segment_known(seg: str) -> bool:
    """A segment that is an agency or a photo-desk word ("AP Photo", "EFE-EPA", "STR")."""
    if seg in agency_markers() or seg in _desk_words():
        return True
    parts = [p for p in re.split(r"[\s\-]+", seg) if p]
    return bool(parts) and all(_known_word(p) for p in parts)


def is_credit(s: str) -> bool:
    """A whole line that is only a photo/agency credit.

    Either slash-separated segments of names with at least one agency or
    photo-desk segment ("XYZ-EPA/STR", "Desk/AP Photo/A B", "Reuters/A B"), or one
    segment made only of agency and desk words ("AP Photo", "EPA-EFE").  A line of
    text never qualifies: every segment must be a short run of capitalised words.
    """
    s = s.strip()
    if not s or len(s) > 120:
        return False
    if s.startswith("(") and s.endswith(")"):
        s = s[1:-1].strip()
    segs = [p.strip() for p in re.split(r"\s*[/|]\s*", s)]
    if not all(segs) or not all(_SEGMENT.fullmatch(p) for p in segs):
        return False
    known = [p for p in segs if _segment_known(p)]
    if len(segs) == 1:
        words = re.split(r"[\s\-]+", segs[0])
        return bool(known) and (len(words) >= 2 and any(w in _desk_words() for w in words))
    return bool(known)


def trailing_credit(s: str) -> tuple[str, str] | None:
    """(caption, credit) for a caption line that ends in a credit in parentheses.

    "Officers patrol near the border, Sunday, Sept. 24. (AP Photo/A B)" is a
    photo caption: the credit shows it, and the text before it describes the
    picture, not the story.  The credit must be a credit by :func:`is_credit`
    or start with a photo word ("Photo: A B").
    """
    if len(s) > 600:
        return None
    m = _TRAILING_CREDIT.fullmatch(s.strip())
    if not m:
        return None
    credit = m.group("credit").strip()
    photo_word = re.match(r"(?:photo|image|picture|foto)s?\b\s*(?:by\b|:|/)", credit, re.IGNORECASE)
    if not (is_credit(credit) or photo_word):
        return None
    return m.group("caption").strip(), credit
