"""Shared paths for the tests."""

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
