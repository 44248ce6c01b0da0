"""Per-document analysis layers: NLP backbone, entities, time, quotes, events, claims."""
