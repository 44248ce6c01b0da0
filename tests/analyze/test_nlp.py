"""The NLP backbone: model choice and loading of re-uploaded model packages."""

from __future__ import annotations

import spacy

from rashomon.analyze import nlp as nlp_mod


def _package(root, name: str, body: str) -> None:
    pkg = root / name
    pkg.mkdir()
    (pkg / "__init__.py").write_text(body, encoding="utf-8")


def test_nlp_model_dir_package_is_loaded_through_model_path(tmp_path, monkeypatch):
    """A package that ships only a model directory (no ``load()``) still loads."""
    model_dir = tmp_path / "model"
    spacy.blank("en").to_disk(model_dir)
    _package(tmp_path, "dir_only_model_pkg",
             "from pathlib import Path\n"
             f"def model_path():\n    return Path({str(model_dir)!r})\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    where = nlp_mod._model_location("dir_only_model_pkg")
    assert where == str(model_dir)
    assert spacy.load(where).lang == "en"


def test_nlp_packages_with_load_and_paths_pass_through(tmp_path, monkeypatch):
    _package(tmp_path, "loadable_model_pkg", "def load(**kw):\n    return None\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert nlp_mod._model_location("loadable_model_pkg") == "loadable_model_pkg"
    assert nlp_mod._model_location(str(tmp_path / "x")) == str(tmp_path / "x")
    assert nlp_mod._model_location("no_such_model_anywhere") == "no_such_model_anywhere"


def test_nlp_explicit_model_name_wins(monkeypatch):
    monkeypatch.setenv(nlp_mod.ENV_MODEL, "some_model")
    assert nlp_mod.pick_model() == "some_model"
    assert nlp_mod.pick_model("other") == "other"
