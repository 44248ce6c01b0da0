"""Docs stay true: the CLI reference is current and the README gives the two commands."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _cli_docs():
    spec = importlib.util.spec_from_file_location("cli_docs", ROOT / "scripts" / "cli_docs.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_docs_cli_reference_is_current():
    mod = _cli_docs()
    assert (ROOT / "docs" / "cli.md").read_text() == mod.render(), \
        "docs/cli.md is stale: run `python scripts/cli_docs.py`"


def test_docs_readme_opens_with_the_two_commands():
    head = (ROOT / "README.md").read_text().split("\n\n", 3)
    block = "\n".join(head[:3])
    assert "make demo" in block and "make test" in block
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_docs_every_command_has_help():
    from click.testing import CliRunner

    from rashomon.cli import main

    mod = _cli_docs()
    for path in mod._commands(main, []):
        res = CliRunner().invoke(main, [*path, "--help"])
        assert res.exit_code == 0 and "Usage:" in res.output, path
