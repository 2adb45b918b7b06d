"""The small-cell rule: counts of 1 to 4 are shown as "<5"; zero and missing stay as they are."""

import polars as pl

from scamstats import privacy


def test_suppress_small_cells_hides_one_to_four():
    frame = pl.DataFrame({"cell": ["a", "b", "c", "d", "e"], "count": [0, 1, 4, 5, None]})
    out = privacy.suppress_small_cells(frame, ["count"])
    assert out["count"].to_list() == ["0", "<5", "<5", "5", None]
    assert out["count_suppressed"].to_list() == [False, True, True, False, False]


def test_the_label_names_the_threshold():
    assert privacy.SMALL_CELL_LABEL == f"<{privacy.SMALL_CELL_THRESHOLD}" == "<5"
