"""Shared paths and helpers for the tests."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

TESTS_DIR = Path(__file__).resolve().parent
DATA_DIR = TESTS_DIR / "data"
REPO_DIR = TESTS_DIR.parent


def tree_digest(folder: Path) -> dict[str, bytes]:
    """Every file under a folder with its bytes, to prove nothing was written."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture()
def repo_dir() -> Path:
    return REPO_DIR


NOT_ROOT = ["setpriv", "--bounding-set=-dac_override,-dac_read_search"]  # root without its read-anything power


def scamstats(*args: object, prefix: tuple[str, ...] = (), timeout: float = 120) -> subprocess.CompletedProcess:
    """Run the command line in a process of its own, as a user would."""
    return subprocess.run([*prefix, sys.executable, "-m", "scamstats.cli", *map(str, args)],
                          capture_output=True, text=True, timeout=timeout, check=False)


def unprivileged() -> tuple[str, ...]:
    """Return a command prefix under which file permissions hold, or skip (root without setpriv)."""
    if os.geteuid() != 0:
        return ()
    if shutil.which("setpriv") and subprocess.run([*NOT_ROOT, "true"], check=False).returncode == 0:
        return tuple(NOT_ROOT)
    pytest.skip("running as root without setpriv: permissions cannot be tested")


def copy_package(source: Path, target: Path) -> Path:
    """Copy a package folder to target (a new folder) and return it."""
    import shutil

    shutil.copytree(source, target)
    return target


def edit_rows(csv_path: Path, edit) -> None:
    """Rewrite a CSV with `edit(rows) -> rows` (rows as dicts; the header kept as it is)."""
    import csv

    with csv_path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        header, rows = reader.fieldnames, list(reader)
    rows = edit(rows)
    with csv_path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
