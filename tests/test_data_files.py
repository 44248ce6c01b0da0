"""Every data key the code reads exists, and a missing one is reported by file and key."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from rashomon import data as rdata

SRC = Path(__file__).resolve().parents[1] / "src" / "rashomon"
_SECTION = re.compile(r"""rdata\.section\(\s*["']([\w.-]+)["']\s*,\s*["']([\w-]+)["']""")


def _reads() -> list[tuple[str, str, str]]:
    out = []
    for p in sorted(SRC.rglob("*.py")):
        for m in _SECTION.finditer(p.read_text(encoding="utf-8")):
            out.append((str(p.relative_to(SRC)), m.group(1), m.group(2)))
    return out


def test_the_code_reads_data_through_sections():
    files = {f for _, f, _ in _reads()}
    assert {"quotes.yaml", "entities.yaml", "time.yaml", "dates.yaml", "claims.yaml",
            "gazetteer.yaml", "framing.yaml"} <= files


@pytest.mark.parametrize(("module", "name", "key"), _reads(),
                         ids=[f"{m}:{k}" for m, _, k in _reads()])
def test_every_section_the_code_reads_exists(module: str, name: str, key: str):
    value = rdata.section(name, key)
    assert value, f"{module} reads an empty {name}:{key}"


def test_missing_key_and_file_are_named():
    with pytest.raises(rdata.DataError, match=r"quotes\.yaml: missing key 'no_such_list'"):
        rdata.section("quotes.yaml", "no_such_list")
    with pytest.raises(rdata.DataError, match="no_such_file.yaml"):
        rdata.read("no_such_file.yaml")


def test_no_word_list_literals_left_in_the_moved_modules():
    """The lists moved to data files stay there: no module-level set/tuple of 5+ words."""
    import ast

    moved = ["analyze/quotes", "analyze/entities", "analyze/time", "analyze/claims"]
    bad = []
    for folder in moved:
        for p in sorted((SRC / folder).glob("*.py")):
            for node in ast.parse(p.read_text(encoding="utf-8")).body:
                value = getattr(node, "value", None)
                if isinstance(node, ast.Assign | ast.AnnAssign) and isinstance(
                        value, ast.Set | ast.Tuple | ast.List):
                    words = [e for e in value.elts if isinstance(e, ast.Constant)
                             and isinstance(e.value, str) and re.fullmatch(r"[a-z' -]+", e.value)]
                    if len(words) >= 5:
                        bad.append(f"{p.relative_to(SRC)}:{node.lineno}")
    assert bad == []
