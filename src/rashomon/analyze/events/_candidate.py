"""A trigger candidate: one lexicon match in the parse before it becomes an event.

Its own module because every step of the events stage passes candidates along
(triggers find them, arguments and settings read them, the layer builds events
from them) and none of those steps should import another just for the type.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.tokens import Token

    from rashomon.model import Event

# a question about a token, answered from the document ("is it inside a place name?")
TokenTest = Callable[["Token"], bool]


@dataclass
class Candidate:
    """A matched trigger before arguments are attached.

    ``args`` are ready (source, target) heads when the matching rule found them
    itself (installations, protest camps, verbless headlines); ``surface`` is the
    lexicon key when it is not the token's lemma ("sit-in", "test-fire", "air strike").
    """

    tok: Token
    code: str
    pattern: dict[str, Any]
    is_noun: bool = False
    light: Token | None = None  # light verb carrying a noun trigger
    governor: Candidate | None = None  # embedding candidate that absorbed this one
    embedded: Candidate | None = None
    folded: bool = False
    surface: str | None = None
    args: tuple[Token | None, Token | None] | None = None
    installation: Token | None = None  # the checkpoint-like noun of an installation event
    camp: bool = False  # found by the protest-camp rule
    light_is_frame: bool = False  # the carrier only frames the noun ("under the guise of")
    event: Event | None = field(default=None, repr=False)  # the event built from it

    @property
    def lemma(self) -> str:
        """The lexicon key of the trigger: its surface form if set, else its lemma."""
        return self.surface or self.tok.lemma_.lower()
