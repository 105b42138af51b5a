"""The map, tested by structure: the scene it draws, layers, colours, legend, escaping."""

from __future__ import annotations

import json
import re

import folium
import pytest
from helpers import scene_of
from hostile import PAYLOADS, hostile_trip_yaml

from routes import check_trip
from routes.api import build_map, load_network
from routes.present.folium import inline_assets, render_map, safe_json
from routes.present.formats.html import to_html
from routes.present.style import VERDICT_COLOURS


@pytest.fixture(scope="module")
def seed_html():
    return to_html(build_map())


def test_build_map_returns_a_folium_map():
    assert isinstance(build_map(), folium.Map)


def test_layers_legend_scale_and_fit(seed_html):
    for name in ("Rail network", "Route (coloured by verdict)", "Alternative routes", "Reported events"):
        assert name in seed_html
    assert "L.control.layers(" in seed_html
    assert "L.control.scale({metric: true, imperial: false" in seed_html
    assert "fitBounds(" in seed_html
    scene = scene_of(seed_html)
    # three legs coloured by their verdict (feasible), each with direction marks
    assert [leg["colour"] for leg in scene["legs"]] == [VERDICT_COLOURS["feasible"]] * 3
    assert all(len(leg["arrows"]) == 3 for leg in scene["legs"])
    assert [c["verdict"] for c in scene["claims"]] == ["supported", "supported"]
    assert scene["title"].startswith("Kim Jong-un")
    (s, w), (n, e) = scene["bounds"]
    assert s < 42.5 and n > 51.8 and w < 130.7 and e > 128  # Khasan to the cosmodrome
    assert [m["number"] for m in scene["marks"]] == [1, 2, 3, 4]


def test_the_network_is_one_geojson_layer_junction_to_junction_with_the_line_named(seed_html):
    net = load_network()
    network = scene_of(seed_html)["network"]
    assert network["type"] == "FeatureCollection"
    counts = net.meta["counts"]
    assert 0 < len(network["features"]) <= counts["chains"] < counts["edges"] / 3
    labels = [f["properties"]["label"] for f in network["features"]]
    # clipped to the journey's surroundings: the Korean lines far to the south are left out
    assert not any("Pyongui" in x for x in labels)
    pair = "(Grodekovo – Ussuriysk|Ussuriysk – Grodekovo)"
    assert any(re.fullmatch(rf"Ussuriysk – Grodekovo line: {pair} \(\d+ km, \d+ stations\)", x) for x in labels)
    lon, lat = network["features"][0]["geometry"]["coordinates"][0]
    assert 120 < lon < 140 and 37 < lat < 56  # GeoJSON order: lon, lat


def test_route_legs_are_not_drawn_twice(seed_html):
    """The network layer leaves out the track the route is drawn on: the legs' geometry is
    carried once (the slider cuts its prism out of the legs too)."""
    scene = scene_of(seed_html)
    labels = [f["properties"]["label"] for f in scene["network"]["features"]]
    assert not any("Baranovsky – Ussuriysk" in x or "Ussuriysk – Baranovsky" in x for x in labels)
    route = {(round(lat, 2), round(lon, 2)) for leg in scene["legs"] for lat, lon in leg["coords"]}
    vertices = [
        (round(lat, 2), round(lon, 2))
        for f in scene["network"]["features"]
        for part in (
            [f["geometry"]["coordinates"]] if f["geometry"]["type"] == "LineString" else f["geometry"]["coordinates"]
        )
        for lon, lat in part
    ]
    shared = sum(v in route for v in vertices)
    assert shared / len(vertices) < 0.03, f"{shared} of {len(vertices)} network vertices lie on the route"
    assert scene["prism"] is None and all("coords" not in s for s in scene["timeline"]["spans"])


def test_event_popups_carry_the_claims_about_the_place(seed_html):
    (cosmodrome,) = [m for m in scene_of(seed_html)["marks"] if "Vostochny Cosmodrome" in m["label"]]
    rows = dict(cosmodrome["popup"])
    assert rows["Claim: the Vostochny spaceport is some 1,000 km from Vladivostok"].startswith("supported: ")
    assert rows["Reported"] == "Vostochny Cosmodrome"


def test_event_popups_say_how_each_place_was_found(seed_html):
    """The popup rows are data the map's script draws as text: each event says how its
    place was found (the provenance of the check table and the JSON)."""
    by = {m["label"]: dict(m["popup"]).get("Resolved by") for m in scene_of(seed_html)["marks"]}
    assert by["1. Khasan"] == "exact (1.00): name"
    assert next(v for k, v in by.items() if "Razdolnaya" in k).startswith("crossing (0.90): where a line crosses")


def test_only_leaflet_is_loaded(seed_html):
    assert not re.search(r"jquery|bootstrap|awesome", seed_html, re.I)


def test_self_contained_has_no_remote_script_or_style():
    m = build_map()
    inline_assets(m)
    html = to_html(m)
    assert not re.search(r'<script[^>]+src=|<link[^>]+href=\s*"https?:', html)
    assert "L.map(" in html and "leaflet" in html.lower()
    assert "url(data:image/png;base64," in html


def test_safe_json_is_inert_in_script_and_in_a_template_engine():
    import jinja2

    text = "</script><script>alert(1)</script>`${x}` {{ 7*7 }} {% for x in y %} {# c \u2028"
    s = safe_json({"t": text, "nested": [{"u": text}]})
    assert "<" not in s and ">" not in s and "&" not in s
    assert not re.search(r"\{[{%#]", s)
    assert jinja2.Template(s).render() == s  # nothing for a template engine to evaluate
    assert json.loads(s) == {"t": text, "nested": [{"u": text}]}


def test_no_text_of_the_page_is_built_as_markup_by_the_script():
    """The map's script puts text in with textContent only (no innerHTML, no HTML strings)."""
    from importlib import resources

    js = resources.files("routes.present").joinpath("map.js").read_text(encoding="utf-8")
    assert not re.search(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function", js)
    assert "textContent" in js
    assert "</" not in js and "<!--" not in js  # nothing that could end or confuse its <script> block


def test_hostile_text_is_data_not_markup(tmp_path):
    p = tmp_path / "hostile.yaml"
    p.write_text(hostile_trip_yaml(), encoding="utf-8")
    report = check_trip(p)
    html = to_html(render_map(report, load_network()))
    # no payload appears as live markup anywhere in the page
    for raw in ("<script>document.title", "<img src=x", "<svg onload", '<a href="javascript:', '<div id="injected"'):
        assert raw not in html, raw
    # the only <script> tags are Leaflet's, the scene's data block and the page's plain script
    for tag in set(re.findall(r"<script[^>]*>", html)):
        assert (
            tag == "<script>"
            or "leaflet.js" in tag
            or tag.startswith('<script type="application/json" id="routes-scene-')
        )
    # the text is all there, as data, for the script to show as text
    scene = scene_of(html)
    assert scene["title"] == report.trip.title
    assert any(PAYLOADS[1] in "".join(map(str, row)) for m in scene["marks"] for row in m["popup"])
    assert len(PAYLOADS) == 8


def test_a_drafted_trip_shows_its_confidence_and_its_words(tmp_path):
    """An event the extractor was unsure of is marked on the map (the script draws it
    dotted and says so in its label); every popup quotes the report's sentence."""
    from pathlib import Path

    from routes.cli import main
    from routes.trips import load_trip

    article = Path(__file__).parent / "data" / "articles" / "nakhodka-2022.txt"
    trip_file = tmp_path / "draft.yaml"
    assert main(["-q", "extract", str(article), "-o", str(trip_file)]) == 0
    trip = load_trip(trip_file)
    scene = scene_of(to_html(build_map(trip)))
    by_label = {m["label"].split(". ", 1)[1]: m for m in scene["marks"]}
    assert by_label["Nakhodka"]["confidence"] == "low"
    assert by_label["Partizansk"]["confidence"] == ""
    rows = dict(by_label["Nakhodka"]["popup"])
    assert rows["Confidence"] == "low"
    assert rows["Report says"] == next(e.quote for e in trip.events if e.place == "Nakhodka")
    assert "Nakhodka" in rows["Report says"]
    assert [c["confidence"] for c in scene["claims"]] == [c.confidence for c in trip.claims]


def test_legs_that_run_the_same_track_again_and_again_leave_the_network_as_one_leg_does():
    """The network layer leaves out the track under the legs however often they run it:
    a trip back and forth over overlapping stretches clears what one leg over the whole
    stretch clears (the legs' union once took gigabytes for a long trip)."""
    from routes import parse_trip
    from routes.present.scene import build_scene

    net = load_network()
    stops = ["Makhalino", "Khasan", "Gvozdevo", "Primorskaya", "Baranovsky", "Ussuriysk", "Makhalino", "Olenevod"]
    many = parse_trip({"title": "shuttle", "events": [{"place": p} for p in stops * 6 + ["Khasan"]]})
    once = parse_trip({"title": "once", "events": [{"place": "Khasan"}, {"place": "Ussuriysk"}]})
    one = build_scene(check_trip(once, network=net), net).network
    again = build_scene(check_trip(many, network=net), net).network
    assert len(one["features"]) > 3 and again == one


def test_the_page_carries_each_line_packed_and_unpacks_it_exactly():
    from routes.present.scene import packed_line, unpacked_line

    line = ((42.4321, 130.6432), (42.4322, 130.6431), (-0.0001, 179.9999), (0.0002, -179.9998), (42.4321, 130.6432))
    packed = packed_line(line, 4)
    assert packed[:4] == [424321, 1306432, 1, -1], "the first vertex, then each vertex's change"
    assert unpacked_line(packed, 4) == list(line)
    assert packed_line((), 4) == [] and unpacked_line([], 4) == []
    assert unpacked_line(packed_line(((1.5, 2.25),), 2), 2) == [(1.5, 2.25)]


def test_every_drawn_line_of_the_page_is_the_scene_s_line(seed_html):
    from routes.present.scene import build_scene

    scene = scene_of(seed_html)
    net = load_network()
    built = build_scene(check_trip(None, network=net), net, timeline=True)
    assert len(scene["legs"]) == len(built.legs) == 3
    for leg, path in zip(scene["legs"], built.legs):
        assert [list(c) for c in leg["coords"]] == path.coords.tolist()
        assert len(leg["coords"]) > 10, "a rail leg keeps its shape"
