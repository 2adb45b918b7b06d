"""The small-cell rule: counts of 1 to 4 are shown as "<5"; zero and missing stay as they are."""

import polars as pl

from scamstats import privacy, stats
from scamstats.package import load_package


def test_suppress_small_cells_hides_one_to_four():
    frame = pl.DataFrame({"cell": ["a", "b", "c", "d", "e"], "count": [0, 1, 4, 5, None]})
    out = privacy.suppress_small_cells(frame, ["count"])
    assert out["count"].to_list() == ["0", "<5", "<5", "5", None]
    assert out["count_suppressed"].to_list() == [False, True, True, False, False]


def test_the_label_names_the_threshold():
    assert privacy.SMALL_CELL_LABEL == f"<{privacy.SMALL_CELL_THRESHOLD}" == "<5"


def test_one_small_cell_in_a_breakdown_hides_its_smallest_other_part_too():
    assert privacy.complements_to_hide([1, 14]) == {1}
    assert privacy.complements_to_hide([3, 40, 12]) == {2}
    assert privacy.complements_to_hide([2, 3, 40]) == set()   # two small cells protect each other
    assert privacy.complements_to_hide([0, 15]) == set()      # an empty cell reveals nobody
    assert privacy.complements_to_hide([8, 15]) == set()


def test_no_shipped_survivor_breakdown_can_be_subtracted_back_to_a_small_cell():
    """A breakdown's total minus the parts shown never gives back a single hidden small cell."""
    shown = stats.suppress_small_survivor_cells(stats.survivor_demographics(load_package()))
    parts = shown.filter(pl.col("dimension").is_in(list(stats.BREAKDOWN_DIMENSIONS)))
    assert parts.filter(pl.col("count") == privacy.COMPLEMENT_LABEL).height > 0
    for _, group in parts.group_by("source_id", "population", "dimension"):
        small = group.filter(pl.col("count") == privacy.SMALL_CELL_LABEL).height
        hidden = group.filter(pl.col("count_suppressed")).height
        others = group.filter(~pl.col("count_suppressed") & (pl.col("count") != "0")).height
        # One small cell beside parts that are shown would come back by subtraction from the total.
        assert small != 1 or others == 0 or hidden >= 2, group.select("population", "category", "count").to_dicts()
    drawn = stats.survivor_rows_to_draw(load_package().tables["survivors"])
    assert privacy.COMPLEMENT_LABEL not in drawn["count"].cast(pl.String).to_list()
    hidden_ids = set(shown.filter(pl.col("count_suppressed"))["group_id"])
    assert not hidden_ids & set(drawn["group_id"])
