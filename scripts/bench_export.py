"""Benchmark: figure export as `scamstats figures` does it against plotly's default of a
browser launch per image, and two ways in between.

Every figure of the registry is exported as PNG and SVG through the same code
(`scamstats.export.write_figure`: same sizes, scale, Debian chromium, MathJax off), in
four ways, alternated run by run:

- reused-pages:       what `scamstats figures` does: one chromium for the whole set
                      (`export_images.ImageRenderer`), two pages drawing at once, each page
                      (with plotly.js) kept between images instead of reloaded after each.
- warm-server:        one kaleido server (one chromium) for the whole set, kaleido's own way:
                      its page is reloaded after every image.
- server-per-figure:  a fresh kaleido server started and stopped for each figure: one
                      chromium launch per figure, shared by its PNG and its SVG.
- launch-per-image:   no server: each `kaleido.calc_fig_sync` call starts its own chromium
                      (kaleido's one-shot path, which plotly's `fig.to_image` and
                      `fig.write_image` take when no server runs): two launches per figure.

Figures are rendered once before timing (rendering is the same in every way), so the times
are the image export alone. Also checks that every way wrote the same bytes.

  .venv/bin/python scripts/bench_export.py --runs 5 [--markdown] [--ways reused-pages launch-per-image]

Wall times depend on the machine: compare the ratios, which are measured in the same run.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import hashlib
import json
import logging
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "scripts"))

from bench import machine

FORMATS = ("png", "svg")
WAYS = ("reused-pages", "warm-server", "server-per-figure", "launch-per-image")


def progress(message: str) -> None:
    print(f"[bench-export] {message}", file=sys.stderr, flush=True)


@contextlib.contextmanager
def launch_per_image():
    """With no server running, each kaleido.calc_fig_sync call launches and closes its own
    chromium; kopts give that chromium the same browser path and MathJax setting."""
    import kaleido

    from scamstats import export

    original = kaleido.calc_fig_sync
    kaleido.calc_fig_sync = functools.partial(original, kopts={"path": export.find_chromium(), "mathjax": False})
    try:
        yield
    finally:
        kaleido.calc_fig_sync = original


def export_set(way: str, rendered: list, out_dir: Path) -> dict[str, str]:
    """Write every figure's PNG and SVG in one way; return {file name: sha256}."""
    from scamstats import export

    if way == "reused-pages":
        from scamstats.export_images import ImageRenderer

        with ImageRenderer() as renderer:
            drawn = renderer.images([(figure.figure, fmt) for figure in rendered for fmt in FORMATS])
        for i, figure in enumerate(rendered):
            images = dict(zip(FORMATS, drawn[i * len(FORMATS):(i + 1) * len(FORMATS)], strict=True))
            export.write_figure(figure, out_dir, FORMATS, images)
        return {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in sorted(out_dir.iterdir())}
    whole_set = export.kaleido_server() if way == "warm-server" else (
        launch_per_image() if way == "launch-per-image" else contextlib.nullcontext())
    with whole_set:
        for figure in rendered:
            with export.kaleido_server() if way == "server-per-figure" else contextlib.nullcontext():
                export.write_figure(figure, out_dir, FORMATS)
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in sorted(out_dir.iterdir())}


def bench_export(runs: int, ways: tuple[str, ...] = WAYS) -> dict:
    import kaleido  # noqa: F401 -- first: it sets the logger class that choreographer's loggers need

    from scamstats import figures
    from scamstats.package import load_package

    # choreographer logs, with a traceback, browser messages it cannot parse and then ignores.
    logging.getLogger("choreographer.channels.pipe").setLevel(logging.CRITICAL)
    package = load_package()
    rendered = [figures.render(figure_id, package) for figure_id in figures.figure_ids()]
    times: dict[str, list[float]] = {way: [] for way in ways}
    hashes: dict[str, list[dict]] = {way: [] for way in ways}
    for run in range(runs):
        order = ways if run % 2 == 0 else ways[::-1]  # alternate who goes first
        for way in order:
            progress(f"run {run + 1}/{runs}: {way} ({len(rendered)} figures x {len(FORMATS)} formats)")
            with tempfile.TemporaryDirectory(prefix="bench-export-") as folder:
                start = time.perf_counter()
                hashes[way].append(export_set(way, rendered, Path(folder)))
                times[way].append(time.perf_counter() - start)
            progress(f"  {times[way][-1]:.1f} s")
    reference = hashes[ways[0]][0]
    return {
        "figures": len(rendered), "images": len(rendered) * len(FORMATS), "runs": runs,
        "ways": [{"way": way, "median_s": statistics.median(times[way]), "times_s": times[way],
                  # each run's time over reused-pages' in the same run: steadier when the load drifts
                  "median_run_ratio": statistics.median(t / w for t, w in zip(times[way], times[ways[0]], strict=True)),
                  "same_bytes": all(h == reference for h in hashes[way])} for way in ways],
    }


def versions() -> str:
    from importlib.metadata import version

    from scamstats import export

    browser = subprocess.run([export.find_chromium(), "--version"], capture_output=True, text=True, check=False)
    return f"kaleido {version('kaleido')}, plotly {version('plotly')}, {browser.stdout.strip()}"


def markdown(result: dict) -> str:
    warm = result["ways"][0]["median_s"]
    first = result["ways"][0]["way"]
    lines = [f"Machine: {machine()}; {versions()}", "",
             f"{result['figures']} figures, {result['images']} images (PNG and SVG), {result['runs']} runs of each way.", "",
             (f"| way | chromium launches per set | median s | s per image | ratio of medians to {first} "
              "| median of per-run ratios | same bytes | runs (s) |"),
             "| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |"]
    launches = {"reused-pages": 1, "warm-server": 1, "server-per-figure": result["figures"],
                "launch-per-image": result["images"]}
    for row in result["ways"]:
        lines.append(f"| {row['way']} | {launches[row['way']]} | {row['median_s']:.1f} | "
                     f"{row['median_s'] / result['images']:.2f} | {row['median_s'] / warm:.1f}x | {row['median_run_ratio']:.1f}x | "
                     f"{'yes' if row['same_bytes'] else 'no'} | {', '.join(f'{t:.1f}' for t in row['times_s'])} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="runs of each way (default 5)")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown report")
    parser.add_argument("--ways", nargs="+", choices=WAYS, default=list(WAYS),
                        help="the ways to compare (default all; the first is the one the ratios divide by)")
    args = parser.parse_args()
    result = bench_export(args.runs, tuple(args.ways))
    print(markdown(result) if args.markdown else json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
