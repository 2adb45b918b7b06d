"""The commands about versions and reuse: `diff`, `database`, `metadata`, and the work behind
`cite --check`. Registered on the `scamstats` app by `scamstats.cli`; each calls the library."""

from __future__ import annotations

from pathlib import Path

import typer

from scamstats.cli_helpers import PackageOption, load_or_exit, or_exit
from scamstats.package import Package
from scamstats.paths import BUILD_DIR, PACKAGE_DIR

DiffFormatOption = typer.Option("text", "--format", help="text (for people), csv or json (for machines).")
CurationOption = typer.Option(
    None, "--curation", help="The curation record giving reasons (default: this repository's curation/).",
    show_default=False)
OldArgument = typer.Argument(..., help="The older package: a folder, datapackage.json, release zip or git revision.")
NewArgument = typer.Argument(None, help="The newer one, the same kinds (default: the shipped package).",
                             show_default=False)
DatabaseOutOption = typer.Option(BUILD_DIR, "--out", help="Folder to write the database and its metadata into.")
MetadataKindArgument = typer.Argument(..., help="zenodo (.zenodo.json) or jsonld (schema.org Dataset).")


def diff(old: str = OldArgument, new: str = NewArgument, fmt: str = DiffFormatOption,
         curation: Path = CurationOption) -> None:
    """Show the rows added, removed and changed between two versions of the package.

    Rows are matched by primary key, resource by resource; a changed field is shown before ->
    after; every row added or removed with its quote, and the reason where the curation record
    (curation/rejected.tsv, overrides.jsonl) gives one. A changed id is a removal and an
    addition unless the data says one row replaces the other (see the README). Exit code 2
    when a version cannot be read.

    Example:  scamstats diff HEAD~5 datapackage/
    Example:  scamstats diff old-release.zip new-release.zip --format csv > changes.csv
    """
    from scamstats import diff as diff_module
    from scamstats import diff_report, versions
    from scamstats.curation_record import CURATION_DIR, read_curation_record

    if fmt not in diff_report.FORMATS:
        typer.echo(f"error: unknown format {fmt!r}: use {', '.join(diff_report.FORMATS)}", err=True)
        raise typer.Exit(2)
    record = read_curation_record(curation or CURATION_DIR)

    def compute() -> str:
        with versions.opened(old) as before, versions.opened(new or PACKAGE_DIR) as after:
            changes = diff_module.diff_packages(before.package, after.package, record)
            return diff_report.render(changes, before.label, after.label, fmt)

    typer.echo(or_exit(compute), nl=False)


def check_citations(check: Path, loaded: Package, old: str | None) -> None:
    """`cite --check`: print a verdict per cited figure; exit 0 when all are current, else 1."""
    from scamstats import citecheck
    from scamstats.curation_record import read_curation_record

    try:
        citations = citecheck.read_citations(check)
        checks = or_exit(lambda: citecheck.check_citations(citations, loaded, old, read_curation_record()))
    except citecheck.UnreadableCitation as error:
        typer.echo(f"error: {check}: {error}", err=True)
        raise typer.Exit(2) from None
    for verdict in checks:
        typer.echo(verdict.line())
    stale = [c for c in checks if c.status != "current"]
    typer.echo(f"{len(checks) - len(stale)} of {len(checks)} current against version {loaded.version}", err=True)
    raise typer.Exit(1 if stale else 0)


def database(out: Path = DatabaseOutOption, path: Path = PackageOption) -> None:
    """Write the package as a SQLite database with Datasette metadata (the release holds both).

    Every resource a table (keys, column descriptions in _columns), a full-text index over
    quotes, notes and source titles in any script, and views. Open it with
    `datasette DB -m datasette-metadata.json`. Byte-identical on rebuild.

    Example:  scamstats database --out build/
    """
    from scamstats import database as database_module
    from scamstats import metadata

    loaded = load_or_exit(path)
    target = database_module.build_database(loaded, Path(out) / database_module.database_name(loaded))
    meta = Path(out) / database_module.DATASETTE_METADATA_NAME
    meta.write_bytes(metadata.json_bytes(database_module.datasette_metadata(loaded)))
    typer.echo(f"datasette {target} -m {meta}")


def metadata(kind: str = MetadataKindArgument, path: Path = PackageOption) -> None:
    """Print archive metadata generated from datapackage.json and CITATION.cff.

    zenodo: the .zenodo.json deposit record; jsonld: the schema.org Dataset JSON-LD for the
    codebook page. The release holds both.

    Example:  scamstats metadata zenodo > .zenodo.json
    """
    from scamstats import metadata as metadata_module

    loaded = load_or_exit(path)
    citation = metadata_module.read_citation_file()
    documents = {"zenodo": lambda: metadata_module.zenodo_record(loaded, citation),
                 "jsonld": lambda: metadata_module.dataset_jsonld(loaded, citation)}
    if kind not in documents:
        typer.echo(f"error: unknown metadata {kind!r}: use zenodo or jsonld", err=True)
        raise typer.Exit(2)
    typer.echo(metadata_module.json_bytes(documents[kind]()).decode("utf-8"), nl=False)


def register(app: typer.Typer) -> None:
    """Add the commands of this module to the app (after `release`, before `dashboard`)."""
    for command in (diff, database, metadata):
        app.command()(command)
