"""The ``rashomon`` command: thin click commands over the library functions.

Every command opens a :class:`~rashomon.store.Store` and calls one library
function; library errors become ``ClickException`` with a hint.  ``--json``
prints machine-readable output for scripting.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import click

from rashomon import __version__
from rashomon.profiles import ProfileError, load_profile
from rashomon.store import Store, StoreError

db_option = click.option(
    "--db", "db", type=click.Path(dir_okay=False), default=None, envvar="RASHOMON_DB",
    help="Workspace database (default ./rashomon.db, or $RASHOMON_DB).",
)
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON for scripting.")
profile_option = click.option(
    "--profile", default=None,
    help="Conflict profile: a bundled name (caucasus, demo) or a YAML path. Default: the "
         "bundled profile that best matches the corpus.",
)


def _open(db: str | None) -> Store:
    try:
        return Store(db)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc


def _emit(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def _err(line: str) -> None:
    click.echo(line, err=True)


def _bar(desc: str):  # noqa: ANN202 - returns a wrapper for iterables
    from tqdm import tqdm

    def wrap(it: Iterable[Any], total: int | None = None) -> Iterable[Any]:
        return tqdm(it, total=total, desc=desc, unit="doc", file=sys.stderr, disable=None,
                    leave=False)

    return wrap


def _profile(store: Store, ref: str | None):  # noqa: ANN202
    from rashomon.profiles import choose_profile

    try:
        if ref:
            return load_profile(ref)
        texts = [d.text[:20000] for d in store.iter_documents()]
        return choose_profile(texts)
    except ProfileError as exc:
        raise click.ClickException(str(exc)) from exc


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="rashomon")
def main() -> None:
    """Rashomon: a neutral, source-attributed evidence base from partisan conflict news.

    Typical use: `rashomon analyze articles/ --out out/`, then `rashomon report`.
    """


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--manifest", type=click.Path(exists=True, dir_okay=False),
              help="CSV or YAML with per-item metadata (url, title, publisher, ...).")
@click.option("--timeout", default=20.0, show_default=True, help="URL fetch timeout (s).")
@click.option("--max-bytes", default=10_000_000, show_default=True, help="Size cap per input.")
@db_option
@profile_option
@json_option
def ingest(paths: tuple[str, ...], manifest: str | None, timeout: float, max_bytes: int,
           db: str | None, profile: str | None, as_json: bool) -> None:
    """Read, clean and store articles from files, folders, globs, feeds or URL lists.

    Each bad input gets one error line; the rest goes on; the exit code is 1 if
    anything failed.  Rerunning is safe: stored articles are skipped.
    """
    report = _do_ingest(paths, manifest, timeout, max_bytes, db, profile)
    if as_json:
        _emit(report.to_dict())
    else:
        click.echo(f"{len(report.added)} added, {len(report.unchanged)} already stored, "
                   f"{len(report.errors)} failed, {len(report.near_duplicates)} near-duplicate links")
    if report.errors:
        sys.exit(1)


def _do_ingest(paths: Iterable[str], manifest: str | None, timeout: float, max_bytes: int,
               db: str | None, profile: str | None):  # noqa: ANN202
    from rashomon.ingest.pipeline import ingest as run_ingest
    from rashomon.ingest.readers import FetchOptions

    prof = None
    if profile:
        try:
            prof = load_profile(profile)
        except ProfileError as exc:
            raise click.ClickException(str(exc)) from exc
    from rashomon.ingest.manifest import ManifestError

    with _open(db) as store:
        try:
            return run_ingest(store, list(paths), manifest=manifest, profile=prof,
                              fetch=FetchOptions(timeout=timeout, max_bytes=max_bytes),
                              on_error=_err, progress=_bar("ingest"))
        except ManifestError as exc:
            raise click.ClickException(f"manifest {manifest}: {exc}") from exc


@main.command()
@click.argument("paths", nargs=-1)
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default=None,
              help="Export everything here when done.")
@click.option("--manifest", type=click.Path(exists=True, dir_okay=False))
@click.option("--model", default=None, help="spaCy pipeline name (default: best installed).")
@click.option("--processes", default=1, show_default=True, help="spaCy worker processes.")
@click.option("--batch-size", default=16, show_default=True)
@click.option("--force", is_flag=True, help="Re-analyse even fresh documents.")
@click.option("--report", "report_path", type=click.Path(dir_okay=False), default=None,
              help="Also write the HTML report here.")
@db_option
@profile_option
@json_option
def analyze(paths: tuple[str, ...], out_dir: str | None, manifest: str | None, model: str | None,
            processes: int, batch_size: int, force: bool, report_path: str | None, db: str | None,
            profile: str | None, as_json: bool) -> None:
    """Ingest PATHS (if any), run every analysis layer, then export to --out."""
    result = _do_analyze(paths, out_dir, manifest, model, processes, batch_size, force,
                         report_path, db, profile)
    if as_json:
        _emit(result)
    else:
        ing = result["ingest"]
        click.echo(f"ingest: {len(ing['added'])} added, {len(ing['unchanged'])} already stored, "
                   f"{len(ing['errors'])} failed")
        an = result["analyze"]
        click.echo(f"analyze ({result['profile']}): {an['analysed']} analysed, "
                   f"{an['skipped_fresh']} fresh; " +
                   ", ".join(f"{k} {v}" for k, v in an["counts"].items()))
        for note in an["notes"]:
            click.echo(f"note: {note}", err=True)
        if result.get("out"):
            click.echo(f"exported to {result['out']}")
        if result.get("report"):
            click.echo(f"report: {result['report']}")
    if result["ingest"]["errors"] or result["analyze"]["errors"]:
        sys.exit(1)


def _do_analyze(paths: Iterable[str], out_dir: str | None, manifest: str | None,
                model: str | None, processes: int, batch_size: int, force: bool,
                report_path: str | None, db: str | None, profile: str | None) -> dict[str, Any]:
    from rashomon.pipeline import analyze as run_analyze

    paths = list(paths)
    result: dict[str, Any] = {"ingest": {"added": [], "unchanged": [], "errors": [],
                                         "near_duplicates": []}}
    if paths:
        result["ingest"] = _do_ingest(paths, manifest, 20.0, 10_000_000, db, profile).to_dict()
    with _open(db) as store:
        prof = _profile(store, profile)
        result["profile"] = prof.name
        try:
            rep = run_analyze(store, prof, model=model, batch_size=batch_size,
                              n_process=processes, force=force, progress=_bar("analyze"),
                              on_error=_err)
        except Exception as exc:
            from rashomon.analyze.nlp import ModelNotFound

            if isinstance(exc, ModelNotFound):
                raise click.ClickException(str(exc)) from exc
            raise
        result["analyze"] = rep.to_dict()
        if out_dir:
            from rashomon.present.export import export

            export(store, out_dir)
            result["out"] = str(out_dir)
        if report_path:
            from rashomon.present.report import write_report

            write_report(store, prof, report_path)
            result["report"] = str(report_path)
    return result


@main.command()
@click.argument("doc")
@click.option("--removed", is_flag=True, help="List every cut made while cleaning, with its reason.")
@click.option("--comments", is_flag=True, help="Show reader comments (never part of the body).")
@click.option("--references", is_flag=True, help="Show footnotes and endnotes.")
@click.option("--records", is_flag=True, help="Show extracted records (quotes, events...).")
@db_option
@json_option
def show(doc: str, removed: bool, comments: bool, references: bool, records: bool,
         db: str | None, as_json: bool) -> None:
    """Show one document by id (or id prefix, source path or URL)."""
    with _open(db) as store:
        try:
            d = store.get_document(doc)
        except StoreError as exc:
            raise click.ClickException(str(exc)) from exc
        recs = {t: store.records(t, d.id) for t in ("quotes", "events", "mentions", "timexes")}
    if as_json:
        data = d.to_dict()
        if records:
            data["records"] = recs
        _emit(data)
        return
    click.echo(f"id:        {d.id}\nsource:    {d.source}\ntitle:     {d.title}\n"
               f"publisher: {d.publisher}\nauthor:    {d.author}\nurl:       {d.url}\n"
               f"published: {d.published}" + (f" (inferred: {d.published_evidence})"
                                              if d.published_inferred else "") +
               f"\nlanguage:  {d.language}\nside:      {d.side or '-'}")
    if d.duplicate_of:
        click.echo(f"duplicate of: {d.duplicate_of}")
    click.echo(f"comments: {len(d.comments)}  references: {len(d.references)}  "
               f"cuts: {len(d.removed)}")
    if removed:
        click.echo("\n# removed")
        for r in d.removed:
            snippet = r.text.replace("\n", " ⏎ ")
            click.echo(f"[{r.start}:{r.end}] {r.reason}: {snippet[:160]}")
    if comments:
        click.echo("\n# comments (reader comments, not the outlet)")
        for c in d.comments:
            reply = f" (reply to #{c.parent})" if c.parent is not None else ""
            click.echo(f"- #{c.index}{reply}: {c.text[:300]}")
    if references:
        click.echo("\n# references")
        for ref in d.references:
            click.echo(f"[{ref.label}] {ref.text[:300]}")
    if records:
        for table, rows in recs.items():
            click.echo(f"\n# {table} ({len(rows)})")
            for r in rows[:200]:
                click.echo(f"[{r.get('start')}:{r.get('end')}] " +
                           json.dumps({k: v for k, v in r.items() if k not in
                                       ('doc_id', 'start', 'end', 'sentence', 'attrs')},
                                      ensure_ascii=False)[:300])
    if not (removed or comments or references or records):
        click.echo("\n" + d.text)


@main.command()
@click.argument("query")
@click.option("--limit", default=20, show_default=True)
@db_option
@json_option
def search(query: str, limit: int, db: str | None, as_json: bool) -> None:
    """Full-text search (SQLite FTS5): ranked hits with snippets and document ids."""
    with _open(db) as store:
        try:
            hits = store.search(query, limit)
        except StoreError as exc:
            raise click.ClickException(str(exc)) from exc
    if as_json:
        _emit(hits)
        return
    if not hits:
        click.echo("no hits")
    for h in hits:
        click.echo(f"{h['doc_id']}  {h['title'] or '(untitled)'}  [{h['publisher'] or '?'}, "
                   f"{h['published'] or '?'}]\n    {h['snippet']}")


@main.command()
@click.option("--out", "out_dir", type=click.Path(file_okay=False), required=True)
@click.option("--format", "formats", multiple=True,
              help="Exporter name (repeatable; default all): jsonl, acled, plover, ...")
@db_option
@json_option
def export(out_dir: str, formats: tuple[str, ...], db: str | None, as_json: bool) -> None:
    """Write one JSON Lines file per record type, plus ACLED CSV and PLOVER JSON."""
    from rashomon.present.export import export as run_export

    with _open(db) as store:
        try:
            paths = run_export(store, out_dir, list(formats) or None)
        except ValueError as exc:
            raise click.ClickException(str(exc)) from exc
    if as_json:
        _emit([str(p) for p in paths])
    else:
        for p in paths:
            click.echo(str(p))


@main.command()
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default="demo-out",
              show_default=True)
@click.option("--db", "db", type=click.Path(dir_okay=False), default=None,
              help="Workspace (default: <out>/demo.db).")
@json_option
def demo(out_dir: str, db: str | None, as_json: bool) -> None:
    """Analyse the bundled demo corpus (an invented dispute) and say where the outputs are."""
    from rashomon.demo import corpus_dir

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    db = db or str(out / "demo.db")
    report_path = out / "report.html"
    result = _do_analyze([str(corpus_dir())], str(out / "export"), str(corpus_dir() / "manifest.yaml"),
                         None, 1, 16, False, str(report_path), db, "demo")
    if as_json:
        _emit(result)
        return
    an = result["analyze"]
    click.echo(f"demo corpus: {corpus_dir()}")
    click.echo("analysed: " + ", ".join(f"{k} {v}" for k, v in an["counts"].items()))
    click.echo(f"database: {db}\nexports:  {out / 'export'}\nreport:   {report_path}")
    prog = sys.argv[0] if sys.argv and sys.argv[0].endswith("rashomon") else "rashomon"
    click.echo(f"try:      {prog} report --db {db} --out report.html ; "
               f"{prog} search --db {db} checkpoint ; {prog} contradictions --db {db}")


@main.command()
@click.option("--kind", default=None, help="Only this kind (person, state, place, ...).")
@db_option
@json_option
def entities(kind: str | None, db: str | None, as_json: bool) -> None:
    """List entities with mention counts per source, and the names each source used."""
    from rashomon.analyze.entities import entity_table

    with _open(db) as store:
        rows = entity_table(store, kind)
    if as_json:
        _emit(rows)
        return
    for r in rows:
        per = ", ".join(f"{s}: {n}" for s, n in r["by_source"].items())
        names = ", ".join(f"{s}" for s in r["surfaces"])
        click.echo(f"{r['id']:28} {r['kind']:12} {r['name']:30} {r['mentions']:4}  [{per}]  "
                   f"names: {names}")


@main.command("contradictions")
@click.option("--kind", default=None, help="Only this kind (e.g. date_mismatch).")
@click.option("--status", type=click.Choice(["new", "confirmed", "rejected"]), default=None)
@click.option("--limit", default=50, show_default=True)
@db_option
@json_option
def contradictions_cmd(kind: str | None, status: str | None, limit: int, db: str | None,
                       as_json: bool) -> None:
    """List contradictions (strongest first) with both evidence sentences, to review them."""
    with _open(db) as store:
        rows = [c for c in store.records("contradictions")
                if (kind is None or c["kind"] == kind) and (status is None or c["status"] == status)]
    rows.sort(key=lambda c: (-c["confidence"], c["kind"], c["id"]))
    rows = rows[:limit]
    if as_json:
        _emit(rows)
        return
    if not rows:
        click.echo("no contradictions (run `rashomon analyze` first?)")
    for c in rows:
        click.echo(f"{c['id']}  {c['kind']}  confidence {c['confidence']}  [{c['status']}]")
        for end in (c["a"], c["b"]):
            who = end.get("speaker") or "the outlet"
            click.echo(f"    {end.get('side') or 'unknown'} | {who} in {end.get('outlet') or '?'}: "
                       f"{' '.join(end['text'].split())[:160]}")


@main.command("stories")
@click.option("--both-sides", is_flag=True, help="Only stories told by two or more sides.")
@click.option("--limit", default=50, show_default=True)
@db_option
@json_option
def stories_cmd(both_sides: bool, limit: int, db: str | None, as_json: bool) -> None:
    """List stories: one real-world event as told by each source, with the sides reporting it."""
    with _open(db) as store:
        rows = store.records("stories")
    if both_sides:
        rows = [s for s in rows if len([x for x in s.get("sides", []) if x != "unknown"]) > 1]
    rows.sort(key=lambda s: (s.get("date") or "9999", s["id"]))
    rows = rows[:limit]
    if as_json:
        _emit(rows)
        return
    for s in rows:
        click.echo(f"{s.get('date') or '?':10}  {s['title']}  [{', '.join(s.get('sides', []))}]  "
                   f"{len(s.get('doc_ids', []))} docs, {len(s.get('event_ids', []))} events")


@main.command()
@click.argument("contradiction_id")
@click.argument("status", type=click.Choice(["new", "confirmed", "rejected"]))
@click.option("--note", default=None, help="Why (kept in the review log).")
@db_option
@json_option
def review(contradiction_id: str, status: str, note: str | None, db: str | None,
           as_json: bool) -> None:
    """Set the review status of a contradiction (kept across reruns)."""
    with _open(db) as store:
        try:
            data = store.set_contradiction_status(contradiction_id, status, note)
        except StoreError as exc:
            raise click.ClickException(str(exc)) from exc
    if as_json:
        _emit(data)
    else:
        click.echo(f"{data['id']}: {status}")


@main.command()
@click.option("--out", "out_path", type=click.Path(dir_okay=False), default="report.html",
              show_default=True)
@db_option
@profile_option
def report(out_path: str, db: str | None, profile: str | None) -> None:
    """Write one self-contained, offline HTML report of stories, contradictions and framing."""
    from rashomon.present.report import write_report

    with _open(db) as store:
        prof = _profile(store, profile)
        write_report(store, prof, out_path)
    click.echo(out_path)


@main.group("eval")
def eval_group() -> None:
    """Score Rashomon on gold data (default: ../shared/eval)."""


def _eval_cmd(name: str, target: str, data_help: str, default: str):  # noqa: ANN202
    @eval_group.command(name, help=f"Score {name} on gold data. {data_help}")
    @click.option("--data", default=default, show_default=True, help=data_help)
    @click.option("--limit", default=None, type=int, help="Only the first N items (quick look).")
    @json_option
    def cmd(data: str, limit: int | None, as_json: bool) -> None:
        module, _, attr = target.partition(":")
        import importlib

        fn = getattr(importlib.import_module(module), attr)
        if not Path(data).exists():
            raise click.ClickException(f"{data}: not found (pass --data)")
        result = fn(data, limit=limit, progress=_bar(f"eval {name}"))
        if as_json:
            _emit(result)
        else:
            for k, v in result.items():
                if not isinstance(v, list | dict):
                    click.echo(f"{k:32} {v}")
                elif isinstance(v, dict):
                    click.echo(f"{k}:")
                    for k2, v2 in v.items():
                        click.echo(f"  {k2:30} {v2}")

    return cmd


_eval_cmd("extraction", "rashomon.evaluate.extraction:evaluate_extraction",
          "Folder in article-extraction-benchmark layout.", "../shared/eval/article-extraction")
_eval_cmd("quotes", "rashomon.evaluate.quotes:evaluate_quotes",
          "Folder in PolNeAR layout (text/, attributions/).", "../shared/eval/polnear/dev")
_eval_cmd("events", "rashomon.evaluate.events:evaluate_events",
          "PLOVER gold-standard records (JSON array).",
          "../shared/eval/plover/PLOVER_GSR_CAMEO.txt")
_eval_cmd("clustering", "rashomon.evaluate.clustering:evaluate_clustering",
          "ECB+ folder (docs/, event_mentions/).", "../shared/eval/ecbplus")
_eval_cmd("acled", "rashomon.evaluate.acled:evaluate_acled",
          "CASE 2021 task 2 TSV (id, EventSnippet, SubType).", "../shared/eval/case21/dev.tsv")


if __name__ == "__main__":
    main()
