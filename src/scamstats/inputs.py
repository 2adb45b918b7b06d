"""What scamstats agrees to read, and how much: the limits, the one way files are opened, and
strict JSON.

Every file is opened the same way (`read_regular`): a regular file, or a clear refusal naming
it (missing, unreadable, a folder, a FIFO, a device, larger than the limit), before a byte is
read. JSON is read strictly (`parse_json`): no duplicate keys, no NaN or Infinity, no number out
of range, no nesting deeper than `MAX_JSON_DEPTH`. A refusal is an `UnusableInput` (exit code 2).

Memory: validation holds every table as text and as typed columns, so its peak grows with the
input: about 4 times the CSV bytes for ordinary tables (1.2 GB for the 325 MB table of
1,000,000 rows), and about 30 bytes per cell for tables of empty cells. Hence the limits
below, checked before the bytes are parsed: at most `MAX_CSV_BYTES` of CSV and `MAX_CELLS`
cells per package, `MAX_COLUMNS` columns per table. BENCHMARKS.md has the measurements.
"""

from __future__ import annotations

import json
import math
import mmap
import os
import re
import stat
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from scamstats.paths import DESCRIPTOR_NAME

MAX_CSV_BYTES = 1 << 30  # 1 GiB: all CSV files of a package together
MAX_CELLS = 50_000_000  # data rows x columns, all tables of a package together
MAX_COLUMNS = 1_000  # columns in one header
MAX_HEADER_BYTES = 1 << 20  # the first line of a CSV file
MAX_RECORD_CHARS = 1 << 20  # one record, when the csv module reads a broken file
MAX_JSON_BYTES = 16 << 20  # the descriptor, and each schema or dialect it names by path
MAX_JSON_DEPTH = 64  # nesting of JSON arrays and objects (a descriptor needs 8)
MAPPED_FILE_BYTES = 1 << 20  # files at least this large are memory-mapped, not copied

URL_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")  # a scheme: http:, file:, data:, C:


class UnusableInput(Exception):
    """The input cannot be read at all (missing file, not JSON, not UTF-8, not CSV, too large)."""

    def __init__(self, file: str, message: str, check: str = "unusable") -> None:
        super().__init__(f"{file}: {message}")
        self.file = file
        self.message = message
        self.check = check


def size_text(size: int) -> str:
    """Return a byte count for people: 1 GiB, 16 MiB, 325,565,045 bytes."""
    for unit, shift in (("GiB", 30), ("MiB", 20)):
        if size >= 1 << shift and size % (1 << shift) == 0:
            return f"{size >> shift} {unit}"
    return f"{size:,} bytes"


FILE_KINDS = [(stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
              (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
              (stat.S_ISSOCK, "a socket")]


def not_regular(mode: int) -> str | None:
    """Return what a file is when it is not a regular file (a folder, a FIFO...), else None."""
    if stat.S_ISREG(mode):
        return None
    return next((kind for test, kind in FILE_KINDS if test(mode)), "not a regular file")


def cannot_read(shown: str, what: str, error: OSError) -> UnusableInput:
    if isinstance(error, FileNotFoundError | NotADirectoryError):
        return UnusableInput(shown, f"{what} not found", "missing-file")
    reason = "permission denied" if isinstance(error, PermissionError) else (error.strerror or str(error))
    return UnusableInput(shown, f"cannot read {what}: {reason}", "unreadable")


def open_regular(path: Path, shown: str, what: str, max_bytes: int | None = None) -> BinaryIO:
    """Return a regular file opened for reading, binary.

    Refuses, naming `shown`, what is missing, unreadable, not a regular file (a FIFO would
    block, a device never end) or larger than `max_bytes`, before reading a byte of it."""
    try:
        if kind := not_regular(os.stat(path).st_mode):
            raise UnusableInput(shown, f"{what} is {kind}, not a regular file: refused", "not-a-file")
        # Not blocking: should the file have become a FIFO since, opening it returns at once.
        number = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as error:
        raise cannot_read(shown, what, error) from None
    except ValueError:  # a NUL in the path
        raise UnusableInput(shown, f"{what} name holds a NUL character", "path") from None
    handle = open(number, "rb", closefd=True)  # noqa: SIM115 - returned open
    try:
        info = os.fstat(number)
        if kind := not_regular(info.st_mode):
            raise UnusableInput(shown, f"{what} is {kind}, not a regular file: refused", "not-a-file")
        if max_bytes is not None and info.st_size > max_bytes:
            raise UnusableInput(shown, f"{what} has {info.st_size:,} bytes, more than the {size_text(max_bytes)} "
                                       "scamstats reads: refused before reading it", "too-large")
    except BaseException:
        handle.close()
        raise
    return handle


def read_regular(path: Path, shown: str, what: str, max_bytes: int, mapped: bool = False) -> bytes | mmap.mmap:
    """Return the bytes of a regular file (`open_regular`), as a read-only memory map when
    `mapped` and the file is large."""
    with open_regular(path, shown, what, max_bytes) as handle:
        try:
            size = os.fstat(handle.fileno()).st_size
            if not mapped or size < MAPPED_FILE_BYTES:
                return handle.read()
            if not hasattr(mmap, "MAP_POPULATE"):  # not Linux
                return mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
            # Populated at once: much cheaper than one page fault per 4 KiB on first touch.
            return mmap.mmap(handle.fileno(), 0, flags=mmap.MAP_SHARED | mmap.MAP_POPULATE, prot=mmap.PROT_READ)
        except OSError as error:
            raise cannot_read(shown, what, error) from None


class NotStrictJson(ValueError):
    """JSON that Python would read but other readers would not, or would read otherwise."""


def unique_keys(pairs: list[tuple[str, object]]) -> dict:
    keys = [key for key, _ in pairs]
    if len(set(keys)) != len(keys):
        twice = next(key for index, key in enumerate(keys) if key in keys[:index])
        raise NotStrictJson(f"key {twice!r} appears twice in one object")
    return dict(pairs)


def no_constant(name: str) -> float:
    raise NotStrictJson(f"{name} is not a JSON number")


def finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise NotStrictJson(f"number {text[:40]} is out of range")
    return value


def depth_of(value: object) -> int:
    """Return how deeply arrays and objects nest in `value` (a scalar is 0), without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is None:
            continue
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in children)
    return deepest


def parse_json(data: bytes, shown: str, what: str = "descriptor") -> object:
    """Return the JSON value of `data`, read strictly, or raise UnusableInput naming `shown`."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise UnusableInput(shown, f"{what} is not UTF-8", "encoding") from None
    try:
        value = json.loads(text, object_pairs_hook=unique_keys, parse_constant=no_constant,
                           parse_float=finite_float)
    except json.JSONDecodeError as error:
        raise UnusableInput(shown, f"not valid JSON (line {error.lineno}: {error.msg})", "json") from None
    except NotStrictJson as error:
        raise UnusableInput(shown, f"not valid JSON: {error}", "json") from None
    except RecursionError:
        raise UnusableInput(shown, f"not usable JSON: nested more than {MAX_JSON_DEPTH} levels deep", "json") from None
    except ValueError as error:  # an integer of more digits than Python converts
        raise UnusableInput(shown, f"not usable JSON: {str(error).splitlines()[0]}", "json") from None
    if depth_of(value) > MAX_JSON_DEPTH:
        raise UnusableInput(shown, f"not usable JSON: nested more than {MAX_JSON_DEPTH} levels deep", "json")
    return value


def descriptor_path(package: Path) -> Path:
    """Return the descriptor's path given a package folder or the descriptor itself.

    A file named is the descriptor, whatever its name; a folder holds `datapackage.json`."""
    package = Path(package)
    if os.path.isdir(package):
        return package / DESCRIPTOR_NAME
    return package if package.suffix == ".json" or os.path.lexists(package) else package / DESCRIPTOR_NAME


def package_file(package_dir: Path, path: object, owner: str, shown: str, what: str = "path") -> Path:
    """Return the file `path` names inside the package, refusing paths that are absolute or
    leave the package (`owner` says whose path it is, `shown` the descriptor's name)."""
    if not isinstance(path, str) or not path:
        raise UnusableInput(shown, f"{owner} has no {what}", "path")
    if "\x00" in path:
        raise UnusableInput(shown, f"{owner} {what} {path!r} holds a NUL character", "path")
    posix = PurePosixPath(path)
    if posix.is_absolute() or "\\" in path or ":" in path.split("/")[0] or ".." in posix.parts:
        raise UnusableInput(shown, f"{owner} {what} {path!r} is absolute or leaves the package", "path")
    root = Path(package_dir).resolve()
    full = (root / posix).resolve()
    if root not in full.parents:
        raise UnusableInput(shown, f"{owner.split(' ')[0]} {what} {path!r} leaves the package", "path")
    return full


REFERENCES = ("schema", "dialect")  # the parts of a resource the spec lets a path or URL stand for


def with_references_read(descriptor: dict, path: Path) -> dict:
    """Return the descriptor with every schema and dialect given by path read in its place.

    A path is read like the descriptor (inside the package, a regular file, strict JSON); a URL
    is refused: scamstats works offline and reads nothing from the network."""
    resources = []
    for resource in descriptor["resources"]:
        if isinstance(resource, dict) and any(isinstance(resource.get(key), str) for key in REFERENCES):
            resource = dict(resource)
            for key in REFERENCES:
                if isinstance(resource.get(key), str):
                    resource[key] = read_reference(resource, key, path)
        resources.append(resource)
    return {**descriptor, "resources": resources}


def read_reference(resource: dict, key: str, path: Path) -> object:
    reference, owner = resource[key], f"resource {resource.get('name')!r}"
    if URL_PATTERN.match(reference) and not re.match(r"^[A-Za-z]:[\\/]", reference):
        raise UnusableInput(path.name, f"{owner} gives its {key} as a URL ({reference[:80]}): scamstats works "
                                       f"offline and reads no URL; save the {key} beside the descriptor and "
                                       "give its path instead", "reference")
    full = package_file(path.parent, reference, owner, path.name, key)
    return parse_json(read_regular(full, reference, key, MAX_JSON_BYTES), reference, key)
