"""The map, tested by structure: layers, colours, legend, escaping of hostile text."""

from __future__ import annotations

import re

import folium
import pytest
from hostile import PAYLOADS, hostile_trip_yaml

from routes import check_trip
from routes.api import build_map, load_network
from routes.present.folium import inline_assets, js_string, render_map
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
    assert "routes-legend" in seed_html
    # three legs coloured by their verdict (feasible), drawn on top of the network
    assert seed_html.count(f'"color": "{VERDICT_COLOURS["feasible"]}"') >= 3
    assert "routes-arrow" in seed_html  # direction marks
    assert "Claims" in seed_html and "supported" in seed_html  # claim verdicts in the legend panel


def test_the_network_is_drawn_junction_to_junction_with_the_line_named(seed_html):
    net = load_network()
    grey = seed_html.count('"color": "#9e9e9e"')
    assert grey == len(net.chains) < net.graph.number_of_edges() / 3
    pair = "(Baranovsky – Ussuriysk|Ussuriysk – Baranovsky)"
    assert re.search(
        rf"Trans-Siberian Railway \(Vladivostok – Khabarovsk\): {pair} \(\d+ km, \d+ stations\)", seed_html
    )


def test_event_popups_carry_the_claims_about_the_place(seed_html):
    # the Vostochny marker's popup names the distance claim and its verdict
    assert "Claim: the Vostochny spaceport is some 1,000 km from Vladivostok" in seed_html


def test_only_leaflet_is_loaded(seed_html):
    assert not re.search(r"jquery|bootstrap|awesome", seed_html, re.I)


def test_self_contained_has_no_remote_script_or_style():
    m = build_map()
    inline_assets(m)
    html = to_html(m)
    assert not re.search(r'<script[^>]+src=|<link[^>]+href=\s*"https?:', html)
    assert "L.map(" in html and "leaflet" in html.lower()
    assert "url(data:image/png;base64," in html


def test_map_size_is_small(seed_html):
    assert len(seed_html.encode()) < 600_000


def test_js_string_is_safe_in_script():
    s = js_string("</script><script>alert(1)</script>`${x}`")
    assert "<" not in s and ">" not in s
    assert s.startswith('"') and s.endswith('"')


def test_hostile_text_is_escaped_everywhere(tmp_path):
    p = tmp_path / "hostile.yaml"
    p.write_text(hostile_trip_yaml(), encoding="utf-8")
    report = check_trip(p)
    html = to_html(render_map(report, load_network()))
    # no payload appears as live markup anywhere in the page
    for raw in ("<script>document.title", "<img src=x", "<svg onload", '<a href="javascript:', '<div id="injected"'):
        assert raw not in html, raw
    # the only <script> tags are folium's and ours
    scripts = re.findall(r"<script[^>]*>", html)
    assert all(
        s in ("<script>", '<script src="https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js">') for s in scripts
    ), scripts
    # the text is still there, escaped, for a reader to see
    assert "&amp;lt;img src=x" in html or "\\u0026lt;img src=x" in html or "&lt;img src=x" in html
    assert len(PAYLOADS) == 8
