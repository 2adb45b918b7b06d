"""Reading `datapackage.json` and its CSVs into polars frames. The only reader of the package.

Two layers: `read_header` and `read_cells` (`scamstats.csvfile`) give every cell as text (what
validation checks, after the byte scans of `scamstats.validation.scan`), and `cast_table` turns
text into the types the Table Schema declares (what statistics use). `load_package` reads a
package that is assumed valid: text, then types, and no scan that only validation needs.
What may be read, and how much, is `scamstats.inputs`'s.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

import polars as pl

from scamstats.csvfile import read_cells, read_header, with_lf_line_ends
from scamstats.inputs import (
    MAPPED_FILE_BYTES,
    MAX_CELLS,
    MAX_CSV_BYTES,
    MAX_JSON_BYTES,
    UnusableInput,
    cannot_read,
    descriptor_path,
    package_file,
    parse_json,
    read_regular,
    with_references_read,
)
from scamstats.paths import DESCRIPTOR_NAME, PACKAGE_DIR

__all__ = ["MAPPED_FILE_BYTES", "Package", "UnusableInput", "descriptor_path", "load_package", "read_descriptor",
           "rehash", "resource_file"]

INTEGER_PATTERN = r"^[+-]?\d+$"
NUMBER_PATTERN = r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$"
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"


@dataclass(frozen=True)
class Package:
    """A loaded data package: its descriptor and one typed polars frame per resource."""

    descriptor: dict
    tables: dict[str, pl.DataFrame]
    directory: Path
    descriptor_file: Path | None = None  # the descriptor read (default: the folder's datapackage.json)

    @property
    def descriptor_location(self) -> Path:
        """Return the path of the descriptor this package was read from."""
        return self.descriptor_file or self.directory / DESCRIPTOR_NAME

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


def read_descriptor(package: Path = PACKAGE_DIR) -> dict:
    """Return the parsed descriptor of a package folder (its `datapackage.json`), or of the
    descriptor file named, whatever its name: the file named is the file read."""
    path = descriptor_path(package)
    try:
        os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        raise UnusableInput(str(path), "descriptor not found", "missing-file") from None
    except OSError as error:
        raise cannot_read(str(path), "descriptor", error) from None
    descriptor = parse_json(read_regular(path, str(path), "descriptor", MAX_JSON_BYTES), path.name)
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources"), list):
        raise UnusableInput(path.name, "descriptor has no 'resources' list", "descriptor")
    return descriptor


def resource_file(package_dir: Path, resource: dict, shown: str = DESCRIPTOR_NAME) -> Path:
    """Return the resource's file, refusing paths that are absolute or leave the package
    (`shown` is the descriptor's name, for the message)."""
    return package_file(package_dir, resource.get("path"), f"resource {resource.get('name')!r}", shown)


def read_text_frame(name: str, data: bytes, max_cells: int = MAX_CELLS) -> pl.DataFrame:
    """Return a CSV's cells as text under its header's names, empty cells null.

    The reader's read: no count of cells per row, no scan of line ends (validation's work)."""
    data, _ = with_lf_line_ends(data)
    header, has_bom = read_header(name, data)
    frame, _, _ = read_cells(name, data, data[3:] if has_bom else data, header, max_cells=max_cells)
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


def load_package(package: Path = PACKAGE_DIR) -> Package:
    """Return the package's descriptor and a typed frame per resource (assumes it is valid;
    raises UnusableInput when it cannot be read, or its schemas cannot be applied)."""
    from scamstats.validation.shape import shape_problems

    path = descriptor_path(package)
    descriptor = with_references_read(read_descriptor(path), path)
    problems = shape_problems(descriptor, path.name)
    if problems:
        raise UnusableInput(path.name, f"{problems[0].message}: run `scamstats validate`", "descriptor")
    tables = {}
    bytes_left, cells_left = MAX_CSV_BYTES, MAX_CELLS
    for resource in descriptor["resources"]:
        full = resource_file(path.parent, resource, path.name)
        data = read_regular(full, resource["path"], "file", bytes_left)
        text = read_text_frame(resource["path"], data, cells_left)
        bytes_left, cells_left = bytes_left - len(data), cells_left - text.height * text.width
        tables[resource.get("name")] = cast_table(text, resource.get("schema", {}).get("fields", []))
    return Package(descriptor, tables, path.parent, path)


def rehash(package: Path = PACKAGE_DIR) -> list[tuple[str, int, str]]:
    """Update each resource's `bytes` and `hash` in the descriptor named (or the folder's
    `datapackage.json`); return (path, bytes, hash) per resource. See `scamstats.rehash`."""
    from scamstats.rehash import rehash_descriptor

    return rehash_descriptor(descriptor_path(package))
