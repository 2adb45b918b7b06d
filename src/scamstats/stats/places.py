"""Places on the compounds map: one row per point a compound is placed at (a town, or a
district's seat), with how many named compounds it holds, each counted once."""

from __future__ import annotations

import re

import polars as pl

from scamstats.labels import province_name
from scamstats.package import Package
from scamstats.stats.common import empty_frame, rows_frame, table
from scamstats.stats.compounds import compounds_known

PLACES_SCHEMA = {
    "place": pl.String,
    "province_code": pl.String,
    "province_name": pl.String,
    "latitude": pl.Float64,
    "longitude": pl.Float64,
    "geo_precision": pl.String,
    "compounds": pl.Int64,
    "compound_names": pl.List(pl.String),
    "source_ids": pl.List(pl.String),
}


def _place_names(town: str | None) -> list[str]:
    """The places a `town` cell names: its comma-separated parts, without parentheses."""
    if not town:
        return []
    plain = re.sub(r"\([^)]*\)", "", town)
    return [part.strip() for part in plain.split(",") if part.strip()]


def _name_of(towns: list[str | None], province: str) -> str:
    """The name of a point: the place most of its compounds' `town` cells name; the province's
    own name when a cell gives it (a city's districts are placed at the city: Phnom Penh)."""
    names = [set(_place_names(t)) for t in towns]
    candidates = sorted({n for found in names for n in found})
    if not candidates:
        return province
    if province in candidates:
        return province
    return max(candidates, key=lambda n: (sum(n in found for found in names), -len(n), n))


def compound_places(package: Package) -> pl.DataFrame:
    """Return each point named compounds are placed at: its name (`place`), province,
    coordinates, `geo_precision` (town or district, never the site itself), how many named
    compounds are there (`compounds`, each once: records linked by `same_compound_as` are one)
    with their names, and the sources of their records. Most compounds first, then by name."""
    compounds = compounds_known(package)
    records = table(package, "compounds")
    if not (compounds.height and records.height) or "latitude" not in records.columns:
        return empty_frame(PLACES_SCHEMA)
    located = {r["compound_id"]: r for r in records.filter(
        pl.col("latitude").is_not_null() & pl.col("longitude").is_not_null()).iter_rows(named=True)}
    points: dict[tuple, list[tuple[dict, dict]]] = {}
    for compound in compounds.iter_rows(named=True):
        record = next((located[i] for i in compound["row_ids"] if i in located), None)
        if record is None:
            continue
        key = (record["latitude"], record["longitude"], record["geo_precision"], compound["province_code"])
        points.setdefault(key, []).append((compound, record))
    rows = []
    for (latitude, longitude, precision, code), members in points.items():
        rows.append({
            "place": _name_of([record["town"] for _, record in members], province_name(code)),
            "province_code": code,
            "province_name": province_name(code),
            "latitude": latitude,
            "longitude": longitude,
            "geo_precision": precision,
            "compounds": len(members),
            "compound_names": sorted(compound["name"] for compound, _ in members),
            "source_ids": sorted({s for compound, _ in members for s in compound["source_ids"]}),
        })
    return rows_frame(rows, PLACES_SCHEMA).sort(["compounds", "place"], descending=[True, False])


def unplaced_compounds(package: Package) -> int:
    """Return how many named compounds (each once) have no coordinates in any record."""
    placed = compound_places(package)["compounds"].sum() if package.tables else 0
    return compounds_known(package).height - int(placed or 0)
