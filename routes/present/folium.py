"""The interactive map: a folium (Leaflet) page that draws a :class:`~.scene.Scene`.

No text from a trip, a report or a data source ever reaches a template engine. branca
compiles the output of every ``MacroElement`` again as a Jinja template, so text placed
through folium's own elements (popups, tooltips, ``Element``, ``Html``, layer names) can
run code. And the page loads nothing but what its legend says: Leaflet is inlined, and
tiles (if any) come from the tile server the scene names. Here folium only makes the empty map; the scene travels as JSON in a
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

from ..errors import OptionError
from ..model import Report
from ..pipeline.where import WhereAt
from ..routing.rail import RailNetwork
from .scene import build_scene, scene_json
from .tiles import OSM, TileSource

__all__ = ["render_map", "safe_json", "inline_assets", "external_leaflet", "loads", "Verbatim"]

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
.routes-attribution { font-size: 11px; color: #444; margin-top: 4px; }
.routes-swatch { display: inline-block; width: 22px; vertical-align: middle; }
.routes-mode { width: 20px; height: 20px; border: 2px solid #333; border-radius: 50%; background: #fff;
  font-size: 12px; line-height: 20px; text-align: center; font-weight: bold; }
.routes-mode-key { display: inline-block; min-width: 14px; margin-left: 4px; text-align: center; font-weight: bold; }
.routes-slider { background: white; padding: 6px 8px; font: 12px/1.4 sans-serif; width: 300px; }
.routes-slider input { width: 100%; }
.routes-slider-time { font-weight: bold; }
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
        # no favicon request when the page is served over http: it loads only what the legend says
        figure.header.add_child(Verbatim('<link rel="icon" href="data:,">'), name="routes_icon")
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


def loads(tiles: TileSource | None, leaflet: str | None) -> list[str]:
    """What a page with these tiles and this Leaflet loads, and from where, for its legend.

    >>> loads(None, None)
    ['nothing from the network: Leaflet, the data and the basemap (Natural Earth outlines) are inside this page']
    """
    out = []
    if tiles is not None:
        out.append(f"map tiles from {tiles.host} ({tiles.attribution}), for the area and zoom shown")
    if leaflet is not None:
        out.append(f"the Leaflet library from {leaflet}")
    if not out:
        return [
            "nothing from the network: Leaflet, the data and the basemap (Natural Earth outlines) are inside this page"
        ]
    return [*out, "nothing else: " + ("the data" if leaflet else "Leaflet and the data") + " are inside this page"]


def render_map(
    report: Report,
    net: RailNetwork,
    prism: WhereAt | None = None,
    tiles: TileSource | None = OSM,
    leaflet: str | None = None,
    timeline: bool = True,
) -> folium.Map:
    """The folium map of a report: network, legs by verdict, alternatives, events, legend, time slider.

    folium draws only the empty map; everything else, tiles included, is drawn by the
    page's own script from the scene's JSON (see the module docstring). ``tiles`` is
    the tile server (``None``: no tiles, the bundled Natural Earth outlines instead);
    Leaflet is inlined unless ``leaflet`` names a folder URL holding ``leaflet.js`` and
    ``leaflet.css``. The page then loads exactly what its legend says.
    """
    scene = build_scene(report, net, prism=prism, tiles=tiles, basemap=tiles is None, timeline=timeline)
    (s, w), (n, e) = scene.bounds
    m = folium.Map(
        location=[(s + n) / 2, (w + e) / 2],
        zoom_start=5,
        tiles=None,
        control_scale=False,
        prefer_canvas=False,
    )
    data = scene_json(scene)
    data["loads"] = loads(tiles, leaflet)
    m.add_child(SceneLayer(data, report.trip.title), name="routes_scene")
    if leaflet is None:
        inline_assets(m)
    else:
        external_leaflet(m, leaflet)
    return m


# ---------------------------------------------------------------------------- offline assets


def _figure(m: folium.Map) -> Figure:
    root = m.get_root()
    assert isinstance(root, Figure)
    return root


def external_leaflet(m: folium.Map, base: str) -> None:
    """Load Leaflet's JS and CSS from ``base`` (a folder URL with leaflet.js and leaflet.css)."""
    if not re.fullmatch(r"https?://[^\s\"'<>\\`]+", base):
        raise OptionError(f"--leaflet {base!r}: give an http(s) folder URL holding leaflet.js and leaflet.css")
    url = html.escape(base.rstrip("/") + "/", quote=True)
    m.default_js = []
    m.default_css = []
    header = _figure(m).header
    header.add_child(Verbatim(f'<link rel="stylesheet" href="{url}leaflet.css">'), name="leaflet_css_link", index=0)
    header.add_child(Verbatim(f'<script src="{url}leaflet.js"></script>'), name="leaflet_js_link", index=1)


def _leaflet_file(name: str) -> bytes:
    return resources.files("xstatic.pkg.leaflet").joinpath("data", name).read_bytes()


def inline_assets(m: folium.Map) -> None:
    """Make the map's page self-contained: Leaflet's JS and CSS inlined from the installed
    ``xstatic-leaflet`` package, its images as data URIs, and nothing else fetched.
    :func:`render_map` does this unless asked for an external Leaflet. Tiles, if any, are
    the one thing the page then loads (``--tiles none``: not even those)."""
    js = _leaflet_file("leaflet.js").decode("utf-8")
    css = _leaflet_file("leaflet.css").decode("utf-8")

    def data_uri(match: re.Match[str]) -> str:
        name = match.group(1)
        raw = _leaflet_file(f"images/{name}")
        return f"url(data:image/png;base64,{base64.b64encode(raw).decode('ascii')})"

    css = re.sub(r"url\(images/([\w\-.]+\.png)\)", data_uri, css)
    # the map draws no default marker icon (circles and its own icons only): drop its image
    css = re.sub(r"\.leaflet-default-icon-path \{[^}]*\}", "", css)
    m.default_js = []
    m.default_css = []
    header = _figure(m).header
    header.add_child(Verbatim(f"<style>{css}</style>"), name="leaflet_css_inline", index=0)
    safe_js = js.replace("</script", "<\\/script")
    header.add_child(Verbatim("<script>" + safe_js + "</script>"), name="leaflet_js_inline", index=1)
