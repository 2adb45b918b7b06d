"""Checking one table against its Table Schema (the spec layer): the header, the structure
(byte-order mark, line ends, short, long and blank rows), every cell's type and constraints,
the text checks of `text.py`, and the primary and foreign keys. Vectorised with polars; the
domain rules are `domain.py`'s. Each check lists at most `PROBLEMS_PER_CHECK` problems.
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

from scamstats.package import cast_expression
from scamstats.validation.report import (
    PROBLEMS_PER_CHECK,
    Problem,
    omitted,
    problems_from_mask,
    value_text,
)
from scamstats.validation.scan import RawTable
from scamstats.validation.text import (
    CONTROL,
    FORMULA_PATTERN,
    INVISIBLE,
    MARKUP_REFERENCE,
    MARKUP_SCRIPT_URL,
    MARKUP_TAG,
    WHITESPACE,
)

MAX_CELL_CHARS = 5_000
LINE_ENDS = {
    "crlf": "file has CRLF (Windows) line ends: use LF",
    "cr": "file has CR (classic Mac OS) line ends: use LF (its rows were read as if they were LF)",
    "some-cr": "file has a CR that is not part of a CRLF (a classic Mac OS line end, or a CR in a cell): use LF",
}


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
    if raw.line_ends in LINE_ENDS:
        problems.append(Problem(file, None, None, "line-ends", LINE_ENDS[raw.line_ends]))
    missing: list[Problem] = []
    for row, cells in raw.short_rows:
        if len(missing) >= PROBLEMS_PER_CHECK:
            break
        missing += [
            Problem(file, row, label, "missing-cell", f"row ends after {cells} cell(s): no cell for this column")
            for label in raw.header[cells:]
        ][: PROBLEMS_PER_CHECK - len(missing)]
    problems += missing + omitted(file, None, "missing-cell",
                                  sum(len(raw.header) - cells for _, cells in raw.short_rows) - len(missing))
    for row, cells in raw.long_rows[:PROBLEMS_PER_CHECK]:
        problems.append(Problem(file, row, None, "extra-cell", f"row has {cells} cell(s), the header {len(raw.header)}"))
    problems += omitted(file, None, "extra-cell", len(raw.long_rows) - PROBLEMS_PER_CHECK)
    if raw.frame.height == 0:
        problems.append(Problem(file, None, None, "empty-table", "table has a header but no data rows"))
    elif raw.frame.width:
        # The table's own columns: `pl.all()` would also take the row index problems_from_mask
        # adds, which is never null (so no row was ever found blank before issue #15).
        blank = pl.all_horizontal(pl.col(raw.frame.columns).is_null())
        if raw.short_rows:  # a short row is reported as such, not as blank
            blank = blank & ~pl.int_range(pl.len()).is_in([row - 2 for row, _ in raw.short_rows])
        problems += problems_from_mask(file, raw.frame, blank, None, "blank-row", pl.lit("row is blank"))
    return problems


def check_required(file: str, raw: RawTable, fields: list[dict]) -> list[Problem]:
    """Return the empty cells of required fields, except the cells a short row lacks (those
    are `missing-cell`s)."""
    problems = []
    for spec in fields:
        name = spec["name"]
        if not spec.get("constraints", {}).get("required") or name not in raw.frame.columns:
            continue
        if not raw.frame.get_column(name).null_count():
            continue
        position = raw.frame.columns.index(name)
        bad = pl.col(name).is_null()
        padded = [row - 2 for row, cells in raw.short_rows if cells <= position]
        if padded:
            bad = bad & ~pl.int_range(pl.len()).is_in(padded)
        problems += problems_from_mask(file, raw.frame, bad, name, "required", pl.lit("is required but empty"))
    return problems


def check_cells(
    file: str, raw: pl.DataFrame, typed: pl.DataFrame, schema: dict,
    markup: tuple[bool, bool] = (True, True),
) -> tuple[list[Problem], pl.DataFrame]:
    """Return every cell that breaks its field's type, constraints or the text checks
    (vectorised), and the typed frame with those cells set to null, so that the domain rules
    judge only values that are what the schema says they are (`required` is `check_required`'s).

    All checks are evaluated in one pass over the table; only the checks that found something
    are then filtered for their rows and messages. `markup` says whether the file can hold a
    tag and a script URL at all (`may_hold_markup`): a pattern it cannot hold is not run."""
    fields = schema.get("fields", [])
    prefix = typed_prefix(raw.columns)
    checks: list[tuple[str, str, pl.Expr, pl.Expr]] = []  # (field, check, bad, message)
    patterns: dict[int, str] = {}  # check (index) -> the regex it is, when bad = the text matches it
    for spec in fields:
        name = spec["name"]
        if name not in raw.columns:
            continue
        text, value, shown = pl.col(name), pl.col(f"{prefix}{name}"), value_text(name)
        constraints = spec.get("constraints", {})
        kind = spec.get("type", "string")

        def add(bad: pl.Expr, check: str, message: pl.Expr, name: str = name, pattern: str | None = None) -> None:
            if pattern is not None:
                patterns[len(checks)] = pattern
                bad = pl.col(name).str.contains(pattern)
            checks.append((name, check, bad, message))

        if kind != "string":
            add(text.is_not_null() & value.is_null(), "type",
                pl.format("is not a valid {} (got {})", pl.lit(kind), shown))
            add(None, "whitespace", pl.format("has a space before or after the value (got {}): write the value alone",
                                              shown), pattern=WHITESPACE)
        if "enum" in constraints:
            allowed = [str(v) for v in constraints["enum"]]
            add(text.is_not_null() & ~text.is_in(allowed), "enum",
                pl.format("must be one of {} (got {})", pl.lit(", ".join(allowed)), shown))
        if "pattern" in constraints:
            pattern = f"^(?:{constraints['pattern']})$"
            add(text.is_not_null() & ~text.str.contains(pattern), "pattern",
                pl.format("does not match {} (got {})", pl.lit(constraints["pattern"]), shown))
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
            add(None, "formula", pl.format("starts like a spreadsheet formula (got {}): CSV injection risk", shown),
                pattern=FORMULA_PATTERN)
            markups = [p for p, may in zip((MARKUP_TAG, MARKUP_SCRIPT_URL), markup, strict=True) if may]
            add(None, "markup", pl.format("contains HTML or script markup (got {})", shown),
                pattern=either([*markups, MARKUP_REFERENCE]))
            add(None, "control-character", pl.format("contains a control character (got {})", shown), pattern=CONTROL)
            add(None, "invisible-character",
                pl.format("contains an invisible or direction-changing character (got {})", shown), pattern=INVISIBLE)
        if constraints.get("unique") and [name] != primary_key(schema):
            add(text.is_not_null() & text.is_duplicated() & ~text.is_first_distinct(), "unique",
                pl.format("must be unique (got {} more than once)", shown))
    if not checks:
        return [], typed
    frame = pl.concat([raw, typed.rename(lambda c: f"{prefix}{c}")], how="horizontal")
    kinds = {f["name"]: f.get("type", "string") for f in fields}
    found = checks_that_find_something(frame, checks, kinds, prefix, patterns)
    problems: list[Problem] = []
    failed: dict[str, list[pl.Expr]] = {}
    for (name, check, bad, message), hit in zip(checks, found, strict=True):
        if hit:
            problems += problems_from_mask(file, frame, bad, name, check, message)
            failed.setdefault(name, []).append(bad.fill_null(False))
    failed = {name: bads for name, bads in failed.items() if name in typed.columns}
    if failed:
        typed = typed.with_columns(frame.select(
            pl.when(pl.any_horizontal(bads)).then(None).otherwise(pl.col(f"{prefix}{name}")).alias(name)
            for name, bads in failed.items()
        ).get_columns())
    return problems, typed


def either(patterns: list[str]) -> str:
    """Return the regex matching where any of `patterns` matches (inline flags stay in their group)."""
    return patterns[0] if len(patterns) == 1 else "|".join(f"(?:{p})" for p in patterns)


def typed_prefix(columns: list[str]) -> str:
    """Return a prefix for the typed columns that makes no name of `columns`."""
    prefix = "_typed_"
    while any(column.startswith(prefix) for column in columns):
        prefix += "_"
    return prefix


DISTINCT_SAMPLE = 4096  # rows sampled to guess whether a column has few distinct values


def checks_that_find_something(
    frame: pl.DataFrame, checks: list[tuple[str, str, pl.Expr, pl.Expr]], kinds: dict[str, str], prefix: str,
    patterns: dict[int, str] | None = None,
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
        # The regex checks of a column first as one regex (one pass over its cells instead of
        # one per check); only when it matches somewhere, each of them.
        patterns = patterns or {}
        grouped: dict[str, list[int]] = {}
        for index in row_by_row:
            if index in patterns:
                grouped.setdefault(checks[index][0], []).append(index)
        grouped = {name: indices for name, indices in grouped.items() if len(indices) > 1}
        alone = [i for i in row_by_row if not any(i in indices for indices in grouped.values())]
        hits = frame.select(
            *(checks[i][2].fill_null(False).any().alias(str(i)) for i in alone),
            *(pl.col(name).str.contains(either([patterns[i] for i in indices])).fill_null(False).any()
              .alias(f"any of {n}") for n, (name, indices) in enumerate(grouped.items())),
        ).row(0)
        for index, hit in zip(alone, hits, strict=False):
            found[index] = hit
        again = [i for indices, hit in zip(grouped.values(), hits[len(alone):], strict=True) if hit for i in indices]
        if again:
            hits = frame.select(checks[i][2].fill_null(False).any().alias(str(i)) for i in again).row(0)
            for index, hit in zip(again, hits, strict=True):
                found[index] = hit
    if by_column:
        # A string field's checks read its text only; the others' read the typed value too.
        pairs = {name: kinds.get(name, "string") != "string" for name in by_column}
        distinct = frame.select(
            (pl.struct(name, f"{prefix}{name}") if pair else pl.col(name)).unique().implode().alias(name)
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


def check_cells_and_key(
    file: str, frame: pl.DataFrame, resource: dict, markup: Callable[[], tuple[bool, bool]]
) -> tuple[pl.DataFrame, list[Problem], list[Problem]]:
    """Return the typed frame (failed cells null), the cell problems and the primary-key
    problems of one table's cells; `markup()` gives what `may_hold_markup` says."""
    fields = resource.get("schema", {}).get("fields", [])
    present = [f for f in fields if f["name"] in frame.columns]
    typed = frame.select([cast_expression(f) for f in present])
    cell_problems, typed = check_cells(file, frame, typed, resource.get("schema", {}), markup())
    return typed, cell_problems, check_primary_key(file, frame, resource.get("schema", {}))
