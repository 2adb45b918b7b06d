"""The command line: every command has help with an example; rehash is the only writer."""

import shutil
import subprocess
import sys

import pytest
from conftest import DATA_DIR, tree_digest
from typer.testing import CliRunner

from scamstats.cli import app

runner = CliRunner()
COMMANDS = sorted(command.name or command.callback.__name__ for command in app.registered_commands)


def test_commands_exist():
    assert {"validate", "info", "rehash"} <= set(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(command):
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output
    assert f"scamstats {command}" in result.output


def test_console_script_runs():
    run = subprocess.run([sys.executable, "-m", "scamstats.cli", "--help"], capture_output=True, text=True, check=False)
    assert run.returncode == 0 and "validate" in run.stdout


def test_info_reports_rows_and_version():
    result = runner.invoke(app, ["info", str(DATA_DIR / "valid")])
    assert result.exit_code == 0
    assert "version 0.1.0" in result.output
    assert "arrests" in result.output and "rows" in result.output
    assert "The counts run to " in result.output and "not an end of enforcement" in result.output


def test_info_on_unreadable_package_is_a_clear_error(tmp_path):
    result = runner.invoke(app, ["info", str(tmp_path)])
    assert result.exit_code == 2
    assert "descriptor not found" in result.output
    assert "Traceback" not in result.output


def test_validate_and_info_never_write(tmp_path):
    package = tmp_path / "package"
    shutil.copytree(DATA_DIR / "valid", package)
    before = tree_digest(package)
    assert runner.invoke(app, ["validate", str(package)]).exit_code == 0
    assert runner.invoke(app, ["info", str(package)]).exit_code == 0
    assert tree_digest(package) == before


def test_rehash_fixes_a_hash_mismatch_and_writes_only_the_descriptor(tmp_path):
    package = tmp_path / "package"
    shutil.copytree(DATA_DIR / "invalid" / "hash-mismatch", package)
    (package / "expected.json").unlink()
    assert runner.invoke(app, ["validate", str(package)]).exit_code == 1
    before = tree_digest(package)
    assert runner.invoke(app, ["rehash", str(package)]).exit_code == 0
    after = tree_digest(package)
    changed = {name for name in after if after[name] != before.get(name)}
    assert changed == {"datapackage.json"}
    assert runner.invoke(app, ["validate", str(package)]).exit_code == 0
