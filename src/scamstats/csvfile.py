"""Reading a CSV file as text: the header as written, and every cell as a string (empty = null).

polars reads a well-formed file (in parallel, from the file itself); the csv module reads any
other, record by record from the bytes (`csv_lines`), so that a broken file costs no more
memory than a good one. Both stop at the rows the package's budget of cells allows
(`scamstats.inputs.MAX_CELLS`), and the header is refused before the rows are read when it is
longer than `MAX_HEADER_BYTES` or wider than `MAX_COLUMNS`.
"""

from __future__ import annotations

import codecs
import csv
import io
import mmap
import re
from collections.abc import Iterator
from pathlib import Path

import polars as pl

from scamstats.inputs import (
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_HEADER_BYTES,
    MAX_RECORD_CHARS,
    UnusableInput,
    size_text,
)

BOM = b"\xef\xbb\xbf"
CSV_CHUNK_ROWS = 65_536  # rows the csv module reads before they are put in a frame


def with_lf_line_ends(data: bytes | mmap.mmap) -> tuple[bytes | mmap.mmap, bool]:
    """Return the bytes to read, and whether the file has CR (classic Mac OS) line ends only:
    then every CR is read as LF, so that its rows are read at all (validation says why)."""
    if data.find(b"\n") != -1 or data.find(b"\r") == -1:
        return data, False
    return bytes(data).replace(b"\r", b"\n"), True


def not_utf8(name: str, data: bytes | mmap.mmap, position: int) -> UnusableInput:
    line = data[:position].count(b"\n") + 1
    return UnusableInput(name, f"not UTF-8: byte 0x{data[position]:02x} at line {line}", "encoding")


def decode_csv_bytes(name: str, data: bytes) -> str:
    """Return the text of a CSV file, or raise UnusableInput naming the first bad byte."""
    if not re.search(rb"\S", data[:65536]) and not data.strip():
        raise UnusableInput(name, "file is empty (no header row)", "empty-file")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise not_utf8(name, data, error.start) from None


def check_utf8(name: str, data: bytes | mmap.mmap, block: int = 1 << 20) -> None:
    """Raise UnusableInput naming the first byte that is not UTF-8, reading block by block."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    for start in range(0, len(data), block):
        pending = len(decoder.getstate()[0])
        try:
            decoder.decode(data[start:start + block], final=start + block >= len(data))
        except UnicodeDecodeError as error:
            raise not_utf8(name, data, start - pending + error.start) from None


def read_header(name: str, data: bytes | mmap.mmap) -> tuple[list[str], bool]:
    """Return a CSV's header as written and whether the file starts with a UTF-8 byte-order
    mark; raise UnusableInput when the file is empty, its first line is not a CSV header, or
    the header is longer or wider than scamstats reads."""
    if not re.search(rb"\S", data[:65536]) and not re.search(rb"\S", data):
        raise UnusableInput(name, "file is empty (no header row)", "empty-file")
    has_bom = data[:3] == BOM
    start = 3 if has_bom else 0
    newline = data.find(b"\n", start, start + MAX_HEADER_BYTES + 1)
    if newline == -1 and len(data) - start > MAX_HEADER_BYTES:
        raise UnusableInput(name, f"first line is longer than {size_text(MAX_HEADER_BYTES)}: not a CSV header "
                                  "(refused before reading on)", "too-large")
    first_line = data[start:newline] if newline != -1 else data[start:]
    try:
        header_text = first_line.decode("utf-8")
    except UnicodeDecodeError:
        check_utf8(name, data)  # raises, naming the line of the first bad byte
        raise
    try:
        header = next(csv.reader(io.StringIO(header_text.rstrip("\r"), newline=""), strict=True), [])
    except csv.Error as error:
        raise UnusableInput(name, f"first line is not a CSV header: {error}", "header") from None
    if not any(h.strip() for h in header):
        raise UnusableInput(name, "first line is not a CSV header", "header")
    if len(header) > MAX_COLUMNS:
        raise UnusableInput(name, f"header has {len(header):,} columns, more than the {MAX_COLUMNS:,} scamstats "
                                  "reads: refused before reading the rows", "too-many-columns")
    return header, has_bom


def column_names(header: list[str]) -> list[str]:
    """Return the header's labels as column names: a label that repeats an earlier one gets a
    name of its own (validation reports the repeat; the column is not checked)."""
    names: list[str] = []
    used, labels = set(), set(header)
    for label in header:
        name = label
        while name in used or (name != label and name in labels):
            name = f"{name} (again)"
        used.add(name)
        names.append(name)
    return names


def too_many_cells(name: str, rows: int, width: int) -> UnusableInput:
    return UnusableInput(name, f"more than {rows:,} rows of {width} columns: the package would hold more than "
                               f"{MAX_CELLS:,} cells, the most scamstats reads (refused)", "too-large")


def read_cells(
    name: str, data: bytes | mmap.mmap, body: bytes | mmap.mmap, header: list[str], source: Path | None = None,
    max_cells: int = MAX_CELLS,
) -> tuple[pl.DataFrame, list[tuple[int, int]], list[tuple[int, int]]]:
    """Return a CSV's cells as text under the header's names (empty cells null), and the
    (row number, cells) of its short and long rows when the csv module had to read it.

    `body` is `data` after any byte-order mark; with `source`, the path of those same bytes
    (no mark), polars reads the file itself, in parallel and without a copy. When polars reads
    the file, both lists are empty: it pads short rows with nulls, and only validation needs
    to count them (`scamstats.validation.scan`). At most `max_cells` cells are read: a file
    with more rows than that allows is refused."""
    max_rows = max(max_cells, 0) // len(header)
    short_rows: list[tuple[int, int]] = []
    long_rows: list[tuple[int, int]] = []
    try:
        options = {"infer_schema": False, "has_header": True, "raise_if_empty": True, "n_rows": max_rows + 1}
        if source is not None and len(body) == len(data):  # (no byte-order mark to skip)
            frame = pl.read_csv(source, glob=False, **options)
        else:
            frame = pl.read_csv(bytes(body), **options)
        if frame.width != len(header):
            raise pl.exceptions.ComputeError("polars read the header otherwise")
    except (pl.exceptions.PolarsError, pl.exceptions.PanicException):
        # Broken quoting or rows with extra cells: the csv module reads the file row by row,
        # says which rows are off, and builds the frame (the slow path, for broken files only).
        frame, short_rows, long_rows = read_rows_with_csv_module(name, data, header, max_rows)
    if frame.height > max_rows:
        raise too_many_cells(name, max_rows, len(header))
    frame.columns = column_names(header)
    # Empty cells are missing: polars reads most as null already, but not a quoted "" (and the
    # csv module none), so only the columns that hold an empty string are rewritten.
    has_empty = frame.select((pl.all().str.len_bytes() == 0).any()).row(0)
    frame = frame.with_columns(
        pl.when(pl.col(name) == "").then(None).otherwise(pl.col(name)).alias(name)
        for name, empty in zip(frame.columns, has_empty, strict=True) if empty
    )
    return frame, short_rows, long_rows


class CsvLines:
    """The lines of a CSV file's bytes as the csv module reads them, decoded block by block:
    each with its line end (LF, CRLF or CR, split as `io.StringIO(newline="")` splits them).

    `record_taken()` says a record was read; a record longer than MAX_RECORD_CHARS is refused,
    so that the csv module never holds one huge record in memory."""

    def __init__(self, name: str, data: bytes | mmap.mmap, block: int = 1 << 20) -> None:
        self.name, self.data, self.block = name, data, block
        self.since_record = 0
        self.lines = self.generate()

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        line = next(self.lines)
        self.since_record += len(line)
        if self.since_record > MAX_RECORD_CHARS:
            raise self.too_long()
        return line

    def record_taken(self) -> None:
        self.since_record = 0

    def too_long(self) -> UnusableInput:
        return UnusableInput(self.name, f"a record is longer than {MAX_RECORD_CHARS:,} characters: refused",
                             "too-large")

    def generate(self) -> Iterator[str]:
        data, block = self.data, self.block
        decoder = codecs.getincrementaldecoder("utf-8")()
        carry = ""
        start = 3 if data[:3] == BOM else 0
        for offset in range(start, len(data), block):
            final = offset + block >= len(data)
            pending = len(decoder.getstate()[0])
            try:
                text = carry + decoder.decode(data[offset:offset + block], final=final)
            except UnicodeDecodeError as error:
                raise not_utf8(self.name, data, offset - pending + error.start) from None
            lines = io.StringIO(text, newline="").readlines()
            carry = ""
            # The last line may go on in the next block (a CR may be the first half of CRLF).
            if not final and lines and (lines[-1].endswith("\r") or not lines[-1].endswith("\n")):
                carry = lines.pop()
                if len(carry) > MAX_RECORD_CHARS:
                    raise self.too_long()
            yield from lines
        if carry:
            yield carry


def csv_rows(name: str, data: bytes | mmap.mmap) -> Iterator[list[str]]:
    """Yield the records of a CSV file's bytes as the csv module (strict) reads them, the
    header first; raise UnusableInput when the bytes are not UTF-8 or not CSV."""
    check_utf8(name, data)  # first, as when the whole text was decoded before reading
    lines = CsvLines(name, data)
    try:
        for row in csv.reader(lines, strict=True):
            lines.record_taken()
            yield row
    except csv.Error as error:
        raise UnusableInput(name, f"not valid CSV: {error}", "csv") from None


def read_rows_with_csv_module(
    name: str, data: bytes | mmap.mmap, header: list[str], max_rows: int = MAX_CELLS
) -> tuple[pl.DataFrame, list[tuple[int, int]], list[tuple[int, int]]]:
    """Return a CSV read with the csv module: the cells as a string frame (short rows padded,
    long rows cut), and (row number, cells) of the short and of the long rows."""
    width = len(header)
    columns = {f"column_{i}": pl.String for i in range(width)}
    short_rows, long_rows, records, chunks = [], [], [], []
    rows = csv_rows(name, data)
    next(rows, None)
    # Numbered as records (header = 1), as polars and frictionless number them.
    for number, row in enumerate(rows, start=2):
        if 0 < len(row) < width:
            short_rows.append((number, len(row)))
        elif len(row) > width:
            long_rows.append((number, len(row)))
        records.append((row + [""] * width)[:width])
        if len(records) == CSV_CHUNK_ROWS:
            chunks.append(pl.DataFrame(records, schema=columns, orient="row"))
            records = []
        if number - 1 > max_rows:
            raise too_many_cells(name, max_rows, width)
    chunks.append(pl.DataFrame(records, schema=columns, orient="row"))
    return pl.concat(chunks), short_rows, long_rows
