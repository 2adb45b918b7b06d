"""Issue #15: the validator against input built to break it. One test (or more) per numbered
finding of the issue; the fixtures of tests/data/invalid/ cover each class too."""

import json
import os
import resource
import shutil
import time
from pathlib import Path

import pytest
from conftest import DATA_DIR, scamstats, unprivileged
from typer.testing import CliRunner

from scamstats import cli
from scamstats.cli import app
from scamstats.inputs import MAX_COLUMNS
from scamstats.package import rehash
from scamstats.validate import validate_package
from scamstats.validation.report import PROBLEMS_PER_CHECK

runner = CliRunner()
INVALID = DATA_DIR / "invalid"
def copy_of(case: str, tmp_path: Path) -> Path:
    package = tmp_path / case
    shutil.copytree(DATA_DIR / case if case == "valid" else INVALID / case, package)
    (package / "expected.json").unlink(missing_ok=True)
    return package


# 1. A named descriptor is silently swapped.

def test_the_descriptor_named_is_the_one_validated():
    run = scamstats("validate", INVALID / "named-descriptor" / "other.json")
    assert run.returncode == 1
    assert run.stdout.startswith("data/arrests-edited.csv:2:value: must be >= 0 (got -4) [minimum]")
    assert scamstats("validate", INVALID / "named-descriptor").returncode == 0  # the folder's own is valid


def test_problems_of_a_named_descriptor_carry_its_name(tmp_path):
    package = copy_of("named-descriptor", tmp_path)
    (package / "data" / "arrests-edited.csv").write_text("observation_id\n", encoding="utf-8")
    report = validate_package(package / "other.json")
    assert {p.file for p in report.problems if p.check in ("bytes", "hash")} == {"other.json"}


def test_info_reads_the_descriptor_named():
    result = runner.invoke(app, ["info", str(INVALID / "named-descriptor" / "other.json")])
    assert result.exit_code == 0
    assert "arrests" in result.output and "sources" not in result.output


# 2. "Never a traceback" is broken.

@pytest.mark.parametrize(("case", "code", "words"), [
    ("schema-by-url", 2, "works offline"),
    ("schema-file-missing", 2, "schema not found"),
    ("constraint-wrong-type", 1, "constraint minimum must be a number, not a string ('0')"),
    ("invalid-pattern", 1, "not a regular expression scamstats can run"),
    ("duplicate-column", 1, "column name appears twice"),
    ("deep-json", 2, "nested more than 64 levels deep"),
    ("duplicate-key", 2, "key 'version' appears twice"),
    ("nan-in-descriptor", 2, "NaN is not a JSON number"),
])
def test_input_that_crashed_gets_a_verdict(case, code, words):
    run = scamstats("validate", INVALID / case)
    assert run.returncode == code, run.stderr
    assert "Traceback" not in run.stdout + run.stderr
    assert words in run.stdout


def test_a_schema_given_by_path_is_read(tmp_path):
    package = copy_of("schema-by-path", tmp_path)
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    assert next(r for r in descriptor["resources"] if r["name"] == "arrests")["schema"] == "schemas/arrests.json"
    assert [p.key() for p in validate_package(package).problems] == [["data/arrests.csv", 2, "value", "minimum"]]
    assert runner.invoke(app, ["info", str(package)]).exit_code == 0


def test_a_schema_outside_the_package_is_refused(tmp_path):
    package = copy_of("valid", tmp_path)
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"][0]["schema"] = "../outside.json"
    (package / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    report = validate_package(package)
    assert [p.key() for p in report.problems] == [["datapackage.json", None, None, "path"]] and report.exit_code == 2


def test_json_just_deeper_than_the_limit_is_refused(tmp_path):
    package = copy_of("valid", tmp_path)
    text = (package / "datapackage.json").read_text(encoding="utf-8")
    (package / "datapackage.json").write_text(text.replace('"0.1.0"', "[" * 64 + "]" * 64, 1), encoding="utf-8")
    assert [p.check for p in validate_package(package).problems] == ["json"]


@pytest.mark.parametrize("what", ["file", "folder", "descriptor"])
def test_what_cannot_be_read_is_said_and_exits_2(tmp_path, what):
    prefix = unprivileged()
    package = copy_of("valid", tmp_path)
    target = {"file": package / "data" / "timeline.csv", "folder": package / "data",
              "descriptor": package / "datapackage.json"}[what]
    target.chmod(0)
    try:
        runs = [scamstats(command, package, prefix=prefix) for command in ("validate", "info", "rehash")]
    finally:
        target.chmod(0o755)
    for run in runs:
        assert run.returncode == 2, run.stdout + run.stderr
        assert "permission denied" in run.stdout + run.stderr
        assert "Traceback" not in run.stdout + run.stderr


def test_permission_error_without_setpriv_is_a_verdict(tmp_path, monkeypatch):
    """The same, simulated: where no user can be made unprivileged."""
    package = copy_of("valid", tmp_path)
    real_open = os.open

    def refuse(path, *args, **kwargs):
        if str(path).endswith("timeline.csv"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse)
    report = validate_package(package)
    assert [(p.key(), p.message) for p in report.problems] == [
        (["data/timeline.csv", None, None, "unreadable"], "cannot read file: permission denied")]
    assert report.exit_code == 2


def test_a_crash_not_foreseen_is_an_internal_error_exit_3(monkeypatch):
    def crash(*_):
        raise RuntimeError("something broke\nover two lines")

    monkeypatch.setattr(cli, "validate_package", crash)
    result = runner.invoke(app, ["validate", str(DATA_DIR / "valid")])
    assert result.exit_code == 3
    assert result.output.startswith(f"internal error while reading {DATA_DIR / 'valid'}: RuntimeError: something broke")
    assert len(result.output.strip().splitlines()) == 1 and "Traceback" not in result.output


def test_exit_codes_are_documented():
    help_text = runner.invoke(app, ["validate", "--help"]).output
    assert all(words in help_text for words in ("0 valid", "1 invalid", "2 unusable input", "3 internal error"))
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    assert "3 internal error" in readme


# 3. Cell text reaches the terminal raw.

@pytest.mark.parametrize("case", ["terminal-escape", "forged-line", "carriage-return", "bidi-override"])
def test_cell_text_is_shown_escaped_one_line_per_problem(case):
    run = scamstats("validate", INVALID / case)
    expected = json.loads((INVALID / case / "expected.json").read_text(encoding="utf-8"))
    assert len(run.stdout.splitlines()) == len(expected["problems"])
    assert not any(c in run.stdout + run.stderr for c in "\x1b\r\x00\u202e\u2028")
    assert "\\x1b" in run.stdout or "\\n" in run.stdout or "\\r" in run.stdout or "\\u202e" in run.stdout


# 4. Input that looks clean passes (each class is a fixture); CR-only line ends.

def test_cr_only_line_ends_are_named_not_reported_as_no_data_rows():
    report = validate_package(INVALID / "cr-line-ends")
    assert [p.message for p in report.problems] == [
        "file has CR (classic Mac OS) line ends: use LF (its rows were read as if they were LF)"]
    assert report.rows_checked == validate_package(DATA_DIR / "valid").rows_checked


# 5. No resource limits.

def peak_kib_of_children() -> int:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss


def test_a_2_gb_sparse_csv_is_refused_before_reading(tmp_path):
    package = copy_of("valid", tmp_path)
    with open(package / "data" / "arrests.csv", "r+b") as handle:
        handle.truncate(2 << 30)
    start = time.monotonic()
    run = scamstats("validate", package)
    assert run.returncode == 2
    assert "data/arrests.csv: file has 2,147,483,648 bytes, more than the 1 GiB scamstats reads" in run.stdout
    assert time.monotonic() - start < 30 and peak_kib_of_children() < 1_000_000


@pytest.mark.parametrize(("columns", "words"), [
    (1_000_000, "first line is longer than 1 MiB"), (100_000, "header has 100,000 columns")])
def test_a_very_wide_header_is_refused_before_the_rows(tmp_path, columns, words):
    package = copy_of("valid", tmp_path)
    (package / "data" / "timeline.csv").write_text(",".join(f"c{i}" for i in range(columns)) + "\n1\n")
    rehash(package)
    run = scamstats("validate", package)
    assert run.returncode == 2 and words in run.stdout
    assert len(run.stdout.splitlines()) == 1 and peak_kib_of_children() < 1_000_000


def test_the_column_limit_is_what_the_fixture_crosses():
    assert MAX_COLUMNS == 1_000
    assert json.loads((INVALID / "too-many-columns" / "expected.json").read_text())["exit_code"] == 2


def test_problems_are_capped_per_check_then_counted(tmp_path):
    package = copy_of("valid", tmp_path)
    arrests = package / "data" / "arrests.csv"
    header, first, *_ = arrests.read_text(encoding="utf-8").splitlines()
    fields = first.split(",")
    rows = [",".join([f"bulk-{i}", fields[1], "many"] + fields[3:]) for i in range(2_500)]
    arrests.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    run = scamstats("validate", package)
    lines = [line for line in run.stdout.splitlines() if line.endswith("[type]")]
    assert len(lines) == PROBLEMS_PER_CHECK + 1
    assert lines[-1] == "data/arrests.csv: 1,500 more problem(s) of this check not listed [type]"
    report = validate_package(package)
    assert sum(p.omitted or 1 for p in report.problems if p.check == "type") == 2_500
    assert f"invalid: {report.problem_count} problem(s)" in run.stderr


def test_cells_beyond_the_budget_are_refused(tmp_path, monkeypatch):
    from scamstats import validate

    monkeypatch.setattr(validate, "MAX_CELLS", 200)
    report = validate_package(copy_of("valid", tmp_path))
    assert report.exit_code == 2
    assert any(p.check == "too-large" and "cells" in p.message for p in report.problems)


def test_blank_lines_are_counted_once_each_within_the_cap(tmp_path):
    package = copy_of("valid", tmp_path)
    timeline = package / "data" / "timeline.csv"
    timeline.write_bytes(timeline.read_bytes() + b"\n" * 5_000)
    report = validate_package(package)
    blank = [p for p in report.problems if p.check == "blank-row"]
    assert len(blank) == PROBLEMS_PER_CHECK + 1 and blank[-1].omitted == 5_000 - PROBLEMS_PER_CHECK
