"""What the command-line modules share: the package option and reading a package or a version
with a one-line error (exit code 2) instead of a traceback."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import typer

from scamstats.package import Package, UnusableInput, load_package
from scamstats.paths import PACKAGE_DIR
from scamstats.versions import UnknownVersion

T = TypeVar("T")

PackageOption = typer.Option(None, "--package", help="The package folder (default: the shipped package).")


def load_or_exit(path: Path | None) -> Package:
    """Return the package at `path` (default: the shipped one), or exit 2 with one line."""
    return or_exit(lambda: load_package(path or PACKAGE_DIR))


def or_exit(compute: Callable[[], T]) -> T:
    """Return compute(), turning an unreadable package or unknown version into a one-line
    error on stderr and exit code 2."""
    try:
        return compute()
    except UnknownVersion as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2) from None
    except UnusableInput as error:
        typer.echo(f"{error.file}: {error.message}", err=True)
        raise typer.Exit(2) from None
