"""The bundled demo corpus: an invented dispute, written for the project."""

from pathlib import Path


def corpus_dir() -> Path:
    """Folder of demo articles (plus ``manifest.yaml`` with their metadata)."""
    return Path(__file__).parent / "corpus"
