"""The object ``routes route --json`` prints (keys as in DESIGN.md, plus a few more)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ...model import Place, Route
from ...routing.rail import RailNetwork, attribution

__all__ = ["route_to_json"]


def _end(p: Place) -> dict[str, Any]:
    return {"name": p.name, "id": p.id, "kind": p.kind, "lat": p.lat, "lon": p.lon}


def _geometry(r: Route) -> dict[str, Any]:
    return {"type": "LineString", "coordinates": np.round(r.coords[:, ::-1], 6).tolist()}


def route_to_json(plan: Any, net: RailNetwork) -> dict[str, Any]:
    """``{"from", "to", "km", "snap_m", "via", "reversals", "geometry", "alternatives", "network", …}``

    ``plan`` is an :class:`routes.api.RoutePlan`.
    """
    r: Route = plan.route
    return {
        "from": _end(plan.start),
        "to": _end(plan.end),
        "km": round(r.km, 3),
        "straight_km": round(plan.straight_km, 3),
        "snap_m": [round(plan.snap_km[0] * 1000, 1), round(plan.snap_km[1] * 1000, 1)],
        "via": [net.name_of(x) for x in r.via],
        "lines": list(r.lines),
        "gauge_breaks": [net.name_of(x) for x in r.gauge_breaks],
        "reversals": r.reversals,
        "reversed_at": [net.name_of(x) for x in r.reversed_at],
        "geometry": _geometry(r),
        "alternatives": [
            {
                "km": round(a.km, 3),
                "via": [net.name_of(x) for x in a.via],
                "lines": list(a.lines),
                "reversals": a.reversals,
                "geometry": _geometry(a),
            }
            for a in plan.alternatives
        ],
        "network": plan.network,
        "attribution": attribution(net),
        "profile": plan.profile,
        "turn_rules": plan.turn_rules,
    }
