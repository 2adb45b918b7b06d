"""Static images of figures (PNG, SVG) through kaleido driving Debian's chromium (never a
downloaded browser), MathJax off (its default is a CDN), and the contact sheet: every PNG of
a set as small multiples on one page, titled, for review.

`ImageRenderer` is one chromium for a whole set whose page (with plotly.js) is kept between
images instead of reloaded after each one, as kaleido does by default: reloading costs more
than drawing most figures. Images come out the same either way (SVG after `normalise_svg`);
`scripts/bench_export.py` checks it on every run.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import logging
import os
import re
import shutil
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Self

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
IMAGE_SCALE = 2  # PNG pixels per layout pixel
WIDTH, HEIGHT = 1000, 620  # the figures' default size (figures.theme)
RELOAD_EVERY = 40  # images drawn in one page before it is reloaded (bounds what a page holds)


class ExportError(Exception):
    """A build cannot be made (no browser, output inside the package, unknown figure...)."""


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
def quiet_pipe() -> Iterator[None]:
    """Silence choreographer's logging of browser messages it cannot parse and then ignores."""
    pipe_logger = logging.getLogger("choreographer.channels.pipe")
    level = pipe_logger.level
    pipe_logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        pipe_logger.setLevel(level)


@contextlib.contextmanager
def kaleido_server() -> Iterator[None]:
    """Run one warm kaleido server (system chromium, MathJax off) for the enclosed exports
    through `kaleido.calc_fig_sync` (kaleido's own page handling: reloaded after each image)."""
    import kaleido

    browser = find_chromium()
    with quiet_pipe():
        try:
            kaleido.start_sync_server(path=browser, mathjax=False, silence_warnings=True)
        except Exception as error:  # noqa: BLE001 -- kaleido wraps start-up failures in several types
            raise ExportError(f"could not start kaleido with {browser}: {error}") from None
        try:
            yield
        finally:
            kaleido.stop_sync_server(silence_warnings=True)


def image_options(figure, fmt: str) -> dict:
    """kaleido's options for one image of a figure: its own size, PNG at twice the pixels."""
    width = int(figure.layout.width or WIDTH)
    height = int(figure.layout.height or HEIGHT)
    return {"format": fmt, "width": width, "height": height, "scale": IMAGE_SCALE if fmt == "png" else 1}


def sync_image(figure, fmt: str) -> bytes:
    """One image through `kaleido.calc_fig_sync` (a running `kaleido_server`, else a browser
    launched for this image alone: plotly's default); a PNG made opaque (`opaque_png`)."""
    import kaleido

    data = kaleido.calc_fig_sync(figure, opts=image_options(figure, fmt))
    return opaque_png(data) if fmt == "png" else data


def _reusing_kaleido():
    """A Kaleido whose pages are reused between images (reloaded every `RELOAD_EVERY`)."""
    import kaleido

    class ReusingKaleido(kaleido.Kaleido):
        drawn = 0

        async def _return_kaleido_tab(self, tab) -> None:
            self.drawn += 1
            if self.drawn % RELOAD_EVERY == 0:
                await tab.reload()
            await self.tabs_ready.put(tab)

    if not hasattr(kaleido.Kaleido, "_return_kaleido_tab"):  # another kaleido: its own way, slower
        return kaleido.Kaleido
    return ReusingKaleido


class ImageRenderer:
    """One chromium for a set of images, its pages kept between images; `tabs` pages draw at once."""

    def __init__(self, tabs: int = 2):
        self.tabs = tabs
        self._loop: asyncio.AbstractEventLoop | None = None
        self._kaleido = None
        self._quiet = quiet_pipe()

    def __enter__(self) -> Self:
        import kaleido  # noqa: F401 -- first: it sets the logger class choreographer's loggers need

        browser = find_chromium()
        self._quiet.__enter__()
        self._loop = asyncio.new_event_loop()
        try:
            self._kaleido = _reusing_kaleido()(n=self.tabs, path=browser, mathjax=False)
            self._loop.run_until_complete(self._kaleido.__aenter__())
        except Exception as error:  # noqa: BLE001 -- kaleido wraps start-up failures in several types
            self._loop.close()
            self._quiet.__exit__(None, None, None)
            raise ExportError(f"could not start kaleido with {browser}: {error}") from None
        return self

    def __exit__(self, *exc) -> None:
        try:
            self._loop.run_until_complete(self._kaleido.__aexit__(None, None, None))
        finally:
            self._loop.close()
            self._quiet.__exit__(None, None, None)

    def images(self, jobs: Sequence[tuple[object, str]]) -> list[bytes]:
        """Return the image of each (figure, format), in order; SVG normalised, PNG made opaque
        (`opaque_png`) in a thread while the pages draw the next images."""
        async def draw(figure, fmt: str, pool: ThreadPoolExecutor) -> bytes:
            data = await self._kaleido.calc_fig(figure, opts=image_options(figure, fmt))
            return await self._loop.run_in_executor(pool, opaque_png, data) if fmt == "png" else normalise_svg(data)

        async def draw_all():
            with ThreadPoolExecutor(max_workers=1) as pool:
                return await asyncio.gather(*(draw(figure, fmt, pool) for figure, fmt in jobs))
        return self._loop.run_until_complete(draw_all())


def opaque_png(png: bytes) -> bytes:
    """Return a PNG without its alpha channel when every pixel is opaque (a figure on white
    paper, as chromium's canvas writes it with alpha): the same picture, about a quarter smaller.
    Deterministic (the same bytes in, the same bytes out)."""
    from PIL import Image

    image = Image.open(io.BytesIO(png))
    if image.mode != "RGBA" or image.getchannel("A").getextrema() != (255, 255):
        return png
    out = io.BytesIO()
    image.convert("RGB").save(out, "PNG", compress_level=6)
    return out.getvalue()


_TAG = re.compile(r'<([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+="[^"]*")+)\s*(/?)>')
_ATTRIBUTE = re.compile(r'([\w:.-]+)="([^"]*)"')


def normalise_svg(svg: bytes) -> bytes:
    """Return the SVG with plotly's random figure uid (in clip-path, defs and other ids) fixed
    and each element's attributes in name order (the browser writes them in the order they were
    set, which can differ between a fresh page and a reused one). Trace uids are fixed earlier,
    in `figures.render`."""
    text = svg.decode("utf-8")
    uids = set(re.findall(r'id="clip([0-9a-f]{6})', text)) | set(re.findall(r'id="defs-([0-9a-f]{6})"', text))
    for uid in sorted(uids):
        text = text.replace(uid, "000000")

    def ordered(tag: re.Match) -> str:
        attributes = sorted(_ATTRIBUTE.findall(tag.group(2)))
        inner = "".join(f' {name}="{value}"' for name, value in attributes)
        return f"<{tag.group(1)}{inner}{tag.group(3)}>"

    return _TAG.sub(ordered, text).encode("utf-8")


# ------------------------------------------------------------------------------------------
# Contact sheet

FONT_FILES = ("/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
              "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
SHEET_COLUMNS = 3
THUMB_WIDTH = 580


def _font(size: int):
    from PIL import ImageFont

    for path in FONT_FILES:
        if Path(path).is_file():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default(size)


def contact_sheet(pngs: Sequence[tuple[str, bytes]], heading: str) -> bytes:
    """Return one PNG of every figure's PNG as small multiples, each under its id, in order,
    with a heading (the package and version): a page to review a whole set at a glance."""
    from PIL import Image, ImageDraw

    thumbs = []
    for name, data in pngs:
        image = Image.open(io.BytesIO(data)).convert("RGB")
        height = round(image.height * THUMB_WIDTH / image.width)
        thumbs.append((name, image.resize((THUMB_WIDTH, height), Image.Resampling.LANCZOS, reducing_gap=3.0)))
    pad, caption = 24, 30
    rows = [thumbs[i:i + SHEET_COLUMNS] for i in range(0, len(thumbs), SHEET_COLUMNS)]
    heights = [max(t.height for _, t in row) + caption + pad for row in rows]
    sheet = Image.new("RGB", (SHEET_COLUMNS * (THUMB_WIDTH + pad) + pad, 70 + sum(heights)), "white")
    draw = ImageDraw.Draw(sheet)
    draw.text((pad, 20), heading, fill="#222222", font=_font(26))
    y = 70
    for row, height in zip(rows, heights, strict=True):
        for column, (name, thumb) in enumerate(row):
            x = pad + column * (THUMB_WIDTH + pad)
            draw.text((x, y), name, fill="#222222", font=_font(17))
            sheet.paste(thumb, (x, y + caption))
            draw.rectangle((x - 1, y + caption - 1, x + thumb.width, y + caption + thumb.height), outline="#CCCCCC")
        y += height
    # A review image, not one to print: 256 colours keep it small in the release (the figures'
    # own PNGs stay as drawn).
    buffer = io.BytesIO()
    sheet.quantize(256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE).save(buffer, format="PNG")
    return buffer.getvalue()
