"""Flat exports of the record tables: CSV, Parquet, GeoJSON, the data dictionary, Datasette metadata.

Each record type is exported with the store's analyst columns
(:meth:`rashomon.store.Store.table_columns`), typed from the schema rather
than guessed from the values, so a CAMEO code ``"040"`` stays a string in
Parquet, and the CSVs come with a Frictionless ``datapackage.json`` that says
which columns are strings (pandas: ``pd.read_csv(p, dtype=csv_dtypes(...))``).
Nested extras are one JSON text column, ``data``.

Every function here is a library function the API can call as well as an
exporter of ``rashomon export`` (``(store, out_dir) -> [paths]``).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from rashomon.layers import record_tables
from rashomon.store import Store
from rashomon.store.schema import VIEWS, declared_tables, table_docs, table_schema

ARROW_TYPES = {"text": pa.string(), "integer": pa.int64(), "real": pa.float64(),
               "bool": pa.bool_(), "json": pa.string()}
FRICTIONLESS_TYPES = {"text": "string", "integer": "integer", "real": "number",
                      "bool": "boolean", "json": "object"}
PANDAS_TYPES = {"text": "string", "integer": "Int64", "real": "float64", "bool": "boolean",
                "json": "string"}


def flat_tables(store: Store) -> list[str]:
    """documents, entities and every record table of the registry that this store has."""
    present = store.span_tables | store.corpus_tables
    return ["documents", "entities", *(t for t in record_tables() if t in present)]


def arrow_table(store: Store, table: str) -> pa.Table:
    """One record table as a typed Arrow table (column types from the schema)."""
    cols = store.table_columns(table)
    rows = list(store.table_rows(table))
    arrays = {}
    for i, (name, kind, _) in enumerate(cols):
        arrays[name] = pa.array([r[i] for r in rows], type=ARROW_TYPES[kind])
    fields = [pa.field(n, ARROW_TYPES[k], metadata={"description": d} if d else None)
              for n, k, d in cols]
    return pa.table(arrays, schema=pa.schema(fields))


def csv_dtypes(store: Store, table: str) -> dict[str, str]:
    """pandas dtypes of a table's CSV columns (``pd.read_csv(path, dtype=...)``)."""
    return {n: PANDAS_TYPES[k] for n, k, _ in store.table_columns(table)}


def _atomic(path: Path) -> Path:
    return path.with_suffix(path.suffix + ".tmp")


def write_csv(store: Store, table: str, path: Path) -> int:
    """One table as CSV (UTF-8, header row, booleans as true/false, NULL as empty)."""
    cols = store.table_columns(table)
    tmp = _atomic(path)
    n = 0
    with tmp.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow([c[0] for c in cols])
        for row in store.table_rows(table):
            w.writerow(["" if v is None else ("true" if v else "false") if isinstance(v, bool)
                        else v for v in row])
            n += 1
    tmp.replace(path)
    return n


def export_csv(store: Store, out_dir: Path) -> list[Path]:
    """``csv/<table>.csv`` per record type plus ``csv/datapackage.json`` (column types)."""
    folder = Path(out_dir) / "csv"
    folder.mkdir(parents=True, exist_ok=True)
    paths, resources = [], []
    for table in flat_tables(store):
        path = folder / f"{table}.csv"
        write_csv(store, table, path)
        paths.append(path)
        title, description, _ = table_docs(table)
        resources.append({
            "name": table, "path": path.name, "title": title, "description": description,
            "format": "csv", "encoding": "utf-8",
            "schema": {"fields": [{"name": n, "type": FRICTIONLESS_TYPES[k],
                                   **({"description": d} if d else {})}
                                  for n, k, d in store.table_columns(table)],
                       "missingValues": [""], "primaryKey": "id"},
        })
    pkg = folder / "datapackage.json"
    pkg.write_text(json.dumps({"name": "rashomon-export", "resources": resources},
                              ensure_ascii=False, indent=2), encoding="utf-8")
    return [*paths, pkg]


def export_parquet(store: Store, out_dir: Path) -> list[Path]:
    """``parquet/<table>.parquet`` per record type, typed from the schema."""
    folder = Path(out_dir) / "parquet"
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for table in flat_tables(store):
        path = folder / f"{table}.parquet"
        tmp = _atomic(path)
        pq.write_table(arrow_table(store, table), tmp)
        tmp.replace(path)
        paths.append(path)
    return paths


GEO_PROPERTIES = ("id", "doc_id", "date", "date_precision", "plover", "plover_mode", "cameo",
                  "quad_class", "goldstein", "acled_event_type", "acled_sub_event_type",
                  "source_name", "target_name", "place_name", "place_entity_id", "country",
                  "fatalities", "negated", "hypothetical", "outlet", "camp", "main", "sentence")


def events_geojson(store: Store) -> dict[str, Any]:
    """Events that have coordinates as a GeoJSON FeatureCollection (RFC 7946: lon, lat)."""
    cols = [n for n, _, _ in store.table_columns("events")]
    keep = [c for c in GEO_PROPERTIES if c in cols]
    features = []
    for row in store.table_rows("events", "lat IS NOT NULL AND lon IS NOT NULL",
                                order="date, id"):
        r = dict(zip(cols, row, strict=True))
        features.append({"type": "Feature", "id": r["id"],
                         "geometry": {"type": "Point", "coordinates": [r["lon"], r["lat"]]},
                         "properties": {k: r[k] for k in keep}})
    return {"type": "FeatureCollection", "features": features}


def export_geojson(store: Store, out_dir: Path) -> list[Path]:
    """``events.geojson``: every event with a located place."""
    path = Path(out_dir) / "events.geojson"
    tmp = _atomic(path)
    tmp.write_text(json.dumps(events_geojson(store), ensure_ascii=False), encoding="utf-8")
    tmp.replace(path)
    return [path]


# -- data dictionary and Datasette metadata ------------------------------------
def _tables_in_order() -> list[tuple[str, str]]:
    kinds = declared_tables()
    order = ["documents", "entities", *record_tables()]
    return [(t, kinds[t]) for t in order if t in kinds]


def data_dictionary() -> str:
    """``docs/data.md``: every table, column, type and meaning, generated from the schema."""
    lines = [
        "# Data dictionary",
        "",
        "Generated from the schema (`rashomon.store.schema`, column map in",
        "`rashomon.layers.TABLE_COLUMNS`); regenerate with",
        "`rashomon export --format dictionary --out docs`. Do not edit by hand.",
        "",
        "Every record table has a real column for each field analysts filter on;",
        "`data` holds only the nested extras (JSON). *owns*: the column holds the",
        "value (it is not repeated in `data`); *copy*: a filterable copy of a",
        "nested value; *document*: a value of the record's document; *computed*:",
        "derived from the record. A declared field that no record has yet is NULL.",
        "Foreign keys are declared (Datasette links them) and audited with",
        "`PRAGMA foreign_key_check`; `documents_fts` is an FTS5 index with",
        "`content=documents`.",
        "",
    ]
    for table, kind in _tables_in_order():
        title, description, facets = table_docs(table)
        ts = table_schema(table, kind)
        lines += [f"## `{table}`: {title}", "", description, ""]
        if facets:
            lines += ["Default facets: " + ", ".join(f"`{f}`" for f in facets), ""]
        lines += ["| column | type | source | meaning |", "|---|---|---|---|"]
        for c in ts.columns:
            if c.path is not None:
                src = ("owns " if c.own else "copy of ") + "`" + ".".join(c.path) + "`"
            elif c.document:
                src = f"document `{c.document}`"
            elif c.compute is not None:
                src = "computed"
            else:
                src = "store"
            ref = f" → `{c.references}`" if c.references else ""
            lines.append(f"| `{c.name}` | {c.kind} | {src}{ref} | {c.description} |")
        lines.append("| `data` | json | extras | nested fields not in columns |")
        lines.append("")
    lines += ["## Views", ""]
    for name, (needs, sql) in VIEWS.items():
        lines += [f"### `{name}`", "", "Joins " + ", ".join(f"`{t}`" for t in needs) + ".", "",
                  "```sql", " ".join(sql.split()), "```", ""]
    return "\n".join(lines)


def export_dictionary(store: Store, out_dir: Path) -> list[Path]:
    """``data.md``: the data dictionary (the store argument is not needed, kept for the API)."""
    path = Path(out_dir) / "data.md"
    path.write_text(data_dictionary(), encoding="utf-8")
    return [path]


LABELS = {"documents": "title", "entities": "name", "stories": "title", "claims": "text",
          "events": "sentence", "quotes": "text"}


def datasette_metadata(database: str, tables: Iterable[str] | None = None) -> dict[str, Any]:
    """Datasette metadata: titles, descriptions, default facets and label columns per table."""
    names = list(tables) if tables is not None else [t for t, _ in _tables_in_order()]
    out: dict[str, Any] = {}
    for t in names:
        title, description, facets = table_docs(t)
        meta: dict[str, Any] = {"title": title, "description": description}
        if facets:
            meta["facets"] = list(facets)
        if t in LABELS:
            meta["label_column"] = LABELS[t]
        if t == "documents":
            meta["fts_table"] = "documents_fts"
            meta["searchmode"] = "raw"
        out[t] = meta
    for v in VIEWS:
        out[v] = {"title": v.replace("_", " ").capitalize(), "description":
                  "View joining " + ", ".join(VIEWS[v][0])}
    return {"title": "Rashomon evidence base",
            "description": "Partisan coverage as a neutral, source-attributed evidence base.",
            "databases": {database: {"tables": out}}}


def export_datasette(store: Store, out_dir: Path) -> list[Path]:
    """``datasette-metadata.json`` for ``datasette DB -m datasette-metadata.json``."""
    path = Path(out_dir) / "datasette-metadata.json"
    name = Path(str(store.path)).stem
    path.write_text(json.dumps(datasette_metadata(name, flat_tables(store)), ensure_ascii=False,
                               indent=2), encoding="utf-8")
    return [path]
