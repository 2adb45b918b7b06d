"""Opening another version of the package: a folder, a `datapackage.json`, a release zip or a
git revision of this repository, read into a temporary folder that lives as long as the
`opened` context.

A git revision is read with `git archive` (the package folder only, as committed at that
revision); nothing in the working tree is touched. `revision_with_descriptor` finds the commit
whose `datapackage.json` has a given sha256 (the hash every citation carries).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import subprocess
import tarfile
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from scamstats.package import Package, UnusableInput, load_package
from scamstats.paths import DESCRIPTOR_NAME, PACKAGE_DIR, REPO_DIR


class UnknownVersion(Exception):
    """The text names no folder, descriptor, zip or git revision that holds a package."""


@dataclass(frozen=True)
class Version:
    """A package read from somewhere, and how to name where in a sentence."""

    package: Package
    label: str


def package_subdir(repo_dir: Path = REPO_DIR, package_dir: Path = PACKAGE_DIR) -> str:
    """Return the package folder's path inside the repository, as git spells it."""
    try:
        return Path(package_dir).resolve().relative_to(Path(repo_dir).resolve()).as_posix()
    except ValueError:
        return PACKAGE_DIR.relative_to(REPO_DIR).as_posix()


def _git(repo_dir: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-C", str(repo_dir), *args], capture_output=True, check=False)


def resolve_revision(revision: str, repo_dir: Path = REPO_DIR) -> str | None:
    """Return the full commit id a git revision names in the repository, or None."""
    if revision.startswith("-"):
        return None
    try:
        result = _git(repo_dir, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    except OSError:  # no git on this machine
        return None
    return result.stdout.decode().strip() if result.returncode == 0 else None


def _descriptor_in(folder: Path) -> Path:
    """The datapackage.json of a folder or of one folder inside it (a release zip's layout)."""
    found = sorted([*folder.glob(DESCRIPTOR_NAME), *folder.glob(f"*/{DESCRIPTOR_NAME}")],
                   key=lambda p: (len(p.parts), str(p)))
    if not found:
        raise UnknownVersion(f"{folder}: no {DESCRIPTOR_NAME} inside")
    return found[0]


def _extract_zip(zip_path: Path, into: Path) -> Path:
    try:
        with zipfile.ZipFile(zip_path) as archive:
            for name in archive.namelist():
                posix = PurePosixPath(name)
                if posix.is_absolute() or ".." in posix.parts:
                    raise UnknownVersion(f"{zip_path}: entry {name!r} leaves the archive")
            archive.extractall(into)
    except zipfile.BadZipFile:
        raise UnknownVersion(f"{zip_path}: not a zip file") from None
    return _descriptor_in(into)


def _extract_revision(commit: str, subdir: str, repo_dir: Path, into: Path) -> Path:
    result = _git(repo_dir, "archive", "--format=tar", commit, "--", subdir)
    if result.returncode != 0:
        message = result.stderr.decode(errors="replace").strip()
        raise UnknownVersion(f"git revision {commit[:12]} has no {subdir}/: {message}")
    with tarfile.open(fileobj=io.BytesIO(result.stdout)) as archive:
        archive.extractall(into, filter="data")
    descriptor = into / subdir / DESCRIPTOR_NAME
    if not descriptor.is_file():
        raise UnknownVersion(f"git revision {commit[:12]} has no {subdir}/{DESCRIPTOR_NAME}")
    return descriptor


@contextlib.contextmanager
def opened(spec: str | Path, repo_dir: Path = REPO_DIR, package_dir: Path = PACKAGE_DIR) -> Iterator[Version]:
    """Yield the package that `spec` names: a package folder (or a folder holding one, such as
    an unzipped release), a `datapackage.json`, a release zip, or a git revision of repo_dir
    (its `package_dir` as committed then). Raise UnknownVersion when it names none of these,
    UnusableInput when the package found cannot be read."""
    path = Path(spec)
    with tempfile.TemporaryDirectory(prefix="scamstats-version-") as temporary:
        if path.is_dir():
            descriptor = path / DESCRIPTOR_NAME
            yield Version(load_package(descriptor if descriptor.is_file() else _descriptor_in(path)), str(spec))
        elif path.is_file() and path.suffix == ".zip":
            yield Version(load_package(_extract_zip(path, Path(temporary))), path.name)
        elif path.is_file():
            yield Version(load_package(path), str(spec))
        else:
            commit = resolve_revision(str(spec), repo_dir)
            if commit is None:
                raise UnknownVersion(
                    f"{spec}: not a package folder, a {DESCRIPTOR_NAME}, a release zip or a git revision"
                )
            subdir = package_subdir(repo_dir, package_dir)
            descriptor = _extract_revision(commit, subdir, repo_dir, Path(temporary))
            label = f"git {spec}" if commit.startswith(str(spec)) else f"git {spec}, commit {commit[:12]}"
            yield Version(load_package(descriptor), label)


def revision_with_descriptor(sha256_prefix: str, repo_dir: Path = REPO_DIR,
                             package_dir: Path = PACKAGE_DIR) -> str | None:
    """Return the newest commit whose committed `datapackage.json` has a sha256 starting with
    `sha256_prefix` (at least 12 hex digits), or None (no git, no such commit)."""
    prefix = sha256_prefix.lower()
    if len(prefix) < 12:
        return None
    path = f"{package_subdir(repo_dir, package_dir)}/{DESCRIPTOR_NAME}"
    try:
        log = _git(repo_dir, "log", "--format=%H", "--", path)
    except OSError:
        return None
    for commit in log.stdout.decode().split():
        shown = _git(repo_dir, "show", f"{commit}:{path}")
        if shown.returncode == 0 and hashlib.sha256(shown.stdout).hexdigest().startswith(prefix):
            return commit
    return None


__all__ = ["UnknownVersion", "UnusableInput", "Version", "opened", "package_subdir", "resolve_revision",
           "revision_with_descriptor"]
