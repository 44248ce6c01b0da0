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


# Rules every command follows; hand-written here (the rest of the page comes from --help).
CONVENTIONS = """
## Conventions

### Which commands create a database

Only `ingest`, `analyze` (when given PATHS) and `demo` create the workspace database
(`--db`, else `$RASHOMON_DB`, else `./rashomon.db`). Every other command (`show`,
`search`, `entities`, `stories`, `contradictions`, `export`, `report`, `review`, ...)
fails with one line and exit code 1 when the database is missing, empty, or not a
Rashomon database, and never writes to the file it was pointed at:

```
$ rashomon stories --db typo.db
Error: typo.db: no such database (only ingest, analyze and demo create one; check --db or $RASHOMON_DB)
$ echo $?
1
```

### Profile names and paths

`--profile` takes a bundled profile name (`caucasus`, `demo`) or a YAML path. A bare
name that is a bundled profile is always that profile, even when the current folder
holds a file or folder of that name. Anything else must look like a path: contain a
`/` or end in `.yaml` or `.yml` (`./demo`, `demo.yaml`, `profiles/mine.yml`):

```
$ rashomon report --profile mine
Error: no profile 'mine': not a bundled profile (caucasus, demo), and a profile path must contain '/' or end in .yaml or .yml
```

### `--json` output and errors

With `--json`, stdout holds exactly one JSON document: the result, or, when the command
fails, an error object with the same exit code as without `--json` (2 for usage
mistakes, 1 otherwise). This covers click's own usage errors (missing arguments, bad
values, unknown commands or options). Lines on stderr are JSON objects too, one per
line: per-item errors as `{"error": ...}` (the same items are listed in the result's
`errors`) and progress lines as `{"progress": ...}`.

```
$ rashomon stories --db typo.db --json
{
  "error": "typo.db: no such database (only ingest, analyze and demo create one; check --db or $RASHOMON_DB)",
  "kind": "error",
  "exit_code": 1
}
$ rashomon show --json
{
  "error": "Missing argument 'DOC'.",
  "kind": "usage",
  "exit_code": 2,
  "usage": "Usage: rashomon show [OPTIONS] DOC"
}
$ rashomon ingest articles/ --json 2>&1 >/dev/null
{"error": "articles/empty.txt: empty file"}
```

`kind` is `usage`, `error`, `aborted`, or `internal` (a bug: the traceback also goes
to stderr). `rashomon report --json` summarises what it wrote:

```
$ rashomon report --db demo-out/demo.db --out report.html --json
{
  "path": "report.html",
  "bytes": 235699,
  "profile": "demo",
  "counts": {"documents": 11, "stories": 83, "contradictions": 76, "framing": 75, "quotes": 172, "events": 110}
}
```

### Progress

On a terminal, `ingest`, `analyze` and `eval` show a tqdm bar on stderr. Off a terminal
(piped, CI), they print a progress line to stderr every 5 seconds instead
(`$RASHOMON_PROGRESS_SECONDS` sets the interval, `0` turns the lines off), and a
closing line when the run was long enough to report. From a piped 45-document run
with the interval set to 1 second (lines between elided):

```
$ RASHOMON_PROGRESS_SECONDS=1 rashomon analyze articles/ 2>&1 | cat
analyze: working, 1s
analyze: 0/45 docs (0%), 2s
analyze: 32/45 docs (71%), 6s, about 3s left
analyze: 44/45 docs (97%), 14s, about 0s left
analyze: done, 45 docs in 15s
ingest: 45 added, 0 already stored, 0 failed
analyze (caucasus): 45 analysed, 0 fresh; mentions 761, ...
```

Work that is not a stream of documents says what it is doing instead (`eval clustering`
reports its phases: `eval clustering: tuning mention threshold on 255 mentions
(still working, 10s)`).

### Plain files: outlet, date and camp

A plain text file has no metadata. Ingest reads the outlet and the date from the
text where it can (datelines such as `KORVAT (AP) — `, bylines, `Source:` lines;
see docs/ingest.md), and a manifest gives them outright: CSV or YAML, one row per
file name or glob (relative to the manifest), with `outlet`, `date`, `url`,
`language` and `camp` (`outlet`, `date` and `camp` are the everyday names of
`publisher`, `published` and `side`). A manifest value always wins over what the
text says.

```
$ cat manifest.csv
file,outlet,date,camp,language
articles/wire-calm.txt,,2023-09-24,,en
articles/north-*.txt,,,camp-2,en
$ rashomon ingest articles/ --manifest manifest.csv --db ws.db
3 added, 0 already stored, 0 failed, 0 near-duplicate links
```

### Eval data

`rashomon eval ...` reads gold data from `--data`; else from `$RASHOMON_EVAL_DIR`
(an error if set but wrong, never a silent fallback); else from `../shared/eval`
beside the project checkout, wherever the command is started from.
"""


def render() -> str:
    runner = CliRunner()
    parts = ["# CLI reference\n\nGenerated from `--help` by `python scripts/cli_docs.py`; "
             "`tests/test_docs.py` checks it is current.\n", CONVENTIONS]
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
