"""Export: every figure as PNG, SVG, offline HTML and CSV, with a manifest; byte-identical on
rebuild (real kaleido and Debian's chromium, no mocks). Builds run on a snapshot of the
package, so rows curated meanwhile cannot change the data between two builds."""

import hashlib
import io
import json
import re
import shutil
from pathlib import Path

import polars as pl
import pytest
from conftest import tree_digest

from scamstats import cite, export, figures
from scamstats.figures.theme import WIDTH
from scamstats.package import load_package
from scamstats.paths import PACKAGE_DIR


@pytest.fixture(scope="session")
def snapshot(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("package") / "datapackage"
    shutil.copytree(PACKAGE_DIR, folder)
    return folder


@pytest.fixture(scope="session")
def two_builds(snapshot, tmp_path_factory) -> tuple[Path, Path, dict]:
    try:
        export.find_chromium()
    except export.ExportError as error:
        pytest.fail(f"static export needs Debian's chromium: {error}")
    package = load_package(snapshot)
    before = tree_digest(snapshot)
    first = tmp_path_factory.mktemp("figures-1")
    second = tmp_path_factory.mktemp("figures-2")
    messages: list[str] = []
    manifest = export.export_figures(package, first, progress=messages.append)
    export.export_figures(package, second, progress=None)
    assert tree_digest(snapshot) == before, "a build wrote into the package"
    assert any("[1/" in m for m in messages), "progress was not reported"
    return first, second, manifest


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_rebuilding_figures_gives_byte_identical_files(two_builds):
    first, second, _ = two_builds
    names = sorted(p.name for p in first.iterdir())
    assert names == sorted(p.name for p in second.iterdir())
    different = [n for n in names if sha256(first / n) != sha256(second / n)]
    assert different == []


def test_every_figure_has_png_svg_html_csv_and_a_manifest_entry(two_builds):
    first, _, manifest = two_builds
    assert [f["id"] for f in manifest["figures"]] == figures.figure_ids()
    for entry in manifest["figures"]:
        assert set(entry["files"]) == {"png", "svg", "html", "csv"}
        for record in entry["files"].values():
            path = first / record["path"]
            assert path.is_file()
            assert sha256(path) == record["sha256"] and path.stat().st_size == record["bytes"]
        assert entry["citation"].startswith("scamstats contributors")
        assert entry["title"] and entry["alt"] and entry["caption"] and entry["source_note"]
    on_disk = json.loads((first / "manifest.json").read_text(encoding="utf-8"))
    assert on_disk == manifest


def test_manifest_pins_the_package(two_builds, snapshot):
    _, _, manifest = two_builds
    package = load_package(snapshot)
    assert manifest["package"]["version"] == package.version
    assert manifest["package"]["descriptor_sha256"] == cite.descriptor_sha256(package)
    assert package.version in manifest["package"]["citation"]


def test_png_and_svg_are_real_images(two_builds):
    first, _, _ = two_builds
    png = (first / "raids-per-month.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width = int.from_bytes(png[16:20], "big")
    assert width == 2 * WIDTH
    svg = (first / "raids-per-month.svg").read_text(encoding="utf-8")
    assert svg.startswith("<svg") and "clip000000" in svg


def test_pngs_are_opaque_rgb_and_keep_any_transparency(two_builds):
    """A figure on white paper is written without the alpha channel chromium gives it (the same
    pixels, a quarter smaller, so the release stays small); a PNG with transparent pixels keeps it."""
    from PIL import Image

    first, _, _ = two_builds
    for path in sorted(first.glob("*.png")):
        if path.name != export.CONTACT_SHEET:  # a review sheet, in a palette of its own
            assert Image.open(path).mode == "RGB", path.name
    clear = io.BytesIO()
    Image.new("RGBA", (4, 4), (255, 255, 255, 0)).save(clear, "PNG")
    assert export.opaque_png(clear.getvalue()) == clear.getvalue()
    solid = io.BytesIO()
    Image.new("RGBA", (4, 4), (10, 20, 30, 255)).save(solid, "PNG")
    flat = Image.open(io.BytesIO(export.opaque_png(solid.getvalue())))
    assert flat.mode == "RGB" and flat.getpixel((1, 1)) == (10, 20, 30)


def test_html_pages_share_one_plotly_js_and_stay_offline(two_builds):
    first, _, manifest = two_builds
    shared = first / export.PLOTLY_JS
    assert shared.is_file() and shared.stat().st_size > 1_000_000  # plotly.js, once, beside the pages
    assert {"path": export.PLOTLY_JS, "sha256": sha256(shared), "bytes": shared.stat().st_size} in manifest["shared"]
    for path in first.glob("*.html"):
        text = path.read_text(encoding="utf-8")
        scripts = re.findall(r'<script src="([^"]+)"', text)
        assert scripts == [export.PLOTLY_JS], path.name  # relative: no network, no CDN
        assert "http://" not in text and "https://" not in text
        assert "<link " not in text and "MathJax.js" not in text
        assert "Plotly.newPlot" in text and len(text) < 300_000  # the figure only, not plotly.js
        assert "<title>" in text and 'aria-label="' in text


def test_contact_sheet_shows_every_figure_on_one_page(two_builds):
    first, second, manifest = two_builds
    sheet = first / export.CONTACT_SHEET
    data = sheet.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert sha256(sheet) == sha256(second / export.CONTACT_SHEET)
    assert any(s["path"] == export.CONTACT_SHEET and s["sha256"] == sha256(sheet) for s in manifest["shared"])
    from PIL import Image

    with Image.open(sheet) as image:
        columns = 3
        rows = -(-len(manifest["figures"]) // columns)
        assert image.width >= columns * 580 and image.height >= rows * 300


def test_a_build_with_unchanged_inputs_is_skipped_and_force_rebuilds(snapshot, tmp_path):
    from typer.testing import CliRunner

    from scamstats.cli import app

    out = tmp_path / "figures"
    command = ["figures", "--package", str(snapshot), "--out", str(out), "--only", "raids-by-province"]
    first = CliRunner().invoke(app, command)
    assert first.exit_code == 0, first.output
    assert export.SKIPPED not in first.output
    built = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    again = CliRunner().invoke(app, command)
    assert again.exit_code == 0 and export.SKIPPED in again.output
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir()} == built  # nothing rewritten
    forced = CliRunner().invoke(app, [*command, "--force"])
    assert forced.exit_code == 0 and export.SKIPPED not in forced.output
    assert (out / "raids-by-province.png").stat().st_mtime_ns != built["raids-by-province.png"]
    # A changed file, another figure set or another code version is not up to date.
    (out / "raids-by-province.csv").write_text("edited\n", encoding="utf-8")
    assert export.SKIPPED not in CliRunner().invoke(app, command).output
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["build"]["code_sha256"] == export.code_version()
    assert manifest["build"]["figures"] == ["raids-by-province"] and manifest["build"]["formats"] == list(export.FORMATS)
    package = load_package(snapshot)
    assert export.up_to_date(package, out, ["raids-by-province"], export.FORMATS) is not None
    assert export.up_to_date(package, out, ["raids-map"], export.FORMATS) is None
    assert export.up_to_date(package, out, ["raids-by-province"], ("csv",)) is None
    manifest["build"]["code_sha256"] = "0" * 64
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert export.up_to_date(package, out, ["raids-by-province"], export.FORMATS) is None


def test_csv_holds_exactly_the_plotted_rows(two_builds, snapshot):
    first, _, manifest = two_builds
    package = load_package(snapshot)
    for entry in manifest["figures"]:
        frame = pl.read_csv(io.BytesIO((first / entry["files"]["csv"]["path"]).read_bytes()), infer_schema=False)
        assert frame.height == entry["rows_plotted"]
        assert frame.height == figures.render(entry["id"], package).data.height


def test_maps_export_without_network_assets(two_builds):
    first, _, _ = two_builds
    svg = (first / "raids-map.svg").read_text(encoding="utf-8")
    assert "http://" not in svg.replace("http://www.w3.org", "")  # no tile or font URLs


def test_refuses_to_write_into_the_package(snapshot):
    package = load_package(snapshot)
    with pytest.raises(export.ExportError, match="refusing to write into the data package"):
        export.export_figures(package, snapshot / "figures", formats=("csv",), progress=None)
    assert not (snapshot / "figures").exists()


def test_unknown_figure_fails_before_anything_is_written(snapshot, tmp_path):
    package = load_package(snapshot)
    with pytest.raises(figures.UnknownFigure):
        export.export_figures(package, tmp_path / "out", figure_ids=["nope"], progress=None)
    assert not (tmp_path / "out").exists()


def test_figures_command_reports_bad_input_without_a_traceback(tmp_path):
    from typer.testing import CliRunner

    from scamstats.cli import app

    result = CliRunner().invoke(app, ["figures", "--only", "nope", "--out", str(tmp_path / "x")])
    assert result.exit_code == 2
    assert "no figure with id 'nope'" in result.output and "Traceback" not in result.output
    result = CliRunner().invoke(app, ["figures", "--package", str(tmp_path), "--out", str(tmp_path / "x")])
    assert result.exit_code == 2 and "descriptor not found" in result.output
