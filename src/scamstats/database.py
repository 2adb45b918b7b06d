"""The package as one SQLite database, built with sqlite-utils, for Datasette or any SQL client.

- every resource is a table, with the descriptor's types, primary key, required columns and
  foreign keys (a self-reference such as `same_claim_as` points at its own table);
- `_columns` holds each column's type, description, unit and constraints from the descriptor,
  and `provinces` the ISO 3166-2:KH names;
- a full-text index (FTS5, `<table>_fts`) over quotes, notes, source titles and compound
  names, with the `trigram` tokenizer: it matches any run of three or more characters, so it
  works for scripts written without spaces between words (Khmer, Chinese, Thai) as well as for
  Vietnamese and English. A query shorter than three characters matches nothing;
- views for common questions: `claims_by_nationality_and_date`, `operations_by_province`,
  `compounds_last_status` (each counting linked reports once, as the statistics do).

Deterministic: built in a temporary file, then written out with `VACUUM INTO`, which lays the
pages out afresh; nothing time-based is stored, so the same package gives the same bytes.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import tempfile
from pathlib import Path

import polars as pl
import sqlite_utils

from scamstats.package import Package
from scamstats.reference import EVENT_TYPES, PROVINCES

SQL_TYPES = {"integer": int, "number": float, "boolean": int}  # everything else is text
FTS_COLUMNS = {
    "sources": ("title", "publisher"),
    "compounds": ("name", "aliases", "quote", "note"),
    "timeline": ("event", "quote", "note"),
}
FTS_DEFAULT = ("quote", "note")
FTS_TOKENIZER = "trigram"


def database_name(package: Package) -> str:
    """Return the database's file name: '<package name>.db' (Datasette names it by its stem)."""
    return f"{package.descriptor.get('name', 'package')}.db"


def _fields(resource: dict) -> list[dict]:
    return resource.get("schema", {}).get("fields", [])


def foreign_keys(resource: dict) -> list[tuple[str, str, str]]:
    """Return the resource's single-column foreign keys as (column, table, column)."""
    found = []
    for fk in resource.get("schema", {}).get("foreignKeys", []):
        fields = fk.get("fields")
        fields = [fields] if isinstance(fields, str) else list(fields or [])
        reference = fk.get("reference", {})
        other = reference.get("fields")
        other = [other] if isinstance(other, str) else list(other or [])
        if len(fields) == 1 and len(other) == 1:
            found.append((fields[0], reference.get("resource") or resource["name"], other[0]))
    return found


def creation_order(resources: list[dict]) -> list[dict]:
    """Return the resources with every table a foreign key points at before the table that
    points (descriptor order otherwise)."""
    ordered: list[dict] = []
    waiting = list(resources)
    while waiting:
        done = {r["name"] for r in ordered}
        ready = [r for r in waiting if all(t in done or t == r["name"] for _, t, _ in foreign_keys(r))]
        ordered += ready or waiting[:1]  # a cycle between tables: take the first as it is
        waiting = [r for r in waiting if r not in (ready or waiting[:1])]
    return ordered


def _records(frame: pl.DataFrame) -> list[dict]:
    """The frame's rows as dicts: dates as ISO text, booleans as 0/1, missing as None."""
    frame = frame.with_columns(
        [pl.col(n).dt.to_string("%Y-%m-%d") for n, t in frame.schema.items() if t == pl.Date]
        + [pl.col(n).cast(pl.Int64) for n, t in frame.schema.items() if t == pl.Boolean]
    )
    return frame.to_dicts()


def add_resource(db: sqlite_utils.Database, package: Package, resource: dict) -> None:
    """Create one resource's table (types, key, required columns, foreign keys) and fill it."""
    name = resource["name"]
    fields = _fields(resource)
    key = resource.get("schema", {}).get("primaryKey")
    key = [key] if isinstance(key, str) else list(key or [])
    columns = {f["name"]: SQL_TYPES.get(f.get("type"), str) for f in fields}
    required = [f["name"] for f in fields if f.get("constraints", {}).get("required")]
    db[name].create(columns, pk=(key[0] if len(key) == 1 else tuple(key)) if key else None,
                    foreign_keys=foreign_keys(resource), not_null=required, column_order=list(columns))
    frame = package.tables[name].select([c for c in columns if c in package.tables[name].columns])
    db[name].insert_all(_records(frame), batch_size=1000)
    text = [c for c in FTS_COLUMNS.get(name, FTS_DEFAULT) if c in columns]
    if text:
        db[name].enable_fts(text, fts_version="FTS5", tokenize=FTS_TOKENIZER)
        db[f"{name}_fts"].optimize()


def add_column_descriptions(db: sqlite_utils.Database, package: Package) -> None:
    """Create `_columns`: one row per column of every resource, from the descriptor."""
    rows = []
    for resource in package.descriptor["resources"]:
        for position, field in enumerate(_fields(resource), start=1):
            constraints = field.get("constraints")
            rows.append({
                "table_name": resource["name"], "column_name": field["name"], "position": position,
                "type": field.get("type", "string"), "description": field.get("description"),
                "unit": field.get("unit"),
                "constraints": json.dumps(constraints, ensure_ascii=False, sort_keys=True) if constraints else None,
            })
    db["_columns"].create({"table_name": str, "column_name": str, "position": int, "type": str,
                           "description": str, "unit": str, "constraints": str},
                          pk=("table_name", "column_name"))
    db["_columns"].insert_all(rows)
    db["provinces"].create({"province_code": str, "name": str}, pk="province_code")
    db["provinces"].insert_all([{"province_code": c, "name": n} for c, n in PROVINCES.items()])


CLAIMS_VIEW = """
SELECT a.nationality, a.as_of, a.as_of_precision, a.metric, a.sex, a.value, a.qualifier,
       a.period_start, a.scope, a.subset, a.origin, a.observation_id AS claim_id,
       1 + (SELECT count(*) FROM arrests r WHERE r.same_claim_as = a.observation_id) AS reports,
       a.source_id, a.quote
FROM arrests a
WHERE a.same_claim_as IS NULL
ORDER BY a.nationality, a.as_of, a.metric, a.sex, a.observation_id
"""

OPERATIONS_VIEW = """
WITH reports AS (
  SELECT r.*, coalesce(r.same_operation_as, r.raid_id) AS operation_id,
         r.same_operation_as IS NOT NULL AS linked, r.rowid AS row_order
  FROM raids r
  WHERE r.raid_id NOT IN (SELECT part_of FROM raids WHERE part_of IS NOT NULL)
), operations AS (
  SELECT * FROM (SELECT reports.*, row_number() OVER (PARTITION BY operation_id ORDER BY linked, row_order) AS n
                 FROM reports) WHERE n = 1
)
SELECT p.province_code, p.name AS province, count(o.raid_id) AS operations, {event_counts},
       coalesce(sum(o.persons_detained), 0) AS persons_detained,
       coalesce(sum(o.persons_rescued), 0) AS persons_rescued,
       min(o.date) AS first_date, max(o.date) AS last_date
FROM provinces p LEFT JOIN operations o ON o.province_code = p.province_code
GROUP BY p.province_code, p.name
ORDER BY operations DESC, p.province_code
"""

COMPOUNDS_VIEW = """
WITH reports AS (
  SELECT c.*, coalesce(c.same_compound_as, c.compound_id) AS first_id,
         c.same_compound_as IS NOT NULL AS linked, c.rowid AS row_order
  FROM compounds c
), latest AS (
  SELECT * FROM (SELECT first_id, status, status_date, status_date_precision, source_id,
                        row_number() OVER (PARTITION BY first_id
                                           ORDER BY status_date IS NULL, status_date DESC, linked, row_order) AS n
                 FROM reports) WHERE n = 1
), raided AS (
  SELECT c.first_id, count(DISTINCT coalesce(r.same_operation_as, r.raid_id)) AS operations,
         max(r.date) AS last_operation_date
  FROM raids r JOIN reports c ON r.compound_id = c.compound_id
  GROUP BY c.first_id
)
SELECT f.compound_id, f.name, f.aliases, f.province_code, p.name AS province, f.town, f.former_use,
       l.status, l.status_date, l.status_date_precision, l.source_id AS status_source_id,
       (SELECT count(*) FROM reports r WHERE r.first_id = f.compound_id) AS reports,
       coalesce(x.operations, 0) AS operations, x.last_operation_date
FROM compounds f
LEFT JOIN latest l ON l.first_id = f.compound_id
LEFT JOIN raided x ON x.first_id = f.compound_id
LEFT JOIN provinces p ON p.province_code = f.province_code
WHERE f.same_compound_as IS NULL
ORDER BY f.compound_id
"""

VIEWS = {
    "claims_by_nationality_and_date": (
        ("Each announced claim once (arrests rows that are no other row's repeat: same_claim_as empty), by "
         "nationality (empty: not broken down by nationality) and date, with how many reports relay it."),
        CLAIMS_VIEW),
    "operations_by_province": (
        ("Enforcement operations per province, all 25: each operation counted once however many sources "
         "report it (same_operation_as), a whole whose parts are reported left out (part_of)."),
        OPERATIONS_VIEW.replace("{event_counts}", ", ".join(
            f"coalesce(sum(o.event_type = '{t}'), 0) AS {t}_operations" for t in EVENT_TYPES))),
    "compounds_last_status": (
        ("Each named compound once (reports linked by same_compound_as folded in) with its latest dated "
         "status, how many reports record it, and the operations at it."),
        COMPOUNDS_VIEW),
}


def add_views(db: sqlite_utils.Database, package: Package) -> None:
    """Create the views of VIEWS whose tables the package has."""
    needs = {"claims_by_nationality_and_date": {"arrests"}, "operations_by_province": {"raids"},
             "compounds_last_status": {"compounds", "raids"}}
    for name, (_, sql) in VIEWS.items():
        if needs[name] <= set(package.tables):
            db.create_view(name, sql.strip())


def build_database(package: Package, target: Path) -> Path:
    """Write the package as a SQLite database at `target` (replaced if it exists); return it."""
    target = Path(target)
    with tempfile.TemporaryDirectory(prefix="scamstats-db-") as temporary:
        work = Path(temporary) / "work.db"
        db = sqlite_utils.Database(work)
        try:
            for resource in creation_order(package.descriptor["resources"]):
                if resource["name"] in package.tables:
                    add_resource(db, package, resource)
            add_column_descriptions(db, package)
            add_views(db, package)
            db.conn.commit()
            packed = Path(temporary) / "packed.db"
            db.conn.execute("VACUUM INTO ?", [str(packed)])
        finally:
            db.close()
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(packed.read_bytes())
    return target


def database_bytes(package: Package) -> bytes:
    """Return the bytes of the package's SQLite database (`build_database`)."""
    with tempfile.TemporaryDirectory(prefix="scamstats-db-") as temporary:
        return build_database(package, Path(temporary) / "package.db").read_bytes()


def search(db_path: Path, table: str, query: str) -> list[dict]:
    """Return the rows of `table` whose full-text index matches `query` as a phrase (each
    row as a dict, in table order)."""
    phrase = '"' + query.replace('"', '""') + '"'
    with contextlib.closing(sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)) as connection:
        connection.row_factory = sqlite3.Row
        rows = connection.execute(
            f'SELECT t.* FROM "{table}" t WHERE t.rowid IN (SELECT rowid FROM "{table}_fts" '
            f'WHERE "{table}_fts" MATCH ?) ORDER BY t.rowid', [phrase]).fetchall()
    return [dict(row) for row in rows]


# ------------------------------------------------------------------------------------------
# Datasette


DATASETTE_METADATA_NAME = "datasette-metadata.json"


def search_query(package: Package) -> str:
    """Return the SQL of the `search` canned query: every resource's full-text index at once,
    the text typed matched as one phrase (so spaces and punctuation need no FTS syntax)."""
    parts = []
    for resource in package.descriptor["resources"]:
        name = resource["name"]
        columns = [f["name"] for f in _fields(resource)]
        text = [c for c in FTS_COLUMNS.get(name, FTS_DEFAULT) if c in columns]
        key = resource.get("schema", {}).get("primaryKey")
        key = key if isinstance(key, str) else (key or [None])[0]
        if not text or not key or name not in package.tables:
            continue
        source = "source_id" if "source_id" in columns else key
        parts.append(
            f"SELECT '{name}' AS resource, \"{key}\" AS row_id, {source} AS source_id, "
            f"{' || char(10) || '.join(f'coalesce({c}, {chr(39)}{chr(39)})' for c in text)} AS text "
            f"FROM \"{name}\" WHERE rowid IN (SELECT rowid FROM \"{name}_fts\" "
            f"WHERE \"{name}_fts\" MATCH '\"' || replace(:q, '\"', '\"\"') || '\"')")
    return "\nUNION ALL\n".join(parts)


def datasette_metadata(package: Package) -> dict:
    """Return Datasette's metadata for the database: title, description, licence, source, each
    table's and view's description and column descriptions, and a `search` canned query."""
    descriptor = package.descriptor
    licence = (descriptor.get("licenses") or [{}])[0]
    homepage = descriptor.get("homepage", "")
    tables = {}
    for resource in package.descriptor["resources"]:
        tables[resource["name"]] = {
            "title": resource.get("title", resource["name"]),
            "description": resource.get("description", ""),
            "columns": {f["name"]: f.get("description", "") for f in _fields(resource)},
        }
    tables["_columns"] = {"description": "Each column of every table: type, description, unit and constraints "
                                         "from datapackage.json."}
    tables["provinces"] = {"description": "Cambodia's 25 provinces (ISO 3166-2:KH codes and names)."}
    for name, (description, _) in VIEWS.items():
        tables[name] = {"description": description}
    return {
        "title": descriptor.get("title", descriptor.get("name", "")),
        "description": descriptor.get("description", ""),
        "license": licence.get("title", licence.get("name", "")),
        "license_url": licence.get("path", ""),
        "source": f"Data package {descriptor.get('name', '')} version {package.version}",
        "source_url": homepage,
        "databases": {
            database_name(package).removesuffix(".db"): {
                "tables": tables,
                "queries": {
                    "search": {
                        "title": "Search quotes, notes and source titles",
                        "description": "Rows of every table whose quote, note or title contains the text "
                                       "(any script; at least three characters).",
                        "sql": search_query(package),
                    },
                },
            },
        },
    }
