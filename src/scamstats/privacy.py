"""The small-cell rule: counts of 1 to 4 people or places in a derived table are shown as
"<5", never as the count, so that nobody can be picked out of a cross-tabulation.

One library function applies it, `suppress_small_cells`, so that the rule is written once
for every statistic, figure, released file and dashboard table that shows such cells.
"""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

# Cells of a derived cross-tabulation below this are shown as "<5" (never the count).
SMALL_CELL_THRESHOLD = 5
SMALL_CELL_LABEL = f"<{SMALL_CELL_THRESHOLD}"
# A part hidden because, with its group's total and the other parts, it would give a small cell
# back by subtraction (15 in all, "<5" women, 14 men: one woman).
COMPLEMENT_LABEL = "not shown"


def suppress_small_cells(
    frame: pl.DataFrame, count_columns: Iterable[str], threshold: int = SMALL_CELL_THRESHOLD
) -> pl.DataFrame:
    """Return the frame with each count column as text, cells below `threshold` shown as "<5".

    Zero stays "0" (an empty cell reveals nobody); nulls stay null. For every count column a
    boolean `<column>_suppressed` is added so charts can mark those cells.
    """
    columns = []
    for column in count_columns:
        value = pl.col(column)
        hidden = (value > 0) & (value < threshold)
        columns += [
            pl.when(hidden).then(pl.lit(f"<{threshold}")).otherwise(value.cast(pl.String)).alias(column),
            hidden.fill_null(False).alias(f"{column}_suppressed"),
        ]
    return frame.with_columns(columns)


def complements_to_hide(counts: list[int | None]) -> set[int]:
    """Return the positions of the parts of one breakdown to hide besides its small cells: when
    exactly one part is a small cell (1 to 4), the smallest other non-zero part, since the total
    minus the shown parts would give the small cell back. Two or more small cells protect each
    other; no small cell needs nothing."""
    small = [i for i, c in enumerate(counts) if c is not None and 0 < c < SMALL_CELL_THRESHOLD]
    if len(small) != 1:
        return set()
    others = [(c, i) for i, c in enumerate(counts) if c is not None and c >= SMALL_CELL_THRESHOLD]
    return {min(others)[1]} if others else set()
