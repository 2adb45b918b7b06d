"""The release zip: every part of the package, Parquet copies and the figures; fixed order and
timestamps, byte-identical on rebuild."""

import hashlib
import io
import shutil
import zipfile
from pathlib import Path

import polars as pl
import pytest
from conftest import DATA_DIR, REPO_DIR
from typer.testing import CliRunner

from scamstats import export, release
from scamstats.cli import app
from scamstats.package import load_package
from scamstats.paths import PACKAGE_DIR


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, Path, Path]:
    snapshot = tmp_path_factory.mktemp("package") / "datapackage"
    shutil.copytree(PACKAGE_DIR, snapshot)
    package = load_package(snapshot)
    figures_dir = tmp_path_factory.mktemp("figures")
    export.export_figures(package, figures_dir, progress=None)
    first = release.build_release(package, tmp_path_factory.mktemp("dist-1"), figures_dir=figures_dir, progress=None)
    second = release.build_release(package, tmp_path_factory.mktemp("dist-2"), figures_dir=figures_dir, progress=None)
    return snapshot, first, second


def test_release_rebuild_is_byte_identical(built):
    _, first, second = built
    assert first.name == second.name == "cambodia-scam-compounds-0.1.0.zip" or first.name == second.name
    assert hashlib.sha256(first.read_bytes()).hexdigest() == hashlib.sha256(second.read_bytes()).hexdigest()
    digest, name = first.with_name(first.name + ".sha256").read_text().split()
    assert name == first.name and digest == hashlib.sha256(first.read_bytes()).hexdigest()


def test_release_holds_data_parquet_codebook_citation_licences_and_figures(built):
    snapshot, first, _ = built
    package = load_package(snapshot)
    root = release.release_name(package)
    with zipfile.ZipFile(first) as archive:
        names = archive.namelist()
        assert names == sorted(names)
        assert all(info.date_time == release.ZIP_TIMESTAMP for info in archive.infolist())
        for required in ["datapackage.json", "README.md", "CITATION.cff", "LICENSE", "LICENSE-DATA",
                         "figures/manifest.json", "figures/raids-map.png", "figures/raids-map.html"]:
            assert f"{root}/{required}" in names, required
        assert archive.read(f"{root}/datapackage.json") == (snapshot / "datapackage.json").read_bytes()
        assert archive.read(f"{root}/CITATION.cff") == (REPO_DIR / "CITATION.cff").read_bytes()
        for resource in package.descriptor["resources"]:
            csv = archive.read(f"{root}/{resource['path']}")
            assert csv == (snapshot / resource["path"]).read_bytes()
            parquet = pl.read_parquet(io.BytesIO(archive.read(f"{root}/parquet/{resource['name']}.parquet")))
            assert parquet.height == package.tables[resource["name"]].height
            assert parquet.columns == package.tables[resource["name"]].columns


def test_release_downloads_quickly_with_one_plotly_js(built):
    _, first, _ = built
    assert first.stat().st_size <= 8 * 1024 * 1024, f"{first.stat().st_size:,} bytes"
    with zipfile.ZipFile(first) as archive:
        names = archive.namelist()
        scripts = [n for n in names if n.endswith(".js")]
        assert [n.rsplit("/", 1)[-1] for n in scripts] == [export.PLOTLY_JS]
        pages = [n for n in names if n.endswith(".html")]
        assert pages and all(n.rsplit("/", 1)[0] == scripts[0].rsplit("/", 1)[0] for n in pages)
        # The contact sheet is for reviewing the figures before a release, not part of it.
        assert not any(n.endswith("figures/" + export.CONTACT_SHEET) for n in names)


def test_release_refuses_figures_built_from_another_package(built, tmp_path):
    snapshot, _, _ = built
    other = load_package(DATA_DIR / "valid")
    figures_dir = tmp_path / "figures"
    export.export_figures(other, figures_dir, formats=("csv",), progress=None)
    with pytest.raises(export.ExportError, match="another package version"):
        release.build_release(load_package(snapshot), tmp_path / "dist", figures_dir=figures_dir, progress=None)


def test_release_command_refuses_an_invalid_package(tmp_path):
    result = CliRunner().invoke(app, ["release", "--package", str(DATA_DIR / "invalid" / "hash-mismatch"),
                                      "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert "no release written" in result.output and "Traceback" not in result.output
    assert not list(tmp_path.iterdir())


def test_release_command_refuses_to_write_into_the_package(tmp_path):
    package = tmp_path / "package"
    shutil.copytree(DATA_DIR / "valid", package)
    result = CliRunner().invoke(app, ["release", "--package", str(package), "--out", str(package / "dist")])
    assert result.exit_code == 2
    assert "refusing to write into the data package" in result.output
