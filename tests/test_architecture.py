"""The house rules, read from the source's import graph.

Every ``import`` and ``from ... import`` in ``src/rashomon`` counts, including
imports inside functions (a cycle dodged by a late import is still a cycle).
The rules:

* no import cycles between modules;
* no private name (``_x``) and no private module imported from another package;
* stages only look down the data flow: ingest never imports analyze, compare or
  present; compare never imports present; model, store and the shared text
  machinery (``rashomon.text``, below ingest and analyze) import no stage.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PKG = SRC / "rashomon"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in PKG.rglob("*.py")}


def _package_of(module: str, modules: dict[str, Path]) -> str:
    """The package a module lives in (a package's own ``__init__`` lives in itself)."""
    if modules[module].name == "__init__.py":
        return module
    return module.rpartition(".")[0]


def _imports(module: str, path: Path, modules: dict[str, Path]) -> list[tuple[str, str | None]]:
    """(imported module, imported name or None) for every import in ``path``."""
    out: list[tuple[str, str | None]] = []
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.extend((a.name, None) for a in node.names if a.name.startswith("rashomon"))
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                pkg = module if path.name == "__init__.py" else module.rpartition(".")[0]
                for _ in range(node.level - 1):
                    pkg = pkg.rpartition(".")[0]
                base = f"{pkg}.{base}" if base else pkg
            if not base.startswith("rashomon"):
                continue
            for a in node.names:
                sub = f"{base}.{a.name}"
                if sub in modules:  # ``from pkg import submodule``
                    out.append((sub, None))
                else:
                    out.append((base, a.name))
    return [(m, n) for m, n in out if m in modules]


def _graph() -> tuple[dict[str, Path], dict[str, list[tuple[str, str | None]]]]:
    modules = _modules()
    return modules, {m: _imports(m, p, modules) for m, p in modules.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_graph_sees_the_whole_package():
    modules, imports = _graph()
    assert "rashomon.cli" in modules and "rashomon.store" in modules
    # the CLI imports stages lazily inside functions; those must be seen too
    assert any(m.startswith("rashomon.pipeline") for m, _ in imports["rashomon.cli"])


def test_no_import_cycles():
    modules, imports = _graph()
    graph = {m: {t for t, _ in deps if t != m} for m, deps in imports.items()}
    assert _cycles(graph) == []


def test_no_private_names_across_packages():
    modules, imports = _graph()
    bad = []
    for m, deps in imports.items():
        here = _package_of(m, modules)
        for target, name in deps:
            there = _package_of(target, modules)
            if there == here:
                continue
            private_module = any(part.startswith("_") and part != "__init__"
                                 for part in target.split(".")[len(there.split(".")):])
            if private_module or any(p.startswith("_") for p in target.split(".")):
                bad.append(f"{m} imports private module {target}")
            elif name and name.startswith("_"):
                bad.append(f"{m} imports private name {target}.{name}")
    assert bad == []


LAYERING = [
    ("rashomon.ingest", ("rashomon.analyze", "rashomon.compare", "rashomon.present",
                         "rashomon.pipeline", "rashomon.cli")),
    ("rashomon.compare", ("rashomon.present", "rashomon.cli")),
    ("rashomon.model", ("rashomon.ingest", "rashomon.analyze", "rashomon.compare",
                        "rashomon.present", "rashomon.pipeline", "rashomon.store",
                        "rashomon.cli")),
    ("rashomon.text", ("rashomon.ingest", "rashomon.analyze", "rashomon.compare",
                       "rashomon.present", "rashomon.pipeline", "rashomon.store", "rashomon.cli")),
    ("rashomon.store", ("rashomon.ingest", "rashomon.analyze", "rashomon.compare",
                        "rashomon.present", "rashomon.pipeline", "rashomon.cli")),
]


@pytest.mark.parametrize(("stage", "forbidden"), LAYERING, ids=[s for s, _ in LAYERING])
def test_stages_only_look_down_the_flow(stage: str, forbidden: tuple[str, ...]):
    _, imports = _graph()
    bad = [f"{m} -> {t}" for m, deps in imports.items()
           if m == stage or m.startswith(stage + ".")
           for t, _ in deps if any(t == f or t.startswith(f + ".") for f in forbidden)]
    assert bad == []


def test_analyze_keeps_a_handful_of_top_level_modules():
    top = sorted(p.stem for p in (PKG / "analyze").glob("*.py") if p.stem != "__init__")
    assert len(top) <= 5, top
