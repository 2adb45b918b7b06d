"""The benchmark scripts start and describe their options (no benchmark is run here)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import REPO_DIR


@pytest.mark.parametrize("script", ["bench_export.py", "bench_dashboard.py"])
def test_help_names_the_options(script):
    run = subprocess.run([sys.executable, str(REPO_DIR / "scripts" / script), "--help"],
                         capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stderr
    for option in ("--runs", "--markdown"):
        assert option in run.stdout
    assert f"scripts/{script} --runs 5" in run.stdout  # the command line from the docstring


def test_the_screenshot_script_names_its_options():
    run = subprocess.run([sys.executable, str(REPO_DIR / "scripts" / "screenshots.py"), "--help"],
                         capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stderr
    for option in ("--widths", "--pages", "--parts", "build/screenshots/<page>-<width>.png"):
        assert option in run.stdout
