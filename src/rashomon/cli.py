"""The ``rashomon`` command: thin click commands over the library functions.

Every command opens a :class:`~rashomon.store.Store` and calls one library
function; library errors become ``ClickException`` with a hint.  ``--json``
prints machine-readable output for scripting.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import click

from rashomon import __version__
from rashomon.profiles import ProfileError, load_profile
from rashomon.store import ENV_DB, Store, StoreError, resolve_db_path

db_option = click.option(
    "--db", "db", type=click.Path(dir_okay=False), default=None, envvar="RASHOMON_DB",
    help="Workspace database (default ./rashomon.db, or $RASHOMON_DB).",
)
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON for scripting.")
profile_option = click.option(
    "--profile", default=None,
    help="Conflict profile: a bundled name (caucasus, demo, generic) or a YAML path "
         "(containing '/' or ending in .yaml/.yml). Default: a bundled profile only when the "
         "corpus clearly matches it (the choice and its evidence are printed), else generic.",
)
PROGRESS_ENV = "RASHOMON_PROGRESS_SECONDS"
EVAL_ENV = "RASHOMON_EVAL_DIR"

allow_private_option = click.option(
    "--allow-private", is_flag=True,
    help="Also fetch URLs on loopback, private and link-local addresses (local servers).",
)


def limit_options(fn):  # noqa: ANN001, ANN201 - a click decorator
    """Per-item input limits shared by ``ingest`` and ``analyze`` (see docs/cli.md)."""
    from rashomon.ingest.items import MAX_CHARS, MAX_COMMENTS, MAX_HTML_BYTES, MAX_LINES

    for opt in reversed([
        click.option("--max-bytes", default=10_000_000, show_default=True,
                     help="Size cap per input (file, JSON Lines line, feed entry, URL)."),
        click.option("--max-html-bytes", default=MAX_HTML_BYTES, show_default=True,
                     help="Largest HTML page parsed, in characters."),
        click.option("--max-chars", default=MAX_CHARS, show_default=True,
                     help="Largest article text stored, in characters after cleaning."),
        click.option("--max-comments", default=MAX_COMMENTS, show_default=True,
                     help="Reader comments kept per article (the rest are counted)."),
        click.option("--max-lines", default=MAX_LINES, show_default=True,
                     help="Most lines of text per article given to the cleaner."),
    ]):
        fn = opt(fn)
    return fn


def _limits(max_html_bytes: int, max_chars: int, max_comments: int,
            max_lines: int):  # noqa: ANN202
    from rashomon.ingest.items import Limits

    return Limits(max_html_bytes=max_html_bytes, max_chars=max_chars, max_comments=max_comments,
                  max_lines=max_lines)


def _summary(report: Any) -> str:
    """The closing line of an ingest: stored, unchanged, failed."""
    return (f"{len(report['added'])} added, {len(report['unchanged'])} already stored, "
            f"{len(report['errors'])} failed")


def _open(db: str | None, create: bool = False) -> Store:
    """Open the workspace; only ``create=True`` (ingest, and so analyze and demo) makes one.

    Why: a mistyped ``--db`` on a read command used to create an empty
    database and answer "nothing found" with exit 0.
    """
    path = resolve_db_path(db)
    if not create and str(path) != ":memory:":
        problem = _not_a_workspace(path)
        if problem:
            raise click.ClickException(f"{path}: {problem}")
    try:
        return Store(db)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc


def _not_a_workspace(path: Path) -> str | None:
    """Why ``path`` is not an existing Rashomon database, or None if it is one.

    Checked read-only, so a read command never writes to a file it was
    pointed at by mistake (another program's SQLite file included).
    """
    if not path.exists():
        return ("no such database (only ingest, analyze and demo create one; check --db or "
                f"${ENV_DB})")
    if path.is_dir():
        return "is a folder, not a database"
    if path.stat().st_size == 0:
        return "empty file, not a Rashomon database"
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            found = conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' "
                                 "AND name='_migrations'").fetchone()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        return f"not a Rashomon database ({exc})"
    return None if found else "an SQLite file, but not a Rashomon database"


# -- output -----------------------------------------------------------------
# Under --json, stdout holds exactly one JSON document: the result, or
# {"error": ..., "kind": ..., "exit_code": ...} when the command fails.  Lines
# on stderr (per-item errors, progress) are JSON objects too, one per line.
_ARGV_JSON = [False]  # --json seen on the command line (set by _Cli.main for errors before parsing)
_WRITE_LOCK = threading.Lock()  # progress lines come from a thread


def _json_mode() -> bool:
    """True when the running command was given ``--json``."""
    ctx = click.get_current_context(silent=True)
    while ctx is not None:
        if "as_json" in ctx.params:
            return bool(ctx.params["as_json"])
        ctx = ctx.parent
    return _ARGV_JSON[0]


def _emit(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def _err(line: str) -> None:
    """One error line on stderr: ``error: <item>: <reason>``, or ``{"error": ...}`` under --json."""
    if _json_mode():
        line = json.dumps({"error": line.removeprefix("error: ")}, ensure_ascii=False)
    with _WRITE_LOCK:
        click.echo(line, err=True)


def _progress_interval() -> float:
    """Seconds between progress lines off a terminal ($RASHOMON_PROGRESS_SECONDS, 0 = none)."""
    try:
        return float(os.environ.get(PROGRESS_ENV, "5"))
    except ValueError:
        return 5.0


class _Progress:
    """Progress for long runs: tqdm on a terminal; off one, a line on stderr every few seconds.

    Why: tqdm hides itself when stderr is not a terminal, so piped and CI runs
    printed nothing for minutes.  Call it as a wrapper (``progress(it, total)``,
    what the library functions take), use :meth:`say` where a library reports
    phases as messages, and use it as a context manager to keep the periodic
    line going through work that is not a stream (e.g. the corpus layers).
    """

    def __init__(self, desc: str, unit: str = "doc") -> None:
        self.desc, self.unit = desc, unit
        self.tty = bool(getattr(sys.stderr, "isatty", lambda: False)())
        self.as_json = _json_mode()
        self.interval = _progress_interval()
        self.done = 0
        self.total: int | None = None
        self.note: str | None = None
        self.streaming = False
        self.ticks = 0
        self.started = time.monotonic()
        self._stop: threading.Event | None = None
        self._thread: threading.Thread | None = None

    # a wrapper for the library's item streams
    def __call__(self, it: Iterable[Any], total: int | None = None) -> Iterable[Any]:
        if self.tty:
            from tqdm import tqdm

            return tqdm(it, total=total, desc=self.desc, unit=self.unit, file=sys.stderr,
                        leave=False)
        return self._count(it, total)

    def _count(self, it: Iterable[Any], total: int | None) -> Iterator[Any]:
        self.total = total if total is not None else _len_or_none(it)
        own = self._thread is None
        if own:
            self.start()
        self.streaming = True
        try:
            for item in it:
                yield item
                self.done += 1
        finally:
            self.streaming = False
            if own:
                self.stop()

    def say(self, message: str) -> None:
        """A phase message from the library: printed at once, and repeated by the ticker."""
        self.note = message
        self._write(message, {"message": message})

    def __enter__(self) -> _Progress:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        if self.tty or self.interval <= 0 or self._thread is not None:
            return
        self.started = time.monotonic()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._tick, name=f"progress {self.desc}",
                                        daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._thread is None or self._stop is None:
            return
        self._stop.set()
        self._thread.join()
        self._thread = None
        if self.ticks:  # a run long enough to report also reports its end
            elapsed = round(time.monotonic() - self.started)
            self._write(f"done, {self.done} {self.unit}s in {elapsed}s",
                        {"finished": True, "done": self.done, "elapsed_s": elapsed})

    def _tick(self) -> None:
        assert self._stop is not None
        while not self._stop.wait(self.interval):
            self.ticks += 1
            elapsed = round(time.monotonic() - self.started)
            if self.streaming:
                text = f"{self.done} {self.unit}s, {elapsed}s"
                if self.total:
                    text = (f"{self.done}/{self.total} {self.unit}s "
                            f"({100 * self.done // self.total}%), {elapsed}s")
                    if self.done:
                        left = (time.monotonic() - self.started) / self.done * (
                            self.total - self.done)
                        text += f", about {round(left)}s left"
            elif self.note:
                text = f"{self.note} (still working, {elapsed}s)"
            elif self.done:
                text = f"{self.done} {self.unit}s, finishing, {elapsed}s"
            else:
                text = f"working, {elapsed}s"
            try:
                self._write(text, {"done": self.done, "total": self.total, "note": self.note,
                                   "elapsed_s": elapsed})
            except (OSError, ValueError):  # stderr closed (e.g. a pipe reader quit): stop ticking
                return

    def _write(self, text: str, data: dict[str, Any]) -> None:
        line = (json.dumps({"progress": self.desc, **data}, ensure_ascii=False)
                if self.as_json else f"{self.desc}: {text}")
        with _WRITE_LOCK:
            click.echo(line, err=True)


def _len_or_none(it: Iterable[Any]) -> int | None:
    try:
        return len(it)  # type: ignore[arg-type]
    except TypeError:
        return None


def _bar(desc: str) -> _Progress:
    """Progress for one long step (see :class:`_Progress`)."""
    return _Progress(desc)


def _profile(store: Store, ref: str | None, explain: dict[str, Any] | None = None):  # noqa: ANN202
    """The profile named by ``--profile`` (a bundled name first, then a path that looks
    like one: see ``rashomon.profiles.resolve_profile``), else a bundled one only when the
    corpus clearly matches it, else the generic profile (``rashomon.profiles.explain_choice``).

    :param explain: when given, the automatic choice is said on stderr (``note: ...``, a
        JSON line under --json) and its evidence is stored in this dict.
    """
    from rashomon.profiles import explain_choice

    try:
        if ref:
            return load_profile(ref)
        texts = [d.text[:20000] for d in store.iter_documents()]
        choice = explain_choice(texts)
    except ProfileError as exc:
        raise click.ClickException(str(exc)) from exc
    if explain is not None:
        explain.update({"profile": choice.profile.name, "applied": choice.applied,
                        "best": choice.best, "score": round(choice.score, 3),
                        "distinct": choice.distinct, "matched": dict(choice.matched[:20])})
        _note(choice.message())
    return choice.profile


def _note(line: str) -> None:
    """One informational line on stderr (``note: ...``; ``{"note": ...}`` under --json)."""
    if _json_mode():
        line = json.dumps({"note": line}, ensure_ascii=False)
    else:
        line = f"note: {line}"
    with _WRITE_LOCK:
        click.echo(line, err=True)


class _Cli(click.Group):
    """The root group: under ``--json`` every failure is a JSON object on stdout.

    Click prints usage and command errors as text on stderr; a script that
    asked for JSON then has nothing to parse.  With ``--json`` anywhere on the
    command line (before a ``--``), errors print as
    ``{"error": message, "kind": "usage"|"error"|"aborted"|"internal", "exit_code": n}``
    on stdout, and the exit code is unchanged (2 for usage errors, 1 otherwise).
    """

    def main(self, args: Any = None, prog_name: str | None = None,  # type: ignore[override]
             complete_var: str | None = None, standalone_mode: bool = True,
             **extra: Any) -> Any:
        argv = list(sys.argv[1:] if args is None else args)
        _ARGV_JSON[0] = "--json" in argv[: argv.index("--")] if "--" in argv else "--json" in argv
        try:
            return self._main(argv, prog_name, complete_var, standalone_mode, **extra)
        finally:
            _ARGV_JSON[0] = False  # in-process callers (tests, notebooks) start clean

    def _main(self, argv: list[str], prog_name: str | None, complete_var: str | None,
              standalone_mode: bool, **extra: Any) -> Any:
        if not (_ARGV_JSON[0] and standalone_mode):
            return super().main(argv, prog_name, complete_var, standalone_mode, **extra)
        try:
            rv = super().main(argv, prog_name, complete_var, False, **extra)
        except click.ClickException as exc:
            data: dict[str, Any] = {"error": exc.format_message(),
                                    "kind": "usage" if isinstance(exc, click.UsageError)
                                    else "error", "exit_code": exc.exit_code}
            if isinstance(exc, click.UsageError) and exc.ctx is not None:
                data["usage"] = exc.ctx.get_usage()
            _emit(data)
            sys.exit(exc.exit_code)
        except click.Abort:
            _emit({"error": "aborted", "kind": "aborted", "exit_code": 1})
            sys.exit(1)
        except Exception as exc:  # a bug: still one JSON answer, the traceback for the report
            import traceback

            traceback.print_exc()
            _emit({"error": f"{type(exc).__name__}: {exc}", "kind": "internal", "exit_code": 1})
            sys.exit(1)
        sys.exit(rv if isinstance(rv, int) else 0)


@click.group(cls=_Cli, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="rashomon")
def main() -> None:
    """Rashomon: a neutral, source-attributed evidence base from partisan conflict news.

    Typical use: `rashomon analyze articles/ --out out/`, then `rashomon report`.

    \b
    Conventions (details in docs/cli.md):
    - only ingest, analyze and demo create a database; other commands fail on a missing one;
    - --profile NAME is a bundled profile; a path must contain '/' or end in .yaml/.yml;
    - under --json, stdout is one JSON document, errors included ({"error": ...});
    - off a terminal, long runs print a progress line to stderr every few seconds.
    """


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--manifest", type=click.Path(exists=True, dir_okay=False),
              help="CSV or YAML with per-item metadata (url, title, publisher, ...).")
@click.option("--timeout", default=20.0, show_default=True, help="Deadline per URL fetch, redirects included (s).")
@allow_private_option
@limit_options
@db_option
@profile_option
@json_option
def ingest(paths: tuple[str, ...], manifest: str | None, timeout: float, max_bytes: int,
           allow_private: bool, max_html_bytes: int, max_chars: int, max_comments: int,
           max_lines: int, db: str | None, profile: str | None, as_json: bool) -> None:
    """Read, clean and store articles from files, folders, globs, feeds or URL lists.

    Each bad input gets one line `error: <item>: <reason>` on stderr; the rest
    goes on; a summary closes the run; the exit code is 1 if anything failed.
    Rerunning is safe: stored articles are skipped.  An item whose id is
    already taken by a different document is refused, never overwritten.
    """
    report = _do_ingest(paths, manifest, timeout, max_bytes, db, profile, allow_private,
                        _limits(max_html_bytes, max_chars, max_comments, max_lines))
    if as_json:
        _emit(report.to_dict())
    else:
        click.echo(f"{_summary(report.to_dict())}, "
                   f"{len(report.near_duplicates)} near-duplicate links")
    if report.errors:
        sys.exit(1)


def _do_ingest(paths: Iterable[str], manifest: str | None, timeout: float, max_bytes: int,
               db: str | None, profile: str | None, allow_private: bool = False,
               limits: Any = None):  # noqa: ANN202
    from rashomon.ingest.pipeline import ingest as run_ingest
    from rashomon.ingest.readers import FetchOptions

    prof = None
    if profile:
        try:
            prof = load_profile(profile)
        except ProfileError as exc:
            raise click.ClickException(str(exc)) from exc
    with _open(db, create=True) as store:
        return run_ingest(store, list(paths), manifest=manifest, profile=prof,
                          fetch=FetchOptions(timeout=timeout, max_bytes=max_bytes,
                                             allow_private=allow_private),
                          on_error=_err, progress=_bar("ingest"), limits=limits)


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
@allow_private_option
@limit_options
@db_option
@profile_option
@json_option
def analyze(paths: tuple[str, ...], out_dir: str | None, manifest: str | None, model: str | None,
            processes: int, batch_size: int, force: bool, report_path: str | None,
            allow_private: bool, max_bytes: int, max_html_bytes: int, max_chars: int,
            max_comments: int, max_lines: int, db: str | None, profile: str | None,
            as_json: bool) -> None:
    """Ingest PATHS (if any), run every analysis layer, then export to --out."""
    result = _do_analyze(paths, out_dir, manifest, model, processes, batch_size, force,
                         report_path, db, profile, allow_private, max_bytes,
                         _limits(max_html_bytes, max_chars, max_comments, max_lines))
    if as_json:
        _emit(result)
    else:
        click.echo(f"ingest: {_summary(result['ingest'])}")
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
                report_path: str | None, db: str | None, profile: str | None,
                allow_private: bool = False, max_bytes: int = 10_000_000,
                limits: Any = None) -> dict[str, Any]:
    from rashomon.pipeline import analyze as run_analyze

    paths = list(paths)
    result: dict[str, Any] = {"ingest": {"added": [], "unchanged": [], "errors": [],
                                         "near_duplicates": []}}
    if paths:
        result["ingest"] = _do_ingest(paths, manifest, 20.0, max_bytes, db, profile,
                                      allow_private, limits).to_dict()
    with _open(db) as store:
        choice: dict[str, Any] = {}
        prof = _profile(store, profile, explain=choice)
        result["profile"] = prof.name
        if choice:
            result["profile_choice"] = choice
        try:
            with _bar("analyze") as bar:  # the periodic line also covers the corpus layers
                rep = run_analyze(store, prof, model=model, batch_size=batch_size,
                                  n_process=processes, force=force, progress=bar,
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
              help="Exporter name (repeatable; default all): jsonl, csv, parquet, geojson, "
                   "claimreview, dictionary, datasette, acled, plover, gdelt, ...")
@click.option("--reviewer", envvar="RASHOMON_REVIEWER", default=None,
              help="Reviewing organisation named as author of ClaimReview "
                   "(or $RASHOMON_REVIEWER).")
@click.option("--reviewer-url", envvar="RASHOMON_REVIEWER_URL", default=None,
              help="Web address of the reviewing organisation (or $RASHOMON_REVIEWER_URL).")
@db_option
@json_option
def export(out_dir: str, formats: tuple[str, ...], reviewer: str | None,
           reviewer_url: str | None, db: str | None, as_json: bool) -> None:
    """Write each record type as JSON Lines, CSV and Parquet, plus GeoJSON, ClaimReview,
    the data dictionary, Datasette metadata, the ACLED CSV, PLOVER JSON Lines and a
    GDELT-style event table."""
    from rashomon.present.export import export as run_export

    notes: list[str] = []
    with _open(db) as store:
        try:
            paths = run_export(store, out_dir, list(formats) or None,
                               {"reviewer": reviewer, "reviewer_url": reviewer_url}, notes)
        except ValueError as exc:
            raise click.ClickException(str(exc)) from exc
    for n in notes:
        click.echo(f"note: {n}", err=True)
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
@click.argument("contradiction_id", required=False)
@click.argument("status", type=click.Choice(["new", "confirmed", "rejected"]), required=False)
@click.option("--note", default=None, help="Why (kept in the review log).")
@click.option("--orphans", is_flag=True,
              help="List reviews whose contradiction no longer exists (kept, never deleted).")
@click.option("--log", "show_log", is_flag=True, help="Show every review of CONTRADICTION_ID.")
@db_option
@json_option
def review(contradiction_id: str | None, status: str | None, note: str | None, orphans: bool,
           show_log: bool, db: str | None, as_json: bool) -> None:
    """Review a contradiction: `rashomon review ID confirmed --note "..."`.

    Reviews are kept apart from the generated records, keyed by the kind and
    both evidence spans, and re-attached after every recomputation.  A review
    whose contradiction is gone (a layer changed, a document was removed) is
    kept and listed by `rashomon review --orphans`; it can be reviewed again by
    its old id.
    """
    with _open(db) as store:
        try:
            if orphans:
                _show_orphans(store.review_orphans(), as_json)
                return
            if not contradiction_id:
                raise click.UsageError("give CONTRADICTION_ID and STATUS, or --orphans")
            if show_log:
                _show_log(store.review_log(contradiction_id), as_json)
                return
            if not status:
                raise click.UsageError("give STATUS: new, confirmed or rejected")
            data = store.set_contradiction_status(contradiction_id, status, note)
        except StoreError as exc:
            raise click.ClickException(str(exc)) from exc
    if as_json:
        _emit(data)
    else:
        click.echo(f"{data['id']}: {status}" + (" (orphaned review)" if data.get("orphan") else ""))


@main.command("warnings")
@click.option("--rf", type=int, default=None, help="Only risk factor N of the Framework (1-14).")
@click.option("--status", type=click.Choice(["new", "confirmed", "rejected"]), default=None)
@click.option("--indicator", default=None, help="Only this indicator, e.g. 13.8.")
@click.option("--escalation", is_flag=True,
              help="Show the escalation index (per dyad and period) instead of findings.")
@click.option("--alert-z", type=float, default=None,
              help="With --escalation: flag periods at or above this z-score (default: as "
                   "stored, i.e. the profile's warnings.alert_z or 2.0).")
@click.option("--limit", default=100, show_default=True)
@db_option
@json_option
def warnings_cmd(rf: int | None, status: str | None, indicator: str | None, escalation: bool,
                 alert_z: float | None, limit: int, db: str | None, as_json: bool) -> None:
    """Early-warning findings per UN Framework risk indicator, with who says it.

    Each finding lists its evidence sentences with speaker, outlet and camp,
    how corroborated it is (single source / several sources in one camp /
    corroborated across camps) and what it does NOT prove.  Review with
    `rashomon review-warning ID confirmed|rejected --note "..."`.
    """
    from rashomon.warning import list_warnings

    with _open(db) as store:
        if escalation:
            rows = store.records("escalation") if "escalation" in store.corpus_tables else []
            if alert_z is not None:
                rows = [{**r, "alert": r.get("z") is not None and r["z"] >= alert_z}
                        for r in rows]
            rows.sort(key=lambda r: (r["dyad"] != "all", r["dyad"], r["period"]))
            rows = rows[:limit]
            if as_json:
                _emit(rows)
                return
            if not rows:
                click.echo("no escalation index (run `rashomon analyze` first?)")
            for r in rows:
                z = "  -  " if r.get("z") is None else f"{r['z']:+.2f}"
                click.echo(f"{r['period']:9} {r['dyad']:20} events {r['events']:3} "
                           f"docs {r['docs']:3} rate {r['rate']:.2f} z {z} severe {r['severe']}"
                           + ("  ALERT" if r.get("alert") else ""))
            return
        rows = list_warnings(store, rf=rf, status=status, indicator=indicator)[:limit]
    if as_json:
        _emit(rows)
        return
    if not rows:
        click.echo("no findings (run `rashomon analyze` first?)")
    for w in rows:
        click.echo(f"{w['id']}  {w['risk_factor']} {w['indicator']}  {w['scope']}  "
                   f"[{w['status']}]  {w['strength']}; {w['sources']} source(s); camps: "
                   f"{', '.join(w['camps']) or 'unknown'}")
        click.echo(f"    {(w.get('attrs') or {}).get('indicator_text', '')}")
        for ev in w["evidence"][:3]:
            who = ev.get("speaker") or "the outlet"
            click.echo(f"    {ev.get('camp')} | {who} in {ev.get('outlet')}: "
                       f"{' '.join(ev['text'].split())[:160]}")
        click.echo(f"    not proof: {w['not_proof']}")


@main.command("review-warning")
@click.argument("warning_id")
@click.argument("status", type=click.Choice(["new", "confirmed", "rejected"]))
@click.option("--note", default=None, help="Why (kept in the review log).")
@db_option
@json_option
def review_warning_cmd(warning_id: str, status: str, note: str | None, db: str | None,
                       as_json: bool) -> None:
    """Confirm or reject an early-warning finding: `rashomon review-warning ID confirmed`.

    The review is kept apart from the generated findings, keyed by framework,
    indicator and period, and re-attached after every re-analysis.
    """
    from rashomon.warning import review_warning

    with _open(db) as store:
        try:
            data = review_warning(store, warning_id, status, note)
        except StoreError as exc:
            raise click.ClickException(str(exc)) from exc
    if as_json:
        _emit(data)
    else:
        click.echo(f"{data['id']}: {status}" + (" (orphaned review)" if data.get("orphan") else ""))


def _show_log(rows: list[dict[str, Any]], as_json: bool) -> None:
    if as_json:
        _emit(rows)
        return
    for r in rows:
        click.echo(f"{r['at']}  {r['status']:9}  {r['note'] or ''}")


def _show_orphans(rows: list[dict[str, Any]], as_json: bool) -> None:
    if as_json:
        _emit(rows)
        return
    if not rows:
        click.echo("no orphaned reviews")
    for r in rows:
        click.echo(f"{r['record_id']}  [{r['status']}]  reviewed {r['at']}"
                   + (f"  note: {r['note']}" if r["note"] else ""))
        snap = r.get("snapshot") or {}
        for end in (snap.get("a"), snap.get("b")):
            if end:
                click.echo(f"    {end.get('doc_id')} [{end.get('start')}:{end.get('end')}] "
                           f"{' '.join((end.get('text') or '').split())[:160]}")


@main.command()
@click.argument("refs", nargs=-1, required=True)
@click.option("--reason", default=None, help="Why (kept in the removal audit trail).")
@db_option
@profile_option
@json_option
def remove(refs: tuple[str, ...], reason: str | None, db: str | None, profile: str | None,
           as_json: bool) -> None:
    """Take documents out, with everything derived from them.

    REFS are document ids (or unique id prefixes, sources, URLs).  Their
    records, search-index rows, near-duplicate links and layer fingerprints go;
    the removal is logged; the corpus layers (stories, contradictions, framing,
    coverage) are recomputed over what remains.  Reviews are kept (see
    `rashomon review --orphans`).  Exit code 1 if any REF matched nothing.
    """
    from rashomon.pipeline import remove_documents

    with _open(db) as store:
        try:
            prof = _profile(store, profile) if store.document_count() else None
            result = remove_documents(store, refs, prof, reason, on_wait=_err)
        except StoreError as exc:
            raise click.ClickException(str(exc)) from exc
    if as_json:
        _emit(result)
    else:
        for line in result["errors"]:
            _err(line)
        for r in result["removed"]:
            gone = ", ".join(f"{k} {v}" for k, v in r["derived"].items() if v)
            click.echo(f"removed {r['id']} ({r['source']})" + (f": {gone}" if gone else ""))
            if r["promoted"]:
                click.echo(f"  its copy {r['promoted']} is now the original; "
                           "`rashomon analyze` analyses it")
        if result["corpus_recomputed"]:
            click.echo("corpus layers recomputed")
    if result["errors"]:
        sys.exit(1)


@main.command()
@click.option("--out", "out_path", type=click.Path(dir_okay=False), default="report.html",
              show_default=True)
@db_option
@profile_option
@json_option
def report(out_path: str, db: str | None, profile: str | None, as_json: bool) -> None:
    """Write one self-contained, offline HTML report of stories, contradictions and framing.

    With --json: the path written, its size, the profile and the record counts it draws on.
    """
    from rashomon.present.report import write_report

    with _open(db) as store:
        prof = _profile(store, profile)
        path = write_report(store, prof, out_path)
        counts = {t: store.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  for t in _REPORT_TABLES}
    if as_json:
        _emit({"path": str(path), "bytes": path.stat().st_size, "profile": prof.name,
               "counts": counts})
    else:
        click.echo(out_path)


# what the report is built from (fixed names: safe in the count query above)
_REPORT_TABLES = ("documents", "stories", "contradictions", "framing", "quotes", "events")


@main.group("eval")
def eval_group() -> None:
    """Score Rashomon on gold data.

    The data is found at --data, else under $RASHOMON_EVAL_DIR, else under
    ../shared/eval beside the project checkout (never relative to the current folder).
    """


def _eval_data(data: str | None, subpath: str) -> Path:
    """Where an eval's gold data is: --data, else $RASHOMON_EVAL_DIR/<subpath>, else
    <checkout>/../shared/eval/<subpath>.  Why: the old default was relative to the
    current folder, so `rashomon eval` only worked when started from the checkout."""
    if data:
        if not Path(data).exists():
            raise click.ClickException(f"{data}: not found (--data)")
        return Path(data)
    env = os.environ.get(EVAL_ENV)
    if env:  # set on purpose: no silent fallback to another copy
        candidate = Path(env) / subpath
        if not candidate.exists():
            raise click.ClickException(f"{candidate}: not found (${EVAL_ENV}={env}); pass "
                                       "--data PATH or fix the variable")
        return candidate
    tried: list[str] = []
    checkout = Path(__file__).resolve().parents[2]
    if (checkout / "pyproject.toml").is_file():  # running from a checkout, not a wheel
        candidate = checkout.parent / "shared" / "eval" / subpath
        if candidate.exists():
            return candidate
        tried.append(f"{candidate} (beside the checkout)")
    where = "; ".join(tried) or "nothing (not running from a checkout)"
    raise click.ClickException(f"gold data not found: tried {where}; pass --data PATH or set "
                               f"${EVAL_ENV} to the folder holding {subpath.split('/')[0]}/")


def _eval_cmd(name: str, target: str, data_help: str, subpath: str,  # noqa: ANN202
              messages: bool = False):
    """One ``eval`` subcommand; ``messages``: the scorer reports phases as text messages
    rather than wrapping an item stream (clustering)."""
    @eval_group.command(name, help=f"Score {name} on gold data. {data_help}")
    @click.option("--data", default=None,
                  help=f"{data_help} Default: <eval dir>/{subpath}, the eval dir being "
                       f"${EVAL_ENV} or ../shared/eval beside the project checkout.")
    @click.option("--limit", default=None, type=int, help="Only the first N items (quick look).")
    @json_option
    def cmd(data: str | None, limit: int | None, as_json: bool) -> None:
        module, _, attr = target.partition(":")
        import importlib

        fn = getattr(importlib.import_module(module), attr)
        path = _eval_data(data, subpath)
        with _Progress(f"eval {name}", unit="item") as bar:
            try:
                result = fn(str(path), limit=limit, progress=bar.say if messages else bar)
            except OSError as exc:  # a folder without the expected layout
                raise click.ClickException(f"{path}: {exc}") from exc
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


@main.group("profile")
def profile_group() -> None:
    """Draft a profile from the corpus, or check a profile file."""


@profile_group.command("draft")
@click.argument("paths", nargs=-1)
@click.option("-o", "--out", "out_path", type=click.Path(dir_okay=False), required=True,
              help="Write the drafted profile (YAML) here.")
@click.option("--name", default="draft", show_default=True, help="The profile's name.")
@db_option
@json_option
def profile_draft(paths: tuple[str, ...], out_path: str, name: str, db: str | None,
                  as_json: bool) -> None:
    """Induce a profile to edit from PATHS (analysed first, generic mode) or from --db:
    camps of outlets, parties, outlets, contested names, loaded terms, disputes; every
    item with its evidence."""
    import yaml

    from rashomon.compare.draft import draft_profile

    if paths:
        result = _do_analyze(paths, None, None, None, 1, 16, False, None, db, "generic")
        if result["ingest"]["errors"] or result["analyze"]["errors"]:
            _note("some inputs failed (see the error lines); drafting from the rest")
    with _open(db) as store:
        drafted = draft_profile(store, name=name)
    Path(out_path).write_text(
        "# Drafted by `rashomon profile draft`: edit, then use with --profile PATH.\n"
        "# Camps are labelled camp-1, camp-2 by position only; name them in 'parties'.\n"
        + yaml.safe_dump(drafted, sort_keys=False, allow_unicode=True, width=100),
        encoding="utf-8")
    summary = {"out": out_path, "camps": {p["id"]: p["evidence"]["outlets"]
                                          for p in drafted["parties"]},
               "unassigned": drafted["draft"]["unassigned_outlets"],
               "outlets": len(drafted["sources"]), "actors": len(drafted["actors"]),
               "loaded_terms": sum(len(r["terms"]) for r in drafted["lexicon"]["loaded_terms"]),
               "contested_names": len(drafted["draft"]["contested_names"]),
               "candidate_disputes": len(drafted["draft"]["candidate_disputes"])}
    if as_json:
        _emit(summary)
        return
    click.echo(f"drafted {out_path}: {summary['outlets']} outlets, {summary['actors']} actors, "
               f"{summary['loaded_terms']} loaded terms, {summary['contested_names']} contested "
               f"names, {summary['candidate_disputes']} candidate disputes")
    for camp, outlets in summary["camps"].items():
        click.echo(f"  {camp}: {', '.join(outlets)}")
    if summary["unassigned"]:
        click.echo(f"  unassigned: {', '.join(summary['unassigned'])}")


@profile_group.command("check")
@click.argument("file", type=click.Path(dir_okay=False))
@json_option
def profile_check(file: str, as_json: bool) -> None:
    """Validate a profile: every problem with its line and key; exit 1 on any error."""
    from rashomon.profiles.check import check_profile, problems_as_dicts

    problems = check_profile(file)
    errors = [p for p in problems if p.severity == "error"]
    if not errors:
        try:
            load_profile(file if ("/" in file or file.endswith((".yaml", ".yml")))
                         else f"./{file}")
        except ProfileError as exc:
            from rashomon.profiles.check import Problem

            errors.append(Problem(0, "-", str(exc)))
            problems.append(errors[-1])
    if as_json:
        _emit({"file": file, "ok": not errors, "problems": problems_as_dicts(problems)})
    else:
        for p in problems:
            click.echo(f"{file}:{p}", err=p.severity == "error")
        if not errors:
            click.echo(f"{file}: ok ({len(problems)} warnings)")
    if errors:
        sys.exit(1)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (loopback by default; anything else exposes the "
                   "workspace, so set a token).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="TCP port (0: any free port, printed on start).")
@click.option("--token", default=None, envvar="RASHOMON_TOKEN",
              help="Bearer token every write (reviews, ingest) must send; or $RASHOMON_TOKEN.")
@allow_private_option
@click.option("--fetch-timeout", default=20.0, show_default=True,
              help="Deadline per URL fetch of an ingest job (s).")
@db_option
@json_option
def serve(host: str, port: int, token: str | None, allow_private: bool, fetch_timeout: float,
          db: str | None, as_json: bool) -> None:
    """Run the web app: REST API under /api (OpenAPI at /openapi.json) and the browser UI.

    One process (FastAPI under uvicorn) serves both.  Reads are open; with a
    token, reviews and ingest jobs need `Authorization: Bearer <token>`.
    Ingest jobs fetch URLs by the safe rules (never private addresses unless
    --allow-private).  Stop with Ctrl-C.
    """
    import socket

    import uvicorn

    from rashomon.web import ServeConfig, create_app

    _open(db).close()  # refuse a missing or unusable workspace before listening
    if not token and host not in ("127.0.0.1", "localhost", "::1"):
        _note(f"note: serving {host} without a token: anyone who can reach it can review "
              "and ingest; set --token or $RASHOMON_TOKEN")
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        raise click.ClickException(f"cannot listen on {host}:{port}: {exc}") from exc
    port = sock.getsockname()[1]
    url = f"http://{'[' + host + ']' if ':' in host else host}:{port}/"
    app = create_app(ServeConfig(db=resolve_db_path(db), host=host, port=port, token=token,
                                 allow_private=allow_private, fetch_timeout=fetch_timeout))
    if as_json:
        click.echo(json.dumps({"url": url, "api": url + "api", "openapi": url + "openapi.json",
                               "writes_need_token": bool(token)}))  # one line: a start signal
    else:
        click.echo(f"serving {resolve_db_path(db)} at {url} (API {url}api, "
                   f"OpenAPI {url}openapi.json); Ctrl-C stops", err=False)
    sys.stdout.flush()
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False))
    server.run(sockets=[sock])


_eval_cmd("extraction", "rashomon.evaluate.extraction:evaluate_extraction",
          "Folder in article-extraction-benchmark layout.", "article-extraction")
_eval_cmd("quotes", "rashomon.evaluate.quotes:evaluate_quotes",
          "Folder in PolNeAR layout (text/, attributions/).", "polnear/dev")
_eval_cmd("events", "rashomon.evaluate.events:evaluate_events",
          "PLOVER gold-standard records (JSON array).", "plover/PLOVER_GSR_CAMEO.txt")
_eval_cmd("clustering", "rashomon.evaluate.clustering:evaluate_clustering",
          "ECB+ folder (docs/, event_mentions/).", "ecbplus", messages=True)
_eval_cmd("stories", "rashomon.evaluate.stories:evaluate_stories",
          "BASIL folder (articles/YEAR/*.json).", "basil", messages=True)
_eval_cmd("acled", "rashomon.evaluate.acled:evaluate_acled",
          "CASE 2021 task 2 TSV (id, EventSnippet, SubType).", "case21/dev.tsv")


if __name__ == "__main__":
    main()
