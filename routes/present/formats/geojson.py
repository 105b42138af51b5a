"""RFC 7946 GeoJSON of a checked trip."""

from __future__ import annotations

import json
from typing import Any

from ...model import Report
from ...routing.rail import RailNetwork
from .json import _names, report_to_json

__all__ = ["to_geojson"]


def _line(coords: tuple[tuple[float, float], ...]) -> dict[str, Any]:
    return {"type": "LineString", "coordinates": [[round(lon, 6), round(lat, 6)] for lat, lon in coords]}


def to_geojson(report: Report, net: RailNetwork | None = None) -> str:
    """RFC 7946 GeoJSON: events as points, legs and alternatives as lines (lon, lat)."""
    feats: list[dict[str, Any]] = []
    data = report_to_json(report, net)
    for i, ev in enumerate(data["events"]):
        p = report.places[i]
        feats.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [round(p.lon, 6), round(p.lat, 6)]},
                "properties": {
                    "feature": "event",
                    "index": i,
                    **{k: v for k, v in ev.items() if k != "place"},
                    "place": p.name,
                    "place_id": p.id,
                    "place_source": p.source,
                },
            }
        )
    for lv, leg_json in zip(report.legs, data["legs"]):
        leg = lv.leg
        props = {"feature": "leg", **{k: v for k, v in leg_json.items() if k != "alternatives"}}
        if leg.route is None:
            a, b = report.places[leg.start], report.places[leg.end]
            geom = _line(((a.lat, a.lon), (b.lat, b.lon)))
            props["mode"] = "unknown"
        else:
            geom = _line(leg.route.coords)
            props["mode"] = "rail"
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
    fc = {
        "type": "FeatureCollection",
        "features": feats,
        "properties": {"trip": report.trip.title, "claims": data["claims"]},
    }
    return json.dumps(fc, ensure_ascii=False, indent=1, allow_nan=False)
