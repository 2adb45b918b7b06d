"""Every invalid fixture gives exactly its expected problems and exit code; the valid one none;
every domain rule has a fixture of its own."""

import json
import shutil
import subprocess
import sys

import pytest
from conftest import DATA_DIR, tree_digest

from scamstats.validate import validate_package

INVALID_CASES = sorted(p.name for p in (DATA_DIR / "invalid").iterdir() if p.is_dir())


def test_there_are_many_invalid_cases():
    assert len(INVALID_CASES) >= 30


def test_every_domain_rule_has_a_case_of_its_own():
    from scamstats.schemas import RULES

    checks = {rule.check for rules in RULES.values() for rule in rules}
    found = {problem[3] for case in INVALID_CASES
             for problem in json.loads((DATA_DIR / "invalid" / case / "expected.json").read_text())["problems"]}
    assert checks - found == set()


def test_valid_fixture_is_clean():
    report = validate_package(DATA_DIR / "valid")
    assert [p.line() for p in report.problems] == []
    assert report.exit_code == 0
    assert report.rows_checked > 40


@pytest.mark.parametrize("case", INVALID_CASES)
def test_invalid_case(case):
    folder = DATA_DIR / "invalid" / case
    expected = json.loads((folder / "expected.json").read_text())
    before = tree_digest(folder)
    report = validate_package(folder / expected.get("descriptor", ""))
    found = sorted((p.key() for p in report.problems), key=str)
    assert found == sorted(expected["problems"], key=str), "\n".join(p.line() for p in report.problems)
    assert report.exit_code == expected["exit_code"]
    assert tree_digest(folder) == before, "validation wrote into the package"


@pytest.mark.parametrize("case", ["negative-count", "empty-file", "missing-column", "not-utf8"])
def test_cli_prints_one_line_per_problem_and_exits_with_its_code(case):
    folder = DATA_DIR / "invalid" / case
    expected = json.loads((folder / "expected.json").read_text())
    run = subprocess.run([sys.executable, "-m", "scamstats.cli", "validate", str(folder)],
                         capture_output=True, text=True, check=False)
    assert run.returncode == expected["exit_code"]
    assert "Traceback" not in run.stdout + run.stderr
    lines = run.stdout.strip().splitlines()
    assert len(lines) == len(expected["problems"])
    for file, row, field, check in expected["problems"]:
        place = ":".join(str(p) for p in (file, row, field) if p is not None)
        assert any(line.startswith(place + ":") and line.endswith(f"[{check}]") for line in lines)


def test_negative_count_message_names_file_row_field_and_value():
    report = validate_package(DATA_DIR / "invalid" / "negative-count")
    assert report.problems[0].line() == "data/arrests.csv:2:value: must be >= 0 (got -4) [minimum]"


def test_large_file_is_read_and_rejected_precisely(tmp_path):
    """A 50 MB arrests file: read whole, its one bad row found, nothing written."""
    package = tmp_path / "package"
    shutil.copytree(DATA_DIR / "valid", package)
    arrests = package / "data" / "arrests.csv"
    header, first, *_ = arrests.read_text(encoding="utf-8").splitlines()
    template = first.split(",", 1)[1]
    lines = [header] + [f"bulk-{i},{template}" for i in range(1, 200_000)]
    text = "\n".join(lines) + "\n"
    while len(text.encode()) < 50_000_000:
        lines += [f"bulk-{i},{template}" for i in range(len(lines), len(lines) + 100_000)]
        text = "\n".join(lines) + "\n"
    bad_row = 1234
    lines[bad_row - 1] = lines[bad_row - 1].replace(",2137,", ",-1,", 1)
    arrests.write_text("\n".join(lines) + "\n", encoding="utf-8")
    from scamstats.package import rehash
    rehash(package)
    report = validate_package(package)
    keys = {tuple(p.key()) for p in report.problems}
    assert ("data/arrests.csv", bad_row, "value", "minimum") in keys
    assert report.exit_code == 1
