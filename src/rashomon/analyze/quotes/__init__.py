"""Direct, indirect and mixed quotes with their cue and resolved speaker.

Public face of the quotes stage: the ``quotes`` layer and the extractor the
PolNeAR evaluation calls on bare documents.
"""

from rashomon.analyze.quotes._layer import extract_quotes, quotes_layer

__all__ = ["extract_quotes", "quotes_layer"]
