"""Issue #15, finding 6 (and 1): rehash writes the descriptor named, whole or not at all, only
standard JSON, and reads only regular files; it never hangs, grows, or leaves a file behind."""

import json
import os
import shutil
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DATA_DIR, scamstats, tree_digest, unprivileged

from scamstats import rehash as rehash_module
from scamstats.package import rehash


def package_copy(tmp_path: Path, case: str = "valid") -> Path:
    package = tmp_path / "package"
    shutil.copytree(DATA_DIR / case if case == "valid" else DATA_DIR / "invalid" / case, package)
    (package / "expected.json").unlink(missing_ok=True)
    return package


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*") if p.name.endswith(".tmp"))


def test_rehash_writes_the_descriptor_named_and_only_it(tmp_path):
    package = package_copy(tmp_path, "named-descriptor")
    set_cell_bytes = package / "data" / "arrests-edited.csv"
    set_cell_bytes.write_bytes(set_cell_bytes.read_bytes() + b"\n")
    before = tree_digest(package)
    run = scamstats("rehash", package / "other.json")
    assert run.returncode == 0 and run.stdout.splitlines()[0].startswith("data/arrests-edited.csv: ")
    after = tree_digest(package)
    assert {name for name in after if after[name] != before[name]} == {"other.json"}
    assert [r["path"] for r in json.loads(after["other.json"])["resources"]] == ["data/arrests-edited.csv"]


@pytest.mark.parametrize("kind", ["fifo", "folder", "missing"])
def test_rehash_refuses_what_is_not_a_regular_file_without_hanging(tmp_path, kind):
    package = package_copy(tmp_path)
    timeline = package / "data" / "timeline.csv"
    timeline.unlink()
    if kind == "fifo":
        os.mkfifo(timeline)
    elif kind == "folder":
        timeline.mkdir()
    before = tree_digest(package)
    for command in ("rehash", "validate", "info"):
        run = scamstats(command, package, timeout=60)
        assert run.returncode == 2, run.stdout + run.stderr
        assert "Traceback" not in run.stdout + run.stderr
        assert "data/timeline.csv: file " in run.stdout + run.stderr
    assert tree_digest(package) == before


def test_a_fifo_descriptor_is_refused_without_hanging(tmp_path):
    package = package_copy(tmp_path)
    (package / "datapackage.json").unlink()
    os.mkfifo(package / "datapackage.json")
    for command in ("rehash", "validate"):
        run = scamstats(command, package, timeout=60)
        assert run.returncode == 2 and "descriptor is a FIFO (named pipe), not a regular file" in run.stdout + run.stderr


def test_a_character_device_is_refused_without_reading_it():
    run = scamstats("rehash", "/dev/zero", timeout=60)
    assert run.returncode == 2 and "character device, not a regular file" in run.stderr


@pytest.mark.skipif(os.geteuid() != 0, reason="making a device node needs root")
def test_a_device_in_the_package_is_refused(tmp_path):
    package = package_copy(tmp_path)
    timeline = package / "data" / "timeline.csv"
    timeline.unlink()
    os.mknod(timeline, stat.S_IFCHR | 0o644, os.makedev(1, 5))  # /dev/zero's numbers
    run = scamstats("rehash", package, timeout=60)
    assert run.returncode == 2 and "character device" in run.stderr


def test_rehash_without_permission_is_exit_2_and_writes_nothing(tmp_path):
    prefix = unprivileged()
    package = package_copy(tmp_path)
    before = tree_digest(package)
    package.chmod(0o555)  # the folder: no temporary file can be made in it
    try:
        run = scamstats("rehash", package, prefix=prefix)
    finally:
        package.chmod(0o755)
    assert run.returncode == 2 and "cannot write the descriptor" in run.stderr
    assert tree_digest(package) == before and not leftovers(package)


def test_a_symlinked_descriptor_stays_a_symlink(tmp_path):
    package = package_copy(tmp_path, "hash-mismatch")
    (package / "datapackage.json").rename(package / "real.json")
    (package / "datapackage.json").symlink_to("real.json")
    mode = 0o640
    (package / "real.json").chmod(mode)
    assert rehash(package)
    assert (package / "datapackage.json").is_symlink()
    assert stat.S_IMODE((package / "real.json").stat().st_mode) == mode
    assert scamstats("validate", package).returncode == 0


@pytest.mark.parametrize(("edit", "words"), [
    (lambda t: t.replace('"version": "0.1.0"', '"version": NaN'), "NaN is not a JSON number"),
    (lambda t: t.replace('"version": "0.1.0"', '"version": Infinity'), "Infinity is not a JSON number"),
    (lambda t: t.replace('"version": "0.1.0"', '"version": 1e999'), "out of range"),
    (lambda t: t.replace('"version": "0.1.0"', '"version": "0.1.0", "version": "2"'), "'version' appears twice"),
])
def test_non_standard_json_is_refused_and_nothing_written(tmp_path, edit, words):
    package = package_copy(tmp_path)
    descriptor = package / "datapackage.json"
    descriptor.write_text(edit(descriptor.read_text(encoding="utf-8")), encoding="utf-8")
    before = tree_digest(package)
    run = scamstats("rehash", package)
    assert run.returncode == 2 and words in run.stderr
    assert tree_digest(package) == before


@pytest.mark.parametrize("interruption", [KeyboardInterrupt, "SIGTERM", OSError])
def test_the_temporary_file_never_outlives_a_failure(tmp_path, monkeypatch, interruption):
    package = package_copy(tmp_path, "hash-mismatch")
    before = tree_digest(package)

    def fail_while_writing(_number):
        if interruption == "SIGTERM":
            os.kill(os.getpid(), signal.SIGTERM)  # handled as an exception while the file is written
        raise interruption() if interruption is not OSError else OSError(28, "No space left on device")

    monkeypatch.setattr(rehash_module.os, "fsync", fail_while_writing)
    with pytest.raises((KeyboardInterrupt, SystemExit, rehash_module.UnusableInput)) as raised:
        rehash(package)
    if interruption == "SIGTERM":
        assert raised.value.code == 128 + signal.SIGTERM
    assert tree_digest(package) == before and not leftovers(package)
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL


def test_killed_with_sigterm_while_writing_leaves_nothing(tmp_path):
    """The command itself, killed during a (slowed) write: exit 143, no temporary file."""
    package = package_copy(tmp_path, "hash-mismatch")
    before = tree_digest(package)
    slow = ("import os, time, sys; import scamstats.rehash as r; real = os.fsync\n"
            "def slow(n):\n    print('writing', flush=True); time.sleep(30); real(n)\n"
            "r.os.fsync = slow\nfrom scamstats.cli import main; sys.argv = ['scamstats', 'rehash', sys.argv[1]]; main()")
    process = subprocess.Popen([sys.executable, "-c", slow, str(package)], stdout=subprocess.PIPE, text=True)
    assert process.stdout.readline() == "writing\n"
    assert leftovers(package)  # the temporary file exists while it is written
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=30) == 128 + signal.SIGTERM
    assert tree_digest(package) == before and not leftovers(package)


def test_rehash_never_writes_non_standard_json(tmp_path):
    package = package_copy(tmp_path)
    rehash(package)
    json.loads((package / "datapackage.json").read_text(encoding="utf-8"),
               parse_constant=lambda name: pytest.fail(f"{name} written"))
