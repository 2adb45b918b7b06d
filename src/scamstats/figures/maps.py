"""Offline maps of Cambodia's 25 provinces from the shipped GeoJSON (Natural Earth), drawn as
plain shapes on a fixed projection: no map tiles, no WebGL, no network, the same pixels on
every machine. Provinces are shaded by one count each and named; places (towns) are dots
sized by how many named compounds they hold, each labelled; no two labels overlap
(`figures.map_labels`).
"""

from __future__ import annotations

import itertools
import json
import math
from functools import cache
from importlib import resources

import plotly.graph_objects as go
import polars as pl
from plotly.colors import sample_colorscale

from scamstats.figures.map_labels import place_labels
from scamstats.figures.theme import GREY, INK, PALETTE
from scamstats.reference import PROVINCES

# Equirectangular projection at Cambodia's middle latitude: x = longitude × cos(12.5°).
X_SCALE = math.cos(math.radians(12.5))
# Where a province's name is written when its middle is too small or crowded (lon, lat).
NAME_AT = {
    "KH-1": (103.02, 13.52), "KH-12": (104.9, 11.76), "KH-23": (104.33, 10.43), "KH-24": (102.62, 12.9),
    "KH-8": (104.98, 11.28), "KH-18": (103.22, 10.76), "KH-21": (104.75, 10.92), "KH-7": (104.25, 10.78),
    "KH-20": (105.76, 11.22),
}
SHORT_NAMES = {"KH-3+KH-25": "Kampong Cham and<br>Tboung Khmum"}
# Names written outside their province (over the sea or a neighbour), in dark ink whatever its shade.
NAMED_OUTSIDE = {"KH-12", "KH-18", "KH-23"}


@cache
def province_geojson() -> dict:
    """Return the shipped Cambodia province GeoJSON (Natural Earth; see geo/README.md)."""
    text = resources.files("scamstats.geo").joinpath("cambodia_provinces.geojson").read_text(encoding="utf-8")
    return json.loads(text)


def province_feature_ids() -> dict[str, str]:
    """Return, for each of the 25 province codes, the id of the map feature that draws it.

    Natural Earth has no separate Tboung Khmum: KH-3 and KH-25 share one feature, 'KH-3+KH-25'.
    """
    mapping = {}
    for feature in province_geojson()["features"]:
        for code in feature["properties"]["province_codes"]:
            mapping[code] = feature["id"]
    return mapping


def all_province_codes_mapped() -> bool:
    """Return True when every one of the 25 province codes has a map feature."""
    return set(province_feature_ids()) == set(PROVINCES)


def map_frame(frame: pl.DataFrame, column: str) -> pl.DataFrame:
    """Per map feature: the summed count and a hover text listing each province's own count.

    The map, not the statistic, merges provinces: Natural Earth draws KH-3 and KH-25 as one."""
    ids = province_feature_ids()
    rows: dict[str, dict] = {}
    for r in frame.iter_rows(named=True):
        feature = ids[r["province_code"]]
        entry = rows.setdefault(feature, {"feature_id": feature, column: 0, "provinces": []})
        entry[column] += r[column]
        entry["provinces"].append(f"{r['province_name']} ({r['province_code']}): {r[column]}")
    return pl.DataFrame([{**e, "provinces": "; ".join(e["provinces"])} for e in rows.values()],
                        schema={"feature_id": pl.String, column: pl.Int64, "provinces": pl.String}, orient="row")


def zero_apart(top: int) -> list:
    """A sequential scale where zero is pale grey and one already a clear blue."""
    one = 1 / top if top else 1.0
    return [[0.0, "#F2F2F2"], [one * 0.999, "#F2F2F2"], [one, "#C6DBEF"], [1.0, "#08306B"]] if top > 1 \
        else [[0.0, "#F2F2F2"], [0.999, "#F2F2F2"], [1.0, "#2171B5"]]


def project(lon: float, lat: float) -> tuple[float, float]:
    """Return the point of a longitude and latitude on the map's plane."""
    return round(lon * X_SCALE, 5), round(lat, 5)


def _rings(geometry: dict) -> list[list]:
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    return [polygon[0] for polygon in polygons]  # outer rings (Cambodia's provinces have no holes to show)


def _middle(rings: list[list]) -> tuple[float, float]:
    """The centroid of a feature's largest ring (lon, lat)."""
    def area_centroid(ring):
        area = cx = cy = 0.0
        for (x0, y0), (x1, y1) in itertools.pairwise(ring):
            cross = x0 * y1 - x1 * y0
            area += cross
            cx += (x0 + x1) * cross
            cy += (y0 + y1) * cross
        return abs(area), (cx / (3 * area), cy / (3 * area)) if area else ring[0]
    return max((area_centroid(r) for r in rings), key=lambda a: a[0])[1]


def name_spot(feature: dict, at_middle: bool = False) -> tuple[float, float, str, list | None]:
    """Where a province's name is first written (on the map's plane), the name as written, and
    its province's rings (None where the name may sit outside it). `at_middle`: from its
    province's middle, never outside it but at the end of a leader line (a small map's way)."""
    rings = _rings(feature["geometry"])
    x, y = project(*(_middle(rings) if at_middle else NAME_AT.get(feature["id"], _middle(rings))))
    outside = feature["id"] in NAMED_OUTSIDE and not at_middle
    home = None if outside else [[project(*p) for p in ring] for ring in rings]
    return x, y, SHORT_NAMES.get(feature["id"], feature["properties"]["name"]), home


def name_spots(names: list[str], at_middle: bool = False) -> list[tuple[float, float, list | None]]:
    """For each province name a map writes (`province_map`), where it is first written and its
    province's rings (`name_spot`): what `map_labels.place_labels` starts from."""
    spots = {spot[2]: spot for spot in (name_spot(f, at_middle) for f in province_geojson()["features"])}
    return [(spots[name][0], spots[name][1], spots[name][3]) for name in names]


def province_map(frame: pl.DataFrame, column: str, what: str, places: pl.DataFrame | None = None) -> go.Figure:
    """Return a map of the provinces shaded by one count per province (`province_code`), each
    province named (but those a place names already: Phnom Penh), with a colour bar for the
    count, a dot for each of `places` (`stats.compound_places`) and no two labels overlapping
    (`map_labels.place_labels`)."""
    named_places = tuple(places["place"]) if places is not None else ()
    mapped = {r["feature_id"]: r for r in map_frame(frame, column).iter_rows(named=True)}
    top = max(1, max((r[column] for r in mapped.values()), default=0))
    scale = zero_apart(top)
    figure = go.Figure()
    names_x, names_y, names, homes = [], [], [], []
    for feature in province_geojson()["features"]:
        row = mapped.get(feature["id"], {column: 0, "provinces": feature["properties"]["name"]})
        xs: list = []
        ys: list = []
        rings = _rings(feature["geometry"])
        for ring in rings:
            for lon, lat in ring:
                x, y = project(lon, lat)
                xs.append(x)
                ys.append(y)
            xs.append(None)
            ys.append(None)
        colour = sample_colorscale(scale, [row[column] / top])[0]
        figure.add_trace(go.Scatter(
            x=xs, y=ys, mode="lines", fill="toself", fillcolor=colour, line={"color": "white", "width": 0.8},
            hoverinfo="text", hovertext=f"{row['provinces']} {what}", showlegend=False, hoveron="fills",
        ))
        if feature["properties"]["name"] in named_places:
            continue
        x, y, name, home = name_spot(feature)
        names_x.append(x)
        names_y.append(y)
        names.append(name)
        homes.append(home)
    dark = ["rgb(255, 255, 255)" if f["id"] in NAMED_OUTSIDE
            else sample_colorscale(scale, [mapped.get(f["id"], {column: 0})[column] / top])[0]
            for f in province_geojson()["features"] if f["properties"]["name"] not in named_places]
    figure.add_trace(go.Scatter(
        x=names_x, y=names_y, mode="text", text=names, hoverinfo="skip", showlegend=False,
        textfont={"size": 11, "color": [_ink_on(c) for c in dark]}, meta={"role": "names"},
    ))
    figure.add_trace(go.Scatter(  # the colour bar only
        x=[None], y=[None], mode="markers", showlegend=False, hoverinfo="skip",
        marker={"color": [0, top], "colorscale": scale, "cmin": 0, "cmax": top, "showscale": True,
                "colorbar": {"title": {"text": what, "side": "right"}, "thickness": 14, "len": 0.6,
                             "tickformat": "d", "outlinewidth": 0, "x": 1.0}},
    ))
    figure.update_xaxes(visible=False, range=[project(102.25, 0)[0], project(107.75, 0)[0]])
    figure.update_yaxes(visible=False, range=[10.3, 14.75], scaleanchor="x", scaleratio=1)
    figure.update_layout(height=760, margin={"l": 24, "r": 24, "t": 100, "b": 130}, plot_bgcolor="white")
    figure.add_annotation(text="Kampong Cham and Tboung Khmum (KH-25) are drawn as one area: the open boundary "
                               "data (Natural Earth) predate their 2013 split.", xref="paper", yref="paper",
                          x=0, y=0, yanchor="top", xanchor="left", showarrow=False, font={"size": 11, "color": GREY})
    prefer = place_dots(figure, places) if places is not None and places.height else None
    place_labels(figure, prefer, homes)
    return figure


# A white edge round a town's label: readable over any shade, a dark province or a leader line.
HALO = "1px 1px 1px white, -1px -1px 1px white, 1px -1px 1px white, -1px 1px 1px white"


def darkness(colour: str) -> float:
    """How dark an 'rgb(r, g, b)' fill is: 0 white to 1 black (its luma)."""
    red, green, blue = (float(v) for v in colour[colour.index("(") + 1:colour.index(")")].split(",")[:3])
    return 1 - (0.299 * red + 0.587 * green + 0.114 * blue) / 255


def _ink_on(colour: str) -> str:
    """Dark text on a pale fill, white on a dark one."""
    return "white" if darkness(colour) > 1 - 128 / 255 else INK


def place_dots(figure: go.Figure, places: pl.DataFrame) -> list[str]:
    """Add one dot per place (`stats.compound_places`), its area proportional to its named
    compounds, labelled with the place and the count; return the side each label prefers."""
    xs, ys = zip(*(project(r["longitude"], r["latitude"]) for r in places.iter_rows(named=True)), strict=True)
    counts = places["compounds"].to_list()
    sizes = [10 + 6 * math.sqrt(n) for n in counts]
    labels = [f"<b>{r['place']}</b> {r['compounds']}" for r in places.iter_rows(named=True)]
    # Labels go east of their dot, but west where the east is crowded or the coast is near.
    positions = ["middle left" if lon < 103.0 or lat < 10.8 else "middle right"
                 for lon, lat in zip(places["longitude"], places["latitude"], strict=True)]
    figure.add_trace(go.Scatter(
        x=list(xs), y=list(ys), mode="markers+text", text=labels, textposition=positions,
        textfont={"size": 12, "color": INK, "shadow": HALO}, cliponaxis=False, name="named compounds placed at a town",
        marker={"size": sizes, "color": PALETTE[3], "opacity": 0.85, "line": {"color": "white", "width": 1.5}},
        hovertext=[f"{r['place']} ({r['province_name']}; placed at the {r['geo_precision']}): "
                   f"{r['compounds']} named compounds<br>{', '.join(r['compound_names'])}"
                   for r in places.iter_rows(named=True)],
        hoverinfo="text", showlegend=False, meta={"role": "places"},
    ))
    return positions
