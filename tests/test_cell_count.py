"""The fast ways of counting cells per row agree with the csv module, the reference.

`read_raw_cells` trusts polars for the cells but counts the cells of each record the way the
csv module does, by two shortcuts: `every_row_full` (a proof from counts, no scan of the
rows) and `count_cells_vectorised` (numpy over the bytes). Both are checked here against
`count_cells_per_row` on CSV text built to hit their edge cases: quoted and unquoted cells
holding commas, quotes and line ends, short, long and blank rows, CR, broken quoting.
"""

import csv

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scamstats.package import UnusableInput
from scamstats.validation.scan import (
    count_cells_per_row,
    count_cells_vectorised,
    every_row_full,
    read_raw_cells,
    read_raw_table,
)

# Cells from a few characters that matter to CSV, so that edge cases come up often.
plain = st.text(alphabet='ab ,"\n\r', max_size=6)
quoted = plain.map(lambda text: '"' + text.replace('"', '""') + '"')
broken = st.sampled_from(['"', 'a"b', '"a"b', '""', '"a""', ' "a"'])
cell = st.one_of(plain, quoted, broken, st.just(""))
record = st.lists(cell, min_size=0, max_size=5).map(",".join)
csv_text = st.builds(
    lambda header, records, end: "\n".join([header, *records]) + end,
    st.sampled_from(["a,b,c", "a", "a,b", '"x,y",b,c', "a,b,c,d"]),
    st.lists(record, max_size=8),
    st.sampled_from(["", "\n", "\r\n", "\n\n"]),
)

MANY = settings(max_examples=1500, deadline=None)


def reference(text: str, width: int) -> tuple | str:
    """The csv module's short and long rows, or "error" when it refuses the text."""
    try:
        return count_cells_per_row("t.csv", text, width)
    except UnusableInput:
        return "error"


def polars_read(data: bytes):
    """The table `read_raw_cells` reads (None when polars or the header refuses the file)."""
    try:
        table, _ = read_raw_cells("t.csv", data)
    except UnusableInput:
        return None
    return table


@MANY
@given(text=csv_text)
def test_every_row_full_only_when_the_csv_module_finds_no_short_or_long_row(text):
    data = text.encode("utf-8")
    table = polars_read(data)
    if table is None or table.long_rows:
        return  # the csv module read this one itself
    if every_row_full(data, table.frame, table.header):
        assert reference(text, len(table.header)) == ([], [])


@MANY
@given(text=csv_text)
def test_vectorised_count_is_the_csv_modules_count(text):
    header = next(csv.reader([text.split("\n", 1)[0]]), [])
    if not header:
        return
    counted = count_cells_vectorised(text.encode("utf-8"), len(header))
    if counted is not None:
        assert counted == reference(text, len(header))


@pytest.mark.parametrize(
    ("text", "full"),
    [
        ("a,b,c\n1,2,3\n4,,\n", True),  # empty last cells, every row full
        ('a,b,c\n"1,2",3,\n4,5,\n', True),  # a comma inside a quoted cell is not a separator
        ("a,b,c\n1,2,3\n4,5\n", False),  # a short row
        ("a,b,c\n1,2,3\n\n4,5,\n", False),  # a blank line
        ('a,b,c\n"1\n2",3,\n', False),  # a cell across two lines: counted row by row
        ("a,b,c\r\n1,2,\r\n", False),  # CR line ends: the csv module decides
        ("a,b,c\n1,2,3\n4,5,6,", False),  # an extra empty cell polars drops at the end
        ("a,b,c\n,\n,,,", False),  # a short and a long row: the counts balance
    ],
)
def test_every_row_full_on_known_files(text, full):
    table = polars_read(text.encode("utf-8"))
    assert table is not None
    assert every_row_full(text.encode("utf-8"), table.frame, table.header) is full


def test_an_extra_empty_cell_at_the_end_of_the_file_is_found():
    # polars reads "4,5,6," as three cells when it ends the file; the csv module reads four.
    table = read_raw_table("t.csv", b"a,b,c\n1,2,3\n4,5,6,")
    assert table.long_rows == [(3, 4)]
