"""The `scamstats` command line: a thin layer, each command calling one library function."""

from __future__ import annotations

from pathlib import Path

import typer

from scamstats import package as package_module
from scamstats import stats
from scamstats.package import UnusableInput
from scamstats.paths import PACKAGE_DIR
from scamstats.validate import validate_package

app = typer.Typer(
    help="Sourced, validated open data about Cambodia's scam compounds.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

PackageArgument = typer.Argument(
    None, help="The package folder or its datapackage.json (default: the shipped package).",
    show_default=False,
)


@app.command()
def validate(path: Path = PackageArgument) -> None:
    """Check the descriptor, every row and the domain rules; print one line per problem.

    Exit code 0 when valid, 1 when invalid, 2 when the input cannot be read.

    Example:  scamstats validate datapackage/
    """
    report = validate_package(path or PACKAGE_DIR)
    for problem in report.problems:
        typer.echo(problem.line())
    typer.echo(report.summary(), err=bool(report.problems))
    raise typer.Exit(report.exit_code)


@app.command()
def info(path: Path = PackageArgument) -> None:
    """Print the package version, its resources, row counts and date coverage.

    Example:  scamstats info
    """
    try:
        loaded = package_module.load_package(path or PACKAGE_DIR)
    except UnusableInput as error:
        typer.echo(f"{error.file}: {error.message}", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"{loaded.descriptor.get('name')} version {loaded.version}")
    for row in stats.table_coverage(loaded).iter_rows(named=True):
        span = f"{row['first_date']} to {row['last_date']}" if row["first_date"] else "no dates"
        typer.echo(f"  {row['resource']:<10} {row['rows']:>6} rows   {span}")


@app.command()
def rehash(path: Path = PackageArgument) -> None:
    """Update each resource's bytes and sha256 hash in datapackage.json after editing a CSV.

    The only command that writes into the package folder.

    Example:  scamstats rehash
    """
    try:
        changes = package_module.rehash(path or PACKAGE_DIR)
    except UnusableInput as error:
        typer.echo(f"{error.file}: {error.message}", err=True)
        raise typer.Exit(2) from None
    for file, size, digest in changes:
        typer.echo(f"{file}: {size} bytes, {digest}")


if __name__ == "__main__":
    app()
