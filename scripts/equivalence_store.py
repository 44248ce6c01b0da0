"""Whole-store equivalence: a refactor must leave every stored record identical.

Runs ``rashomon analyze`` twice on the same inputs, once with a baseline source
tree (``--baseline SRC``, e.g. a ``git worktree`` of the commit before the
change, its ``src`` folder) and once with this checkout's ``src``, each in its
own process with ``PYTHONPATH`` pointing at that tree, into two fresh SQLite
files.  Then every table is dumped as canonical JSON (rows sorted) and
compared: record tables as the records each tree's ``Store`` rebuilds
(``records()``, documents' ``to_dict``), so a change of layout compares what is
stored, not how; other tables row by row.  Only bookkeeping that legitimately
differs between runs (timestamps, migration log, layer-run fingerprints that
embed versions) is left out.

Inputs: the seed pages, the bundled demo corpus, and samples of the eval
corpora (BASIL articles and ECB+ documents, written to a temporary JSON Lines
file).  Whatever is missing is skipped with a note.

Run: ``python scripts/equivalence_store.py --baseline /tmp/base/src [--sample N]``;
exit status 1 on any difference, and the first differences are printed.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
# bookkeeping columns and tables that differ between two runs of the same code
SKIP_TABLES = {"_migrations", "layer_runs", "documents_fts_data", "documents_fts_idx",
               "documents_fts_docsize", "documents_fts_config", "documents_fts_content",
               "documents_fts"}
SKIP_COLUMNS = {"ingested_at", "created_at", "updated_at", "analysed_at", "at", "ran_at",
                "review_key"}  # review_key: derived key column added with the reviews table


def eval_sample(out: Path, n: int) -> int:
    """Write up to ``n`` BASIL and ``n`` ECB+ articles as JSON Lines; returns how many."""
    rows = []
    basil = sorted((SHARED / "eval" / "basil" / "articles").glob("*/*.json"))[:n]
    for p in basil:
        a = json.loads(p.read_text(encoding="utf-8"))
        body = "\n\n".join(" ".join(x) if isinstance(x, list) else str(x)
                           for x in a.get("body-paragraphs", []))  # paragraphs are lists
        rows.append({"id": "basil-" + p.stem, "title": a.get("title"), "text": body,
                     "published": a.get("date"), "source": a.get("source")})
    ecb = sorted((SHARED / "eval" / "ecbplus").rglob("*.json"))
    ecb = [p for p in ecb if "event_mentions" not in p.name][:n]
    for p in ecb:
        try:
            a = json.loads(p.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError):
            continue
        if isinstance(a, dict) and isinstance(a.get("text"), str):
            rows.append({"id": "ecb-" + p.stem, "title": a.get("title"), "text": a["text"],
                         "published": a.get("date_publish")})
    with out.open("w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps({k: v for k, v in r.items() if v}) + "\n")
    return len(rows)


def run(src: Path, db: Path, inputs: list[str], profile: str) -> None:
    env = dict(os.environ, PYTHONPATH=str(src))
    cmd = [sys.executable, "-c", "from rashomon.cli import main; main()", "analyze", *inputs,
           "--db", str(db), "--profile", profile, "--json"]
    subprocess.run(cmd, env=env, check=False, stdout=subprocess.DEVNULL,
                   stderr=subprocess.PIPE, timeout=3600)


# Run inside each tree (PYTHONPATH = that tree): its own Store rebuilds every stored
# record (``records()``, documents as ``to_dict``), so two stores of different schemas
# (JSON rows before the analyst columns, columns + extras after) compare by what they
# hold, not how they lay it out.  Tables that are not record tables compare row by row.
DUMPER = r"""
import json, sqlite3, sys
from rashomon.store import Store
skip_tables, skip_cols = set(json.loads(sys.argv[2])), set(json.loads(sys.argv[3]))
out = {}
with Store(sys.argv[1]) as s:
    # record tables: those with a JSON ``data`` column (older trees have no table lists)
    record = {n for (n,) in s.conn.execute("select name from sqlite_master where type='table'")
              if n != "documents" and not n.startswith("documents_fts")
              and "data" in {r[1] for r in s.conn.execute(f'PRAGMA table_info("{n}")')}}
    out["documents"] = sorted(json.dumps(d.to_dict(), sort_keys=True)
                              for d in s.iter_documents())
    for t in sorted(record):
        out[t] = sorted(json.dumps(r, sort_keys=True) for r in s.records(t))
    con = s.conn
    for (name,) in con.execute("select name from sqlite_master where type='table'"):
        if name in skip_tables or name in record or name == "documents" \
                or name.startswith("sqlite_"):
            continue
        cur = con.execute(f'select * from "{name}"')
        cols = [d[0] for d in cur.description]
        out[name] = sorted(json.dumps({c: v for c, v in zip(cols, row) if c not in skip_cols},
                                      sort_keys=True, default=str) for row in cur)
json.dump(out, sys.stdout)
"""


def dump(db: Path, src: Path) -> dict[str, list[str]]:
    """Every record of ``db`` as rebuilt by the tree ``src`` (canonical JSON, rows sorted)."""
    env = dict(os.environ, PYTHONPATH=str(src))
    r = subprocess.run([sys.executable, "-c", DUMPER, str(db), json.dumps(sorted(SKIP_TABLES)),
                        json.dumps(sorted(SKIP_COLUMNS))], env=env, capture_output=True,
                       text=True, timeout=3600, check=False)
    if r.returncode:
        raise SystemExit(f"dumping {db} with {src} failed:\n{r.stderr[-3000:]}")
    return json.loads(r.stdout)


def compare(a: dict[str, list[str]], b: dict[str, list[str]]) -> list[str]:
    diffs = []
    for table in sorted(set(a) | set(b)):
        ra, rb = a.get(table, []), b.get(table, [])
        if ra == rb:
            continue
        only_a = sorted(set(ra) - set(rb))[:3]
        only_b = sorted(set(rb) - set(ra))[:3]
        diffs.append(f"{table}: {len(ra)} vs {len(rb)} rows; baseline-only {only_a!r:.600}; "
                     f"new-only {only_b!r:.600}")
    return diffs


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--baseline", required=True, type=Path, help="baseline tree's src folder")
    ap.add_argument("--sample", type=int, default=40, help="articles per eval corpus")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp_s:
        tmp = Path(tmp_s)
        sets: dict[str, tuple[list[str], str]] = {}
        if (SHARED / "seeds").is_dir():
            sets["seeds"] = ([str(SHARED / "seeds")], "caucasus")
        sets["demo"] = ([str(ROOT / "src" / "rashomon" / "demo" / "corpus")], "demo")
        sample = tmp / "eval.jsonl"
        if (SHARED / "eval").is_dir() and eval_sample(sample, args.sample):
            sets["eval"] = ([str(sample)], "demo")
        failed = False
        for name, (inputs, profile) in sets.items():
            dbs = {}
            for label, src in (("baseline", args.baseline), ("current", ROOT / "src")):
                dbs[label] = tmp / f"{name}-{label}.db"
                run(src, dbs[label], inputs, profile)
            a = dump(dbs["baseline"], args.baseline)
            b = dump(dbs["current"], ROOT / "src")
            diffs = compare(a, b)
            n = sum(len(v) for v in b.values())
            print(f"{name}: {n} rows in {len(b)} tables: "
                  + ("identical" if not diffs else f"{len(diffs)} tables differ"))
            for d in diffs:
                print("  " + d)
            failed |= bool(diffs) or n == 0
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
