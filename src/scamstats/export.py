"""Writing figures (PNG, SVG, offline HTML and the CSV of the plotted data), their manifest
and the contact sheet. Deterministic: the same package and code give byte-identical files.
The release zip that holds them is `scamstats.release`.

Static images come from `export_images` (one chromium for the set, Debian's, MathJax off).
The HTML pages share one copy of plotly.js, `plotly.min.js` beside them (a relative script
source: no network). A build whose manifest records the same descriptor hash, package
version, code version (`code_version`) and formats is skipped unless forced.
"""

from __future__ import annotations

import hashlib
import html
import io
import json
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib.metadata import version as installed_version
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from scamstats import __version__, cite
from scamstats.export_images import (
    CHROMIUM_CANDIDATES,
    IMAGE_SCALE,
    ExportError,
    ImageRenderer,
    contact_sheet,
    find_chromium,
    kaleido_server,
    normalise_svg,
    opaque_png,
    sync_image,
)
from scamstats.package import Package

if TYPE_CHECKING:
    from scamstats import figures

__all__ = [
    "CHROMIUM_CANDIDATES", "CONTACT_SHEET", "FORMATS", "IMAGE_SCALE", "PLOTLY_JS", "ExportError",
    "code_version", "contact_sheet", "csv_bytes", "export_figures", "figure_html", "find_chromium",
    "kaleido_server", "normalise_svg", "opaque_png", "refuse_package_folder", "write_figure",
]

FORMATS = ("png", "svg", "html", "csv")
PLOTLY_JS = "plotly.min.js"  # one copy beside the HTML pages, which load it by this relative name
CONTACT_SHEET = "contact-sheet.png"
SKIPPED = "figures up to date (skipped)"
# The source files whose code decides what a figure looks like (`code_version`).
CODE_FILES = ("figures/*.py", "stats/*.py", "geo/*.geojson", "labels.py", "privacy.py", "reference.py",
              "export.py", "export_images.py")

Progress = Callable[[str], None]


def stderr_progress(message: str) -> None:
    """Print one progress line on stderr."""
    print(message, file=sys.stderr, flush=True)


def _image(figure, fmt: str) -> bytes:
    """One image through kaleido's sync API (see `export_images.sync_image`)."""
    data = sync_image(figure, fmt)
    return normalise_svg(data) if fmt == "svg" else data


def code_version() -> str:
    """Return the sha256 of the code that draws figures: the figures, stats, labels, privacy,
    reference and export sources and the province boundaries, with the plotly and kaleido versions."""
    root = Path(__file__).parent
    digest = hashlib.sha256(f"plotly {installed_version('plotly')}; kaleido {installed_version('kaleido')}\n".encode())
    for pattern in CODE_FILES:
        for path in sorted(root.glob(pattern)):
            digest.update(f"{path.relative_to(root).as_posix()}\n".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


# ------------------------------------------------------------------------------------------
# One figure's files


def plotly_js() -> bytes:
    """Return the plotly.js the HTML pages share (the one bundled with the plotly package)."""
    from plotly.offline import get_plotlyjs

    return get_plotlyjs().encode("utf-8")


def figure_html(rendered: figures.RenderedFigure) -> bytes:
    """Return an HTML page of the figure (no CDN, no MathJax) that loads plotly.js from
    `plotly.min.js` beside it, with the figure's title, alt text, caption and source note as text."""
    spec = rendered.spec
    body = rendered.figure.to_html(
        include_plotlyjs=False, include_mathjax=False, full_html=False, div_id=f"figure-{spec.id}",
        config={"displaylogo": False, "responsive": True},
    )
    page = (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<title>{html.escape(spec.title)}</title>\n"
        f"<meta name=\"description\" content=\"{html.escape(spec.alt)}\">\n"
        f"<script src=\"{PLOTLY_JS}\" charset=\"utf-8\"></script>\n"
        "<style>body{font-family:'Liberation Sans','DejaVu Sans',Arial,sans-serif;margin:1.5rem;color:#222}"
        "figure{margin:0;max-width:1100px}figcaption p{max-width:60rem;color:#444}</style>\n"
        "</head>\n<body>\n<figure>\n"
        f"<div role=\"img\" aria-label=\"{html.escape(spec.alt)}\">\n{body}\n</div>\n"
        f"<figcaption><p>{html.escape(spec.caption)}</p><p>{html.escape(rendered.source_note)}</p>"
        f"<p>Figure id: {html.escape(spec.id)}. Keep this page beside {PLOTLY_JS}: it draws the chart, "
        "offline.</p></figcaption>\n"
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


def write_figure(rendered: figures.RenderedFigure, out_dir: Path, formats: Iterable[str] = FORMATS,
                 images: dict[str, bytes] | None = None) -> FigureFiles:
    """Write one figure's files into out_dir. PNG and SVG come from `images` when given (drawn
    beforehand, e.g. by an `ImageRenderer`), else from kaleido's sync API (a running
    `kaleido_server`, or a browser launched per image)."""
    spec = rendered.spec
    written = {}
    for fmt in formats:
        if fmt in ("png", "svg"):
            data = images[fmt] if images and fmt in images else _image(rendered.figure, fmt)
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


def refuse_package_folder(package: Package, out_dir: Path) -> None:
    """Raise ExportError when out_dir is the package folder or inside it: builds never write there."""
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


def build_record(ids: list[str], formats: tuple[str, ...]) -> dict:
    """What a build was made of besides the package: the code version, figures and formats."""
    return {"code_sha256": code_version(), "figures": ids, "formats": list(formats)}


def up_to_date(package: Package, out_dir: Path, ids: list[str], formats: tuple[str, ...]) -> dict | None:
    """Return the manifest in out_dir when it records this package (descriptor hash and version),
    this code, these figures and formats, and every file it lists is there unchanged; else None."""
    path = Path(out_dir) / "manifest.json"
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        same = (manifest["package"]["descriptor_sha256"] == cite.descriptor_sha256(package)
                and manifest["package"]["version"] == package.version
                and manifest["build"] == build_record(ids, formats))
        listed = [f for entry in manifest["figures"] for f in entry["files"].values()] + manifest.get("shared", [])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not same:
        return None
    for record in listed:
        file = Path(out_dir) / record["path"]
        if not file.is_file() or file.stat().st_size != record["bytes"] or sha256_bytes(file.read_bytes()) != record["sha256"]:
            return None
    return manifest


def export_figures(
    package: Package,
    out_dir: Path,
    figure_ids: Iterable[str] | None = None,
    formats: Iterable[str] = FORMATS,
    progress: Progress | None = stderr_progress,
    force: bool = True,
) -> dict:
    """Build figures into out_dir with a manifest.json (and, with PNGs, contact-sheet.png;
    with HTML, the plotly.min.js the pages share); return the manifest.

    Unless `force`, a set whose manifest in out_dir is `up_to_date` is not rebuilt ("figures up
    to date (skipped)"). Old files of the same names are replaced; nothing else in out_dir is
    touched. Raises ExportError for an unknown figure id, a missing browser or an output inside
    the package.
    """
    from scamstats import figures  # here, not at the top: the release reads no figure code

    ids = list(figure_ids) if figure_ids else figures.figure_ids()
    for figure_id in ids:
        figures.get(figure_id)  # raises UnknownFigure early, before the browser starts
    formats = tuple(formats)
    for fmt in formats:
        if fmt not in FORMATS:
            raise ExportError(f"unknown format {fmt!r}: use {', '.join(FORMATS)}")
    refuse_package_folder(package, out_dir)
    say = progress or (lambda _message: None)
    if not force and (manifest := up_to_date(package, out_dir, ids, formats)) is not None:
        say(SKIPPED)
        return manifest
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rendered = []
    for number, figure_id in enumerate(ids, start=1):
        say(f"[{number}/{len(ids)}] {figure_id}")
        rendered.append(figures.render(figure_id, package))
    static = [fmt for fmt in formats if fmt in ("png", "svg")]
    images: list[dict[str, bytes]] = [{} for _ in rendered]
    if static:
        say(f"drawing {len(rendered) * len(static)} images")
        with ImageRenderer() as renderer:
            drawn = renderer.images([(r.figure, fmt) for r in rendered for fmt in static])
        for i, data in enumerate(drawn):
            images[i // len(static)][static[i % len(static)]] = data
    entries = []
    for one, drawn_images in zip(rendered, images, strict=True):
        files = write_figure(one, out_dir, formats, drawn_images)
        spec = one.spec
        entries.append({
            "id": spec.id,
            "title": spec.title,
            "subtitle": spec.subtitle,
            "caption": spec.caption,
            "alt": spec.alt,
            "source_note": one.source_note,
            "source_ids": one.source_ids,
            "rows_plotted": one.data.height,
            "files": {fmt: {"path": name, "sha256": digest, "bytes": size}
                      for fmt, (name, digest, size) in files.files.items()},
            "citation": cite.figure_citation(package, spec.id),
        })
    shared = []
    if "html" in formats:
        shared.append(_write_shared(out_dir, PLOTLY_JS, plotly_js()))
    if "png" in formats:
        heading = f"scamstats figures · {package.descriptor.get('name', '')} {package.version} · {len(ids)} figures"
        sheet = contact_sheet([(r.spec.id, i["png"]) for r, i in zip(rendered, images, strict=True)], heading)
        shared.append(_write_shared(out_dir, CONTACT_SHEET, sheet))
    manifest = {
        "package": package_record(package),
        "generator": f"scamstats {__version__}",
        "build": build_record(ids, formats),
        "figures": entries,
        "shared": shared,
    }
    (out_dir / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    say(f"wrote {len(entries)} figures and manifest.json to {out_dir}")
    return manifest


def _write_shared(out_dir: Path, name: str, data: bytes) -> dict:
    (out_dir / name).write_bytes(data)
    return {"path": name, "sha256": sha256_bytes(data), "bytes": len(data)}
