"""The release zip: the package, Parquet copies, the codebook, citation and licences, the
figures, the SQLite database and archive metadata, in one deterministic file.

Entries are sorted and carry a fixed timestamp, so the same inputs give a byte-identical zip.
A zip already in place that was built from the same inputs (`release_inputs`) is kept as it
is unless forced: "release up to date (skipped)".
"""

from __future__ import annotations

import io
import json
import tempfile
import zipfile
from collections.abc import Mapping
from pathlib import Path

import polars as pl

from scamstats import cite, release_inputs
from scamstats.export import (
    CONTACT_SHEET,
    ExportError,
    Progress,
    export_figures,
    refuse_package_folder,
    stderr_progress,
)
from scamstats.package import Package, resource_file
from scamstats.paths import REPO_DIR

ZIP_TIMESTAMP = (1980, 1, 1, 0, 0, 0)  # the earliest a zip can hold: nothing depends on the clock
RELEASE_ROOT_FILES = ("CITATION.cff", "LICENSE", "LICENSE-DATA", "CHANGELOG.md")
SKIPPED = "release up to date (skipped)"


def parquet_bytes(frame: pl.DataFrame) -> bytes:
    """Return the frame as Parquet (zstd), written the same way every time."""
    import pyarrow.parquet as pq  # here, not at the top, as the database: a release up to date needs neither

    buffer = io.BytesIO()
    pq.write_table(frame.to_arrow(), buffer, compression="zstd", write_statistics=True)
    return buffer.getvalue()


def release_name(package: Package) -> str:
    """Return the release's base name: '<package name>-<version>'."""
    return f"{package.descriptor.get('name', 'package')}-{package.version}"


def _zip_entry(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=ZIP_TIMESTAMP)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3
    info.external_attr = 0o100644 << 16
    archive.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)


def zip_bytes(members: Mapping[str, bytes]) -> bytes:
    """Return the zip of `members` ({path inside the zip: bytes}), sorted, at a fixed time."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(members):
            _zip_entry(archive, name, members[name])
    return buffer.getvalue()


def queryable_members(package: Package, repo_dir: Path = REPO_DIR) -> dict[str, bytes]:
    """Return the release's database and metadata as {name in the release folder: bytes}: the
    SQLite database with its Datasette metadata, `.zenodo.json` and `datapackage.jsonld`."""
    from scamstats import database, metadata

    citation = metadata.read_citation_file(repo_dir)
    db_name = database.database_name(package)
    downloads = [(db_name, "application/vnd.sqlite3", "SQLite database (tables, full-text index, views)")]
    return {
        db_name: database.database_bytes(package),
        database.DATASETTE_METADATA_NAME: metadata.json_bytes(database.datasette_metadata(package)),
        metadata.ZENODO_NAME: metadata.json_bytes(metadata.zenodo_record(package, citation)),
        metadata.JSONLD_NAME: metadata.json_bytes(metadata.dataset_jsonld(package, citation, downloads)),
    }


def package_copies(package: Package) -> dict[str, Path]:
    """Return the package files the release holds as they are, as {name in the release folder:
    file}: datapackage.json, every resource's data file and the codebook."""
    files = {"datapackage.json": Path(package.descriptor_location)}
    for resource in package.descriptor["resources"]:
        files[resource["path"]] = resource_file(package.directory, resource)
    codebook = Path(package.directory) / "README.md"
    if codebook.is_file():
        files["README.md"] = codebook
    return files


def build_copies(figures_dir: Path, repo_dir: Path = REPO_DIR) -> dict[str, Path]:
    """Return the other files the release holds as they are, as {name in the release folder:
    file}: the citation, licences and changelog of the repository, and every figure file."""
    files = {name: Path(repo_dir) / name for name in RELEASE_ROOT_FILES if (Path(repo_dir) / name).is_file()}
    for path in sorted(Path(figures_dir).iterdir()):
        # The contact sheet is for reviewing the figures before a release, not part of it.
        if path.is_file() and path.name != CONTACT_SHEET:
            files[f"figures/{path.name}"] = path
    return files


def release_members(package: Package, figures_dir: Path, repo_dir: Path = REPO_DIR,
                    extra: Mapping[str, bytes] | None = None) -> dict[str, bytes]:
    """Return every file of the release as {path inside the zip: bytes}; `extra` adds files
    (named inside the release folder), such as `changes.csv`."""
    copies = {**package_copies(package), **build_copies(figures_dir, repo_dir)}
    parquet = {f"parquet/{resource['name']}.parquet": parquet_bytes(package.tables[resource["name"]])
               for resource in package.descriptor["resources"]}
    members = {**{name: path.read_bytes() for name, path in copies.items()}, **parquet,
               **queryable_members(package, repo_dir), **(extra or {})}
    root = release_name(package)
    return {f"{root}/{name}": data for name, data in members.items()}


def release_input_sha256s(package: Package, figures_dir: Path, repo_dir: Path = REPO_DIR,
                          extra: Mapping[str, bytes] | None = None) -> dict[str, str]:
    """Return {input: sha256} for everything the release is made from: the package's files, the
    repository and figure files it copies (those `extra` replaces aside), `extra` and the code."""
    extra = extra or {}
    copies = {name: path for name, path in build_copies(figures_dir, repo_dir).items() if name not in extra}
    return release_inputs.input_sha256s({**release_inputs.package_files(package), **copies}, extra)


def build_release(
    package: Package,
    out_dir: Path,
    figures_dir: Path | None = None,
    progress: Progress | None = stderr_progress,
    repo_dir: Path = REPO_DIR,
    extra: Mapping[str, bytes] | None = None,
    force: bool = True,
) -> Path:
    """Write `<name>-<version>.zip` (with its `.sha256` and `.inputs.sha256`) into out_dir;
    return the zip's path.

    Holds datapackage.json, the CSVs, Parquet copies, the codebook, CITATION.cff, the licences,
    the changelog, the figures with their manifest, the SQLite database with its Datasette
    metadata, `.zenodo.json`, `datapackage.jsonld` and the `extra` files (`changes.csv`).
    Figures are built afresh unless figures_dir holds a manifest made from this very package.
    Unless `force`, a zip in out_dir built from the same inputs, whole, is kept ("release up to
    date (skipped)").
    """
    refuse_package_folder(package, out_dir)
    say = progress or (lambda _message: None)
    target = Path(out_dir) / f"{release_name(package)}.zip"
    with tempfile.TemporaryDirectory(prefix="scamstats-figures-") as temporary:
        if figures_dir is None:
            figures_dir = Path(temporary)
            export_figures(package, figures_dir, progress=progress)
        else:
            check_figures_match(package, Path(figures_dir))
        inputs = release_input_sha256s(package, Path(figures_dir), repo_dir, extra)
        if not force and release_inputs.is_up_to_date(target, inputs):
            say(f"{SKIPPED}: {target}")
            return target
        members = release_members(package, Path(figures_dir), repo_dir, extra)
    target.parent.mkdir(parents=True, exist_ok=True)
    data = zip_bytes(members)
    digest = release_inputs.write_release_files(target, data, inputs)
    say(f"wrote {target} ({len(members)} files, {len(data):,} bytes, sha256 {digest})")
    return target


def check_figures_match(package: Package, figures_dir: Path) -> None:
    """Raise ExportError unless figures_dir holds a figure manifest built from this package."""
    manifest_path = figures_dir / "manifest.json"
    if not manifest_path.is_file():
        raise ExportError(f"{figures_dir}: no manifest.json; build the figures first (scamstats figures)")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        built_from = manifest["package"]["descriptor_sha256"]
    except (ValueError, KeyError, TypeError):
        raise ExportError(f"{manifest_path}: not a scamstats figure manifest") from None
    if built_from != cite.descriptor_sha256(package):
        raise ExportError(f"{figures_dir}: figures were built from another package version; rebuild them")
