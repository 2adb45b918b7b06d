"""Checking the descriptor: against the Data Package v2 profile (frictionless), and each
resource's declared `bytes` and `hash` against its file.
"""

from __future__ import annotations

import hashlib
import mmap

from scamstats.paths import DESCRIPTOR_NAME
from scamstats.validation.report import Problem


def sha256(data: bytes | mmap.mmap) -> str:
    """Return the hex sha256 of a file's bytes."""
    return hashlib.sha256(data).hexdigest()


def check_hash(
    file: str, resource: dict, data: bytes | mmap.mmap, digest: str | None = None, shown: str = DESCRIPTOR_NAME
) -> list[Problem]:
    """Return a problem when the descriptor's bytes or sha256 do not match the file."""
    problems = []
    if "bytes" in resource and resource["bytes"] != len(data):
        problems.append(Problem(shown, None, f"{resource.get('name')}.bytes", "bytes",
                                f"{file} has {len(data)} bytes, descriptor says {resource['bytes']}: run `scamstats rehash`"))
    if "hash" in resource:
        actual = "sha256:" + (digest if digest is not None else sha256(data))
        expected = resource["hash"] if ":" in str(resource["hash"]) else f"md5:{resource['hash']}"
        if expected != actual:
            problems.append(Problem(shown, None, f"{resource.get('name')}.hash", "hash",
                                    f"{file} does not match its hash: run `scamstats rehash`"))
    return problems


def check_descriptor(descriptor: dict, shown: str = DESCRIPTOR_NAME) -> list[Problem]:
    """Return what frictionless finds wrong with the descriptor (Data Package v2 profile)."""
    import frictionless

    try:
        report = frictionless.Package.validate_descriptor(descriptor)
    except Exception as error:  # noqa: BLE001 - frictionless raises assorted types on malformed descriptors
        return [Problem(shown, None, None, "descriptor", f"not a valid descriptor: {error}")]
    errors = [*report.errors, *(e for task in report.tasks for e in task.errors)]
    return [
        Problem(shown, None, None, "descriptor", f"{error.type}: {error.message}")
        for error in errors
    ]
