"""The fixtures of issue #15: input built to break the tools rather than the data rules.

Each case as in `make_fixtures.CASES`: (mutation, rehash afterwards, exit code, [[file, row,
field, check], ...]), with a fifth item when the descriptor validated is not the folder's
`datapackage.json` (the file named on the command line). Files that cannot live in git (a FIFO,
an unreadable file, a 2 GB sparse CSV) are made by the tests themselves (`tests/test_hardening*.py`).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from fixture_edits import (
    ARRESTS,
    COMPOUNDS,
    SOURCES,
    TIMELINE,
    edit_bytes,
    edit_descriptor,
    edit_text,
    in_turn,
    resource,
    set_cell,
)

from scamstats.package import rehash

KHMER_WITH_JOINERS = "\u1781\u17d2\u200b\u1798\u17c2\u200c\u179a"  # Khmer with a zero-width space and ZWNJ
DEPTH = 100_000  # deeper than Python's recursion limit


def named_descriptor(package: Path) -> None:
    """Mutation: other.json, a descriptor of the arrests alone, read from an edited copy whose
    row 2 has a negative count; datapackage.json stays valid (the old bug read it instead)."""
    shutil.copy(package / ARRESTS, package / "data" / "arrests-edited.csv")
    set_cell("data/arrests-edited.csv", 2, "value", "-4")(package)
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    arrests = resource(descriptor, "arrests")
    descriptor["resources"] = [{**arrests, "path": "data/arrests-edited.csv"}]
    descriptor["resources"][0]["schema"]["foreignKeys"] = []
    (package / "other.json").write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    rehash(package / "other.json")


def schema_in_file(name: str, target: str):
    """Mutation: the resource's schema moved to the file `target`, named by path."""
    def mutate(package: Path) -> None:
        descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
        schema = resource(descriptor, name)["schema"]
        (package / target).parent.mkdir(parents=True, exist_ok=True)
        (package / target).write_text(json.dumps(schema, indent=2) + "\n", encoding="utf-8")
        edit_descriptor(lambda d: resource(d, name).update(schema=target))(package)
    return mutate


def set_constraint(name: str, field: str, key: str, value: object):
    def edit(descriptor: dict) -> None:
        spec = next(f for f in resource(descriptor, name)["schema"]["fields"] if f["name"] == field)
        spec.setdefault("constraints", {})[key] = value
    return edit_descriptor(edit)


def edit_descriptor_text(edit):
    """Mutation: the descriptor's text edited (for what json.dumps cannot write)."""
    def mutate(package: Path) -> None:
        path = package / "datapackage.json"
        path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    return mutate


def rename_column(file: str, old: str, new: str):
    return edit_text(file, lambda text: text.replace(old, new, 1))


def many_columns(file: str, count: int):
    return edit_text(file, lambda text: ",".join(f"column_{i}" for i in range(count)) + "\n" + text.split("\n", 1)[1])


NAME, TITLE = "name", "title"
HARDENING_CASES = {
    # 1. The descriptor named is the one read.
    "named-descriptor": (named_descriptor, True, 1, [["data/arrests-edited.csv", 2, "value", "minimum"]],
                         "other.json"),
    # 2. Never a traceback: schemas by reference, wrong types, bad patterns, duplicate columns, deep JSON.
    "schema-by-path": (in_turn(schema_in_file("arrests", "schemas/arrests.json"), set_cell(ARRESTS, 2, "value", "-4")),
                       True, 1, [[ARRESTS, 2, "value", "minimum"]]),
    "schema-by-url": (edit_descriptor(lambda d: resource(d, "arrests").update(schema="https://example.org/arrests.json")),
                      False, 2, [["datapackage.json", None, None, "reference"]]),
    "schema-file-missing": (edit_descriptor(lambda d: resource(d, "arrests").update(schema="schemas/none.json")),
                            False, 2, [["schemas/none.json", None, None, "missing-file"]]),
    "constraint-wrong-type": (set_constraint("arrests", "value", "minimum", "0"), False, 1,
                              [["datapackage.json", None, None, "descriptor"]]),
    "invalid-pattern": (set_constraint("sources", "url", "pattern", "https?://([a-z"), False, 1,
                        [["datapackage.json", None, None, "descriptor"]]),
    "duplicate-column": (rename_column(TIMELINE, "category", "event"), True, 1,
                         [[TIMELINE, 1, "event", "duplicate-label"], [TIMELINE, 1, "category", "missing-label"]]),
    "deep-json": (edit_descriptor_text(lambda t: t.replace('"version": "0.1.0"', '"version": ' + "[" * DEPTH + "]" * DEPTH)),
                  False, 2, [["datapackage.json", None, None, "json"]]),
    "duplicate-key": (edit_descriptor_text(lambda t: t.replace('"version": "0.1.0"', '"version": "0.1.0", "version": "9.9.9"')),
                      False, 2, [["datapackage.json", None, None, "json"]]),
    "nan-in-descriptor": (edit_descriptor_text(lambda t: t.replace('"bytes": 2989', '"bytes": NaN')), False, 2,
                          [["datapackage.json", None, None, "json"]]),
    # 3. Terminal-safe output: escapes, a forged line, a carriage return (all shown escaped, one line each).
    "terminal-escape": (set_cell(COMPOUNDS, 2, NAME, "Thmor Da\x1b[2J\x1b[1;1H\x1b[32mvalid: 0 problem(s)\x1b[0m"),
                        True, 1, [[COMPOUNDS, 2, NAME, "control-character"]]),
    "forged-line": (set_cell(COMPOUNDS, 2, NAME, "=1\ndata/arrests.csv:2:value: must be >= 0 (got -4) [minimum]"),
                    True, 1, [[COMPOUNDS, 2, NAME, "formula"]]),
    "carriage-return": (in_turn(set_cell(COMPOUNDS, 2, NAME, "Thmor\rDa"),  # quoted: a CR inside the cell
                                edit_bytes(COMPOUNDS, lambda b: b.replace(b",Thmor\rDa,", b',"Thmor\rDa",'))), True, 1,
                        [[COMPOUNDS, 2, NAME, "control-character"], [COMPOUNDS, None, None, "line-ends"]]),
    # 4. Input that looks clean.
    "nul-byte": (set_cell(COMPOUNDS, 2, NAME, "Thmor\x00Da"), True, 1, [[COMPOUNDS, 2, NAME, "control-character"]]),
    "date-leading-space": (set_cell(ARRESTS, 2, "as_of", " 2025-07-14"), True, 1, [[ARRESTS, 2, "as_of", "whitespace"]]),
    "number-trailing-space": (set_cell(ARRESTS, 3, "value", "429 "), True, 1, [[ARRESTS, 3, "value", "whitespace"]]),
    "bidi-override": (set_cell(COMPOUNDS, 2, NAME, "Thmor Da \u202eXES\u202c"), True, 1,
                      [[COMPOUNDS, 2, NAME, "invisible-character"]]),
    "zero-width-space": (in_turn(set_cell(COMPOUNDS, 2, NAME, "Thmor\u200bDa"),
                                 set_cell(COMPOUNDS, 2, "town", KHMER_WITH_JOINERS)), True, 1,
                         [[COMPOUNDS, 2, NAME, "invisible-character"]]),
    "fullwidth-formula": (set_cell(COMPOUNDS, 2, NAME, "\uff1dHYPERLINK(\"http://x.example\",\"click\")"), True, 1,
                          [[COMPOUNDS, 2, NAME, "formula"]]),
    "formula-after-space": (set_cell(TIMELINE, 2, "event", "  =cmd|' /C calc'!A0"), True, 1,
                            [[TIMELINE, 2, "event", "formula"]]),
    "script-url-with-tab": (set_cell(SOURCES, 2, TITLE, "java\tscript:alert(1)"), True, 1, [[SOURCES, 2, TITLE, "markup"]]),
    "html-character-reference": (set_cell(SOURCES, 2, TITLE, "&#106;avascript&colon;alert(1)"), True, 1,
                                 [[SOURCES, 2, TITLE, "markup"]]),
    "cr-line-ends": (edit_bytes(COMPOUNDS, lambda b: b.replace(b"\n", b"\r")), True, 1,
                     [[COMPOUNDS, None, None, "line-ends"]]),
    # 5. Bounded resources (the large inputs are made by the tests).
    "too-many-columns": (many_columns(TIMELINE, 1_001), True, 2, [[TIMELINE, None, None, "too-many-columns"]]),
}
