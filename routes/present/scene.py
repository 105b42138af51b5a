"""What a map of a checked trip shows, independent of how it is drawn.

A :class:`Scene` is plain data: paths (legs, alternatives, the rail network), numbered
event marks, claim verdicts, warnings and the legend. Every text in it is plain text,
never markup: the HTML map's own script puts it into the page with ``textContent``, and
other writers escape it for their own format. :func:`scene_json` is the form the HTML map
reads, from a ``<script type="application/json">`` block (see :mod:`routes.present.folium`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import numpy as np
import shapely
from shapely.geometry import LineString, shape
from shapely.geometry.base import BaseGeometry

from ..geo import bearing
from ..model import LegVerdict, Place, Report, Route, Window
from ..pipeline.where import WhereAt
from ..places.index import normalize
from ..routing.rail import BBox, RailNetwork, attribution, network_geojson
from ..settings import DEFAULT, Settings
from .basemap import BASEMAP_CREDIT, outlines_in
from .style import (
    ALTERNATIVE_COLOUR,
    BASEMAP_BACKGROUND,
    BASEMAP_STYLE,
    CLAIM_COLOURS,
    KIND_STYLES,
    MODE_STYLES,
    NETWORK_STYLE,
    PRISM_COLOUR,
    VERDICT_COLOURS,
)
from .tiles import TileSource
from .timeline import Timeline, build_timeline

__all__ = [
    "Path",
    "Mark",
    "Note",
    "Scene",
    "build_scene",
    "scene_json",
    "packed_line",
    "unpacked_line",
    "simplify",
    "fmt_window",
    "DATA_CREDIT",
]

SIMPLIFY_DEG = 0.0001  # about 10 m: below what a screen or a printed page shows
DATA_CREDIT = (
    "Rail network and places: routes gazetteer (OpenStreetMap contributors, ODbL; GeoNames, CC BY 4.0; see SOURCES.md)"
)
Rows = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Path:
    """A line to draw: a leg, an alternative, a joint to an off-track place, a prism."""

    coords: np.ndarray = field(compare=False)  # (n, 2) float, (lat, lon); read-only, like a Route's
    colour: str
    weight: float
    tooltip: str
    dash: str = ""
    opacity: float = 0.9
    popup: Rows = ()
    arrows: tuple[tuple[float, float, float], ...] = ()  # (lat, lon, bearing in degrees)
    verdict: str = ""
    km: tuple[tuple[int, float], ...] = ()  # (vertex index, rail km from the path's start) anchors
    mode: str = ""  # a leg's mode of travel: its dashes and icon (MODE_STYLES)
    icon: tuple[float, float] | None = None  # where the mode's icon sits on the leg

    def __post_init__(self) -> None:
        # an array, not a tuple of pairs: a 2,000-leg map held 250 MB of float pairs
        coords = np.array(self.coords, dtype=float).reshape(-1, 2)
        coords.flags.writeable = False
        object.__setattr__(self, "coords", coords)


@dataclass(frozen=True)
class Mark:
    """A reported event: where it was resolved, its number in route order, its style."""

    lat: float
    lon: float
    number: int
    label: str
    kind: str
    colour: str
    fill: bool
    radius: float
    dash: str
    side: str  # where the permanent label sits: "left" or "right"
    popup: Rows
    confidence: str = ""  # as the trip file gives it; "low" is drawn with a dotted outline


@dataclass(frozen=True)
class Note:
    """A verdict line of the legend: a claim and what was found."""

    verdict: str
    colour: str
    text: str
    confidence: str = ""


@dataclass(frozen=True)
class Scene:
    title: str
    bounds: tuple[tuple[float, float], tuple[float, float]]  # (south, west), (north, east)
    network: dict[str, Any]  # a GeoJSON FeatureCollection of the rail network near the journey
    legs: tuple[Path, ...]
    joints: tuple[Path, ...]
    alternatives: tuple[Path, ...]
    marks: tuple[Mark, ...]
    claims: tuple[Note, ...]
    warnings: tuple[str, ...]
    prism: Path | None = None
    prism_title: str = ""
    tiles: TileSource | None = None  # where the basemap's tiles come from; None: the outlines below
    basemap: dict[str, Any] | None = None  # Natural Earth outlines (GeoJSON) near the journey, or None
    timeline: Timeline | None = None  # what the time slider shows
    credits: tuple[str, ...] = ()  # attribution lines: data, basemap, tiles
    attribution: tuple[str, ...] = ()  # the licence lines of the network's data ("© OpenStreetMap contributors, ODbL")
    decimals: int = 4  # the coordinates' rounding (Settings.map_decimals): the page carries lines in these units


def simplify(
    coords: Sequence[tuple[float, float]] | np.ndarray, tolerance: float = SIMPLIFY_DEG, decimals: int = 5
) -> np.ndarray:
    """Simplify a (lat, lon) line for display and round it (5 decimals: about 1 m); (n, 2)."""
    arr = np.asarray(coords, dtype=float).reshape(-1, 2)
    if len(arr) >= 3 and tolerance > 0:
        line = LineString(arr[:, ::-1]).simplify(tolerance, preserve_topology=False)
        arr = shapely.get_coordinates(line)[:, ::-1]
    return np.round(arr, decimals)


def _kept_at(coords: np.ndarray, kept: np.ndarray) -> list[int]:
    """Where each vertex of ``kept`` (a subsequence of ``coords``, both (n, 2)) lies in
    ``coords``: the first match at or after the previous one (the end when none)."""
    if len(coords) and len(kept):
        # every kept vertex matching exactly one vertex of the route, in order: found at once
        key = np.ascontiguousarray(coords, dtype=float).view(np.complex128).ravel()
        want = np.ascontiguousarray(kept, dtype=float).view(np.complex128).ravel()
        order = np.argsort(key, kind="stable")
        lo = np.searchsorted(key[order], want, side="left")
        hi = np.searchsorted(key[order], want, side="right")
        if np.all(hi - lo == 1):
            at = order[lo]
            if np.all(np.diff(at) >= 0):
                return at.tolist()
    pts = [tuple(c) for c in np.asarray(coords).tolist()]
    out = []
    j = 0
    for c in (tuple(c) for c in np.asarray(kept).tolist()):
        while j < len(pts) - 1 and pts[j] != c:
            j += 1
        out.append(j)
    return out


def simplify_route(
    route: Route, tolerance: float, decimals: int, every: int = 10
) -> tuple[np.ndarray, tuple[tuple[int, float], ...]]:
    """A route simplified for display, with its rail km at every ``every``-th kept vertex and the last.

    Douglas-Peucker keeps a subset of the vertices, so each kept vertex is found again in
    the route (in order) and takes the route's own km there: the page places a moment on
    the line by these anchors, not by the drawn length (which is shorter than the rail km
    where the geometry cuts curves).
    """
    kept = (
        route.coords
        if len(route.coords) < 3 or tolerance <= 0
        else shapely.get_coordinates(LineString(route.coords[:, ::-1]).simplify(tolerance))[:, ::-1]
    )
    at = _kept_at(route.coords, kept)
    anchors: list[tuple[int, float]] = []
    for n, j in enumerate(at):
        if n % every == 0 or n == len(at) - 1:
            km = float(route.cum_km[j]) if len(route.cum_km) else 0.0
            anchors.append((n, round(km, 2)))
    return np.round(kept, decimals), tuple(anchors)


def fmt_window(w: Window | None) -> str:
    """A window in the place's own zone, with UTC beside it."""
    if w is None:
        return "no time given"

    def one(t: datetime) -> str:
        z = t.strftime("%z")
        return f"{t.strftime('%Y-%m-%d %H:%M')} {z[:3]}:{z[3:]}"

    def utc(t: datetime) -> str:
        return t.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")

    if w.is_instant:
        return f"{one(w.earliest)} ({utc(w.earliest)})"
    return f"{one(w.earliest)} – {one(w.latest)} ({utc(w.earliest)} – {utc(w.latest)})"


def _arrows(route: Route) -> tuple[tuple[float, float, float], ...]:
    """Direction marks at a quarter, half and three quarters of a route's length."""
    if len(route.coords) < 2 or not len(route.cum_km):
        return ()
    out = []
    for frac in (0.25, 0.5, 0.75):
        n = min(max(1, int(np.searchsorted(route.cum_km, route.km * frac))), len(route.coords) - 1)
        a, b = tuple(route.coords[n - 1].tolist()), tuple(route.coords[n].tolist())
        out.append((round(b[0], 5), round(b[1], 5), round(bearing(a, b))))
    return tuple(out)


def _km_words(r: Route) -> str:
    lo, hi = r.km_range
    return f"{lo:,.1f}" if round(hi, 1) == round(lo, 1) else f"{lo:,.0f}–{hi:,.0f} ({r.estimate})"


def _leg_rows(lv: LegVerdict) -> Rows:
    leg, r = lv.leg, lv.leg.route
    rows = [
        ("Leg", f"{leg.start_name} → {leg.end_name}"),
        ("Mode", MODE_STYLES.get(leg.mode, MODE_STYLES["unknown"])["label"]),
        ("Verdict", lv.verdict),
        ("Why", lv.why),
        ("Rail km" if leg.mode == "rail" else "km", _km_words(r) if r else "—"),
        ("Straight-line km", f"{leg.straight_km:,.1f}"),
    ]
    if r is not None and leg.mode == "rail":
        rows.append(("Lines", ", ".join(r.lines)))
        if r.gauge_breaks:
            rows.append(("Break of gauge at", ", ".join(r.gauge_breaks)))
    if lv.hours_available:
        rows.append(("Hours available", f"{lv.hours_available[0]:.1f}–{lv.hours_available[1]:.1f}"))
    return tuple(rows)


def _event_rows(report: Report, i: int, legs_at: dict[int, list[LegVerdict]], claims_at: dict[str, list]) -> Rows:
    ev = report.trip.events[i]
    p = report.places[i]
    given = report.windows[i]
    w = given if given is not None else (report.inferred[i] if report.inferred else None)
    rows = [
        ("Reported", ev.label),
        ("Resolved to", f"{p.name} ({p.kind}, {p.lat:.4f}, {p.lon:.4f})"),
    ]
    r = report.resolutions[i] if report.resolutions else None
    if r is not None:
        rows.append(
            ("Resolved by", f"{r.method} ({r.score:.2f}): {r.detail}" if r.detail else f"{r.method} ({r.score:.2f})")
        )
    rows += [
        ("Event", ev.kind),
        ("Time" if given is not None else "Inferred window", fmt_window(w)),
        ("Source", ev.source or "—"),
        ("Coordinates from", p.source or "—"),
    ]
    if ev.note:
        rows.append(("Note", ev.note))
    if ev.confidence:
        rows.append(("Confidence", ev.confidence))
    if ev.quote:
        rows.append(("Report says", ev.quote))
    for lv in legs_at.get(i, ()):
        rows.append((f"Leg {lv.leg.start_name} → {lv.leg.end_name}", f"{lv.verdict}: {lv.why}"))
    seen: set[int] = set()
    for key in (normalize(ev.label), normalize(p.name)):
        for n, cv in claims_at.get(key, ()):
            if n not in seen:
                seen.add(n)
                rows.append((f"Claim: {cv.claim.describe()}", f"{cv.verdict}: {cv.why}"))
    return tuple(rows)


def _padded(bounds: tuple[tuple[float, float], tuple[float, float]]) -> tuple[tuple[float, float], tuple[float, float]]:
    """The journey's extent with room around it: 30 % each way, at least 1°."""
    (s, w), (n, e) = bounds
    pad_lat, pad_lon = max(1.0, (n - s) * 0.3), max(1.0, (e - w) * 0.3)
    return (max(-90.0, s - pad_lat), max(-180.0, w - pad_lon)), (min(90.0, n + pad_lat), min(180.0, e + pad_lon))


def _pieces(g: BaseGeometry) -> list[LineString]:
    if isinstance(g, LineString):
        return [g]
    return [x for part in getattr(g, "geoms", ()) for x in _pieces(part)]


def _geometry(g: dict[str, Any]) -> BaseGeometry:
    """A GeoJSON line as shapely geometry, made from an array (``shape`` reads a line's
    coordinates one by one)."""
    if g["type"] == "LineString":
        return shapely.linestrings(np.asarray(g["coordinates"], dtype=float))
    return shape(g)


def _cover(drawn: Sequence[np.ndarray], deg: float) -> BaseGeometry | None:
    """The ground within ``deg`` of the ``drawn`` lines ((lat, lon) each), or None.

    The legs of a long trip run the same track again and again, and the union of the
    overlapping lines themselves grew out of all proportion (2,000 legs: gigabytes). So
    each segment is kept only where it is first drawn (either way), the lines are cut into
    the runs of segments they draw first, and those runs are buffered: the same area.
    """
    parts = [np.asarray(c, dtype=float)[:, ::-1] for c in drawn if len(c) > 1]
    if not parts:
        return None
    seg = np.concatenate([np.concatenate([p[:-1], p[1:]], axis=1) for p in parts])  # x1, y1, x2, y2
    line = np.repeat(np.arange(len(parts)), [len(p) - 1 for p in parts])
    key = seg.copy()
    back = (key[:, 0] > key[:, 2]) | ((key[:, 0] == key[:, 2]) & (key[:, 1] > key[:, 3]))
    key[back] = key[back][:, [2, 3, 0, 1]]  # one direction per segment: a track run both ways is one
    order = np.lexsort(key.T[::-1])  # stable: the first to draw a segment comes first among its copies
    repeat = np.zeros(len(seg), dtype=bool)
    repeat[order[1:]] = np.all(key[order[1:]] == key[order[:-1]], axis=1)
    # runs of first-drawn segments, each within one line
    keep = np.flatnonzero(~repeat)
    start = np.r_[True, (np.diff(keep) != 1) | (line[keep[1:]] != line[keep[:-1]])]
    run = np.cumsum(start) - 1
    last = np.r_[start[1:], True]
    xy = np.concatenate([seg[keep, :2], seg[keep[last], 2:]])
    ids = np.concatenate([run, run[last]])
    pos = np.concatenate([keep, keep[last] + 0.5])  # each run's end point after its last segment
    by = np.lexsort((pos, ids))
    return shapely.multilinestrings(shapely.linestrings(xy[by], indices=ids[by])).buffer(deg)


def _network(
    net: RailNetwork,
    bounds: tuple[tuple[float, float], tuple[float, float]],
    settings: Settings = DEFAULT,
    drawn: Sequence[np.ndarray] = (),
) -> dict:
    """The rail network near the journey as one GeoJSON FeatureCollection, junction to junction.

    The track under the ``drawn`` lines (the legs, (lat, lon)) is left out, within
    ``settings.map_cover_deg`` of them: the route is drawn over it already, and its
    geometry would be carried twice. A chain the route runs along in part keeps the
    stretches it does not cover (a MultiLineString when there are several).
    """
    (s, w), (n, e) = _padded(bounds)
    cover = _cover(drawn, settings.map_cover_deg)
    feats: list[dict[str, Any]] = []
    for f in network_geojson(net, BBox(s, w, n, e), 0.0)["features"]:
        g = _geometry(f["geometry"])
        if cover is not None:
            # the cover cut to the chain's box first, so the overlay handles few of its
            # thousands of edges: the same edges about the chain, so the same cut
            x0, y0, x1, y1 = g.bounds
            pad = 4 * settings.map_cover_deg
            near = shapely.clip_by_rect(cover, x0 - pad, y0 - pad, x1 + pad, y1 + pad)
            g = g.difference(cover if near.is_empty else near)
        parts = [
            [
                [round(x, settings.map_decimals), round(y, settings.map_decimals)]
                for x, y in shapely.get_coordinates(piece).tolist()
            ]
            for piece in _pieces(g)
            if piece.length >= settings.map_cover_deg * 10  # no slivers where a line leaves the route
            for piece in [piece.simplify(settings.map_network_deg, preserve_topology=False)]
        ]
        if not parts:
            continue
        p = f["properties"]
        label = f"{p['lines']}: {p['from']} – {p['to']} ({p['km']:,.0f} km, {p['stations']} stations)"
        geometry = (
            {"type": "LineString", "coordinates": parts[0]}
            if len(parts) == 1
            else {"type": "MultiLineString", "coordinates": parts}
        )
        feats.append({"type": "Feature", "geometry": geometry, "properties": {"label": label}})
    # the same bytes whatever order the store lists its chains in
    feats.sort(key=lambda f: (f["properties"]["label"], str(f["geometry"]["coordinates"][:1])))
    return {"type": "FeatureCollection", "features": feats}


def build_scene(
    report: Report,
    net: RailNetwork,
    prism: WhereAt | None = None,
    tolerance: float | None = None,
    settings: Settings = DEFAULT,
    *,
    tiles: TileSource | None = None,
    basemap: bool = False,
    timeline: bool = False,
) -> Scene:
    """Everything a map of ``report`` shows, as plain data.

    Route coordinates are simplified by ``tolerance`` degrees (default
    ``settings.map_route_deg``), the context network by ``settings.map_network_deg``.
    ``tiles`` says where the basemap's tiles come from; ``basemap`` adds the bundled
    Natural Earth outlines around the journey; ``timeline`` adds the time slider's steps.
    """
    tolerance = settings.map_route_deg if tolerance is None else tolerance
    decimals = settings.map_decimals
    legs: list[Path] = []
    joints: list[Path] = []
    alternatives: list[Path] = []
    pts = [(p.lat, p.lon) for p in report.places]
    extent: list[tuple[float, float]] = list(pts)
    for lv in report.legs:
        leg, route = lv.leg, lv.leg.route
        colour = VERDICT_COLOURS.get(lv.verdict, VERDICT_COLOURS["unknown"])
        a, b = report.places[leg.start], report.places[leg.end]
        style = MODE_STYLES.get(leg.mode, MODE_STYLES["unknown"])
        if route is None:
            what = "no rail route (mode unknown)" if leg.mode == "rail" else style["label"]
            legs.append(
                Path(
                    np.array(((a.lat, a.lon), (b.lat, b.lon))),
                    VERDICT_COLOURS["unknown"],
                    3,
                    f"{leg.start_name} → {leg.end_name}: {what}",
                    dash="8 8",
                    popup=_leg_rows(lv),
                    verdict=lv.verdict,
                    mode=leg.mode,
                    icon=(round((a.lat + b.lat) / 2, decimals), round((a.lon + b.lon) / 2, decimals)),
                )
            )
            continue
        # a flight keeps its arc: its points lie far further than the tolerance from any chord
        coords, km = simplify_route(route, tolerance, decimals)
        lo, hi = route.km_range
        length = f"{lo:,.0f} km" if round(hi) == round(lo) else f"~{lo:,.0f}–{hi:,.0f} km, estimated"
        middle = route.coords[len(route.coords) * 3 // 8]  # between the direction marks at 1/4 and 1/2
        legs.append(
            Path(
                coords,
                colour,
                style["weight"],
                f"{leg.start_name} → {leg.end_name}: {length} by {leg.mode}, {lv.verdict}",
                dash=style["dash"],
                popup=_leg_rows(lv),
                arrows=_arrows(route),
                verdict=lv.verdict,
                km=km,
                mode=leg.mode,
                icon=(round(middle[0], decimals), round(middle[1], decimals)),
            )
        )
        first, last = tuple(route.coords[0].tolist()), tuple(route.coords[-1].tolist())
        extent.extend((first, last))
        extent.extend(map(tuple, route.coords[:: max(1, len(route.coords) // 50)].tolist()))
        for end, place, off in ((first, a, leg.snap_km[0]), (last, b, leg.snap_km[1])):
            if off > settings.snap_note_km:
                joints.append(
                    Path(
                        np.array((end, (place.lat, place.lon))),
                        VERDICT_COLOURS["unknown"],
                        2,
                        f"{place.name}: {off:,.1f} km from the nearest track of the {net.name} network (no track data beyond)"
                        if leg.mode == "rail"
                        else f"{place.name}: {off:,.1f} km from the airport the flight uses",
                        dash="4 6",
                    )
                )
        for k, alt in enumerate(leg.alternatives, start=1):
            via = ", ".join(net.name_of(x) for x in alt.via[:6])
            alternatives.append(
                Path(
                    simplify(alt.coords, tolerance, decimals),
                    ALTERNATIVE_COLOUR,
                    3,
                    f"alternative {k} for {leg.start_name} → {leg.end_name}: {alt.km:,.0f} km via {via}",
                    dash="6 6",
                    opacity=0.8,
                )
            )
    legs_at: dict[int, list[LegVerdict]] = defaultdict(list)
    for lv in report.legs:
        legs_at[lv.leg.start].append(lv)
        if lv.leg.end != lv.leg.start:
            legs_at[lv.leg.end].append(lv)
    claims_at: dict[str, list] = defaultdict(list)
    for n, cv in enumerate(report.claims):
        places = report.claim_places[n] if report.claim_places else ()
        for name in {normalize(x) for x in (*cv.claim.labels, *(p.name for p in places), cv.claim.region) if x}:
            claims_at[name].append((n, cv))
    marks = []
    for number, i in enumerate(report.order or range(len(report.places)), start=1):
        p: Place = report.places[i]
        ev = report.trip.events[i]
        style = KIND_STYLES.get(ev.kind, KIND_STYLES["at"])
        marks.append(
            Mark(
                round(p.lat, 5),
                round(p.lon, 5),
                number,
                f"{number}. {p.name}",
                ev.kind,
                style["color"],
                bool(style["fill"]),
                style["radius"],
                style.get("dash_array", ""),
                "right" if number % 2 else "left",
                _event_rows(report, i, legs_at, claims_at),
                ev.confidence,
            )
        )
    prism_path = None
    if prism is not None:
        prism_path = Path(
            simplify(prism.coords, tolerance, decimals),
            PRISM_COLOUR,
            10,
            f"possible position at {prism.at.isoformat()}: km {prism.km_from_start[0]:,.0f}–"
            f"{prism.km_from_start[1]:,.0f} of {prism.route_km:,.0f}",
            opacity=0.6,
        )
    lats = [x for x, _ in extent]
    lons = [y for _, y in extent]
    bounds = ((min(lats), min(lons)), (max(lats), max(lons)))
    credits = [DATA_CREDIT] + [f"Rail network {net.name}: {a}" for a in attribution(net)]
    if basemap:
        credits.append(f"Basemap: {BASEMAP_CREDIT}")
    if tiles is not None:
        credits.append(f"Map tiles: {tiles.attribution}")
    return Scene(
        title=report.trip.title,
        bounds=bounds,
        network=_network(net, bounds, settings, [lv.leg.route.coords for lv in report.legs if lv.leg.route]),
        legs=tuple(legs),
        joints=tuple(joints),
        alternatives=tuple(alternatives),
        marks=tuple(marks),
        claims=tuple(
            Note(
                c.verdict,
                CLAIM_COLOURS.get(c.verdict, CLAIM_COLOURS["unverifiable"]),
                f"{c.claim.describe()} — {c.why}",
                c.claim.confidence,
            )
            for c in report.claims
        ),
        warnings=tuple(report.warnings),
        prism=prism_path,
        prism_title=f"Where at {prism.at.isoformat()}" if prism is not None else "",
        tiles=tiles,
        basemap=outlines_in(_padded(bounds)) if basemap else None,
        timeline=build_timeline(report, settings.slider_steps) if timeline else None,
        credits=tuple(credits),
        attribution=tuple(attribution(net)),
        decimals=settings.map_decimals,
    )


def packed_line(coords: Sequence[tuple[float, float]] | np.ndarray, decimals: int) -> list[int]:
    """A (lat, lon) line as the page carries it: integers in units of ``10**-decimals``
    degrees, the first vertex's lat and lon, then each vertex's change from the one before,
    flat. A long trip's legs are most of its page, and this is a third of the size of
    nested ``[lat, lon]`` pairs; :func:`unpacked_line` (and the page's script) undo it
    exactly, for coordinates already rounded to ``decimals``."""
    q = np.rint(np.asarray(coords, dtype=float).reshape(-1, 2) * 10**decimals).astype(np.int64)
    return q.ravel().tolist() if len(q) < 2 else np.concatenate([q[:1], np.diff(q, axis=0)]).ravel().tolist()


def unpacked_line(packed: Sequence[int], decimals: int) -> list[tuple[float, float]]:
    """The (lat, lon) line :func:`packed_line` packed."""
    q = np.cumsum(np.asarray(packed, dtype=np.int64).reshape(-1, 2), axis=0)
    return [(a / 10**decimals, b / 10**decimals) for a, b in q.tolist()]


def _path_json(p: Path, decimals: int) -> dict[str, Any]:
    return {
        "line": packed_line(p.coords, decimals),
        "colour": p.colour,
        "weight": p.weight,
        "dash": p.dash,
        "opacity": p.opacity,
        "tooltip": p.tooltip,
        "popup": [list(r) for r in p.popup],
        "arrows": [list(a) for a in p.arrows],
        "verdict": p.verdict,
        "km": [list(k) for k in p.km],
        "mode": p.mode,
        "icon": list(p.icon) if p.icon else None,
        "glyph": MODE_STYLES[p.mode]["icon"] if p.mode in MODE_STYLES else "",
    }


def scene_json(scene: Scene) -> dict[str, Any]:
    """The scene as JSON-ready data, with the palette the legend shows."""
    return {
        "title": scene.title,
        "bounds": [list(scene.bounds[0]), list(scene.bounds[1])],
        "network": scene.network,
        "network_style": NETWORK_STYLE,
        "scale": 10**scene.decimals,  # a path's "line" is in units of 1 / scale degrees (packed_line)
        "legs": [_path_json(p, scene.decimals) for p in scene.legs],
        "joints": [_path_json(p, scene.decimals) for p in scene.joints],
        "alternatives": [_path_json(p, scene.decimals) for p in scene.alternatives],
        "marks": [
            {
                "lat": m.lat,
                "lon": m.lon,
                "number": m.number,
                "label": m.label,
                "kind": m.kind,
                "colour": m.colour,
                "fill": m.fill,
                "radius": m.radius,
                "dash": m.dash,
                "side": m.side,
                "popup": [list(r) for r in m.popup],
                "confidence": m.confidence,
            }
            for m in scene.marks
        ],
        "claims": [
            {"verdict": c.verdict, "colour": c.colour, "text": c.text, "confidence": c.confidence} for c in scene.claims
        ],
        "warnings": list(scene.warnings),
        "prism": _path_json(scene.prism, scene.decimals) if scene.prism is not None else None,
        "prism_title": scene.prism_title,
        "attribution": list(scene.attribution),
        "legend": {
            "verdicts": [[k, v] for k, v in VERDICT_COLOURS.items()],
            "kinds": [[k, s["color"], bool(s["fill"])] for k, s in KIND_STYLES.items()],
            "alternative": ALTERNATIVE_COLOUR,
            "unknown": VERDICT_COLOURS["unknown"],
            "prism": PRISM_COLOUR,
            "modes": [
                [s["label"], s["dash"], s["icon"]]
                for m, s in MODE_STYLES.items()
                if any(p.mode == m for p in scene.legs)
            ],
        },
        "tiles": (
            None
            if scene.tiles is None
            else {"url": scene.tiles.url, "attribution": scene.tiles.attribution, "max_zoom": scene.tiles.max_zoom}
        ),
        "basemap": scene.basemap,
        "basemap_style": {"background": BASEMAP_BACKGROUND, **BASEMAP_STYLE},
        "timeline": _timeline_json(scene.timeline),
        "credits": list(scene.credits),
    }


def _timeline_json(t: Timeline | None) -> dict[str, Any] | None:
    if t is None:
        return None
    return {
        "spans": [{"legs": list(s.legs), "km": s.km, "offset": s.offset_min, "label": s.label} for s in t.spans],
        "steps": [[st.t, st.span, st.lo, st.hi] for st in t.steps],
    }
