"""Write a synthetic copy of a data package whose arrests table is scaled to N rows.

The rows are copies of the shipped rows with fresh ids, so they are valid; `--invalid K`
breaks K of them (negative counts) so that both validators have errors to find.
Used by scripts/bench.py; not a source of data.

  python scripts/synthetic_package.py OUT_DIR --rows 1000000 [--invalid 10]
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from scamstats.package import rehash
from scamstats.paths import PACKAGE_DIR


def write_synthetic_package(out: Path, rows: int, invalid: int = 0, source: Path = PACKAGE_DIR) -> Path:
    """Copy the package to `out` with data/arrests.csv scaled to `rows` rows; return `out`."""
    shutil.rmtree(out, ignore_errors=True)
    shutil.copytree(source, out, ignore=shutil.ignore_patterns("README.md"))
    arrests = pl.read_csv(out / "data" / "arrests.csv", infer_schema=False)
    # Series keys must stay unique per row so cumulative and breakdown rules see
    # independent one-row series: give each copy its own source-free scope... keep scope,
    # but a distinct as_of-free identity through a fresh period_start-less total row.
    base = arrests.filter(pl.col("nationality").is_null() & pl.col("sex").is_null() & pl.col("period_start").is_null())
    if "same_claim_as" in base.columns:  # a claim's other reports would repeat it unlinked once copied
        base = base.filter(pl.col("same_claim_as").is_null())
    repeats = -(-rows // base.height)
    scaled = (
        pl.concat([base] * repeats).head(rows)
        .with_row_index("_n")
        .with_columns(pl.format("synthetic-{}", pl.col("_n")).alias("observation_id"))
        .drop("_n")
        # A copy's total, or the other figure of its count, would be a row left out of the copy.
        .with_columns(*[pl.lit(None, pl.String).alias(c) for c in ("total_id", "same_count_as") if c in arrests.columns])
    )
    if invalid:
        step = max(rows // invalid, 1)
        scaled = scaled.with_row_index("_n").with_columns(
            pl.when(pl.col("_n") % step == 0).then(pl.lit("-4")).otherwise(pl.col("value")).alias("value")
        ).drop("_n")
    scaled.write_csv(out / "data" / "arrests.csv", line_terminator="\n")
    rehash(out)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--invalid", type=int, default=0)
    args = parser.parse_args()
    write_synthetic_package(args.out, args.rows, args.invalid)
    print(f"wrote {args.out} with {args.rows} arrests rows")


if __name__ == "__main__":
    main()
