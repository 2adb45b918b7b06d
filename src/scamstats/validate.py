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

This module is the entry point (`validate_package`) and the order of the steps; the steps are
in `scamstats.validation`: `shape` (the parts of the descriptor the row checks rely on), `scan`
(reading a CSV with the byte scans validation needs), `tables` (the Table Schema), `text` (what
a cell may not hold although its type allows it), `domain` (the rules of `schemas.py`),
`descriptor` (the profile, bytes and hashes), `report` (`Problem`, `Report`, terminal-safe and
capped) and `background` (the threads). What is read, and how much, is `scamstats.inputs`'s:
the descriptor named (a folder's `datapackage.json` otherwise), schemas given by path, regular
files only, within the limits.
"""

from __future__ import annotations

import datetime as dt
import mmap
import os
from pathlib import Path

import polars as pl

from scamstats.inputs import MAX_CELLS, MAX_CSV_BYTES, read_regular, size_text, with_references_read
from scamstats.package import (
    MAPPED_FILE_BYTES,
    UnusableInput,
    descriptor_path,
    read_descriptor,
    resource_file,
)
from scamstats.rules import RuleContext
from scamstats.validation.background import Background
from scamstats.validation.descriptor import check_descriptor, check_hash, sha256
from scamstats.validation.domain import check_domain
from scamstats.validation.report import Problem, Report, capped
from scamstats.validation.scan import read_raw_cells, with_cell_counts
from scamstats.validation.shape import shape_problems
from scamstats.validation.tables import (
    check_cells_and_key,
    check_foreign_keys,
    check_header,
    check_required,
    check_structure,
)
from scamstats.validation.text import may_hold_markup


def validate_package(package: Path, today: dt.date | None = None) -> Report:
    """Return the report of every problem in the package at `package`: a folder (its
    `datapackage.json`) or the descriptor file named, whatever its name."""
    report = find_problems(descriptor_path(package), today or dt.date.today())
    report.problems = capped(report.problems)
    return report


def find_problems(path: Path, today: dt.date) -> Report:
    """Return every problem of the package whose descriptor is at `path` (none left out)."""
    report = Report()
    shown = path.name
    try:
        descriptor = with_references_read(read_descriptor(path), path)
    except UnusableInput as error:
        report.problems.append(Problem(error.file, None, None, error.check, error.message))
        report.unusable = True
        return report
    # Unsafe paths first, in our words: nothing outside the package is ever opened.
    for resource in descriptor["resources"]:
        try:
            resource_file(path.parent, resource if isinstance(resource, dict) else {}, shown)
        except UnusableInput as error:
            report.problems.append(Problem(error.file, None, None, error.check, error.message))
            report.unusable = True
    if report.unusable:
        return report
    # What the row checks rely on (a schema that is an object, a minimum that is a number...).
    report.problems += shape_problems(descriptor, shown)
    if report.problems:
        return report
    # frictionless (its import alone takes a third of a second) checks the descriptor in a
    # thread while the rows are read and checked; its problems, if any, are the whole report,
    # as before: rows cannot be checked against a schema that is itself broken.
    described = Background(check_descriptor, descriptor, shown, begin=False)
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
    bytes_left, cells_left = MAX_CSV_BYTES, MAX_CELLS
    for resource in resources:
        stop_if_descriptor_invalid()
        name = str(resource.get("name"))
        file = str(resource.get("path"))
        try:
            full = resource_file(path.parent, resource, path.name)
            data = read_csv_file(full, file, bytes_left)
            bytes_left -= len(data)
            large = len(data) >= MAPPED_FILE_BYTES
            # A large file is hashed later, in a thread (see below); hashes are compared at the
            # end, which does not change the report (it is sorted).
            hashing.append((file, resource, data, Background(sha256, data, begin=False)
                            if large and "hash" in resource else None))
            if large:
                described.begin()  # frictionless (Python) beside polars' parse (no GIL)
            table, count = read_raw_cells(file, data, source=full, max_cells=cells_left)
            cells_left -= table.frame.height * len(table.header)
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
        report.problems += cell_problems + check_required(file, raw, fields) + key_problems
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
        report.problems += check_hash(file, resource, data, digest and digest.result(), path.name)
    report.problems.sort(key=lambda p: (p.file, p.row or 0, p.field or "", p.check))


def read_csv_file(full: Path, file: str, bytes_left: int) -> bytes | mmap.mmap:
    """Return a resource's bytes (a memory map of a large file), refused before it is read when
    it is not a regular file or would take the package over `MAX_CSV_BYTES` of CSV."""
    try:
        size = os.stat(full).st_size
    except OSError:
        size = 0  # said below, by read_regular
    if bytes_left < size <= MAX_CSV_BYTES:
        raise UnusableInput(file, f"with this file ({size:,} bytes) the package's CSV files would hold more than "
                                  f"the {size_text(MAX_CSV_BYTES)} scamstats reads: refused before reading it",
                            "too-large")
    try:
        return read_regular(full, file, "file", MAX_CSV_BYTES, mapped=True)
    except UnusableInput as error:
        if error.check == "missing-file":
            raise UnusableInput(file, "file not found (named in the descriptor)", "missing-file") from None
        raise
