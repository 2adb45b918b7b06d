"""`scamstats cite --check`: a figure cited from an older release is reported changed after a
change to the data behind it, and current otherwise; from a manifest, a release zip or a
citation text."""

import shutil
import zipfile

import polars as pl
import pytest
from conftest import copy_package, edit_rows
from typer.testing import CliRunner

from scamstats import cite, citecheck, export
from scamstats.cli import app
from scamstats.package import load_package
from scamstats.paths import PACKAGE_DIR

runner = CliRunner()
CHANGED = "raids-per-month"
UNTOUCHED = ("timeline", "compounds-map", "survivor-demographics", "official-tallies-crackdown")


@pytest.fixture(scope="module")
def releases(tmp_path_factory):
    """An older release (the package and its figures' manifest, CSVs only) and a current
    package in which one operation moved a year earlier; returns (old folder, current folder,
    the raid id moved)."""
    old = copy_package(PACKAGE_DIR, tmp_path_factory.mktemp("old") / "cambodia-scam-compounds-0.1.0")
    built = tmp_path_factory.mktemp("figures")
    export.export_figures(load_package(old), built, formats=("csv",), progress=None)
    shutil.copytree(built, old / "figures")  # a release folder's layout
    current = copy_package(PACKAGE_DIR, tmp_path_factory.mktemp("current") / "datapackage")
    raids = load_package(current).tables["raids"]
    pointed = set(raids["same_operation_as"].drop_nulls()) | set(raids["part_of"].drop_nulls())
    moved = raids.filter(pl.col("same_operation_as").is_null() & pl.col("compound_id").is_null()
                         & ~pl.col("raid_id").is_in(sorted(pointed)) & (pl.col("date").dt.year() == 2025))
    raid_id = moved["raid_id"][0]
    edit_rows(current / "data" / "raids.csv", lambda rows: [
        {**r, "date": "2024" + r["date"][4:]} if r["raid_id"] == raid_id else r for r in rows])
    return old, current, raid_id


def verdicts(checks):
    return {check.figure_id: check for check in checks}


def test_a_change_to_the_data_behind_a_figure_is_reported_and_the_others_are_current(releases):
    old, current, raid_id = releases
    citations = citecheck.read_citations(old / "figures" / "manifest.json")
    assert citations.package_spec == str(old)
    checks = verdicts(citecheck.check_citations(citations, load_package(current)))
    assert checks[CHANGED].status == "changed"
    assert checks[CHANGED].details[0] == "plotted data changed"
    assert checks[CHANGED].details[2] == f"rows behind it: raids 1 changed: changed {raid_id} (date)"
    for figure_id in UNTOUCHED:
        assert checks[figure_id].status == "current", checks[figure_id].line()


def test_nothing_changed_means_every_figure_is_current_and_exit_0(releases):
    old, current, _ = releases
    result = runner.invoke(app, ["cite", "--check", str(old / "figures" / "manifest.json"), "--package", str(old)])
    assert result.exit_code == 0, result.output
    assert f"{CHANGED}: current" in result.stdout
    result = runner.invoke(app, ["cite", "--check", str(old / "figures" / "manifest.json"), "--package", str(current)])
    assert result.exit_code == 1
    assert f"{CHANGED}: changed - plotted data changed" in result.stdout
    assert "timeline: current" in result.stdout


def test_a_release_zip_is_read_with_its_package(releases, tmp_path):
    old, current, _ = releases
    zip_path = tmp_path / "old-release.zip"
    with zipfile.ZipFile(zip_path, "w") as archive:
        for path in sorted(old.rglob("*")):
            if path.is_file():
                archive.write(path, f"{old.name}/{path.relative_to(old)}")
    checks = verdicts(citecheck.check_citations(citecheck.read_citations(zip_path), load_package(current)))
    assert checks[CHANGED].status == "changed" and checks[CHANGED].details[2].startswith("rows behind it: raids 1 changed")


def test_a_bibtex_citation_with_the_data_hash_needs_no_package(releases, tmp_path):
    old, current, _ = releases
    package = load_package(old)
    text = []
    for figure_id in (CHANGED, "timeline"):
        data_hash = citecheck.sha256(citecheck.plotted_csv(figure_id, package))
        text.append(cite.figure_bibtex(package, figure_id, {"csv": data_hash}).replace(
            cite.descriptor_sha256(package), "f" * 64))  # a package no commit has
    citation = tmp_path / "cited.bib"
    citation.write_text("\n\n".join(text))
    parsed = citecheck.read_citations(citation)
    assert [c.figure_id for c in parsed.cited] == [CHANGED, "timeline"] and parsed.package_spec is None
    checks = verdicts(citecheck.check_citations(parsed, load_package(current)))
    assert (checks[CHANGED].status, checks[CHANGED].details) == ("changed", ["plotted data changed"])
    assert checks["timeline"].status == "current"


def test_a_plain_citation_is_current_for_the_same_package_and_unknown_without_hashes(tmp_path):
    package = load_package()
    citation = tmp_path / "cited.txt"
    citation.write_text(cite.citation(package, CHANGED, "plain") + "\n")
    result = runner.invoke(app, ["cite", "--check", str(citation)])
    assert result.exit_code == 0 and f"{CHANGED}: current" in result.stdout
    citation.write_text(cite.citation(package, CHANGED, "plain").replace(cite.descriptor_sha256(package)[:12], "0" * 12))
    result = runner.invoke(app, ["cite", "--check", str(citation)])
    assert result.exit_code == 1 and f"{CHANGED}: unknown" in result.stdout


@pytest.mark.parametrize("content", ["not a citation at all", '{"figures": 3}'])
def test_unreadable_input_is_a_clear_error(tmp_path, content):
    path = tmp_path / "input.txt"
    path.write_text(content)
    result = runner.invoke(app, ["cite", "--check", str(path)])
    assert result.exit_code == 2 and "error:" in result.output and "Traceback" not in result.output
