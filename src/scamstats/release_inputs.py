"""What a release zip was built from, and whether the zip in place is still that build.

Beside `dist/<name>.zip` and its `<name>.zip.sha256`, `<name>.zip.inputs.sha256` lists the
sha256 of the zip itself and of every input: each file the data package is read from, each
figure and repository file copied into the release, each file a `--since` run adds, and the
code that turns them into Parquet, SQLite and metadata (every file of the scamstats package,
with the versions of Python, zlib, SQLite and the libraries that shape those bytes). A release
whose listing matches, and whose zip and `.sha256` still hold the recorded hash, is not
rewritten; any difference rebuilds it.

Every file is written to a temporary name beside it and renamed into place, the listing
last and only after the zip and its `.sha256`: a build that stops half way leaves no listing
that matches, so a partial zip is never taken for a finished one.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import sqlite3
import uuid
import zlib
from collections.abc import Mapping
from importlib.metadata import version as installed_version
from pathlib import Path

from scamstats.inputs import REFERENCES, package_file
from scamstats.package import Package

INPUTS_SUFFIX = ".inputs.sha256"
SHA256_SUFFIX = ".sha256"
# Libraries whose versions decide the bytes of what the release derives (Parquet, SQLite, metadata).
LIBRARIES = ("polars", "pyarrow", "sqlite-utils", "pyyaml")
CODE_DIR = Path(__file__).resolve().parent
CODE_LABEL = "code"
HEADER = ("# scamstats release: the sha256 of the zip (first line) and of every input it was built from;\n"
          "# `scamstats release` rebuilds the zip when any of them changes, or with --force.\n")


def bytes_sha256(data: bytes) -> str:
    """Return the sha256 of `data` in hex."""
    return hashlib.sha256(data).hexdigest()


def file_sha256(path: Path) -> str:
    """Return the sha256 of the file at `path` in hex, read in blocks."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def code_sha256() -> str:
    """Return the sha256 of every file of the scamstats package (compiled files aside), with the
    versions of Python, zlib, SQLite and the libraries that shape a release's derived files."""
    versions = [f"python {platform.python_version()}", f"zlib {zlib.ZLIB_RUNTIME_VERSION}",
                f"sqlite {sqlite3.sqlite_version}", *(f"{name} {installed_version(name)}" for name in LIBRARIES)]
    digest = hashlib.sha256(("; ".join(versions) + "\n").encode())
    for path in sorted(CODE_DIR.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(f"{path.relative_to(CODE_DIR).as_posix()}\n".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def package_files(package: Package) -> dict[str, Path]:
    """Return the files the package is read from, as {"package/<path in the package>": file}: the
    descriptor, every resource's data, schema and dialect given by path, and the codebook."""
    location = Path(package.descriptor_location)
    raw = json.loads(location.read_bytes())
    files = {location.name: location}
    for resource in raw.get("resources", []):
        for key in ("path", *REFERENCES):
            if isinstance(resource.get(key), str):
                files[resource[key]] = package_file(package.directory, resource[key], f"resource {resource.get('name')!r}",
                                                     location.name, key)
    codebook = Path(package.directory) / "README.md"
    if codebook.is_file():
        files["README.md"] = codebook
    return {f"package/{name}": path for name, path in files.items()}


def input_sha256s(files: Mapping[str, Path], added: Mapping[str, bytes]) -> dict[str, str]:
    """Return {label: sha256} for the input files, the files added as bytes and the code."""
    digests = {label: file_sha256(path) for label, path in files.items()}
    digests.update({label: bytes_sha256(data) for label, data in added.items()})
    digests[CODE_LABEL] = code_sha256()
    return dict(sorted(digests.items()))


def inputs_path(target: Path) -> Path:
    """Return where the listing of `target`'s inputs is kept: `<zip>.inputs.sha256`."""
    return target.with_name(target.name + INPUTS_SUFFIX)


def sha256_path(target: Path) -> Path:
    """Return where `target`'s own sha256 is kept: `<zip>.sha256`."""
    return target.with_name(target.name + SHA256_SUFFIX)


def sha256_line(digest: str, target: Path) -> str:
    """Return the `sha256sum` line of `target`: the digest, two spaces and the file's name."""
    return f"{digest}  {target.name}\n"


def listing_text(target: Path, zip_sha256: str, inputs: Mapping[str, str]) -> str:
    """Return the listing: a header, the zip's line, then one `<sha256>  <label>` line an input."""
    return HEADER + sha256_line(zip_sha256, target) + "".join(f"{d}  {label}\n" for label, d in inputs.items())


def read_listing(path: Path) -> tuple[str, dict[str, str]] | None:
    """Return (the zip's sha256, {label: sha256}) from a listing; None when missing or malformed."""
    try:
        lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
        pairs = [line.split("  ", 1) for line in lines]
        if not pairs or any(len(pair) != 2 or len(pair[0]) != 64 for pair in pairs):
            return None
    except (OSError, UnicodeDecodeError):
        return None
    (zip_sha256, _), *inputs = pairs
    return zip_sha256, {label: digest for digest, label in inputs}


def is_up_to_date(target: Path, inputs: Mapping[str, str]) -> bool:
    """Return whether `target` was built from exactly `inputs` and is whole: its listing names
    these inputs, and the zip and its `.sha256` both hold the hash the listing records."""
    listing = read_listing(inputs_path(target))
    if listing is None or listing[1] != dict(inputs):
        return False
    zip_sha256 = listing[0]
    try:
        recorded = sha256_path(target).read_text(encoding="utf-8")
        return recorded == sha256_line(zip_sha256, target) and file_sha256(target) == zip_sha256
    except OSError:
        return False


def replace_file(path: Path, data: bytes) -> None:
    """Write `data` to a temporary file beside `path`, then rename it over `path` (atomic)."""
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex[:12]}.tmp")
    try:
        with temporary.open("xb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def write_release_files(target: Path, data: bytes, inputs: Mapping[str, str]) -> str:
    """Write the zip, its `.sha256` and the listing of its inputs, in that order, each whole or
    not at all; return the zip's sha256. The old listing goes first, so that no stop half way
    leaves a listing that matches."""
    digest = bytes_sha256(data)
    inputs_path(target).unlink(missing_ok=True)
    replace_file(target, data)
    replace_file(sha256_path(target), sha256_line(digest, target).encode("utf-8"))
    replace_file(inputs_path(target), listing_text(target, digest, inputs).encode("utf-8"))
    return digest
