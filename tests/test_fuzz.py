"""Property-based fuzzing: no CSV content makes validation crash or write."""

import shutil
from pathlib import Path

from conftest import DATA_DIR, tree_digest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scamstats.package import rehash
from scamstats.validate import validate_package

VALID_ARRESTS = (DATA_DIR / "valid" / "data" / "arrests.csv").read_text(encoding="utf-8")
HEADER = VALID_ARRESTS.split("\n", 1)[0]

cells = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)
rows = st.lists(st.lists(cells, min_size=0, max_size=18), max_size=6)


def fresh_package(tmp_path_factory) -> Path:
    package = tmp_path_factory.mktemp("fuzz") / "package"
    shutil.copytree(DATA_DIR / "valid", package)
    return package


def assert_validates_without_crash(package: Path, data: bytes) -> None:
    (package / "data" / "arrests.csv").write_bytes(data)
    rehash(package)
    before = tree_digest(package)
    report = validate_package(package)
    assert report.exit_code in (0, 1, 2)
    assert all(p.file and p.check and p.message for p in report.problems)
    assert tree_digest(package) == before


FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@FUZZ
@given(data=st.binary(max_size=400))
def test_arbitrary_bytes_never_crash(tmp_path_factory, data):
    assert_validates_without_crash(fresh_package(tmp_path_factory), data)


@FUZZ
@given(text=st.text(max_size=400))
def test_arbitrary_text_never_crashes(tmp_path_factory, text):
    assert_validates_without_crash(fresh_package(tmp_path_factory), text.encode("utf-8"))


@FUZZ
@given(body=rows)
def test_csv_rows_of_random_cells_never_crash(tmp_path_factory, body):
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    buffer.write(HEADER + "\n")
    writer.writerows(body)
    assert_validates_without_crash(fresh_package(tmp_path_factory), buffer.getvalue().encode("utf-8"))


@FUZZ
@given(position=st.integers(min_value=0, max_value=len(VALID_ARRESTS) - 1), junk=st.text(min_size=1, max_size=8))
def test_valid_file_with_junk_inserted_never_crashes(tmp_path_factory, position, junk):
    mutated = VALID_ARRESTS[:position] + junk + VALID_ARRESTS[position:]
    assert_validates_without_crash(fresh_package(tmp_path_factory), mutated.encode("utf-8"))
