"""The byte scans only validation needs: reading a CSV as text *with* the count of cells in
each row (polars pads short rows silently), and the line ends.

`read_raw_cells` reads the cells with `scamstats.csvfile` (as the loader does) and adds what
the reader skips: which rows are short or long, as the csv module (strict) counts them, and
which line ends the file has (CR only is read as LF, and said). Counting is done the cheapest way that is exact:
`every_row_full` (a proof from counts polars has made), else `count_cells_vectorised` (numpy
over the bytes), else `count_cells_per_row` (the csv module, the reference).
"""

from __future__ import annotations

import csv
import dataclasses
import io
import mmap
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from scamstats.csvfile import csv_rows, read_cells, read_header, with_lf_line_ends
from scamstats.inputs import MAX_CELLS, UnusableInput

if TYPE_CHECKING:
    import numpy as np


@dataclass(frozen=True)
class RawTable:
    """A CSV read as text: the header as written, the cells as strings (missing = null)."""

    header: list[str]
    frame: pl.DataFrame
    has_bom: bool
    line_ends: str  # "lf", "crlf", "cr" (CR only: read as LF) or "some-cr" (a CR alone somewhere)
    short_rows: list[tuple[int, int]] = field(default_factory=list)  # (row number, cells)
    long_rows: list[tuple[int, int]] = field(default_factory=list)


def read_raw_table(
    name: str, data: bytes | mmap.mmap, source: Path | None = None, max_cells: int = MAX_CELLS
) -> RawTable:
    """Return a CSV's header and cells as text; rows whose cell count is off are listed.

    `data` is the file's bytes (or a read-only memory map of them); with `source`, the path of
    those same bytes, polars reads the file itself, in parallel and without a copy."""
    table, count = read_raw_cells(name, data, source, max_cells)
    return table if count is None else with_cell_counts(table, count())


def with_cell_counts(table: RawTable, counted: tuple[list[tuple[int, int]], list[tuple[int, int]]]) -> RawTable:
    """Return the table with its short and long rows, as `count` of `read_raw_cells` gave them."""
    return dataclasses.replace(table, short_rows=counted[0], long_rows=counted[1])


def read_raw_cells(
    name: str, data: bytes | mmap.mmap, source: Path | None = None, max_cells: int = MAX_CELLS
) -> tuple[RawTable, Callable[[], tuple[list[tuple[int, int]], list[tuple[int, int]]]] | None]:
    """Return `read_raw_table`'s table, except that the rows polars padded may still have to
    be counted: then also the function that counts them (it may raise UnusableInput), which a
    caller can run in a thread (it releases the GIL) while it goes on with the cells."""
    data, cr_only = with_lf_line_ends(data)
    if cr_only:
        source = None  # the bytes read are not the file's
    header, has_bom = read_header(name, data)
    body = data[3:] if has_bom else data
    frame, short_rows, long_rows = read_cells(name, data, body, header, source, max_cells)
    # polars pads short rows with nulls; a null last cell is the only way one can look, so
    # only then pay for an exact count of cells per row. polars also drops one extra empty
    # cell at the very end of a file with no final line end ("4,5,6," under "a,b,c").
    count = None
    if not long_rows and frame.height and (frame[:, -1].null_count() or body[-1:] == b","):
        def count() -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
            if every_row_full(body, frame, header):
                return [], []
            counted = count_cells_vectorised(body, len(header))
            if counted is None:
                counted = count_cells_per_row(name, body, len(header))
            return counted
    line_ends = "cr" if cr_only else "lf"
    # One-byte search first: memchr is ten times faster than looking for the pair.
    if not cr_only and body.find(b"\r") != -1:
        line_ends = "some-cr" if has_lone_cr(body) else "crlf" if body.find(b"\r\n") != -1 else "lf"
    return RawTable(header, frame, has_bom, line_ends, short_rows, long_rows), count


def has_lone_cr(body: bytes | mmap.mmap) -> bool:
    """Return whether some CR of `body` is not followed by LF (numpy; a file with CR at all)."""
    import numpy as np

    array = np.frombuffer(body, dtype=np.uint8)
    returns = byte_positions(array, b"\r")
    if returns.size and returns[-1] == array.size - 1:
        return True
    return bool((array[returns + 1] != ord("\n")).any())


def byte_census(body: bytes | mmap.mmap, block: int = 1 << 18) -> tuple[int, int, np.ndarray]:
    """Return the number of line ends, the number of commas and the positions of the quotes
    of `body`, in one pass (numpy, block by block: each block is read once, from cache)."""
    import numpy as np

    array = np.frombuffer(body, dtype=np.uint8)
    found = np.empty(min(block, max(array.size, 1)), dtype=bool)
    line_ends = commas = 0
    quotes = []
    for start in range(0, array.size, block):
        chunk = array[start:start + block]
        hit = found[: chunk.size]
        line_ends += int(np.count_nonzero(np.equal(chunk, 10, out=hit)))
        commas += int(np.count_nonzero(np.equal(chunk, 44, out=hit)))
        quotes.append(np.flatnonzero(np.equal(chunk, 34, out=hit)) + start)
    return line_ends, commas, np.concatenate(quotes) if quotes else np.empty(0, dtype=np.intp)


def quotes_well_formed(array: np.ndarray, quotes: np.ndarray) -> bool:
    """Return whether every quote of the bytes `array` (at `quotes`, its positions) is where
    the csv module (strict) expects one, as in `count_cells_vectorised`: a quoted field opens
    at the start of a field and closes before a comma, a line end or the end of the file (""
    inside it is a quote), and the last one is closed. Inside or outside a field follows from
    the number of quotes before."""
    import numpy as np

    if quotes.size % 2:
        return False  # the last quoted field is never closed
    if not quotes.size:
        return True
    marks = np.zeros(256, dtype=bool)
    marks[list(b',"\n')] = True
    opening, closing = quotes[0::2], quotes[1::2]
    before = np.concatenate(([True], marks[array[opening[1:] - 1]])) if opening[0] == 0 \
        else marks[array[opening - 1]]
    after_last = closing[-1] == array.size - 1
    after = np.concatenate((marks[array[closing[:-1] + 1]], [True])) if after_last \
        else marks[array[closing + 1]]
    return bool(before.all() and after.all())


def every_row_full(body: bytes | mmap.mmap, frame: pl.DataFrame, header: list[str]) -> bool:
    """Return True only when every record of `body` has exactly as many cells as `header`,
    as the csv module counts them, proven from counts polars has already made; False when
    this cannot be shown (then `count_cells_vectorised` or the csv module counts row by row).

    `frame` is polars' read of `body` (it raises on a row with too many cells, so no record
    has more than the header's, except at the end of a file that ends in a comma). A comma is
    either a separator or text inside a cell. When the file has one line per record (no CR at
    all), each record has one cell more than its separators (a blank line has none, and no
    cell); the separators of all records add up to (cells - 1) x records exactly when no
    record is short and no line is blank."""
    import numpy as np

    width = len(header)
    if frame.width != width or not frame.height or body.find(b"\r") != -1 or body[-1:] == b",":
        return False  # (polars drops an extra empty cell at the end of a file: counted instead)
    if any(dtype != pl.String for dtype in frame.schema.values()):
        return False
    text = frame.columns
    records = frame.height + 1  # and the header
    line_ends, commas, quotes = byte_census(body)
    if line_ends + (body[-1:] != b"\n") != records:
        return False  # a cell holds a line end, or polars skipped or split a record
    if not quotes_well_formed(np.frombuffer(body, dtype=np.uint8), quotes):
        return False  # polars may have read the cells otherwise than the csv module would
    inside = frame.select(
        *(pl.col(c).str.count_matches(",", literal=True).sum().alias(f"commas {i}") for i, c in enumerate(text)),
        *(pl.col(c).str.len_bytes().max().alias(f"longest {i}") for i, c in enumerate(text)),
    ).row(0)
    commas_in_cells, longest = sum(inside[:width]), max((n or 0) for n in inside[width:])
    if longest >= csv.field_size_limit():
        return False  # the csv module would refuse a field this long
    commas_in_header = sum(name.count(",") for name in header)
    return commas - commas_in_cells - commas_in_header == (width - 1) * records


def count_cells_per_row(
    name: str, text: str | bytes | mmap.mmap, width: int
) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Return (row number, cells) of rows with fewer and with more cells than the header, as
    the csv module (strict) reads `text` (or the bytes of a file, read record by record)."""
    short_rows, long_rows = [], []
    try:
        rows = csv.reader(io.StringIO(text, newline=""), strict=True) if isinstance(text, str) \
            else csv_rows(name, text)
        next(rows, None)
        # Numbered as records (header = 1), as polars and frictionless number them.
        for number, row in enumerate(rows, start=2):
            cells = len(row)
            if 0 < cells < width:
                short_rows.append((number, cells))
            elif cells > width:
                long_rows.append((number, cells))
    except csv.Error as error:
        raise UnusableInput(name, f"not valid CSV: {error}", "csv") from None
    return short_rows, long_rows


def byte_positions(
    array: np.ndarray, values: bytes, block: int = 1 << 20, buffers: tuple[np.ndarray, np.ndarray] | None = None
) -> np.ndarray:
    """Return the positions of every byte in `values`, block by block (no file-sized temporaries).

    `buffers`, two boolean arrays of at least `block` items, are reused if given: a fresh
    megabyte each call would be fresh pages, and a page fault for every 4 KiB of them."""
    import numpy as np

    block = min(block, max(array.size, 1))
    hit, other = buffers or (np.empty(block, dtype=bool), np.empty(block, dtype=bool))
    found = []
    for start in range(0, array.size, block):
        chunk = array[start:start + block]
        any_value, this_value = hit[: chunk.size], other[: chunk.size]
        np.equal(chunk, values[0], out=any_value)
        for value in values[1:]:
            np.equal(chunk, value, out=this_value)
            np.logical_or(any_value, this_value, out=any_value)
        found.append(np.flatnonzero(any_value) + start)
    return np.concatenate(found) if found else np.empty(0, dtype=np.intp)


def count_cells_vectorised(
    body: bytes | mmap.mmap, width: int, block: int = 1 << 18
) -> tuple[list[tuple[int, int]], list[tuple[int, int]]] | None:
    """Return exactly what `count_cells_per_row` returns, from the positions of the commas,
    quotes and line ends (numpy, block by block); or None when the file is outside the simple
    case this handles, and the csv module must read it row by row.

    The simple case: LF line ends only (no CR at all), and every quote where the csv module
    (strict) expects one, so that it raises nothing: a quoted field opens at the start of a field
    and closes before a comma, a line end or the end of the file ("" inside it is a quote), and
    holds no line end. Then each line is one record, numbered as the csv module numbers it; its
    cells are one more than its commas outside quotes, and a blank line has none."""
    if body.find(b"\r") != -1:
        return None
    import numpy as np

    size = len(body)
    array = np.frombuffer(body, dtype=np.uint8)
    comma, quote, line_end = b","[0], b'"'[0], b"\n"[0]
    marked = (comma, quote, line_end)
    ends: list[np.ndarray] = []  # positions of the line ends, block by block
    commas: list[tuple[int, np.ndarray]] = []  # (first line of the block, commas outside quotes per line)
    parity = lines = 0  # of the quotes and the line ends before the block
    buffers = (np.empty(block, dtype=bool), np.empty(block, dtype=bool))
    for start in range(0, size, block):
        chunk = array[start:start + block]
        marks = byte_positions(chunk, b',"\n', block, buffers)
        if not marks.size:
            continue
        kinds = chunk[marks]
        is_quote, is_end = kinds == quote, kinds == line_end
        # One running sum for both: quotes in the low 32 bits, line ends above.
        running = np.cumsum(is_quote + (is_end.astype(np.int64) << 32))
        quotes_seen = running & 0xFFFFFFFF  # in the block, up to and including each mark
        outside = ((quotes_seen - is_quote + parity) & 1) == 0  # not inside a quoted field
        if not outside[is_end].all():
            return None  # a line end inside a quoted field: a record of several lines
        # A quote that opens a field must follow a comma, a line end or the quote before it
        # (""), and one that closes a field must precede one: the neighbouring byte is a mark.
        step = np.diff(marks)
        first, last = int(marks[0]) + start, int(marks[-1]) + start
        mark_after, mark_before = np.empty(marks.size, dtype=bool), np.empty(marks.size, dtype=bool)
        mark_after[:-1] = mark_before[1:] = step == 1
        mark_after[-1] = last == size - 1 or array[last + 1] in marked
        mark_before[0] = first == 0 or array[first - 1] in marked
        if (is_quote & ((outside & ~mark_before) | (~outside & ~mark_after))).any():
            return None  # a quote inside an unquoted field, or text after a closing quote
        line_of = running >> 32  # line ends before each comma in the block (a comma is not one)
        counted = ~(is_quote | is_end) & outside
        commas.append((lines, np.bincount(line_of[counted], minlength=int(line_of[-1]) + 1)))
        found = marks[is_end] + start
        ends.append(found)
        parity = (parity + int(quotes_seen[-1])) & 1
        lines += found.size
    if parity:
        return None  # the last quoted field is never closed
    line_ends = np.concatenate(ends) if ends else np.empty(0, dtype=np.intp)
    starts = np.concatenate(([0], line_ends + 1))
    stops = np.concatenate((line_ends, [size]))
    per_line = np.zeros(starts.size, dtype=np.int64)
    for first_line, counts in commas:
        per_line[first_line:first_line + counts.size] += counts
    if starts[-1] == size:  # no record after a final line end
        starts, stops, per_line = starts[:-1], stops[:-1], per_line[:-1]
    lengths = stops - starts
    if lengths.size and int(lengths.max()) > csv.field_size_limit():
        return None  # the csv module would refuse a field this long
    cells = np.where(lengths == 0, 0, per_line + 1)[1:]  # after the header
    numbers = np.arange(2, cells.size + 2)
    short = (cells > 0) & (cells < width)
    long = cells > width
    return (
        list(zip(numbers[short].tolist(), cells[short].tolist(), strict=True)),
        list(zip(numbers[long].tolist(), cells[long].tolist(), strict=True)),
    )
