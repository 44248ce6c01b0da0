"""Regenerate docs/cli.md from the commands' own --help (run after changing the CLI)."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from click.testing import CliRunner

from rashomon.cli import main as cli

OUT = Path(__file__).resolve().parents[1] / "docs" / "cli.md"


def _commands(group: click.Group, prefix: list[str]) -> list[list[str]]:
    out = [prefix]
    for name in sorted(group.commands):
        cmd = group.commands[name]
        if isinstance(cmd, click.Group):
            out += _commands(cmd, prefix + [name])
        else:
            out.append(prefix + [name])
    return out


def render() -> str:
    runner = CliRunner()
    parts = ["# CLI reference\n\nGenerated from `--help` by `python scripts/cli_docs.py`; "
             "`tests/test_docs.py` checks it is current.\n"]
    for path in _commands(cli, []):
        res = runner.invoke(cli, [*path, "--help"], prog_name="rashomon", terminal_width=100)
        title = " ".join(["rashomon", *path])
        parts.append(f"\n## `{title}`\n\n```\n{res.output.rstrip()}\n```\n")
    return "".join(parts)


if __name__ == "__main__":
    text = render()
    if "--check" in sys.argv:
        sys.exit(0 if OUT.read_text() == text else 1)
    OUT.write_text(text)
    print(f"wrote {OUT}")
