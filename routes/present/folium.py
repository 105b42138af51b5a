"""Draw a checked trip as an interactive folium (Leaflet) map.

Every piece of text that comes from a trip file or a report is escaped with
:func:`html.escape` before it reaches the page: popups, tooltips, the title and the
legend are built from escaped strings only.
"""

from __future__ import annotations

import base64
import html
import json
import logging
import re
from collections.abc import Sequence
from datetime import UTC
from importlib import resources

import folium
import networkx as nx
from branca.element import Element, Figure, MacroElement
from jinja2 import Template
from shapely.geometry import LineString

from ..geo import bearing
from ..model import ClaimVerdict, LegVerdict, Place, Report, Route, Window
from ..pipeline.infer import SNAP_NOTE_KM
from ..pipeline.where import WhereAt
from ..places.index import normalize
from ..routing.rail import RailNetwork
from .style import KIND_STYLES, VERDICT_COLOURS

__all__ = ["render_map", "VERDICT_COLOURS", "KIND_STYLES", "simplify", "inline_assets"]

log = logging.getLogger(__name__)

SIMPLIFY_DEG = 0.0001  # about 10 m at these latitudes


def esc(value: object) -> str:
    """HTML-escape any value (quotes included)."""
    return html.escape(str(value), quote=True)


def simplify(coords: Sequence[tuple[float, float]], tolerance: float = SIMPLIFY_DEG) -> list[list[float]]:
    """Simplify a (lat, lon) line for display and round to 5 decimals (about 1 m)."""
    if len(coords) < 3:
        return [[round(a, 5), round(b, 5)] for a, b in coords]
    line = LineString([(lon, lat) for lat, lon in coords]).simplify(tolerance, preserve_topology=False)
    return [[round(y, 5), round(x, 5)] for x, y in line.coords]


def _fmt_window(w: Window | None) -> str:
    if w is None:
        return "no time given"

    def one(t) -> str:  # noqa: ANN001
        return f"{t.strftime('%Y-%m-%d %H:%M')} {t.strftime('%z')[:3]}:{t.strftime('%z')[3:]}"

    def utc(t) -> str:  # noqa: ANN001
        return t.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")

    if w.is_instant:
        return f"{one(w.earliest)} ({utc(w.earliest)})"
    return f"{one(w.earliest)} – {one(w.latest)} ({utc(w.earliest)} – {utc(w.latest)})"


def _event_popup(report: Report, i: int) -> str:
    ev = report.trip.events[i]
    p = report.places[i]
    given = report.windows[i]
    w = given if given is not None else (report.inferred[i] if report.inferred else None)
    rows = [
        ("Reported", ev.label),
        ("Resolved to", f"{p.name} ({p.kind}, {p.lat:.4f}, {p.lon:.4f})"),
        ("Event", ev.kind),
        ("Time" if given is not None else "Inferred window", _fmt_window(w)),
        ("Source", ev.source or "—"),
        ("Coordinates from", p.source or "—"),
    ]
    if ev.note:
        rows.append(("Note", ev.note))
    for lv in report.legs:
        if lv.leg.end == i or lv.leg.start == i:
            rows.append((f"Leg {lv.leg.start_name} → {lv.leg.end_name}", f"{lv.verdict}: {lv.why}"))
    names = {normalize(ev.label), normalize(p.name)}
    for cv in report.claims:
        if names & {normalize(x) for x in (*cv.claim.places, cv.claim.region) if x}:
            rows.append((f"Claim: {cv.claim.describe()}", f"{cv.verdict}: {cv.why}"))
    body = "".join(f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in rows)
    return f"<table class='routes-popup'>{body}</table>"


def _leg_popup(lv: LegVerdict) -> str:
    leg = lv.leg
    r = leg.route
    rows = [
        ("Leg", f"{leg.start_name} → {leg.end_name}"),
        ("Verdict", lv.verdict),
        ("Why", lv.why),
        ("Rail km", f"{r.km:,.1f}" if r else "—"),
        ("Straight-line km", f"{leg.straight_km:,.1f}"),
    ]
    if r is not None:
        rows.append(("Lines", ", ".join(r.lines)))
        if r.gauge_breaks:
            rows.append(("Break of gauge at", ", ".join(r.gauge_breaks)))
    if lv.hours_available:
        rows.append(("Hours available", f"{lv.hours_available[0]:.1f}–{lv.hours_available[1]:.1f}"))
    body = "".join(f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in rows)
    return f"<table class='routes-popup'>{body}</table>"


def _arrows(route: Route, colour: str, layer: folium.FeatureGroup) -> None:
    """Direction marks along a route: small rotated triangles every ~1/4 of its length."""
    if len(route.coords) < 2 or not route.cum_km:
        return
    for frac in (0.25, 0.5, 0.75):
        target = route.km * frac
        n = next((k for k, km in enumerate(route.cum_km) if km >= target), len(route.coords) - 1)
        n = max(1, n)
        a, b = route.coords[n - 1], route.coords[n]
        angle = bearing(a, b)
        icon = folium.DivIcon(
            html=(f"<div class='routes-arrow' style='transform: rotate({angle:.0f}deg);color:{colour}'>&#9650;</div>"),
            icon_size=(14, 14),
            icon_anchor=(7, 7),
        )
        folium.Marker(location=list(b), icon=icon, interactive=False).add_to(layer)


_LEGEND = Template(
    """
{% macro html(this, kwargs) %}
<div class="routes-legend" style="position: fixed; bottom: 28px; right: 12px; z-index: 9999;
  background: white; padding: 8px 10px; border: 1px solid #999; border-radius: 4px;
  font: 12px/1.4 sans-serif; max-width: 360px; max-height: 60vh; overflow-y: auto;">
  <details open><summary style="font-weight: bold; cursor: pointer; margin-bottom: 4px;">{{ this.title }}</summary>
  {% for name, colour in this.verdicts %}
  <div><span style="display:inline-block;width:22px;height:4px;background:{{ colour }};vertical-align:middle"></span> {{ name }}</div>
  {% endfor %}
  <div><span style="display:inline-block;width:22px;border-top:3px dashed #555;vertical-align:middle"></span> alternative route</div>
  <div><span style="display:inline-block;width:22px;border-top:2px dashed #7f7f7f;vertical-align:middle"></span> no rail route (mode unknown)</div>
  <div><span style="display:inline-block;width:22px;height:2px;background:#9e9e9e;vertical-align:middle"></span> rail network</div>
  {% if this.claims %}<div style="font-weight: bold; margin-top: 6px;">Claims</div>
  {% for verdict, colour, text in this.claims %}
  <div><span style="color:{{ colour }}; font-weight: bold;">{{ verdict }}</span>: {{ text }}</div>
  {% endfor %}{% endif %}
  {% if this.warnings %}<div style="font-weight: bold; margin-top: 6px;">Warnings</div>
  {% for text in this.warnings %}<div>{{ text }}</div>{% endfor %}{% endif %}
  {% for kind, colour, fill in this.kinds %}
  <div><span style="display:inline-block;width:10px;height:10px;border-radius:50%;border:2px solid {{ colour }};{% if fill %}background:{{ colour }};{% endif %}vertical-align:middle"></span> {{ kind }}</div>
  {% endfor %}
  </details>
</div>
<style>
  .routes-popup th { text-align: left; padding-right: 6px; vertical-align: top; }
  .routes-popup td { max-width: 320px; }
  .routes-arrow { font-size: 14px; line-height: 14px; text-align: center; text-shadow: 0 0 2px #fff; }
  .routes-label { font: bold 12px sans-serif; }
</style>
{% endmacro %}
"""
)


def js_string(text: str) -> str:
    """A JavaScript string literal for ``text`` that is also safe inside an HTML ``<script>``:
    JSON-encoded, with ``<``, ``>``, ``&`` and the line separators escaped."""
    out = json.dumps(text, ensure_ascii=False)
    for ch, rep in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        out = out.replace(ch, rep)
    return out


class Bind(MacroElement):
    """Bind a popup and a tooltip to the parent layer, passing both as JS string literals.

    folium's own Popup and Tooltip put text inside JavaScript template literals (and
    Popup needs jQuery); here the HTML is escaped by us and travels as a JSON string.
    """

    _template = Template(
        """
{% macro script(this, kwargs) %}
{% if this.popup %}{{ this._parent.get_name() }}.bindPopup({{ this.popup }}, {maxWidth: {{ this.max_width }}});{% endif %}
{% if this.tooltip %}{{ this._parent.get_name() }}.bindTooltip({{ this.tooltip }}, {{ this.tooltip_options }});{% endif %}
{% endmacro %}
"""
    )

    def __init__(
        self,
        popup_html: str | None = None,
        tooltip_text: str | None = None,
        max_width: int = 420,
        label: str | None = None,
    ) -> None:
        super().__init__()
        self._name = "Bind"
        self.popup = js_string(popup_html) if popup_html else ""
        self.tooltip = js_string(esc(tooltip_text)) if tooltip_text else ""
        self.max_width = int(max_width)
        # a label stays on the map (readable without tiles); other tooltips follow the pointer
        offset = "[8, 0]" if label == "right" else "[-8, 0]"
        self.tooltip_options = (
            f'{{permanent: true, direction: "{label}", offset: {offset}, className: "routes-label"}}'
            if label in ("left", "right")
            else "{sticky: true}"
        )


def _add(
    layer_item: MacroElement,
    parent: folium.FeatureGroup,
    popup_html: str | None = None,
    tooltip: str | None = None,
    max_width: int = 420,
    label: str | None = None,
) -> None:
    layer_item.add_to(parent)
    if popup_html or tooltip:
        layer_item.add_child(Bind(popup_html, tooltip, max_width, label))


class MetricScale(MacroElement):
    """A kilometre scale bar (Leaflet's own control, metric only)."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
L.control.scale({metric: true, imperial: false, position: "bottomleft"}).addTo({{ this._parent.get_name() }});
{% endmacro %}
"""
    )


class Legend(MacroElement):
    """A fixed legend; the title is escaped by the caller, the rest is our own text."""

    _template = _LEGEND

    def __init__(self, title: str, claims: Sequence[ClaimVerdict] = (), warnings: Sequence[str] = ()) -> None:
        super().__init__()
        self._name = "Legend"
        self.title = esc(title)
        colours = {"supported": "#1a9850", "contradicted": "#d73027", "unverifiable": "#7f7f7f"}
        self.claims = [
            (esc(c.verdict), colours.get(c.verdict, "#7f7f7f"), esc(f"{c.claim.describe()} — {c.why}")) for c in claims
        ]
        self.warnings = [esc(w) for w in warnings]
        self.verdicts = list(VERDICT_COLOURS.items())
        self.kinds = [(k, s["color"], s["fill"]) for k, s in KIND_STYLES.items()]


def render_map(report: Report, net: RailNetwork, prism: WhereAt | None = None, tiles: bool = True) -> folium.Map:
    """The folium map of a report: network, legs by verdict, alternatives, events, legend."""
    pts = [(p.lat, p.lon) for p in report.places]
    m = folium.Map(
        location=[sum(a for a, _ in pts) / len(pts), sum(b for _, b in pts) / len(pts)],
        zoom_start=5,
        tiles="OpenStreetMap" if tiles else None,
        control_scale=False,
        prefer_canvas=False,
    )
    # only Leaflet is used: drop folium's jQuery, Bootstrap and awesome-markers assets
    m.default_js = [js for js in folium.Map.default_js if js[0] == "leaflet"]
    m.default_css = [css for css in folium.Map.default_css if css[0] == "leaflet_css"]
    _figure(m).header.add_child(Element(f"<title>{esc(report.trip.title)}</title>"), name="routes_title")
    network = folium.FeatureGroup(name="Rail network", show=True)
    # one polyline per contracted chain (junction to junction), not per station-to-station
    # edge: folium renders each element through its own template, and a dense network has
    # hundreds of edges
    names = nx.get_node_attributes(net.graph, "name")
    for chain in net.chains.values():
        lines = list(dict.fromkeys(net.graph.edges[e]["line_name"] for e in chain.edges))
        _add(
            folium.PolyLine(simplify([tuple(c) for c in chain.coords]), color="#9e9e9e", weight=2, opacity=0.8),
            network,
            tooltip=f"{' / '.join(lines)}: {names[chain.u]} – {names[chain.v]}"
            f" ({chain.km:,.0f} km, {len(chain.nodes)} stations)",
        )
    network.add_to(m)

    alts = folium.FeatureGroup(name="Alternative routes", show=False)
    route_layer = folium.FeatureGroup(name="Route (coloured by verdict)", show=True)
    all_coords: list[tuple[float, float]] = list(pts)
    for lv in report.legs:
        leg = lv.leg
        colour = VERDICT_COLOURS.get(lv.verdict, "#7f7f7f")
        popup = _leg_popup(lv)
        if leg.route is None:
            a, b = report.places[leg.start], report.places[leg.end]
            _add(
                folium.PolyLine([[a.lat, a.lon], [b.lat, b.lon]], color="#7f7f7f", weight=3, dash_array="8 8"),
                route_layer,
                popup,
                f"{leg.start_name} → {leg.end_name}: no rail route (mode unknown)",
            )
            continue
        _add(
            folium.PolyLine(simplify(leg.route.coords), color=colour, weight=5, opacity=0.9),
            route_layer,
            popup,
            f"{leg.start_name} → {leg.end_name}: {leg.route.km:,.0f} km, {lv.verdict}",
        )
        _arrows(leg.route, colour, route_layer)
        all_coords.extend(leg.route.coords)
        # an end that lies off the bundled track: join it to the track with a dashed, unknown-mode line
        for end, place, off in (
            (leg.route.coords[0], report.places[leg.start], leg.snap_km[0]),
            (leg.route.coords[-1], report.places[leg.end], leg.snap_km[1]),
        ):
            if off > SNAP_NOTE_KM:
                _add(
                    folium.PolyLine([list(end), [place.lat, place.lon]], color="#7f7f7f", weight=2, dash_array="4 6"),
                    route_layer,
                    tooltip=f"{place.name}: {off:,.1f} km from the nearest bundled track (no track data beyond)",
                )
        for n, alt in enumerate(leg.alternatives, start=1):
            _add(
                folium.PolyLine(simplify(alt.coords), color="#555555", weight=3, dash_array="6 6", opacity=0.8),
                alts,
                tooltip=(
                    f"alternative {n} for {leg.start_name} → {leg.end_name}: {alt.km:,.0f} km"
                    f" via {', '.join(net.graph.nodes[x]['name'] for x in alt.via[:6])}"
                ),
            )
    route_layer.add_to(m)
    alts.add_to(m)

    events = folium.FeatureGroup(name="Reported events", show=True)
    for n, i in enumerate(report.order or range(len(report.places))):
        p: Place = report.places[i]
        ev = report.trip.events[i]
        style = KIND_STYLES.get(ev.kind, KIND_STYLES["at"])
        _add(
            folium.CircleMarker(
                location=[p.lat, p.lon],
                radius=style["radius"],
                color=style["color"],
                weight=3,
                fill=style["fill"],
                fill_color=style["color"],
                fill_opacity=0.9 if style["fill"] else 0.0,
                dash_array=style.get("dash_array"),
            ),
            events,
            _event_popup(report, i),
            f"{n + 1}. {p.name}",
            max_width=460,
            label="right" if n % 2 == 0 else "left",
        )
    events.add_to(m)

    if prism is not None:
        layer = folium.FeatureGroup(name=f"Where at {prism.at.isoformat()}", show=True)
        _add(
            folium.PolyLine(simplify(prism.coords), color="#6a3d9a", weight=10, opacity=0.6),
            layer,
            tooltip=(
                f"possible position at {prism.at.isoformat()}: km {prism.km_from_start[0]:,.0f}–"
                f"{prism.km_from_start[1]:,.0f} of {prism.route_km:,.0f}"
            ),
        )
        layer.add_to(m)

    Legend(report.trip.title, report.claims, report.warnings).add_to(m)
    MetricScale().add_to(m)
    folium.LayerControl(collapsed=False).add_to(m)
    lats = [a for a, _ in all_coords]
    lons = [b for _, b in all_coords]
    m.fit_bounds([[min(lats), min(lons)], [max(lats), max(lons)]], padding=(20, 20))
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
    header.add_child(Element(f"<style>{css}</style>"), name="leaflet_css_inline", index=0)
    safe_js = js.replace("</script", "<\\/script")
    header.add_child(Element("<script>" + safe_js + "</script>"), name="leaflet_js_inline", index=1)
