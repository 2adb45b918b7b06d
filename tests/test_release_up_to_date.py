"""`scamstats release` keeps a zip built from the same inputs: a second run writes nothing and
says so; any changed input (a CSV byte, a figure, a --since file, the code), --force, a damaged
zip or a missing record rebuilds it; a write that stops half way leaves nothing that passes."""

import hashlib
import shutil
import zipfile
from pathlib import Path

import pytest
from conftest import copy_package
from typer.testing import CliRunner

from scamstats import export, release, release_inputs
from scamstats.cli import app
from scamstats.package import load_package
from scamstats.paths import PACKAGE_DIR

runner = CliRunner()


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> Path:
    """A folder with a copy of the package, its figures (CSVs only) and a release built from them."""
    root = tmp_path_factory.mktemp("up-to-date")
    package = load_package(copy_package(PACKAGE_DIR, root / "datapackage"))
    export.export_figures(package, root / "figures", formats=("csv",), progress=None)
    release.build_release(package, root / "dist", figures_dir=root / "figures", progress=None)
    return root


@pytest.fixture()
def work(pristine, tmp_path) -> Path:
    """A copy of `pristine` this test may change."""
    return Path(shutil.copytree(pristine, tmp_path / "work"))


def build(work: Path, force: bool = False, extra: dict | None = None) -> tuple[Path, list[str]]:
    """Build the release of `work` (unless up to date); return the zip and what was said."""
    said: list[str] = []
    target = release.build_release(load_package(work / "datapackage"), work / "dist", figures_dir=work / "figures",
                                   progress=said.append, extra=extra, force=force)
    return target, said


def state(target: Path) -> tuple[int, int, str]:
    """The zip's inode, modification time and sha256: all unchanged when nothing was written."""
    info = target.stat()
    return info.st_ino, info.st_mtime_ns, hashlib.sha256(target.read_bytes()).hexdigest()


def cli_release(work: Path, *options: str):
    result = runner.invoke(app, ["release", "--package", str(work / "datapackage"), "--figures",
                                 str(work / "figures"), "--out", str(work / "dist"), *options])
    assert result.exit_code == 0, result.output
    return result


def test_a_second_run_from_the_same_inputs_writes_nothing_and_says_so(work):
    target = next((work / "dist").glob("*.zip"))
    records = {p.name: p.read_bytes() for p in (work / "dist").iterdir()}
    before = state(target)
    result = cli_release(work)
    assert f"release up to date (skipped): {target}" in result.output
    assert result.stdout.strip().splitlines()[-1] == str(target)
    assert state(target) == before
    assert {p.name: p.read_bytes() for p in (work / "dist").iterdir()} == records


def test_force_rebuilds_the_same_bytes(work):
    target = next((work / "dist").glob("*.zip"))
    inode, _, digest = state(target)
    result = cli_release(work, "--force")
    assert "up to date" not in result.output and f"wrote {target}" in result.output
    assert state(target)[0] != inode, "the zip was not written again"
    assert state(target)[2] == digest, "the same inputs gave other bytes"


def test_one_changed_csv_byte_rebuilds(work):
    csv = work / "datapackage" / "data" / "arrests.csv"
    data = csv.read_bytes()
    position = data.index(b"Phnom Penh")
    csv.write_bytes(data[:position] + b"phnom Penh" + data[position + len(b"Phnom Penh"):])
    target, said = build(work)
    assert said[-1].startswith(f"wrote {target}")
    with zipfile.ZipFile(target) as archive:
        assert archive.read(f"{target.stem}/data/arrests.csv") == csv.read_bytes()
    listing = release_inputs.read_listing(release_inputs.inputs_path(target))
    assert listing[1]["package/data/arrests.csv"] == hashlib.sha256(csv.read_bytes()).hexdigest()
    assert build(work)[1] == [f"release up to date (skipped): {target}"]


def test_a_changed_figure_rebuilds(work):
    figure = work / "figures" / "raids-per-month.csv"
    figure.write_bytes(figure.read_bytes() + b"\n")
    target, said = build(work)
    assert said[-1].startswith(f"wrote {target}")
    with zipfile.ZipFile(target) as archive:
        assert archive.read(f"{target.stem}/figures/raids-per-month.csv") == figure.read_bytes()


def test_other_since_files_or_other_code_rebuild(work, monkeypatch):
    def outcome(changes: bytes) -> str:
        return build(work, extra={"changes.csv": changes})[1][-1].split()[0]

    assert outcome(b"resource,kind\n") == "wrote"
    assert outcome(b"resource,kind\n") == "release"  # release up to date (skipped)
    assert outcome(b"resource,kind,row_id\n") == "wrote"
    monkeypatch.setattr(release_inputs, "code_sha256", lambda: "0" * 64)
    assert outcome(b"resource,kind,row_id\n") == "wrote"


@pytest.mark.parametrize("damage", ["truncated zip", "zip's .sha256 edited", "inputs record missing"])
def test_a_damaged_release_is_rebuilt(work, damage):
    target = next((work / "dist").glob("*.zip"))
    whole = target.read_bytes()
    if damage == "truncated zip":
        target.write_bytes(whole[: len(whole) // 2])
    elif damage == "zip's .sha256 edited":
        release_inputs.sha256_path(target).write_text("0" * 64 + f"  {target.name}\n", encoding="utf-8")
    else:
        release_inputs.inputs_path(target).unlink()
    _, said = build(work)
    assert said[-1].startswith(f"wrote {target}")
    assert target.read_bytes() == whole
    assert release_inputs.sha256_path(target).read_text() == f"{hashlib.sha256(whole).hexdigest()}  {target.name}\n"


def test_a_write_that_stops_half_way_leaves_no_record_and_no_temporary_file(work, monkeypatch):
    target = next((work / "dist").glob("*.zip"))

    def fail(source, destination):
        raise OSError("disk full")

    monkeypatch.setattr(release_inputs.os, "replace", fail)
    with pytest.raises(OSError, match="disk full"):
        build(work, force=True)
    monkeypatch.undo()
    assert sorted(p.name for p in (work / "dist").iterdir()) == [target.name, target.name + ".sha256"]
    assert build(work)[1][-1].startswith(f"wrote {target}")
