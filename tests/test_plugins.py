"""Plug-in points: built-ins register like outside plugins; entry points are picked up."""

from __future__ import annotations

from rashomon import plugins


class _EP:
    def __init__(self, name, obj):
        self.name, self._obj = name, obj

    def load(self):
        return self._obj


def test_plugins_builtin_exporters_and_detectors_are_registered():
    assert "jsonl" in plugins.exporters()
    assert "lexical" in plugins.detectors()


def test_hook_exporters_entry_point_is_loaded(monkeypatch):
    def my_exporter(store, out_dir):
        return []

    monkeypatch.setattr(plugins, "entry_points",
                        lambda group: [_EP("mine", my_exporter)] if group == "rashomon.exporters" else [])
    assert plugins.exporters()["mine"] is my_exporter


def test_hook_detectors_entry_point_is_loaded(monkeypatch):
    class NliDetector:
        name = "nli"

        def detect(self, a, b, scope):
            return []

    monkeypatch.setattr(plugins, "entry_points",
                        lambda group: [_EP("nli", NliDetector)] if group == "rashomon.detectors" else [])
    dets = plugins.detectors()
    assert dets["nli"] is NliDetector and "lexical" in dets


def test_plugins_every_hook_group_has_a_test():
    groups = {"exporters", "detectors"}
    tested = {name.removeprefix("test_hook_").removesuffix("_entry_point_is_loaded")
              for name in globals() if name.startswith("test_hook_")}
    assert groups <= tested
