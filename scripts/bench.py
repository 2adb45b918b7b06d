"""Benchmarks, run side by side in one process and reported as ratios.

1. Validation: `scamstats validate` against `frictionless validate` on the same synthetic
   package (the shipped package with its arrests table scaled to N rows), alternating
   the two commands run by run; the median wall time and peak memory of each; and, on
   every invalid fixture, which classes of error each validator reports.

  python scripts/bench.py validation --sizes 100000 1000000 --runs 5 [--markdown]

Wall times depend on the machine: compare the ratios, which are measured in the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "scripts"))

from synthetic_package import write_synthetic_package

BIN = Path(sys.executable).parent
GNU_TIME = shutil.which("time") if Path("/usr/bin/time").exists() else None


def timed(command: list[str]) -> tuple[float, int | None]:
    """Run a command; return its wall time in seconds and peak memory in KiB (if measurable)."""
    if GNU_TIME:
        with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
            start = time.perf_counter()
            subprocess.run(["/usr/bin/time", "-f", "%M", "-o", report.name, *command],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
            elapsed = time.perf_counter() - start
            lines = Path(report.name).read_text().split()
            return elapsed, int(lines[-1]) if lines else None
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start, None


def validation_commands(package: Path) -> dict[str, list[str]]:
    return {
        "scamstats": [str(BIN / "scamstats"), "validate", str(package)],
        "frictionless": [str(BIN / "frictionless"), "validate", str(package / "datapackage.json")],
    }


def bench_validation(sizes: list[int], runs: int, progress) -> list[dict]:
    """Return one result row per (size, tool): median seconds, rows per second, peak KiB."""
    results = []
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            package = write_synthetic_package(Path(folder) / f"n{size}", size)
            times: dict[str, list[float]] = {"scamstats": [], "frictionless": []}
            memory: dict[str, list[int]] = {"scamstats": [], "frictionless": []}
            for run in range(runs):
                for tool, command in validation_commands(package).items():
                    progress(f"validation n={size:,} run {run + 1}/{runs}: {tool}")
                    seconds, kib = timed(command)
                    times[tool].append(seconds)
                    if kib:
                        memory[tool].append(kib)
            for tool, seconds_of_tool in times.items():
                median = statistics.median(seconds_of_tool)
                results.append({
                    "rows": size, "tool": tool, "median_s": median, "rows_per_s": size / median,
                    "peak_mib": statistics.median(memory[tool]) / 1024 if memory[tool] else None,
                    "runs": runs,
                })
    return results


def fixture_descriptor(case: Path) -> Path:
    """Return the descriptor a fixture is validated by (named in its expected.json, if not the folder's)."""
    expected = json.loads((case / "expected.json").read_text(encoding="utf-8"))
    return case / expected.get("descriptor", "datapackage.json")


def scamstats_checks(case: Path) -> tuple[int, set[str]]:
    from scamstats.validate import validate_package
    report = validate_package(fixture_descriptor(case))
    return report.exit_code, {p.check for p in report.problems}


def frictionless_errors(case: Path) -> tuple[int, set[str]]:
    try:
        run = subprocess.run([str(BIN / "frictionless"), "validate", "--json", str(fixture_descriptor(case))],
                             capture_output=True, text=True, check=False, timeout=300)
    except subprocess.TimeoutExpired:
        return -1, {"(no report: no answer within 300 s)"}
    try:
        report = json.loads(run.stdout)
    except json.JSONDecodeError:
        return run.returncode, {"(no report: " + (run.stderr.strip().splitlines() or ["crash"])[-1][:60] + ")"}
    types = {e["type"] for e in report.get("errors", [])}
    for task in report.get("tasks", []):
        types |= {e["type"] for e in task.get("errors", [])}
    return run.returncode, types


def compare_fixtures(progress) -> list[dict]:
    """Return, per invalid fixture, the checks scamstats reports and the errors frictionless does."""
    rows = []
    for case in sorted((REPO / "tests" / "data" / "invalid").iterdir()):
        progress(f"fixture {case.name}")
        ours_code, ours = scamstats_checks(case)
        theirs_code, theirs = frictionless_errors(case)
        rows.append({"case": case.name, "scamstats_exit": ours_code, "scamstats": sorted(ours),
                     "frictionless_exit": theirs_code, "frictionless": sorted(theirs)})
    return rows


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory = next((line.split(":", 1)[1].strip() for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")), "?")
    import frictionless
    import pandera
    import polars
    return (f"{os.cpu_count()} cores ({cpu}), {memory} memory; Python {platform.python_version()}, "
            f"polars {polars.__version__}, pandera {pandera.__version__}, frictionless {frictionless.__version__}")


def markdown(results: list[dict], fixtures: list[dict]) -> str:
    lines = [f"Machine: {machine()}", "", "| rows | tool | median s | rows/s | peak MiB | runs |",
             "| ---: | --- | ---: | ---: | ---: | ---: |"]
    for row in results:
        peak = f"{row['peak_mib']:.0f}" if row["peak_mib"] else "n/a"
        lines.append(f"| {row['rows']:,} | {row['tool']} | {row['median_s']:.2f} | {row['rows_per_s']:,.0f} | {peak} | {row['runs']} |")
    lines += ["", "| rows | speed-up (frictionless median / scamstats median) | memory ratio (scamstats / frictionless) |", "| ---: | ---: | ---: |"]
    for size in sorted({r["rows"] for r in results}):
        ours = next(r for r in results if r["rows"] == size and r["tool"] == "scamstats")
        theirs = next(r for r in results if r["rows"] == size and r["tool"] == "frictionless")
        memory = f"{ours['peak_mib'] / theirs['peak_mib']:.1f}" if ours["peak_mib"] and theirs["peak_mib"] else "n/a"
        lines.append(f"| {size:,} | {theirs['median_s'] / ours['median_s']:.1f}x | {memory} |")
    if fixtures:
        lines += ["", "| invalid fixture | scamstats exit | scamstats checks | frictionless exit | frictionless errors |",
                  "| --- | ---: | --- | ---: | --- |"]
        for row in fixtures:
            lines.append(f"| {row['case']} | {row['scamstats_exit']} | {', '.join(row['scamstats'])} | "
                         f"{row['frictionless_exit']} | {', '.join(row['frictionless']) or '(none)'} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("benchmark", choices=["validation"])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-fixtures", action="store_true", help="skip the error comparison on fixtures")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown report")
    args = parser.parse_args()

    def progress(message: str) -> None:
        print(f"[bench] {message}", file=sys.stderr, flush=True)

    results = bench_validation(args.sizes, args.runs, progress)
    fixtures = [] if args.no_fixtures else compare_fixtures(progress)
    print(markdown(results, fixtures) if args.markdown else json.dumps({"validation": results, "fixtures": fixtures}, indent=1))


if __name__ == "__main__":
    main()
