"""The edits the fixtures are made of: each returns a mutation, a function that breaks one
thing in a copy of the valid package (`tests/data/make_fixtures.py` applies them)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

ARRESTS = "data/arrests.csv"
RAIDS = "data/raids.csv"
COMPOUNDS = "data/compounds.csv"
TIMELINE = "data/timeline.csv"
SOURCES = "data/sources.csv"


def read_rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))


def write_rows(path: Path, rows: list[list[str]]) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def set_cell(file: str, row: int, field: str, value: str):
    """Mutation: set one cell (row numbered with the header as row 1)."""
    def mutate(package: Path) -> None:
        rows = read_rows(package / file)
        rows[row - 1][rows[0].index(field)] = value
        write_rows(package / file, rows)
    return mutate


def set_cells(file: str, row: int, values: dict[str, str]):
    """Mutation: set several cells of one row."""
    def mutate(package: Path) -> None:
        rows = read_rows(package / file)
        for field, value in values.items():
            rows[row - 1][rows[0].index(field)] = value
        write_rows(package / file, rows)
    return mutate


def append_row(file: str, values: dict[str, str], like_row: int):
    """Mutation: append a copy of `like_row` with some cells changed."""
    def mutate(package: Path) -> None:
        rows = read_rows(package / file)
        new = list(rows[like_row - 1])
        for field, value in values.items():
            new[rows[0].index(field)] = value
        write_rows(package / file, [*rows, new])
    return mutate


def in_turn(*mutations):
    """Mutation: several mutations, one after the other."""
    def mutate(package: Path) -> None:
        for step in mutations:
            step(package)
    return mutate


def edit_text(file: str, edit):
    def mutate(package: Path) -> None:
        path = package / file
        path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    return mutate


def edit_bytes(file: str, edit):
    def mutate(package: Path) -> None:
        path = package / file
        path.write_bytes(edit(path.read_bytes()))
    return mutate


def edit_descriptor(edit):
    def mutate(package: Path) -> None:
        path = package / "datapackage.json"
        descriptor = json.loads(path.read_text(encoding="utf-8"))
        edit(descriptor)
        path.write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return mutate


def resource(descriptor: dict, name: str) -> dict:
    return next(r for r in descriptor["resources"] if r["name"] == name)


def drop_column(file: str, field: str):
    def mutate(package: Path) -> None:
        rows = read_rows(package / file)
        index = rows[0].index(field)
        write_rows(package / file, [r[:index] + r[index + 1:] for r in rows])
    return mutate


def add_column(file: str, field: str):
    def mutate(package: Path) -> None:
        rows = read_rows(package / file)
        write_rows(package / file, [rows[0] + [field]] + [r + ["x"] for r in rows[1:]])
    return mutate


def set_path(name: str, path: str):
    return edit_descriptor(lambda d: resource(d, name).update(path=path))


def set_field_type(name: str, field: str, kind: str):
    def edit(descriptor: dict) -> None:
        for spec in resource(descriptor, name)["schema"]["fields"]:
            if spec["name"] == field:
                spec["type"] = kind
    return edit_descriptor(edit)
