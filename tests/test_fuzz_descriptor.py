"""Property-based fuzzing of the descriptor: random JSON in its places (wrong types), schemas
and dialects given by reference (paths, URLs, escapes), very deep nesting. Every descriptor
gets a verdict, exit code 0, 1 or 2, never a traceback, and nothing is written."""

import json
import shutil
from pathlib import Path

from conftest import DATA_DIR, tree_digest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from scamstats.cli import app

runner = CliRunner()
VALID = json.loads((DATA_DIR / "valid" / "datapackage.json").read_text(encoding="utf-8"))
RESOURCES = [r["name"] for r in VALID["resources"]]
DEEP = "__deep__"  # replaced in the written text by nesting json.dumps could not write

scalars = st.one_of(st.none(), st.booleans(), st.integers(min_value=-(10**30), max_value=10**30),
                    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=12))
json_values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)), max_leaves=12)
references = st.one_of(
    st.sampled_from(["schema.json", "schemas/arrests.json", "none.json", "../outside.json", "/etc/passwd",
                     "https://example.org/schema.json", "file:///etc/passwd", "data:,{}", "C:\\schema.json",
                     "data/arrests.csv", "datapackage.json", "", "schemas"]),
    st.text(max_size=20),
)
PLACES = ["schema", "fields", "field", "type", "name", "constraints", "minimum", "maximum", "minLength",
          "maxLength", "pattern", "enum", "required", "unique", "primaryKey", "foreignKeys", "path", "dialect",
          "bytes", "hash", "resource"]


def put(descriptor: dict, resource: str, place: str, value: object, index: int) -> None:
    """Set one place of one resource of the descriptor to `value` (if an earlier change left it)."""
    try:
        spec = next(r for r in descriptor["resources"] if isinstance(r, dict) and r.get("name") == resource)
        if place == "resource":
            descriptor["resources"][index % len(descriptor["resources"])] = value
        elif place in ("schema", "path", "dialect", "bytes", "hash"):
            spec[place] = value
        elif place in ("fields", "primaryKey", "foreignKeys"):
            spec["schema"][place] = value
        elif place == "field":
            spec["schema"]["fields"][index % len(spec["schema"]["fields"])] = value
        else:
            field = spec["schema"]["fields"][index % len(spec["schema"]["fields"])]
            if place in ("type", "name", "constraints"):
                field[place] = value
            else:
                field.setdefault("constraints", {})[place] = value
    except (StopIteration, TypeError, KeyError, AttributeError, ZeroDivisionError, IndexError):
        pass  # an earlier change took this place away


@st.composite
def descriptors(draw) -> tuple[str, dict[str, str]]:
    """Return a descriptor's text and the other files to write beside it."""
    descriptor = json.loads(json.dumps(VALID))
    files: dict[str, str] = {}
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        resource, index = draw(st.sampled_from(RESOURCES)), draw(st.integers(min_value=0, max_value=30))
        kind = draw(st.sampled_from(["value", "reference", "deep"]))
        if kind == "reference":
            key, target = draw(st.sampled_from(["schema", "dialect"])), draw(references)
            put(descriptor, resource, key, target, index)
            content = draw(st.one_of(st.just(json.dumps(next(
                r for r in VALID["resources"] if r["name"] == resource)["schema"])), json_values.map(json.dumps),
                st.just("{not json"), st.just('{"fields": [], "fields": []}')))
            files["schemas/arrests.json" if "/" in str(target) else "schema.json"] = content
        elif kind == "deep":
            put(descriptor, resource, draw(st.sampled_from(PLACES)), DEEP, index)
        else:
            put(descriptor, resource, draw(st.sampled_from(PLACES)), draw(json_values), index)
    depth = draw(st.sampled_from([2, 63, 70, 900, 5000, 100_000]))
    opening, closing = draw(st.sampled_from([("[", "]"), ('{"a":', "}")]))
    text = json.dumps(descriptor, indent=1).replace(f'"{DEEP}"', opening * depth + "1" + closing * depth)
    return text, files


def write_package(folder: Path, text: str, files: dict[str, str]) -> Path:
    package = folder / "package"
    shutil.rmtree(package, ignore_errors=True)
    shutil.copytree(DATA_DIR / "valid", package)
    (package / "datapackage.json").write_text(text, encoding="utf-8")
    for name, content in files.items():
        (package / name).parent.mkdir(parents=True, exist_ok=True)
        (package / name).write_text(content, encoding="utf-8")
    return package


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=descriptors())
def test_random_descriptors_get_a_verdict(tmp_path_factory, case):
    package = write_package(tmp_path_factory.mktemp("descriptor"), *case)
    before = tree_digest(package)
    for command in ("validate", "info"):
        result = runner.invoke(app, [command, str(package)])
        assert result.exit_code in (0, 1, 2), (command, result.output[:2000])
        event(f"{command} exit {result.exit_code}")
        assert "Traceback" not in result.output and "internal error" not in result.output
        if command == "validate":
            lines = result.output.strip().splitlines()
            assert all(line.endswith("]") for line in lines[:-1]), result.output
    assert tree_digest(package) == before


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=descriptors())
def test_rehash_of_random_descriptors_writes_standard_json_or_nothing(tmp_path_factory, case):
    package = write_package(tmp_path_factory.mktemp("rehash"), *case)
    before = (package / "datapackage.json").read_bytes()
    result = runner.invoke(app, ["rehash", str(package)])
    assert result.exit_code in (0, 2), result.output[:2000]
    assert "Traceback" not in result.output
    after = (package / "datapackage.json").read_bytes()
    if result.exit_code:
        assert after == before
    else:
        json.loads(after, parse_constant=lambda name: (_ for _ in ()).throw(ValueError(name)))
    assert not list(package.glob("*.tmp")) and not list(package.glob(".*.tmp"))
