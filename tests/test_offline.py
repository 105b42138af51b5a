"""The HTML map offline and private by default: what it carries, what it loads, its size, its slider."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime

import pytest
from helpers import scene_of

from routes import check_trip
from routes.api import build_map, where
from routes.cli import main
from routes.errors import OptionError
from routes.present.formats.html import to_fragment, to_html
from routes.present.tiles import tile_source


@pytest.fixture(scope="module")
def seed_html():
    return to_html(build_map())


class _Remote:
    """Anything a page could fetch: a script or style sheet by URL, an import, or a url() in
    its styles (Leaflet's CSS has one VML behaviour reference, url(#default#VML), which
    points into the page itself)."""

    TAGS = re.compile(r'<script[^>]+src=|<link[^>]+href="(?!data:)|<img[^>]+src="(?!data:)|@import', re.I)
    CSS_URL = re.compile(r"url\((?!data:|#)")

    def search(self, page: str) -> list[str]:
        styles = " ".join(re.findall(r"<style>(.*?)</style>", page, re.S))
        return self.TAGS.findall(page) + self.CSS_URL.findall(styles)


REMOTE = _Remote()


def test_every_page_is_self_contained_by_default(seed_html, tmp_path, capsys):
    """The saved page, the fragment, build_map(self_contained=True) and Jupyter's
    _repr_html_ load no script, style or image from anywhere: Leaflet is inlined."""
    assert not REMOTE.search(seed_html)
    m = build_map(self_contained=True)
    assert not REMOTE.search(to_html(m))
    shown = html.unescape(m._repr_html_())  # what Jupyter displays: an iframe holding the page
    assert "L.map(" in shown and not REMOTE.search(shown)
    assert not REMOTE.search(html.unescape(to_fragment(build_map())))
    out = tmp_path / "map.html"
    assert main(["-q", "build", "-o", str(out)]) == 0
    assert not REMOTE.search(out.read_text(encoding="utf-8"))


def test_tiles_travel_as_scene_data_and_the_legend_says_what_loads(seed_html):
    scene = scene_of(seed_html)
    assert scene["tiles"] == {
        "url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        "attribution": "© OpenStreetMap contributors",
        "max_zoom": 19,
    }
    outside = seed_html.replace(re.search(r'<script type="application/json".*?</script>', seed_html, re.S).group(0), "")
    assert "openstreetmap" not in outside.lower(), "the tile server is named in the scene data only"
    assert scene["basemap"] is None, "with tiles, no outlines are carried"
    assert scene["loads"][0].startswith("map tiles from tile.openstreetmap.org")
    none = scene_of(to_html(build_map(tiles="none")))
    assert none["tiles"] is None and none["basemap"]["features"]
    assert {f["properties"]["kind"] for f in none["basemap"]["features"]} >= {"coast", "border", "river"}
    assert none["loads"] == [
        "nothing from the network: Leaflet, the data and the basemap (Natural Earth outlines) are inside this page"
    ]
    own = scene_of(to_html(build_map(tiles=tile_source("https://t.example.org/{z}/{x}/{y}.png", "© Example"))))
    assert own["tiles"]["attribution"] == "© Example" and own["loads"][0].startswith("map tiles from t.example.org")
    assert "Map tiles: © Example" in own["credits"]


@pytest.mark.parametrize(
    "spec", ["ftp://x/{z}/{x}/{y}", "https://x.org/tiles.png", "https://x.org/{z}/{x}/{y}.png?a=<b>", "osmm"]
)
def test_a_bad_tile_url_is_refused(spec):
    with pytest.raises(OptionError):
        tile_source(spec, "x")


@pytest.mark.parametrize(
    "args, words",
    [
        (["--tiles", "tiles.example.org"], "--tiles"),
        (["--leaflet", "javascript:alert(1)"], "--leaflet"),
        (["--format", "geojson", "--tiles", "none"], "apply to html"),
        (["--format", "kml", "--size", "A4"], "apply to png"),
    ],
)
def test_bad_map_options_are_one_line_and_nothing_written(args, words, tmp_path, capsys):
    assert main(["build", *args, "-o", f"{tmp_path}/out/"]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and words in err and "Traceback" not in err
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_the_slider_steps_come_from_where_at(seed_html):
    """The time slider's prisms are where_at's, step by step (computed once, in Python)."""
    report = check_trip()
    scene = scene_of(seed_html)
    timeline = scene["timeline"]
    assert len(timeline["spans"]) == 1 and timeline["spans"][0]["legs"] == [0, 1, 2]
    steps = timeline["steps"]
    assert 100 <= len(steps) <= 200
    for t, span, lo, hi in steps[:: len(steps) // 10]:
        w = where(report, datetime.fromtimestamp(t, UTC))
        assert (span, lo, hi) == (0, *w.km_from_start)
    # legs carry rail-km anchors, from 0 to the leg's length
    for leg, lv in zip(scene["legs"], report.legs):
        assert leg["km"][0] == [0, 0.0] and leg["km"][-1][0] == len(leg["coords"]) - 1
        assert abs(leg["km"][-1][1] - lv.leg.route.km) < 0.01


def test_example_map_sizes_are_within_the_targets(seed_html):
    """The bundled example: at most 260 KB with Leaflet inlined, 150 KB with Leaflet external."""
    assert len(seed_html.encode()) <= 260_000
    external = to_html(build_map(self_contained=False, leaflet="https://example.org/leaflet/"))
    assert len(external.encode()) <= 150_000
    assert '<script src="https://example.org/leaflet/leaflet.js"></script>' in external
