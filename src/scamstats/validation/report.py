"""What validation finds: one `Problem` per thing wrong (`file:row:field: message [check]`),
gathered in a `Report`; and the vectorised way to make problems from the rows a check flags.

Rows are numbered as frictionless numbers them: the header is row 1, the first data row is row 2.

Output is terminal-safe: a problem is always exactly one line, with control, format and line
separator characters shown escaped (`\\x1b`, `\\n`, `\\u202e`), so that no cell can move the
cursor, clear the screen or forge a line. And it stays small: each check lists at most
`PROBLEMS_PER_CHECK` problems per file, then one line counting the rest.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

import polars as pl

SHOWN_VALUE_CHARS = 60
PROBLEMS_PER_CHECK = 1_000
ESCAPED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
UNSAFE_CATEGORIES = {"Cc", "Cf", "Cs", "Zl", "Zp"}  # controls, format (bidi, zero-width), surrogates, separators


def printable(text: str) -> str:
    """Return `text` safe to print on one line: control, format and separator characters escaped."""
    if text.isprintable():
        return text
    return "".join(escaped(c) if unicodedata.category(c) in UNSAFE_CATEGORIES else c for c in text)


def escaped(character: str) -> str:
    code = ord(character)
    if character in ESCAPED:
        return ESCAPED[character]
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong, where it is, and which check found it."""

    file: str
    row: int | None
    field: str | None
    check: str
    message: str
    omitted: int = field(default=0, compare=False)  # > 0: a line counting problems not listed

    def line(self) -> str:
        place = ":".join(str(p) for p in (self.file, self.row, self.field) if p not in (None, ""))
        return printable(f"{place}: {self.message} [{self.check}]")

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

    @property
    def problem_count(self) -> int:
        """All problems found, those not listed included."""
        return sum(p.omitted or 1 for p in self.problems)

    def summary(self) -> str:
        if self.unusable:
            verdict = "unusable input"
        elif self.problems:
            verdict = "invalid"
        else:
            verdict = "valid"
        return (
            f"{verdict}: {self.problem_count} problem(s) in {self.tables_checked} table(s), "
            f"{self.rows_checked} row(s) checked"
        )


def problems_from_mask(
    file: str, frame: pl.DataFrame, bad: pl.Expr, field_name: str, check: str, message: pl.Expr
) -> list[Problem]:
    """Return one Problem per row where `bad` holds, with the row's own message: the first
    `PROBLEMS_PER_CHECK` rows, then one problem counting the others (see `omitted`)."""
    index, text = free_name("_index", frame.columns), free_name("_message", frame.columns)
    rows = frame.select(pl.int_range(pl.len(), dtype=pl.UInt32).filter(bad.fill_null(False)).alias(index))
    if not rows.height:
        return []
    wanted = bad.fill_null(False)
    if rows.height > PROBLEMS_PER_CHECK:  # only the rows listed, then the count
        wanted = wanted & (pl.col(index) <= rows.item(PROBLEMS_PER_CHECK - 1, 0))
    hits = (
        frame.with_row_index(index)
        .filter(wanted)
        # In one piece: polars 2.1 panics formatting a message on the rows of a frame read in
        # several chunks (a large file) with the rows filtered out of some chunks.
        .rechunk()
        .select(pl.col(index), message.alias(text))
    )
    problems = [Problem(file, row + 2, field_name, check, line) for row, line in hits.iter_rows()]
    return problems + omitted(file, field_name, check, rows.height - len(problems))


def omitted(file: str, field_name: str | None, check: str, count: int) -> list[Problem]:
    """Return the problem counting `count` problems of a check that are not listed (if any)."""
    if count <= 0:
        return []
    return [Problem(file, None, field_name, check, f"{count:,} more problem(s) of this check not listed", count)]


def capped(problems: list[Problem]) -> list[Problem]:
    """Return the problems (sorted) with at most `PROBLEMS_PER_CHECK` listed per file and
    check, in order, then one line per file and check counting the rest."""
    listed: list[Problem] = []
    shown: dict[tuple[str, str], int] = {}
    rest: dict[tuple[str, str], int] = {}
    for problem in problems:
        key = (problem.file, problem.check)
        if problem.omitted or shown.get(key, 0) >= PROBLEMS_PER_CHECK:
            rest[key] = rest.get(key, 0) + (problem.omitted or 1)
        else:
            shown[key] = shown.get(key, 0) + 1
            listed.append(problem)
    for (file, check), count in sorted(rest.items()):
        listed += omitted(file, None, check, count)
    return listed


def free_name(name: str, taken: list[str]) -> str:
    """Return `name`, made longer until it is not among `taken` (column names)."""
    while name in taken:
        name += "_"
    return name


def value_text(column: str) -> pl.Expr:
    """The cell as shown in messages (quoted, cut to length), vectorised."""
    cut = pl.col(column).str.slice(0, SHOWN_VALUE_CHARS - 5)
    longer = pl.col(column).str.len_chars() > SHOWN_VALUE_CHARS - 5
    return pl.concat_str(
        [pl.lit("'"), cut, pl.when(longer).then(pl.lit("...")).otherwise(pl.lit("")), pl.lit("'")]
    )
