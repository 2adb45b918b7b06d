"""Writing figures (PNG, SVG, offline HTML and the CSV of the plotted data), their manifest,
and the release zip. Deterministic: the same package and code give byte-identical files.

Static images go through kaleido driving Debian's chromium (never a downloaded browser),
with one warm kaleido server for a whole set and MathJax off (its default is a CDN).
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import io
import json
import logging
import os
import re
import shutil
import sys
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import polars as pl
import pyarrow.parquet as pq

from scamstats import __version__, cite, database, figures, metadata
from scamstats.figures.theme import HEIGHT, WIDTH
from scamstats.package import Package, descriptor_path, resource_file
from scamstats.paths import REPO_DIR

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
IMAGE_SCALE = 2  # PNG pixels per layout pixel
ZIP_TIMESTAMP = (1980, 1, 1, 0, 0, 0)  # the earliest a zip can hold: nothing depends on the clock
FORMATS = ("png", "svg", "html", "csv")
RELEASE_ROOT_FILES = ("CITATION.cff", "LICENSE", "LICENSE-DATA", "CHANGELOG.md")

Progress = Callable[[str], None]


class ExportError(Exception):
    """A build cannot be made (no browser, output inside the package, unknown figure...)."""


def stderr_progress(message: str) -> None:
    """Print one progress line on stderr."""
    print(message, file=sys.stderr, flush=True)


# ------------------------------------------------------------------------------------------
# Browser and kaleido


def find_chromium() -> str:
    """Return the path of the system's chromium (SCAMSTATS_CHROMIUM overrides), or raise."""
    override = os.environ.get("SCAMSTATS_CHROMIUM")
    for candidate in ([override] if override else []) + list(CHROMIUM_CANDIDATES) + [shutil.which("chromium") or ""]:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    raise ExportError(
        "no chromium found for static export: install Debian's chromium "
        "(apt-get install -y chromium) or set SCAMSTATS_CHROMIUM to its path"
    )


@contextlib.contextmanager
def kaleido_server() -> Iterator[None]:
    """Run one warm kaleido server (system chromium, MathJax off) for the enclosed exports."""
    import kaleido

    browser = find_chromium()
    # choreographer logs, with a traceback, browser messages it cannot parse and then ignores.
    pipe_logger = logging.getLogger("choreographer.channels.pipe")
    level = pipe_logger.level
    pipe_logger.setLevel(logging.CRITICAL)
    try:
        kaleido.start_sync_server(path=browser, mathjax=False, silence_warnings=True)
    except Exception as error:  # noqa: BLE001 -- kaleido wraps start-up failures in several types
        raise ExportError(f"could not start kaleido with {browser}: {error}") from None
    try:
        yield
    finally:
        kaleido.stop_sync_server(silence_warnings=True)
        pipe_logger.setLevel(level)


def _image(figure, fmt: str) -> bytes:
    import kaleido

    width = int(figure.layout.width or WIDTH)
    height = int(figure.layout.height or HEIGHT)
    return kaleido.calc_fig_sync(figure, opts={"format": fmt, "width": width, "height": height,
                                               "scale": IMAGE_SCALE if fmt == "png" else 1})


def normalise_svg(svg: bytes) -> bytes:
    """Return the SVG with plotly's random figure uid (in clip-path, defs and other ids) fixed.

    Trace uids are fixed earlier, in `figures.render`."""
    text = svg.decode("utf-8")
    uids = set(re.findall(r'id="clip([0-9a-f]{6})', text)) | set(re.findall(r'id="defs-([0-9a-f]{6})"', text))
    for uid in sorted(uids):
        text = text.replace(uid, "000000")
    return text.encode("utf-8")


# ------------------------------------------------------------------------------------------
# One figure's files


def figure_html(rendered: figures.RenderedFigure) -> bytes:
    """Return a self-contained HTML page (plotly.js inlined, no CDN, no MathJax) with the
    figure's title, alt text, caption and source note as text."""
    spec = rendered.spec
    body = rendered.figure.to_html(
        include_plotlyjs=True, include_mathjax=False, full_html=False, div_id=f"figure-{spec.id}",
        config={"displaylogo": False, "responsive": True},
    )
    page = (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<title>{html.escape(spec.title)}</title>\n"
        f"<meta name=\"description\" content=\"{html.escape(spec.alt)}\">\n"
        "<style>body{font-family:'Liberation Sans','DejaVu Sans',Arial,sans-serif;margin:1.5rem;color:#222}"
        "figure{margin:0;max-width:1000px}figcaption p{max-width:60rem;color:#444}</style>\n"
        "</head>\n<body>\n<figure>\n"
        f"<div role=\"img\" aria-label=\"{html.escape(spec.alt)}\">\n{body}\n</div>\n"
        f"<figcaption><p>{html.escape(spec.caption)}</p><p>{html.escape(rendered.source_note)}</p>"
        f"<p>Figure id: {html.escape(spec.id)}.</p></figcaption>\n"
        "</figure>\n</body>\n</html>\n"
    )
    return page.encode("utf-8")


def csv_bytes(frame: pl.DataFrame) -> bytes:
    """Return the frame as UTF-8 CSV; list columns are joined with spaces (here only: a
    figure's data keep their lists)."""
    lists = [name for name, dtype in frame.schema.items() if isinstance(dtype, pl.List)]
    if lists:
        frame = frame.with_columns([pl.col(c).list.join(" ") for c in lists])
    buffer = io.BytesIO()
    frame.write_csv(buffer, line_terminator="\n")
    return buffer.getvalue()


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class FigureFiles:
    """The files written for one figure: format -> (relative path, sha256, bytes)."""

    id: str
    files: dict[str, tuple[str, str, int]]


def write_figure(rendered: figures.RenderedFigure, out_dir: Path, formats: Iterable[str] = FORMATS) -> FigureFiles:
    """Write one figure's files into out_dir (PNG/SVG need a running kaleido server)."""
    spec = rendered.spec
    written = {}
    for fmt in formats:
        if fmt == "png":
            data = _image(rendered.figure, "png")
        elif fmt == "svg":
            data = normalise_svg(_image(rendered.figure, "svg"))
        elif fmt == "html":
            data = figure_html(rendered)
        elif fmt == "csv":
            data = csv_bytes(rendered.data)
        else:
            raise ExportError(f"unknown format {fmt!r}: use {', '.join(FORMATS)}")
        name = f"{spec.id}.{fmt}"
        (out_dir / name).write_bytes(data)
        written[fmt] = (name, sha256_bytes(data), len(data))
    return FigureFiles(spec.id, written)


# ------------------------------------------------------------------------------------------
# A set of figures and its manifest


def _refuse_package_folder(package: Package, out_dir: Path) -> None:
    out = Path(out_dir).resolve()
    inside = Path(package.directory).resolve()
    if out == inside or inside in out.parents:
        raise ExportError(f"refusing to write into the data package folder: {out}")


def package_record(package: Package) -> dict:
    """Return the package facts every manifest carries."""
    return {
        "name": package.descriptor.get("name", ""),
        "version": package.version,
        "descriptor_sha256": cite.descriptor_sha256(package),
        "citation": cite.package_citation(package),
    }


def export_figures(
    package: Package,
    out_dir: Path,
    figure_ids: Iterable[str] | None = None,
    formats: Iterable[str] = FORMATS,
    progress: Progress | None = stderr_progress,
) -> dict:
    """Build figures into out_dir with a manifest.json; return the manifest.

    Old files of the same names are replaced; nothing else in out_dir is touched. Raises
    ExportError for an unknown figure id, a missing browser or an output inside the package.
    """
    ids = list(figure_ids) if figure_ids else figures.figure_ids()
    for figure_id in ids:
        figures.get(figure_id)  # raises UnknownFigure early, before the browser starts
    formats = tuple(formats)
    for fmt in formats:
        if fmt not in FORMATS:
            raise ExportError(f"unknown format {fmt!r}: use {', '.join(FORMATS)}")
    _refuse_package_folder(package, out_dir)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    say = progress or (lambda _message: None)
    entries = []
    needs_browser = any(f in ("png", "svg") for f in formats)
    with kaleido_server() if needs_browser else contextlib.nullcontext():
        for number, figure_id in enumerate(ids, start=1):
            say(f"[{number}/{len(ids)}] {figure_id}")
            rendered = figures.render(figure_id, package)
            files = write_figure(rendered, out_dir, formats)
            spec = rendered.spec
            entries.append({
                "id": spec.id,
                "title": spec.title,
                "subtitle": spec.subtitle,
                "caption": spec.caption,
                "alt": spec.alt,
                "source_note": rendered.source_note,
                "source_ids": rendered.source_ids,
                "rows_plotted": rendered.data.height,
                "files": {fmt: {"path": name, "sha256": digest, "bytes": size}
                          for fmt, (name, digest, size) in files.files.items()},
                "citation": cite.figure_citation(package, spec.id),
            })
    manifest = {
        "package": package_record(package),
        "generator": f"scamstats {__version__}",
        "figures": entries,
    }
    (out_dir / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    say(f"wrote {len(entries)} figures and manifest.json to {out_dir}")
    return manifest


# ------------------------------------------------------------------------------------------
# Release zip


def parquet_bytes(frame: pl.DataFrame) -> bytes:
    """Return the frame as Parquet (zstd), written the same way every time."""
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


def queryable_members(package: Package, repo_dir: Path = REPO_DIR) -> dict[str, bytes]:
    """Return the release's database and metadata as {name in the release folder: bytes}: the
    SQLite database with its Datasette metadata, `.zenodo.json` and `datapackage.jsonld`."""
    citation = metadata.read_citation_file(repo_dir)
    db_name = database.database_name(package)
    downloads = [(db_name, "application/vnd.sqlite3", "SQLite database (tables, full-text index, views)")]
    return {
        db_name: database.database_bytes(package),
        database.DATASETTE_METADATA_NAME: metadata.json_bytes(database.datasette_metadata(package)),
        metadata.ZENODO_NAME: metadata.json_bytes(metadata.zenodo_record(package, citation)),
        metadata.JSONLD_NAME: metadata.json_bytes(metadata.dataset_jsonld(package, citation, downloads)),
    }


def release_members(package: Package, figures_dir: Path, repo_dir: Path = REPO_DIR,
                    extra: dict[str, bytes] | None = None) -> dict[str, bytes]:
    """Return every file of the release as {path inside the zip: bytes}; `extra` adds files
    (named inside the release folder), such as `changes.csv`."""
    root = release_name(package)
    members: dict[str, bytes] = {}
    members[f"{root}/datapackage.json"] = descriptor_path(package.directory).read_bytes()
    for resource in package.descriptor["resources"]:
        path = resource_file(package.directory, resource)
        members[f"{root}/{resource['path']}"] = path.read_bytes()
        members[f"{root}/parquet/{resource['name']}.parquet"] = parquet_bytes(package.tables[resource["name"]])
    codebook = Path(package.directory) / "README.md"
    if codebook.is_file():
        members[f"{root}/README.md"] = codebook.read_bytes()
    for name in RELEASE_ROOT_FILES:
        path = Path(repo_dir) / name
        if path.is_file():
            members[f"{root}/{name}"] = path.read_bytes()
    for path in sorted(Path(figures_dir).iterdir()):
        if path.is_file():
            members[f"{root}/figures/{path.name}"] = path.read_bytes()
    for name, data in {**queryable_members(package, repo_dir), **(extra or {})}.items():
        members[f"{root}/{name}"] = data
    return members


def build_release(
    package: Package,
    out_dir: Path,
    figures_dir: Path | None = None,
    progress: Progress | None = stderr_progress,
    repo_dir: Path = REPO_DIR,
    extra: dict[str, bytes] | None = None,
) -> Path:
    """Write `<name>-<version>.zip` (and its `.sha256`) into out_dir; return the zip's path.

    Holds datapackage.json, the CSVs, Parquet copies, the codebook, CITATION.cff, the licences,
    the changelog, the figures with their manifest, the SQLite database with its Datasette
    metadata, `.zenodo.json`, `datapackage.jsonld` and the `extra` files (`changes.csv`).
    Entries are sorted and carry a fixed timestamp, so a rebuild is byte-identical. Figures are
    built afresh unless figures_dir holds a manifest made from this very package.
    """
    _refuse_package_folder(package, out_dir)
    say = progress or (lambda _message: None)
    with tempfile.TemporaryDirectory(prefix="scamstats-figures-") as temporary:
        if figures_dir is None:
            figures_dir = Path(temporary)
            export_figures(package, figures_dir, progress=progress)
        else:
            _check_figures_match(package, Path(figures_dir))
        members = release_members(package, Path(figures_dir), repo_dir, extra)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{release_name(package)}.zip"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(members):
            _zip_entry(archive, name, members[name])
    data = buffer.getvalue()
    target.write_bytes(data)
    digest = sha256_bytes(data)
    target.with_name(target.name + ".sha256").write_text(f"{digest}  {target.name}\n", encoding="utf-8")
    say(f"wrote {target} ({len(members)} files, {len(data):,} bytes, sha256 {digest})")
    return target


def _check_figures_match(package: Package, figures_dir: Path) -> None:
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
