"""The interactive map: a folium (Leaflet) page that draws a :class:`~.scene.Scene`.

No text from a trip, a report or a data source ever reaches a template engine. branca
compiles the output of every ``MacroElement`` again as a Jinja template, so text placed
through folium's own elements (popups, tooltips, ``Element``, ``Html``, layer names) can
run code. Here folium only makes the empty map; the scene travels as JSON in a
``<script type="application/json">`` block (:func:`safe_json`) that our own script
(``map.js``) reads and draws with DOM calls, putting every text in as text. The pieces
are added with :class:`Verbatim`, whose output branca inserts as it is.
"""

from __future__ import annotations

import base64
import html
import json
import logging
import re
from importlib import resources
from typing import Any

import folium
from branca.element import Element, Figure

from ..model import Report
from ..pipeline.where import WhereAt
from ..routing.rail import RailNetwork
from .scene import build_scene, scene_json

__all__ = ["render_map", "safe_json", "inline_assets", "Verbatim"]

log = logging.getLogger(__name__)

_CSS = """
.routes-popup th { text-align: left; padding-right: 6px; vertical-align: top; }
.routes-popup td { max-width: 320px; }
.routes-arrow { font-size: 14px; line-height: 14px; text-align: center; text-shadow: 0 0 2px #fff; }
.routes-label { font: bold 12px sans-serif; }
.routes-legend { background: white; padding: 8px 10px; border: 1px solid #999; border-radius: 4px;
  font: 12px/1.4 sans-serif; max-width: 360px; max-height: 60vh; overflow-y: auto; }
.routes-legend summary { font-weight: bold; cursor: pointer; margin-bottom: 4px; }
.routes-legend-head { font-weight: bold; margin-top: 6px; }
.routes-swatch { display: inline-block; width: 22px; vertical-align: middle; }
"""


def safe_json(data: Any) -> str:
    """JSON that is inert wherever it lands: inside ``<script>``, and in a template engine.

    ``<``, ``>`` and ``&`` become ``\\u`` escapes (no ``</script>``, no comment), so do the
    line separators U+2028/9 and every ``{`` that would open a Jinja tag (``{{``, ``{%``,
    ``{#``): JSON only has such pairs inside strings, where the escape means the same.

    >>> safe_json({"t": "</script>{{ 7*7 }}"})
    '{"t":"\\\\u003c/script\\\\u003e\\\\u007b{ 7*7 }}"}'
    >>> json.loads(safe_json({"t": "</script>{{ 7*7 }}"}))["t"]
    '</script>{{ 7*7 }}'
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for ch, rep in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(ch, rep)
    return re.sub(r"\{(?=[{%#])", r"\\u007b", text)


class Verbatim(Element):
    """Text put into the page exactly as given: never compiled as a template.

    Only for text we made safe for where it goes (our own code, :func:`safe_json`,
    :func:`html.escape`).
    """

    def __init__(self, text: str) -> None:
        super().__init__()
        self._text = text

    def render(self, **kwargs: Any) -> str:
        return self._text


class SceneLayer(Element):
    """Adds the scene's data, our script and its call to the page when the map renders."""

    def __init__(self, data: dict[str, Any], title: str) -> None:
        super().__init__()
        self._name = "RoutesScene"
        self._data = safe_json(data)
        self._title = title

    def render(self, **kwargs: Any) -> str:
        figure = self.get_root()
        assert isinstance(figure, Figure) and self._parent is not None, "the scene needs a map inside a figure"
        map_name = self._parent.get_name()
        data_id = f"routes-scene-{map_name}"
        figure.header.add_child(Verbatim(f"<title>{html.escape(self._title)}</title>"), name="routes_title")
        figure.header.add_child(Verbatim(f"<style>{_CSS}</style>"), name="routes_css")
        figure.header.add_child(
            Verbatim(f'<script type="application/json" id="{data_id}">{self._data}</script>'), name="routes_scene"
        )
        js = _asset("map.js")
        figure.script.add_child(
            Verbatim(f'{js}\nroutesDraw("{map_name}", "{data_id}");\n'), name=f"routes_draw_{map_name}"
        )
        return ""


def _asset(name: str) -> str:
    return resources.files("routes.present").joinpath(name).read_text(encoding="utf-8")


def render_map(report: Report, net: RailNetwork, prism: WhereAt | None = None, tiles: bool = True) -> folium.Map:
    """The folium map of a report: network, legs by verdict, alternatives, events, legend.

    folium draws only the empty map (and its tiles); everything else is drawn by the
    page's own script from the scene's JSON (see the module docstring).
    """
    scene = build_scene(report, net, prism=prism)
    (s, w), (n, e) = scene.bounds
    m = folium.Map(
        location=[(s + n) / 2, (w + e) / 2],
        zoom_start=5,
        tiles="OpenStreetMap" if tiles else None,
        control_scale=False,
        prefer_canvas=False,
    )
    # only Leaflet is used: drop folium's jQuery, Bootstrap and awesome-markers assets
    m.default_js = [js for js in folium.Map.default_js if js[0] == "leaflet"]
    m.default_css = [css for css in folium.Map.default_css if css[0] == "leaflet_css"]
    m.add_child(SceneLayer(scene_json(scene), report.trip.title), name="routes_scene")
    return m


# ---------------------------------------------------------------------------- offline assets


def _figure(m: folium.Map) -> Figure:
    root = m.get_root()
    assert isinstance(root, Figure)
    return root


def _leaflet_file(name: str) -> bytes:
    return resources.files("xstatic.pkg.leaflet").joinpath("data", name).read_bytes()


def inline_assets(m: folium.Map) -> None:
    """Make the map's page self-contained: Leaflet's JS and CSS inlined from the installed
    ``xstatic-leaflet`` package, its images as data URIs, and nothing else fetched.
    Tiles stay remote (a basemap cannot be bundled); without them the map still shows the
    network, the route, markers and labels."""
    js = _leaflet_file("leaflet.js").decode("utf-8")
    css = _leaflet_file("leaflet.css").decode("utf-8")

    def data_uri(match: re.Match[str]) -> str:
        name = match.group(1)
        raw = _leaflet_file(f"images/{name}")
        return f"url(data:image/png;base64,{base64.b64encode(raw).decode('ascii')})"

    css = re.sub(r"url\(images/([\w\-.]+\.png)\)", data_uri, css)
    m.default_js = []
    m.default_css = []
    header = _figure(m).header
    header.add_child(Verbatim(f"<style>{css}</style>"), name="leaflet_css_inline", index=0)
    safe_js = js.replace("</script", "<\\/script")
    header.add_child(Verbatim("<script>" + safe_js + "</script>"), name="leaflet_js_inline", index=1)
