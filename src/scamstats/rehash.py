"""`scamstats rehash`: each resource's `bytes` and `hash` written into the descriptor named.

The only code that writes into the package folder, and it writes the descriptor alone, whole
or not at all:
- it reads the descriptor strictly (no duplicate keys, no NaN) and only regular files (a FIFO,
  a device or a folder is refused, never read);
- it writes standard JSON only, checked by reading it back before anything is written;
- it writes a temporary file beside the descriptor and renames it over the descriptor (a
  symlinked descriptor stays a symlink: its target is replaced), keeping the file's mode;
- the temporary file is removed on any failure, Ctrl+C and SIGTERM included.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import signal
import stat
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

from scamstats.inputs import UnusableInput, open_regular, parse_json
from scamstats.package import read_descriptor, resource_file


def rehash_descriptor(path: Path) -> list[tuple[str, int, str]]:
    """Update each resource's `bytes` and `hash` in the descriptor at `path`; return
    (path, bytes, hash) per resource."""
    descriptor = read_descriptor(path)
    changes = []
    for resource in descriptor["resources"]:
        if not isinstance(resource, dict):
            raise UnusableInput(path.name, "a resource is not a JSON object", "descriptor")
        full = resource_file(path.parent, resource, path.name)
        with open_regular(full, str(resource["path"]), "file") as handle:
            digest = hashlib.file_digest(handle, "sha256")
            size = handle.tell()
        resource["bytes"] = size
        resource["hash"] = "sha256:" + digest.hexdigest()
        changes.append((resource["path"], resource["bytes"], resource["hash"]))
    try:
        text = json.dumps(descriptor, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    except ValueError as error:  # unreachable after a strict read, but never write non-standard JSON
        raise UnusableInput(path.name, f"descriptor cannot be written as standard JSON: {error}", "json") from None
    data = text.encode("utf-8")
    if parse_json(data, path.name) != descriptor:
        raise UnusableInput(path.name, "descriptor would not read back as written: nothing written", "json")
    write_atomically(Path(os.path.realpath(path)), data)
    return changes


class Terminated(SystemExit):
    """SIGTERM or SIGHUP, raised as an exception so that `finally` blocks run."""


@contextlib.contextmanager
def terminations_raised() -> Iterator[None]:
    """Within the block, SIGTERM and SIGHUP raise `Terminated` (exit code 128 + signal), as
    Ctrl+C raises KeyboardInterrupt, so that cleanup runs; then the old handlers are back."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def raise_terminated(number: int, _frame: object) -> None:
        raise Terminated(128 + number)

    signals = [s for s in (getattr(signal, "SIGTERM", None), getattr(signal, "SIGHUP", None)) if s is not None]
    previous = {number: signal.signal(number, raise_terminated) for number in signals}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def write_atomically(target: Path, data: bytes) -> None:
    """Replace `target` with `data`, whole or not at all: a temporary file in its folder,
    flushed to disk, then renamed over it; the temporary file never outlives a failure."""
    old = os.stat(target)
    with terminations_raised():
        temporary = None
        try:
            number, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
            with open(number, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(temporary, stat.S_IMODE(old.st_mode))
            if os.geteuid() == 0 and (old.st_uid, old.st_gid) != (0, 0):
                with contextlib.suppress(OSError):
                    os.chown(temporary, old.st_uid, old.st_gid)
            os.replace(temporary, target)
            temporary = None
        except OSError as error:
            raise UnusableInput(target.name, f"cannot write the descriptor: {error.strerror or error}",
                                "unwritable") from None
        finally:
            if temporary is not None:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)
    with contextlib.suppress(OSError):  # the rename itself on disk
        folder = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)
