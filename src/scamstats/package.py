"""Reading `datapackage.json` and its CSVs into polars frames. The only reader of the package.

Two layers: `read_header` and `read_cells` give every cell as text (what validation checks,
after the byte scans of `scamstats.validation.scan`), and `cast_table` turns text into the
types the Table Schema declares (what statistics use). `load_package` reads a package that is
assumed valid: text, then types, and no scan that only validation needs.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import mmap
import os
import re
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

import polars as pl

from scamstats.paths import DESCRIPTOR_NAME, PACKAGE_DIR

INTEGER_PATTERN = r"^[+-]?\d+$"
NUMBER_PATTERN = r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$"
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"


class UnusableInput(Exception):
    """The input cannot be read at all (missing file, not JSON, not UTF-8, not CSV)."""

    def __init__(self, file: str, message: str, check: str = "unusable") -> None:
        super().__init__(f"{file}: {message}")
        self.file = file
        self.message = message
        self.check = check


@dataclass(frozen=True)
class Package:
    """A loaded data package: its descriptor and one typed polars frame per resource."""

    descriptor: dict
    tables: dict[str, pl.DataFrame]
    directory: Path

    @property
    def version(self) -> str:
        return str(self.descriptor.get("version", ""))

    def resource(self, name: str) -> dict:
        return next(r for r in self.descriptor["resources"] if r.get("name") == name)

    def with_tables(self, **tables: pl.DataFrame) -> Package:
        """Return a copy of the package with some tables replaced (a filtered view).

        The descriptor and directory stay those of the package read from disk, so a
        citation of the view still names the version it came from.
        """
        unknown = sorted(set(tables) - set(self.tables))
        if unknown:
            raise KeyError(f"no such resource: {', '.join(unknown)}")
        return replace(self, tables={**self.tables, **tables})

    def filtered(self, name: str, condition: pl.Expr) -> Package:
        """Return a copy of the package in which table `name` keeps only rows meeting `condition`."""
        return self.with_tables(**{name: self.tables[name].filter(condition)})


def read_descriptor(package_dir: Path = PACKAGE_DIR) -> dict:
    """Return the parsed `datapackage.json` of a package folder (or of a descriptor path)."""
    path = descriptor_path(package_dir)
    if not path.is_file():
        raise UnusableInput(str(path), "descriptor not found", "missing-file")
    try:
        descriptor = json.loads(path.read_bytes().decode("utf-8"))
    except UnicodeDecodeError:
        raise UnusableInput(DESCRIPTOR_NAME, "descriptor is not UTF-8", "encoding") from None
    except json.JSONDecodeError as error:
        raise UnusableInput(
            DESCRIPTOR_NAME, f"not valid JSON (line {error.lineno}: {error.msg})", "json"
        ) from None
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources"), list):
        raise UnusableInput(DESCRIPTOR_NAME, "descriptor has no 'resources' list", "descriptor")
    return descriptor


def descriptor_path(package: Path) -> Path:
    """Return the descriptor's path given a package folder or the descriptor itself."""
    package = Path(package)
    return package if package.suffix == ".json" else package / DESCRIPTOR_NAME


def resource_file(package_dir: Path, resource: dict) -> Path:
    """Return the resource's file, refusing paths that are absolute or leave the package."""
    path = resource.get("path")
    if not isinstance(path, str) or not path:
        raise UnusableInput(DESCRIPTOR_NAME, f"resource {resource.get('name')!r} has no path", "path")
    posix = PurePosixPath(path)
    if posix.is_absolute() or "\\" in path or ":" in path.split("/")[0] or ".." in posix.parts:
        raise UnusableInput(
            DESCRIPTOR_NAME,
            f"resource {resource.get('name')!r} path {path!r} is absolute or leaves the package",
            "path",
        )
    root = Path(package_dir).resolve()
    full = (root / posix).resolve()
    if root not in full.parents:
        raise UnusableInput(DESCRIPTOR_NAME, f"resource path {path!r} leaves the package", "path")
    return full


MAPPED_FILE_BYTES = 1 << 20  # files at least this large are memory-mapped, not copied


def read_file(path: Path) -> bytes | mmap.mmap:
    """Return a file's bytes: a read-only memory map for a large file (no copy), else bytes."""
    with open(path, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        if size < MAPPED_FILE_BYTES:
            return handle.read()
        if not hasattr(mmap, "MAP_POPULATE"):  # not Linux
            return mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        # Populated at once: much cheaper than one page fault per 4 KiB on first touch.
        return mmap.mmap(handle.fileno(), 0, flags=mmap.MAP_SHARED | mmap.MAP_POPULATE, prot=mmap.PROT_READ)


def decode_csv_bytes(name: str, data: bytes) -> str:
    """Return the text of a CSV file, or raise UnusableInput naming the first bad byte."""
    if not re.search(rb"\S", data[:65536]) and not data.strip():
        raise UnusableInput(name, "file is empty (no header row)", "empty-file")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise UnusableInput(
            name, f"not UTF-8: byte 0x{data[error.start]:02x} at line {line}", "encoding"
        ) from None


def read_header(name: str, data: bytes | mmap.mmap) -> tuple[list[str], bool]:
    """Return a CSV's header as written and whether the file starts with a UTF-8 byte-order
    mark; raise UnusableInput when the file is empty or its first line is not a CSV header."""
    if not re.search(rb"\S", data[:65536]) and not re.search(rb"\S", data):
        raise UnusableInput(name, "file is empty (no header row)", "empty-file")
    has_bom = data[:3] == b"\xef\xbb\xbf"
    start = 3 if has_bom else 0
    newline = data.find(b"\n", start)
    first_line = data[start:newline] if newline != -1 else data[start:]
    try:
        header_text = first_line.decode("utf-8")
    except UnicodeDecodeError:
        decode_csv_bytes(name, bytes(data))  # raises, naming the line of the first bad byte
        raise
    try:
        header = next(csv.reader(io.StringIO(header_text.rstrip("\r"), newline=""), strict=True), [])
    except csv.Error as error:
        raise UnusableInput(name, f"first line is not a CSV header: {error}", "header") from None
    if not any(h.strip() for h in header):
        raise UnusableInput(name, "first line is not a CSV header", "header")
    return header, has_bom


def read_cells(
    name: str, data: bytes | mmap.mmap, body: bytes | mmap.mmap, header: list[str], source: Path | None = None
) -> tuple[pl.DataFrame, list[tuple[int, int]], list[tuple[int, int]]]:
    """Return a CSV's cells as text under the header's names (empty cells null), and the
    (row number, cells) of its short and long rows when the csv module had to read it.

    `body` is `data` after any byte-order mark; with `source`, the path of those same bytes
    (no mark), polars reads the file itself, in parallel and without a copy. When polars reads
    the file, both lists are empty: it pads short rows with nulls, and only validation needs
    to count them (`scamstats.validation.scan`)."""
    short_rows: list[tuple[int, int]] = []
    long_rows: list[tuple[int, int]] = []
    repeated = sorted({column for column in header if header.count(column) > 1})
    if repeated:
        shown = ", ".join(repr(column) for column in repeated)
        raise UnusableInput(name, f"the header names a column more than once ({shown})", "duplicate-header")
    try:
        if source is not None and len(body) == len(data):  # (no byte-order mark to skip)
            frame = pl.read_csv(source, infer_schema=False, has_header=True, raise_if_empty=True, glob=False)
        else:
            frame = pl.read_csv(bytes(body), infer_schema=False, has_header=True, raise_if_empty=True)
    except pl.exceptions.ComputeError:
        # Broken quoting or rows with extra cells: the csv module reads the file row by row,
        # says which rows are off, and builds the frame (the slow path, for broken files only).
        frame, short_rows, long_rows = read_rows_with_csv_module(
            name, decode_csv_bytes(name, bytes(data)).removeprefix("\ufeff"), header
        )
    frame = frame.rename(dict(zip(frame.columns, header, strict=False)), strict=False)
    # Empty cells are missing: polars reads most as null already, but not a quoted "" (and the
    # csv module none), so only the columns that hold an empty string are rewritten.
    has_empty = frame.select((pl.all().str.len_bytes() == 0).any()).row(0)
    frame = frame.with_columns(
        pl.when(pl.col(name) == "").then(None).otherwise(pl.col(name)).alias(name)
        for name, empty in zip(frame.columns, has_empty, strict=True) if empty
    )
    return frame, short_rows, long_rows


def read_rows_with_csv_module(
    name: str, text: str, header: list[str]
) -> tuple[pl.DataFrame, list[tuple[int, int]], list[tuple[int, int]]]:
    """Return a CSV read with the csv module: the cells as a string frame (short rows padded,
    long rows cut), and (row number, cells) of the short and of the long rows."""
    width = len(header)
    short_rows, long_rows, records = [], [], []
    try:
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        next(reader, None)
        for number, row in enumerate(reader, start=2):
            if 0 < len(row) < width:
                short_rows.append((number, len(row)))
            elif len(row) > width:
                long_rows.append((number, len(row)))
            records.append((row + [""] * width)[:width])
    except csv.Error as error:
        raise UnusableInput(name, f"not valid CSV: {error}", "csv") from None
    columns = [f"column_{i}" for i in range(width)]
    frame = pl.DataFrame(records, schema=dict.fromkeys(columns, pl.String), orient="row")
    return frame, short_rows, long_rows


def read_text_frame(name: str, data: bytes) -> pl.DataFrame:
    """Return a CSV's cells as text under its header's names, empty cells null.

    The reader's read: no count of cells per row, no scan of line ends (validation's work)."""
    header, has_bom = read_header(name, data)
    frame, _, _ = read_cells(name, data, data[3:] if has_bom else data, header)
    return frame


def cast_expression(field: dict) -> pl.Expr:
    """Return an expression casting a text column to its Table Schema type (null if it fails)."""
    name, kind = field["name"], field.get("type", "string")
    column = pl.col(name).str.strip_chars()
    if kind == "integer":
        return (
            pl.when(column.str.contains(INTEGER_PATTERN))
            .then(column.str.strip_prefix("+").cast(pl.Int64, strict=False))
            .alias(name)
        )
    if kind == "number":
        return (
            pl.when(column.str.contains(NUMBER_PATTERN))
            .then(column.cast(pl.Float64, strict=False))
            .alias(name)
        )
    if kind == "date":
        return (
            pl.when(column.str.contains(DATE_PATTERN))
            .then(column.str.to_date("%Y-%m-%d", strict=False))
            .alias(name)
        )
    if kind == "boolean":
        return column.str.to_lowercase().replace_strict(
            {"true": True, "false": False}, default=None, return_dtype=pl.Boolean
        ).alias(name)
    return pl.col(name)


def cast_table(raw: pl.DataFrame, fields: list[dict]) -> pl.DataFrame:
    """Return the frame with each declared column cast to its type; unknown columns dropped."""
    present = [f for f in fields if f["name"] in raw.columns]
    return raw.select([cast_expression(f) for f in present])


def load_package(package_dir: Path = PACKAGE_DIR) -> Package:
    """Return the package's descriptor and a typed frame per resource (assumes it is valid)."""
    package_dir = descriptor_path(package_dir).parent
    descriptor = read_descriptor(package_dir)
    tables = {}
    for resource in descriptor["resources"]:
        path = resource_file(package_dir, resource)
        text = read_text_frame(resource["path"], path.read_bytes())
        tables[resource["name"]] = cast_table(text, resource["schema"]["fields"])
    return Package(descriptor, tables, package_dir)


def rehash(package_dir: Path = PACKAGE_DIR) -> list[tuple[str, int, str]]:
    """Update each resource's `bytes` and `hash` in the descriptor; return (path, bytes, hash).

    The only function that writes into the package folder; it writes the descriptor alone,
    whole or not at all (a temporary file renamed over it)."""
    path = descriptor_path(package_dir)
    descriptor = read_descriptor(path.parent)
    changes = []
    for resource in descriptor["resources"]:
        data = resource_file(path.parent, resource).read_bytes()
        resource["bytes"] = len(data)
        resource["hash"] = "sha256:" + hashlib.sha256(data).hexdigest()
        changes.append((resource["path"], resource["bytes"], resource["hash"]))
    temporary = path.with_suffix(".json.tmp")
    temporary.write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    temporary.replace(path)
    return changes
