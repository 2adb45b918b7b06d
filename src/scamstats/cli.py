"""The `scamstats` command line: a thin layer, each command calling one library function.

Every input gets a verdict, and each exit code has one meaning:
0 valid (or done), 1 invalid, 2 unusable input (unreadable, not a package, refused for its
size), 3 internal error (a crash scamstats did not foresee: a bug, never a verdict on the
input), 130 interrupted (Ctrl+C). Nothing the input holds reaches the terminal raw.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import click
import typer

from scamstats import cli_versions
from scamstats import package as package_module
from scamstats.cli_helpers import PackageOption, or_exit
from scamstats.package import UnusableInput
from scamstats.paths import BUILD_DIR, DIST_DIR, PACKAGE_DIR, REPO_DIR
from scamstats.validate import validate_package
from scamstats.validation.report import printable

INTERNAL_ERROR = 3
INTERRUPTED = 130

# Set by `main` (the installed command) only: under typer's test runner the process goes on.
_exit_at_once = False

app = typer.Typer(
    help="Sourced, validated open data about Cambodia's scam compounds.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

PackageArgument = typer.Argument(
    None, help="The package folder, or the descriptor file to read (default: the shipped package).",
    show_default=False, readable=False,  # an unreadable path is reported as such, exit code 2
)


def say_error(text: str) -> None:
    """Print one line on stderr, with anything the input put in it escaped."""
    typer.echo(printable(text), err=True)


@contextlib.contextmanager
def verdict_for(target: Path) -> Iterator[None]:
    """Turn what the block raises into a verdict: exit 2 for input scamstats cannot use, and
    for anything else (a bug) exit 3 with the input named, never a traceback, never exit 1."""
    try:
        yield
    except UnusableInput as error:
        say_error(f"{error.file}: {error.message}")
        raise typer.Exit(2) from None
    except (typer.Exit, click.exceptions.Exit, click.ClickException, click.exceptions.Abort, SystemExit):
        raise
    except KeyboardInterrupt:
        say_error("interrupted")
        raise typer.Exit(INTERRUPTED) from None
    except BaseException as error:  # the top of the command: every crash is reported
        if os.environ.get("SCAMSTATS_DEBUG"):
            raise
        reason = (str(error).strip().splitlines() or [""])[0][:200]
        say_error(f"internal error while reading {target}: {type(error).__name__}: {reason} "
                  "(a bug in scamstats, not a verdict on the input; set SCAMSTATS_DEBUG=1 for the traceback)")
        raise typer.Exit(INTERNAL_ERROR) from None


@app.command()
def validate(path: Path = PackageArgument) -> None:
    """Check the descriptor, every row and the domain rules; print one line per problem.

    Exit codes: 0 valid, 1 invalid, 2 unusable input (unreadable, not a package, refused for
    its size), 3 internal error (a bug in scamstats, with the input named). At most 1,000
    problems are listed per file and check, then a count.

    Example:  scamstats validate datapackage/
    """
    target = path or PACKAGE_DIR
    with verdict_for(target):
        report = validate_package(target)
        lines = [problem.line() for problem in report.problems]
    for line in lines:
        typer.echo(line)
    typer.echo(report.summary(), err=bool(report.problems))
    if _exit_at_once:
        # Nothing is left to write or close: skip tearing down the frames of a large package
        # (a fifth of a second at a million rows).
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(report.exit_code)
    raise typer.Exit(report.exit_code)


@app.command()
def info(path: Path = PackageArgument) -> None:
    """Print the package version, its resources, row counts and date coverage.

    Exit codes: 0 done, 2 unusable input, 3 internal error.

    Example:  scamstats info
    """
    from scamstats import labels, stats  # here, not at the top: `validate` does not need it

    target = path or PACKAGE_DIR
    with verdict_for(target):
        loaded = package_module.load_package(target)
        lines = [f"{loaded.descriptor.get('name')} version {loaded.version}"]
        for row in stats.table_coverage(loaded).iter_rows(named=True):
            span = f"{row['first_date']} to {row['last_date']}" if row["first_date"] else "no dates"
            lines.append(f"  {row['resource']:<10} {row['rows']:>6} rows   {span}")
        lines.append(labels.covered_until_note(stats.covered_until(loaded)))
    for line in lines:
        typer.echo(printable(line))


@app.command()
def rehash(path: Path = PackageArgument) -> None:
    """Update each resource's bytes and sha256 hash in the descriptor after editing a CSV.

    The only command that writes into the package folder, and only the descriptor named (or
    the folder's datapackage.json): whole or not at all, a symlink kept, standard JSON only.
    Refuses a descriptor with duplicate keys or NaN, and files that are not regular files.
    Exit codes: 0 done, 2 unusable input (nothing written), 3 internal error (nothing written).

    Example:  scamstats rehash
    """
    target = path or PACKAGE_DIR
    with verdict_for(target):
        changes = package_module.rehash(target)
    for file, size, digest in changes:
        typer.echo(printable(f"{file}: {size} bytes, {digest}"))


FiguresOutOption = typer.Option(BUILD_DIR / "figures", "--out", help="Folder to write the figures into.")
OnlyOption = typer.Option(None, "--only", help="Build only this figure id (repeatable).")
ListOption = typer.Option(False, "--list", help="List the figure ids and titles, build nothing.")
ForceOption = typer.Option(False, "--force", help="Rebuild even when the figures in --out are up to date.")
FigureIdArgument = typer.Argument(None, help="A figure id (see 'scamstats figures --list'); none for the package.")
StyleOption = typer.Option("both", "--style", help="plain, bibtex or both.")
ReleaseOutOption = typer.Option(DIST_DIR, "--out", help="Folder to write the zip into.")
FiguresDirOption = typer.Option(
    None, "--figures", help="Use figures already built from this package (default: build them afresh)."
)


def _load_or_exit(path: Path | None) -> package_module.Package:
    with verdict_for(path or PACKAGE_DIR):
        return package_module.load_package(path or PACKAGE_DIR)


@app.command()
def figures(
    out: Path = FiguresOutOption,
    only: list[str] = OnlyOption,
    path: Path = PackageOption,
    list_only: bool = ListOption,
    force: bool = ForceOption,
) -> None:
    """Build every figure as PNG, SVG, offline HTML and the CSV of its data, with manifest.json
    and contact-sheet.png (every figure on one page, for review).

    Static images are drawn by Debian's chromium through kaleido (one browser for the set).
    The HTML pages share one plotly.min.js beside them. Rebuilding from the same package gives
    byte-identical files; when --out already holds figures built from the same package, code
    and formats, nothing is rebuilt ("figures up to date (skipped)") unless --force. Exit code
    2 on bad input.

    Example:  scamstats figures --out build/figures
    """
    from scamstats import export
    from scamstats import figures as figures_module

    if list_only:
        for figure_id in figures_module.figure_ids():
            typer.echo(f"{figure_id:<38} {figures_module.get(figure_id).title}")
        return
    loaded = _load_or_exit(path)
    try:
        manifest = export.export_figures(loaded, out, figure_ids=only or None, force=force,
                                         progress=lambda message: typer.echo(message, err=True))
    except (export.ExportError, figures_module.UnknownFigure) as error:
        say_error(f"error: {error}")
        raise typer.Exit(2) from None
    typer.echo(f"{len(manifest['figures'])} figures in {out}")


CheckOption = typer.Option(
    None, "--check", help="A manifest.json, release zip or citation text from an older release: "
    "say for each figure it cites whether the data behind it changed.", show_default=False)
OldOption = typer.Option(None, "--old", help="With --check: the cited release (folder, zip or git revision), "
                         "when it is not found by itself.", show_default=False)


@app.command()
def cite(
    figure_id: str = FigureIdArgument,
    style: str = StyleOption,
    path: Path = PackageOption,
    check: Path = CheckOption,
    old: str = OldOption,
) -> None:
    """Print the citation of the data package, or of one figure, as plain text and BibTeX.

    With the package version and the sha256 of its datapackage.json; for a figure built in
    build/figures from this very package, also the sha256 of its files.

    With --check, read what an older release cited (its figures/manifest.json, the release zip,
    or a citation as this command prints it) and say, figure by figure, whether the data behind
    it changed and how. Exit code 0 when every figure is current, 1 when any changed (or cannot
    be told), 2 when the input cannot be read.

    Example:  scamstats cite raids-per-month --style bibtex
    Example:  scamstats cite --check old-release/figures/manifest.json
    """
    from scamstats import cite as cite_module
    from scamstats import figures as figures_module

    loaded = _load_or_exit(path)
    if check is not None:
        cli_versions.check_citations(check, loaded, old)
        return
    try:
        hashes = cite_module.built_figure_hashes(loaded, figure_id, BUILD_DIR / "figures") if figure_id else None
        citation = cite_module.citation(loaded, figure_id, style, figure_sha256=hashes)
        typer.echo("\n".join(printable(line) for line in citation.split("\n")))  # the descriptor's text, escaped
    except (ValueError, figures_module.UnknownFigure) as error:
        say_error(f"error: {error}")
        raise typer.Exit(2) from None


SinceOption = typer.Option(
    None, "--since", help="The previous release (folder, datapackage.json, zip or git revision): write "
    "changes.csv into the release and a generated section into CHANGELOG.md.", show_default=False)
DateOption = typer.Option(None, "--date", help="With --since: the date of the changelog section "
                          "(default: SOURCE_DATE_EPOCH, else today).", show_default=False)
ChangelogOption = typer.Option(REPO_DIR / "CHANGELOG.md", "--changelog", help="With --since: the changelog to write.")
ReleaseForceOption = typer.Option(False, "--force", help="Rebuild even when the zip in --out is up to date.")


@app.command()
def release(
    out: Path = ReleaseOutOption,
    figures_dir: Path = FiguresDirOption,
    path: Path = PackageOption,
    since: str = SinceOption,
    date: str = DateOption,
    changelog_path: Path = ChangelogOption,
    force: bool = ReleaseForceOption,
) -> None:
    """Write the release zip: data, Parquet copies, codebook, citation, licences, figures, database.

    It holds datapackage.json, the CSVs, Parquet copies, the codebook, CITATION.cff, the
    licences, the changelog, the figures, the SQLite database with its Datasette metadata,
    .zenodo.json and datapackage.jsonld. Fixed timestamps and order: byte-identical on rebuild.

    Beside the zip, ZIP.sha256 holds its sha256 and ZIP.inputs.sha256 the sha256 of every input
    (package files, figures, repository files, --since files, code). When the zip in --out was
    built from the same inputs and is whole, it is kept as it is ("release up to date
    (skipped)") unless --force.

    With --since PREVIOUS (a folder, zip or git revision), also changes.csv (every row added,
    removed or changed since) and a dated section of CHANGELOG.md generated from it, replaced,
    not repeated, when the same version is released again.

    Validate first: a package that fails validation is refused (exit code 1).

    Example:  scamstats release --out dist/
    Example:  scamstats release --out dist/ --since v0.1.0
    """
    from scamstats import changelog, export
    from scamstats import release as release_module

    with verdict_for(path or PACKAGE_DIR):
        report = validate_package(path or PACKAGE_DIR)
    if report.exit_code:
        for problem in report.problems[:20]:
            typer.echo(problem.line(), err=True)
        typer.echo(f"error: the package is not valid ({report.summary()}); no release written", err=True)
        raise typer.Exit(report.exit_code)
    loaded = _load_or_exit(path)
    extra = None
    if since is not None:
        extra = or_exit(lambda: changelog.release_files(since, loaded, changelog_path, date))
    try:
        target = release_module.build_release(loaded, out, figures_dir=figures_dir, extra=extra, force=force,
                                              progress=lambda message: typer.echo(message, err=True))
    except export.ExportError as error:
        say_error(f"error: {error}")
        raise typer.Exit(2) from None
    if extra:
        Path(changelog_path).write_bytes(extra[changelog.CHANGELOG_NAME])
        typer.echo(f"wrote the {loaded.version} section of {changelog_path}", err=True)
    typer.echo(str(target))


@app.command()
def dashboard(
    port: int = typer.Option(8501, "--port", help="Port to serve on, on 127.0.0.1 only."),
    headless: bool = typer.Option(False, "--headless", help="Do not open a browser window."),
    base_url: str = typer.Option(
        None, "--base-url", show_default=False,
        help="Public address that view links in citations start with (default: $SCAMSTATS_BASE_URL, "
             "else the package's homepage). Never this machine's address."),
) -> None:
    """Open the dashboard: trends over time, every number with its source and quote, downloads.

    Serves dashboard/app.py with Streamlit on http://127.0.0.1:PORT (this machine only),
    offline, without usage statistics and without any prompt; once it answers, opens it in
    your browser where there is a display, unless --headless. A busy port, or a base URL
    that points at this machine, is an error (exit 2) before anything starts. Stop it with
    Ctrl+C.

    Example:  scamstats dashboard --port 8501 --base-url https://scamstats.example.org/
    """
    from scamstats.cite import BASE_URL_VARIABLE, NotPublic, check_base_url
    from scamstats.serve import PortBusy, serve

    chosen = base_url if base_url is not None else os.environ.get(BASE_URL_VARIABLE, "").strip() or None
    try:
        if chosen is not None:
            chosen = check_base_url(chosen)
    except NotPublic as error:
        typer.echo(f"scamstats dashboard: {error}", err=True)
        raise typer.Exit(2) from None
    try:
        code = serve(port, open_browser=not headless, say=lambda line: typer.echo(line, err=True),
                     base_url=chosen)
    except PortBusy as busy:
        typer.echo(f"scamstats dashboard: {busy}", err=True)
        raise typer.Exit(2) from None
    raise typer.Exit(code)


cli_versions.register(app)


def main() -> None:
    """The installed `scamstats` command: the app, in a process of its own."""
    global _exit_at_once
    _exit_at_once = True
    app()


if __name__ == "__main__":
    main()
