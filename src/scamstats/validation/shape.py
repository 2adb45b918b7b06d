"""Checking that the descriptor has the shape the row checks rely on, before a row is read.

The Table Schema gives each part a type: a schema is an object, its fields objects with a
name, `minimum` a number (not "0"), `pattern` a regular expression, `primaryKey` field names.
A descriptor that breaks one is invalid (exit code 1) and its problems are the whole report,
as frictionless's are: rows cannot be checked against a schema that is itself broken.
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

from scamstats.validation.report import Problem

NUMBER_KINDS = ("integer", "number")


def is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def is_names(value: object) -> bool:
    """A field name or a non-empty array of them."""
    return isinstance(value, str) or (isinstance(value, list) and bool(value) and all(isinstance(v, str) for v in value))


# constraint: (test of its value, what it must be, the field types it applies to (None: all))
CONSTRAINTS: dict[str, tuple[Callable[[object], bool], str, tuple[str, ...] | None]] = {
    "required": (lambda v: isinstance(v, bool), "true or false", None),
    "unique": (lambda v: isinstance(v, bool), "true or false", None),
    "enum": (lambda v: isinstance(v, list), "an array", None),
    "pattern": (lambda v: isinstance(v, str), "a string", None),
    "minLength": (is_count, "a whole number, 0 or more", None),
    "maxLength": (is_count, "a whole number, 0 or more", None),
    "minimum": (is_number, "a number", NUMBER_KINDS),
    "maximum": (is_number, "a number", NUMBER_KINDS),
}


def json_kind(value: object) -> str:
    if value is None:
        return "null"
    return {bool: "true or false", str: "a string", list: "an array", dict: "an object"}.get(
        type(value), "a number" if is_number(value) else type(value).__name__)


def shape_problems(descriptor: dict, shown: str) -> list[Problem]:
    """Return what in the descriptor's resources the row checks could not use, one problem each."""
    problems: list[Problem] = []

    def say(where: str, message: str) -> None:
        problems.append(Problem(shown, None, None, "descriptor", f"{where}: {message}"))

    for position, resource in enumerate(descriptor["resources"], start=1):
        if not isinstance(resource, dict):
            say(f"resource {position}", f"is {json_kind(resource)}, not an object")
            continue
        name = resource.get("name")
        where = f"resource {name!r}" if isinstance(name, str) else f"resource {position}"
        schema = resource.get("schema", {})
        if not isinstance(schema, dict):
            say(where, f"schema is {json_kind(schema)}, not an object")
            continue
        fields = schema.get("fields", [])
        if not isinstance(fields, list):
            say(where, f"schema fields is {json_kind(fields)}, not an array")
            continue
        names: list[str] = []
        for index, spec in enumerate(fields, start=1):
            field_shape(say, where, index, spec, names)
        key_shape(say, where, schema, names)
    return problems


def field_shape(say: Callable[[str, str], None], where: str, index: int, spec: object, names: list[str]) -> None:
    if not isinstance(spec, dict) or not isinstance(spec.get("name"), str):
        say(f"{where} field {index}", "is not an object with a name (a string)")
        return
    name = spec["name"]
    here = f"{where} field {name!r}"
    if name in names:
        say(here, "appears twice in the schema")
    names.append(name)
    kind = spec.get("type", "string")
    if not isinstance(kind, str):
        say(here, f"type is {json_kind(kind)}, not a string")
        return
    constraints = spec.get("constraints", {})
    if not isinstance(constraints, dict):
        say(here, f"constraints is {json_kind(constraints)}, not an object")
        return
    for key, (test, wanted, kinds) in CONSTRAINTS.items():
        if key in constraints and (kinds is None or kind in kinds) and not test(constraints[key]):
            value = constraints[key]
            shown = repr(value) if len(repr(value)) <= 40 else repr(value)[:37] + "..."
            say(here, f"constraint {key} must be {wanted}, not {json_kind(value)} ({shown})")
    if isinstance(constraints.get("pattern"), str):
        reason = regex_error(constraints["pattern"])
        if reason:
            say(here, f"constraint pattern is not a regular expression scamstats can run ({reason})")


def regex_error(pattern: str) -> str | None:
    """Return why polars (Rust's regex engine) cannot run `pattern` as a whole-cell match, or None."""
    try:
        empty = pl.lit("", pl.String)
        pl.select(empty.str.contains(pattern).alias("alone"), empty.str.contains(f"^(?:{pattern})$").alias("whole"))
    except (pl.exceptions.PolarsError, pl.exceptions.PanicException) as error:
        lines = [line.strip() for line in str(error).splitlines()]
        return next((line.removeprefix("error: ") for line in lines if line.startswith("error:")), lines[0] if lines else "")
    return None


def key_shape(say: Callable[[str, str], None], where: str, schema: dict, names: list[str]) -> None:
    if "primaryKey" in schema and not is_names(schema["primaryKey"]):
        say(where, "primaryKey must be a field name or an array of field names")
    foreign_keys = schema.get("foreignKeys", [])
    if not isinstance(foreign_keys, list):
        say(where, f"foreignKeys is {json_kind(foreign_keys)}, not an array")
        return
    for index, foreign in enumerate(foreign_keys, start=1):
        here = f"{where} foreign key {index}"
        reference = foreign.get("reference") if isinstance(foreign, dict) else None
        if not isinstance(reference, dict) or not is_names(foreign.get("fields")) or not is_names(reference.get("fields")):
            say(here, "must be an object with fields and a reference (an object with fields)")
            continue
        if not isinstance(reference.get("resource", ""), str):
            say(here, "reference resource must be a resource name (a string)")
        mine, theirs = foreign["fields"], reference["fields"]
        if (len(mine) if isinstance(mine, list) else 1) != (len(theirs) if isinstance(theirs, list) else 1):
            say(here, "fields and reference fields must be as many")
