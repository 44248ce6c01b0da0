"""Validate a profile file and say *where* each problem is (``rashomon profile check``).

:func:`rashomon.profiles.load_profile` stops at the first problem and cannot say
on which line it is; an analyst editing a drafted profile of several hundred
lines needs every problem at once, each with its line and key.  So the file is
composed into YAML nodes (which keep their marks) and walked here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

LISTS = ("parties", "actors", "places", "sources")
KNOWN_TOP = frozenset({"name", "description", *LISTS, "documents", "lexicon", "swap", "draft",
                       "disputes"})


@dataclass(frozen=True)
class Problem:
    """One problem: file line (1-based), the key path and what is wrong."""

    line: int
    key: str
    message: str
    severity: str = "error"  # error | warning

    def __str__(self) -> str:
        return f"{self.severity}: line {self.line}: {self.key}: {self.message}"


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _get(node: yaml.MappingNode, key: str) -> tuple[yaml.Node, yaml.Node] | None:
    for k, v in node.value:
        if isinstance(k, yaml.ScalarNode) and k.value == key:
            return k, v
    return None


def check_profile(path: str | Path) -> list[Problem]:
    """Every problem in the profile at ``path`` (empty when it is usable)."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return [Problem(0, "-", f"cannot read: {exc}")]
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return [Problem(mark.line + 1 if mark else 0, "-", f"not valid YAML: "
                        f"{getattr(exc, 'problem', None) or exc}")]
    if root is None:
        return [Problem(1, "-", "empty file: a profile is a mapping with name, parties, ...")]
    if not isinstance(root, yaml.MappingNode):
        return [Problem(_line(root), "-", "a profile is a mapping at top level")]
    out: list[Problem] = []
    seen_top: set[str] = set()
    for k, _v in root.value:
        key = getattr(k, "value", "?")
        if key in seen_top:
            out.append(Problem(_line(k), key, "key given twice (the later one wins)"))
        seen_top.add(key)
        if key not in KNOWN_TOP:
            out.append(Problem(_line(k), key, f"unknown key (known: {', '.join(sorted(KNOWN_TOP))})",
                               "warning"))
    ids: dict[str, set[str]] = {}
    for name in LISTS:
        found = _get(root, name)
        if found is None:
            continue
        ids[name] = _check_list(name, found[1], out)
    parties = ids.get("parties", set())
    for name in ("actors", "sources"):
        found = _get(root, name)
        if found is not None and isinstance(found[1], yaml.SequenceNode):
            for i, item in enumerate(found[1].value):
                side = _get(item, "side") if isinstance(item, yaml.MappingNode) else None
                if side and isinstance(side[1], yaml.ScalarNode) and side[1].value \
                        and side[1].value not in parties:
                    out.append(Problem(_line(side[1]), f"{name}[{i}].side",
                                       f"side {side[1].value!r} is not a party id "
                                       f"({', '.join(sorted(parties)) or 'no parties'})"))
    lex = _get(root, "lexicon")
    if lex is not None:
        _check_lexicon(lex[1], out)
    out.sort(key=lambda pr: (pr.line, pr.key))
    return out


def _check_list(name: str, node: yaml.Node, out: list[Problem]) -> set[str]:
    ids: set[str] = set()
    if isinstance(node, yaml.ScalarNode) and node.value in ("", "~", "null"):
        return ids
    if not isinstance(node, yaml.SequenceNode):
        out.append(Problem(_line(node), name, "must be a list"))
        return ids
    for i, item in enumerate(node.value):
        where = f"{name}[{i}]"
        if not isinstance(item, yaml.MappingNode):
            out.append(Problem(_line(item), where, "each item is a mapping with id and name"))
            continue
        for req in ("id", "name"):
            got = _get(item, req)
            if got is None or not isinstance(got[1], yaml.ScalarNode) or not got[1].value:
                out.append(Problem(_line(item), f"{where}.{req}", "missing or empty"))
        got = _get(item, "id")
        if got is not None and isinstance(got[1], yaml.ScalarNode):
            if got[1].value in ids:
                out.append(Problem(_line(got[1]), f"{where}.id",
                                   f"duplicate id {got[1].value!r}"))
            ids.add(got[1].value)
        al = _get(item, "aliases")
        if al is not None and not isinstance(al[1], yaml.SequenceNode) and not (
                isinstance(al[1], yaml.ScalarNode) and al[1].value in ("", "~", "null")):
            out.append(Problem(_line(al[1]), f"{where}.aliases", "must be a list"))
    return ids


def _check_lexicon(node: yaml.Node, out: list[Problem]) -> None:
    if not isinstance(node, yaml.MappingNode):
        out.append(Problem(_line(node), "lexicon", "must be a mapping"))
        return
    lt = _get(node, "loaded_terms")
    if lt is None:
        return
    if not isinstance(lt[1], yaml.SequenceNode):
        out.append(Problem(_line(lt[1]), "lexicon.loaded_terms", "must be a list"))
        return
    for i, ref in enumerate(lt[1].value):
        where = f"lexicon.loaded_terms[{i}]"
        if not isinstance(ref, yaml.MappingNode):
            out.append(Problem(_line(ref), where, "each referent is a mapping"))
            continue
        if _get(ref, "referent") is None and _get(ref, "id") is None:
            out.append(Problem(_line(ref), f"{where}.referent", "missing"))
        terms = _get(ref, "terms")
        if terms is None or not isinstance(terms[1], yaml.SequenceNode):
            out.append(Problem(_line(terms[1] if terms else ref), f"{where}.terms",
                               "must be a list of {term, patterns}"))
            continue
        for j, t in enumerate(terms[1].value):
            tw = f"{where}.terms[{j}]"
            if not isinstance(t, yaml.MappingNode) or _get(t, "term") is None:
                out.append(Problem(_line(t), f"{tw}.term", "missing"))
                continue
            pats = _get(t, "patterns")
            if pats is not None and not isinstance(pats[1], yaml.SequenceNode):
                out.append(Problem(_line(pats[1]), f"{tw}.patterns", "must be a list"))


def problems_as_dicts(problems: list[Problem]) -> list[dict[str, Any]]:
    return [{"line": p.line, "key": p.key, "message": p.message, "severity": p.severity}
            for p in problems]
