"""`scamstats release --since PREVIOUS`: changes.csv in the release and a generated, dated
CHANGELOG.md section (replaced, not repeated, on a second run); the release also holds the
SQLite database and the archive metadata, and a rebuild is byte-identical, database included."""

import datetime as dt
import hashlib
import io
import json
import re
import shutil
import sqlite3
import zipfile

import polars as pl
import pytest
from conftest import REPO_DIR, copy_package, edit_rows
from typer.testing import CliRunner

from scamstats import changelog, diff, diff_report, export
from scamstats.cli import app
from scamstats.package import load_package, rehash
from scamstats.paths import PACKAGE_DIR

runner = CliRunner()
DATE = "2026-12-08"


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    """A package in which one arrests note changed (rehashed, valid), its figures (CSVs only)
    and a copy of the changelog; returns (package folder, figures folder, changelog, row id)."""
    root = tmp_path_factory.mktemp("release-since")
    snapshot = copy_package(PACKAGE_DIR, root / "datapackage")
    row_id = load_package(snapshot).tables["arrests"]["observation_id"][0]
    edit_rows(snapshot / "data" / "arrests.csv", lambda rows: [
        {**r, "note": "A note changed for the release test."} if r["observation_id"] == row_id else r for r in rows])
    rehash(snapshot)
    figures_dir = root / "figures"
    export.export_figures(load_package(snapshot), figures_dir, formats=("csv",), progress=None)
    changelog_path = root / "CHANGELOG.md"
    shutil.copy(REPO_DIR / "CHANGELOG.md", changelog_path)
    return snapshot, figures_dir, changelog_path, row_id


def release(setup, out, *extra):
    snapshot, figures_dir, changelog_path, _ = setup
    result = runner.invoke(app, ["release", "--package", str(snapshot), "--figures", str(figures_dir),
                                 "--out", str(out), "--changelog", str(changelog_path), *extra])
    assert result.exit_code == 0, result.output
    return next(out.glob("*.zip"))


@pytest.fixture(scope="module")
def built_twice(setup, tmp_path_factory):
    first = release(setup, tmp_path_factory.mktemp("dist-1"), "--since", str(PACKAGE_DIR), "--date", DATE)
    second = release(setup, tmp_path_factory.mktemp("dist-2"), "--since", str(PACKAGE_DIR), "--date", DATE)
    return first, second


def members(zip_path) -> dict[str, bytes]:
    with zipfile.ZipFile(zip_path) as archive:
        return {name.split("/", 1)[1]: archive.read(name) for name in archive.namelist()}


def test_a_release_built_twice_is_byte_identical_database_included(built_twice):
    first, second = built_twice
    assert hashlib.sha256(first.read_bytes()).hexdigest() == hashlib.sha256(second.read_bytes()).hexdigest()
    files = members(first)
    for name in ("cambodia-scam-compounds.db", "datasette-metadata.json", ".zenodo.json", "datapackage.jsonld",
                 "changes.csv", "CHANGELOG.md"):
        assert name in files, name
    assert files["cambodia-scam-compounds.db"] == members(second)["cambodia-scam-compounds.db"]


def test_changes_csv_is_the_diff_since_the_previous_release(setup, built_twice):
    snapshot, _, _, row_id = setup
    written = members(built_twice[0])["changes.csv"]
    expected = diff.diff_packages(load_package(PACKAGE_DIR), load_package(snapshot))
    assert written == diff_report.as_csv(expected)
    frame = pl.read_csv(io.BytesIO(written), infer_schema=False)
    assert frame.select("resource", "kind", "row_id", "field").rows() == [("arrests", "changed", row_id, "note")]


def test_the_changelog_section_is_generated_once_and_replaced_on_a_second_run(setup, built_twice, tmp_path):
    _, _, changelog_path, _ = setup
    text = changelog_path.read_text(encoding="utf-8")
    assert text.count("<!-- scamstats:changes version=0.1.0 -->") == 1
    assert re.search(rf"^## 0\.1\.0 — data changes since 0\.1\.0 \(.*\) \({DATE}\)$", text, re.MULTILINE)
    assert "| arrests | 0 | 0 | 1 | 0 |" in text and "| **all** | **0** | **0** | **1** | **0** |" in text
    assert text.index("scamstats:changes") < text.index("## Unreleased")
    assert members(built_twice[0])["CHANGELOG.md"] == text.encode("utf-8")
    release(setup, tmp_path / "dist-3", "--since", str(PACKAGE_DIR), "--date", "2026-12-09")
    again = changelog_path.read_text(encoding="utf-8")
    assert again.count("<!-- scamstats:changes version=0.1.0 -->") == 1
    assert changelog.SECTION.sub("", again) == changelog.SECTION.sub("", text)
    assert re.search(r"^## 0\.1\.0 — data changes since .* \(2026-12-09\)$", again, re.MULTILINE)


def test_without_since_there_is_no_changes_csv_and_the_changelog_is_untouched(setup, tmp_path):
    _, _, changelog_path, _ = setup
    before = changelog_path.read_bytes()
    repo_changelog = (REPO_DIR / "CHANGELOG.md").read_bytes()
    files = members(release(setup, tmp_path / "dist"))
    assert "changes.csv" not in files and "cambodia-scam-compounds.db" in files
    assert changelog_path.read_bytes() == before and (REPO_DIR / "CHANGELOG.md").read_bytes() == repo_changelog


def test_the_database_in_the_release_opens(built_twice, tmp_path):
    files = members(built_twice[0])
    path = tmp_path / "release.db"
    path.write_bytes(files["cambodia-scam-compounds.db"])
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT count(*) FROM arrests").fetchone()[0] == load_package().tables["arrests"].height
    meta = json.loads(files["datasette-metadata.json"])
    assert "cambodia-scam-compounds" in meta["databases"]
    assert json.loads(files["datapackage.jsonld"])["@type"] == "Dataset"


def test_since_a_git_revision_reads_the_package_committed_then():
    changes = changelog.changes_since("HEAD", load_package())
    assert changes.since.startswith("0.1.0 (git HEAD, commit ")
    assert changes.changes.columns == list(diff.DIFF_SCHEMA)


def test_an_unknown_previous_release_is_a_clear_error(setup, tmp_path):
    snapshot, figures_dir, changelog_path, _ = setup
    result = runner.invoke(app, ["release", "--package", str(snapshot), "--figures", str(figures_dir), "--out",
                                 str(tmp_path), "--changelog", str(changelog_path), "--since", "no-such-revision"])
    assert result.exit_code == 2 and "not a package folder" in result.output
    assert not list(tmp_path.glob("*.zip"))


def test_the_release_date_follows_source_date_epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1796601600")
    assert changelog.release_date() == "2026-12-07"
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert changelog.release_date(dt.date(2027, 1, 2)) == "2027-01-02"


def test_a_release_that_fails_leaves_the_changelog_as_it_was(setup, tmp_path):
    snapshot, _, changelog_path, _ = setup
    before = changelog_path.read_bytes()
    (tmp_path / "no-figures").mkdir()
    result = runner.invoke(app, ["release", "--package", str(snapshot), "--figures", str(tmp_path / "no-figures"),
                                 "--out", str(tmp_path / "dist"), "--changelog", str(changelog_path),
                                 "--since", str(PACKAGE_DIR), "--date", "2027-01-01"])
    assert result.exit_code == 2 and "no manifest.json" in result.output
    assert changelog_path.read_bytes() == before
