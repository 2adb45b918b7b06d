"""The statistics package's layout: each topic module imports only the common module, other
statistics, display wording, the privacy rule, reference data and the package reader (never
figures or the dashboard), and no module imports one that imports it back (no circles)."""

import ast
import graphlib
from pathlib import Path

import pytest

import scamstats.stats

STATS_DIR = Path(scamstats.stats.__file__).parent
MODULES = sorted(path.stem for path in STATS_DIR.glob("*.py") if path.stem != "__init__")
ALLOWED = ("scamstats.stats", "scamstats.labels", "scamstats.privacy", "scamstats.reference",
           "scamstats.package")


def imports_of(module: str) -> set[str]:
    tree = ast.parse((STATS_DIR / f"{module}.py").read_text(encoding="utf-8"))
    names = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    names |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    return {name for name in names if name.startswith("scamstats")}


@pytest.mark.parametrize("module", MODULES)
def test_stats_module_imports_only_what_statistics_may(module):
    assert {name for name in imports_of(module) if not name.startswith(ALLOWED)} == set()


def test_stats_modules_import_each_other_without_circles():
    graph = {module: {name.removeprefix("scamstats.stats.") for name in imports_of(module)
                      if name.startswith("scamstats.stats.")}
             for module in MODULES}
    assert graph["common"] == set()  # what every topic builds on builds on no topic
    list(graphlib.TopologicalSorter(graph).static_order())  # raises CycleError on a circle
