"""Validating a data package: frictionless checks the descriptor against the Data Package v2
profile; polars checks every row against its Table Schema (types, required, enums, ranges,
patterns, primary and foreign keys); pandera applies the domain rules of `schemas.py`.

The result is a flat report of `Problem`s, `file:row:field: message [check]`. Rows are
numbered as frictionless numbers them: the header is row 1, the first data row is row 2.
Validation never writes.

For speed (issue #6), work that does not hold the GIL runs in threads beside the work that
does: frictionless (Python) while polars parses the largest file, the numpy count of padded
rows while polars checks the cells, the sha256 of large files while the domain rules run. The
domain rules are first evaluated directly; pandera (which imports pandas) is imported and run
only when some rule fails, to report its failure cases. Results are collected in the order
the checks ran before, so the report is the same.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import mmap
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from scamstats.package import (
    MAPPED_FILE_BYTES,
    RawTable,
    UnusableInput,
    cast_expression,
    descriptor_path,
    may_hold_markup,
    read_descriptor,
    read_file,
    read_raw_cells,
    resource_file,
    with_cell_counts,
)
from scamstats.paths import DESCRIPTOR_NAME
from scamstats.schemas import DomainRule, RuleContext, domain_schema, rules_for

MAX_CELL_CHARS = 5_000
SHOWN_VALUE_CHARS = 60
# Cells a spreadsheet would run as a formula (CSV injection) and markup a browser would run.
FORMULA_PATTERN = r"^[=+\-@\t\r]"
# Two patterns, not one alternation: each keeps the regex engine's fast literal prefilter.
MARKUP_TAG = r"<\s*/?\s*[A-Za-z!]"
MARKUP_SCRIPT_URL = r"(?i)javascript:"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong, where it is, and which check found it."""

    file: str
    row: int | None
    field: str | None
    check: str
    message: str

    def line(self) -> str:
        place = ":".join(str(p) for p in (self.file, self.row, self.field) if p not in (None, ""))
        return f"{place}: {self.message} [{self.check}]"

    def key(self) -> list:
        return [self.file, self.row, self.field, self.check]


@dataclass
class Report:
    """Everything validation found, and whether the input could be read at all."""

    problems: list[Problem] = field(default_factory=list)
    unusable: bool = False
    rows_checked: int = 0
    tables_checked: int = 0

    @property
    def exit_code(self) -> int:
        return 2 if self.unusable else (1 if self.problems else 0)

    def summary(self) -> str:
        if self.unusable:
            verdict = "unusable input"
        elif self.problems:
            verdict = "invalid"
        else:
            verdict = "valid"
        return (
            f"{verdict}: {len(self.problems)} problem(s) in {self.tables_checked} table(s), "
            f"{self.rows_checked} row(s) checked"
        )


def shown(value: object) -> str:
    """Return a cell as it is quoted in a message: repr, cut to a readable length."""
    text = repr(value)
    return text if len(text) <= SHOWN_VALUE_CHARS else text[: SHOWN_VALUE_CHARS - 3] + "..."


def problems_from_mask(
    file: str, frame: pl.DataFrame, bad: pl.Expr, field_name: str, check: str, message: pl.Expr
) -> list[Problem]:
    """Return one Problem per row where `bad` holds, with the row's own message."""
    hits = (
        frame.with_row_index("_index")
        .filter(bad.fill_null(False))
        # In one piece: polars 2.1 panics formatting a message on the rows of a frame read in
        # several chunks (a large file) with the rows filtered out of some chunks.
        .rechunk()
        .select(pl.col("_index"), message.alias("_message"))
    )
    return [
        Problem(file, index + 2, field_name, check, text)
        for index, text in hits.iter_rows()
    ]


def value_text(column: str) -> pl.Expr:
    """The cell as shown in messages (quoted, cut to length), vectorised."""
    cut = pl.col(column).str.slice(0, SHOWN_VALUE_CHARS - 5)
    longer = pl.col(column).str.len_chars() > SHOWN_VALUE_CHARS - 5
    return pl.concat_str(
        [pl.lit("'"), cut, pl.when(longer).then(pl.lit("...")).otherwise(pl.lit("")), pl.lit("'")]
    )


def check_header(file: str, raw: RawTable, fields: list[dict]) -> list[Problem]:
    """Return missing, unknown, duplicate and misordered column names."""
    names = [f["name"] for f in fields]
    problems = []
    seen: set[str] = set()
    for position, label in enumerate(raw.header, start=1):
        if not label.strip():
            problems.append(Problem(file, 1, f"column {position}", "blank-label", "column has no name"))
        elif label in seen:
            problems.append(Problem(file, 1, label, "duplicate-label", "column name appears twice"))
        elif label not in names:
            problems.append(Problem(file, 1, label, "extra-label", "unknown column: not in the schema"))
        seen.add(label)
    for name in names:
        if name not in raw.header:
            problems.append(Problem(file, 1, name, "missing-label", "required column is missing"))
    if not problems and raw.header != names:
        problems.append(Problem(
            file, 1, None, "incorrect-label",
            f"columns are out of order: expected {', '.join(names)}",
        ))
    return problems


def check_structure(file: str, raw: RawTable) -> list[Problem]:
    """Return encoding marks, line ends, ragged rows, blank rows and an empty table."""
    problems = []
    if raw.has_bom:
        problems.append(Problem(file, 1, None, "encoding", "file starts with a UTF-8 byte-order mark (BOM): save as UTF-8 without BOM"))
    if raw.has_crlf:
        problems.append(Problem(file, None, None, "line-ends", "file has CRLF (Windows) line ends: use LF"))
    for row, cells in raw.short_rows:
        problems += [
            Problem(file, row, label, "missing-cell", f"row ends after {cells} cell(s): no cell for this column")
            for label in raw.header[cells:]
        ]
    for row, cells in raw.long_rows:
        problems.append(Problem(file, row, None, "extra-cell", f"row has {cells} cell(s), the header {len(raw.header)}"))
    if raw.frame.height == 0:
        problems.append(Problem(file, None, None, "empty-table", "table has a header but no data rows"))
    elif raw.frame.width:
        short = {row for row, _ in raw.short_rows}
        blank = pl.all_horizontal(pl.all().is_null())
        problems += [
            p for p in problems_from_mask(file, raw.frame, blank, None, "blank-row", pl.lit("row is blank"))
            if p.row not in short
        ]
    return problems


def check_cells(
    file: str, raw: pl.DataFrame, typed: pl.DataFrame, schema: dict,
    markup: tuple[bool, bool] = (True, True),
) -> list[Problem]:
    """Return every cell that breaks its field's type or constraints (vectorised).

    All checks are evaluated in one pass over the table; only the checks that found something
    are then filtered for their rows and messages. `markup` says whether the file can hold a
    tag and a `javascript:` URL at all (`may_hold_markup`): a pattern it cannot hold is not run."""
    fields = schema.get("fields", [])
    checks: list[tuple[str, str, pl.Expr, pl.Expr]] = []  # (field, check, bad, message)
    for spec in fields:
        name = spec["name"]
        if name not in raw.columns:
            continue
        text, value = pl.col(name), pl.col(f"_typed_{name}")
        constraints = spec.get("constraints", {})
        kind = spec.get("type", "string")

        def add(bad: pl.Expr, check: str, message: pl.Expr, name: str = name) -> None:
            checks.append((name, check, bad, message))

        if constraints.get("required"):
            add(text.is_null(), "required", pl.lit("is required but empty"))
        if kind != "string":
            add(text.is_not_null() & value.is_null(), "type",
                pl.format("is not a valid {} (got {})", pl.lit(kind), value_text(name)))
        if "enum" in constraints:
            allowed = [str(v) for v in constraints["enum"]]
            add(text.is_not_null() & ~text.is_in(allowed), "enum",
                pl.format("must be one of {} (got {})", pl.lit(", ".join(allowed)), value_text(name)))
        if "pattern" in constraints:
            pattern = f"^(?:{constraints['pattern']})$"
            add(text.is_not_null() & ~text.str.contains(pattern), "pattern",
                pl.format("does not match {} (got {})", pl.lit(constraints["pattern"]), value_text(name)))
        for bound, compare, word in [("minimum", value.lt, ">="), ("maximum", value.gt, "<=")]:
            if bound in constraints and kind in ("integer", "number"):
                add(compare(constraints[bound]), bound,
                    pl.format("must be {} {} (got {})", pl.lit(word), pl.lit(constraints[bound]), value.cast(pl.String)))
        length = text.str.len_chars()
        if "minLength" in constraints:
            add(length < constraints["minLength"], "minLength",
                pl.lit(f"must be at least {constraints['minLength']} character(s)"))
        max_length = constraints.get("maxLength", MAX_CELL_CHARS)
        add(length > max_length, "maxLength",
            pl.format("must be at most {} characters (got {})", pl.lit(max_length), length.cast(pl.String)))
        if kind == "string":
            add(text.str.contains(FORMULA_PATTERN), "formula",
                pl.format("starts like a spreadsheet formula (got {}): CSV injection risk", value_text(name)))
            tag, script = (text.str.contains(p) for p in (MARKUP_TAG, MARKUP_SCRIPT_URL))
            found = {(True, True): tag | script, (True, False): tag, (False, True): script}.get(markup)
            if found is not None:
                add(found, "markup", pl.format("contains HTML or script markup (got {})", value_text(name)))
        if constraints.get("unique") and [name] != primary_key(schema):
            add(text.is_not_null() & text.is_duplicated() & ~text.is_first_distinct(), "unique",
                pl.format("must be unique (got {} more than once)", value_text(name)))
    if not checks:
        return []
    frame = pl.concat([raw, typed.rename(lambda c: f"_typed_{c}")], how="horizontal")
    found = checks_that_find_something(frame, checks, {f["name"]: f.get("type", "string") for f in fields})
    problems: list[Problem] = []
    for (name, check, bad, message), hit in zip(checks, found, strict=True):
        if hit:
            problems += problems_from_mask(file, frame, bad, name, check, message)
    return problems


DISTINCT_SAMPLE = 4096  # rows sampled to guess whether a column has few distinct values


def checks_that_find_something(
    frame: pl.DataFrame, checks: list[tuple[str, str, pl.Expr, pl.Expr]], kinds: dict[str, str]
) -> list[bool]:
    """Return, per check of `check_cells`, whether it holds for some row of `frame`.

    Every check but `unique` is a function of the cell (its text and typed value), so it holds
    for some row exactly when it holds for some distinct cell: a column that repeats its values
    (an enum, a date, a quote shared by a breakdown's rows) is checked once per distinct value.
    Columns whose sample is mostly distinct are checked row by row, all in one pass."""
    found = [False] * len(checks)
    by_column: dict[str, list[int]] = {}
    row_by_row: list[int] = []
    sample = frame.head(DISTINCT_SAMPLE)
    repeats = {
        name: frame.height > 0 and sample.get_column(name).n_unique() * 4 <= sample.height
        for name in {name for name, *_ in checks}
    }
    for index, (name, check, _, _) in enumerate(checks):
        (by_column.setdefault(name, []) if check != "unique" and repeats[name] else row_by_row).append(index)
    if row_by_row:
        hits = frame.select([checks[i][2].fill_null(False).any().alias(str(i)) for i in row_by_row]).row(0)
        for index, hit in zip(row_by_row, hits, strict=True):
            found[index] = hit
    if by_column:
        # A string field's checks read its text only; the others' read the typed value too.
        pairs = {name: kinds.get(name, "string") != "string" for name in by_column}
        distinct = frame.select(
            (pl.struct(name, f"_typed_{name}") if pair else pl.col(name)).unique().implode().alias(name)
            for name, pair in pairs.items()
        )
        for name, indices in by_column.items():
            values = distinct.get_column(name).explode()
            cells = values.struct.unnest() if pairs[name] else values.to_frame(name)
            hits = cells.select([checks[i][2].fill_null(False).any().alias(str(i)) for i in indices]).row(0)
            for index, hit in zip(indices, hits, strict=True):
                found[index] = hit
    return found


def primary_key(schema: dict) -> list[str]:
    key = schema.get("primaryKey") or []
    return [key] if isinstance(key, str) else list(key)


def without_failed_cells(typed: pl.DataFrame, problems: list[Problem]) -> pl.DataFrame:
    """Return the typed frame with every cell that failed a spec check set to null, so that
    domain rules judge only values that are what the schema says they are."""
    failed: dict[str, list[int]] = {}
    for problem in problems:
        if problem.field in typed.columns and problem.row is not None:
            failed.setdefault(problem.field, []).append(problem.row - 2)
    if not failed:
        return typed
    index = pl.int_range(pl.len())
    return typed.with_columns(
        pl.when(index.is_in(rows)).then(None).otherwise(pl.col(name)).alias(name)
        for name, rows in failed.items()
    )


def check_primary_key(file: str, raw: pl.DataFrame, schema: dict) -> list[Problem]:
    """Return rows whose primary key repeats an earlier row's."""
    key = primary_key(schema)
    if not key or any(k not in raw.columns for k in key):
        return []
    # Keys whose hashes all differ all differ: one pass over 64-bit hashes instead of two
    # over the keys themselves (a hash shared by two rows leaves it to the exact check).
    hashed = (pl.col(key[0]) if len(key) == 1 else pl.struct(key)).hash()
    if raw.select(hashed.n_unique()).item() == raw.height:
        return []
    duplicated = pl.struct(key).is_duplicated() & ~pl.struct(key).is_first_distinct()
    return problems_from_mask(file, raw, duplicated, ",".join(key), "primary-key",
                              pl.lit(f"duplicate primary key ({', '.join(key)})"))


def check_foreign_keys(
    file: str, raw: pl.DataFrame, schema: dict, raw_tables: dict[str, pl.DataFrame], self_name: str
) -> list[Problem]:
    """Return cells whose foreign key does not resolve in the referenced resource."""
    problems = []
    for foreign in schema.get("foreignKeys", []):
        fields = foreign["fields"] if isinstance(foreign["fields"], list) else [foreign["fields"]]
        reference = foreign["reference"]
        target = reference.get("resource") or self_name
        target_fields = reference["fields"] if isinstance(reference["fields"], list) else [reference["fields"]]
        target_frame = raw_tables.get(target)
        if target_frame is None or len(fields) != 1 or fields[0] not in raw.columns:
            continue
        if target_fields[0] not in target_frame.columns:
            continue
        known = target_frame.get_column(target_fields[0]).drop_nulls().unique()
        column = pl.col(fields[0])
        problems += problems_from_mask(
            file, raw, column.is_not_null() & ~column.is_in(known.implode()), fields[0], "foreign-key",
            pl.format("{} not found in {}.{}", value_text(fields[0]), pl.lit(target), pl.lit(target_fields[0])),
        )
    return problems


def check_domain(file: str, resource: str, typed: pl.DataFrame, ctx: RuleContext) -> list[Problem]:
    """Return the failures of the resource's pandera domain schema, one per row and rule."""
    rules = rules_for(resource)
    if not rules or typed.is_empty() or any(r.field not in typed.columns for r in rules):
        return []
    if all_rules_hold(rules, typed, ctx):
        return []  # pandera would report nothing: no need to import it
    import pandera.polars as pa

    try:
        domain_schema(resource, ctx).validate(typed, lazy=True)
        return []
    except pa.errors.SchemaErrors as errors:
        cases = errors.failure_cases
    problems = []
    for index, rule_number in cases.select("index", "check").iter_rows():
        if index is None:
            continue
        rule = rules[int(rule_number)]
        row = typed.row(index, named=True)
        problems.append(Problem(file, index + 2, rule.field, rule.check, rule.message(row)))
    return problems


def all_rules_hold(rules: list[DomainRule], typed: pl.DataFrame, ctx: RuleContext) -> bool:
    """Return True when every rule gives True (not False, not null) for every row.

    Then the pandera schema of these rules finds no failure case, so pandera need not run;
    otherwise (a rule fails, raises, or returns something else) pandera runs the rules and
    reports their failures."""
    for rule in rules:
        try:
            ok = rule.ok(typed, ctx)
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException:  # noqa: BLE001 - pandera then runs the rule and does what it did
            return False
        if not (isinstance(ok, pl.Series) and ok.dtype == pl.Boolean and ok.len() == typed.height
                and ok.null_count() == 0 and ok.all()):
            return False
    return True


class Background(threading.Thread):
    """A function call, run in a thread from `begin()`; `result()` waits for it and returns its
    value or raises its exception (if it was never begun, it runs then, in the caller's thread)."""

    def __init__(self, function: Callable, *args: object, begin: bool = True) -> None:
        super().__init__(daemon=True)
        self.function, self.args = function, args
        self.value: object = None
        self.error: BaseException | None = None
        self.done = False
        if begin:
            self.begin()

    def begin(self) -> None:
        if self.ident is None and not self.done:
            self.start()

    def run(self) -> None:
        try:
            self.value = self.function(*self.args)
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as error:  # noqa: BLE001 - handed to the caller of result()
            self.error = error  # (polars panics are BaseExceptions)
        self.done = True

    def finished(self) -> bool:
        return self.done

    def result(self) -> object:
        if self.ident is None:
            if not self.done:
                self.run()
        else:
            self.join()
        if self.error is not None:
            raise self.error
        return self.value


def sha256(data: bytes | mmap.mmap) -> str:
    return hashlib.sha256(data).hexdigest()


def check_cells_and_key(
    file: str, frame: pl.DataFrame, resource: dict, markup: Callable[[], tuple[bool, bool]]
) -> tuple[pl.DataFrame, list[Problem], list[Problem]]:
    """Return the typed frame, the cell problems (before missing cells are taken out) and the
    primary-key problems of one table's cells; `markup()` gives what `may_hold_markup` says."""
    fields = resource.get("schema", {}).get("fields", [])
    present = [f for f in fields if f["name"] in frame.columns]
    typed = frame.select([cast_expression(f) for f in present])
    cell_problems = check_cells(file, frame, typed, resource.get("schema", {}), markup())
    return typed, cell_problems, check_primary_key(file, frame, resource.get("schema", {}))


def check_hash(file: str, resource: dict, data: bytes | mmap.mmap, digest: str | None = None) -> list[Problem]:
    """Return a problem when the descriptor's bytes or sha256 do not match the file."""
    problems = []
    if "bytes" in resource and resource["bytes"] != len(data):
        problems.append(Problem(DESCRIPTOR_NAME, None, f"{resource.get('name')}.bytes", "bytes",
                                f"{file} has {len(data)} bytes, descriptor says {resource['bytes']}: run `scamstats rehash`"))
    if "hash" in resource:
        actual = "sha256:" + (digest if digest is not None else sha256(data))
        expected = resource["hash"] if ":" in str(resource["hash"]) else f"md5:{resource['hash']}"
        if expected != actual:
            problems.append(Problem(DESCRIPTOR_NAME, None, f"{resource.get('name')}.hash", "hash",
                                    f"{file} does not match its hash: run `scamstats rehash`"))
    return problems


def check_descriptor(descriptor: dict) -> list[Problem]:
    """Return what frictionless finds wrong with the descriptor (Data Package v2 profile)."""
    import frictionless

    try:
        report = frictionless.Package.validate_descriptor(descriptor)
    except Exception as error:  # noqa: BLE001 - frictionless raises assorted types on malformed descriptors
        return [Problem(DESCRIPTOR_NAME, None, None, "descriptor", f"not a valid descriptor: {error}")]
    errors = [*report.errors, *(e for task in report.tasks for e in task.errors)]
    return [
        Problem(DESCRIPTOR_NAME, None, None, "descriptor", f"{error.type}: {error.message}")
        for error in errors
    ]


def validate_package(package: Path, today: dt.date | None = None) -> Report:
    """Return the report of every problem in the package at `package` (folder or descriptor)."""
    report = Report()
    today = today or dt.date.today()
    path = descriptor_path(package)
    try:
        descriptor = read_descriptor(path.parent)
    except UnusableInput as error:
        report.problems.append(Problem(error.file, None, None, error.check, error.message))
        report.unusable = True
        return report
    # Unsafe paths first, in our words: nothing outside the package is ever opened.
    for resource in descriptor["resources"]:
        try:
            resource_file(path.parent, resource if isinstance(resource, dict) else {})
        except UnusableInput as error:
            report.problems.append(Problem(error.file, None, None, error.check, error.message))
            report.unusable = True
    if report.unusable:
        return report
    # frictionless (its import alone takes a third of a second) checks the descriptor in a
    # thread while the rows are read and checked; its problems, if any, are the whole report,
    # as before: rows cannot be checked against a schema that is itself broken.
    described = Background(check_descriptor, descriptor, begin=False)
    rows = Report()
    try:
        check_rows(path, descriptor, today, rows, described)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException:  # even a polars panic: rows need not have been read at all
        if described.result():
            report.problems += described.result()
            return report
        raise
    if described.result():
        report.problems += described.result()
        return report
    return rows


class DescriptorInvalid(Exception):
    """Raised inside `check_rows` to stop early: the descriptor check found problems."""


def check_rows(path: Path, descriptor: dict, today: dt.date, report: Report, described: Background) -> None:
    """Add to `report` what the rows of every resource break: cells, keys, domain rules."""

    def stop_if_descriptor_invalid() -> None:
        if described.finished() and described.result():
            raise DescriptorInvalid

    raw_tables: dict[str, pl.DataFrame] = {}
    typed_tables: dict[str, pl.DataFrame] = {}
    resources = [r for r in descriptor["resources"] if isinstance(r, dict)]
    hashing: list[tuple[str, dict, bytes | mmap.mmap, Background | None]] = []
    for resource in resources:
        stop_if_descriptor_invalid()
        name = str(resource.get("name"))
        file = str(resource.get("path"))
        try:
            full = resource_file(path.parent, resource)
            if not full.is_file():
                raise UnusableInput(file, "file not found (named in the descriptor)", "missing-file")
            data = read_file(full)
            large = len(data) >= MAPPED_FILE_BYTES
            # A large file is hashed later, in a thread (see below); hashes are compared at the
            # end, which does not change the report (it is sorted).
            hashing.append((file, resource, data, Background(sha256, data, begin=False)
                            if large and "hash" in resource else None))
            if large:
                described.begin()  # frictionless (Python) beside polars' parse (no GIL)
            table, count = read_raw_cells(file, data, source=full)
            # The byte scan for markup, then the count of the rows polars padded, in a thread
            # (numpy) while this one works out the cells (polars): kept aside, reported below
            # where they were.
            markup = Background(may_hold_markup, data)
            counting = Background(count) if count is not None else None
            cells_ahead = Background(check_cells_and_key, file, table.frame, resource, markup.result,
                                     begin=False)
            cells_ahead.run()  # here, now; its outcome is taken where it was before
            raw = table if counting is None else with_cell_counts(table, counting.result())
        except UnusableInput as error:
            report.problems.append(Problem(error.file, None, None, error.check, error.message))
            report.unusable = True
            continue
        fields = resource.get("schema", {}).get("fields", [])
        header_problems = check_header(file, raw, fields)
        report.problems += header_problems + check_structure(file, raw)
        if any(p.check == "duplicate-label" for p in header_problems):
            continue
        typed, cell_problems, key_problems = cells_ahead.result()
        missing_cells = {(p.row, p.field) for p in report.problems if p.check == "missing-cell"}
        cell_problems = [p for p in cell_problems if (p.row, p.field) not in missing_cells]
        report.problems += cell_problems
        typed = without_failed_cells(typed, cell_problems)
        report.problems += key_problems
        raw_tables[name], typed_tables[name] = raw.frame, typed
        report.rows_checked += raw.frame.height
        report.tables_checked += 1

    # The hashes (no GIL) while the domain rules keep polars on one core, mostly; frictionless
    # now at the latest (a package of small files only).
    described.begin()
    for *_, digest in hashing:
        if digest is not None:
            digest.begin()
    stop_if_descriptor_invalid()
    compounds = raw_tables.get("compounds")
    ctx = RuleContext(
        today=today,
        compound_ids=frozenset(compounds["compound_id"].drop_nulls().to_list())
        if compounds is not None and "compound_id" in compounds.columns else frozenset(),
    )
    for resource in resources:
        name, file = str(resource.get("name")), str(resource.get("path"))
        if name not in raw_tables:
            continue
        schema = resource.get("schema", {})
        report.problems += check_foreign_keys(file, raw_tables[name], schema, raw_tables, name)
        report.problems += check_domain(file, name, typed_tables[name], ctx)
    for file, resource, data, digest in hashing:
        report.problems += check_hash(file, resource, data, digest and digest.result())
    report.problems.sort(key=lambda p: (p.file, p.row or 0, p.field or "", p.check))
