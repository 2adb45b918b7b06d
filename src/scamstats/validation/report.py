"""What validation finds: one `Problem` per thing wrong (`file:row:field: message [check]`),
gathered in a `Report`; and the vectorised way to make problems from the rows a check flags.

Rows are numbered as frictionless numbers them: the header is row 1, the first data row is row 2.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

SHOWN_VALUE_CHARS = 60


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong, where it is, and which check found it."""

    file: str
    row: int | None
    field: str | None
    check: str
    message: str

    def line(self) -> str:
        place = ":".join(str(p) for p in (self.file, self.row, self.field) if p not in (None, ""))
        return f"{place}: {self.message} [{self.check}]"

    def key(self) -> list:
        return [self.file, self.row, self.field, self.check]


@dataclass
class Report:
    """Everything validation found, and whether the input could be read at all."""

    problems: list[Problem] = field(default_factory=list)
    unusable: bool = False
    rows_checked: int = 0
    tables_checked: int = 0

    @property
    def exit_code(self) -> int:
        return 2 if self.unusable else (1 if self.problems else 0)

    def summary(self) -> str:
        if self.unusable:
            verdict = "unusable input"
        elif self.problems:
            verdict = "invalid"
        else:
            verdict = "valid"
        return (
            f"{verdict}: {len(self.problems)} problem(s) in {self.tables_checked} table(s), "
            f"{self.rows_checked} row(s) checked"
        )


def problems_from_mask(
    file: str, frame: pl.DataFrame, bad: pl.Expr, field_name: str, check: str, message: pl.Expr
) -> list[Problem]:
    """Return one Problem per row where `bad` holds, with the row's own message."""
    hits = (
        frame.with_row_index("_index")
        .filter(bad.fill_null(False))
        # In one piece: polars 2.1 panics formatting a message on the rows of a frame read in
        # several chunks (a large file) with the rows filtered out of some chunks.
        .rechunk()
        .select(pl.col("_index"), message.alias("_message"))
    )
    return [
        Problem(file, index + 2, field_name, check, text)
        for index, text in hits.iter_rows()
    ]


def value_text(column: str) -> pl.Expr:
    """The cell as shown in messages (quoted, cut to length), vectorised."""
    cut = pl.col(column).str.slice(0, SHOWN_VALUE_CHARS - 5)
    longer = pl.col(column).str.len_chars() > SHOWN_VALUE_CHARS - 5
    return pl.concat_str(
        [pl.lit("'"), cut, pl.when(longer).then(pl.lit("...")).otherwise(pl.lit("")), pl.lit("'")]
    )
