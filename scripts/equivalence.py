"""Old vs new implementations on identical inputs: speedups must not change any output.

Performance work on the analysis layers is only acceptable when it is
output-preserving.  This script loads a saved copy of the previous
implementation (``--baseline``, a folder holding ``src/rashomon/...`` files,
e.g. ``/tmp/perf_baseline``) under private module names, runs old and new
functions on the *same* inputs (same text, same spaCy Doc, same records from
earlier layers), and compares their ``to_dict()`` forms as canonical JSON.

Inputs: the seed pages (``../shared/seeds``), the demo corpus, a synthetic
stress text of date shapes (``tests/analyze/data/timex_stress.txt``) and
random fuzz strings built from date words.  Whatever is missing is skipped
with a note.  Layers owned by other work (quotes, events) are run with the
*current* code only, to produce the inputs of the layers compared here.

Last, the whole pipeline: ``analyze`` on seeds + demo corpus runs twice in the
same tree state, once with the baseline's files laid over a snapshot of
``src`` and once without, and every stored table is compared row by row.

Run: ``python scripts/equivalence.py [--baseline DIR] [--fuzz N] [--skip-store]``;
exit status 1 on any difference.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

from baseline_modules import load_saved_modules  # scripts/ is on sys.path when run

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
STRESS = ROOT / "tests" / "analyze" / "data" / "timex_stress.txt"

# baseline modules, in dependency order (package-relative module paths)
BASELINE_MODULES = [
    "analyze/spans", "analyze/time/_grammar", "analyze/time/_layer", "analyze/events/_modality",
    "analyze/claims/_layer", "analyze/entities/_resolve", "store/db",
]


def load_baseline(folder: Path) -> dict[str, types.ModuleType]:
    """The saved modules, importing each other (not the current code) where they did."""
    return load_saved_modules(folder, BASELINE_MODULES, "_perf_base_")


# ---------------------------------------------------------------------------
# canonical forms
def canon(obj: Any) -> Any:
    """Plain data for comparison: records by their fields, candidates by theirs."""
    if hasattr(obj, "to_dict"):
        return canon(obj.to_dict())
    if hasattr(obj, "__dataclass_fields__"):
        return {"__type__": type(obj).__name__,
                **{k: canon(getattr(obj, k)) for k in obj.__dataclass_fields__}}
    if isinstance(obj, dict):
        return {str(k): canon(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [canon(v) for v in obj]
    if isinstance(obj, re.Match):
        return {"span": obj.span(), "groups": obj.groupdict() or obj.groups()}
    if hasattr(obj, "isoformat"):
        return obj.isoformat()
    return obj


def dumps(obj: Any) -> str:
    return json.dumps(canon(obj), sort_keys=True, ensure_ascii=False, default=repr)


class Checker:
    def __init__(self) -> None:
        self.counts: dict[str, int] = {}
        self.failures: list[str] = []

    def same(self, what: str, label: str, old: Callable[[], Any], new: Callable[[], Any]) -> None:
        a, b = dumps(old()), dumps(new())
        self.counts[what] = self.counts.get(what, 0) + 1
        if a != b:
            self.failures.append(f"{what} differs on {label}: old {a[:300]} ... new {b[:300]}")

    def print_counts(self, unit: str) -> None:
        for what, n in sorted(self.counts.items()):
            print(f"{what:34s} {n:6d} {unit}")

    def verdict(self) -> int:
        """Print the differences (the first 20) or "all identical"; the exit status."""
        if self.failures:
            print(f"{len(self.failures)} DIFFERENCES")
            for f in self.failures[:20]:
                print("  " + f)
            return 1
        print("all identical")
        return 0


# ---------------------------------------------------------------------------
# inputs
def documents(profile_for: dict[str, Any]) -> list[tuple[Any, str]]:
    """(Document, profile name) for the seeds and the demo corpus, cleaned by ingest."""
    from rashomon.demo import corpus_dir
    from rashomon.ingest.pipeline import ingest
    from rashomon.store import Store

    out = []
    sources: list[tuple[Path, str, str | None]] = []
    if SEEDS.is_dir():
        sources.append((SEEDS, "caucasus", None))
    else:
        print(f"note: no seeds at {SEEDS}; skipped")
    demo = corpus_dir()
    sources.append((demo, "demo", str(demo / "manifest.yaml")))
    with tempfile.TemporaryDirectory() as tmp:
        for i, (path, prof, manifest) in enumerate(sources):
            store = Store(Path(tmp) / f"in{i}.db")
            ingest(store, [str(path)], manifest=manifest, profile=profile_for[prof])
            out += [(d, prof) for d in store.iter_documents(include_duplicates=False)]
            store.close()
    return out


_FUZZ_WORDS = (
    "the a an in of to and since until by from before after during through around circa "
    "early mid late end beginning start middle first second half last next this past "
    "coming previous following preceding earlier later ago old long between day days week "
    "weeks month months year years decade decades centuries hour minutes fortnight "
    "January Feb. March Apr May June Jul. Aug Sept. Sep Oct November Dec spring summer "
    "autumn fall winter Monday Friday Sunday yesterday today tonight tomorrow "
    "three forty-three twenty one hundred thousand few several couple many about almost "
    "nearly more than over some at least less fewer up THE İn ſince ıt K"
).split()
_FUZZ_NUMS = ("3", "03", "12th", "31", "1st", "2021", "1990s", "1980's", "2014-15", "2001–2003",
              "22.09.2023", "09/22/23", "2023-09-22", "1,200", "3.5", "44-year-old", "555-2021")
_FUZZ_PHRASES = ("the past two years", "the last 10 days", "the following week", "the next day",
                 "the week of", "March 13 and 27", "April 2, 9, and 16", "the day before",
                 "two days before", "a day earlier", "the night after", "years ago",
                 "the previous month", "between 2019 and", "from 2020 to", "the end of",
                 "the first half of", "mid-", "early-", "since", "as of", "www.site.com/2021/",
                 "https://x.org/12-03-2020", "a couple of", "two hundred and fifty", "of the")
_FUZZ_SEPS = (" ", " ", " ", ", ", "-", " – ", ". ", "\n", "\n\n", "/", " (", ") ", "'s ", "")


def fuzz_texts(n: int, seed: int = 7) -> list[str]:
    """Random strings of date words, numbers and separators (deterministic)."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        parts = []
        for _ in range(rng.randint(5, 60)):
            r = rng.random()
            pool = _FUZZ_NUMS if r < 0.3 else _FUZZ_PHRASES if r < 0.45 else _FUZZ_WORDS
            parts.append(rng.choice(pool))
            parts.append(rng.choice(_FUZZ_SEPS))
        out.append("".join(parts))
    return out


# ---------------------------------------------------------------------------
# checks
def check_timex_grammar(chk: Checker, base: dict[str, types.ModuleType], texts: list[tuple[str, str]]) -> None:
    from rashomon.analyze import timex_grammar as new

    old = base.get("analyze/time/_grammar")
    for label, text in texts:
        # the invariant the fast scan rests on: no match starts off a first word
        bad = new.first_word_violations(text)
        chk.same("timex_grammar.first-word invariant", label, lambda: [], lambda b=bad: b)
        if old is None:
            continue
        chk.same("timex_grammar.find_candidates", label, lambda t=text: old.find_candidates(t),
                 lambda t=text: new.find_candidates(t))
        for name, rx in old.PATTERNS:
            chk.same("timex_grammar.pattern scan", f"{label}/{name}",
                     lambda t=text, r=rx: list(r.finditer(t)),
                     lambda t=text, n=name: list(new.pattern_matches(n, t)))


def check_qualifier_matcher(chk: Checker, base: dict[str, types.ModuleType],
                            profiles: dict[str, Any], texts: list[tuple[str, str]],
                            n: int, seed: int = 11) -> None:
    """Old and new qualifier matchers on real sentences and on strings of their own terms.

    The fuzz strings mix the terms with other words, change case, and swap in
    the characters that case-insensitive matching treats as ASCII letters.
    """
    from rashomon.analyze import claims

    old = base.get("analyze/claims/_layer")
    if old is None:
        return
    rng = random.Random(seed)
    swaps = {"s": "\u017f", "k": "\u212a", "i": "\u0130", "I": "\u0131"}
    for name, prof in profiles.items():
        mo, mn = old.matcher_for(prof), claims.matcher_for(prof)
        terms = [t for _n, _p, t, _r, _a in mn.compiled]
        abouts = [a for p in mn.pairs for a in p.get("about") or []]
        samples = [t for _label, text in texts for t in re.split(r"(?<=[.!?])\s+", text)]
        for _ in range(n):
            words = []
            for _ in range(rng.randint(2, 14)):
                w = rng.choice(terms + abouts + _FUZZ_WORDS)
                r = rng.random()
                if r < 0.2:
                    w = w.upper()
                elif r < 0.3:
                    w = "".join(swaps.get(c, c) if rng.random() < 0.5 else c for c in w)
                elif r < 0.35:
                    w = w + rng.choice(("s", "ly", "ed", "-", "\u2011"))
                words.append(w)
            samples.append(rng.choice((" ", "-", ", ")).join(words))
        for i, text in enumerate(samples):
            ctx = samples[i - 1] if i else ""
            chk.same("claims.QualifierMatcher.find", f"{name}#{i}",
                     lambda t=text, c=ctx, m=mo: m.find(t, c),
                     lambda t=text, c=ctx, m=mn: m.find(t, c))


def check_alias_matcher(chk: Checker, base: dict[str, types.ModuleType], profiles: dict[str, Any],
                        n: int, seed: int = 5) -> None:
    """Old and new profile alias matchers on strings of alias words, case-varied."""
    from rashomon.analyze import entities

    old = base.get("analyze/entities/_resolve")
    if old is None:
        return
    rng = random.Random(seed)
    for name, prof in profiles.items():
        mo, mn = old.matcher_for(prof), entities.matcher_for(prof)
        words = [w for e in mn.entities.values() for a in [e.name, *e.aliases] for w in a.split()]
        for i in range(n):
            parts = []
            for _ in range(rng.randint(3, 25)):
                w = rng.choice(words + _FUZZ_WORDS)
                r = rng.random()
                w = w.upper() if r < 0.1 else w.lower() if r < 0.2 else w
                parts.append(w + rng.choice((" ", " ", ", ", "-", "'s ", ". ", "\n")))
            text = "".join(parts)
            chk.same("entities.AliasMatcher.find", f"{name}#{i}",
                     lambda t=text, m=mo: m.find(t), lambda t=text, m=mn: m.find(t))


def run_layers_upto(ctx: Any, stop: str) -> None:
    """Current code of every document layer before ``stop`` fills ``ctx.results``."""
    from rashomon.layers import available_layers

    for spec, fn, _why in available_layers("document"):
        if spec.name == stop:
            return
        ctx.results.update(fn(ctx))


def check_layers(chk: Checker, base: dict[str, types.ModuleType], docs: list[tuple[Any, str]],
                 profiles: dict[str, Any], extra_texts: list[tuple[str, str]]) -> None:
    from rashomon.analyze import claims, entities, timex
    from rashomon.analyze.nlp import load_nlp
    from rashomon.layers import DocContext
    from rashomon.model import Document

    nlp = load_nlp()
    items = list(docs)
    for label, text in extra_texts:
        for pub in ("2021-12-10", None):
            items.append((Document(id=f"x-{label}-{pub}", source=label, text=text, published=pub,
                                   language="en-US" if pub else None), "demo"))
    for doc, prof in items:
        label = f"{doc.source}"

        def ctx_for(stop: str, d: Any = doc, p: str = prof) -> Any:
            ctx = DocContext(doc=d, sdoc=nlp(d.text), profile=profiles[p])
            run_layers_upto(ctx, stop)
            return ctx

        if "analyze/time/_layer" in base:
            ctx = ctx_for("time")
            chk.same("timex.time_layer", label, lambda c=ctx: base["analyze/time/_layer"].time_layer(c),
                     lambda c=ctx: timex.time_layer(c))
        if "analyze/entities/_resolve" in base:
            ctx = ctx_for("entities")
            chk.same("entities.entities_layer", label,
                     lambda c=ctx: base["analyze/entities/_resolve"].entities_layer(c),
                     lambda c=ctx: entities.entities_layer(c))
        if "analyze/claims/_layer" in base:
            ctx = ctx_for("claims")
            chk.same("claims.claims_layer", label,
                     lambda c=ctx: base["analyze/claims/_layer"].claims_layer(c),
                     lambda c=ctx: claims.claims_layer(c))
        if "analyze/events/_modality" in base:
            check_modality(chk, base, ctx_for("events"), label)


def check_modality(chk: Checker, base: dict[str, types.ModuleType], ctx: Any, label: str) -> None:
    from rashomon.analyze import modality

    old = base["analyze/events/_modality"]
    quotes = ctx.results.get("quotes", [])
    for tok in ctx.sdoc:
        if tok.pos_ not in ("VERB", "NOUN", "AUX"):
            continue
        gov = [tok.head] if tok.head is not tok else []
        chk.same("modality.modality", f"{label}@{tok.idx}", lambda t=tok, g=gov: old.modality(t, g),
                 lambda t=tok, g=gov: modality.modality(t, g))
        chk.same("modality.reported_by", f"{label}@{tok.idx}",
                 lambda t=tok: old.reported_by(t, quotes), lambda t=tok: modality.reported_by(t, quotes))
        mod = modality.modality(tok, gov)
        chk.same("modality.expresses_intent", f"{label}@{tok.idx}",
                 lambda t=tok, m=mod: old.expresses_intent(t, m),
                 lambda t=tok, m=mod: modality.expresses_intent(t, m))


# ---------------------------------------------------------------------------
# whole pipeline: record dumps of `analyze` with the old and the new owned files
_DUMP_RUN = r"""
import json, sqlite3, sys
from pathlib import Path
import rashomon
from rashomon.ingest.pipeline import ingest
from rashomon.pipeline import analyze
from rashomon.profiles import load_profile
from rashomon.store import Store

out, seeds, demo = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[4])
assert str(Path(rashomon.__file__).resolve()).startswith(sys.argv[3]), rashomon.__file__
dump = {}
runs = [(demo, "demo", str(demo / "manifest.yaml"))]
if seeds:
    runs.insert(0, (Path(seeds), "caucasus", None))
for path, prof, manifest in runs:
    db = out.with_name(out.stem + "-" + prof + ".db")
    store = Store(db)
    profile = load_profile(prof)
    ingest(store, [str(path)], manifest=manifest, profile=profile)
    rep = analyze(store, profile)
    assert not rep.errors, rep.errors
    conn = sqlite3.connect(str(db))
    tables = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
        " AND name NOT LIKE 'documents_fts%' ORDER BY name")]
    for t in tables:
        cols = [r[1] for r in conn.execute(f"PRAGMA table_info({t})")
                if r[1] not in ("at", "applied_at", "ingested_at", "ran_at")]  # clock times
        rows = conn.execute(f"SELECT {','.join(cols)} FROM {t} ORDER BY {','.join(cols)}")
        dump[prof + ":" + t] = [list(r) for r in rows]
    rep.counts = dict(sorted(rep.counts.items()))
    dump[prof + ":report"] = rep.to_dict()
    conn.close()
    store.close()
out.write_text(json.dumps(dump, ensure_ascii=False, sort_keys=True))
"""


def check_store(chk: Checker, baseline: Path) -> None:
    """Run ``analyze`` on seeds + demo twice in the same tree state, old vs new owned files.

    Both runs use a snapshot of the current ``src`` taken now; the "old" snapshot
    has the baseline's files laid over it.  Everything else (the quotes and
    events layers under other work) is identical between the two runs, so the
    dumps must be byte-identical.
    """
    import shutil
    import subprocess

    old_files = sorted((baseline / "src").rglob("*.py")) if (baseline / "src").is_dir() else []
    if not old_files:
        print(f"note: no baseline sources under {baseline}; store check skipped")
        return
    with tempfile.TemporaryDirectory() as tmp:
        dumps_: dict[str, str] = {}
        for side in ("new", "old"):
            tree = Path(tmp) / side
            shutil.copytree(ROOT / "src", tree / "src",
                            ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
            if side == "old":
                for f in old_files:
                    dest = tree / f.relative_to(baseline)
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(f, dest)
            out = Path(tmp) / f"{side}.json"
            env = {**__import__("os").environ, "PYTHONPATH": str(tree / "src")}
            # the same input paths for both runs (paths are stored as document sources)
            subprocess.run([sys.executable, "-c", _DUMP_RUN, str(out),
                            str(SEEDS) if SEEDS.is_dir() else "", str(tree / "src"),
                            str(ROOT / "src" / "rashomon" / "demo" / "corpus")],
                           check=True, env=env)
            dumps_[side] = out.read_text(encoding="utf-8")
        old, new = json.loads(dumps_["old"]), json.loads(dumps_["new"])
        for key in sorted(set(old) | set(new)):
            chk.same("store: analyze record dump", key, lambda k=key: old.get(k),
                     lambda k=key: new.get(k))
        print(f"store dump: {sum(len(v) for v in new.values() if isinstance(v, list))} rows "
              f"in {len(new)} tables/reports compared")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--baseline", default="/tmp/perf_baseline", type=Path)
    ap.add_argument("--fuzz", type=int, default=2000, help="random strings for the date grammar")
    ap.add_argument("--skip-store", action="store_true", help="skip the whole-pipeline dump check")
    ap.add_argument("--only-store", action="store_true", help="only the whole-pipeline dump check")
    args = ap.parse_args()
    from rashomon.profiles import load_profile

    base = load_baseline(args.baseline) if args.baseline.is_dir() else {}
    if not base:
        print(f"note: no baseline modules under {args.baseline}; only invariants are checked")
    chk = Checker()
    if not args.only_store:
        profiles = {p: load_profile(p) for p in ("caucasus", "demo")}
        docs = documents(profiles)
        stress = [("stress", STRESS.read_text(encoding="utf-8"))] if STRESS.is_file() else []
        texts = [(d.source, d.text) for d, _p in docs] + stress
        texts += [(f"fuzz{i}", t) for i, t in enumerate(fuzz_texts(args.fuzz))]
        check_timex_grammar(chk, base, texts)
        check_qualifier_matcher(chk, base, profiles, texts[:len(docs) + 1], args.fuzz)
        check_alias_matcher(chk, base, profiles, args.fuzz)
        check_layers(chk, base, docs, profiles, stress)
    if not args.skip_store:
        check_store(chk, args.baseline)
    chk.print_counts("comparisons")
    return chk.verdict()


if __name__ == "__main__":
    sys.exit(main())
