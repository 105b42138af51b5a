"""RFC 7946 GeoJSON of a checked trip: events, legs, alternatives, claims and warnings, each a feature.

GIS tools (GDAL/OGR, QGIS, geopandas) read features only, so every claim and warning is
a feature too, whose geometry is the places it is about (``null`` when it names none).
Times are ISO 8601 strings: an event's ``time`` is the reported instant, or the reported
window as an ISO 8601 interval ``earliest/latest``; ``time_earliest`` and ``time_latest``
are always both there for a timed event, so a time slider can use them as a range. A leg
has ``start`` and ``end`` (``start_inferred``/``end_inferred`` say when an end's time was
inferred rather than reported).
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np

from ...model import Place, Report, Window
from ...routing.rail import RailNetwork
from ..style import MODE_STYLES
from .json import _names, report_to_json

__all__ = ["to_geojson"]


def _line(coords: Any) -> dict[str, Any]:
    """A GeoJSON LineString from (lat, lon) pairs (x = lon, y = lat), to 6 decimals."""
    return {"type": "LineString", "coordinates": np.round(np.asarray(coords, dtype=float)[:, ::-1], 6).tolist()}


def _points(places: list[Place]) -> dict[str, Any] | None:
    unique = list(dict.fromkeys((round(p.lon, 6), round(p.lat, 6)) for p in places))
    if not unique:
        return None
    if len(unique) == 1:
        return {"type": "Point", "coordinates": list(unique[0])}
    return {"type": "MultiPoint", "coordinates": [list(c) for c in unique]}


def _time(w: Window | None) -> dict[str, Any]:
    if w is None:
        return {"time": None, "time_earliest": None, "time_latest": None}
    a, b = w.earliest.isoformat(), w.latest.isoformat()
    return {"time": a if w.is_instant else f"{a}/{b}", "time_earliest": a, "time_latest": b}


def _when(report: Report, i: int) -> tuple[Window | None, bool]:
    """An event's reported window, else its inferred one (and whether it was inferred)."""
    if report.windows[i] is not None:
        return report.windows[i], False
    inferred = report.inferred[i] if report.inferred else None
    return inferred, inferred is not None


def _event(report: Report, i: int, ev: dict[str, Any]) -> dict[str, Any]:
    p = report.places[i]
    inferred = report.inferred[i] if report.windows[i] is None and report.inferred else None
    props = {k: v for k, v in ev.items() if k not in ("place", "time", "inferred_time")}
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [round(p.lon, 6), round(p.lat, 6)]},
        "properties": {
            "feature": "event",
            "index": i,
            **props,
            **_time(report.windows[i]),
            "inferred_earliest": inferred.earliest.isoformat() if inferred else None,
            "inferred_latest": inferred.latest.isoformat() if inferred else None,
            "place": p.name,
            "place_id": p.id,
            "place_source": p.source,
        },
    }


def _about(report: Report, text: str) -> list[Place]:
    """The event places a warning names (by resolved name or as reported), in route order."""
    order = report.order or tuple(range(len(report.places)))
    return [
        report.places[i]
        for i in order
        if report.places[i].name in text or (report.trip.events[i].label and report.trip.events[i].label in text)
    ]


def to_geojson(report: Report, net: RailNetwork | None = None) -> str:
    """RFC 7946 GeoJSON: events as points, legs and alternatives as lines (lon, lat), claims
    and warnings as features on the places they are about."""
    feats: list[dict[str, Any]] = []
    data = report_to_json(report, net)
    for i, ev in enumerate(data["events"]):
        feats.append(_event(report, i, ev))
    for lv, leg_json in zip(report.legs, data["legs"]):
        leg = lv.leg
        start, start_inferred = _when(report, leg.start)
        end, end_inferred = _when(report, leg.end)
        props = {
            "feature": "leg",
            **{k: v for k, v in leg_json.items() if k != "alternatives"},
            "start": start.earliest.isoformat() if start else None,
            "end": end.latest.isoformat() if end else None,
            "start_inferred": start_inferred,
            "end_inferred": end_inferred,
        }
        style = MODE_STYLES.get(leg.mode, MODE_STYLES["unknown"])
        props["line_style"] = {"dasharray": style["dash"] or None, "width": style["weight"]}
        props["icon"] = style["icon"]
        if leg.route is None:
            a, b = report.places[leg.start], report.places[leg.end]
            geom = _line(((a.lat, a.lon), (b.lat, b.lon)))
        else:
            geom = _line(leg.route.coords)  # a flight's points follow its great circle
        feats.append({"type": "Feature", "geometry": geom, "properties": props})
        for n, alt in enumerate(leg.alternatives, start=1):
            feats.append(
                {
                    "type": "Feature",
                    "geometry": _line(alt.coords),
                    "properties": {
                        "feature": "alternative",
                        "leg_from": leg.start_name,
                        "leg_to": leg.end_name,
                        "rank": n,
                        "rail_km": round(alt.km, 1),
                        "via": _names(net, alt.via),
                    },
                }
            )
    for n, claim in enumerate(data["claims"]):
        places = list(report.claim_places[n]) if report.claim_places else []
        feats.append({"type": "Feature", "geometry": _points(places), "properties": {"feature": "claim", **claim}})
    for text in data["warnings"]:
        feats.append(
            {
                "type": "Feature",
                "geometry": _points(_about(report, text)),
                "properties": {"feature": "warning", "warning": text},
            }
        )
    fc = {"type": "FeatureCollection", "name": report.trip.title, "attribution": data["attribution"], "features": feats}
    return json.dumps(fc, ensure_ascii=False, indent=1, allow_nan=False)
