"""CAMEO/PLOVER event coding over the dependency parse.

Public face of the events stage: the ``events`` layer and the code tables that
exporters and evaluations read (CAMEO code → name, Goldstein, PLOVER).

Inside, along the flow of one document (each module imports only those above it):

* ``_params`` (numbers), ``_codes`` (code tables, trigger lexicon and word lists
  from ``data/event_lexicon.yaml`` and ``data/event_words.yaml``), ``_phrase``,
  ``_candidate`` (a matched trigger);
* ``_coref`` (pronouns), ``_actors`` (coding a phrase as an actor), ``_args``
  (source and target), ``_patterns`` and ``_shapes`` (rules a lemma lookup gets
  wrong), ``_triggers`` (finding candidates), ``_modality``;
* ``_letters`` (addressed blocks), ``_doc`` (``DocEvents``: the typed per-document
  state and the one place an ``Event`` is assembled);
* ``_setting`` (date and place), ``_refine`` (codes refined by context),
  ``_appeals`` (addressed appeals), ``_acled`` (the ACLED typing stored on each
  event and the document's main event) and ``_layer`` (the layer itself).

Datelines, the place test and the gazetteer (``Gazetteer``, ``gazetteer()``) are the
shared ones of :mod:`rashomon.text`, so events reads them exactly as quotes and
entities do.
"""

from rashomon.analyze.events._acled import is_current
from rashomon.analyze.events._codes import code_info, normalize_plover
from rashomon.analyze.events._layer import events_layer

__all__ = ["code_info", "events_layer", "is_current", "normalize_plover"]
