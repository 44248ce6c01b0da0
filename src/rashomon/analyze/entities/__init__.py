"""Actors and places: profile-driven resolution of mentions to canonical entities.

Public face of the entities stage.  Contested names are aliases of one entity
and every mention keeps the surface its source chose; NER and the gazetteer
fill in entities the profile does not know.
"""

from rashomon.analyze.entities._resolve import (
    discovered_entities,
    entities_layer,
    entity_table,
    profile_entities,
)

__all__ = ["discovered_entities", "entities_layer", "entity_table", "profile_entities"]
